"""`make bench`: how heavy and how fast is the course? (A measurement, not a test.)

For each learner notebook: wall time to execute it in a fresh kernel (from starting the kernel to the last cell's
reply) and the kernel's peak memory (max RSS), each next to a *floor* notebook that only runs the same import
lines — the ratio is the figure that matters. The kernel's shutdown is timed apart (``shutdown_seconds``): nobody
waits for it when a lesson opens, and it differs between floor and lesson for a reason of its own (a kernel whose
imports ``plots.style()`` took out of the garbage collector's sight exits 0.2 s sooner), so the ratio leaves it out.
Kernels use the learner's matplotlib backend (inline), so every chart is really rendered, in the notebook and
nowhere in the floor. Notebook and floor run in rounds whose order rotates and turns back (``round_order``; with
--ablate, three to a round), after one untimed floor run, so that neither meets colder caches or another load on the
machine than the other. Each row also gives the lesson's own time (``own_seconds``, notebook minus floor) and how
much of it its code cells cost the kernel even when they do nothing (``empty_cells_seconds``: the cells times
``cell_cost``, measured first as an import-only notebook next to the same with 100 ``pass`` cells; a cell with
output costs up to 1.5 ms more), and the time spent drawing its charts (``chart_seconds``, in a run of its own with
a timer around ``plots.figure_svg``). ``--other-runs K`` times the notebooks K more times and records those runs in
short. ``--ablate`` also times each notebook with its chart drawing and its quizzes stubbed out
(``without_drawing_and_quizzes``, in the same rotation as the notebook and its floor): what is left is the cost of
its other work. Then the click-to-feedback latency of a quiz in real JupyterLab (median and worst of 20 clicks), for
the course's quiz and, in the same browser and server, for the same question in jupyterquiz's client-side quiz (the
ratio course/jupyterquiz is recorded). Finally the wall time of `make check` and `make test`: measured with
--measure-make (it runs the whole `make test`, several minutes: not done by default), or recorded from
--make-test-seconds/--make-check-seconds when you timed them yourself. Prints a table and writes bench/results.json
(with --only, bench/results-partial.json: a few notebooks do not replace the full record).

    .venv/bin/python bench/run.py [--repeat 3] [--other-runs 0] [--ablate] [--clicks 20] [--skip-browser]
                                  [--only 02,05]
                                  [--measure-make | --make-test-seconds S --make-check-seconds S
                                   [--make-test-note TEXT --make-check-note TEXT]]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
TARGETS = {"time_ratio": 1.3, "next_time_ratio": 1.2, "memory_ratio": 1.25, "feedback_median_ms": 150,
           "feedback_ratio_vs_jupyterquiz": 1.0}
PEAK_RSS = ("import resource, sys\n"
            "_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print(_kb / 1024 if sys.platform != 'darwin' else _kb / 1024 / 1024)")


# For chart_seconds, a run of its own: the time the notebook spends drawing its charts (plots.figure_svg draws every
# chart the lessons show, static or in a simulator; only the progress dashboard and class report write PNGs)
CHART_TIMER = """import time as _bench_time
from alliance_course import plots as _bench_plots
_bench_charts = [0.0]
def _bench_timed(draw):
    def timed(*args, **kwargs):
        start = _bench_time.perf_counter()
        try:
            return draw(*args, **kwargs)
        finally:
            _bench_charts[0] += _bench_time.perf_counter() - start
    return timed
