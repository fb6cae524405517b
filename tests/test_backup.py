"""Done when: a backup holds none of the words stored (UTF-8 or UTF-16), opens with the
passphrase only, and restored into a new instance folder and an empty database gives back
every row exactly; a changed file, a wrong passphrase or a target with data restores nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from survey.db import db
from tests.conftest import PROJECT
from tests.test_vault_canary import PASSPHRASE, assert_exact, hits, postgres_database, stop, store_canaries
from tests.test_vault_envelope import own_app

__all__ = ["postgres_database"]


def instance_app(folder: Path, database: str | None, **config: object):
    forms = folder / "forms"
    forms.mkdir(parents=True, exist_ok=True)
    uri = database or f"sqlite:///{folder / 'instance' / 'survey.sqlite3'}"
    settings = {"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": None, "TESTING": True,
                "WTF_CSRF_ENABLED": False, "FORMS_DIR": str(forms)}
    return own_app(folder / "instance", **(settings | config))


def every_row(app) -> dict[str, list[str]]:
    """Every table's rows as the unlocked server reads them (sealed columns opened)."""
    with app.app_context():
        rows = {table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
                for table in db.metadata.sorted_tables}
        db.session.remove()
        db.engine.dispose()
    return rows


def source_with_backup(tmp_path: Path, database: str | None) -> tuple[dict[str, list[str]], Path]:
    shutil.copytree(PROJECT / "forms", tmp_path / "old" / "forms")
    source = instance_app(tmp_path / "old", database)
    source.extensions["vault"].create(PASSPHRASE)
    store_canaries(source)
    rows = every_row(source)
    backup = tmp_path / "survey.backup"
    result = source.test_cli_runner().invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    stop(source)
    return rows, backup


def restore(tmp_path: Path, backup: Path, database: str | None, passphrase: str = PASSPHRASE,
            *args: str):
    (tmp_path / "passphrase").write_text(passphrase)
    target = instance_app(tmp_path / "new", database, VAULT_PASSPHRASE_FILE=str(tmp_path / "passphrase"))
    result = target.test_cli_runner().invoke(args=["restore", str(backup), *args])
    with target.app_context():
        db.engine.dispose()
    return result


def restored(tmp_path: Path, database: str | None):
    app = instance_app(tmp_path / "new", database)
    app.extensions["vault"].unlock(PASSPHRASE)
    return app


def check_round_trip(tmp_path: Path, database: str | None, target: str | None) -> None:
    rows, backup = source_with_backup(tmp_path, database)
    assert sum(len(each) for each in rows.values()) > 20
    assert hits(backup.read_bytes()) == []

    result = restore(tmp_path, backup, target)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "instance" / "vault.json").exists()
    assert sorted(p.name for p in (tmp_path / "new" / "forms").iterdir()) == \
        sorted(p.name for p in (tmp_path / "old" / "forms").iterdir())
    app = restored(tmp_path, target)
    assert every_row(app) == rows
    assert_exact(app)


def test_a_sqlite_backup_is_sealed_and_restores_every_row(tmp_path):
    check_round_trip(tmp_path, None, None)


def test_a_postgresql_backup_is_sealed_and_restores_every_row(tmp_path, postgres_database):
    from tests.conftest import fresh_postgres_database, postgres_url
    with fresh_postgres_database(postgres_url()) as target:
        check_round_trip(tmp_path, postgres_database, target)


def nothing_restored(tmp_path: Path) -> None:
    instance = tmp_path / "new" / "instance"
    old_vault = (tmp_path / "old" / "instance" / "vault.json").read_text()
    assert not (instance / "vault.json").exists() or (instance / "vault.json").read_text() != old_vault
    assert (instance / "survey.sqlite3").stat().st_size == 0
    assert list((tmp_path / "new" / "forms").iterdir()) == []


def test_a_wrong_passphrase_restores_nothing(tmp_path):
    _rows, backup = source_with_backup(tmp_path, None)
    result = restore(tmp_path, backup, None, "not the passphrase")
    assert result.exit_code == 1
    assert "nothing restored: the passphrase does not open this vault" in result.output
    nothing_restored(tmp_path)


def test_a_changed_or_cut_backup_restores_nothing(tmp_path):
    _rows, backup = source_with_backup(tmp_path, None)
    data = bytearray(backup.read_bytes())
    for damaged in (data[:-1], data[:len(data) // 2], data[:-30] + bytes([data[-30] ^ 1]) + data[-29:]):
        backup.write_bytes(bytes(damaged))
        result = restore(tmp_path, backup, None)
        assert result.exit_code == 1
        assert "damaged" in result.output or "cut off" in result.output, result.output
        nothing_restored(tmp_path)


def test_a_target_with_data_is_replaced_only_when_asked(tmp_path):
    rows, backup = source_with_backup(tmp_path, None)
    other = instance_app(tmp_path / "new", None)
    other.extensions["vault"].create("another passphrase")
    with other.app_context():
        db.create_all()
        db.engine.dispose()
    other.extensions["vault"].lock()

    result = restore(tmp_path, backup, None)
    assert result.exit_code == 1
    assert "the database here is not empty" in result.output and "--replace" in result.output
    result = restore(tmp_path, backup, None, PASSPHRASE, "--replace")
    assert result.exit_code == 0, result.output
    assert every_row(restored(tmp_path, None)) == rows


def test_a_postgresql_target_with_rows_is_refused(tmp_path, postgres_database):
    _rows, backup = source_with_backup(tmp_path, postgres_database)
    result = restore(tmp_path, backup, postgres_database)
    assert result.exit_code == 1
    assert "the database here is not empty" in result.output
    assert (tmp_path / "new" / "instance" / "vault.json").read_text() != \
        (tmp_path / "old" / "instance" / "vault.json").read_text()


def test_a_backup_file_is_never_overwritten(tmp_path):
    _rows, backup = source_with_backup(tmp_path, None)
    again = instance_app(tmp_path / "old", None)
    again.extensions["vault"].unlock(PASSPHRASE)
    result = again.test_cli_runner().invoke(args=["backup", str(backup)])
    assert result.exit_code == 1 and "exists already" in result.output
