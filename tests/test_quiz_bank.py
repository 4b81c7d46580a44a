"""Loading and validating question banks: the shipped banks, the broken fixtures, and field-by-field mutations."""

from __future__ import annotations

import copy
import csv
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from alliance_course import paths
from alliance_course.quiz import BankError, QuizError, load_bank
from alliance_course.quiz.bank import available_banks, bank_path, normalize_notebook
from alliance_course.quiz.model import QUESTION_TYPES

REAL_QUIZZES = paths.quizzes_dir()
SCHEMA = json.loads((REAL_QUIZZES / "schema.json").read_text(encoding="utf-8"))
FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
EXAMPLE = yaml.safe_load((FIXTURES / "99-example.yaml").read_text(encoding="utf-8"))
GUIDE = paths.course_root() / "instructors" / "writing-quiz-questions.md"


@pytest.fixture
def quizzes(tmp_path, monkeypatch) -> Path:
    """An empty course copy with only the schema; returns its data/quizzes folder."""
    folder = tmp_path / "course" / "data" / "quizzes"
    folder.mkdir(parents=True)
    shutil.copy(REAL_QUIZZES / "schema.json", folder)
    monkeypatch.setenv("ALLIANCE_COURSE_ROOT", str(tmp_path / "course"))
    return folder


def write_bank(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    assert "Traceback" not in str(caught.value)
    return caught.value.problems


# --- shipped banks --------------------------------------------------------------------------------------------

def test_schema_is_a_valid_draft_2020_12_schema_and_knows_every_type():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$defs"]["question"]["properties"]["type"]["enum"] == list(QUESTION_TYPES)


def test_a_broken_schema_file_is_named_not_a_traceback(tmp_path):
    from alliance_course.quiz import bank as bank_module

    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"title": {"type": 5}}}), encoding="utf-8")
    shipped = bank_path("00").resolve()
    with pytest.raises(QuizError, match=r"schema\.json is not a usable JSON Schema \("):
        bank_module._load_cached(shipped, 0, 0, schema, 0)


def test_every_shipped_bank_loads():
    banks = available_banks()
    assert "00" in banks
    for number, path in banks.items():
        bank = load_bank(number)
        assert bank.notebook == number and bank.path == path.resolve()
        assert len(bank) >= 1


def test_bank_00_covers_how_the_course_works():
    bank = load_bank("00")
    assert 5 <= len(bank) <= 6
    assert len({question.type for question in bank}) >= 4
    for question in bank:
        feedback = [o.feedback for o in getattr(question, "options", ())]
        feedback += [s.feedback for s in getattr(question, "steps", ())]
        feedback += [i.feedback for i in getattr(question, "items", ())]
        feedback += [getattr(question, name, "") for name in ("feedback_true", "feedback_false")]
        # real explanatory feedback, not "Correct"/"Wrong"
        assert all(len(text.split()) >= 6 for text in feedback if text), question.id


def source_keys() -> set[str]:
    with (paths.data_dir() / "sources.csv").open(encoding="utf-8", newline="") as handle:
        return {row["source_id"] for row in csv.DictReader(handle)}


@pytest.mark.parametrize("path", sorted(REAL_QUIZZES.glob("[0-9][0-9]-*.yaml")) + [FIXTURES / "99-example.yaml"],
                         ids=lambda p: p.name)
def test_single_word_sources_are_keys_in_sources_csv(path):
    keys = source_keys()
    for question in load_bank(path):
        if " " not in question.source.strip():
            assert question.source in keys, f"{path.name}: {question.id}: unknown source key {question.source!r}"


# --- broken fixtures ------------------------------------------------------------------------------------------

