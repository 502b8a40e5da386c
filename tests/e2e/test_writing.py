"""An author writes an article in the browser: with htmx, without JavaScript,
and with a lost value that the checklist catches."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import LiveServer
from tests.e2e.steps import (
    QUESTIONS,
    SAVED,
    SECTION_BODIES,
    article_address,
    block,
    create_draft,
    expect_only_block_replaced,
    htmx_ready,
    item_values,
    mark_blocks,
    state_badge,
    unique_title,
    write_article,
)

pytestmark = pytest.mark.e2e


def test_author_writes_a_whole_article_without_a_page_load(page: Page, login):
    login(page, "author1")
    title = unique_title("Harbour ferry adds a night crossing")
    article_id = create_draft(page, title)
    editor_url = page.url
    htmx_ready(page)
    page.evaluate("() => { window.__marker = 1; }")
    mark_blocks(page)

    # Quick summary.
    summary = block(page, "summary")
    summary.get_by_label("Quick summary").fill(
        "The harbour ferry adds a night crossing next week, with day fares."
    )
    summary.get_by_role("button", name="Save").click()
    expect(summary.get_by_role("status")).to_have_text(SAVED)
    expect_only_block_replaced(page, "summary-block")

    # Each section: Heading and Body, saved one by one.
    sections = block(page, "sections").get_by_role("article")
    expect(sections).to_have_count(4)
    for index, body in enumerate(SECTION_BODIES):
        section = sections.nth(index)
        section_id = section.get_attribute("id")
        if index == 3:
            section.get_by_label("Heading").fill("Background")
        section.get_by_label("Body").fill(body)
        section.get_by_role("button", name="Save").click()
        expect(section.get_by_role("status")).to_have_text(SAVED)
        expect_only_block_replaced(page, section_id)
    expect(sections.nth(3).get_by_role("heading")).to_have_text("Section 4: Background")

    # Key takeaways: an empty one is refused, four are added.
    takeaways = block(page, "takeaways")
    takeaways.get_by_role("button", name="Add takeaway").click()
    expect(takeaways.get_by_text("Takeaway cannot be empty.")).to_be_visible()
    mark_blocks(page)
    points = ["First point.", "Second point.", "Third point.", "Fourth point."]
    for n, point in enumerate(points, start=1):
        takeaways.get_by_label("Takeaway", exact=True).last.fill(point)
        takeaways.get_by_role("button", name="Add takeaway").click()
        expect(takeaways.get_by_role("button", name="Remove")).to_have_count(n)
        expect_only_block_replaced(page, "takeaways-block")
    assert item_values(takeaways, "Takeaway") == points
    # Edit the second in place.
    takeaways.get_by_label("Takeaway", exact=True).nth(1).fill("Second point, edited.")
    takeaways.get_by_role("button", name="Save").nth(1).click()
    expect(takeaways.get_by_role("status")).to_have_text(SAVED)
    expect_only_block_replaced(page, "takeaways-block")
    # Remove the third, move the last up, move the first down.
    takeaways.get_by_role("button", name="Remove").nth(2).click()
    expect(takeaways.get_by_role("button", name="Remove")).to_have_count(3)
    expect_only_block_replaced(page, "takeaways-block")
    takeaways.get_by_role("button", name="Move up").nth(2).click()
    expect(takeaways.get_by_label("Takeaway", exact=True).nth(1)).to_have_value(
        "Fourth point."
    )
    expect_only_block_replaced(page, "takeaways-block")
    takeaways.get_by_role("button", name="Move down").nth(0).click()
    expect(takeaways.get_by_label("Takeaway", exact=True).nth(0)).to_have_value(
        "Fourth point."
    )
    expect_only_block_replaced(page, "takeaways-block")
    assert item_values(takeaways, "Takeaway") == [
        "Fourth point.",
        "First point.",
        "Second point, edited.",
    ]
    # The first item cannot move up, the last cannot move down.
    expect(takeaways.get_by_role("button", name="Move up").first).to_be_disabled()
    expect(takeaways.get_by_role("button", name="Move down").last).to_be_disabled()

    # People also ask: three added, reordered, one removed.
    faqs = block(page, "faqs")
    asked = [*QUESTIONS, ("Where does the ferry leave from?", "From pier 2.")]
    for n, (question, answer) in enumerate(asked, start=1):
        faqs.get_by_label("Question", exact=True).last.fill(question)
        faqs.get_by_label("Answer", exact=True).last.fill(answer)
        faqs.get_by_role("button", name="Add question").click()
        expect(faqs.get_by_role("button", name="Remove")).to_have_count(n)
        expect_only_block_replaced(page, "faqs-block")
    faqs.get_by_role("button", name="Move up").nth(2).click()
    expect(faqs.get_by_label("Question", exact=True).nth(1)).to_have_value(asked[2][0])
    expect_only_block_replaced(page, "faqs-block")
    faqs.get_by_role("button", name="Move down").nth(0).click()
    expect(faqs.get_by_label("Question", exact=True).nth(0)).to_have_value(asked[2][0])
    expect_only_block_replaced(page, "faqs-block")
    faqs.get_by_role("button", name="Remove").nth(2).click()
    expect(faqs.get_by_role("button", name="Remove")).to_have_count(2)
    expect_only_block_replaced(page, "faqs-block")
    assert item_values(faqs, "Question") == [asked[2][0], asked[0][0]]
    assert item_values(faqs, "Answer") == [asked[2][1], asked[0][1]]

    # No page load happened: the marker set at the start survived every save.
    assert page.evaluate("() => window.__marker") == 1
    assert page.url == editor_url
    expect(block(page, "checklist")).to_contain_text("No problems found.")

    block(page, "actions").get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status").first).to_contain_text("Submitted for review.")
    expect(state_badge(page)).to_have_text("In review")
    # An article in review is read-only to its author.
    expect(page.get_by_label("Quick summary")).to_have_count(0)
    expect(
        block(page, "actions").get_by_role("button", name="Withdraw")
    ).to_be_visible()
    assert article_address(page).startswith("/articles/harbour-ferry")
    assert page.url.endswith(f"/desk/articles/{article_id}")


def test_checklist_flags_a_lost_value_and_submit_is_refused(
    page: Page, login, live_server: LiveServer
):
    made = write_article(
        live_server, unique_title("Bakery chain closes its oldest shop")
    )
    login(page, "author1")
    page.goto(made.editor)
    expect(block(page, "checklist")).to_contain_text("No problems found.")

    section = block(page, "sections").get_by_role("article").first
    section.get_by_label("Body").fill("The company announced it on , without details.")
    section.get_by_role("button", name="Save").click()
    expect(section.get_by_role("status")).to_have_text(SAVED)
    checklist = block(page, "checklist")
    expect(checklist.get_by_role("listitem")).to_have_count(1)
    finding = checklist.get_by_role("listitem").first
    expect(finding.locator("q")).to_contain_text("on ,")
    # The finding names the block, and its link takes the focus to the field.
    finding.get_by_role("link", name="Section 1 body").click()
    expect(section.get_by_label("Body")).to_be_focused()

    actions = block(page, "actions")
    with page.expect_response(re.compile(r"/actions/submit$")) as answer:
        actions.get_by_role("button", name="Submit for review").click()
    assert answer.value.status == 422
    expect(actions.get_by_role("alert")).to_be_visible()
    errors = actions.get_by_role("list", name="Checklist errors")
    expect(errors).to_contain_text("on ,")
    expect(state_badge(page)).to_have_text("Draft")
    page.reload()
    expect(state_badge(page)).to_have_text("Draft")
    expect(
        block(page, "actions").get_by_role("button", name="Submit for review")
    ).to_be_visible()


def _post_redirects_back(page: Page, button, flash: str) -> None:
    """Click a form's button with JavaScript off: a plain POST answered 303,
    then the editor again with the flash message."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/desk/articles/" in r.url
    ) as answer:
        button.click()
    assert answer.value.status == 303, answer.value.url
    expect(page).to_have_url(re.compile(r"/desk/articles/\d+(#[\w-]+)?$"))
    expect(page.get_by_role("status").first).to_contain_text(flash)


