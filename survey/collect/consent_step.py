"""The consent page that comes before the first question."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, StringField
from wtforms.validators import InputRequired

from ..consent.codes import CodeError, find_participant
from ..consent.models import ConsentMethod
from ..consent.records import GivenConsent
from ..forms.definition import Form
from ..i18n import gettext_in
from ..timeutil import utcnow

METHODS = [
    SelectChoice(ConsentMethod.SELF.value, _l("She read it and ticked the box herself")),
    SelectChoice(ConsentMethod.ORAL.value, _l("I read it to her and she agreed out loud")),
    SelectChoice(ConsentMethod.ORAL_TRANSLATOR.value,
                 _l("A translator read it to her and she agreed out loud")),
]


def consent_form_class(form: Form, language: str, staff: bool = True) -> type[FlaskForm]:
    """The consent page; ``staff`` adds the interviewer's fields (how, and an existing code).

    On a handed-over tablet she reads it alone: the method is "self", and no code is asked.
    """
    fields: dict[str, Any] = {
        "agree": BooleanField(gettext_in(language, "I understand, and I agree to take part.")),
    }
    if staff:
        fields["method"] = RadioField(_l("How was consent given?"), choices=METHODS, validators=[
            InputRequired(_l("Choose how consent was given."))])
        fields["code"] = StringField(_l("Participant code, if she already has one"), render_kw={
            "autocomplete": "off", "autocapitalize": "characters"})
    for option in form.consent.optional:
        fields[f"optional_{option.name}"] = BooleanField(form.text(option.label, language))
    return type(f"{form.id}_ConsentForm", (FlaskForm,), fields)


def given_consent(form: Form, language: str, posted: FlaskForm,
                  organisation_id: int) -> GivenConsent | None:
    """Her consent from the posted page, or None with errors set on the fields."""
    valid = posted.validate()
    if not posted.agree.data:
        posted.agree.errors = [gettext_in(language, "Tick the box to agree, or choose \u201cI do not agree\u201d.")]
        valid = False
    code = (posted.code.data or "").strip() or None if "code" in posted else None  # staff only
    if code:
        try:
            code = find_participant(code, organisation_id).code
        except CodeError as exc:
            posted.code.errors = [gettext_in(language, str(exc))]
            valid = False
    if not valid:
        return None
    return GivenConsent(
        version=form.consent.version, language=language,
        method=ConsentMethod(posted.method.data) if "method" in posted else ConsentMethod.SELF,
        given_at=utcnow(),
        optional={o.name: bool(posted[f"optional_{o.name}"].data) for o in form.consent.optional},
        existing_code=code,
    )
