"""axe-core in Chromium: no serious or critical violations on the pages we have."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.harness import DESKTOP, PHONE, LiveServer
from tests.e2e.steps import Made, block, unique_title, write_article

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
    page = new_context(viewport=PHONE).new_page()
    login(page, "author1")
    assert_no_serious_violations(page)


def test_new_article_form(page: Page, login):
    login(page, "author1")
    page.goto("/desk/articles/new")
    assert_no_serious_violations(page)


@pytest.fixture(scope="module")
def published(live_server: LiveServer) -> Made:
    """A published article with a history: written, submitted, published."""
    return write_article(
        live_server,
        unique_title("Coastal path reopens after storm repairs"),
        state="published",
    )


def test_editor_with_checklist_errors(page: Page, login, live_server: LiveServer):
    made = write_article(live_server, unique_title("Wind farm consultation opens"))
    login(page, "author1")
    page.goto(made.editor)
    section = block(page, "sections").get_by_role("article").first
    section.get_by_label("Body").fill("The consultation opens on , at the library.")
    section.get_by_role("button", name="Save").click()
    expect(block(page, "checklist").get_by_role("listitem")).to_have_count(1)
    block(page, "actions").get_by_role("button", name="Submit for review").click()
    expect(block(page, "actions").get_by_role("alert")).to_be_visible()
    assert_no_serious_violations(page)


def test_editor_read_only_in_review(page: Page, login, live_server: LiveServer):
    made = write_article(
        live_server, unique_title("Schools add a late bus"), state="review"
    )
    login(page, "author1")
    page.goto(made.editor)
    assert_no_serious_violations(page)


def test_editor_on_a_phone(new_context, login, published: Made):
    page = new_context(viewport=PHONE).new_page()
    login(page, "editor1")
    page.goto(published.editor)
    assert_no_serious_violations(page)


def test_preview(page: Page, login, published: Made):
    login(page, "editor1")
    page.goto(f"{published.editor}/preview")
    assert_no_serious_violations(page)


def test_history(page: Page, login, published: Made):
    login(page, "editor1")
    page.goto(f"{published.editor}/history")
    assert_no_serious_violations(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_article_page(new_context, published: Made, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto(published.public)
    page.get_by_role("region", name="People Also Ask").locator("summary").first.click()
    assert_no_serious_violations(page)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/categories/technology",
        "/categories/technology?page=2",
        "/search?q=council",
        "/search?q=nothingmatchesthis",
        "/search",
    ],
)
def test_reader_pages(page: Page, path: str):
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert_no_serious_violations(page)


def test_gone_and_missing_pages(page: Page):
    response = page.goto("/articles/no-such-article")
    assert response is not None and response.status == 404
    assert_no_serious_violations(page)


def test_editor_showing_a_conflict(new_context, login, live_server: LiveServer):
    made = write_article(live_server, unique_title("Ferry timetable changes"))
    first, second = new_context().new_page(), new_context().new_page()
    login(first, "editor1")
    login(second, "admin")
    for page in (first, second):
        page.goto(made.editor)
    for page, text, outcome in (
        (first, "One text.", "status"),
        (second, "Another text.", "alert"),
    ):
        summary = block(page, "summary")
        summary.get_by_label("Quick summary").fill(text)
        summary.get_by_role("button", name="Save").click()
        expect(summary.get_by_role(outcome)).to_be_visible()
    assert_no_serious_violations(second)


@pytest.mark.parametrize("path", ["/desk/users", "/desk/categories"])
def test_admin_pages(page: Page, login, path: str):
    login(page, "admin")
    page.goto(path)
    assert_no_serious_violations(page)


def test_comment_threads(page: Page, login, live_server: LiveServer):
    """A thread with a quote, a reply and a resolved one, the forms open."""
    from editorial.domain import comments
    from editorial.domain.models import Article, User
    from editorial.extensions import db

    made = write_article(
        live_server, unique_title("Harbour dredging starts"), state="review"
    )
    with live_server.app.app_context():
        article = db.session.get(Article, made.id)
        editor = db.session.scalar(db.select(User).where(User.username == "editor1"))
        author = db.session.scalar(db.select(User).where(User.username == "author1"))
        root = comments.add_comment(
            db.session,
            article,
            editor,
            block="summary",
            body="Which operator?",
            quote="adds a late service",
        )
        comments.reply(db.session, article, author, root.id, body="The ferry one.")
        done = comments.add_comment(
            db.session, article, editor, block="takeaways", body="Fine now."
        )
        comments.resolve(db.session, article, editor, done.id)
        db.session.commit()
        db.session.remove()
    login(page, "author1")
    page.goto(made.editor)
    summary = block(page, "summary")
    summary.get_by_role("button", name="Reply", exact=True).click()
    summary.get_by_role("button", name="Add comment").click()
    expect(summary.get_by_label("Comment", exact=True)).to_be_visible()
    assert_no_serious_violations(page)


def test_notifications_page(page: Page, new_context, login, live_server: LiveServer):
    made = write_article(live_server, unique_title("Harbour tolls consultation"))
    author = new_context().new_page()
    login(author, "author1")
    author.goto(made.editor)
    block(author, "actions").get_by_role("button", name="Submit for review").click()
    expect(block(author, "actions").locator(".badge")).to_have_text("In review")
    login(page, "editor1")
    page.goto("/desk/notifications")
    expect(page.locator("li.notification.unread").first).to_be_visible()
    assert_no_serious_violations(page)


def test_notifications_page_on_a_phone(new_context, login):
    page = new_context(viewport=PHONE).new_page()
    login(page, "editor1")
    page.goto("/desk/notifications")
    assert_no_serious_violations(page)


def test_insights_page(page: Page, login, published: Made):
    login(page, "editor1")
    page.goto("/desk/insights")
    expect(page.locator("svg.chart")).to_have_count(4)
    assert_no_serious_violations(page)


def test_insights_page_on_a_phone(new_context, login, published: Made):
    page = new_context(viewport=PHONE).new_page()
    login(page, "admin")
    page.goto("/desk/insights")
    assert_no_serious_violations(page)


def test_account_page(page: Page, login):
    login(page, "author1")
    page.goto("/account")
    assert_no_serious_violations(page)


def test_shared_preview_page(page: Page, new_context, login, live_server: LiveServer):
    made = write_article(live_server, unique_title("Tram depot opens"))
    login(page, "author1")
    page.goto(made.editor)
    block(page, "share").get_by_role("button", name="Share preview").click()
    address = block(page, "share").locator("input.share-address")
    expect(address).to_have_count(1)
    outsider = new_context().new_page()
    outsider.goto(address.input_value().replace("http://localhost", ""))
    expect(outsider.get_by_text("Preview — not published")).to_be_visible()
    assert_no_serious_violations(outsider)
