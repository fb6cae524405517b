"""Results count by each organisation's days: an interview is dated by when it took place."""

from __future__ import annotations

import datetime
import uuid

import pytest

from survey.collect.models import Submission
from survey.collect.storage import store_submission
from survey.db import db
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from survey.organisations.zones import TimeZoneError, zone
from survey.results.counts import digest
from survey.results.periods import parse_period
from survey.results.scope import Scope
from survey.results.tally import tally
from tests.counting import recounted_digest
from tests.conftest import a_consent
from tests.sync_support import sealed_batch
from tests.test_export import download, responses
from tests.test_sync_api import app, key_file, public_key, upload  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("exact_counts")

# 06:30 on 1 April in Bangkok is 23:30 on 31 March in UTC.
BANGKOK_DAWN = datetime.datetime(2026, 3, 31, 23, 30)


def interview(form, organisation_id: int, started_at: datetime.datetime | None,
              document: str = "passport") -> Submission:
    submission, _ = store_submission(form, uuid.uuid4(), "en", {"documents": document},
                                     a_consent(form), organisation_id=organisation_id,
                                     started_at=started_at)
    return submission


def passports(form, organisation_id: int, period: str) -> int:
    chosen = parse_period(period)
    counted = tally(Scope(form, organisation_id, chosen.first, chosen.last)).get("documents")
    return counted.count("passport") if counted else 0


def headcount(form, organisation_id: int, period: str) -> int:
    chosen = parse_period(period)
    return Scope(form, organisation_id, chosen.first, chosen.last).headcount()[0]


def test_an_interview_at_dawn_in_bangkok_counts_in_april_there_and_in_march_in_utc(form,
                                                                                 organisation):
    """The default zone is Asia/Bangkok; an organisation in UTC sees the same moment in March."""
    in_utc = create_organisation("UTC", "An organisation on UTC")
    in_utc.time_zone = "UTC"
    assign_unassigned_forms(in_utc)
    db.session.commit()
    for organisation_id in (organisation.id, in_utc.id):
        interview(form, organisation_id, BANGKOK_DAWN)

    assert passports(form, organisation.id, "2026-04") == 1
    assert passports(form, organisation.id, "2026-03") == 0
    assert headcount(form, organisation.id, "2026-04") == 1
    assert headcount(form, organisation.id, "2026-Q1") == 0
    assert passports(form, in_utc.id, "2026-03") == 1
    assert headcount(form, in_utc.id, "2026-03") == 1
    assert headcount(form, in_utc.id, "2026-04") == 0
    assert digest(db.session.connection()) == recounted_digest()


def test_an_offline_interview_synced_days_later_is_dated_by_its_start(form, organisation,
                                                                      logged_in, public_key):
    response = upload(logged_in, sealed_batch(public_key, 2, started_at="2026-03-31T23:30:00Z",
                                              finished_at="2026-03-31T23:55:00Z"))
    assert [r["status"] for r in response.json["results"]] == ["stored", "stored"]

    assert headcount(form, organisation.id, "2026-04") == 2
    assert headcount(form, organisation.id, "2026-03") == 0
    assert digest(db.session.connection()) == recounted_digest()


def test_a_start_later_than_the_receipt_is_not_believed(form, organisation):
    interview(form, organisation.id, datetime.datetime(2099, 1, 1))
    assert headcount(form, organisation.id, "2099-01") == 0
    assert Scope(form, organisation.id).headcount()[0] == 1
    assert digest(db.session.connection()) == recounted_digest()


def test_the_workbook_shows_when_she_was_interviewed_and_received_on_her_organisation_clock(
        lead, form, organisation):
    submission = interview(form, organisation.id, BANGKOK_DAWN)
    received = submission.received_at
    header, body = responses(download(lead, "?lang=codes&period=2026-04"))
    assert [row[header.index("Started")] for row in body] == [datetime.datetime(2026, 4, 1, 6, 30)]
    assert [row[header.index("Received")] for row in body] == [
        (received + datetime.timedelta(hours=7)).replace(microsecond=0)]
    _, march = responses(download(lead, "?lang=codes&period=2026-03"))
    assert march == []


def test_the_default_time_zone_is_a_setting_and_an_unknown_one_is_a_clear_error(app):
    assert app.config["DEFAULT_TIME_ZONE"] == "Asia/Bangkok"
    assert str(zone(None)) == "Asia/Bangkok"
    app.config["DEFAULT_TIME_ZONE"] = "Asia/Yangon"
    assert str(zone(None)) == "Asia/Yangon"
    with pytest.raises(TimeZoneError, match="unknown time zone 'Mars/Olympus'"):
        zone("Mars/Olympus")
