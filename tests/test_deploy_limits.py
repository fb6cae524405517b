"""Login limits hold across gunicorn workers when they share Redis, and a dead Redis is named."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import redis

from survey.accounts.auth import limiter
from tests.conftest import IN_CI, PROJECT, running_app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
GUNICORN = Path(sys.executable).with_name("gunicorn")


@pytest.fixture
def redis_url() -> str:
    """The test Redis database, emptied; skipped without Redis, except in CI."""
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.RedisError as error:
        if IN_CI:
            pytest.fail(f"Redis is required in CI at {REDIS_URL}: {error}")
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    return REDIS_URL


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_environment(database_url: str, storage: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test",
            "RATELIMIT_STORAGE_URI": storage}


def workers(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


def wait_until_serving(process: subprocess.Popen, base: str, count: int, log: Path) -> None:
    for _ in range(600):
        assert process.poll() is None, log.read_text()
        try:
            urllib.request.urlopen(base + "/login", timeout=5)
        except OSError:
            time.sleep(0.1)
            continue
        if len(workers(process.pid)) >= count:
            return
        time.sleep(0.1)
    pytest.fail("gunicorn did not start")


@contextmanager
def gunicorn_server(database_url: str, storage: str, instance: Path, workers: int) -> Iterator[str]:
    """The Procfile's server on ``database_url``, its login limits in ``storage``; its base URL.
    Its log is ``gunicorn.log`` beside ``instance``, and is printed when the test fails."""
    base = f"http://127.0.0.1:{free_port()}"
    log = instance.parent / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(GUNICORN), "--workers", str(workers), "--bind", base.removeprefix("http://"),
             f"survey:create_app(instance_path={str(instance)!r})"],
            cwd=PROJECT, env=app_environment(database_url, storage),
            stdout=subprocess.DEVNULL, stderr=output, start_new_session=True)
    try:
        wait_until_serving(process, base, workers, log)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        print(log.read_text(errors="replace")[-4000:])


@pytest.fixture
def gunicorn(database_url, _schema, redis_url, tmp_path) -> Iterator[str]:
    """The Procfile's server, 3 workers, its limits in Redis."""
    with gunicorn_server(database_url, redis_url, tmp_path / "instance", 3) as base:
        yield base


def attempt_login(opener: urllib.request.OpenerDirector, base: str) -> int:
    """A failed login as a browser makes it: the form first, then a wrong password."""
    page = opener.open(base + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "username": "ina",
                                   "password": "wrong password"}).encode()
    try:
        return opener.open(base + "/login", data=data, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_several_gunicorn_workers_share_one_login_limit(gunicorn):
    statuses = []
    for _ in range(30):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        statuses.append(attempt_login(opener, gunicorn))
    assert set(statuses) <= {200, 429}
    assert statuses.count(200) == 10  # LOGIN_LIMIT, not 10 per worker


def test_an_unreachable_redis_stops_the_start_with_a_clear_message(database_url, _schema, tmp_path):
    storage = f"redis://:secret@127.0.0.1:{free_port()}/1"
    result = subprocess.run(
        [sys.executable, "-c", f"from survey import create_app; create_app(instance_path={str(tmp_path)!r})"],
        cwd=PROJECT, env=app_environment(database_url, storage), capture_output=True, text=True,
        timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "RATELIMIT_STORAGE_URI: cannot reach redis://***@127.0.0.1:" in result.stderr
    assert "secret" not in result.stderr


@pytest.fixture
def own_redis(tmp_path) -> Iterator[tuple[str, subprocess.Popen]]:
    """A Redis server of this test's own, which it may stop."""
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url, process
    process.kill()
    process.wait(timeout=10)
    # The limiter is one object for every app in this process, and stays in fallback mode
    # after its store died; the next test's app must start with a live store.
    limiter._storage_dead = False


def test_when_redis_goes_away_logins_go_on_counted_per_worker(database_url, _schema, own_redis):
    url, server = own_redis
    with running_app(database_url, RATELIMIT_STORAGE_URI=url) as app:
        client = app.test_client()
        form = {"username": "ina", "password": "wrong password"}
        assert client.post("/login", data=form).status_code == 200
        server.kill()
        server.wait(timeout=10)
        statuses = [client.post("/login", data=form).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
