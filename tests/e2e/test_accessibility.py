"""axe-core in Chromium: no serious or critical violations on the pages we have."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
_axe = Axe()


def assert_no_serious_violations(page: Page) -> None:
    """Run axe on the page as it is now and list every blocking finding."""
    violations = _axe.run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    report = "\n".join(
        f"{v['impact']}: {v['id']} — {v['help']} "
        f"({', '.join(str(n['target']) for n in v['nodes'][:5])})"
        for v in blocking
    )
    assert not blocking, f"axe on {page.url}:\n{report}"


def test_login_page(page: Page):
    page.goto("/login")
    assert_no_serious_violations(page)


def test_login_page_with_an_error(page: Page):
    page.goto("/login")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("alert").wait_for()
    assert_no_serious_violations(page)


def test_dashboard(page: Page, login):
    login(page, "editor1")
    assert_no_serious_violations(page)


def test_dashboard_on_a_phone(new_context, login):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    login(page, "author1")
    assert_no_serious_violations(page)


def test_new_article_form(page: Page, login):
    login(page, "author1")
    page.goto("/desk/articles/new")
    assert_no_serious_violations(page)
