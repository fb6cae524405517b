"""Hostile values posted into the web interview: infinite and huge numbers, NUL
characters, lone surrogates, lists where one value belongs. Each is a field error
naming the field or is stored as clean text; never a 500, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from survey.collect.models import Answer
from survey.db import db
from survey.forms.types import QUESTION_TYPES
from survey.forms.types.base import AnswerError
from tests.test_collect import CONSENT, action_of, post_to

FORM = "application/x-www-form-urlencoded"
HOSTILE = ["1e999", "-1e999", "inf", "nan", "9" * 30, "9" * 5000, "-" + "9" * 20, "\x00", "a\x00b",
           "\ud83d", "x\udfff", "0x1F", "1_000", "", " ", "٣", "१२"]
NAME = re.compile(r'name="([a-z][a-z0-9_.]*)"')


def raw_post(client, url: str, pairs: list[tuple[str, str]]):
    """A form post exactly as a browser could send it, lone surrogates included (as UTF-8 bytes)."""
    body = urlencode(pairs, encoding="utf-8", errors="surrogatepass")
    return client.post(url, data=body, content_type=FORM)


def current_page(client) -> str:
    response = client.get("/collect/priorities?lang=en")
    return post_to(client, action_of(response.text), {"action": "agree", **CONSENT}).text


def test_hostile_numbers_are_a_field_error_naming_the_field(logged_in):
    page = current_page(logged_in)
    page = post_to(logged_in, action_of(page), {"action": "next"}).text
    page = post_to(logged_in, action_of(page), {"action": "next", "ethnicity": "kachin",
                                                "age_band": "age_25_34"}).text
    page = post_to(logged_in, action_of(page), {"action": "next", "work": "factory",
                                                "documents": "pink_card"}).text
    assert 'name="year_crossed"' in page
    for value in ["1e999", "9" * 30, "9" * 5000, "nan", "inf", "-" + "9" * 20]:
        response = raw_post(logged_in, action_of(page), [("action", "next"), ("year_crossed", value)])
        assert response.status_code == 302, value
        shown = logged_in.get(response.location)
        assert shown.status_code == 422, value
        assert 'id="error-year_crossed"' in shown.text, value


@given(values=st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)), min_size=1, max_size=6),
       repeat=st.booleans())
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_no_post_is_a_server_error(logged_in, values, repeat):
    page = logged_in.get("/collect/priorities?lang=en").text
    for _ in range(4):
        names = sorted(set(NAME.findall(page)) - {"csrf_token"})
        pairs = [("action", "agree" if 'name="agree"' in page else "next")]
        pairs += [(name, values[i % len(values)]) for i, name in enumerate(names)]
        if repeat:
            pairs += pairs[1:]
        response = raw_post(logged_in, action_of(page), pairs)
        assert response.status_code in (302, 400), (pairs, response.status_code)
        if response.status_code == 400 or "/i/" not in response.location:
            break
        shown = logged_in.get(response.location)
        assert shown.status_code in (200, 422), pairs
        page = shown.text
    for text, value in db.session.execute(select(Answer.text, Answer.value)):
        assert "\x00" not in (text or "") + (value or "")


def test_an_integer_too_large_to_store_is_refused_by_its_type(form):
    """A question with no constraint still refuses what no answer row can hold."""
    integer = QUESTION_TYPES["integer"]
    question = form.question("year_crossed")
    for value in [float("inf"), float("nan"), 10**30, -(10**16), 1e300]:
        with pytest.raises(AnswerError):
            integer.clean(question, value)
    assert integer.clean(question, 10**15) == 10**15
