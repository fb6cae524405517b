"""A form as the tablet needs it to run offline: every text in every language, logic as trees."""

from __future__ import annotations

from typing import Any

from ..forms.definition import Form, Question, Section, Text
from ..forms.expressions import Expression
from ..i18n import gettext_in

# The validation messages of survey/forms/types/ and validation.py, which the
# browser shows in the form's language when it checks an answer offline.
MESSAGES = (
    "Please answer this question.",
    "Expected text.",
    "Keep this under %(max)s characters.",
    "Enter a whole number, like 25.",
    "Enter a number, like 2.5.",
    "Enter a date like 2024-03-31.",
    "Choose one of the answers shown.",
    "Choose from the answers shown.",
    "Choose each answer only once.",
    "Rank only the items shown.",
    "Give each position to only one item.",
    "Put %(count)s items in order.",
    "Number the items 1, 2, 3… without leaving a gap.",
    "Next",
    "Back",
    "Send answers",
    "I agree",
    "I do not agree",
    "I understand, and I agree to take part.",
    "Tick the box to agree, or choose \u201cI do not agree\u201d.",
    "Thank you for your time",
    "You chose not to take part. Nothing you said has been kept.",
    "Thank you. The answers are stored.",
)


def summary(form: Form) -> dict[str, Any]:
    return {"id": form.id, "version": form.version, "content_hash": form.content_hash,
            "title": _text(form.title), "languages": list(form.languages),
            "default_language": form.default_language}


def full(form: Form) -> dict[str, Any]:
    return {
        **summary(form),
        "fallbacks": {language: list(form.chain(language)) for language in form.languages},
        "consent": {"version": form.consent.version, "text": _text(form.consent.text),
                    "optional": [{"name": o.name, "label": _text(o.label)}
                                 for o in form.consent.optional]},
        "sections": [_section(section) for section in form.sections],
        "messages": {language: {m: gettext_in(language, m) for m in MESSAGES}
                     for language in form.languages},
    }


def _section(section: Section) -> dict[str, Any]:
    return {"name": section.name, "title": _text(section.title),
            "relevant": _tree(section.relevant),
            "questions": [_question(question) for question in section.questions]}


def _question(question: Question) -> dict[str, Any]:
    return {
        "name": question.name, "type": question.type.name, "label": _text(question.label),
        "hint": _text(question.hint), "required": question.required,
        "choices": [{"value": c.value, "label": _text(c.label)} for c in question.choices],
        "relevant": _tree(question.relevant), "constraint": _tree(question.constraint),
        "constraint_message": _text(question.constraint_message),
        "options": dict(question.options),
    }


def _text(text: Text | None) -> dict[str, str] | None:
    return dict(text.translations) if text is not None else None


def _tree(expression: Expression | None) -> Any:
    return expression.tree if expression is not None else None
