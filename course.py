#!/usr/bin/env python3
"""Set up, open and test the course on any operating system, with nothing but Python 3.11+.

    python course.py setup [runtime|test]   create or refresh .venv (runtime: to open the course; test: + test tools)
    python course.py lab [--port 8888]      set up (runtime), then open the course in JupyterLab on 00-start-here
    python course.py check [PYTEST ARGS…]   set up (test), then the fast loop: ruff, import contracts, unit tests
    python course.py test [PYTEST ARGS…]    set up (test), then run every test layer
    python course.py wheelhouse [FOLDER]    write every wheel the course needs into FOLDER (default: wheelhouse/)

On Windows use ``py course.py …``; on macOS and Linux ``python3 course.py …``. ``make lab`` and ``make test`` call
this same file, so the Linux tests run these entry points.

The virtual environment is rebuilt when it is missing or broken, and reinstalled when ``pyproject.toml`` changed
since the last install (a SHA-256 of it is kept in ``.venv/.course-installed-<what>``; a hash, not a date, because
a fresh clone resets every file's date). Every step prints ``==> [step] …``; a failure names the step that failed.
This file uses only the standard library: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)

# What each set-up installs: the pip requirement for the course with its extras, and the modules that must import.
INSTALLS = {
    "runtime": (".[lab]", ["alliance_course", "platformdirs", "jupyterlab", "ipywidgets", "pandas", "matplotlib",
                           "yaml", "jsonschema", "filelock"]),
    "app": (".[app]", ["alliance_course", "voila"]),
    "site": (".[site]", ["alliance_course", "myst_nb", "sphinx_book_theme", "jupyterquiz"]),
    "test": (".[lab,test,hub,grading]", ["alliance_course", "jupyterlab", "pytest", "nbval", "xdist", "hypothesis",
                                         "frictionless", "playwright", "ruff", "importlinter", "voila", "myst_nb",
                                         "jupyterquiz", "repo2docker", "nbgrader", "otter", "jupyterhub",
                                         "websocket"]),
}
# A test install (JupyterLab, Voilà and the website tools included) also serves the other requests.
SATISFIES = {"runtime": ("runtime", "test"), "app": ("app", "test"), "site": ("site", "test"), "test": ("test",)}
# The set-up is redone when any of these files changes.
HASHED = ("pyproject.toml", "hub/requirements-singleuser.txt")
# From the npm registry, into .venv/node, for the tests: the JupyterHub tests' proxy and the accessibility audit.
NPM_PACKAGES = ("configurable-http-proxy@5", "axe-core@4")
PIP_NOISE = "is ignored: it is neither a file nor a directory"
LANDING = "/lab/tree/notebooks/00-start-here.ipynb"


class StepFailed(Exception):
    """A set-up or launch step failed; the message says which and what to do."""


def step(what: str, message: str) -> None:
    print(f"==> [{what}] {message}", flush=True)


def venv_python(venv: Path = VENV) -> Path:
    """The virtual environment's interpreter: ``Scripts\\python.exe`` on Windows, ``bin/python`` elsewhere."""
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def pyproject_hash(root: Path = ROOT) -> str:
    """SHA-256 of the files that decide what gets installed (``HASHED``, those that exist)."""
    digest = hashlib.sha256()
    for name in HASHED:
        path = root / name
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _runs(python: Path) -> bool:
    try:
        return subprocess.run([str(python), "-c", "import sys"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def is_up_to_date(what: str, venv: Path = VENV, root: Path = ROOT) -> bool:
    digest = pyproject_hash(root)
    for kind in SATISFIES[what]:
        stamp = venv / f".course-installed-{kind}"
        if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest:
            return True
    return False


def setup(what: str = "runtime", venv: Path = VENV, root: Path = ROOT) -> Path:
    """Create or refresh the virtual environment; return its interpreter."""
    if what not in INSTALLS:
        raise StepFailed(f"unknown set-up {what!r}: use one of {', '.join(INSTALLS)}")
    if sys.version_info < MIN_PYTHON:
        raise StepFailed(f"finding Python 3.11 or newer: this is Python {sys.version.split()[0]}; install a newer "
                         "Python (python.org) and run this again")
    python = venv_python(venv)
    if venv.exists() and not _runs(python):
        step("setup", f"the existing {venv.name} is broken (its Python does not start): recreating it")
        shutil.rmtree(venv)
    if not python.exists():
        step("setup", f"creating {venv.name} with Python {sys.version.split()[0]}")
        import venv as venv_module

        try:
            venv_module.EnvBuilder(with_pip=True, clear=True).create(venv)
        except Exception as error:  # noqa: BLE001 - the message is what the learner needs
            raise StepFailed(f"creating the virtual environment {venv}: {error}") from error
    if is_up_to_date(what, venv, root):
        step("setup", f"{venv.name} is up to date ({what})")
        return python
    spec, modules = INSTALLS[what]
    step("setup", "installing the course and its dependencies into .venv (about a minute the first time)")
    log = venv / "pip-install.log"
    with open(log, "w", encoding="utf-8") as out:
        status = subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                                 "-e", spec], cwd=root, stdout=out, stderr=subprocess.STDOUT).returncode
    _print_without_noise(log.read_text(encoding="utf-8", errors="replace"))
    if status != 0:
        raise StepFailed(f"installing the course into .venv (pip install -e '{spec}'); the log is {log}")
    check = subprocess.run([str(python), "-W", "ignore", "-c", "import " + ", ".join(modules)], cwd=root)
    if check.returncode != 0:
        raise StepFailed("checking the installation (a module did not import; see the message above)")
    if what == "test":
        _test_tools(venv, root)
    (venv / f".course-installed-{what}").write_text(pyproject_hash(root) + "\n", encoding="utf-8")
    step("setup", "done")
    return python


