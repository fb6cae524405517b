"""The WTForms form for one page (section) of a survey, built from its definition."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm

from ..forms.definition import Form, Section


def page_form_class(form: Form, section: Section, language: str) -> type[FlaskForm]:
    """A FlaskForm subclass with one field per question, made by its type."""
    fields = {
        question.name: question.type.field(question, form.chain(language))
        for question in section.questions
    }
    return type(f"{form.id}_{section.name}_Form", (FlaskForm,), fields)


def page_values(page: FlaskForm, section: Section) -> dict[str, Any]:
    """What was posted on the page, converted by each field."""
    return {
        q.name: page[q.name].data for q in section.questions if q.collects_answer
    }


def prefill(section: Section, answers: Mapping[str, Any]) -> dict[str, Any]:
    return {q.name: answers[q.name] for q in section.questions if answers.get(q.name) is not None}
