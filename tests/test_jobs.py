"""Background workbooks: queued, watched, downloaded once by the person who asked, sealed at
rest, gone after their time or a withdrawal; in-process and on RQ with a real worker."""

from __future__ import annotations

import datetime
import time
import uuid

import pytest
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import select, update

from survey.accounts.models import Role, User
from survey.consent.models import Withdrawal
from survey.db import db
from survey.jobs.models import Job
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from tests.conftest import log_in_as
from tests.test_export import download as direct_download, rows, SHEETS

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def background(app, tmp_path):
    """Every workbook goes to the background, files in a folder of the test's own."""
    app.config.update(JOBS_DIRECT_MAX_SUBMISSIONS=0, JOBS_DIR=str(tmp_path / "jobs"))
    return tmp_path / "jobs"


def queue(client, kind: str = "workbook") -> str:
    page = client.get(f"/results/priorities/{kind}.xlsx")
    assert page.status_code == 302 and "/jobs/export/priorities/" in page.location
    prepared = client.get(page.location)
    assert "Prepare the workbook" in prepared.text
    queued = client.post(page.location)
    assert queued.status_code == 303
    return queued.location.rsplit("/", 1)[1]


def wait(client, job_id: str) -> dict:
    for _ in range(600):
        state = client.get(f"/jobs/{job_id}.json").json
        if state["status"] not in ("queued", "running"):
            return state
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish: {state}")


def fetch(client, job_id: str) -> bytes:
    response = client.get(f"/jobs/{job_id}/download")
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def direct(app, client) -> bytes:
    """The workbook written inside the request, as before."""
    limit = app.config["JOBS_DIRECT_MAX_SUBMISSIONS"]
    app.config["JOBS_DIRECT_MAX_SUBMISSIONS"] = 10_000
    try:
        return direct_download(client)
    finally:
        app.config["JOBS_DIRECT_MAX_SUBMISSIONS"] = limit


def cells(data: bytes) -> dict[str, list[list]]:
    return {sheet: rows(data, sheet) for sheet in SHEETS}


def test_a_queued_workbook_has_the_direct_exports_cells_and_downloads_once(app, lead, background):
    written = direct(app, lead)
    job_id = queue(lead)
    page = lead.get(f"/jobs/{job_id}")
    assert page.status_code == 200
    state = wait(lead, job_id)
    assert state["status"] == "done" and state["progress"] == 100, state
    assert state["download"] == f"/jobs/{job_id}/download"
    assert 'http-equiv="refresh"' not in lead.get(f"/jobs/{job_id}").text
    assert cells(fetch(lead, job_id)) == cells(written)
    assert list(background.iterdir()) == [], "deleted once downloaded"
    again = lead.get(f"/jobs/{job_id}/download")
    assert again.status_code == 410 and "deleted once it was downloaded" in again.text


def test_the_status_page_refreshes_itself_while_the_job_waits(app, lead, background):
    lena = db.session.scalar(select(User).where(User.username == "lena"))
    db.session.add(Job(id="waiting-job", kind="workbook", user_id=lena.id, form_id="priorities",
                       organisation_id=lena.organisation_id, filters={}))
    db.session.commit()
    page = lead.get("/jobs/waiting-job")
    assert 'http-equiv="refresh"' in page.text and "Waiting for its turn." in page.text


def test_the_sealed_file_holds_no_workbook_in_clear(app, lead, background):
    job_id = queue(lead)
    assert wait(lead, job_id)["status"] == "done"
    sealed = (background / f"{job_id}.sealed").read_bytes()
    for clear in (b"PK\x03\x04", b"xl/worksheets", b"Responses", b"EMP-"):
        assert clear not in sealed
    assert cells(fetch(lead, job_id))["Responses"]


