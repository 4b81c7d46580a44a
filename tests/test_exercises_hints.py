"""Hints teach, never answer: no hint contains its exercise's solution code or the answer itself.

Every hint (the ``hint=`` and ``hints=`` texts of each ``exercise(...)`` declaration in solutions/*.ipynb) is compared
with the solution block of the cell that checks that exercise:

- code: every sub-expression of the solution with two or more operations (calls, attributes, subscripts, arithmetic,
  comparisons), as a token sequence in which the names the solution itself creates match any word, must not occur in
  the hint, unless the learner's exercise notebook already shows it (the task text and the starter code);
- the answer: no number in the hint (digits or words) may equal a number answer (within its tolerance, also as a
  fraction or a percentage), or a value of a table answer; no item of a text, set or list answer may be named.
"""

from __future__ import annotations

import ast
import json
import re
from fractions import Fraction

import nbformat
import pytest

from alliance_course import exercise_build, paths

ROOT = paths.course_root()
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
ENTRIES = json.loads((ROOT / "data" / "answers.json").read_text(encoding="utf-8"))["exercises"]
TOKEN = re.compile(r"\w+|==|!=|<=|>=|\*\*|//|[-+*/<>()\[\].,&|~%]")
OPERATIONS = (ast.Call, ast.Attribute, ast.Subscript, ast.BinOp, ast.Compare, ast.BoolOp, ast.UnaryOp)
WILD = "\0"
NUMBER_WORDS = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
NUMBER_WORDS.update({word: 10 * value for value, word in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)})


def _tokens(text: str) -> list[str]:
    return [token.casefold() for token in TOKEN.findall(text)]


def _declarations() -> list[tuple[str, str, list[str], str, str]]:
    """(exercise id, notebook, hints, solution code, the learner's notebook text) for every declared exercise."""
    found = []
    for path in SOLUTIONS:
        nb = nbformat.read(path, as_version=4)
        exercise_nb = nbformat.read(ROOT / "exercises" / path.name, as_version=4)
        shown = "\n".join(cell.source for cell in exercise_nb.cells)
        solution_code: dict[str, str] = {}
        for cell in nb.cells:
            match = re.search(r"""\bcheck\(\s*["'](\d\d\.\d+)["']""", cell.source)
            if cell.cell_type == "code" and match and "instructor" not in cell.metadata.get("tags", []):
                lines = []
                for segment in exercise_build._segments(cell.source, path.name):
                    if isinstance(segment, exercise_build._Block):
                        lines.extend(segment.lines)
                    elif exercise_build._INLINE.search(segment) or exercise_build._NO_PROMPT_LINE.search(segment):
                        lines.append(segment)
                solution_code[match.group(1)] = "\n".join(lines)
        for cell in nb.cells:
            if cell.cell_type != "code" or "instructor" not in cell.metadata.get("tags", []):
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "exercise":
                    exercise_id = node.args[0].value
                    found.append((exercise_id, path.name, _hint_texts(node, exercise_id, cell.source),
                                  solution_code.get(exercise_id, ""), shown))
    return found


def _hint_texts(call: ast.Call, exercise_id: str, cell: str) -> list[str]:
    """The hint texts of one declaration: literal ``hint=``; ``hints=`` as a literal dict or list of pairs, or built
    from a dict literal elsewhere in the cell (whose values are then the texts)."""
    texts = []
    for keyword in call.keywords:
        if keyword.arg == "hint":
            texts.append(keyword.value)
        elif keyword.arg == "hints":
            pairs = keyword.value
            if isinstance(pairs, ast.Dict):
                texts.extend(pairs.values)
            elif isinstance(pairs, (ast.List, ast.Tuple)):
                texts.extend(element.elts[1] for element in pairs.elts)
            else:
                texts.extend(value for node in ast.walk(ast.parse(cell)) if isinstance(node, ast.Dict)
                             for value in node.values)
    for node in texts:
        assert isinstance(node, ast.Constant) and isinstance(node.value, str), \
            f"{exercise_id}: hints must be literal text, so that this test can read them"
    return [node.value for node in texts]


DECLARATIONS = _declarations()


