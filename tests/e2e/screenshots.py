"""Screenshots of the desk and the reader site, for people to look at.

    python -m tests.e2e.screenshots [--out screenshots]

Starts the same live server as the browser tests (fresh database, demo content),
signs in as editor1 and captures the login page, dashboard, editor, preview,
history, article, home, category and search pages, whole-page, at 1280×800 and
390×844, as <out>/<page>-<width>x<height>.png. A page that answers 404 on this
branch (not built yet) is reported and left out.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, sync_playwright
from sqlalchemy import select

from editorial.domain.models import Article, Category, State
from editorial.extensions import db
from tests.e2e import harness

VIEWPORTS = (harness.DESKTOP, harness.PHONE)


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    signed_in: bool


def plan(live: harness.LiveServer) -> list[Shot]:
    """Which pages to capture, with ids and slugs taken from the demo content."""
    with live.app.app_context():
        in_review = db.session.scalar(
            select(Article).where(Article.state == State.REVIEW).limit(1)
        )
        published = db.session.scalar(
            select(Article)
            .where(Article.state == State.PUBLISHED)
            .order_by(Article.last_published_at.desc())
            .limit(1)
        )
        category = db.session.scalar(
            select(Category).order_by(Category.position).limit(1)
        )
        assert in_review and published and category, "demo content is missing"
        desk = f"/desk/articles/{in_review.id}"
        shots = [
            Shot("dashboard", "/desk/", True),
            Shot("editor", desk, True),
            Shot("preview", f"{desk}/preview", True),
            Shot("history", f"{desk}/history", True),
            Shot("article", f"/articles/{published.slug}", False),
            Shot("home", "/", False),
            Shot("category", f"/categories/{category.slug}", False),
            Shot("search", "/search?q=council", False),
        ]
        db.session.remove()
    return shots


def capture(context: BrowserContext, shot: Shot, out: Path, size: str) -> bool:
    """Open the page and save it; False when the page does not exist yet."""
    page = context.new_page()
    try:
        response = page.goto(shot.path)
        status = response.status if response else 0
        if status == 404:
            print(f"skip  {shot.name} ({shot.path}): 404 on this branch")
            return False
        target = out / f"{shot.name}-{size}.png"
        page.screenshot(path=str(target), full_page=True)
        print(f"saved {target} ({status})")
        return True
    finally:
        page.close()


def run(out: Path) -> int:
    if not harness.chromium_available():
        print(f"chromium is not installed at {harness.CHROMIUM}; run `make browser`.")
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="editorial-shots-") as tmp:
        live = harness.start(harness.build_app(Path(tmp) / "screenshots.sqlite"))
        try:
            shots = plan(live)
            with sync_playwright() as playwright:
                browser = harness.launch(playwright)
                for viewport in VIEWPORTS:
                    size = f"{viewport['width']}x{viewport['height']}"
                    reader = browser.new_context(base_url=live.url, viewport=viewport)
                    desk = browser.new_context(base_url=live.url, viewport=viewport)
                    for context in (reader, desk):
                        context.set_default_timeout(harness.TIMEOUT_MS)
                    capture(reader, Shot("login", "/login", False), out, size)
                    login_page = desk.new_page()
                    harness.log_in(login_page, "editor1")
                    login_page.close()
                    for shot in shots:
                        capture(desk if shot.signed_in else reader, shot, out, size)
                    reader.close()
                    desk.close()
                browser.close()
        finally:
            live.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path("screenshots"), help="folder to write to"
    )
    return run(parser.parse_args(argv).out)


if __name__ == "__main__":
    sys.exit(main())
