"""The analyst's attacks of issue 13, from published outputs only, against planted small cells.

Two organisations, ~200 synthetic women over one quarter. The attacker is an
admin of organisation A: she knows A's true answers (its raw workbook) and
reads only what is published: results pages over HTTP (her own and pooled,
every period the page offers, every breakdown) and the workbook to share.
The p-table is public, so from a published count she knows the set of true
counts it can come from; she puts every such fact into one integer
programme (scipy's ``milp``) and asks, for each hidden count, the least and
the most it can be. A count is recovered when the two are equal.
"""

from __future__ import annotations

import datetime
import html
import io
import random
import re
import uuid

import numpy as np
import openpyxl
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from sqlalchemy import update

from survey.accounts.models import Role, User
from survey.collect.models import Submission
from survey.collect.storage import store_submission
from survey.consent.models import ConsentRecord, Participant
from survey.consent.records import withdraw
from survey.db import db
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from survey.results import perturbation
from survey.results.counts import recount
from tests.conftest import a_consent, log_in_as

MONTHS = {"2026-01": 15, "2026-02": 13, "2026-03": 12}  # a day of each month
PERIODS = ["", "2026-Q1", *MONTHS]
SENSITIVE = "detained"
GROUPINGS = ("documents", "police_contact", "age_band")
HIDDEN = {"x"} | {f"<{k}" for k in range(2, 11)}


# --- the data: common answers, and a few planted rare ones -----------------


def _answers(form, rng: random.Random, rare: bool) -> dict:
    found = {}
    for name in ("ethnicity", "age_band", "documents", "police_contact", "debt", "money_sent_home"):
        values = form.question(name).choice_values
        found[name] = values[0] if rng.random() < 0.6 else values[1]
    found["documents"] = "pink_card" if rare else found["documents"]
    found[SENSITIVE] = "yes" if rare else "no"
    found["year_crossed"] = 2015 + rng.randrange(5)
    found["priorities"] = rng.sample(form.question("priorities").choice_values,
                                     len(form.question("priorities").choice_values))
    return found


@pytest.fixture
def world(client, organisation, form):
    """A: 110 women; B: 90, of whom one (the planted one, in February) and two more
    (January, March) were detained and hold a pink card: every such count is small."""
    other = create_organisation("OTB", "Other CBO")
    assign_unassigned_forms(other)
    rng = random.Random(13)
    people = []
    for org, size in ((organisation.id, 110), (other.id, 90)):
        for i in range(size):
            month = list(MONTHS)[i % 3]
            rare = (org == other.id and i in (0, 1, 2)) or (org == organisation.id and i in (3, 4))
            answers = _answers(form, rng, rare)
            consent = a_consent(form, optional={"quote": False, "recontact": False})
            submission, _ = store_submission(form, uuid.uuid4(), "en", answers, consent,
                                             organisation_id=org)
            people.append((submission.id, org, month, answers))
    for ident, _, month, _ in people:
        day = datetime.datetime(2026, int(month[-2:]), MONTHS[month], 10)
        db.session.execute(update(Submission).where(Submission.id == ident)
                           .values(received_at=day, record_key=rng.randrange(perturbation.RANGE)))
    recount(db.session.connection())
    db.session.commit()
    log_in_as(client, "ada", Role.ADMIN, organisation.id)
    planted = next(p for p in people if p[1] == other.id and p[3][SENSITIVE] == "yes"
                   and p[2] == "2026-02")
    return {"client": client, "people": people, "own": organisation.id, "other": other.id,
            "planted": planted, "form": form}


