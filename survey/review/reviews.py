"""Reading and writing review states and notes for a form's texts."""

from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..db import db
from ..forms.definition import Form
from .models import TextNote, TextReview, text_hash


def reviewed_texts(form: Form) -> set[tuple[str, str]]:
    """(key, language) of every text whose current wording a translator reviewed."""
    current = {
        (key, language): text_hash(value)
        for key, text in form.texts() for language, value in text.translations.items()
    }
    rows = db.session.execute(
        select(TextReview.key, TextReview.language, TextReview.text_hash)
        .where(TextReview.form_id == form.id)
    )
    return {(key, language) for key, language, digest in rows
            if current.get((key, language)) == digest}


def set_reviewed(form: Form, key: str, language: str, reviewer: User, reviewed: bool) -> None:
    text = dict(form.texts())[key]
    row = db.session.scalar(select(TextReview).where(
        TextReview.form_id == form.id, TextReview.key == key, TextReview.language == language))
    if not reviewed:
        if row is not None:
            db.session.delete(row)
    elif language in text.translations:
        row = row or TextReview(form_id=form.id, key=key, language=language)
        row.text_hash = text_hash(text.translations[language])
        row.reviewed_by = reviewer.id
        db.session.add(row)
    db.session.commit()


def add_note(form: Form, key: str, language: str, body: str, author: User) -> TextNote:
    note = TextNote(form_id=form.id, key=key, language=language, body=body,
                    author_id=author.id, author_role=author.role)
    db.session.add(note)
    db.session.commit()
    return note


def notes_by_text(form: Form) -> dict[tuple[str, str], list[TextNote]]:
    notes: dict[tuple[str, str], list[TextNote]] = {}
    for note in db.session.scalars(
        select(TextNote).where(TextNote.form_id == form.id).order_by(TextNote.created_at, TextNote.id)
    ):
        notes.setdefault((note.key, note.language), []).append(note)
    return notes
