"""One line on stdout per request: method, path (never the query string), status, duration.

Never a form field, an answer or a query string: those can name a participant.
"""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask, g, request
from werkzeug.wrappers import Response

logger = logging.getLogger("survey.requests")


class StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever stdout is now (a test's captured one too)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


def _start() -> None:
    g.request_started = time.perf_counter()


def _log(response: Response) -> Response:
    started = g.pop("request_started", None)
    milliseconds = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    logger.info("%s %s %d %.1fms", request.method, request.path, response.status_code, milliseconds)
    return response


def init_app(app: Flask) -> None:
    if app.config["REQUEST_LOG"] and not logger.handlers:
        handler = StdoutHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    app.before_request(_start)
    app.after_request(_log)
