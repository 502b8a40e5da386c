"""Shared preview links (PRODUCT.md section 11): `/preview/<token>`.

A token is the link's row id and a random nonce, signed with the app's secret
(itsdangerous), so a forged or mistyped token is refused without a query, a
stolen database alone yields no working link, and the editor can list each open
link again. The row says until when the link works and whether it was revoked.
Creating and revoking go to the audit log. No Flask import; nothing commits.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from editorial.domain.accounts import audit
from editorial.domain.errors import Gone, InvalidInput, NotAllowed, NotFound
from editorial.domain.models import Article, PreviewLink, User, utcnow
from editorial.domain.policy import Permission, can

SALT = "preview-link"
TOKEN_MAX = 200  # longer than any token we sign: refused before decoding


@dataclass(frozen=True)
class Choice:
    hours: int
    label: str


# `Valid for`: 1 hour to 7 days.
VALID_FOR: tuple[Choice, ...] = (
    Choice(1, "1 hour"),
    Choice(4, "4 hours"),
    Choice(24, "1 day"),
    Choice(72, "3 days"),
    Choice(168, "7 days"),
)
DEFAULT_HOURS = 24
_HOURS = {c.hours for c in VALID_FOR}


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def token_for(link: PreviewLink, secret: str) -> str:
    """The token of a link's address; the same every time it is asked for."""
    return _serializer(secret).dumps([link.id, link.nonce])


def _check(user: User, article: Article) -> None:
    if not can(user, Permission.VIEW, article):
        raise NotFound("No such article.")
    if not can(user, Permission.SHARE_PREVIEW, article):
        raise NotAllowed("You may not share a preview of this article.")


def _hours(raw: Any) -> int:
    try:
        hours = int(str(raw).strip())
    except ValueError:
        hours = 0
    if hours not in _HOURS:
        raise InvalidInput(
            "valid_for", "Choose how long the link works: from 1 hour to 7 days."
        )
    return hours


def create(
    session: Session,
    article: Article,
    user: User,
    *,
    valid_for: Any,
    now: datetime | None = None,
) -> PreviewLink:
    """Make a preview link valid for `valid_for` hours (one of VALID_FOR)."""
    _check(user, article)
    hours = _hours(valid_for)
    now = now or utcnow()
    link = PreviewLink(
        article_id=article.id,
        nonce=secrets.token_urlsafe(24),
        created_at=now,
        created_by_id=user.id,
        expires_at=now + timedelta(hours=hours),
    )
    session.add(link)
    session.flush()
    audit(
        session,
        user,
        "preview.create",
        None,
        f"article={article.id} link={link.id} valid_for={hours}h",
    )
    return link


def revoke(
    session: Session,
    article: Article,
    user: User,
    link_id: int,
    *,
    now: datetime | None = None,
) -> None:
    """End a link at once (then it answers 410); revoking twice changes nothing."""
    _check(user, article)
    now = now or utcnow()
    ended = session.execute(
        update(PreviewLink)
        .where(
            PreviewLink.id == link_id,
            PreviewLink.article_id == article.id,
            PreviewLink.revoked_at.is_(None),
        )
        .values(revoked_at=now, revoked_by_id=user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if ended:
        audit(
            session,
            user,
            "preview.revoke",
            None,
            f"article={article.id} link={link_id}",
        )
        return
    exists = session.scalar(
        select(PreviewLink.id).where(
            PreviewLink.id == link_id, PreviewLink.article_id == article.id
        )
    )
    if exists is None:
        raise NotFound("No such preview link.")


def open_links(
    session: Session, article_id: int, now: datetime | None = None
) -> list[PreviewLink]:
    """The article's links that still work, soonest to expire first."""
    return list(
        session.scalars(
            select(PreviewLink)
            .where(
                PreviewLink.article_id == article_id,
                PreviewLink.expires_at > (now or utcnow()),
                PreviewLink.revoked_at.is_(None),
            )
            .order_by(PreviewLink.expires_at, PreviewLink.id)
        )
    )


def has_open_link(
    session: Session, article_id: int, now: datetime | None = None
) -> bool:
    """Does anyone outside the desk hold a working link to this article?"""
    return bool(open_links(session, article_id, now))


def resolve(
    session: Session, token: str, secret: str, now: datetime | None = None
) -> Article:
    """The article a token shows.

    Raises:
        NotFound: the token is not one we signed, or names no link.
        Gone: the link was revoked or has expired.
    """
    if not isinstance(token, str) or len(token) > TOKEN_MAX:
        raise NotFound("No such preview.")
    try:
        link_id, nonce = _serializer(secret).loads(token)
    except (BadSignature, TypeError, ValueError):
        raise NotFound("No such preview.") from None
    if not isinstance(link_id, int) or not isinstance(nonce, str):
        raise NotFound("No such preview.")
    link = session.get(PreviewLink, link_id)
    if link is None or not hmac.compare_digest(link.nonce, nonce):
        raise NotFound("No such preview.")
    if link.revoked_at is not None or link.expires_at <= (now or utcnow()):
        raise Gone("This preview link has ended: it expired or was revoked.")
    return link.article
