"""Steps the browser tests share: unique titles, a new draft, the editor's blocks,
and articles written straight through the domain functions for tests whose
subject starts later in an article's life.

Controls are found by the exact labels of PRODUCT.md section 6; the editor's
blocks are told apart by their element ids (`#summary-block`, `#takeaways-block`,
…), since every block has its own `Save`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from editorial.domain import editing, workflow
from editorial.domain.models import Category, User, utcnow
from editorial.extensions import db
from tests.e2e.harness import LiveServer

_numbers = count(1)

# The blocks that reload themselves after any save (hx-trigger checklist-changed).
RELOADING_PANELS = {"actions-block", "checklist-block"}
# A block's status line after a save: "Saved" and the time (site time zone).
SAVED = re.compile(r"^Saved \d\d:\d\d$")

SECTION_BODIES = (
    "The ferry operator confirmed the timetable in a letter to passengers "
    "sent on Monday.\n\n- Crossings start at 22:00.\n- Tickets cost the same.",
    "A spokesperson said the service would be reviewed after six months.",
    "The first night crossing runs next week; a review follows in the spring.",
    "The harbour lost its late service three years ago when the old boat retired.",
)
TAKEAWAYS = (
    "The operator adds a night crossing next week.",
    "Fares stay the same as for day crossings.",
    "The service is reviewed after six months.",
)
QUESTIONS = (
    ("When does the first night crossing run?", "Next week, at 22:00."),
    ("Do night tickets cost more?", "No, they cost the same as day tickets."),
)


def unique_title(prefix: str) -> str:
    """Tests share one database: every article they create gets its own title."""
    return f"{prefix} {next(_numbers)}"


def create_draft(page: Page, title: str, category: str = "Science") -> int:
    """Dashboard → `New article` → Title and Category → the new draft's editor."""
    page.goto("/desk/")
    page.get_by_role("main").get_by_role("link", name="New article").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Category").select_option(label=category)
    page.get_by_label("Title").press("Enter")
    expect(page).to_have_url(re.compile(r"/desk/articles/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return int(page.url.rsplit("/", 1)[1])


def htmx_ready(page: Page) -> None:
    """Wait until htmx has run (it is deferred): a click before that is a plain
    form post, which reloads the page."""
    page.wait_for_function(
        "() => window.htmx !== undefined && document.readyState !== 'loading'"
    )


def block(page: Page, name: str) -> Locator:
    """One editor block by its id: summary, sections, takeaways, faqs, actions,
    checklist, meta, or section-<id>."""
    return page.locator(f"#{name}-block")


def state_badge(page: Page) -> Locator:
    return block(page, "actions").locator(".badge")


def article_address(page: Page) -> str:
    """The public address the editor shows (`/articles/<slug>`)."""
    return page.locator("#article-address").inner_text().strip()


def mark_blocks(page: Page) -> None:
    """Tag every editor block element, to tell later which ones were replaced."""
    page.evaluate(
        """() => document.querySelectorAll('[id$="-block"]')
               .forEach(el => { el.__e2eKept = true; })"""
    )


def replaced_blocks(page: Page) -> set[str]:
    """Ids of the blocks on the page whose element is new since mark_blocks."""
    return set(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('[id$="-block"]'))
                   .filter(el => !el.__e2eKept).map(el => el.id)"""
        )
    )


def item_values(container: Locator, label: str) -> list[str]:
    """The values of the saved items' `label` fields (the last one is "add")."""
    fields = container.get_by_label(label, exact=True)
    values = [fields.nth(i).input_value() for i in range(fields.count())]
    return values[:-1]


# --- articles written through the domain, for tests that start later on ----------


@dataclass(frozen=True)
class Made:
    id: int
    slug: str
    title: str
    summary: str

    @property
    def editor(self) -> str:
        return f"/desk/articles/{self.id}"

    @property
    def public(self) -> str:
        return f"/articles/{self.slug}"


def write_article(
    live: LiveServer,
    title: str,
    *,
    author: str = "author1",
    state: str = "draft",
    category: str = "Science",
    when: datetime | None = None,
) -> Made:
    """A complete article (passes the checklist) in `state`: draft, review or
    published; written, submitted and published `when` (default: 2 hours ago)."""
    when = when or utcnow() - timedelta(hours=2)
    summary = f"{title}: the operator adds a late service, with fares unchanged."
    with live.app.app_context():
        session = db.session
        writer = session.scalar(select(User).where(User.username == author))
        editor = session.scalar(select(User).where(User.username == "editor1"))
        cat = session.scalar(select(Category).where(Category.name == category))
        assert writer and editor and cat, "demo content is missing"
        article = editing.create_article(
            session, writer, title=title, category_id=cat.id, now=when
        )
        editing.update_summary(
            session,
            article,
            writer,
            expected_version=article.summary_version,
            summary=summary,
            now=when,
        )
        for section, body in zip(article.sections, SECTION_BODIES, strict=True):
            editing.update_section(
                session,
                article,
                writer,
                section.id,
                expected_version=section.version,
                heading=section.heading,
                body=body,
                now=when,
            )
        for text in TAKEAWAYS:
            session.refresh(article)
            editing.add_item(
                session,
                article,
                writer,
                "takeaways",
                expected_version=article.takeaways_version,
                now=when,
                values={"takeaway": text},
            )
        for question, answer in QUESTIONS:
            session.refresh(article)
            editing.add_item(
                session,
                article,
                writer,
                "faqs",
                expected_version=article.faqs_version,
                now=when,
                values={"question": question, "answer": answer},
            )
        session.refresh(article)
        if state in ("review", "published"):
            workflow.apply(
                session,
                article,
                "submit",
                writer,
                expected_version=article.version,
                now=when,
            )
        if state == "published":
            workflow.apply(
                session,
                article,
                "publish",
                editor,
                expected_version=article.version,
                now=when,
            )
        session.commit()
        made = Made(article.id, article.slug, article.title, summary)
        session.remove()
    return made


# --- htmx: which blocks a request replaced ---------------------------------------


def wait_replaced(page: Page, *ids: str) -> None:
    """Wait until each element `ids` names is a new one (swapped in since the
    last mark_blocks)."""
    page.wait_for_function(
        """ids => ids.every(id => {
               const el = document.getElementById(id);
               return el && !el.__e2eKept; })""",
        arg=list(ids),
    )


def expect_only_block_replaced(page: Page, block_id: str) -> None:
    """After a save: the checklist and workflow panels reloaded themselves, no
    block but `block_id` was swapped (an autosave swaps only its status line,
    a Save only the blocks it saved), and `window.__marker` (which the caller
    set once at the start) survived. Marks again."""
    wait_replaced(page, *RELOADING_PANELS)
    replaced = replaced_blocks(page) - RELOADING_PANELS
    assert replaced <= {block_id}, (
        f"expected at most #{block_id} to be swapped, got {sorted(replaced)}"
        " (a full page load replaces every block)"
    )
    assert page.evaluate("() => window.__marker") == 1, "the page was reloaded"
    mark_blocks(page)
