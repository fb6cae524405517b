"""The checks a type declares as data, and their interpreter.

A type's ``client()`` says which widget shows it, how the widget's text is read
(``read``) and which checks an answer must pass (``checks``). The server runs
them here; the tablet runs the same data in static/offline/answers.js. Each
check is a dict: ``{"check": name, ...its parameters, "message": msgid}``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .errors import AnswerError

WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
             "\u2028\u2029\u202f\u205f\u3000\ufeff"
"""What a trimmed answer loses at either end, the same characters on both sides."""

Check = Mapping[str, Any]


def ascii_digits(text: str) -> str:
    """Digits of any script (Thai ๒๕, Myanmar ၂၅, ...) as ASCII."""
    return "".join(str(unicodedata.decimal(c)) if unicodedata.category(c) == "Nd" else c for c in text)


def trim(text: str, chars: str = WHITESPACE) -> str:
    return unicodedata.normalize("NFC", text).strip(chars)


TRIM = {"check": "trim", "chars": WHITESPACE}


def reading(**spec: Any) -> dict[str, Any]:
    """A widget's reading: its text trimmed as answers are, then ``spec``."""
    return {"trim": WHITESPACE, **spec}


def read(spec: Mapping[str, Any], text: str) -> Any:
    """What a widget's typed text means: ``None`` when blank; ``ValueError(message)`` when unreadable."""
    text = trim(text, spec["trim"])
    for char in spec.get("ignore", ""):
        text = text.replace(char, "")
    if spec.get("digits"):
        text = ascii_digits(text)
    if not text:
        return None
    if "pattern" in spec and not re.fullmatch(spec["pattern"], text):
        raise ValueError(spec["message"])
    if spec.get("number"):
        number = float(text) if spec.get("decimal") else int(text)
        if not _finite(number) or ("max" in spec and abs(number) > spec["max"]):
            raise ValueError(spec["message"])
        return number
    return text


def _finite(number: float | int) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


def _fail(check: Check, **variables: object) -> AnswerError:
    return AnswerError(check["message"], **variables)


def _string(check: Check, value: Any) -> Any:
    if not isinstance(value, str):
        raise _fail(check)
    return value


def _trim(check: Check, value: Any) -> Any:
    return trim(value, check["chars"])


def _max_length(check: Check, value: Any) -> Any:
    if len(value) > check["max"]:
        raise _fail(check, max=check["max"])
    return value


def _number(check: Check, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
        raise _fail(check)
    if check.get("whole"):
        if not float(value).is_integer() or abs(value) > check["max"]:
            raise _fail(check)
        return int(value)
    return float(value)


def _pattern(check: Check, value: Any) -> Any:
    if not isinstance(value, str):
        raise _fail(check)
    text = ascii_digits(value) if check.get("digits") else value
    if not re.fullmatch(check["pattern"], text):
        raise _fail(check)
    return text


def _calendar(check: Check, value: Any) -> Any:
    year, month, day = (int(part) for part in value.split("-"))
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if year < 1 or not 1 <= month <= 12 or not 1 <= day <= days[month - 1]:
        raise _fail(check)
    return value


def _one_of(check: Check, value: Any) -> Any:
    if not isinstance(value, str) or value not in check["values"]:
        raise _fail(check)
    return value


def _list_of(check: Check, value: Any) -> Any:
    if not isinstance(value, list) or any(not isinstance(v, str) or v not in check["values"] for v in value):
        raise _fail(check)
    return list(value)


def _unique(check: Check, value: Any) -> Any:
    if len(set(value)) != len(value):
        raise _fail(check)
    return value


def _count(check: Check, value: Any) -> Any:
    if len(value) != check["count"]:
        raise _fail(check, count=check["count"])
    return value


def _in_order(check: Check, value: Any) -> Any:
    return [v for v in check["values"] if v in value]


def _tick(check: Check, value: Any) -> Any:
    if value is not True:
        raise _fail(check)
    return True


CHECKS: dict[str, Callable[[Check, Any], Any]] = {
    "string": _string, "trim": _trim, "max_length": _max_length, "number": _number,
    "pattern": _pattern, "calendar": _calendar, "one_of": _one_of, "list_of": _list_of,
    "unique": _unique, "count": _count, "in_order": _in_order, "tick": _tick,
}


def run(checks: Sequence[Check], value: Any) -> Any:
    """``value`` through each check in turn: the canonical answer, or ``AnswerError``."""
    for check in checks:
        value = CHECKS[check["check"]](check, value)
    return value


def messages(spec: Any) -> set[str]:
    """Every message a spec can show, to send translated with the form."""
    if isinstance(spec, Mapping):
        found = {spec["message"]} if isinstance(spec.get("message"), str) else set()
        return found.union(*(messages(v) for v in spec.values()))
    if isinstance(spec, list | tuple):
        return set().union(*(messages(v) for v in spec))
    return set()
