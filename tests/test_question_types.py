"""Every question type: rendered as HTML, posted, stored and read back."""

from __future__ import annotations

import html
import json
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from survey.collect.models import Submission
from survey.collect.storage import read_answers, store_submission
from survey.db import db
from survey.forms import catalog
from survey.forms.loader import load_forms
from survey.forms.types import QUESTION_TYPES
from survey.results import perturbation
from survey.results.disclosure import Rule
from survey.results.scope import Scope
from survey.results.tabulators import tabulate
from tests.conftest import a_consent
from tests.test_collect import action_of, give_consent, post_page

FORMS = Path(__file__).parent / "forms"

POSTED = {
    "word": "  ကချင်  ",
    "story": "line one\r\nline two ✊",
    "count": "๑๒",
    "weight": "2.5",
    "day": "2024-02-29",
    "colour": "green",
    "colours": ["blue", "red"],
    "order": ["blue:1", "red:2", "green:3"],
}
EXPECTED = {
    "word": "ကချင်",
    "story": "line one\r\nline two ✊",
    "count": 12,
    "weight": 2.5,
    "day": "2024-02-29",
    "colour": "green",
    "colours": ["red", "blue"],
    "order": ["blue", "red", "green"],
}


@pytest.fixture
def forms_dir() -> Path:
    return FORMS


def test_the_example_covers_every_type():
    form = load_forms(FORMS).forms["every_type"]
    assert {q.type.name for q in form.questions()} == set(QUESTION_TYPES)


def test_each_type_renders_its_own_control(logged_in):
    page = give_consent(logged_in, logged_in.get("/collect/every_type?lang=th").text).text
    assert '<p class="note">สวัสดี</p>' in page
    assert re.search(r'<input[^>]*name="word"[^>]*type="text"', page)
    assert re.search(r'<textarea[^>]*name="story"', page)
    assert re.search(r'<input[^>]*inputmode="numeric"[^>]*name="count"', page)
    assert re.search(r'<input[^>]*inputmode="decimal"[^>]*name="weight"', page)
    assert re.search(r'<input[^>]*name="day"[^>]*type="date"', page)
    assert len(re.findall(r'name="colour" type="radio"', page)) == 3
    assert len(re.findall(r'name="colours" type="checkbox"', page)) == 3
    assert len(re.findall(r'<select[^>]*name="order"', page)) == 3
    assert 'value="red:3"' in page
    assert "น้ำเงิน" in page  # choice labels in the form language


def test_every_type_round_trips_through_storage(logged_in):
    page = give_consent(logged_in, logged_in.get("/collect/every_type?lang=en").text).text
    response = logged_in.post(action_of(page), data={"action": "next", **POSTED})
    assert response.status_code == 302, response.text
    submission = db.session.scalar(select(Submission))
    form = catalog.get_form("every_type")
    assert read_answers(form, submission) == EXPECTED
    assert json.loads(submission.answers_json) == EXPECTED  # what the Responses sheet reads


@pytest.mark.parametrize(("name", "value", "message"), [
    ("count", "twelve", "Enter a whole number, like 25."),
    ("count", "-1", "Zero or more"),
    ("weight", "1e999", "Enter a number, like 2.5."),
    ("day", "2023-02-29", "Enter a date like 2024-03-31."),
    ("colour", "purple", "Choose one of the answers shown."),
    ("colours", "purple", "Choose from the answers shown."),
    ("order", "red:2", "Number the items 1, 2, 3… without leaving a gap."),
    ("order", "red:1", "Put 3 items in order."),
])
def test_bad_answers_get_a_message_next_to_the_question(logged_in, name, value, message):
    page = give_consent(logged_in, logged_in.get("/collect/every_type?lang=en").text).text
    response = post_page(logged_in, page, {name: value})
    assert response.status_code == 422
    block = re.search(rf'id="q-{name}".*?</div>', response.text, re.S).group(0)
    assert html.escape(message, quote=False) in block
    assert db.session.scalar(select(Submission)) is None


def test_answers_posted_with_an_error_are_shown_again(logged_in):
    page = give_consent(logged_in, logged_in.get("/collect/every_type?lang=en").text).text
    response = post_page(logged_in, page, {
        "order": ["green:1", "blue:2", "red:3"], "word": "hello", "count": "x"})
    assert response.status_code == 422
    assert 'value="x"' in response.text  # what she typed stays, with the error
    assert 'value="hello"' in response.text
    assert 'value="blue:2" selected' in response.text or 'selected value="blue:2"' in response.text


def test_a_date_questions_months_are_published_from_protected_counts(app, organisation, monkeypatch):
    """A month's count is a publication like any other: it carries the same noise, so a
    month minus the days before cannot give one woman's answer."""
    monkeypatch.setattr(perturbation, "_row", lambda count: ((count + 10, perturbation.RANGE),))
    form = catalog.get_form("every_type")
    for day in range(1, 13):
        store_submission(form, uuid.uuid4(), "en", {"day": f"2026-03-{day:02d}"}, a_consent(form),
                         organisation_id=organisation.id)
    results = tabulate(Scope(form, organisation.id), Rule(k=5), "en", only=["day"])
    march = next(line for line in results.questions[0].lines if line.code == "2026-03")
    assert march.cell.count == 22, "the true 12 plus the (patched) noise"
