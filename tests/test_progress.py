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


def test_default_folder_is_the_platform_user_data_folder(monkeypatch):
    import platformdirs

    monkeypatch.delenv(progress.ENV_VAR, raising=False)
    monkeypatch.delenv(progress.HUB_USER_VAR, raising=False)
    expected = Path(platformdirs.user_data_dir("alliance-course", appauthor=False, roaming=True))
    assert progress.default_data_dir() == expected
    assert progress.progress_path() == expected / "progress.json"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG_DATA_HOME is the Linux/BSD convention")
@pytest.mark.parametrize("env, expected", [
    ({"XDG_DATA_HOME": "/data/ana"}, Path("/data/ana/alliance-course")),
    ({}, Path.home() / ".local" / "share" / "alliance-course"),
])
def test_default_folder_follows_xdg(monkeypatch, env, expected):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert progress.default_data_dir() == expected


@pytest.mark.parametrize("user, name", [
    ("ana", "progress-ana.json"),
    ("ana.novak@example.org", "progress-ana.novak@example.org.json"),
    ("../../etc/passwd", "progress-etc-passwd.json"),
    ("  ", "progress.json"),
])
def test_default_file_is_named_after_the_hub_user(monkeypatch, user, name):
    monkeypatch.delenv(progress.ENV_VAR, raising=False)
    monkeypatch.setenv(progress.HUB_USER_VAR, user)
    assert progress.progress_path() == progress.default_data_dir() / name
    assert progress.progress_path().parent == progress.default_data_dir()


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

    monkeypatch.setattr(progress.store, "_write_atomic", disk_full)
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

    monkeypatch.setattr(progress.store._Store, "_lock", no_lock)
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


def test_a_file_with_a_byte_order_mark_is_read_not_set_aside(store):
    progress.record("quiz", "01", "a", True)
    store.write_bytes(b"\xef\xbb\xbf" + store.read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProgressWarning)
        progress.record("quiz", "01", "b", True)
    assert _items(saved(store)) == ["a", "b"]


def test_a_deeply_nested_file_is_set_aside_not_a_crash(store):
    store.parent.mkdir(parents=True)
    store.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.warns(ProgressWarning, match="not valid JSON"):
        progress.record("quiz", "01", "a", True)
    assert _items(saved(store)) == ["a"]


# --- shared homes: a stuck lock, failed writes, crash leftovers, links, read-only files, permissions ----------

