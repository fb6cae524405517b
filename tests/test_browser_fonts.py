"""The web fonts in a real browser: served by the app itself, loaded for every script
the participants read (Burmese, Shan, S'gaw Karen, Thai, Khmer), and not tofu.

"Tofu" is the box a browser draws for a character that no font has. The test draws
each character on a canvas and compares it with the boxes drawn for characters that
no font here has: a private-use one (U+E000), and for each web font one inside its
unicode-range that the font lacks (which shows the font's own missing-glyph box).
A character drawn exactly like one of those boxes is tofu. Screenshots of survey
pages are saved in test-artifacts/.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from survey.forms import loader
from tests.browser import ARTIFACTS, SERVER_NOISE, chromium, serve
from tests.conftest import PASSWORD, PROJECT

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVER_NOISE]

MYANMAR, THAI, KHMER = "Noto Sans Myanmar", "Noto Sans Thai", "Noto Sans Khmer"
# A range each family's script file declares in fonts.css (as the browser writes it),
# to tell that file from the family's Latin file.
SCRIPT_RANGE = {MYANMAR: "U+1000-109F", THAI: "U+E01-E5B", KHMER: "U+1780-17FF"}
BLOCKS = {
    # Myanmar (Burmese, Shan, S'gaw Karen...), Myanmar Extended-B and Extended-A
    MYANMAR: [(0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)],
    THAI: [(0x0E00, 0x0E7F)],
    KHMER: [(0x1780, 0x17FF), (0x19E0, 0x19FF)],  # Khmer, Khmer Symbols
}
INVISIBLE = {0x17B4, 0x17B5}  # Khmer inherent vowels: default-ignorable, drawn as nothing
# Characters no font here has: a private-use one, and for each family one inside its
# script file's unicode-range that the file lacks (Myanmar Extended-C, unassigned Thai
# and Khmer code points).
MISSING = ["\uE000", "\U000116D0", "\u0E3B", "\u17DE"]

SAMPLES = [  # (what, family, text)
    ("Burmese", MYANMAR, "မြန်မာ မင်္ဂလာပါ ၁၂၃"),
    ("Shan", MYANMAR, "လိၵ်ႈတႆး ႑႒႓"),
    ("S'gaw Karen", MYANMAR, "ကညီကျိာ်"),
    ("Myanmar Extended-A and -B", MYANMAR, "ꩠꩡꩢꩣ ꧠꧡꧢꧣ"),
    ("Thai", THAI, "ภาษาไทย ๑๒๓"),
    ("Khmer", KHMER, "ភាសាខ្មែរ ១២៣"),
]

# A test-only form in languages priorities.yaml does not have. The texts are short
# phrases for looking at how the scripts render, not reviewed translations.
SCRIPTS_FORM = """\
id: scripts
version: 1
title:
  en: "Scripts"
  my: "မြန်မာစာ"
  shn: "လိၵ်ႈတႆး"
  ksw: "ကညီကျိာ်"
  km: "អក្សរខ្មែរ"
languages: [en, my, shn, ksw, km]
default_language: en
choice_lists:
  yes_no:
    - value: "yes"
      label: {en: "Yes", my: "ဟုတ်ကဲ့", shn: "ၸႂ်ႈ", ksw: "မ့ၢ်", km: "បាទ/ចាស"}
    - value: "no"
      label: {en: "No", my: "မဟုတ်ပါ", shn: "ဢမ်ႇၸႂ်ႈ", ksw: "တမ့ၢ်ဘၣ်", km: "ទេ"}
sections:
  - name: greeting
    title:
      en: "Hello"
      my: "မင်္ဂလာပါ"
      shn: "မႂ်ႇသုင်ၶႃႈ"
      ksw: "ကညီကျိာ်"
      km: "សួស្តី"
    questions:
      - name: thanks
        type: note
        label:
          en: "Thank you very much."
          my: "ကျေးဇူးအများကြီး တင်ပါတယ်။"
          shn: "ၶွပ်ႈၸႂ်ၼမ်ၼမ်ၶႃႈ။"
          ksw: "တၢ်ဘျုးဒိၣ်မး။"
          km: "អរគុណច្រើន។"
        hint:
          en: "0123456789 (1,000) – ꩠꩡꩢꩣ ꧠꧡꧢꧣ"
          my: "၀၁၂၃၄၅၆၇၈၉ (1,000) – ꩠꩡꩢꩣ ꧠꧡꧢꧣ"
          shn: "႐႑႒႓႔႕႖႗႘႙ (1,000) – ꩠꩡꩢꩣ ꧠꧡꧢꧣ"
          ksw: "၀၁၂၃၄၅၆၇၈၉ (1,000) – ꩠꩡꩢꩣ ꧠꧡꧢꧣ"
          km: "០១២៣៤៥៦៧៨៩ (1,000) – ᧠᧡᧢᧣"
      - name: language
        type: select_one
        label:
          en: "English"
          my: "မြန်မာဘာသာ"
          shn: "ၵႂၢမ်းတႆး"
          ksw: "ကညီကျိာ်"
          km: "ភាសាខ្មែរ"
        choices: yes_no
