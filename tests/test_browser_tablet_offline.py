"""The offline app on a shared tablet, in a real Chromium: the wipe really logs out and
forgets, the quick exit works, and her screens hold no staff control."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey.audit.models import AuditEvent
from survey.collect.models import Submission
from survey.consent.models import ConsentMethod, ConsentRecord
from survey.db import db
from tests.browser import chromium
from tests.test_browser_offline import (  # noqa: F401 - fixtures
    CANARY, forms_dir, interview, open_app, server, stored, traces, wait_until_sent, waiting,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLANT = """async (canary) => {
  localStorage.setItem("note", canary);
  sessionStorage.setItem("note", canary);
  await (await caches.open("forms")).put("/canary", new Response(canary));
}"""
LEFT = """async (canary) => {
  let cached = false;
  let data = 0;  // entries outside the service worker's shell (which holds no data)
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) {
      const body = await (await caches.open(name)).match(request).then((r) => r.text());
      cached ||= body.includes(canary);
      if (!name.startsWith("shell-")) data += 1;
    }
  }
  const meta = await new Promise((resolve) => {
    const open = indexedDB.open("survey-offline");
    open.onsuccess = () => {
      const all = open.result.transaction("meta").objectStore("meta").getAllKeys();
      all.onsuccess = () => resolve(all.result);
    };
  });
  return { local: localStorage.length, session: sessionStorage.length, data, cached, meta };
}"""


def the_submission() -> str:
    db.session.rollback()
    return db.session.scalar(select(Submission.public_id))


def test_wiping_the_tablet_logs_out_and_forgets_what_the_app_kept(server, tmp_path):
    with chromium(tmp_path) as context:
        page = open_app(context, server.base)
        interview(page, words=CANARY)
        wait_until_sent(page)
        answers = f"{server.base}/submissions/{the_submission()}"
        assert CANARY in context.new_page().goto(answers).text(), "her answers were readable"
        page.evaluate(PLANT, CANARY)

        page.click("#wipe")
        page.wait_for_selector(".flash:has-text('This tablet is wiped.')")
        left = page.evaluate(LEFT, CANARY)
        assert left == {"local": 0, "session": 0, "data": 0, "cached": False,
                        "meta": ["refusals"] if "refusals" in left["meta"] else []}
        assert context.cookies() == [], "Clear-Site-Data took the session cookie"

        after = context.new_page()
        after.goto(answers)
        assert after.url.startswith(server.base + "/login")
        assert CANARY not in after.content()
    assert traces(tmp_path / "profile") == []
    db.session.rollback()
    assert "tablet_wiped" in db.session.scalars(select(AuditEvent.action)).all()


def test_the_login_ends_on_the_server_not_only_in_this_browser(server, tmp_path):
    with chromium(tmp_path) as context:
        page = open_app(context, server.base)
        cookies = context.cookies()
        page.click("#wipe")
        page.wait_for_selector(".flash:has-text('This tablet is wiped.')")
        context.add_cookies(cookies)  # the old session cookie, kept by an attacker
        again = context.new_page()
        again.goto(server.base + "/submissions/")
        assert again.url.startswith(server.base + "/login")


STAFF = ["#wipe", "#download", "#sync-now", "#status-line", "#tools", "[name=method]", "#code"]


def visible_staff(page) -> list[str]:
    return [selector for selector in STAFF[:5] if page.locator(selector).is_visible()]


def test_her_screens_hold_no_staff_tools_and_the_exit_leaves_nothing(server, tmp_path):
    with chromium(tmp_path) as context:
        page = open_app(context, server.base)
        assert "#wipe" in [s for s in STAFF if page.locator(s).is_visible()], "the home screen has them"
        page.click("[data-form=offline_test]")
        page.click("[data-language=th]")
        page.wait_for_selector("input[name=agree]")
        assert visible_staff(page) == []
        assert page.inner_text("#quick-exit") == "ออก"
        assert page.get_attribute("#quick-exit", "lang") == "th"
        page.check("input[name=agree]")
        page.check("input[name=method][value=self]")
        page.click("button[value=agree]")
        page.fill("input[name=age]", "30")
        page.check("input[name=work][value=other]")
        page.fill("input[name=words]", CANARY)
        page.click("button[value=next]")
        page.wait_for_selector("input[name=other_work]")
        assert visible_staff(page) == []
        assert page.locator("#stop").count() == 0

        page.click("#quick-exit")
        page.wait_for_selector("body.exit")
        assert CANARY not in page.content() and "ออก" not in page.content()
        page.wait_for_function("""async () => (await new Promise((resolve) => {
          const open = indexedDB.open("survey-offline");
          open.onsuccess = () => {
            const all = open.result.transaction("drafts").objectStore("drafts").count();
            all.onsuccess = () => resolve(all.result);
          };
        })) === 0""")
        page.goto(server.base + "/app")  # the interviewer comes back
        page.wait_for_selector("[data-form=offline_test]")
        assert page.locator("#wipe").is_visible() and not page.locator("#quick-exit").is_visible()


def test_handed_over_she_consents_alone_in_her_language_and_finishes_without_staff_tools(server, tmp_path):
    with chromium(tmp_path) as context:
        page = open_app(context, server.base)
        page.click("[data-form=offline_test]")
        page.check("#hand-over")
        page.click("[data-language=th]")
        page.wait_for_selector("input[name=agree]")
        assert page.locator("[name=method], #code").count() == 0
        assert visible_staff(page) == []
        page.check("input[name=agree]")
        page.click("button[value=agree]")
        page.fill("input[name=age]", "30")
        page.check("input[name=work][value=factory]")
        page.click("button[value=next]")
        page.wait_for_selector(".flash[lang=th]")
        assert visible_staff(page) == [] and "Start another interview" not in page.inner_text("body")
        page.click(".nav[lang=th] .primary")  # her "Finish" gives the tablet back
        page.wait_for_selector("#wipe")
        wait_until_sent(page)
    db.session.rollback()
    assert list(db.session.scalars(select(ConsentRecord.method))) == [ConsentMethod.SELF]
