"""The page-by-page survey through the server, as an interviewer uses it."""

from __future__ import annotations

import html
import json
import re
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from survey.collect.models import Answer, Submission
from survey.collect.storage import SubmissionConflict, store_submission
from survey.db import db
from survey.forms import catalog
from tests.conftest import a_consent

FULL_INTERVIEW = [
    {},  # welcome
    {"ethnicity": "kachin", "age_band": "age_25_34"},
    {"work": ["factory", "seafood"], "documents": "pink_card"},
    {"year_crossed": "2015", "how_crossed": "broker"},
    {"police_contact": "yes", "detained": "no"},
    {"police_how_often": "few_times", "police_money_demanded": "yes"},
    {"debt": "no_debt"},
    {"money_sent_home": "from_1000_to_3000"},
    {"priorities": ["health_care:1", "safe_migration:2", "minimum_wage:3", "safe_work:4",
                    "no_police_harassment:5", "decriminalise_sex_work:6", "education:7",
                    "safe_remittance:8"]},
    {"government_change": "Fair wages for everyone", "what_helps": ""},
    {},  # thanks
]


def state(page: str) -> dict[str, Any]:
    match = re.search(r'name="interview" value="([^"]*)"', page)
    assert match, "page has no interview state"
    return json.loads(html.unescape(match.group(1)))


def post_page(client: FlaskClient, page: str, data: dict[str, Any], action: str = "next"):
    payload = {"interview": json.dumps(state(page)), "action": action, **data}
    return client.post("/collect/priorities", data=payload)


CONSENT = {"agree": "y", "method": "oral"}


def give_consent(client: FlaskClient, page: str, form_id: str = "priorities", **extra: Any):
    payload = {"interview": json.dumps(state(page)), "action": "agree", **CONSENT, **extra}
    return client.post(f"/collect/{form_id}", data=payload)


def run_interview(client: FlaskClient, pages: list[dict[str, Any]], lang: str = "en"):
    response = client.get(f"/collect/priorities?lang={lang}")
    response = give_consent(client, response.text)
    for data in pages:
        assert response.status_code == 200, response.text
        response = post_page(client, response.text, data)
    return response


def stored_answers() -> dict[str, list[tuple]]:
    rows = db.session.execute(select(Answer.question, Answer.position, Answer.value,
                                     Answer.number, Answer.text).order_by(Answer.id))
    result: dict[str, list[tuple]] = {}
    for question, *rest in rows:
        result.setdefault(question, []).append(tuple(rest))
    return result


def submission_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Submission))


def test_login_is_required(client):
    response = client.get("/collect/priorities")
    assert response.status_code == 302
    assert "/login" in response.location


def test_language_choice_lists_each_language_in_its_own_script(logged_in):
    html = logged_in.get("/collect/priorities").text
    assert "English" in html and "ไทย" in html and "မြန်မာ" in html


def test_full_interview_is_stored(logged_in):
    response = run_interview(logged_in, FULL_INTERVIEW)
    assert response.status_code == 302
    assert "/collect/priorities/done/" in response.location
    assert "Answers saved" in logged_in.get(response.location).text

    submission = db.session.scalar(select(Submission))
    assert (submission.form_id, submission.form_version, submission.language) == ("priorities", "1", "en")
    answers = stored_answers()
    assert answers["ethnicity"] == [(0, "kachin", None, None)]
    assert answers["work"] == [(1, "factory", None, None), (2, "seafood", None, None)]
    assert answers["year_crossed"] == [(0, "2015", 2015.0, None)]
    assert answers["priorities"][:2] == [(1, "health_care", 1.0, None), (2, "safe_migration", 2.0, None)]
    assert answers["government_change"] == [(0, None, None, "Fair wages for everyone")]
    assert answers["what_helps"] == [(0, None, None, None)], "a skipped question is kept as blank"


def test_pages_skipped_by_logic_are_not_shown_and_not_stored(logged_in):
    pages = [dict(p) for p in FULL_INTERVIEW]
    pages[4] = {"police_contact": "no", "detained": "no"}
    del pages[5]  # the police follow-up page must not come
    response = run_interview(logged_in, pages)
    assert response.status_code == 302
    answers = stored_answers()
    assert "police_how_often" not in answers
    assert "detention_length" not in answers


def test_answers_to_questions_that_are_not_relevant_are_dropped(logged_in):
    """A tampered state cannot smuggle in answers skip logic rules out."""
    response = run_interview(logged_in, FULL_INTERVIEW[:-1])
    forged = state(response.text)
    forged["answers"]["police_contact"] = "no"  # follow-ups were answered as if 'yes'
    response = logged_in.post("/collect/priorities", data={
        "interview": json.dumps(forged), "action": "next"})
    assert response.status_code == 302
    answers = stored_answers()
    assert "police_how_often" not in answers and "police_money_demanded" not in answers


