"""Browser: a preview link opened in a fresh context (and revoked); the
Notifications count moves when an author submits and when the editor reads."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import LiveServer
from tests.e2e.steps import block, htmx_ready, unique_title, write_article

pytestmark = pytest.mark.e2e


def _unread(page: Page) -> int:
    text = page.locator("#notifications-link").inner_text()
    match = re.fullmatch(r"Notifications(?: \((\d+)\))?", text.strip())
    assert match, text
    return int(match.group(1) or 0)


def test_a_preview_link_opened_in_a_fresh_context(
    page: Page, new_context, login, live_server: LiveServer
):
    made = write_article(live_server, unique_title("Night ferry trial"))
    login(page, "author1")
    page.goto(made.editor)
    share = block(page, "share")
    share.get_by_label("Valid for").select_option(label="1 hour")
    share.get_by_role("button", name="Share preview").click()
    address = share.locator("input.share-address")
    expect(address).to_have_count(1)
    path = urlsplit(address.input_value()).path
    assert path.startswith("/preview/")

    outsider = new_context().new_page()  # no login, no cookies
    response = outsider.goto(path)
    assert response.status == 200
    assert response.headers["cache-control"] == "private, no-store"
    expect(outsider.get_by_text("Preview — not published")).to_be_visible()
    expect(outsider.get_by_role("heading", level=1)).to_have_text(made.title)
    expect(outsider.get_by_text(made.summary)).to_be_visible()

    share.get_by_role("button", name="Revoke").click()
    expect(share.get_by_text("No open preview links.")).to_be_visible()
    gone = outsider.reload()
    assert gone.status == 410
    expect(outsider.get_by_role("heading", level=1)).to_have_text("Preview link ended")


def test_the_unread_count_moves(
    page: Page, new_context, login, live_server: LiveServer
):
    login(page, "editor1")
    before = _unread(page)
    made = write_article(live_server, unique_title("Library hours extended"))

    author = new_context().new_page()
    login(author, "author1")
    author.goto(made.editor)
    block(author, "actions").get_by_role("button", name="Submit for review").click()
    expect(block(author, "actions").locator(".badge")).to_have_text("In review")

    page.reload()
    expect(page.locator("#notifications-link")).to_have_text(
        f"Notifications ({before + 1})"
    )
    page.locator("#notifications-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    item = page.locator("li.notification").filter(has_text=made.title)
    expect(item).to_contain_text("submitted")
    htmx_ready(page)
    page.evaluate("() => { window.__marker = 1; }")
    item.get_by_role("button", name="Mark as read").click()
    expect(item.get_by_role("button", name="Mark as read")).to_have_count(0)
    expected = f"Notifications ({before})" if before else "Notifications"
    expect(page.locator("#notifications-link")).to_have_text(expected)
    assert page.evaluate("() => window.__marker") == 1, "the page was reloaded"
