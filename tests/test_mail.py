"""Notification e-mail through a real SMTP server (aiosmtpd, started here on a
free port): received as plain text with a desk link; retried after the server
was down; sent once however many workers run; and an editor's action succeeds,
without waiting, while the mail server is down or hangs."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from editorial.domain import workflow
from editorial.domain.models import MailOutbox, Notification, Role, utcnow
from editorial.extensions import db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            message_from_bytes(envelope.original_content, policy=policy.default)
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on a fixed port that the test starts and stops."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp(smtp_port: int) -> Iterator[SmtpServer]:
    server = SmtpServer(smtp_port)
    yield server
    server.stop()


@pytest.fixture
def app_config(smtp_port: int) -> dict:
    return {
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SMTP_TIMEOUT": 2,
        "MAIL_FROM": "Editorial desk <desk@example.org>",
        "MAIL_RETRY_SECONDS": 60,
    }


@pytest.fixture
def submitted(make_user, make_article) -> Callable[[], Notification]:
    """An author submits; editor Elena (with an address) is notified."""

    def do() -> Notification:
        elena = make_user(Role.EDITOR, username="elena")
        elena.email = "elena@example.org"
        author = make_user(Role.AUTHOR, username="amara")
        article = make_article(author=author, title="Harbour tolls rise")
        workflow.apply(
            db.session, article, "submit", author, expected_version=article.version
        )
        db.session.commit()
        return db.session.scalars(
            select(Notification).where(Notification.user_id == elena.id)
        ).one()

    return do


def _row() -> MailOutbox:
    db.session.expire_all()
    return db.session.scalars(select(MailOutbox)).one()


def test_a_notification_arrives_as_plain_text_with_a_desk_link(app, smtp, submitted):
    smtp.start()
    notification = submitted()
    assert app.extensions["mailer"].deliver_due() == 1
    assert len(smtp.inbox.messages) == 1
    mail = smtp.inbox.messages[0]
    assert smtp.inbox.envelopes == [("desk@example.org", ["elena@example.org"])]
    assert mail["To"] == "elena@example.org"
    assert mail["Subject"] == (
        "[Editorial Test] Amara submitted “Harbour tolls rise” for review."
    )
    assert mail.get_content_type() == "text/plain"
    body = mail.get_content()
    assert "Amara submitted “Harbour tolls rise” for review." in body
    assert f"http://localhost/desk/articles/{notification.article_id}" in body
    assert "http://localhost/account" in body
    row = _row()
    assert (row.attempts, row.last_error) == (1, None)
    assert row.sent_at is not None
    # Delivered once: another round sends nothing.
    assert app.extensions["mailer"].deliver_due() == 0
    assert len(smtp.inbox.messages) == 1


def test_a_failed_send_is_retried_after_the_server_comes_back(app, smtp, submitted):
    submitted()
    mailer = app.extensions["mailer"]
    before = utcnow()
    assert mailer.deliver_due() == 0  # nobody listens on the port yet
    row = _row()
    assert row.sent_at is None
    assert row.attempts == 1
    assert "refused" in row.last_error.lower()
    assert row.next_attempt_at >= before + timedelta(seconds=60)
    # Not due yet: a round now does not try again.
    assert mailer.deliver_due() == 0
    assert _row().attempts == 1
    smtp.start()
    db.session.execute(
        update(MailOutbox).values(next_attempt_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert mailer.deliver_due() == 1
    assert [m["To"] for m in smtp.inbox.messages] == ["elena@example.org"]
    row = _row()
    assert (row.attempts, row.last_error) == (2, None)


def test_the_back_off_doubles_up_to_an_hour():
    from editorial.domain.outbox import retry_delay

    base = timedelta(seconds=30)
    assert [retry_delay(n, base).total_seconds() for n in (1, 2, 3, 4, 10)] == [
        30,
        60,
        120,
        240,
        3600,
    ]


def test_two_workers_send_each_mail_once(app, smtp, make_user, make_article):
    smtp.start()
    editors = []
    for n in range(6):
        editor = make_user(Role.EDITOR, username=f"editor-{n}")
        editor.email = f"editor-{n}@example.org"
        editors.append(editor)
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    workflow.apply(
        db.session, article, "submit", author, expected_version=article.version
    )
    db.session.commit()
    mailer = app.extensions["mailer"]
    sent: list[int] = []
    workers = [
        threading.Thread(target=lambda: sent.append(mailer.deliver_due()))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert sum(sent) == 6
    assert sorted(m["To"] for m in smtp.inbox.messages) == [
        f"editor-{n}@example.org" for n in range(6)
    ]


def _wait_for(condition: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.timeout(90)
def test_the_action_succeeds_at_once_while_the_mail_server_hangs(
    app, smtp, smtp_port, client, login_as, make_user, make_article
):
    """The worker thread sends after commit; a mail server that accepts the
    connection and never answers (then one that is down) delays only the mail."""
    app.config["MAIL_WORKER_THREAD"] = True
    mailer = app.extensions["mailer"]
    mailer.retry_base = timedelta(seconds=0.2)
    mailer.poll_seconds = 0.1
    # A black hole: the kernel accepts connections, nobody ever says hello.
    hole = socket.socket()
    hole.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    hole.bind(("127.0.0.1", smtp_port))
    hole.listen(16)
    try:
        elena = make_user(Role.EDITOR, username="elena")
        elena.email = "elena@example.org"
        author = make_user(Role.AUTHOR, username="amara")
        article = make_article(author=author, title="Harbour tolls rise")
        login_as(author)
        response = client.post(
            f"/desk/articles/{article.id}/actions/submit",
            data={"version": article.version},
        )
        # Done, and answered before any delivery attempt could finish (each
        # attempt waits SMTP_TIMEOUT = 2 s for the server's greeting).
        assert response.status_code == 303
        row = _row()
        assert (row.sent_at, row.last_error) == (None, None)
        assert db.session.query(Notification).count() == 1
        # The worker's attempt times out and is recorded.
        assert _wait_for(lambda: _row().last_error is not None)
        hole.close()
        # Now nothing listens (connection refused), then a real server comes up.
        assert _wait_for(lambda: _row().attempts >= 2)
        smtp.start()
        assert _wait_for(lambda: len(smtp.inbox.messages) == 1, 30)
        assert _wait_for(lambda: _row().sent_at is not None)
        assert smtp.inbox.messages[0]["To"] == "elena@example.org"
    finally:
        hole.close()
        mailer.stop()


def test_without_smtp_url_mails_go_to_the_log(
    app, submitted, caplog: pytest.LogCaptureFixture
):
    from editorial import mail

    app.extensions["mailer"].transport = mail.LogTransport()
    submitted()
    with caplog.at_level("INFO", logger="editorial.mail"):
        assert app.extensions["mailer"].deliver_due() == 1
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "To: elena@example.org" in logged
    assert "Subject: [Editorial Test] Amara submitted “Harbour tolls rise”" in logged
    assert _row().sent_at is not None


def test_the_cli_worker_delivers_once(app, smtp, submitted):
    smtp.start()
    submitted()
    result = app.test_cli_runner().invoke(args=["mail-worker", "--once"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 sent"
    assert len(smtp.inbox.messages) == 1


def test_smtp_url_is_parsed():
    from editorial.mail import SmtpTransport

    plain = SmtpTransport.from_url("smtp://mail.example.org:2525")
    assert (plain.host, plain.port, plain.username) == ("mail.example.org", 2525, None)
    auth = SmtpTransport.from_url("smtp://desk%40x.org:s%3Acret@mail.example.org")
    assert (auth.host, auth.port, auth.username, auth.password) == (
        "mail.example.org",
        25,
        "desk@x.org",
        "s:cret",
    )
    with pytest.raises(ValueError):
        SmtpTransport.from_url("http://mail.example.org")
