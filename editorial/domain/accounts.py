"""User accounts: creation, passwords, roles, deactivation, sessions, audit.

No Flask import. Every user-admin change writes an AuditEvent in the same
transaction; nothing here commits.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from editorial.domain.errors import InvalidInput, NotAllowed
from editorial.domain.models import AuditEvent, Role, User
from editorial.domain.policy import Permission, can

audit_log = logging.getLogger("editorial.audit")
PASSWORD_MIN = 10
PASSWORD_SCORE_MIN = 3  # zxcvbn's 0–4 scale: 3 is "safely unguessable"
ZXCVBN_MAX = 72
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
# A real hash of a random secret, checked when the username is unknown, so a
# wrong username costs as much time as a wrong password.
_DUMMY_HASH: dict[str, str] = {}


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def hash_password(password: str, method: str = "scrypt") -> str:
    return generate_password_hash(password, method=method)


def _check_password_value(password: Any, *known: str) -> str:
    """A password long enough and not guessable, or InvalidInput saying why.

    Strength is zxcvbn's estimate (common passwords, dictionary words, keyboard
    patterns, repeats, dates, and the user's own names given as `known`); a
    score under PASSWORD_SCORE_MIN is refused with its warning.
    """
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise InvalidInput(
            "password", f"A password needs at least {PASSWORD_MIN} characters."
        )
    if len(password) > 200:
        raise InvalidInput("password", "A password can have at most 200 characters.")
    # zxcvbn looks at 72 characters at most (its cost grows with the length).
    names = [part.lower() for k in known if k for part in (k, *k.split())]
    verdict = zxcvbn(password[:ZXCVBN_MAX], user_inputs=names)
    if verdict["score"] < PASSWORD_SCORE_MIN:
        warning = verdict["feedback"].get("warning") or ""
        raise InvalidInput(
            "password",
            " ".join(
                part
                for part in (
                    "This password is too easy to guess.",
                    warning,
                    "Try a few uncommon words together.",
                )
                if part
            ),
        )
    return password


def normalise_username(username: Any) -> str:
    return username.strip().lower() if isinstance(username, str) else ""


def authenticate(
    session: Session, username: Any, password: Any, method: str = "scrypt"
) -> User | None:
    """The active user with these credentials, or None (same cost either way)."""
    name = normalise_username(username)
    secret = password if isinstance(password, str) else ""
    # No username holds a NUL (PostgreSQL would refuse the query): unknown user.
    known = name and "\x00" not in name
    user = session.scalar(select(User).where(User.username == name)) if known else None
    if user is None:
        dummy = _DUMMY_HASH.setdefault(
            method, generate_password_hash(secrets.token_hex(8), method=method)
        )
        check_password_hash(dummy, secret)
        return None
    if not check_password_hash(user.password_hash, secret) or not user.active:
        return None
    return user


def create_user(
    session: Session,
    *,
    username: Any,
    display_name: Any,
    password: Any,
    role: Any,
    actor: User | None = None,
    must_change_password: bool = False,
    method: str = "scrypt",
) -> User:
    """Create a desk user (an admin's act, or the CLI's when actor is None)."""
    if actor is not None and not can(actor, Permission.MANAGE_USERS):
        raise NotAllowed("Only an admin may create users.")
    name = normalise_username(username)
    if not USERNAME_RE.match(name):
        raise InvalidInput(
            "username",
            "Use 2–64 lowercase letters, digits, dots, dashes or underscores.",
        )
    if session.scalar(select(func.count()).where(User.username == name)):
        raise InvalidInput("username", f"The username “{name}” is taken.")
    display = (
        display_name.replace("\x00", "").strip()
        if isinstance(display_name, str)
        else ""
    )
    if not display or len(display) > 120:
        raise InvalidInput(
            "display_name", "Give a display name (at most 120 characters)."
        )
    user = User(
        username=name,
        display_name=display,
        password_hash=hash_password(
            _check_password_value(password, name, display), method
        ),
        role=_role(role),
        active=True,
        must_change_password=must_change_password,
        session_token=new_session_token(),
    )
    session.add(user)
    session.flush()
    audit(session, actor, "user.create", user, f"role={user.role.value}")
    return user


def _role(value: Any) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput("role", "Choose a role: author, editor or admin.") from None


def change_role(session: Session, actor: User, user: User, role: Any) -> None:
    """Change a user's role; their sessions end so the new rights apply at once."""
    _admin(actor)
    new_role = _role(role)
    if user.id == actor.id and new_role != Role.ADMIN:
        raise InvalidInput("role", "You cannot remove your own admin role.")
    if new_role == user.role:
        return
    old = user.role
    user.role = new_role
    user.session_token = new_session_token()
    audit(session, actor, "user.role", user, f"{old.value} -> {new_role.value}")


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    """Deactivate (sessions end, articles stay) or reactivate a user."""
    _admin(actor)
    if user.id == actor.id and not active:
        raise InvalidInput("active", "You cannot deactivate yourself.")
    if user.active == active:
        return
    user.active = active
    user.session_token = new_session_token()
    audit(session, actor, "user.activate" if active else "user.deactivate", user, "")


def reset_password(
    session: Session, actor: User, user: User, password: Any, method: str = "scrypt"
) -> None:
    """An admin sets a new password, which the user must change at next login."""
    _admin(actor)
    checked = _check_password_value(password, user.username, user.display_name)
    user.password_hash = hash_password(checked, method)
    user.must_change_password = True
    user.session_token = new_session_token()
    audit(session, actor, "user.reset_password", user, "")


def change_own_password(
    session: Session, user: User, current: Any, new: Any, method: str = "scrypt"
) -> None:
    """A user changes their own password (required after an admin's reset)."""
    if not isinstance(current, str) or not check_password_hash(
        user.password_hash, current
    ):
        raise InvalidInput("current_password", "That is not your current password.")
    new = _check_password_value(new, user.username, user.display_name)
    if check_password_hash(user.password_hash, new):
        raise InvalidInput("password", "Choose a password different from the old one.")
    user.password_hash = hash_password(new, method)
    user.must_change_password = False
    user.session_token = new_session_token()
    audit(session, user, "user.change_password", user, "")


def end_sessions(user: User) -> None:
    """Invalidate every login cookie of this user (logout)."""
    user.session_token = new_session_token()


def audit(
    session: Session, actor: User | None, action: str, target: User | None, detail: str
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        target_user_id=target.id if target else None,
        detail=detail,
    )
    session.add(event)
    audit_log.info(
        "user-admin action=%s actor=%s target=%s detail=%s",
        action,
        actor.username if actor else "-",
        target.username if target else "-",
        detail or "-",
    )
    return event


def _admin(actor: User) -> None:
    if not can(actor, Permission.MANAGE_USERS):
        raise NotAllowed("Only an admin may manage users.")
