"""What a backup holds and how it comes back: a manifest, the database (on SQLite a consistent
copy of the SQLCipher file made with SQLite's backup API while the server runs; on PostgreSQL
each table's rows as ``COPY`` text, parts of at most ``PART`` bytes, read inside one snapshot),
the form files, and the vault file (in the sealed file's header). Nothing is restored into a
target that holds data unless it is replaced, and nothing is written before the whole file
has been opened and found intact."""

from __future__ import annotations

import io
import itertools
import json
import os
import secrets
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import flask_migrate
import sqlcipher3.dbapi2
from flask import Flask
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection

from ..db import MIGRATIONS_DIR, database_key, db, owner_only, sqlite_file
from ..vault import envelope
from ..vault.state import Vault
from . import sealed_file
from .sealed_file import BackupError

MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PART = 8 << 20
OWNED_SEQUENCES = text(
    "SELECT s.relname, t.relname, a.attname FROM pg_class s"
    " JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')"
    " JOIN pg_class t ON t.oid = d.refobjid"
    " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
    " WHERE s.relkind = 'S'")


@dataclass(frozen=True)
class Summary:
    database: str
    tables: int
    forms: int


def write_backup(app: Flask, vault: Vault, out: BinaryIO) -> Summary:
    """Seal the database, the forms and the vault file into ``out``."""
    writer = sealed_file.Writer(out, Path(app.config["VAULT_FILE"]).read_text(), vault.dek)
    forms = _form_files(app)
    sqlite = sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"]) is not None
    with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as archive:
        if sqlite:
            _add(archive, MANIFEST, json.dumps({"database": "sqlite"}).encode())
            _add_forms(archive, forms)
            _add_sqlite_copy(app, vault, archive)
            tables = 1
        else:
            tables = _add_postgresql(archive, forms)
    writer.close()
    return Summary("sqlite" if sqlite else "postgresql", tables, len(forms))


def _add_forms(archive: tarfile.TarFile, forms: dict[str, Path]) -> None:
    for name, path in sorted(forms.items()):
        _add(archive, f"forms/{name}", path.read_bytes())


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    member = tarfile.TarInfo(name)
    member.size = len(data)
    member.mode = 0o600
    archive.addfile(member, io.BytesIO(data))


def _form_files(app: Flask) -> dict[str, Path]:
    folder = Path(app.config["FORMS_DIR"])
    if not folder.is_dir():
        return {}
    return {str(path.relative_to(folder)): path for path in folder.rglob("*") if path.is_file()}


def _add_sqlite_copy(app: Flask, vault: Vault, archive: tarfile.TarFile) -> None:
    """A consistent copy while the server writes: SQLite's backup API, into a file keyed like
    the database (so the copy on disk is as encrypted as the database), removed afterwards."""
    source_path = sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    assert source_path is not None
    copy_path = source_path.with_name(f".backup-{secrets.token_hex(8)}.sqlite3")
    try:
        raw = db.engine.raw_connection()
        try:
            target = _keyed_connection(copy_path, vault.dek)
            raw.driver_connection.backup(target)
            target.close()
        finally:
            raw.close()
        with copy_path.open("rb") as copy:
            member = tarfile.TarInfo(SQLITE_MEMBER)
            member.size = copy_path.stat().st_size
            member.mode = 0o600
            archive.addfile(member, copy)
    finally:
        copy_path.unlink(missing_ok=True)


def _keyed_connection(path: Path, dek: bytes) -> Any:
    owner_only(path)
    connection = sqlcipher3.dbapi2.connect(str(path))
    connection.execute(f"PRAGMA key = \"x'{database_key(dek).hex()}'\"")
    return connection


def _add_postgresql(archive: tarfile.TarFile, forms: dict[str, Path]) -> int:
    """Every table's rows in one REPEATABLE READ snapshot, as ``COPY`` text (what pg_dump
    writes too); sealed columns stay sealed, as they are in the database."""
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            revision = _revision(connection)
            metadata = MetaData()
            metadata.reflect(connection)
            tables = [table.name for table in metadata.sorted_tables if table.name != "alembic_version"]
            manifest = {"database": "postgresql", "revision": revision, "tables": tables}
            _add(archive, MANIFEST, json.dumps(manifest).encode())
            _add_forms(archive, forms)
            cursor = connection.connection.dbapi_connection.cursor()
            for table in tables:
                for number, part in enumerate(_copy_parts(cursor, table)):
                    _add(archive, f"tables/{table}/{number:06d}.copy", part)
    return len(tables)


def _copy_parts(cursor: Any, table: str) -> Iterator[bytes]:
    """The table's rows in parts that end at a row's end (the server sends one row a message)."""
    part = bytearray()
    with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
        for row in copy:
            part += row
            if len(part) >= PART:
                yield bytes(part)
                part.clear()
    if part:
        yield bytes(part)


def _revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def open_dek(path: Path, passphrase: str | None, recovery: str | None) -> bytes:
    """The data key that opens the backup, from its own vault file (``WrongPassphrase``)."""
    with path.open("rb") as source:
        header, _bound = sealed_file.read_header(source)
    if recovery is not None:
        return envelope.open_with_recovery(header.envelope, recovery)
    return envelope.open_with_passphrase(header.envelope, passphrase or "")


