"""The limits of forms/README.md are the database's: a form at every limit is loaded
and answered (on PostgreSQL too, where a longer value would be a DataError); one
character more is reported at its line by `flask forms load` and never reaches the
database."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from survey.collect.models import Answer
from survey.collect.storage import store_submission
from survey.consent.models import ConsentVersion
from survey.db import db
from survey.forms import catalog
from survey.forms.models import FormVersion
from tests.conftest import PROJECT, a_consent

SOURCE = (PROJECT / "forms" / "priorities.yaml").read_text(encoding="utf-8")
CONSENT_VERSION = "consent:\n  version: 1\n"


def at_limits(form_id: int = 40, version: int = 32, consent: int = 32, question: int = 64,
              choice: int = 64) -> str:
    """priorities.yaml with its id, versions, a question name and a choice value this long."""
    text = SOURCE.replace("id: priorities", "id: p" + "a" * (form_id - 1), 1)
    text = text.replace("\nversion: 1\n", "\nversion: v" + "1" * (version - 1) + "\n", 1)
    text = text.replace(CONSENT_VERSION, "consent:\n  version: c" + "1" * (consent - 1) + "\n", 1)
    text = re.sub(r"\bethnicity\b", "e" + "x" * (question - 1), text)
    return re.sub(r"\bburman\b", "b" * choice, text)


OVER = {
    "id.yaml": (at_limits(form_id=41), 17),
    "version.yaml": (at_limits(version=33), 18),
    "version_200.yaml": (at_limits(version=200), 18),
    "version_empty.yaml": (SOURCE.replace("\nversion: 1\n", "\nversion: ''\n", 1), 18),
    "consent_version.yaml": (at_limits(consent=33), 32),
    "consent_version_empty.yaml": (SOURCE.replace(CONSENT_VERSION, "consent:\n  version: ''\n"), 32),
    "question.yaml": (at_limits(question=65), 158),
    "choice.yaml": (at_limits(choice=65), 246),
}


@pytest.fixture
def forms_dir(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    if getattr(request, "param", None) == "over limits":
        for name, (text, _) in OVER.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
    else:
        (tmp_path / "longest.yaml").write_text(at_limits(), encoding="utf-8")
    return tmp_path


def test_a_form_at_every_limit_is_loaded_and_answered(app, organisation):
    result = app.test_cli_runner().invoke(args=["forms", "load"])
    assert result.exit_code == 0, result.output
    form = catalog.get_form("p" + "a" * 39)
    row = db.session.scalar(select(FormVersion))
    assert (row.form_id, row.version) == (form.id, "v" + "1" * 31)
    assert db.session.scalar(select(ConsentVersion.version)) == "c" + "1" * 31
    question = "e" + "x" * 63
    store_submission(form, uuid.uuid4(), "en", {question: "b" * 64}, a_consent(form),
                     organisation_id=organisation.id)
    assert db.session.scalar(select(Answer.value).where(Answer.question == question)) == "b" * 64


@pytest.mark.parametrize("forms_dir", ["over limits"], indirect=True)
def test_one_character_more_is_reported_at_its_line_and_never_stored(app, forms_dir):
    assert catalog.all_forms() == []
    result = app.test_cli_runner().invoke(args=["forms", "load"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "DataError" not in result.output
    for name, (_, line) in OVER.items():
        assert re.search(rf"^{forms_dir.name}/{name}:{line}: ", result.output, re.M), (name, result.output)
    assert db.session.scalar(select(func.count()).select_from(FormVersion)) == 0
    assert db.session.scalar(select(func.count()).select_from(ConsentVersion)) == 0
