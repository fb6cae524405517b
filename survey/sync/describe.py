"""A form as the tablet needs it to run offline: every text in every language, logic as trees."""

from __future__ import annotations

from typing import Any

from ..forms.definition import Form, Question, Section, Text
from ..forms.expressions import Expression
from ..forms.types import checks
from ..i18n import gettext_in

# The messages of validation.py and the interview's own words, which the browser
# shows in the form's language; each type's messages come with its checks.
MESSAGES = (
    "Please answer this question.",
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
        "messages": {language: {m: gettext_in(language, m) for m in sorted(_messages(form))}
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
        "options": dict(question.options), **question.type.client(question),
    }


def _messages(form: Form) -> set[str]:
    found = set(MESSAGES)
    for section in form.sections:
        for question in section.questions:
            found |= checks.messages(question.type.client(question))
    return found


def _text(text: Text | None) -> dict[str, str] | None:
    return dict(text.translations) if text is not None else None


def _tree(expression: Expression | None) -> Any:
    return expression.tree if expression is not None else None
