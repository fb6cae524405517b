"""Translator notes and review marks are each organisation's own; the form's texts are shared.

Two organisations' translators (and an admin of no organisation) annotate and
review the same text of the same survey, over HTTP: none sees another's note
on the Translations page or in a workbook, none's Undo touches another's
mark, and all read the same form text.
"""

from __future__ import annotations

import html
import io
import re

import openpyxl
import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select, text
from werkzeug.test import TestResponse

from survey.accounts.models import Role
from survey.db import db
from survey.forms import catalog
from survey.organisations.manage import assign_form, create_organisation
from survey.review.models import TextReview
from tests.conftest import log_in_as, make_app
from tests.test_migrations import empty_database  # noqa: F401 - a fixture, SQLite and PostgreSQL

KEY = "question.how_crossed.choice.broker"
LANGUAGE = "my"
NOTES = {"A": "A-only-note-3f9c: 'broker' is ပွဲစား here",
         "B": "B-only-note-81d0: we say 'agent'",
         None: "platform-note-c27e: check with both CBOs"}


class Browser:
    """One person's browser: her own cookies, and each request in its own app context
    as on a server (the tests' shared context would keep the last login in ``g``)."""

    def __init__(self, app: Flask, name: str, role: Role, organisation_id: int | None) -> None:
        self.app, self.client = app, app.test_client()
        with app.app_context():
            log_in_as(self.client, name, role, organisation_id)

    def get(self, url: str) -> TestResponse:
        with self.app.app_context():
            return self.client.get(url)

    def post(self, url: str, data: dict[str, str]) -> TestResponse:
        with self.app.app_context():
            return self.client.post(url, data=data)


@pytest.fixture
def translators(app: Flask, organisation) -> dict[str | None, Browser]:
    """A translator of A, one of B, and an admin of no organisation, each logged in."""
    org_b = create_organisation("SWG", "Second organisation")
    assign_form("SWG", "priorities")
    return {"A": Browser(app, "tam", Role.TRANSLATOR, organisation.id),
            "B": Browser(app, "tin", Role.TRANSLATOR, org_b.id),
            None: Browser(app, "root", Role.ADMIN, None)}


def _note_and_review(client: Browser, body: str) -> None:
    target = {"key": KEY, "language": LANGUAGE}
    assert client.post("/translate/priorities/note", data={**target, "body": body}).status_code == 302
    assert client.post("/translate/priorities/review",
                       data={**target, "reviewed": "on"}).status_code == 302


def _undo(client: Browser) -> None:
    response = client.post("/translate/priorities/review", data={"key": KEY, "language": LANGUAGE})
    assert response.status_code == 302


def _page(client: Browser) -> str:
    response = client.get("/translate/priorities")
    assert response.status_code == 200
    return html.unescape(response.text)


def _cell(page: str) -> str:
    """The page's cell for KEY in LANGUAGE: the text, its notes and its review mark."""
    row = page[page.index(f'<tr id="t-{KEY.replace(".", "-")}">'):]
    row = row[:row.index("</tr>")]
    return re.search(rf'<td lang="{LANGUAGE}".*?</td>', row, re.S).group()


def _notes_in_workbook(client: Browser, query: str = "") -> list[str]:
    response = client.get(f"/results/priorities/workbook.xlsx{query}")
    assert response.status_code == 200, response.text
    data = response.data
    response.close()  # as a WSGI server does: the temporary file goes
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
            for value in row if value is not None]  # every sheet: a pooled one has no notes sheet


def test_each_sees_only_her_own_organisations_notes_and_marks_on_the_page(translators):
    for owner, client in translators.items():
        _note_and_review(client, NOTES[owner])
    shared = dict(catalog.get_form("priorities").texts())[KEY].translations[LANGUAGE]
    for owner, client in translators.items():
        cell = _cell(_page(client))
        assert NOTES[owner] in cell
        assert [other for other in NOTES.values() if other in cell] == [NOTES[owner]]
        assert "✓ Reviewed" in cell
        assert f"<p>{shared}</p>" in cell  # the form's own text, the same for everyone


@pytest.mark.parametrize("undoer", ["A", "B", None])
def test_an_undo_removes_only_the_undoers_own_mark(translators, undoer):
    for owner, client in translators.items():
        _note_and_review(client, NOTES[owner])
    _undo(translators[undoer])
    for owner, client in translators.items():
        cell = _cell(_page(client))
        assert ("✓ Reviewed" in cell) is (owner != undoer), owner
        assert ("Mark reviewed" in cell) is (owner == undoer), owner
    assert len(db.session.scalars(select(TextReview)).all()) == 2


