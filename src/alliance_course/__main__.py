"""Command line: ``python -m alliance_course <command>``.

    build [--check] [--no-execute]
                        navigation, course map and exercises/ from solutions/ (``--check``: report, write nothing;
                        ``--no-execute``: do not run the solutions, so data/answers.json is left as it is)
    lint [NOTEBOOK…]    the notebook hygiene and template checks
    report FOLDER       class report from the progress files learners handed in
    doctor              what is installed and where the course keeps its files
    quiz-app NN         serve notebook NN's quiz as a standalone Voilà page [--ip 0.0.0.0] [--port] [--records]
    export-html NB      a static HTML copy of a notebook, quizzes shown as text
    site [--lessons]    the course website: executed lessons, quizzes in the browser, data tables
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _build(args: argparse.Namespace) -> int:
    from . import exercise_build, nav

    # Exercises first: the course map and the lessons' footers link the exercise sets that exist.
    try:
        # With --check, generate() returns the problems it found; otherwise the files it wrote.
        built = exercise_build.generate(check=args.check, execute=not args.no_execute)
    except exercise_build.ExerciseBuildError as error:
        print(error)
        return 1
    changed = nav.update(check=args.check)
    from .quiz import bank

    try:
        changed += bank.update_manifest(check=args.check)  # the digests of the banks that validate in full
    except bank.QuizError as error:
        print(error)
        return 1
    if not args.check and any(str(item).startswith("solutions/") for item in changed):
        # The navigation of a solution notebook changed: the exercises and grading files derived from it follow
        # (the answers are unchanged, so the solutions need not run again).
        try:
            built += [item for item in exercise_build.generate(execute=False) if item not in built]
        except exercise_build.ExerciseBuildError as error:
            print(error)
            return 1
    if args.check:
        stale = changed + built
        for item in stale:
            print(f"out of date: {item}")
        if stale:
            print("Run `make exercises` (python -m alliance_course build) and commit the result.")
            return 1
        print("navigation, course map and exercises are up to date")
        return 0
    for item in built + changed:
        print(f"updated: {item}")
    print("build done")
    return 0


def _lint(args: argparse.Namespace) -> int:
    from . import lint

    targets = [Path(p) for p in args.notebooks] or lint.all_notebooks()
    problems = [problem for path in targets for problem in lint.lint(path)]
    for problem in problems:
        print(problem)
    print(f"{len(targets)} notebooks checked, {len(problems)} problems")
    return 1 if problems else 0


def _report(args: argparse.Namespace) -> int:
    from . import report

    argv = [args.folder, "--min-learners", str(args.min_learners)]
    argv += (["--out", args.out] if args.out else []) + (["--csv", args.csv] if args.csv else [])
    return report.main(argv + (["--any-version"] if args.any_version else []))


def _doctor(args: argparse.Namespace) -> int:
    import platform
    import shutil
    from importlib import metadata

    from . import __version__, paths

    print(f"alliance_course {__version__} on Python {platform.python_version()} ({platform.system()})")
    for package in ("jupyterlab", "ipywidgets", "pandas", "matplotlib", "pyyaml", "jsonschema", "filelock"):
        try:
            print(f"  {package:12} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            print(f"  {package:12} MISSING — run `make lab` or `pip install -e .`")
    print(f"course folder:  {paths.course_root()}")
    try:
        from . import progress

        print(f"progress file:  {progress.progress_path()}")
    except Exception as exc:  # the doctor reports, it never fails on a broken piece
        print(f"progress file:  unavailable ({exc})")
    print(f"chromium:       {shutil.which('chromium') or 'not installed (browser tests will skip)'}")
    return 0


def _quiz_app(args: argparse.Namespace) -> int:
    from . import quiz_app

    return quiz_app.serve(args.notebook, port=args.port, ip=args.ip, records=args.records)


def _export_html(args: argparse.Namespace) -> int:
    from . import export

    try:
        out = export.export_html(Path(args.notebook), Path(args.out) if args.out else None)
    except (OSError, ValueError) as error:
        print(f"Cannot export {args.notebook}: {error}")
        return 1
    except Exception as error:  # a cell raised: nbclient's CellExecutionError names the cell
        print(f"Cannot export {args.notebook}: a cell failed while running it.\n{error}")
        return 1
    print(f"written: {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m alliance_course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="navigation, course map and exercises/ from solutions/")
    exercises = sub.add_parser("exercises", help="the same as build")
    for command in (build, exercises):
        command.add_argument("--check", action="store_true", help="only report what is out of date")
        command.add_argument("--no-execute", action="store_true",
                             help="do not run the solutions (fast; data/answers.json is left as it is)")
        command.set_defaults(func=_build)
    lint = sub.add_parser("lint", help="notebook hygiene and template checks")
    lint.add_argument("notebooks", nargs="*")
    lint.set_defaults(func=_lint)
    report = sub.add_parser("report", help="class report from exported progress files")
    report.add_argument("folder")
    report.add_argument("--out", help="where to write the chart (PNG)")
    report.add_argument("--csv", help="also write one row per learner to this CSV file")
    report.add_argument("--min-learners", type=int, default=5, help="learners an item needs to be ranked (5)")
    report.add_argument("--any-version", action="store_true", help="count files of another course version too")
    report.set_defaults(func=_report)
    doctor = sub.add_parser("doctor", help="what is installed and where files are")
    doctor.set_defaults(func=_doctor)
    quiz_app = sub.add_parser("quiz-app", help="serve one notebook's quiz with Voilà")
    quiz_app.add_argument("notebook", help="two-digit notebook number, e.g. 02")
    quiz_app.add_argument("--port", type=int, default=8866, help="first port to try (default 8866)")
    quiz_app.add_argument("--ip", default="127.0.0.1",
                          help="address to listen on: 127.0.0.1 (this computer) or 0.0.0.0 (the room's network)")
    quiz_app.add_argument("--records", help="folder for the learners' progress files (default quiz-records-NN)")
    quiz_app.set_defaults(func=_quiz_app)
    export_html = sub.add_parser("export-html", help="static HTML copy of a notebook, quizzes as text")
    export_html.add_argument("notebook")
    export_html.add_argument("--out", help="where to write the HTML (default: next to the notebook)")
    export_html.set_defaults(func=_export_html)
    sub.add_parser("site", help="build the course website (see `site --help`)")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["site"]:  # the website builder has its own options
        from . import site

        return site.main(argv[1:])
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
