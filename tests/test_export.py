"""The Excel workbook: its sheets, its values, who may download it, and the CLI."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select, update

from survey.accounts.models import Role
from survey.audit.models import AuditEvent
from survey.collect.models import Submission
from survey.db import db
from survey.export.responses import layout, rows as export_rows
from survey.forms import catalog
from survey.forms.loader import load_form
from survey.forms.versions import record_version
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from survey.results.scope import Scope
from tests.conftest import log_in_as
from tests.test_results import PRIORITIES, store, twenty

SHEETS = ["About", "Summary", "Priorities", "Responses", "Long texts", "Codebook",
          "Translator notes", "Consent register", "Withdrawals"]
RULE = 'Counts from 1 to 4 are shown as "<5"'
PROTECTION = "Numbers are changed a little"
RAW = "This workbook holds each person's answers (the Responses sheet)"


def download(client, query: str = "") -> bytes:
    response = client.get(f"/results/priorities/workbook.xlsx{query}")
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.data
    response.close()  # as a WSGI server does: the temporary file goes
    return data


def rows(data: bytes, sheet: str) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def responses(data: bytes) -> tuple[list, list[list]]:
    found = rows(data, "Responses")
    header = found[1]  # row 1: the rule in force
    return header, [row + [None] * (len(header) - len(row)) for row in found[2:]]


def test_the_workbook_has_every_sheet_and_the_rule_on_each(lead):
    data = download(lead)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == SHEETS
    assert str(next(book["About"].iter_rows(values_only=True))[0]).startswith(RAW)
    for name in set(SHEETS) - {"About", "Responses"}:
        first, second = list(book[name].iter_rows(values_only=True, max_row=2))
        assert str(first[0]).startswith(PROTECTION) and str(second[0]).startswith(RULE), name
    assert "do not share" in str(next(book["Responses"].iter_rows(values_only=True))[0])


def test_responses_one_row_per_submission_numbers_as_numbers(lead, form):
    header, body = responses(download(lead, "?lang=codes"))
    assert len(body) == 20
    column = {name: i for i, name in enumerate(header)}
    first = body[0]
    assert first[column["year_crossed"]] == 2010 and isinstance(first[column["year_crossed"]], int)
    assert first[column["documents"]] == "passport"
    # select_multiple: joined, and 0/1 per choice. Row 1 (i = 0): sex work and factory.
    assert first[column["work"]] == "sex_work; factory"
    assert [first[column[f"work/{c}"]] for c in ("sex_work", "factory", "seafood")] == [1, 1, 0]
    # Not asked (i = 15 … 19): empty, not 0.
    assert body[19][column["work/sex_work"]] is None
    # rank: one column per position.
    assert [first[column[f"priorities/{p}"]] for p in range(1, 9)] == PRIORITIES
    assert body[12][column["priorities/1"]] == "minimum_wage"


def test_headers_and_choices_in_burmese(lead, form):
    header, body = responses(download(lead, "?lang=my"))
    documents = form.question("documents")
    assert documents.label.translations["my"] in header
    passport = documents.choices[0].label.translations["my"]
    assert body[0][header.index(documents.label.translations["my"])] == passport


def test_codebook_has_every_language(lead, form):
    found = rows(download(lead), "Codebook")
    header = found[3]
    assert header[3:] == list(form.languages)
    by_code = {(r[0], r[2]): r for r in found[4:]}
    assert by_code[("documents", "passport")][3 + form.languages.index("shn")] == \
        form.question("documents").choices[0].label.translations["shn"]


def test_summary_has_counts_rule_and_native_charts(lead, exact_counts):
    data = download(lead)
    summary = rows(data, "Summary")
    documents = [r[0] if r else None for r in summary].index(catalog.get_form("priorities").question("documents").label.translations["en"])
    # documents: 18 answered is hidden ("x"), so no percentage is written.
    assert summary[documents + 2][:2] == ["Answered", "x"] and summary[documents + 2][2:3] in ([], [None])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 10


def test_free_text_only_with_consent_and_redacted(lead, form, organisation):
    store(form, organisation.id, {"what_helps": "Ring 081-234-5678, ask for Mai"}, quote=True)
    store(form, organisation.id, {"what_helps": "Do not quote me"}, quote=False)
    header, body = responses(download(lead, "?lang=codes"))
    texts = [row[header.index("what_helps")] for row in body if row[header.index("what_helps")]]
    assert texts == ["Ring […], ask for Mai", "[not shown: no consent to be quoted]"]


def test_a_date_range_keeps_the_submissions_received_in_it_with_their_answers(lead):
    """23:59 on 31 March in Bangkok (the organisation's zone) is 16:59 in UTC."""
    first_five = select(Submission.id).order_by(Submission.id).limit(5).scalar_subquery()
    db.session.execute(update(Submission).where(Submission.id.in_(first_five))
                       .values(received_at=datetime.datetime(2024, 3, 31, 16, 59)))
    db.session.commit()
    header, body = responses(download(lead, "?lang=codes&period=2024-03"))
    assert [row[header.index("Received")] for row in body] == [
        datetime.datetime(2024, 3, 31, 23, 59)] * 5
    assert [row[header.index("year_crossed")] for row in body] == [2010, 2011, 2012, 2013, 2014]


def test_a_submission_stored_before_answers_were_kept_as_documents_reads_its_answer_rows(lead):
    before = responses(download(lead, "?lang=my"))
    db.session.execute(update(Submission).values(answers_json=None))
    db.session.commit()
    assert responses(download(lead, "?lang=my")) == before


def test_answers_stored_before_a_question_changed_type_are_read_as_the_new_type(
        app, organisation, tmp_path):
    first = catalog.get_form("priorities")
    store(first, organisation.id, {"how_crossed": "alone", "year_crossed": 2010})
    source = Path(first.source).read_text()
    assert "version: 1\n" in source
    path = tmp_path / "priorities.yaml"
    path.write_text(source.replace("version: 1\n", "version: 2\n", 1).replace(
        "name: how_crossed\n        type: select_one", "name: how_crossed\n        type: select_multiple", 1))
    second = load_form(path)
    record_version(second)
    scope = Scope(second, organisation.id)
    shape = layout(scope, "codes")
    [row] = export_rows(scope, "codes", shape, [])
    cells = dict(zip(shape.headers, row, strict=True))
    assert (cells["how_crossed"], cells["how_crossed/alone"], cells["how_crossed/broker"]) == ("alone", 1, 0)
    assert (cells["Form version"], cells["year_crossed"]) == ("1", 2010)


def test_withdrawals_and_consents_are_counts_only(lead, form, organisation):
    consent = rows(download(lead), "Consent register")
    assert ["1", "oral", "en", 20] in [r[:4] for r in consent]
    withdrawals = [r for r in rows(download(lead), "Withdrawals") if r]
    assert withdrawals[2:4] == [["Withdrawals", "Count"],
                                ["Participants who withdrew (every survey of the organisation)", 0]]


def test_pooled_workbook_has_no_responses(client, organisation, form):
    twenty(form, organisation.id)
    log_in_as(client, "ada", Role.ADMIN, organisation.id)
    data = download(client, "?view=pooled")
    names = openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames
    assert "Responses" not in names and "Long texts" not in names


def test_every_download_is_audited(lead, form):
    download(lead)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert (event.object_type, event.object_id, event.actor_role) == ("form", "priorities", "lead")


def test_a_language_the_form_lacks_is_a_clear_400(lead):
    response = lead.get("/results/priorities/workbook.xlsx?lang=xx")
    assert response.status_code == 400 and "no language" in response.text


def test_a_lead_of_another_organisation_cannot_download_pooled(client, organisation, form):
    log_in_as(client, "lena", Role.LEAD, organisation.id)
    assert client.get("/results/priorities/workbook.xlsx?view=pooled").status_code == 403


def test_calamine_reads_it(lead, form):
    book = CalamineWorkbook.from_filelike(io.BytesIO(download(lead, "?lang=my")))
    assert len(book.sheet_names) == len(SHEETS)
    data = book.get_sheet_by_index(3).to_python()
    assert len(data) == 22
    assert form.question("documents").choices[0].label.translations["my"] in data[2]


def test_cli_export(app, organisation, form, tmp_path):
    twenty(form, organisation.id)
    target = tmp_path / "out.xlsx"
    result = app.test_cli_runner().invoke(args=["export", "priorities", "--org", "EMP", "--lang", "my",
                                                "-o", str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target, read_only=True)
    assert len(book.sheetnames) == len(SHEETS)  # named in Burmese where translated
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert (event.object_id, event.actor_id, event.organisation_id) == ("priorities", None, organisation.id)


@pytest.mark.parametrize(("args", "message"), [
    (["export", "nothing", "--org", "EMP", "-o", "x.xlsx"], "there is no form 'nothing'"),
    (["export", "priorities", "-o", "x.xlsx"], "give either --org ORG or --pooled"),
    (["export", "priorities", "--org", "NOPE", "-o", "x.xlsx"], "there is no organisation 'NOPE'"),
    (["export", "priorities", "--org", "EMP", "--lang", "xx", "-o", "x.xlsx"], "has no language 'xx'"),
    (["export", "priorities", "--org", "EMP", "--from", "2024-13-01", "-o", "x.xlsx"], "Enter dates"),
])
def test_cli_errors_are_clear(app, organisation, args, message):
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0 and message in result.output


def test_cli_refuses_an_organisation_that_does_not_run_the_form(app, organisation):
    create_organisation("NEW", "New CBO")
    result = app.test_cli_runner().invoke(
        args=["export", "priorities", "--org", "NEW", "-o", "x.xlsx"])
    assert "does not run" in result.output


def test_cli_pooled(app, organisation, form, tmp_path):
    other = create_organisation("OTH", "Other")
    assign_unassigned_forms(other)
    twenty(form, organisation.id)
    target = tmp_path / "pooled.xlsx"
    result = app.test_cli_runner().invoke(args=["export", "priorities", "--pooled", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Responses" not in openpyxl.load_workbook(target, read_only=True).sheetnames
