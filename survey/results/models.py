"""Answer counts kept as answers arrive, so results never scan the answer table.

``answer_counts`` holds, per form, organisation and day a submission was
received, how many answer rows share a question, value and position;
``answer_pair_counts`` holds the same within each answer to a grouping
(select_one) question, for cross-tabulations. Both are kept by
``survey.results.counts``; ``flask results recount`` rebuilds them.

``value`` is ``""`` where the answer row has none (free text, or asked and
skipped), so that it can be part of the primary key on both databases.
``number`` is the row's number, the same for every row of a key (a rank is its
position; a number is its value).
"""

from __future__ import annotations

import datetime

from sqlalchemy import Date, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


class AnswerCount(db.Model):
    __tablename__ = "answer_counts"

    form_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    day: Mapped[datetime.date] = mapped_column(Date, primary_key=True)
    question: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    answers: Mapped[int]
    texts: Mapped[int]
    number: Mapped[float | None] = mapped_column(Float)


class AnswerPairCount(db.Model):
    __tablename__ = "answer_pair_counts"

    form_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    by_question: Mapped[str] = mapped_column(String(64), primary_key=True)
    question: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    day: Mapped[datetime.date] = mapped_column(Date, primary_key=True)
    by_value: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    answers: Mapped[int]
    texts: Mapped[int]
    number: Mapped[float | None] = mapped_column(Float)
