"""The error of an answer that its question cannot accept."""

from __future__ import annotations

from ...i18n import gettext_in


class AnswerError(ValueError):
    """An answer that its question cannot accept; the message is untranslated."""

    def __init__(self, message: str, **variables: object) -> None:
        super().__init__(message)
        self.message = message
        self.variables = variables

    def translated(self, language: str) -> str:
        return gettext_in(language, self.message, **self.variables)
