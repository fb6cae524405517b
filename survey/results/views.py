"""Results pages: tabulations with charts, and the printable community summary."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.auth import allow
from ..accounts.models import Role
from ..db import db
from ..i18n import ui_language
from ..organisations.access import forms_for
from ..organisations.models import Organisation
from ..organisations.zones import today
from ..export import views as export_views
from . import charts
from .access import READERS, requested_scope
from .crosstab import crosstab, grouping_question, grouping_questions
from .disclosure import protection
from .periods import offered
from .scope import Scope, ScopeError
from .tables import RankItem, RankResult
from .tally import first_day
from .tabulators import Context, tabulate

bp = Blueprint("results", __name__, url_prefix="/results", template_folder="templates")
bp.register_blueprint(export_views.bp)

SUMMARY_PRIORITIES = 5


@bp.get("/")
@allow(*READERS)
def index() -> str:
    return render_template("results/index.html", forms=forms_for(current_user))


@bp.get("/<form_id>")
@allow(*READERS)
def show(form_id: str) -> str:
    scope, rule = requested_scope(form_id, request)
    language = ui_language()
    results = tabulate(scope, rule, language)
    context = Context(scope, rule, language, results.respondents)
    by_name = request.args.get("by") or ""
    cross = []
    if by_name and results.enough:
        try:
            by = grouping_question(context, by_name)
        except ScopeError as exc:
            abort(400, description=_(str(exc)))
        cross = [table for result in results.questions
                 if (table := crosstab(context, result, by)) is not None]
    return render_template(
        "results/show.html", form=scope.form, scope=scope, rule=rule, results=results,
        lang=language, charts=charts, crosstabs=cross, by=by_name,
        grouping=grouping_questions(context), organisation=_organisation(scope),
        is_admin=current_user.role == Role.ADMIN, args=request.args, protection=protection,
        periods=offered(first_day(scope.form.id), today(scope.organisation_id)),
    )


@bp.get("/<form_id>/summary")
@allow(*READERS)
def summary(form_id: str) -> str:
    """One A4 page for a community meeting, in the community's language."""
    scope, rule = requested_scope(form_id, request)
    language = request.args.get("lang")
    if language not in scope.form.languages:
        language = ui_language()
    results = tabulate(scope, rule, language)
    ranking = next((r for r in results.questions if isinstance(r, RankResult)), None)
    return render_template(
        "results/summary.html", form=scope.form, scope=scope, rule=rule, results=results,
        lang=language, ranking=ranking, top=top_items(ranking) if ranking else (),
        charts=charts, organisation=_organisation(scope), protection=protection,
    )


def top_items(ranking: RankResult) -> list[RankItem]:
    """The first five by Borda score, and every item tied with the fifth: a tie is never
    broken by an item's code or name. Tied items are listed in the form's order."""
    scored = [item for item in ranking.items if item.borda is not None]
    if len(scored) <= SUMMARY_PRIORITIES:
        return scored
    cut = scored[SUMMARY_PRIORITIES - 1].borda or 0
    order = {code: i for i, code in enumerate(ranking.question.choice_values)}
    kept = [item for item in scored if (item.borda or 0) >= cut]
    return sorted(kept, key=lambda item: (-(item.borda or 0), order.get(item.code, 0)))


def _organisation(scope: Scope) -> Organisation | None:
    return None if scope.pooled else db.session.get(Organisation, scope.organisation_id)
