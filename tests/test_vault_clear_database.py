"""Done when: a clear SQLite database from before the vault is refused at unlock with the
command that encrypts it, and that command leaves it encrypted with every row kept."""

from __future__ import annotations

import sqlite3

from sqlalchemy import text

from survey.db import db
from tests.test_vault_envelope import own_app

PASSPHRASE = "clear database passphrase"
CANARY = "canary-clear-7f3e-ทดสอบ"


def clear_instance(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    path = instance / "survey.sqlite3"
    with sqlite3.connect(path) as clear:
        clear.execute("PRAGMA journal_mode=WAL")
        clear.execute("CREATE TABLE old_answers (id INTEGER PRIMARY KEY, text TEXT)")
        clear.execute("INSERT INTO old_answers (text) VALUES (?)", (CANARY,))
        clear.execute("PRAGMA user_version = 7")
    app = own_app(instance, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", SECRET_KEY="x")
    app.extensions["vault"].create(PASSPHRASE)
    app.extensions["vault"].lock()
    return app, path


def test_unlock_refuses_a_clear_database_and_names_the_command(tmp_path):
    app, path = clear_instance(tmp_path)
    result = app.test_cli_runner().invoke(args=["unlock"], input=PASSPHRASE + "\n")
    assert result.exit_code == 1
    assert "is not encrypted" in result.output and "flask vault encrypt-database" in result.output


def test_encrypt_database_keeps_every_row_and_leaves_nothing_readable(tmp_path):
    app, path = clear_instance(tmp_path)
    result = app.test_cli_runner().invoke(args=["vault", "encrypt-database"], input=PASSPHRASE + "\n")
    assert result.exit_code == 0, result.output
    assert "is encrypted now" in result.output
    for each in path.parent.iterdir():
        assert CANARY.encode() not in each.read_bytes(), each
    assert not path.read_bytes().startswith(b"SQLite format 3")

    again = own_app(path.parent, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", SECRET_KEY="x")
    again.extensions["vault"].unlock(PASSPHRASE)
    with again.app_context():
        assert db.session.execute(text("SELECT text FROM old_answers")).scalar() == CANARY
        assert db.session.execute(text("PRAGMA user_version")).scalar() == 7
        db.session.remove()
        db.engine.dispose()
    result = again.test_cli_runner().invoke(args=["vault", "encrypt-database"], input=PASSPHRASE + "\n")
    assert result.exit_code == 1 and "encrypted already" in result.output
