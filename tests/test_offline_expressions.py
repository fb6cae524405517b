"""The browser's evaluator (survey/static/offline/expressions.js) against the server's.

A table of (tree, answers, current, expected) cases, and a few thousand random
trees, go through both ``evaluate()``s; any difference is a drift.
"""

from __future__ import annotations

import datetime
import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from survey.forms.expressions import FUNCTIONS, Expression, evaluate
from tests.conftest import IN_CI

EXPRESSIONS_JS = Path(__file__).resolve().parent.parent / "survey/static/offline/expressions.js"
RUNNER = """
import { evaluate } from %s;
let input = "";
for await (const chunk of process.stdin) input += chunk;
const cases = JSON.parse(input);
process.stdout.write(JSON.stringify(cases.map(([tree, answers, current]) => evaluate(tree, answers, current))));
"""

TODAY = datetime.date.today().isoformat()
CASES: list[tuple[str, dict[str, Any], Any, Any]] = [
    (". >= 1950", {}, 1960, True),
    (". >= 1950", {}, None, False),
    (". >= 1950", {}, "1960", False),
    ("a != 'x'", {}, None, False),
    ("a != 'x'", {"a": "y"}, None, True),
    ("a = b", {"a": True, "b": True}, None, True),
    ("a < b", {"a": True, "b": True}, None, False),
    ("a = 1", {"a": 1.0}, None, True),
    ("a < b", {"a": "z", "b": "\U0001f600"}, None, True),
    ("a < b", {"a": "\uff5a", "b": "\U0001f600"}, None, True),
    ("-7 mod 3", {}, None, 2),
    ("7 mod -3", {}, None, -2),
    ("a mod 2", {"a": -7.5}, None, 0.5),
    ("7 / 2", {}, None, 3.5),
    ("1 / 0", {}, None, None),
    ("1 mod 0", {}, None, None),
    ("'a' + 1", {}, None, None),
    ("-a", {"a": "x"}, None, None),
    ("not a", {"a": 0}, None, True),
    ("not a", {"a": "0"}, None, False),
    ("not a", {"a": []}, None, True),
    ("a and b", {"a": ["x"], "b": 2}, None, True),
    ("a or b", {"a": "", "b": False}, None, False),
    ("selected(work, 'sex_work')", {"work": ["factory", "sex_work"]}, None, True),
    ("selected(work, 'sex_work')", {"work": "sex_work"}, None, True),
    ("selected(work, 'sex_work')", {"work": None}, None, False),
    ("selected(flag, 'True')", {"flag": True}, None, True),
    ("count_selected(work)", {"work": ["a", "b"]}, None, 2),
    ("count_selected(work)", {"work": ""}, None, 0),
    ("count_selected(work)", {"work": "a"}, None, 1),
    ("answered(a)", {"a": 0}, None, True),
    ("answered(a)", {"a": []}, None, False),
    ("answered(a)", {"a": ""}, None, False),
    ("answered(constructor)", {}, None, False),
    ("year(a)", {"a": "2016-05-01"}, None, 2016),
    ("year(a)", {"a": "\u0e52\u0e55\u0e56\u0e57-01-01"}, None, 2567),
    ("year(a)", {"a": "2016-5-1"}, None, None),
    ("year(a) + 1", {"a": 2016}, None, None),
    ("today()", {}, None, TODAY),
    ("today() >= '2020-01-01'", {}, None, True),
    ("a * 2 > 10 and not (b = 'no')", {"a": 6, "b": "yes"}, None, True),
]


def run_in_node(cases: list[list[Any]]) -> list[Any]:
    node = shutil.which("node")
    if node is None:
        if IN_CI:
            pytest.fail("node is required in CI to check expressions.js")
        pytest.skip("node is not installed")
    script = RUNNER % json.dumps(EXPRESSIONS_JS.as_uri())
    result = subprocess.run([node, "--input-type=module", "-e", script], input=json.dumps(cases),
                            capture_output=True, text=True, check=True, timeout=60)
    return json.loads(result.stdout)


def same(left: Any, right: Any) -> bool:
    """Equal, and of the same JSON kind (True is not 1)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same, left, right))
    return left == right


def test_the_shared_table_gives_the_expected_values_in_python_and_javascript():
    trees = [[Expression.parse(source).tree, answers, current] for source, answers, current, _ in CASES]
    python = [evaluate(tree, answers, current) for tree, answers, current in trees]
    javascript = run_in_node(trees)
    for (source, _, _, expected), py, js in zip(CASES, python, javascript, strict=True):
        assert same(py, expected), (source, py, expected)
        assert same(js, expected), (source, js, expected)


VALUES = [None, True, False, 0, 1, 2, -3, 2.5, 1950, "", "a", "b", "red", "\U0001f600", "\uff5a",
          "2016-02-29", "\u0e52\u0e55\u0e56\u0e57-01-01", [], ["red"], ["red", "blue"]]
NAMES = ["a", "b", "c", "missing"]
BINARY = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "mod"]


def random_tree(rng: random.Random, depth: int) -> list[Any]:
    if depth == 0 or rng.random() < 0.3:
        kind = rng.choice(["num", "num", "str", "ref", "ref", "cur"])
        if kind == "num":
            return ["num", rng.choice([0, 1, 2, 3, 7, 10, 1950, 0.5, 2.5])]
        if kind == "str":
            return ["str", rng.choice(["", "a", "red", "blue", "2016-02-29", "\U0001f600"])]
        return ["ref", rng.choice(NAMES)] if kind == "ref" else ["cur"]
    kind = rng.choice(BINARY + ["not", "neg", "call"])
    if kind in ("not", "neg"):
        return [kind, random_tree(rng, depth - 1)]
    if kind == "call":
        name = rng.choice(sorted(FUNCTIONS))
        if name == "selected":  # str() of 2.0 and of 2 differ in Python; JSON cannot tell them apart
            subject = ["ref", rng.choice(NAMES)]
            return ["call", name, subject, rng.choice([["str", "red"], ["str", "a"], ["ref", "b"]])]
        args = [random_tree(rng, depth - 1) for _ in range(FUNCTIONS[name].arity)]
        return ["call", name, *args]
    return [kind, random_tree(rng, depth - 1), random_tree(rng, depth - 1)]


def test_random_trees_evaluate_the_same_in_python_and_javascript():
    rng = random.Random(20261128)
    cases = []
    for _ in range(3000):
        answers = {name: rng.choice(VALUES) for name in NAMES[:3] if rng.random() < 0.8}
        cases.append([random_tree(rng, 4), answers, rng.choice(VALUES)])
    javascript = run_in_node(cases)
    for (tree, answers, current), js in zip(cases, javascript, strict=True):
        py = evaluate(tree, answers, current)
        assert same(py, js), (tree, answers, current, py, js)
