"""What is wrong with a quiz bank, in words its author understands: schema errors located by question and
field, duplicate ids, repeated texts, and the rules a schema cannot express."""

from __future__ import annotations

import math
import re
from typing import Any

from .._jsonschema import jsonschema
from .model import NumericRange

_SINGULAR = {"questions": "question", "options": "option", "steps": "step", "items": "item",
             "groups": "group", "ranges": "range", "wrong_values": "wrong value"}
_YAML_HINT = ("YAML reads yes/no/true/false/on/off as true or false, digits as numbers and 2025-03-02 as a "
              "date: put text in quotes")
_JSON_TYPES = {"string": "text", "number": "a number", "boolean": "true or false", "array": "a list",
               "object": "a mapping (key: value lines)", "integer": "a whole number"}


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{value} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} ({value})"


def _question_label(data: Any, index: int) -> str:
    questions = data.get("questions") if isinstance(data, dict) else None
    if isinstance(questions, list) and index < len(questions):
        question = questions[index]
        if isinstance(question, dict) and isinstance(question.get("id"), str) and question["id"].strip():
            return f"question {question['id']!r}"
    return f"question {index + 1}"


def _locate(path: list[Any], data: Any) -> tuple[str, str]:
    """(``question 'id'``, ``option 3``) for an instance path; either part may be empty."""
    question = ""
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        question = _question_label(data, path[1])
        path = path[2:]
    parts: list[str] = []
    i = 0
    while i < len(path):
        key = path[i]
        if isinstance(key, str) and i + 1 < len(path) and isinstance(path[i + 1], int):
            parts.append(f"{_SINGULAR.get(key, key)} {path[i + 1] + 1}")
            i += 2
        else:
            parts.append(str(key))
            i += 1
    return question, ": ".join(parts)


def _prefix(where: str, question: str) -> str:
    return f"{where}: {question}: " if question else f"{where}: "


def _key_problems(data: Any, where: str) -> list[str]:
    """Mapping keys that are not text (YAML turned them into numbers, booleans or dates)."""
    problems: list[str] = []

    def walk(node: Any, path: list[Any]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str):
                    walk(value, path + [key])
                else:
                    question, field = _locate(path, data)
                    at = f"{field}: " if field else ""
                    problems.append(f"{_prefix(where, question)}{at}the key {key!r} should be a word; "
                                    f"{_YAML_HINT}.")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, path + [index])

    walk(data, [])
    return problems


def _error_order(error: jsonschema.ValidationError) -> tuple[str, ...]:
    return tuple(f"{part:08d}" if isinstance(part, int) else str(part) for part in error.absolute_path)


def _allowed_fields(schema: dict[str, Any], node: dict[str, Any]) -> list[str]:
    fields = list(node.get("properties", {}))
    for part in node.get("allOf", []):
        ref = part.get("$ref", "")
        if ref.startswith("#/$defs/"):
            fields += _allowed_fields(schema, schema["$defs"][ref.removeprefix("#/$defs/")])
    return fields


def _describe_error(error: jsonschema.ValidationError, data: Any, schema: dict[str, Any], where: str) -> str:
    path = list(error.absolute_path)
    question, field = _locate(path, data)
    prefix = _prefix(where, question)
    at = f"{field}: " if field else ""
    custom = error.schema.get("x-error", {}) if isinstance(error.schema, dict) else {}
    kind = error.validator
    if kind in custom:
        return f"{prefix}{at}{custom[kind]}"
    if kind == "required":
        missing = re.match(r"'(.+)' is a required property", error.message)
        name = missing.group(1) if missing else str(error.validator_value)
        return f"{prefix}{field} has no {name}" if field else f"{prefix}missing field '{name}'"
    if kind == "dependentRequired":
        needs = re.match(r"'(.+)' is a dependency of '(.+)'", error.message)
        if needs:
            return f"{prefix}{at}'{needs.group(2)}' also needs '{needs.group(1)}'"
    if kind in ("unevaluatedProperties", "additionalProperties"):
        allowed = _allowed_fields(schema, error.schema) if kind == "unevaluatedProperties" else list(
            error.schema.get("properties", {}))
        unknown = [key for key in error.instance if key not in allowed] if isinstance(error.instance, dict) else []
        if not unknown:  # fields that failed their own checks count as unevaluated; those are reported already
            return ""
        names = ", ".join(repr(key) for key in unknown)
        return f"{prefix}{at}unknown field {names} (check the spelling; allowed: {', '.join(allowed)})"
    if kind == "type":
        expected = _JSON_TYPES.get(str(error.validator_value), str(error.validator_value))
        hint = f" ({_YAML_HINT})" if expected == "text" and not isinstance(error.instance, (list, dict)) else ""
        subject = field or (question and "the question") or "the file"
        return f"{prefix}{subject} should be {expected}, not {_kind(error.instance)}{hint}"
    if kind == "minItems":
        return f"{prefix}{at}needs at least {error.validator_value} entries"
    if kind == "maxItems":
        return f"{prefix}{at}has more than {error.validator_value} entries"
    if kind == "uniqueItems":
        return f"{prefix}{at}lists the same entry twice"
    if kind == "minimum":
        return f"{prefix}{at}must be {error.validator_value} or more"
    return f"{prefix}{at}{error.message}"


