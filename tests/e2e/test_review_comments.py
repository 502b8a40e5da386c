"""Reviewing by comments in the browser: an editor queries a sentence, the author
answers, the editor resolves and publishes; the same without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.harness import LiveServer
from tests.e2e.steps import (
    SECTION_BODIES,
    block,
    state_badge,
    unique_title,
    write_article,
)

pytestmark = pytest.mark.e2e

SENTENCE = "A spokesperson said the service would be reviewed after six months."


def signed_in(new_context, login, username: str, **options) -> Page:
    context: BrowserContext = new_context(**options)
    page = context.new_page()
    login(page, username)
    return page


def second_section(page: Page):
    return block(page, "sections").get_by_role("article").nth(1)


def test_editor_comments_author_replies_editor_resolves_and_publishes(
    new_context, login, live_server: LiveServer
):
    made = write_article(
        live_server, unique_title("Ferry adds a night crossing"), state="review"
    )
    assert SECTION_BODIES[1] == SENTENCE

    editor = signed_in(new_context, login, "editor1")
    editor.goto(made.editor)
    section = second_section(editor)
    # Select the sentence in the section's Body, then Add comment: it is quoted.
    body = section.get_by_label("Body", exact=True)
    body.evaluate(
        """(el, words) => { el.focus();
             const at = el.value.indexOf(words);
             el.setSelectionRange(at, at + words.length); }""",
        SENTENCE,
    )
    comments = section.get_by_role("complementary", name=re.compile("^Comments"))
    comments.get_by_role("button", name="Add comment").click()
    expect(comments.get_by_label("Quoted words (optional)")).to_have_value(SENTENCE)
    comments.get_by_label("Comment", exact=True).fill("Who said it? Name them.")
    comments.get_by_role("button", name="Post comment").click()
    expect(comments.get_by_role("status")).to_have_text("Comment posted.")
    thread = comments.get_by_role("listitem").first
    expect(thread.locator("blockquote")).to_have_text(SENTENCE)
    expect(thread).to_contain_text("Who said it? Name them.")
    expect(block(editor, "checklist")).to_contain_text("1 open comment")

    # Open comments are checklist errors for Publish.
    block(editor, "actions").get_by_role("button", name="Publish", exact=True).click()
    expect(block(editor, "actions").get_by_role("alert")).to_be_visible()
    expect(block(editor, "actions")).to_contain_text("Comments: 1 open comment")
    expect(state_badge(editor)).to_have_text("In review")

    # The author, read-only in review, answers.
    author = signed_in(new_context, login, "author1")
    author.goto(made.editor)
    comments = second_section(author).get_by_role(
        "complementary", name=re.compile("^Comments")
    )
    thread = comments.get_by_role("listitem").first
    expect(thread).to_contain_text("Who said it? Name them.")
    thread.get_by_role("button", name="Reply", exact=True).click()
    thread.get_by_label("Reply", exact=True).fill(
        "Jo Berg, the operator's spokesperson."
    )
    thread.get_by_role("button", name="Post reply").click()
    expect(comments.get_by_role("status")).to_have_text("Reply posted.")
    expect(comments.locator(".reply")).to_have_text(
        re.compile("Jo Berg, the operator's spokesperson.")
    )

    # The editor sees the answer, resolves, and publishes.
    editor.reload()
    comments = second_section(editor).get_by_role(
        "complementary", name=re.compile("^Comments")
    )
    expect(comments.locator(".reply")).to_contain_text("Jo Berg")
    comments.get_by_role("button", name="Resolve").click()
    expect(comments.get_by_role("button", name="Reopen")).to_be_visible()
    expect(comments.locator(".resolved-note")).to_contain_text("Resolved by")
    expect(block(editor, "checklist")).not_to_contain_text("open comment")
    block(editor, "actions").get_by_role("button", name="Publish", exact=True).click()
    expect(editor.get_by_role("status").first).to_contain_text("Published.")
    expect(state_badge(editor)).to_have_text("Published")


def test_comments_without_javascript(new_context, login, live_server: LiveServer):
    made = write_article(live_server, unique_title("Library opens on Sundays"))
    author = signed_in(new_context, login, "author1", java_script_enabled=False)
    author.goto(made.editor)
    comments = block(author, "summary").get_by_role(
        "complementary", name=re.compile("^Comments")
    )
    # No script: the form is simply there, and `Add comment` (a script
    # control) is not.
    expect(comments.get_by_role("button", name="Add comment")).to_have_count(0)
    comments.get_by_label("Comment", exact=True).fill("Check the opening hours.")
    comments.get_by_role("button", name="Post comment").click()
    expect(author).to_have_url(
        re.compile(rf"/desk/articles/{made.id}#comments-summary$")
    )
    expect(author.get_by_role("status").first).to_contain_text("Comment posted.")
    comments = block(author, "summary").get_by_role(
        "complementary", name=re.compile("^Comments")
    )
    comments.get_by_role("button", name="Resolve").click()
    expect(author.get_by_role("status").first).to_contain_text("Comment resolved.")
    expect(
        block(author, "summary").get_by_role("button", name="Reopen")
    ).to_be_visible()
