"""Tabulation with disclosure control, checked against numbers worked out by hand."""

from __future__ import annotations

import datetime
import uuid

import pytest

from survey.accounts.models import Role
from survey.collect.storage import store_submission
from survey.consent.records import withdraw
from survey.organisations.zones import today as organisation_today
from survey.db import db
from survey.forms import catalog
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from survey.results.crosstab import crosstab, grouping_question
from survey.results.disclosure import Rule, cells, merge_small_groups, protect_line
from survey.results.scope import Scope
from survey.results.tabulators import Context, tabulate
from tests.conftest import a_consent

K5 = Rule(5)
PRIORITIES = ["safe_migration", "minimum_wage", "safe_work", "decriminalise_sex_work",
              "no_police_harassment", "education", "health_care", "safe_remittance"]

# Counting and tabulating, with the noise of published counts taken off (test_disclosure.py has it).
pytestmark = pytest.mark.usefixtures("exact_counts")


def store(form, organisation_id: int, answers: dict, *, quote: bool = False, language: str = "en"):
    consent = a_consent(form, language, optional={"quote": quote, "recontact": False})
    submission, _ = store_submission(form, uuid.uuid4(), language, answers, consent,
                                     organisation_id=organisation_id)
    return submission


def twenty(form, organisation_id: int) -> None:
    """Twenty women, built so each number below can be checked by hand.

    documents: passport 10, labour_card 6, pink_card 2, skipped 1, not asked 1.
    work (select_multiple): sex_work 12, factory 9, seafood 3; 15 answered, 5 not asked.
    year_crossed: 2010 … 2019 twice over (20 answers).
    priorities: 12 rank safe_migration first, 8 rank minimum_wage first.
    """
    documents = ["passport"] * 10 + ["labour_card"] * 6 + ["pink_card"] * 2 + [None, "absent"]
    for i, document in enumerate(documents):
        answers: dict = {"year_crossed": 2010 + i % 10}
        if document != "absent":
            answers["documents"] = document
        if i < 15:
            work = ["sex_work"] if i < 12 else []
            work += ["factory"] if i % 2 == 0 or i >= 12 else []
            work += ["seafood"] if i in (1, 3, 5) else []
            answers["work"] = work
        first, second = PRIORITIES[:2] if i < 12 else (PRIORITIES[1], PRIORITIES[0])
        answers["priorities"] = [first, second, *PRIORITIES[2:]]
        store(form, organisation_id, answers)


@pytest.fixture
def data(form, organisation):
    twenty(form, organisation.id)
    return Scope(form, organisation.id)


# --- the rules themselves --------------------------------------------------


def test_a_small_count_is_hidden_and_a_second_count_protects_it():
    # 10, 6, 2, 0 adding up to 18: 2 is "<5"; alone it would be 18 - 16, so 6 goes too.
    line = cells([10, 6, 2, 0], 18, K5, additive=True)
    assert [c.display(K5) for c in line] == ["10", "x", "<5", "0"]
    assert [c.shown_percent for c in line] == [pytest.approx(100 * 10 / 18), None, None, 0.0]


def test_hidden_counts_must_add_up_to_k():
    # 1 and 1 hidden would add up to 2, so both are 1: a third count is hidden.
    assert protect_line([1, 1, 7, 9], set(), K5, additive=True) == {0, 1, 2}
    # 3 and 4 add up to 7 >= 5: enough.
    assert protect_line([3, 4, 7], set(), K5, additive=True) == {0, 1}


def test_counts_that_add_up_to_nothing_published_need_no_partner():
    assert protect_line([12, 3, 9], set(), K5, additive=False) == {1}


def test_a_line_whose_total_is_hidden_hides_enough_to_keep_it_hidden():
    assert protect_line([10, 8], set(), K5, additive=True, total_hidden=True) == {0, 1}


