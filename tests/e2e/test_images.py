"""A lead image in the browser: upload with alt text, caption and credit (htmx
and without JavaScript), then the preview and the published page show it."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from tests.e2e.harness import LiveServer
from tests.e2e.steps import SAVED, block, unique_title, write_article
from tests.e2e.test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.e2e

ALT = "Ferry leaving the harbour at dawn, seen from the pier"


def harbour_jpeg() -> bytes:
    picture = Image.new("RGB", (1600, 900), (30, 80, 140))
    ImageDraw.Draw(picture).rectangle((500, 500, 1100, 650), fill=(240, 240, 240))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def upload(page: Page) -> None:
    lead = block(page, "lead-image")
    lead.get_by_label("Lead image", exact=True).set_input_files(
        files=[
            {"name": "harbour.jpg", "mimeType": "image/jpeg", "buffer": harbour_jpeg()}
        ]
    )
    lead.get_by_label("Alt text").fill(ALT)
    lead.get_by_label("Caption").fill("The first crossing of the new night service.")
    lead.get_by_label("Credit").fill("Photo: Lina Berg")
    lead.get_by_role("button", name="Upload").click()


def loaded(page: Page, selector: str) -> None:
    """The image element is there and the browser decoded the file."""
    img = page.locator(selector)
    expect(img).to_be_visible()
    page.wait_for_function(
        "sel => { const i = document.querySelector(sel);"
        " return i && i.complete && i.naturalWidth > 0; }",
        arg=selector,
    )


def test_author_uploads_and_readers_see_the_figure(
    new_context, login, live_server: LiveServer
):
    made = write_article(live_server, unique_title("Night ferry"), category="Business")
    page = new_context().new_page()
    login(page, "author1")
    page.goto(made.editor)
    upload(page)
    lead = block(page, "lead-image")
    # htmx swapped the block in place: the thumbnail with its alt text.
    expect(lead.get_by_role("status")).to_have_text(SAVED)
    expect(lead.get_by_role("img", name=ALT)).to_be_visible()
    loaded(page, "#lead-image-block figure img")
    expect(block(page, "checklist")).not_to_contain_text("no alt text")
    assert_no_serious_violations(page)

    page.goto(made.editor + "/preview")
    loaded(page, "figure.lead-image img")
    expect(page.locator("figure.lead-image figcaption")).to_contain_text(
        "Photo: Lina Berg"
    )

    editor = new_context().new_page()
    login(editor, "editor1")
    editor.goto(made.editor)
    block(editor, "actions").get_by_role("button", name="Publish", exact=True).click()
    expect(editor.get_by_role("status").first).to_contain_text("Published.")

    reader = new_context().new_page()
    reader.goto(made.public)
    figure = reader.locator("article.story figure.lead-image")
    expect(figure.get_by_role("img", name=ALT)).to_be_visible()
    loaded(reader, "figure.lead-image img")
    expect(figure.locator("figcaption")).to_contain_text(
        "The first crossing of the new night service."
    )
    og = reader.locator('meta[property="og:image"]').get_attribute("content")
    assert og and "/media/" in og
    assert_no_serious_violations(reader)


def test_upload_works_without_javascript(new_context, login, live_server: LiveServer):
    made = write_article(live_server, unique_title("Harbour works"))
    page = new_context(java_script_enabled=False).new_page()
    login(page, "author1")
    page.goto(made.editor)
    upload(page)
    # A plain multipart post: 303 back to the editor, with the flash message.
    expect(page.get_by_role("status").first).to_contain_text("Lead image saved.")
    expect(block(page, "lead-image").get_by_role("img", name=ALT)).to_be_visible()


def test_a_refused_file_says_why_next_to_the_field(page: Page, login, live_server):
    made = write_article(live_server, unique_title("Harbour notes"))
    login(page, "author1")
    page.goto(made.editor)
    lead = block(page, "lead-image")
    lead.get_by_label("Lead image", exact=True).set_input_files(
        files=[
            {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo"}
        ]
    )
    lead.get_by_label("Alt text").fill(ALT)
    lead.get_by_role("button", name="Upload").click()
    expect(page.locator("#lead-image-file-error")).to_have_text(
        "Choose a JPEG, PNG or WebP image."
    )
    expect(lead.get_by_label("Alt text")).to_have_value(ALT)
    assert_no_serious_violations(page)
