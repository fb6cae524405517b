"""A withdrawal stays done: the same record sent again, re-sealed, carried in a queue file, or a
new record under her withdrawn code is answered ``withdrawn`` and never stored."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from sqlalchemy import func, select

from survey.consent.tombstones import WithdrawnSubmission
from survey.db import db
from survey.results.models import AnswerCount
from survey.sync.queue_file import take_in
from survey.sync.sealing import seal
from tests.conftest import PASSWORD  # noqa: F401
from tests.sync_support import plaintext
from tests.test_sync_records import app, counts, key_file, public_key, tablet  # noqa: F401

EMPTY = {"Submission": 0, "Answer": 0, "Note": 0, "ConsentRecord": 0, "Participant": 0}


def withdraw_over_http(tablet, code: str) -> None:
    form = urllib.parse.urlencode({"code": code, "confirm": "yes"}).encode()
    status, page = tablet.request("POST", "/withdraw", form,
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and code in page


def counted() -> int:
    return db.session.scalar(select(func.coalesce(func.sum(AnswerCount.answers), 0)))


@pytest.fixture
def withdrawn(tablet, public_key):
    """A record stored, then her code withdrawn: (the sealed record, its plaintext, her code)."""
    record = plaintext()
    sealed = seal(record, public_key)
    status, body = tablet.upload({"records": [sealed]})
    assert body["results"][0]["status"] == "stored"
    code = body["results"][0]["participant_code"]
    withdraw_over_http(tablet, code)
    db.session.expire_all()
    assert counts() == EMPTY and counted() == 0
    return sealed, record, code


def test_the_same_sealed_record_sent_again_is_withdrawn_and_not_stored(tablet, withdrawn):
    sealed, _, _ = withdrawn
    status, body = tablet.upload({"records": [sealed]})
    assert status == 200
    result = body["results"][0]
    assert (result["uuid"], result["status"], result["http"]) == (sealed["uuid"], "withdrawn", 410)
    assert "participant_code" not in result
    assert counts() == EMPTY and counted() == 0


def test_the_same_record_sealed_again_is_withdrawn(tablet, public_key, withdrawn):
    _, record, _ = withdrawn
    status, body = tablet.upload({"records": [seal(record, public_key)]})
    assert body["results"][0]["status"] == "withdrawn"
    assert counts() == EMPTY


def test_a_new_record_under_her_withdrawn_code_is_withdrawn(tablet, public_key, withdrawn):
    _, record, code = withdrawn
    follow_up = plaintext(consent={**record["consent"], "existing_code": code})
    status, body = tablet.upload({"records": [seal(follow_up, public_key),
                                              seal(plaintext(), public_key)]})
    assert [r["status"] for r in body["results"]] == ["withdrawn", "stored"]
    assert counts()["Submission"] == 1


def test_a_queue_file_holding_her_record_does_not_bring_it_back(app, interviewer, withdrawn):
    sealed, _, _ = withdrawn
    results = take_in(json.dumps({"records": [sealed]}).encode(), interviewer)
    assert [r.status for r in results] == ["withdrawn"] and results[0].settled
    assert counts() == EMPTY


def test_the_tombstone_keeps_the_uuid_and_nothing_of_her(withdrawn):
    sealed, _, _ = withdrawn
    assert [str(u) for u in db.session.scalars(select(WithdrawnSubmission.uuid))] == [sealed["uuid"]]
    assert [c.name for c in WithdrawnSubmission.__table__.columns] == ["uuid"]
