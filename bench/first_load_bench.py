"""What a tablet downloads the first time it opens the offline app, compressed (gzip -6),
as a web server with gzip on would send it; fonts (already-compressed woff2) counted apart.

    .venv/bin/python bench/first_load_bench.py [--form priorities]

It runs the app in-process on a temporary SQLite database with forms/, logs in as an
interviewer, and fetches exactly what /app and its service worker fetch.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from survey import create_app  # noqa: E402
from survey.accounts.models import Role  # noqa: E402
from survey.accounts.users import create_user  # noqa: E402
from survey.db import db  # noqa: E402
from survey.organisations.manage import assign_unassigned_forms, create_organisation  # noqa: E402

PASSWORD = "bench horse battery staple"
ODK_WEB_FORMS_GZIP = 1.25 * 1024 * 1024  # ODK Web Forms 1.25 MB gzipped, for comparison


def gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--form", default="priorities", help="the survey fetched for offline use")
    parser.add_argument("--verbose", action="store_true", help="list every request")
    arguments = parser.parse_args()
    form_id, verbose = arguments.form, arguments.verbose
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/bench.sqlite3",
                          "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}, instance_path=instance)
        with app.app_context():
            db.create_all()
            organisation = create_organisation("BEN", "Bench")
            assign_unassigned_forms(organisation)
            create_user("bench", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": PASSWORD})
        service_worker = client.get("/sw.js").text
        assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", service_worker).group(1))
        urls = ["/sw.js", *assets, "/api/v1/session", "/api/v1/key", "/api/v1/forms",
                f"/api/v1/forms/{form_id}"]
        groups: dict[str, list[int]] = {"shell and data": [0, 0], "JavaScript": [0, 0], "fonts": [0, 0]}
        scripts = b""
        for url in urls:
            with client.get(url) as response:
                assert response.status_code == 200, (url, response.status_code)
                body = response.get_data()
            group = ("fonts" if url.endswith(".woff2") else
                     "JavaScript" if url.endswith(".js") else "shell and data")
            groups[group][0] += len(body)
            groups[group][1] += len(body) if group == "fonts" else gzipped(body)
            scripts += body if group == "JavaScript" else b""
            if verbose:
                print(f"    {url:<60} {len(body):>8} {gzipped(body):>8}")
    print(f"first load of /app with the form {form_id!r} ({len(urls)} requests)")
    for group, (raw, sent) in groups.items():
        print(f"  {group:<15} {raw / 1024:8.1f} KB raw  {sent / 1024:8.1f} KB sent")
    print(f"  (the JavaScript as one gzipped file would be {gzipped(scripts) / 1024:.1f} KB)")
    without_fonts = groups["shell and data"][1] + groups["JavaScript"][1]
    print(f"  without fonts   {without_fonts / 1024:8.1f} KB sent "
          f"({ODK_WEB_FORMS_GZIP / without_fonts:.0f}x less than ODK Web Forms' 1.25 MB gzipped)")


if __name__ == "__main__":
    main()