def _reviewed_count(client: Browser) -> int:
    index = client.get("/translate/").text
    section = index[index.index('href="/translate/priorities"'):]
    return int(re.search(rf'<td lang="{LANGUAGE}">[^<]*</td><td>[^<]*</td><td>(\d+) / ', section).group(1))


def test_the_index_counts_only_her_own_organisations_reviews(translators):
    _note_and_review(translators["A"], NOTES["A"])
    assert [_reviewed_count(translators[owner]) for owner in NOTES] == [1, 0, 0]


def test_each_organisations_workbook_holds_its_own_notes_and_the_pooled_one_none(
        app, translators, organisation):
    for owner, client in translators.items():
        _note_and_review(client, NOTES[owner])
    org_b = db.session.scalar(text("SELECT id FROM organisations WHERE code = 'SWG'"))
    leads = {"A": Browser(app, "lena", Role.LEAD, organisation.id),
             "B": Browser(app, "lin", Role.LEAD, org_b)}
    for owner, lead in leads.items():
        cells = _notes_in_workbook(lead)
        assert [note for note in NOTES.values() if note in cells] == [NOTES[owner]]
    admin_of_a = Browser(app, "ada", Role.ADMIN, organisation.id)
    assert [n for n in NOTES.values() if n in _notes_in_workbook(admin_of_a)] == [NOTES["A"]]
    for pooled in (_notes_in_workbook(admin_of_a, "?view=pooled"),
                   _notes_in_workbook(translators[None])):  # an admin of none: pooled only
        assert not [note for note in NOTES.values() if note in pooled]


# --- the migration: existing notes and marks go to their author's organisation ---------


def test_the_migration_gives_notes_and_marks_their_authors_organisation(empty_database):  # noqa: F811
    app = make_app(empty_database)
    with app.app_context():
        upgrade(revision="0501")
        _old_rows()
        upgrade(revision="0751")
        notes = dict(db.session.execute(text("SELECT body, organisation_id FROM text_notes")).all())
        marks = db.session.execute(text(
            "SELECT reviewed_by, organisation_id FROM text_reviews ORDER BY id")).all()
        assert notes == {"by A": 1, "by B": 2, "by the admin of none": None, "author gone": None}
        assert [tuple(m) for m in marks] == [(10, 1), (11, 2)]
        # Now B may mark the same text as A did, and each keeps its own.
        db.session.execute(text(
            "INSERT INTO text_reviews (organisation_id, form_id, key, language, text_hash, reviewed_at)"
            " VALUES (2, 'priorities', 'k', 'my', 'h', '2026-12-01')"))
        db.session.commit()
        db.engine.dispose()


def _old_rows() -> None:
    for statement in (
        "INSERT INTO organisations (id, code, label, created_at) VALUES"
        " (1, 'AAA', 'A', '2026-12-01'), (2, 'BBB', 'B', '2026-12-01')",
        "INSERT INTO users (id, username, password_hash, role, organisation_id, active,"
        " must_change_password, created_at) VALUES"
        " (10, 'a', 'x', 'translator', 1, true, false, '2026-12-01'),"
        " (11, 'b', 'x', 'translator', 2, true, false, '2026-12-01'),"
        " (12, 'root', 'x', 'admin', NULL, true, false, '2026-12-01')",
        "INSERT INTO text_notes (form_id, key, language, body, author_id, author_role, created_at)"
        " VALUES ('priorities', 'k', 'my', 'by A', 10, 'translator', '2026-12-01'),"
        " ('priorities', 'k', 'my', 'by B', 11, 'translator', '2026-12-01'),"
        " ('priorities', 'k', 'my', 'by the admin of none', 12, 'admin', '2026-12-01'),"
        " ('priorities', 'k', 'my', 'author gone', NULL, 'translator', '2026-12-01')",
        "INSERT INTO text_reviews (form_id, key, language, text_hash, reviewed_by, reviewed_at)"
        " VALUES ('priorities', 'k', 'my', 'h', 10, '2026-12-01'),"
        " ('priorities', 'k2', 'my', 'h', 11, '2026-12-01')",
    ):
        db.session.execute(text(statement))
    db.session.commit()
