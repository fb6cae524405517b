"""Zawgyi detection and conversion of typed text (survey/i18n/zawgyi.py).

The Zawgyi samples are everyday Burmese sentences typed the way a Zawgyi
keyboard stores them -- vowel sign ေ and medial ြ before the consonant, ္ for
the asat, ် for the medial ya, the wide and short variant glyphs (ၾ ႀ ၿ ႏ ဳ
႔ ႕ ၤ ၡ), ၀ for wa -- each with the same sentence in standard Unicode, the
order of UTN #11 that NFC keeps. Two come from myanmartools' compatibility
data. The Shan, Karen and Mon samples are Unicode text that a Zawgyi converter
would garble, so a wrong detection shows as a changed string.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey.i18n.zawgyi import ZAWGYI_THRESHOLD, CleanText, clean_text, zawgyi_probability

# (Zawgyi as typed, the same text in Unicode)
ZAWGYI_TO_UNICODE = [
    # "Myanmar"
    ("ျမန္မာ", "မြန်မာ"),
    # "I live in Yangon."
    ("ကၽြန္ေတာ္ ရန္ကုန္ၿမိဳ႕မွာ ေနပါတယ္။", "ကျွန်တော် ရန်ကုန်မြို့မှာ နေပါတယ်။"),
    # "Hello, how are you?"
    ("မဂၤလာပါ၊ ေနေကာင္းလား။", "မင်္ဂလာပါ၊ နေကောင်းလား။"),
    # "Thank you very much."
    ("ေက်းဇူးအမ်ားႀကီး တင္ပါတယ္။", "ကျေးဇူးအများကြီး တင်ပါတယ်။"),
    # "The children go to school."
    ("ကေလးေတြ ေက်ာင္းကို သြားၾကတယ္။", "ကလေးတွေ ကျောင်းကို သွားကြတယ်။"),
    # "The people of Myanmar"
    ("ျမန္မာႏိုင္ငံ ျပည္သူမ်ား", "မြန်မာနိုင်ငံ ပြည်သူများ"),
    # "The doctor is glad."  (၀ typed for ဝ)
    ("ဆရာ၀န္ ၀မ္းသာပါတယ္။", "ဆရာဝန် ဝမ်းသာပါတယ်။"),
    # "Human rights", "with you and me"
    ("လူ႔အခြင့္အေရး", "လူ့အခွင့်အရေး"),
    ("သင္နဲ႔ ကၽြန္မ", "သင်နဲ့ ကျွန်မ"),
    # Universal Declaration of Human Rights, article 1, first sentence
    (
        "လူတိုင္းသည္ တူညီ လြတ္လပ္ေသာ ဂုဏ္သိကၡာ ျဖင့္လည္းေကာင္း၊ "
        "တူညီ လြတ္လပ္ေသာ အခြင့္အေရးမ်ား ျဖင့္လည္းေကာင္း၊ ေမြးဖြားလာသူမ်ား ျဖစ္သည္။",
        "လူတိုင်းသည် တူညီ လွတ်လပ်သော ဂုဏ်သိက္ခာ ဖြင့်လည်းကောင်း၊ "
        "တူညီ လွတ်လပ်သော အခွင့်အရေးများ ဖြင့်လည်းကောင်း၊ မွေးဖွားလာသူများ ဖြစ်သည်။",
    ),
    # From myanmartools' compatibility.tsv
    ("ဖ်က္ဆီးတတ္သည့္ ရက္စက္ၾကမ္းၾကဳတ္ေသာ", "ဖျက်ဆီးတတ်သည့် ရက်စက်ကြမ်းကြုတ်သော"),
    ("ခဲ့ေသာေၾကာင့္", "ခဲ့သောကြောင့်"),
]

UNICODE_BURMESE = [
    "မြန်မာ",
    "ကျွန်တော် ရန်ကုန်မြို့မှာ နေပါတယ်။",
    "မင်္ဂလာပါ၊ နေကောင်းလား။",
    "ကျေးဇူးအများကြီး တင်ပါတယ်။",
    "ကလေးတွေ ကျောင်းကို သွားကြတယ်။",
    "မြန်မာနိုင်ငံ ပြည်သူများ",
    "လူ့အခွင့်အရေး",
    "ဘာသာစကား",
    "ရွာ",
    "မန္တလေး",
    # Unicode strings that score between 0.95 and 0.999: the reason for the threshold
    "မက္ကဆီကို ပီဆို",  # Mexican peso (CLDR), 0.996: its virama stack would become an asat
    "၏လွ",  # fragment from myanmartools' compatibility data, 0.993: ွ would become ှ
    "လူတိုင်းသည် တူညီ လွတ်လပ်သော ဂုဏ်သိက္ခာ ဖြင့်လည်းကောင်း၊ "
    "တူညီ လွတ်လပ်သော အခွင့်အရေးများ ဖြင့်လည်းကောင်း၊ မွေးဖွားလာသူများ ဖြစ်သည်။",
]

SHAN = [
    "လိၵ်ႈတႆး",  # Shan script
    "ၵႂၢမ်းတႆး",  # Shan language
    "မႂ်ႇသုင်ၶႃႈ",  # hello
    "ထၢမ်တွပ်ႇ",  # from myanmartools' compatibility data
    "ၶူးႁိုၼ်",  # from myanmartools' compatibility data
]

SGAW_KAREN = [
    "ကညီကျိာ်",  # Karen language
    "တၢ်ဘျုးစုာ်အါအါ",  # thank you very much
    "တၢ်ကစီၣ်",  # from myanmartools' compatibility data
    "တၢ်ထံၣ်တၢ်ပၥ်သး",  # from myanmartools' compatibility data
]

MON = [
    "ဂလာန်ညးဒါန်လိက်",  # from myanmartools' compatibility data
    "ဍုၚ်မွဲမွဲ",
]

OTHER_SCRIPTS = [
    "ภาษาไทย สวัสดีครับ",  # Thai
    "ភាសាខ្មែរ សួស្តី",  # Khmer
    "The quick brown fox jumps over the lazy dog.",
    "Ready 👍🏽 🇲🇲 👨‍👩‍👧",  # emoji, skin tone, flag, ZWJ sequence
    "",
    "   ",
    "0123456789",
    "၀၁၂၃၄၅၆၇၈၉",  # Myanmar digits
    "तमिळ தமிழ் 中文 العربية",
]


# --- Zawgyi is detected and converted ----------------------------------------


@pytest.mark.parametrize(("zawgyi", "unicode"), ZAWGYI_TO_UNICODE)
def test_zawgyi_is_converted_to_the_exact_unicode_text(zawgyi: str, unicode: str) -> None:
    result = clean_text(zawgyi)
    assert result.text == unicode
    assert result.converted is True
    assert result.original == zawgyi
    assert result.zawgyi_probability is not None
    assert result.zawgyi_probability > ZAWGYI_THRESHOLD


@pytest.mark.parametrize(("zawgyi", "unicode"), ZAWGYI_TO_UNICODE)
def test_the_samples_are_what_they_claim(zawgyi: str, unicode: str) -> None:
    """Guards the data: Unicode samples are NFC already, and the pairs differ."""
    assert unicodedata.normalize("NFC", unicode) == unicode
    assert zawgyi != unicode


@pytest.mark.parametrize(("zawgyi", "unicode"), ZAWGYI_TO_UNICODE)
def test_converted_text_is_not_converted_again(zawgyi: str, unicode: str) -> None:
    again = clean_text(clean_text(zawgyi).text)
    assert again.text == unicode
    assert again.converted is False
    assert again.original is None


def test_latin_around_zawgyi_is_kept() -> None:
    result = clean_text("Name: ေအာင္ဆန္းစုၾကည္ (ASSK), 1945")
    assert result == CleanText(
        text="Name: အောင်ဆန်းစုကြည် (ASSK), 1945",
        original="Name: ေအာင္ဆန္းစုၾကည္ (ASSK), 1945",
        zawgyi_probability=result.zawgyi_probability,
    )
    assert result.converted


def test_multi_line_zawgyi_keeps_its_lines() -> None:
    result = clean_text("ျမန္မာ\nေက်းဇူးတင္ပါတယ္\r\n")
    assert result.text == "မြန်မာ\nကျေးဇူးတင်ပါတယ်\r\n"
    assert result.converted


# --- Unicode in the Myanmar block is never touched -----------------------------


@pytest.mark.parametrize("text", UNICODE_BURMESE + SHAN + SGAW_KAREN + MON)
def test_unicode_myanmar_script_text_is_unchanged(text: str) -> None:
    assert unicodedata.normalize("NFC", text) == text
    result = clean_text(text)
    assert result.text == text
    assert result.converted is False
    assert result.original is None
    assert result.zawgyi_probability is not None
    assert result.zawgyi_probability <= ZAWGYI_THRESHOLD


@pytest.mark.parametrize("text", SHAN + SGAW_KAREN + MON)
def test_shan_karen_and_mon_are_not_even_close(text: str) -> None:
    probability = zawgyi_probability(text)
    assert probability is not None
    assert probability < 0.001


def test_short_ambiguous_zawgyi_is_left_as_typed() -> None:
    """The price of the strict threshold: a two-letter word is not converted.

    "ေရ" (water) is 0.996 Zawgyi by the detector. It stays as typed, with its
    score, so that it can be flagged for a person.
    """
    result = clean_text("ေရ")
    assert result.text == "ေရ"
    assert result.converted is False
    assert result.zawgyi_probability is not None
    assert 0.99 < result.zawgyi_probability <= ZAWGYI_THRESHOLD


def test_text_that_reads_the_same_in_both_encodings_is_not_converted() -> None:
    # "၏" is the same character in Zawgyi and Unicode: scored, nothing to convert.
    result = clean_text("၏")
    assert result == CleanText(text="၏", original=None, zawgyi_probability=result.zawgyi_probability)
    assert result.zawgyi_probability is not None


# --- other scripts, digits, empty text --------------------------------------


@pytest.mark.parametrize("text", OTHER_SCRIPTS)
def test_text_without_myanmar_letters_is_unchanged_and_not_scored(text: str) -> None:
    assert clean_text(text) == CleanText(text=text, original=None, zawgyi_probability=None)


def test_myanmar_digits_with_unicode_burmese_are_unchanged() -> None:
    result = clean_text("၁၉၄၈ ခုနှစ်")
    assert result.text == "၁၉၄၈ ခုနှစ်"
    assert result.converted is False


def test_zawgyi_with_myanmar_digits_keeps_the_digits() -> None:
    result = clean_text("၁၉၄၈ ခုႏွစ္ ဇန္နဝါရီလ ၄ ရက္ေန႔")
    assert result.text == "၁၉၄၈ ခုနှစ် ဇန်နဝါရီလ ၄ ရက်နေ့"
    assert result.converted


def test_zero_typed_for_wa_becomes_wa_but_numbers_stay_numbers() -> None:
    result = clean_text("၀င္ေငြ ၁၀၀ က်ပ္ ၀ယ္ခဲ့တယ္၊ ၁၀ ရက္ေန႔")
    assert result.text == "ဝင်ငွေ ၁၀၀ ကျပ် ဝယ်ခဲ့တယ်၊ ၁၀ ရက်နေ့"
    assert result.converted


def test_empty_string() -> None:
    result = clean_text("")
    assert result == CleanText("")
    assert result.text == ""
    assert result.converted is False
    assert result.original is None
    assert result.zawgyi_probability is None


# --- NFC ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("e\u0301", "\u00e9"),
        ("Cafe\u0301 Ame\u0301lie", "Café Amélie"),
        ("A\u030a", "\u00c5"),  # Å
        ("\u1100\u1161", "\uac00"),  # Hangul jamo to syllable
        ("\u212b", "\u00c5"),  # ANGSTROM SIGN to Å
    ],
)
def test_decomposed_text_is_composed(typed: str, stored: str) -> None:
    result = clean_text(typed)
    assert result.text == stored
    assert result.converted is False
    assert result.original is None


def test_unicode_burmese_in_non_canonical_order_is_reordered_not_converted() -> None:
    # Some keyboards type asat before dot below ("နေ့" is fine, "ကြောင့်" typed
    # as င ် ့): NFC puts the dot below (ccc 7) before the asat (ccc 9).
    typed = "ကြောင\u103a\u1037"
    result = clean_text(typed)
    assert result.text == "ကြောင\u1037\u103a"
    assert result.converted is False


def test_zawgyi_output_is_nfc_and_latin_in_it_is_composed() -> None:
    result = clean_text("Cafe\u0301 ျမန္မာ")
    assert result.text == "Café မြန်မာ"
    assert result.original == "Cafe\u0301 ျမန္မာ"


# --- properties --------------------------------------------------------------

NOT_MYANMAR = st.text(
    alphabet=st.characters(
        exclude_categories=("Cs",),
        exclude_characters="".join(map(chr, range(0x1000, 0x10A0))),
    ).filter(lambda c: not ("\ua9e0" <= c <= "\ua9ff" or "\uaa60" <= c <= "\uaa7f")),
)


@given(NOT_MYANMAR)
def test_any_text_without_myanmar_letters_is_only_normalised(text: str) -> None:
    assert clean_text(text) == CleanText(unicodedata.normalize("NFC", text))


@given(st.text())
def test_output_is_always_nfc_and_original_only_when_converted(text: str) -> None:
    result = clean_text(text)
    assert unicodedata.is_normalized("NFC", result.text)
    if result.converted:
        assert result.original == text
        assert result.zawgyi_probability is not None
        assert result.zawgyi_probability > ZAWGYI_THRESHOLD
    else:
        assert result.text == unicodedata.normalize("NFC", text)
