"""Fingerprints: the salted SHA-256 of an answer's canonical forms, all that ever reaches a learner's files."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from .forms import _canonical_json, answer_forms, normalise
from .spec import validate_spec


def fingerprint(answer: Any, spec: Mapping[str, Any], salt: str = "") -> str:
    """SHA-256 (hex) of the salted, normalised answer. Raises :class:`AnswerError` like :func:`normalise`."""
    return _hash(normalise(answer, spec), salt)


def answer_fingerprints(answer: Any, spec: Mapping[str, Any], salt: str = "") -> list[str]:
    """The fingerprints of every form of :func:`answer_forms` (primary first): what ``check`` looks up."""
    return [_hash(form, salt) for form in answer_forms(answer, spec)]


def solution_fingerprints(answer: Any, spec: Mapping[str, Any], salt: str = "") -> list[str]:
    """Every fingerprint that counts as this answer (sorted).

    For a single number with a tolerance the rounding bucket *and its two neighbours* are accepted, so any answer
    within the tolerance is accepted even when the right answer sits next to a rounding boundary (3.1499 vs 3.1501
    with tolerance 0.01); answers more than twice the tolerance away never are.
    """
    spec = validate_spec(spec)
    canonical = normalise(answer, spec)
    if spec["kind"] != "number" or spec["tolerance"] == 0:
        return [_hash(canonical, salt)]
    bucket = json.loads(canonical)[1]
    step = int(bucket[len("~"):])
    return sorted(_hash(_canonical_json(["number", f"~{step + d}"]), salt) for d in (-1, 0, 1))


def _hash(canonical: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{canonical}".encode("utf-8")).hexdigest()
