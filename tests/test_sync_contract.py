"""The same-UUID rules and the whole-request errors of the sync contract, over HTTP; and a
database fault is logged with its cause and answered as JSON 503 with Retry-After."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text

from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.collect import storage
from survey.db import db
from survey.sync.sealing import seal
from tests.browser import serve
from tests.conftest import PASSWORD
from tests.sync_support import plaintext
from tests.test_sync_records import (  # noqa: F401
    WatchedTablet, app, counts, key_file, public_key, tablet)

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def forms_dir(tmp_path: Path) -> Path:
    """``priorities`` and a copy of it under another id, both run by the organisation."""
    shutil.copy(PROJECT / "forms" / "priorities.yaml", tmp_path)
    source = (PROJECT / "forms" / "priorities.yaml").read_text(encoding="utf-8")
    (tmp_path / "other.yaml").write_text(source.replace("id: priorities", "id: other", 1),
                                         encoding="utf-8")
    return tmp_path


def only_result(tablet, record, public_key) -> dict:
    status, body = tablet.upload({"records": [seal(record, public_key)]})
    assert status == 200, body
    return body["results"][0]


def test_a_uuid_is_unique_across_the_server_not_per_form(tablet, public_key):
    record = plaintext()
    assert only_result(tablet, record, public_key)["status"] == "stored"
    result = only_result(tablet, {**record, "form_id": "other"}, public_key)
    assert (result["status"], result["http"], result["error"]["field"]) == ("conflict", 409, "uuid")
    assert counts()["Submission"] == 1


@pytest.mark.parametrize("field, value", [
    ("started_at", "2026-03-01T07:59:00Z"), ("finished_at", "2026-03-01T09:20:00Z"),
    ("collected_by", "ana")])
def test_a_repeat_that_differs_only_in_time_or_interviewer_is_a_conflict_not_a_duplicate(
        tablet, public_key, field, value, organisation):
    create_user("ana", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
    record = plaintext()
    assert only_result(tablet, record, public_key)["status"] == "stored"
    assert only_result(tablet, record, public_key)["status"] == "duplicate"
    result = only_result(tablet, {**record, field: value}, public_key)
    assert (result["status"], result["error"]["field"]) == ("conflict", field)


def test_an_upload_without_a_session_is_login_required_even_with_csrf_on(app, interviewer):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with serve(app) as url:
            status, body = WatchedTablet(url).upload({"records": []})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert (status, body["error"]["code"]) == (401, "login_required")


def test_a_logged_in_upload_without_the_token_is_still_csrf_failed(app, interviewer):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with serve(app) as url:
            tablet = WatchedTablet(url)
            tablet.log_in("ina", PASSWORD)
            status, body = tablet.upload({"records": []})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert (status, body["error"]["code"], body["error"]["field"]) == (400, "csrf_failed", "X-CSRFToken")


@pytest.mark.parametrize("method, path, allowed", [
    ("GET", "/api/v1/submissions", {"POST"}), ("DELETE", "/api/v1/session", {"GET"}),
    ("PUT", "/api/v1/refusals", {"POST"})])
def test_a_wrong_method_is_405_json_with_an_allow_header(tablet, method, path, allowed):
    status, body = tablet.request(method, path)
    assert (status, body["error"]["code"]) == (405, "method_not_allowed")
    header = next(v for k, v in tablet.last_headers if k.lower() == "allow")
    assert allowed <= {m.strip() for m in header.split(",")}


# Faults


@pytest.fixture
def write_lock_held(app, monkeypatch):
    """Another process holds the write lock; the app waits only briefly for it."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        monkeypatch.setattr(storage, "SQLITE_BATCH_WAIT_MS", 200)
        holder = db.engine.raw_connection()  # keyed for SQLCipher like the app's own
        holder.driver_connection.isolation_level = None
        holder.driver_connection.execute("BEGIN IMMEDIATE")
        yield
        holder.driver_connection.execute("ROLLBACK")
        holder.close()
        return
    listener = lambda connection, _: connection.execute("SET lock_timeout = '300ms'")  # noqa: E731
    db.engine.dispose()
    event.listen(db.engine, "connect", listener)
    other = create_engine(url)
    with other.connect() as holder:
        holder.execute(text("LOCK TABLE submissions IN ACCESS EXCLUSIVE MODE"))
        yield
        holder.rollback()
    other.dispose()
    event.remove(db.engine, "connect", listener)
    db.engine.dispose()


def test_a_locked_database_is_a_json_503_with_retry_after_and_a_log_line_naming_the_cause(
        tablet, public_key, write_lock_held, caplog):
    record = plaintext(answers={**plaintext()["answers"], "government_change": "CANARY-7731"})
    with caplog.at_level(logging.ERROR, logger="survey.faults"):
        status, body = tablet.upload({"records": [seal(record, public_key)]})
    assert (status, body["error"]["code"]) == (503, "busy")
    assert int(dict((k.lower(), v) for k, v in tablet.last_headers)["retry-after"]) > 0
    faults = [r.getMessage() for r in caplog.records if r.name == "survey.faults"]
    assert len(faults) == 1 and "/api/v1/submissions" in faults[0]
    assert "locked" in faults[0] or "lock timeout" in faults[0], faults
    assert "CANARY" not in caplog.text
