"""A locked server: only the unlock page and the health check answer; tablets are told to come
back; one unlock (or one panic) reaches every gunicorn worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from survey.accounts.models import Role
from survey.sync import keys
from survey.vault.envelope import Cost
from survey.vault.state import Vault
from tests.conftest import PASSWORD, log_in_as
from tests.test_vault_envelope import own_app

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def locked(tmp_path):
    app = own_app(tmp_path, SECRET_KEY=None, WTF_CSRF_ENABLED=False, TESTING=True)
    Vault(tmp_path / "vault.json", Cost(1, 1024)).create("the passphrase")
    return app


def test_a_locked_server_serves_only_the_unlock_page(locked):
    client = locked.test_client()
    assert client.get("/health").json == {"status": "locked"}
    for path in ("/", "/results/", "/submissions/", "/people/", "/app"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/vault/unlock"), path
    assert "The server is locked" in client.get("/vault/unlock").text
    assert client.post("/login", data={"username": "a", "password": "b"}).status_code == 503


def test_a_tablet_is_told_to_send_again_later(locked):
    response = locked.test_client().post("/api/v1/submissions", json={"records": []})
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.json["error"]["code"] == "locked"


def test_the_passphrase_unlocks_and_a_wrong_one_does_not(locked):
    client = locked.test_client()
    wrong = client.post("/vault/unlock", data={"passphrase": "guess"})
    assert wrong.status_code == 403 and "does not open" in wrong.text
    assert client.get("/health").json == {"status": "locked"}
    assert client.post("/vault/unlock", data={"passphrase": "the passphrase"}).status_code == 302
    assert client.get("/health").json == {"status": "unlocked", "database": "ok"}


def test_a_lead_locks_the_server_at_once(app, client, organisation):
    log_in_as(client, "lena", Role.LEAD, organisation.id)
    vault = app.extensions["vault"]
    secret_key = app.config["SECRET_KEY"]
    assert client.post("/vault/lock", data={"confirm": "yes"}).status_code == 200, "only the button locks"
    assert vault.unlocked
    assert client.post("/vault/lock", data={"lock": "now"}).status_code == 302
    assert not vault.unlocked and vault.memory == {}
    assert client.get("/health").json == {"status": "locked"}
    assert client.get("/submissions/").location.endswith("/vault/unlock")
    vault.unlock_with_key(vault_key(app))  # as the next test expects it
    assert app.config["SECRET_KEY"] == secret_key


def test_an_interviewer_cannot_lock_it(logged_in, app):
    assert logged_in.post("/vault/lock", data={"lock": "now"}).status_code == 403
    assert app.extensions["vault"].unlocked


def vault_key(app) -> bytes:
    return Vault(Path(app.config["VAULT_FILE"]), Cost(1, 1024)).unlock(
        Path(app.config["VAULT_PASSPHRASE_FILE"]).read_text())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def health(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
        return response.read().decode()


@pytest.fixture
def gunicorn(tmp_path):
    """The Procfile's server, two workers, on a vault of its own; the environment for the CLI."""
    Vault(tmp_path / "vault.json", Cost(1, 1024)).create("the passphrase")
    env = {key: value for key, value in os.environ.items() if not key.startswith("VAULT_")}
    env |= {"VAULT_FILE": str(tmp_path / "vault.json"), "VAULT_SOCKET_DIR": str(tmp_path / "run"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "FLASK_APP": "survey",
            "VAULT_KDF_TIME_COST": "1", "VAULT_KDF_MEMORY_KIB": "1024"}
    env.pop("SECRET_KEY", None)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind",
                               f"127.0.0.1:{port}", "survey:create_app()"], cwd=PROJECT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while len(list((tmp_path / "run").glob("*.sock"))) < 2:
            assert server.poll() is None, "gunicorn stopped"
            time.sleep(0.1)
        yield port, env
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def flask(env: dict[str, str], *args: str, stdin: str = "") -> str:
    result = subprocess.run([sys.executable, "-m", "flask", *args], cwd=PROJECT, env=env,
                            input=stdin, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_one_unlock_and_one_panic_reach_every_worker(gunicorn):
    port, env = gunicorn
    assert all('"locked"' in health(port) for _ in range(6))
    assert "Unlocked 2 running worker(s)." in flask(env, "unlock", "--passphrase-fd", "0",
                                                   stdin="the passphrase\n")
    assert all('"unlocked"' in health(port) for _ in range(6))
    assert "Locked 2 running worker(s)." in flask(env, "lock")
    assert all('"locked"' in health(port) for _ in range(6))
    every_file = b"".join(p.read_bytes() for p in Path(env["VAULT_FILE"]).parent.rglob("*")
                          if p.is_file())
    assert b"PRIVATE KEY" not in every_file
