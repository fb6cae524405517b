"""Hostile filters on the results page, the community summary and the workbook:
a clear 400 naming what to type, never a 500, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PAGES = ["/results/priorities", "/results/priorities/summary", "/results/priorities/workbook.xlsx"]
FIXTURES = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


BAD_PERIODS = [
    "period=9999-12", "period=0000-01", "period=10000-01", "period=1899-12", "period=3000-Q1",
    "period=2024-13", "period=2024-00", "period=2024-Q5", "period=2024-Q0", "period=-1",
    "period=99999999999999999999", "period=2024-1", "period=%00", "period=%F0%9F%98",
    "period=+2024-01", "period=2024W01", "period=2024-01-01",
]
FREE_DAYS = ["to=9999-12-31", "from=0000-01-01", "from=2024-01-01&to=2024-01-31", "to=%00"]


def fetch(client, url):
    """The status and text of a page; a streamed workbook is read and closed."""
    response = client.get(url)
    try:
        return response.status_code, response.get_data(as_text=response.mimetype.startswith("text"))
    finally:
        response.close()


def test_a_bad_period_is_a_400_saying_how_to_write_one(lead):
    for page in PAGES:
        for query in BAD_PERIODS:
            status, text = fetch(lead, f"{page}?{query}")
            assert status == 400, (page, query, status)
            assert "like 2024-03 or a quarter like 2024-Q1" in text, (page, query)


def test_chosen_days_are_a_400_asking_for_a_period(lead):
    for page in PAGES:
        for query in FREE_DAYS:
            status, text = fetch(lead, f"{page}?{query}")
            assert status == 400 and "choose a period" in text, (page, query, status)


def test_a_filter_given_twice_is_a_400(lead):
    for page in PAGES:
        status, text = fetch(lead, f"{page}?period=2024-01&period=2024-02")
        assert status == 400 and "only once" in text


def test_periods_at_the_ends_of_the_range_are_answered(lead):
    for page in PAGES:
        for period in ("1900-01", "2999-Q4", "2999-12"):
            assert fetch(lead, f"{page}?period={period}")[0] == 200, (page, period)


@given(params=st.lists(st.tuples(
    st.sampled_from(["period", "from", "to", "by", "view", "lang", "ui", "period[]", "to.x"]),
    st.one_of(st.text(max_size=30), st.dates().map(datetime.date.isoformat),
              st.integers().map(str), st.sampled_from(["pooled", "documents", "9999-12", "2999-Q4", "\x00"]))),
    max_size=4))
@FIXTURES
def test_no_filter_is_a_server_error(lead, params):
    for page in PAGES:
        status, _ = fetch(lead, f"{page}?{urlencode(params)}")
        assert status in (200, 400, 403), (page, params, status)
