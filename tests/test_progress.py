"""The progress store: records, summary, export/read_export, reset, damaged and unwritable files, two writers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import filelock
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_course import __version__, progress
from alliance_course.progress import ProgressError, ProgressWarning


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    """A fresh progress file path for this test."""
    path = tmp_path / "learner" / "progress.json"
    monkeypatch.setenv(progress.ENV_VAR, str(path))
    return path


def saved(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- where the file lives -------------------------------------------------------------------------------------

def test_environment_variable_overrides_the_path(store):
    assert progress.progress_path() == store


@pytest.mark.parametrize("platform, env, expected", [
    ("win32", {"APPDATA": "C:/Users/ana/AppData/Roaming"}, Path("C:/Users/ana/AppData/Roaming/alliance-course")),
    ("darwin", {}, Path.home() / "Library" / "Application Support" / "alliance-course"),
    ("linux", {"XDG_DATA_HOME": "/data/ana"}, Path("/data/ana/alliance-course")),
    ("linux", {"XDG_DATA_HOME": "relative/ignored"}, Path.home() / ".local" / "share" / "alliance-course"),
    ("linux", {}, Path.home() / ".local" / "share" / "alliance-course"),
])
def test_default_folder_per_platform(monkeypatch, platform, env, expected):
    monkeypatch.delenv(progress.ENV_VAR, raising=False)
    for name in ("APPDATA", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "platform", platform)
    assert progress.default_data_dir() == expected
    assert progress.progress_path() == expected / "progress.json"


# --- recording ------------------------------------------------------------------------------------------------

def test_record_keeps_attempts_first_try_and_times(store):
    progress.record("quiz", "02", "art5-automatic", False)
    progress.record("quiz", "02", "art5-automatic", True)
    progress.record("exercise", "4", "04.2", True)
    data = saved(store)
    assert data["format_version"] == 1 and data["course_version"] == __version__
    quiz, exercise = data["records"]
    assert quiz["kind"] == "quiz" and quiz["notebook"] == "02" and quiz["item"] == "art5-automatic"
    assert quiz["attempts"] == 2 and quiz["first_try_correct"] is False and quiz["ever_correct"] is True
    assert quiz["first_time"] <= quiz["last_time"]
    assert exercise["notebook"] == "04" and exercise["first_try_correct"] is True and exercise["attempts"] == 1
    assert progress.read_export(store) == data  # the store itself is a valid export


def test_same_item_in_different_kinds_or_notebooks_is_separate(store):
    progress.record("quiz", "02", "x", True)
    progress.record("exercise", "02", "x", True)
    progress.record("quiz", "03", "x", True)
    assert len(saved(store)["records"]) == 3


@pytest.mark.parametrize("args, words", [
    (("test", "02", "x", True), "kind must be 'quiz' or 'exercise'"),
    (("quiz", "2a", "x", True), "two-digit number"),
    (("quiz", "02", "", True), "non-empty id"),
    (("quiz", "02", "x", 1), "True or False"),
])
def test_record_rejects_bad_arguments_clearly(store, args, words):
    with pytest.raises(ValueError, match=words):
        progress.record(*args)
    assert not store.exists()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["quiz", "exercise"]), st.sampled_from(["01", "02", "07"]),
                          st.sampled_from(["a", "b", "c"]), st.booleans()), max_size=12))
def test_record_matches_a_simple_model(tmp_path_factory, attempts):
    path = tmp_path_factory.mktemp("model") / "progress.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(progress.ENV_VAR, str(path))
        for attempt in attempts:
            progress.record(*attempt)
        stored = {(r["kind"], r["notebook"], r["item"]): r for r in progress.records()}
    expected: dict = {}
    for kind, notebook, item, correct in attempts:
        entry = expected.setdefault((kind, notebook, item), {"attempts": 0, "first": correct, "ever": False})
        entry["attempts"] += 1
        entry["ever"] = entry["ever"] or correct
    assert set(stored) == set(expected)
    for key, entry in expected.items():
        assert stored[key]["attempts"] == entry["attempts"]
        assert stored[key]["first_try_correct"] is entry["first"]
        assert stored[key]["ever_correct"] is entry["ever"]


def test_writes_leave_no_temporary_files(store):
    for n in range(5):
        progress.record("quiz", "01", f"q{n}", n % 2 == 0)
    assert sorted(p.name for p in store.parent.iterdir()) == ["progress.json", "progress.json.lock"]


# --- damaged, unreadable and unwritable files -----------------------------------------------------------------

@pytest.mark.parametrize("content", ["{not json", "[]", '{"format_version": 1, "records": [{"kind": "quiz"}]}',
                                     "", '{"format_version": "one", "records": []}'])
def test_a_damaged_file_is_moved_aside_and_the_learner_told_once(store, content):
    store.parent.mkdir(parents=True)
    store.write_text(content, encoding="utf-8")
    with pytest.warns(ProgressWarning, match="was damaged") as caught:
        progress.record("quiz", "01", "a", True)
        progress.record("quiz", "01", "b", True)
    assert len(caught) == 1
    backups = list(store.parent.glob("progress.corrupt-*.json"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == content
    assert [r["item"] for r in saved(store)["records"]] == ["a", "b"]
    assert backups[0].name in str(caught[0].message)


def test_an_undecodable_file_is_moved_aside(store):
    store.parent.mkdir(parents=True)
    store.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.warns(ProgressWarning, match="could not be read"):
        assert progress.records() == []
    assert len(list(store.parent.glob("progress.corrupt-*.json"))) == 1


def _root_user() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.mark.skipif(os.name == "nt" or _root_user(),
                    reason="POSIX permissions do not restrict root (or Windows); "
                           "test_an_unwritable_location_keeps_results_in_memory covers root on Linux")
def test_a_read_only_folder_keeps_results_in_memory(store):
    progress.record("quiz", "01", "before", True)
    store.parent.chmod(0o500)
    store.chmod(0o400)
    try:
        with pytest.warns(ProgressWarning, match="kept in memory for this session") as caught:
            progress.record("quiz", "01", "after", False)
            progress.record("quiz", "01", "later", True)
        assert len(caught) == 1
        assert [r["item"] for r in progress.records()] == ["before", "after", "later"]
        assert [r["item"] for r in saved(store)["records"]] == ["before"]
    finally:
        store.parent.chmod(0o700)


@pytest.mark.skipif(not Path("/proc/self").is_dir() or not _root_user(),
                    reason="needs Linux's /proc as root (test_a_read_only_folder_… covers other users)")
def test_an_unwritable_location_keeps_results_in_memory(monkeypatch):
    """Even root cannot create files under /proc: a real unwritable location, not a simulated failure."""
    monkeypatch.setenv(progress.ENV_VAR, "/proc/self/alliance-course/progress.json")
    with pytest.warns(ProgressWarning, match="kept in memory for this session") as caught:
        progress.record("quiz", "01", "first", True)
        progress.record("quiz", "01", "second", False)
    assert len(caught) == 1
    assert [r["item"] for r in progress.records()] == ["first", "second"]
    assert not Path("/proc/self/alliance-course").exists()


def test_a_failing_write_keeps_results_in_memory(store, monkeypatch):
    progress.record("quiz", "01", "before", True)

    def disk_full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress, "_write_atomic", disk_full)
    with pytest.warns(ProgressWarning, match="No space left on device") as caught:
        progress.record("quiz", "01", "after", False)
        progress.record("quiz", "01", "after", True)
    assert len(caught) == 1
    records = {r["item"]: r for r in progress.records()}
    assert records["after"]["attempts"] == 2 and records["after"]["ever_correct"] is True
    assert [r["item"] for r in saved(store)["records"]] == ["before"]


@pytest.mark.parametrize("failure", [PermissionError(13, "Permission denied"), filelock.Timeout("progress.lock")])
def test_a_lock_that_cannot_be_taken_keeps_earlier_results_visible(store, monkeypatch, failure):
    progress.record("quiz", "01", "before", True)

    def no_lock(self):
        raise failure

    monkeypatch.setattr(progress._Store, "_lock", no_lock)
    with pytest.warns(ProgressWarning, match="kept in memory"):
        progress.record("quiz", "01", "after", True)
    assert [r["item"] for r in progress.records()] == ["before", "after"]
    assert [r["item"] for r in saved(store)["records"]] == ["before"]


def test_a_path_that_cannot_be_a_folder_falls_back_to_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(progress.ENV_VAR, str(blocker / "progress.json"))
    with pytest.warns(ProgressWarning, match="cannot be saved"):
        progress.record("quiz", "01", "a", True)
    assert len(progress.records()) == 1


def test_a_folder_given_as_the_file_is_left_alone(tmp_path, monkeypatch):
    folder = tmp_path / "my-progress"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setenv(progress.ENV_VAR, str(folder))
    with pytest.warns(ProgressWarning, match="names a folder, not a file"):
        progress.record("quiz", "01", "a", True)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not list(tmp_path.glob("my-progress.corrupt-*"))
    assert len(progress.records()) == 1


# --- two writers at once --------------------------------------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys
    from alliance_course import progress
    name, count = sys.argv[1], int(sys.argv[2])
    for n in range(count):
        progress.record("quiz", "05", f"{name}-{n}", n % 3 == 0)
        progress.record("exercise", "05", "shared", n % 2 == 0)
""")


