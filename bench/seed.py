"""Seed a fresh database with N published articles, every block filled.

    python bench/seed.py --database-url sqlite:///bench/out/bench-1000.sqlite \
        --articles 1000 --reset

The schema comes from the real migrations (flask_migrate.upgrade); users are made
with the real account functions; the articles, their working copies, revisions
and transitions go in with bulk inserts on the raw driver connection
(executemany on SQLite, COPY on PostgreSQL), because 100,000 articles through the
ORM would take far longer than the three minutes the issue allows.

Every article is consistent with what the workflow writes on `Publish`: one
revision holding its ArticleContent JSON, published_revision_id pointing at it,
the published_* list fields, first/last_published_at, and each category's
last_published_at set to its freshest publication. When a `search_documents`
table exists it is filled too, and SQLite FTS5 tables are rebuilt.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, inspect, select, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

DEFAULT_PASSWORD = "bench-password-1"
EDITOR = "editor1"

CATEGORIES = (
    "Politics",
    "Business",
    "Technology",
    "Science",
    "Sport",
    "Culture",
    "World",
    "Health",
)

USERS = (
    ("admin", "Sam Whitfield", "admin"),
    ("editor1", "Elena Marquez", "editor"),
    ("editor2", "Tomasz Nowak", "editor"),
    ("author1", "Amara Okafor", "author"),
    ("author2", "Jonas Lindqvist", "author"),
    ("author3", "Priya Raman", "author"),
    ("author4", "Lucas Moreau", "author"),
    ("author5", "Hana Sato", "author"),
)

SUBJECTS = (
    "City council",
    "Regional assembly",
    "Election board",
    "Mayor's office",
    "Parliament committee",
    "Harbor Freight Lines",
    "Greenfield Dairy",
    "Lumen Retail",
    "Northbank",
    "Pinecrest Mills",
    "Brightwave",
    "Quillstack",
    "Orbitel",
    "Nimbus Labs",
    "Cobalt Systems",
    "Coastal Institute",
    "University hospital",
    "Observatory team",
    "Soil researchers",
    "Glacier survey",
    "Riverside United",
    "National rowing squad",
    "City marathon",
    "Youth chess league",
    "Old Mill Theatre",
    "Municipal library",
    "Folk music festival",
    "Harbour museum",
    "Film archive",
    "Transport authority",
    "Water utility",
    "Teachers' union",
)
ACTIONS = (
    "approves a two-year budget",
    "delays its vote on new rules",
    "publishes revised maps",
    "names an independent adviser",
    "opens public hearings",
    "adds three new routes",
    "opens a cooperative plant",
    "expands its delivery service",
    "raises rates for small firms",
    "signs a new wage deal",
    "releases an open-source tool",
    "fixes a flaw in its firmware",
    "moves to renewable power",
    "launches a privacy dashboard",
    "cuts the price of its main plan",
    "maps meadows with drones",
    "trials a faster test",
    "tracks a bright comet",
    "reports gains in mixed crops",
    "records a third year of retreat",
    "signs its academy captain",
    "extends its opening hours",
    "announces a greener edition",
    "restores a silent comedy",
)
TOPICS = (
    "transit",
    "housing",
    "voting",
    "ethics",
    "water",
    "shipping",
    "farming",
    "retail",
    "banking",
    "labour",
    "software",
    "energy",
    "privacy",
    "ecology",
    "medicine",
    "astronomy",
    "agronomy",
    "climate",
    "football",
    "rowing",
    "athletics",
    "theatre",
    "libraries",
    "music",
    "museums",
    "film",
    "schools",
    "health",
)
PLACES = (
    "the northern district",
    "the harbour quarter",
    "the river valley",
    "the old town",
    "the eastern suburbs",
    "the coastal villages",
    "the university district",
    "the market square area",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
HEADINGS = (
    "What Happened / Key Details",
    "Official Position / Company Statement",
    "Timeline / What's Next",
    "Context / Background",
)

# Shadow tables SQLite creates for an FTS5 table; they are not ours to fill.
_FTS_SHADOW = ("_data", "_idx", "_content", "_docsize", "_config")


@dataclass
class SeedReport:
    """What a seeding run did, and how long each part took."""

    url: str
    articles: int
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    search_table: str | None = None
    fts_rebuilt: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"seeded {self.articles:,} published articles in {self.seconds:.1f} s "
            f"({self.url})"
        ]
        out += [f"  {name}: {secs:.1f} s" for name, secs in self.phases.items()]
        if self.search_table:
            out.append(f"  search documents: {self.search_table} filled")
        if self.fts_rebuilt:
            out.append(f"  FTS5 rebuilt: {', '.join(self.fts_rebuilt)}")
        out += [f"  note: {n}" for n in self.notes]
        return out


def normalise_url(url: str) -> str:
    """postgres:// and postgresql:// go through psycopg 3, as the app does."""
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of a sqlite:/// URL, or None for other databases."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///"))