BROKEN = {
    "empty.yaml": ["the file is empty"],
    "syntax.yaml": ["line 6, column 22: YAML problem: mapping values are not allowed", "put in quotes"],
    "duplicate-key.yaml": ["line 14, column 9", "the key 'feedback' appears twice"],
    "no-questions.yaml": ["questions: is empty: a bank needs at least one question"],
    "not-a-mapping.yaml": ["should be a mapping with 'title' and 'questions', not a list"],
    "missing-feedback.yaml": ["question 'art5-automatic': option 3 has no feedback"],
    "single-two-correct.yaml": ["question 'two-right': options: more than one option is marked 'correct: true'"],
    "single-none-correct.yaml": ["question 'none-right': options: no option is marked 'correct: true'"],
    "order-repeated.yaml": ["question 'steps': the step 'decide' is repeated"],
    "duplicate-ids.yaml": ["question 'same': the id is used twice (questions 1 and 2)"],
    "unknown-group.yaml": ["question 'sort-it': item 2 has group 'Coalition of the willing', which is not one of"],
    "unknown-field.yaml": ["question 'typo': option 2: unknown field 'feedbak' (check the spelling; allowed: text,",
                           "question 'typo': option 2 has no feedback",
                           "question 'bad-type': type: is not a question type"],
    "yaml-types.yaml": ["question 'yaml-traps': option 1: text should be text, not True", "put text in quotes",
                        "question 'yaml-traps': source should be text, not a date (1949-04-04)"],
    "numeric-both.yaml": ["question 'both': needs either 'value'", "question 'negative': tolerance: must be 0 or more"],
    "numeric-overlap.yaml": ["question 'overlap': wrong value 1 (13) would also count as correct"],
}


def test_every_broken_fixture_is_listed():
    assert {p.name for p in (FIXTURES / "broken").glob("*.yaml")} == set(BROKEN)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_bank_messages_name_file_question_and_field(name):
    problems = problems_of(FIXTURES / "broken" / name)
    expected_file = f"tests/fixtures/quizzes/broken/{name}: "
    assert all(problem.startswith(expected_file) for problem in problems), problems
    text = "\n".join(problems)
    for fragment in BROKEN[name]:
        assert fragment in text, f"{fragment!r} not in:\n{text}"


def test_the_issue_example_message_exactly(quizzes):
    shutil.copy(FIXTURES / "broken" / "missing-feedback.yaml", quizzes / "02-treaty.yaml")
    with pytest.raises(QuizError) as caught:
        load_bank("02")
    assert str(caught.value) == "data/quizzes/02-treaty.yaml: question 'art5-automatic': option 3 has no feedback"
    assert isinstance(caught.value, ValueError)


# --- every required field, removed one at a time --------------------------------------------------------------

def required_fields(kind: str) -> list[str]:
    definition = SCHEMA["$defs"][kind]
    return sorted((set(SCHEMA["$defs"]["common"]["required"]) | set(definition.get("required", []))) - {"id"})


CASES = [(index, field) for index, question in enumerate(EXAMPLE["questions"])
         for field in required_fields(question["type"]) if field in question]


@pytest.mark.parametrize("index, field", CASES, ids=[f"{EXAMPLE['questions'][i]['id']}-{f}" for i, f in CASES])
def test_removing_any_required_field_names_question_and_field(quizzes, index, field):
    data = copy.deepcopy(EXAMPLE)
    del data["questions"][index][field]
    path = write_bank(quizzes, "05-mutated.yaml", data)
    problems = problems_of(path)
    qid = EXAMPLE["questions"][index]["id"]
    assert any(p.startswith(f"data/quizzes/05-mutated.yaml: question '{qid}': ") and field in p for p in problems), \
        problems


