"""Forms rebuilt from the definitions stored in ``form_versions``."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from ..i18n import registry
from .definition import Form
from .loader import read_form


def rebuild(form_id: str, version: str, digest: str, definition: dict[str, Any]) -> Form:
    """The form stored under ``form_id`` and ``version``, built once per content hash."""
    return _rebuild(form_id, version, digest, json.dumps(definition))


@lru_cache(maxsize=64)
def _rebuild(form_id: str, version: str, digest: str, definition: str) -> Form:
    return read_form(definition, f"stored/{form_id}-{version}", registry())
