"""Newsroom-wide desk settings (one row), changed by admins on /desk/settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from editorial.domain.accounts import audit
from editorial.domain.errors import NotAllowed
from editorial.domain.models import DeskSettings, User, utcnow
from editorial.domain.policy import Permission, can

SETTINGS_ID = 1


def current(session: Session) -> DeskSettings:
    """The settings row; until an admin saves one, the defaults (not stored)."""
    row = session.scalar(select(DeskSettings).where(DeskSettings.id == SETTINGS_ID))
    return row if row is not None else DeskSettings(id=SETTINGS_ID, four_eyes=False)


def four_eyes_enabled(session: Session) -> bool:
    """Is Four-eyes publishing on? Read from the database on every action."""
    return bool(
        session.scalar(
            select(DeskSettings.four_eyes).where(DeskSettings.id == SETTINGS_ID)
        )
    )


def update(
    session: Session, user: User, *, four_eyes: bool, now: datetime | None = None
) -> DeskSettings:
    """Change the settings (admins only) and write the change to the audit log."""
    if not can(user, Permission.MANAGE_SETTINGS):
        raise NotAllowed("Only an admin may change the desk settings.")
    row = session.get(DeskSettings, SETTINGS_ID)
    if row is None:
        row = DeskSettings(id=SETTINGS_ID)
        session.add(row)
    changed = bool(row.four_eyes) != four_eyes
    row.four_eyes = four_eyes
    row.updated_at = now or utcnow()
    row.updated_by_id = user.id
    session.flush()
    if changed:
        audit(
            session,
            user,
            "settings",
            None,
            f"Four-eyes publishing {'on' if four_eyes else 'off'}",
        )
    return row