@pytest.mark.parametrize("mutate, fragment", [
    (lambda q: q[0].update(prompt="  "), "question 'art4-consult': prompt: is empty"),
    (lambda q: q[0].update(id="Art 4"), "question 'Art 4': id: should be lowercase letters, digits"),
    (lambda q: q[0]["options"].append({"text": "Article 4", "feedback": "again"}),
     "question 'art4-consult': two options have the same text 'Article 4'"),
    (lambda q: q[1]["options"].__setitem__(slice(None), [dict(o, correct=False) for o in q[1]["options"]]),
     "question 'founders': options: no option is marked 'correct: true'; a multiple question needs at least one"),
    (lambda q: q[2].update(answer="yes"), "question 'art5-own-decision': answer should be true or false, not text"),
    (lambda q: q[3].update(tolerance="1"), "question 'founding-count': tolerance should be a number, not text"),
    (lambda q: q[3].pop("correct_feedback"), "question 'founding-count': 'value' also needs 'correct_feedback'"),
    (lambda q: q[4]["ranges"][0].update(min=40), "question 'share-estimate': range 1: min (40) is larger than max"),
    (lambda q: q[4]["ranges"].__setitem__(0, dict(q[4]["ranges"][0], correct=False)),
     "question 'share-estimate': ranges: no range is marked 'correct: true'"),
    (lambda q: q[5]["steps"].__setitem__(slice(1, None), []), "question 'force-generation': steps: needs at least 2"),
    (lambda q: q[6]["groups"].append("Alliance"), "question 'alliance-or-coalition': groups: lists the same entry"),
    (lambda q: q[6].update(colour="red"), "question 'alliance-or-coalition': unknown field 'colour'"),
    (lambda q: q.append("just text"), "question 8: the question should be a mapping (key: value lines), not text"),
    (lambda q: q[0].pop("id"), "data/quizzes/05-mutated.yaml: question 1: missing field 'id'"),
])
def test_rule_and_schema_mutations(quizzes, mutate, fragment):
    data = copy.deepcopy(EXAMPLE)
    mutate(data["questions"])
    problems = problems_of(write_bank(quizzes, "05-mutated.yaml", data))
    assert any(fragment in problem for problem in problems), problems


def test_non_text_keys_are_reported(quizzes):
    path = quizzes / "05-keys.yaml"
    path.write_text("title: T\nquestions:\n  - id: q\n    on: 1\n", encoding="utf-8")
    assert problems_of(path) == ["data/quizzes/05-keys.yaml: question 'q': the key True should be a word; YAML "
                                 "reads yes/no/true/false/on/off as true or false, digits as numbers and 2025-03-02 "
                                 "as a date: put text in quotes."]


def test_non_utf8_file(quizzes):
    path = quizzes / "05-latin1.yaml"
    path.write_bytes("title: Übung\n".encode("latin-1"))
    assert problems_of(path) == ["data/quizzes/05-latin1.yaml: the file is not UTF-8 text; save it as UTF-8."]


# --- finding banks --------------------------------------------------------------------------------------------

def test_unknown_notebook_lists_what_exists(quizzes):
    shutil.copy(FIXTURES / "99-example.yaml", quizzes / "03-example.yaml")
    with pytest.raises(QuizError, match=r"There is no quiz for notebook 04\. Quizzes exist for: 03 "
                                        r"\(03-example\.yaml\)\."):
        load_bank("04")
    assert load_bank(3).notebook == "03"
    assert load_bank("3").title == "Example quiz: every question type"


def test_unknown_question_lists_ids():
    with pytest.raises(QuizError, match="has no question 'nope'. Its questions are: run-top-to-bottom, "):
        load_bank("00").question("nope")


@pytest.mark.parametrize("bad", ["", "abc", "123", None, 2.0, True])
def test_notebook_numbers_have_two_digits(bad):
    with pytest.raises(QuizError, match="two digits"):
        normalize_notebook(bad)


def test_two_banks_for_one_notebook_are_refused(quizzes):
    for name in ("03-a.yaml", "03-b.yaml"):
        shutil.copy(FIXTURES / "99-example.yaml", quizzes / name)
    with pytest.raises(QuizError, match="more than one quiz bank"):
        bank_path("03")


def test_an_edited_bank_is_reloaded(quizzes):
    path = write_bank(quizzes, "03-live.yaml", EXAMPLE)
    assert load_bank("03").title == EXAMPLE["title"]
    changed = dict(EXAMPLE, title="A new title for the quiz")
    write_bank(quizzes, "03-live.yaml", changed)
    assert load_bank(path).title == "A new title for the quiz"


# --- the authors' guide ---------------------------------------------------------------------------------------

def guide_examples() -> list[dict]:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    questions = []
    for block in blocks:
        parsed = yaml.safe_load(block)
        if isinstance(parsed, list):
            questions += parsed
    return questions


def test_guide_examples_cover_every_type_and_are_valid(quizzes):
    questions = guide_examples()
    assert {q["type"] for q in questions} == set(QUESTION_TYPES)
    bank = load_bank(write_bank(quizzes, "05-guide.yaml", {"title": "Guide examples", "questions": questions}))
    assert len(bank) == len(questions)