def test_two_processes_writing_at_once_lose_nothing(store):
    count = 40
    env = dict(os.environ, **{progress.ENV_VAR: str(store)})
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, name, str(count)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name in ("kernel-a", "kernel-b")]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
        assert "ProgressWarning" not in errors
    records = {r["item"]: r for r in saved(store)["records"]}
    assert len(records) == 2 * count + 1
    assert all(f"{name}-{n}" in records for name in ("kernel-a", "kernel-b") for n in range(count))
    assert records["shared"]["attempts"] == 2 * count


# --- summary, export, reset -----------------------------------------------------------------------------------

def test_summary_counts_per_notebook(store):
    progress.record("quiz", "00", "run-top-to-bottom", True)
    progress.record("quiz", "00", "restart-kernel", False)
    progress.record("quiz", "00", "restart-kernel", True)
    progress.record("exercise", "04", "04.1", False)
    progress.record("exercise", "04", "04.2", False)
    progress.record("exercise", "04", "04.2", True)
    table = progress.summary()
    assert list(table.columns) == list(progress.SUMMARY_COLUMNS)
    assert table.index.name == "notebook" and list(table.index[:3]) == ["00", "01", "02"]
    assert table.loc["00", "title"] == "Start here"
    assert table.loc["00", "quiz_questions"] == 6
    assert (table.loc["00", "quiz_attempted"], table.loc["00", "quiz_first_try_correct"]) == (2, 1)
    assert (table.loc["04", "exercises_attempted"], table.loc["04", "exercises_correct"]) == (2, 1)
    assert table.loc["09", "quiz_attempted"] == 0


