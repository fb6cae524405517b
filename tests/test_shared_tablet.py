"""Shared-tablet mode: the participant sees only her language, consent and survey."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from survey.collect.models import Submission
from survey.db import db
from tests.test_collect import FULL_INTERVIEW, action_of, give_consent, post_page


def hand_over(client) -> None:
    client.post("/pin", data={"pin": "2468"})
    response = client.post("/collect/priorities/handover")
    assert response.status_code == 302 and response.location == "/collect/priorities"


def finish_interview(client, lang: str = "th"):
    response = give_consent(client, client.get(f"/collect/priorities?lang={lang}").text)
    for data in FULL_INTERVIEW:
        response = post_page(client, response.text, data)
    return response


def test_handing_over_needs_a_pin_first(logged_in):
    response = logged_in.post("/collect/priorities/handover")
    assert response.status_code == 302 and response.location.startswith("/pin")


def test_the_participant_reaches_nothing_but_her_survey(logged_in):
    hand_over(logged_in)
    page = logged_in.get("/collect/priorities").text
    assert "Log out" not in page and "/submissions" not in page and "/withdraw" not in page
    assert 'class="quick-exit button"' in page
    for url in ("/", "/submissions/", "/withdraw", "/people/", "/collect/every_type", "/pin"):
        response = logged_in.get(url)
        assert response.status_code == 302 and response.location == "/unlock", url


def test_her_code_is_shown_once_and_the_pin_gives_the_tablet_back(logged_in):
    hand_over(logged_in)
    done = finish_interview(logged_in)
    card = logged_in.get(done.location).text
    assert "P-KC-0001" in card and "Start another interview" not in card
    assert "P-KC-0001" not in logged_in.get(done.location).text, "a reload shows no code"

    assert logged_in.post("/unlock", data={"pin": "1111"}).status_code == 200
    response = logged_in.post("/unlock", data={"pin": "2468"})
    assert response.location == "/collect/priorities"
    assert logged_in.get("/").status_code == 200


def test_pages_of_a_finished_interview_posted_again_show_nothing_of_it(logged_in):
    hand_over(logged_in)
    response = give_consent(logged_in, logged_in.get("/collect/priorities?lang=th").text)
    pages = []
    for data in FULL_INTERVIEW:
        pages.append(response.text)
        response = post_page(logged_in, response.text, data)
    # The next participant presses back and resubmits, or reopens, a page of the first one.
    replay = logged_in.post(action_of(pages[3]), data={"action": "back"})
    assert replay.status_code == 302 and replay.location == "/collect/priorities"
    reopened = logged_in.get(action_of(pages[3]))
    assert reopened.status_code == 302 and reopened.location == "/collect/priorities"
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 1


def test_quick_exit_closes_the_interview(logged_in):
    hand_over(logged_in)
    response = give_consent(logged_in, logged_in.get("/collect/priorities?lang=my").text)
    exit_link = re.search(r'class="quick-exit button"[^>]*href="([^"]*)"', response.text).group(1)
    assert logged_in.get(html.unescape(exit_link)).status_code == 200
    again = post_page(logged_in, response.text, {})
    assert again.status_code == 302 and again.location == "/collect/priorities"


def test_survey_pages_are_never_cached_and_never_autofilled(logged_in):
    response = logged_in.get("/collect/priorities?lang=en")
    assert response.headers["Cache-Control"] == "no-store"
    assert 'autocomplete="off"' in response.text
