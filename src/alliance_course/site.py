"""The course website: the executed lessons, their quizzes answerable in the browser, and the data tables.

    python -m alliance_course site [--out _site] [--lessons 00,02] [--repo URL] [--hub URL]   (``make site``)

Built offline with Sphinx and MyST-NB (the engine of Jupyter Book 1, as QuantEcon's lectures use it): MyST-NB
executes every lesson in a fresh kernel and renders its outputs; ``sphinx-book-theme`` gives the book layout and
the launch buttons (Binder, and a JupyterHub through nbgitpuller). Quizzes need no kernel on the website: a hidden
first cell makes ``quiz.show``/``warmup``/``ask`` render the same YAML banks with jupyterquiz (client-side JavaScript)
for the single-, multiple-choice, true/false and numeric questions, and as text with a "show the answer" box for
ordering and sorting questions, which jupyterquiz does not have. Each data table gets a page with its rows, its
columns' meaning and its sources.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import paths
from .course import LESSONS
from .quiz.text import inline_html

SITE_FLAG = "remove-cell"
PLACEHOLDER_REPO = "https://github.com/OWNER/REPOSITORY"
PLACEHOLDER_HUB = "https://hub.example.edu"


# --- Quizzes without a kernel ---------------------------------------------------------------------------------------

def _inline(text: str) -> str:
    """Bank text (plain with `code` spans and *emphasis*) as safe HTML, on one line."""
    return inline_html(" ".join(str(text).split()))


RIGHT, WRONG = "✓ Correct. ", "✗ Not quite. "  # words and a symbol, never colour alone


def _with_explanation(feedback: str, question: Any) -> str:
    explanation = getattr(question, "explanation", "")
    return RIGHT + _inline(feedback) + (" " + _inline(explanation) if explanation else "")


def _wrong(feedback: str) -> str:
    return WRONG + _inline(feedback)


def to_jupyterquiz(question: Any) -> dict[str, Any] | None:
    """One bank question in jupyterquiz's JSON format, or None where jupyterquiz has no such type."""
    kind = question.type
    if kind in ("single", "multiple"):
        return {"question": _inline(question.prompt),
                "type": "multiple_choice" if kind == "single" else "many_choice",
                "answers": [{"answer": _inline(option.text), "correct": bool(option.correct),
                             "feedback": (_with_explanation(option.feedback, question) if option.correct
                                          else _wrong(option.feedback))}
                            for option in question.options]}
    if kind == "truefalse":
        return {"question": _inline(question.prompt), "type": "multiple_choice",
                "answers": [{"answer": "True", "correct": question.answer is True,
                             "feedback": (_with_explanation(question.feedback_true, question) if question.answer
                                          else _wrong(question.feedback_true))},
                            {"answer": "False", "correct": question.answer is False,
                             "feedback": (_wrong(question.feedback_false) if question.answer
                                          else _with_explanation(question.feedback_false, question))}]}
    if kind == "numeric":
        answers: list[dict[str, Any]] = []
        if question.value is not None:
            tolerance = float(question.tolerance or 0)
            if tolerance:
                answers.append({"type": "range", "range": [question.value - tolerance, question.value + tolerance],
                                "correct": True,
                                "feedback": _with_explanation(question.correct_feedback or "Correct.", question)})
            else:
                answers.append({"type": "value", "value": question.value, "correct": True,
                                "feedback": _with_explanation(question.correct_feedback or "Correct.", question)})
        for wrong in question.wrong_values:
            answers.append({"type": "value", "value": wrong.value, "correct": False,
                            "feedback": _wrong(wrong.feedback)})
        for band in question.ranges:
            answers.append({"type": "range", "range": [band.min, band.max], "correct": bool(band.correct),
                            "feedback": (_with_explanation(band.feedback, question) if band.correct
                                         else _wrong(band.feedback))})
        answers.append({"type": "default", "feedback": _wrong(question.other_feedback)})
        return {"question": _inline(question.prompt) + (f" ({_inline(question.unit)})" if question.unit else ""),
                "type": "numeric", "precision": 6, "answers": answers}
    return None


def as_text(question: Any) -> str:
    """An ordering or sorting question as HTML text, with its answer folded away."""
    if question.type == "order":
        items = "".join(f"<li>{_inline(step.text)}</li>" for step in sorted(question.steps, key=lambda s: s.text))
        answer = "".join(f"<li>{_inline(step.text)}</li>" for step in question.steps)
        body = f"<p>Put these in order:</p><ul>{items}</ul>"
        reveal = f"<ol>{answer}</ol>"
    else:
        items = "".join(f"<li>{_inline(item.text)}</li>" for item in sorted(question.items, key=lambda i: i.text))
        body = f"<p>Sort each item into its group:</p><ul>{items}</ul>"
        reveal = "<ul>" + "".join(f"<li>{_inline(item.text)} → <b>{_inline(item.group)}</b></li>"
                                  for item in question.items) + "</ul>"
    return (f'<div class="course-text-question"><p><b>{_inline(question.prompt)}</b></p>{body}'
            f"<details><summary>Show the answer</summary>{reveal}<p>{_inline(question.explanation)}</p></details>"
            "</div>")


