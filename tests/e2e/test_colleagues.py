"""Two people on one article: each sees the other and the block they are in,
and stops seeing them once they leave."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import LiveServer
from tests.e2e.steps import SAVED, block, unique_title, write_article

pytestmark = pytest.mark.e2e


def _editor_and_author_on(url: str, new_context, login) -> tuple[Page, Page]:
    """editor1 and author1, each in a context of their own, on one editor page."""
    pages = []
    for username in ("editor1", "author1"):
        page = new_context().new_page()
        login(page, username)
        page.goto(url)
        pages.append(page)
    return pages[0], pages[1]


def test_two_editors_see_each_other_and_the_block_they_are_in(
    new_context, login, live_server: LiveServer
):
    made = write_article(live_server, unique_title("Tram line reopens"))
    editor, author = _editor_and_author_on(made.editor, new_context, login)

    block(author, "summary").get_by_label("Quick summary").focus()
    block(editor, "sections").get_by_role("article").first.get_by_label("Body").focus()

    # Polled every 10 s and at once when the writer moves to another block.
    seen_by_editor = editor.locator("#presence")
    seen_by_author = author.locator("#presence")
    expect(seen_by_editor).to_contain_text("Also here:", timeout=20_000)
    expect(seen_by_editor).to_contain_text("(Quick summary)", timeout=20_000)
    expect(seen_by_author).to_contain_text("Also here:", timeout=20_000)
    expect(seen_by_author).to_contain_text("(Section 1", timeout=20_000)
    assert "Elena Marquez" in seen_by_author.inner_text()

    author.close()  # the goodbye beacon, else the 60 s expiry
    expect(seen_by_editor).not_to_contain_text("Also here:", timeout=20_000)


def test_two_writers_on_different_paragraphs_are_merged(
    new_context, login, live_server: LiveServer
):
    made = write_article(live_server, unique_title("Ferry strike ends"))
    editor, author = _editor_and_author_on(made.editor, new_context, login)
    first = "The strike ended on Friday.\n\nTalks resume in May."

    # Both start from the same version of the first section.
    mine = block(editor, "sections").get_by_role("article").first
    theirs = block(author, "sections").get_by_role("article").first
    mine.get_by_label("Body").fill(first)
    expect(mine.get_by_role("status")).to_have_text(SAVED)
    # The author's page still holds the older version; they change another
    # paragraph of the same body: the later save keeps both.
    original = theirs.get_by_label("Body").input_value()
    theirs.get_by_label("Body").fill(original + "\n\nA new closing paragraph.")
    merged = block(author, "sections").get_by_role("article").first
    expect(merged.get_by_role("status")).to_have_text(
        "Merged with changes by Elena Marquez"
    )
    body = merged.get_by_label("Body").input_value()
    assert "A new closing paragraph." in body
    assert "Talks resume in May." in body  # the editor's words are kept too
    author.reload()
    body = block(author, "sections").get_by_role("article").first.get_by_label("Body")
    expect(body).to_have_value(re.compile("A new closing paragraph."))
