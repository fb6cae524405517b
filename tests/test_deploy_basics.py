"""/health checks the database; one log line per request, never a query string or form data;
the release step's first admin."""

from __future__ import annotations

from sqlalchemy import select

from survey.accounts.models import Role, User
from survey.accounts.users import create_user
from survey.db import db
from tests.conftest import PASSWORD, running_app


def test_health_says_the_database_answers(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.json == {"status": "unlocked", "database": "ok"}


def test_health_says_when_the_database_does_not_answer():
    with running_app("postgresql+psycopg://postgres@127.0.0.1:1/none") as app:
        response = app.test_client().get("/health")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_one_line_per_request_without_query_or_answers(client, interviewer, capsys):
    client.post("/login?next=/secret-next", data={"username": "ina", "password": PASSWORD})
    client.get("/submissions/?form=priorities&day=2026-01-01")
    lines = [line for line in capsys.readouterr().out.splitlines() if " /" in line]
    assert any(line.endswith("ms") and " POST /login 302 " in line for line in lines)
    assert any(" GET /submissions/ " in line for line in lines)
    out = "\n".join(lines)
    assert "secret-next" not in out and "priorities" not in out and PASSWORD not in out


def test_the_release_step_creates_the_first_admin_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["first-admin"])
    assert first.exit_code == 0 and "one-time password" in first.output
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    assert admin.role == Role.ADMIN and admin.must_change_password
    again = runner.invoke(args=["first-admin"])
    assert again.exit_code == 0 and again.output == ""


def test_the_release_step_makes_no_admin_when_there_are_people(app, organisation):
    create_user("ina", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
    assert app.test_cli_runner().invoke(args=["first-admin"]).output == ""
    assert db.session.scalar(select(User).where(User.username == "admin")) is None
