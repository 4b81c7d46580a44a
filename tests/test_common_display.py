"""The shared helpers (_common), the view base (_display) and caption placement (plots.caption)."""

from __future__ import annotations

import os
from pathlib import Path

import ipywidgets as widgets
import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from alliance_course import _common, _display, plots

matplotlib.use("Agg")


# --- _common ---------------------------------------------------------------------------------------------------

def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path: Path):
    target = tmp_path / "sub" / "notes.json"
    _common.write_atomic(target, "first")
    _common.write_atomic(target, "second ✓")
    assert target.read_text(encoding="utf-8") == "second ✓"
    assert sorted(p.name for p in target.parent.iterdir()) == ["notes.json"]


def test_write_atomic_keeps_the_old_file_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "notes.txt"
    target.write_text("old", encoding="utf-8")

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        _common.write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_write_atomic_writes_bytes(tmp_path: Path):
    target = tmp_path / "a.bin"
    _common.write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"


@pytest.mark.parametrize("value, expected", [(2, "02"), ("2", "02"), (" 09 ", "09"), ("10", "10")])
def test_normalize_notebook_accepts_numbers(value: object, expected: str):
    assert _common.normalize_notebook(value) == expected


@pytest.mark.parametrize("value", [True, None, "2a", "100", 2.0, "", -1])
def test_normalize_notebook_rejects_anything_else_with_the_callers_error(value: object):
    class MyError(Exception):
        pass

    with pytest.raises(MyError, match="two-digit number"):
        _common.normalize_notebook(value, MyError)


def test_find_by_id_suggests_the_closest_id():
    items = ["entry", "south", "transition"]
    assert _common.find_by_id(items, "south", "phase", key=str) == "south"
    with pytest.raises(KeyError, match=r"did you mean 'transition'\?.*entry, south, transition"):
        _common.find_by_id(items, "transtion", "phase", key=str)
    with pytest.raises(ValueError, match="no phase 'zzz'; choose one of"):
        _common.find_by_id(items, "zzz", "phase", key=str, error=ValueError)


def test_describe_value_is_short():
    assert _common.describe_value([1, 2]) == "[1, 2]"
    assert _common.describe_value("x" * 1000) == repr("x" * 37 + "...")  # cut to 40 characters, then quoted

    class Hostile:
        def __repr__(self):
            raise RuntimeError("no")

    assert _common.describe_value(Hostile()) == "a Hostile object"


def test_cached_by_mtime_rereads_a_changed_file(tmp_path: Path):
    calls = []
    path = tmp_path / "n.txt"
    path.write_text("1")

    @_common.cached_by_mtime
    def read(p: Path) -> str:
        calls.append(p)
        return p.read_text()

    assert read(path) == "1" and read(path) == "1" and len(calls) == 1
    path.write_text("22")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert read(path) == "22" and len(calls) == 2


def test_course_relative(tmp_path: Path):
    assert _common.course_relative(tmp_path / "a" / "b.txt", tmp_path) == "a/b.txt"
    assert _common.course_relative("/elsewhere/x", tmp_path) == "/elsewhere/x"


def test_in_kernel_is_none_outside_a_kernel():
    assert _common.in_kernel() is None


def test_forward_to_view_finds_view_names_and_rejects_others():
    from alliance_course.sims import force_generation as fg
    from alliance_course.sims import force_generation_view

    assert fg.widget is force_generation_view.widget and fg.plot_outcome is force_generation_view.plot_outcome
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        fg.nothing  # noqa: B018


def test_unknown_scenario_gets_a_suggestion():
    from alliance_course.sims import force_generation as fg

    from alliance_course.sims import capstone

    with pytest.raises(KeyError, match="did you mean 'stabilisation'"):
        fg.scenario("stabilsation")
    with pytest.raises(KeyError, match="did you mean 'varnia'"):
        capstone.crisis("varnai")


# --- plots.caption -----------------------------------------------------------------------------------------------

def _caption_top_and_axes_bottom(xlabel: str, rotation: int = 0) -> tuple[float, float, float]:
    fig = Figure(figsize=(6, 4), dpi=100)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="x", labelrotation=rotation)
    text = plots.caption(ax, "somewhere")
    fig.subplots_adjust(bottom=0.4)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    caption_box = text.get_window_extent(renderer)
    below = ax.xaxis.get_tightbbox(renderer)
    return caption_box.y1, below.y0, ax.bbox.y0


@pytest.mark.parametrize("xlabel, rotation", [("", 0), ("A label", 0), ("Two\nlines", 90)])
def test_caption_places_itself_below_the_tick_labels_and_axis_label(xlabel: str, rotation: int):
    caption_top, decorations_bottom, axes_bottom = _caption_top_and_axes_bottom(xlabel, rotation)
    assert caption_top <= decorations_bottom <= axes_bottom


def test_caption_with_y_is_pinned_and_tagged():
    fig = Figure()
    ax = fig.add_subplot()
    text = plots.caption(ax, "x", y=-0.3)
    assert text.xy == (0, -0.3) and text.get_gid() == "caption" and text.get_text() == "Source: x"


def test_target_accepts_both_argument_orders():
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.target("data", ax) == ("data", ax)
    assert plots.target(ax, "data") == ("data", ax)


# --- _display.SimView -------------------------------------------------------------------------------------------

