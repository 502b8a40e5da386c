"""Demo content (PRODUCT.md section 7): users, categories and articles.

All text is our own, assembled from a few invented stories per category so a
newcomer sees every part of the product. Articles go through the real editing
and workflow functions, so they pass the same checklist as real copy.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from editorial.domain import accounts, demo_images, editing, images, workflow
from editorial.domain.models import Article, Category, Role, User, utcnow
from editorial.domain.rendering import slugify
from editorial.domain.storage import MediaStorage

DEMO_USERS = (
    ("author1", "Amara Okafor", Role.AUTHOR),
    ("author2", "Jonas Lindqvist", Role.AUTHOR),
    ("editor1", "Elena Marquez", Role.EDITOR),
    ("admin", "Sam Whitfield", Role.ADMIN),
)

# (category, how many published, story seeds). One category holds 25 pieces so
# its page shows pagination.
CATEGORIES: tuple[tuple[str, int, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "Politics",
        5,
        (
            ("City council", "approves a two-year transit budget", "transit"),
            ("Regional assembly", "delays its vote on housing rules", "housing"),
            ("Election board", "publishes new polling station maps", "voting"),
            ("Mayor's office", "names an independent ethics adviser", "ethics"),
            ("Parliament committee", "opens hearings on water prices", "water"),
        ),
    ),
    (
        "Business",
        5,
        (
            ("Harbor Freight Lines", "adds three routes to northern ports", "shipping"),
            ("Greenfield Dairy", "opens a cooperative processing plant", "farming"),
            ("Lumen Retail", "closes twelve stores and expands delivery", "retail"),
            ("Northbank", "raises savings rates for small firms", "banking"),
            ("Pinecrest Mills", "signs a wage deal with its workers", "labour"),
        ),
    ),
    (
        "Technology",
        25,
        tuple(
            (
                company,
                action,
                "software",
            )
            for company in (
                "Brightwave",
                "Quillstack",
                "Orbitel",
                "Nimbus Labs",
                "Cobalt Systems",
            )
            for action in (
                "releases an open-source translation tool",
                "fixes a flaw in its home router firmware",
                "moves its data centres to renewable power",
                "launches a privacy dashboard for its users",
                "cuts the price of its developer plan",
            )
        ),
    ),
    (
        "Science",
        5,
        (
            ("Coastal Institute", "maps seagrass meadows with drones", "ecology"),
            ("University hospital", "trials a faster sepsis test", "medicine"),
            ("Observatory team", "tracks a bright comet's return", "astronomy"),
            ("Soil researchers", "find carbon gains in mixed crops", "agronomy"),
            ("Glacier survey", "records a third year of retreat", "climate"),
        ),
    ),
    (
        "Sport",
        5,
        (
            ("Riverside United", "signs its academy captain", "football"),
            ("National rowing squad", "names its crew for the regatta", "rowing"),
            ("City marathon", "adds a wheelchair division", "athletics"),
            ("Women's cycling tour", "extends its route to the coast", "cycling"),
            ("Youth chess league", "doubles its club membership", "chess"),
        ),
    ),
    (
        "Culture",
        5,
        (
            ("Old Mill Theatre", "reopens after a two-year renovation", "theatre"),
            ("Municipal library", "extends its evening opening hours", "libraries"),
            ("Folk music festival", "announces a smaller, greener edition", "music"),
            ("Harbour museum", "returns a carved canoe to its makers", "museums"),
            ("Film archive", "restores a silent comedy from 1924", "film"),
        ),
    ),
)


@dataclass
class DemoResult:
    passwords: dict[str, str]
    published: int
    drafts: int
    in_review: int


def seed(
    session: Session,
    *,
    password: str | None = None,
    now: datetime | None = None,
    hash_method: str = "scrypt",
    storage: MediaStorage | None = None,
) -> DemoResult:
    """Create the demo users, categories and articles in an empty database.

    With a `storage`, complete articles get their category's drawn lead image
    (each picture processed once, then reused from the media library).
    """
    if session.scalar(select(func.count()).select_from(Article)):
        raise RuntimeError("The database already has articles; demo data not added.")
    now = now or utcnow()
    passwords: dict[str, str] = {}
    users: dict[str, User] = {}
    for username, name, role in DEMO_USERS:
        existing = session.scalar(select(User).where(User.username == username))
        if existing is not None:
            users[username] = existing
            continue
        secret = password or secrets.token_urlsafe(12)
        passwords[username] = secret
        users[username] = accounts.create_user(
            session,
            username=username,
            display_name=name,
            password=secret,
            role=role,
            method=hash_method,
        )
    editor = users["editor1"]
    authors = [users["author1"], users["author2"]]

    pictures = _Pictures(session, storage)
    published = 0
    stories: list[tuple[Category, tuple[str, str, str]]] = []
    for position, (name, count, seeds) in enumerate(CATEGORIES):
        category = session.scalar(select(Category).where(Category.name == name))
        if category is None:
            category = Category(name=name, slug=slugify(name), position=position)
            session.add(category)
            session.flush()
        stories.extend((category, s) for s in seeds[:count])

    # Spread publications over the past five weeks, oldest first.
    for index, (category, story) in enumerate(stories):
        author = authors[index % 2]
        when = now - timedelta(hours=6 * (len(stories) - index) + 3)
        article = _write(session, author, category, story, index, when)
        pictures.add(article, author)
        workflow.apply(
            session,
            article,
            "submit",
            author,
            expected_version=article.version,
            now=when + timedelta(minutes=20),
        )
        workflow.apply(
            session,
            article,
            "publish",
            editor,
            expected_version=article.version,
            now=when + timedelta(hours=1),
        )
        published += 1

    # A few drafts (one with an obvious lost value for the checklist to flag)
    # and one article waiting for review.
    by_name = {c.name: c for c, _ in stories}
    tech, politics, culture = (
        by_name["Technology"],
        by_name["Politics"],
        by_name["Culture"],
    )
    drafts = [
        _write(
            session,
            authors[0],
            politics,
            ("Transport authority", "weighs a night bus pilot", "transit"),
            100,
            now - timedelta(hours=5),
        ),
        _write(
            session,
            authors[1],
            tech,
            ("Quillstack", "tests offline mode for its editor", "software"),
            101,
            now - timedelta(hours=4),
        ),
    ]
    rough = _write(
        session,
        authors[0],
        culture,
        ("Puppet theatre", "plans a touring season", "theatre"),
        102,
        now - timedelta(hours=3),
        complete=False,
    )
    for draft in drafts:
        pictures.add(draft, draft.author)
    drafts.append(rough)
    review = _write(
        session,
        authors[1],
        politics,
        ("Ombudsman", "reports a rise in housing complaints", "housing"),
        103,
        now - timedelta(hours=2),
    )
    pictures.add(review, authors[1])
    workflow.apply(
        session,
        review,
        "submit",
        authors[1],
        expected_version=review.version,
        now=now - timedelta(hours=1),
    )
    return DemoResult(passwords, published, len(drafts), 1)


class _Pictures:
    """Each category's demo picture: uploaded for its first article, reused after."""

    def __init__(self, session: Session, storage: MediaStorage | None) -> None:
        self.session = session
        self.storage = storage
        self.media_ids: dict[int, int] = {}

    def add(self, article: Article, user: User) -> None:
        if self.storage is None:
            return
        session = self.session
        session.refresh(article)
        known = self.media_ids.get(article.category_id)
        if known is not None:
            images.use_as_lead(
                session,
                article,
                user,
                known,
                expected_version=article.lead_image_version,
            )
            return
        picture = demo_images.picture_for(article.category.name)
        if picture is None:
            return
        images.attach_upload(
            session,
            self.storage,
            article,
            user,
            expected_version=article.lead_image_version,
            data=picture.data,
            filename=picture.filename,
            alt=picture.alt,
            caption=picture.caption,
            credit=picture.credit,
        )
        session.refresh(article)
        self.media_ids[article.category_id] = article.lead_image_id


