"""Loading and validating question banks (``data/quizzes/NN-slug.yaml``).

The format is described once, as a JSON Schema, in ``data/quizzes/schema.json``. Loading a bank:

1. reads the YAML (syntax errors and duplicate keys are reported with file, line and column);
2. validates it with ``jsonschema`` and rewrites each error as ``file: question 'id': where: what``;
3. checks the few rules a schema cannot express (unique ids and texts, categorize groups that exist,
   sensible numeric ranges);
4. builds the question dataclasses from :mod:`.model`.

Every problem becomes a :class:`BankError` (a :class:`QuizError`, itself a ``ValueError``) whose message lists
all problems found, one per line, never a bare traceback from the YAML or schema library.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .._jsonschema import jsonschema
import yaml

from .. import paths
from .._common import normalize_notebook as _normalize_notebook
from .problems import _describe_error, _duplicate_ids, _error_order, _key_problems, _kind, _rule_problems
from .model import (
    QUESTION_TYPES,
    _describe,
    CategorizeQuestion,
    Item,
    MultipleQuestion,
    NumericQuestion,
    NumericRange,
    Option,
    OrderQuestion,
    Question,
    SingleQuestion,
    Step,
    TrueFalseQuestion,
    WrongValue,
)

SCHEMA_NAME = "schema.json"
#: The SHA-256 of every shipped bank (and of the schema) that passed full validation when the course was built
#: (``python -m alliance_course build``; a test keeps it current). A bank whose text still has that digest is not
#: validated again in every kernel: validation took most of the time of loading a bank. Any edit changes the
#: digest, so an edited bank is validated in full and its problems named as always.
MANIFEST_NAME = "validated.json"
_NOTEBOOK = re.compile(r"^[0-9]{2}$")


class QuizError(ValueError):
    """A friendly error about quizzes: unknown notebook or question id, or a broken bank."""


class BankError(QuizError):
    """A question bank that cannot be loaded; ``problems`` lists every problem, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Bank:
    """One notebook's questions, in file order."""

    notebook: str
    title: str
    path: Path
    questions: tuple[Question, ...]

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(question.id for question in self.questions)

    @property
    def scored(self) -> tuple[Question, ...]:
        """The questions that count toward a score (every question but the predictions)."""
        return tuple(question for question in self.questions if question.scored)

    def for_learner(self, seed: str) -> Bank:
        """The bank as learner ``seed`` sees it: the options of single- and multiple-choice questions in that
        learner's order (see :func:`.model.permutation`); the same seed always gives the same order."""
        return _shuffled_bank(self, seed)

    def question(self, question_id: str) -> Question:
        """The question with ``question_id``; a :class:`QuizError` listing the ids if there is none."""
        if not isinstance(question_id, str):
            raise QuizError(f"Question ids are text, like {self.ids[0]!r}; {_describe(question_id)} is not one. "
                            f"The quiz for notebook {self.notebook} has: {', '.join(self.ids)}.")
        for question in self.questions:
            if question.id == question_id:
                return question
        raise QuizError(f"The quiz for notebook {self.notebook} has no question {_describe(question_id)}. "
                        f"Its questions are: {', '.join(self.ids)}.")


@lru_cache(maxsize=64)
def _shuffled_bank(bank: Bank, seed: str) -> Bank:
    return Bank(notebook=bank.notebook, title=bank.title, path=bank.path,
                questions=tuple(question.shuffled(seed) for question in bank.questions))


def display_path(path: Path) -> str:
    """``data/quizzes/02-treaty.yaml`` for files in the course, the full path otherwise."""
    try:
        return path.resolve().relative_to(paths.course_root()).as_posix()
    except ValueError:
        return str(path)


def normalize_notebook(notebook: Any) -> str:
    """``"02"`` from ``"02"``, ``"2"`` or ``2``; a :class:`QuizError` for anything else."""
    return _normalize_notebook(notebook, QuizError,
                               message="Notebooks are numbered with two digits, like \"02\"; {value} is not one.")


def available_banks() -> dict[str, Path]:
    """Every bank in :func:`paths.quizzes_dir`, by notebook number."""
    folder = paths.quizzes_dir()
    banks: dict[str, Path] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("[0-9][0-9]-*.yaml")):
            banks.setdefault(path.name[:2], path)
    return banks


def bank_path(notebook: Any) -> Path:
    """The bank file of ``notebook`` (found by its ``NN-`` prefix)."""
    number = normalize_notebook(notebook)
    folder = paths.quizzes_dir()
    matches = sorted(folder.glob(f"{number}-*.yaml")) if folder.is_dir() else []
    if len(matches) > 1:
        names = ", ".join(path.name for path in matches)
        raise QuizError(f"Notebook {number} has more than one quiz bank in {folder}: {names}. Keep one.")
    if not matches:
        existing = available_banks()
        listing = ", ".join(f"{n} ({p.name})" for n, p in existing.items()) or "none yet"
        raise QuizError(f"There is no quiz for notebook {number}. Quizzes exist for: {listing}.")
    return matches[0]


