"""A static HTML copy of a notebook, with the quizzes as text (``python -m alliance_course export-html NB``).

``jupyter nbconvert --to html --execute`` saves the live widgets' state into the page; such a page shows the
quizzes only with an internet connection (the widget manager comes from a CDN) and cannot answer clicks, because
there is no kernel. This export runs the notebook the same way, then drops the saved widget state, so every quiz
falls back to the plain HTML copy the quiz view always displays beside its widget (questions and options, and how
to answer them with ``quiz.answer``). The result is a page that works offline, prints well and can be posted on a
course website.

(Executing with ``store_widget_state=False`` would be the obvious route, but nbclient then fails on Output widgets
that receive output while a cell runs; keeping the state during execution and dropping it afterwards avoids that.)
"""

from __future__ import annotations

from pathlib import Path

import nbformat


def execute(path: Path, workdir: Path | None = None, timeout: int = 300) -> nbformat.NotebookNode:
    """Run the notebook at ``path`` in a fresh kernel and return it with its outputs, minus widget state."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir or Path(path).parent)}}).execute()
    nb.metadata.pop("widgets", None)
    return nb


def to_html(nb: nbformat.NotebookNode) -> str:
    from nbconvert import HTMLExporter

    html, _ = HTMLExporter().from_notebook_node(nb)
    return html


def export_html(path: Path, out: Path | None = None) -> Path:
    """Write ``<notebook>.html`` (or ``out``) and return its path."""
    path = Path(path)
    out = Path(out) if out else path.with_suffix(".html")
    out.write_text(to_html(execute(path)), encoding="utf-8")
    return out
