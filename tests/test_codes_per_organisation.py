"""Participant codes are numbered per organisation: a code says nothing about another one's count."""

from __future__ import annotations

import uuid

from survey.collect.storage import store_submission
from survey.organisations.manage import assign_form, create_organisation
from tests.conftest import a_consent


def _code(form, organisation_id: int) -> str:
    submission, _ = store_submission(form, uuid.uuid4(), "en", {"ethnicity": "akha"},
                                     a_consent(form), organisation_id=organisation_id)
    return submission.participant.code


def test_one_organisations_akha_codes_do_not_count_on_from_anothers(form, organisation):
    other = create_organisation("SWG", "Second organisation")
    assign_form("SWG", "priorities")
    first = [_code(form, organisation.id) for _ in range(7)]
    assert first == [f"P-AK-{n:04d}" for n in range(1, 8)]
    assert _code(form, other.id) == "P-AK-0001", "B's numbering starts at its own first"
    assert _code(form, organisation.id) == "P-AK-0008"
