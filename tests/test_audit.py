"""The audit trail: every sensitive action leaves a row, and no one can change it."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from survey.accounts.models import Role
from survey.audit.models import AuditEvent
from survey.db import db
from tests.conftest import PASSWORD, log_in_as
from tests.test_consent import interview


def actions() -> list[tuple[str, str | None]]:
    return [(e.action, e.actor_role) for e in
            db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_logins_logouts_and_failed_logins_are_recorded(client, interviewer):
    client.post("/login", data={"username": "ina", "password": "not her password"})
    client.post("/login", data={"username": "ina", "password": PASSWORD})
    client.post("/logout")
    assert actions() == [("login_failed", None), ("login", "interviewer"), ("logout", "interviewer")]
    failed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login_failed"))
    assert failed.object_id == str(interviewer.id)


def test_withdrawals_views_of_raw_submissions_and_role_changes_are_recorded(
        logged_in, organisation):
    interview(logged_in)
    logged_in.post("/withdraw", data={"code": "P-KC-0001", "confirm": "yes"})
    interview(logged_in)
    log_in_as(logged_in, "lea", Role.LEAD, organisation.id)
    logged_in.get("/submissions/")
    public_id = db.session.scalar(text("SELECT public_id FROM submissions"))
    logged_in.get(f"/submissions/{public_id}")
    logged_in.post("/people/ina/role", data={"role": "translator"})
    logged_in.post("/people/ina/disable")
    recorded = actions()
    for expected in [("withdrawal", "interviewer"), ("view_submission_list", "lead"),
                     ("view_submission", "lead"), ("role_change", "lead"),
                     ("user_disabled", "lead")]:
        assert expected in recorded
    withdrawal = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "withdrawal"))
    assert (withdrawal.object_type, withdrawal.object_id) == ("participant_code", "P-KC-0001")


def test_form_changes_are_recorded(app):
    app.test_cli_runner().invoke(args=["forms", "load"])
    assert ("form_version_added", None) in actions()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "form_version_added"))
    assert event.object_id == "priorities@1"


def test_the_audit_log_holds_no_answer_text_ip_or_user_agent(logged_in):
    interview(logged_in)
    columns = {c.name for c in AuditEvent.__table__.columns}
    assert not columns & {"ip", "ip_address", "remote_addr", "user_agent", "answer", "text"}
    dump = " ".join(str(v) for e in db.session.scalars(select(AuditEvent))
                    for v in (e.action, e.object_type, e.object_id))
    assert "Fair wages" not in dump and "127.0.0.1" not in dump


def test_leads_read_their_organisations_audit_log(client, organisation):
    log_in_as(client, "lea", Role.LEAD, organisation.id)
    page = client.get("/audit/").text
    assert "login" in page and "lea (lead)" in page
    log_in_as(client, "ina", Role.INTERVIEWER, organisation.id)
    assert client.get("/audit/").status_code == 403


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET action = 'nothing'",
    "DELETE FROM audit_events",
])
def test_nobody_can_change_or_delete_audit_rows(client, interviewer, statement):
    client.post("/login", data={"username": "ina", "password": PASSWORD})
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert actions() == [("login", "interviewer")]
