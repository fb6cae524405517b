"""A handed-over tablet: each page she sees is in her language and holds no staff control."""

from __future__ import annotations

import re

import pytest

from tests.test_collect import FULL_INTERVIEW, action_of, give_consent, post_page, post_to
from tests.test_shared_tablet import hand_over

# What only the interviewer may see or use, as it appears in a page's HTML.
STAFF = {
    "consent method": 'name="method"', "participant-code field": 'name="code"',
    "note box": 'name="note.', "Add a note": "Add a note", "staff links": 'class="nav-links"',
    "Surveys": 'href="/"', "Submissions": "/submissions", "Withdraw": "/withdraw",
    "Log out": "/logout", "interface language switch": 'name="ui"',
    "hand-over button": "/handover", "Back to the surveys": "Back to the surveys",
}
# Words of the interviewer's (English) interface that must not reach her screen.
ENGLISH = ["Community survey", ">Exit<", "Answers saved", "Choose a language", "Your PIN is set",
           "How was consent given", "Participant code", "Start another interview"]


def staff_controls(page: str) -> list[str]:
    return [name for name, marker in STAFF.items() if marker in page] + [
        word for word in ENGLISH if word in page]


def her_pages(client, language: str) -> list[tuple[str, str]]:
    """Every page of a handed-over interview, and of a refusal, as (name, HTML)."""
    pages = [("language", client.get("/collect/priorities").text)]
    response = client.get(f"/collect/priorities?lang={language}")
    pages.append(("consent", response.text))
    response = give_consent(client, response.text)
    for number, data in enumerate(FULL_INTERVIEW):
        pages.append((f"page {number + 1}", response.text))
        response = post_page(client, response.text, data)
    pages.append(("her code", client.get(response.location).text))
    consent = client.get(f"/collect/priorities?lang={language}").text
    refused = post_to(client, action_of(consent), {"action": "refuse"})
    pages.append(("refused", client.get(refused.location).text))
    return pages


@pytest.mark.parametrize("language", ["kac", "my"])
def test_her_pages_hold_no_staff_control_and_are_in_her_language(logged_in, language):
    hand_over(logged_in)
    pages = her_pages(logged_in, language)
    assert len(pages) == len(FULL_INTERVIEW) + 4
    for name, page in pages:
        assert staff_controls(page) == [], name
        assert 'class="quick-exit button"' in page, name
    for name, page in pages[1:]:
        assert f'<html lang="{language}"' in page, name


def test_an_interview_without_hand_over_shows_no_staff_navigation(logged_in):
    response = logged_in.get("/collect/priorities?lang=my")
    pages = [response.text]
    response = give_consent(logged_in, response.text)
    for data in FULL_INTERVIEW[:4]:
        pages.append(response.text)
        response = post_page(logged_in, response.text, data)
    for page in pages:
        header = re.search(r'<header class="bar">(.*?)</header>', page, re.S).group(1)
        assert [name for name, marker in STAFF.items() if marker in header] == []
        assert 'class="quick-exit button"' in header
    assert 'name="method"' in pages[0], "the interviewer still records how consent was given"
