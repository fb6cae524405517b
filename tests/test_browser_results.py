"""The results page in Burmese and the one-page summary, in a real browser without JavaScript."""

from __future__ import annotations

import re

import pytest

from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.forms import catalog
from tests.browser import ARTIFACTS, SERVER_NOISE, chromium, serve
from tests.conftest import PASSWORD
from tests.test_results import twenty

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVER_NOISE]


def test_a_lead_reads_her_results_in_burmese_and_prints_the_summary(app, organisation, tmp_path):
    form = catalog.get_form("priorities")
    twenty(form, organisation.id)
    create_user("lena", PASSWORD, Role.LEAD, organisation_id=organisation.id)
    first_priority = form.question("priorities").choices[0].label.translations["my"]
    with serve(app) as base, chromium(tmp_path) as browser:
        page = browser.new_page()
        page.goto(base + "/login?ui=my")
        page.fill("#username", "lena")
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        page.goto(base + "/results/priorities?ui=my&by=documents")
        assert page.locator("html").get_attribute("lang") == "my"
        assert page.get_by_text(first_priority).first.is_visible()
        assert page.locator("svg.chart").count() >= 10
        assert page.locator("#rule").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "results-my.png"), full_page=True)

        page.goto(base + "/results/priorities/summary?lang=my")
        assert page.locator("ol.top-priorities li").first.inner_text() == first_priority
        page.emulate_media(media="print")
        assert not page.locator("header.bar").is_visible(), "the header is not printed"
        page.screenshot(path=str(ARTIFACTS / "results-summary-my.png"), full_page=True)
        pdf = ARTIFACTS / "results-summary-my.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        assert pdf.read_bytes().startswith(b"%PDF")
        assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())) == 1, "one A4 page"
