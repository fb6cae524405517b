"""Several organisations on one server: every route declares its roles, and no lead
of one organisation can reach another's objects."""

from __future__ import annotations

import os
import re
import uuid

import pytest
from flask import Flask
from sqlalchemy import select

from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.collect.models import InterviewDraft, Submission
from survey.collect.storage import store_submission
from survey.db import db
from survey.forms import catalog
from survey.jobs.models import Job, Kind, Status
from survey.organisations.manage import assign_form, create_organisation
from tests.conftest import PASSWORD, a_consent, log_in_as

B_SECRET = "B-only-answer-5c1e"
B_NOTE = "B-only-note-77d2"
PUBLIC = {"static", "accounts.login", "accounts.logout"}


def test_every_route_declares_which_roles_may_use_it(app: Flask):
    undeclared = [rule.endpoint for rule in app.url_map.iter_rules()
                  if rule.endpoint != "static"
                  and not getattr(app.view_functions[rule.endpoint], "allowed_roles", None)]
    assert undeclared == []


@pytest.fixture
def org_b_data(app, organisation):
    """Organisation B, with its own interviewer, lead, submission, note and participant."""
    org_b = create_organisation("SWG", "Second organisation")
    assign_form("SWG", "priorities")
    interviewer_b = create_user("bee", PASSWORD, Role.INTERVIEWER, organisation_id=org_b.id)
    form = catalog.get_form("priorities")
    submission, _ = store_submission(
        form, uuid.uuid4(), "en",
        {"ethnicity": "shan", "age_band": "age_25_34", "work": ["factory"],
         "documents": "passport", "priorities": form.question("priorities").choice_values,
         "government_change": B_SECRET},
        a_consent(form), organisation_id=org_b.id, collected_by=interviewer_b,
        notes=[("government_change", {"body": B_NOTE, "language": "en", "translation": False})],
    )
    draft = InterviewDraft(id="b-draft-" + uuid.uuid4().hex, user_id=interviewer_b.id,
                           form_id="priorities", sealed=os.urandom(64))
    lead_b = create_user("bea", PASSWORD, Role.LEAD, organisation_id=org_b.id)
    job = Job(id="b-job-" + uuid.uuid4().hex, kind=Kind.WORKBOOK, user_id=lead_b.id,
              organisation_id=org_b.id, form_id="priorities", status=Status.DONE, progress=100)
    db.session.add_all([draft, job])
    db.session.commit()
    return {"org": org_b, "submission": submission, "interviewer": interviewer_b,
            "code": submission.participant.code, "draft_id": draft.id, "job_id": job.id}


def _values(data) -> dict[str, str]:
    submission = data["submission"]
    return {
        "form_id": "priorities", "public_id": submission.public_id,
        "submission_uuid": str(submission.uuid), "username": data["interviewer"].username,
        "action": "disable", "code": data["code"], "anything": "forms/priorities",
        "draft_id": data["draft_id"],
        # Form uploads belong to no organisation: a lead may open none of them.
        "upload_id": "1", "language": "my",
        "job_id": data["job_id"], "kind": "workbook",
    }


def _urls(app: Flask, data) -> list[tuple[str, str, str]]:
    values = _values(data)
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        missing = [arg for arg in rule.arguments if arg not in values]
        assert not missing, f"{rule.rule}: give this test an org-B value for {missing}"
        url = rule.build({arg: values[arg] for arg in rule.arguments}, append_unknown=False)[1]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            urls.append((rule.endpoint, method, url))
    return urls


def test_a_lead_of_one_organisation_never_sees_anothers_objects(app, client, organisation, org_b_data):
    log_in_as(client, "lea", Role.LEAD, organisation.id)
    object_urls = {"submissions.show", "people.change", "jobs.status", "jobs.status_json",
                   "jobs.download"}
    # Her own objects' pages first: a later URL (logout, lock) may end her session.
    urls = sorted(_urls(app, org_b_data), key=lambda found: found[0] not in object_urls)
    for endpoint, method, url in urls:
        response = client.open(url, method=method, data={"code": org_b_data["code"],
                                                         "confirm": "yes", "role": "lead"})
        body = response.get_data()
        response.close()
        assert B_SECRET.encode() not in body and B_NOTE.encode() not in body, (endpoint, method, url)
        assert org_b_data["code"].encode() not in body or "/withdraw" in url, (endpoint, method, url)
        if endpoint in object_urls:
            assert response.status_code in (403, 404), (endpoint, method, url, response.status_code,
                                                        response.location)
    still_there = db.session.scalar(select(Submission).where(
        Submission.id == org_b_data["submission"].id))
    assert still_there is not None, "nothing of organisation B was deleted"
    assert org_b_data["interviewer"].active


def test_a_lead_cannot_withdraw_another_organisations_participant(client, organisation, org_b_data):
    log_in_as(client, "lea", Role.LEAD, organisation.id)
    response = client.post("/withdraw", data={"code": org_b_data["code"], "confirm": "yes"})
    assert "No participant has this code." in response.text
    assert db.session.scalar(select(Submission.id)) == org_b_data["submission"].id


def test_record_ids_in_urls_are_random_128_bit(org_b_data):
    public_id = org_b_data["submission"].public_id
    assert re.fullmatch(r"[0-9a-f]{32}", public_id)
    assert str(org_b_data["submission"].id) != public_id


def test_an_interviewer_sees_only_her_own_submissions_from_the_last_day(
        app, client, organisation, org_b_data):
    import datetime

    form = catalog.get_form("priorities")
    ina = create_user("ina", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
    mine, _ = store_submission(form, uuid.uuid4(), "en", {"ethnicity": "kachin"}, a_consent(form),
                               organisation_id=organisation.id, collected_by=ina)
    old, _ = store_submission(form, uuid.uuid4(), "en", {"ethnicity": "karen"}, a_consent(form),
                              organisation_id=organisation.id, collected_by=ina)
    old.received_at -= datetime.timedelta(days=2)
    colleague = create_user("cee", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
    theirs, _ = store_submission(form, uuid.uuid4(), "en", {"ethnicity": "akha"}, a_consent(form),
                                 organisation_id=organisation.id, collected_by=colleague)
    db.session.commit()
    client.post("/login", data={"username": "ina", "password": PASSWORD})
    listing = client.get("/submissions/").text
    assert mine.public_id in listing
    assert old.public_id not in listing and theirs.public_id not in listing
    assert client.get(f"/submissions/{old.public_id}").status_code == 404
    assert client.get(f"/submissions/{theirs.public_id}").status_code == 404
    assert client.get(f"/submissions/{mine.public_id}").status_code == 200
