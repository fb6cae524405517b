"""Security headers on every response, errors included, cookie settings and trusted proxies."""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=63072000; includeSubDomains"
# Same-origin requests carry a Referer, which Flask-WTF's HTTPS check requires of every POST;
# other sites never learn which page linked to them.
REFERRER_POLICY = "same-origin"


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = REFERRER_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != "static":
        # Pages hold answers: the browser keeps none, so back and history show nothing.
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Cookies: HttpOnly, SameSite=Strict; Secure and ``__Host-`` when served over HTTPS.
    Headers on every response; forwarded headers believed only from trusted proxies."""
    if app.config.get("SESSION_COOKIE_SECURE") and app.config["SESSION_COOKIE_NAME"] == "session":
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
    app.after_request(_headers)
    _trust_proxies(app)


def _trust_proxies(app: Flask) -> None:
    """Believe the scheme and client address set by the ``TRUSTED_PROXIES`` nearest proxies.

    The Host header is the proxy's to pass on (nginx: ``proxy_set_header Host $http_host``);
    X-Forwarded-Host is never believed.
    """
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
