"""Participant A finishes on a shared tablet; participant B gets it: back and history
show nothing of A."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.browser import ARTIFACTS, SERVER_NOISE, chromium, profile_traces, serve
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVER_NOISE]

CANARY = "canary-a-1f9c3"


def shown(page) -> str:
    """What the tab shows once it settles (a back navigation may still be under way)."""
    for _ in range(20):
        try:
            page.wait_for_load_state("load")
            return page.evaluate("document.documentElement.outerHTML")
        except Exception:  # noqa: BLE001 - the page moved on; look again
            page.wait_for_timeout(100)
    raise AssertionError("the page never settled")


def answer_the_survey(page, canary: str) -> None:
    page.click("a[lang=th]")
    page.check("input[name=agree]")
    assert page.locator("input[name=method]").count() == 0, "handed over: no staff field"
    page.click("button[value=agree]")
    page.click("button[value=next]")  # welcome
    page.check("input[name=ethnicity][value=akha]")
    page.check("input[name=age_band][value=age_18_24]")
    page.click("button[value=next]")
    page.check("input[name=work][value=restaurant]")
    page.check("input[name=documents][value=stateless]")
    page.click("button[value=next]")
    for _ in range(5):  # crossing, police, debt, money: all optional
        page.click("button[value=next]")
    codes = page.eval_on_selector_all("select[name=priorities] option[value$=':1']",
                                      "options => options.map(o => o.value.split(':')[0])")
    for rank, code in enumerate(codes, start=1):
        page.select_option(f"#priorities-{code}", f"{code}:{rank}")
    page.click("button[value=next]")
    page.fill("textarea[name=what_helps]", canary)
    page.click("button[value=next]")
    page.click("button[value=next]")  # thanks → stored


def test_the_next_participant_sees_nothing_of_the_last(app, interviewer, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app) as base, chromium(tmp_path) as browser:
        page = browser.new_page()
        handed_over_interview(page, base, CANARY)
        code = page.locator(".code-card .code").inner_text()
        assert code.startswith("P-AK-")
        page.click("main a.button")  # "Finish": the tablet is ready for the next participant

        seen = []
        for _ in range(8):  # participant B presses back, again and again
            try:
                page.go_back(wait_until="load")
            except Exception:  # noqa: BLE001 - a page the browser refuses to show is fine
                pass
            seen.append(shown(page))
        page.screenshot(path=str(ARTIFACTS / "shared-tablet-after-back.png"), full_page=True)
        for content in seen:
            assert CANARY not in content and code not in content
        # Resubmitting what the browser still holds shows nothing of A either.
        try:
            page.reload(wait_until="load")
        except Exception:  # noqa: BLE001 - "confirm resubmission" pages may refuse
            pass
        assert CANARY not in shown(page) and code not in shown(page)
        # The interviewer's screens stay locked.
        page.goto(base + "/submissions/")
        assert page.url.endswith("/unlock")


PROFILE_CANARY = "canary-profile-8d41e"


def traces(profile) -> list[str]:
    return profile_traces(profile, PROFILE_CANARY)


def handed_over_interview(page, base: str, canary: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", "ina")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.goto(base + "/pin")
    page.fill("#pin", "2468")
    page.click("main form button[type=submit]")
    page.goto(base + "/collect/priorities")
    page.click("form.handover button")
    answer_the_survey(page, canary)
    page.locator(".code-card .code").wait_for()


def chromium_pids(profile) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if proc.name.isdigit() and str(profile).encode() in cmdline:
            pids.append(int(proc.name))
    return pids


def test_nothing_she_answered_is_in_the_browser_profile_closed_or_killed(app, interviewer, tmp_path):
    """Chromium keeps request bodies and URLs in its session-restore files: no page of the
    interview may hold an answer in either, after the interview, after closing the browser,
    and after the browser is killed before it could tidy up."""
    profile = tmp_path / "profile"
    with serve(app) as base:
        with chromium(tmp_path) as browser:
            handed_over_interview(browser.new_page(), base, PROFILE_CANARY)
            time.sleep(2)  # Chromium writes its session files on a short timer
            assert traces(profile) == [], "after the interview"
        assert traces(profile) == [], "after closing the browser"

        killed = tmp_path / "killed"
        killed.mkdir()
        try:
            with chromium(killed) as browser:
                handed_over_interview(browser.new_page(), base, PROFILE_CANARY)
                time.sleep(2)
                for pid in chromium_pids(killed / "profile"):
                    os.kill(pid, signal.SIGKILL)
        except Exception:  # noqa: BLE001 - closing a killed browser fails, as it should
            pass
        assert traces(killed / "profile") == [], "after the browser was killed"
