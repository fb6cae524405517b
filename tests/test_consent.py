"""Informed consent before any answer, pseudonymous codes, refusals and withdrawal."""

from __future__ import annotations

import sqlite3

import html
import json
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.collect.models import Answer, Note, Submission
from survey.collect.storage import store_submission
from survey.consent.models import ConsentRecord, Participant, RefusalCount, Withdrawal
from survey.consent.pii import scan
from survey.db import db
from survey.forms import catalog
from survey.forms.errors import FormConfigError
from survey.forms.loader import load_form
from survey.forms.versions import record_version
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from tests.conftest import PASSWORD, log_in_as, running_app
from tests.test_collect import FULL_INTERVIEW, action_of, give_consent, post_page

PROJECT = Path(__file__).resolve().parent.parent
CANARY = "canary-7f3a9e-ကချင်-ทดสอบ"


def interview(client, lang="en", pages=FULL_INTERVIEW, **consent):
    response = client.get(f"/collect/priorities?lang={lang}")
    assert response.status_code == 200
    response = give_consent(client, response.text, **consent)
    for data in pages:
        response = post_page(client, response.text, data)
    return response


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- the consent step -------------------------------------------------------


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "Only our organisation sees your answers."),
    ("th", "มีแค่องค์กรของเราที่เห็นคำตอบของคุณ"),
    ("my", "သင့်အဖြေများကို ကျွန်ုပ်တို့အဖွဲ့သာ မြင်ရပါမည်။"),
])
def test_consent_comes_first_in_her_language_and_is_recorded(logged_in, lang, words):
    page = logged_in.get(f"/collect/priorities?lang={lang}").text
    assert words in page
    assert 'name="ethnicity"' not in page, "no question before consent"
    response = interview(logged_in, lang, method="oral_translator", optional_quote="y")
    assert response.status_code == 302
    record = db.session.scalar(select(ConsentRecord))
    assert (record.consent_version, record.language, record.method.value) == ("1", lang, "oral_translator")
    assert record.optional == {"quote": True, "recontact": False}
    assert record.recorded_by == db.session.scalar(select(Submission.collected_by))
    assert record.given_at is not None
    assert db.session.scalar(select(Submission.consent_id)) == record.id


def test_consent_needs_the_tick_and_the_method(logged_in):
    page = logged_in.get("/collect/priorities?lang=en").text
    response = logged_in.post(action_of(page), data={"action": "agree"})
    assert response.status_code == 302, "the errors are shown on the page the post leads to"
    response = logged_in.get(response.location)
    assert response.status_code == 422
    assert "Tick the box to agree" in html.unescape(response.text)
    assert "Choose how consent was given." in response.text


def test_refusal_ends_politely_and_keeps_only_a_count(logged_in):
    for _ in range(2):
        page = logged_in.get("/collect/priorities?lang=en").text
        response = logged_in.post(action_of(page), data={"action": "refuse"})
        assert response.status_code == 302
        response = logged_in.get(response.location)
        assert "Nothing you said has been kept." in response.text
    assert db.session.scalar(select(RefusalCount.count)) == 2
    assert count(Submission) == count(ConsentRecord) == count(Participant) == 0


def test_a_submission_without_consent_is_refused_by_the_database(app, organisation):
    form = catalog.get_form("priorities")
    record_version(form)
    participant = Participant(code="P-TEST-0001", organisation_id=organisation.id)
    db.session.add(participant)
    db.session.commit()
    row = {"uuid": uuid.uuid4(), "public_id": "0" * 32, "form_id": "priorities",
           "form_version": "1", "language": "en", "content_hash": "x",
           "received_at": participant.created_at, "participant_id": participant.id,
           "organisation_id": organisation.id}
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Submission), [row])
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Submission), [{**row, "consent_id": 999_999}])
    db.session.rollback()


def test_a_changed_consent_text_under_the_same_version_is_refused(app, tmp_path):
    record_version(catalog.get_form("priorities"))
    db.session.commit()
    changed = tmp_path / "forms" / "priorities.yaml"
    changed.parent.mkdir()
    text = (PROJECT / "forms" / "priorities.yaml").read_text()
    changed.write_text(text.replace("Only our organisation sees your answers.",
                                    "Our partners see your answers."))
    with pytest.raises(FormConfigError, match="consent text of version 1 has changed"):
        record_version(load_form(changed))
    db.session.rollback()
    changed.write_text(changed.read_text().replace("consent:\n  version: 1", "consent:\n  version: 2"))
    record_version(load_form(changed))  # a new consent version is fine


