"""Translation of UI strings: the interviewer's locale and each form's language."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, request
from flask_babel import Babel, get_locale

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"

babel = Babel()


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, in the right language."""
    return message


@cache
def _catalog(directory: str, language: str) -> NullTranslations:
    return Translations.load(directory, [language])


def gettext_in(language: str, message: str, **variables: object) -> str:
    """Translate ``message`` into a form's language, whatever the UI locale is.

    Catalogs are loaded by plain code, so languages that CLDR does not know
    work here too.
    """
    directory = current_app.config.get("TRANSLATIONS_DIR", str(TRANSLATIONS_DIR))
    text = _catalog(directory, language).gettext(message)
    return text % variables if variables else text


def select_locale() -> str:
    supported = current_app.config["UI_LANGUAGES"]
    return request.accept_languages.best_match(supported) or supported[0]


def ui_language() -> str:
    return str(get_locale() or current_app.config["UI_LANGUAGES"][0])


def init_app(app: Flask) -> None:
    app.config.setdefault("TRANSLATIONS_DIR", str(TRANSLATIONS_DIR))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = app.config["TRANSLATIONS_DIR"]
    babel.init_app(app, locale_selector=select_locale)
    app.add_template_global(gettext_in)
    app.add_template_global(ui_language)


# Each language's name in its own script, for the participant's first screen.
LANGUAGE_NAMES = {
    "en": "English",
    "th": "ไทย",
    "my": "မြန်မာ",
    "shn": "တႆး",
    "kac": "Jinghpaw",
    "ksw": "ကညီ",
    "ahk": "Akha",
    "km": "ខ្មែរ",
}
