"""Translators' notes: written during an interview, read on the submission and the
translator's page; notes and review states on form texts; Zawgyi kept beside Unicode."""

from __future__ import annotations

from sqlalchemy import select

from survey.accounts.models import Role
from survey.collect.models import Answer, Note, Submission
from survey.db import db
from survey.forms import catalog
from survey.review.models import TextReview
from tests.conftest import log_in_as
from tests.test_collect import FULL_INTERVIEW, give_consent, post_page

ZAWGYI = "ကၽြန္ေတာ္ ရန္ကုန္ၿမိဳ႕မွာ ေနပါတယ္။"
UNICODE = "ကျွန်တော် ရန်ကုန်မြို့မှာ နေပါတယ်။"
CARRIER_NOTE = "She said 'carrier': she means the police officer who brought her across."


def interview_with_notes(client) -> str:
    response = give_consent(client, client.get("/collect/priorities?lang=my").text)
    for number, data in enumerate(FULL_INTERVIEW[:-1]):
        extra = {}
        if number == 3:
            extra = {"note.how_crossed": CARRIER_NOTE, "note.how_crossed.language": "en",
                     "note.how_crossed.translation": "on"}
        if number == 9:
            data = {**data, "what_helps": ZAWGYI}
        response = post_page(client, response.text, {**data, **extra})
        assert response.status_code == 200, response.text
    response = post_page(client, response.text, {
        "note._interview": "ဘာသာပြန်သူ ပါဝင်ခဲ့သည်", "note._interview.language": "my"})
    assert response.status_code == 302
    return response.location


def test_a_note_written_during_the_interview_is_stored_with_author_role_language_and_time(logged_in, organisation):
    interview_with_notes(logged_in)
    notes = db.session.scalars(select(Note).order_by(Note.id)).all()
    assert [(n.question, n.body, n.language, n.is_translation, n.author_role) for n in notes] == [
        ("how_crossed", CARRIER_NOTE, "en", True, "interviewer"),
        (None, "ဘာသာပြန်သူ ပါဝင်ခဲ့သည်", "my", False, "interviewer"),
    ]
    assert all(n.created_at is not None for n in notes)


def test_notes_are_read_back_on_the_submission(logged_in, organisation):
    interview_with_notes(logged_in)
    submission = db.session.scalar(select(Submission))
    log_in_as(logged_in, "ada", Role.ADMIN, organisation.id)
    page = logged_in.get(f"/submissions/{submission.public_id}").text
    assert CARRIER_NOTE.replace("'", "&#39;") in page
    assert "translation of what she said" in page
    assert "ဘာသာပြန်သူ ပါဝင်ခဲ့သည်" in page
    assert page.index('id="a-how_crossed"') < page.index("carrier") < page.index('id="a-police_contact"')


def test_the_translator_page_shows_interview_notes_but_no_answers(logged_in, organisation):
    interview_with_notes(logged_in)
    submission = db.session.scalar(select(Submission))
    log_in_as(logged_in, "tam", Role.TRANSLATOR, organisation.id)
    page = logged_in.get("/translate/priorities").text
    assert CARRIER_NOTE.replace("'", "&#39;") in page
    assert UNICODE not in page and "Fair wages for everyone" not in page
    assert logged_in.get(f"/submissions/{submission.public_id}").status_code == 403
    assert logged_in.get("/collect/priorities").status_code == 403


def test_translator_notes_and_review_states_on_form_texts(logged_in, organisation):
    log_in_as(logged_in, "tam", Role.TRANSLATOR, organisation.id)
    key = "question.how_crossed.choice.broker"
    response = logged_in.post("/translate/priorities/note", data={
        "key": key, "language": "my", "body": "'broker' has no neutral word; used ပွဲစား"})
    assert response.status_code == 302
    logged_in.post("/translate/priorities/review", data={"key": key, "language": "my", "reviewed": "on"})
    page = logged_in.get("/translate/priorities").text
    assert "&#39;broker&#39; has no neutral word; used ပွဲစား" in page
    assert "✓ Reviewed" in page
    index = logged_in.get("/translate/").text
    assert "1 / " in index

    result = logged_in.application.test_cli_runner().invoke(args=["forms", "check"])
    assert "my: " in result.output and "1 reviewed" in result.output


def test_a_review_no_longer_counts_once_the_text_changes(app, logged_in, organisation):
    log_in_as(logged_in, "tam", Role.TRANSLATOR, organisation.id)
    key = "question.ethnicity.label"
    logged_in.post("/translate/priorities/review", data={"key": key, "language": "th", "reviewed": "on"})
    from survey.review.reviews import reviewed_texts

    form = catalog.get_form("priorities")
    assert (key, "th") in reviewed_texts(form)
    row = db.session.scalar(select(TextReview))
    row.text_hash = "0" * 64  # as if the Thai label had been edited since
    db.session.commit()
    assert (key, "th") not in reviewed_texts(form)


def test_unknown_text_or_language_is_refused(logged_in, organisation):
    log_in_as(logged_in, "tam", Role.TRANSLATOR, organisation.id)
    response = logged_in.post("/translate/priorities/note", data={
        "key": "question.nothing.label", "language": "my", "body": "x"})
    assert response.status_code == 400
    assert "There is no such text in this survey." in response.text


def test_zawgyi_answers_are_stored_in_unicode_with_the_original_and_a_flag(logged_in, organisation):
    interview_with_notes(logged_in)
    row = db.session.scalar(select(Answer).where(Answer.question == "what_helps"))
    assert (row.text, row.original_text, row.flags) == (UNICODE, ZAWGYI, "zawgyi")
    untouched = db.session.scalar(select(Answer).where(Answer.question == "government_change"))
    assert (untouched.text, untouched.original_text, untouched.flags) == (
        "Fair wages for everyone", None, None)
