"""The tablet's side of per-record statuses, in a real Chromium: hostile records in its queue are
flagged and kept for the interviewer, sent once, and stop nothing; a withdrawn one leaves it."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from survey.accounts.models import User
from survey.consent.records import withdraw
from survey.consent.models import Participant
from survey.db import db
from tests.browser import chromium
from tests.test_browser_offline import (  # noqa: F401
    forms_dir, interview, open_app, server, stored, wait_until_sent)

pytestmark = pytest.mark.slow

HOSTILE = """async ([uuid, words, method]) => {
  const { seal, serverKey } = await import("/static/offline/seal.js");
  const { enqueue } = await import("/static/offline/queue.js");
  const { getForm } = await import("/static/offline/forms.js");
  const form = await getForm("offline_test");
  const now = new Date().toISOString();
  const plaintext = { uuid, form_id: form.id, form_version: form.version, language: "en",
    started_at: now, finished_at: now, answers: { age: 30, work: "factory", words }, notes: {},
    consent: { version: form.consent.version, language: "en", method, given_at: now,
               optional: { quote: false }, existing_code: null } };
  await enqueue(await seal(plaintext, uuid, await serverKey()));
}"""

QUEUE_EMPTY = """async () => {
  const { contents } = await import("/static/offline/queue.js");
  return (await contents()).records.length === 0;
}"""

CUT_EMOJI = "\ud83d"


def sent(server, record_uuid: str) -> int:
    return sum(record_uuid in upload for upload in server.uploads())


def test_hostile_records_are_flagged_kept_sent_once_and_stop_nothing(server, tmp_path):
    cut, listed = str(uuid.uuid4()), str(uuid.uuid4())
    with chromium(tmp_path) as context:
        page = open_app(context, server.base)
        page.evaluate(HOSTILE, [cut, "a cut emoji " + CUT_EMOJI, "oral"])
        page.evaluate(HOSTILE, [listed, "ok", ["oral"]])
        interview(page)
        page.click("#sync-now")
        page.wait_for_selector("#status-line[data-waiting='0'][data-attention='2']", timeout=30000)
        for bad in (cut, listed):
            assert page.locator(f"#attention [data-uuid='{bad}']").is_visible()
        page.click("#sync-now")
        page.wait_for_selector("#status-line[data-waiting='0'][data-attention='2']")
        page.reload()
        page.wait_for_selector(f"#attention [data-uuid='{cut}']")
    assert stored() == (1, 1, 1)
    assert (sent(server, cut), sent(server, listed)) == (1, 1)


def test_a_record_of_a_withdrawn_woman_leaves_the_tablet_and_is_not_stored(server, tmp_path):
    with chromium(tmp_path) as context:
        page = open_app(context, server.base)
        interview(page)
        wait_until_sent(page)
        db.session.rollback()
        code = db.session.scalar(select(Participant.code))
        withdraw(code, db.session.scalar(select(User)), db.session.scalar(
            select(Participant.organisation_id)))
        page.evaluate(HOSTILE, [str(uuid.uuid4()), "ok", "oral"])
        replay = str(uuid.uuid4())
        page.evaluate(HOSTILE.replace("existing_code: null", "existing_code: " + repr(code)),
                      [replay, "ok", "oral"])
        page.click("#sync-now")
        page.wait_for_function(QUEUE_EMPTY, polling=100, timeout=30000)
        page.reload()
        page.wait_for_selector("#status-line[data-waiting='0'][data-attention='0']", timeout=30000)
    assert stored() == (1, 1, 1)
    assert sent(server, replay) >= 1
