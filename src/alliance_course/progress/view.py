"""The learner's dashboard: the summary as a readable table and a small bar chart (text outside a notebook)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from .._common import in_kernel
from .overview import summary
from .store import _store


def dashboard_table(table: pd.DataFrame) -> pd.DataFrame:
    """The summary with readable column names and "answered of total" text, for display."""
    def of(done: Any, total: Any) -> str:
        return f"{done} of {total}" if pd.notna(total) else f"{done}"

    return pd.DataFrame({
        "Notebook": [f"{number} · {title}" if title else number for number, title in table["title"].items()],
        "Quiz questions answered": [of(d, t) for d, t in zip(table["quiz_attempted"], table["quiz_questions"])],
        "Right on first try": table["quiz_first_try_correct"].to_list(),
        "Exercises checked": table["exercises_attempted"].to_list(),
        "Exercises correct": table["exercises_correct"].to_list(),
    }).set_index("Notebook")


def dashboard_figure(table: pd.DataFrame) -> Any:
    """A small horizontal bar chart: per notebook, quiz questions answered and right on the first try."""
    from matplotlib.figure import Figure

    from ..plots import PALETTE

    active = table[(table["quiz_attempted"] > 0) | (table["quiz_questions"].fillna(0) > 0)]
    labels = list(active.index)
    positions = list(range(len(labels)))
    figure = Figure(figsize=(6.4, 0.45 * len(labels) + 1.6), layout="constrained")
    axes = figure.add_subplot()
    blue, orange = PALETTE["blue"], PALETTE["orange"]
    axes.barh([p - 0.2 for p in positions], active["quiz_attempted"].astype(int), height=0.4, color=blue,
              label="answered")
    axes.barh([p + 0.2 for p in positions], active["quiz_first_try_correct"].astype(int), height=0.4,
              color=orange, hatch="//", edgecolor="black", linewidth=0.5, label="right on first try")
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xlabel("Quiz questions (count)")
    axes.set_ylabel("Notebook")
    axes.set_title("Your quiz progress by notebook")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="lower right", frameon=False)
    figure.supxlabel(f"Source: your progress file, as of {datetime.now():%d %B %Y}.", fontsize=8, x=0.01,
                     ha="left")
    return figure


def dashboard() -> None:
    """Show your progress: a table per notebook and a bar chart (text only outside a notebook)."""
    table = summary()
    readable = dashboard_table(table)
    path = _store().path
    answered = int(table["quiz_attempted"].sum()) + int(table["exercises_attempted"].sum())
    shell = in_kernel()
    if shell is None:
        print(readable.to_string())
        print(f"\nSaved in {path}.")
        return
    from IPython.display import Image, Markdown, display

    display(readable)
    if answered == 0:
        display(Markdown("Nothing answered yet: your results appear here as you take the quizzes."))
    elif (table["quiz_attempted"] > 0).any():
        import io

        figure = dashboard_figure(table)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100)
        sentence = ("The chart shows, for each notebook, how many quiz questions you have answered (blue) and "
                    "how many of those you got right on the first try (orange, hatched).")
        display(Image(data=buffer.getvalue(), format="png", alt=sentence))
        display(Markdown(sentence))
    display(Markdown(f"Saved in `{path}`."))