def _solution_expressions(code: str) -> list[list[str]]:
    """Token sequences of the solution's sub-expressions with two or more operations; names the solution binds are
    wildcards (the learner would name them differently)."""
    tree = ast.parse(code)
    bound = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    sequences = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.expr) or not isinstance(node, OPERATIONS):
            continue
        if sum(isinstance(inner, OPERATIONS) for inner in ast.walk(node)) < 2:
            continue
        tokens = [WILD if token in {b.casefold() for b in bound} else token
                  for token in _tokens(ast.unparse(node))]
        sequences.append(tokens)
    return sequences


def _occurs(pattern: list[str], tokens: list[str]) -> bool:
    n = len(pattern)
    for start in range(len(tokens) - n + 1):
        window = tokens[start:start + n]
        if all(p == t or (p == WILD and re.fullmatch(r"\w+", t)) for p, t in zip(pattern, window)):
            return True
    return False


def _numbers(text: str) -> list[Fraction]:
    text = re.sub(r"\d{4}-\d{2}-\d{2}", " ", text)  # a date is not a count
    found = [Fraction(match.replace(",", "")) for match in re.findall(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?", text)]
    words = re.findall(r"[a-z]+(?:-[a-z]+)?", text.casefold())
    for word in words:
        parts = word.split("-")
        if all(part in NUMBER_WORDS for part in parts):
            found.append(Fraction(sum(NUMBER_WORDS[part] for part in parts)))
    return found


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    from solution_answers import run_solutions

    return run_solutions(tmp_path_factory.mktemp("record") / "record.json").answers


def test_every_exercise_has_hints_and_a_solution_block():
    declared = {exercise_id for exercise_id, *_ in DECLARATIONS}
    assert declared == set(ENTRIES), "every checked exercise declares its hints with exercise(...)"
    for exercise_id, notebook, hints, code, _ in DECLARATIONS:
        assert hints, f"{notebook} {exercise_id}: no hint"
        assert code.strip(), f"{notebook} {exercise_id}: no solution block in the cell that checks it"


@pytest.mark.parametrize("exercise_id, notebook, hints, code, shown", DECLARATIONS,
                         ids=[d[0] for d in DECLARATIONS])
def test_no_hint_contains_the_solutions_code(exercise_id, notebook, hints, code, shown):
    already_shown = _tokens(shown)
    secret = [seq for seq in _solution_expressions(code) if not _occurs(seq, already_shown)]
    for hint in hints:
        words = _tokens(hint)
        leaked = [" ".join("…" if t == WILD else t for t in seq) for seq in secret if _occurs(seq, words)]
        assert not leaked, f"{notebook} {exercise_id}: the hint {hint!r} spells out solution code: {leaked}"


@pytest.mark.parametrize("exercise_id, notebook, hints, code, shown", DECLARATIONS,
                         ids=[d[0] for d in DECLARATIONS])
def test_no_hint_gives_the_answer_away(answers, exercise_id, notebook, hints, code, shown):
    import pandas as pd

    spec = ENTRIES[exercise_id]["spec"]
    answer = answers[exercise_id]
    tolerance = Fraction(str(spec.get("tolerance", 0)))
    if spec["kind"] == "number":
        value = Fraction(float(answer)) if not isinstance(answer, int) else Fraction(answer)
        # the answer, and the answer as a percentage or a fraction, each with its tolerance scaled alike
        targets = [(value, tolerance), (value * 100, tolerance * 100), (value / 100, tolerance / 100)]
    elif spec["kind"] == "table":
        frame = answer.to_frame() if isinstance(answer, pd.Series) else answer
        targets = [(Fraction(float(v)), tolerance) for column in frame.columns for v in frame[column]
                   if pd.notna(v) and (float(v) != int(float(v)) or abs(float(v)) >= 10)]
    else:
        targets = []
    items = ([answer] if spec["kind"] == "text" else
             [str(item) for item in answer] if spec["kind"] in ("set", "list") else [])
    for hint in hints:
        for number in _numbers(hint):
            close = [t for t, tol in targets if abs(number - t) <= max(tol, Fraction(1, 10**9))]
            assert not close, f"{notebook} {exercise_id}: the hint {hint!r} contains the answer {float(number)}"
        for item in items:
            assert not re.search(rf"(?<!\w){re.escape(item.casefold())}(?!\w)", hint.casefold()), \
                f"{notebook} {exercise_id}: the hint {hint!r} names {item!r}, part of the answer"