def _test_tools(venv: Path, root: Path) -> None:
    """What the tests need beyond pip: npm packages, and the JupyterHub's single-user environment."""
    npm = shutil.which("npm")
    if npm:
        step("setup", f"installing {', '.join(NPM_PACKAGES)} from npm into {venv.name}/node (hub and browser tests)")
        log = venv / "npm-install.log"
        with open(log, "w", encoding="utf-8") as out:
            status = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                                     str(venv / "node"), *NPM_PACKAGES], cwd=root, stdout=out,
                                    stderr=subprocess.STDOUT).returncode
        if status != 0:
            raise StepFailed(f"installing {', '.join(NPM_PACKAGES)} from npm (Node.js 18+ and npm); the log is {log}")
    else:
        print("==> [setup] npm not found: the JupyterHub and accessibility tests will fail until Node.js and npm are "
              "installed (Debian: apt-get install nodejs npm)", file=sys.stderr, flush=True)

    # A hub installs the course from a wheel into its user environment: build exactly that for the hub tests.
    single = venv / "hub-singleuser"
    step("setup", f"building the hub's single-user environment ({venv.name}/hub-singleuser: "
                  "hub/requirements-singleuser.txt and the course from a wheel)")
    if single.exists():
        shutil.rmtree(single)
    import venv as venv_module

    venv_module.EnvBuilder(with_pip=True).create(single)
    python = venv_python(single)
    log = venv / "hub-singleuser-install.log"
    with open(log, "w", encoding="utf-8") as out:
        status = subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r",
                                 "hub/requirements-singleuser.txt", "."], cwd=root, stdout=out,
                                stderr=subprocess.STDOUT).returncode
    shutil.rmtree(root / "build", ignore_errors=True)  # left by the wheel build of the non-editable install
    if status != 0:
        _print_without_noise(log.read_text(encoding="utf-8", errors="replace"))
        raise StepFailed(f"building the hub's single-user environment; the log is {log}")
    imports = "import alliance_course, jupyterlab, nbgitpuller, jupyterhub"
    if subprocess.run([str(python), "-W", "ignore", "-c", imports], cwd=root).returncode != 0:
        raise StepFailed("checking the hub's single-user environment (a module did not import)")
    # The hub tests reinstall the course there only when its source changes after this.
    subprocess.run([str(venv_python(venv)), "-W", "ignore", "tests/hubdriver.py", "stamp"], cwd=root, check=False)


