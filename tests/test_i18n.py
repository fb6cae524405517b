"""Languages: the registry, the interface language, and form texts with fallbacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from survey.forms.coverage import coverage
from survey.forms.loader import read_form
from survey.i18n.languages import LanguageRegistryError, load_registry

PROJECT = Path(__file__).resolve().parent.parent
EIGHT = ["en", "th", "my", "shn", "kac", "ksw", "ahk", "km"]

PARTLY_TRANSLATED = """\
id: partly
version: 1
title: {en: Partly, th: บางส่วน, kac: Langai}
languages: [en, th, kac]
default_language: en
consent: {version: 1, text: {en: You can stop at any time., th: หยุดได้ทุกเมื่อ, kac: Hkring lu ai}}
sections:
  - name: one
    questions:
      - name: age
        type: integer
        label: {en: Age, th: อายุ}
        hint: {en: In years}
"""


def html_lang(page: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', page)
    assert match, "page has no <html lang dir>"
    return match.group(1), match.group(2)


def test_the_registry_holds_the_eight_languages_with_their_own_names():
    registry = load_registry(PROJECT / "survey" / "i18n" / "languages.yaml")
    assert list(registry) == EIGHT
    assert registry["my"].name == "မြန်မာ" and registry["km"].name == "ខ្មែរ"
    assert registry["kac"].cldr == "en" and registry["ksw"].script == "Mymr"
    assert registry.chain("shn") == ("shn", "my", "th", "en")
    assert registry.chain("ahk") == ("ahk", "th", "my", "en")


def test_a_broken_registry_names_the_file_and_line(tmp_path):
    path = tmp_path / "languages.yaml"
    path.write_text("en:\n  name: English\n  english: English\n  script: Latn\n"
                    "  direction: sideways\n  cldr: en\n  fallback: []\n")
    with pytest.raises(LanguageRegistryError, match=r"languages.yaml:5: direction must be ltr or rtl"):
        load_registry(path)
    path.write_text("kac:\n  name: Jinghpaw\n  english: Kachin\n  script: Latn\n"
                    "  direction: ltr\n  cldr: kac\n  fallback: []\n")
    with pytest.raises(LanguageRegistryError, match=r":6: 'kac' is not a locale Babel knows"):
        load_registry(path)


@pytest.mark.parametrize("code", EIGHT)
def test_every_language_can_be_the_interface_language(client, code):
    page = client.get(f"/login?ui={code}").text
    assert html_lang(page) == (code, "ltr")


def test_interface_language_order_explicit_session_browser_default(client):
    assert html_lang(client.get("/login").text)[0] == "en"
    assert html_lang(client.get("/login", headers={"Accept-Language": "th-TH,th;q=0.9"}).text)[0] == "th"
    assert html_lang(client.get("/login", headers={"Accept-Language": "kac"}).text)[0] == "kac"
    client.get("/login?ui=km")
    assert html_lang(client.get("/login", headers={"Accept-Language": "th"}).text)[0] == "km"
    assert html_lang(client.get("/login?ui=my", headers={"Accept-Language": "th"}).text)[0] == "my"


def test_the_first_screen_lists_languages_in_their_own_script(logged_in):
    page = logged_in.get("/collect/priorities").text
    for name, code in (("English", "en"), ("ไทย", "th"), ("မြန်မာ", "my")):
        assert f'lang="{code}" dir="ltr" href="/collect/priorities?lang={code}">{name}</a>' in page


def test_the_interviewer_keeps_her_language_while_the_form_runs_in_another(logged_in):
    page = logged_in.get("/collect/priorities?lang=th&ui=en").text
    assert html_lang(page)[0] == "en"
    assert 'class="consent question" lang="th" dir="ltr"' in page
    assert "How was consent given?" in page


def test_missing_form_texts_fall_back_along_the_chain():
    form = read_form(PARTLY_TRANSLATED, "forms/partly.yaml")
    age = form.question("age")
    assert form.text(age.label, "th") == "อายุ"
    assert form.text(age.label, "kac") == "Age", "kac falls back to my (not in the form), then en"
    assert form.text(age.hint, "th") == "In years"
    assert form.text(form.title, "kac") == "Langai"


def test_coverage_counts_translated_texts_per_language():
    form = read_form(PARTLY_TRANSLATED, "forms/partly.yaml")
    report = {c.language: c for c in coverage(form)}
    assert (report["en"].translated, report["en"].total) == (4, 4)
    assert (report["th"].translated, report["th"].missing) == (3, ("question.age.hint",))
    assert report["kac"].translated == 2
    assert str(report["th"]) == ("th: 3/4 translated, 0 reviewed; "
                                 "missing (shown in a fallback language): question.age.hint")


def test_forms_check_reports_coverage_per_form_and_language(app):
    result = app.test_cli_runner().invoke(args=["forms", "check"])
    assert result.exit_code == 0, result.output
    for code in ("en", "th", "my"):
        assert re.search(rf"^ +{code}: \d+/\d+ translated, \d+ reviewed", result.output, re.M)
