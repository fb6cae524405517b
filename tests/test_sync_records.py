"""The attacker's upload: one hostile record among good ones gets its own status, over HTTP,
sealed as a tablet seals; the good ones are stored and nothing of the bad one is written."""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select

from survey.collect.models import Answer, Note, Submission
from survey.consent.models import ConsentRecord, Participant
from survey.db import db
from survey.sync import keys
from survey.sync.queue_file import QueueFileError, take_in
from survey.sync.sealing import seal
from tests.browser import serve
from tests.conftest import PASSWORD
from tests.sync_support import Tablet, plaintext

UPLOAD = "/api/v1/submissions"
GOOD = 10


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sync") / "sync_key.pem"
    keys.create_key_file(path)
    return path


@pytest.fixture
def app(app, key_file):
    app.config["SYNC_PRIVATE_KEY_FILE"] = str(key_file)
    return app


@pytest.fixture
def public_key(app):
    return keys.current().public


class WatchedTablet(Tablet):
    """A tablet that also keeps the headers of the last answer."""

    last_headers: list[tuple[str, str]] = []

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, Any]:
        request = urllib.request.Request(self.base_url + path, data=body, method=method,
                                         headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                status, content, answer = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, content, answer = error.code, error.read(), error.headers
        self.last_headers = list(answer.items())
        kind = answer["Content-Type"]
        return status, json.loads(content) if kind == "application/json" else content.decode()


@pytest.fixture
def tablet(app, interviewer):
    with serve(app) as url:
        tablet = WatchedTablet(url)
        tablet.log_in("ina", PASSWORD)
        yield tablet


def seal_text(text: str, record_uuid: str, public_key: Any) -> dict[str, str]:
    """Seal any plaintext, as a hostile tablet could: RSA-OAEP-256 and AES-256-GCM."""
    key, iv = AESGCM.generate_key(bit_length=256), os.urandom(12)
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    b64 = lambda data: base64.b64encode(data).decode()  # noqa: E731
    return {"uuid": record_uuid, "kid": keys.key_id(public_key),
            "wrapped_key": b64(public_key.encrypt(key, oaep)), "iv": b64(iv),
            "ciphertext": b64(AESGCM(key).encrypt(iv, text.encode(), record_uuid.encode()))}


def hostile(change: Callable[[dict[str, Any]], Any], public_key: Any) -> dict[str, str]:
    """A record whose plaintext is ``change``'s result: a dict, or the JSON text itself."""
    record = plaintext()
    changed = change(record)
    text = changed if isinstance(changed, str) else json.dumps(record)
    return seal_text(text, record["uuid"], public_key)


def nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


def put(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = record
        for name in parents:
            target = target[name]
        target[last] = value
    return change


PLAINTEXT_ATTACKS = {
    "lone surrogate in free text": (put("answers.government_change", "Fair \ud83d"),
                                    "answers.government_change"),
    "lone surrogate in a note": (put("notes.debt.body", "\udc00 laughed"), "notes.debt.body"),
    "consent method as a list": (put("consent.method", ["oral"]), "consent.method"),
    "consent time past 9999 in UTC": (put("consent.given_at", "9999-12-31T23:59:59-23:59"),
                                      "consent.given_at"),
    "finish time before year 1 in UTC": (put("finished_at", "0001-01-01T00:00:00+23:59"),
                                         "finished_at"),
    "note language as a list": (put("notes.debt.language", ["en"]), "notes.debt.language"),
    "infinite number": (lambda r: json.dumps(r).replace('"year_crossed": 2015',
                                                        '"year_crossed": 1e999'),
                        "answers.year_crossed"),
    "NaN": (lambda r: json.dumps(r).replace('"year_crossed": 2015', '"year_crossed": NaN'),
            "answers.year_crossed"),
    "NUL in free text": (put("answers.government_change", "Fair\x00wages"),
                         "answers.government_change"),
    "NUL in a note": (put("notes.debt.body", "a\x00b"), "notes.debt.body"),
    "NUL in a key": (put("answers.x\x00y", "z"), "answers"),
    "nested answers": (put("answers.what_helps", nested(50)), "answers.what_helps"),
    "plaintext nested past the stack": (lambda r: "[" * 100_000 + "]" * 100_000, "ciphertext"),
    "list for text": (put("answers.government_change", ["Fair wages"]), "answers.government_change"),
    "object for a number": (put("answers.year_crossed", {"n": 2015}), "answers.year_crossed"),
    "list for a choice": (put("answers.documents", ["pink_card"]), "answers.documents"),
    "object for a multiple choice": (put("answers.work", {"factory": True}), "answers.work"),
    "language as a list": (put("language", ["en"]), "language"),
    "form version as an object": (put("form_version", {"v": 1}), "form_version"),
    "start time as a number": (put("started_at", 1700000000), "started_at"),
    "consent as a list": (put("consent", ["oral"]), "consent"),
    "consent optional as a list": (put("consent.optional", ["quote"]), "consent.optional"),
    "existing code as a list": (put("consent.existing_code", ["P-KC-0001"]), "consent.existing_code"),
    "note as a list": (put("notes.debt", ["x"]), "notes.debt"),
    "collector as an object": (put("collected_by", {"name": "ina"}), "collected_by"),
    "answer to a question the skip logic hides": (
        lambda r: r["answers"].update(police_contact="no", detained="no"),
        "answers.police_how_often"),
}


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Submission, Answer, Note, ConsentRecord, Participant)}


