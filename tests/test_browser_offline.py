"""The offline app (/app) in a real Chromium against the app in a subprocess that tests stop and kill.

The tablet's profile lives in tmp_path and survives browser restarts; the server
runs with a file database, CSRF on, and a middleware that can slow, log or drop uploads.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from survey.collect.models import Submission
from survey.consent.models import ConsentRecord
from survey.db import db
from survey.sync import keys
from tests.browser import chromium, profile_traces
from tests.conftest import PASSWORD, PROJECT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FORM = """
id: offline_test
version: 1
title: {en: Offline test, th: แบบทดสอบออฟไลน์}
languages: [en, th]
default_language: en
consent:
  version: 1
  text: {en: "A test. You may stop at any time.", th: แบบทดสอบ หยุดได้ทุกเมื่อ}
  optional:
    - name: quote
      label: {en: My words may be quoted, th: อ้างคำพูดของฉันได้}
sections:
  - name: about
    questions:
      - name: age
        type: integer
        required: true
        label: {en: Age, th: อายุ}
        constraint: ". >= 15"
        constraint_message: {en: 15 or older, th: อายุ 15 ปีขึ้นไป}
      - name: work
        type: select_one
        required: true
        label: {en: Work, th: งาน}
        choices:
          - {value: factory, label: {en: Factory, th: โรงงาน}}
          - {value: other, label: {en: Other, th: อื่นๆ}}
      - {name: words, type: text, label: {en: In her words, th: คำพูดของเธอ}}
  - name: other
    relevant: "work = 'other'"
    questions:
      - {name: other_work, type: text, required: true, label: {en: "Which work?", th: งานอะไร}}
"""

# Runs the app like production would, on a fixed port; FAULTS in the environment slow,
# log or drop the uploads (POST /api/v1/submissions).
SERVER = """
import json, os, sys, time
from werkzeug.serving import make_server
from tests.conftest import make_app

config = json.loads(sys.argv[1])
faults = json.loads(os.environ.get("FAULTS", "{}"))
app = make_app(config.pop("database_url"), **config)
inner = app.wsgi_app

def with_faults(environ, start_response):
    if environ["REQUEST_METHOD"] != "POST" or environ["PATH_INFO"] != "/api/v1/submissions":
        return inner(environ, start_response)
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    import io
    environ["wsgi.input"] = io.BytesIO(body)
    with open(faults["log"], "a") as log:
        log.write(json.dumps([r["uuid"] for r in json.loads(body)["records"]]) + "\\n")
    time.sleep(faults.get("slow", 0))
    response = b"".join(inner(environ, start_response))
    if faults.get("drop"):
        os._exit(1)  # committed, and the tablet never hears back
    return [response]

