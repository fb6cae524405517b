"""Whose results the current user asks for, and may see.

A lead sees her own organisation. An admin sees her own organisation and the
results pooled over every organisation (tabulated only, never free text).
"""

from __future__ import annotations

from flask import Request, abort
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..forms.definition import Form
from ..organisations.access import form_for, organisation_of
from .disclosure import Rule, rule_for
from .periods import Period, parse_period, refuse_days
from .scope import Scope, ScopeError

READERS = (Role.ADMIN, Role.LEAD)
POOLED = "pooled"
FILTERS = ("period", "from", "to", "view", "by", "lang")


def requested_scope(form_id: str, request: Request) -> tuple[Scope, Rule]:
    """The form and filters of the request; 403/404/400 with a clear message otherwise."""
    form: Form = form_for(current_user, form_id)
    if any(len(request.args.getlist(name)) > 1 for name in FILTERS):
        abort(400, description=_("Give each filter only once."))
    pooled = request.args.get("view") == POOLED or (
        current_user.role == Role.ADMIN and current_user.organisation_id is None)
    if pooled and current_user.role != Role.ADMIN:
        abort(403, description=_("Only an admin sees the results of every organisation together."))
    period = requested_period(request)
    organisation = None if pooled else organisation_of(current_user)
    since, until = (period.first, period.last) if period else (None, None)
    rule = rule_for(form)
    return Scope(form, organisation, since, until).among_enough(rule.k), rule


def requested_period(request: Request) -> Period | None:
    """The month or quarter asked for (``period``); free days (``from``, ``to``) are refused."""
    try:
        refuse_days(request.args.get("from"), request.args.get("to"))
        return parse_period(request.args.get("period"))
    except ScopeError as exc:
        abort(400, description=_(str(exc)))
