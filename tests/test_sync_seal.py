"""The tablet's seal.js, run under Node's WebCrypto, sealed to the server's published keys
and opened by the server: the ECDH seal and the old RSA one, and every tampering refused."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from survey.collect.models import Submission
from survey.db import db
from survey.sync import keys
from survey.sync.sealing import SealError, Sealed, unseal
from tests.conftest import IN_CI, PROJECT
from tests.sync_support import plaintext

SEAL_JS = PROJECT / "survey" / "static" / "offline" / "seal.js"
UPLOAD = "/api/v1/submissions"

# seal.js imports db.js (IndexedDB) only for storing the key; Node never opens it.
RUNNER = """
import { chooseKey, importServerKey, seal } from %s;
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { published, records, old } = JSON.parse(Buffer.concat(chunks).toString());
const chosen = old ? { kid: published.kid, alg: published.alg, jwk: published.jwk } : chooseKey(published);
const key = await importServerKey(chosen);
const sealed = [];
for (const record of records) sealed.push(await seal(record, record.uuid, key));
process.stdout.write(JSON.stringify(sealed));
"""


def seal_in_node(published: dict[str, Any], records: list[dict[str, Any]], *,
                 old: bool = False) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        if IN_CI:
            pytest.fail("node is required in CI to check seal.js")
        pytest.skip("node is not installed")
    script = RUNNER % json.dumps(SEAL_JS.as_uri())
    body = json.dumps({"published": published, "records": records, "old": old})
    result = subprocess.run([node, "--input-type=module", "-e", script], input=body,
                            capture_output=True, text=True, check=True, timeout=60)
    return json.loads(result.stdout)


@pytest.fixture
def published(logged_in) -> dict[str, Any]:
    response = logged_in.get("/api/v1/key")
    assert response.status_code == 200
    return response.json


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Submission))


def results(client, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = client.post(UPLOAD, json={"records": records})
    assert response.status_code == 200, response.text
    return response.json["results"]


def test_the_server_publishes_the_ecdh_key_beside_the_rsa_key(published):
    pair = keys.current()
    by_alg = {key["alg"]: key for key in published["keys"]}
    assert by_alg["ECDH-ES-P256"]["kid"] == pair.ec_kid
    assert by_alg["ECDH-ES-P256"]["jwk"]["crv"] == "P-256"
    assert (published["kid"], published["alg"]) == (pair.kid, "RSA-OAEP-256")
    assert by_alg["RSA-OAEP-256"]["kid"] == pair.kid


def test_the_tablet_seals_with_ecdh_and_the_server_opens_and_stores_it(logged_in, published):
    records = [plaintext(), plaintext()]
    sealed = seal_in_node(published, records)
    assert {r["alg"] for r in sealed} == {"ECDH-ES-P256"} and "wrapped_key" not in sealed[0]
    assert len(base64.b64decode(sealed[0]["epk"])) == 65
    assert sealed[0]["epk"] != sealed[1]["epk"], "one ephemeral key per record"
    assert [unseal(Sealed.from_json(r), keys.current()) for r in sealed] == records
    assert [r["status"] for r in results(logged_in, sealed)] == ["stored", "stored"]
    assert stored() == 2


def test_a_tablet_holding_the_old_rsa_key_is_still_accepted(logged_in, published):
    record = plaintext()
    sealed = seal_in_node(published, [record], old=True)
    assert "alg" not in sealed[0] and sealed[0]["kid"] == keys.current().kid
    assert unseal(Sealed.from_json(sealed[0]), keys.current()) == record
    assert results(logged_in, sealed)[0]["status"] == "stored"


def flip(text: str, index: int = -1) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[index] ^= 1
    return base64.b64encode(bytes(raw)).decode()


def other_point() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    return base64.b64encode(ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)).decode()


TAMPERING = {
    "ciphertext": lambda r, other: {**r, "ciphertext": flip(r["ciphertext"], 3)},
    "tag": lambda r, other: {**r, "ciphertext": flip(r["ciphertext"])},
    "iv": lambda r, other: {**r, "iv": flip(r["iv"])},
    "uuid swapped": lambda r, other: {**r, "uuid": other["uuid"]},
    "ciphertext of another record": lambda r, other: {**r, "ciphertext": other["ciphertext"],
                                                      "iv": other["iv"]},
    "epk of another record": lambda r, other: {**r, "epk": other["epk"]},
    "epk of a stranger": lambda r, other: {**r, "epk": other_point()},
    "epk off the curve": lambda r, other: {**r, "epk": flip(r["epk"])},
    "wrong kid": lambda r, other: {**r, "kid": keys.current().kid},
    "unknown alg": lambda r, other: {**r, "alg": "ECDH-ES-P384"},
    "no epk": lambda r, other: {k: v for k, v in r.items() if k != "epk"},
}
FIELD = {"uuid swapped": "ciphertext", "ciphertext of another record": "ciphertext",
         "epk of another record": "ciphertext", "epk of a stranger": "ciphertext",
         "tag": "ciphertext", "iv": "ciphertext", "epk off the curve": "epk",
         "wrong kid": "kid", "unknown alg": "alg", "no epk": "epk"}


def test_every_tampering_is_refused_per_record_naming_the_part(logged_in, published):
    one, other, untouched = seal_in_node(published, [plaintext(), plaintext(), plaintext()])
    tampered = [change(one, other) for change in TAMPERING.values()]
    got = results(logged_in, [*tampered, untouched])
    for (name, _), result in zip(TAMPERING.items(), got, strict=False):
        assert (result["status"], result["http"]) == ("invalid", 422), name
        assert result["error"]["field"] == FIELD.get(name, name), name
        assert result["error"]["message"], name
    assert got[-1]["status"] == "stored", "a bad record stops nothing else"
    assert stored() == 1


def test_a_record_whose_sealed_uuid_differs_from_the_plaintext_is_refused(logged_in, published):
    record = plaintext()
    outside = str(uuid.uuid4())
    sealed = seal_in_node(published, [{**record, "uuid": outside}])[0]
    with pytest.raises(SealError):
        unseal(Sealed.from_json({**sealed, "uuid": record["uuid"]}), keys.current())
    inner = seal_in_node(published, [record])[0]
    assert results(logged_in, [{**inner, "uuid": outside}])[0]["error"]["field"] == "ciphertext"


def test_the_ec_key_is_kept_beside_the_rsa_key_owner_only(app, tmp_path: Path):
    rsa_file = tmp_path / "sync_key.pem"
    keys.create_key_file(rsa_file)
    app.config["SYNC_PRIVATE_KEY_FILE"] = str(rsa_file)
    app.extensions.pop("sync_key", None)
    first = keys.current().ec_kid
    ec_file = tmp_path / keys.EC_KEY_FILE
    assert ec_file.stat().st_mode & 0o777 == 0o600
    app.extensions.pop("sync_key", None)
    assert keys.current().ec_kid == first, "made once, then read"
    ec_file.write_bytes(rsa_file.read_bytes())
    app.extensions.pop("sync_key", None)
    with pytest.raises(keys.KeyFileError, match="EC P-256"):
        keys.current()
