"""Writing that never loses a word: autosave without pressing anything, one
Save for every changed block (with and without JavaScript), and a failed save
that keeps the text and saves it once the server answers again."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.steps import SAVED, block, create_draft, unique_title

pytestmark = pytest.mark.e2e

BODIES = (
    "The bridge closes for repairs on Monday.",
    "The city says the work takes three weeks.",
    "Buses replace the crossing in the meantime.",
    "The bridge was last repaired in 2009.",
)


def _summary(page: Page):
    return page.locator("#save-summary")


def _sections(page: Page):
    return block(page, "sections").get_by_role("article")


def _open_fresh(new_context, login, username: str, url: str) -> Page:
    page = new_context().new_page()
    login(page, username)
    page.goto(url)
    return page


def test_typing_into_every_block_saves_it_without_a_button(
    page: Page, new_context, login
):
    login(page, "author1")
    title = unique_title("Old bridge closes for repairs")
    create_draft(page, title)
    editor_url = page.url

    page.get_by_label("Title").fill(f"{title}, edited")
    block(page, "summary").get_by_label("Quick summary").fill(
        "The old bridge closes on Monday for three weeks of repairs."
    )
    for index, body in enumerate(BODIES):
        _sections(page).nth(index).get_by_label("Body").fill(body)
    # A takeaway added, then edited in place without its Save.
    takeaways = block(page, "takeaways")
    takeaways.get_by_label("Takeaway", exact=True).last.fill("Buses replace it.")
    takeaways.get_by_role("button", name="Add takeaway").click()
    expect(takeaways.get_by_role("button", name="Remove")).to_have_count(1)
    takeaways.get_by_label("Takeaway", exact=True).first.fill(
        "Buses replace it for now."
    )

    # The last field is still being typed in: its block saves after the pause.
    last = _sections(page).nth(3).get_by_label("Body")
    last.click()
    last.press("End")
    last.press_sequentially(" Twice.", delay=20)
    expect(_sections(page).nth(3).get_by_role("status")).to_have_text(SAVED)
    expect(_summary(page)).to_have_text("All changes saved")
    # Autosave neither took the focus nor moved the caret.
    assert page.evaluate("() => document.activeElement.id") == "section-3-body"
    caret = page.evaluate("() => document.activeElement.selectionStart")
    assert caret == len(BODIES[3] + " Twice.")
    # The heading follows the saved title without a reload.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{title}, edited")

    fresh = _open_fresh(new_context, login, "author1", editor_url)
    expect(fresh.get_by_label("Title")).to_have_value(f"{title}, edited")
    expect(fresh.get_by_label("Quick summary")).to_have_value(
        "The old bridge closes on Monday for three weeks of repairs."
    )
    for index, body in enumerate(BODIES):
        expected = body + " Twice." if index == 3 else body
        expect(_sections(fresh).nth(index).get_by_label("Body")).to_have_value(expected)
    expect(
        block(fresh, "takeaways").get_by_label("Takeaway", exact=True).first
    ).to_have_value("Buses replace it for now.")


def test_one_save_saves_three_blocks_in_one_request(page: Page, new_context, login):
    login(page, "author1")
    create_draft(page, unique_title("Library opens on Sundays"))
    editor_url = page.url
    # Hold every autosave back, so only the Save can have saved anything.
    held: list[str] = []

    def hold(route: Route) -> None:
        held.append(route.request.url)
        route.abort()

    page.route(re.compile(r"/desk/articles/\d+/(summary|sections/\d+)$"), hold)
    block(page, "summary").get_by_label("Quick summary").fill("Open on Sundays.")
    _sections(page).nth(0).get_by_label("Body").fill("From next month.")
    _sections(page).nth(1).get_by_label("Body").fill("The council pays for it.")
    with page.expect_response(re.compile(r"/save$")) as answer:
        _sections(page).nth(0).get_by_role("button", name="Save").click()
    assert answer.value.status == 200
    sent = parse_qs(answer.value.request.post_data or "")
    assert sent["summary.summary"] == ["Open on Sundays."]
    assert "The council pays for it." in sum(sent.values(), [])
    for part in (
        block(page, "summary"),
        _sections(page).nth(0),
        _sections(page).nth(1),
    ):
        expect(part.get_by_role("status")).to_have_text(SAVED)
    expect(_summary(page)).to_have_text("All changes saved")
    page.unroute(re.compile(r"/desk/articles/\d+/(summary|sections/\d+)$"))

    fresh = _open_fresh(new_context, login, "author1", editor_url)
    expect(fresh.get_by_label("Quick summary")).to_have_value("Open on Sundays.")
    expect(_sections(fresh).nth(0).get_by_label("Body")).to_have_value(
        "From next month."
    )
    expect(_sections(fresh).nth(1).get_by_label("Body")).to_have_value(
        "The council pays for it."
    )


def test_without_javascript_one_save_saves_every_changed_block(new_context, login):
    page = new_context(java_script_enabled=False).new_page()
    login(page, "author2")
    create_draft(page, unique_title("Market moves to the square"), category="Culture")
    block(page, "summary").get_by_label("Quick summary").fill("The market moves.")
    _sections(page).nth(0).get_by_label("Body").fill("It opens on Saturday.")
    _sections(page).nth(2).get_by_label("Body").fill("Stalls stay the same.")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        block(page, "summary").get_by_role("button", name="Save").click()
    assert answer.value.status == 303
    expect(page.get_by_role("status").first).to_contain_text("All changes saved.")
    expect(page.get_by_label("Quick summary")).to_have_value("The market moves.")
    expect(_sections(page).nth(0).get_by_label("Body")).to_have_value(
        "It opens on Saturday."
    )
    expect(_sections(page).nth(2).get_by_label("Body")).to_have_value(
        "Stalls stay the same."
    )


def test_a_failed_save_keeps_the_text_and_saves_it_when_the_server_is_back(
    page: Page, new_context, login
):
    login(page, "author1")
    create_draft(page, unique_title("Harbour lights switch to LED"))
    editor_url = page.url
    summary = block(page, "summary")
    failing = re.compile(r"/desk/articles/\d+/summary$")
    page.route(failing, lambda route: route.abort("connectionrefused"))

    summary.get_by_label("Quick summary").fill("The harbour lights switch to LED.")
    status = summary.get_by_role("status")
    expect(status).to_contain_text("Not saved")
    expect(status.get_by_role("button", name="Retry")).to_be_visible()
    expect(_summary(page)).to_have_text("Not saved")
    expect(summary.get_by_label("Quick summary")).to_have_value(
        "The harbour lights switch to LED."
    )

    # The server answers again: the retry (with backoff) saves the text.
    page.unroute(failing)
    status.get_by_role("button", name="Retry").click()
    expect(status).to_have_text(SAVED)
    expect(_summary(page)).to_have_text("All changes saved")

    fresh = _open_fresh(new_context, login, "author1", editor_url)
    expect(fresh.get_by_label("Quick summary")).to_have_value(
        "The harbour lights switch to LED."
    )


def test_failed_saves_are_retried_without_a_click(page: Page, login):
    login(page, "author1")
    create_draft(page, unique_title("Ferry timetable changes"))
    summary = block(page, "summary")
    failing = re.compile(r"/desk/articles/\d+/summary$")
    attempts: list[str] = []

    def fail(route: Route) -> None:
        attempts.append(route.request.url)
        route.fulfill(status=503, body="Service Unavailable")

    page.route(failing, fail)
    summary.get_by_label("Quick summary").fill("The timetable changes in May.")
    expect(summary.get_by_role("status")).to_contain_text("Not saved")
    page.unroute(failing)
    expect(summary.get_by_role("status")).to_have_text(SAVED, timeout=15_000)
    assert len(attempts) >= 1
