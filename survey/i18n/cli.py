"""``flask i18n``: extract, update, compile and check the UI message catalogs.

Catalogs are handled through Babel's API with plain language codes, so
languages that CLDR does not know (Kachin, S'gaw Karen, Akha) work too.
"""

from __future__ import annotations

import io
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask import Flask, current_app
from flask.cli import AppGroup

from ..config import PROJECT_DIR

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
            "_l": None, "N_": None, "gettext_in": (2,)}
METHODS = [("survey/**.py", "python"), ("survey/**/templates/**.html", "jinja2")]
COMMENT_TAGS = ["Translators:"]
REVIEW_MARK = "needs review"

i18n = AppGroup("i18n", help="Manage the translations of the user interface.")


def _directory() -> Path:
    return Path(current_app.config["TRANSLATIONS_DIR"])


def extract_catalog() -> Catalog:
    """Every message in the code and templates, with translator comments."""
    catalog = Catalog(project="survey", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PROJECT_DIR), METHODS, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, omit_header=False, no_location=True, sort_output=True, width=100)
    return buffer.getvalue()


def _messages(catalog: Catalog) -> set[str]:
    """Each message by its msgid (a plural message by its singular)."""
    return {_key(m.id) for m in catalog if m.id}


def _key(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _translated(catalog: Catalog, msgid: str) -> bool:
    found = catalog.get(msgid)
    strings = found.string if found and isinstance(found.string, tuple) else (found and found.string,)
    return bool(found) and all(strings)


def catalogs(directory: Path) -> dict[str, Path]:
    return {p.parent.parent.name: p for p in sorted(directory.glob("*/LC_MESSAGES/messages.po"))}


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language, abort_invalid=True)


@i18n.command("extract")
def extract() -> None:
    """Write translations/messages.pot from the code and templates."""
    path = _directory() / "messages.pot"
    path.write_bytes(_po_bytes(extract_catalog()))
    click.echo(f"wrote {path}")


@i18n.command("update")
@click.option("--add", "new", multiple=True, help="Start a catalog for a new language code.")
def update(new: tuple[str, ...]) -> None:
    """Bring every catalog in line with messages.pot; new messages are left empty."""
    directory = _directory()
    template = _read(directory / "messages.pot")
    paths = catalogs(directory)
    for language in new:
        paths.setdefault(language, directory / language / "LC_MESSAGES" / "messages.po")
    for language, path in paths.items():
        catalog = _read(path, language) if path.exists() else Catalog(locale=language, fuzzy=False)
        catalog.locale = language  # type: ignore[assignment]
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_po_bytes(catalog))
        click.echo(f"updated {path}")


@i18n.command("compile")
def compile_() -> None:
    """Build the .mo files the app reads (they are never committed)."""
    for language, path in catalogs(_directory()).items():
        catalog = _read(path, language)
        with path.with_suffix(".mo").open("wb") as file:
            write_mo(file, catalog, use_fuzzy=False)
        click.echo(f"compiled {language}")


@i18n.command("check")
def check() -> None:
    """Fail when messages.pot is stale or a catalog lacks a translation."""
    directory = _directory()
    problems = []
    current = _messages(extract_catalog())
    stored = _messages(_read(directory / "messages.pot"))
    if current != stored:
        added, gone = sorted(current - stored), sorted(stored - current)
        problems.append(f"messages.pot is stale (run 'flask i18n extract'): "
                        f"{len(added)} new, {len(gone)} removed, e.g. {(added + gone)[0]!r}")
    for language, path in catalogs(directory).items():
        catalog = _read(path, language)
        missing = sorted(m for m in current if not _translated(catalog, m))
        fuzzy = [m for m in catalog if m.id and m.fuzzy]
        review = [m for m in catalog if m.id and REVIEW_MARK in " ".join(m.user_comments)]
        if missing:
            problems.append(f"{language}: {len(missing)} messages not translated, e.g. {missing[0]!r}")
        if fuzzy:
            problems.append(f"{language}: {len(fuzzy)} fuzzy messages (not used until reviewed)")
        click.echo(f"{language}: {len(current) - len(missing)}/{len(current)} translated, "
                   f"{len(review)} marked '{REVIEW_MARK}'")
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(i18n)
