"""Zawgyi detection and conversion for text that participants type.

Many phones and old tablets in Myanmar still use the legacy Zawgyi font
encoding, which reuses code points of the Unicode Myanmar block for glyphs
(a vowel sign typed before its consonant, medials at the wrong code points,
pre-stacked consonants in U+1060-U+1097, ...). Text typed that way looks right
on a Zawgyi device and is garbage everywhere else, so it is converted to
standard Unicode before it is stored, and the text as typed is kept beside it.

Shan, S'gaw Karen, Mon and Pali are written with the same Myanmar block in
Unicode and must never be touched: they never pass the detector (it was
trained on Shan as well as on Burmese, and scores them near 0), and text
without Myanmar letters is never examined at all.

* Detection: Google's ``myanmartools`` (``ZawgyiDetector``), a Markov model
  that gives the probability that a string is Zawgyi rather than Unicode.
* Conversion: the CLDR "Zawgyi-my" transform, run by ICU's transliterator
  through PyICU (the converter the myanmartools README points to, and the one
  Google and Facebook use). PyICU comes from the ``pyicu-wheels`` distribution,
  which ships PyICU with ICU built in as binary wheels, so nothing is compiled
  on install. Any other distribution of the ``icu`` module (``PyICU`` built
  against the system's libicu, Debian's ``python3-icu``) works the same. One
  narrow rule runs first, for the digit ၀ typed for the letter ဝ (see
  ``_ZERO_FOR_WA``).

Every text, converted or not, is returned in Unicode Normalization Form C.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

import icu
from myanmartools import ZawgyiDetector

__all__ = [
    "ZAWGYI_THRESHOLD",
    "CleanText",
    "clean_text",
    "zawgyi_probability",
    "zawgyi_to_unicode",
]

ZAWGYI_THRESHOLD: Final[float] = 0.999
"""Text is converted only when the detector's Zawgyi probability is above this.

The conversion happens automatically, with nobody checking it, so wrongly
converting Unicode text is the worse mistake: it corrupts what a participant
typed correctly. The myanmartools README suggests a high threshold such as
0.95 for automatic conversion ("fewer than 1% of Unicode strings will be
wrongly flagged"); 0.999 is stricter still, for these measured reasons:

* Over the 1,004 Burmese (Unicode) strings of CLDR's ``my`` locale data --
  short names of languages, countries, months, days: the length of a typical
  survey answer -- 4 score above 0.95 and 2 above 0.99, but none above 0.999.
  One of them, "မက္ကဆီကို ပီဆို" (0.996), is mangled by the conversion (its
  virama stack becomes an asat); another Unicode fragment from myanmartools'
  own test data, "၏လွ" (0.993), would have its ွ turned into ှ.
* Over the 1,145 Shan strings of CLDR's ``shn`` data the highest score is
  0.51, and Shan, Karen and Mon sentences score below 1e-6.
* Zawgyi of more than two or three syllables scores above 0.9999 (every
  sample in the tests does), so the stricter threshold only lets very short,
  genuinely ambiguous Zawgyi through unconverted, e.g. "ေရ" (0.996) or
  "ဟုတ္ကဲ့" (0.66, which no usable threshold would catch).

What is not converted is stored as typed, with its probability in
``CleanText.zawgyi_probability``, so a caller can flag short answers with a
middling score for a person to look at.
"""

# Characters the detector's model knows: the Myanmar block without its
# digits (U+1040-U+1049, which Zawgyi and Unicode share), Myanmar Extended-A
# and Extended-B. Text with none of them is never examined.
_MYANMAR_LETTERS: Final = re.compile("[\u1000-\u103f\u104a-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f]")

_NFC: Final = "NFC"


@dataclass(frozen=True, slots=True)
class CleanText:
    """Text ready to store, and what was done to it."""

    text: str
    """NFC-normalised Unicode text to store."""
    original: str | None = None
    """The text exactly as typed, when it was converted from Zawgyi; else None."""
    zawgyi_probability: float | None = None
    """The detector's score (0 to 1) when the text had Myanmar letters; else None."""

    @property
    def converted(self) -> bool:
        """Whether the text was converted from Zawgyi."""
        return self.original is not None


def clean_text(text: str) -> CleanText:
    """NFC-normalise `text`, converting it from Zawgyi to Unicode when it is Zawgyi.

    Text with Myanmar letters is scored by the Zawgyi detector; above
    `ZAWGYI_THRESHOLD` it is converted, and the text as typed is kept in
    `original`. A conversion that changes nothing beyond normalisation (text
    whose characters read the same in both encodings) counts as none.
    """
    normalised = unicodedata.normalize(_NFC, text)
    probability = zawgyi_probability(text)
    if probability is not None and probability > ZAWGYI_THRESHOLD:
        unicode_text = unicodedata.normalize(_NFC, zawgyi_to_unicode(text))
        if unicode_text != normalised:
            return CleanText(unicode_text, original=text, zawgyi_probability=probability)
    return CleanText(normalised, zawgyi_probability=probability)


def zawgyi_probability(text: str) -> float | None:
    """The probability (0 to 1) that `text` is Zawgyi rather than Unicode.

    None when `text` has no Myanmar letters (Myanmar digits alone are not
    letters): there is nothing to judge. Characters outside the Myanmar block
    do not change the score.
    """
    if not _MYANMAR_LETTERS.search(text):
        return None
    probability = float(_detector().get_zawgyi_probability(text))
    return probability if math.isfinite(probability) else None


def zawgyi_to_unicode(text: str) -> str:
    """Convert Zawgyi-encoded `text` to Unicode, unconditionally (CLDR "Zawgyi-my").

    Only for text known to be Zawgyi: Unicode Burmese, Shan or Karen passed
    through here comes out garbled. `clean_text` decides when to call it.
    The result is not normalised; `clean_text`'s is.
    """
    text = _ZERO_FOR_WA.sub("\u101d", text)
    transliterator = _transliterator()
    # ICU does not promise that one transliterator may be used by several
    # threads at once (gunicorn may run threads); a lock around a call of a
    # few microseconds is cheap.
    with _transliterator_lock:
        return str(transliterator.transliterate(text))


# Zawgyi typists often type the digit ၀ (U+1040) for the letter ဝ (U+101D):
# they look the same. CLDR's rules turn it into ဝ after a letter or a vowel
# sign, but not at the start of a word after a space ("ဆရာ၀န္ ၀မ္းသာ" comes
# out as "ဆရာဝန် ၀မ်းသာ"). Where ၀ is followed by a consonant that carries the
# asat (Zawgyi ္, U+1039), perhaps with a dot below between them, it is the
# onset of a syllable whose final that consonant is, never a digit.
_ZERO_FOR_WA: Final = re.compile("\u1040(?=[\u1000-\u1021][\u1037\u1094\u1095]?\u1039)")


_transliterator_lock: Final = threading.Lock()


@cache
def _detector() -> ZawgyiDetector:
    # myanmartools 1.2.1 loads its model with importlib.resources.open_binary,
    # which Python 3.11 and 3.12 flag as deprecated (but still support).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"open_binary is deprecated", category=DeprecationWarning)
        return ZawgyiDetector()


@cache
def _transliterator() -> Any:  # icu.Transliterator; PyICU has no type information
    return icu.Transliterator.createInstance("Zawgyi-my")
