"""An interview in progress, kept between pages in a sealed draft (``drafts``).

No answer is stored as a submission before the last page, and the whole set
is validated again when it is submitted.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..forms.definition import Form
from ..forms.validation import validate
from ..timeutil import utcnow

CONSENT_PAGE = -1


class InterviewError(ValueError):
    """The interview state cannot be understood."""


@dataclass
class Interview:
    uuid: uuid.UUID
    language: str
    page: int
    started_at: datetime.datetime
    answers: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)
    consent: dict[str, Any] | None = None

    @classmethod
    def begin(cls, language: str) -> Interview:
        """A new interview, on the consent page."""
        return cls(uuid.uuid4(), language, CONSENT_PAGE, utcnow())

    @classmethod
    def from_data(cls, data: Any, form: Form) -> Interview:
        try:
            interview = cls(
                uuid=uuid.UUID(data["uuid"]),
                language=str(data["language"]),
                page=int(data["page"]),
                started_at=datetime.datetime.fromisoformat(data["started_at"]),
                answers=dict(data["answers"]),
                notes=dict(data.get("notes") or {}),
                consent=data.get("consent"),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InterviewError("the interview state is damaged") from None
        if interview.language not in form.languages:
            raise InterviewError(f"the form is not offered in '{interview.language}'")
        if not CONSENT_PAGE <= interview.page < len(form.sections):
            raise InterviewError("the interview is on a page the form does not have")
        if interview.page != CONSENT_PAGE and not isinstance(interview.consent, dict):
            raise InterviewError("there is no consent for this interview")
        return interview

    def to_data(self) -> dict[str, Any]:
        return {
            "uuid": str(self.uuid), "language": self.language, "page": self.page,
            "started_at": self.started_at.isoformat(), "answers": self.answers,
            "notes": self.notes, "consent": self.consent,
        }

    def next_page(self, form: Form, after: int | None = None) -> int | None:
        start = self.page if after is None else after
        shown = self.shown_pages(form)
        return next((index for index in shown if index > start), None)

    def previous_page(self, form: Form) -> int:
        shown = self.shown_pages(form)
        return next((index for index in reversed(shown) if index < self.page), self.page)

    def progress(self, form: Form) -> tuple[int, int]:
        """(this page's number, number of pages), counting only pages shown."""
        shown = self.shown_pages(form)
        return max(sum(1 for i in shown if i <= self.page), 1), max(len(shown), 1)

    def shown_pages(self, form: Form) -> list[int]:
        """Indexes of the sections whose skip logic lets them be shown now."""
        answers = validate(form, self.answers, only=()).answers
        return [
            index for index, section in enumerate(form.sections)
            if section.relevant is None or section.relevant.is_true(answers)
        ]