def make_app(url: str, **overrides: Any):  # a Flask app
    """The real app on this database, with nothing that needs a server."""
    from editorial import create_app

    config = {
        "SQLALCHEMY_DATABASE_URI": normalise_url(url),
        "CACHE_TYPE": "NullCache",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    config.update(overrides)
    with warnings.catch_warnings():
        # NullCache on purpose: seeding needs no cache (nor a Redis server).
        warnings.filterwarnings("ignore", message="Flask-Caching: CACHE_TYPE")
        return create_app(config)


def migrations_head() -> str | None:
    """The newest migration on this checkout."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(ROOT / "editorial" / "migrations")).get_current_head()


def is_seeded(url: str, articles: int) -> bool:
    """True when this database holds a finished seeding of `articles` at head."""
    url = normalise_url(url)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            if not {"alembic_version", "articles", "bench_seed"} <= names:
                return False
            version = conn.scalar(text("SELECT version_num FROM alembic_version"))
            seeded = conn.scalar(text("SELECT articles FROM bench_seed"))
            return version == migrations_head() and seeded == articles
    except Exception:  # anything unreadable means "seed again"
        return False
    finally:
        engine.dispose()


def _ensure_postgres_database(url: str) -> None:
    """Create the database on the server when it does not exist yet."""
    import psycopg

    match = re.match(r"postgresql\+psycopg://(.*)/([^/?]+)(\?.*)?$", url)
    if not match:
        return
    admin = f"postgresql://{match.group(1)}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (match.group(2),)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{match.group(2)}"')


def fresh_database(url: str, *, reset: bool) -> None:
    """Start from nothing: remove the SQLite file, or empty the PostgreSQL schema."""
    path = sqlite_path(url)
    if path is not None:
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        if path.exists() and not reset:
            raise SystemExit(f"{path} exists; pass --reset to replace it.")
        for f in files:
            f.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    if url.startswith("postgresql"):
        _ensure_postgres_database(url)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            tables = inspect(conn).get_table_names()
            if tables and not reset:
                raise SystemExit(
                    f"The database has tables ({len(tables)}); pass --reset to "
                    "drop everything in it."
                )
            if tables and engine.dialect.name == "postgresql":
                # Whole schema: migrations may add functions and triggers too.
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            elif tables:
                from sqlalchemy import MetaData

                meta = MetaData()
                meta.reflect(conn)
                meta.drop_all(conn)
    finally:
        engine.dispose()


# --- content ---------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """The values one article is written from."""

    subject: str
    action: str
    topic: str
    place: str
    day: str
    month: str
    later_month: str
    people: int
    weeks: int
    amount: int
    takeaways: int


def _story(rng: random.Random) -> Story:
    month = rng.randrange(12)
    return Story(
        subject=rng.choice(SUBJECTS),
        action=rng.choice(ACTIONS),
        topic=rng.choice(TOPICS),
        place=rng.choice(PLACES),
        day=rng.choice(DAYS),
        month=MONTHS[month],
        later_month=MONTHS[(month + 2) % 12],
        people=rng.randint(2, 6),
        weeks=rng.randint(2, 9),
        amount=rng.randint(2, 90),
        takeaways=rng.randint(3, 5),
    )


def write_article(
    s: Story, index: int, category: str
) -> tuple[str, str, list[tuple[str, str, str]], list[str], list[tuple[str, str]]]:
    """Title, summary, sections (heading, Markdown, plain text), takeaways, FAQ."""
    title = f"{s.subject} {s.action}"
    summary = (
        f"{s.subject} {s.action}, a decision that matters to readers who follow "
        f"{s.topic} in {s.place}. We explain what changed on {s.day}, who is "
        "affected and what comes next."
    )
    p1 = (
        f"{s.subject} {s.action}, according to a statement released on {s.day}. "
        f"The change was confirmed by {s.people} people familiar with the plan, "
        f"who described how the {s.topic} programme will work in {s.place}."
    )
    items = (
        f"It takes effect within {s.weeks} weeks.",
        f"It covers {s.place}, not only the city centre.",
        f"The budget is {s.amount} million over two years.",
    )
    body1 = (
        f"{p1}\n\n- {items[0]}\n- {items[1]}\n"
        f"- The budget is **{s.amount} million** over two years."
    )
    plain1 = f"{p1} {' '.join(items)}"
    p2 = (
        "A spokesperson said the decision was “the result of a long and open "
        "consultation” and that critics would be heard before any final vote. "
        "The statement did not give a cost estimate for the second year."
    )
    body2 = (
        f"{p2}\n\nThe full text is in the "
        f"[published statement](https://example.org/statements/{index})."
    )
    plain2 = f"{p2} The full text is in the published statement."
    p3 = (
        f"The next review is planned for {s.month}. Local groups working on "
        f"{s.topic} have asked for a public meeting before then, and the "
        "organisers said they would"
    )
    steps = (
        f"Consultation closes in {s.month}.",
        f"A final vote follows in {s.later_month}.",
    )
    body3 = f"{p3} *publish the minutes* online.\n\n1. {steps[0]}\n2. {steps[1]}"
    plain3 = f"{p3} publish the minutes online. {steps[0]} {steps[1]}"
    p4 = (
        f"This is the latest in a series of changes affecting {s.topic} this "
        f"year. Readers can find earlier coverage in the {category} section, "
        f"including our reports from {s.place}."
    )
    quote = "“We will keep listening to everyone affected,” one organiser said."
    body4 = f"{p4}\n\n> {quote}"
    plain4 = f"{p4} {quote}"
    sections = [
        (HEADINGS[0], body1, plain1),
        (HEADINGS[1], body2, plain2),
        (HEADINGS[2], body3, plain3),
        (HEADINGS[3], body4, plain4),
    ]
    takeaways = [
        f"{s.subject} {s.action}.",
        f"The change affects people who follow {s.topic} in {s.place}.",
        f"A public review is planned for {s.month}.",
        f"The budget is {s.amount} million over two years.",
        "Critics will be heard before the final vote.",
    ][: s.takeaways]
    faqs = [
        (
            f"When does the change to {s.topic} take effect?",
            f"Within {s.weeks} weeks, according to the statement.",
        ),
        (
            "Where can readers follow the review?",
            f"Our {category} section will report on each meeting.",
        ),
    ]
    return title, summary, sections, takeaways, faqs


def article_content(
    title: str,
    category_id: int,
    category_name: str,
    summary: str,
    sections: Sequence[tuple[str, str, str]],
    takeaways: Sequence[str],
    faqs: Sequence[tuple[str, str]],
):  # an ArticleContent
    """The domain's content of these values (its to_json() is the revision)."""
    from editorial.domain.content import ArticleContent, Faq, Section

    return ArticleContent(
        title=title,
        category_id=category_id,
        category_name=category_name,
        summary=summary,
        sections=tuple(Section(heading=h, body=b) for h, b, _ in sections),
        takeaways=tuple(takeaways),
        faqs=tuple(Faq(question=q, answer=a) for q, a in faqs),
    )


def generated_plain(sections: Sequence[tuple[str, str, str]]):
    """plain_text for this article's fields, from the plain text the generator
    wrote beside each section (the other fields have no Markdown). Rendering
    100,000 articles' Markdown again would triple the seeding time;
    _verify_sample checks this against the real plain_text."""
    known = {body: plain for _, body, plain in sections}
    return lambda markdown: known.get(markdown, markdown)


# --- bulk writing ------------------------------------------------------------------


class BulkWriter:
    """Raw driver inserts: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.dialect = engine.dialect.name
        self.raw = engine.raw_connection()
        self.conn = self.raw.driver_connection
        if self.dialect == "sqlite":
            cur = self.conn.cursor()
            for pragma in (
                "PRAGMA journal_mode=WAL",
                "PRAGMA synchronous=OFF",
                "PRAGMA cache_size=-262144",
                "PRAGMA temp_store=MEMORY",
            ):
                cur.execute(pragma)
            cur.close()

    def ts(self, value: datetime | None) -> Any:
        """A datetime in the form the column stores (SQLAlchemy's SQLite text)."""
        if value is None or self.dialect != "sqlite":
            return value
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")

    def value(self, value: Any) -> Any:
        return self.ts(value) if isinstance(value, datetime) else value

    def flag(self, value: bool) -> Any:
        return int(value) if self.dialect == "sqlite" else value

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]):
        cols = ", ".join(columns)
        if self.dialect == "postgresql":
            sql = f"COPY {table} ({cols}) FROM STDIN"
            with self.conn.cursor() as cur, cur.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" * len(columns))
        cur = self.conn.cursor()
        cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
        cur.close()

    def execute(self, sql: str) -> None:
        cur = self.conn.cursor()
        cur.execute(sql)
        cur.close()

    def commit(self) -> None:
        self.conn.commit()

    def close(self) -> None:
        self.raw.close()


