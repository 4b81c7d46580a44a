"""Serve one notebook's quiz as a standalone page with Voilà, for classroom use (``make quiz-app NB=02``).

Voilà renders a notebook's outputs without its code. The page it serves is a small generated notebook that only
shows the title and the quiz of lesson ``NN``; learners answer in the browser and their results are saved to the
progress file of the account that runs the server (on a shared machine, run one server per learner or use
JupyterHub instead).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from .course import by_number


def quiz_notebook(number: str) -> nbformat.NotebookNode:
    """The notebook Voilà renders for lesson ``number``'s quiz."""
    lesson = by_number(number)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# Quiz {lesson.number} · {lesson.title}\n\n*{lesson.question}*\n\n"
                                      "Choose an answer and press **Submit**; a wrong answer tells you why and "
                                      "lets you try again."),
        nbformat.v4.new_code_cell(f'from alliance_course import quiz\n\nquiz.show("{lesson.number}")'),
    ]
    return nb


def write_quiz_notebook(number: str, folder: Path) -> Path:
    lesson = by_number(number)
    path = folder / f"quiz-{lesson.number}.ipynb"
    nbformat.write(quiz_notebook(number), path)
    return path


def voila_command(notebook: Path, port: int) -> list[str]:
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or "voila"
    return [voila, str(notebook), f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1",
            "--theme=light", "--strip_sources=True"]


def serve(number: str, port: int = 8866) -> int:
    """Run Voilà in the foreground until Ctrl-C; returns its exit status."""
    try:
        by_number(number)
    except KeyError as exc:
        print(exc.args[0])
        return 2
    if shutil.which("voila", path=str(Path(sys.executable).parent)) is None and shutil.which("voila") is None:
        print("Voilà is not installed. Run `make quiz-app` (it installs it), or `pip install voila`.")
        return 2
    with tempfile.TemporaryDirectory(prefix="alliance-quiz-") as tmp:
        notebook = write_quiz_notebook(number, Path(tmp))
        print(f"==> [quiz-app] open http://127.0.0.1:{port}/ in a browser (Ctrl-C stops the server)")
        try:
            return subprocess.call(voila_command(notebook, port), env=dict(os.environ))
        except KeyboardInterrupt:
            return 0
