"""Build mode: solutions' ``check`` and ``exercise`` calls record the reference answers' fingerprints."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._common import write_atomic
from .fingerprints import answer_fingerprints, solution_fingerprints
from .forms import _real
from .spec import (
    EXERCISE_ID, FORMAT_VERSION, RECORD_ENV, AnswerError, CheckResult, ExerciseSpecError, infer_kind, salt_for,
    validate_spec,
)

@dataclass
class _Declared:
    spec: dict[str, Any]
    hint: str | None
    hints: list[tuple[Any, str]]
    also_accept: list[Any]


class _Recorder:
    """Collects the solutions' answers and declarations in one kernel and writes their fingerprints to a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.declared: dict[str, _Declared] = {}
        self.answers: dict[str, Any] = {}
        self.entries: dict[str, dict[str, Any]] = {}

    def declare(self, exercise_id: str, declared: _Declared) -> None:
        if exercise_id in self.declared:
            raise ExerciseSpecError(f"exercise {exercise_id} is declared twice")
        self.declared[exercise_id] = declared
        self._update(exercise_id)

    def answer(self, exercise_id: str, answer: Any) -> CheckResult:
        _require_id(exercise_id)
        if exercise_id in self.answers:
            raise ExerciseSpecError(f"exercise {exercise_id} is checked twice in the solutions")
        if answer is Ellipsis or answer is None:
            raise ExerciseSpecError(f"the solution's answer to {exercise_id} is {answer!r}; "
                                    "the solution notebook must compute the real answer")
        self.answers[exercise_id] = answer
        self._update(exercise_id)
        return CheckResult(exercise_id, "correct", "Recorded as the reference answer (build mode).")

    def _update(self, exercise_id: str) -> None:
        declared = self.declared.get(exercise_id)
        if exercise_id in self.answers:
            self.entries[exercise_id] = _entry(exercise_id, self.answers[exercise_id], declared)
        elif declared is not None:
            self.entries[exercise_id] = {"declared_only": True}
        self._write()

    def _write(self) -> None:
        document = {"format_version": FORMAT_VERSION, "exercises": self.entries}
        write_atomic(self.path, json.dumps(document, sort_keys=True, ensure_ascii=False))


_active_recorder: _Recorder | None = None


def _recorder() -> _Recorder:
    global _active_recorder
    path = Path(os.environ[RECORD_ENV])
    if _active_recorder is None or _active_recorder.path != path:
        _active_recorder = _Recorder(path)
    return _active_recorder


def _require_id(exercise_id: Any) -> None:
    if not isinstance(exercise_id, str) or not EXERCISE_ID.match(exercise_id):
        raise ExerciseSpecError(f"exercise id {exercise_id!r} is not of the form '04.2' (notebook, dot, number)")


def _entry(exercise_id: str, answer: Any, declared: _Declared | None) -> dict[str, Any]:
    """The answers.json entry for one exercise (fingerprints only)."""
    spec_in = dict(declared.spec) if declared else {}
    if spec_in.get("kind") is None:
        spec_in["kind"] = infer_kind(answer)
    spec = validate_spec(spec_in)
    salt = salt_for(exercise_id)
    try:
        accept = set(solution_fingerprints(answer, spec, salt))
        for other in (declared.also_accept if declared else []):
            accept.update(solution_fingerprints(other, spec, salt))
    except AnswerError as exc:
        raise ExerciseSpecError(f"exercise {exercise_id}: the solution's answer does not fit kind "
                                f"{spec['kind']!r}: {exc}") from None
    if spec["kind"] == "number" and "tolerance" not in spec_in and _real(answer).denominator != 1:
        raise ExerciseSpecError(f"exercise {exercise_id}: the answer {float(answer)!r} is not a whole number, "
                                f"so declare its tolerance: exercise({exercise_id!r}, tolerance=...)")
    hints: dict[str, str] = {}
    for wrong, text in (declared.hints if declared else []):
        try:
            marks = answer_fingerprints(wrong, spec, salt)
        except AnswerError as exc:
            raise ExerciseSpecError(f"exercise {exercise_id}: a hinted wrong answer does not fit kind "
                                    f"{spec['kind']!r}: {exc}") from None
        mark = marks[0]
        if accept.intersection(marks):
            raise ExerciseSpecError(f"exercise {exercise_id}: a hinted wrong answer counts as correct (it is "
                                    "within the tolerance, or an equivalent form of the answer); remove that hint")
        hints[mark] = text
    return {
        "accept": sorted(accept),
        "hint": declared.hint if declared else None,
        "hints": hints,
        "salt": salt,
        "spec": spec,
    }


def exercise(exercise_id: str, *, kind: str | None = None, tolerance: float | None = None,
             ordered: bool | None = None, hint: str | None = None,
             hints: Mapping[Any, str] | Iterable[tuple[Any, str]] | None = None,
             also_accept: Iterable[Any] = ()) -> None:
    """Declare an exercise in a solution notebook, in a cell tagged ``instructor``.

    ``kind`` is inferred from the solution's answer when omitted; ``tolerance`` (numbers) defaults to exact;
    ``hint`` is shown for any wrong answer; ``hints`` maps common wrong answers to targeted hints (give a list of
    ``(answer, text)`` pairs when the wrong answers are unhashable, e.g. DataFrames); ``also_accept`` lists other
    answers that count as correct. Only fingerprints of these answers ever reach the learner's files. Outside the
    build this does nothing, so the solution notebook also runs as an ordinary notebook.
    """
    _require_id(exercise_id)
    spec = {key: value for key, value in (("kind", kind), ("tolerance", tolerance), ("ordered", ordered))
            if value is not None}
    if kind is not None:
        validate_spec(spec)
    pairs = list(hints.items()) if isinstance(hints, Mapping) else list(hints or [])
    if not all(isinstance(p, tuple) and len(p) == 2 and isinstance(p[1], str) for p in pairs):
        raise ExerciseSpecError(f"exercise {exercise_id}: hints must map wrong answers to hint text")
    if hint is not None and not isinstance(hint, str):
        raise ExerciseSpecError(f"exercise {exercise_id}: hint must be text")
    if os.environ.get(RECORD_ENV):
        _recorder().declare(exercise_id, _Declared(spec, hint, pairs, list(also_accept)))
