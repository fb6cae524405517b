"""The hand-over PIN: a few wrong ones lock the tablet, counted on the server, every attempt audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey.audit.models import AuditEvent
from survey.db import db
from tests.conftest import PASSWORD, running_app
from tests.test_shared_tablet import hand_over

PIN = "2468"


@pytest.fixture
def handed_over(logged_in):
    hand_over(logged_in)
    return logged_in


def wrong(client, pin: str = "1111"):
    return client.post("/unlock", data={"pin": pin})


def actions() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("pin_%")).order_by(AuditEvent.id)))


def assert_locked(client) -> None:
    response = client.post("/unlock", data={"pin": PIN})
    assert response.status_code == 302 and response.location.startswith("/login"), \
        "the right PIN no longer helps"
    assert client.get("/").location.startswith("/login")
    assert client.get("/collect/priorities").location.startswith("/login")


def test_five_wrong_pins_lock_the_tablet_and_every_attempt_is_audited(handed_over):
    for _ in range(4):
        response = wrong(handed_over)
        assert response.status_code == 200 and "That PIN is not right." in response.text
    response = wrong(handed_over)
    assert response.status_code == 302 and response.location == "/login"
    assert "the tablet is locked" in handed_over.get("/login").text
    assert_locked(handed_over)
    assert actions() == ["pin_failed"] * 5 + ["pin_locked"]


def test_a_right_pin_is_audited_and_starts_the_count_again(handed_over):
    for _ in range(4):
        wrong(handed_over)
    assert handed_over.post("/unlock", data={"pin": PIN}).location == "/collect/priorities"
    hand_over(handed_over)
    for _ in range(4):
        assert wrong(handed_over).status_code == 200
    assert actions() == ["pin_failed"] * 4 + ["pin_unlocked"] + ["pin_failed"] * 4


def test_an_old_cookie_sent_again_brings_no_more_guesses(handed_over):
    before = handed_over.get_cookie("session").value
    for _ in range(4):
        wrong(handed_over)
    handed_over.set_cookie("session", before)  # the cookie from before the guesses
    assert wrong(handed_over).location == "/login"
    assert_locked(handed_over)


def test_guesses_on_two_tablets_of_one_interviewer_add_up(app, handed_over):
    other = app.test_client()
    assert other.post("/login", data={"username": "ina", "password": PASSWORD}).status_code == 302
    hand_over(other)
    for _ in range(3):
        wrong(handed_over)
    assert wrong(other).status_code == 200
    assert wrong(other).location == "/login"
    assert_locked(other)
    assert_locked(handed_over)


def test_after_the_lock_her_password_brings_her_back(handed_over):
    for _ in range(5):
        wrong(handed_over)
    response = handed_over.post("/login", data={"username": "ina", "password": PASSWORD})
    assert response.status_code == 302
    assert handed_over.get("/").status_code == 200
    hand_over(handed_over)
    assert wrong(handed_over).status_code == 200, "a new login starts a new count"


def test_the_limit_is_a_setting(database_url, _schema, interviewer):
    with running_app(database_url, PIN_ATTEMPTS=2) as other_app, other_app.app_context():
        client = other_app.test_client()
        client.post("/login", data={"username": "ina", "password": PASSWORD})
        hand_over(client)
        assert wrong(client).status_code == 200
        assert wrong(client).location == "/login"
