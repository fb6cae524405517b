"""A withdrawal racing her follow-ups' sync, on a served app: exact counts, no 500.

The tablet uploads her follow-up interviews one request at a time while a lead
withdraws her code. Whatever the interleaving, each follow-up acknowledged
``stored`` before the withdrawal is deleted with her and said to be, nothing of
hers is stored after it, and the counts behind the results equal a recount.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.collect.models import Participant, Submission
from survey.consent.records import withdraw
from survey.db import db
from survey.sync.sealing import seal
from tests.browser import serve
from tests.conftest import PASSWORD
from tests.sync_support import Tablet, plaintext
from tests.counting import recounted_digest
from tests.test_results import store
from tests.test_sync_api import app, key_file, public_key  # noqa: F401 - fixtures
from survey.results.counts import digest

ROUNDS = 6
TABLETS = 3
FOLLOW_UPS = 4


def _follow_up(code: str, public_key) -> dict:
    record = plaintext()
    record["consent"]["existing_code"] = code
    return {"records": [seal(record, public_key)]}


def _her_submissions(code: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Submission).join(Participant)
                             .where(Participant.code == code)) or 0


def test_a_withdrawal_racing_her_follow_ups_leaves_exact_counts(
        app, form, organisation, interviewer, public_key):
    lead = create_user("lou", PASSWORD, Role.LEAD, organisation_id=organisation.id)
    with serve(app) as url:
        tablets = [Tablet(url) for _ in range(TABLETS)]
        for tablet in tablets:
            tablet.log_in("ina", PASSWORD)
        for _ in range(ROUNDS):
            code = store(form, organisation.id, {}).participant.code
            acknowledged: list[str] = []
            started = threading.Barrier(TABLETS + 1, timeout=60)

            def sync(tablet: Tablet) -> None:
                batches = [_follow_up(code, public_key) for _ in range(FOLLOW_UPS)]
                started.wait()
                for batch in batches:
                    status, body = tablet.upload(batch)
                    assert status == 200, body
                    acknowledged.append(body["results"][0]["status"])

            uploaders = [threading.Thread(target=sync, args=(t,)) for t in tablets]
            for uploader in uploaders:
                uploader.start()
            started.wait()
            result = withdraw(code, lead, organisation.id)
            for uploader in uploaders:
                uploader.join(120)
            db.session.expire_all()
            assert len(acknowledged) == TABLETS * FOLLOW_UPS, "every upload was answered"
            assert _her_submissions(code) == 0, "nothing of hers is stored after her withdrawal"
            assert result.submissions == 1 + acknowledged.count("stored"), acknowledged
            assert digest(db.session.connection()) == recounted_digest()
            db.session.rollback()


ETHNICITIES = ["burman", "kachin", "shan", "karen", "akha", "khmer", "thai", "other"]


def _batch_in_order(public_key, order: list[str], per_stem: int) -> dict:
    records = []
    for ethnicity in order:
        for _ in range(per_stem):
            record = plaintext()
            record["answers"]["ethnicity"] = ethnicity
            records.append(seal(record, public_key))
    return {"records": records}


def test_tablets_taking_code_stems_in_opposite_orders_never_deadlock(
        app, form, organisation, interviewer, public_key):
    """Each batch needs a new code under every stem, in its own order; on PostgreSQL two
    batches taking the same sequences in opposite orders deadlocked (a whole-batch 503)."""
    orders = [ETHNICITIES, ETHNICITIES[::-1], ETHNICITIES[3:] + ETHNICITIES[:3],
              (ETHNICITIES[3:] + ETHNICITIES[:3])[::-1]]
    rounds, per_stem = 4, 3
    batches = [[_batch_in_order(public_key, order, per_stem) for _ in range(rounds)]
               for order in orders]
    answers: list[tuple[int, list[str]]] = []
    with serve(app) as url:
        tablets = [Tablet(url) for _ in orders]
        for tablet in tablets:
            tablet.log_in("ina", PASSWORD)
        start = threading.Barrier(len(tablets), timeout=60)

        def sync(tablet: Tablet, mine: list[dict]) -> None:
            start.wait()
            for batch in mine:
                status, body = tablet.upload(batch)
                answers.append((status, [r["status"] for r in body["results"]]
                                if status == 200 else body))

        threads = [threading.Thread(target=sync, args=pair) for pair in zip(tablets, batches)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
    assert [status for status, _ in answers] == [200] * len(orders) * rounds, answers
    assert all(set(statuses) == {"stored"} for _, statuses in answers)
    expected = len(orders) * rounds * per_stem * len(ETHNICITIES)
    codes = db.session.scalars(select(Participant.code)).all()
    assert len(codes) == len(set(codes)) == expected


def test_a_record_replayed_while_she_withdraws_never_comes_back(
        app, form, organisation, interviewer, public_key):
    """The tablet sends her record again (its answer was lost) just as she withdraws: the
    replay is a duplicate before the withdrawal and withdrawn after it, never stored anew."""
    lead = create_user("lou", PASSWORD, Role.LEAD, organisation_id=organisation.id)
    with serve(app) as url:
        tablets = [Tablet(url) for _ in range(3)]
        for tablet in tablets:
            tablet.log_in("ina", PASSWORD)
        for _ in range(ROUNDS):
            record = plaintext()
            batch = {"records": [seal(record, public_key)]}
            status, body = tablets[0].upload(batch)
            code = body["results"][0]["participant_code"]
            answers: list[str] = []
            started = threading.Barrier(len(tablets) + 1, timeout=60)

            def replay(tablet: Tablet) -> None:
                started.wait()
                for _ in range(6):
                    answers.append(tablet.upload(batch)[1]["results"][0]["status"])

            threads = [threading.Thread(target=replay, args=(t,)) for t in tablets]
            for thread in threads:
                thread.start()
            started.wait()
            withdraw(code, lead, organisation.id)
            for thread in threads:
                thread.join(120)
            db.session.expire_all()
            assert set(answers) <= {"duplicate", "withdrawn"}, answers
            assert db.session.scalar(select(func.count()).select_from(Submission).where(
                Submission.uuid == uuid.UUID(record["uuid"]))) == 0
            db.session.rollback()