HOLDER = textwrap.dedent("""
    import sys, time, filelock
    lock = filelock.FileLock(sys.argv[1] + ".lock")
    with lock:
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def _items(data: dict) -> list[str]:
    return [r["item"] for r in data["records"]]


def test_a_lock_held_past_the_timeout_loses_nothing(store, monkeypatch, capsys):
    """Another process (a kernel on a crashed NFS client, say) holds the lock longer than LOCK_TIMEOUT: the answers
    given meanwhile wait in memory, and the first answer after the lock is free saves all of them, merged with what
    another kernel wrote in between."""
    monkeypatch.setattr(progress.store, "LOCK_TIMEOUT", 1.0)
    monkeypatch.setattr(progress.store, "RETRY_LOCK_TIMEOUT", 0.2)
    progress.record("quiz", "03", "before", True)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store), "3"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.warns(ProgressWarning, match="held its lock file for over 1 seconds") as caught:
            progress.record("quiz", "03", "during-1", False)
            progress.record("quiz", "03", "during-2", True)
            progress.record("quiz", "03", "during-1", True)
        assert len(caught) == 1
        assert _items(saved(store)) == ["before"]
        assert _items({"records": progress.records()}) == ["before", "during-1", "during-2"]
    finally:
        holder.wait(timeout=30)
    assert holder.returncode == 0
    env = dict(os.environ, **{progress.ENV_VAR: str(store)})
    subprocess.run([sys.executable, "-c", WRITER, "other", "1"], env=env, check=True, timeout=60)
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProgressWarning)
        progress.record("quiz", "03", "after", True)
    assert "Progress saved again" in capsys.readouterr().out
    on_disk = {r["item"]: r for r in saved(store)["records"]}
    assert set(on_disk) == {"before", "during-1", "during-2", "other-0", "shared", "after"}
    assert on_disk["during-1"]["attempts"] == 2 and on_disk["during-1"]["first_try_correct"] is False
    assert on_disk["during-1"]["ever_correct"] is True


EXITING = textwrap.dedent("""
    import sys, warnings
    from alliance_course import progress
    progress.store.LOCK_TIMEOUT, progress.store.RETRY_LOCK_TIMEOUT = 0.5, 0.1
    warnings.simplefilter("ignore")
    for n in range(3):
        progress.record("quiz", "03", f"last-{n}", True)  # the lock is held: all three wait in memory
    progress.store.LOCK_TIMEOUT = float(sys.argv[1])  # the exit handler waits this long
""")


def test_results_waiting_in_memory_are_saved_when_the_kernel_exits(store):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store), "3"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        env = dict(os.environ, **{progress.ENV_VAR: str(store)})
        subprocess.run([sys.executable, "-c", EXITING, "20"], env=env, check=True, timeout=60)
    finally:
        holder.wait(timeout=30)
    assert _items(saved(store)) == ["last-0", "last-1", "last-2"]


def test_after_failed_writes_every_later_record_retries_and_merges(store, monkeypatch):
    real_write = progress.store._write_atomic
    failing = {"on": True}

    def flaky(path, data, mode=None):
        if failing["on"]:
            raise OSError(28, "No space left on device")
        real_write(path, data, mode)

    progress.record("quiz", "01", "before", True)
    monkeypatch.setattr(progress.store, "_write_atomic", flaky)
    with pytest.warns(ProgressWarning, match="No space left on device"):
        progress.record("quiz", "01", "lost-before", True)
    # another kernel (a separate process, its own disk luck) saves meanwhile
    env = dict(os.environ, **{progress.ENV_VAR: str(store)})
    subprocess.run([sys.executable, "-c", WRITER, "kernel-b", "2"], env=env, check=True, timeout=60)
    failing["on"] = False
    progress.record("quiz", "01", "next", False)
    on_disk = {r["item"]: r for r in saved(store)["records"]}
    assert {"before", "lost-before", "next", "kernel-b-0", "kernel-b-1", "shared"} == set(on_disk)
    assert on_disk["shared"]["attempts"] == 2
    assert progress.store._store().memory is None


def test_a_temporary_file_left_by_a_crash_is_removed(store):
    progress.record("quiz", "01", "a", True)
    stale = store.parent / ".progress-crashed.tmp"
    stale.write_text('{"half": ', encoding="utf-8")
    old = stale.stat().st_mtime - progress.STALE_TEMP_AGE - 5
    os.utime(stale, (old, old))
    fresh = store.parent / ".progress-writing-now.tmp"  # another writer's (younger than STALE_TEMP_AGE)
    fresh.write_text("{", encoding="utf-8")
    unrelated = store.parent / ".other-crashed.tmp"
    unrelated.write_text("{", encoding="utf-8")
    os.utime(unrelated, (old, old))
    progress.record("quiz", "01", "b", True)
    assert not stale.exists()
    assert fresh.exists() and unrelated.exists()


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_symlinked_progress_file_is_written_through_the_link(tmp_path, monkeypatch):
    real = tmp_path / "synced" / "progress.json"
    real.parent.mkdir()
    link = tmp_path / "home" / "progress.json"
    link.parent.mkdir()
    link.symlink_to(real)
    monkeypatch.setenv(progress.ENV_VAR, str(link))
    progress.record("quiz", "02", "a", True)
    progress.record("quiz", "02", "b", False)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert _items(saved(real)) == ["a", "b"]
    assert not list(link.parent.glob(".progress-*.tmp")) and not list(real.parent.glob(".progress-*.tmp"))


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_a_read_only_progress_file_is_not_replaced(store):
    """chmod a-w is respected even by root (whom the permission bits do not stop)."""
    progress.record("quiz", "01", "before", True)
    store.chmod(0o444)
    original = store.read_bytes()
    with pytest.warns(ProgressWarning, match="read-only"):
        progress.record("quiz", "01", "after", False)
    assert store.read_bytes() == original
    assert store.stat().st_mode & 0o777 == 0o444
    assert _items({"records": progress.records()}) == ["before", "after"]
    store.chmod(0o644)  # the learner makes it writable again: the next answer saves both
    progress.record("quiz", "01", "later", True)
    assert _items(saved(store)) == ["before", "after", "later"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_permissions_follow_the_umask_and_are_kept_on_rewrite(store):
    old = os.umask(0o022)
    try:
        progress.record("quiz", "01", "a", True)
        assert store.stat().st_mode & 0o777 == 0o644
        store.chmod(0o600)  # a learner who keeps it private
        progress.record("quiz", "01", "b", True)
        assert store.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_export_to_a_hand_in_folder_is_readable_by_the_instructor(store, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(progress.HUB_USER_VAR, "ana")
    handin = tmp_path / "handin"
    handin.mkdir()
    old = os.umask(0o077)  # even a private umask: the export is meant to be read by someone else
    try:
        progress.record("quiz", "02", "x", True)
        target = progress.export(to=handin)
    finally:
        os.umask(old)
    assert target.parent == handin and target.name.startswith("alliance-course-progress-ana-")
    assert target.stat().st_mode & 0o777 == 0o644
    assert progress.read_export(target)["learner"] == "ana"
    with pytest.raises(ValueError, match="not both"):
        progress.export("a.json", to=handin)


def _export(tmp_path, name, learner, records):
    data = {"format_version": 1, "learner": learner, "records": records}
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _rec(item, attempts, first, ever, t1, t2, kind="quiz", notebook="02"):
    return {"kind": kind, "notebook": notebook, "item": item, "attempts": attempts, "first_try_correct": first,
            "ever_correct": ever, "first_time": t1, "last_time": t2}


def test_merge_combines_one_learners_exports_from_two_machines(store, tmp_path, capsys):
    laptop = _export(tmp_path, "laptop.json", None, [
        _rec("a", 2, False, True, "2026-10-01T10:00:00+00:00", "2026-10-01T10:05:00+00:00"),
        _rec("only-laptop", 1, True, True, "2026-10-01T11:00:00+00:00", "2026-10-01T11:00:00+00:00")])
    hub = _export(tmp_path, "hub.json", "Ana", [
        _rec("a", 1, True, True, "2026-10-03T09:00:00+00:00", "2026-10-03T09:00:00+00:00"),
        _rec("only-hub", 3, False, False, "2026-10-03T09:10:00+00:00", "2026-10-03T09:20:00+00:00")])
    out = tmp_path / "handin"
    out.mkdir()
    merged = progress.merge(laptop, hub, hub, to=out)  # the same export twice counts once
    records = {r["item"]: r for r in merged["records"]}
    assert set(records) == {"a", "only-laptop", "only-hub"}
    assert records["a"]["attempts"] == 3
    assert records["a"]["first_try_correct"] is False  # the laptop's attempt came first
    assert records["a"]["first_time"].startswith("2026-10-01") and records["a"]["last_time"].startswith("2026-10-03")
    assert merged["learner"] == "Ana"
    written = list(out.glob("alliance-course-progress-ana-*.json"))
    assert len(written) == 1 and progress.read_export(written[0])["records"] == merged["records"]


def test_merge_refuses_two_different_learners(tmp_path):
    a = _export(tmp_path, "a.json", "Ana", [])
    b = _export(tmp_path, "b.json", "Ben", [])
    with pytest.raises(ProgressError, match="different learners"):
        progress.merge(a, b)
    with pytest.raises(ValueError, match="at least two"):
        progress.merge(a)


def test_merge_with_my_own_progress(store, tmp_path):
    progress.record("quiz", "02", "mine", True)
    other = _export(tmp_path, "laptop.json", None, [
        _rec("theirs", 1, True, True, "2026-10-01T10:00:00+00:00", "2026-10-01T10:00:00+00:00")])
    merged = progress.merge(other, mine=True)
    assert {r["item"] for r in merged["records"]} == {"mine", "theirs"}


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
    monkeypatch.setattr(progress.view, "in_kernel", lambda: object())
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    progress.record("quiz", "00", "run-top-to-bottom", True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        progress.dashboard()
    kinds = [type(obj).__name__ for obj in shown]
    assert kinds == ["DataFrame", "Image", "Markdown", "Markdown"]
    assert shown[1].data[:8] == b"\x89PNG\r\n\x1a\n"
    assert "right on the first try" in shown[2].data
