"""The Forms page: upload with an error, fix, preview in Burmese storing nothing,
publish, and an interviewer opens the survey at once, with no restart."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select

from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.db import db
from survey.forms import catalog
from survey.forms.loader import load_forms

from .authoring_support import clinic
from .conftest import PASSWORD, running_app


@pytest.fixture
def author(client: FlaskClient, organisation) -> FlaskClient:
    create_user("ada", PASSWORD, Role.FORM_AUTHOR, organisation_id=organisation.id)
    assert client.post("/login", data={"username": "ada", "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def interviewer_client(database_url: str, interviewer) -> Iterator[FlaskClient]:
    """The interviewer, on an app of her own (a worker of its own) on the same database."""
    with running_app(database_url) as other:
        client = other.test_client()
        assert client.post("/login", data={"username": "ina", "password": PASSWORD}).status_code == 302
        yield client


def upload(client: FlaskClient, text: str, name: str = "clinic.yaml"):
    return client.post("/forms/upload", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def check_output(app: Flask, tmp_path: Path, text: str) -> list[str]:
    """What `flask forms check` prints for the file."""
    folder = tmp_path / "forms"
    folder.mkdir(exist_ok=True)
    (folder / "clinic.yaml").write_text(text, encoding="utf-8")
    app.config["FORMS_DIR"] = str(folder)
    try:
        result = app.test_cli_runner().invoke(args=["forms", "check"])
    finally:
        app.config["FORMS_DIR"] = str(Path(__file__).resolve().parent.parent / "forms")
    assert result.exit_code == 1
    return [line for line in result.stderr.splitlines() if line.strip()]


def publish_first_draft(client: FlaskClient, text: str) -> str:
    response = upload(client, text)
    assert response.status_code == 302, response.text
    draft = response.headers["Location"]
    assert client.post(f"{draft}/publish").status_code == 302
    return draft


def test_upload_fix_preview_in_burmese_publish_and_interview(
        app: Flask, author: FlaskClient, interviewer_client: FlaskClient, tmp_path: Path) -> None:
    assert interviewer_client.get("/collect/clinic_visits").status_code == 404

    broken = upload(author, clinic(broken=True))
    assert broken.status_code == 422
    expected = check_output(app, tmp_path, clinic(broken=True))
    assert expected and all(str(escape(line)) in broken.text for line in expected)
    assert "unknown key &#39;lable&#39;" in broken.text and "visits" in broken.text

    fixed = upload(author, clinic())
    assert fixed.status_code == 302
    draft = fixed.headers["Location"]
    page = author.get(draft)
    assert 'lang="my"' in page.text and "/preview/my" in page.text

    before = row_counts()
    first = author.get(f"{draft}/preview/my")
    assert "ဒီနှစ် ဆရာဝန်ကို ဘယ်နှစ်ကြိမ် ပြခဲ့သလဲ" in first.text
    state = first.text.split('name="state" value="')[1].split('"')[0]
    wrong = author.post(f"{draft}/preview/my", data={"state": state, "visits": "500"})
    assert "၀ နှင့် ၁၀၀ ကြား" in wrong.text
    done = author.post(f"{draft}/preview/my", data={"state": state, "visits": "3"})
    assert "End of the preview" in done.text
    assert row_counts() == before
    assert interviewer_client.get("/collect/clinic_visits").status_code == 404

    assert author.post(f"{draft}/publish").status_code == 302
    opened = interviewer_client.get("/collect/clinic_visits?lang=my")
    assert opened.status_code == 200
    assert "ဆေးခန်းသွားခြင်းအကြောင်း" in opened.text
    versions = author.get("/forms/clinic_visits/versions")
    assert "<td>1</td>" in versions.text


def test_a_publish_through_one_app_is_served_by_another_at_once(
        app: Flask, database_url: str, author: FlaskClient, organisation) -> None:
    with running_app(database_url) as other:
        with other.app_context():
            create_user("ina2", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
        client = other.test_client()
        assert client.post("/login", data={"username": "ina2", "password": PASSWORD}).status_code == 302
        assert client.get("/collect/clinic_visits").status_code == 404
        publish_first_draft(author, clinic())
        assert client.get("/collect/clinic_visits?lang=en").status_code == 200
        publish_first_draft(author, clinic(2, extra=True))
        assert "How far is the clinic?" in client.get(
            "/api/v1/forms/clinic_visits").get_data(as_text=True)


def test_versions_list_their_submissions_and_what_changed(
        app: Flask, author: FlaskClient, interviewer_client: FlaskClient) -> None:
    publish_first_draft(author, clinic())
    response = interviewer_client.post("/collect/clinic_visits?lang=en", data={
        "method": "oral", "agree": "y", "action": "agree"})
    assert response.status_code == 302
    interview = response.headers["Location"]
    assert interviewer_client.post(interview, data={"visits": "2"}).status_code == 302
    changed = clinic().replace("Clinic visits", "Visits to a clinic").replace(
        "How many times", "How often")
    refused = upload(author, changed)
    assert refused.status_code == 422
    assert "give the changed form a new version" in refused.text

    publish_first_draft(author, clinic(2, extra=True).replace("How many times", "How often"))
    assert catalog.get_form("clinic_visits").version == "2"
    page = author.get("/forms/clinic_visits/versions?from=1&to=2")
    assert "distance" in page.text and "added" in page.text
    assert "texts changed" in page.text and "label (en)" in page.text
    rows = page.text.split("<tbody>")[1].split("</tbody>")[0]
    assert "<td>2</td><td>" in rows and "</td><td>1</td></tr>" in rows


def test_export_writes_the_published_form_back_out(app: Flask, author: FlaskClient, tmp_path: Path) -> None:
    publish_first_draft(author, clinic())
    out = tmp_path / "out" / "clinic.yaml"
    out.parent.mkdir()
    result = app.test_cli_runner().invoke(args=["forms", "export", "clinic_visits", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == clinic()
    assert load_forms(out.parent).forms["clinic_visits"].version == "1"
    missing = app.test_cli_runner().invoke(args=["forms", "export", "clinic_visits", "--version", "9"])
    assert missing.exit_code == 1 and "no published version 9" in missing.output


def test_interviewers_may_not_open_the_forms_page(interviewer_client: FlaskClient) -> None:
    assert interviewer_client.get("/forms/").status_code == 403
