"""Answer counts kept as answers arrive, so results never scan the answer table.

``answer_counts`` holds, per form, organisation and day a submission was
received, how many answer rows share a question, value and position;
``answer_pair_counts`` holds the same within each answer to a grouping
(select_one) question, for cross-tabulations. Both are kept by
``survey.results.counts``; ``flask results recount`` rebuilds them.

``value`` is ``""`` where the answer row has none (free text, or asked and
skipped), so that it can be part of the primary key on both databases.
``number`` is the row's number, the same for every row of a key (a rank is its
position; a number is its value). ``key_sum`` is the sum of the record keys of the
submissions counted (``text_key_sum``: of those that gave text), from which the
published counts are perturbed (``survey.results.perturbation``).
"""

from __future__ import annotations

import datetime

from sqlalchemy import BigInteger, Date, Float, ForeignKey, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


class _Counted:
    """A count of answer rows, by the day they arrived and what they say."""

    form_id: Mapped[str] = mapped_column(String(64))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    day: Mapped[datetime.date] = mapped_column(Date)
    question: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    answers: Mapped[int]
    texts: Mapped[int]
    number: Mapped[float | None] = mapped_column(Float)
    key_sum: Mapped[int] = mapped_column(BigInteger, server_default="0")
    text_key_sum: Mapped[int] = mapped_column(BigInteger, server_default="0")


class AnswerCount(_Counted, db.Model):
    __tablename__ = "answer_counts"
    __table_args__ = (
        PrimaryKeyConstraint("form_id", "organisation_id", "day", "question", "value", "position"),
    )


class AnswerPairCount(_Counted, db.Model):
    """Counted within one answer (``by_value``) to a grouping question (``by_question``)."""

    __tablename__ = "answer_pair_counts"
    __table_args__ = (
        PrimaryKeyConstraint("form_id", "by_question", "question", "organisation_id", "day",
                             "by_value", "value", "position"),
    )

    by_question: Mapped[str] = mapped_column(String(64))
    by_value: Mapped[str] = mapped_column(String(64))
