"""Sync beyond one request: old form versions, two tablets at once, and the queue file."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from survey.collect.models import Submission
from survey.db import db
from survey.forms import catalog
from survey.forms.versions import record_version
from tests.browser import serve
from tests.conftest import PASSWORD, PROJECT, log_in_as
from tests.sync_support import Tablet, plaintext, sealed_batch
from tests.test_sync_api import app, key_file, public_key, upload  # noqa: F401 - fixtures
from survey.accounts.models import Role
from survey.sync.sealing import seal


def stored() -> list[tuple[str, str]]:
    return [(str(s.uuid), s.form_version) for s in db.session.scalars(select(Submission))]


def test_a_record_for_an_older_form_version_is_stored_with_its_version(
        app, logged_in, public_key, tmp_path):
    record_version(catalog.get_form("priorities"))
    db.session.commit()
    source = (PROJECT / "forms" / "priorities.yaml").read_text()
    assert "\nversion: 1\n" in source
    changed = source.replace("\nversion: 1\n", "\nversion: 2\n", 1)
    changed = changed.replace("name: what_helps", "name: what_helps_most", 1)
    (tmp_path / "priorities.yaml").write_text(changed)
    app.config["FORMS_DIR"] = str(tmp_path)
    catalog.init_app(app)
    assert catalog.get_form("priorities").version == "2"

    old = plaintext(form_version="1")
    old["answers"]["what_helps"] = "A union"
    new = plaintext(form_version="2")
    new["answers"]["what_helps_most"] = new["answers"].pop("what_helps")
    results = upload(logged_in, {"records": [seal(old, public_key), seal(new, public_key)]}).json
    assert [r["status"] for r in results["results"]] == ["stored", "stored"]
    assert sorted(version for _, version in stored()) == ["1", "2"]
    wrong = plaintext(form_version="2")
    wrong["answers"]["what_helps"] = "only in version 1"
    result = upload(logged_in, {"records": [seal(wrong, public_key)]}).json["results"][0]
    assert result["error"]["field"] == "answers.what_helps"


def test_two_tablets_posting_the_same_batch_at_once_store_each_record_once(
        app, interviewer, public_key):
    batch = sealed_batch(public_key, 25)
    outcomes: list[tuple[int, object]] = []
    with serve(app) as url:
        tablets = [Tablet(url), Tablet(url)]
        for tablet in tablets:
            tablet.log_in("ina", PASSWORD)
        start = threading.Barrier(len(tablets))

        def post(tablet: Tablet) -> None:
            start.wait()
            outcomes.append(tablet.upload(batch))

        threads = [threading.Thread(target=post, args=(t,)) for t in tablets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert [status for status, _ in outcomes] == [200, 200], outcomes
    statuses = [[r["status"] for r in body["results"]] for _, body in outcomes]
    for uuid_index in range(25):
        assert sorted(s[uuid_index] for s in statuses) == ["duplicate", "stored"]
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 25
    assert len({uuid for uuid, _ in stored()}) == 25


@pytest.fixture
def queue_file(tmp_path, public_key) -> Path:
    batch = sealed_batch(public_key, 3)
    batch["records"][1]["kid"] = "f" * 64
    path = tmp_path / "queue.json"
    path.write_text(json.dumps(batch))
    return path


def test_flask_sync_import_takes_in_a_queue_file_and_a_replay_changes_nothing(
        app, interviewer, queue_file):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["sync", "import", str(queue_file), "--user", "ina"])
    lines = first.stdout.splitlines()
    assert [line.split("\t")[1] for line in lines] == ["stored", "invalid", "stored"]
    assert "kid" in lines[1] and first.exit_code == 1
    second = runner.invoke(args=["sync", "import", str(queue_file), "--user", "ina"])
    assert [line.split("\t")[1] for line in second.stdout.splitlines()] == [
        "duplicate", "invalid", "duplicate"]
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 2
    assert {s.collected_by for s in db.session.scalars(select(Submission))} == {interviewer.id}


def test_flask_sync_import_refuses_an_unknown_user_and_a_file_that_is_not_json(
        app, interviewer, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "queue.json"
    path.write_text("{}")
    assert "no account called" in runner.invoke(
        args=["sync", "import", str(path), "--user", "nobody"]).output
    path.write_text("not json")
    assert "not JSON" in runner.invoke(args=["sync", "import", str(path), "--user", "ina"]).output


def test_an_admin_takes_in_a_queue_file_on_a_page(client, organisation, interviewer, queue_file):
    log_in_as(client, "ada", Role.ADMIN, None)
    assert client.get("/sync/import").status_code == 200
    for expected in ("stored", "duplicate"):
        with queue_file.open("rb") as file:
            response = client.post("/sync/import", data={"username": "ina", "file": file},
                                   content_type="multipart/form-data")
        assert response.status_code == 200 and response.text.count(f"<td>{expected}</td>") == 2
        assert "<td>invalid</td>" in response.text
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 2


def test_only_an_admin_may_use_the_page(logged_in):
    assert logged_in.get("/sync/import").status_code == 403
