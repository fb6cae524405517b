"""Records as a tablet makes them, for the sync tests and the benchmark."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from survey.sync.sealing import seal

ANSWERS: dict[str, Any] = {
    "ethnicity": "kachin", "age_band": "age_25_34", "work": ["factory", "seafood"],
    "documents": "pink_card", "year_crossed": 2015, "how_crossed": "broker",
    "police_contact": "yes", "detained": "no", "police_how_often": "few_times",
    "police_money_demanded": "yes", "debt": "no_debt", "money_sent_home": "from_1000_to_3000",
    "priorities": ["health_care", "safe_migration", "minimum_wage", "safe_work",
                   "no_police_harassment", "decriminalise_sex_work", "education",
                   "safe_remittance"],
    "government_change": "Fair wages for everyone", "what_helps": "",
}


def plaintext(**changes: Any) -> dict[str, Any]:
    """A complete, valid interview of ``priorities`` version 1, as the browser encrypts it."""
    record: dict[str, Any] = {
        "uuid": str(uuid.uuid4()), "form_id": "priorities", "form_version": "1",
        "language": "en", "started_at": "2026-03-01T08:00:00Z",
        "finished_at": "2026-03-01T08:20:00Z", "answers": copy.deepcopy(ANSWERS),
        "notes": {"debt": {"body": "She laughed at this one.", "language": "en",
                           "translation": False}},
        "consent": {"version": "1", "language": "en", "method": "oral",
                    "given_at": "2026-03-01T08:01:00+07:00",
                    "optional": {"quote": True, "recontact": False}, "existing_code": None},
    }
    record.update(changes)
    return record


def sealed_batch(public_key: Any, count: int, **changes: Any) -> dict[str, Any]:
    return {"records": [seal(plaintext(**changes), public_key) for _ in range(count)]}


class Tablet:
    """A tablet talking to a served app over HTTP, with its own cookies."""

    def __init__(self, base_url: str) -> None:
        import http.cookiejar
        import urllib.request

        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, Any]:
        import json
        import urllib.error
        import urllib.request

        request = urllib.request.Request(self.base_url + path, data=body, method=method,
                                         headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text, kind = response.status, response.read(), response.headers["Content-Type"]
        except urllib.error.HTTPError as error:
            status, text, kind = error.code, error.read(), error.headers["Content-Type"]
        return status, json.loads(text) if kind == "application/json" else text.decode()

    def log_in(self, username: str, password: str) -> None:
        import re
        import urllib.parse

        page = self.request("GET", "/login")[1]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        fields = {"username": username, "password": password}
        if token:
            fields["csrf_token"] = token.group(1)
        form = urllib.parse.urlencode(fields).encode()
        self.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, batch: dict[str, Any]) -> tuple[int, Any]:
        import json

        return self.request("POST", "/api/v1/submissions", json.dumps(batch).encode(),
                            {"Content-Type": "application/json"})
