"""The home page: where login, the site title and every "back" link lead."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..accounts.auth import allow
from ..accounts.models import Role
from .links import consent_registers, tasks

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/home")
@allow(*Role)
def index() -> str:
    return render_template("home/index.html", tasks=tasks(), registers=consent_registers())
