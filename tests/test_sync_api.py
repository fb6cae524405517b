"""The sync API as the tablet uses it: fetch, seal, upload, and every way an upload can fail."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select

from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.collect.models import Answer, Note, Submission
from survey.db import db
from survey.organisations.manage import assign_form, create_organisation
from survey.sync import keys, sealing
from survey.sync.sealing import seal
from tests.conftest import PASSWORD, log_in_as
from tests.browser import serve
from tests.sync_support import Tablet, plaintext, sealed_batch

UPLOAD = "/api/v1/submissions"


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sync") / "sync_key.pem"
    keys.create_key_file(path)
    return path


@pytest.fixture
def app(app, key_file):
    app.config["SYNC_PRIVATE_KEY_FILE"] = str(key_file)
    return app


@pytest.fixture
def public_key(app):
    return keys.current().public


def upload(client, body):
    return client.post(UPLOAD, json=body)


def count(model=Submission) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def result_of(client, record: dict) -> dict:
    response = upload(client, {"records": [record]})
    assert response.status_code == 200, response.text
    return response.json["results"][0]


# Fetching before going offline


def test_session_names_her_her_organisation_and_a_csrf_token(logged_in):
    body = logged_in.get("/api/v1/session").json
    assert body["user"] == {"username": "ina", "role": "interviewer", "organisation": "EMP"}
    assert body["csrf_token"] and body["ui_language"] == "en"
    assert body["limits"] == {"max_batch": 1000, "max_bytes": 8 * 1024 * 1024}


@pytest.mark.parametrize("path", ["/api/v1/session", "/api/v1/key", "/api/v1/forms",
                                  "/api/v1/forms/priorities"])
def test_without_a_login_every_endpoint_is_401_json_never_a_redirect(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "login_required"


def test_an_expired_session_gives_401_json_on_upload_and_she_can_go_on_after_logging_in(
        app, interviewer, public_key):
    batch = sealed_batch(public_key, 1)
    with serve(app) as url:
        tablet = Tablet(url)
        tablet.log_in("ina", PASSWORD)
        assert tablet.request("GET", "/api/v1/session")[0] == 200
        tablet.cookies.clear()
        status, body = tablet.upload(batch)
        assert (status, body["error"]["code"]) == (401, "login_required")
        assert count() == 0
        tablet.log_in("ina", PASSWORD)
        status, body = tablet.upload(batch)
    assert (status, body["results"][0]["status"]) == (200, "stored")


def test_the_key_is_named_by_the_hash_of_its_spki_and_given_as_a_jwk(logged_in, key_file):
    body = logged_in.get("/api/v1/key").json
    private = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    der = private.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    assert body["kid"] == hashlib.sha256(der).hexdigest()
    assert body["alg"] == body["jwk"]["alg"] == "RSA-OAEP-256"
    n = int.from_bytes(base64.urlsafe_b64decode(body["jwk"]["n"] + "=="), "big")
    assert n == private.public_key().public_numbers().n and body["jwk"]["e"] == "AQAB"


def test_forms_lists_what_her_organisation_runs(logged_in):
    forms = logged_in.get("/api/v1/forms").json["forms"]
    assert [f["id"] for f in forms] == ["priorities"]
    assert forms[0]["version"] == "1" and forms[0]["title"]["en"]


def test_a_form_her_organisation_does_not_run_is_404_json(client, app):
    other = create_organisation("OTH", "Runs nothing")
    log_in_as(client, "olga", Role.INTERVIEWER, other.id)
    assert client.get("/api/v1/forms").json == {"forms": []}
    response = client.get("/api/v1/forms/priorities")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_a_form_comes_with_every_language_its_logic_as_trees_and_the_messages(logged_in):
    form = logged_in.get("/api/v1/forms/priorities").json
    assert set(form["fallbacks"]) == set(form["languages"]) and "th" in form["languages"]
    questions = {q["name"]: q for s in form["sections"] for q in s["questions"]}
    assert questions["ethnicity"]["required"] is True
    assert questions["ethnicity"]["choices"][0]["label"]["en"]
    assert any(q["relevant"] for q in questions.values())
    assert isinstance(questions["year_crossed"]["constraint"], list)
    assert form["messages"]["th"]["Please answer this question."] != "Please answer this question."
    assert form["consent"]["version"] == "1" and form["consent"]["text"]["en"]


def test_a_translator_may_not_sync(client, organisation):
    log_in_as(client, "tara", Role.TRANSLATOR, organisation.id)
    response = client.get("/api/v1/forms")
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"


def test_a_lead_may_sync(client, organisation, public_key):
    log_in_as(client, "lena", Role.LEAD, organisation.id)
    assert upload(client, sealed_batch(public_key, 1)).json["results"][0]["status"] == "stored"


def test_an_account_that_must_change_its_password_is_told_so_in_json(client, organisation):
    user = create_user("nina", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
    user.must_change_password = True
    db.session.commit()
    client.post("/login", data={"username": "nina", "password": PASSWORD})
    response = client.get("/api/v1/session")
    assert response.status_code == 403
    assert response.json["error"]["code"] == "password_change_required"


def test_the_openapi_document_describes_every_endpoint(client, app):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    api_rules = {rule.rule.removeprefix("/api/v1").replace("<form_id>", "{form_id}")
                 for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
                 and "<path:" not in rule.rule}
    assert api_rules == set(document["paths"])
    for schema in ("SealedRecord", "Record", "Result", "Error", "Form"):
        assert schema in document["components"]["schemas"]


def test_an_unknown_api_path_is_404_json(logged_in):
    response = logged_in.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


# Uploading


def test_a_batch_is_stored_with_a_result_for_each_record(logged_in, interviewer, public_key):
    batch = sealed_batch(public_key, 3)
    results = upload(logged_in, batch).json["results"]
    assert [r["uuid"] for r in results] == [r["uuid"] for r in batch["records"]]
    assert {(r["status"], r["http"]) for r in results} == {("stored", 201)}
    assert all(r["participant_code"].startswith("P-KC-") for r in results)
    submission = db.session.scalars(select(Submission)).first()
    assert (submission.form_version, submission.collected_by) == ("1", interviewer.id)
    assert submission.organisation_id == interviewer.organisation_id
    assert submission.started_at.isoformat() == "2026-03-01T08:00:00"
    assert submission.consent.given_at.isoformat() == "2026-03-01T01:01:00"
    assert count() == 3 and count(Note) == 3 and count(Answer) > 3 * 10


def test_the_same_batch_twice_is_acknowledged_as_duplicate_and_stored_once(logged_in, public_key):
    batch = sealed_batch(public_key, 5)
    first = upload(logged_in, batch).json["results"]
    rows = (count(), count(Answer), count(Note))
    second = upload(logged_in, batch).json["results"]
    assert {(r["status"], r["http"]) for r in second} == {("duplicate", 200)}
    assert [r["participant_code"] for r in second] == [r["participant_code"] for r in first]
    assert (count(), count(Answer), count(Note)) == rows


def test_a_record_repeated_within_one_batch_is_stored_once(logged_in, public_key):
    record = seal(plaintext(), public_key)
    results = upload(logged_in, {"records": [record, record]}).json["results"]
    assert [r["status"] for r in results] == ["stored", "duplicate"] and count() == 1


def test_the_same_uuid_with_other_answers_is_a_409_conflict(logged_in, public_key):
    record = plaintext()
    assert result_of(logged_in, seal(record, public_key))["status"] == "stored"
    record["answers"]["debt"] = "small_debt"
    result = result_of(logged_in, seal(record, public_key))
    assert (result["status"], result["http"], result["error"]["field"]) == ("conflict", 409, "uuid")
    assert count() == 1


def changed(path: str, value):
    record = plaintext()
    *parents, last = path.split(".")
    target = record
    for name in parents:
        target = target[name]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return record


INVALID = [
    ("answers.year_crossed", 1800),
    ("answers.ethnicity", "martian"),
    ("answers.ethnicity", None),
    ("answers.year_crossed", {"not": "a number"}),
    ("answers.work", "factory"),
    ("answers.priorities", ["education"]),
    ("answers.favourite_colour", "blue"),
    ("answers", ["not", "an", "object"]),
    ("consent.version", "99"),
    ("consent.method", "nodded"),
    ("consent.language", "xx"),
    ("consent.optional", {"quote": "yes"}),
    ("consent.given_at", "yesterday"),
    ("consent", KeyError),
    ("notes.no_such_question", {"body": "x", "language": "en", "translation": False}),
    ("notes.debt", {"body": "   ", "language": "en", "translation": False}),
    ("language", "xx"),
    ("form_id", "nope"),
    ("form_version", "7"),
    ("started_at", "soon"),
]


@pytest.mark.parametrize(("path", "value"), INVALID, ids=[f"{p}={v!r}" for p, v in INVALID])
def test_an_invalid_record_is_422_naming_the_field_and_nothing_of_it_is_written(
        logged_in, public_key, path, value):
    bad = seal(changed(path, value), public_key)
    good = seal(plaintext(), public_key)
    bad_result, good_result = upload(logged_in, {"records": [bad, good]}).json["results"]
    field = path.split(".")[0] if path in ("consent", "answers") else path
    assert (bad_result["status"], bad_result["http"]) == ("invalid", 422)
    assert bad_result["error"]["field"].startswith(field), bad_result
    assert bad_result["error"]["message"]
    assert good_result["status"] == "stored"
    assert count() == 1 and count(Note) == 1


def test_an_unknown_participant_code_is_invalid_naming_it(logged_in, public_key):
    record = changed("consent.existing_code", "P-KC-9999")
    result = result_of(logged_in, seal(record, public_key))
    assert (result["status"], result["error"]["field"]) == ("invalid", "consent.existing_code")
    assert count() == 0


def test_a_follow_up_under_an_existing_code_joins_that_participant(logged_in, public_key):
    code = result_of(logged_in, seal(plaintext(), public_key))["participant_code"]
    result = result_of(logged_in, seal(changed("consent.existing_code", code.lower()), public_key))
    assert (result["status"], result["participant_code"]) == ("stored", code)


def with_part(record: dict, **parts) -> dict:
    return {**record, **parts}


def flip_last_byte(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[-1] ^= 1
    return base64.b64encode(bytes(raw)).decode()


SEAL_FAULTS = {
    "iv": lambda r: with_part(r, iv="not base64!"),
    "ciphertext": lambda r: with_part(r, ciphertext=flip_last_byte(r["ciphertext"])),
    "wrapped_key": lambda r: with_part(r, wrapped_key=flip_last_byte(r["wrapped_key"])),
    "kid": lambda r: with_part(r, kid="0" * 64),
    "uuid": lambda r: with_part(r, uuid="not-a-uuid"),
}


@pytest.mark.parametrize("field", SEAL_FAULTS)
def test_a_record_that_cannot_be_opened_is_invalid_naming_the_part(logged_in, public_key, field):
    record = SEAL_FAULTS[field](seal(plaintext(), public_key))
    result = result_of(logged_in, record)
    assert (result["status"], result["error"]["field"]) == ("invalid", field)
    assert count() == 0


def test_a_record_sealed_for_another_uuid_fails_the_additional_data_check(logged_in, public_key):
    record = seal(plaintext(), public_key)
    record["uuid"] = str(uuid.uuid4())
    result = result_of(logged_in, record)
    assert (result["status"], result["error"]["field"]) == ("invalid", "ciphertext")


def test_a_record_whose_plaintext_names_another_uuid_is_invalid(logged_in, public_key):
    outside = str(uuid.uuid4())
    record = seal(plaintext(), public_key)
    key, iv = os.urandom(32), os.urandom(12)
    inside = json.dumps(plaintext()).encode()
    record.update(uuid=outside, iv=base64.b64encode(iv).decode(),
                  wrapped_key=base64.b64encode(public_key.encrypt(key, sealing._oaep())).decode(),
                  ciphertext=base64.b64encode(AESGCM(key).encrypt(iv, inside, outside.encode())).decode())
    result = result_of(logged_in, record)
    assert (result["status"], result["error"]["field"]) == ("invalid", "uuid")


@pytest.mark.parametrize("record", [1, "x", None, [], {}, {"uuid": "u", "kid": "k"}])
def test_records_of_the_wrong_shape_are_each_invalid(logged_in, record):
    result = result_of(logged_in, record)
    assert (result["status"], result["http"]) == ("invalid", 422)


@pytest.mark.parametrize("body", [None, [], {"records": "all of them"}, {"other": []}])
def test_a_body_that_is_not_an_envelope_is_400_json(logged_in, body):
    response = logged_in.post(UPLOAD, data="not json" if body is None else None,
                              json=body, content_type="application/json")
    assert response.status_code == 400 and response.json["error"]["field"] == "records"


def test_a_body_over_the_size_limit_is_413_json(app, logged_in, public_key):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = upload(logged_in, sealed_batch(public_key, 10))
    assert response.status_code == 413 and response.json["error"]["code"] == "too_large"
    assert count() == 0


def test_a_batch_over_the_record_limit_is_413_json_saying_so(app, logged_in, public_key):
    app.config["SYNC_MAX_BATCH"] = 2
    response = upload(logged_in, sealed_batch(public_key, 3))
    assert response.status_code == 413
    assert "At most 2 records" in response.json["error"]["message"] and count() == 0


def test_an_upload_without_the_csrf_token_is_400_json(app, logged_in, public_key):
    app.config["WTF_CSRF_ENABLED"] = True
    batch = sealed_batch(public_key, 1)
    response = upload(logged_in, batch)
    assert response.status_code == 400
    assert response.json["error"] == {"code": "csrf_failed", "field": "X-CSRFToken",
                                      "message": response.json["error"]["message"]}
    token = logged_in.get("/api/v1/session").json["csrf_token"]
    response = logged_in.post(UPLOAD, json=batch, headers={"X-CSRFToken": token})
    assert response.json["results"][0]["status"] == "stored"


def test_refusals_counted_offline_are_counted_once(logged_in, organisation):
    from survey.consent.models import RefusalCount

    receipts = [{"uuid": str(uuid.uuid4()), "form_id": "priorities"} for _ in range(3)]
    first = logged_in.post("/api/v1/refusals", json={"refusals": receipts})
    assert first.status_code == 200
    assert sorted(first.json["counted"]) == sorted(r["uuid"] for r in receipts)
    again = logged_in.post("/api/v1/refusals", json={"refusals": receipts[:2]})
    assert again.status_code == 200
    assert db.session.scalar(select(RefusalCount.count)) == 3


def test_a_bad_refusal_names_its_field(logged_in, organisation):
    response = logged_in.post("/api/v1/refusals", json={"refusals": [{"uuid": "x", "form_id": "priorities"}]})
    assert response.status_code == 400
    assert response.json["error"]["field"] == "refusals[0].uuid"
    response = logged_in.post("/api/v1/refusals", json={"refusals": [{"uuid": str(uuid.uuid4()), "form_id": "nope"}]})
    assert response.json["error"]["field"] == "refusals[0].form_id"


def test_a_colleague_syncing_the_tablet_stores_records_under_the_interviewer(
        client, organisation, public_key):
    ina = create_user("ina", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
    log_in_as(client, "cee", Role.INTERVIEWER, organisation.id)
    result = result_of(client, seal(plaintext(collected_by="ina"), public_key))
    assert result["status"] == "stored"
    assert db.session.scalar(select(Submission.collected_by)) == ina.id


def test_another_organisation_cannot_carry_a_tablet_s_records_across(client, organisation, public_key):
    create_user("ina", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
    other = create_organisation("SWG", "Other")
    assign_form("SWG", "priorities")
    log_in_as(client, "bee", Role.INTERVIEWER, other.id)
    result = result_of(client, seal(plaintext(collected_by="ina"), public_key))
    assert result["status"] == "invalid" and result["error"]["field"] == "collected_by"
    assert count() == 0
