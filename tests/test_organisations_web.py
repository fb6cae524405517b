"""An admin creates, renames and gives surveys to organisations in the app; every change audited."""

from __future__ import annotations

from sqlalchemy import select

from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.audit.models import AuditEvent
from survey.db import db
from survey.forms import catalog
from survey.organisations.manage import by_code, list_organisations
from tests.conftest import PASSWORD


def as_admin(client, organisation):
    create_user("ada", PASSWORD, Role.ADMIN, organisation_id=organisation.id)
    assert client.post("/login", data={"username": "ada", "password": PASSWORD}).status_code == 302
    return client


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_an_admin_creates_renames_assigns_and_takes_back(client, organisation):
    as_admin(client, organisation)
    form_id = catalog.all_forms()[0].id
    page = client.post("/organisations/", data={"code": "mwf", "label": "Migrant women"},
                       follow_redirects=True)
    assert "Organisation MWF is created." in page.text
    client.post("/organisations/MWF/rename", data={"label": "Migrant Women Forum"})
    assert by_code("MWF").label == "Migrant Women Forum"
    client.post("/organisations/MWF/assign", data={"form_id": form_id})
    assert dict((o.code, f) for o, f in list_organisations())["MWF"] == [form_id]
    page = client.post("/organisations/MWF/unassign", data={"form_id": form_id}, follow_redirects=True)
    assert dict((o.code, f) for o, f in list_organisations())["MWF"] == []
    assert "no longer runs" in page.text
    assert actions()[-4:] == ["organisation_created", "organisation_renamed", "form_assigned",
                              "form_unassigned"]


def test_the_page_shows_who_belongs_where(client, organisation):
    as_admin(client, organisation)
    create_user("nok", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
    page = client.get("/organisations/").text
    assert "Empower test" in page and "nok · Interviewer" in page


def test_bad_requests_get_a_clear_message_and_change_nothing(client, organisation):
    as_admin(client, organisation)
    page = client.post("/organisations/", data={"code": "EMP", "label": "Again"}, follow_redirects=True)
    assert "an organisation with code EMP already exists" in page.text
    page = client.post("/organisations/EMP/assign", data={"form_id": "nope"}, follow_redirects=True)
    assert "there is no loaded survey &#39;nope&#39;" in page.text
    page = client.post("/organisations/EMP/rename", data={"label": " "}, follow_redirects=True)
    assert "the label is empty" in page.text and by_code("EMP").label == "Empower test"
    assert client.post("/organisations/NONE/rename", data={"label": "x"}).status_code == 404
    assert "organisation_renamed" not in actions()


def test_messages_are_in_her_language(client, organisation):
    as_admin(client, organisation)
    page = client.post("/organisations/?ui=th", data={"code": "EMP", "label": "Again"},
                       follow_redirects=True)
    assert "already exists" not in page.text


def test_only_an_admin_manages_organisations(client, organisation):
    create_user("lee", PASSWORD, Role.LEAD, organisation_id=organisation.id)
    client.post("/login", data={"username": "lee", "password": PASSWORD})
    assert client.get("/organisations/").status_code == 403
    assert client.post("/organisations/", data={"code": "XX", "label": "x"}).status_code == 403
