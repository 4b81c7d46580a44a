"""The class report as a grading tool: fixed denominators, practice apart, merges, bad and hostile input."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_course import __version__, report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
T = "2026-11-01T10:00:00+00:00"
T2 = "2026-11-02T10:00:00+00:00"
CAT = report.catalogue()
QUIZ02 = CAT.scored_quiz("02")
PRACTICE02 = [q for q, (section, _) in CAT.quiz["02"].items() if section != "quiz"]
EX00 = sorted(CAT.exercises["00"])


def _record(kind: str, notebook: str, item: str, first: bool, ever: bool, attempts: int = 1,
            first_time: str = T, last_time: str = T) -> dict:
    return {"kind": kind, "notebook": notebook, "item": item, "attempts": attempts, "first_try_correct": first,
            "ever_correct": ever, "first_time": first_time, "last_time": last_time}


def _export(path: Path, learner: str | None, records: list[dict], version: str = __version__) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format_version": 1, "learner": learner, "course_version": version,
                                "created": T, "updated": T, "exported": T, "records": records}), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    _export(tmp_path / "ana.json", "Ana", [
        _record("quiz", "02", QUIZ02[0], False, True, 2),
        _record("quiz", "02", QUIZ02[1], True, True),
        _record("quiz", "02", PRACTICE02[0], True, True),  # a warm-up or check: practice, not scored
        _record("exercise", "00", EX00[0], True, True),
        _record("exercise", "00", EX00[1], False, True, 3),
    ])
    _export(tmp_path / "ben.json", "Ben", [
        _record("quiz", "02", QUIZ02[0], False, False),
        _record("exercise", "00", EX00[0], False, False),
    ])
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "other.json").write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    (tmp_path / "future.json").write_text(json.dumps({"format_version": 99, "records": []}), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a progress file and not .json: ignored", encoding="utf-8")
    return tmp_path


def test_denominators_are_the_banks_scored_items_and_the_sets_exercises(folder):
    table, skipped = report.class_report(folder)
    assert list(table.index) == ["Ana", "Ben"]
    ana, ben = table.loc["Ana"], table.loc["Ben"]
    assert ana[("02", "quiz_right")] == 1 and ana[("02", "quiz_of")] == len(QUIZ02) > 2
    assert ben[("02", "quiz_of")] == len(QUIZ02)  # the same for everyone, whatever they attempted
    assert ana[("00", "exercises_correct")] == 2 and ana[("00", "exercises_of")] == len(EX00) == 6
    assert ben[("00", "exercises_correct")] == 0 and ben[("00", "exercises_of")] == 6
    assert ana[("02", "practice_answered")] == 1 and ana[("02", "practice_right")] == 1
    assert len(skipped) == 3 and "notes.txt" not in "\n".join(skipped)


def test_learners_are_merged_by_normalised_name_with_a_warning(tmp_path):
    _export(tmp_path / "pc1.json", "Ana Novak", [_record("exercise", "00", EX00[0], False, False, 2, T, T)])
    _export(tmp_path / "pc2.json", "  ana   NOVAK ", [_record("exercise", "00", EX00[0], True, True, 1, T2, T2)])
    _export(tmp_path / "bob.json", "Bob", [])
    _export(tmp_path / "a.json", "Bob (a.json)", [])  # a label lookalike is another learner, never a replacement
    _export(tmp_path / "x.json", None, [])
    _export(tmp_path / "y.json", "", [])
    data = report.read_folder(tmp_path)
    assert sorted(data.learners) == ["(no name) x.json", "(no name) y.json", "Ana Novak", "Bob", "Bob (a.json)"]
    ana = data.learners["Ana Novak"]
    assert ana.files == ["pc1.json", "pc2.json"]
    (entry,) = ana.records.values()
    assert entry["attempts"] == 3 and entry["ever_correct"] and not entry["first_try_correct"]
    assert any("merged 2 files" in w and "pc1.json" in w for w in data.warnings)


def test_unknown_ids_other_versions_and_forged_records_are_reported_not_counted(tmp_path):
    _export(tmp_path / "stale.json", "Old", [_record("quiz", "02", QUIZ02[0], True, True)], version="0.0.1")
    _export(tmp_path / "odd.json", "Odd", [
        _record("quiz", "10", "renamed-question", False, False),
        _record("exercise", "03", "03.99-does-not-exist", True, True),
        _record("quiz", "02", QUIZ02[0], True, False),  # right first try but never right: forged
        _record("exercise", "00", EX00[0], True, True, first_time=T2, last_time=T),  # out of order
        _record("exercise", "00", EX00[1], True, True),
        _record("exercise", "00", EX00[1], True, True),  # listed twice
        _record("exercise", "00", EX00[2], True, True),
    ])
    data = report.read_folder(tmp_path)
    assert list(data.learners) == ["Odd"]
    assert any("stale.json" in s and "version" in s for s in data.skipped)
    text = "\n".join(data.warnings)
    assert "10/renamed-question" in text and "03.99-does-not-exist" in text
    assert "right on the first try but never right" in text and "first attempt after the last" in text
    assert "listed twice" in text
    table = report.summary_table(data)
    assert list(dict.fromkeys(table.columns.get_level_values("notebook"))) == ["00"]
    assert table.loc["Odd", ("00", "exercises_correct")] == 2  # EX00[1] once, EX00[2]
    assert table.loc["Odd", ("00", "exercises_of")] == 6
    both = report.read_folder(tmp_path, any_version=True)
    assert sorted(both.learners) == ["Odd", "Old"]


def test_subfolders_and_any_case_json_are_read(tmp_path):
    _export(tmp_path / "UPPER.JSON", "Upper", [])
    _export(tmp_path / "lms" / "student 1" / "progress.Json", "Nested", [])
    assert sorted(report.read_folder(tmp_path).learners) == ["Nested", "Upper"]


def test_csv_has_one_row_per_learner_with_totals(folder, tmp_path_factory, capsys):
    out = tmp_path_factory.mktemp("out")
    _export(folder / "eve.json", "=HYPERLINK(\"x\")", [])
    assert report.main([str(folder), "--csv", str(out / "grades.csv"), "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8"))))
    assert [r["learner"] for r in rows] == ["'=HYPERLINK(\"x\")", "Ana", "Ben"]
    ana = rows[1]
    assert ana["02 quiz right first try"] == "1" and ana["02 quiz questions"] == str(len(QUIZ02))
    assert ana["00 exercises correct"] == "2" and ana["00 exercises in set"] == "6"
    assert ana["02 practice answered"] == "1"
    assert ana["exercises in set"] == str(6 + len(CAT.exercises["02"]))  # both notebooks someone worked on
    assert ana["quiz questions"] == str(len(QUIZ02) + len(CAT.scored_quiz("00")))
    assert "grades.csv" in capsys.readouterr().out


def test_weakest_items_need_enough_learners_and_leave_practice_out(tmp_path):
    for i in range(6):  # six learners miss the exercise; one learner misses a quiz question
        _export(tmp_path / f"l{i}.json", f"L{i}", [_record("exercise", "00", EX00[0], False, i == 0)]
                + ([_record("quiz", "02", QUIZ02[0], False, False),
                    _record("quiz", "02", PRACTICE02[0], False, False)] if i == 0 else []))
    data = report.read_folder(tmp_path)
    items = report.weakest_items(data, min_learners=5)
    assert items["item"].tolist() == [EX00[0]]  # the 0-of-1 quiz question is not ranked above 1 of 6
    assert items.loc[0, "right"] == 1 and items.loc[0, "learners"] == 6
    assert items.loc[0, "text"].startswith(EX00[0] + " ")  # the exercise's title, not only its id
    everything = report.weakest_items(data, min_learners=1)
    assert PRACTICE02[0] not in everything["item"].tolist()
    quiz_row = everything[everything["item"] == QUIZ02[0]].iloc[0]
    assert quiz_row["text"] == report.safe_text(CAT.quiz["02"][QUIZ02[0]][1], 70)


def test_command_prints_short_lines_and_writes_the_chart(folder, capsys):
    assert report.main([str(folder), "--min-learners", "1"]) == 0
    out = capsys.readouterr().out
    assert "skipped:" in out and "broken.json" in out
    ana = next(line for line in out.splitlines() if line.startswith("Ana"))
    assert f"quiz 1/{len(QUIZ02)}" in ana and "ex 2/6" in ana
    table = [line for line in out.splitlines() if not line.startswith(("skipped", "warning", "Class", "Chart"))]
    assert max(len(line) for line in table) < 120  # the "Chart …" line is the chart's path: as long as the folder
    chart = folder / "class-report.png"
    assert chart.read_bytes()[:8] == PNG_SIGNATURE and chart.stat().st_size > 5000


def test_ten_notebooks_and_a_long_name_keep_lines_short(tmp_path, capsys):
    records = [_record("exercise", nb, sorted(CAT.exercises[nb])[0], True, True) for nb in sorted(CAT.exercises)]
    _export(tmp_path / "long.json", "A" * 300, records)
    assert report.main([str(tmp_path)]) == 0
    table_lines = [line for line in capsys.readouterr().out.splitlines()
                   if not line.startswith(("skipped", "warning", "Class", "Chart", "CSV"))]
    assert len(table_lines) >= 8 and max(len(line) for line in table_lines) <= 110


def test_control_characters_never_reach_the_terminal(tmp_path, capsys):
    _export(tmp_path / "evil\x1b[2J.json", "Mallory\x1b[31m\x07\u202e", [_record("quiz", "02", "\x1b]0;x\x07", True,
                                                                                True)])
    assert report.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "Mallory" in out


def test_missing_or_empty_folders_are_reported_not_raised(tmp_path, capsys):
    assert report.main([str(tmp_path / "nope")]) == 1
    assert "is not a folder" in capsys.readouterr().out
    (tmp_path / "bad.json").write_text("[]", encoding="utf-8")
    assert report.main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "skipped:" in out and "No readable progress files" in out


# --- hostile hand-ins -----------------------------------------------------------------------------------------------

def _run_report(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """In a subprocess with a timeout, so a hang fails the test instead of stopping the suite."""
    return subprocess.run([sys.executable, "-m", "alliance_course", "report", str(folder), *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "MPLBACKEND": "Agg"})


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs and symbolic links")
def test_hostile_folder_links_fifos_devices_and_huge_files(tmp_path):
    hand_in = tmp_path / "hand-in"
    _export(hand_in / "ok.json", "Ok", [_record("exercise", "00", EX00[0], True, True)])
    precious = tmp_path / "precious.txt"
    precious.write_text("do not overwrite", encoding="utf-8")
    (hand_in / report.CHART_NAME).symlink_to(precious)  # a link named like the chart
    os.mkfifo(hand_in / "a.json")  # a FIFO would block a plain open()
    (hand_in / "z.json").symlink_to("/dev/zero")  # endless data
    (hand_in / "ok-link.json").symlink_to(hand_in / "ok.json")
    with open(hand_in / "huge.json", "wb") as handle:  # larger than any export (sparse: costs no disk)
        handle.truncate(report.MAX_FILE_BYTES + 1)
    result = _run_report(hand_in)
    out = result.stdout
    assert precious.read_text(encoding="utf-8") == "do not overwrite"
    assert (hand_in / report.CHART_NAME).is_symlink()
    assert result.returncode == 1 and "not a regular file" in out and "not replaced" in out
    assert "a.json: is not a regular file" in out
    assert "z.json: is a symbolic link" in out and "ok-link.json: is a symbolic link" in out
    assert "huge.json: is" in out and "not read" in out
    assert "Traceback" not in result.stderr
    # with a safe place for the chart, the report goes through, and writes only there
    before = sorted(p.name for p in hand_in.iterdir())
    result = _run_report(hand_in, "--out", str(tmp_path / "chart.png"), "--csv", str(tmp_path / "grades.csv"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in hand_in.iterdir()) == before
    assert (tmp_path / "chart.png").read_bytes()[:8] == PNG_SIGNATURE
    assert "Ok" in (tmp_path / "grades.csv").read_text(encoding="utf-8")


def test_a_real_export_round_trips(tmp_path, monkeypatch):
    from alliance_course import progress

    monkeypatch.setenv("ALLIANCE_COURSE_PROGRESS", str(tmp_path / "store" / "progress.json"))
    progress.record("exercise", "00", EX00[2], False)
    progress.record("exercise", "00", EX00[2], True)
    progress.set_learner("Dana")
    hand_in = tmp_path / "hand-in"
    hand_in.mkdir()
    progress.export(hand_in / "dana.json")
    table, skipped = report.class_report(hand_in)
    assert skipped == []
    assert table.loc["Dana", ("00", "exercises_correct")] == 1
