"""The app as `make run` starts it: instance folder, secret key, error pages."""

from __future__ import annotations

import os
import stat

from survey import create_app
from survey.db import db


def test_a_fresh_instance_gets_its_own_secret_key_sealed_in_the_vault(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    instance = tmp_path / "instance"
    app = create_app(instance_path=str(instance))
    assert len(app.config["SECRET_KEY"]) == 64
    assert not (instance / "secret_key").exists(), "never written in the clear"
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'survey.sqlite3'}"

    response = app.test_client().get("/")
    assert response.status_code == 302, "the login redirect needs a working session"
    again = create_app(instance_path=str(instance))
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_database_url_selects_postgresql(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example:5432/survey")
    app = create_app({"SECRET_KEY": "x"}, instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example:5432/survey"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x"}, instance_path=str(tmp_path))
    with app.app_context():
        with db.engine.connect() as connection:
            pragmas = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                       for name in ("journal_mode", "foreign_keys", "secure_delete")}
        db.engine.dispose()
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "secure_delete": 1}


def test_unknown_page_is_a_plain_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "This page does not exist." in response.text
    assert "Traceback" not in response.text


def test_a_crash_shows_a_plain_500_page(tmp_path):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"},
                     instance_path=str(tmp_path))

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on the server" in response.text
    assert "secret detail" not in response.text and "Traceback" not in response.text