def _print_without_noise(text: str) -> None:
    """pip prints a harmless "Location … is ignored" line per package on some mirrors; hide that noise."""
    for line in text.splitlines():
        if PIP_NOISE not in line:
            print(line, flush=True)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def wants_browser(env: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """Open a browser only where there is one: not in CI, over SSH, or on a Linux machine without a display."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if env.get("CI") or env.get("SSH_CONNECTION"):
        return False
    if platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("BROWSER")):
        return False
    return True


def lab_command(python: Path, port: int, root: Path = ROOT) -> list[str]:
    args = [str(python), "-m", "jupyter", "lab", f"--port={port}", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.root_dir={root}", f"--LabApp.default_url={LANDING}",
            f"--LabApp.app_settings_dir={root / '.jupyter' / 'lab-settings'}"]
    if _is_root():  # JupyterLab refuses to start as root unless told to (containers, CI)
        args.append("--allow-root")
    if not wants_browser():
        args.append("--no-browser")
    return args


def lab(port: int) -> int:
    python = setup("runtime")
    step("lab", f"starting JupyterLab on port {port} (stop it with Ctrl-C)")
    step("lab", "open the URL that JupyterLab prints below (it contains your access token);")
    print("          the course opens on notebooks/00-start-here.ipynb", flush=True)
    try:
        return subprocess.call(lab_command(python, port), cwd=ROOT)
    except KeyboardInterrupt:
        return 0


# Two workers on the 2-core machines; single tests are spread over both, except the browser tests, which share one
# JupyterLab server (one xdist group, see conftest.py).
TEST_ARGS = ["-n", "2", "--dist", "loadgroup"]
# The fast lane: no kernels, no browser, and without the nbval plugin (it costs seconds on every start).
CHECK_LAYERS = "not notebook and not browser and not server and not offline and not hub and not grading"
CHECK_ARGS = ["-p", "no:nbval", "-m", CHECK_LAYERS, "-n", "2", "--hypothesis-profile=fast"]


def test_command(python: Path, pytest_args: list[str], fast: bool = False) -> list[str]:
    return [str(python), "-m", "pytest", *(["-q", *CHECK_ARGS] if fast else TEST_ARGS), *pytest_args]


def lint_code(python: Path) -> int:
    """ruff and the import contracts (both configured in pyproject.toml)."""
    step("check", "ruff and the import contracts (pyproject.toml)")
    if subprocess.call([str(python), "-m", "ruff", "check", "src", "tests", "tools", "bench", "scripts",
                        "conftest.py", "course.py"], cwd=ROOT) != 0:
        print("*** FAILED at step: ruff", flush=True)
        return 1
    lint_imports = python.parent / ("lint-imports.exe" if os.name == "nt" else "lint-imports")
    if subprocess.call([str(lint_imports), "--no-cache"], cwd=ROOT) != 0:
        print("*** FAILED at step: import contracts (lint-imports)", flush=True)
        return 1
    return 0


def test(pytest_args: list[str], fast: bool = False) -> int:
    python = setup("test")
    if lint_code(python) != 0:
        return 1
    step("check" if fast else "test", "unit tests and doctests (no notebooks, no browser)" if fast else
         "unit, data, hygiene, exercise-sync, notebook, browser, hub and offline-install tests")
    env = dict(os.environ, MPLBACKEND="Agg")
    status = subprocess.call(test_command(python, pytest_args, fast), cwd=ROOT, env=env)
    if status != 0:
        print(f"*** FAILED at step: {'the fast tests' if fast else 'running the tests'} (see the failures above)",
              flush=True)
    return status


def wheelhouse(folder: Path) -> int:
    """Every wheel the course and JupyterLab need, plus the build backend, so a room can install with --no-index."""
    folder.mkdir(parents=True, exist_ok=True)
    step("wheelhouse", f"writing the course's wheels and every dependency into {folder}")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    for args in (["wheel", "-q", "-w", str(folder), f"{ROOT}[lab]"],             # the course, JupyterLab, all they need
                 ["wheel", "-q", "-w", str(folder), "setuptools>=68", "wheel"]):  # to build from the folder too
        run = subprocess.run(pip + args, cwd=ROOT, capture_output=True, text=True)
        _print_without_noise(run.stdout + run.stderr)
        if run.returncode != 0:
            print(f"*** FAILED at step: pip {' '.join(args[:1])} into {folder}", flush=True)
            return 1
    wheels = sorted(folder.glob("*.whl"))
    step("wheelhouse", f"{len(wheels)} wheels in {folder}. In the lab room, with no network:")
    print(f"          python -m pip install --no-index --find-links {folder} \"alliance-course[lab]\"", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_setup = sub.add_parser("setup", help="create or refresh .venv")
    p_setup.add_argument("what", nargs="?", default="runtime", choices=sorted(INSTALLS))
    p_lab = sub.add_parser("lab", help="open the course in JupyterLab")
    p_lab.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8888") or 8888))
    sub.add_parser("check", help="the fast loop: ruff, import contracts, unit tests (extra arguments go to pytest)")
    sub.add_parser("test", help="run every test layer (extra arguments go to pytest)")
    p_wheel = sub.add_parser("wheelhouse", help="write every wheel the course needs into a folder")
    p_wheel.add_argument("folder", nargs="?", default="wheelhouse")
    args, rest = parser.parse_known_args(argv)
    if rest and args.command not in ("test", "check"):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        if args.command == "setup":
            setup(args.what)
            return 0
        if args.command == "lab":
            return lab(args.port)
        if args.command in ("test", "check"):
            return test(rest, fast=args.command == "check")
        return wheelhouse(Path(args.folder).resolve())
    except StepFailed as failure:
        print(f"\n*** FAILED at step: {failure}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