# --- participant codes ------------------------------------------------------


def test_each_participant_gets_a_code_shown_on_a_card(logged_in):
    response = interview(logged_in)
    card = logged_in.get(response.location).text
    assert '<p class="code" lang="en">P-KC-0001</p>' in card
    assert "Keep this code if you want to withdraw or answer again." in card
    response = interview(logged_in)
    assert "P-KC-0002" in logged_in.get(response.location).text


def test_a_follow_up_survey_uses_the_same_code(logged_in):
    interview(logged_in)
    response = interview(logged_in, code="p-kc-0001 ")
    assert "P-KC-0001" in logged_in.get(response.location).text
    assert count(Participant) == 1 and count(Submission) == 2


def test_an_unknown_code_is_a_clear_error_on_the_consent_page(logged_in):
    page = logged_in.get("/collect/priorities?lang=th").text
    response = give_consent(logged_in, page, code="P-KC-9999")
    assert response.status_code == 422
    assert "No participant has this code" in response.text or "รหัส" in response.text
    assert count(Submission) == 0


def test_the_data_model_has_no_name_phone_or_address_fields(app):
    personal = re.compile(r"(^|_)(name|phone|mobile|address|email|birth)(_|$)")
    columns = [f"{table}.{column['name']}" for table in inspect(db.engine).get_table_names()
               for column in inspect(db.engine).get_columns(table)]
    assert [c for c in columns if personal.search(c.split(".")[1])] == []
    assert "participants.code" in columns


@pytest.mark.parametrize(("text", "found"), [
    ("โทรหาฉัน 081-234-5678 นะ", {"phone"}),
    ("โทร ๐๘๑ ๒๓๔ ๕๖๗๘", {"phone"}),
    ("ဖုန်း ၀၉-၄၂၀-၁၂၃-၄၅၆ ကို ဆက်ပါ", {"phone"}),
    ("call +95 9 420 123 456", {"phone"}),
    ("+66812345678", {"phone"}),
    ("บัตรประชาชน 1-2345-67890-12-3", {"id_number"}),
    ("เลขบัตร ๑๒๓๔๕๖๗๘๙๐๑๒๓", {"id_number"}),
    ("မှတ်ပုံတင် ၁၂/မရက(နိုင်)၁၂၃၄၅၆", {"id_number"}),
    ("NRC 9/MaHtaLa(N)045123 and 0812345678", {"id_number", "phone"}),
    ("I came in 2015 and send 3,000 baht", set()),
    ("၂၀၁၅ ခုနှစ်တွင် ရောက်ခဲ့သည်", set()),
    ("พ.ศ. ๒๕๕๘ ได้ ๓๐๐ บาท", set()),
])
def test_phone_and_id_numbers_are_found_in_any_digits(text, found):
    assert scan(text) == found


def test_free_text_with_a_phone_number_is_flagged_for_redaction(logged_in):
    pages = [dict(p) for p in FULL_INTERVIEW]
    pages[9] = {"government_change": "ring my friend ๐๘๑-๒๓๔-๕๖๗๘", "what_helps": ""}
    interview(logged_in, pages=pages)
    flags = db.session.scalar(select(Answer.flags).where(Answer.question == "government_change"))
    assert flags == "phone"


# --- withdrawal -------------------------------------------------------------


def test_withdrawal_asks_for_confirmation_then_deletes_everything_under_the_code(logged_in):
    pages = [dict(p) for p in FULL_INTERVIEW]
    pages[9] = {"government_change": CANARY, "what_helps": "",
                "note.government_change": "she wrote it herself", "note.government_change.language": "en"}
    interview(logged_in, pages=pages)
    interview(logged_in, code="P-KC-0001")
    interview(logged_in)  # someone else: P-KC-0002

    response = logged_in.post("/withdraw", data={"code": "P-KC-0001"})
    assert "This deletes 2 submissions and 1 notes." in response.text
    assert count(Submission) == 3, "nothing is deleted before she confirms"
    response = logged_in.post("/withdraw", data={"code": "P-KC-0001", "confirm": "yes"})
    assert "Everything under P-KC-0001 is deleted: 2 submissions and 1 notes." in response.text

    assert count(Submission) == 1 and count(Note) == 0 and count(ConsentRecord) == 1
    assert db.session.scalar(select(Participant.code)) == "P-KC-0002"
    assert db.session.scalar(select(func.count()).where(Answer.text == CANARY)) == 0
    withdrawal = db.session.scalar(select(Withdrawal))
    assert (withdrawal.code, withdrawal.withdrawn_by) == ("P-KC-0001", db.session.scalar(
        select(Submission.collected_by)))


