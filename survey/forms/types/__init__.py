"""Question types: one class per type, found through ``QUESTION_TYPES``.

``base`` says what a type owns and gives the defaults; each family of types
is a module here. Adding a type means adding one class with ``@register``.
"""

from . import choices, date, note, numbers, rank, text  # noqa: F401 - each registers its types
from .base import QUESTION_TYPES, AnswerError, AnswerRow, QuestionType, normalise_text

__all__ = ["QUESTION_TYPES", "AnswerError", "AnswerRow", "QuestionType", "normalise_text"]
