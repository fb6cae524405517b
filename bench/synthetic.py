"""Synthetic submissions of the example survey for bench/export_bench.py, inserted in bulk (Core).

Answers follow the survey's skip logic, so tabulation sees real "not relevant"
and "skipped" patterns. Every tenth free text is hostile (a formula). The
answer counts are kept as the app keeps them, committed with each chunk.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any

from sqlalchemy import insert

from survey.collect.documents import answer_rows, document
from survey.collect.models import Answer, Submission
from survey.collect.storage import table_rows
from survey.consent.models import ConsentRecord, Participant
from survey.db import db
from survey.forms.definition import Form
from survey.forms.versions import record_version
from survey.results.counts import count_answers
from survey.results.perturbation import new_record_key

CHUNK = 5_000
TEXTS = ["ဘေးကင်းစွာ အလုပ်လုပ်ချင်ပါတယ်", "อยากได้ค่าแรงขั้นต่ำ", "=HYPERLINK(\"x\")",
         "We need a clinic near the factory", "ၵၢၼ်ၶိုၼ်ႈ", "👩🏽‍🌾 safe work"]


def answers(form: Form, rng: random.Random) -> dict[str, Any]:
    """One woman's answers, following the skip logic of priorities.yaml."""
    pick = lambda name: rng.choice(form.question(name).choice_values)  # noqa: E731
    found: dict[str, Any] = {
        "ethnicity": pick("ethnicity"), "age_band": pick("age_band"),
        "work": sorted(rng.sample(form.question("work").choice_values, rng.randint(1, 3)),
                       key=form.question("work").choice_values.index),
        "documents": pick("documents"), "year_crossed": rng.randint(1995, 2025),
        "how_crossed": pick("how_crossed"), "police_contact": pick("police_contact"),
        "detained": pick("detained"), "debt": pick("debt"), "money_sent_home": pick("money_sent_home"),
        "priorities": rng.sample(form.question("priorities").choice_values, 8),
    }
    if found["police_contact"] == "yes":
        found["police_how_often"] = pick("police_how_often")
        found["police_money_demanded"] = pick("police_money_demanded")
    if found["detained"] == "yes":
        found["detention_length"] = pick("detention_length")
    if found["debt"] in ("small_debt", "large_debt"):
        found["debt_owed_to"] = pick("debt_owed_to")
    if rng.random() < 0.05:
        found["age_band"] = None  # skipped
    if rng.random() < 0.3:
        found["what_helps"] = rng.choice(TEXTS)
    return found


def populate(form: Form, organisation_id: int, count: int, *, first: int = 0,
             seed: int = 7) -> list[dict[str, Any]]:
    """Insert ``count`` submissions with ids after ``first``; returns their answers."""
    rng = random.Random(seed + first)
    record_version(form)
    db.session.commit()
    start = datetime.datetime(2025, 1, 1)
    everything = []
    for offset in range(0, count, CHUNK):
        batch = [answers(form, rng) for _ in range(min(CHUNK, count - offset))]
        everything.extend(batch)
        _insert(form, organisation_id, first + offset, batch, start)
        db.session.commit()
    return everything


def _insert(form: Form, organisation_id: int, first: int, batch: list[dict[str, Any]],
            start: datetime.datetime) -> None:
    ids = range(first + 1, first + len(batch) + 1)
    when = [start + datetime.timedelta(minutes=i) for i in ids]
    db.session.execute(insert(Participant), [
        {"id": i, "code": f"BN-{i:07d}", "organisation_id": organisation_id, "created_at": t}
        for i, t in zip(ids, when, strict=True)])
    db.session.execute(insert(ConsentRecord), [
        {"id": i, "form_id": form.id, "consent_version": form.consent.version, "language": "my",
         "method": "oral", "given_at": t, "optional": {"quote": i % 2 == 0, "recontact": False},
         "participant_id": i} for i, t in zip(ids, when, strict=True)])
    stored = [answer_rows(form, given) for given in batch]
    keys = [new_record_key() for _ in ids]
    db.session.execute(insert(Submission), [
        {"id": i, "public_id": uuid.uuid4().hex, "uuid": uuid.uuid4(), "organisation_id": organisation_id,
         "form_id": form.id, "form_version": form.version, "language": "my", "content_hash": "x",
         "received_at": t, "consent_id": i, "participant_id": i, "answers_json": document(form, rows), "record_key": key}
        for i, t, rows, key in zip(ids, when, stored, keys, strict=True)])
    table = [table_rows(i, form.id, organisation_id, rows) for i, rows in zip(ids, stored, strict=True)]
    db.session.execute(insert(Answer), [row for rows in table for row in rows])
    for rows, received_at, key in zip(table, when, keys, strict=True):
        count_answers(form, organisation_id, received_at, rows, key)
