"""Two people on one article: each sees the other and the block they are in,
and stops seeing them once they leave."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import LiveServer
from tests.e2e.steps import block, unique_title, write_article

pytestmark = pytest.mark.e2e


def test_two_editors_see_each_other_and_the_block_they_are_in(
    new_context, login, live_server: LiveServer
):
    made = write_article(live_server, unique_title("Tram line reopens"))
    editor = new_context().new_page()
    login(editor, "editor1")
    author = new_context().new_page()
    login(author, "author1")
    editor.goto(made.editor)
    author.goto(made.editor)

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
