"""Logging in and out, password hashing, CSRF, and `flask users create`."""

from __future__ import annotations

import re

from sqlalchemy import select

from survey.accounts.models import User
from survey.db import db
from tests.conftest import PASSWORD, running_app


def test_password_is_stored_as_argon2id(interviewer):
    stored = db.session.scalar(select(User.password_hash).where(User.username == "ina"))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_login_then_logout(client, interviewer):
    response = client.post("/login", data={"username": "INA", "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/home"
    assert client.get("/").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, interviewer):
    response = client.post("/login", data={"username": "ina", "password": "wrong password"})
    assert response.status_code == 200
    assert "That username and password do not match." in response.text
    assert client.get("/").status_code == 302


def test_unknown_user_gets_the_same_message(client, interviewer):
    response = client.post("/login", data={"username": "nobody", "password": PASSWORD})
    assert "That username and password do not match." in response.text


def test_disabled_account_cannot_log_in(client, interviewer):
    interviewer.active = False
    db.session.commit()
    response = client.post("/login", data={"username": "ina", "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_login_only_redirects_within_the_site(client, interviewer):
    response = client.post("/login?next=//evil.example/x",
                           data={"username": "ina", "password": PASSWORD})
    assert response.location == "/home"
    client.post("/logout")
    response = client.post("/login?next=/collect/priorities",
                           data={"username": "ina", "password": PASSWORD})
    assert response.location == "/collect/priorities"


def test_logout_is_post_only(logged_in):
    assert logged_in.get("/logout").status_code == 405


def test_every_post_needs_a_csrf_token(database_url, _schema, interviewer):
    with running_app(database_url, WTF_CSRF_ENABLED=True) as app:
        _check_csrf(app.test_client())


def _check_csrf(client):
    response = client.post("/login", data={"username": "ina", "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.text

    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": "ina", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302

    assert client.post("/collect/priorities", data={"action": "next"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200, "a logout without a token does nothing"


def test_users_create_command(app, organisation):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "nok", "--role", "admin"])
    assert result.exit_code == 0, result.output
    password = re.search(r"with password: (\S+)", result.output).group(1)
    user = db.session.scalar(select(User).where(User.username == "nok"))
    assert user.role == "admin"
    client = app.test_client()
    assert client.post("/login", data={"username": "nok", "password": password}).status_code == 302

    again = runner.invoke(args=["users", "create", "Nok", "--org", "EMP"])
    assert again.exit_code == 1
    assert "a user named 'Nok' already exists" in again.output


def test_an_interviewer_needs_an_organisation(app, organisation):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "ying"])
    assert result.exit_code == 1
    assert "a user with role 'interviewer' must belong to an organisation (--org CODE)" in result.output
    result = runner.invoke(args=["users", "create", "ying", "--org", "NOPE"])
    assert "there is no organisation with code NOPE" in result.output
    assert runner.invoke(args=["users", "create", "ying", "--org", "emp"]).exit_code == 0


def test_users_create_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "ying", "--role", "admin", "--password", "short"])
    assert result.exit_code == 1
    assert "at least 10 characters" in result.output


def test_a_one_time_password_must_be_changed_before_anything_else(app, organisation):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "lek", "--org", "EMP"])
    password = re.search(r"with password: (\S+)", result.output).group(1)
    assert "one-time" in result.output
    client = app.test_client()
    client.post("/login", data={"username": "lek", "password": password})
    response = client.get("/collect/priorities")
    assert response.status_code == 302 and "/password" in response.location

    response = client.post("/password", data={"current": password, "new": "short",
                                               "repeat": "short"})
    assert "Use 10 to 200 characters." in response.text
    response = client.post("/password?next=/collect/priorities", data={
        "current": password, "new": "a long new passphrase", "repeat": "a long new passphrase"})
    assert response.status_code == 302 and response.location == "/collect/priorities"
    assert client.get("/collect/priorities").status_code == 200

    client.post("/logout")
    assert client.post("/login", data={"username": "lek", "password": password}).status_code == 200
    assert client.post("/login", data={"username": "lek", "password": "a long new passphrase"}
                       ).status_code == 302


def test_setup_migrates_and_creates_the_first_admin_once(tmp_path):
    with running_app(f"sqlite:///{tmp_path / 'fresh.sqlite3'}") as fresh:
        runner = fresh.test_cli_runner()
        first = runner.invoke(args=["setup"])
        assert first.exit_code == 0, first.output
        assert "Log in as 'admin' with this one-time password" in first.output
        assert "'priorities' version 1" in first.output
        second = runner.invoke(args=["setup"])
        assert second.exit_code == 0, second.output
        assert "one-time password" not in second.output
        with fresh.app_context():
            assert db.session.scalars(select(User.role)).all() == ["admin"]
