"""The expression language of `relevant` and `constraint` (survey/forms/expressions.py).

The grammar and semantics under test are those written down in the
"Expressions" part of forms/README.md.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.forms.expressions import MAX_DEPTH, MAX_LENGTH, Expression, ExpressionError


def tree(source: str) -> list[Any]:
    return Expression.parse(source).tree


def value(source: str, answers: dict[str, Any] | None = None, current: Any = None) -> Any:
    return Expression.parse(source).evaluate(answers or {}, current)


def parse_error(source: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        Expression.parse(source)
    return info.value


# --- parsing to trees -------------------------------------------------------

PARSE_CASES = [
    # atoms
    (".", ["cur"]),
    ("age", ["ref", "age"]),
    ("_x1", ["ref", "_x1"]),
    ("1950", ["num", 1950]),
    ("007", ["num", 7]),
    ("2.5", ["num", 2.5]),
    ("1.0", ["num", 1.0]),
    ("'under_18'", ["str", "under_18"]),
    ('"under_18"', ["str", "under_18"]),
    ("''", ["str", ""]),
    ('"it\'s"', ["str", "it's"]),
    ("'say \"hi\"'", ["str", 'say "hi"']),
    ("'a and b'", ["str", "a and b"]),
    # comparisons
    (". >= 1950", [">=", ["cur"], ["num", 1950]]),
    (".>=1950", [">=", ["cur"], ["num", 1950]]),
    ("a = 1", ["=", ["ref", "a"], ["num", 1]]),
    ("a != 'x'", ["!=", ["ref", "a"], ["str", "x"]]),
    ("a < 1", ["<", ["ref", "a"], ["num", 1]]),
    ("a <= 1", ["<=", ["ref", "a"], ["num", 1]]),
    ("a > 1", [">", ["ref", "a"], ["num", 1]]),
    ("age_band != 'under_18'", ["!=", ["ref", "age_band"], ["str", "under_18"]]),
    # arithmetic: * over +, left associativity, mod
    ("1 + 2 * 3", ["+", ["num", 1], ["*", ["num", 2], ["num", 3]]]),
    ("1 * 2 + 3", ["+", ["*", ["num", 1], ["num", 2]], ["num", 3]]),
    ("(1 + 2) * 3", ["*", ["+", ["num", 1], ["num", 2]], ["num", 3]]),
    ("1 - 2 - 3", ["-", ["-", ["num", 1], ["num", 2]], ["num", 3]]),
    ("1 - (2 - 3)", ["-", ["num", 1], ["-", ["num", 2], ["num", 3]]]),
    ("8 / 4 / 2", ["/", ["/", ["num", 8], ["num", 4]], ["num", 2]]),
    ("a mod 2 = 0", ["=", ["mod", ["ref", "a"], ["num", 2]], ["num", 0]]),
    ("1 + 6 mod 4", ["+", ["num", 1], ["mod", ["num", 6], ["num", 4]]]),
    ("a + 1 > b * 2", [">", ["+", ["ref", "a"], ["num", 1]], ["*", ["ref", "b"], ["num", 2]]]),
    # unary minus
    ("-1", ["neg", ["num", 1]]),
    ("--a", ["neg", ["neg", ["ref", "a"]]]),
    ("-2 * 3", ["*", ["neg", ["num", 2]], ["num", 3]]),
    ("1 - -2", ["-", ["num", 1], ["neg", ["num", 2]]]),
    ("-(1 + 2)", ["neg", ["+", ["num", 1], ["num", 2]]]),
    (". > -1.5", [">", ["cur"], ["neg", ["num", 1.5]]]),
    # not / and / or
    ("a or b and c", ["or", ["ref", "a"], ["and", ["ref", "b"], ["ref", "c"]]]),
    ("a and b or c", ["or", ["and", ["ref", "a"], ["ref", "b"]], ["ref", "c"]]),
    ("(a or b) and c", ["and", ["or", ["ref", "a"], ["ref", "b"]], ["ref", "c"]]),
    ("a and b and c", ["and", ["and", ["ref", "a"], ["ref", "b"]], ["ref", "c"]]),
    ("a or b or c", ["or", ["or", ["ref", "a"], ["ref", "b"]], ["ref", "c"]]),
    ("not a and b", ["and", ["not", ["ref", "a"]], ["ref", "b"]]),
    ("not (a and b)", ["not", ["and", ["ref", "a"], ["ref", "b"]]]),
    ("not a = 1", ["not", ["=", ["ref", "a"], ["num", 1]]]),
    ("not not a", ["not", ["not", ["ref", "a"]]]),
    ("a or not b", ["or", ["ref", "a"], ["not", ["ref", "b"]]]),
    ("not(a)", ["not", ["ref", "a"]]),
    ("((a))", ["ref", "a"]),
    # calls
    (
        "selected(work, 'sex_work')",
        ["call", "selected", ["ref", "work"], ["str", "sex_work"]],
    ),
    (
        "selected ( work , \"sex_work\" )",
        ["call", "selected", ["ref", "work"], ["str", "sex_work"]],
    ),
    ("count_selected(work) <= 3", ["<=", ["call", "count_selected", ["ref", "work"]], ["num", 3]]),
    ("answered(.)", ["call", "answered", ["cur"]]),
    ("today()", ["call", "today"]),
    ("year(today())", ["call", "year", ["call", "today"]]),
    (
        "selected(work, 'sex_work') and not selected(work, 'factory')",
        [
            "and",
            ["call", "selected", ["ref", "work"], ["str", "sex_work"]],
            ["not", ["call", "selected", ["ref", "work"], ["str", "factory"]]],
        ],
    ),
    (
        ". >= 1950 and . <= year(today())",
        [
            "and",
            [">=", ["cur"], ["num", 1950]],
            ["<=", ["cur"], ["call", "year", ["call", "today"]]],
        ],
    ),
    (
        "count_selected(a) + 1 >= 2 or answered(b)",
        [
            "or",
            [">=", ["+", ["call", "count_selected", ["ref", "a"]], ["num", 1]], ["num", 2]],
            ["call", "answered", ["ref", "b"]],
        ],
    ),
    # keywords are whole words only
    ("android", ["ref", "android"]),
    ("notes", ["ref", "notes"]),
    ("order or modest", ["or", ["ref", "order"], ["ref", "modest"]]),
    # whitespace of any kind
    ("\ta\n=\r\n1 ", ["=", ["ref", "a"], ["num", 1]]),
]


@pytest.mark.parametrize(("source", "expected"), PARSE_CASES)
def test_parse_tree(source: str, expected: list[Any]) -> None:
    parsed = Expression.parse(source)
    assert parsed.tree == expected
    assert parsed.source == source


def test_number_types() -> None:
    assert type(tree("3")[1]) is int
    assert type(tree("3.0")[1]) is float
    assert type(tree("2.5")[1]) is float


@pytest.mark.parametrize(("source", "_expected"), PARSE_CASES)
def test_tree_is_plain_json(source: str, _expected: list[Any]) -> None:
    parsed = tree(source)
    text = json.dumps(parsed, allow_nan=False)
    assert json.loads(text) == parsed


def test_nesting_up_to_the_limit_parses() -> None:
    depth = MAX_DEPTH - 1  # the whole expression is one level, each "(" one more
    assert tree("(" * depth + "a" + ")" * depth) == ["ref", "a"]
    assert tree("not " * (MAX_DEPTH - 1) + "a")[0] == "not"
    assert tree("-" * (MAX_DEPTH - 1) + "1")[0] == "neg"


def test_longest_expression_parses() -> None:
    source = "a" * MAX_LENGTH
    assert tree(source) == ["ref", source]


# --- parse errors -------------------------------------------------------------

ERROR_CASES = [
    ("", "expression is empty", None),
    ("   \n\t", "expression is empty", None),
    ("'abc", "unterminated string", 0),
    ('a = "abc', "unterminated string", 4),
    ("a = 'x\" ", "unterminated string", 4),
    ("a # b", "unexpected character '#'", 2),
    ("a == 1", "expected a value, found '='", 3),
    ("a & b", "unexpected character '&'", 2),
    ("é = 1", "unexpected character 'é'", 0),
    ("foo(1)", "unknown function 'foo'", 0),
    ("a and bar()", "unknown function 'bar'", 6),
    ("selected(a)", "selected() takes 2 arguments, got 1", 0),
    ("selected(a, 'x', 'y')", "selected() takes 2 arguments, got 3", 0),
    ("x + today(1)", "today() takes 0 arguments, got 1", 4),
    ("year()", "year() takes 1 argument, got 0", 0),
    ("count_selected(a, b)", "count_selected() takes 1 argument, got 2", 0),
    ("answered()", "answered() takes 1 argument, got 0", 0),
    ("1 < 2 < 3", "comparisons cannot be chained; use 'and'", 6),
    ("a = b = c", "comparisons cannot be chained; use 'and'", 6),
    ("1 2", "unexpected '2'", 2),
    ("a = 1 b", "unexpected 'b'", 6),
    ("(a)(b)", "unexpected '('", 3),
    ("'a' 'b'", "unexpected \"'b'\"", 4),
    ("(1 + 2", "expected ')', found end of expression", 6),
    ("selected(a, 'x'", "expected ')', found end of expression", 15),
    ("selected(a 'x')", "expected ')', found \"'x'\"", 11),
    ("a)", "unexpected ')'", 1),
    ("1 +", "expected a value, found end of expression", 3),
    ("and a", "expected a value, found 'and'", 0),
    ("mod(1)", "expected a value, found 'mod'", 0),
    ("not", "expected a value, found end of expression", 3),
    ("()", "expected a value, found ')'", 1),
    ("f(,)", "unknown function 'f'", 0),
    ("selected(,a)", "expected a value, found ','", 9),
    ("1.", "unexpected '.'", 1),
    (".5", "unexpected '5'", 1),
    ("a.b", "unexpected '.'", 1),
    ("(" * 200, "expression is nested too deeply", 50),
    ("(" * 200 + "a" + ")" * 200, "expression is nested too deeply", 50),
    ("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH, "expression is nested too deeply", 50),
    ("not " * 200 + "a", "expression is nested too deeply", 200),
    ("-" * 200 + "1", "expression is nested too deeply", 50),
    ("year(" * 200 + ")" * 200, "expression is nested too deeply", 250),
    ("a" * (MAX_LENGTH + 1), "expression is longer than 2000 characters", None),
    ("(" * 5000, "expression is longer than 2000 characters", None),
]


@pytest.mark.parametrize(("source", "message", "position"), ERROR_CASES)
def test_parse_error(source: str, message: str, position: int | None) -> None:
    error = parse_error(source)
    assert error.message == message
    assert error.position == position
    if position is None:
        assert str(error) == message
    else:
        assert str(error) == f"{message} at position {position + 1}"


def test_error_is_a_value_error() -> None:
    assert issubclass(ExpressionError, ValueError)


# --- evaluation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 = 1", True),
        ("1 = 1.0", True),
        ("1 != 2", True),
        ("1 != 1", False),
        ("2 > 10", False),
        ("2 < 10", True),
        ("2.5 >= 2.5", True),
        ("2.5 <= 2.4", False),
        ("-1 < 0", True),
        ("'a' = 'a'", True),
        ("'a' = \"a\"", True),
        ("'a' != 'b'", True),
        ("'a' = 'A'", False),
        ("'abc' < 'abd'", True),
        ("'10' < '9'", True),  # text compares as text
        ("'2024-01-31' < '2024-02-01'", True),
        ("1 = '1'", False),  # number with text: never equal
        ("1 != '1'", False),
        ("1 < 'a'", False),
    ],
)
def test_comparison_of_literals(source: str, expected: bool) -> None:
    assert value(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 2 - 3", 5),
        ("7 / 2", 3.5),
        ("8 / 4 / 2", 1.0),
        ("7 mod 3", 1),
        ("7.5 mod 2", 1.5),
        ("-2 * 3", -6),
        ("--4", 4),
        ("1 - -2", 3),
        ("0.5 + 0.25", 0.75),
    ],
)
def test_arithmetic(source: str, expected: float) -> None:
    assert value(source) == expected


@pytest.mark.parametrize("source", ["1 / 0", "1 / 0.0", "1 mod 0", "a / b", "a mod b", "(1 / 0) + 1"])
def test_division_by_zero_gives_no_value(source: str) -> None:
    assert value(source, {"a": 5, "b": 0}) is None


def test_division_by_negative_zero_gives_no_value() -> None:
    assert value("a / b", {"a": 1, "b": -0.0}) is None


@pytest.mark.parametrize("op", ["=", "!=", "<", "<=", ">", ">="])
@pytest.mark.parametrize("other", ["1", "'x'", "missing"])
def test_comparison_with_no_value_is_false(op: str, other: str) -> None:
    answers = {"empty": None}
    assert value(f"missing {op} {other}", answers) is False
    assert value(f"{other} {op} missing", answers) is False
    assert value(f"empty {op} {other}", answers) is False
    assert value(f". {op} {other}", answers, current=None) is False


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "mod"])
def test_arithmetic_with_no_value_gives_no_value(op: str) -> None:
    assert value(f"missing {op} 2") is None
    assert value(f"2 {op} missing") is None
    assert value(f"a {op} 2", {"a": "text"}) is None
    assert value(f"a {op} 2", {"a": True}) is None
    assert value(f"a {op} 2", {"a": ["x"]}) is None
    assert value(f"(missing {op} 2) = (missing {op} 2)") is False


def test_negation_of_no_value() -> None:
    assert value("-missing") is None
    assert value("-a", {"a": "x"}) is None
    assert value("-a", {"a": True}) is None
    assert value("-a", {"a": 2.5}) == -2.5


@pytest.mark.parametrize(
    ("current", "expected"),
    [(None, True), ("", True), ([], True), (0, True), (0.0, True), (False, True),
     (1, False), ("x", False), (["a"], False), (True, False), ("0", False)],
)
def test_not(current: Any, expected: bool) -> None:
    assert value("not .", current=current) is expected


def test_not_of_unanswered_question_is_true() -> None:
    assert value("not missing") is True
    assert value("not selected(work, 'x')") is True


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 and 'x'", True),
        ("1 and 0", False),
        ("0 and missing", False),
        ("missing and 1", False),
        ("'' or 0", False),
        ("0 or 'x'", True),
        ("missing or 2", True),
        ("1 or (1 / 0)", True),
        ("0 and (1 / 0)", False),
        ("1 = 1 and 2 = 2", True),
        ("1 = 2 or 2 = 2", True),
        ("1 = 2 or 2 = 3", False),
        ("not 1 = 2 and 2 = 2", True),
        ("1 = 1 or 1 = 1 and 1 = 2", True),  # and binds tighter than or
        ("(1 = 1 or 1 = 1) and 1 = 2", False),
    ],
)
def test_and_or(source: str, expected: bool) -> None:
    result = value(source)
    assert result is expected


def test_and_or_of_answers_use_truthiness() -> None:
    answers = {"l": ["a"], "e": [], "s": "x", "z": 0}
    assert value("l and s", answers) is True
    assert value("e or z", answers) is False
    assert value("e or l", answers) is True


def test_current_value() -> None:
    assert value(".", current=1975) == 1975
    assert value(". >= 1950", current=1975) is True
    assert value(". >= 1950", current=1900) is False
    assert value(". >= 1950 and . <= year(today())", current=1975) is True
    assert value(". >= 1950 and . <= year(today())", current=3000) is False
    assert value(". + 1", {"x": 5}, current=2) == 3
    assert value(".", {".": 9}) is None  # "." is not a question name


def test_references_read_answers() -> None:
    assert value("age", {"age": 30}) == 30
    assert value("age") is None
    assert value("age + 1", {"age": 30}) == 31
    assert value("age_band != 'under_18'", {"age_band": "18_24"}) is True
    assert value("age_band != 'under_18'", {"age_band": "under_18"}) is False


def test_booleans_are_not_numbers() -> None:
    assert value("answered(a) = 1", {"a": "x"}) is False
    assert value("answered(a) != 1", {"a": "x"}) is False
    assert value("answered(a) = 0", {}) is False
    assert value("answered(a) > 0", {"a": "x"}) is False
    assert value("a = 1", {"a": True}) is False
    assert value("a = 0", {"a": False}) is False


def test_booleans_compare_with_booleans() -> None:
    assert value("answered(a) = answered(b)", {"a": 1, "b": 2}) is True
    assert value("answered(a) = answered(b)", {"a": 1}) is False
    assert value("answered(a) != answered(b)", {"a": 1}) is True
    assert value("answered(a) < answered(b)", {"b": 1}) is False


def test_lists_compared_are_false() -> None:
    answers = {"l": ["a"], "m": ["a"]}
    assert value("l = m", answers) is False
    assert value("l != m", answers) is False
    assert value("l = 'a'", answers) is False
    assert value("l != 'a'", answers) is False
    assert value("l < 'b'", answers) is False
    assert value("l = 1", answers) is False


# functions


@pytest.mark.parametrize(
    ("answer", "choice", "expected"),
    [
        ("sex_work", "sex_work", True),  # select_one answer
        ("factory", "sex_work", False),
        (["factory", "sex_work"], "sex_work", True),  # select_multiple answer
        (["factory"], "sex_work", False),
        ([], "sex_work", False),
        (None, "sex_work", False),  # no answer
    ],
)
def test_selected(answer: Any, choice: str, expected: bool) -> None:
    assert value(f"selected(work, '{choice}')", {"work": answer}) is expected


def test_selected_missing_question_and_numeric_codes() -> None:
    assert value("selected(work, 'x')") is False
    assert value("selected(q, 1)", {"q": ["1", "2"]}) is True
    assert value("selected(q, '2')", {"q": 2}) is True
    assert value("selected(., 'a')", current=["a", "b"]) is True


def test_readme_example_selected() -> None:
    source = "selected(work, 'sex_work') and not selected(work, 'factory')"
    assert value(source, {"work": ["sex_work"]}) is True
    assert value(source, {"work": ["sex_work", "factory"]}) is False
    assert value(source, {"work": "sex_work"}) is True
    assert value(source, {}) is False


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(None, 0), ([], 0), (["a"], 1), (["a", "b", "c"], 3), ("a", 1)],
)
def test_count_selected(answer: Any, expected: int) -> None:
    assert value("count_selected(work)", {"work": answer}) == expected


def test_count_selected_in_comparison() -> None:
    assert value("count_selected(work) <= 3", {"work": ["a", "b"]}) is True
    assert value("count_selected(work) <= 3", {"work": ["a", "b", "c", "d"]}) is False
    assert value("count_selected(work) <= 3", {}) is True


def test_count_selected_of_empty_text_is_zero() -> None:
    assert value("answered(q)", {"q": ""}) is False
    assert value("count_selected(q)", {"q": ""}) == 0
    assert value("selected(q, '')", {"q": ""}) is False


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (None, False),
        ("", False),
        ([], False),
        (0, True),
        (0.0, True),
        ("0", True),
        ("x", True),
        (["a"], True),
        (False, True),
    ],
)
def test_answered(answer: Any, expected: bool) -> None:
    assert value("answered(q)", {"q": answer}) is expected
    assert value("answered(.)", current=answer) is expected


def test_answered_missing_question() -> None:
    assert value("answered(q)") is False
    assert value("not answered(q)") is True


def test_today_and_year() -> None:
    today = datetime.date.today()
    assert value("today()") == today.isoformat()
    assert value("year(today())") == today.year
    assert value("year('1975-06-30')") == 1975
    assert value("year(d)", {"d": "2001-01-01"}) == 2001
    assert value("year(d)") is None
    assert value("year(d)", {"d": "1975"}) is None
    assert value("year(d)", {"d": 1975}) is None
    assert value("year(d)", {"d": "30/06/1975"}) is None
    assert value("year(d) + 1", {"d": "not a date"}) is None


def test_dates_compare_as_text() -> None:
    assert value(". <= today()", current="2000-01-01") is True
    assert value(". <= today()", current=datetime.date.today().isoformat()) is True
    assert value(". <= today()", current="2999-12-31") is False
    assert value(". <= today()", current=None) is False
    assert value(". >= '2020-01-01' and . < '2020-02-01'", current="2020-01-15") is True


def test_is_true_only_for_true() -> None:
    expression = Expression.parse(".")
    assert expression.is_true({}, current=True) is True
    assert expression.is_true({}, current=1) is False
    assert expression.is_true({}, current="x") is False
    assert Expression.parse("1 = 1").is_true({}) is True
    assert Expression.parse("missing = 1").is_true({}) is False


# --- references, selections, uses_current --------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 = 1", []),
        (". > 1", []),
        ("b + a > c", ["b", "a", "c"]),
        ("a = 1 and b = 2 or a = 3", ["a", "b"]),
        ("selected(work, 'x') and count_selected(work) > n", ["work", "n"]),
        ("year(dob) <= year(today())", ["dob"]),
        ("not (z or y) and -x", ["z", "y", "x"]),
        ("'a' = a", ["a"]),
    ],
)
def test_references(source: str, expected: list[str]) -> None:
    assert Expression.parse(source).references() == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("selected(work, 'sex_work')", [("work", "sex_work")]),
        ("work = 'factory'", [("work", "factory")]),
        ("'factory' = work", [("work", "factory")]),
        ("work != 'factory'", [("work", "factory")]),
        (
            "selected(work, 'sex_work') and not selected(work, 'factory')",
            [("work", "sex_work"), ("work", "factory")],
        ),
        ("a = 'x' or selected(b, \"y\")", [("a", "x"), ("b", "y")]),
        ("a = b", []),
        ("'x' = 'y'", []),
        ("a = 1", []),
        ("a < 'x'", []),
        (". = 'x'", []),
        ("selected(., 'x')", []),
        ("selected(a, b)", []),
        ("count_selected(a) = 1", []),
    ],
)
def test_selections(source: str, expected: list[tuple[str, str]]) -> None:
    assert Expression.parse(source).selections() == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (".", True),
        (". >= 1950 and . <= year(today())", True),
        ("answered(.)", True),
        ("a and not (b or .)", True),
        ("a = 1", False),
        ("'.' = a", False),
        ("today()", False),
    ],
)
def test_uses_current(source: str, expected: bool) -> None:
    assert Expression.parse(source).uses_current() is expected


# --- documented bugs -------------------------------------------------------------


def test_long_operator_chain_evaluates() -> None:
    source = "1" + "+1" * 999  # 1999 characters
    assert len(source) <= MAX_LENGTH
    try:
        expression = Expression.parse(source)
    except ExpressionError:
        return  # refusing it is fine too
    assert expression.evaluate({}) == 1000


def test_long_operator_chain_walks() -> None:
    source = "a" + "*a" * 999
    try:
        expression = Expression.parse(source)
    except ExpressionError:
        return  # refusing it is fine too
    assert expression.references() == ["a"]
    assert expression.selections() == []
    assert expression.uses_current() is False
    assert json.loads(json.dumps(expression.tree)) == expression.tree


LARGEST = "9" * 15


@pytest.mark.parametrize("op", ["/ 1", "* 0.5", "+ 0.5", "mod 2.5", "- 1"])
def test_the_largest_numbers_multiplied_still_evaluate(op: str) -> None:
    product = " * ".join([LARGEST] * 25)  # about 10**375: past a float's range
    expression = Expression.parse(f"{product} {op} > 1")
    assert expression.evaluate({}) in (True, False)


@pytest.mark.parametrize("digits", [16, 300, 400])
def test_numbers_too_long_are_refused_by_name(digits: int) -> None:
    with pytest.raises(ExpressionError, match="numbers may have at most 15 digits"):
        tree("9" * digits)


def test_the_longest_number_allowed_travels_as_json() -> None:
    assert json.loads(json.dumps(tree(LARGEST), allow_nan=False)) == ["num", int(LARGEST)]


def test_integers_keep_their_value_and_long_numbers_are_refused() -> None:
    assert tree("123456789012345") == ["num", 123456789012345]
    with pytest.raises(ExpressionError, match="numbers may have at most 15 digits"):
        Expression.parse("12345678901234567891")


# --- property tests ---------------------------------------------------------------

NAMES = ["a", "b", "work", "age", "x_1"]
TOKENS = [
    *NAMES,
    "selected",
    "count_selected",
    "answered",
    "today",
    "year",
    "foo",
    "and",
    "or",
    "not",
    "mod",
    "0",
    "1",
    "2",
    "10",
    "1950",
    "2.5",
    "0.5",
    "'x'",
    "'sex_work'",
    "''",
    '"y"',
    "'",
    '"',
    "'2020-01-01'",
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "(",
    ")",
    ",",
    ".",
    " ",
    "#",
]

token_text = st.lists(
    st.tuples(st.sampled_from(TOKENS), st.sampled_from(["", " ", "  "])),
    max_size=25,
).map(lambda parts: "".join(token + space for token, space in parts))

answer_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(),  # with nan, inf and -0.0
    st.text(max_size=10),
    st.sampled_from(["x", "y", "sex_work", "2020-01-01", "0", ""]),
    st.lists(st.sampled_from(["x", "y", "sex_work", "1", ""]), max_size=4),
    st.lists(st.text(max_size=5), max_size=3),
)
answer_maps = st.dictionaries(st.sampled_from(NAMES), answer_values)


def check_source(source: str, answers: dict[str, Any], current: Any) -> None:
    try:
        expression = Expression.parse(source)
    except ExpressionError as error:
        assert error.message
        assert error.position is None or 0 <= error.position <= len(source)
        return
    assert isinstance(expression, Expression)
    assert json.loads(json.dumps(expression.tree)) == expression.tree
    expression.evaluate(answers, current)
    assert isinstance(expression.is_true(answers, current), bool)
    assert isinstance(expression.uses_current(), bool)
    references = expression.references()
    assert len(references) == len(set(references))
    for question, choice in expression.selections():
        assert isinstance(question, str) and isinstance(choice, str)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.text(), answers=answer_maps, current=answer_values)
def test_random_text_parses_or_raises_expression_error(
    source: str, answers: dict[str, Any], current: Any
) -> None:
    check_source(source, answers, current)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=token_text, answers=answer_maps, current=answer_values)
def test_random_tokens_parse_or_raise_expression_error(
    source: str, answers: dict[str, Any], current: Any
) -> None:
    check_source(source, answers, current)


atoms = st.one_of(
    st.sampled_from(NAMES),
    st.just("."),
    st.integers(min_value=0, max_value=3000).map(str),
    st.sampled_from(["0.5", "2.5", "1.0"]),
    st.sampled_from(["'x'", "'sex_work'", "''", '"y"', "'2020-01-01'"]),
    st.just("today()"),
)
valid_sources = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "mod", "and", "or"]), inner).map(
            " ".join
        ),
        inner.map(lambda e: f"(not {e})"),
        inner.map(lambda e: f"-({e})"),
        inner.map(lambda e: f"({e})"),
        st.tuples(st.sampled_from(["count_selected", "answered", "year"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.tuples(inner, inner).map(lambda t: f"selected({t[0]}, {t[1]})"),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=valid_sources, answers=answer_maps, current=answer_values)
def test_grammatical_expressions_parse_and_evaluate(
    source: str, answers: dict[str, Any], current: Any
) -> None:
    expression = Expression.parse(source)
    assert Expression.parse(" ".join(source.split())) == expression
    check_source(source, answers, current)


@settings(max_examples=300, deadline=None)
@given(answers=answer_maps, current=answer_values)
def test_readme_examples_never_raise(answers: dict[str, Any], current: Any) -> None:
    for source in [
        "age_band != 'under_18'",
        "selected(work, 'sex_work') and not selected(work, 'factory')",
        ". >= 1950 and . <= year(today())",
        "count_selected(work) <= 3",
        "a / b + a mod b - -age * 2.5 > x_1",
        "not answered(a) or year(b) = year(today()) and . <= today()",
    ]:
        check_source(source, answers, current)
