"""Every role's home page lists what she can do, and no link of hers leads to a 403."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from survey.accounts.models import Role
from survey.accounts.users import create_user
from tests.conftest import PASSWORD

EXPECTED = {
    Role.INTERVIEWER: {"collect.index", "offline.shell", "submissions.index", "consent.withdrawal"},
    Role.TRANSLATOR: {"review.index"},
    Role.FORM_AUTHOR: {"authoring.index"},
    Role.LEAD: {"submissions.index", "results.index", "consent.withdrawal", "people.index",
                "bulk.index", "audit.index"},
    Role.ADMIN: {"collect.index", "offline.shell", "submissions.index", "results.index",
                 "consent.withdrawal", "review.index", "authoring.index", "people.index", "bulk.index",
                 "organisations.index", "audit.index"},
}
ALL_TASKS = set().union(*EXPECTED.values())


def log_in_as(client, organisation, role: Role):
    create_user("someone", PASSWORD, role, organisation_id=organisation.id)
    response = client.post("/login", data={"username": "someone", "password": PASSWORD})
    assert response.status_code == 302
    return response


def paths(app, endpoints) -> dict[str, str]:
    with app.test_request_context():
        return {endpoint: url_for(endpoint) for endpoint in endpoints}


def card_links(html: str) -> set[str]:
    return set(re.findall(r'<a class="card" href="([^"]+)"', html))


def every_link(html: str) -> set[str]:
    return {href for href in re.findall(r'<a [^>]*href="(/[^"]*)"', html) if not href.startswith("/static")}


@pytest.mark.parametrize("role", list(Role))
def test_login_leads_to_her_home_which_shows_only_her_links(app, client, organisation, role):
    assert log_in_as(client, organisation, role).location == "/home"
    page = client.get("/home")
    assert page.status_code == 200
    every = paths(app, ALL_TASKS)
    assert card_links(page.text) == {every[e] for e in EXPECTED[role]}


@pytest.mark.parametrize("role", list(Role))
def test_no_link_of_her_navigation_or_home_is_forbidden(client, organisation, role):
    log_in_as(client, organisation, role)
    seen: set[str] = set()
    for start in ("/home", "/people/nobody-404", "/withdraw"):
        page = client.get(start)
        for href in every_link(page.text) - seen:
            seen.add(href)
            assert client.get(href).status_code != 403, href
    assert "/home" in seen, "the site title and the error page lead home"


def test_a_lead_sees_the_consent_register_of_each_of_her_surveys(app, client, organisation):
    log_in_as(client, organisation, Role.LEAD)
    page = client.get("/home").text
    registers = re.findall(r'href="(/consent/[^"]+)"', page)
    assert registers, "the lead's organisation runs surveys"
    for href in registers:
        assert client.get(href).status_code == 200


def test_a_stranger_is_asked_to_log_in(client):
    response = client.get("/home")
    assert response.status_code == 302 and "/login" in response.location
