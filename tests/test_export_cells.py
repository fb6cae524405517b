"""Safe cells: participant text never becomes a formula, never crashes, never silently changes."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from survey.accounts.models import Role
from survey.export.cells import (EXCEL_MAX_CHARS, as_text_cells, looks_like_formula, neutralise, safe,
                                 split_long)
from survey.export.columns import RowContext, Labels
from survey.forms import catalog
from survey.forms.types import QUESTION_TYPES
from tests.conftest import IN_CI, log_in_as
from tests.test_export import download, responses
from tests.test_results import store, twenty

FORMULA_STARTS = "=+-@\t\r\n＝＋－＠"
SCRIPTS = ["မြန်မာစာ ကျွန်မ", "ၵႂၢမ်းတႆး လွင်ႈ", "ภาษาไทย ค่ะ", "ភាសាខ្មែរ", "👩🏽‍🌾🇲🇲🇹🇭", "ကချင်"]


@pytest.mark.parametrize(("text", "shown"), [
    ("=1+1", "=1+1"),
    ("   =HYPERLINK(\"x\")", "   =HYPERLINK(\"x\")"),
    ("a = b", "a = b"),
    ("", ""),
    ("bell\x07 and nul\x00", "bell\u2407 and nul\u2400"),
    ("\x1b[31m", "\u241b[31m"),
])
def test_neutralise_changes_only_what_xml_cannot_hold(text, shown):
    assert neutralise(text) == shown


@pytest.mark.parametrize("text", ["=1+1", "+66 81 234", "-5", "@SUM(A1)", "\t=cmd", "\r\n=x", "＝１＋１",
                                  "＋", "   =HYPERLINK(\"x\")", "\u3000@x", "#N/A", "#GETTING_DATA"])
def test_what_a_spreadsheet_could_take_for_a_formula_or_an_error(text):
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", ["a = b", "", "e=mc2", "ကျွန်မ", "12"])
def test_plain_text_is_not_taken_for_a_formula(text):
    assert not looks_like_formula(text)


def test_numbers_stay_numbers():
    assert safe(12) == 12 and safe(2.5) == 2.5 and safe(None) is None


def test_long_text_is_split_and_marked_never_cut():
    text = "က" * (EXCEL_MAX_CHARS * 2 + 10)
    parts = split_long(text)
    assert len(parts) == 3 and all(len(p) <= EXCEL_MAX_CHARS for p in parts)
    assert parts[0].endswith("[1/3 →]") and parts[1].startswith("[2/3] ")
    joined = "".join(re.sub(r"^\[\d/3\] | \[\d/3 →\]$", "", p) for p in parts)
    assert joined == text


hostile = st.one_of(
    st.text(min_size=0, max_size=40),
    st.builds(lambda lead, body: lead + body,
              st.sampled_from([" ", "  ", "\u3000", ""]).flatmap(
                  lambda space: st.sampled_from([space + c for c in FORMULA_STARTS])),
              st.text(max_size=30)),
    st.text(alphabet=st.characters(max_codepoint=0x1f), max_size=10),
    st.sampled_from(SCRIPTS),
    st.sampled_from(["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\",\"y\")", "@SUM(1+1)*cmd|'/C calc'!A0",
                     "+1+1", "-2+3", "=1+1", "DDE(\"cmd\")", "\ufffe\uffff", "\ud800"]),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(st.lists(hostile, min_size=100, max_size=100))
def test_ten_thousand_hostile_strings_never_become_formulas(texts):
    """100 examples of 100 strings, written as the exporter writes free text."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Responses")
    put = QUESTION_TYPES["text"].export_put(catalog_question(), LABELS)
    context = RowContext(True, "", [])
    written = []
    for text in texts:
        row = [None]
        put(row, 0, text, context)
        sheet.append(as_text_cells(sheet, row))
        written.append(row[0])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    cells = [row[0] for row in openpyxl.load_workbook(buffer).active.iter_rows()]
    for text, cell, back in zip(texts, written, cells, strict=True):
        assert (back.value or "") == cell  # what was written is what is read
        assert back.value is None or back.data_type == "s"
        # Nothing is silently changed: the text is as given, or with illegal
        # characters replaced visibly, or a number redacted.
        replaced = any("\u2400" <= c <= "\u241f" or c == "\ufffd" for c in back.value or "")
        assert (back.value or "") == text or replaced or "[…]" in back.value


class _Question:
    name = "what_helps"

    class label:  # noqa: N801 - a stand-in for Text
        translations = {"en": "What helps"}


def catalog_question():
    return _Question()


class _Labels(Labels):
    def question(self, question) -> str:
        return "What helps"


LABELS = _Labels(form=None, language="en")  # type: ignore[arg-type]


def test_hostile_text_through_the_whole_export(client, organisation, app):
    form = catalog.get_form("priorities")
    twenty(form, organisation.id)
    nasty = ["=1+1", " +SUM(A1)", "＝cmd", "@x", "-1", "\ttab", "a\x07b", *SCRIPTS,
             "x" * 25_000]
    for text in nasty:
        store(form, organisation.id, {"what_helps": text}, quote=True)
    log_in_as(client, "lena", Role.LEAD, organisation.id)
    data = download(client, "?lang=codes")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode(), name
    header, body = responses(data)
    got = sorted(row[header.index("what_helps")] for row in body if row[header.index("what_helps")])
    assert got == sorted(neutralise(t) for t in nasty)
    for script in SCRIPTS:
        assert script in got  # Burmese, Shan, Thai, Khmer and emoji round-trip exactly
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(3).to_python()
    assert sorted(str(r[header.index("what_helps")]) for r in calamine[2:] if r[header.index("what_helps")]) == got


# --- LibreOffice ----------------------------------------------------------------

SOFFICE = shutil.which("soffice")


@pytest.mark.slow
def test_libreoffice_converts_it_with_the_same_values(client, organisation, tmp_path):
    if SOFFICE is None:
        if IN_CI:
            pytest.fail("LibreOffice is required in CI (apt-get install -y libreoffice-calc)")
        pytest.skip("soffice not found: apt-get install -y libreoffice-calc")
    form = catalog.get_form("priorities")
    twenty(form, organisation.id)
    store(form, organisation.id, {"what_helps": "=1+1 ကျွန်မ"}, quote=True)
    log_in_as(client, "lena", Role.LEAD, organisation.id)
    source = tmp_path / "results.xlsx"
    source.write_bytes(download(client, "?lang=my"))
    # Every sheet to its own CSV (token 12 = -1), UTF-8 (76), comma, quote.
    filter_ = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
         "--convert-to", filter_, "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    csvs = sorted(tmp_path.glob("results*.csv"))
    assert len(csvs) == 9, (result.stdout, result.stderr, list(tmp_path.iterdir()))
    book = openpyxl.load_workbook(source, read_only=True)
    responses_csv = next(p for p in csvs if Path(p).stem.endswith(book.sheetnames[3]))
    rows = list(csv.reader(io.StringIO(responses_csv.read_text(encoding="utf-8"))))
    header = rows[1]
    texts = [row[header.index(form.question("what_helps").label.translations["my"])] for row in rows[2:]]
    assert "=1+1 ကျွန်မ" in texts
    passport = form.question("documents").choices[0].label.translations["my"]
    assert rows[2][header.index(form.question("documents").label.translations["my"])] == passport
    assert rows[2][header.index(form.question("year_crossed").label.translations["my"])] == "2010"