"""

# Where forms must carry a consent text, the form gets this one.
CONSENT = """\
consent:
  version: 1
  text:
    en: "A form for checking how the scripts are drawn. Thank you very much."
    my: "ကျေးဇူးအများကြီး တင်ပါတယ်။"
    shn: "ၶွပ်ႈၸႂ်ၼမ်ၼမ်ၶႃႈ။"
    ksw: "တၢ်ဘျုးဒိၣ်မး။"
    km: "អរគុណច្រើន។"
"""

PAGES = [  # (form, language, family of its script)
    ("priorities", "my", MYANMAR),
    ("scripts", "shn", MYANMAR),
    ("scripts", "ksw", MYANMAR),
    ("scripts", "km", KHMER),
    ("priorities", "th", THAI),
]

# Defines window.tofu(font, characters): loads the font for the characters and the
# missing ones, and returns the characters it draws as a missing-glyph box.
TOFU = """(missing) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 128;
  const context = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (font, text) => {
    context.clearRect(0, 0, 128, 128);
    context.font = font;
    context.fillText(text, 32, 80);
    return context.getImageData(0, 0, 128, 128).data;
  };
  const same = (a, b) => a.length === b.length && a.every((value, i) => value === b[i]);
  window.tofu = async (font, characters) => {
    await document.fonts.load(font, characters.join("") + missing.join(""));
    const boxes = missing.map((character) => draw(font, character))
      .filter((box) => box.some((value) => value !== 0));
    if (!boxes.length) throw new Error("no missing-glyph box to compare with");
    return characters.filter((character) => {
      const drawn = draw(font, character);
      return boxes.some((box) => same(drawn, box));
    });
  };
}"""

LOAD_FONT = """async ({family, text, characters}) => {
  const faces = [];
  for (const weight of ["400", "700"]) {
    for (const face of await document.fonts.load(`${weight} 48px "${family}"`,
                                                 text + characters.join(""))) {
      faces.push({family: face.family.replace(/^["']|["']$/g, ""), weight: face.weight,
                  status: face.status, range: face.unicodeRange});
    }
  }
  const width = (font) => {
    const span = document.createElement("span");
    span.style.font = font;
    span.style.whiteSpace = "pre";
    span.textContent = text;
    document.body.append(span);
    const result = span.getBoundingClientRect().width;
    span.remove();
    return result;
  };
  return {
    faces,
    check: [document.fonts.check(`400 48px "${family}"`, text),
            document.fonts.check(`700 48px "${family}"`, text)],
    tofu: [...await window.tofu(`400 48px "${family}"`, [...text, ...characters]),
           ...await window.tofu(`700 48px "${family}"`, [...text, ...characters])],
    regular: width(`400 48px "${family}"`),
    bold: width(`700 48px "${family}"`),
  };
}"""

LOADED_FACES = """async () => {
  await document.fonts.ready;
  return [...document.fonts].filter((face) => face.status === "loaded").map((face) => ({
    family: face.family.replace(/^["']|["']$/g, ""), weight: face.weight, range: face.unicodeRange,
  }));
}"""

# Every character shown in the participant's language, drawn in the font of the element
# that shows it: which are tofu? One entry per font (weight and family list).
PAGE_TOFU = """async (language) => {
  const fonts = new Map();
  for (const root of document.querySelectorAll(`main [lang="${language}"]`)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("[lang]").getAttribute("lang") !== language) continue;
      const style = getComputedStyle(node.parentElement);
      const font = `${style.fontWeight} 48px ${style.fontFamily}`;
      if (!fonts.has(font)) fonts.set(font, new Set());
      for (const character of node.textContent.replace(/\\s/g, "")) fonts.get(font).add(character);
    }
  }
  const result = [];
  for (const [font, characters] of fonts) {
    if (characters.size) {
      result.push({font, characters: [...characters].join(""),
                   tofu: await window.tofu(font, [...characters])});
    }
  }
  return result;
}"""


def block_characters(family: str) -> list[str]:
    """Every assigned, visible character of the blocks the family must cover."""
    return [chr(c) for first, last in BLOCKS[family] for c in range(first, last + 1)
            if unicodedata.category(chr(c)) != "Cn" and c not in INVISIBLE]


@pytest.fixture
def forms_dir(tmp_path: Path) -> Path:
    """priorities.yaml, plus a small form in Burmese, Shan, S'gaw Karen and Khmer."""
    folder = tmp_path / "forms"
    folder.mkdir()
    shutil.copy(PROJECT / "forms" / "priorities.yaml", folder)
    form = SCRIPTS_FORM
    if "consent" in loader.FORM_KEYS:
        form = form.replace("default_language: en\n", "default_language: en\n" + CONSENT)
    (folder / "scripts.yaml").write_text(form, encoding="utf-8")
    return folder


def record_requests(context) -> tuple[list[str], list[str]]:
    """Every URL the browser asks for, and the static files that could not be had
    (requests cut short by leaving a page, net::ERR_ABORTED, do not count)."""
    requested: list[str] = []
    failed: list[str] = []

    def finished(response) -> None:
        if response.status >= 400 and "/static/" in response.url:
            failed.append(f"{response.url}: HTTP {response.status}")

    def broken(request) -> None:
        if request.failure != "net::ERR_ABORTED":
            failed.append(f"{request.url}: {request.failure}")

    context.on("request", lambda request: requested.append(request.url))
    context.on("response", finished)
    context.on("requestfailed", broken)
    return requested, failed


def foreign(urls: list[str], base: str) -> list[str]:
    """The URLs that are not on the app's own origin."""
    origin = urlsplit(base)
    return [url for url in urls
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (origin.scheme, origin.netloc)]


def assert_links_fonts_css(page) -> None:
    linked = page.evaluate(
        "[...document.querySelectorAll('link[rel=stylesheet]')].map((link) => link.href)")
    assert any(href.split("?")[0].endswith("/static/fonts.css") for href in linked), (
        f"the page does not link fonts.css (stylesheets: {linked}); survey/templates/base.html "
        "needs <link rel=\"stylesheet\" href=\"{{ url_for('static', filename='fonts.css') }}\">")


def test_every_script_loads_its_font_from_the_app_itself(app, tmp_path):
    with serve(app) as base, chromium(tmp_path) as browser:
        requested, failed = record_requests(browser)
        page = browser.new_page()
        page.goto(base + "/login")
        assert_links_fonts_css(page)
        page.evaluate(TOFU, MISSING)

        checked_blocks = set()
        for what, family, text in SAMPLES:
            characters = [] if family in checked_blocks else block_characters(family)
            checked_blocks.add(family)
            result = page.evaluate(LOAD_FONT, {"family": family, "text": text,
                                               "characters": characters})
            faces = [f for f in result["faces"] if f["family"] == family]
            assert faces and all(f["status"] == "loaded" for f in faces), (what, result)
            script_faces = {f["weight"] for f in faces if SCRIPT_RANGE[family] in f["range"]}
            assert script_faces == {"400", "700"}, (what, result)
            assert result["check"] == [True, True], (what, result)
            tofu = sorted({f"U+{ord(c):04X}" for c in result["tofu"]})
            assert not tofu, f"{what}: {family} draws these as tofu: {', '.join(tofu)}"
            # Bold is a real bold, not the regular file again.
            assert abs(result["bold"] - result["regular"]) > 0.5, (what, result)

    assert not failed, failed
    assert not foreign(requested, base), foreign(requested, base)
    fonts = {urlsplit(url).path for url in requested if url.endswith(".woff2")}
    for name in ("noto-sans-myanmar-myanmar", "noto-sans-thai-thai", "noto-sans-khmer-khmer"):
        for weight in (400, 700):
            assert f"/static/fonts/{name}-{weight}-normal.woff2" in fonts, sorted(fonts)


def check_page(page, form: str, language: str, family: str, suffix: str) -> None:
    """The page uses the family's script files, shows no tofu; a screenshot of it."""
    assert_links_fonts_css(page)
    faces = page.evaluate(LOADED_FACES)
    weights = {f["weight"] for f in faces
               if f["family"] == family and SCRIPT_RANGE[family] in f["range"]}
    # Headings are bold, the rest regular: both files of the script are in use.
    assert weights == {"400", "700"}, (form, language, suffix, faces)
    page.evaluate(TOFU, MISSING)
    shown = page.evaluate(PAGE_TOFU, language)
    assert shown and all(family in f["font"] for f in shown), (form, language, suffix, shown)
    assert not [f for f in shown if f["tofu"]], (form, language, suffix, shown)
    page.screenshot(path=str(ARTIFACTS / f"fonts-{form}-{language}{suffix}.png"), full_page=True)


def agree_to_consent(page) -> bool:
    """Where the survey opens on a consent page, agree and go on to the questions."""
    agree = page.locator("main input#agree")
    if not agree.count():
        return False
    agree.check()
    method = page.locator("main input[name=method]")
    if method.count():
        method.first.check()
    page.click("main button[value=agree]")
    page.wait_for_load_state()
    return True


def test_survey_pages_render_in_the_web_fonts(app, interviewer, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app) as base, chromium(tmp_path) as browser:
        requested, failed = record_requests(browser)
        page = browser.new_page()
        page.goto(base + "/login")
        page.fill("#username", "ina")
        page.fill("#password", PASSWORD)
        page.evaluate("document.fonts.ready.then(() => true)")  # no font fetch cut short
        page.click("main form button[type=submit]")  # not the header's language form
        page.wait_for_url(lambda url: "/login" not in url)

        for form, language, family in PAGES:
            page.goto(f"{base}/collect/{form}?lang={language}")
            check_page(page, form, language, family, "")
            if agree_to_consent(page):  # then the first page of questions too
                check_page(page, form, language, family, "-questions")

    assert not failed, failed
    assert not foreign(requested, base), foreign(requested, base)
