"""Serve one notebook's quiz as a standalone page with Voilà, for a classroom (``make quiz-app NB=02``).

Voilà renders a notebook's outputs without its code, and starts one kernel per visitor. The page it serves is a
small generated notebook: it asks the visitor's name, then shows lesson ``NN``'s quiz, with the options in that
visitor's own order (seeded by the name, as a learner's account seeds it in JupyterLab). Each visitor's answers go
to their own progress file, ``<records folder>/<name>.json``, so the instructor can run
``python -m alliance_course report <records folder>`` on the folder afterwards.

    python -m alliance_course quiz-app 02                        this computer only (127.0.0.1)
    python -m alliance_course quiz-app 02 --ip 0.0.0.0           everyone on the room's network
    python -m alliance_course quiz-app 02 --port 9000 --records ~/quiz-02

The server takes the first free port from ``--port`` on and prints the address it really listens on.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import nbformat

from .course import by_number

DEFAULT_PORT = 8866
PORT_TRIES = 20


def learner_file_name(name: str) -> str:
    """A file name for a visitor's records: the name folded to lower-case ASCII words joined by dashes.

    Two visitors who type the same name (in any case or spacing) share one file, as one learner would.
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60]
    return f"{slug or 'anonymous'}.json"


# The page's only code cell. It runs in the visitor's own kernel; nothing about grading lives here.
_PAGE_CODE = '''\
import os
from pathlib import Path

import ipywidgets as widgets
from IPython.display import display

from alliance_course.quiz_app import learner_file_name

RECORDS = Path({records!r})
name = widgets.Text(description="Your name", placeholder="e.g. Ana Novak",
                    style={{"description_width": "initial"}})
start = widgets.Button(description="Start the quiz", button_style="primary")
message = widgets.HTML()
area = widgets.Output()


def begin(_button):
    learner = name.value.strip()
    if not learner or len(learner) > 100:
        message.value = "Please type your name (up to 100 characters), then press <b>Start the quiz</b>."
        return
    os.environ["ALLIANCE_COURSE_PROGRESS"] = str(RECORDS / learner_file_name(learner))
    os.environ["ALLIANCE_QUIZ_SEED"] = learner  # each visitor sees the options in their own order
    from alliance_course import progress, quiz

    progress.set_learner(learner)
    name.disabled = start.disabled = True
    message.value = f"Answers are saved for <b>{{learner}}</b>."
    with area:
        quiz.show({number!r})


start.on_click(begin)
display(widgets.VBox([widgets.HBox([name, start]), message, area]))
'''


def quiz_notebook(number: str, records: Path) -> nbformat.NotebookNode:
    """The notebook Voilà renders for lesson ``number``'s quiz, saving to ``records``."""
    lesson = by_number(number)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# Quiz {lesson.number} · {lesson.title}\n\n*{lesson.question}*\n\n"
                                      "Type your name and press **Start the quiz**. Choose an answer and press "
                                      "**Submit**; a wrong answer tells you why and lets you try again."),
        nbformat.v4.new_code_cell(_PAGE_CODE.format(records=str(records), number=lesson.number)),
    ]
    return nb


def write_quiz_notebook(number: str, folder: Path, records: Path | None = None) -> Path:
    lesson = by_number(number)
    path = folder / f"quiz-{lesson.number}.ipynb"
    nbformat.write(quiz_notebook(number, (records or folder / "records").resolve()), path)
    return path


def voila_command(notebook: Path, port: int, ip: str = "127.0.0.1") -> list[str]:
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or "voila"
    # port_retries=0: this wrapper picks the free port itself, so the address it prints is the one Voilà uses.
    return [voila, str(notebook), f"--port={port}", "--no-browser", f"--Voila.ip={ip}", "--Voila.port_retries=0",
            "--theme=light", "--strip_sources=True"]


def free_port(ip: str, start: int, tries: int = PORT_TRIES) -> int | None:
    """The first port from ``start`` on that nothing listens on at ``ip``, or None."""
    for port in range(start, start + tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((ip, port))
            except OSError:
                continue
            return port
    return None


def addresses(ip: str, port: int) -> list[str]:
    """The addresses learners can open: this computer's name and IPv4 addresses when serving on every interface."""
    if ip not in ("0.0.0.0", ""):
        return [f"http://{ip}:{port}/"]
    hosts = [socket.gethostname()]
    try:
        hosts += sorted({info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
                         if not info[4][0].startswith("127.")})
    except OSError:
        pass
    return [f"http://{host}:{port}/" for host in hosts]


def serve(number: str, port: int = DEFAULT_PORT, ip: str = "127.0.0.1", records: str | os.PathLike[str] | None = None
          ) -> int:
    """Run Voilà in the foreground until Ctrl-C (or SIGTERM); returns its exit status."""
    try:
        lesson = by_number(number)
    except KeyError as exc:
        print(exc.args[0])
        return 2
    if shutil.which("voila", path=str(Path(sys.executable).parent)) is None and shutil.which("voila") is None:
        print("Voilà is not installed. Run `make quiz-app` (it installs it), or `pip install 'alliance-course[app]'`.")
        return 2
    chosen = free_port(ip, port)
    if chosen is None:
        print(f"No free port between {port} and {port + PORT_TRIES - 1} on {ip}: stop the other server or give "
              "another --port.")
        return 2
    if chosen != port:
        print(f"==> [quiz-app] port {port} is taken; using {chosen}")
    folder = Path(records or f"quiz-records-{lesson.number}").expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="alliance-quiz-") as tmp:
        notebook = write_quiz_notebook(lesson.number, Path(tmp), folder)
        for url in addresses(ip, chosen):
            print(f"==> [quiz-app] learners open {url}")
        print(f"==> [quiz-app] each learner's answers are saved in {folder}; afterwards run "
              f"`python -m alliance_course report {folder}`. Ctrl-C stops the server.")
        child = subprocess.Popen(voila_command(notebook, chosen, ip), env=dict(os.environ))
        previous = signal.signal(signal.SIGTERM, lambda *_: child.terminate())
        try:
            return child.wait()
        except KeyboardInterrupt:
            child.terminate()
            child.wait(timeout=15)
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
