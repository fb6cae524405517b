"""Done when: words stored by a running server are found in none of its files once it is
stopped (SQLite: every file under instance/; PostgreSQL: the tables' own files), and are exact
again after the unlock."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, text

from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.collect.models import Answer, Note, Submission
from survey.db import db
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from tests.conftest import IN_CI, PASSWORD, fresh_postgres_database, postgres_url
from tests.test_collect import FULL_INTERVIEW
from tests.test_consent import interview
from tests.test_vault_envelope import own_app

PASSPHRASE = "canary passphrase"
FREE_TEXT = "canary-free-5c1d-ကချင်-ทดสอบ"
NOTE = "canary-note-93be-she asked not to be named"
ZAWGYI = "ကၽြန္ေတာ္ ရန္ကုန္ၿမိဳ႕မွာ ေနပါတယ္။ canary-zg-41aa"
CANARIES = (FREE_TEXT, NOTE, ZAWGYI, "canary-zg-41aa")


def store_canaries(app) -> None:
    """A whole web interview with the canaries in free text, a note and Zawgyi."""
    with app.app_context():
        db.create_all()
        org = create_organisation("EMP", "Empower test")
        assign_unassigned_forms(org)
        create_user("ina", PASSWORD, Role.INTERVIEWER, organisation_id=org.id)
    client = app.test_client()
    assert client.post("/login", data={"username": "ina", "password": PASSWORD}).status_code == 302
    pages = [dict(p) for p in FULL_INTERVIEW]
    pages[9] = {"government_change": FREE_TEXT, "what_helps": ZAWGYI,
                "note.government_change": NOTE, "note.government_change.language": "en"}
    assert interview(client, pages=pages).status_code == 302


def hits(data: bytes) -> list[str]:
    return [f"{canary} ({encoding})" for canary in CANARIES for encoding in ("utf-8", "utf-16-le")
            if canary.encode(encoding) in data]


def assert_exact(app) -> None:
    with app.app_context():
        texts = dict(db.session.execute(select(Answer.question, Answer.text)).all())
        assert texts["government_change"] == FREE_TEXT
        assert db.session.scalar(select(Answer.original_text).where(
            Answer.question == "what_helps")) == ZAWGYI
        assert db.session.scalar(select(Note.body)) == NOTE
        assert FREE_TEXT in db.session.scalar(select(Submission.answers_json))
        db.session.remove()
        db.engine.dispose()


def stop(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    app.extensions["vault"].lock()


def test_a_stopped_sqlite_server_gives_nothing_away(tmp_path):
    instance = tmp_path / "instance"
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'survey.sqlite3'}",
              "SECRET_KEY": None, "TESTING": True, "WTF_CSRF_ENABLED": False}
    app = own_app(instance, **config)
    app.extensions["vault"].create(PASSPHRASE)
    store_canaries(app)
    files = [p for p in instance.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"survey.sqlite3", "survey.sqlite3-wal", "vault.json"}
    assert [p.name for p in files if stat.S_IMODE(os.stat(p).st_mode) & 0o077] == [], "owner-only"
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
    stop(app)

    for path in instance.rglob("*"):
        if path.is_file():
            assert hits(path.read_bytes()) == [], path
    restarted = own_app(instance, **config)
    restarted.extensions["vault"].unlock(PASSPHRASE)
    assert_exact(restarted)


@pytest.fixture
def postgres_database():
    url = postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL server")
    with fresh_postgres_database(url) as database:
        yield database


def relation_files(app) -> list[Path]:
    """The files of the tables that hold answers and notes, and of their TOAST tables."""
    with app.app_context(), db.engine.connect() as connection:
        connection.exec_driver_sql("CHECKPOINT")
        data_directory = Path(connection.exec_driver_sql("SHOW data_directory").scalar())
        relations = connection.execute(text(
            "SELECT pg_relation_filepath(oid) FROM pg_class WHERE oid IN ("
            " SELECT oid FROM pg_class WHERE relname IN ('answers', 'notes', 'submissions')"
            " UNION SELECT reltoastrelid FROM pg_class"
            "  WHERE relname IN ('answers', 'notes', 'submissions') AND reltoastrelid <> 0)")).scalars()
        files = [data_directory / relation for relation in relations]
    return [segment for each in files for segment in [each, *each.parent.glob(each.name + ".*")]]


def test_the_postgresql_table_files_hold_no_free_text_or_note(tmp_path, postgres_database):
    config = {"SQLALCHEMY_DATABASE_URI": postgres_database, "SECRET_KEY": None, "TESTING": True,
              "WTF_CSRF_ENABLED": False}
    app = own_app(tmp_path, **config)
    app.extensions["vault"].create(PASSPHRASE)
    store_canaries(app)
    files = relation_files(app)
    if not all(os.access(path, os.R_OK) for path in files):
        if IN_CI:
            pytest.fail("CI runs as root beside the cluster: its table files must be readable")
        pytest.skip("the cluster's files are not readable by this user (not on this machine?)")
    stop(app)

    assert len(files) >= 3
    assert [f"{path}: {hits(path.read_bytes())}" for path in files if hits(path.read_bytes())] == []
    restarted = own_app(tmp_path, **config)
    restarted.extensions["vault"].unlock(PASSPHRASE)
    assert_exact(restarted)