def test_small_groups_merge_into_other_until_it_reaches_k():
    groups = merge_small_groups({"a": 10, "b": 6, "c": 2, None: 1}, ["a", "b", "c", None], K5)
    assert [(g.codes, g.size) for g in groups] == [(("a",), 10), (("b", "c", None), 9)]
    assert merge_small_groups({"a": 3, "b": 1}, ["a", "b"], K5) == []


def test_k_can_be_set_per_form(app, form):
    from survey.results.disclosure import rule_for

    assert rule_for(form).k == 5
    app.config["RESULTS_MIN_CELL_BY_FORM"] = {"priorities": 10}
    assert rule_for(form).k == 10


# --- tabulation --------------------------------------------------------------


def test_select_one_keeps_answered_skipped_and_not_relevant_apart(data):
    results = tabulate(data, K5, "en")
    assert results.respondents == 20
    documents = results.of("documents")
    presence = documents.presence
    # 18 + 1 + 1 = 20: the two 1s are hidden, and 18 with them (else 20 - 18 = 2 = 1 + 1).
    assert [presence.answered.display(K5), presence.skipped.display(K5),
            presence.not_relevant.display(K5)] == ["x", "<5", "<5"]
    shown = {line.code: (line.cell.display(K5), line.cell.shown_percent) for line in documents.lines}
    # The total (18) is hidden, so no percentage could give it away.
    assert shown == {"passport": ("10", None), "labour_card": ("x", None),
                     "pink_card": ("<5", None), "stateless": ("0", None)}


def test_select_multiple_is_the_share_of_respondents_choosing_each(data):
    work = tabulate(data, K5, "en").of("work")
    assert [work.presence.answered.display(K5), work.presence.not_relevant.display(K5)] == ["15", "5"]
    shown = {line.code: (line.cell.display(K5), line.cell.shown_percent) for line in work.lines}
    assert shown["sex_work"] == ("12", 80.0)        # 12 of 15
    assert shown["factory"] == ("9", 60.0)          # i even below 12 (6), and i 12-14 (3)
    assert shown["seafood"] == ("<5", None)         # 3: no partner needed, the shares add up to nothing
    assert shown["domestic_work"] == ("0", 0.0)


def test_a_few_skips_hide_the_number_who_answered_and_so_every_percentage(form, organisation):
    # 16 answered, 4 not asked, of 20: 4 is hidden, so 16 must be too (20 - 16 = 4).
    for i in range(20):
        store(form, organisation.id, {"work": ["factory"]} if i < 16 else {})
    work = tabulate(Scope(form, organisation.id), K5, "en").of("work")
    assert [work.presence.answered.display(K5), work.presence.not_relevant.display(K5)] == ["x", "<5"]
    factory = next(line for line in work.lines if line.code == "factory")
    assert (factory.cell.display(K5), factory.cell.shown_percent) == ("16", None)


def test_rank_mean_rank_first_top_three_and_borda(data):
    ranking = tabulate(data, K5, "en").of("priorities")
    items = {item.code: item for item in ranking.items}
    safe, wage = items["safe_migration"], items["minimum_wage"]
    assert (safe.first.count, safe.first.shown_percent) == (12, 60.0)
    assert (wage.first.count, wage.first.shown_percent) == (8, 40.0)
    assert items["safe_work"].first.display(K5) == "0"
    assert safe.top.shown_percent == 100.0 and items["safe_work"].top.shown_percent == 100.0
    assert items["decriminalise_sex_work"].top.count == 0
    # Mean rank: safe_migration 12 x 1 + 8 x 2 = 28 over 20 = 1.4.
    assert safe.mean_rank == pytest.approx(1.4)
    assert wage.mean_rank == pytest.approx(1.6)
    # Borda with 8 ranked: 1st = 8 points, 2nd = 7: 12 x 8 + 8 x 7 = 152.
    assert safe.borda == 152 and wage.borda == 148
    assert [item.code for item in ranking.items][:3] == ["safe_migration", "minimum_wage", "safe_work"]


