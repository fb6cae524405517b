"""Login sessions and the roles each view allows."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, redirect, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from ..db import db
from ..i18n import N_
from . import sessions
from .models import Role, User

login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)
login_manager.login_view = "accounts.login"
login_manager.login_message = N_("Please log in to continue.")
csrf = CSRFProtect()

View = TypeVar("View", bound=Callable[..., Any])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def allow(*roles: Role) -> Callable[[View], View]:
    """Declare which roles may use a view; others get 403, strangers the login page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.must_change_password:
                return redirect(url_for("accounts.change_password", next=request.full_path))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def logged_in(view: View) -> View:
    """Declare a view open to every account, even one that must change its password."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    wrapped.allowed_roles = frozenset(Role)  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


def public(view: View) -> View:
    """Declare a view open to everyone, logged in or not."""
    view.allowed_roles = frozenset({"public"})  # type: ignore[attr-defined]
    return view


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    _require_limit_storage(app.config["RATELIMIT_STORAGE_URI"])
    sessions.init_app(app)


def _require_limit_storage(uri: str) -> None:
    """Refuse to start when the shared store for login limits is configured but unreachable."""
    if limiter.storage.check():
        return
    shown = re.sub(r"//[^/@]*@", "//***@", uri)  # never print its password
    raise SystemExit(
        f"RATELIMIT_STORAGE_URI: cannot reach {shown} to count login attempts. Start it, or "
        "unset RATELIMIT_STORAGE_URI to count in memory (one worker only)."
    )
