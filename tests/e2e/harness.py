"""The live server and the browser, shared by the e2e tests and the screenshots.

The real app on a free loopback port, in a background thread, with its own
SQLite file built by the real migrations and filled with the demo content.
CSRF is on: the browser proves the tokens work. tests/e2e/conftest.py and
tests/e2e/screenshots.py both use this module, so they drive the same server
and the same Chromium.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, expect
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from editorial import create_app
from editorial.domain import demo
from editorial.extensions import db
from editorial.web import media as web_media
from tests.conftest import FAST_HASH, base_config

CHROMIUM = "/usr/bin/chromium"
# `playwright install` cannot download here: drive Debian's Chromium. Playwright's
# launch() gives every browser a fresh temporary profile of its own (passing
# --user-data-dir to launch() is refused; it belongs to launch_persistent_context).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "e2e demo password"
# Waits fail after 10 s instead of Playwright's 30 s: a broken page fails fast.
TIMEOUT_MS = 10_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with a fresh temporary profile."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form and wait for the dashboard."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/desk/$"))


def e2e_config(database_file: Path) -> dict[str, Any]:
    """The test configuration, with CSRF on and nothing shared with other tests."""
    config = base_config(f"sqlite:///{database_file}")
    config.update(
        WTF_CSRF_ENABLED=True,
        PASSWORD_HASH_METHOD=FAST_HASH,
        SITE_NAME="Editorial",
        # Our own in-process cache and throttle store, whatever TEST_REDIS_URL says.
        REDIS_URL=None,
        CACHE_TYPE="SimpleCache",
        RATELIMIT_STORAGE_URI="memory://",
        # Plain http on loopback, whatever EDITORIAL_ENV says.
        SESSION_COOKIE_SECURE=False,
        HSTS=False,
        # A failing view answers through the app's own 500 handler, so the
        # recorder below sees the status and the test fails on it.
        PROPAGATE_EXCEPTIONS=False,
        # Uploaded and demo images beside this server's database.
        MEDIA_ROOT=str(database_file.parent / "media"),
    )
    return config


def build_app(database_file: Path) -> Flask:
    """Create the app, migrate its fresh database and add the demo content."""
    from flask_migrate import upgrade

    app = create_app(e2e_config(database_file))
    with app.app_context():
        upgrade()
        demo.seed(
            db.session,
            password=DEMO_PASSWORD,
            hash_method=FAST_HASH,
            storage=web_media.storage(),
        )
        db.session.commit()
        db.session.remove()
    return app


class _QuietHandler(WSGIRequestHandler):
    """No access log lines; errors are still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@dataclass
class Exchange:
    method: str
    path: str
    status: int


@dataclass
class LiveServer:
    """A running server: its app, its base URL and every answer it gave."""

    app: Flask
    url: str
    exchanges: list[Exchange] = field(default_factory=list)
    _server: BaseWSGIServer | None = None
    _thread: threading.Thread | None = None

    def server_errors(self, since: int = 0) -> list[Exchange]:
        return [e for e in self.exchanges[since:] if e.status >= 500]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def _recording(app: Flask, exchanges: list[Exchange]) -> Callable:
    """WSGI middleware that notes the status of every answer."""
    inner = app.wsgi_app

    def middleware(environ: dict, start_response: Callable) -> Iterable[bytes]:
        def recording_start(status: str, headers: list, exc_info: Any = None):
            exchanges.append(
                Exchange(
                    environ.get("REQUEST_METHOD", ""),
                    environ.get("PATH_INFO", ""),
                    int(status.split(" ", 1)[0]),
                )
            )
            return start_response(status, headers, exc_info)

        return inner(environ, recording_start)

    return middleware


def start(app: Flask) -> LiveServer:
    """Serve `app` on a free 127.0.0.1 port in a daemon thread."""
    live = LiveServer(app=app, url="")
    app.wsgi_app = _recording(app, live.exchanges)
    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler
    )
    live.url = f"http://127.0.0.1:{server.server_port}"
    app.config["SITE_URL"] = live.url
    thread = threading.Thread(
        target=server.serve_forever, name="e2e-live-server", daemon=True
    )
    thread.start()
    live._server, live._thread = server, thread
    return live
