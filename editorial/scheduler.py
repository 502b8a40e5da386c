"""The scheduler process: `flask --app editorial scheduler` (`make run` starts one).

A small loop over the indexed `articles.publish_at` column rather than a job
library: the schedule already lives in the database (an article row is its own
job), so APScheduler or RQ would add a second store to keep in step with it.
Each pass claims every due article in its own transaction and publishes it
through the workflow (domain.scheduling); the first pass at start is the
catch-up of anything missed while nothing ran, oldest minute first.

It wakes every `SCHEDULER_TICK_SECONDS` (default 30) and also just after each
minute boundary, so an article is normally out within a second of its minute
and always within the 60 s PRODUCT.md section 10 promises.

How many may run:
- PostgreSQL: any number, on any number of hosts; rows are claimed with
  `FOR UPDATE SKIP LOCKED`, so each article is published once.
- SQLite: one per database file. Each scheduler takes an exclusive
  `fcntl.flock` on `<database file>.scheduler-lock` before a pass; a second one
  on the same file waits as a standby and takes over when the first stops (the
  kernel drops the lock when its holder dies). The file lock only works for
  processes on one host, which is also the only way to share a SQLite file.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from editorial.domain import scheduling
from editorial.domain.errors import StaleVersion
from editorial.domain.models import utcnow
from editorial.extensions import db

log = logging.getLogger("editorial.scheduler")


class FileLock:
    """An exclusive, non-blocking flock on a file: one holder per host and file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def lock_path(database_uri: str, instance_path: str) -> Path | None:
    """The lock file guarding a SQLite database; None for PostgreSQL."""
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:"):
        return Path(instance_path) / "scheduler.lock"
    return Path(database).resolve().with_name(Path(database).name + ".scheduler-lock")


def run_pass(
    session: Session,
    *,
    clock: Callable[[], Any] = utcnow,
    on_failure: Callable[..., None] | None = None,
) -> list[scheduling.Outcome]:
    """Publish every article due now, oldest minute first; one commit per article."""
    outcomes: list[scheduling.Outcome] = []
    tried: set[int] = set()
    while True:
        ids = [i for i in scheduling.due_ids(session, clock()) if i not in tried]
        session.rollback()  # end the read; each claim is its own transaction
        if not ids:
            return outcomes
        for article_id in ids:
            tried.add(article_id)
            try:
                article = scheduling.claim(session, article_id, clock())
                if article is None:  # another scheduler has it, or it was changed
                    session.rollback()
                    continue
                outcome = scheduling.fire(
                    session, article, now=clock(), on_failure=on_failure
                )
                session.commit()
            except StaleVersion:
                session.rollback()
            except Exception:  # one bad row must not stop the rest
                session.rollback()
                log.exception("scheduled publication of article %s crashed", article_id)
            else:
                outcomes.append(outcome)


def seconds_to_sleep(tick: float, now: float | None = None) -> float:
    """Until the next tick, or just after the next minute boundary if sooner."""
    now = time.time() if now is None else now
    to_minute = 60 - (now % 60) + 0.05
    return max(0.05, min(tick, to_minute))


def serve(
    app: Flask,
    *,
    tick: float,
    once: bool = False,
    stop: threading.Event | None = None,
    on_failure: Callable[..., None] | None = None,
) -> None:
    """Run passes until stopped (SIGTERM/SIGINT), or one pass with `once`."""
    stop = stop or threading.Event()
    path = lock_path(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    lock = FileLock(path) if path else None
    standby_logged = False
    try:
        while not stop.is_set():
            if lock is not None and not lock.try_acquire():
                if not standby_logged:
                    log.info("another scheduler holds %s; standing by", path)
                    standby_logged = True
                if once:
                    return
                stop.wait(tick)
                continue
            with app.app_context():
                try:
                    outcomes = run_pass(db.session, on_failure=on_failure)
                finally:
                    db.session.remove()
            if outcomes:
                published = sum(1 for o in outcomes if o.published)
                log.info(
                    "pass: %d published, %d sent back to review",
                    published,
                    len(outcomes) - published,
                )
            if once:
                return
            stop.wait(seconds_to_sleep(tick))
    finally:
        if lock is not None:
            lock.release()


def install_signal_handlers(stop: threading.Event) -> None:
    """SIGTERM (systemd stop) and SIGINT end the loop after the current article."""

    def handler(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
