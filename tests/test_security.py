"""Sessions, cookies, headers, rate limits and passwords, checked as a browser sees them."""

from __future__ import annotations

import datetime

import pytest
from sqlalchemy import select, update

from survey.accounts.models import UserSession
from survey.db import db
from survey.accounts.models import Role
from survey.accounts.users import create_user
from tests.conftest import PASSWORD, running_app

CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


def assert_security_headers(response, https: bool = False) -> None:
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    if https:
        assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    else:
        assert "Strict-Transport-Security" not in response.headers


def test_every_response_carries_the_security_headers(client, tmp_path):
    assert_security_headers(client.get("/login"))
    assert_security_headers(client.get("/no/such/page"))
    assert_security_headers(client.get("/login", base_url="https://localhost"), https=True)


def test_a_500_carries_the_security_headers_too(tmp_path):
    from survey import create_app

    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"},
                     instance_path=str(tmp_path))
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert_security_headers(response)


def test_the_session_cookie_is_httponly_and_strict(client, interviewer):
    response = client.post("/login", data={"username": "ina", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie


def test_over_https_the_cookie_is_secure_with_the_host_prefix(database_url, _schema, interviewer):
    with running_app(database_url, SESSION_COOKIE_SECURE=True) as app:
        response = app.test_client().post("/login", base_url="https://localhost",
                                          data={"username": "ina", "password": PASSWORD})
        cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Domain=" not in cookie


def test_login_renews_the_session_and_logout_revokes_it_on_the_server(client, interviewer):
    client.get("/login?ui=th")  # something in the session before login
    before = client.get_cookie("session").value
    client.post("/login", data={"username": "ina", "password": PASSWORD})
    logged_in_cookie = client.get_cookie("session").value
    assert logged_in_cookie != before
    assert client.get("/").status_code == 200

    client.post("/logout")
    assert db.session.scalar(select(UserSession.revoked_at)) is not None
    client.set_cookie("session", logged_in_cookie)  # a copy of the old cookie is worthless
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(("column", "age"), [
    ("last_seen", datetime.timedelta(minutes=31)),
    ("created_at", datetime.timedelta(hours=12, minutes=1)),
])
def test_sessions_end_after_30_idle_minutes_or_12_hours(logged_in, column, age):
    row = db.session.scalar(select(UserSession))
    db.session.execute(update(UserSession).values({column: getattr(row, column) - age}))
    db.session.commit()
    assert logged_in.get("/").status_code == 302


def test_the_eleventh_login_within_a_minute_is_refused(client, interviewer):
    for _ in range(10):
        response = client.post("/login", data={"username": "ina", "password": "wrong password"})
        assert response.status_code == 200
    response = client.post("/login", data={"username": "ina", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts. Wait a minute, then try again." in response.text


def test_twenty_tablets_behind_one_office_address_all_log_in(app, organisation):
    for number in range(20):
        create_user(f"tablet{number}", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
    statuses = [app.test_client().post("/login", data={"username": f"tablet{n}", "password": PASSWORD},
                                       environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code
                for n in range(20)]
    assert statuses == [302] * 20, "only failed logins count against the limit"


def test_the_limit_is_per_account_too(client, interviewer):
    for number in range(10):
        client.post("/login", data={"username": "ina", "password": "wrong"},
                    environ_base={"REMOTE_ADDR": f"10.0.0.{number}"})
    response = client.post("/login", data={"username": "ina", "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert response.status_code == 429


@pytest.mark.parametrize(("password", "message"), [
    ("short", "at least 10 characters"),
    ("password123", "that password is too common"),
    ("Qwertyuiop", "that password is too common"),
])
def test_weak_passwords_are_refused(app, password, message):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "ying", "--role", "admin", "--password", password])
    assert result.exit_code == 1 and message in result.output
