"""Typed SQLAlchemy models and enums.

Plain SQLAlchemy (no Flask import): the domain modules and their tests use these
with any Session. Times are stored as naive UTC.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from editorial.domain.content import (
    ArticleContent,
    Faq,
    LeadImage,
    Rendition,
    Section,
)


def utcnow() -> datetime:
    """The current time as naive UTC, the form every column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


# The largest value an INTEGER column holds (PostgreSQL's, and what ids and
# versions stay under); a bigger number from a request must never reach a query.
DB_INT_MAX = 2**31 - 1


def parse_db_int(raw: object) -> int | None:
    """ASCII digits naming a value an INTEGER column can hold, else None.

    `str.isdigit` alone lets "²" or "١٢" through (int() refuses the first) and
    any length of digits (SQLite cannot bind past 64 bits).
    """
    if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit()):
        return None
    if len(raw) > 10 or int(raw) > DB_INT_MAX:
        return None
    return int(raw)


class Base(DeclarativeBase):
    """Declarative base with named constraints, so migrations can alter them."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Role(StrEnum):
    """What a desk user may do (PRODUCT.md section 1)."""

    AUTHOR = "author"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class State(StrEnum):
    """Where an article stands in the workflow (PRODUCT.md section 3)."""

    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
    SCHEDULED = "scheduled"  # section 10: waits for its `Publish at` minute

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "review": "In review",
            "published": "Published",
            "scheduled": "Scheduled",
        }[self.value]


class ChangeKind(StrEnum):
    """What a `Publish update` changed (PRODUCT.md section 10, the ledger)."""

    TYPO = "typo"  # Last updated stays
    UPDATE = "update"  # moves Last updated
    CORRECTION = "correction"  # moves Last updated and publishes a correction note

    @property
    def label(self) -> str:
        return {"typo": "Typo fix", "update": "Update", "correction": "Correction"}[
            self.value
        ]


def _enum(cls: type[StrEnum]) -> Enum:
    """Store a StrEnum by its value, as a plain string column."""
    return Enum(
        cls,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        length=20,
        validate_strings=True,
    )


class User(Base):
    """A desk account. Flask-Login's interface is implemented by hand here."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.AUTHOR)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Part of the login cookie's id: rotating it ends every session of this user
    # on the server (logout, deactivation, role change, password reset).
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Where notifications are mailed (none: no mail), and the user's opt-out.
    email: Mapped[str | None] = mapped_column(String(254))
    email_notifications: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )

    # Flask-Login's user interface.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class Category(Base):
    """A section of the site; retired ones keep their articles but leave navigation."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Denormalised freshest publication, kept by the workflow, so the home page
    # and More from Categories order categories without scanning articles.
    last_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Denormalised count of published pieces, kept by the workflow, so a
    # category page numbers its pages without counting thousands of rows.
    published_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Article(Base):
    """An article: its working copy, workflow state and block versions.

    The published_* columns denormalise the published snapshot for lists (home,
    category pages, feeds, the widget), which never load a revision document.
    """

    __tablename__ = "articles"
    __table_args__ = (
        # A category's published pieces, newest first; latest per category.
        Index(
            "ix_articles_live_category",
            "state",
            "published_category_id",
            "last_published_at",
        ),
        # Site-wide latest publications (feed, sitemaps, home).
        Index("ix_articles_live_recent", "state", "last_published_at"),
        # Desk dashboard: an author's own list; the review queue.
        Index("ix_articles_author_state", "author_id", "state", "updated_at"),
        Index("ix_articles_state_updated", "state", "updated_at"),
        Index("ix_articles_state_submitted", "state", "submitted_at"),
        # The scheduler's claim: due scheduled articles, oldest minute first.
        Index("ix_articles_state_publish_at", "state", "publish_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[State] = mapped_column(_enum(State), default=State.DRAFT)

    # Optimistic locking: the article as a whole (workflow actions) and per block.
    version: Mapped[int] = mapped_column(Integer, default=1)
    meta_version: Mapped[int] = mapped_column(Integer, default=1)
    summary_version: Mapped[int] = mapped_column(Integer, default=1)
    takeaways_version: Mapped[int] = mapped_column(Integer, default=1)
    faqs_version: Mapped[int] = mapped_column(Integer, default=1)
    lead_image_version: Mapped[int] = mapped_column(
        Integer, default=1, server_default="1"
    )

    # Working copy, article-level blocks.
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    # The lead image block: which upload, and this article's words for it.
    lead_image_id: Mapped[int | None] = mapped_column(
        ForeignKey("media.id"), index=True
    )
    lead_alt: Mapped[str] = mapped_column(Text, default="", server_default="")
    lead_caption: Mapped[str] = mapped_column(Text, default="", server_default="")
    lead_credit: Mapped[str] = mapped_column(Text, default="", server_default="")

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True)
    )
    first_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Scheduled (section 10): the minute to publish at (UTC) and who scheduled it;
    # the scheduler publishes as that editor, so their permission is re-checked.
    publish_at: Mapped[datetime | None] = mapped_column(DateTime)
    scheduled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # The published snapshot: a revision, plus the fields lists need.
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True)
    )
    published_title: Mapped[str | None] = mapped_column(String(200))
    published_summary: Mapped[str | None] = mapped_column(Text)
    published_category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id")
    )
    # Open comment threads, kept by domain.comments in the same statement as
    # each change, so the dashboard shows them without counting and Publish
    # re-checks "none open" in its own UPDATE.
    open_comments: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The published snapshot's lead image: its id answers "may anyone fetch
    # this file?" with an index; the JSON (thumbnail, 16:9 crop, alt) feeds
    # teasers and the feed without loading a revision.
    published_image_id: Mapped[int | None] = mapped_column(
        ForeignKey("media.id"), index=True
    )
    published_image: Mapped[str | None] = mapped_column(Text)

    category: Mapped[Category] = relationship(foreign_keys=[category_id])
    published_category: Mapped[Category | None] = relationship(
        foreign_keys=[published_category_id]
    )
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    scheduled_by: Mapped[User | None] = relationship(foreign_keys=[scheduled_by_id])
    published_revision: Mapped[Revision | None] = relationship(
        foreign_keys=[published_revision_id], post_update=True
    )
    sections: Mapped[list[ArticleSection]] = relationship(
        order_by="ArticleSection.position",
        cascade="all, delete-orphan",
        back_populates="article",
    )
    takeaways: Mapped[list[Takeaway]] = relationship(
        order_by="Takeaway.position", cascade="all, delete-orphan"
    )
    faqs: Mapped[list[FaqItem]] = relationship(
        order_by="FaqItem.position", cascade="all, delete-orphan"
    )
    lead_image: Mapped[Media | None] = relationship(foreign_keys=[lead_image_id])

    def working_content(self) -> ArticleContent:
        """The working copy as ArticleContent."""
        return ArticleContent(
            title=self.title,
            category_id=self.category_id,
            category_name=self.category.name if self.category else "",
            summary=self.summary,
            sections=tuple(Section(s.heading, s.body) for s in self.sections),
            takeaways=tuple(t.text for t in self.takeaways),
            faqs=tuple(Faq(f.question, f.answer) for f in self.faqs),
            lead_image=self.working_lead_image(),
        )

    def working_lead_image(self) -> LeadImage | None:
        """The lead image block of the working copy (None without an image)."""
        media = self.lead_image
        if media is None:
            return None
        return LeadImage(
            media_id=media.id,
            alt=self.lead_alt,
            caption=self.lead_caption,
            credit=self.lead_credit,
            width=media.width,
            height=media.height,
            original_name=media.original_name,
            renditions=media.rendition_list(),
        )

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.slug} {self.state}>"


class ArticleSection(Base):
    """One body section of the working copy, with its own version."""

    __tablename__ = "article_sections"
    __table_args__ = (Index("ix_article_sections_order", "article_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    article: Mapped[Article] = relationship(back_populates="sections")


class Takeaway(Base):
    """One Key Takeaways item; the list's version lives on the article."""

    __tablename__ = "takeaways"
    __table_args__ = (Index("ix_takeaways_order", "article_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class FaqItem(Base):
    """One People Also Ask pair; the list's version lives on the article."""

    __tablename__ = "faq_items"
    __table_args__ = (Index("ix_faq_items_order", "article_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)


class Revision(Base):
    """An immutable snapshot of an article's content, written on each save."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    # Which block the save touched ("created", "meta", "summary", "section:12",
    # "sections", "takeaways", "faqs"): answers "changed by whom and when".
    block: Mapped[str] = mapped_column(String(40))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A save against an older version that was merged with a colleague's save:
    # whose changes it kept besides the author's own.
    merged_with_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The saved block's own version after this save, and its value (JSON), so a
    # later save against that version finds the text it started from (the base
    # of a three-way merge) without parsing whole documents.
    block_version: Mapped[int | None] = mapped_column(Integer)
    block_text: Mapped[str | None] = mapped_column(Text)

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    merged_with: Mapped[User | None] = relationship(foreign_keys=[merged_with_id])

    def article_content(self) -> ArticleContent:
        """Parse the stored document."""
        return ArticleContent.from_json(self.content)


class Transition(Base):
    """One workflow action: who, when, from, to, note, and the revision concerned."""

    __tablename__ = "transitions"
    __table_args__ = (
        Index("ix_transitions_article", "article_id", "created_at"),
        # Insights: publications and finished reviews of the last 30 days.
        Index("ix_transitions_action_created", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE")
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[State] = mapped_column(_enum(State))
    to_state: Mapped[State] = mapped_column(_enum(State))
    note: Mapped[str | None] = mapped_column(Text)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Publish update only: typo fix, update or correction (the history shows it).
    change_kind: Mapped[ChangeKind | None] = mapped_column(
        _enum(ChangeKind), nullable=True
    )
    # Schedule only: the minute it was scheduled for (UTC).
    publish_at: Mapped[datetime | None] = mapped_column(DateTime)

    actor: Mapped[User | None] = relationship()
    revision: Mapped[Revision | None] = relationship()


class Correction(Base):
    """A public correction note, published with a `Correction` publish update.

    Listed on the article under a `Correction` heading, in its JSON-LD, and at
    /corrections, newest first (PRODUCT.md section 10).
    """

    __tablename__ = "corrections"
    __table_args__ = (
        Index("ix_corrections_published", "published_at", "id"),
        Index("ix_corrections_article", "article_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE")
    )
    note: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime)
    transition_id: Mapped[int | None] = mapped_column(ForeignKey("transitions.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    article: Mapped[Article] = relationship()


class AuditEvent(Base):
    """A user-administration change (or other security event) kept in the database."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    detail: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    target_user: Mapped[User | None] = relationship(foreign_keys=[target_user_id])


class SearchDocument(Base):
    """The plain text readers can search, one row per published article.

    Written on publish and publish update, deleted on unpublish (domain.search).
    The full-text index over it is dialect-specific and lives in migration 0002:
    an FTS5 external-content table on SQLite, a GIN expression index on PostgreSQL.
    """

    __tablename__ = "search_documents"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)


class Comment(Base):
    """A comment on one block of an article's working copy, or a reply to one.

    A thread is a root comment (parent_id None) and its replies; only the root
    carries the block, the quoted words and whether the thread is resolved.
    `section_id` is a plain number, not a foreign key: a thread on a section that
    was removed stays (outdated) rather than vanishing with its open question.
    """

    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_article", "article_id", "created_at"),
        Index("ix_comments_parent", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE")
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE")
    )
    block: Mapped[str] = mapped_column(String(40))
    section_id: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def is_open(self) -> bool:
        return self.parent_id is None and self.resolved_at is None


class DeskSettings(Base):
    """Newsroom-wide settings an admin changes on /desk/settings: one row, id 1."""

    __tablename__ = "desk_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # PRODUCT.md section 11: whoever changed the text last may not publish it.
    four_eyes: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=sa_false()
    )
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Media(Base):
    """One uploaded image: the original's facts and its renditions (domain.media).

    Alt text, caption and credit here are the latest words any article gave
    the image: the media library searches them and offers them on reuse.
    """

    __tablename__ = "media"
    __table_args__ = (Index("ix_media_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_hash: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    source_format: Mapped[str] = mapped_column(String(10))
    original_name: Mapped[str] = mapped_column(String(255), default="")
    byte_size: Mapped[int] = mapped_column(Integer, default=0)
    alt: Mapped[str] = mapped_column(Text, default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(Text, default="")
    # JSON list of renditions: name, kind, width, height, mime.
    renditions: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    uploaded_by: Mapped[User | None] = relationship()

    def rendition_list(self) -> tuple[Rendition, ...]:
        return tuple(Rendition.from_dict(r) for r in json.loads(self.renditions))

    def __repr__(self) -> str:
        return f"<Media {self.id} {self.width}x{self.height}>"


class MediaFile(Base):
    """One stored file of a Media row, by name: what `/media/<name>` looks up.

    Two images may share a file (identical bytes, one name), so the key is the
    pair; the primary key's index serves the lookup by name.
    """

    __tablename__ = "media_files"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    media_id: Mapped[int] = mapped_column(
        ForeignKey("media.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    mime: Mapped[str] = mapped_column(String(20))


class Presence(Base):
    """Who has an article's editor open, in which block, last seen when.

    One row per (article, user), rewritten by the editor's poll; rows older than
    the presence timeout are ignored when read (and replaced on the next ping),
    so nothing needs sweeping. Redis holds the same facts when configured.
    """

    __tablename__ = "presence"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    block: Mapped[str] = mapped_column(String(40), default="")
    seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PreviewLink(Base):
    """A shared preview of an article's working copy (PRODUCT.md section 11).

    The link's token is signed with the app's secret and names this row and its
    random `nonce`; the row says until when it works and whether it was revoked.
    """

    __tablename__ = "preview_links"
    __table_args__ = (Index("ix_preview_links_article", "article_id", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE")
    )
    nonce: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    article: Mapped[Article] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class Notification(Base):
    """Something a desk user should hear about, written with the event itself."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The header's unread count: one indexed COUNT per desk page.
        Index("ix_notifications_unread", "user_id", "read_at"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE")
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    article: Mapped[Article | None] = relationship()


class MailOutbox(Base):
    """A notification e-mail waiting to be sent after its transaction committed.

    A worker claims due rows (`claimed_until`), sends them outside any
    transaction, and marks them sent or schedules a retry (`next_attempt_at`).
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE")
    )
    to_address: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    notification: Mapped[Notification] = relationship()
