"""The offline app's server side: shell page, service worker and manifest."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def test_the_shell_is_the_same_for_everyone_and_needs_no_inline_code(client, logged_in):
    anonymous = client.application.test_client().get("/app")
    page = logged_in.get("/app").text
    assert anonymous.status_code == 200
    assert anonymous.text == page  # no account, no token: safe to keep in the cache
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert [attributes for attributes, body in scripts if body.strip()] == [' type="application/json" id="messages"']
    assert " style=" not in page and not re.search(r"\son[a-z]+=", page)
    messages = json.loads(scripts[0][1])
    assert messages["language"] == "en" and messages["text"]["sync_now"] == "Sync now"


def test_the_shell_speaks_the_interface_language(client):
    messages = re.search(r'id="messages">(.*?)</script>', client.get("/app?ui=th").text).group(1)
    assert json.loads(messages)["language"] == "th"


def test_the_service_worker_may_control_the_app_and_is_always_checked(client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] in ("no-cache", "no-store")


def version_of(client) -> str:
    return re.search(r'const VERSION = "(\w+)"', client.get("/sw.js").text).group(1)


def test_the_service_worker_caches_files_that_exist(client):
    assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", client.get("/sw.js").text).group(1))
    for url in assets:
        with client.get(url) as response:
            assert response.status_code == 200, url
    assert "/static/offline-build/app.min.js" in assets and any(url.endswith(".woff2") for url in assets)
    assert not [url for url in assets if url.startswith("/static/offline/") and url.endswith(".js")], \
        "tablets download the one bundle, not the modules"


def test_a_changed_file_changes_the_cache_version(client, app, tmp_path):
    app.static_folder = str(shutil.copytree(app.static_folder, tmp_path / "static"))
    app.extensions.pop("offline_version", None)
    before = version_of(client)
    (tmp_path / "static" / "offline" / "app.css").write_text("/* changed */")
    app.extensions.pop("offline_version")
    assert version_of(client) != before


def test_the_manifest_makes_the_app_installable(client):
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    assert manifest["start_url"] == "/app" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as response:
            assert response.status_code == 200


def test_the_tablet_bundle_is_built_from_the_current_sources():
    """Edit a module in survey/static/offline/, then run scripts/build-offline-js."""
    result = subprocess.run([sys.executable, str(PROJECT / "scripts" / "build-offline-js"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
