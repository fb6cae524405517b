"""A whole survey filled in through a real browser, without JavaScript help."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from survey.collect.models import Answer, Submission
from survey.db import db
from tests.browser import ARTIFACTS, SERVER_NOISE, chromium, serve
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVER_NOISE]


def test_interviewer_fills_in_the_priorities_survey_in_thai(app, interviewer, tmp_path):
    with serve(app) as base, chromium(tmp_path) as browser:
        page = browser.new_page()
        page.goto(base + "/")
        page.fill("#username", "ina")
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        page.click("a[href='/collect/priorities']")
        page.click("a[lang=th]")
        page.check("input[name=agree]")
        page.check("input[name=method][value=oral]")
        page.click("button[value=agree]")

        page.click("button[value=next]")  # welcome
        page.check("input[name=ethnicity][value=shan]")
        page.check("input[name=age_band][value=age_25_34]")
        page.click("button[value=next]")
        page.check("input[name=work][value=seafood]")
        page.check("input[name=work][value=domestic_work]")
        page.check("input[name=documents][value=pink_card]")
        page.click("button[value=next]")
        page.fill("input[name=year_crossed]", "1900")
        page.click("button[value=next]")
        error = page.locator("#q-year_crossed .error-text")
        assert error.is_visible()
        page.fill("input[name=year_crossed]", "2016")
        page.check("input[name=how_crossed][value=friends_family]")
        page.click("button[value=next]")
        page.check("input[name=police_contact][value=no]")
        page.check("input[name=detained][value=no]")
        page.click("button[value=next]")
        assert page.locator("input[name=police_how_often]").count() == 0
        page.check("input[name=debt][value=no_debt]")
        page.click("button[value=next]")
        page.check("input[name=money_sent_home][value=under_1000]")
        page.click("button[value=next]")
        codes = ["health_care", "safe_work", "minimum_wage", "safe_migration",
                 "no_police_harassment", "education", "safe_remittance", "decriminalise_sex_work"]
        for rank, code in enumerate(codes, start=1):
            page.select_option(f"#priorities-{code}", f"{code}:{rank}")
        page.click("button[value=next]")
        page.fill("textarea[name=what_helps]", "กลุ่มเพื่อนช่วยกัน")
        page.click("button[value=next]")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "collect-last-page-th.png"), full_page=True)
        page.click("button[value=next]")
        assert "/done/" in page.url
        assert page.locator(".code-card .code").inner_text() == "P-SH-0001"
        page.screenshot(path=str(ARTIFACTS / "collect-code-card-th.png"), full_page=True)

    assert db.session.scalar(select(func.count()).select_from(Submission)) == 1
    ranked = db.session.scalars(
        select(Answer.value).where(Answer.question == "priorities").order_by(Answer.position)
    ).all()
    assert ranked == codes
    assert db.session.scalar(select(Answer.text).where(Answer.question == "what_helps")) \
        == "กลุ่มเพื่อนช่วยกัน"
