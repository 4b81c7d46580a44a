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
