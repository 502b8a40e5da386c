"""Flags the domain sets on a session for infrastructure to act on after commit.

Plain SQLAlchemy; no Flask. The reader-page cache (editorial.web.page_cache) bumps
its generation after a transaction that called `mark_reader_change` commits.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

READER_CHANGED = "reader_pages_changed"


def mark_reader_change(session: Session) -> None:
    """Note that this transaction changes what readers see."""
    session.info[READER_CHANGED] = True
