"""The chart of the weakest items, and writing the report's files safely (never through a planted link)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pandas as pd

from .items import MIN_LEARNERS, safe_text


def _safe_target(path: Path) -> None:
    """Refuse to replace anything but a regular file (a link planted in a hand-in folder must not redirect us)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise OSError(f"{safe_text(path)} exists and is not a regular file (a link, pipe or folder); "
                      "not replaced")


def _write_safely(path: Path, write) -> Path:
    """Write through a new temporary file in the same folder, then move it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _safe_target(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        _safe_target(path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def weakest_chart(items: pd.DataFrame, path: str | Path, source_note: str,
                  min_learners: int = MIN_LEARNERS) -> Path:
    """Write a horizontal bar chart of :func:`weakest_items` to ``path`` (PNG) and return the path."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from ..plots import PALETTE

    blue, orange = PALETTE["blue"], PALETTE["orange"]  # quiz, exercise

    def plain(text: str) -> str:  # no mathtext: a '$' in a question is a dollar sign
        return text.replace("$", r"\$")

    labels = [plain(row.text if row.kind == "exercise" else f"{row.notebook} · {row.text}")  # "04.2 Title"
              for row in items.itertuples()]
    shares = [100 * share for share in items["share"]]
    colours = [blue if kind == "quiz" else orange for kind in items["kind"]]
    height = 1.8 + 0.45 * max(len(labels), 1)
    fig, ax = plt.subplots(figsize=(11, height))
    try:
        ax.barh(range(len(labels)), shares[::-1], color=colours[::-1])
        ax.set_yticks(range(len(labels)), labels[::-1], fontsize=8)
        for y, (share, row) in enumerate(zip(shares[::-1], items[::-1].itertuples())):
            ax.text(share + 1, y, f"{row.right} of {row.learners}", va="center", fontsize=8)
        ax.set_xlim(0, 112)
        ax.set_xticks(range(0, 101, 20))
        ax.set_xlabel("Learners who got it right (%; quiz: on the first try, exercise: at all)")
        ax.set_title("Where the class struggled: scored quiz questions and exercises")
        if not labels:
            ax.set_yticks([])
            ax.text(50, 0.5, f"No scored item was answered by {min_learners} or more learners yet",
                    ha="center", va="center", transform=ax.transAxes)
        handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in (blue, orange)]
        ax.legend(handles, ["quiz question", "exercise"], loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8,
                  frameon=False)
        fig.text(0.01, 0.01, plain(source_note), fontsize=7, ha="left", va="bottom")
        return _write_safely(Path(path), lambda handle: fig.savefig(handle, format="png", dpi=120,
                                                                    bbox_inches="tight"))
    finally:
        plt.close(fig)