def _write(
    session: Session,
    author: User,
    category: Category,
    story: tuple[str, str, str],
    index: int,
    when: datetime,
    *,
    complete: bool = True,
) -> Article:
    """Create and fill one article through the editing functions."""
    subject, action, topic = story
    title = f"{subject} {action}"
    article = editing.create_article(
        session, author, title=title, category_id=category.id, now=when
    )
    day = (when - timedelta(days=1)).strftime("%A")
    editing.update_summary(
        session,
        article,
        author,
        expected_version=article.summary_version,
        summary=(
            f"{subject} {action}, a decision that matters to readers who follow "
            f"{topic}. We explain what changed on {day}, who is affected and "
            "what comes next."
        ),
        now=when,
    )
    bodies = (
        (
            f"{subject} {action}, according to a statement released on {day}. "
            f"The change was confirmed by two people familiar with the plan.\n\n"
            f"- It takes effect within the next month.\n"
            f"- It covers the whole region, not only the capital."
        ),
        (
            "A spokesperson said the decision was “the result of a long and open "
            "consultation” and that critics would be heard. The statement did "
            "not give a cost estimate."
        ),
        (
            f"The next review is planned for the spring. Local groups working on "
            f"{topic} have asked for a public meeting before then, and the "
            "organisers said they would *publish the minutes* online."
        ),
        (
            f"This is the latest in a series of changes affecting {topic} this "
            f"year. Readers can find our earlier coverage in the {category.name} "
            "section."
        ),
    )
    if not complete:
        bodies = (
            "The theatre announced the tour on , without naming the venues.",
            "",
            "",
            "",
        )
    for section, body in zip(article.sections, bodies, strict=True):
        if body:
            editing.update_section(
                session,
                article,
                author,
                section.id,
                expected_version=section.version,
                heading=section.heading,
                body=body,
                now=when,
            )
    if complete:
        for n, text in enumerate(
            (
                f"{subject} {action}.",
                f"The change affects people who follow {topic} across the region.",
                "A public review is planned for the spring.",
            )
        ):
            session.refresh(article)
            editing.add_takeaway(
                session,
                article,
                author,
                expected_version=article.takeaways_version,
                text=text,
                now=when + timedelta(seconds=n),
            )
        session.refresh(article)
        editing.add_faq(
            session,
            article,
            author,
            expected_version=article.faqs_version,
            question=f"When does the change to {topic} take effect?",
            answer="Within the next month, according to the statement.",
            now=when,
        )
        session.refresh(article)
        editing.add_faq(
            session,
            article,
            author,
            expected_version=article.faqs_version,
            question="Where can readers follow the review?",
            answer=f"Our {category.name} section will report on each meeting.",
            now=when,
        )
    session.refresh(article)
    return article
