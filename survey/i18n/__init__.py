"""Translation: the interviewer's interface language, and each form's language.

The two are separate: an interviewer working in English can run a form in
Kachin. Both follow the language registry's fallback chains, and catalogs are
loaded by plain code, so languages that CLDR does not know work everywhere.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel, Domain

from .languages import Language, Registry, load_registry

babel = Babel()


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, in the right language."""
    return message


def registry() -> Registry:
    return current_app.extensions["languages"]


@cache
def _catalog(directory: str, chain: tuple[str, ...]) -> NullTranslations:
    """The catalog of ``chain[0]``, falling back along the rest of the chain."""
    catalogs = [Translations.load(directory, [code]) for code in chain]
    first = catalogs[0]
    for fallback in catalogs[1:]:
        first.add_fallback(fallback)
    return first


def catalog(language: str) -> NullTranslations:
    return _catalog(current_app.config["TRANSLATIONS_DIR"], registry().chain(language))


def gettext_in(language: str, message: str, **variables: object) -> str:
    """Translate ``message`` into ``language`` (a form's), whatever the interface uses."""
    text = catalog(language).gettext(message)
    return text % variables if variables else text


def ui_language() -> str:
    """The interface language: explicit choice, then session, then browser, then default."""
    if not has_request_context():
        return current_app.config["DEFAULT_LANGUAGE"]
    languages = registry()
    chosen = request.args.get("ui")
    if chosen in languages:
        session["ui_language"] = chosen
        return chosen
    if session.get("ui_language") in languages:
        return session["ui_language"]
    return languages.best_match(list(request.accept_languages)) or current_app.config["DEFAULT_LANGUAGE"]


def language(code: str) -> Language | None:
    return registry().get(code)


def direction(code: str) -> str:
    found = registry().get(code)
    return found.direction if found else "ltr"


class _RegistryDomain(Domain):
    """Flask-Babel's message lookup, driven by the registry instead of CLDR."""

    def get_translations(self) -> NullTranslations:
        return catalog(ui_language())


def _cldr_locale() -> str:
    return registry()[ui_language()].cldr


def init_app(app: Flask) -> None:
    app.extensions["languages"] = load_registry(Path(app.config["LANGUAGES_FILE"]))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = app.config["TRANSLATIONS_DIR"]
    babel.init_app(app, locale_selector=_cldr_locale)
    babel.domain_instance = _RegistryDomain()  # Flask-Babel looks messages up through this
    app.jinja_env.globals.update(
        gettext_in=gettext_in, ui_language=ui_language, direction=direction,
        language=language, languages=registry,
    )
