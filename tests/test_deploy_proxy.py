"""Behind a TLS proxy: HSTS, Secure cookies and working logins, forms and tablet sync.

The proxy is real: HTTPS on loopback, forwarding to the app over HTTP with the headers nginx
sets (``proxy_set_header Host $http_host``, ``X-Forwarded-For $proxy_add_x_forwarded_for``,
``X-Forwarded-Proto $scheme``), and the app trusts one proxy (``TRUSTED_PROXIES=1``).
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from survey.collect.models import Submission
from survey.db import db
from tests.browser import CHROMIUM, SERVER_NOISE, TABLET, require_chromium, serve
from tests.conftest import PASSWORD, make_app, running_app

HSTS = "max-age=63072000; includeSubDomains"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-connection"}

FORM = """
id: proxied
version: 1
title: {en: Behind the proxy}
languages: [en]
default_language: en
consent:
  version: 1
  text: {en: "A test. You may stop at any time."}
sections:
  - name: only
    questions:
      - {name: words, type: text, required: true, label: {en: In her words}}
"""


@pytest.fixture
def forms_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "forms"
    directory.mkdir()
    (directory / "proxied.yaml").write_text(FORM, encoding="utf-8")
    return directory


def proxy_headers(environ: dict) -> dict[str, str]:
    """The request's headers as nginx passes them on, with the forwarded ones it sets."""
    headers = {key[5:].replace("_", "-").title(): value
               for key, value in environ.items() if key.startswith("HTTP_")}
    headers = {key: value for key, value in headers.items() if key.lower() not in HOP_BY_HOP}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").title()] = environ[key]
    forwarded = [headers.pop("X-Forwarded-For", None), environ["REMOTE_ADDR"]]
    headers["X-Forwarded-For"] = ", ".join(part for part in forwarded if part)
    headers["X-Forwarded-Proto"] = "https"
    return headers


def forwarding_to(backend: str):
    """A WSGI app that sends each request on to ``backend`` and its answer back untouched."""
    target = urlsplit(backend)

    def forward(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else None
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        try:
            connection.request(environ["REQUEST_METHOD"], environ["REQUEST_URI"], body=body,
                               headers=proxy_headers(environ))
            answer = connection.getresponse()
            payload = answer.read()
        finally:
            connection.close()
        start_response(f"{answer.status} {answer.reason}",
                       [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP])
        return [payload]

    return forward


@contextmanager
def tls_proxy(backend: str) -> Iterator[str]:
    """HTTPS on a free loopback port (a throwaway certificate) in front of ``backend``."""
    server = make_server("127.0.0.1", 0, forwarding_to(backend), threaded=True,
                         ssl_context="adhoc")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@contextmanager
def chromium_trusting_the_proxy(tmp_path: Path) -> Iterator[object]:
    """Chromium as in tests/browser.py, accepting the proxy's throwaway certificate."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True,
            ignore_https_errors=True, viewport=TABLET,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--ignore-certificate-errors"],
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def https_base(app, database_url, forms_dir, interviewer) -> Iterator[str]:
    backend = make_app(database_url, FORMS_DIR=str(forms_dir), WTF_CSRF_ENABLED=True,
                       SESSION_COOKIE_SECURE=True, TRUSTED_PROXIES=1)
    with serve(backend) as plain, tls_proxy(plain) as base:
        yield base
    with backend.app_context():
        db.engine.dispose()


def log_in(page, base: str, next_path: str) -> None:
    response = page.goto(f"{base}/login?next={next_path}")
    assert response.headers.get("strict-transport-security") == HSTS
    page.fill("#username", "ina")
    page.fill("#password", PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("main form button[type=submit]")
    assert (posted.value.status, posted.value.headers.get("strict-transport-security")) == (302, HSTS)
    page.wait_for_url(base + next_path)


@pytest.mark.browser
@pytest.mark.slow
@SERVER_NOISE
def test_behind_a_tls_proxy_she_logs_in_posts_a_form_and_gets_hsts(https_base, tmp_path):
    with chromium_trusting_the_proxy(tmp_path) as context:
        page = context.new_page()
        log_in(page, https_base, "/pin")
        cookie = next(c for c in context.cookies() if c["name"] == "__Host-session")
        assert cookie["secure"] and cookie["httpOnly"]

        page.fill("input[name=pin]", "4817")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.click("main form button[type=submit]")
        assert posted.value.status == 302
        assert posted.value.headers.get("strict-transport-security") == HSTS
        page.wait_for_selector("text=Your PIN is set.")


@pytest.mark.browser
@pytest.mark.slow
@SERVER_NOISE
def test_behind_a_tls_proxy_the_tablet_syncs(https_base, tmp_path):
    with chromium_trusting_the_proxy(tmp_path) as context:
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, https_base, "/app")
        page.click("[data-form=proxied]")
        page.check("input[name=agree]")
        page.check("input[name=method][value=oral]")
        page.click("button[value=agree]")
        page.fill("input[name=words]", "synced through the proxy")
        with page.expect_response(lambda r: r.url.endswith("/api/v1/submissions")) as sent:
            page.click("button[value=next]")
        assert sent.value.status == 200
        page.wait_for_selector("#status-line[data-waiting='0']", timeout=30000)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 1


def test_forwarded_headers_are_ignored_unless_a_proxy_is_trusted(client):
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_a_trusted_proxy_s_https_gets_hsts(database_url, _schema):
    with running_app(database_url, TRUSTED_PROXIES=1) as app:
        response = app.test_client().get("/login", headers={
            "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert response.headers["Strict-Transport-Security"] == HSTS
    assert response.headers["Referrer-Policy"] == "same-origin"


def failed_login(client, username: str, forwarded_for: str) -> int:
    return client.post("/login", data={"username": username, "password": "wrong password"},
                       headers={"X-Forwarded-For": forwarded_for}).status_code


def test_behind_a_trusted_proxy_each_client_has_its_own_login_limit(database_url, _schema):
    with running_app(database_url, TRUSTED_PROXIES=1) as app:
        client = app.test_client()
        # The attacker varies what she puts in X-Forwarded-For; the proxy appends her address.
        for number in range(10):
            assert failed_login(client, f"user{number}", f"10.9.9.{number}, 203.0.113.7") == 200
        assert failed_login(client, "another", "10.9.9.99, 203.0.113.7") == 429
        assert failed_login(client, "another", "198.51.100.4") == 200
