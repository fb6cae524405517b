"""The Responses as a CSV: what Excel opens, with the same rows as the workbook."""

from __future__ import annotations

import csv
import io

import pytest

from survey.accounts.models import Role
from tests.conftest import log_in_as
from tests.test_export import download, responses
from tests.test_results import store

pytestmark = pytest.mark.usefixtures("exact_counts")


def csv_rows(client, query: str = "") -> tuple[bytes, list[list[str]]]:
    response = client.get(f"/results/priorities/responses.csv{query}")
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/csv"
    assert 'attachment; filename="priorities-EMP-' in response.headers["Content-Disposition"]
    data = response.data
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_is_utf8_with_a_bom_and_holds_the_responses_sheet(lead, form, organisation):
    said = "=HYPERLINK(\"x\") ช่วยได้ " + "ก" * 40_000  # longer than a cell: whole in the CSV
    store(form, organisation.id, {"what_helps": said}, quote=True)
    data, found = csv_rows(lead, "?lang=codes")
    assert data.startswith(b"\xef\xbb\xbf")
    header, body = responses(download(lead, "?lang=codes"))
    assert found[0] == header and len(found) == len(body) + 1 > 2
    assert found[-1][header.index("what_helps")] == "'" + said
    assert found[1][header.index("year_crossed")] == "2010"


def test_pooled_there_is_no_csv_of_each_persons_answers(client, organisation, form):
    log_in_as(client, "ada", Role.ADMIN, organisation.id)
    response = client.get("/results/priorities/responses.csv?view=pooled")
    assert response.status_code == 404
    assert "per organisation" in response.text
