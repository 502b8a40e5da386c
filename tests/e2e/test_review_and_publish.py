"""Review, publication, updates and conflicts in the browser, with the reader's
view of the result."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from editorial.domain.models import utcnow
from tests.e2e.harness import LiveServer
from tests.e2e.steps import (
    QUESTIONS,
    SAVED,
    TAKEAWAYS,
    block,
    mark_blocks,
    state_badge,
    unique_title,
    wait_replaced,
    write_article,
)

pytestmark = pytest.mark.e2e

ISO_WITH_SECONDS_AND_OFFSET = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$"
)
DEFAULT_HEADINGS = (
    "What Happened / Key Details",
    "Official Position / Company Statement",
    "Timeline / What's Next",
    "Context / Background",
)


def signed_in(new_context, login, username: str) -> Page:
    """A page in a context of its own, signed in as `username`."""
    context: BrowserContext = new_context()
    page = context.new_page()
    login(page, username)
    return page


def save_summary(page: Page, text: str) -> None:
    """Type a new Quick summary and save it (htmx); wait until the workflow
    panel has reloaded with the new version."""
    summary = block(page, "summary")
    summary.get_by_label("Quick summary").fill(text)
    mark_blocks(page)
    summary.get_by_role("button", name="Save").click()
    expect(summary.get_by_role("status")).to_have_text(SAVED)
    wait_replaced(page, "actions-block", "checklist-block")


def act(page: Page, label: str, flash: str, **fields: str) -> None:
    """Take a workflow action from the panel, filling its Note / Reason first."""
    actions = block(page, "actions")
    for field_label, value in fields.items():
        actions.get_by_label(field_label.capitalize()).fill(value)
    actions.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(flash)


def summary_text(page: Page) -> str:
    region = page.get_by_role("region", name="Quick Summary")
    return region.get_by_role("paragraph").inner_text()


def last_updated(page: Page) -> str:
    time = page.locator(".last-updated time")
    expect(page.locator(".last-updated")).to_contain_text("Last updated")
    value = time.get_attribute("datetime") or ""
    assert ISO_WITH_SECONDS_AND_OFFSET.match(value), value
    assert time.inner_text().strip(), "Last updated must never be blank"
    return value


def test_changes_requested_revised_published_and_read(
    new_context, login, live_server: LiveServer
):
    made = write_article(
        live_server,
        unique_title("Tram line opens a stop by the stadium"),
        state="review",
    )
    editor = signed_in(new_context, login, "editor1")
    editor.goto(made.editor)
    act(
        editor,
        "Request changes",
        "Changes requested",
        note="Please say when the stop opens in the summary.",
    )
    expect(state_badge(editor)).to_have_text("Draft")

    author = signed_in(new_context, login, "author1")
    author.goto(made.editor)
    note = author.get_by_role(
        "complementary", name=re.compile(r"^Changes requested by Elena Marquez")
    )
    expect(note).to_contain_text("Please say when the stop opens in the summary.")
    revised = "The tram line opens a stop by the stadium on 4 May, before the final."
    save_summary(author, revised)
    act(author, "Submit for review", "Submitted for review.")
    expect(state_badge(author)).to_have_text("In review")

    editor.reload()
    expect(state_badge(editor)).to_have_text("In review")
    act(editor, "Publish", "Published.")
    expect(state_badge(editor)).to_have_text("Published")

    # An anonymous reader sees every part of the anatomy.
    reader = new_context().new_page()
    response = reader.goto(made.public)
    assert response is not None and response.status == 200
    expect(reader.get_by_role("heading", level=1)).to_have_text(made.title)
    expect(reader.get_by_role("heading", level=1)).to_have_count(1)
    story = reader.get_by_role("article").first
    expect(story.get_by_role("link", name="Science", exact=True)).to_be_visible()
    expect(story.get_by_text(re.compile(r"^By Amara Okafor"))).to_be_visible()
    assert summary_text(reader) == revised
    headings = reader.get_by_role("heading", level=2)
    expected = [
        "Quick Summary",
        *DEFAULT_HEADINGS,
        "Key Takeaways",
        "People Also Ask",
        "More from Categories",
    ]
    expect(headings).to_have_text(expected)
    takeaways = reader.get_by_role("region", name="Key Takeaways")
    expect(takeaways.get_by_role("listitem")).to_have_text(list(TAKEAWAYS))
    faq = reader.get_by_role("region", name="People Also Ask")
    disclosures = faq.locator("details")
    expect(disclosures).to_have_count(len(QUESTIONS))
    question, answer = QUESTIONS[0]
    expect(faq.get_by_text(answer)).to_be_hidden()
    faq.get_by_text(question).click()
    expect(disclosures.first).to_have_attribute("open", "")
    expect(faq.get_by_text(answer)).to_be_visible()
    last_updated(reader)

    more = reader.get_by_role("complementary", name="More from Categories")
    read_links = more.get_by_role("link", name="Read Article", exact=True)
    expect(read_links.first).to_be_visible()
    links = [read_links.nth(i).get_attribute("href") for i in range(read_links.count())]
    assert made.public not in links
    assert 3 <= len(links) <= 9
    first_teaser = more.get_by_role("article").first
    teaser_title = first_teaser.get_by_role("heading").inner_text()
    expect(first_teaser.locator("time")).to_have_attribute("datetime", re.compile(r"."))
    first_teaser.get_by_role("link", name="Read Article").click()
    expect(reader).to_have_url(re.compile(r"/articles/[\w-]+$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(teaser_title)

    reader.go_back()
    more = reader.get_by_role("complementary", name="More from Categories")
    group = more.get_by_role("region").first
    category_name = (group.get_by_role("heading", level=3).text_content() or "").strip()
    group.get_by_role("link", name="View All", exact=True).click()
    expect(reader).to_have_url(re.compile(r"/categories/[\w-]+$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(category_name)


def test_published_article_updates_only_on_publish_update_then_unpublishes(
    new_context, login, live_server: LiveServer
):
    made = write_article(
        live_server,
        unique_title("Council reopens the riverside pool"),
        state="published",
        when=utcnow() - timedelta(hours=3),
    )
    reader = new_context().new_page()
    reader.goto(made.public)
    assert summary_text(reader) == made.summary
    first_updated = last_updated(reader)

    editor = signed_in(new_context, login, "editor1")
    editor.goto(made.editor)
    expect(state_badge(editor)).to_have_text("Published")
    new_summary = "The council reopens the riverside pool on Saturday after repairs."
    save_summary(editor, new_summary)

    # The working copy changed; readers still get the published snapshot.
    reader.reload()
    assert summary_text(reader) == made.summary
    assert last_updated(reader) == first_updated
    # The desk preview already shows the new text.
    preview = editor.context.new_page()
    preview.goto(f"{made.editor}/preview")
    assert summary_text(preview) == new_summary
    preview.close()

    block(editor, "actions").get_by_label("Update", exact=True).check()
    act(editor, "Publish update", "Update published.")
    reader.reload()
    assert summary_text(reader) == new_summary
    second_updated = last_updated(reader)
    assert datetime.fromisoformat(second_updated) > datetime.fromisoformat(
        first_updated
    )

    act(editor, "Unpublish", "Unpublished", reason="Published by mistake.")
    expect(state_badge(editor)).to_have_text("Draft")
    # Reader pages may be kept 60 s by a browser (public max-age): a reader
    # who has not seen the page, or who reloads it, gets the 410 at once.
    gone = new_context().new_page()
    response = gone.goto(made.public)
    assert response is not None and response.status == 410
    expect(gone.get_by_role("heading", level=1)).to_be_visible()
    expect(gone.get_by_text("Published by mistake.")).to_have_count(0)
    reloaded = reader.reload()
    assert reloaded is not None and reloaded.status == 410


def test_second_save_of_the_same_summary_shows_the_conflict(
    new_context, login, live_server: LiveServer
):
    made = write_article(live_server, unique_title("Airport trials quiet night"))
    first = signed_in(new_context, login, "editor1")
    second = signed_in(new_context, login, "admin")
    first.goto(made.editor)
    second.goto(made.editor)

    mine, theirs = "Summary as the admin wrote it.", "Summary as the editor wrote it."
    save_summary(first, theirs)

    summary = block(second, "summary")
    summary.get_by_label("Quick summary").fill(mine)
    with second.expect_response(re.compile(r"/summary$")) as answer:
        summary.get_by_role("button", name="Save").click()
    assert answer.value.status == 409
    conflict = summary.get_by_role("alert")
    expect(conflict).to_contain_text(
        "Quick summary was changed by Elena Marquez while you were editing it."
    )
    expect(conflict.locator("time")).to_have_attribute("datetime", re.compile(r"."))
    # The user's own text stays in the field; the other version is shown beside it.
    expect(summary.get_by_label("Quick summary")).to_have_value(mine)
    expect(conflict.locator(".theirs-text")).to_have_text(theirs)
    expect(conflict.get_by_role("link", name="Use theirs")).to_be_visible()

    conflict.get_by_role("button", name="Keep my version").click()
    expect(summary.get_by_role("status")).to_have_text(SAVED)
    expect(summary.get_by_role("alert")).to_have_count(0)
    expect(summary.get_by_label("Quick summary")).to_have_value(mine)
    first.reload()
    expect(block(first, "summary").get_by_label("Quick summary")).to_have_value(mine)


def test_keyboard_only_editor_publishes_with_tab_and_enter(
    page: Page, login, live_server: LiveServer
):
    made = write_article(
        live_server, unique_title("Museum extends its opening hours"), state="review"
    )
    login(page, "editor1")
    page.goto(made.editor)
    publish = block(page, "actions").get_by_role("button", name="Publish", exact=True)
    expect(publish).to_be_visible()
    for _ in range(200):
        page.keyboard.press("Tab")
        if publish.evaluate("el => el === document.activeElement"):
            break
    expect(publish).to_be_focused()
    outline = publish.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("", "none"), outline
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Published.")
    expect(state_badge(page)).to_have_text("Published")
