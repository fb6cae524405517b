"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from survey.collect.models import Answer, Submission
from survey.db import db
from survey.forms import catalog
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from survey.results.counts import digest
from tests.conftest import IN_CI, fresh_postgres_database, make_app, postgres_url
from tests.test_results import twenty


def _sqlite(tmp_path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"


def _postgres() -> Iterator[str]:
    url = postgres_url()
    if url is None:
        if IN_CI:
            pytest.fail("PostgreSQL is required in CI")
        pytest.skip("PostgreSQL is not reachable at TEST_DATABASE_URL or 127.0.0.1:5432")
    with fresh_postgres_database(url) as database:
        yield database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> Iterator[str]:
    source = _sqlite(tmp_path) if request.param == "sqlite" else _postgres()
    yield from source


def test_models_equal_upgrade_head(empty_database):
    app = make_app(empty_database)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_every_revision_goes_down_and_up_again(empty_database):
    app = make_app(empty_database)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert {"users", "submissions", "answers", "form_versions"} <= set(
            inspect(db.engine).get_table_names())
        db.engine.dispose()


def test_upgrading_a_database_that_holds_answers_fills_the_counts_and_documents(empty_database):
    app = make_app(empty_database)
    with app.app_context():
        upgrade()
        organisation = create_organisation("EMP", "Empower test")
        assign_unassigned_forms(organisation)
        twenty(catalog.get_form("priorities"), organisation.id)
        kept = digest(db.session.connection(), keys=False), _documents()
        answer_rows = db.session.scalar(select(func.count()).select_from(Answer))
        db.session.commit()
        downgrade(revision="0002")
        assert "answer_counts" not in inspect(db.engine).get_table_names()
        assert "answers_json" not in {c["name"] for c in inspect(db.engine).get_columns("submissions")}
        assert db.session.scalar(select(func.count()).select_from(Answer)) == answer_rows
        db.session.commit()
        upgrade()
        assert (digest(db.session.connection(), keys=False), _documents()) == kept
        db.session.remove()
        db.engine.dispose()


def _documents() -> list[tuple[int, dict]]:
    found = db.session.execute(select(Submission.id, Submission.answers_json).order_by(Submission.id))
    return [(id_, json.loads(document)) for id_, document in found]
