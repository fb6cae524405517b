"""Export and tabulation benchmarks: ``python -m bench.export_bench [--postgres URL] [--size N]``.

Measured side by side in one run, as ratios, so the machine matters less:

- the Responses sheet, as a ratio to a plain loop appending the same Python
  values to an openpyxl write-only sheet (both saved to a file);
- peak Python memory (tracemalloc) of the whole workbook at 10,000 and at
  100,000 submissions, each in a fresh process;
- tabulation of the whole survey plus three cross-tabulations, as a ratio to
  one Python pass over the same answers (json.loads + Counter).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl import Workbook
from sqlalchemy import text

from survey import create_app
from survey.db import db
from survey.export.responses import layout, rows
from survey.export.workbook import write_workbook
from survey.forms import catalog
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from survey.results.crosstab import crosstab, grouping_question
from survey.results.disclosure import Rule
from survey.results.scope import Scope
from survey.results.tabulators import Context, tabulate

from .synthetic import populate

PROJECT = Path(__file__).resolve().parent.parent
CROSS = [("priorities", "documents"), ("work", "ethnicity"), ("debt", "documents")]
RULE = Rule(5)


def app_for(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                       "FORMS_DIR": str(PROJECT / "forms"), "TESTING": True})


def build(url: str, sizes: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    app = app_for(url)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        form = catalog.get_form("priorities")
        made = {}
        offset = 0
        for code, count in sizes.items():
            organisation = create_organisation(code, code)
            assign_unassigned_forms(organisation)
            started = time.perf_counter()
            made[code] = populate(form, organisation.id, count, first=offset)
            offset += count
            print(f"  inserted {count:,} submissions for {code} in {time.perf_counter() - started:.1f} s")
        if db.engine.dialect.name == "postgresql":
            # VACUUM as autovacuum would after a bulk load: index-only scans of the
            # answer indexes need the visibility map; without it every row is read twice.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        return made


def timed(work: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def responses_ratio(url: str, code: str) -> tuple[float, float, float, int]:
    """(ours, plain loop, read-and-pivot only) in seconds, and the number of rows."""
    app = app_for(url)
    with app.app_context():
        form = catalog.get_form("priorities")
        scope = Scope(form, _organisation_id(code))
        shape = layout(scope, "my")
        materialised = list(rows(scope, "my", shape, []))

        def ours() -> None:
            book = Workbook(write_only=True)
            sheet = book.create_sheet("Responses")
            sheet.append(shape.headers)
            overflow: list = []
            for row in rows(scope, "my", shape, overflow):
                sheet.append(row)
            with tempfile.TemporaryFile() as out:
                book.save(out)

        def plain() -> None:
            book = Workbook(write_only=True)
            sheet = book.create_sheet("Responses")
            sheet.append(shape.headers)
            for row in materialised:
                sheet.append(row)
            with tempfile.TemporaryFile() as out:
                book.save(out)

        def read_only() -> None:
            for _ in rows(scope, "my", shape, []):
                pass

        # Interleaved, best of five each, so both see the same machine state; one 30 s run
        # of either varies by up to 10 % on a shared 2-core machine.
        ours_s, plain_s = float("inf"), float("inf")
        for _ in range(5):
            ours_s = min(ours_s, timed(ours, 1))
            plain_s = min(plain_s, timed(plain, 1))
        return ours_s, plain_s, timed(read_only, 1), len(materialised)


def _organisation_id(code: str) -> int:
    from sqlalchemy import select

    from survey.organisations.models import Organisation

    return db.session.scalar(select(Organisation.id).where(Organisation.code == code))


def tabulation_ratio(url: str, code: str, given: list[dict[str, Any]]) -> tuple[float, float]:
    """(SQL tabulation + three cross-tabs, one Python pass) in seconds."""
    documents = [json.dumps(answers, ensure_ascii=False) for answers in given]
    app = app_for(url)
    with app.app_context():
        form = catalog.get_form("priorities")
        scope = Scope(form, _organisation_id(code))

        def sql() -> None:
            results = tabulate(scope, RULE, "my")
            context = Context(scope, RULE, "my", results.respondents)
            for question, by in CROSS:
                crosstab(context, results.of(question), grouping_question(context, by))

        return timed(sql), timed(lambda: python_pass(documents))


def python_pass(documents: list[str]) -> Counter:
    """What a document store would do: parse each submission and count, cross-tabs included."""
    counts: Counter = Counter()
    for document in documents:
        answers = json.loads(document)
        for name, value in answers.items():
            if isinstance(value, list):
                for position, item in enumerate(value, start=1):
                    counts[name, item, position] += 1
            else:
                counts[name, value] += 1
        for question, by in CROSS:
            group = answers.get(by)
            value = answers.get(question)
            for item in value if isinstance(value, list) else [value]:
                counts[question, by, group, item] += 1
    return counts


def memory(url: str, code: str) -> tuple[float, int]:
    """Peak traced memory (MB) of the whole workbook, in this process; and the submissions."""
    app = app_for(url)
    with app.app_context():
        scope = Scope(catalog.get_form("priorities"), _organisation_id(code))
        count = scope.respondents()
        tracemalloc.start()
        with tempfile.TemporaryFile() as out:
            write_workbook(scope, RULE, "my", out)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak / 1e6, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="a PostgreSQL URL to run on as well (its tables are replaced)")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--memory", nargs=2, metavar=("URL", "ORG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:  # the child process of a memory measurement
        print(json.dumps(memory(*args.memory)))
        return
    assert openpyxl.LXML, "lxml is required: pip install lxml"
    urls = {"SQLite": f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"}
    if args.postgres:
        urls["PostgreSQL"] = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
    for name, url in urls.items():
        print(f"== {name}: {args.small:,} + {args.size:,} synthetic submissions of priorities.yaml")
        made = build(url, {"SMALL": args.small, "BIG": args.size})
        sql_s, python_s = tabulation_ratio(url, "BIG", made["BIG"])
        print(f"tabulation, whole survey + 3 cross-tabs, {args.size:,} submissions: "
              f"SQL {sql_s:.2f} s, Python pass {python_s:.2f} s, ratio {sql_s / python_s:.2f}x")
        ours, plain, read, count = responses_ratio(url, "BIG")
        print(f"Responses sheet, {count:,} rows: ours {ours:.2f} s, plain append {plain:.2f} s, "
              f"ratio {ours / plain:.2f}x (reading and pivoting alone: {read:.2f} s)")
        peaks = {}
        for code in ("SMALL", "BIG"):
            child = subprocess.run([sys.executable, "-m", "bench.export_bench", "--memory", url, code],
                                   capture_output=True, text=True, check=True, cwd=PROJECT,
                                   env={**os.environ})
            peaks[code] = json.loads(child.stdout.strip().splitlines()[-1])
        (small_mb, small_n), (big_mb, big_n) = peaks["SMALL"], peaks["BIG"]
        print(f"whole workbook peak memory: {small_mb:.1f} MB at {small_n:,}, {big_mb:.1f} MB at "
              f"{big_n:,}: growth {big_mb - small_mb:+.1f} MB")


if __name__ == "__main__":
    main()
