"""Robustness: every learner notebook runs twice in a row in one kernel, from another working directory, with
the network cut off. This is also the suite's one kernel run of each lesson (apart from the browser tests): the
first pass is what nbval would check (every cell runs without an error), so ``make test`` does not run nbval on
notebooks/ as well. Two lessons are then exported to static HTML from this same run (``EXPORTED``), the
export-path check of test_static_export.py, without running them a third time.

Bad-input cases for each component live next to its unit tests (test_quiz_*, test_exercises*, test_data_loader,
test_progress); this module covers the notebooks as a whole.
"""

from __future__ import annotations


import nbformat
import pytest
from nbclient import NotebookClient

from alliance_course import export, paths
from alliance_course.course import LESSONS

from test_static_export import quiz_text_problems

ROOT = paths.course_root()
ALL_LESSONS = [ROOT / "notebooks" / lesson.filename for lesson in LESSONS
               if (ROOT / "notebooks" / lesson.filename).exists()]
# Four lessons get this run (twice in one kernel, network cut off) where a class really meets them, so that no
# notebook runs more than three times per `make test`: three JupyterHub learners each run one lesson in their own
# kernel, started in the course folder nbgitpuller pulled into their home (tests/test_hub.py), and a lab room runs
# one from a wheelhouse install with the network really gone (tests/test_platforms.py, a network namespace).
RUN_ELSEWHERE = {
    "00-start-here.ipynb": "tests/test_hub.py (learner ana)",
    "01-alliance-or-coalition.ipynb": "tests/test_hub.py (learner ben)",
    "02-nato-as-an-alliance.ipynb": "tests/test_hub.py (learner chloe)",
    "03-coalitions-of-the-willing.ipynb": "tests/test_platforms.py (offline lab room)",
}
NOTEBOOKS = [path for path in ALL_LESSONS if path.name not in RUN_ELSEWHERE]
IDS = [path.stem for path in NOTEBOOKS]
EXPORTED = {"04-out-of-area.ipynb", "05-force-generation.ipynb"}  # a chart-heavy lesson, and one full of widgets

# Run first in the kernel: any attempt to reach a host other than this machine raises, so a notebook that
# needs the network fails loudly here instead of in a classroom without Wi-Fi.
NETWORK_GUARD = r'''
import socket as _socket
_LOCAL = ("127.", "::1", "localhost", "0.0.0.0")
def _guard(address):
    host = address[0] if isinstance(address, tuple) else str(address)
    if not isinstance(host, str) or not host.startswith(_LOCAL):
        raise OSError(f"network access attempted during an offline test: {address!r}")
_connect, _create, _getaddrinfo = _socket.socket.connect, _socket.create_connection, _socket.getaddrinfo
def _guarded_connect(self, address):
    if self.family in (_socket.AF_INET, _socket.AF_INET6):
        _guard(address)
    return _connect(self, address)
def _guarded_create(address, *args, **kwargs):
    _guard(address)
    return _create(address, *args, **kwargs)
def _guarded_getaddrinfo(host, *args, **kwargs):
    _guard((host,))
    return _getaddrinfo(host, *args, **kwargs)
_socket.socket.connect, _socket.create_connection, _socket.getaddrinfo = (
    _guarded_connect, _guarded_create, _guarded_getaddrinfo)
'''


def test_every_lesson_gets_its_robustness_run_exactly_once():
    names = {path.name for path in ALL_LESSONS}
    assert set(RUN_ELSEWHERE) <= names, "RUN_ELSEWHERE names a lesson that does not exist"
    assert {path.name for path in NOTEBOOKS} | set(RUN_ELSEWHERE) == names
    assert not {path.name for path in NOTEBOOKS} & set(RUN_ELSEWHERE)
    assert EXPORTED <= {path.name for path in NOTEBOOKS}


def test_lessons_never_open_files_by_path():
    """Data comes only through the package (`data.load`), so a lesson cannot depend on its working directory; this
    holds for the lessons run elsewhere too, whose kernels start in the course's notebooks/ folder."""
    import re

    pattern = re.compile(r"\b(open|read_csv|read_json|read_excel|Path)\(\s*[\"']|\.\./")
    found = [f"{path.name}: {line.strip()}" for path in ALL_LESSONS
             for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"
             for line in cell.source.splitlines() if pattern.search(line)]
    assert not found, found


def _errors(nb: nbformat.NotebookNode) -> list[str]:
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_twice_offline_from_another_folder(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    client = NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(elsewhere)}})
    guard = nbformat.v4.new_code_cell(NETWORK_GUARD)
    check = nbformat.v4.new_code_cell("import os, socket\nprint(os.getcwd())\n"
                                      "try:\n    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
                                      "except OSError as exc:\n    print('blocked:', exc)")
    with client.setup_kernel():
        # nbclient stores each executed cell back at its index: run the two test cells at the end of the
        # notebook, then take them out again (run at index -1 they would overwrite the notebook's last cell).
        nb.cells += [guard, check]
        client.execute_cell(guard, len(nb.cells) - 2)
        client.execute_cell(check, len(nb.cells) - 1)
        del nb.cells[-2:]
        printed = "".join(o.get("text", "") for o in check.outputs)
        assert str(elsewhere) in printed and "blocked: network access attempted" in printed, printed
        for run in (1, 2):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
            assert not _errors(nb), f"{path.name}, run {run}: {_errors(nb)}"
    if path.name in EXPORTED:
        nb.metadata.pop("widgets", None)
        assert quiz_text_problems(export.to_html(nb), path.name[:2]) == []
