"""Accessibility of the course's charts from Python: every chart has a text alternative that says what it shows,
inline figures reach the page as <img alt=…>, and no legend tells series apart by colour alone. (The browser
tests audit the rendered outputs with axe-core and drive the controls with the keyboard.)"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from matplotlib.figure import Figure

from alliance_course import _display, plots

GENERIC = {"", "chart", "chart.", "figure", "image"}


def _views():
    from alliance_course.sims import (argument_map_view, capstone_view, clusters_view, coalition_builder_view,
                                      force_generation_view, membership_view, operations_view, profiler_view,
                                      public_goods_view)

    ops = operations_view
    return {
        "membership": membership_view.widget,
        "force_generation": force_generation_view.widget,
        "clusters": clusters_view.widget,
        "coalition_builder": coalition_builder_view.widget,
        "capstone": capstone_view.widget,
        "public_goods": public_goods_view.widget,
        "profiler": lambda: _revealed(profiler_view.widget("daesh-coalition-2014")),
        "argument_map": argument_map_view.widget,
        **{name: getattr(ops, name) for name in dir(ops) if name.endswith("widget") and callable(getattr(ops, name))},
    }


def _revealed(view):
    compare = getattr(view, "compare", None) or getattr(view, "button", None)
    if compare is not None and hasattr(compare, "click"):
        compare.click()
    return view


@pytest.fixture
def shown(monkeypatch):
    """Every figure a simulator view shows, with the image it went into."""
    figures: list[tuple[Figure, object]] = []
    original = _display.SimView.show

    def spy(image, fig, **kwargs):
        def make():  # views pass a function that makes the figure (drawn when shown; at once outside a kernel)
            figure = fig() if callable(fig) else fig
            figures.append((figure, image))
            return figure

        return original(image, make, **kwargs)

    monkeypatch.setattr(_display.SimView, "show", staticmethod(spy))
    return figures


@pytest.mark.parametrize("name", sorted(_views()))
def test_simulator_charts_say_what_they_show_and_do_not_rely_on_colour(name, shown):
    _views()[name]()
    for fig, image in shown:
        alt = plots.figure_alt(fig)
        assert alt.strip().lower() not in GENERIC, f"{name}: a chart without a text alternative"
        assert len(alt) > 20, f"{name}: alt text too thin to say what the chart shows: {alt!r}"
        assert isinstance(image, _display.ChartImage), f"{name}: chart shown in a widget that cannot carry alt text"
        assert 'alt="' in image.value and image.alt == alt
        assert not plots.colour_only(fig), f"{name}: legend entries differ by colour alone: {plots.colour_only(fig)}"


def test_colour_only_finds_a_legend_told_apart_by_colour_alone():
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="C0", label="a")
    ax.plot([0, 1], [1, 0], color="C1", label="b")
    ax.legend()
    assert plots.colour_only(fig) == ["'a' and 'b'"]
    ax.lines[1].set_marker("s")
    ax.legend()
    assert plots.colour_only(fig) == []


def test_figure_alt_falls_back_to_axis_labels_and_is_empty_for_nothing():
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_xlabel("Year")
    ax.set_ylabel("Allies")
    assert plots.figure_alt(fig) == "Chart of Allies against Year."
    assert plots.figure_alt(Figure()) == ""


INLINE = r"""
import json
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
import matplotlib.pyplot as plt  # MPLBACKEND is the inline backend, as in a kernel
from alliance_course import plots
plots.style()
fig, ax = plt.subplots()
ax.bar(["a", "b"], [1, 2])
ax.set_title("Two bars, b taller")
plots.caption(ax, "a test")
data, _ = shell.display_formatter.format(fig)
bare, _ = shell.display_formatter.format(plt.subplots()[0])
print(json.dumps({"with": sorted(data), "html": data.get("text/html", "")[:200], "bare": sorted(bare)}))
"""


def test_inline_figures_are_shown_as_img_with_alt_and_rendered_once():
    out = subprocess.run([sys.executable, "-c", INLINE], capture_output=True, text=True, timeout=120,
                         env={"MPLBACKEND": "module://matplotlib_inline.backend_inline", "PATH": ""})
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["html"].startswith('<img class="course-chart" alt="Two bars, b taller. Source: a test." '
                                     'src="data:image/svg+xml;base64,')
    assert "image/png" not in result["with"] and "image/svg+xml" not in result["with"]  # one rendering, in the <img>
    assert "image/png" in result["bare"]  # a figure with nothing to say still shows, as plain PNG
