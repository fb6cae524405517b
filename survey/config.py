"""Configuration defaults; ``instance/config.py`` and the environment override them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
LANGUAGES_FILE = PACKAGE_DIR / "i18n" / "languages.yaml"
"""The language registry ships with the package; the catalogs live in ``translations/``."""
DEFAULT_MIN_CELL = 5


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "FORMS_DIR": os.environ.get("FORMS_DIR", str(PROJECT_DIR / "forms")),
        "TRANSLATIONS_DIR": os.environ.get("TRANSLATIONS_DIR", str(PROJECT_DIR / "translations")),
        "LANGUAGES_FILE": os.environ.get("LANGUAGES_FILE", str(LANGUAGES_FILE)),
        "DEFAULT_LANGUAGE": os.environ.get("DEFAULT_LANGUAGE", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Strict",
        # Behind HTTPS in production: Secure cookies with the __Host- prefix, and HSTS.
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        # How many reverse proxies in front of the app set X-Forwarded-For and -Proto; 0 trusts
        # none, so a client cannot claim HTTPS or another address.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        # Login limits are counted per worker in memory; several workers or hosts share them
        # through Redis (redis://127.0.0.1:6379/0). If Redis goes away while serving, each worker
        # counts on its own until it is back.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 30),
        "SESSION_LIFETIME_HOURS": _int("SESSION_LIFETIME_HOURS", 12),
        # Sync: records per upload, and key files for a host that keeps its own keys (else the
        # vault's sealed keys are used).
        "SYNC_MAX_BATCH": _int("SYNC_MAX_BATCH", 1000),
        "SYNC_PRIVATE_KEY_FILE": os.environ.get("SYNC_PRIVATE_KEY_FILE"),
        "SYNC_EC_PRIVATE_KEY_FILE": os.environ.get("SYNC_EC_PRIVATE_KEY_FILE"),
        # The smallest group a published count may describe (a form's ``results: min_cell`` wins).
        "RESULTS_MIN_CELL": _int("RESULTS_MIN_CELL", DEFAULT_MIN_CELL),
        # Wrong PINs in a row (per login, and per user over all her logins) that lock the tablet.
        "PIN_ATTEMPTS": _int("PIN_ATTEMPTS", 5),
        # PostgreSQL: how long a statement waits for a lock, and runs at most (gunicorn ends a
        # request at 30 s); past either the request is answered "busy, send it again".
        "DATABASE_LOCK_TIMEOUT_MS": _int("DATABASE_LOCK_TIMEOUT_MS", 10000),
        "DATABASE_STATEMENT_TIMEOUT_MS": _int("DATABASE_STATEMENT_TIMEOUT_MS", 25000),
        # A withdrawal waits this long for readers to let her deleted rows be wiped from the files.
        "ERASE_WAIT_SECONDS": float(os.environ.get("ERASE_WAIT_SECONDS", "10")),
        # The vault (survey/vault): where it is, argon2id's cost, the unattended host's passphrase
        # file (a systemd credential), the workers' unlock sockets, and a locked server's
        # Retry-After for tablets.
        "VAULT_FILE": os.environ.get("VAULT_FILE", str(Path(instance_path) / "vault.json")),
        "VAULT_KDF_TIME_COST": int(os.environ.get("VAULT_KDF_TIME_COST", "3")),
        "VAULT_KDF_MEMORY_KIB": int(os.environ.get("VAULT_KDF_MEMORY_KIB", "65536")),
        "VAULT_PASSPHRASE_FILE": os.environ.get("VAULT_PASSPHRASE_FILE") or credential_file(),
        "VAULT_SOCKET_DIR": os.environ.get("VAULT_SOCKET_DIR", str(Path(instance_path) / "run")),
        "VAULT_CHANNEL": os.environ.get("VAULT_CHANNEL", "1") == "1",
        "VAULT_RETRY_AFTER_SECONDS": int(os.environ.get("VAULT_RETRY_AFTER_SECONDS", "300")),
        # One line per request on stdout (method, path, status, duration); 0 turns it off.
        "REQUEST_LOG": os.environ.get("REQUEST_LOG", "1") == "1",
        # Background jobs (survey/jobs): workbooks of more submissions than this are prepared in
        # the background; without JOBS_REDIS_URL a thread of the web server runs them, with it
        # (redis://host:6379/1) they go on the RQ queue JOBS_QUEUE for `flask jobs worker`. A
        # finished workbook is kept (sealed) this many minutes, or until it is downloaded.
        "JOBS_DIRECT_MAX_SUBMISSIONS": int(os.environ.get("JOBS_DIRECT_MAX_SUBMISSIONS", "2000")),
        "JOBS_REDIS_URL": os.environ.get("JOBS_REDIS_URL", ""),
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE", "survey-jobs"),
        "JOBS_KEEP_MINUTES": float(os.environ.get("JOBS_KEEP_MINUTES", "60")),
        "JOBS_TIMEOUT_SECONDS": int(os.environ.get("JOBS_TIMEOUT_SECONDS", "3600")),
        "JOBS_DIR": os.environ.get("JOBS_DIR", str(Path(instance_path) / "jobs")),
        # The time zone of an organisation that has none of its own (an IANA name): the days that
        # results count and filter by, and the times the workbook shows, are that zone's.
        "DEFAULT_TIME_ZONE": os.environ.get("DEFAULT_TIME_ZONE", "Asia/Bangkok"),
        # A batch of 1,000 sealed records is about 2.5 MB.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 8 * 1024 * 1024),
    }


def database_url(instance_path: str) -> str:
    """``DATABASE_URL`` if set, else SQLite in the instance folder."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'survey.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def credential_file() -> str | None:
    """systemd's ``LoadCredentialEncrypted=vault-passphrase:...``, when the service has one."""
    directory = os.environ.get("CREDENTIALS_DIRECTORY")
    path = Path(directory) / "vault-passphrase" if directory else None
    return str(path) if path and path.exists() else None


