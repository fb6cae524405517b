"""The answer counts behind the results stay equal to a count of the answers themselves."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
from sqlalchemy import delete, func, select, update

from survey.accounts.models import Role
from survey.collect.models import Submission
from survey.collect.storage import add_submission, one_transaction
from survey.consent.records import withdraw
from survey.db import db
from survey.organisations.zones import today as organisation_today
from survey.results.counts import digest, recount
from survey.results.models import AnswerCount, AnswerPairCount
from survey.results.scope import Scope
from survey.results.tally import cross_tally, tally
from survey.accounts.users import create_user
from survey.timeutil import utcnow
from tests.counting import recounted_digest
from tests.conftest import PASSWORD, a_consent
from tests.sync_support import sealed_batch
from tests.test_results import store, twenty
from tests.test_sync_api import app, key_file, public_key, upload  # noqa: F401 - fixtures

# Counting and tabulating, with the noise of published counts taken off (test_disclosure.py has it).
pytestmark = pytest.mark.usefixtures("exact_counts")


def rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_counts_follow_answers_stored_synced_and_withdrawn(form, organisation, logged_in,
                                                           public_key):
    twenty(form, organisation.id)
    response = upload(logged_in, sealed_batch(public_key, 3))
    assert response.status_code == 200 and all(r["status"] == "stored" for r in response.json["results"])
    code = db.session.scalar(select(Submission).order_by(Submission.id)).participant.code
    withdraw(code, create_user("ada", PASSWORD, Role.ADMIN), organisation.id)

    assert rows(AnswerCount) > 0 and rows(AnswerPairCount) > 0
    assert digest(db.session.connection()) == recounted_digest()


def test_a_batch_that_rolls_back_counts_nothing(form, organisation):
    store(form, organisation.id, {"documents": "passport"})
    before = digest(db.session.connection())
    with pytest.raises(RuntimeError), one_transaction():
        add_submission(form, uuid.uuid4(), "en", {"documents": "labour_card"}, a_consent(form),
                       organisation_id=organisation.id)
        raise RuntimeError("the connection dropped")
    assert digest(db.session.connection()) == before
    store(form, organisation.id, {"documents": "pink_card"})
    counted = tally(Scope(form, organisation.id))["documents"]
    assert [counted.count(c) for c in ("passport", "labour_card", "pink_card")] == [1, 0, 1]
    assert digest(db.session.connection()) == recounted_digest()


def test_a_record_undone_by_its_savepoint_counts_nothing(form, organisation):
    store(form, organisation.id, {"documents": "passport"})
    before = digest(db.session.connection())
    with one_transaction():
        with pytest.raises(RuntimeError), db.session.begin_nested():
            add_submission(form, uuid.uuid4(), "en", {"documents": "labour_card"},
                           a_consent(form), organisation_id=organisation.id)
            raise RuntimeError("the database refused the record")
    assert digest(db.session.connection()) == before == recounted_digest()


def test_a_record_she_withdrew_while_it_was_stored_is_not_counted(form, organisation, logged_in,
                                                                 public_key, monkeypatch):
    monkeypatch.setattr("survey.sync.ingest._buried_meanwhile", lambda *args: True)
    before = digest(db.session.connection())
    response = upload(logged_in, sealed_batch(public_key, 2))
    assert [r["status"] for r in response.json["results"]] == ["withdrawn", "withdrawn"]
    assert rows(Submission) == 0
    assert digest(db.session.connection()) == before == recounted_digest()


def test_withdrawing_the_only_participant_leaves_not_even_a_zero_count(form, organisation):
    submission = store(form, organisation.id, {"documents": "passport", "work": ["factory"],
                                               "priorities": ["education", "safe_work"]})
    withdraw(submission.participant.code, create_user("ada", PASSWORD, Role.ADMIN), organisation.id)
    assert rows(AnswerCount) == 0 and rows(AnswerPairCount) == 0


def test_a_cross_tabulation_puts_those_without_an_answer_to_the_grouping_in_its_own_column(
        form, organisation):
    store(form, organisation.id, {"documents": "passport", "work": ["factory"]})
    store(form, organisation.id, {"documents": None, "work": ["factory", "seafood"]})
    store(form, organisation.id, {"work": ["seafood"]})
    found = cross_tally(Scope(form, organisation.id), "work", "documents")
    assert found["passport"].count("factory") == 1 and found["passport"].count("seafood") == 0
    assert found[None].count("factory") == 1 and found[None].count("seafood") == 2
    assert found[None].answered == 2


def test_a_date_range_counts_the_days_it_covers(form, organisation):
    today = organisation_today(organisation.id)
    for document in ("passport", "passport", "pink_card"):
        store(form, organisation.id, {"documents": document})
    first = db.session.scalar(select(Submission.id).order_by(Submission.id))
    db.session.execute(update(Submission).where(Submission.id == first)
                       .values(received_at=utcnow() - datetime.timedelta(days=3)))
    recount(db.session.connection())
    db.session.commit()

    def documents(since=None, until=None):
        counted = tally(Scope(form, organisation.id, since, until))["documents"]
        return {code: counted.count(code) for code in ("passport", "pink_card")}

    assert documents() == {"passport": 2, "pink_card": 1}
    assert documents(since=today) == {"passport": 1, "pink_card": 1}
    assert documents(until=today - datetime.timedelta(days=1)) == {"passport": 1, "pink_card": 0}
    assert documents(since=today - datetime.timedelta(days=3),
                     until=today - datetime.timedelta(days=3)) == {"passport": 1, "pink_card": 0}


def test_flask_results_recount_says_whether_the_counts_were_right_and_repairs_them(
        app, form, organisation):
    twenty(form, organisation.id)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["results", "recount"])
    assert result.exit_code == 0, result.output
    assert "Counted the answers of 20 submissions: the counts were right." in result.output

    db.session.execute(delete(AnswerCount).where(AnswerCount.question == "documents"))
    db.session.commit()
    assert "documents" not in tally(Scope(form, organisation.id))
    result = runner.invoke(args=["results", "recount"])
    assert "the counts were wrong and are now right." in result.output
    assert tally(Scope(form, organisation.id))["documents"].count("passport") == 10


def test_two_batches_committing_at_once_on_postgresql_both_count(app, form, organisation):
    """Each writes its counts in key order, so neither waits for the other in a cycle."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: batches never overlap")
    priorities = form.question("priorities").choice_values
    interviews = [{"ethnicity": "kachin", "documents": "passport", "debt": "no_debt",
                   "year_crossed": 1970 + i, "priorities": priorities[i % 8:] + priorities[:i % 8]}
                  for i in range(50)]
    # Opposite orders: written as they came, the two would lock the same counts in a cycle.
    orders = [interviews, [dict(reversed(answers.items())) for answers in reversed(interviews)]]
    # Follow-ups under one code: no new code to allocate, so nothing else makes them take turns.
    code = store(form, organisation.id, {}).participant.code
    ready = threading.Barrier(2, timeout=30)
    failures: list[BaseException] = []
    organisation_id = organisation.id

    def batch(given: list[dict]) -> None:
        try:
            with app.app_context(), one_transaction():
                for answers in given:
                    add_submission(form, uuid.uuid4(), "en", answers,
                                   a_consent(form, existing_code=code),
                                   organisation_id=organisation_id)
                ready.wait()
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    for _ in range(3):  # each round gives a cycle a chance to happen
        threads = [threading.Thread(target=batch, args=(given,)) for given in orders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert failures == []
    assert tally(Scope(form, organisation_id))["ethnicity"].count("kachin") == 300
    assert digest(db.session.connection()) == recounted_digest()