# What workflow.publication_fields sets, bar the snapshot pointer (the revision
# rows refer back to the article, so it is set once both are in).
PUBLISHED_COLUMNS = (
    "published_title",
    "published_summary",
    "published_category_id",
    "published_image_id",
    "published_image",
    "first_published_at",
    "last_published_at",
)
ARTICLE_COLUMNS = (
    "id",
    "slug",
    "category_id",
    "author_id",
    "state",
    "version",
    "meta_version",
    "summary_version",
    "takeaways_version",
    "faqs_version",
    "title",
    "summary",
    "created_at",
    "updated_at",
    "updated_by_id",
    *PUBLISHED_COLUMNS,
)
SEARCH_COLUMNS = ("article_id", "title", "summary", "body")
REVISION_COLUMNS = (
    "id",
    "article_id",
    "number",
    "block",
    "content",
    "created_at",
    "created_by_id",
)
SECTION_COLUMNS = ("article_id", "position", "heading", "body", "version")
TAKEAWAY_COLUMNS = ("article_id", "position", "text")
FAQ_COLUMNS = ("article_id", "position", "question", "answer")
TRANSITION_COLUMNS = (
    "article_id",
    "actor_id",
    "action",
    "from_state",
    "to_state",
    "revision_id",
    "created_at",
)