def test_another_lead_cannot_see_or_download_it(app, lead, background, client, organisation):
    job_id = queue(lead)
    assert wait(lead, job_id)["status"] == "done"
    other = create_organisation("OTH", "Other test")
    assign_unassigned_forms(other)
    log_in_as(client, "olga", Role.LEAD, other.id)
    assert client.get(f"/jobs/{job_id}/download").status_code == 404
    assert client.get(f"/jobs/{job_id}.json").status_code == 404
    log_in_as(client, "lana", Role.LEAD, organisation.id)  # her own organisation, not her job
    assert client.get(f"/jobs/{job_id}/download").status_code == 404
    assert (background / f"{job_id}.sealed").exists()


def test_expiry_removes_the_file(app, lead, background):
    job_id = queue(lead)
    assert wait(lead, job_id)["status"] == "done"
    assert (background / f"{job_id}.sealed").exists()
    db.session.execute(update(Job).where(Job.id == job_id).values(
        finished_at=datetime.datetime(2020, 1, 1)))
    db.session.commit()
    state = lead.get(f"/jobs/{job_id}.json").json
    assert state["status"] == "expired" and "time ran out" in state["error"]
    assert not (background / f"{job_id}.sealed").exists()
    assert lead.get(f"/jobs/{job_id}/download").status_code == 410


def test_a_withdrawal_after_queueing_refuses_the_download_and_deletes_it(
        app, lead, background, organisation):
    job_id = queue(lead)
    assert wait(lead, job_id)["status"] == "done"
    db.session.add(Withdrawal(code="EMP-X", organisation_id=organisation.id))
    db.session.commit()
    refused = lead.get(f"/jobs/{job_id}/download")
    assert refused.status_code == 409 and "prepare the workbook again" in refused.text
    assert not (background / f"{job_id}.sealed").exists()
    again = queue(lead)
    assert wait(lead, again)["status"] == "done" and fetch(lead, again)


def test_a_withdrawal_in_another_organisation_does_not_stop_it(app, lead, background):
    other = create_organisation("OTH", "Other test")
    job_id = queue(lead)
    assert wait(lead, job_id)["status"] == "done"
    db.session.add(Withdrawal(code="OTH-X", organisation_id=other.id))
    db.session.commit()
    assert fetch(lead, job_id)


@pytest.fixture
def redis_queue(app):
    name = f"test-jobs-{uuid.uuid4().hex}"
    try:
        Redis.from_url(REDIS).ping()
    except RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    app.config.update(JOBS_REDIS_URL=REDIS, JOBS_QUEUE=name)
    yield name
    connection = Redis.from_url(REDIS)
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def test_on_rq_a_real_worker_runs_the_job(app, lead, background, redis_queue):
    written = direct(app, lead)
    job_id = queue(lead)
    assert lead.get(f"/jobs/{job_id}.json").json["status"] == "queued", "no worker yet"
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert wait(lead, job_id)["status"] == "done"
    assert cells(fetch(lead, job_id)) == cells(written)


def test_on_rq_a_recount_runs_in_the_background(app, lead, redis_queue):
    queued = app.test_cli_runner().invoke(args=["results", "recount", "--background"])
    assert queued.exit_code == 0 and "Queued the recount as job" in queued.output
    job_id = queued.output.strip().rsplit(" ", 1)[1].rstrip(".")
    assert app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"]).exit_code == 0
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.status == "done" and job.filters["counted"] == 20


def test_without_redis_the_worker_and_background_recount_say_why(app):
    result = app.test_cli_runner().invoke(args=["jobs", "worker"])
    assert result.exit_code != 0 and "JOBS_REDIS_URL is not set" in result.output
    result = app.test_cli_runner().invoke(args=["results", "recount", "--background"])
    assert result.exit_code != 0 and "needs JOBS_REDIS_URL" in result.output


def test_an_unknown_job_or_kind_is_404(app, lead, background):
    assert lead.get("/jobs/nothing-here").status_code == 404
    assert lead.get("/jobs/export/priorities/everything").status_code == 404
