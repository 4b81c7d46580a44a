"""A class on a real JupyterHub (marker ``hub``): three learners and an instructor.

JupyterHub from PyPI with configurable-http-proxy from npm, hub/jupyterhub_config.py (SimpleLocalProcessSpawner with
a home folder per user, DummyAuthenticator), single-user servers from .venv/hub-singleuser: the environment of
hub/requirements-singleuser.txt with the course installed from a wheel, not in editable mode. Each learner logs in,
spawns a server, follows the nbgitpuller link that pulls the course from a local git repository into their home and
opens 00-start-here, runs a lesson in their kernel (each a different one: these are the lessons' robustness runs,
twice in one kernel with the network guard, see test_robustness.RUN_ELSEWHERE), answers quiz items and hands in an
export; their progress
must be their own, named after JUPYTERHUB_USER, and survive a restart of their server. The instructor collects the
hand-ins and runs the class report. Everything the hub started is stopped by process id.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

import hubdriver
from hubdriver import Hub, Learner
from test_robustness import NETWORK_GUARD, RUN_ELSEWHERE

pytestmark = pytest.mark.hub

# Each learner answers quiz 00 differently: (which single-choice question, right or wrong) in order. The question
# ids and letters are read from the bank in the learner's kernel, so editing the bank does not break the test.
# The lesson each learner runs: for these three lessons this is the suite's robustness run (twice in one kernel,
# network guarded), so that no notebook runs more than three times per `make test`.
LESSON_OF = {name: lesson for lesson, where in RUN_ELSEWHERE.items() for name in ("ana", "ben", "chloe")
             if where.endswith(f"(learner {name})")}
PLANS = {
    "ana": [(0, True)],
    "ben": [(0, False), (0, True), (1, True)],
    "chloe": [(1, False)],
}
# The letters of a right and a wrong option as this learner sees them: options are shuffled per learner, seeded by
# JUPYTERHUB_USER in the learner's own kernel.
SINGLES = ("from alliance_course import quiz\nimport json\n"
           "bank = quiz.load_bank('00').for_learner(quiz.learner_seed())\n"
           "print(json.dumps([[q.id, next(c for c, o in zip('abcdefgh', q.options) if o.correct),"
           " next(c for c, o in zip('abcdefgh', q.options) if not o.correct)]"
           " for q in bank if q.type == 'single'][:2]))")
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


def _one_learner(hub, name):
    """Everything one learner does in class; returns (learner, open kernel, the progress records expected)."""
    learner = Learner(hub, name)
    learner.log_in()
    learner.spawn()
    events = learner.follow_pull_link(hub.remote)
    assert events[-1]["phase"] == "finished"
    course = hub.home(name) / hubdriver.COURSE_REPO_NAME
    assert (course / "data" / "datapackage.json").is_file() and (course / ".git").is_dir()

    notebook = f"{hubdriver.COURSE_REPO_NAME}/notebooks/{LESSON_OF[name]}"
    kernel = learner.open_notebook_kernel(notebook)
    # the lesson, top to bottom, twice in a row in the learner's own kernel, with any connection to another host
    # refused (the lesson's robustness run)
    _, errors = kernel.execute(NETWORK_GUARD)
    assert not errors, errors
    out, errors = kernel.execute("import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
                                 "except OSError as exc:\n    print('blocked:', exc)")
    assert "blocked: network access attempted" in out, (out, errors)
    code_cells = learner.notebook_code_cells(notebook)
    for run in (1, 2):
        hubdriver.record_run(hub.home(name) / notebook, "hub")
        for code in code_cells:
            _, errors = kernel.execute(code)
            assert not errors, f"{name}, {LESSON_OF[name]} run {run}: {errors} in\n{code}"
    out, errors = kernel.execute("from alliance_course import paths, data\n"
                                 "import alliance_course, os\n"
                                 "print(paths.course_root(), alliance_course.__file__, len(data.tables()), "
                                 "os.environ['JUPYTERHUB_USER'], os.environ.get('ALLIANCE_COURSE_ROOT'))")
    assert not errors, errors
    root, package, tables, user, override = out.split()
    assert root == str(course.resolve())  # found from the notebook's folder, not from the package
    assert "site-packages" in package and int(tables) > 5
    assert user == name and override == "None"

    out, errors = kernel.execute(SINGLES)
    assert not errors, errors
    singles = json.loads(out.strip().splitlines()[-1])
    assert len(singles) == 2, "quiz 00 needs two single-choice questions for this test"
    expected: dict = {}
    for which, right in PLANS[name]:
        question, good, bad = singles[which]
        out, errors = kernel.execute(f"from alliance_course import quiz\nprint(quiz.answer('00', {question!r}, "
                                     f"{good if right else bad!r}).correct)")
        assert not errors, errors
        assert out.strip().splitlines()[-1] == str(right), out
        record = expected.setdefault(question, {"attempts": 0, "first_try_correct": right})
        record["attempts"] += 1
    _, errors = kernel.execute("import os\nfrom alliance_course import progress\n"
                               "progress.export(to=os.environ['ALLIANCE_COURSE_HANDIN'])")
    assert not errors, errors
    return learner, kernel, expected


def test_a_class_on_jupyterhub(hub):
    # the class arrives together: three learners at once, each in a thread of their own
    with ThreadPoolExecutor(max_workers=len(PLANS)) as pool:
        futures = {name: pool.submit(_one_learner, hub, name) for name in PLANS}
        done = {name: future.result() for name, future in futures.items()}
    learners = {name: (learner, kernel) for name, (learner, kernel, _) in done.items()}
    expected = {name: wanted for name, (_, _, wanted) in done.items()}

    for name, (_learner, kernel) in learners.items():
        state = _progress(kernel)
        path = hub.home(name) / ".local" / "share" / "alliance-course" / f"progress-{name}.json"
        assert state["path"] == str(path)
        assert path.is_file()
        got = {r["item"]: {"attempts": r["attempts"], "first_try_correct": r["first_try_correct"]}
               for r in state["records"]}
        assert got == expected[name], name
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
    assert {r["item"]: r["attempts"] for r in state["records"]} == \
        {item: record["attempts"] for item, record in expected["ben"].items()}
    kernel.close()

    # hand-ins: readable by the instructor's account, one per learner
    handed_in = sorted(hub.handin.glob("alliance-course-progress-*.json"))
    assert [p.name.split("-")[3] for p in handed_in] == sorted(PLANS)
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
    for name in PLANS:
        assert name in out
    assert (hub.home(INSTRUCTOR) / "class-report.png").is_file()
    kernel.close()
