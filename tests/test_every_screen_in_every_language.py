"""Every screen in each of the eight languages: it renders, <html lang> is right, and no
English message id shows where a translation exists."""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from survey.accounts.models import Role
from survey.collect.storage import store_submission
from survey.forms import catalog
from tests.conftest import a_consent, log_in_as
from tests.test_collect import give_consent

PROJECT = Path(__file__).resolve().parent.parent
LANGUAGES = ["en", "th", "my", "shn", "kac", "ksw", "ahk", "km"]
SCREENS = ["/", "/collect/priorities", "/password", "/pin", "/withdraw", "/consent/priorities",
           "/submissions/", "/people/", "/audit/", "/translate/", "/translate/priorities",
           "/no/such/page"]


def untranslated(language: str) -> dict[str, str]:
    """For each translated message, a fragment of its English that must not show."""
    path = PROJECT / "translations" / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    fragments = {}
    with path.open("rb") as file:
        for message in read_po(file):
            msgid = message.id if isinstance(message.id, str) else (message.id or [""])[0]
            if not msgid or not message.string or message.string == msgid:
                continue
            longest = max(re.split(r"%\(\w+\)[sd]|%[sd]|[.:…?!]", msgid), key=len).strip()
            if len(longest) >= 10 and longest not in str(message.string):
                fragments[longest] = msgid
    return fragments


class _InterfaceText(HTMLParser):
    """The text of a page in the interface language: form texts in other languages,
    scripts and styles are left out."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang")
        hidden = tag in ("script", "style") or (lang is not None and lang != self.language)
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def interface_text(page: str, language: str) -> str:
    parser = _InterfaceText(language)
    parser.feed(page)
    return " ".join(parser.parts)


@pytest.fixture
def a_submission(app, organisation) -> str:
    form = catalog.get_form("priorities")
    submission, _ = store_submission(form, uuid.uuid4(), "en", {"ethnicity": "shan"},
                                     a_consent(form), organisation_id=organisation.id)
    return submission.public_id


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_speaks_the_language(client, organisation, a_submission, language):
    log_in_as(client, "ada", Role.ADMIN, organisation.id)
    client.get(f"/login?ui={language}")
    forbidden = untranslated(language)
    consent_page = client.get(f"/collect/priorities?lang={language}")
    pages = {"consent page": consent_page,
             "first question": give_consent(client, consent_page.text)}
    pages.update({url: client.get(url) for url in SCREENS + [f"/submissions/{a_submission}"]})
    for name, response in pages.items():
        assert response.status_code in (200, 404), (name, response.status_code)
        page = response.get_data(as_text=True)
        assert f'<html lang="{language}" dir="ltr">' in page, name
        text = interface_text(page, language)
        shown = [msgid for fragment, msgid in forbidden.items() if fragment in text]
        assert not shown, f"{name} in {language} shows English: {shown[:5]}"