def test_numbers_n_mean_median_and_quartiles(data):
    year = tabulate(data, K5, "en").of("year_crossed").stats
    # 2010 … 2019 twice: mean 2014.5; sorted positions 4.75, 9.5, 14.25 (0-based).
    assert (year.n, year.mean) == (20, pytest.approx(2014.5))
    assert (year.lower_quartile, year.median, year.upper_quartile) == (
        pytest.approx(2012.0), pytest.approx(2014.5), pytest.approx(2017.0))


def test_too_few_respondents_shows_nothing(form, organisation):
    for _ in range(4):
        store(form, organisation.id, {"documents": "passport"})
    results = tabulate(Scope(form, organisation.id), K5, "en")
    assert (results.respondents, results.enough, results.questions) == (4, False, ())


def test_crosstab_merges_small_groups_and_protects_rows_and_columns(data, form):
    results = tabulate(data, K5, "en")
    context = Context(data, K5, "en", results.respondents)
    table = crosstab(context, results.of("work"), grouping_question(context, "documents"))
    # Groups: passport 10, labour_card 6, pink_card 2, no answer 2 (skipped 1, not asked 1).
    # 2 + 2 < 5, so labour_card joins them: "Other" = 10.
    assert [c.label for c in table.columns] == ["Passport", "Other (small groups together)"]
    assert [c.answered.display(K5) for c in table.columns] == ["10", "5"]
    rows = [[c.display(K5) for c in line] for _, line in table.rows]
    # sex_work 10 | 2: the 2 is hidden, and 10 with it (12 - 10 = 2 from the row total).
    # factory 5 | 4: likewise. seafood 3 | 0: its total is hidden too; nothing to add.
    assert rows[:3] == [["x", "<5"], ["x", "<5"], ["<5", "0"]]
    assert rows[3:] == [["0", "0"]] * 5


def test_by_organisation_and_date_range(form, organisation, data):
    other = create_organisation("OTH", "Other CBO")
    assign_unassigned_forms(other)
    for _ in range(6):
        store(form, other.id, {"documents": "stateless"})
    assert Scope(form, organisation.id).respondents() == 20
    assert Scope(form, None).respondents() == 26
    today = organisation_today(organisation.id)
    assert Scope(form, None, since=today + datetime.timedelta(days=1)).respondents() == 0
    assert Scope(form, None, since=today, until=today).respondents() == 26
    pooled = tabulate(Scope(form, None), K5, "en").of("documents")
    assert {line.code: line.cell.count for line in pooled.lines}["stateless"] == 6


def test_withdrawn_participants_never_count(form, organisation, data, app):
    from survey.accounts.users import create_user
    from survey.collect.models import Submission
    from sqlalchemy import select

    lead = create_user("lena", "correct horse battery", Role.LEAD, organisation_id=organisation.id)
    code = db.session.scalar(select(Submission).order_by(Submission.id)).participant.code
    withdraw(code, lead, organisation.id)
    results = tabulate(Scope(form, organisation.id), K5, "en")
    assert results.respondents == 19
    assert {line.code: line.cell.count for line in results.of("documents").lines}["passport"] == 9


def test_free_text_only_with_consent_redacted_and_never_pooled(form, organisation, data):
    store(form, organisation.id, {"what_helps": "Call Mai on 081-234-5678 for help"}, quote=True)
    store(form, organisation.id, {"what_helps": "secret words no consent"}, quote=False)
    own = tabulate(Scope(form, organisation.id), K5, "en").of("what_helps")
    assert own.quotes == ("Call Mai on […] for help",)
    pooled = tabulate(Scope(form, None), K5, "en").of("what_helps")
    assert pooled.quotes == () and not pooled.quotes_allowed


def test_labels_in_the_viewers_language(data):
    documents = tabulate(data, K5, "my").of("documents")
    assert documents.label == catalog.get_form("priorities").question("documents").label.translations["my"]
