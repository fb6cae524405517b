"""Offline sync: tablets fetch forms and a public key, and upload sealed records in batches."""

from __future__ import annotations

from flask import Blueprint, Flask

from . import api, cli, upload

bp = Blueprint("sync", __name__)
bp.register_blueprint(api.bp)
bp.register_blueprint(upload.bp)


def init_app(app: Flask) -> None:
    cli.init_app(app)
