"""The class report: progress exports → learner × notebook table and a chart; bad files are skipped, not fatal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alliance_course import report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
T = "2026-11-01T10:00:00+00:00"


def _record(kind: str, notebook: str, item: str, first: bool, ever: bool, attempts: int = 1) -> dict:
    return {"kind": kind, "notebook": notebook, "item": item, "attempts": attempts, "first_try_correct": first,
            "ever_correct": ever, "first_time": T, "last_time": T}


def _export(folder: Path, name: str, learner: str | None, records: list[dict]) -> Path:
    path = folder / name
    path.write_text(json.dumps({"format_version": 1, "learner": learner, "course_version": "0.1.0",
                                "created": T, "updated": T, "exported": T, "records": records}),
                    encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    _export(tmp_path, "ana.json", "Ana", [
        _record("quiz", "02", "art5-automatic", False, True, 2),
        _record("quiz", "02", "art4-consult", True, True),
        _record("exercise", "00", "00.1", True, True),
        _record("exercise", "00", "00.2", False, True, 3),
    ])
    _export(tmp_path, "ben.json", "Ben", [
        _record("quiz", "02", "art5-automatic", False, False),
        _record("exercise", "00", "00.1", False, False),
    ])
    _export(tmp_path, "anonymous.json", None, [_record("quiz", "02", "art4-consult", True, True)])
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "other.json").write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    _export(tmp_path, "future.json", "Cleo", []).write_text(
        json.dumps({"format_version": 99, "records": []}), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a progress file and not .json: ignored", encoding="utf-8")
    return tmp_path


def test_table_counts_first_try_quiz_scores_and_correct_exercises(folder):
    table, skipped = report.class_report(folder)
    assert list(table.index) == ["Ana", "anonymous", "Ben"]
    assert list(dict.fromkeys(table.columns.get_level_values("notebook"))) == ["00", "02"]
    assert table.loc["Ana", ("02", "quiz_first_try")] == 1 and table.loc["Ana", ("02", "quiz_attempted")] == 2
    assert table.loc["Ana", ("00", "exercises_correct")] == 2
    assert table.loc["Ana", ("00", "exercises_attempted")] == 2
    assert table.loc["Ben", ("00", "exercises_correct")] == 0 and table.loc["Ben", ("00", "exercises_attempted")] == 1
    assert table.loc["anonymous", ("02", "quiz_first_try")] == 1
    assert table.loc["anonymous", ("00", "exercises_attempted")] == 0


def test_unreadable_files_are_listed_and_skipped(folder):
    _, skipped = report.class_report(folder)
    assert len(skipped) == 3
    joined = "\n".join(skipped)
    assert "broken.json" in joined and "not valid JSON" in joined
    assert "other.json" in joined and "future.json" in joined and "newer version" in joined
    assert "notes.txt" not in joined


def test_two_files_of_one_learner_are_told_apart(tmp_path):
    _export(tmp_path, "a1.json", "Ana", [])
    _export(tmp_path, "a2.json", "Ana", [])
    table, _ = report.class_report(tmp_path)
    assert list(table.index) == ["Ana (a1.json)", "Ana (a2.json)"]


def test_weakest_items_rank_by_share_right(folder):
    items = report.weakest_items(report.read_folder(folder).exports)
    rows = [(r.kind, r.item, r.learners, r.right) for r in items.itertuples()]
    assert rows == [
        ("quiz", "art5-automatic", 2, 0),  # nobody right on the first try
        ("exercise", "00.1", 2, 1),
        ("quiz", "art4-consult", 2, 2),  # a tie: the item more learners attempted comes first
        ("exercise", "00.2", 1, 1),  # ever correct counts for exercises
    ]
    assert report.weakest_items(report.read_folder(folder).exports, limit=1)["item"].tolist() == ["art5-automatic"]


def test_command_prints_the_table_and_writes_the_chart(folder, capsys):
    assert report.main([str(folder)]) == 0
    out = capsys.readouterr().out
    assert "skipped:" in out and "broken.json" in out
    ana = next(line for line in out.splitlines() if line.startswith("Ana"))
    assert "quiz 0/0 · ex 2/2" in ana and "quiz 1/2 · ex 0/0" in ana
    chart = folder / "class-report.png"
    assert chart.read_bytes()[:8] == PNG_SIGNATURE and chart.stat().st_size > 5000


def test_out_may_be_a_file_or_a_folder(folder, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("out")
    assert report.main([str(folder), "--out", str(elsewhere)]) == 0
    assert (elsewhere / "class-report.png").exists()
    target = elsewhere / "nested" / "weak.png"
    assert report.main([str(folder), "--out", str(target)]) == 0
    assert target.read_bytes()[:8] == PNG_SIGNATURE


def test_missing_or_empty_folders_are_reported_not_raised(tmp_path, capsys):
    assert report.main([str(tmp_path / "nope")]) == 1
    assert "is not a folder" in capsys.readouterr().out
    (tmp_path / "bad.json").write_text("[]", encoding="utf-8")
    assert report.main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "skipped:" in out and "No readable progress files" in out


def test_a_real_export_round_trips(tmp_path, monkeypatch):
    from alliance_course import progress

    monkeypatch.setenv("ALLIANCE_COURSE_PROGRESS", str(tmp_path / "store" / "progress.json"))
    progress.record("exercise", "00", "00.3", False)
    progress.record("exercise", "00", "00.3", True)
    progress.set_learner("Dana")
    hand_in = tmp_path / "hand-in"
    hand_in.mkdir()
    progress.export(hand_in / "dana.json")
    table, skipped = report.class_report(hand_in)
    assert skipped == []
    assert table.loc["Dana", ("00", "exercises_correct")] == 1
