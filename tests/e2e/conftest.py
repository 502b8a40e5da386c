"""Browser-test fixtures: one live server and one Chromium for the whole session.

The live server has its own app and its own SQLite file (see harness.py); it never
uses the per-test `app` fixture of tests/conftest.py, which empties its tables
for every test. Tests share the demo content (users author1, author2, editor1,
admin with harness.DEMO_PASSWORD), so each one creates what it changes under a
name of its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.e2e import harness
from tests.e2e.harness import DESKTOP, TIMEOUT_MS, LiveServer


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app with demo content, served on a free loopback port."""
    app = harness.build_app(tmp_path_factory.mktemp("e2e") / "e2e.sqlite")
    live = harness.start(app)
    yield live
    live.stop()


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, launched once for the session."""
    if not harness.chromium_available():
        missing = f"chromium is not installed at {harness.CHROMIUM} (`make browser`)"
        # CI must prove the browser flows: there a missing browser is a failure.
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)  # chromium: only where it cannot be installed
    with sync_playwright() as playwright:
        chromium = harness.launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _no_server_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail any browser test during which the server answered 5xx."""
    if "live_server" not in request.fixturenames:
        yield
        return
    live: LiveServer = request.getfixturevalue("live_server")
    start = len(live.exchanges)
    yield
    errors = live.server_errors(start)
    assert not errors, f"the server answered 5xx: {errors}"


class PageProblems:
    """Uncaught script errors and CSP refusals seen by the pages of one test."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.messages.append(f"csp: {message.text}")


@pytest.fixture
def new_context(
    browser: Browser, base_url: str
) -> Iterator[Callable[..., BrowserContext]]:
    """Open a fresh browser context (own cookies); options go to new_context.

    Every page opened in it is watched: a script error or a CSP refusal fails
    the test.
    """
    contexts: list[BrowserContext] = []
    problems = PageProblems()

    def factory(**options: Any) -> BrowserContext:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=base_url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", problems.watch)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()
    assert not problems.messages, "\n".join(problems.messages)


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a fresh 1280×800 context."""
    return new_context().new_page()


@pytest.fixture
def login() -> Callable[..., None]:
    """`login(page, username, password=DEMO_PASSWORD)`: sign in as a demo user."""
    return harness.log_in
