"""Soak: 20 tablets against the Procfile's 2 gunicorn workers on PostgreSQL, limits in Redis.

For ``SOAK_SECONDS`` (60) every tablet uploads sealed batches and sends each one
again (as a tablet does when the answer is lost); every few seconds a lead
withdraws one of the participants already stored. Afterwards nothing
acknowledged is lost, nothing is stored twice, no request got a 5xx, every
withdrawn participant is gone, and a recount says the counts behind the results
are right. The throughput is printed.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.collect.models import Participant, Submission
from survey.consent.records import withdraw
from survey.db import db
from survey.results.counts import digest
from survey.sync import keys
from tests.conftest import PASSWORD
from tests.sync_support import Tablet, sealed_batch
from tests.counting import recounted_digest
from tests.test_deploy_limits import gunicorn_server, redis_url  # noqa: F401 - fixture

pytestmark = pytest.mark.slow

TABLETS = 20
BATCH = 5
SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
WITHDRAW_EVERY = 3.0


@pytest.fixture
def served(app, database_url, redis_url, tmp_path) -> Iterator[str]:
    """The Procfile's server on the test database, with its login limits in Redis."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the soak runs on PostgreSQL (TEST_DATABASE_URL), the engine made for it")
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(  # the sync keys this test seals to
        f"SYNC_PRIVATE_KEY_FILE = {app.config['SYNC_PRIVATE_KEY_FILE']!r}\n")
    with gunicorn_server(database_url, redis_url, instance, 2) as base:
        yield base


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.http: Counter[int] = Counter()
        self.stored: set[str] = set()

    def add(self, status: int, batch: dict, body: object) -> None:
        with self.lock:
            self.http[status] += 1
            if status != 200:
                return
            for result in body["results"]:
                self.statuses[result["status"]] += 1
                if result["status"] == "stored":
                    self.stored.add(result["uuid"])


def test_twenty_tablets_against_two_workers_lose_nothing(app, organisation, served):
    public = keys.current().public
    for number in range(TABLETS):
        create_user(f"tab{number}", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
    lead = create_user("soak-lead", PASSWORD, Role.LEAD, organisation_id=organisation.id)
    db.session.commit()
    tally = Tally()
    stop = time.monotonic() + SECONDS

    def tablet(number: int) -> None:
        device = Tablet(served)
        device.log_in(f"tab{number}", PASSWORD)
        token = device.request("GET", "/api/v1/session")[1]["csrf_token"]
        while time.monotonic() < stop:
            batch = sealed_batch(public, BATCH)
            for _ in range(2):  # the second is the replay of a lost answer
                tally.add(*_upload(device, token, batch))

    threads = [threading.Thread(target=tablet, args=(n,)) for n in range(TABLETS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    withdrawn = _withdraw_while(threads, lead, organisation.id)
    for thread in threads:
        thread.join(120)
    elapsed = time.monotonic() - started

    db.session.expire_all()
    stored = {str(u) for u in db.session.scalars(select(Submission.uuid))}
    kept = len(stored)
    print(f"\nsoak: {TABLETS} tablets, {elapsed:.0f} s: {len(tally.stored)} records stored "
          f"({len(tally.stored) / elapsed:.1f}/s), {tally.statuses['duplicate']} replays answered "
          f"duplicate, {len(withdrawn)} participants withdrawn, HTTP {dict(tally.http)}")
    assert set(tally.http) == {200}, f"no 5xx, no refusal: {tally.http}"
    assert tally.stored, "the tablets stored records"
    assert set(tally.statuses) <= {"stored", "duplicate", "withdrawn"}, tally.statuses
    replays = tally.statuses["duplicate"] + tally.statuses["withdrawn"]
    assert replays == tally.statuses["stored"], "each replay is a duplicate, or withdrawn since"
    assert kept == len(tally.stored) - len(withdrawn), "nothing lost, nothing stored twice"
    assert db.session.scalar(select(func.count()).select_from(Participant).where(
        Participant.code.in_(withdrawn))) == 0
    assert digest(db.session.connection()) == recounted_digest()


def _upload(device: Tablet, token: str, batch: dict) -> tuple[int, dict, object]:
    status, body = device.request("POST", "/api/v1/submissions", json.dumps(batch).encode(),
                                  {"Content-Type": "application/json", "X-CSRFToken": token})
    return status, batch, body


def _withdraw_while(threads: list[threading.Thread], lead, organisation_id: int) -> list[str]:
    """Withdraw one stored participant every few seconds while the tablets run."""
    withdrawn: list[str] = []
    while any(thread.is_alive() for thread in threads):
        time.sleep(WITHDRAW_EVERY)
        db.session.rollback()
        codes = db.session.scalars(select(Participant.code).where(
            Participant.organisation_id == organisation_id)).all()
        if codes:
            code = random.choice(codes)
            assert withdraw(code, lead, organisation_id).submissions == 1
            withdrawn.append(code)
    return withdrawn