def _display_questions(questions: list[Any]) -> None:
    from IPython.display import HTML, display
    from jupyterquiz import display_quiz

    batch: list[dict[str, Any]] = []
    for question in questions:
        converted = to_jupyterquiz(question)
        if converted is not None:
            batch.append(converted)
            continue
        if batch:
            display_quiz(batch, shuffle_answers=True)
            batch = []
        display(HTML(as_text(question)))
    if batch:
        display_quiz(batch, shuffle_answers=True)


def use_static_quizzes() -> None:
    """In this kernel, make ``quiz.show``/``warmup``/``ask`` render for a website instead of as widgets."""
    from . import quiz

    def _scored(number: str, section: str) -> list[Any]:
        return [q for q in quiz.load_bank(number).questions if q.section == section]

    quiz.show = lambda number: _display_questions(_scored(number, "quiz"))
    quiz.warmup = lambda number: _display_questions(_scored(number, "warmup"))
    quiz.ask = lambda number, question_id: _display_questions(
        [q for q in quiz.load_bank(number).questions if q.id == question_id])


# --- The site's source folder ---------------------------------------------------------------------------------------

CONF = '''\
# Generated by `python -m alliance_course site`; edit alliance_course/site.py instead.
project = "Alliance or Coalition?"
author = "Alliance or Coalition? course authors"
copyright = "course content CC BY 4.0, code MIT"
extensions = ["myst_nb"]
html_theme = "sphinx_book_theme"
html_title = "Alliance or Coalition? NATO from Article 5 to Framework Nations"
exclude_patterns = ["_build"]
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
myst_enable_extensions = ["colon_fence"]
nb_ipywidgets_js = {}  # the website's quizzes are jupyterquiz's own JavaScript; no widget manager from a CDN
suppress_warnings = ["myst.xref_missing", "myst.header", "misc.highlighting_failure"]
html_theme_options = {
    "repository_url": REPO,
    "repository_branch": "main",
    "path_to_docs": "",
    "use_repository_button": True,
    "launch_buttons": {"binderhub_url": "https://mybinder.org", "jupyterhub_url": HUB,
                       "notebook_interface": "jupyterlab"},
}
'''


def launch_links(repo: str, hub: str, notebook: str = "notebooks/00-start-here.ipynb") -> dict[str, str]:
    """Binder and nbgitpuller links that open ``notebook`` from the repository ``repo``."""
    from urllib.parse import quote

    owner_repo = re.sub(r"^https?://github\.com/", "", repo.rstrip("/")).removesuffix(".git")
    folder = owner_repo.rsplit("/", 1)[-1]
    return {
        "Binder": f"https://mybinder.org/v2/gh/{owner_repo}/HEAD?urlpath=lab/tree/{notebook}",
        "JupyterHub": (f"{hub.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(repo, safe='')}"
                       f"&branch=main&urlpath={quote(f'lab/tree/{folder}/{notebook}', safe='')}"),
    }


def _index_page(repo: str, hub: str, notebooks: list[Path]) -> str:
    links = launch_links(repo, hub)
    placeholder = ("\n\n*These links point at placeholders: build the site with `--repo` (and `--hub`) set to where "
                   "the course is published.*" if PLACEHOLDER_REPO in repo or PLACEHOLDER_HUB in hub else "")
    toc = "\n".join(f"notebooks/{path.stem}" for path in notebooks)
    return f"""# Alliance or Coalition? NATO from Article 5 to Framework Nations

An open Jupyter course in ten notebooks, from the difference between a military **alliance** and a **coalition of
the willing** to how NATO works today. These pages show every lesson already run; the quizzes answer in your browser
(nothing is saved here). To run the code, change the simulations and keep your progress, open the course in
JupyterLab:

- [Open in Binder]({links["Binder"]}) (nothing to install; progress ends with the session: export it first)
- [Open on your JupyterHub]({links["JupyterHub"]}) (nbgitpuller copies the course into your home folder)
- On your own computer: download the course and run `make lab` (or `python course.py lab`).{placeholder}

The [data tables](data/index.md) behind the lessons are browsable with their sources.

```{{toctree}}
:maxdepth: 1
:caption: Lessons

{toc}
```

```{{toctree}}
:maxdepth: 1
:caption: Data

data/index
```
"""


