"""Forms on disk: the example survey, `flask forms check|load`, and broken files."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from survey.collect.storage import store_submission
from survey.db import db
from survey.forms import catalog
from survey.forms.errors import FormConfigError
from survey.forms.loader import load_form
from survey.forms.models import FormVersion
from survey.forms.versions import record_version
from tests.conftest import a_consent

PROJECT = Path(__file__).resolve().parent.parent
BROKEN = """\
id: broken
version: 1
title: Broken
languages: [en]
default_language: en
sections:
  - name: one
    questions:
      - name: age
        type: integer
        label: Age
        constraint: ". > agee"
        constraint_message: Too young
"""


@pytest.fixture
def forms_dir(tmp_path: Path) -> Path:
    shutil.copy(PROJECT / "forms" / "priorities.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text(BROKEN)
    return tmp_path


def test_priorities_asks_what_the_issue_lists_in_order():
    form = load_form(PROJECT / "forms" / "priorities.yaml")
    assert {"en", "th", "my"} <= set(form.languages)
    names = [q.name for q in form.questions() if q.collects_answer]
    expected_order = ["ethnicity", "age_band", "work", "documents", "year_crossed",
                      "how_crossed", "police_contact", "detained", "debt", "money_sent_home",
                      "priorities", "government_change", "what_helps"]
    assert [n for n in names if n in expected_order] == expected_order
    priorities = form.question("priorities")
    assert priorities.type.name == "rank" and len(priorities.choices) == 8
    assert form.question("work").type.name == "select_multiple"
    assert form.question("police_how_often").relevant.source == "police_contact = 'yes'"


def test_forms_check_reports_the_broken_form_and_fails(app):
    result = app.test_cli_runner().invoke(args=["forms", "check"])
    assert result.exit_code == 1
    assert f"{Path(app.config['FORMS_DIR']).name}/broken.yaml:12: question 'age': " \
           "constraint refers to unknown question 'agee'" in result.output
    assert "ok  " in result.output and "'priorities' version 1" in result.output


def test_a_broken_form_is_skipped_and_the_others_keep_working(logged_in):
    assert catalog.get_form("broken") is None
    index = logged_in.get("/").text
    assert "/collect/priorities" in index and "/collect/broken" not in index
    assert logged_in.get("/collect/priorities?lang=en").status_code == 200
    assert logged_in.get("/collect/broken").status_code == 404


def test_forms_load_records_each_version(app):
    result = app.test_cli_runner().invoke(args=["forms", "load"])
    assert result.exit_code == 1  # the broken form
    row = db.session.scalar(select(FormVersion))
    form = catalog.get_form("priorities")
    assert (row.form_id, row.version, row.content_hash) == ("priorities", "1", form.content_hash)


def test_a_changed_form_under_the_same_version_is_refused_once_answers_exist(
        app, forms_dir, organisation):
    form = catalog.get_form("priorities")
    store_submission(form, uuid.uuid4(), "en", {"ethnicity": "shan"}, a_consent(form),
                     organisation_id=organisation.id)
    path = forms_dir / "priorities.yaml"
    path.write_text(path.read_text().replace("Burman", "Bamar", 1))
    changed = load_form(path)
    with pytest.raises(FormConfigError, match="has changed since answers were stored under it"):
        record_version(changed)


def test_a_changed_form_without_answers_is_simply_updated(app, forms_dir):
    record_version(catalog.get_form("priorities"))
    path = forms_dir / "priorities.yaml"
    path.write_text(path.read_text().replace("Burman", "Bamar", 1))
    row = record_version(load_form(path))
    assert row.content_hash == load_form(path).content_hash