def test_required_question_shows_error_next_to_it_in_the_form_language(logged_in):
    response = logged_in.get("/collect/priorities?lang=th")
    response = give_consent(logged_in, response.text)
    response = post_page(logged_in, response.text, {})
    response = post_page(logged_in, response.text, {"age_band": "age_25_34"})
    assert response.status_code == 422
    block = re.search(r'id="q-ethnicity".*?</div>', response.text, re.S).group(0)
    assert "กรุณาตอบคำถามนี้" in block
    assert submission_count() == 0


def test_constraint_message_is_shown_in_the_form_language(logged_in):
    response = run_interview(logged_in, FULL_INTERVIEW[:3], lang="my")
    response = post_page(logged_in, response.text, {"year_crossed": "1900", "how_crossed": "alone"})
    assert response.status_code == 422
    block = re.search(r'id="q-year_crossed".*?</div>', response.text, re.S).group(0)
    assert 'class="error-text"' in block
    assert "ခရစ်နှစ်" in block  # the Burmese constraint message from forms/priorities.yaml


def test_numbers_in_thai_and_myanmar_digits_are_accepted(logged_in):
    response = run_interview(logged_in, FULL_INTERVIEW[:3])
    response = post_page(logged_in, response.text, {"year_crossed": "၂၀၁၅", "how_crossed": "alone"})
    assert response.status_code == 200
    assert state(response.text)["answers"]["year_crossed"] == 2015


def test_back_keeps_the_answers_of_the_page(logged_in):
    response = run_interview(logged_in, FULL_INTERVIEW[:2])
    response = post_page(logged_in, response.text, {"work": ["factory"]}, action="back")
    assert re.search(r'<input checked[^>]*value="kachin"', response.text)
    assert state(response.text)["answers"]["work"] == ["factory"]


def test_rank_must_not_give_one_position_twice(logged_in):
    response = run_interview(logged_in, FULL_INTERVIEW[:8])
    response = post_page(logged_in, response.text, {"priorities": ["health_care:1", "minimum_wage:1"]})
    assert response.status_code == 422
    assert "Give each position to only one item." in response.text


def test_the_same_interview_posted_twice_is_stored_once(logged_in):
    response = run_interview(logged_in, FULL_INTERVIEW[:-1])
    last_page = response.text
    first = post_page(logged_in, last_page, FULL_INTERVIEW[-1])
    second = post_page(logged_in, last_page, FULL_INTERVIEW[-1])
    assert first.status_code == 302 and "/done/" in first.location
    assert second.status_code == 302 and second.location == "/collect/priorities", \
        "a finished interview posted again shows nothing of it"
    assert submission_count() == 1


def test_the_same_uuid_is_stored_once_and_different_content_is_a_conflict(app, organisation):
    form = catalog.get_form("priorities")
    key = uuid.uuid4()
    answers = {"ethnicity": "shan", "age_band": "age_25_34"}
    consent = a_consent(form)
    first, created = store_submission(form, key, "en", answers, consent,
                                      organisation_id=organisation.id)
    again, created_again = store_submission(form, key, "en", answers, consent,
                                            organisation_id=organisation.id)
    assert (created, created_again) == (True, False) and again.id == first.id
    with pytest.raises(SubmissionConflict):
        store_submission(form, key, "en", {**answers, "ethnicity": "karen"}, consent,
                         organisation_id=organisation.id)
    assert submission_count() == 1


def test_damaged_state_is_a_clear_400(logged_in):
    response = logged_in.post("/collect/priorities", data={"interview": "{not json", "action": "next"})
    assert response.status_code == 400
    assert "the interview state is damaged" in response.text
    response = logged_in.post("/collect/priorities", data={"interview": json.dumps({
        "uuid": str(uuid.uuid4()), "language": "xx", "page": -1,
        "started_at": "2026-01-01T00:00:00", "answers": {}}), "action": "next"})
    assert response.status_code == 400
    assert "not offered in 'xx'" in html.unescape(response.text)


def test_unknown_form_is_404(logged_in):
    response = logged_in.get("/collect/nothing")
    assert response.status_code == 404
    assert "There is no survey called" in response.text


def test_a_page_without_consent_is_refused(logged_in):
    response = logged_in.post("/collect/priorities", data={"interview": json.dumps({
        "uuid": str(uuid.uuid4()), "language": "en", "page": 1,
        "started_at": "2026-01-01T00:00:00", "answers": {}}), "action": "next"})
    assert response.status_code == 400
    assert "there is no consent for this interview" in response.text
