"""The envelope: a passphrase and a recovery key open one DEK; the secrets are sealed under it;
nothing in the instance folder is a clear key."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from survey import create_app
from survey.sync import keys
from survey.sync.keys import create_key_file
from survey.vault.envelope import Cost
from survey.vault.errors import Locked, WrongPassphrase
from survey.vault.state import Vault

CHEAP = Cost(time_cost=1, memory_kib=1024)


def own_app(instance: Path, **config: object):
    """An app with a vault of its own in ``instance``, not unlocked by any file."""
    settings = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "VAULT_FILE": str(instance / "vault.json"),
                "VAULT_PASSPHRASE_FILE": None, "VAULT_KDF_TIME_COST": 1, "VAULT_KDF_MEMORY_KIB": 1024}
    return create_app(settings | config, instance_path=str(instance))


def test_passphrase_and_recovery_key_open_the_same_key(tmp_path):
    vault = Vault(tmp_path / "vault.json", CHEAP)
    recovery = vault.create("first passphrase")
    dek = vault.dek
    assert Vault(tmp_path / "vault.json", CHEAP).unlock("first passphrase") == dek
    assert Vault(tmp_path / "vault.json", CHEAP).unlock_with_recovery(recovery.lower()) == dek
    with pytest.raises(WrongPassphrase):
        Vault(tmp_path / "vault.json", CHEAP).unlock("first passphrase!")
    stored = (tmp_path / "vault.json").read_bytes()
    assert dek not in stored and dek.hex().encode() not in stored
    assert stat.S_IMODE(os.stat(tmp_path / "vault.json").st_mode) == 0o600


def test_a_new_passphrase_rewraps_the_same_key(tmp_path):
    vault = Vault(tmp_path / "vault.json", CHEAP)
    recovery = vault.create("old one")
    sealed = vault.secret("something", lambda: b"kept as it was")
    vault.change_passphrase("new one")
    again = Vault(tmp_path / "vault.json", CHEAP)
    with pytest.raises(WrongPassphrase):
        again.unlock("old one")
    assert again.unlock("new one") == vault.dek
    assert again.secret("something", lambda: b"not made again") == sealed
    assert Vault(tmp_path / "vault.json", CHEAP).unlock_with_recovery(recovery) == vault.dek


def test_a_locked_vault_gives_nothing(tmp_path):
    vault = Vault(tmp_path / "vault.json", CHEAP)
    vault.create("passphrase")
    vault.memory["opened"] = "something"
    vault.lock()
    assert vault.memory == {}
    with pytest.raises(Locked):
        vault.secret("anything", lambda: b"")


def test_the_secret_key_is_sealed_and_a_clear_one_is_taken_in(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("an old clear key")
    app = own_app(tmp_path)
    assert app.config["SECRET_KEY"] != "an old clear key", "locked: a throwaway key"
    app.extensions["vault"].create("passphrase")
    assert app.config["SECRET_KEY"] == "an old clear key"
    assert not (tmp_path / "secret_key").exists()
    assert b"an old clear key" not in (tmp_path / "vault.json").read_bytes()

    restarted = own_app(tmp_path)
    restarted.extensions["vault"].unlock("passphrase")
    assert restarted.config["SECRET_KEY"] == "an old clear key"


def test_the_sync_key_is_sealed_and_a_clear_one_is_taken_in(tmp_path):
    create_key_file(tmp_path / keys.KEY_FILE)
    clear = (tmp_path / keys.KEY_FILE).read_bytes()
    app = own_app(tmp_path, SECRET_KEY="x")
    app.extensions["vault"].create("passphrase")
    with app.app_context():
        kid = keys.current().kid
    assert not (tmp_path / keys.KEY_FILE).exists()
    assert not (tmp_path / keys.EC_KEY_FILE).exists(), "the new EC key is made sealed"
    every_file = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert clear not in every_file and b"PRIVATE KEY" not in every_file

    restarted = own_app(tmp_path, SECRET_KEY="x")
    restarted.extensions["vault"].unlock("passphrase")
    with restarted.app_context():
        assert keys.current().kid == kid
    restarted.extensions["vault"].lock()
    with restarted.app_context(), pytest.raises(Locked):
        keys.current()


def test_the_passphrase_is_changed_from_the_recovery_key(tmp_path):
    app = own_app(tmp_path, SECRET_KEY="x")
    recovery = app.extensions["vault"].create("forgotten passphrase")
    dek = app.extensions["vault"].dek
    restarted = own_app(tmp_path, SECRET_KEY="x")
    short = restarted.test_cli_runner().invoke(args=["change-passphrase", "--recovery"], input=f"{recovery}\nshort\nshort\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    result = own_app(tmp_path, SECRET_KEY="x").test_cli_runner().invoke(
        args=["change-passphrase", "--recovery"],
                           input=f"{recovery}\na new long passphrase\na new long passphrase\n")
    assert result.exit_code == 0, result.output
    assert Vault(tmp_path / "vault.json", CHEAP).unlock("a new long passphrase") == dek
    with pytest.raises(WrongPassphrase):
        Vault(tmp_path / "vault.json", CHEAP).unlock("forgotten passphrase")


def test_a_wrong_recovery_key_is_a_clear_message(tmp_path):
    app = own_app(tmp_path, SECRET_KEY="x")
    app.extensions["vault"].create("passphrase")
    result = own_app(tmp_path, SECRET_KEY="x").test_cli_runner().invoke(
        args=["unlock", "--recovery"], input="AAAA-BBBB\n")
    assert result.exit_code == 1 and "does not open this vault" in result.output
    assert "Traceback" not in result.output