class _Counter(_display.SimView):
    def __init__(self) -> None:
        self.slider = widgets.IntSlider()
        self.unnamed = widgets.IntText()
        self.image = _display.ChartImage()
        self.box = widgets.VBox([self.slider, widgets.HBox([self.unnamed]), self.image])
        self.slider.observe(self.changed, names="value")
        self.draws = 0
        self.refresh()

    def update(self) -> None:
        self.draws += 1
        fig = _display.new_figure(3, 2)
        ax = fig.add_subplot()
        ax.set_title("Counts")
        plots.caption(ax, "a test")
        self.show(self.image, fig)


def test_view_redraws_on_change_but_not_inside_quiet():
    view = _Counter()
    assert view.draws == 1
    view.slider.value = 3
    assert view.draws == 2
    with view.quiet():
        view.slider.value = 4
        with view.quiet():
            view.slider.value = 5
        view.slider.value = 6
    assert view.draws == 2 and not view._quiet
    view.refresh()
    assert view.draws == 3


def test_view_images_get_alt_text_and_controls_get_names():
    view = _Counter()
    assert "<svg" in view.image.svg and ">Counts</text>" in view.image.svg
    assert view.image.alt == "Counts. Source: a test."
    assert 'alt="Counts. Source: a test."' in view.image.value
    assert view.unnamed.tooltip  # every control has an accessible name
    assert "application/vnd.jupyter.widget-view+json" in view._repr_mimebundle_()


def test_every_simulator_view_shares_the_base():
    import importlib
    import inspect

    views = ["argument_map_view", "capstone_view", "clusters_view", "coalition_builder_view",
             "force_generation_view", "membership_view", "operations_view", "profiler_view", "public_goods_view"]
    for name in views:
        module = importlib.import_module(f"alliance_course.sims.{name}")
        classes = [c for _, c in inspect.getmembers(module, inspect.isclass)
                   if c.__module__ == module.__name__ and "self.box =" in inspect.getsource(c)]
        assert classes, name
        for cls in classes:
            assert issubclass(cls, _display.SimView), f"{name}.{cls.__name__}"
        assert hasattr(module, "widget") or name == "operations_view", name


class _Lazy(_display.SimView):
    """A view whose chart-making function counts its calls, with its chart image counting browser views as in a
    kernel (``_view_count`` starts at 0 there; the browser raises it when it shows the widget)."""

    def __init__(self) -> None:
        self.slider = widgets.IntSlider()
        self.image = _display.ChartImage()
        self.image._view_count = 0
        self.image.observe(self.image._on_views, names="_view_count")
        self.box = widgets.VBox([self.slider, self.image])
        self.slider.observe(self.changed, names="value")
        self.made = 0
        self.refresh()

    def update(self) -> None:
        value = self.slider.value

        def figure():
            self.made += 1
            fig = _display.new_figure(3, 2)
            ax = fig.add_subplot()
            ax.bar(["a"], [value])
            ax.set_title(f"Value {value}")
            plots.caption(ax, "a test")
            return fig

        self.show(self.image, figure)


def test_a_chart_is_made_only_when_a_browser_shows_it_and_only_the_latest_one():
    view = _Lazy()
    assert view.made == 0 and view.image.value == _display.PENDING  # run, but no browser has shown it: no chart
    view.slider.value = 4
    view.slider.value = 5
    assert view.made == 0  # still unseen: nothing drawn for the intermediate values either
    view.image._view_count = 1  # what the browser sends when it creates the first view
    assert view.made == 1 and 'alt="Value 5. Source: a test."' in view.image.value
    view.slider.value = 6  # on the page: redrawn at once
    assert view.made == 2 and "Value 6" in view.image.value
    view.image._view_count = 2  # a second view of the same widget: nothing to redraw
    assert view.made == 2


def test_reading_a_pending_chart_draws_it():
    view = _Lazy()
    assert view.made == 0
    assert ">Value 0</text>" in view.image.svg and view.image.alt == "Value 0. Source: a test."
    assert view.made == 1
    view.image._view_count = 1
    assert view.made == 1  # already drawn


def test_outside_a_kernel_charts_are_drawn_at_once():
    image = _display.ChartImage()
    assert image._view_count is None and image.on_page
    calls = []
    image.set_figure(lambda: calls.append(1) or _display.new_figure(2, 2))
    assert calls == [1] and image.value.startswith('<img class="course-chart"')


def test_a_chart_that_fails_when_the_browser_shows_it_says_so():
    """In a kernel the chart is drawn when the browser reports its first view: inside ipykernel's comm handler,
    whose exceptions go to the server log only. A figure function that fails there must not leave the learner
    looking at "The chart is drawn when this output is shown in JupyterLab" for ever, in JupyterLab."""
    image = _display.ChartImage()
    image._view_count = 0
    image.observe(image._on_views, names="_view_count")

    def broken():
        raise ValueError("no data for 2031")

    image.set_figure(broken)
    assert image.value == _display.PENDING
    image._view_count = 1  # the browser shows it: must not raise into the comm handler
    assert image.value != _display.PENDING
    assert "could not be drawn" in image.value and "no data for 2031" in image.value
    assert image.svg == "" and image.alt == ""
    image.set_figure(lambda: _display.new_figure(2, 2))  # the next chart draws as usual
    assert image.value.startswith('<img class="course-chart"')


def test_a_chart_that_fails_at_once_raises_and_says_so():
    image = _display.ChartImage()  # outside a kernel: drawn at once, so the error reaches the caller as before
    image.set_figure(lambda: _display.new_figure(2, 2))
    with pytest.raises(ValueError, match="no data"):
        image.set_figure(lambda: (_ for _ in ()).throw(ValueError("no data")))
    assert "could not be drawn" in image.value  # not the previous chart, as if it were the current one
