"""Presence: who else has an article open in the editor, and in which block.

The editor pings every few seconds with the block the writer is in. A ping
writes one small record and reads the others in the same call; records older
than the timeout (60 s by default) are ignored, so a colleague who closed the
tab disappears by themselves. Two stores with one interface: a table (works
across processes and hosts sharing the database) and Redis (a hash per
article, when configured). Plain Python; the Redis client is passed in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from editorial.domain import blocks
from editorial.domain.models import Presence, User, utcnow

DEFAULT_TIMEOUT_SECONDS = 60
# The blocks a ping may name (the registry's kinds, the section list, one
# section by id): anything else is stored as "" (the article).
_KEYS = [k.key for k in blocks.KINDS if k is not blocks.SECTION] + [blocks.SECTIONS_KEY]
_BLOCK = re.compile(
    rf"^(?:{'|'.join(map(re.escape, _KEYS))}|{blocks.section_key(0)[:-1]}\d{{1,10}})$"
)


@dataclass(frozen=True)
class Colleague:
    """Someone else in the editor: who, which block, last seen when (UTC)."""

    user_id: int
    name: str
    block: str
    seen_at: datetime


def clean_block(raw: Any) -> str:
    """The block key a ping names, or "" when it names none we know."""
    return raw if isinstance(raw, str) and _BLOCK.fullmatch(raw) else ""


def block_label(block: str, sections: Mapping[int, tuple[int, str]]) -> str:
    """A block key in words; `sections` maps a section id to (index, heading)."""
    if block.startswith("section:"):
        found = sections.get(int(block.split(":", 1)[1]))
        if found is None:
            return blocks.SECTIONS_LABEL
        return blocks.section_label(*found)
    return blocks.label_of(block, "the article")


class PresenceStore(Protocol):
    """Where presence records live."""

    def ping(
        self, article_id: int, user: User, block: str, now: datetime | None = None
    ) -> list[Colleague]: ...

    def others(
        self, article_id: int, user_id: int, now: datetime | None = None
    ) -> list[Colleague]: ...

    def leave(self, article_id: int, user_id: int) -> None: ...


class DatabasePresence:
    """Presence in the `presence` table: one upsert and one select per ping."""

    def __init__(
        self, session: Session, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    ) -> None:
        self.session = session
        self.timeout = timedelta(seconds=timeout_seconds)

    def ping(
        self, article_id: int, user: User, block: str, now: datetime | None = None
    ) -> list[Colleague]:
        now = now or utcnow()
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(Presence).values(
            article_id=article_id, user_id=user.id, block=block, seen_at=now
        )
        self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[Presence.article_id, Presence.user_id],
                set_={"block": block, "seen_at": now},
            )
        )
        return self.others(article_id, user.id, now)

    def others(
        self, article_id: int, user_id: int, now: datetime | None = None
    ) -> list[Colleague]:
        since = (now or utcnow()) - self.timeout
        rows = self.session.execute(
            select(
                Presence.user_id, User.display_name, Presence.block, Presence.seen_at
            )
            .join(User, User.id == Presence.user_id)
            .where(
                Presence.article_id == article_id,
                Presence.user_id != user_id,
                Presence.seen_at >= since,
            )
            .order_by(User.display_name)
        ).all()
        return [Colleague(*row) for row in rows]

    def leave(self, article_id: int, user_id: int) -> None:
        self.session.execute(
            delete(Presence).where(
                Presence.article_id == article_id, Presence.user_id == user_id
            )
        )


class RedisPresence:
    """Presence in Redis: a hash per article, user id → {name, block, at}.

    A ping is one round trip (HSET, EXPIRE and HGETALL in a pipeline); the
    key expires when the last writer stops pinging.
    """

    def __init__(
        self,
        client: Any,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        prefix: str = "editorial:presence:",
    ) -> None:
        self.client = client
        self.timeout = timeout_seconds
        self.prefix = prefix

    def _key(self, article_id: int) -> str:
        return f"{self.prefix}{article_id}"

    def ping(
        self, article_id: int, user: User, block: str, now: datetime | None = None
    ) -> list[Colleague]:
        now = now or utcnow()
        record = json.dumps(
            {"name": user.display_name, "block": block, "at": now.isoformat()}
        )
        key = self._key(article_id)
        pipe = self.client.pipeline(transaction=False)
        pipe.hset(key, str(user.id), record)
        pipe.expire(key, max(1, int(self.timeout) + 1))
        pipe.hgetall(key)
        entries = pipe.execute()[2]
        return self._fresh(entries, user.id, now)

    def others(
        self, article_id: int, user_id: int, now: datetime | None = None
    ) -> list[Colleague]:
        return self._fresh(
            self.client.hgetall(self._key(article_id)), user_id, now or utcnow()
        )

    def leave(self, article_id: int, user_id: int) -> None:
        self.client.hdel(self._key(article_id), str(user_id))

    def _fresh(
        self, entries: Mapping[Any, Any], user_id: int, now: datetime
    ) -> list[Colleague]:
        since = now - timedelta(seconds=self.timeout)
        out = []
        for raw_id, raw in entries.items():
            uid = int(raw_id)
            data = json.loads(raw)
            seen = datetime.fromisoformat(data["at"])
            if uid != user_id and seen >= since:
                out.append(Colleague(uid, data["name"], data["block"], seen))
        return sorted(out, key=lambda c: c.name)