def good_batch(public_key: Any) -> list[dict[str, str]]:
    return [seal(plaintext(), public_key) for _ in range(GOOD)]


def assert_only_good_rows(stored: int) -> None:
    """Exactly ``stored`` whole records: no participant, consent, note or answer row besides."""
    assert counts() == {"Submission": stored, "Answer": stored * answers_per_record(),
                        "Note": stored, "ConsentRecord": stored, "Participant": stored}


def answers_per_record() -> int:
    per_submission = set(db.session.scalars(
        select(func.count()).select_from(Answer).group_by(Answer.submission_id)))
    assert len(per_submission) <= 1
    return per_submission.pop() if per_submission else 0


@pytest.mark.parametrize("attack", PLAINTEXT_ATTACKS, ids=list(PLAINTEXT_ATTACKS))
def test_one_hostile_record_gets_its_own_422_and_the_ten_good_ones_are_stored(
        tablet, public_key, attack):
    change, field = PLAINTEXT_ATTACKS[attack]
    bad = hostile(change, public_key)
    records = good_batch(public_key)
    status, body = tablet.upload({"records": records[:5] + [bad] + records[5:]})

    assert status == 200, body
    results = body["results"]
    assert [r["status"] for r in results] == ["stored"] * 5 + ["invalid"] + ["stored"] * 5
    assert results[5]["uuid"] == bad["uuid"] and results[5]["http"] == 422
    assert results[5]["error"]["field"].startswith(field), results[5]
    assert results[5]["error"]["message"]
    assert_only_good_rows(GOOD)
    assert answers_per_record() > 10


ENVELOPE_ATTACKS = {
    "lone surrogate in the uuid": ({"uuid": "\ud83d"}, "uuid"),
    "NUL in the kid": ({"kid": "a\x00b"}, "kid"),
    "infinite iv": ({"iv": float("inf")}, "iv"),
    "alg as a list": ({"alg": ["ECDH-ES-P256"]}, "alg"),
    "uuid as an object": ({"uuid": {"a": 1}}, "uuid"),
    "nested ciphertext": ({"ciphertext": nested(40)}, "ciphertext"),
}


@pytest.mark.parametrize("attack", ENVELOPE_ATTACKS, ids=list(ENVELOPE_ATTACKS))
def test_a_hostile_envelope_is_its_own_422_and_the_others_are_stored(tablet, public_key, attack):
    change, field = ENVELOPE_ATTACKS[attack]
    records = good_batch(public_key)
    body = json.dumps({"records": [*records[:5], {**seal(plaintext(), public_key), **change},
                                   *records[5:]]}).replace("Infinity", "1e999")
    status, answer = tablet.request("POST", UPLOAD, body.encode(),
                                    {"Content-Type": "application/json"})
    assert status == 200, answer
    result = answer["results"][5]
    assert (result["status"], result["http"]) == ("invalid", 422)
    assert result["error"]["field"].startswith(field), result
    assert_only_good_rows(GOOD)


@pytest.mark.parametrize("body, code", [
    (b'{"records": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}", 400),
    (b"{records: nope", 400),
    (b'\xff\xfe{"records": []}', 400),
    (b'{"records": {"a": 1}}', 400),
    (b'{"records": [], "x": "' + b"a" * (9 * 1024 * 1024) + b'"}', 413),
], ids=["nested past the stack", "not JSON", "not UTF-8", "records not a list", "9 MB"])
def test_a_whole_request_that_is_not_an_upload_is_a_4xx_naming_records(tablet, body, code):
    status, answer = tablet.request("POST", UPLOAD, body, {"Content-Type": "application/json"})
    assert status == code, answer
    assert answer["error"]["field"] == "records" and answer["error"]["message"]
    assert counts()["Submission"] == 0


def test_a_queue_file_with_a_hostile_record_imports_the_others(app, interviewer, public_key):
    records = good_batch(public_key)
    bad = hostile(put("consent.method", ["oral"]), public_key)
    results = take_in(json.dumps({"records": [bad, *records]}).encode(), interviewer)
    assert [r.status for r in results] == ["invalid"] + ["stored"] * GOOD
    assert results[0].field == "consent.method"
    assert_only_good_rows(GOOD)


def test_a_queue_file_nested_past_the_stack_is_refused_with_a_reason(app, interviewer):
    with pytest.raises(QueueFileError, match="nested too deeply"):
        take_in(b"[" * 100_000 + b"]" * 100_000, interviewer)
