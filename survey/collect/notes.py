"""Notes the interviewer or translator writes during an interview.

A note belongs to a question, or to the whole interview (key ``WHOLE``). Notes
travel in the interview state with the answers and are stored with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..forms.types import normalise_text

WHOLE = "_interview"
MAX_NOTE = 5000


def posted_notes(form: Mapping[str, str], keys: Iterable[str], languages: Iterable[str],
                 default_language: str) -> dict[str, dict[str, Any] | None]:
    """The notes posted on a page: key -> note, or None where the box was emptied."""
    allowed = set(languages)
    notes: dict[str, dict[str, Any] | None] = {}
    for key in keys:
        field = f"note.{key}"
        if field not in form:
            continue
        body = normalise_text(form.get(field, ""))[:MAX_NOTE]
        language = form.get(f"{field}.language", default_language)
        notes[key] = {
            "body": body,
            "language": language if language in allowed else default_language,
            "translation": form.get(f"{field}.translation") == "on",
        } if body else None
    return notes


def merge(notes: dict[str, Any], posted: Mapping[str, dict[str, Any] | None]) -> None:
    for key, note in posted.items():
        if note is None:
            notes.pop(key, None)
        else:
            notes[key] = note


class NoteError(ValueError):
    """A note that cannot be stored; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def checked_notes(notes: Mapping[str, Any], question_names: Iterable[str],
                  languages: Iterable[str]) -> list[tuple[str | None, dict[str, Any]]]:
    """Notes as (question or None for the whole interview, note), each checked."""
    keys = set(question_names) | {WHOLE}
    allowed = set(languages)
    result = []
    for key, note in notes.items():
        field = f"notes.{key}"
        if key not in keys:
            raise NoteError(field, "no such question")
        if not isinstance(note, Mapping) or not isinstance(note.get("body"), str) \
                or not note["body"].strip():
            raise NoteError(field, "a note needs a non-empty body")
        if note.get("language") not in allowed:
            raise NoteError(f"{field}.language", "not a language of this platform")
        if not isinstance(note.get("translation", False), bool):
            raise NoteError(f"{field}.translation", "must be true or false")
        body = normalise_text(note["body"])
        if len(body) > MAX_NOTE:
            raise NoteError(field, f"longer than {MAX_NOTE} characters")
        result.append((None if key == WHOLE else key,
                       {"body": body, "language": note["language"],
                        "translation": bool(note.get("translation", False))}))
    return result
