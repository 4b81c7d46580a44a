"""The chart helpers: the palette is the Okabe–Ito set, captions and bar labels land on the axes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from alliance_course import plots  # noqa: E402


def test_palette_is_okabe_ito_and_distinct():
    assert len(set(plots.COLOURS)) == len(plots.COLOURS)
    assert plots.PALETTE["blue"] == "#0072B2" and plots.PALETTE["vermillion"] == "#D55E00"
    assert plots.colours(9)[7] == plots.COLOURS[0]  # cycles


def test_style_sets_the_colour_cycle():
    plots.style()
    cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
    assert cycle == plots.COLOURS


def test_caption_and_bar_labels():
    fig, ax = plt.subplots()
    ax.barh(["a", "b"], [3, 12])
    plots.label_bars(ax, [3, 12], horizontal=True)
    plots.caption(ax, "NATO (2025)")
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["3", "12", "Source: NATO (2025)"]
    plt.close(fig)


def _extent(artist, fig):
    fig.canvas.draw()
    return artist.get_window_extent(fig.canvas.get_renderer())


def test_caption_places_itself_under_tick_labels_and_a_legend_hung_below():
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([0, 1], [0, 1], label="one")
    ax.plot([0, 1], [1, 0], label="two")
    ax.set_xticks([0, 1], ["0\nalliance", "1\ncoalition"])  # two-line tick labels, as lesson 01 draws them
    ax.set_xlabel("score")
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2)
    caption = plots.caption(ax, "course table coalition_coding")
    text, below = _extent(caption, fig), _extent(legend, fig)
    ticks = ax.xaxis.get_tightbbox(fig.canvas.get_renderer())
    assert text.y1 <= below.y0 + 0.5 and text.y1 <= ticks.y0 + 0.5  # under the legend and the axis, not over them
    plt.close(fig)


def test_no_lesson_hand_tunes_a_caption():
    import json
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    tuned = []
    for folder in ("notebooks", "solutions"):
        for path in sorted((root / folder).glob("*.ipynb")):
            for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
                if cell["cell_type"] == "code" and re.search(r"caption\([^)]*\by=", "".join(cell["source"])):
                    tuned.append(f"{folder}/{path.name} {cell['id']}")
    assert not tuned, f"captions place themselves; drop the y= in: {tuned}"
