"""A lead adds several interviewers at once and prints their one-time credentials."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from survey.accounts.models import Role, User
from survey.accounts.passwords import verify_password
from survey.accounts.users import create_user
from survey.db import db
from tests.conftest import PASSWORD


@pytest.fixture
def lead(client, organisation):
    create_user("lee", PASSWORD, Role.LEAD, organisation_id=organisation.id)
    assert client.post("/login", data={"username": "lee", "password": PASSWORD}).status_code == 302
    return client


def test_a_lead_gets_a_sheet_with_a_password_and_a_qr_code_each(lead, organisation):
    page = lead.post("/people/bulk/", data={"usernames": "mai\n  nok \n\nsaw\n",
                                             "organisation": organisation.id})
    assert page.status_code == 200
    cards = re.findall(r'<dd class="code" lang="en">([^<]+)</dd>', page.text)
    assert cards[0::2] == ["mai", "nok", "saw"]
    assert page.text.count("<svg") == 3 and "http://localhost/login?username=nok" in page.text
    for name, password in zip(cards[0::2], cards[1::2], strict=True):
        user = db.session.scalar(select(User).where(User.username == name))
        assert user.role == Role.INTERVIEWER and user.organisation_id == organisation.id
        assert user.must_change_password and verify_password(user.password_hash, password)
    assert "print-sheet.css" in page.text


def test_the_login_page_of_the_qr_code_names_her(client):
    assert 'value="nok"' in client.get("/login?username=nok").text


def test_one_bad_name_makes_no_account_and_says_which(lead, organisation):
    create_user("mai", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
    page = lead.post("/people/bulk/", data={"usernames": "new1\nMAI\nnok\nNok",
                                             "organisation": organisation.id})
    assert page.status_code == 400
    assert "A user named &#39;mai&#39; already exists." in page.text
    assert "&#39;Nok&#39; is written twice." in page.text or "&#39;nok&#39; is written twice." in page.text
    assert db.session.scalar(select(User).where(User.username == "new1")) is None


def test_the_sheet_is_in_her_language(lead, organisation):
    page = lead.post("/people/bulk/?ui=th", data={"usernames": "mai", "organisation": organisation.id})
    assert "One-time password" not in page.text and "Username" not in page.text


def test_a_lead_cannot_add_to_another_organisation(lead, organisation):
    from survey.organisations.manage import create_organisation
    other = create_organisation("OTH", "Other")
    page = lead.post("/people/bulk/", data={"usernames": "mai", "organisation": other.id})
    assert page.status_code == 400
    assert db.session.scalar(select(User).where(User.username == "mai")) is None


def test_the_default_role_of_every_menu_is_the_least_powerful(lead):
    page = lead.get("/people/").text
    first = re.search(r'<select id="role" name="role">\s*<option[^>]*value="([^"]+)"', page)
    assert first and first.group(1) == "translator"
    assert "Translator" in page and "EMP · Empower test" in page