def _data_pages(folder: Path) -> None:
    from . import data

    folder.mkdir(parents=True, exist_ok=True)
    package = json.loads((paths.course_root() / "data" / "datapackage.json").read_text(encoding="utf-8"))
    names = [resource["name"] for resource in package["resources"]]
    rows = []
    for resource in package["resources"]:
        name = resource["name"]
        title = resource.get("title", name)
        rows.append(f"| [{title}]({name}.md) | `{name}` | {' '.join(resource.get('description', '').split())} |")
        table = data.load(name)
        schema = resource.get("schema")
        if isinstance(schema, str):
            schema = json.loads((paths.course_root() / "data" / schema).read_text(encoding="utf-8"))
        fields = "\n".join(f"| `{f['name']}` | {f.get('type', '')} | {' '.join(f.get('description', '').split())} |"
                           for f in (schema or {}).get("fields", []))
        try:
            sources = data.cite(name)
        except Exception as error:  # noqa: BLE001 - a page without sources says why rather than failing the build
            sources = f"(sources unavailable: {error})"
        licences = ", ".join(lic.get("name", "") for lic in resource.get("licenses", package.get("licenses", [])))
        page = [f"# {title}", "", " ".join(resource.get("description", "").split()), "",
                f"`data.load(\"{name}\")` in the course · {len(table)} rows · licence {licences}", "",
                "## Columns", "", "| column | type | meaning |", "|---|---|---|", fields, "",
                "## Rows", "", "```{raw} html",
                table.to_html(index=False, na_rep="—", border=0, classes="course-data-table", escape=True),
                "```", "", "## Sources", "", "```text", str(sources), "```", ""]
        (folder / f"{name}.md").write_text("\n".join(page), encoding="utf-8")
    index = ["# The data tables", "",
             "Every fact the lessons use, as sourced tables (CSV with a Frictionless schema in the course's `data/` "
             "folder). Each page lists the table's columns, its rows and the sources its rows cite.", "",
             "| table | name | what it holds |", "|---|---|---|", *rows, "",
             "```{toctree}", ":hidden:", "", *names, "```", ""]
    (folder / "index.md").write_text("\n".join(index), encoding="utf-8")


def _site_notebook(source: Path, target: Path) -> None:
    """A lesson as the website shows it: a hidden first cell that switches quizzes to their browser form."""
    import nbformat

    nb = nbformat.read(source, as_version=4)
    setup = nbformat.v4.new_code_cell("from alliance_course import site as _site\n_site.use_static_quizzes()")
    setup.metadata["tags"] = [SITE_FLAG]
    for cell in nb.cells:
        if cell.cell_type == "code" and re.fullmatch(r"(\s*(from alliance_course import quiz|quiz\.\w+\(.*\))\s*)+",
                                                     cell.source):
            cell.metadata.setdefault("tags", []).append("remove-input")
    nb.cells.insert(0, setup)
    nbformat.write(nb, target)


def prepare(source_dir: Path, notebooks: list[Path], repo: str, hub: str) -> None:
    if source_dir.exists():
        shutil.rmtree(source_dir)
    (source_dir / "notebooks").mkdir(parents=True)
    (source_dir / "conf.py").write_text(f"REPO = {repo!r}\nHUB = {hub!r}\n" + CONF, encoding="utf-8")
    (source_dir / "index.md").write_text(_index_page(repo, hub, notebooks), encoding="utf-8")
    for path in notebooks:
        _site_notebook(path, source_dir / "notebooks" / path.name)
    _data_pages(source_dir / "data")


def lesson_paths(lessons: list[Any] | None = None) -> list[Path]:
    root = paths.course_root()
    return [root / "notebooks" / lesson.filename for lesson in (LESSONS if lessons is None else lessons)]


def build(out: Path, notebooks: list[Path] | None = None, repo: str = PLACEHOLDER_REPO, hub: str = PLACEHOLDER_HUB,
          work: Path | None = None) -> int:
    """Build the website from ``notebooks`` (default: every lesson) into ``out``; returns Sphinx's exit status."""
    notebooks = lesson_paths() if notebooks is None else notebooks
    work = work or paths.course_root() / "build" / "site-src"
    prepare(work, notebooks, repo, hub)
    print(f"==> [site] running {len(notebooks)} notebooks and building the website into {out} (offline)",
          flush=True)
    status = subprocess.call([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "1", str(work), str(out)],
                             env=_build_env())
    if status == 0:
        print(f"==> [site] done: open {out / 'index.html'}", flush=True)
    else:
        print("*** FAILED at step: building the website (see the messages above)", flush=True)
    return status


def _build_env() -> dict[str, str]:
    import os

    return dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline", PYDEVD_DISABLE_FILE_VALIDATION="1")


def main(argv: list[str] | None = None) -> int:
    import argparse

    from .course import by_number

    parser = argparse.ArgumentParser(prog="python -m alliance_course site", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(paths.course_root() / "_site"), help="output folder (default _site/)")
    parser.add_argument("--lessons", help="comma-separated lesson numbers (default: all)")
    parser.add_argument("--repo", default=PLACEHOLDER_REPO, help="the course's public git repository (launch links)")
    parser.add_argument("--hub", default=PLACEHOLDER_HUB, help="your JupyterHub's address (nbgitpuller link)")
    args = parser.parse_args(argv)
    try:
        lessons = [by_number(n.strip()) for n in args.lessons.split(",")] if args.lessons else None
    except KeyError as error:
        print(error.args[0])
        return 2
    return build(Path(args.out).resolve(), lesson_paths(lessons), args.repo, args.hub)
