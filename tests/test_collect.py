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


def action_of(page: str) -> str:
    """Where the page's interview form posts to: the interview's draft, by its opaque id."""
    match = re.search(r'<form method="post" action="([^"]*)" class="stack"', page)
    assert match, "page has no interview form"
    return html.unescape(match.group(1))


def post_to(client: FlaskClient, url: str, data: dict[str, Any]):
    """Post a page; a redirect to the interview's next page is followed, as a browser does."""
    response = client.post(url, data=data)
    if response.status_code == 302 and "/i/" in response.location:
        return client.get(response.location)
    return response


def post_page(client: FlaskClient, page: str, data: dict[str, Any], action: str = "next"):
    return post_to(client, action_of(page), {"action": action, **data})


CONSENT = {"agree": "y", "method": "oral"}


def give_consent(client: FlaskClient, page: str, **extra: Any):
    return post_to(client, action_of(page), {"action": "agree", **CONSENT, **extra})


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
    """Answers given before skip logic ruled them out are not stored."""
    response = run_interview(logged_in, FULL_INTERVIEW[:5])  # follow-ups answered as if 'yes'
    response = post_page(logged_in, response.text, {}, action="back")
    response = post_page(logged_in, response.text, {"police_contact": "no", "detained": "no"})
    for data in FULL_INTERVIEW[6:]:
        response = post_page(logged_in, response.text, data)
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
    response = post_page(logged_in, response.text, {}, action="back")
    assert 'value="2015"' in response.text


def test_back_keeps_the_answers_of_the_page(logged_in):
    response = run_interview(logged_in, FULL_INTERVIEW[:2])
    response = post_page(logged_in, response.text, {"work": ["factory"]}, action="back")
    assert re.search(r'<input checked[^>]*value="kachin"', response.text)
    response = post_page(logged_in, response.text, FULL_INTERVIEW[1])
    assert re.search(r'<input checked[^>]*value="factory"', response.text)
    assert not re.search(r'<input checked[^>]*value="seafood"', response.text)


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


def test_the_interview_is_never_in_a_page_or_its_address(logged_in):
    """Her answers stay on the server: a page carries only the draft's opaque id."""
    response = run_interview(logged_in, FULL_INTERVIEW[:3])
    assert response.status_code == 200
    assert "kachin" not in response.text and "factory" not in response.text
    assert "oral" not in response.text, "nor her consent"


def test_every_post_of_a_page_is_answered_by_a_redirect(logged_in):
    """Post/Redirect/Get: the browser keeps no page whose request body holds an answer."""
    page = logged_in.get("/collect/priorities?lang=en").text
    response = logged_in.post(action_of(page), data={"action": "agree", **CONSENT})
    assert response.status_code == 302
    page = logged_in.get(response.location).text
    for data, action in [({}, "next"), ({"ethnicity": "kachin"}, "next"),
                         ({"ethnicity": "kachin", "age_band": "age_25_34"}, "back"),
                         ({"ethnicity": "kachin", "age_band": "age_25_34"}, "next")]:
        response = logged_in.post(action_of(page), data={"action": action, **data})
        assert response.status_code == 302, (data, action)
        page = logged_in.get(response.location).text


def test_an_unknown_or_ended_interview_leads_back_to_the_start(logged_in):
    for method in (logged_in.get, logged_in.post):
        response = method("/collect/priorities/i/not-a-draft")
        assert response.status_code == 302 and response.location == "/collect/priorities"


def test_the_old_hidden_interview_field_is_refused(logged_in):
    response = logged_in.post("/collect/priorities?lang=xx", data={"interview": "{not json"})
    assert response.status_code == 400
    assert "not offered in 'xx'" in html.unescape(response.text)


def test_unknown_form_is_404(logged_in):
    response = logged_in.get("/collect/nothing")
    assert response.status_code == 404
    assert "There is no survey called" in response.text


def test_no_question_is_reached_without_consent(logged_in):
    page = logged_in.get("/collect/priorities?lang=en").text
    response = post_page(logged_in, page, {"ethnicity": "kachin", "method": "oral"})
    assert response.status_code == 422
    assert "Tick the box to agree" in html.unescape(response.text)
    assert 'name="ethnicity"' not in response.text
