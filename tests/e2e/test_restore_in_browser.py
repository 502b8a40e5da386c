"""Restore from history in the browser: a whole version comes back into the
editor, and the history shows the restore as a new revision."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import LiveServer
from tests.e2e.steps import SAVED, block, unique_title, write_article

pytestmark = pytest.mark.e2e


def test_restore_this_version_brings_the_old_text_back(
    page: Page, login, live_server: LiveServer
):
    made = write_article(live_server, unique_title("Pool reopens after repairs"))
    login(page, "author1")
    page.goto(made.editor)
    summary = block(page, "summary")
    summary.get_by_label("Quick summary").fill("A summary the author regrets.")
    expect(summary.get_by_role("status")).to_have_text(SAVED)

    page.get_by_role("link", name="History").click()
    revisions = page.locator(".revision-list li")
    newest = int(revisions.first.get_by_role("link").inner_text().split()[-1])
    # The revision before the regretted save.
    revisions.nth(1).get_by_role("link").click()
    expect(page.locator("#diff-heading")).to_contain_text(f"Revision {newest - 1}")
    page.get_by_role("button", name="Restore this version").click()

    expect(page.get_by_role("status").first).to_contain_text(
        f"Restored revision {newest - 1}."
    )
    expect(page.get_by_label("Quick summary")).to_have_value(made.summary)
    page.get_by_role("link", name="History").click()
    expect(page.locator(".revision-list li").first).to_contain_text(
        f"Revision {newest + 1}"
    )
    expect(page.locator(".revision-list li").first).to_contain_text(
        f"Restored revision {newest - 1}"
    )