_bench_plots.figure_svg = _bench_timed(_bench_plots.figure_svg)"""


# For --ablate: the notebook run again as if its charts cost nothing to draw and it had no quizzes. Every cell still
# runs and every figure is still built; each chart goes out as a 1-pixel image, and no quiz widget is built or sent
# (the page script that names widget controls still goes out with the first simulator).
# The stub goes at the start of the first code cell, before any warm-up quiz there (03-06), and the cell count stays
# the lesson's. Only for notebooks whose floor already imports plots and quiz, so that the stub adds no import and the
# three (lesson, stubbed lesson, floor) share one floor. What is left of the own time is the lesson's other work: its
# pandas code, data loading, tables, figure building, widgets and their outputs, and its cells' cost.
ABLATE = """from alliance_course import plots as _bench_plots, quiz as _bench_quiz
_bench_plots.figure_svg = lambda fig, **kwargs: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
_bench_quiz.show = _bench_quiz.ask = _bench_quiz.warmup = lambda *args, **kwargs: None
"""


def can_ablate(lines: list[str]) -> bool:
    """Whether these import lines already import ``plots`` and ``quiz`` from the course package (the stub would
    otherwise add imports, and matplotlib's among them, that the floor does not have: lesson 00)."""
    names = set()
    for line in lines:
        found = re.match(r"^from\s+alliance_course\s+import\s+([\w\s,]+)", line)
        if found:
            names |= {name.split()[0] for name in found.group(1).split(",") if name.strip()}
    return {"plots", "quiz"} <= names


def copied(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A deep copy of ``nb``, to run or change without touching the original."""
    return nbformat.from_dict(json.loads(json.dumps(nb)))


def client(nb: nbformat.NotebookNode, workdir: Path) -> NotebookClient:
    """A client that runs ``nb`` in a fresh ``python3`` kernel in ``workdir``."""
    # log_level=ERROR: keep each kernel's start-up warning ("running over TCP without encryption") out of the table
    return NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workdir)}},
                          extra_arguments=["--IPKernelApp.log_level=ERROR"])


def ablated(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` with :data:`ABLATE` at the start of its first code cell."""
    nb = copied(nb)
    first = next(cell for cell in nb.cells if cell.cell_type == "code")
    if first.source.lstrip().startswith(("%%", "from __future__")):
        raise ValueError("--ablate: the first code cell starts with a cell magic or a __future__ import, which must "
                         "stay first; the stub cannot go before it")
    first.source = ABLATE + first.source
    return nb


def import_lines(nb: nbformat.NotebookNode) -> list[str]:
    """The notebook's top-level import statements, in order (the floor notebook runs only these)."""
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if re.match(r"^(import\s+\w|from\s+[\w.]+\s+import\s)", line) and "(" not in line:
                if line not in lines:
                    lines.append(line)
    return lines


def printed(cell: nbformat.NotebookNode) -> str:
    """What a code cell printed to stdout (a warning on stderr, or another output, may come first)."""
    return "".join(out.get("text", "") for out in cell.outputs
                   if out.get("output_type") == "stream" and out.get("name") == "stdout")


def run_once(nb: nbformat.NotebookNode, workdir: Path) -> tuple[float, float, float]:
    """(seconds, peak MiB, shutdown seconds) for executing ``nb`` in a fresh kernel: ``seconds`` runs from starting
    the kernel to the reply of the last cell (the peak-memory probe is not timed); the shutdown is timed apart."""
    nb = copied(nb)
    runner = client(nb, workdir)
    start = time.perf_counter()
    with runner.setup_kernel():
        for index, cell in enumerate(nb.cells):
            runner.execute_cell(cell, index)
        seconds = time.perf_counter() - start
        probe = nbformat.v4.new_code_cell(PEAK_RSS)
        nb.cells.append(probe)
        runner.execute_cell(probe, len(nb.cells) - 1)
        stopping = time.perf_counter()
    shutdown = time.perf_counter() - stopping
    peak = float(printed(probe))
    return seconds, peak, shutdown


def chart_seconds(nb: nbformat.NotebookNode, workdir: Path) -> float:
    """Seconds the notebook spends in ``plots.figure_svg``, drawing its charts, in a fresh kernel (a run of its own,
    with a timer put in after the first code cell)."""
    nb = copied(nb)
    first = next((index for index, cell in enumerate(nb.cells) if cell.cell_type == "code"), None)
    if first is None:
        return 0.0
    nb.cells.insert(first + 1, nbformat.v4.new_code_cell(CHART_TIMER))
    nb.cells.append(nbformat.v4.new_code_cell("print(_bench_charts[0])"))
    client(nb, workdir).execute()
    return float(printed(nb.cells[-1]))


def round_order(index: int, count: int) -> list[int]:
    """The order of round ``index`` for ``count`` notebooks: the rotations of 0..count-1, then the same rotations
    backwards, and again. Every ``2 * count`` rounds each notebook has run in every place and after every other
    (for three, all six orders; for two, AB BA BA AB)."""
    turn, backwards = index % count, (index // count) % 2
    order = [(turn + offset) % count for offset in range(count)]
    return order[::-1] if backwards else order


def rotated_runs(notebooks: list[nbformat.NotebookNode], workdir: Path,
                 repeat: int) -> list[list[tuple[float, float, float]]]:
    """``repeat`` runs of each notebook (the last is the floor), in rounds ordered by :func:`round_order`, after one
    untimed run of the floor. Timed in blocks, the first notebook's runs met colder file caches, and a change in the
    machine's load between blocks moved the ratio; a stubbed lesson timed next to a floor of its own was compared
    with a floor that had moved by up to 0.25 s."""
    run_once(notebooks[-1], workdir)
    results: list[list[tuple[float, float, float]]] = [[] for _ in notebooks]
    for index in range(repeat):
        for which in round_order(index, len(notebooks)):
            results[which].append(run_once(notebooks[which], workdir))
    return results


def learner_kernels() -> None:
    """Make the kernels this script starts run as a learner's do."""
    env_progress = tempfile.mkdtemp(prefix="bench-progress-")
    os.environ["ALLIANCE_COURSE_PROGRESS"] = str(Path(env_progress) / "progress.json")
    # The kernels inherit this environment: without MPLBACKEND they use the inline backend a learner gets, so the
    # charts are drawn and shown (with MPLBACKEND=Agg, as `make` sets it, plt.show() would draw nothing).
    os.environ.pop("MPLBACKEND", None)
    # A learner's kernels read the course's modules from cached bytecode, written by the first import or by pip's
    # install of the wheel. Where PYTHONDONTWRITEBYTECODE is set (common in containers, and on CI machines) nothing
    # writes it, and every kernel would compile the package again: write it now, as that first import would.
    compileall.compile_dir(ROOT / "src", quiet=1)


def bench_cell_cost(repeat: int, cells: int = 100) -> dict:
    """What one more code cell costs when it does nothing: an import-only notebook next to the same with ``cells``
    ``pass`` cells after it, in fresh kernels, paired like the lessons. This is the kernel's and the client's share of
    a lesson's own time (the execute request, the busy/idle status, the output flushes, the reply) — work no
    lesson code can save, short of having fewer cells."""
    first = nbformat.v4.new_code_cell("import matplotlib.pyplot as plt")
    floor = nbformat.v4.new_notebook(cells=[first])
    padded = nbformat.v4.new_notebook(cells=[first] + [nbformat.v4.new_code_cell("pass") for _ in range(cells)])
    with tempfile.TemporaryDirectory() as tmp:
        runs, floors = rotated_runs([padded, floor], Path(tmp), repeat)
    extra = statistics.median(r[0] for r in runs) - statistics.median(r[0] for r in floors)
    return {"empty_cells": cells, "ms_per_cell": round(extra / cells * 1000, 2)}


def bench_notebooks(repeat: int, only: list[str], ms_per_cell: float, ablate: bool = False) -> list[dict]:
    rows = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if only and path.name[:2] not in only:
            continue
        nb = nbformat.read(path, as_version=4)
        floor = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("\n".join(import_lines(nb)))])
        floor.metadata = nb.metadata
        bare = ablated(nb) if ablate and can_ablate(floor.cells[0].source.splitlines()) else None
        with tempfile.TemporaryDirectory() as tmp:
            timed = rotated_runs([nb, floor] if bare is None else [nb, bare, floor], Path(tmp), repeat)
            charts = chart_seconds(nb, Path(tmp))
        runs, floors = timed[0], timed[-1]
        t, m = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        ft, fm = statistics.median(r[0] for r in floors), statistics.median(r[1] for r in floors)
        row = {"notebook": path.name, "seconds": round(t, 2), "floor_seconds": round(ft, 2),
               "time_ratio": round(t / ft, 2), "peak_mib": round(m, 1), "floor_peak_mib": round(fm, 1),
               "memory_ratio": round(m / fm, 2),
               "shutdown_seconds": round(statistics.median(r[2] for r in runs), 2),
               "floor_shutdown_seconds": round(statistics.median(r[2] for r in floors), 2)}
        # the lesson's own time, and the part of it its code cells cost the kernel even if they did nothing (the
        # floor is one cell): what is left is the lesson's work (charts, quizzes, tables, widgets)
        cells = sum(cell.cell_type == "code" for cell in nb.cells)
        row.update({"own_seconds": round(t - ft, 2), "code_cells": cells,
                    "empty_cells_seconds": round(max(cells - 1, 0) * max(ms_per_cell, 0.0) / 1000, 2),
                    "chart_seconds": round(charts, 2)})
        if ablate:  # None where the stub would add imports (see ABLATE)
            bt = None if bare is None else statistics.median(r[0] for r in timed[1])
            row["without_drawing_and_quizzes"] = None if bt is None else {
                "seconds": round(bt, 2), "time_ratio": round(bt / ft, 2), "own_seconds": round(bt - ft, 2)}
        bare_row = row.get("without_drawing_and_quizzes")
        row["within_targets"] = (row["time_ratio"] <= TARGETS["time_ratio"]
                                 and row["memory_ratio"] <= TARGETS["memory_ratio"])
        print(f"{path.name:42} {t:6.2f} s (floor {ft:5.2f}, ×{row['time_ratio']:.2f})   "
              f"{m:6.1f} MiB (floor {fm:6.1f}, ×{row['memory_ratio']:.2f})  "
              f"{'ok' if row['within_targets'] else 'OVER'}   own {t - ft:4.2f} s: {cells} cells "
              f"{row['empty_cells_seconds']:4.2f}, charts {charts:4.2f}"
              + (f"; without drawing and quizzes ×{bare_row['time_ratio']:.2f}, own {bare_row['own_seconds']:4.2f} s"
                 if bare_row else ""))
        rows.append(row)
    return rows


_TIME_CLICK = """(box, [feedbackSelector, clickSelector]) => new Promise(resolve => {
  const feedback = box.querySelector(feedbackSelector);
  const target = clickSelector === 'Submit'
    ? Array.from(box.querySelectorAll('button')).find(b => b.innerText.trim() === 'Submit')
    : box.querySelectorAll(clickSelector)[Number(box.dataset.benchOption)];
  let t0 = 0;
  // [feedback in the page (first DOM change), feedback painted (the frame after it)]
  const observer = new MutationObserver(() => {
    observer.disconnect();
    const changed = performance.now() - t0;
    requestAnimationFrame(() => setTimeout(() => resolve([changed, performance.now() - t0]), 0));
  });
  observer.observe(feedback, {childList: true, subtree: true, characterData: true, attributes: true});
  t0 = performance.now();
  target.click();
})"""


def in_short(row: dict) -> dict:
    """A notebook's row as ``notebooks_other_runs`` records it."""
    short = {"ratio": row["time_ratio"], "floor": row["floor_seconds"], "own": row["own_seconds"],
             "charts": row["chart_seconds"]}
    if row.get("without_drawing_and_quizzes"):
        short["ratio_without_drawing_and_quizzes"] = row["without_drawing_and_quizzes"]["time_ratio"]
        short["own_without_drawing_and_quizzes"] = row["without_drawing_and_quizzes"]["own_seconds"]
    return short


def _summary(latencies: list[list[float]]) -> dict:
    """Median and worst click-to-feedback time (first DOM change) and click-to-painted time (the next frame)."""
    changed, painted = [t[0] for t in latencies], [t[1] for t in latencies]
    return {"clicks": len(latencies), "median_ms": round(statistics.median(changed), 1),
            "worst_ms": round(max(changed), 1), "painted_median_ms": round(statistics.median(painted), 1)}


def jupyterquiz_notebook(question) -> nbformat.NotebookNode:
    """A notebook showing ``question`` (a course single-choice question) with jupyterquiz.display_quiz."""
    spec = [{"question": question.prompt, "type": "multiple_choice",
             "answers": [{"answer": o.text, "correct": o.correct, "feedback": o.feedback} for o in question.options]}]
    source = f"from jupyterquiz import display_quiz\ndisplay_quiz({spec!r}, shuffle_answers=False)"
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)],
                                    metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})


