"""Notification e-mail: delivery of the outbox after commit, with retries.

`SMTP_URL` (`smtp://host:port`, optionally `smtp://user:password@host:port`)
sends with the standard library's smtplib; without it (development) each mail
is written to the log instead. Delivery never runs inside a request: a worker
thread in each app process wakes after a commit that queued mail (and every
`MAIL_POLL_SECONDS` for retries), and `flask mail-worker` runs the same loop as
a process of its own. Workers claim rows in the database, so any number of
them send each mail once. A mail server that is down only delays mail.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import threading
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import click
from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, joinedload

from editorial.domain import outbox
from editorial.domain.models import MailOutbox, Notification, utcnow

log = logging.getLogger("editorial.mail")


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class SmtpTransport:
    """Send through an SMTP server named by an smtp:// URL."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    @classmethod
    def from_url(cls, url: str, timeout: float = 10.0) -> SmtpTransport:
        parts = urlsplit(url)
        if parts.scheme != "smtp" or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://host:port")
        return cls(
            host=parts.hostname,
            port=parts.port or 25,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            timeout=timeout,
        )

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.username:
                smtp.starttls()
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


class LogTransport:
    """Development: print each mail to the log instead of sending it."""

    def send(self, message: EmailMessage) -> None:
        log.warning(
            "mail (no SMTP_URL set, not sent)\nTo: %s\nSubject: %s\n\n%s",
            message["To"],
            message["Subject"],
            message.get_content(),
        )


def desk_link(site_url: str, notification: Notification) -> str:
    """The desk address a notification points to."""
    if notification.article_id:
        return f"{site_url}/desk/articles/{notification.article_id}"
    return f"{site_url}/desk/notifications"


def build_message(
    row: MailOutbox, *, site_url: str, site_name: str, sender: str
) -> EmailMessage:
    """The plain-text e-mail for one outbox row."""
    notification = row.notification
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.to_address
    first_line = notification.message.splitlines()[0] if notification.message else ""
    subject = first_line if len(first_line) <= 120 else first_line[:119] + "…"
    message["Subject"] = f"[{site_name}] {subject}"
    message["Message-ID"] = make_msgid(idstring=f"notification-{notification.id}")
    message.set_content(
        f"{notification.message}\n\n"
        f"Open it on the desk: {desk_link(site_url, notification)}\n\n"
        f"-- \nYou get this because you use the {site_name} desk. "
        f"Turn these e-mails off on your account page: {site_url}/account\n"
    )
    return message


class Mailer:
    """Delivers the outbox for one app; owns its worker thread."""

    def __init__(self, app: Flask, transport: Transport) -> None:
        self.app = app
        self.transport = transport
        self.retry_base = timedelta(seconds=float(app.config["MAIL_RETRY_SECONDS"]))
        self.poll_seconds = float(app.config["MAIL_POLL_SECONDS"])
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- one round ---------------------------------------------------------------

    def deliver_due(self) -> int:
        """Claim the due mail, send it, record each outcome; how many were sent."""
        from editorial.extensions import db

        config = self.app.config
        site_url = config.get("SITE_URL") or "http://localhost:5000"
        sent = 0
        # Its own app context, so its own database session (removed at the end).
        with self.app.app_context():
            session = db.session
            ids = outbox.claim_due(session, utcnow())
            session.commit()
            for row_id in ids:
                sent += self._deliver_one(session, row_id, site_url)
        return sent

    def _deliver_one(self, session: Any, row_id: int, site_url: str) -> int:
        row = session.get(
            MailOutbox, row_id, options=[joinedload(MailOutbox.notification)]
        )
        message = build_message(
            row,
            site_url=site_url,
            site_name=self.app.config["SITE_NAME"],
            sender=self.app.config["MAIL_FROM"],
        )
        attempts = row.attempts
        session.rollback()  # no transaction stays open while the network is used
        try:
            self.transport.send(message)
        except (OSError, smtplib.SMTPException) as error:
            log.warning("mail %s not sent (attempt %s): %s", row_id, attempts, error)
            outbox.mark_failed(
                session, row_id, attempts, str(error), utcnow(), self.retry_base
            )
            session.commit()
            return 0
        outbox.mark_sent(session, row_id, utcnow())
        session.commit()
        return 1

    # --- the worker thread -------------------------------------------------------

    @property
    def threaded(self) -> bool:
        """Run the worker thread in this process (default: unless testing)."""
        setting = self.app.config.get("MAIL_WORKER_THREAD")
        return (not self.app.testing) if setting is None else bool(setting)

    def wake(self) -> None:
        """Deliver soon (after a commit that queued mail)."""
        if self.threaded:
            self.start()
        self._wake.set()

    def start_if_threaded(self) -> None:
        """Started by the first request (never by CLI commands such as db upgrade),
        so mail queued before a restart goes out without waiting for new mail."""
        if self.threaded and self._thread is None:
            self.start()

    def start(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(
                target=self.run, name="mail-worker", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run(self) -> None:
        """The worker loop: deliver, then sleep until woken or the poll interval."""
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.deliver_due()
            except Exception:  # the worker must outlive any failure
                log.exception("mail worker round failed")
            self._wake.wait(self.poll_seconds)


def transport_for(app: Flask) -> Transport:
    url = app.config.get("SMTP_URL")
    if url:
        return SmtpTransport.from_url(url, float(app.config["SMTP_TIMEOUT"]))
    return LogTransport()


def _after_commit(session: Session) -> None:
    if session.info.pop(outbox.MAIL_QUEUED, False):
        from flask import has_app_context

        if has_app_context():
            mailer = current_app.extensions.get("mailer")
            if mailer is not None:
                mailer.wake()


def _after_rollback(session: Session) -> None:
    session.info.pop(outbox.MAIL_QUEUED, None)


@click.command("mail-worker")
@click.option("--once", is_flag=True, help="Deliver what is due, then exit.")
def mail_worker(once: bool) -> None:
    """Send queued notification e-mail, retrying failures (runs until stopped)."""
    mailer: Mailer = current_app.extensions["mailer"]
    if once:
        click.echo(f"{mailer.deliver_due()} sent")
        return
    click.echo(f"mail worker: polling every {mailer.poll_seconds:g} s")
    with contextlib.suppress(KeyboardInterrupt):
        mailer.run()


def init_app(app: Flask) -> Mailer:
    """Attach a Mailer; the worker thread starts with the first queued mail."""
    mailer = Mailer(app, transport_for(app))
    app.extensions["mailer"] = mailer
    app.before_request(mailer.start_if_threaded)
    app.cli.add_command(mail_worker)
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
    return mailer