def _required_columns(engine: Engine, table: str) -> set[str]:
    """Columns that must be given a value on insert (no default, not nullable)."""
    required = set()
    for col in inspect(engine).get_columns(table):
        if col.get("nullable", True) or col.get("default") is not None:
            continue
        if col.get("computed") or col.get("identity"):
            continue
        if col.get("autoincrement") is True or col["name"] == "id":
            continue
        required.add(col["name"])
    return required


def _check_columns(engine: Engine, table: str, columns: Sequence[str]) -> None:
    missing = _required_columns(engine, table) - set(columns)
    if missing:
        raise SystemExit(
            f"{table} has required columns the seeder does not know: "
            f"{', '.join(sorted(missing))}. Teach bench/seed.py about them."
        )


def _fts_tables(writer: BulkWriter) -> list[str]:
    if writer.dialect != "sqlite":
        return []
    cur = writer.conn.cursor()
    rows = cur.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"
    ).fetchall()
    cur.close()
    return [
        name
        for name, sql in rows
        if re.search(r"using\s+fts5", sql, re.IGNORECASE)
        and not name.endswith(_FTS_SHADOW)
    ]


def _create_users(app, password: str) -> dict[str, int]:
    """The desk accounts, through the real account function (hash, audit)."""
    from editorial.domain import accounts
    from editorial.domain.models import User
    from editorial.extensions import db

    ids = {}
    with app.app_context():
        for username, name, role in USERS:
            user = accounts.create_user(
                db.session,
                username=username,
                display_name=name,
                password=password,
                role=role,
            )
            ids[username] = user.id
        db.session.commit()
        assert db.session.scalar(select(User.id).where(User.username == EDITOR))
    return ids


