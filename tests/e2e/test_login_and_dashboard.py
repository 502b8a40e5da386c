"""In a real browser: log in and out, the dashboard, a new draft, no-JS and keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import DEMO_PASSWORD
from tests.e2e.steps import create_draft, unique_title

pytestmark = pytest.mark.e2e


def test_login_page_has_the_exact_labels(page: Page):
    page.goto("/login")
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_attribute("type", "password")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"\w+"))


def test_wrong_password_shows_the_message_and_stays_out(page: Page):
    page.goto("/login")
    page.get_by_label("Username").fill("author1")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    expect(page.get_by_label("Username")).to_have_value("author1")
    expect(page.get_by_label("Password")).to_have_value("")
    page.goto("/desk/")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_author_reaches_the_dashboard(page: Page, login):
    login(page, "author1")
    for group in ("Drafts", "In review", "Published"):
        heading = page.get_by_role("heading", level=2, name=re.compile(f"^{group}"))
        expect(heading).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


def test_new_article_creates_a_draft_and_opens_its_editor(page: Page, login):
    login(page, "author1")
    title = unique_title("Harbour ferry adds a night crossing")
    create_draft(page, title)
    expect(page.get_by_role("status").first).to_contain_text("Draft created")
    page.goto("/desk/")
    drafts = page.get_by_role("region", name=re.compile("^Drafts"))
    expect(drafts.get_by_role("link", name=title)).to_be_visible()


def test_new_article_without_title_is_refused_next_to_the_field(page: Page, login):
    login(page, "author1")
    page.goto("/desk/articles/new")
    page.get_by_label("Category").select_option(label="Science")
    page.get_by_label("Title").press("Enter")
    expect(page).to_have_url(re.compile(r"/desk/articles/new$"))
    expect(page.get_by_label("Title")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Title cannot be empty.")).to_be_visible()


def test_logout_ends_the_session(page: Page, login):
    login(page, "editor1")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto("/desk/")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_state_changes_without_the_csrf_token_are_refused(page: Page, login):
    """The live server runs with CSRF on: a post that lacks the token fails and
    saves nothing, while the browser's own forms (which carry it) work."""
    login(page, "author1")
    title = unique_title("Forged draft")
    response = page.request.post(
        "/desk/articles/new", form={"title": title, "category": "1"}
    )
    assert response.status == 400
    assert "security token" in response.text()
    page.goto("/desk/")
    expect(page.get_by_role("link", name=title)).to_have_count(0)


def test_without_javascript_login_and_new_draft_work(new_context, login):
    page = new_context(java_script_enabled=False).new_page()
    login(page, "author2")
    title = unique_title("Library opens on Sundays")
    create_draft(page, title, category="Culture")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def test_keyboard_only_login(page: Page):
    page.goto("/login")
    # The page opens with the focus in Username (autofocus).
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("author1")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Log in")
    expect(button).to_be_focused()
    # The focus is visible: the keyboard focus ring is drawn.
    outline = button.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("", "none"), outline
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/desk/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