def restore(app: Flask, path: Path, dek: bytes, replace: bool) -> Summary:
    """Check the whole file, then the target, then write: the database, the forms, the vault."""
    with path.open("rb") as source:
        sealed_file.verify(source, dek)
    with path.open("rb") as source:
        header, _bound = sealed_file.read_header(source)
        source.seek(0)
        with tarfile.open(fileobj=sealed_file.Reader(source, dek), mode="r|") as archive:
            members = iter(archive)
            manifest = json.loads(_read(archive, next(members, None), MANIFEST))
            forms, first = _read_forms(archive, members)
            _check_target(app, manifest, header.vault_file, forms, replace)
            if manifest["database"] == "sqlite":
                _restore_sqlite(app, archive, first)
            else:
                _restore_postgresql(manifest, archive, first, members)
    _write_forms(app, forms)
    _write_vault(app, header.vault_file)
    return Summary(manifest["database"], len(manifest.get("tables", [SQLITE_MEMBER])), len(forms))


def _read_forms(archive: tarfile.TarFile, members: Iterator[tarfile.TarInfo]
                ) -> tuple[dict[str, bytes], tarfile.TarInfo | None]:
    """The form files (they come first, and are small), and the member after them."""
    forms: dict[str, bytes] = {}
    for member in members:
        if not member.name.startswith("forms/"):
            return forms, member
        forms[member.name.removeprefix("forms/")] = _read(archive, member, member.name)
    return forms, None


def _read(archive: tarfile.TarFile, member: tarfile.TarInfo | None, name: str) -> bytes:
    if member is None or not member.isfile() or (name != member.name):
        raise BackupError(f"the backup has no {name} where it should be")
    extracted = archive.extractfile(member)
    assert extracted is not None
    return extracted.read()


def _check_target(app: Flask, manifest: dict[str, Any], vault_file: str, forms: dict[str, bytes],
                  replace: bool) -> None:
    """The same kind of database, empty, and no form file that differs. A vault file here with
    an empty database (one an unattended host made at its first start) opens nothing yet: it is
    replaced by the backup's."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    kind = "sqlite" if sqlite_file(uri) is not None else "postgresql"
    if manifest.get("database") != kind:
        raise BackupError(f"this backup is of a {manifest.get('database')} database; "
                          f"DATABASE_URL here is {kind}")
    folder = Path(app.config["FORMS_DIR"]).resolve()
    outside = [name for name in forms if folder not in (folder / name).resolve().parents]
    if outside:
        raise BackupError(f"the backup names a form file outside the forms folder: {outside[0]}")
    if replace:
        return
    if _database_has_data(uri):
        raise BackupError("the database here is not empty: restore into an empty one, "
                          "or add --replace to replace what it holds (and the vault file)")
    differing = [name for name, data in sorted(forms.items())
                 if (folder / name).exists() and (folder / name).read_bytes() != data]
    if differing:
        raise BackupError(f"form files here differ from the backup's ({', '.join(differing[:3])}): "
                          "add --replace to overwrite them")


def _database_has_data(uri: str) -> bool:
    path = sqlite_file(uri)
    if path is not None:
        return path.exists() and path.stat().st_size > 0
    with db.engine.connect() as connection:
        names = [name for name in inspect(connection).get_table_names() if name != "alembic_version"]
        return any(connection.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{name}")')).scalar()
                   for name in names)


def _restore_sqlite(app: Flask, archive: tarfile.TarFile, member: tarfile.TarInfo | None) -> None:
    """The SQLCipher file in place whole: written beside the target, then renamed over it."""
    path = sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    assert path is not None
    db.engine.dispose()
    data = _read(archive, member, SQLITE_MEMBER)
    temporary = path.with_name(f".restore-{secrets.token_hex(8)}.sqlite3")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    os.replace(temporary, path)


def _restore_postgresql(manifest: dict[str, Any], archive: tarfile.TarFile,
                        first: tarfile.TarInfo | None, members: Iterator[tarfile.TarInfo]) -> None:
    """The tables made as the backup's revision had them, then every row in one transaction."""
    _empty_schema()
    if manifest.get("revision"):
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR), revision=manifest["revision"])
    else:
        db.create_all()
    with db.engine.begin() as connection:
        cursor = connection.connection.dbapi_connection.cursor()
        for member in itertools.chain([first] if first is not None else [], members):
            table = member.name.split("/")[1] if member.name.startswith("tables/") else None
            if table not in manifest["tables"]:
                raise BackupError(f"the backup holds what it did not list: {member.name}")
            with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write(_read(archive, member, member.name))
        for sequence, table, column in connection.execute(OWNED_SEQUENCES).all():
            connection.execute(text(f'SELECT setval(\'"{sequence}"\', COALESCE(MAX("{column}"), 0) + 1, false)'
                                    f' FROM "{table}"'))


def _empty_schema() -> None:
    """Drop the tables there are (all empty unless ``replace``), so the backup's schema is made."""
    with db.engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        metadata.drop_all(connection)


def _write_forms(app: Flask, forms: dict[str, bytes]) -> None:
    folder = Path(app.config["FORMS_DIR"])
    for name, data in forms.items():
        target = folder / name
        if target.exists() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _write_vault(app: Flask, vault_file: str) -> None:
    path = Path(app.config["VAULT_FILE"])
    if not (path.exists() and path.read_text() == vault_file):
        envelope.write(path, envelope.Envelope.from_json(vault_file))
