"""Edits to an article's working copy, block by block, with optimistic locking.

Each block (title and category, summary, each section, the takeaways list, the
FAQ list) carries a version. A save names the version it started from; the
UPDATE matches only that version, so a stale save changes nothing and raises
StaleBlock naming who changed the block and when. Every save bumps the
article's own version (workflow actions carry it) and writes a revision. No
Flask import; nothing here commits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from editorial.domain import blocks, merge, revisions
from editorial.domain import content as limits
from editorial.domain.content import DEFAULT_SECTION_HEADINGS
from editorial.domain.errors import InvalidInput, NotAllowed, NotFound, StaleBlock
from editorial.domain.models import (
    DB_INT_MAX,
    Article,
    ArticleSection,
    Category,
    FaqItem,
    Revision,
    Takeaway,
    User,
    utcnow,
)
from editorial.domain.policy import Permission, Scope, can, edit_rule
from editorial.domain.rendering import slugify

# --- reading ---------------------------------------------------------------------


def get_article_for(session: Session, article_id: int, user: User) -> Article:
    """Load an article the user may see on the desk; otherwise NotFound (404)."""
    article = session.get(Article, article_id)
    if article is None or not can(user, Permission.VIEW, article):
        raise NotFound("No such article.")
    return article


def block_changed_by(
    session: Session, article_id: int, block: str
) -> tuple[str | None, datetime | None]:
    """Who saved this block last, and when (from the revision log)."""
    row = session.execute(
        select(User.display_name, Revision.created_at)
        .join(User, User.id == Revision.created_by_id, isouter=True)
        .where(Revision.article_id == article_id, Revision.block == block)
        .order_by(Revision.number.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


# --- creating --------------------------------------------------------------------


def create_article(
    session: Session,
    user: User,
    *,
    title: str,
    category_id: int | None,
    now: datetime | None = None,
) -> Article:
    """Create a draft with the four default sections, and its first revision."""
    if not can(user, Permission.CREATE_ARTICLE):
        raise NotAllowed("You may not create articles.")
    title = _required(title, "title", "Title", limits.TITLE_MAX)
    category = _active_category(session, category_id)
    now = now or utcnow()
    article = Article(
        slug=unique_slug(session, slugify(title)),
        title=title,
        summary="",
        category_id=category.id,
        author_id=user.id,
        created_at=now,
        updated_at=now,
        updated_by_id=user.id,
    )
    article.sections = [
        ArticleSection(position=i, heading=h, body="")
        for i, h in enumerate(DEFAULT_SECTION_HEADINGS)
    ]
    session.add(article)
    session.flush()
    revisions.write(session, article, user, revisions.CREATED, now)
    return article


def unique_slug(session: Session, base: str, exclude_id: int | None = None) -> str:
    """`base`, or `base-2`, `base-3`… whichever no other article holds."""
    base = base[:90]
    taken = set(
        session.scalars(
            select(Article.slug).where(
                (Article.slug == base) | Article.slug.like(f"{base}-%"),
                Article.id != (exclude_id or 0),
            )
        )
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


# --- article-level blocks --------------------------------------------------------


def update_meta(
    session: Session,
    article: Article,
    user: User,
    *,
    expected_version: int,
    title: str,
    category_id: int | None,
    slug: str | None = None,
    now: datetime | None = None,
) -> str:
    """Save title and category (and the slug, until the first publication).

    Returns the article's address (slug) after the save.
    """
    ensure_may_edit(user, article)
    title = _required(title, "title", "Title", limits.TITLE_MAX)
    category = _active_category(session, category_id, keep=article.category_id)
    values: dict[str, Any] = {"title": title, "category_id": category.id}
    if slug is not None and slug.strip() != article.slug:
        if article.first_published_at is not None:
            raise InvalidInput(
                "slug", "The address cannot change after the first publication."
            )
        # Taken by another article (perhaps someone's draft, which this writer
        # must not learn about): suffix silently; the caller shows the result.
        values["slug"] = unique_slug(session, slugify(slug.strip()), article.id)
    _save_block(
        session,
        article,
        user,
        "meta",
        expected_version,
        values,
        now,
    )
    return article.slug


def update_summary(
    session: Session,
    article: Article,
    user: User,
    *,
    expected_version: int,
    summary: str,
    now: datetime | None = None,
) -> str | None:
    """Save the Quick summary (plain text, at most 500 characters).

    Saved against an older version, it is merged with the newer text when the
    changes do not overlap (answers the colleague's name); else StaleBlock.
    """
    ensure_may_edit(user, article)
    summary = _clean(summary)
    _max(summary, "summary", "Quick summary", limits.SUMMARY_MAX)
    try:
        _save_block(
            session,
            article,
            user,
            "summary",
            expected_version,
            {"summary": summary},
            now,
        )
        return None
    except StaleBlock:
        base = revisions.block_base(session, article.id, "summary", expected_version)
        session.refresh(article)
        merged = (
            merge.merge_text(base.block_text or "", article.summary, summary)
            if base is not None
            else None
        )
        if merged is None:
            raise
    _max(merged, "summary", "Quick summary", limits.SUMMARY_MAX)
    other = revisions.last_writer(session, article.id, "summary")
    _save_block(
        session,
        article,
        user,
        "summary",
        article.summary_version,
        {"summary": merged},
        now,
        merged_with=other,
    )
    return _colleague(other)


# --- lead image ------------------------------------------------------------------


def lead_image_values(alt: Any, caption: Any, credit: Any) -> dict[str, str]:
    """Alt text, caption and credit, cleaned and within their limits."""
    values = {
        "lead_alt": " ".join(_clean(alt).split()),
        "lead_caption": _clean(caption).strip(),
        "lead_credit": " ".join(_clean(credit).split()),
    }
    _max(values["lead_alt"], "alt", "Alt text", limits.ALT_MAX)
    _max(values["lead_caption"], "caption", "Caption", limits.CAPTION_MAX)
    _max(values["lead_credit"], "credit", "Credit", limits.CREDIT_MAX)
    return values


def update_lead_image(
    session: Session,
    article: Article,
    user: User,
    *,
    expected_version: int,
    media_id: int | None,
    alt: Any,
    caption: Any,
    credit: Any,
    now: datetime | None = None,
) -> None:
    """Save the lead image block: which image (None removes it) and its words."""
    ensure_may_edit(user, article)
    values = lead_image_values(alt, caption, credit)
    if media_id is None:
        values = {"lead_alt": "", "lead_caption": "", "lead_credit": ""}
    _save_block(
        session,
        article,
        user,
        "lead_image",
        expected_version,
        {"lead_image_id": media_id, **values},
        now,
    )


# --- sections --------------------------------------------------------------------


def add_section(
    session: Session,
    article: Article,
    user: User,
    *,
    heading: str = "",
    body: str = "",
    now: datetime | None = None,
) -> ArticleSection:
    """Append a section (structure changes need no version: no text is replaced)."""
    heading, body = _section_values(heading, body)
    ensure_may_edit(user, article)  # from here on the article row is locked
    # Counted in the database under the lock, not from what was loaded before.
    count, last = session.execute(
        select(func.count(), func.max(ArticleSection.position)).where(
            ArticleSection.article_id == article.id
        )
    ).one()
    if count >= limits.SECTIONS_MAX:
        raise InvalidInput(
            "sections", f"An article has at most {limits.SECTIONS_MAX} sections."
        )
    position = 1 + (last if last is not None else -1)
    section = ArticleSection(
        article_id=article.id, position=position, heading=heading, body=body
    )
    session.add(section)
    session.flush()
    _touch(session, article, user, f"section:{section.id}", now)
    return section


def update_section(
    session: Session,
    article: Article,
    user: User,
    section_id: int,
    *,
    expected_version: int,
    heading: str,
    body: str,
    now: datetime | None = None,
) -> str | None:
    """Save one section's heading and body against its own version.

    Against an older version, the body is merged by paragraph and sentence
    with the newer one, and the heading taken from whichever side changed it,
    when the changes do not overlap (answers the colleague's name); else
    StaleBlock.
    """
    ensure_may_edit(user, article)
    heading, body = _section_values(heading, body)
    block = f"section:{section_id}"
    if _write_section(session, article, section_id, expected_version, heading, body):
        text = _section_text(heading, body)
        _touch(
            session, article, user, block, now, version=expected_version + 1, text=text
        )
        return None
    exists = _section_exists(session, article.id, section_id)
    base = revisions.block_base(session, article.id, block, expected_version)
    current = session.get(ArticleSection, section_id) if exists else None
    merged = _merge_section(base, current, heading, body)
    if current is None or merged is None:
        _raise_stale(session, article, block, exists=exists)
    assert current is not None and merged is not None
    heading, body = _section_values(*merged)
    other = revisions.last_writer(session, article.id, block)
    seen = current.version
    if not _write_section(session, article, section_id, seen, heading, body):
        _raise_stale(session, article, block, exists=True)
    _touch(
        session,
        article,
        user,
        block,
        now,
        version=seen + 1,
        text=_section_text(heading, body),
        merged_with=other,
    )
    return _colleague(other)


def _write_section(
    session: Session,
    article: Article,
    section_id: int,
    expected_version: int,
    heading: str,
    body: str,
) -> bool:
    matched = session.execute(
        update(ArticleSection)
        .where(
            ArticleSection.id == section_id,
            ArticleSection.article_id == article.id,
            ArticleSection.version == expected_version,
        )
        .values(heading=heading, body=body, version=ArticleSection.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    return matched == 1


def _section_text(heading: str, body: str) -> str:
    return json.dumps([heading, body], ensure_ascii=False)


def _merge_section(
    base: Any, current: ArticleSection | None, heading: str, body: str
) -> tuple[str, str] | None:
    """Both writers' changes to a section, or None when they overlap."""
    if base is None or current is None or not base.block_text:
        return None
    session = Session.object_session(current)
    if session is not None:
        session.refresh(current)
    base_heading, base_body = json.loads(base.block_text)
    if heading == base_heading or heading == current.heading:
        merged_heading = current.heading
    elif current.heading == base_heading:
        merged_heading = heading
    else:
        return None
    merged_body = merge.merge_text(base_body, current.body, body)
    if merged_body is None:
        return None
    return merged_heading, merged_body


def remove_section(
    session: Session,
    article: Article,
    user: User,
    section_id: int,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> None:
    """Remove a section; with a version, refuse if it changed since it was shown."""
    ensure_may_edit(user, article)
    stmt = delete(ArticleSection).where(
        ArticleSection.id == section_id, ArticleSection.article_id == article.id
    )
    if expected_version is not None:
        stmt = stmt.where(ArticleSection.version == expected_version)
    if session.execute(stmt.execution_options(synchronize_session=False)).rowcount != 1:
        block = f"section:{section_id}"
        _raise_stale(
            session,
            article,
            block,
            exists=_section_exists(session, article.id, section_id),
        )
    _renumber(session, ArticleSection, article.id)
    _touch(session, article, user, "sections", now)


def move_section(
    session: Session,
    article: Article,
    user: User,
    section_id: int,
    direction: str,
    *,
    now: datetime | None = None,
) -> None:
    """Move a section one place "up" or "down" (at an end, nothing moves)."""
    ensure_may_edit(user, article)
    ids = list(
        session.scalars(
            select(ArticleSection.id)
            .where(ArticleSection.article_id == article.id)
            .order_by(ArticleSection.position, ArticleSection.id)
        )
    )
    if section_id not in ids:
        _raise_stale(session, article, f"section:{section_id}", exists=False)
    if _swap(ids, section_id, direction):
        _set_positions(session, ArticleSection, ids)
        _touch(session, article, user, "sections", now)


# --- takeaways and FAQ: lists of items under one version ------------------------

# The rows of each list block of the registry.
ITEM_MODELS: dict[str, type[Takeaway] | type[FaqItem]] = {
    blocks.TAKEAWAYS.key: Takeaway,
    blocks.FAQS.key: FaqItem,
}


def add_item(
    session: Session,
    article: Article,
    user: User,
    block: str,
    *,
    expected_version: int,
    values: Mapping[str, Any],
    now: datetime | None = None,
) -> str | None:
    """Append an item to a list block ("takeaways" or "faqs"): `values` holds
    each of the block's fields by its form name.

    Against an older version of the list the item is still appended after the
    colleague's changes (answers their name), unless the list already holds
    an item with the very same values (a form sent twice): then StaleBlock.
    """
    kind = _list_kind(block)
    ensure_may_edit(user, article)
    cleaned = item_values(kind, values)
    model = ITEM_MODELS[kind.key]

    def room() -> int:
        count = _count(session, model, article.id)
        if count >= kind.max_items:
            raise InvalidInput(kind.fields[0].name, kind.too_many)
        return count

    count = room()
    merging, other = False, None
    try:
        _claim_list(session, article, kind.key, expected_version)
    except StaleBlock:
        if _has_item(session, model, article.id, cleaned):
            raise
        version = _current_version(session, article, kind.key)
        count = room()
        other = _claim_again(session, article, kind.key, version)
        merging = True
    session.add(model(article_id=article.id, position=count, **cleaned))
    _finish_list(session, article, user, kind.key, now, other)
    return _colleague(other) if merging else None


def update_item(
    session: Session,
    article: Article,
    user: User,
    block: str,
    item_id: int,
    *,
    expected_version: int,
    values: Mapping[str, Any],
    shown: str | None = None,
    now: datetime | None = None,
) -> str | None:
    """Change one item of a list block in place.

    Lists merge by item: saved against an older version of the list, the
    change is kept when this item still holds the values it was shown with
    (`shown` is their blocks.digest), i.e. the colleague changed other items;
    the colleague's name is answered. Else StaleBlock.
    """
    kind = _list_kind(block)
    ensure_may_edit(user, article)
    cleaned = item_values(kind, values)
    model = ITEM_MODELS[kind.key]
    merging, other = False, None
    try:
        item = _claim_item(session, article, model, item_id, kind.key, expected_version)
    except StaleBlock:
        version = _current_version(session, article, kind.key)
        item = session.scalar(
            select(model)
            .where(model.id == item_id, model.article_id == article.id)
            .execution_options(populate_existing=True)  # as stored now
        )
        if item is None:
            raise
        stored = blocks.item_fields(kind, item)
        if stored == {spec.name: cleaned[spec.column] for spec in kind.fields}:
            return None  # already holds these values (a save sent twice)
        if shown is None or blocks.digest(stored) != shown:
            raise
        other = _claim_again(session, article, kind.key, version)
        merging = True
    for column, value in cleaned.items():
        setattr(item, column, value)
    _finish_list(session, article, user, kind.key, now, other)
    return _colleague(other) if merging else None


def _has_item(
    session: Session, model: Any, article_id: int, cleaned: Mapping[str, str]
) -> bool:
    query = select(model.id).where(model.article_id == article_id)
    for column, value in cleaned.items():
        query = query.where(getattr(model, column) == value)
    return session.scalar(query.limit(1)) is not None


def _current_version(session: Session, article: Article, block: str) -> int:
    """The list's version as stored now: read before the checks a merge makes,
    then claimed by _claim_again, so a change committed in between makes the
    claim StaleBlock and the checks saw what is claimed."""
    session.refresh(article)
    return getattr(article, _version_column(block).key)


def _claim_again(
    session: Session, article: Article, block: str, version: int
) -> User | None:
    """Claim the list at `version`; answers who wrote it last (the colleague
    the merge kept)."""
    _claim_list(session, article, block, version)
    return revisions.last_writer(session, article.id, block)


def _colleague(other: User | None) -> str:
    """The name a merged save answers."""
    return other.display_name if other else "someone else"


def item_values(kind: blocks.BlockKind, values: Mapping[str, Any]) -> dict[str, str]:
    """A list item's fields, cleaned and checked, by column."""
    cleaned = {}
    for spec in kind.fields:
        raw = values.get(spec.name, "")
        text = (
            _required(raw, spec.name, spec.label, spec.limit)
            if spec.required
            else _clean(raw).strip()
        )
        _max(text, spec.name, spec.label, spec.limit)
        if spec.ends_with and not text.endswith(spec.ends_with):
            raise InvalidInput(spec.name, spec.ends_with_message)
        cleaned[spec.column] = text
    return cleaned


def _list_kind(block: str) -> blocks.BlockKind:
    kind = blocks.BY_KEY[block]
    if not kind.listed:
        raise ValueError(f"{block!r} is not a list block")
    return kind


def remove_item(
    session: Session,
    article: Article,
    user: User,
    block: str,
    item_id: int,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> None:
    """Remove a takeaway or question (`block` is "takeaways" or "faqs")."""
    ensure_may_edit(user, article)
    model = ITEM_MODELS[_list_kind(block).key]
    item = _claim_item(session, article, model, item_id, block, expected_version)
    session.delete(item)
    session.flush()
    _renumber(session, model, article.id)
    _finish_list(session, article, user, block, now)


def move_item(
    session: Session,
    article: Article,
    user: User,
    block: str,
    item_id: int,
    direction: str,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> None:
    """Move a takeaway or question one place "up" or "down"."""
    ensure_may_edit(user, article)
    model = ITEM_MODELS[_list_kind(block).key]
    _claim_item(session, article, model, item_id, block, expected_version)
    ids = _ordered_ids(session, model, article.id)
    _swap(ids, item_id, direction)
    _set_positions(session, model, ids)
    _finish_list(session, article, user, block, now)


# --- internals -------------------------------------------------------------------


def ensure_may_edit(user: User, article: Article) -> None:
    """May `user` change this article's working copy? Asked of the policy, then
    asked again of the database in the write's first statement.

    The second check is one UPDATE of the article row that matches only while
    the article is still in a state where this user may edit it (and the user
    still active in the same role): it takes the row's write lock (PostgreSQL:
    the row; SQLite: the database) until the save commits, so a workflow action
    racing the save either waits and then finds a newer version (StaleVersion),
    or ran first and the save finds the article out of its reach. The rest of
    the save (counts and positions included) runs under that lock.
    """
    if not can(user, Permission.VIEW, article):
        raise NotFound("No such article.")
    if not can(user, Permission.EDIT, article):
        raise _not_editable(article)
    session = Session.object_session(article)
    if session is None:  # a detached article: nothing to write through
        raise NotFound("No such article.")
    if not _lock_editable(session, article, user):
        session.expire(article)
        if not can(user, Permission.VIEW, article):
            raise NotFound("No such article.")
        raise _not_editable(article)


def _not_editable(article: Article) -> NotAllowed:
    return NotAllowed(
        f"This article is {article.state.label.lower()}: you cannot edit it now."
    )


def _lock_editable(session: Session, article: Article, user: User) -> bool:
    """UPDATE … SET version = version WHERE the user may still edit it: True if
    it matched (and the row is now locked for this transaction)."""
    rule = edit_rule(user)
    if rule is None:
        return False
    stmt = update(Article).where(
        Article.id == article.id,
        exists().where(User.id == user.id, User.active, User.role == user.role),
    )
    if rule.states is not None:
        stmt = stmt.where(Article.state.in_(rule.states))
    if rule.scope == Scope.OWN:
        stmt = stmt.where(Article.author_id == user.id)
    stmt = stmt.values(version=Article.version)
    matched = session.execute(stmt.execution_options(synchronize_session=False))
    return matched.rowcount == 1


def _clean(value: Any) -> str:
    """Normalise a submitted value: a string, NULs removed, newlines unified."""
    text = value if isinstance(value, str) else ""
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def _max(value: str, field: str, label: str, maximum: int) -> None:
    if len(value) > maximum:
        raise InvalidInput(
            field,
            f"{label} is {len(value)} characters long; the limit is {maximum}.",
        )


def _required(value: Any, field: str, label: str, maximum: int) -> str:
    text = _clean(value).strip()
    if not text:
        raise InvalidInput(field, f"{label} cannot be empty.")
    _max(text, field, label, maximum)
    return text


def _section_values(heading: Any, body: Any) -> tuple[str, str]:
    heading = _clean(heading).strip()
    body = _clean(body)
    _max(heading, "heading", "Heading", limits.HEADING_MAX)
    _max(body, "body", "Body", limits.BODY_MAX)
    return heading, body


def _active_category(
    session: Session, category_id: Any, keep: int | None = None
) -> Category:
    """The chosen category; a retired one only if the article already has it."""
    try:
        cid = int(category_id)
    except (TypeError, ValueError):
        raise InvalidInput("category", "Choose a category.") from None
    if not 0 < cid <= DB_INT_MAX:  # no such row; too big to bind, even
        raise InvalidInput("category", "Choose a category from the list.")
    category = session.get(Category, cid)
    if category is None or (category.retired and category.id != keep):
        raise InvalidInput("category", "Choose a category from the list.")
    return category


def _section_exists(session: Session, article_id: int, section_id: int) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(ArticleSection)
            .where(
                ArticleSection.id == section_id, ArticleSection.article_id == article_id
            )
        )
        == 1
    )


def _raise_stale(
    session: Session, article: Article, block: str, *, exists: bool
) -> None:
    who, when = block_changed_by(session, article.id, block if exists else "sections")
    label = "This section" if block.startswith("section:") else blocks.label_of(block)
    raise StaleBlock(label, changed_by=who, changed_at=when, removed=not exists)


def _save_block(
    session: Session,
    article: Article,
    user: User,
    block: str,
    expected_version: int,
    values: dict[str, Any],
    now: datetime | None,
    merged_with: User | None = None,
) -> None:
    """UPDATE an article-level block only if its version is still the one seen."""
    version_col = _version_column(block)
    now = now or utcnow()
    matched = session.execute(
        update(Article)
        .where(Article.id == article.id, version_col == expected_version)
        .values(
            {
                **values,
                version_col.key: version_col + 1,
                "version": Article.version + 1,
                "updated_at": now,
                "updated_by_id": user.id,
            }
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if matched != 1:
        _raise_stale(session, article, block, exists=True)
    session.refresh(article)
    text = values.get("summary") if block == "summary" else None
    revisions.write(
        session,
        article,
        user,
        block,
        now,
        block_version=getattr(article, version_col.key) if text is not None else None,
        block_text=text,
        merged_with=merged_with,
    )


def _touch(
    session: Session,
    article: Article,
    user: User,
    block: str,
    now: datetime | None,
    *,
    version: int | None = None,
    text: str | None = None,
    merged_with: User | None = None,
) -> None:
    """Bump the article's version after a child-row change, and keep a revision
    (with the block's new version and text, for a section: a merge base)."""
    now = now or utcnow()
    session.execute(
        update(Article)
        .where(Article.id == article.id)
        .values(version=Article.version + 1, updated_at=now, updated_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    session.expire(article)
    revisions.write(
        session,
        article,
        user,
        block,
        now,
        block_version=version,
        block_text=text,
        merged_with=merged_with,
    )


def _claim_list(
    session: Session, article: Article, block: str, expected_version: int
) -> None:
    """Take the list's version (takeaways or FAQ), or raise StaleBlock."""
    col = _version_column(block)
    matched = session.execute(
        update(Article)
        .where(Article.id == article.id, col == expected_version)
        .values({col.key: col + 1})
        .execution_options(synchronize_session=False)
    ).rowcount
    if matched != 1:
        _raise_stale(session, article, block, exists=True)


def _claim_item(
    session: Session,
    article: Article,
    model: type[Takeaway] | type[FaqItem],
    item_id: int,
    block: str,
    expected_version: int,
) -> Any:
    _claim_list(session, article, block, expected_version)
    item = session.scalar(
        select(model).where(model.id == item_id, model.article_id == article.id)
    )
    if item is None:
        # Claimed a current version, yet the item is gone: an older page's id.
        _raise_stale(session, article, block, exists=True)
    return item


def _finish_list(
    session: Session,
    article: Article,
    user: User,
    block: str,
    now: datetime | None,
    merged_with: User | None = None,
) -> None:
    session.flush()
    _touch(session, article, user, block, now, merged_with=merged_with)


def _count(session: Session, model: Any, article_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(model)
            .where(model.article_id == article_id)
        )
        or 0
    )


def _ordered_ids(session: Session, model: Any, article_id: int) -> list[int]:
    return list(
        session.scalars(
            select(model.id)
            .where(model.article_id == article_id)
            .order_by(model.position, model.id)
        )
    )


def _swap(ids: list[int], item_id: int, direction: str) -> bool:
    """Swap an id with its neighbour in place; False when nothing moves."""
    i = ids.index(item_id)
    j = i - 1 if direction == "up" else i + 1 if direction == "down" else i
    if j == i or j < 0 or j >= len(ids):
        return False
    ids[i], ids[j] = ids[j], ids[i]
    return True


def _set_positions(session: Session, model: Any, ids: Sequence[int]) -> None:
    for position, item_id in enumerate(ids):
        session.execute(
            update(model)
            .where(model.id == item_id)
            .values(position=position)
            .execution_options(synchronize_session=False)
        )


def _renumber(session: Session, model: Any, article_id: int) -> None:
    _set_positions(session, model, _ordered_ids(session, model, article_id))


def _version_column(block: str) -> InstrumentedAttribute[int]:
    """The Article column that holds an article-level block's version."""
    version = blocks.BY_KEY[block].version
    assert version is not None, block
    return getattr(Article, version)