# --- reading what is published ---------------------------------------------


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def page(client, **query: str) -> dict[tuple[str, str, str], str]:
    """Every published cell of a results page: (table, row, column) -> what is shown."""
    response = client.get("/results/priorities", query_string={k: v for k, v in query.items() if v})
    assert response.status_code == 200, response.text
    found: dict[tuple[str, str, str], str] = {}
    for section in re.split(r"<section ", response.text)[1:]:
        name = re.search(r'id="q-(\w+)"', section)
        title = name[1] if name else _text(re.search(r"<h3>(.*?)</h3>", section, re.S)[1])
        columns: list[str] = []
        for row in re.findall(r"<tr>(.*?)</tr>", section, re.S):
            cells = [_text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            if not columns and cells and cells[0] == "" and "crosstab" in title + section[:40]:
                columns = cells
                continue
            for i, value in enumerate(cells[1:2] if not columns else cells[1:], start=1):
                value = re.sub(r"\s*\(\d+%\)$", "", value)
                if re.fullmatch(r"\d+|x|<\d+", value):
                    found[title, cells[0], columns[i] if columns else "Count"] = value
    return found


def label(form, question: str, value: str) -> str:
    choice = next(c for c in form.question(question).choices if c.value == value)
    return choice.label.translations["en"]


def preimage(shown: str) -> tuple[int, int]:
    """The true counts a published count can come from, by the public p-table."""
    if shown == "x":
        return 0, 10**6
    if shown in HIDDEN:  # "<k": a published count from 1 to k - 1, so 3 to k - 1
        return sources(3, int(shown[1:]) - 1)
    return sources(int(shown), int(shown))


def sources(low: int, high: int) -> tuple[int, int]:
    """The true counts one organisation's published count from ``low`` to ``high`` can come from."""
    found = [count for count in range(high + 10)
             if any(low <= p <= high for p, _ in _row(count))]
    return (min(found), max(found)) if found else (0, 10**6)


def _row(count: int):
    return perturbation._row(count)


# --- the solver ---------------------------------------------------------------


class Programme:
    """Integer unknowns, and linear facts ``lo <= sum(unknowns) <= hi``."""

    def __init__(self) -> None:
        self.names: dict[object, int] = {}
        self.facts: list[tuple[list[object], int, int]] = []

    def var(self, name: object) -> object:
        self.names.setdefault(name, len(self.names))
        return name

    def fact(self, names: list[object], lo: int, hi: int) -> None:
        self.facts.append(([self.var(n) for n in names], lo, hi))

    def range_of(self, names: list[object]) -> tuple[int, int]:
        size = len(self.names)
        matrix = np.zeros((len(self.facts), size))
        for r, (members, _, _) in enumerate(self.facts):
            for n in members:
                matrix[r, self.names[n]] += 1
        constraints = LinearConstraint(matrix, [f[1] for f in self.facts], [f[2] for f in self.facts])
        target = np.zeros(size)
        for n in names:
            target[self.names[self.var(n)]] = 1
        ends = []
        for sign in (1, -1):
            result = milp(sign * target, constraints=[constraints], integrality=np.ones(size),
                          bounds=Bounds(0, 10**4))
            assert result.success, result.message
            ends.append(round(sign * result.fun))
        return ends[0], ends[1]


def true_count(world, org: int | None, months, question: str, value: str, by=None) -> int:
    return sum(1 for _, o, month, answers in world["people"]
               if (org is None or o == org) and month in months and answers.get(question) == value
               and (by is None or answers.get(by[0]) == by[1]))


def _months(period: str) -> list[str]:
    return list(MONTHS) if period in ("", "2026-Q1") else [period]


# --- the attacks --------------------------------------------------------------


def test_the_breakdown_headers_and_every_pair_of_periods_give_no_hidden_count(world):
    """Her own organisation's pages: every period offered, every breakdown, one programme."""
    client, form = world["client"], world["form"]
    sensitive = form.question(SENSITIVE).choice_values
    offered = re.findall(r'<option value="(20[^"]+)"', client.get("/results/priorities").text)
    assert set(offered) >= set(PERIODS[1:])
    solver, hidden = Programme(), []
    for period in PERIODS:
        months = _months(period)
        shown = page(client, period=period)
        for value in sensitive:
            cell = shown.get((SENSITIVE, label(form, SENSITIVE, value), "Count"))
            if cell is None:
                continue
            solver.fact([(m, value) for m in months], *preimage(cell))
            if cell in HIDDEN:
                hidden.append(([(m, value) for m in months],
                               true_count(world, world["own"], months, SENSITIVE, value)))
        for by in GROUPINGS:
            for (table, row, column), cell in page(client, period=period, by=by).items():
                if not table.startswith(form.text(form.question(SENSITIVE).label, "en")):
                    continue
                value = next((v for v in sensitive if label(form, SENSITIVE, v) == row), None)
                group = next((g for g in form.question(by).choice_values
                              if label(form, by, g) == column), None)
                if value is None or group is None:
                    continue
                solver.fact([(m, value, by, group) for m in months], *preimage(cell))
    assert hidden, "the planted small counts are hidden on her own pages"
    for names, truth in hidden:
        low, high = solver.range_of(names)
        assert low <= truth <= high
        assert low < high, f"{names} recovered exactly: {truth}"


def _pooled_less_own(world, period: str, by: str | None = None) -> dict[tuple[str, str, str], tuple[int, int]]:
    """What pooled less her own (published) tells her of the others' true counts."""
    client = world["client"]
    pooled = page(client, view="pooled", period=period, by=by or "")
    own = page(client, period=period, by=by or "")
    found = {}
    for key, cell in pooled.items():
        mine = own.get(key, "0")
        if cell == "x" or mine == "x":
            continue
        low, high = (3, int(cell[1:]) - 1) if cell in HIDDEN else (int(cell), int(cell))
        mine_low, mine_high = (3, int(mine[1:]) - 1) if mine in HIDDEN else (int(mine), int(mine))
        found[key] = sources(max(low - mine_high, 0), max(high - mine_low, 0))
    return found


def test_pooled_less_her_own_organisation_and_averaging_every_query_with_one_woman(world):
    """Every published count that contains the planted woman (each period, each breakdown,
    pooled and own), in one programme over the other organisation's unknowns."""
    form = world["form"]
    sensitive = form.question(SENSITIVE).choice_values
    sensitive_label = form.text(form.question(SENSITIVE).label, "en")
    solver = Programme()
    queries = 0
    for period in PERIODS:
        months = _months(period)
        for by in (None, *GROUPINGS):
            for (table, row, column), (lo, hi) in _pooled_less_own(world, period, by).items():
                if not table.startswith(sensitive_label):
                    continue
                value = next((v for v in sensitive if label(form, SENSITIVE, v) == row), None)
                if value is None:
                    continue
                if by is None:
                    solver.fact([(m, value) for m in months], lo, hi)
                    queries += 1
                    continue
                group = next((g for g in form.question(by).choice_values
                              if label(form, by, g) == column), None)
                if group is not None:
                    solver.fact([(m, value, by, group) for m in months], lo, hi)
                    queries += 1
    for m in MONTHS:
        for value in sensitive:
            for by in GROUPINGS:
                solver.fact([(m, value, by, g) for g in form.question(by).choice_values]
                            + [(m, value)], 0, 10**6)
    assert queries >= 20, "the pooled pages publish many counts with her in them"
    _, _, month, answers = world["planted"]
    low, high = solver.range_of([(month, "yes")])
    truth = true_count(world, world["other"], [month], SENSITIVE, "yes")
    assert truth == 1 and low <= truth <= high
    assert low == 0, "the planted woman's detention can be read off"
    for m in MONTHS:
        for value in sensitive:
            low, high = solver.range_of([(m, value)])
            assert low < high, f"the other organisation's {m} {value} recovered exactly"


def test_before_and_after_a_withdrawal_the_pooled_pages_do_not_give_her_away(world):
    client, form = world["client"], world["form"]
    before = _pooled_less_own(world, "")
    ident, org, _, answers = world["planted"]
    code = db.session.scalar(
        db.select(Participant.code).join(ConsentRecord, ConsentRecord.participant_id == Participant.id)
        .join(Submission, Submission.consent_id == ConsentRecord.id).where(Submission.id == ident))
    withdraw(code, db.session.scalar(db.select(User).where(User.username == "ada")), org)
    after = _pooled_less_own(world, "")
    hers = {(q, label(form, q, v), "Count") for q, v in answers.items()
            if isinstance(v, str) and form.question(q).choices}
    others = [key for key in before if key not in hers and key in after and before[key][0] > 0]
    changed = [key for key in others if before[key] != after[key]]
    assert len(changed) > len(others) / 2, "only her cells changed: the difference is her profile"
    pinned = []
    for question in ("ethnicity", "age_band", "documents", "police_contact", "debt", SENSITIVE):
        feasible = [value for value in form.question(question).choice_values
                    if _could_be(before, after, question, label(form, question, value), form)]
        assert answers[question] in feasible
        pinned += [question] if len(feasible) == 1 else []
    assert SENSITIVE not in pinned, "her detention is read off the difference"
    assert len(pinned) < 3, f"her answers are read off the difference: {pinned}"


def _could_be(before, after, question: str, chosen: str, form) -> bool:
    """Whether her answer to ``question`` may have been ``chosen``: each of its cells, less
    her where she would be, fits both the count before and the count after."""
    for value in form.question(question).choice_values:
        key = (question, label(form, question, value), "Count")
        if key not in before or key not in after:
            continue
        gone = 1 if key[1] == chosen else 0
        (low, high), (low_after, high_after) = before[key], after[key]
        if max(low, low_after + gone) > min(high, high_after + gone):
            return False
    return True


def test_the_shareable_workbook_has_no_answers_and_protected_registers(world):
    client = world["client"]
    response = client.get("/results/priorities/shareable.xlsx")
    assert response.status_code == 200
    data = response.data
    response.close()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert "Responses" not in book.sheetnames and "Long texts" not in book.sheetnames
    for name in book.sheetnames:
        first = next(book[name].iter_rows(values_only=True))
        assert first[0], name
    consents = [row for row in book["Consent register"].iter_rows(values_only=True) if row and row[0] == "1"]
    assert consents and all(row[3] != 110 for row in consents), "a true count of the register"
    raw = client.get("/results/priorities/workbook.xlsx")
    data = raw.data
    raw.close()
    first = next(openpyxl.load_workbook(io.BytesIO(data), read_only=True)["About"]
                 .iter_rows(values_only=True))
    assert "do not share" in first[0]
    register = client.get("/consent/priorities").text
    assert "Do not share, print or photograph it" in register


def test_free_dates_are_refused(world):
    response = world["client"].get("/results/priorities?from=2026-02-13&to=2026-02-13")
    assert response.status_code == 400
    assert "whole month or quarter" in response.text
