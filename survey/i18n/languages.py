"""The language registry: code, native name, script, direction, CLDR locale, fallbacks.

It lives in ``survey/i18n/languages.yaml``. Babel/CLDR does not know every
language our participants speak (Kachin, S'gaw Karen, Akha), so the registry,
not Babel, decides which languages exist; Babel only formats dates and
numbers, through each language's ``cldr`` locale.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError

from .. import yaml_source
from ..yaml_source import LineMapping

KEYS = {"name", "english", "script", "direction", "cldr", "fallback"}


class LanguageRegistryError(ValueError):
    """A problem in the registry file, with its line."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    english: str
    script: str
    direction: str
    cldr: str
    fallback: tuple[str, ...]


class Registry(Mapping[str, Language]):
    def __init__(self, languages: dict[str, Language]) -> None:
        self._languages = languages

    def __getitem__(self, code: str) -> Language:
        return self._languages[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._languages)

    def __len__(self) -> int:
        return len(self._languages)

    def chain(self, code: str) -> tuple[str, ...]:
        """The language itself, then its fallbacks in order, each once."""
        language = self._languages.get(code)
        return tuple(dict.fromkeys((code, *(language.fallback if language else ()))))

    def best_match(self, accepted: list[tuple[str, float]]) -> str | None:
        """The registry language that best matches an Accept-Language list."""
        for value, _quality in accepted:
            tag = value.replace("_", "-").lower()
            if tag in self._languages:
                return tag
            primary = tag.split("-")[0]
            if primary in self._languages:
                return primary
        return None


def load_registry(path: Path) -> Registry:
    display = f"{path.parent.name}/{path.name}"
    data = yaml_source.load(path.read_text(encoding="utf-8"))
    if not isinstance(data, LineMapping) or not data:
        raise LanguageRegistryError(display, 1, "the registry must map language codes to languages")
    languages = {code: _language(display, data, code) for code in data}
    for code, language in languages.items():
        for other in language.fallback:
            if other not in languages:
                raise LanguageRegistryError(display, data.line_of(code),
                                            f"'{code}' falls back to unknown language '{other}'")
    return Registry(languages)


def _language(display: str, data: LineMapping, code: str) -> Language:
    entry = data[code]
    line = data.line_of(code)
    if not isinstance(entry, LineMapping):
        raise LanguageRegistryError(display, line, f"'{code}' must be a mapping")
    if unknown := set(entry) - KEYS:
        raise LanguageRegistryError(display, line, f"'{code}' has unknown keys: {', '.join(sorted(unknown))}")
    if missing := KEYS - set(entry):
        raise LanguageRegistryError(display, line, f"'{code}' is missing: {', '.join(sorted(missing))}")
    if entry["direction"] not in ("ltr", "rtl"):
        raise LanguageRegistryError(display, entry.line_of("direction"), "direction must be ltr or rtl")
    try:
        Locale.parse(entry["cldr"])
    except (UnknownLocaleError, ValueError):
        raise LanguageRegistryError(display, entry.line_of("cldr"),
                                    f"'{entry['cldr']}' is not a locale Babel knows") from None
    return Language(code=code, name=entry["name"], english=entry["english"],
                    script=entry["script"], direction=entry["direction"], cldr=entry["cldr"],
                    fallback=tuple(entry["fallback"] or ()))