app.wsgi_app = with_faults
make_server("127.0.0.1", int(sys.argv[2]), app, threaded=True).serve_forever()
"""


class Server:
    """The app in a subprocess on one port, which stays the same across restarts."""

    def __init__(self, config: dict[str, object], log: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.config = config
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, **faults: object) -> None:
        self.kill()  # reaps one that exited by itself
        env = {**os.environ, "FAULTS": json.dumps({"log": str(self.log), **faults})}
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, json.dumps(self.config), str(self.port)], cwd=PROJECT, env=env)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert self.process.poll() is None, "the server did not start"
                time.sleep(0.05)
        raise AssertionError("the server did not start in time")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        if self.process:
            self.process.wait(timeout=10)
        self.process = None

    def uploads(self) -> list[list[str]]:
        """The uuids of each upload the server received, in order."""
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


@pytest.fixture
def forms_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "forms"
    directory.mkdir()
    (directory / "offline_test.yaml").write_text(FORM, encoding="utf-8")
    return directory


@pytest.fixture
def server(app, database_url, forms_dir, interviewer, tmp_path):
    key_file = tmp_path / "sync_key.pem"
    keys.create_key_file(key_file)
    server = Server({"database_url": database_url, "FORMS_DIR": str(forms_dir), "WTF_CSRF_ENABLED": True,
                     "SYNC_PRIVATE_KEY_FILE": str(key_file)}, tmp_path / "uploads.log")
    server.start()
    yield server
    server.kill()


def stored() -> tuple[int, int, int]:
    """(submissions, distinct uuids, consent records) on the server."""
    db.session.rollback()
    return (db.session.scalar(select(func.count()).select_from(Submission)),
            db.session.scalar(select(func.count(func.distinct(Submission.uuid)))),
            db.session.scalar(select(func.count()).select_from(ConsentRecord)))


CONTROLLED = """() => new Promise((resolve) => navigator.serviceWorker.controller
  ? resolve() : navigator.serviceWorker.addEventListener("controllerchange", resolve))"""


def open_app(context, base: str):
    """The app, logged in, its service worker in control and the survey cached."""
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(base + "/login?next=/app")
    page.fill("#username", "ina")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(base + "/app")
    page.wait_for_selector("[data-form=offline_test]")
    page.evaluate(CONTROLLED)
    return page


def interview(page, language: str = "en", words: str = "ok") -> None:
    page.click("[data-form=offline_test]")
    page.click(f"[data-language={language}]")
    page.check("input[name=agree]")
    page.check("input[name=method][value=oral]")
    page.click("button[value=agree]")
    page.fill("input[name=age]", "30")
    page.check("input[name=work][value=factory]")
    page.fill("input[name=words]", words)
    page.click("button[value=next]")
    page.click(".flash[role=status] ~ .nav .secondary")  # back to the surveys
    page.wait_for_selector("[data-form=offline_test]")


def waiting(page) -> int:
    return int(page.get_attribute("#status-line", "data-waiting"))


def wait_until_sent(page) -> None:
    page.wait_for_selector("#status-line[data-waiting='0']", timeout=30000)


def test_twenty_interviews_offline_survive_a_browser_restart_and_sync(server, tmp_path):
    with chromium(tmp_path) as context:
        page = open_app(context, server.base)
        server.kill()
        context.set_offline(True)
        page.reload()
        for number in range(20):
            interview(page, "en" if number % 2 else "th")
        assert waiting(page) == 20
    with chromium(tmp_path) as context:
        context.set_offline(True)
        page = context.new_page()
        page.goto(server.base + "/app")
        page.wait_for_selector("#status-line[data-waiting='20']")
        server.start()
        context.set_offline(False)
        wait_until_sent(page)
    assert stored() == (20, 20, 20)


def queue_offline(context, server, count: int):
    """The app with ``count`` interviews queued while the server is down."""
    page = open_app(context, server.base)
    server.kill()
    context.set_offline(True)
    for _ in range(count):
        interview(page)
    return page


def go_online(context, page, server, **faults: object) -> None:
    server.start(**faults)
    context.set_offline(False)


def test_a_server_killed_mid_sync_loses_and_duplicates_nothing(server, tmp_path):
    with chromium(tmp_path) as context:
        page = queue_offline(context, server, 5)
        go_online(context, page, server, slow=30)
        deadline = time.monotonic() + 20
        while not server.uploads() and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # the upload is in flight
        assert waiting(page) == 5
        server.start()
        page.click("#sync-now")
        wait_until_sent(page)
    assert stored() == (5, 5, 5)


def test_a_response_lost_after_the_commit_is_resent_as_a_duplicate(server, tmp_path):
    with chromium(tmp_path) as context:
        page = queue_offline(context, server, 3)
        go_online(context, page, server, drop=True)
        page.wait_for_selector("#sync-state.failed")
        assert stored() == (3, 3, 3)
        assert waiting(page) == 3
        server.start()
        page.click("#sync-now")
        wait_until_sent(page)
    assert stored() == (3, 3, 3)


def test_two_tabs_syncing_at_once_send_each_record_once(server, tmp_path):
    with chromium(tmp_path) as context:
        first = queue_offline(context, server, 4)
        second = context.new_page()
        second.goto(server.base + "/app")
        second.wait_for_selector("#status-line[data-waiting='4']")
        server.start(slow=1)
        first.evaluate("() => document.getElementById('sync-now').click()")
        second.evaluate("() => document.getElementById('sync-now').click()")
        context.set_offline(False)
        wait_until_sent(first)
        wait_until_sent(second)
    sent = [uuid for upload in server.uploads() for uuid in upload]
    assert len(sent) == len(set(sent)) == 4
    assert stored() == (4, 4, 4)


CONFLICTING = """async (uuid) => {
  const { seal, serverKey } = await import("/static/offline/seal.js");
  const { enqueue } = await import("/static/offline/queue.js");
  const { getForm } = await import("/static/offline/forms.js");
  const form = await getForm("offline_test");
  const now = new Date().toISOString();
  const plaintext = { uuid, form_id: form.id, form_version: form.version, language: "en",
    started_at: now, finished_at: now, answers: { age: 99, work: "factory", words: "changed" }, notes: {},
    consent: { version: form.consent.version, language: "en", method: "self", given_at: now,
               optional: { quote: false }, existing_code: null } };
  await enqueue(await seal(plaintext, uuid, await serverKey()));
}"""


def test_a_conflicting_record_stays_on_the_tablet_flagged(server, tmp_path):
    with chromium(tmp_path) as context:
        page = open_app(context, server.base)
        interview(page)
        wait_until_sent(page)
        db.session.rollback()
        uuid = str(db.session.scalar(select(Submission.uuid)))
        page.evaluate(CONFLICTING, uuid)
        page.click("#sync-now")
        page.wait_for_selector("#status-line[data-attention='1']")
        assert page.locator(f"#attention [data-uuid='{uuid}']").is_visible()
        page.reload()
        page.wait_for_selector(f"#attention [data-uuid='{uuid}']")
    assert stored() == (1, 1, 1)


def test_after_a_401_she_logs_in_again_and_the_queue_is_sent(server, tmp_path):
    with chromium(tmp_path) as context:
        page = queue_offline(context, server, 2)
        context.clear_cookies()
        go_online(context, page, server)
        page.click("#log-in")
        page.fill("#username", "ina")
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(server.base + "/app")
        wait_until_sent(page)
    assert stored() == (2, 2, 2)


CANARY = "canary-7f3a9c-ကချင်-แคนารี"


def traces(profile: Path) -> list[str]:
    return profile_traces(profile, CANARY)


def test_nothing_she_says_is_readable_in_the_browser_profile(server, tmp_path):
    profile = tmp_path / "profile"
    with chromium(tmp_path) as context:
        page = open_app(context, server.base)
        server.kill()
        context.set_offline(True)
        page.click("[data-form=offline_test]")
        page.click("[data-language=en]")
        page.check("input[name=agree]")
        page.check("input[name=method][value=self]")
        page.click("button[value=agree]")
        page.fill("input[name=age]", "30")
        page.check("input[name=work][value=other]")
        page.fill("input[name=words]", CANARY)
        page.click("button[value=next]")  # the second page: her words are in a sealed draft
        page.wait_for_selector("input[name=other_work]")
        assert traces(profile) == []
        page.fill("input[name=other_work]", CANARY)
        page.click("button[value=next]")
        page.wait_for_selector("#status-line[data-waiting='1']")
        assert traces(profile) == []
        assert page.evaluate("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)") == "{}{}"
        go_online(context, page, server)
        wait_until_sent(page)
        assert traces(profile) == []
    assert traces(profile) == []
    db.session.rollback()
    assert stored() == (1, 1, 1)


def test_refusals_given_offline_are_counted_once_back_online(server, tmp_path):
    from survey.consent.models import RefusalCount

    with chromium(tmp_path) as context:
        page = queue_offline(context, server, 1)
        for _ in range(2):
            page.click("[data-form=offline_test]")
            page.click("[data-language=en]")
            page.click("button[value=refuse]")
            page.click(".flash[role=status] ~ .nav .primary")  # back to the surveys
            page.wait_for_selector("[data-form=offline_test]")
        go_online(context, page, server)
        page.click("#sync-now")
        wait_until_sent(page)
        page.wait_for_function("""async () => {
            const db = await new Promise((ok) => { const r = indexedDB.open("survey-offline"); r.onsuccess = () => ok(r.result); });
            const item = await new Promise((ok) => { const r = db.transaction("meta").objectStore("meta").get("refusals"); r.onsuccess = () => ok(r.result); });
            return item && item.items.length === 0;
        }""", timeout=30000)
    db.session.rollback()
    assert db.session.scalar(select(RefusalCount.count)) == 2
    assert stored() == (1, 1, 1)
