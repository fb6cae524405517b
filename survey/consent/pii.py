"""Phone numbers and ID-card numbers in free text, in any script's digits.

``scan`` finds them when an answer is stored: a hit does not change the
stored text, it flags it for a person to check. ``redact`` removes them from
text that leaves the system: quotes in results, free text in the workbook.
"""

from __future__ import annotations

import re
import unicodedata

PHONE = "phone"
ID_NUMBER = "id_number"
REDACTED = "[…]"

# Myanmar NRC: state/township(type)number, e.g. 12/MaYaKa(N)123456 or ၁၂/မရက(နိုင်)၁၂၃၄၅၆.
_NRC = re.compile(r"\b\d{1,2}\s*/\s*[^\s/()]{2,20}\s*\(\s*[^\s()]{1,8}\s*\)\s*\d{5,6}\b")
# Thai national ID: 13 digits, often written 1-2345-67890-12-3.
_THAI_ID = re.compile(r"(?<!\d)\d(?:[\s-]?\d){12}(?!\d)")
# Phones: Thai 0X-XXX-XXXX (9-10 digits), Myanmar 09-XXX-XXXXX (9-11 digits), or +66/+95 forms.
_PHONE = re.compile(r"(?<![\d+])(?:\+\s?(?:66|95)[\s-]?\d|0\d)(?:[\s.-]?\d){7,9}(?!\d)")


def ascii_digits(text: str) -> str:
    """Thai ๑๒๓ and Myanmar ၁၂၃ (and every other script's) digits as 123."""
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text)


def scan(text: str) -> set[str]:
    """The kinds of identifying numbers found in ``text``."""
    plain = ascii_digits(text)
    found = set()
    if _NRC.search(plain) or _THAI_ID.search(plain):
        found.add(ID_NUMBER)
    if _PHONE.search(_THAI_ID.sub(" ", plain)):
        found.add(PHONE)
    return found


def redact(text: str) -> str:
    """Phone and ID-card numbers, in any script's digits, replaced by ``[…]``.

    ``ascii_digits`` keeps every character in its place, so the spans found
    in the ASCII copy are the spans of the original.
    """
    plain = ascii_digits(text)
    spans = [m.span() for pattern in (_NRC, _THAI_ID, _PHONE) for m in pattern.finditer(plain)]
    for start, end in sorted(_merged(spans), reverse=True):
        text = text[:start] + REDACTED + text[end:]
    return text


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
