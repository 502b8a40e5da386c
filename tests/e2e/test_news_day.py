"""The news day in the browser (PRODUCT.md section 10): an editor schedules an
article, a real scheduler process publishes it at its minute; corrections and
typo fixes as readers see them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update

from editorial.domain.models import Article, utcnow
from editorial.extensions import db
from tests.e2e.harness import LiveServer
from tests.e2e.steps import block, state_badge, unique_title, write_article
from tests.e2e.test_review_and_publish import (
    act,
    last_updated,
    save_summary,
    signed_in,
    summary_text,
)

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
BERLIN = ZoneInfo("Europe/Berlin")


def site_minute(minutes_ahead: int) -> str:
    """A `datetime-local` value `minutes_ahead` from now, in the site's zone."""
    return (datetime.now(BERLIN) + timedelta(minutes=minutes_ahead)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def schedule(page: Page, when: str) -> None:
    actions = block(page, "actions")
    expect(actions.get_by_text("Site time: Europe/Berlin")).to_be_visible()
    actions.get_by_label("Publish at").fill(when)
    actions.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Scheduled: it publishes")


def start_scheduler(live: LiveServer) -> subprocess.Popen:
    """A real `flask scheduler` on the live server's database and instance folder."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=live.app.config["SQLALCHEMY_DATABASE_URI"],
        EDITORIAL_INSTANCE_PATH=live.app.instance_path,
        SITE_TIMEZONE="Europe/Berlin",
        SECRET_KEY="e2e-only-secret",
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)  # the live server keeps its cache in-process
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "editorial", "scheduler"]
        + ["--tick", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.timeout(240)
def test_an_editor_schedules_and_it_publishes_with_nobody_at_the_desk(
    new_context, login, live_server: LiveServer
):
    made = write_article(
        live_server, unique_title("Night ferry starts on the minute"), state="review"
    )
    editor = signed_in(new_context, login, "editor1")
    editor.goto(made.editor)

    # Schedule, change one's mind, schedule again.
    schedule(editor, site_minute(2))
    expect(state_badge(editor)).to_have_text("Scheduled")
    block(editor, "actions").get_by_role("button", name="Unschedule").click()
    expect(editor.get_by_role("status").first).to_contain_text("Unscheduled")
    expect(state_badge(editor)).to_have_text("Draft")
    schedule(editor, site_minute(2))
    expect(state_badge(editor)).to_have_text("Scheduled")
    expect(editor.locator(".scheduled-for")).to_contain_text("Publishes at")
    # Read-only while scheduled: no block offers a Save.
    expect(block(editor, "summary").get_by_role("button", name="Save")).to_have_count(0)

    editor.goto("/desk/")
    group = editor.get_by_role("region", name="Scheduled")
    expect(group.get_by_role("link", name=made.title)).to_be_visible()

    reader = new_context().new_page()
    response = reader.goto(made.public)
    assert response is not None and response.status == 404

    # Fast-forward the clock: the minute has come (the form only takes the
    # future, so the test moves the stored minute).
    with live_server.app.app_context():
        db.session.execute(
            update(Article)
            .where(Article.id == made.id)
            .values(publish_at=utcnow().replace(microsecond=0) - timedelta(seconds=1))
        )
        db.session.commit()
        db.session.remove()
    process = start_scheduler(live_server)
    try:
        status = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            response = reader.goto(made.public)
            status = response.status if response else None
            if status == 200:
                break
            time.sleep(0.5)
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=30)
    assert status == 200, out
    expect(reader.get_by_role("heading", level=1)).to_have_text(made.title)
    assert summary_text(reader) == made.summary
    expect(reader.get_by_role("heading", name="Key Takeaways")).to_be_visible()
    editor.goto(made.editor)
    expect(state_badge(editor)).to_have_text("Published")
    editor.goto(f"{made.editor}/history")
    expect(editor.get_by_role("cell", name="Published as scheduled")).to_be_visible()


def test_a_correction_shows_its_note_and_moves_last_updated_a_typo_fix_does_not(
    new_context, login, live_server: LiveServer
):
    made = write_article(
        live_server,
        unique_title("Harbour fees rise in spring"),
        state="published",
        when=utcnow() - timedelta(hours=3),
    )
    reader = new_context().new_page()
    reader.goto(made.public)
    first_updated = last_updated(reader)
    editor = signed_in(new_context, login, "editor1")
    editor.goto(made.editor)

    typo_fixed = made.summary.replace("adds a late service", "adds one late service")
    save_summary(editor, typo_fixed)
    block(editor, "actions").get_by_label("Typo fix").check()
    act(editor, "Publish update", "Update published.")
    reader.reload()
    assert summary_text(reader) == typo_fixed
    assert last_updated(reader) == first_updated
    expect(reader.get_by_role("heading", name="Correction", exact=True)).to_have_count(
        0
    )

    corrected = "Harbour fees rise by 4 per cent in spring, not 6 per cent."
    save_summary(editor, corrected)
    actions = block(editor, "actions")
    actions.get_by_label("Correction", exact=True).check()
    # A correction without its note is refused, with the message by the field.
    actions.get_by_role("button", name="Publish update").click()
    expect(
        block(editor, "actions").get_by_text("Correction note is required.")
    ).to_be_visible()
    editor.reload()  # the first update's flash must not answer for the next one
    actions = block(editor, "actions")
    actions.get_by_label("Correction", exact=True).check()
    actions.get_by_label("Correction note").fill(
        "An earlier version of this article said the fees rise by 6 per cent."
    )
    act(editor, "Publish update", "Update published.")

    reader.reload()
    assert summary_text(reader) == corrected
    region = reader.get_by_role("region", name="Correction", exact=True)
    expect(region.get_by_role("heading", name="Correction", exact=True)).to_be_visible()
    expect(region).to_contain_text(
        "An earlier version of this article said the fees rise by 6 per cent."
    )
    assert datetime.fromisoformat(last_updated(reader)) > datetime.fromisoformat(
        first_updated
    )
    ledger = new_context().new_page()
    ledger.goto("/corrections")
    expect(ledger.get_by_role("heading", level=1)).to_have_text("Corrections")
    expect(ledger.get_by_role("link", name=made.title)).to_be_visible()
