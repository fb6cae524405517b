"""How far protected figures are from true ones: ``python -m bench.disclosure_bench [--size N]``.

Synthetic submissions of the example survey (``bench.synthetic.answers``)
are stored as the app stores them, in two organisations over six months.
Every count of every table (each organisation, pooled; all time and each
quarter) is tabulated twice in the same run: published (cell-key
perturbation) and true (the p-table replaced by the identity). Printed: the
mean absolute change per cell, the share of cells changed, and the share of
cells changed by more than 2, over cells of 5 or more (shown) and all.
"""

from __future__ import annotations

import argparse
import datetime
import random
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import update

from bench.synthetic import answers
from survey import create_app
from survey.collect.models import Submission
from survey.collect.storage import store_submission
from survey.consent.models import ConsentMethod
from survey.consent.records import GivenConsent
from survey.db import db
from survey.forms import catalog
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from survey.results import perturbation
from survey.results.counts import recount
from survey.results.disclosure import Cell, Rule
from survey.results.scope import Scope
from survey.results.tables import ChoiceResult, RankResult, Results
from survey.results.tabulators import tabulate
from survey.timeutil import utcnow

PROJECT = Path(__file__).resolve().parent.parent
RULE = Rule(5)
QUARTERS = [(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
            (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))]


def store(size: int) -> list[int]:
    form = catalog.get_form("priorities")
    rng = random.Random(13)
    organisations = []
    for code, share in (("BENCH1", 0.6), ("BENCH2", 0.4)):
        organisation = create_organisation(code, code)
        assign_unassigned_forms(organisation)
        organisations.append(organisation.id)
        for _ in range(int(size * share)):
            consent = GivenConsent(version=form.consent.version, language="en",
                                   method=ConsentMethod.ORAL, given_at=utcnow(),
                                   optional={o.name: False for o in form.consent.optional})
            given = {k: v for k, v in answers(form, rng).items() if v is not None}
            submission, _ = store_submission(form, uuid.uuid4(), "en", given, consent,
                                             organisation_id=organisation.id)
            day = datetime.datetime(2026, 1, 1) + datetime.timedelta(days=rng.randrange(181))
            db.session.execute(update(Submission).where(Submission.id == submission.id)
                               .values(received_at=day))
    recount(db.session.connection())
    db.session.commit()
    return organisations


def cells(results: Results) -> Iterator[Cell]:
    for result in results.questions:
        yield from (result.presence.answered, result.presence.skipped, result.presence.not_relevant)
        if isinstance(result, ChoiceResult):
            yield from (line.cell for line in result.lines)
        if isinstance(result, RankResult):
            for item in result.items:
                yield from (item.first, item.top)


def compare(scopes: list[Scope]) -> list[tuple[int, int]]:
    """(true, published) for every cell of every scope's tables."""
    published = [list(cells(tabulate(scope, RULE, "en"))) for scope in scopes]
    row = perturbation._row
    perturbation._row = lambda count: ((count, perturbation.RANGE),)  # type: ignore[assignment]
    try:
        true = [list(cells(tabulate(scope, RULE, "en"))) for scope in scopes]
    finally:
        perturbation._row = row  # type: ignore[assignment]
    return [(t.count, p.count) for ts, ps in zip(true, published, strict=True)
            for t, p in zip(ts, ps, strict=True)]


def report(label: str, pairs: list[tuple[int, int]]) -> None:
    if not pairs:
        return
    changes = [abs(p - t) for t, p in pairs]
    print(f"  {label:<22} cells {len(pairs):>5}  mean |change| {sum(changes) / len(pairs):.2f}  "
          f"changed {sum(1 for c in changes if c) / len(pairs):.0%}  "
          f"by more than 2 {sum(1 for c in changes if c > 2) / len(pairs):.1%}  "
          f"mean true count {sum(t for t, _ in pairs) / len(pairs):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                          "SECRET_KEY": "bench", "FORMS_DIR": str(PROJECT / "forms"),
                          "TESTING": True})
        with app.app_context():
            db.create_all()
            organisations = store(args.size)
            form = catalog.get_form("priorities")
            print(f"{args.size} synthetic submissions, two organisations, six months:")
            for label, who in (("one organisation", [organisations[0]]),
                               ("pooled", [None])):
                scopes = [Scope(form, o, since, until).among_enough(RULE.k)
                          for o in who for since, until in [(None, None), *QUARTERS]]
                pairs = compare(scopes)
                report(label + ", all", pairs)
                report(label + ", 5 or more", [(t, p) for t, p in pairs if t >= RULE.k])


if __name__ == "__main__":
    main()
