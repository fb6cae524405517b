"""Creating and checking accounts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..db import db
from ..timeutil import utcnow
from .models import Role, User, UserSession
from .passwords import hash_password, needs_rehash, verify_password

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A request about accounts that cannot be carried out, in plain words."""


def create_user(username: str, password: str, role: Role, *, organisation_id: int | None = None,
                one_time: bool = False) -> User:
    """Add an account; a one-time password must be changed at the first login.

    Everyone but an admin belongs to an organisation.
    """
    username = username.strip()
    if not username:
        raise AccountError(_("the username is empty"))
    if organisation_id is None and role != Role.ADMIN:
        raise AccountError(_("a user with role '%(role)s' must belong to an organisation (--org CODE)",
                             role=role))
    check_password_rules(password)
    if db.session.scalar(select(User).where(func.lower(User.username) == username.lower())):
        raise AccountError(_("a user named '%(name)s' already exists", name=username))
    user = User(username=username, password_hash=hash_password(password), role=role,
                organisation_id=organisation_id, must_change_password=one_time)
    db.session.add(user)
    db.session.commit()
    return user


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("the password must have at least %(min)d characters", min=MIN_PASSWORD_LENGTH))
    if password.lower() in common_passwords():
        raise AccountError(_("that password is too common; choose another"))


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


def change_password(user: User, password: str) -> None:
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.must_change_password = False
    db.session.commit()


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None; rehashes old hashes."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None
    if not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def known_user_id(username: str) -> int | None:
    return db.session.scalar(select(User.id).where(func.lower(User.username) == username.strip().lower()))


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        revoke_sessions(user)
    db.session.commit()


def reset_password(user: User, password: str) -> None:
    """A new one-time password; her open sessions end."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    revoke_sessions(user)
    db.session.commit()


def set_role(user: User, role: Role) -> None:
    if role != Role.ADMIN and user.organisation_id is None:
        raise AccountError(_("a user with role '%(role)s' must belong to an organisation", role=role))
    user.role = role
    revoke_sessions(user)
    db.session.commit()


def revoke_sessions(user: User) -> None:
    db.session.execute(update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)).values(revoked_at=utcnow()))


def by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def set_pin(user: User, pin: str) -> None:
    user.pin_hash = hash_password(pin)
    db.session.commit()