def _duplicate_ids(questions: list[Any], where: str) -> list[str]:
    seen: dict[str, int] = {}
    problems = []
    for index, question in enumerate(questions, start=1):
        qid = question.get("id") if isinstance(question, dict) else None
        if isinstance(qid, str):
            if qid in seen:
                problems.append(f"{where}: question {qid!r}: the id is used twice (questions {seen[qid]} "
                                f"and {index}); ids must be unique in a bank")
            else:
                seen[qid] = index
    return problems


def _repeated(texts: list[str]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for text in texts:
        key = text.strip().lower()
        if key in seen and text not in repeated:
            repeated.append(text)
        seen.add(key)
    return repeated


def _rule_problems(data: dict[str, Any], where: str) -> list[str]:
    """What the schema cannot say. Runs only on a bank that passed the schema."""
    problems = _duplicate_ids(data["questions"], where)
    for question in data["questions"]:
        prefix = f"{where}: question {question['id']!r}: "
        kind = question["type"]
        if kind in ("single", "multiple"):
            for text in _repeated([option["text"] for option in question["options"]]):
                problems.append(f"{prefix}two options have the same text {text!r}")
        elif kind == "order":
            for text in _repeated([step["text"] for step in question["steps"]]):
                problems.append(f"{prefix}the step {text!r} is repeated; every step must be different")
        elif kind == "categorize":
            groups = question["groups"]
            for text in _repeated(groups):
                problems.append(f"{prefix}the group {text!r} is listed twice")
            for text in _repeated([item["text"] for item in question["items"]]):
                problems.append(f"{prefix}the item {text!r} is listed twice")
            for number, item in enumerate(question["items"], start=1):
                if item["group"] not in groups:
                    problems.append(f"{prefix}item {number} has group {item['group']!r}, which is not one of "
                                    f"the groups ({', '.join(groups)})")
        elif kind == "numeric":
            problems += [prefix + problem for problem in _numeric_problems(question)]
    return problems


def _numeric_problems(question: dict[str, Any]) -> list[str]:
    problems = []
    numbers = [question.get("value"), question.get("tolerance")]
    numbers += [r[k] for r in question.get("ranges", []) for k in ("min", "max")]
    numbers += [w.get(k) for w in question.get("wrong_values", []) for k in ("value", "tolerance")]
    if any(isinstance(n, float) and not math.isfinite(n) for n in numbers):
        problems.append("numbers must be finite (no .inf or .nan)")
        return problems
    ranges = [NumericRange(r["min"], r["max"], r["feedback"], r.get("correct", False))
              for r in question.get("ranges", [])]
    for number, numeric_range in enumerate(ranges, start=1):
        if numeric_range.min > numeric_range.max:
            problems.append(f"range {number}: min ({numeric_range.min}) is larger than max ({numeric_range.max})")
    for number, wrong in enumerate(question.get("wrong_values", []), start=1):
        value = wrong["value"]
        in_answer = "value" in question and abs(value - question["value"]) <= question.get("tolerance", 0)
        if in_answer or any(r.correct and value in r for r in ranges):
            problems.append(f"wrong value {number} ({value}) would also count as correct; "
                            "move it outside the correct answer")
    return problems
