"""Grading: each question type by hand, then hypothesis driving arbitrary responses through all of them."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_course.quiz import grade, load_bank
from alliance_course.quiz.model import (
    LETTERS,
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
    WrongValue,
    parse_number,
)

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
COMMON = {"prompt": "P?", "objective": "O", "explanation": "E", "source": "S"}


@pytest.fixture(scope="module")
def bank():
    return load_bank(FIXTURES / "99-example.yaml")


def all_questions() -> list[Question]:
    example = load_bank(FIXTURES / "99-example.yaml")
    start = load_bank("00")
    return list(example.questions) + list(start.questions)


# --- single ---------------------------------------------------------------------------------------------------

def test_single_correct_option_gives_its_feedback(bank):
    result = grade(bank.question("art4-consult"), "a")
    assert result.correct and result.graded and result.can_reveal
    assert result.feedback.startswith("Right. Any ally may ask")
    assert result.message().startswith("✓ Correct — Right.")


def test_single_wrong_option_gives_targeted_feedback(bank):
    result = grade(bank.question("art4-consult"), "B")
    assert result.status == "incorrect" and result.can_reveal
    assert "collective-defence clause" in result.feedback
    assert result.message().startswith("✗ Not quite — Article 5 is")


def test_single_accepts_option_text_and_one_element_list(bank):
    question = bank.question("art4-consult")
    assert grade(question, "  article 4 ").correct
    assert grade(question, ["a"]).correct


@pytest.mark.parametrize("response", [None, "", "   ", [], {}])
def test_single_empty_is_a_gentle_prompt_not_an_attempt(bank, response):
    result = grade(bank.question("art4-consult"), response)
    assert result.status == "empty" and not result.graded and not result.can_reveal
    assert result.message() == "ℹ Please choose an answer first."


@pytest.mark.parametrize("response, words", [
    ("d", "no option 'd'"), ("a, b", "no option"), (["a", "b"], "just one"), (3, "option letter"),
    (True, "option letter"),
])
def test_single_unreadable_answers_explain_the_form(bank, response, words):
    result = grade(bank.question("art4-consult"), response)
    assert result.status == "invalid" and not result.can_reveal
    assert words in result.feedback


# --- multiple -------------------------------------------------------------------------------------------------

def test_multiple_exact_set_is_correct_in_any_notation(bank):
    question = bank.question("founders")
    for response in ("a, b", "b,a", "ab", ["a", "b"], {"b", "a"}, "a; b", "A B"):
        assert grade(question, response).correct, response


def test_multiple_partial_answer_names_what_is_missing_without_revealing_it(bank):
    result = grade(bank.question("founders"), "a")
    assert result.status == "incorrect"
    assert "1 correct option is not selected yet" in result.feedback
    assert "Portugal" not in result.feedback


def test_multiple_wrong_pick_shows_its_feedback(bank):
    result = grade(bank.question("founders"), "a, b, c")
    assert result.status == "incorrect"
    assert "c) Greece joined in 1952" in result.feedback
    assert "2 of your choices are right" in result.feedback


# --- truefalse ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("response, correct", [(True, True), ("true", True), ("Yes", True), (False, False),
                                               ("F", False)])
def test_truefalse(bank, response, correct):
    result = grade(bank.question("art5-own-decision"), response)
    assert result.correct is correct
    assert result.feedback.startswith("Right." if correct else "Not so.")


def test_truefalse_rejects_numbers(bank):
    assert grade(bank.question("art5-own-decision"), 1).status == "invalid"


# --- numeric --------------------------------------------------------------------------------------------------

def test_numeric_value_and_targeted_wrong_values(bank):
    question = bank.question("founding-count")
    assert grade(question, 12).correct
    assert grade(question, "12").correct
    assert grade(question, "12 states").correct
    assert "Sweden joined in March 2024" in grade(question, 32).feedback
    assert "Greece and Türkiye" in grade(question, "14").feedback
    assert grade(question, 13).feedback.startswith("Count the signatories")


def test_numeric_ranges_each_with_feedback(bank):
    question = bank.question("share-estimate")
    assert grade(question, 37.5).correct
    assert grade(question, "37.5%").correct
    assert grade(question, "36").correct and grade(question, 39).correct
    assert grade(question, 12).feedback.startswith("Too low")
    assert grade(question, "60 %").feedback.startswith("Too high")
    assert grade(question, 250).feedback.startswith("A share of members lies")


@pytest.mark.parametrize("response, words", [
    ("3,5", "use a point for decimals"), ("twelve", "is not a number"), ("12%", "not a percentage"),
    ("nan", "ordinary number"), ("1e400", "ordinary number"), (10 ** 400, "too large"), ([12], "Type a number"),
    (True, "Type a number"),
])
def test_numeric_explains_unreadable_input(bank, response, words):
    result = grade(bank.question("founding-count"), response)
    assert result.status == "invalid"
    assert words in result.feedback


def test_numeric_empty_prompt(bank):
    assert grade(bank.question("founding-count"), " ").message() == "ℹ Please type a number first."


def test_numeric_tolerance_edges():
    question = NumericQuestion(id="q", **COMMON, value=2.0, tolerance=0.1, correct_feedback="yes",
                               other_feedback="no")
    assert grade(question, 2.1).correct and grade(question, 1.9).correct  # float noise at the edge still counts
    assert not grade(question, 2.11).correct
    exact = NumericQuestion(id="q", **COMMON, value=0.3, correct_feedback="yes", other_feedback="no")
    assert grade(exact, 0.1 + 0.2).correct


@given(st.integers(min_value=-10 ** 12, max_value=10 ** 12))
def test_thousands_separators_read_back(number):
    assert parse_number(f"{number:,}") == number


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_finite_float_reads_back_from_its_repr(number):
    assert parse_number(repr(number)) == number


# --- order ----------------------------------------------------------------------------------------------------

def test_order_display_is_shuffled_deterministically_and_never_correct(bank):
    question = bank.question("force-generation")
    shown = question.display_order()
    assert shown == question.display_order()
    assert sorted(shown) == list(range(4)) and list(shown) != sorted(shown)


def letters_for(question: OrderQuestion, order: list[int]) -> list[str]:
    """The display letters that put the steps in ``order`` (true step indices)."""
    shown = question.display_order()
    return [LETTERS[shown.index(step)] for step in order]


def test_order_correct_and_partial_credit(bank):
    question = bank.question("force-generation")
    assert grade(question, letters_for(question, [0, 1, 2, 3])).correct
    swapped = grade(question, ", ".join(letters_for(question, [0, 2, 1, 3])))
    assert swapped.status == "incorrect" and swapped.partial == (2, 4)
    assert swapped.feedback.startswith("2 of 4 steps in the right place.")
    # the step in the first wrong slot is named, with its own feedback
    assert "“Allies make force offers at a force generation conference”: Offers answer" in swapped.feedback


def test_order_incomplete_and_repeated(bank):
    question = bank.question("force-generation")
    assert grade(question, ["a", None, "b", None]).feedback == "Please fill every slot first (2 still empty)."
    assert grade(question, "a, b").status == "empty"
    repeated = grade(question, ["a", "a", "b", "c"])
    assert repeated.status == "invalid" and "more than one slot" in repeated.feedback
    assert grade(question, "a, b, c, d, a").status == "invalid"


@given(st.permutations(range(5)))
def test_order_partial_counts_steps_in_place(permutation):
    question = OrderQuestion(id="five-steps", **COMMON,
                             steps=tuple(Step(f"step {n}", f"why {n}") for n in range(5)))
    result = grade(question, letters_for(question, list(permutation)))
    in_place = sum(1 for slot, step in enumerate(permutation) if slot == step)
    assert result.partial == (in_place, 5)
    assert result.correct is (list(permutation) == [0, 1, 2, 3, 4])


# --- categorize -----------------------------------------------------------------------------------------------

def test_categorize_by_number_name_or_text(bank):
    question = bank.question("alliance-or-coalition")
    assert grade(question, {"a": 1, "b": 2, "c": 1, "d": 2}).correct
    assert grade(question, "a=1, b=2, c=1, d=2").correct
    assert grade(question, {"a": "alliance", "b": "Coalition of the willing", "c": "1", "d": 2}).correct


def test_categorize_wrong_items_get_their_feedback(bank):
    result = grade(bank.question("alliance-or-coalition"), {"a": 2, "b": 2, "c": 1, "d": 2})
    assert result.status == "incorrect" and result.partial == (3, 4)
    assert "“A treaty commitment with no end date”: Permanence" in result.feedback


def test_categorize_incomplete_and_unknown(bank):
    question = bank.question("alliance-or-coalition")
    assert "2 still without one" in grade(question, {"a": 1, "b": None, "c": 1}).feedback
    assert "not a group" in grade(question, {"a": 3, "b": 1, "c": 1, "d": 1}).feedback
    assert "no item" in grade(question, {"z": 1}).feedback


@given(st.lists(st.sampled_from(["In", "Out"]), min_size=3, max_size=3))
def test_categorize_partial_counts_items_in_their_group(placement):
    question = CategorizeQuestion(id="three", **COMMON, groups=("In", "Out"),
                                  items=tuple(Item(f"item {n}", "In", f"why {n}") for n in range(3)))
    result = grade(question, {LETTERS[n]: group for n, group in enumerate(placement)})
    assert result.partial == (placement.count("In"), 3)


# --- every type, arbitrary responses --------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                    st.sampled_from(list("abcdeABCDE") + ["1", "2", "1,000", "3.5%", "true", "  "]),
                    st.binary(max_size=5), st.decimals(allow_nan=True), st.just(10 ** 400))
responses = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=6), st.tuples(inner, inner), st.frozensets(st.sampled_from(list("abcz")), max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(list("abcdz")), st.integers()), inner, max_size=5)), max_leaves=12)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(response=responses, index=st.integers(min_value=0, max_value=12))
def test_no_response_ever_raises(response, index):
    questions = all_questions()
    question = questions[index % len(questions)]
    result = grade(question, response)
    assert result.status in ("correct", "incorrect", "empty", "invalid")
    assert isinstance(result.feedback, str) and result.feedback.strip()
    assert result.can_reveal is result.graded
    assert result.message()[0] in "✓✗ℹ"


@given(st.integers(min_value=2, max_value=8), st.data())
def test_single_is_correct_exactly_for_the_correct_letter(size, data):
    right = data.draw(st.integers(min_value=0, max_value=size - 1))
    question = SingleQuestion(id="q", **COMMON, options=tuple(
        Option(f"option {n}", f"feedback {n}", n == right) for n in range(size)))
    for n in range(size):
        result = grade(question, LETTERS[n])
        assert result.correct is (n == right)
        assert result.feedback == f"feedback {n}"


@given(st.lists(st.booleans(), min_size=2, max_size=6).filter(any), st.data())
def test_multiple_is_correct_exactly_for_the_correct_set(flags, data):
    question = MultipleQuestion(id="q", **COMMON, options=tuple(
        Option(f"option {n}", f"feedback {n}", flag) for n, flag in enumerate(flags)))
    chosen = data.draw(st.sets(st.integers(min_value=0, max_value=len(flags) - 1), min_size=1))
    result = grade(question, [LETTERS[n] for n in chosen])
    assert result.correct is (chosen == {n for n, flag in enumerate(flags) if flag})


@given(st.floats(min_value=-1e6, max_value=1e6), st.floats(min_value=0, max_value=100))
def test_numeric_within_tolerance_is_correct(value, tolerance):
    question = NumericQuestion(id="q", **COMMON, value=value, tolerance=tolerance, correct_feedback="yes",
                               other_feedback="no")
    for candidate in (value, value + tolerance * 0.999, value - tolerance * 0.999):
        assert grade(question, candidate).correct
    assert not grade(question, value + tolerance + 1 + abs(value) * 1e-6).correct


def test_numeric_range_and_wrong_value_precedence():
    question = NumericQuestion(id="q", **COMMON, other_feedback="other",
                               ranges=(NumericRange(1, 2, "in range", True), NumericRange(2.5, 10, "too big")),
                               wrong_values=(WrongValue(5, "five is the classic slip"),))
    assert grade(question, 1.5).feedback == "in range"
    assert grade(question, 5).feedback == "five is the classic slip"
    assert grade(question, 7).feedback == "too big"
    assert grade(question, 20).feedback == "other"
    assert question.solution_text() == "Any value from 1 to 2."


def test_solution_texts(bank):
    assert bank.question("art4-consult").solution_text() == "a) Article 4"
    assert bank.question("founders").solution_text() == "a) Iceland; b) Portugal"
    assert bank.question("art5-own-decision").solution_text() == "True."
    assert bank.question("founding-count").solution_text() == "12 states"
    assert bank.question("share-estimate").solution_text() == "Any value from 36 to 39%."
    assert bank.question("force-generation").solution_text().startswith("1. The North Atlantic Council")


def test_every_letter_combination_of_a_small_order_question_grades():
    question = OrderQuestion(id="abc", **COMMON, steps=(Step("x", "1"), Step("y", "2"), Step("z", "3")))
    statuses = {grade(question, list(combo)).status for combo in itertools.product("abc", repeat=3)}
    assert statuses == {"correct", "incorrect", "invalid"}
    assert math.isclose(sum(grade(question, list(p)).correct for p in itertools.permutations("abc")), 1)


def test_order_letters_without_commas_are_read_as_letters():
    question = OrderQuestion(id="o", steps=tuple(Step(t, "f") for t in ("one", "two", "three")), **COMMON)
    shown = "".join(LETTERS[question.display_order().index(i)] for i in range(3))
    assert grade(question, shown).correct
    assert grade(question, shown.upper()).correct
    assert grade(question, shown[:2]).status == "empty"
