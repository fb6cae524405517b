from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from survey import create_app
from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.audit import append_only
from survey.db import db
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from survey.sync.keys import create_key_file

PROJECT = Path(__file__).resolve().parent.parent
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
IN_CI = os.environ.get("CI") == "true"
PASSWORD = "correct horse battery"
# One folder for the run, which the run's subprocesses (servers started by tests) inherit.
TEST_DIR = Path(os.environ.setdefault(
    "SURVEY_TEST_DIR", str(Path(tempfile.gettempdir()) / f"survey-tests-{os.getpid()}")))
SYNC_KEY = TEST_DIR / "sync_key.pem"
# Every app of the run (subprocesses too) unlocks one test vault by itself, cheaply.
TEST_PASSPHRASE = "test passphrase, never typed"
SYNC_KEY.parent.mkdir(parents=True, exist_ok=True)
(SYNC_KEY.parent / "passphrase").write_text(TEST_PASSPHRASE)
os.environ.update(VAULT_FILE=str(SYNC_KEY.parent / "vault.json"),
                  VAULT_PASSPHRASE_FILE=str(SYNC_KEY.parent / "passphrase"),
                  VAULT_KDF_TIME_COST="1", VAULT_KDF_MEMORY_KIB="1024")


def normalise_url(url: str) -> str:
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database for the run: SQLite, or with TEST_DATABASE_URL a fresh PostgreSQL
    database made on that server for this run only (so runs never share tables)."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    with fresh_postgres_database(normalise_url(TEST_DATABASE_URL)) as url:
        yield url


@contextmanager
def fresh_postgres_database(server: str) -> Iterator[str]:
    """An empty database made on ``server`` for this run, dropped afterwards."""
    name = f"{make_url(server).database}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _schema(database_url: str) -> None:
    """Create the tables once per run, from the models."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        db.engine.dispose()


def make_app(database_url: str, **config: object) -> Flask:
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "FORMS_DIR": str(PROJECT / "forms"),
        "SECRET_KEY": "test",
        "SYNC_PRIVATE_KEY_FILE": str(SYNC_KEY),
    }
    settings.update(config)
    return create_app(settings)


@contextmanager
def running_app(database_url: str, **config: object) -> Iterator[Flask]:
    """A second app on the test database, its connections closed afterwards."""
    app = make_app(database_url, **config)
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def forms_dir() -> Path:
    """The forms the app loads; a test module can override this fixture."""
    return PROJECT / "forms"


@pytest.fixture
def app(database_url: str, _schema: None, forms_dir: Path) -> Iterator[Flask]:
    app = make_app(database_url, FORMS_DIR=str(forms_dir))
    with app.app_context():
        yield app
        db.session.rollback()
        empty_tables()
        db.session.remove()
        db.engine.dispose()


def empty_tables() -> None:
    """Delete every row, the append-only audit log included (tests only)."""
    connection = db.session.connection()
    append_only.remove(connection)
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    append_only.install(connection)
    db.session.commit()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def organisation(app: Flask):
    """The organisation of the test users; it runs every loaded survey."""
    org = create_organisation("EMP", "Empower test")
    assign_unassigned_forms(org)
    return org


@pytest.fixture
def interviewer(app: Flask, organisation):
    return create_user("ina", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)


@pytest.fixture
def logged_in(client: FlaskClient, interviewer) -> FlaskClient:
    response = client.post("/login", data={"username": "ina", "password": PASSWORD})
    assert response.status_code == 302
    return client


def postgres_url() -> str | None:
    """A reachable PostgreSQL server for tests that need one, or None."""
    url = normalise_url(TEST_DATABASE_URL or "postgresql://postgres@127.0.0.1:5432/test")
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return None
    return url


@pytest.fixture(scope="session", autouse=True)
def _sync_key() -> Iterator[None]:
    """One server key for the run, outside the project's instance folder."""
    create_key_file(SYNC_KEY)
    yield
    shutil.rmtree(SYNC_KEY.parent, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogs() -> None:
    """Tests read the .mo files, which are built, never committed."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    result = app.test_cli_runner().invoke(args=["i18n", "compile"])
    assert result.exit_code == 0, result.output


def a_consent(form, language: str = "en", **changes: object):
    """Consent as an interviewer records it orally, for tests that store directly."""
    from survey.consent.models import ConsentMethod
    from survey.consent.records import GivenConsent
    from survey.timeutil import utcnow

    values = {"version": form.consent.version, "language": language,
              "method": ConsentMethod.ORAL, "given_at": utcnow(),
              "optional": {o.name: False for o in form.consent.optional}}
    values.update(changes)
    return GivenConsent(**values)


def log_in_as(client: FlaskClient, name: str, role: Role, organisation_id: int | None) -> None:
    """Create a user and make ``client`` that user (logging out whoever was in)."""
    create_user(name, PASSWORD, role, organisation_id=organisation_id)
    client.post("/logout")
    response = client.post("/login", data={"username": name, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def form(app):
    """The example survey, forms/priorities.yaml."""
    from survey.forms import catalog

    return catalog.get_form("priorities")


@pytest.fixture
def lead(client, organisation, form):
    """A lead of the organisation, logged in, with twenty of its submissions stored."""
    from tests.test_results import twenty

    twenty(form, organisation.id)
    log_in_as(client, "lena", Role.LEAD, organisation.id)
    return client


@pytest.fixture
def exact_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Published counts equal to the true ones: for tests of counting and tabulating, not of noise."""
    from survey.results import perturbation
    monkeypatch.setattr(perturbation, "_row", lambda count: ((count, perturbation.RANGE),))
