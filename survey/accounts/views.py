from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..audit.log import record
from . import sessions
from .auth import limiter, logged_in, public
from .forms import ChangePasswordForm, LoginForm, LogoutForm, PinForm
from .passwords import verify_password
from .redirects import local_path
from .users import (
    AccountError,
    authenticate,
    change_password as set_password,
    known_user_id,
    set_pin,
)

LOGIN_LIMIT = "10 per minute"

bp = Blueprint("accounts", __name__, template_folder="templates")


def _username_key() -> str:
    return "login:" + (request.form.get("username") or "").strip().lower()


def _failed(response: Response) -> bool:
    """Only a login that did not succeed counts against the limit: twenty tablets of one
    office, behind one address, all log in at nine."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"], deduct_when=_failed)
@limiter.limit(LOGIN_LIMIT, methods=["POST"], key_func=_username_key, deduct_when=_failed)
def login() -> str | Response:
    form = LoginForm()
    if request.method == "GET":  # the QR code of her sheet of credentials names her
        form.username.data = (request.args.get("username") or "")[:80]
    if form.validate_on_submit():
        user = authenticate(form.username.data or "", form.password.data or "")
        if user is not None:
            sessions.start(user)
            record("login", "user", user.id)
            return redirect(_safe_next(request.args.get("next")))
        record("login_failed", "user", known_user_id(form.username.data or ""))
        form.password.errors.append(_("That username and password do not match."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@public
def logout() -> Response:
    if LogoutForm().validate_on_submit() and current_user.is_authenticated:
        record("logout", "user", current_user.id)
        sessions.end()
    return redirect(url_for("accounts.login"))


@bp.route("/password", methods=["GET", "POST"])
@logged_in
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data or ""):
            form.current.errors.append(_("That is not your current password."))
        else:
            try:
                set_password(current_user, form.new.data or "")
            except AccountError as exc:
                form.new.errors.append(str(exc))
            else:
                flash(_("Your password is changed."))
                return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/password.html", form=form)


@bp.route("/pin", methods=["GET", "POST"])
@logged_in
def pin() -> str | Response:
    """The PIN that unlocks her screens after handing the tablet to a participant."""
    form = PinForm()
    if form.validate_on_submit():
        set_pin(current_user, form.pin.data or "")
        flash(_("Your PIN is set."))
        return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/pin.html", form=form)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after login."""
    return local_path(target) or url_for("home.index")