def bench_feedback(clicks: int) -> dict:
    """Click-to-feedback latency of the course's quiz (Submit, answered in the kernel) and of jupyterquiz's
    client-side quiz for the same question, in one JupyterLab server and one browser."""
    from browser_driver import CHROMIUM, PANEL, open_browser, run_all
    from labserver import LabServer, copy_course

    from alliance_course import quiz

    if not CHROMIUM.exists():
        return {"skipped": "no /usr/bin/chromium"}
    bank = quiz.load_bank("00").for_learner(quiz.learner_seed())  # the order the lab (same user) shows
    question = next(q for q in bank.questions if q.type == "single" and q.section == "quiz")
    right = next(i for i, o in enumerate(question.options) if o.correct)
    wrong = next(i for i, o in enumerate(question.options) if not o.correct)
    prompt = " ".join(re.sub(r"`([^`]+)`", r"\1", question.prompt).split())[:40]
    course_ms, jq_ms = [], []
    with tempfile.TemporaryDirectory() as tmp:
        course = copy_course(ROOT, Path(tmp) / "course")
        (Path(tmp) / "work").mkdir()
        jq_path = course / "notebooks" / "bench-jupyterquiz.ipynb"
        nbformat.write(jupyterquiz_notebook(question), jq_path)
        with LabServer(course, Path(tmp) / "work") as lab, open_browser() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            run_all(page, lab.url("notebooks/00-start-here.ipynb"), course / "notebooks" / "00-start-here.ipynb")
            box = page.locator(f"{PANEL} .quiz-question", has_text=prompt).last
            box.scroll_into_view_if_needed()
            for n in range(clicks):
                box.locator("input[type=radio]").nth(wrong if n % 2 == 0 else right).check()
                course_ms.append(box.evaluate(_TIME_CLICK, [".quiz-feedback", "Submit"]))
            try:
                import jupyterquiz  # noqa: F401
            except ImportError:
                jq = {"skipped": "jupyterquiz is not installed (pip install -e '.[test]')"}
            else:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                run_all(page, lab.url("notebooks/bench-jupyterquiz.ipynb"), jq_path)
                jq_box = page.locator(f"{PANEL} .Quiz").last
                jq_box.wait_for(timeout=30_000)
                for n in range(clicks):
                    jq_box.evaluate("(box, i) => { box.dataset.benchOption = i; }", wrong if n % 2 == 0 else right)
                    jq_ms.append(jq_box.evaluate(_TIME_CLICK, [".Feedback", ".Answer label"]))
                jq = _summary(jq_ms)
    result = {"course": _summary(course_ms), "jupyterquiz": jq}
    result["within_target"] = result["course"]["median_ms"] <= TARGETS["feedback_median_ms"]
    if jq_ms:
        # the course's quiz answers through the kernel (a round trip); jupyterquiz answers in the page
        result["ratio_course_to_jupyterquiz"] = round(result["course"]["median_ms"] / jq["median_ms"], 2)
        result["ratio_painted"] = round(result["course"]["painted_median_ms"] / jq["painted_median_ms"], 2)
        limit = TARGETS["feedback_ratio_vs_jupyterquiz"]
        result["within_ratio_target"] = result["ratio_course_to_jupyterquiz"] <= limit
    return result