# --- banks validated when the course was built are not validated again in every kernel ---------------------------

def test_validation_manifest_is_current():
    from alliance_course.quiz import bank as bank_module

    assert bank_module.update_manifest(check=True) == [], "run `make exercises` (python -m alliance_course build)"


@pytest.fixture
def built_course(tmp_path, monkeypatch):
    """A course copy holding bank 00 with the schema and the build's validation manifest."""
    from alliance_course.quiz import bank as bank_module

    folder = tmp_path / "course" / "data" / "quizzes"
    folder.mkdir(parents=True)
    for name in ("schema.json", "00-start-here.yaml", bank_module.MANIFEST_NAME):
        shutil.copy(paths.quizzes_dir() / name, folder)
    monkeypatch.setenv("ALLIANCE_COURSE_ROOT", str(tmp_path / "course"))
    calls = []
    original = bank_module._validator
    monkeypatch.setattr(bank_module, "_validator", lambda *a: calls.append(a) or original(*a))
    return folder, calls


def test_a_bank_unchanged_since_the_build_loads_without_validation_and_the_same(built_course):
    from alliance_course.quiz import bank as bank_module

    folder, calls = built_course
    trusted = load_bank("00")
    assert calls == []  # the digest matched: no schema validation
    path = folder / "00-start-here.yaml"
    full = bank_module._load_cached.__wrapped__(path.resolve(), 0, 0, folder / "schema.json", 0, trust=False)
    assert trusted == full and len(calls) == 1


@pytest.mark.parametrize("change", ["bank", "schema", "manifest"])
def test_an_edited_bank_schema_or_manifest_means_full_validation(built_course, change):
    folder, calls = built_course
    bank = folder / "00-start-here.yaml"
    data = yaml.safe_load(bank.read_text(encoding="utf-8"))
    if change == "bank":
        first = data["questions"][0]
        del first["prompt"]
        bank.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        problems = problems_of(bank)
        assert any("00-start-here.yaml" in p and first["id"] in p and "prompt" in p for p in problems), problems
    elif change == "schema":  # the same rules, other bytes: the stored digest no longer vouches for them
        schema = folder / "schema.json"
        schema.write_text(schema.read_text(encoding="utf-8").replace("{", "{ ", 1), encoding="utf-8")
        load_bank("00")
    else:  # a manifest that does not match the bank
        manifest = folder / "validated.json"
        stored = json.loads(manifest.read_text(encoding="utf-8"))
        stored["banks"]["00-start-here.yaml"] = "0" * 64
        manifest.write_text(json.dumps(stored), encoding="utf-8")
        load_bank("00")
    assert calls, "the bank was not validated"


def test_a_bank_validated_under_other_rules_in_code_is_validated_again(built_course):
    """A course folder built (manifest written) by older code, then run with a package whose rules are stricter
    (a wheelhouse upgrade, a teacher's fork pulling new code): the manifest names the rules it was written under,
    and the unchanged bank is validated again under the new ones."""
    folder, calls = built_course
    manifest = folder / "validated.json"
    stored = json.loads(manifest.read_text(encoding="utf-8"))
    assert len(stored["rules"]) == 64  # the digest of the code that validated the banks
    stored["rules"] = "0" * 64  # written by other code
    manifest.write_text(json.dumps(stored), encoding="utf-8")
    load_bank("00")
    assert calls, "a bank vouched for by other rules was trusted"


def test_the_rules_digest_covers_the_problem_rules_and_the_models(tmp_path):
    from alliance_course.quiz import bank as bank_module

    package = tmp_path / "quiz"
    shutil.copytree(Path(bank_module.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    digest = bank_module._code_digest(package)
    assert digest == bank_module._rules_digest()  # the copy is the installed code
    for changed in ("problems.py", "model/choice.py"):
        source = package / changed
        source.write_text(source.read_text(encoding="utf-8") + "\n# a new rule\n", encoding="utf-8")
        bank_module._code_digest.cache_clear()
        assert bank_module._code_digest(package) != digest, changed
        digest = bank_module._code_digest(package)
    (package / "problems.py").unlink()
    bank_module._code_digest.cache_clear()
    assert bank_module._code_digest(package) == ""  # no source: nothing is trusted