def test_without_javascript_the_author_flow_works_with_plain_posts(new_context, login):
    page = new_context(java_script_enabled=False).new_page()
    login(page, "author2")
    create_draft(page, unique_title("Choir festival moves indoors"), category="Culture")

    block(page, "summary").get_by_label("Quick summary").fill(
        "The choir festival moves into the town hall after the spring floods."
    )
    _post_redirects_back(
        page,
        block(page, "summary").get_by_role("button", name="Save"),
        "Quick summary saved.",
    )
    expect(page.get_by_label("Quick summary")).to_have_value(
        "The choir festival moves into the town hall after the spring floods."
    )
    for index, body in enumerate(SECTION_BODIES):
        section = block(page, "sections").get_by_role("article").nth(index)
        section.get_by_label("Body").fill(body)
        _post_redirects_back(
            page, section.get_by_role("button", name="Save"), "Section saved."
        )
    for n, point in enumerate(("Indoors.", "Same date.", "Free entry."), start=1):
        takeaways = block(page, "takeaways")
        takeaways.get_by_label("Takeaway", exact=True).last.fill(point)
        _post_redirects_back(
            page,
            takeaways.get_by_role("button", name="Add takeaway"),
            "Takeaway added.",
        )
        expect(takeaways.get_by_role("button", name="Remove")).to_have_count(n)
    faqs = block(page, "faqs")
    faqs.get_by_label("Question", exact=True).last.fill("Is entry still free?")
    faqs.get_by_label("Answer", exact=True).last.fill("Yes.")
    _post_redirects_back(
        page, faqs.get_by_role("button", name="Add question"), "Question added."
    )
    expect(faqs.get_by_label("Question", exact=True).first).to_have_value(
        "Is entry still free?"
    )
    expect(block(page, "checklist")).to_contain_text("No problems found.")
    _post_redirects_back(
        page,
        block(page, "actions").get_by_role("button", name="Submit for review"),
        "Submitted for review.",
    )
    expect(state_badge(page)).to_have_text("In review")
