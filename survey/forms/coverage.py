"""How much of each form is translated, and how much a translator has reviewed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from .definition import Form


@dataclass(frozen=True)
class Coverage:
    language: str
    total: int
    translated: int
    reviewed: int
    missing: tuple[str, ...]

    def __str__(self) -> str:
        line = f"{self.language}: {self.translated}/{self.total} translated, {self.reviewed} reviewed"
        if self.missing:
            shown = ", ".join(self.missing[:3]) + (", …" if len(self.missing) > 3 else "")
            line += f"; missing (shown in a fallback language): {shown}"
        return line


def coverage(form: Form, reviewed: Collection[tuple[str, str]] = ()) -> list[Coverage]:
    """Per language of the form; ``reviewed`` holds (text key, language) pairs."""
    texts = list(form.texts())
    result = []
    for language in form.languages:
        missing = tuple(key for key, text in texts if language not in text.translations)
        done = sum(1 for key, text in texts
                   if language in text.translations and (key, language) in reviewed)
        result.append(Coverage(language, len(texts), len(texts) - len(missing), done, missing))
    return result
