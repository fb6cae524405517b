"""Every registered question type judges an answer the same on the server and on the tablet.

Hypothesis makes answers (JSON values as a tablet sends them, and text as typed into
a widget) for each type in ``QUESTION_TYPES``; each goes through the type's ``clean``
(via ``validation.check``) and its ``reading``, and through static/offline/answers.js
run by Node on the same question as the tablet receives it. The verdict, the message
and the canonical value must agree. A new type is covered without a new test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.forms.definition import Choice, Question, Text
from survey.forms.types import QUESTION_TYPES, AnswerError, QuestionType, checks
from survey.forms.validation import check
from survey.sync.describe import _question
from tests.conftest import IN_CI
from tests.test_offline_expressions import same

ANSWERS_JS = Path(__file__).resolve().parent.parent / "survey/static/offline/answers.js"
RUNNER = """
import { check, read, AnswerError } from %s;
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { question, answers, typed } = JSON.parse(input);
const verdict = (f) => {
  try { return [true, f()]; } catch (error) {
    if (!(error instanceof AnswerError)) throw error;
    return [false, error.message, error.variables];
  }
};
process.stdout.write(JSON.stringify({
  answers: answers.map((value) => verdict(() => check(question, value, {}))),
  typed: question.read?.trim === undefined ? [] : typed.map((text) => verdict(() => read(question.read, text))),
}));
"""

CHOICES = ["a", "b", "c", "d"]
DIGITS = "0123456789" "\u0e50\u0e51\u0e52\u0e55\u0e59" "\u1040\u1042\u1045\u1049" "\u1090\u1093\u1099" \
         "\u17e0\u17e3\u17e9" "\u0660\u0669"
TYPED = DIGITS + "+-.,eE_:x T" + "\u00a0\u3000\t\n"


def a_question(question_type: QuestionType) -> Question:
    """A question of this type, as a form would give it: choices, and any options it takes."""
    options = {"rank_count": 3} if "rank_count" in question_type.options else {}
    choices = tuple(Choice(c, Text({"en": c})) for c in CHOICES) if question_type.has_choices else ()
    return Question("q", question_type, Text({"en": "Q"}), 1, choices=choices, options=options,
                    required=True)


def typed_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(alphabet=TYPED, max_size=12),
        st.text(st.characters(exclude_categories=("Cs", "Cn", "Co")), max_size=20),
        st.sampled_from(["1_000", "1,000", "inf", "nan", "0x10", " ๒๕ ", "2024-02-29", "2023-02-29",
                         "09:30", "9:30", "24:00", "๐๙:๓๐", "1e400", "-0", ".5", "5."]),
        st.builds(lambda n, pad: pad + "a" * n + pad, st.integers(1990, 2010), st.sampled_from(["", " ", "\u3000"])),
    )


def answers() -> st.SearchStrategy[Any]:
    choice = st.sampled_from(CHOICES + ["z", ""])
    return st.one_of(
        st.none(), st.booleans(), st.integers(-2**60, 2**60), st.sampled_from([10**15, 10**15 + 1, -10**15]),
        st.floats(allow_nan=False, allow_infinity=False), typed_texts(), choice,
        st.lists(choice, max_size=5), st.lists(st.integers(0, 3), max_size=2),
        st.dates().map(lambda d: d.isoformat()), st.dictionaries(st.sampled_from(CHOICES), st.integers(), max_size=1),
    )


def on_tablet(question: dict[str, Any], values: list[Any], typed: list[str]) -> dict[str, list[Any]]:
    node = shutil.which("node")
    if node is None:
        if IN_CI:
            pytest.fail("node is required in CI to check answers.js")
        pytest.skip("node is not installed")
    script = RUNNER % json.dumps(ANSWERS_JS.as_uri())
    stdin = json.dumps({"question": question, "answers": values, "typed": typed})
    result = subprocess.run([node, "--input-type=module", "-e", script], input=stdin,
                            capture_output=True, text=True, check=True, timeout=60)
    return json.loads(result.stdout)


def verdict(judge: Any) -> list[Any]:
    try:
        return [True, json.loads(json.dumps(judge()))]
    except AnswerError as error:
        return [False, error.message, error.variables]
    except ValueError as error:
        return [False, str(error), {}]


def agree(server: list[Any], tablet: list[Any]) -> bool:
    """The same verdict and message, or the same value (JavaScript writes 6e16 as 60000000000000000)."""
    if server[0] != tablet[0]:
        return False
    if not server[0]:
        return server[1:] == tablet[1:]
    numbers = [isinstance(v, int | float) and not isinstance(v, bool) for v in (server[1], tablet[1])]
    return float(server[1]) == float(tablet[1]) if all(numbers) else same(server[1], tablet[1])


@pytest.mark.parametrize("name", sorted(QUESTION_TYPES))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(answers(), min_size=30, max_size=30), typed=st.lists(typed_texts(), min_size=30, max_size=30))
def test_the_server_and_the_tablet_judge_every_answer_alike(name: str, values: list[Any], typed: list[str]):
    question = a_question(QUESTION_TYPES[name])
    sent = json.loads(json.dumps(_question(question)))
    tablet = on_tablet(sent, values, typed)
    assert sent["collects"] is question.collects_answer
    if not question.collects_answer:  # both sides' validate() skip it
        return
    for value, theirs in zip(values, tablet["answers"], strict=True):
        ours = verdict(lambda value=value: check(None, question, value, {}))
        assert agree(ours, theirs), (name, value, ours, theirs)
    reading = question.type.reading(question)
    if reading is None or "trim" not in reading:
        return
    for text, theirs in zip(typed, tablet["typed"], strict=True):
        ours = verdict(lambda text=text: checks.read(reading, text))
        assert agree(ours, theirs), (name, text, ours, theirs)


def test_the_web_form_rejects_what_the_tablet_rejects():
    """The drift that started this: Python's int() took 1_000 and ∞; neither side does now."""
    question = a_question(QUESTION_TYPES["integer"])
    reading = question.type.reading(question)
    for typed in ("1_000", "٣_٠", "inf"):
        with pytest.raises(ValueError):
            checks.read(reading, typed)
    assert checks.read(reading, "๑,๐๐๐") == 1000
