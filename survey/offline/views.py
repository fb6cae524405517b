"""The app shell at /app, the service worker at /sw.js, and the web app manifest.

The shell holds no data and no account: it is the same page for everyone, in
the interface language, so the service worker can keep it for offline use.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import sessions
from ..accounts.auth import public
from ..audit.log import record
from ..i18n import gettext_in, registry, ui_language

bp = Blueprint("offline", __name__, template_folder="templates")

TEMPLATES = Path(__file__).resolve().parent / "templates" / "offline"
# Everything the app needs offline, besides the shell page and the manifest.
# The ES modules in offline/ are bundled into offline-build/app.min.js (scripts/build-offline-js).
ASSET_GLOBS = ("app.css", "fonts.css", "fonts/*.woff2", "offline-build/*.js", "offline/*.css",
               "offline/*.png", "offline/*.svg")


def _assets() -> list[Path]:
    static = Path(current_app.static_folder or "")
    return sorted(path for pattern in ASSET_GLOBS for path in static.glob(pattern))


def _cache_version() -> str:
    """A hash of every cached file: any change makes the tablets fetch them again."""
    version = current_app.extensions.get("offline_version")
    if version is None:
        digest = hashlib.sha256()
        for path in [*_assets(), *sorted(TEMPLATES.iterdir())]:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        version = current_app.extensions["offline_version"] = digest.hexdigest()[:16]
    return version


def _messages() -> dict[str, str]:
    """The app's own words, in the interviewer's language; %(name)s is filled in by the app."""
    return {
        "surveys": _("Surveys"),
        "no_surveys": _("No surveys on this tablet yet. Connect to the internet and log in to get them."),
        "no_key": _("Connect to the internet once before the first interview, to get the key that seals answers."),
        "choose_language": _("Choose the language of the interview"),
        "hand_over": _("Hand the tablet to the participant"),
        "consent_method": _("How was consent given?"),
        "method_self": _("She read it and ticked the box herself"),
        "method_oral": _("I read it to her and she agreed out loud"),
        "method_oral_translator": _("A translator read it to her and she agreed out loud"),
        "choose_method": _("Choose how consent was given."),
        "tick_to_agree": _("Tick the box to agree, or choose \u201cI do not agree\u201d."),
        "existing_code": _("Participant code, if she already has one"),
        "existing_code_hint": _("For a follow-up survey. Leave empty and she gets a new code at the end."),
        "refused": _("She did not agree. Nothing was recorded."),
        "saved": _("Saved and sealed on this tablet. It is sent when there is a connection."),
        "another": _("Start another interview"),
        "home": _("Back to the surveys"),
        "status": _("%(waiting)s waiting, last sent %(last)s, %(attention)s need attention"),
        "never": _("never"),
        "sync_now": _("Sync now"),
        "syncing": _("Sending\u2026"),
        "offline": _("No connection: the answers stay sealed on this tablet."),
        "login_needed": _("Your session has ended. Log in again; nothing on this tablet is lost."),
        "log_in": _("Log in"),
        "new_password": _("Choose a new password before sending."),
        "sync_failed": _("Sending failed; the app tries again in a moment."),
        "attention": _("Needs attention"),
        "conflict": _("Another record with this number is already on the server."),
        "invalid": _("The server did not accept it: %(field)s %(message)s"),
        "unfinished": _("%(count)s interrupted interviews are kept sealed."),
        "not_persistent": _("This browser may delete the saved answers when space runs low. Send them often."),
        "download": _("Download the sealed answers"),
        "wipe": _("Wipe this tablet"),
        "wipe_confirm": _("Wipe this tablet? Surveys and sent records are removed. Answers not yet sent (%(count)s) are kept, sealed."),
        "wiped": _("This tablet is wiped."),
        "wiped_offline": _("This tablet is wiped, but the login could not be ended: connect to the internet and wipe it again."),
    }


def _participant_words() -> dict[str, dict[str, str]]:
    """The few words of the app a participant sees, in every language (the form brings the rest)."""
    return {code: {"survey": gettext_in(code, "Community survey"), "exit": gettext_in(code, "Exit"),
                   "finish": gettext_in(code, "Finish")} for code in registry()}


@bp.get("/app")
@public
def shell() -> str:
    language = ui_language()
    return render_template("offline/app.html", language=language, cldr=registry()[language].cldr,
                           messages=_messages(), participant=_participant_words())


@bp.post("/app/wipe")
@public
def wipe() -> Response:
    """The tablet is wiped: its login ends on the server, the browser drops cookies and HTTP cache.

    Not "storage": the sealed answers not yet sent stay on the tablet.
    """
    if current_user.is_authenticated:
        record("tablet_wiped", "user", current_user.id)
        sessions.end()
    return Response(status=204, headers={"Clear-Site-Data": '"cache", "cookies"'})


@bp.get("/sw.js")
@public
def service_worker() -> Response:
    static = Path(current_app.static_folder or "")
    assets = [url_for("offline.shell"), url_for("offline.manifest")] + [
        url_for("static", filename=path.relative_to(static).as_posix()) for path in _assets()]
    body = render_template("offline/sw.js", version=_cache_version(), assets=assets,
                           shell=url_for("offline.shell"))
    return Response(body, mimetype="text/javascript", headers={
        "Service-Worker-Allowed": "/", "Cache-Control": "no-cache"})


@bp.get("/manifest.webmanifest")
@public
def manifest() -> Response:
    body = {
        "name": _("Community survey"), "short_name": _("Survey"), "lang": ui_language(),
        "start_url": url_for("offline.shell"), "scope": url_for("offline.shell"),
        "display": "standalone", "background_color": "#fafafa", "theme_color": "#0b5f8a",
        "icons": [{"src": url_for("static", filename=f"offline/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "any maskable"} for size in (192, 512)],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