def bench_quiz_robustness() -> dict:
    """Worst cases of the quiz engine: refusing a YAML alias bomb, wrapping a 5 MB prompt, grading a 5 MB answer."""
    from alliance_course.quiz import BankError, load_bank
    from alliance_course.quiz.text import wrap

    bomb = "title: bomb\nquestions:\n  - &a0 [" + ", ".join(['"lol"'] * 10) + "]\n" + "".join(
        f"  - &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]\n" for n in range(1, 9))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "55-bomb.yaml"
        path.write_text(bomb, encoding="utf-8")
        start = time.perf_counter()
        try:
            load_bank(path)
        except BankError:
            pass
        results["alias_bomb_refused_ms"] = round((time.perf_counter() - start) * 1000, 2)
    for size in (1_000_000, 5_000_000):
        text = ("word " * (size // 5))[:size]
        start = time.perf_counter()
        wrap(text)
        results[f"wrap_{size // 1_000_000}mb_s"] = round(time.perf_counter() - start, 3)
    question = next(q for q in load_bank("00").questions if q.type == "multiple")
    start = time.perf_counter()
    question.grade("a, " * 1_700_000)
    results["grade_5mb_answer_s"] = round(time.perf_counter() - start, 3)
    return results


def bench_make(target: str) -> dict:
    start = time.perf_counter()
    status = subprocess.call(["make", target], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {"seconds": round(time.perf_counter() - start, 1), "exit_status": status, "measured": True}


def machine() -> dict:
    memory = None
    try:
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    load = [round(x, 1) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    return {"system": platform.platform(), "python": platform.python_version(), "cores": os.cpu_count(),
            "memory_gib": memory, "date": time.strftime("%Y-%m-%d"),
            "load_average_at_start": load}  # a loaded machine inflates times (not memory): say so with the numbers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clicks", type=int, default=20)
    parser.add_argument("--only", default="", help="comma-separated notebook numbers, e.g. 02,05 (default: all); "
                        "the results go to bench/results-partial.json, not over the full record")
    parser.add_argument("--other-runs", type=int, default=0,
                        help="time the notebooks this many more times and record those runs in short "
                             "(notebooks_other_runs): a ratio moves run to run, so no single run decides a target")
    parser.add_argument("--ablate", action="store_true",
                        help="also time each notebook with its chart drawing and its quizzes stubbed out "
                             "(without_drawing_and_quizzes): what its other work costs")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--measure-make", action="store_true", help="run and time `make check` and `make test`")
    parser.add_argument("--make-test-seconds", type=float, help="record a `make test` time you measured")
    parser.add_argument("--make-check-seconds", type=float, help="record a `make check` time you measured")
    parser.add_argument("--make-test-note", default="", help="how you timed `make test` (recorded with the time)")
    parser.add_argument("--make-check-note", default="", help="how you timed `make check` (recorded with the time)")
    parser.add_argument("--skip-make-test", action="store_true", help=argparse.SUPPRESS)  # the old default
    args = parser.parse_args()
    for target in ("test", "check"):
        if getattr(args, f"make_{target}_note") and getattr(args, f"make_{target}_seconds") is None:
            parser.error(f"--make-{target}-note goes with --make-{target}-seconds (a measured run records itself)")
    results = {"machine": machine(), "targets": TARGETS,
               "method": "seconds: from starting the kernel to the last cell's reply (median of --repeat runs); "
                         "shutdown_seconds timed apart and left out of the ratio (since 2026-12-05); notebook and "
                         "floor run in pairs of alternating order after one untimed floor run (since 2026-12-05; "
                         "in rounds ordered by round_order since 2026-12-06, three to a round with --ablate); "
                         "own_seconds, empty_cells_seconds (from cell_cost) and chart_seconds (a run of its own) since "
                         "2026-12-06; without_drawing_and_quizzes (--ablate, in the same rotation as notebook and "
                         "floor, against the same floor) since 2026-12-06 (later that day)"}
    only = [n.strip() for n in args.only.split(",") if n.strip()]
    learner_kernels()
    other_runs = []
    for index in range(1 + args.other_runs):  # the recorded run, then the others in short
        print(f"==> run {index + 1} of {1 + args.other_runs}: the cost of an empty code cell, then the notebooks "
              f"(medians of {args.repeat} fresh-kernel runs in rotating order, next to their import-only floor)")
        cost = bench_cell_cost(args.repeat)
        print(f"    {cost}")
        rows = bench_notebooks(args.repeat, only, cost["ms_per_cell"], args.ablate)
        if index == 0:
            results["cell_cost"], results["notebooks"] = cost, rows
        else:
            other_runs.append({"cell_ms": cost["ms_per_cell"], **{row["notebook"][:2]: in_short(row) for row in rows}})
    if other_runs:
        results["notebooks_other_runs"] = {
            "note": "runs taken right after the one above, each with its own cell_cost: time ratio, floor seconds "
                    "(since 2026-12-06), own seconds, chart seconds (and with --ablate the ratio and own seconds "
                    "without drawing and quizzes) by notebook",
            "runs": other_runs}
    print("==> quiz engine worst cases (alias bomb, 5 MB prompt, 5 MB answer)")
    results["quiz_robustness"] = bench_quiz_robustness()
    print(f"    {results['quiz_robustness']}")
    if not args.skip_browser:
        print(f"==> quiz click-to-feedback latency in JupyterLab ({args.clicks} clicks): course vs jupyterquiz")
        results["quiz_feedback"] = bench_feedback(args.clicks)
        print(f"    {results['quiz_feedback']}")
    if args.measure_make:
        for target in ("check", "test"):
            print(f"==> the whole `make {target}`")
            results[f"make_{target}"] = bench_make(target)
            print(f"    {results[f'make_{target}']}")
    for target in ("check", "test"):
        given = getattr(args, f"make_{target}_seconds")
        if given is not None:
            results[f"make_{target}"] = {"seconds": given, "measured": False,
                                         **({"note": note} if (note := getattr(args, f"make_{target}_note")) else {})}
    out = ROOT / "bench" / ("results-partial.json" if only else "results.json")
    if out.exists():  # keep the keys written by `make bench-hub`
        previous = json.loads(out.read_text(encoding="utf-8"))
        results = {**{key: value for key, value in previous.items() if key.startswith("hub")}, **results}
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