def load_bank(notebook_or_path: Any) -> Bank:
    """Load and validate a bank: by notebook number (``"02"``) or by the path of a YAML file."""
    if isinstance(notebook_or_path, Path) or (
            isinstance(notebook_or_path, str) and notebook_or_path.endswith((".yaml", ".yml"))):
        path = Path(notebook_or_path)
    else:
        path = bank_path(notebook_or_path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise QuizError(f"{display_path(path)}: cannot read the quiz bank ({exc.strerror or exc}).") from None
    schema_file = paths.quizzes_dir() / SCHEMA_NAME
    return _load_cached(path.resolve(), stat.st_mtime_ns, stat.st_size, schema_file, _mtime(schema_file))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def _digest_of(path: Path, _mtime_ns: int) -> str:
    try:
        return _sha256(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return ""


@lru_cache(maxsize=4)
def _manifest(path: Path, _mtime_ns: int) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _rules_digest() -> str:
    """A digest of the code that decides what a valid bank is (this module, the problem rules, the question
    models): a manifest written by other code (an older or a newer package) vouches for nothing."""
    return _code_digest(Path(__file__).parent)


@lru_cache(maxsize=4)
def _code_digest(package: Path) -> str:
    sources = [package / "bank.py", package / "problems.py", *sorted((package / "model").glob("*.py"))]
    digest = hashlib.sha256()
    for source in sources:
        try:
            digest.update(source.read_text(encoding="utf-8").encode("utf-8"))  # newlines normalised, as for banks
        except OSError:
            return ""  # no source to compare (an unusual install): nothing is trusted
    return digest.hexdigest()


def _validated_before(path: Path, text: str, schema_file: Path) -> bool:
    """Whether this exact text, with this exact schema and these rules, passed full validation when the course
    was built."""
    folder = schema_file.parent
    if path.parent != folder.resolve():
        return False
    manifest_file = folder / MANIFEST_NAME
    manifest = _manifest(manifest_file, _mtime(manifest_file))
    banks = manifest.get("banks")
    rules = _rules_digest()
    return (isinstance(banks, dict) and banks.get(path.name) == _sha256(text) and bool(rules)
            and manifest.get("rules") == rules
            and manifest.get("schema") == _digest_of(schema_file, _mtime(schema_file)))


def validation_manifest() -> dict[str, Any]:
    """Validate every shipped bank in full (raising :class:`BankError` on the first bad one) and return the
    manifest of their digests (see :data:`MANIFEST_NAME`)."""
    schema_file = paths.quizzes_dir() / SCHEMA_NAME
    banks = {}
    for _number, path in sorted(available_banks().items()):
        _load_cached.__wrapped__(path.resolve(), 0, 0, schema_file, _mtime(schema_file), trust=False)
        banks[path.name] = _sha256(path.read_text(encoding="utf-8"))
    return {"about": "SHA-256 of each quiz bank that passed full validation, with the schema and the rules in code "
                     "that validated it; written by `python -m alliance_course build`. A bank with another "
                     "digest, or under another schema or other rules, is validated when loaded.",
            "schema": _digest_of(schema_file, _mtime(schema_file)), "rules": _rules_digest(), "banks": banks}


def update_manifest(check: bool = False) -> list[str]:
    """Write (or with ``check``, only compare) the manifest; returns it in a list when it was out of date."""
    if not available_banks():
        return []  # a course without quizzes (or a test's small course) has nothing to record
    target = paths.quizzes_dir() / MANIFEST_NAME
    text = json.dumps(validation_manifest(), indent=2, sort_keys=True) + "\n"
    try:
        current = target.read_text(encoding="utf-8")
    except OSError:
        current = None
    if current == text:
        return []
    if not check:
        target.write_text(text, encoding="utf-8")
    return [f"data/quizzes/{MANIFEST_NAME}"]


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


@lru_cache(maxsize=64)
def _load_cached(path: Path, _mtime_ns: int, _size: int, schema_file: Path, _schema_mtime: int, *,
                 trust: bool = True) -> Bank:
    where = display_path(path)
    text = _read_text(path, where)
    if trust and _validated_before(path, text, schema_file):
        data = _parse_yaml(text, where)
        return _bank(path, data)
    _refuse_aliases(text, where)
    data = _parse_yaml(text, where)
    validator = _validator(schema_file, _schema_mtime)
    problems = _key_problems(data, where)
    if not problems:
        try:
            errors = sorted(validator.iter_errors(data), key=_error_order)
        except Exception as exc:  # only a broken schema file makes the validator itself fail
            raise QuizError(f"The quiz bank schema {display_path(schema_file)} is not a usable JSON Schema "
                            f"({type(exc).__name__}: {exc}).") from None
        described = (_describe_error(error, data, validator.schema, where) for error in errors)
        problems = [problem for problem in described if problem]
    if not problems:
        problems = _rule_problems(data, where)
    elif isinstance(data, dict) and isinstance(data.get("questions"), list):
        problems += _duplicate_ids(data["questions"], where)
    if problems:
        raise BankError(list(dict.fromkeys(problems)))
    return _bank(path, data)


def _bank(path: Path, data: dict[str, Any]) -> Bank:
    number = path.name[:2] if _NOTEBOOK.match(path.name[:2]) else path.stem
    return Bank(notebook=number, title=data["title"], path=path,
                questions=tuple(_build(question) for question in data["questions"]))


@lru_cache(maxsize=4)
def _validator(schema_file: Path, _mtime_ns: int) -> jsonschema.protocols.Validator:
    try:
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise QuizError(f"The quiz bank schema {display_path(schema_file)} cannot be read: {exc}") from None
    # The schema itself is checked against its meta-schema by the tests (tests/test_quiz_bank.py), not here: that
    # check took longer than validating a bank, in every kernel that shows a quiz.
    return jsonschema.validators.validator_for(schema)(schema)


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when present: ~5× faster
    """A safe loader that rejects a key given twice in one mapping (PyYAML would keep the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!r} appears twice in the same block", key_node.start_mark)
                seen.add(key)
            except TypeError:  # an unhashable key: the base class reports it
                pass
        return super().construct_mapping(node, deep=deep)


_EVENT_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_aliases(text: str, where: str) -> None:
    """Reject anchors and aliases (``&name`` / ``*name``) before anything is built from them.

    An alias makes YAML reuse a node; nested aliases multiply (a 549-byte "billion laughs" bank expands to
    billions of nodes and hangs loading and validation for minutes) and ``&q [*q]`` refers to itself. Banks never
    need them, so the parser's event stream (linear in the file size, nothing expanded) is scanned first and the
    first anchor or alias is reported with its line.
    """
    try:
        for event in yaml.parse(text, Loader=_EVENT_PARSER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                raise BankError([f"{where}: line {mark.line + 1}, column {mark.column + 1}: YAML anchors and "
                                 "aliases (&name, *name) are not allowed in quiz banks; write the text out "
                                 "in full."])
    except yaml.YAMLError:
        return  # a syntax error: reported with its position by the full load below


def _read_text(path: Path, where: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BankError([f"{where}: the file is not UTF-8 text; save it as UTF-8."]) from None
    except OSError as exc:
        raise BankError([f"{where}: cannot read the file ({exc.strerror or exc})."]) from None


def _parse_yaml(text: str, where: str) -> Any:
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = exc.problem or exc.context or "not valid YAML"
        hint = "" if isinstance(exc, yaml.constructor.ConstructorError) else (
            " (Text that contains ': ' or ' #', or starts with a quote, [, {, * or ?, must be put in quotes.)")
        raise BankError([f"{where}: {at}YAML problem: {what}.{hint}"]) from None
    except yaml.YAMLError as exc:
        raise BankError([f"{where}: not valid YAML: {exc}"]) from None
    if data is None:
        raise BankError([f"{where}: the file is empty; a bank needs a title and at least one question."])
    if not isinstance(data, dict):
        raise BankError([f"{where}: the file should be a mapping with 'title' and 'questions', "
                         f"not {_kind(data)}."])
    return data


def _build(raw: dict[str, Any]) -> Question:
    common = {key: raw.get(key) for key in ("id", "prompt", "objective", "explanation", "source",
                                             "misconception", "hint", "taught_in")}
    common["section"] = raw.get("section", "quiz")
    kind = raw["type"]
    cls = QUESTION_TYPES[kind]
    if cls in (SingleQuestion, MultipleQuestion):
        options = tuple(Option(o["text"], o["feedback"], o.get("correct", False)) for o in raw["options"])
        return cls(**common, options=options)
    if cls is TrueFalseQuestion:
        return TrueFalseQuestion(**common, answer=raw["answer"], feedback_true=raw["feedback_true"],
                                 feedback_false=raw["feedback_false"])
    if cls is NumericQuestion:
        return NumericQuestion(
            **common,
            value=float(raw["value"]) if "value" in raw else None,
            tolerance=float(raw.get("tolerance", 0)),
            correct_feedback=raw.get("correct_feedback"),
            ranges=tuple(NumericRange(float(r["min"]), float(r["max"]), r["feedback"], r.get("correct", False))
                         for r in raw.get("ranges", [])),
            wrong_values=tuple(WrongValue(float(w["value"]), w["feedback"], float(w.get("tolerance", 0)))
                               for w in raw.get("wrong_values", [])),
            other_feedback=raw["other_feedback"],
            unit=raw.get("unit"),
        )
    if cls is OrderQuestion:
        return OrderQuestion(**common, steps=tuple(Step(s["text"], s["feedback"]) for s in raw["steps"]))
    return CategorizeQuestion(**common, groups=tuple(raw["groups"]),
                              items=tuple(Item(i["text"], i["group"], i["feedback"]) for i in raw["items"]))
