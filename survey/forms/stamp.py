"""The catalog stamp: one row the workers compare to know the published forms changed."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ..db import db
from .models import CatalogStamp


def bump() -> None:
    """Change the stamp in the current transaction, so every worker reloads after commit."""
    changed = db.session.execute(update(CatalogStamp).where(CatalogStamp.id == 1)
                                 .values(stamp=CatalogStamp.stamp + 1))
    if changed.rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(CatalogStamp(id=1, stamp=1))
    except IntegrityError:  # another worker made the row at the same moment
        db.session.execute(update(CatalogStamp).where(CatalogStamp.id == 1)
                           .values(stamp=CatalogStamp.stamp + 1))
