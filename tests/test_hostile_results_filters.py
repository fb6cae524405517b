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


BAD_DATES = [
    "to=9999-12-31", "from=9999-12-31", "from=0000-01-01", "to=0001-01-01", "to=10000-01-01",
    "to=99999999999999999999", "to=-1", "from=2024-02-30", "to=2024W011", "to=20240101",
    "from=2024-01-01%00", "to=%00", "from=%F0%9F%98", "to=+002024-01-01",
]


def fetch(client, url):
    """The status and text of a page; a streamed workbook is read and closed."""
    response = client.get(url)
    try:
        return response.status_code, response.get_data(as_text=response.mimetype.startswith("text"))
    finally:
        response.close()


def test_a_bad_date_is_a_400_saying_how_to_write_one(lead):
    for page in PAGES:
        for query in BAD_DATES:
            status, text = fetch(lead, f"{page}?{query}")
            assert status == 400, (page, query, status)
            assert "like 2024-03-31" in text, (page, query)


def test_a_filter_given_twice_is_a_400(lead):
    for page in PAGES:
        status, text = fetch(lead, f"{page}?to=2024-01-01&to=9999-12-31")
        assert status == 400 and "only once" in text


def test_dates_at_the_ends_of_the_range_are_answered(lead):
    for page in PAGES:
        assert fetch(lead, f"{page}?from=1900-01-01&to=2999-12-31")[0] == 200, page


@given(params=st.lists(st.tuples(
    st.sampled_from(["from", "to", "by", "view", "lang", "ui", "from[]", "to.x"]),
    st.one_of(st.text(max_size=30), st.dates().map(datetime.date.isoformat),
              st.integers().map(str), st.sampled_from(["pooled", "documents", "9999-12-31", "\x00"]))),
    max_size=4))
@FIXTURES
def test_no_filter_is_a_server_error(lead, params):
    for page in PAGES:
        status, _ = fetch(lead, f"{page}?{urlencode(params)}")
        assert status in (200, 400, 403), (page, params, status)
