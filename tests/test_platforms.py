"""The cross-platform entry points (course.py) and the offline lab-room install (wheelhouse).

``make lab`` and ``make test`` call ``course.py``, so every ``make test`` already runs ``course.py setup test`` and
``course.py test``; these tests add what that run cannot show: the per-OS details, the lab launcher, and an install
from a folder of wheels on a machine with no network at all (a network namespace with only a loopback interface).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import count_runs  # noqa: E402


def _load_course():
    spec = importlib.util.spec_from_file_location("course_cli", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


course = _load_course()


def test_venv_python_is_per_os(monkeypatch, tmp_path):
    monkeypatch.setattr(course.os, "name", "nt")
    assert course.venv_python(tmp_path) == tmp_path / "Scripts" / "python.exe"
    monkeypatch.setattr(course.os, "name", "posix")
    assert course.venv_python(tmp_path) == tmp_path / "bin" / "python"


@pytest.mark.parametrize("env, platform, expected", [
    ({}, "linux", False),                          # a Linux server without a display
    ({"DISPLAY": ":0"}, "linux", True),
    ({"DISPLAY": ":0", "CI": "true"}, "linux", False),
    ({"SSH_CONNECTION": "1 2 3 4"}, "darwin", False),
    ({}, "darwin", True),                          # macOS and Windows have a desktop browser
    ({}, "win32", True),
])
def test_browser_only_where_there_is_one(env, platform, expected):
    assert course.wants_browser(env, platform) is expected


def test_stamp_follows_the_pyproject_hash(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    venv = tmp_path / ".venv"
    venv.mkdir()
    assert not course.is_up_to_date("runtime", venv, tmp_path)
    (venv / ".course-installed-test").write_text(course.pyproject_hash(tmp_path) + "\n")
    assert course.is_up_to_date("runtime", venv, tmp_path)      # a test install serves a runtime request
    assert course.is_up_to_date("test", venv, tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '2'\n")
    assert not course.is_up_to_date("test", venv, tmp_path)     # a changed pyproject means reinstall


def test_unknown_commands_get_a_usage_message(capsys):
    with pytest.raises(SystemExit) as exit_info:
        course.main(["setup", "everything"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        course.main(["lab", "--no-such-option"])


def test_the_installed_environment_is_up_to_date():
    """``make test`` ran ``course.py setup test`` before the tests: it must have left its stamp."""
    assert course.is_up_to_date("test")
    assert course.venv_python().exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.server
def test_lab_opens_the_course_on_start_here(tmp_path):
    port = _free_port()
    env = dict(os.environ, CI="true", JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    proc = subprocess.Popen([sys.executable, str(ROOT / "course.py"), "lab", "--port", str(port)], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 90
        url = None
        while time.monotonic() < deadline and url is None:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = re.search(rf"(http://127\.0\.0\.1:{port}/\S+token=\S+)", line)
            if match:
                url = match.group(1)
        assert url, "JupyterLab printed no URL:\n" + "".join(lines)
        assert "lab/tree/notebooks/00-start-here.ipynb" in url
        token = url.split("token=")[1]
        names: set[str] = set()
        while time.monotonic() < deadline and not names:   # the URL can be printed just before the port listens
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}",
                                            timeout=10) as answer:
                    names = {item["name"] for item in json.load(answer)["content"]}
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        assert "00-start-here.ipynb" in names
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# --- The offline lab room -------------------------------------------------------------------------------------------

NETNS = f"course-offline-{os.getpid()}"


def _offline_tools_missing() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "needs root to create a network namespace"
    if not shutil.which("ip"):
        return "needs `ip` from Debian's iproute2 (.ci/run installs it)"
    return None


@pytest.fixture(scope="module")
def no_network():
    """A network namespace with only a loopback interface: nothing outside this machine can be reached."""
    missing = _offline_tools_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the offline install test {missing}")
        pytest.skip(missing)
    subprocess.run(["ip", "netns", "add", NETNS], check=True)
    try:
        subprocess.run(["ip", "netns", "exec", NETNS, "ip", "link", "set", "lo", "up"], check=True)
        yield ["ip", "netns", "exec", NETNS]
    finally:
        subprocess.run(["ip", "netns", "delete", NETNS], check=False)


@pytest.mark.offline
def test_a_lab_room_installs_from_a_wheelhouse_with_no_network(tmp_path, no_network):
    """Also lesson 03's robustness run (see test_robustness.RUN_ELSEWHERE)."""
    wheels = tmp_path / "wheelhouse"
    built = subprocess.run([sys.executable, str(ROOT / "course.py"), "wheelhouse", str(wheels)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "is ignored: it is neither" not in built.stdout      # pip's mirror noise is hidden
    assert any(w.name.startswith("alliance_course-") for w in wheels.glob("*.whl"))

    # The course folder as a learner has it (what git tracks), away from this checkout.
    course_dir = tmp_path / "course"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if name.startswith(("notebooks/", "data/")) or name in ("pyproject.toml", "README.md", "LICENSE"):
            (course_dir / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, course_dir / name)
    (course_dir / "src").mkdir()
    shutil.copytree(ROOT / "src" / "alliance_course", course_dir / "src" / "alliance_course",
                    ignore=shutil.ignore_patterns("__pycache__"))

    venv = tmp_path / "room-venv"
    base_python = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base_python, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")

    # Prove the namespace really has no network before trusting the install below.
    probe = subprocess.run([*no_network, python, "-c",
                            "import socket; socket.create_connection(('pypi.org', 443), timeout=3)"],
                           capture_output=True, text=True)
    assert probe.returncode != 0

    install = subprocess.run([*no_network, python, "-m", "pip", "install", "--disable-pip-version-check", "-q",
                              "--no-index", "--find-links", str(wheels), "alliance-course[lab]"],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr
    # The course folder itself also builds offline (the build backend is in the wheelhouse).
    source_build = subprocess.run([*no_network, python, "-m", "pip", "wheel", "--disable-pip-version-check", "-q",
                                   "--no-index", "--find-links", str(wheels), "--no-deps", "-w",
                                   str(tmp_path / "built"), str(course_dir)],
                                  capture_output=True, text=True, timeout=300)
    assert source_build.returncode == 0, source_build.stdout + source_build.stderr

    # The package finds the course from a notebook's folder, with no ALLIANCE_COURSE_ROOT (as on each room PC).
    env = {k: v for k, v in os.environ.items() if k != "ALLIANCE_COURSE_ROOT"}
    env.update(MPLBACKEND="Agg", ALLIANCE_COURSE_PROGRESS=str(tmp_path / "progress.json"))
    found = subprocess.run([*no_network, python, "-c", "from alliance_course import paths; print(paths.course_root())"],
                           cwd=course_dir / "notebooks", env=env, capture_output=True, text=True, timeout=120)
    assert found.returncode == 0 and found.stdout.strip() == str(course_dir.resolve()), found.stdout + found.stderr

    # Lesson 03's robustness run (test_robustness.RUN_ELSEWHERE): twice in a row in one kernel of the installed
    # environment, from another folder, with the network really gone.
    from test_robustness import RUN_ELSEWHERE

    [lesson] = [name for name, where in RUN_ELSEWHERE.items() if "offline" in where]
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    runner = tmp_path / "run_twice.py"
    runner.write_text(RUN_TWICE, encoding="utf-8")
    for _ in range(2):  # for `make count-runs` (does nothing otherwise)
        count_runs.record(ROOT / "notebooks" / lesson, "offline")
    run = subprocess.run([*no_network, python, str(runner), str(course_dir / "notebooks" / lesson)], cwd=elsewhere,
                         env=dict(env, ALLIANCE_COURSE_ROOT=str(course_dir)), capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1] == "ran twice, no errors", run.stdout


# Runs a notebook twice in one kernel with nbclient (in the room's own environment) and reports error outputs.
RUN_TWICE = """
import sys
import nbformat
from nbclient import NotebookClient

nb = nbformat.read(sys.argv[1], as_version=4)
client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True)
with client.setup_kernel():
    for run in (1, 2):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        errors = [f"cell {i}: {o.get('ename')}: {o.get('evalue')}" for i, c in enumerate(nb.cells)
                  for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            print(f"run {run}:", *errors, sep="\\n")
            sys.exit(1)
print("ran twice, no errors")
"""


# --- Binder ---------------------------------------------------------------------------------------------------------

def test_binder_builds_the_runtime_environment_from_environment_yml(monkeypatch):
    """repo2docker's own build plan for this repository: the conda build pack, the course copied in before
    ``environment.yml`` is applied (its ``-e .`` needs the source), and nothing else that would override it."""
    from repo2docker.app import Repo2Docker
    from repo2docker.buildpacks import CondaBuildPack

    monkeypatch.chdir(ROOT)
    app = Repo2Docker()
    picked = None
    for pack_class in app.buildpacks:                   # the order repo2docker itself tries them in
        pack = pack_class(app.base_image)
        if pack.detect():
            picked = pack
            break
    assert isinstance(picked, CondaBuildPack), f"repo2docker would use {type(picked).__name__}"
    picked.platform = "linux/amd64"
    dockerfile = picked.render({})
    lines = dockerfile.splitlines()
    copy_repo = next(i for i, line in enumerate(lines) if line.startswith("COPY") and "${REPO_DIR}" in line)
    env_update = next(i for i, line in enumerate(lines) if 'env update' in line and 'environment.yml' in line)
    assert copy_repo < env_update
    env_text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "- -e ." in env_text and "jupyterlab" in env_text


def test_readme_has_a_binder_launch_link_that_opens_start_here():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"https://mybinder\.org/v2/\S+", readme)
    assert links and all("urlpath=lab/tree/notebooks/00-start-here.ipynb" in link for link in links)


def test_start_here_warns_that_binder_progress_ends_with_the_session():
    nb = json.loads((ROOT / "notebooks" / "00-start-here.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Binder" in text and "progress.export" in text


# --- The classroom quiz page ----------------------------------------------------------------------------------------

def test_learner_file_names_fold_case_spacing_and_accents():
    from alliance_course.quiz_app import learner_file_name

    assert learner_file_name("Ana Novak") == learner_file_name("  ana   NOVAK ") == "ana-novak.json"
    assert learner_file_name("Zoë Ćosić") == "zoe-cosic.json"
    assert learner_file_name("../../etc/passwd") == "etc-passwd.json"     # never a path outside the folder
    assert learner_file_name("李") == "anonymous.json"


@pytest.mark.server
def test_quiz_app_takes_the_next_free_port_and_prints_the_real_address(tmp_path):
    import glob
    import tempfile

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        before = set(glob.glob(os.path.join(tempfile.gettempdir(), "alliance-quiz-*")))
        proc = subprocess.Popen([sys.executable, "-m", "alliance_course", "quiz-app", "00", "--port", str(taken),
                                 "--records", str(tmp_path / "records")], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True,
                                env=dict(os.environ, ALLIANCE_COURSE_ROOT=str(ROOT)))
        try:
            lines = []
            url = None
            deadline = time.monotonic() + 60
            while url is None and time.monotonic() < deadline:
                line = proc.stdout.readline()
                if not line:
                    break
                lines.append(line)
                match = re.search(r"learners open (http://\S+)", line)
                url = match.group(1) if match else None
            assert url, "".join(lines)
            assert f"port {taken} is taken" in "".join(lines)
            port = int(url.rsplit(":", 1)[1].strip("/"))
            assert port != taken
            answered = False
            while not answered and time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(url, timeout=5) as page:
                        answered = page.status == 200
                except OSError:
                    assert proc.poll() is None, "".join(lines) + proc.stdout.read()
                    time.sleep(0.3)
            assert answered
        finally:
            os.kill(proc.pid, signal.SIGTERM)          # the wrapper stops Voilà and removes its temporary folder
            proc.wait(timeout=30)
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "alliance-quiz-*"))) <= before
    assert (tmp_path / "records").is_dir()


def test_quiz_app_listens_where_it_is_told():
    from alliance_course.quiz_app import addresses, voila_command

    assert "--Voila.ip=0.0.0.0" in voila_command(Path("q.ipynb"), 8866, "0.0.0.0")
    assert "--Voila.port_retries=0" in voila_command(Path("q.ipynb"), 8866)
    assert addresses("127.0.0.1", 8866) == ["http://127.0.0.1:8866/"]
    assert all(url.endswith(":8866/") for url in addresses("0.0.0.0", 8866))
