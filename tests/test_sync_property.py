"""Property: any JSON in any place of a sync record, sealed or not, gives that record its own
status, never a 500, and never a partial write; the good record beside it is always stored."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from survey.collect.models import Note, Submission
from survey.consent.models import ConsentRecord, Participant
from survey.db import db
from survey.sync.sealing import seal
from tests.sync_support import plaintext
from tests.test_sync_records import app, key_file, nested, public_key, seal_text  # noqa: F401

UPLOAD = "/api/v1/submissions"
STATUSES = {"stored", "duplicate", "conflict", "withdrawn", "invalid", "retry"}

texts = st.one_of(st.text(max_size=12), st.sampled_from(
    ["\ud83d", "\udc00x", "a\x00b", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59",
     "2026-03-01T08:00:00Z", "P-KC-0001", "en", "oral", "kachin", "1", "_interview", ""]))
leaves = st.one_of(st.none(), st.booleans(), st.integers(), texts,
                   st.floats(allow_nan=True, allow_infinity=True))
values = st.one_of(
    st.recursive(leaves, lambda inner: st.lists(inner, max_size=3)
                 | st.dictionaries(texts, inner, max_size=3), max_leaves=8),
    st.integers(min_value=1, max_value=400).map(nested))


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    return found


RECORD_PATHS = paths(plaintext()) + [("answers", "new"), ("notes", "_interview"), ("extra",)]
ENVELOPE_PATHS = [(name,) for name in ("uuid", "kid", "wrapped_key", "iv", "ciphertext", "alg", "epk")]


def changed(record: dict[str, Any], path: tuple, value: Any, delete: bool) -> dict[str, Any]:
    record = copy.deepcopy(record)
    target = record
    for name in path[:-1]:
        if not isinstance(target.get(name), dict):
            target[name] = {}
        target = target[name]
    if delete:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return record


def totals() -> tuple[int, int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Submission, ConsentRecord, Participant, Note))


def check_upload(client, public_key, hostile: dict[str, Any]) -> None:
    db.session.rollback()
    before = totals()
    body = json.dumps({"records": [hostile, seal(plaintext(), public_key)]})
    response = client.post(UPLOAD, data=body, content_type="application/json")
    assert response.status_code == 200, response.text
    results = response.json["results"]
    assert len(results) == 2 and results[1]["status"] == "stored"
    assert results[0]["status"] in STATUSES
    if results[0]["status"] in ("invalid", "conflict"):
        assert results[0]["error"]["field"] and results[0]["error"]["message"]
    new = sum(r["status"] == "stored" for r in results)
    db.session.rollback()
    after = totals()
    assert after[0] - before[0] == new and after[1] - before[1] == new
    assert after[2] - before[2] <= new and after[3] - before[3] <= 2 * new


SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@SETTINGS
@given(path=st.sampled_from(RECORD_PATHS), value=values, delete=st.booleans())
def test_any_json_anywhere_in_the_sealed_record_gets_its_own_status(
        logged_in, public_key, path, value, delete):
    record = changed(plaintext(), path, value, delete)
    text = json.dumps(record)
    uuid = record["uuid"] if isinstance(record.get("uuid"), str) else str(plaintext()["uuid"])
    try:
        text.encode()
    except UnicodeEncodeError:
        return
    check_upload(logged_in, public_key, seal_text(text, uuid, public_key))


@SETTINGS
@given(path=st.sampled_from(ENVELOPE_PATHS), value=values, delete=st.booleans())
def test_any_json_anywhere_in_the_envelope_gets_its_own_status(
        logged_in, public_key, path, value, delete):
    check_upload(logged_in, public_key, changed(seal(plaintext(), public_key), path, value, delete))
