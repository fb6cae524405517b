"""Reading and writing review marks and notes on a form's texts, each organisation its own.

``owner`` is the organisation whose marks and notes are read or written:
the user's own, or None for an admin of no organisation (who then sees and
touches only those of no organisation, never an organisation's).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import InstrumentedAttribute

from ..accounts.models import User
from ..db import db
from ..forms.definition import Form
from .models import TextNote, TextReview, text_hash


def _owned_by(column: InstrumentedAttribute[int | None], owner: int | None) -> ColumnElement[bool]:
    return column.is_(None) if owner is None else column == owner


def _current_hashes(form: Form) -> dict[tuple[str, str], str]:
    return {(key, language): text_hash(value)
            for key, text in form.texts() for language, value in text.translations.items()}


def reviewed_by(form: Form, owner: int | None) -> set[tuple[str, str]]:
    """(key, language) of every text whose current wording ``owner`` reviewed."""
    return _still_current(form, select(TextReview.key, TextReview.language, TextReview.text_hash)
                          .where(TextReview.form_id == form.id,
                                 _owned_by(TextReview.organisation_id, owner)))


def reviewed_texts(form: Form) -> set[tuple[str, str]]:
    """(key, language) of every text whose current wording any organisation reviewed:
    for the operator's ``flask forms check``, never for a page."""
    return _still_current(form, select(TextReview.key, TextReview.language, TextReview.text_hash)
                          .where(TextReview.form_id == form.id))


def _still_current(form: Form, query: Select[tuple[str, str, str]]) -> set[tuple[str, str]]:
    current = _current_hashes(form)
    return {(key, language) for key, language, digest in db.session.execute(query)
            if current.get((key, language)) == digest}


def set_reviewed(form: Form, key: str, language: str, reviewer: User, reviewed: bool) -> None:
    """Mark (or unmark) a text reviewed for the reviewer's organisation only."""
    text = dict(form.texts())[key]
    owner = reviewer.organisation_id
    row = db.session.scalar(select(TextReview).where(
        TextReview.form_id == form.id, TextReview.key == key, TextReview.language == language,
        _owned_by(TextReview.organisation_id, owner)))
    if not reviewed:
        if row is not None:
            db.session.delete(row)
    elif language in text.translations:
        row = row or TextReview(organisation_id=owner, form_id=form.id, key=key, language=language)
        row.text_hash = text_hash(text.translations[language])
        row.reviewed_by = reviewer.id
        db.session.add(row)
    db.session.commit()


def add_note(form: Form, key: str, language: str, body: str, author: User) -> TextNote:
    note = TextNote(organisation_id=author.organisation_id, form_id=form.id, key=key,
                    language=language, body=body, author_id=author.id, author_role=author.role)
    db.session.add(note)
    db.session.commit()
    return note


def notes_of(form: Form, owner: int | None) -> list[TextNote]:
    """``owner``'s notes on the form's texts, by text, language and time written."""
    return list(db.session.scalars(
        select(TextNote).where(TextNote.form_id == form.id, _owned_by(TextNote.organisation_id, owner))
        .order_by(TextNote.key, TextNote.language, TextNote.created_at, TextNote.id)))


def notes_by_text(form: Form, owner: int | None) -> dict[tuple[str, str], list[TextNote]]:
    notes: dict[tuple[str, str], list[TextNote]] = {}
    for note in notes_of(form, owner):
        notes.setdefault((note.key, note.language), []).append(note)
    return notes