def test_withdrawing_an_unknown_code_says_so(logged_in):
    response = logged_in.post("/withdraw", data={"code": "P-KC-4242"})
    assert "No participant has this code." in response.text
    assert count(Withdrawal) == 0


def test_a_withdrawn_code_is_never_given_out_again(logged_in):
    interview(logged_in)
    logged_in.post("/withdraw", data={"code": "P-KC-0001", "confirm": "yes"})
    response = interview(logged_in)
    assert "P-KC-0002" in logged_in.get(response.location).text


def test_withdrawn_answers_are_gone_from_the_sqlite_file(tmp_path):
    path = tmp_path / "withdraw.sqlite3"
    # Without SQLCipher, as someone holding the passphrase would read the file.
    with running_app(f"sqlite:///{path}", SQLALCHEMY_ENGINE_OPTIONS={"module": sqlite3}) as app:
        with app.app_context():
            db.create_all()
            org = create_organisation("EMP", "Empower test")
            assign_unassigned_forms(org)
            create_user("ina", PASSWORD, Role.INTERVIEWER, organisation_id=org.id)
        client = app.test_client()
        client.post("/login", data={"username": "ina", "password": PASSWORD})
        pages = [dict(p) for p in FULL_INTERVIEW]
        pages[9] = {"government_change": CANARY, "what_helps": ""}
        assert interview(client, pages=pages).status_code == 302
        with app.app_context(), db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        assert CANARY.encode() in path.read_bytes(), "the canary was stored before"

        client.post("/withdraw", data={"code": "P-KC-0001", "confirm": "yes"})
        stored = b"".join(p.read_bytes() for p in tmp_path.glob("withdraw.sqlite3*"))
        assert CANARY.encode() not in stored


# --- the register -----------------------------------------------------------


def test_the_consent_register_counts_and_lists_codes_but_never_answers(logged_in, organisation):
    interview(logged_in, "th")
    interview(logged_in, "my", method="self", optional_recontact="y")
    page = logged_in.get("/collect/priorities?lang=en").text
    logged_in.post(action_of(page), data={"action": "refuse"})
    logged_in.post("/withdraw", data={"code": "P-KC-0001", "confirm": "yes"})

    log_in_as(logged_in, "ada", Role.ADMIN, organisation.id)
    register = logged_in.get("/consent/priorities").text
    counts = re.search(r'<table class="table" id="counts">.*?</table>', register, re.S).group(0)
    assert re.search(r"<td>1</td><td>self</td><td lang=\"my\">မြန်မာ</td><td>1</td>", counts)
    assert "Refused: 1" in register and "Withdrawn: 1" in register
    participants = re.search(r'id="participants">.*?</table>', register, re.S).group(0)
    assert "P-KC-0002" in participants and "P-KC-0001" not in participants
    assert "<td>yes</td>" in participants  # recontact
    assert "Fair wages for everyone" not in register


def test_a_server_started_with_a_changed_consent_text_skips_that_form(
        database_url, app, tmp_path, interviewer):
    record_version(catalog.get_form("priorities"))
    db.session.commit()
    forms = tmp_path / "forms"
    forms.mkdir()
    text = (PROJECT / "forms" / "priorities.yaml").read_text()
    (forms / "priorities.yaml").write_text(text.replace(
        "Only our organisation sees your answers.", "Our partners see your answers."))
    with running_app(database_url, FORMS_DIR=str(forms)) as restarted, restarted.app_context():
        from survey.forms import catalog as restarted_catalog

        # The changed file is skipped; the version published in the database is still offered.
        assert "consent text of version 1 has changed" in str(restarted_catalog.loaded().errors[0])
        offered = restarted_catalog.get_form("priorities")
        assert offered is not None and "Our partners" not in offered.text(offered.consent.text, "en")