def _verify_sample(sample: Sequence[tuple[Any, Sequence]]) -> None:
    """The generated copy passes the real checklist, so `Publish update` works,
    and its search text is what domain.search writes on publish."""
    from editorial.domain import checklist, search
    from editorial.domain.content import ArticleContent

    for content, sections in sample:
        if ArticleContent.from_json(content.to_json()) != content:
            raise SystemExit("seeded content does not survive its own JSON")
        errors = [f for f in checklist.check_article(content) if f.severity == "error"]
        if errors:
            raise SystemExit(f"seeded content fails the checklist: {errors[:3]}")
        if search.document_text(content) != search.document_text(
            content, generated_plain(sections)
        ):
            raise SystemExit("the generator's plain text differs from plain_text")


def seed(
    url: str,
    articles: int,
    *,
    reset: bool = False,
    password: str = DEFAULT_PASSWORD,
    chunk: int = 5000,
    random_seed: int = 8,
    now: datetime | None = None,
) -> SeedReport:
    """Create a fresh database at `url` and fill it with `articles` articles."""
    from flask_migrate import upgrade

    from editorial.domain import search, workflow
    from editorial.domain.models import ChangeKind, utcnow
    from editorial.domain.rendering import slugify

    url = normalise_url(url)
    report = SeedReport(url=url, articles=articles)
    started = time.perf_counter()
    mark = started

    def phase(name: str) -> None:
        nonlocal mark
        now_ = time.perf_counter()
        report.phases[name] = now_ - mark
        mark = now_

    fresh_database(url, reset=reset)
    app = make_app(url)
    with app.app_context():
        upgrade(directory=str(ROOT / "editorial" / "migrations"))
    phase("migrations")
    user_ids = _create_users(app, password)
    phase("users")

    from editorial.extensions import db

    with app.app_context():
        engine = db.engine
        for table, cols in (
            ("articles", ARTICLE_COLUMNS),
            ("revisions", REVISION_COLUMNS),
            ("article_sections", SECTION_COLUMNS),
            ("takeaways", TAKEAWAY_COLUMNS),
            ("faq_items", FAQ_COLUMNS),
            ("transitions", TRANSITION_COLUMNS),
            ("search_documents", SEARCH_COLUMNS),
        ):
            _check_columns(engine, table, cols)
        writer = BulkWriter(engine)
    try:
        rng = random.Random(random_seed)
        now = (now or utcnow()).replace(microsecond=0)
        span = min(timedelta(days=365), timedelta(hours=articles))
        step = span / articles
        start = now - span
        editor_id = user_ids[EDITOR]
        author_ids = [user_ids[u] for u, _, r in USERS if r == "author"]

        writer.insert(
            "categories",
            ("id", "name", "slug", "position", "retired"),
            [
                (i + 1, name, slugify(name), i, writer.flag(False))
                for i, name in enumerate(CATEGORIES)
            ],
        )
        writer.commit()

        slug_bases: dict[str, str] = {}
        sample: list[tuple[Any, Sequence]] = []
        for first in range(0, articles, chunk):
            rows_a, rows_r, rows_s, rows_t, rows_f, rows_x, rows_d = (
                [],
                [],
                [],
                [],
                [],
                [],
                [],
            )
            for index in range(first, min(first + chunk, articles)):
                article_id = index + 1
                story = _story(rng)
                category_id = rng.randrange(len(CATEGORIES)) + 1
                category = CATEGORIES[category_id - 1]
                title, summary, sections, takeaways, faqs = write_article(
                    story, article_id, category
                )
                base = slug_bases.get(title)
                if base is None:
                    base = slug_bases[title] = slugify(title, max_length=80)
                published = start + step * index
                created = published - timedelta(hours=3)
                edited = published - timedelta(minutes=30)
                author_id = author_ids[index % len(author_ids)]
                content = article_content(
                    title, category_id, category, summary, sections, takeaways, faqs
                )
                if len(sample) < 20:
                    sample.append((content, sections))
                # What Publish leaves on the article; some pieces got an update later.
                fields = workflow.publication_fields(
                    content,
                    revision_id=article_id,
                    now=published,
                    kind=None,
                    first_published_at=None,
                    last_published_at=None,
                )
                if index % 5 == 0:
                    fields = workflow.publication_fields(
                        content,
                        revision_id=article_id,
                        now=min(published + timedelta(hours=rng.randint(1, 48)), now),
                        kind=ChangeKind.UPDATE,
                        first_published_at=fields["first_published_at"],
                        last_published_at=fields["last_published_at"],
                    )
                rows_a.append(
                    (
                        article_id,
                        f"{base}-{article_id}",
                        category_id,
                        author_id,
                        "published",
                        3,
                        1,
                        2,
                        2,
                        2,
                        title,
                        summary,
                        writer.ts(created),
                        writer.ts(edited),
                        author_id,
                        *(writer.value(fields[c]) for c in PUBLISHED_COLUMNS),
                    )
                )
                rows_r.append(
                    (
                        article_id,
                        article_id,
                        1,
                        "workflow",
                        content.to_json(),
                        writer.ts(edited),
                        editor_id,
                    )
                )
                rows_s.extend(
                    (article_id, pos, heading, body, 2)
                    for pos, (heading, body, _) in enumerate(sections)
                )
                rows_t.extend(
                    (article_id, pos, item) for pos, item in enumerate(takeaways)
                )
                rows_f.extend(
                    (article_id, pos, q, a) for pos, (q, a) in enumerate(faqs)
                )
                rows_x.append(
                    (
                        article_id,
                        editor_id,
                        "publish",
                        "review",
                        "published",
                        article_id,
                        writer.ts(published),
                    )
                )
                rows_d.append(
                    (
                        article_id,
                        *search.document_text(content, generated_plain(sections)),
                    )
                )
            if first == 0:
                _verify_sample(sample)
            writer.insert("articles", ARTICLE_COLUMNS, rows_a)
            writer.insert("revisions", REVISION_COLUMNS, rows_r)
            writer.insert("article_sections", SECTION_COLUMNS, rows_s)
            writer.insert("takeaways", TAKEAWAY_COLUMNS, rows_t)
            writer.insert("faq_items", FAQ_COLUMNS, rows_f)
            writer.insert("transitions", TRANSITION_COLUMNS, rows_x)
            writer.insert("search_documents", SEARCH_COLUMNS, rows_d)
            writer.commit()
        phase("bulk inserts")

        # The snapshot pointer (each article's one revision has its id), then
        # each category's freshest publication, by the workflow's own function.
        writer.execute("UPDATE articles SET published_revision_id = id")
        writer.commit()
        with app.app_context():
            workflow.refresh_category_freshness(
                db.session, set(range(1, len(CATEGORIES) + 1))
            )
            db.session.commit()
        report.search_table = "search_documents"
        for fts in _fts_tables(writer):
            try:
                writer.execute(f"INSERT INTO {fts}({fts}) VALUES('rebuild')")
                writer.commit()
                report.fts_rebuilt.append(fts)
            except Exception as exc:  # e.g. a contentless table
                writer.conn.rollback()
                report.notes.append(f"FTS5 {fts} not rebuilt: {exc}")
        if writer.dialect == "postgresql":
            for table in ("categories", "articles", "revisions"):
                writer.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            writer.commit()
        writer.execute("CREATE TABLE bench_seed (articles INTEGER NOT NULL)")
        writer.execute(f"INSERT INTO bench_seed (articles) VALUES ({int(articles)})")
        writer.commit()
        phase("snapshot pointers, categories, search")
        writer.execute("ANALYZE")
        writer.commit()
        phase("analyze")
    finally:
        writer.close()
        with app.app_context():
            db.engine.dispose()
    report.seconds = time.perf_counter() - started
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="sqlite:///path or postgresql://user@host/db (default $DATABASE_URL)",
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument(
        "--reset",
        action="store_true",
        help="replace an existing SQLite file / drop everything in the database",
    )
    parser.add_argument("--password", default=os.environ.get("BENCH_PASSWORD"))
    parser.add_argument("--chunk", type=int, default=5000)
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    report = seed(
        args.database_url,
        args.articles,
        reset=args.reset,
        password=args.password or DEFAULT_PASSWORD,
        chunk=args.chunk,
    )
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