def test_summary_of_an_unknown_notebook_is_appended(store):
    progress.record("quiz", "99", "x", True)
    table = progress.summary()
    assert table.index[-1] == "99" and table.loc["99", "title"] == ""
    assert pd.isna(table.loc["05", "quiz_questions"]) or table.loc["05", "quiz_questions"] > 0


def test_export_with_learner_name_reads_back(store, tmp_path, capsys):
    progress.record("quiz", "02", "art5-automatic", True)
    progress.set_learner("  Ana Novak ")
    (tmp_path / "handin").mkdir()
    target = progress.export(tmp_path / "handin")
    assert target.parent == tmp_path / "handin" and target.name.startswith("alliance-course-progress-ana-novak-")
    data = progress.read_export(target)
    assert data["learner"] == "Ana Novak" and data["format_version"] == 1 and data["course_version"] == __version__
    assert data["records"][0]["item"] == "art5-automatic" and "exported" in data
    assert str(target) in capsys.readouterr().out


def test_export_defaults_to_the_current_folder(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = progress.export()
    assert target.parent == tmp_path and target.exists()
    assert progress.read_export(target)["learner"] is None


def test_export_to_an_unwritable_place_says_so(store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ProgressError, match="Could not write the export"):
        progress.export(blocker / "out.json")


@pytest.mark.parametrize("name", ["", "   ", "a\nb", "x" * 101, 42])
def test_set_learner_rejects_bad_names(store, name):
    with pytest.raises(ValueError, match="give your name"):
        progress.set_learner(name)


@pytest.mark.parametrize("content, words", [
    (None, "cannot read the file"),
    ("{oops", "not valid JSON"),
    ('{"format_version": 99, "records": []}', "newer version of the course"),
    ('{"format_version": 1}', "'records' is a required property"),
    ('{"format_version": 1, "records": [{"kind": "quiz", "notebook": "2", "item": "x", "attempts": 1, '
     '"first_try_correct": true, "ever_correct": true, "first_time": "t", "last_time": "t"}]}',
     "records/0/notebook"),
])
def test_read_export_explains_bad_files(tmp_path, content, words):
    path = tmp_path / "handed-in.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ProgressError, match=words) as caught:
        progress.read_export(path)
    assert str(path) in str(caught.value)


def test_reset_asks_first_then_keeps_a_backup_and_the_name(store, capsys):
    progress.record("quiz", "01", "a", True)
    progress.set_learner("Ana")
    capsys.readouterr()
    progress.reset()
    out = capsys.readouterr().out
    assert "would delete 1 saved results" in out and "progress.reset(confirm=True)" in out
    assert len(saved(store)["records"]) == 1
    progress.reset(confirm=True)
    assert saved(store)["records"] == [] and saved(store)["learner"] == "Ana"
    backups = list(store.parent.glob("progress.reset-*.json"))
    assert len(backups) == 1 and len(json.loads(backups[0].read_text(encoding="utf-8"))["records"]) == 1
    assert "Deleted 1 saved results" in capsys.readouterr().out


# --- dashboard ------------------------------------------------------------------------------------------------

def test_dashboard_as_text_outside_a_notebook(store, capsys):
    progress.record("quiz", "00", "run-top-to-bottom", True)
    progress.dashboard()
    out = capsys.readouterr().out
    assert "00 · Start here" in out and "1 of 6" in out and str(store) in out


def test_dashboard_table_and_figure(store):
    progress.record("quiz", "00", "run-top-to-bottom", True)
    progress.record("quiz", "00", "restart-kernel", False)
    table = progress.summary()
    readable = progress.dashboard_table(table)
    assert readable.loc["00 · Start here", "Quiz questions answered"] == "2 of 6"
    assert readable.loc["00 · Start here", "Right on first try"] == 1
    figure = progress.dashboard_figure(table)
    axes = figure.axes[0]
    assert axes.get_title() == "Your quiz progress by notebook"
    assert axes.get_xlabel() == "Quiz questions (count)" and axes.get_ylabel() == "Notebook"
    # Notebooks with a quiz bank but no answers yet show empty bars; only notebook 00 has answers here.
    widths = sorted(patch.get_width() for patch in axes.patches if patch.get_width() > 0)
    assert widths == [1, 2]
    assert [tick.get_text() for tick in axes.get_yticklabels()][0].startswith("00")
    assert figure.get_supxlabel().startswith("Source: your progress file, as of ")


def test_dashboard_in_a_kernel_displays_table_chart_and_sentence(store, monkeypatch):
    shown = []
    monkeypatch.setattr(progress, "_ipython_kernel", lambda: object())
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    progress.record("quiz", "00", "run-top-to-bottom", True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        progress.dashboard()
    kinds = [type(obj).__name__ for obj in shown]
    assert kinds == ["DataFrame", "Image", "Markdown", "Markdown"]
    assert shown[1].data[:8] == b"\x89PNG\r\n\x1a\n"
    assert "right on the first try" in shown[2].data
