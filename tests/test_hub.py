"""A class on a real JupyterHub (marker ``hub``): three learners and an instructor.

JupyterHub from PyPI with configurable-http-proxy from npm, hub/jupyterhub_config.py (SimpleLocalProcessSpawner with
a home folder per user, DummyAuthenticator), single-user servers from .venv/hub-singleuser: the environment of
hub/requirements-singleuser.txt with the course installed from a wheel, not in editable mode. Each learner logs in,
spawns a server, follows the nbgitpuller link that pulls the course from a local git repository into their home and
opens 00-start-here, runs that lesson in their kernel, answers quiz items and hands in an export; their progress
must be their own, named after JUPYTERHUB_USER, and survive a restart of their server. The instructor collects the
hand-ins and runs the class report. Everything the hub started is stopped by process id.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

import hubdriver
from hubdriver import Hub, Learner

pytestmark = pytest.mark.hub

# Each learner answers quiz 00 differently: (question id, answer) in order.
ANSWERS = {
    "ana": [("run-top-to-bottom", "b")],
    "ben": [("run-top-to-bottom", "a"), ("run-top-to-bottom", "b")],
    "chloe": [("run-top-to-bottom", "c")],
}
INSTRUCTOR = "instructor"
READ_PROGRESS = ("import json\nfrom alliance_course import progress, paths\n"
                 "print(json.dumps({'path': str(progress.progress_path()), 'root': str(paths.course_root()),"
                 " 'records': progress.records()}))")


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    problems = hubdriver.missing_pieces()
    if problems:
        message = "the JupyterHub test cannot run: " + "; ".join(problems)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    workdir = tmp_path_factory.mktemp("hub")
    installed = hubdriver.install_course_wheel(workdir)
    assert "site-packages" in installed and str(hubdriver.ROOT / "src") not in installed, installed
    remote = hubdriver.make_course_remote(workdir)
    running = Hub(workdir)
    try:
        running.start()
        running.remote = remote
        yield running
    finally:
        running.track()
        started = set(running.known_pids)
        running.stop()
        survivors = [pid for pid in started if hubdriver.alive(pid)]
        assert not survivors, f"processes still running after the hub stopped: {survivors}"


def _progress(kernel) -> dict:
    out, errors = kernel.execute(READ_PROGRESS)
    assert not errors, errors
    return json.loads(out.strip().splitlines()[-1])


def test_a_class_on_jupyterhub(hub):
    learners = {}
    for name in ANSWERS:
        learner = Learner(hub, name)
        learner.log_in()
        learner.spawn()
        events = learner.follow_pull_link(hub.remote)
        assert events[-1]["phase"] == "finished"
        course = hub.home(name) / hubdriver.COURSE_REPO_NAME
        assert (course / "data" / "datapackage.json").is_file() and (course / ".git").is_dir()

        notebook = f"{hubdriver.COURSE_REPO_NAME}/{hubdriver.START_NOTEBOOK}"
        kernel = learner.open_notebook_kernel(notebook)
        # the lesson, top to bottom, in the learner's own kernel
        for code in learner.notebook_code_cells(notebook):
            _, errors = kernel.execute(code)
            assert not errors, f"{name}: {errors} in\n{code}"
        out, errors = kernel.execute("from alliance_course import paths, data\n"
                                     "import alliance_course, os\n"
                                     "print(paths.course_root(), alliance_course.__file__, len(data.tables()), "
                                     "os.environ['JUPYTERHUB_USER'], os.environ.get('ALLIANCE_COURSE_ROOT'))")
        assert not errors, errors
        root, package, tables, user, override = out.split()
        assert root == str(course.resolve())  # found from the notebook's folder, not from the package
        assert "site-packages" in package and int(tables) > 5
        assert user == name and override == "None"

        for question, response in ANSWERS[name]:
            _, errors = kernel.execute(f"from alliance_course import quiz\nquiz.answer('00', {question!r}, "
                                       f"{response!r})")
            assert not errors, errors
        _, errors = kernel.execute("import os\nfrom alliance_course import progress\n"
                                   "progress.export(to=os.environ['ALLIANCE_COURSE_HANDIN'])")
        assert not errors, errors
        learners[name] = (learner, kernel)

    expected_items = {name: {q for q, _ in answers} for name, answers in ANSWERS.items()}
    for name, (learner, kernel) in learners.items():
        state = _progress(kernel)
        path = hub.home(name) / ".local" / "share" / "alliance-course" / f"progress-{name}.json"
        assert state["path"] == str(path)
        assert path.is_file()
        assert {r["item"] for r in state["records"]} == expected_items[name]
        record = state["records"][0]
        assert record["attempts"] == len(ANSWERS[name])
        assert record["first_try_correct"] is (ANSWERS[name][0][1] == "b")
        on_disk = json.loads(path.read_text(encoding="utf-8"))
        assert on_disk["records"] == state["records"]
        # theirs alone: no other learner's progress in this home, and theirs in no other home
        files = sorted(p.name for p in (hub.state / "homes").glob("*/.local/share/alliance-course/progress*.json"))
        assert files.count(f"progress-{name}.json") == 1
        kernel.close()

    # their progress survives a restart of their server
    learner, _ = learners["ben"]
    learner.stop_server()
    learner.spawn()
    kernel = learner.open_notebook_kernel(f"{hubdriver.COURSE_REPO_NAME}/{hubdriver.START_NOTEBOOK}")
    state = _progress(kernel)
    assert [r["item"] for r in state["records"]] == ["run-top-to-bottom"]
    assert state["records"][0]["attempts"] == 2
    kernel.close()

    # hand-ins: readable by the instructor's account, one per learner
    handed_in = sorted(hub.handin.glob("alliance-course-progress-*.json"))
    assert [p.name.split("-")[3] for p in handed_in] == sorted(ANSWERS)
    assert all(p.stat().st_mode & 0o044 == 0o044 for p in handed_in)

    instructor = Learner(hub, INSTRUCTOR)
    instructor.log_in()
    instructor.spawn()
    kernel = instructor.open_notebook_kernel("class-report.ipynb")
    out, errors = kernel.execute(
        "import os, subprocess, sys\n"
        "run = subprocess.run([sys.executable, '-m', 'alliance_course', 'report', "
        "os.environ['ALLIANCE_COURSE_HANDIN'], '--out', 'class-report.png'], capture_output=True, text=True)\n"
        "print(run.returncode)\nprint(run.stdout)\nprint(run.stderr)")
    assert not errors, errors
    assert out.startswith("0\n"), out
    assert "3 learner(s)" in out, out
    for name in ANSWERS:
        assert name in out
    assert (hub.home(INSTRUCTOR) / "class-report.png").is_file()
    kernel.close()
