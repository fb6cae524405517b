"""After a login only a path on this site may follow, however the attacker spells another host."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

import pytest
from hypothesis import given, strategies as st

from survey.accounts.redirects import local_path
from tests.conftest import PASSWORD

HOSTILE = [
    "%2F%09%2Fevil.example%2F",   # "/\t/evil.example/": browsers drop the tab
    "%2F%0A%2Fx",                 # a newline: was a 500 after a successful login
    "%2F%0D%2Fevil.example",
    "%09%2F%2Fevil.example",
    "%20%2F%2Fevil.example",
    "%00%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "//evil.example",
    "%2F%5Cevil.example",         # "/\evil.example": a backslash is a slash to browsers
    "%5C%5Cevil.example",
    "%2F%5C%09evil.example",
    "/%09/evil.example",          # decoded: "/\t/evil.example"
    "https:evil.example",
    "https%3A%2F%2Fevil.example",
    "javascript:alert(1)",
    "%E2%80%8B%2F%2Fevil.example",  # a zero-width space first
    "%2F%E2%80%AE%2Fevil.example",  # a right-to-left override
    "evil.example",
    "",
]


def browser_host(location: str) -> str:
    """The host a browser on http://localhost/login goes to for ``location`` (WHATWG rules)."""
    cleaned = re.sub(r"[\t\n\r]", "", location).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08"
                                                      "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14"
                                                      "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                                      "\x1e\x1f ")
    return urlsplit(urljoin("http://localhost/login", cleaned.replace("\\", "/"))).netloc


@pytest.mark.parametrize("next_value", HOSTILE)
def test_a_login_never_leads_to_another_host(client, interviewer, next_value):
    response = client.post(f"/login?next={next_value}",
                           data={"username": "ina", "password": PASSWORD})
    assert response.status_code == 302
    assert browser_host(response.location) == "localhost"
    assert response.location == "/home"


@pytest.mark.parametrize("path", ["/collect/priorities", "/app", "/submissions?form=a&day=1",
                                  "/collect/%2F/x", "/forms/a b"])
def test_a_path_on_this_site_is_followed(client, interviewer, path):
    response = client.post("/login?next=" + quote(path, safe=""),
                           data={"username": "ina", "password": PASSWORD})
    assert response.status_code == 302
    assert browser_host(response.location) == "localhost"
    assert response.location == quote(path, safe="/?&=%")


@given(st.text())
def test_whatever_the_target_the_result_stays_on_this_site(target):
    result = local_path(target)
    assert result is None or browser_host(result) == "localhost"


@given(st.text(alphabet=st.sampled_from("/\\\t\n\r :.%@evil"), max_size=12))
def test_slashes_and_blanks_in_any_order_stay_on_this_site(target):
    result = local_path(target)
    assert result is None or browser_host(result) == "localhost"
