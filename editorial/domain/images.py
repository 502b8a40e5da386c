"""The media library: uploads, lead images, who may fetch or delete a file.

Processing lives in domain.media, files in domain.storage; this module keeps the
database side: one `Media` row per distinct upload (the same file twice is one
row), its `MediaFile` names, and the rules around them. No Flask import; nothing
here commits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session

from editorial.domain import editing, media
from editorial.domain.content import LeadImage
from editorial.domain.errors import InvalidInput, NotAllowed, NotFound, StaleBlock
from editorial.domain.models import Article, Media, MediaFile, State, User, utcnow
from editorial.domain.policy import Permission, can
from editorial.domain.storage import MediaStorage

LIBRARY_PAGE = 24
QUERY_MAX = 100


def _renditions_json(processed: media.ProcessedImage) -> str:
    return json.dumps(
        [
            {
                "name": r.name,
                "kind": r.kind,
                "width": r.width,
                "height": r.height,
                "mime": r.mime,
            }
            for r in processed.renditions
        ]
    )


def _clean_name(filename: str | None) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:255]


def store_upload(
    session: Session,
    storage: MediaStorage,
    user: User,
    *,
    data: bytes,
    filename: str | None,
) -> tuple[Media, list[str]]:
    """Process an upload and keep it: the Media row, and the names newly written.

    The same file uploaded twice is the same row (its source hash), and nothing
    is written again. A refused file raises InvalidInput before anything is
    stored.
    """
    if not can(user, Permission.UPLOAD_MEDIA):
        raise NotAllowed("You may not upload images.")
    processed = media.process(data)
    known = session.scalar(
        select(Media).where(Media.source_hash == processed.source_hash)
    )
    if known is not None:
        return known, []
    written: list[str] = []
    shared = set(
        session.scalars(
            select(MediaFile.name).where(MediaFile.name.in_(processed.files.keys()))
        )
    )
    try:
        for rendition in processed.renditions:
            if rendition.name in shared or rendition.name in written:
                continue  # already stored, for this upload or another image
            storage.put(rendition.name, processed.files[rendition.name], rendition.mime)
            written.append(rendition.name)
    except Exception:
        discard(storage, written)
        raise
    row = Media(
        source_hash=processed.source_hash,
        width=processed.width,
        height=processed.height,
        source_format=processed.source_format,
        original_name=_clean_name(filename),
        byte_size=len(data),
        alt="",
        caption="",
        credit="",
        renditions=_renditions_json(processed),
        created_at=utcnow(),
        uploaded_by_id=user.id,
    )
    session.add(row)
    session.flush()
    mimes = {r.name: r.mime for r in processed.renditions}  # names repeat
    session.add_all(
        MediaFile(name=name, media_id=row.id, mime=mime) for name, mime in mimes.items()
    )
    session.flush()
    return row, written


def discard(storage: MediaStorage, names: Sequence[str]) -> None:
    """Remove files written for an upload that was then refused."""
    for name in names:
        storage.delete(name)


def attach_upload(
    session: Session,
    storage: MediaStorage,
    article: Article,
    user: User,
    *,
    expected_version: int,
    data: bytes,
    filename: str | None,
    alt: Any,
    caption: Any,
    credit: Any,
) -> list[str]:
    """Upload a file and make it the article's lead image, in one transaction.

    Everything that can refuse is checked before the file is processed (may
    edit, the words' limits, the block's version); if the save still fails,
    the files this upload wrote are removed again. Returns the names written,
    for the caller to discard should its commit fail.
    """
    editing.ensure_may_edit(user, article)
    editing.lead_image_values(alt, caption, credit)
    current = session.scalar(
        select(Article.lead_image_version).where(Article.id == article.id)
    )
    if current != expected_version:
        who, when = editing.block_changed_by(session, article.id, "lead_image")
        raise StaleBlock("Lead image", changed_by=who, changed_at=when)
    row, written = store_upload(session, storage, user, data=data, filename=filename)
    try:
        editing.update_lead_image(
            session,
            article,
            user,
            expected_version=expected_version,
            media_id=row.id,
            alt=alt,
            caption=caption,
            credit=credit,
        )
        remember_words(session, article)
    except Exception:
        discard(storage, written)
        raise
    return written


def use_as_lead(
    session: Session,
    article: Article,
    user: User,
    media_id: int,
    *,
    expected_version: int,
) -> None:
    """Reuse a library image as the article's lead image, with its last words."""
    row = session.get(Media, media_id)
    if row is None:
        raise InvalidInput("media", "That image is no longer in the library.")
    same = article.lead_image_id == row.id
    editing.update_lead_image(
        session,
        article,
        user,
        expected_version=expected_version,
        media_id=row.id,
        alt=article.lead_alt if same else row.alt,
        caption=article.lead_caption if same else row.caption,
        credit=article.lead_credit if same else row.credit,
    )


def update_words(
    session: Session,
    article: Article,
    user: User,
    *,
    expected_version: int,
    alt: Any,
    caption: Any,
    credit: Any,
) -> None:
    """Change the lead image's alt text, caption and credit (image unchanged)."""
    if article.lead_image_id is None:
        raise InvalidInput("image", "Upload an image first.")
    editing.update_lead_image(
        session,
        article,
        user,
        expected_version=expected_version,
        media_id=article.lead_image_id,
        alt=alt,
        caption=caption,
        credit=credit,
    )
    remember_words(session, article)


def remember_words(session: Session, article: Article) -> None:
    """The library keeps the latest words given to an image (search, reuse)."""
    row = article.lead_image
    if row is None:
        return
    if article.lead_alt:
        row.alt = article.lead_alt
    if article.lead_caption:
        row.caption = article.lead_caption
    if article.lead_credit:
        row.credit = article.lead_credit
    session.flush()


# --- the library -----------------------------------------------------------------


@dataclass(frozen=True)
class LibraryPage:
    """One page of the media library."""

    items: list[Media]
    total: int
    page: int
    pages: int
    in_use: set[int]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def library(session: Session, query: str = "", page: int = 1) -> LibraryPage:
    """Every uploaded image, newest first, searchable by alt, caption, credit."""
    query = " ".join(query.replace("\x00", "").split())[:QUERY_MAX]
    statement = select(Media)
    for word in query.split():
        pattern = f"%{_escape_like(word)}%"
        statement = statement.where(
            or_(
                Media.alt.ilike(pattern, escape="\\"),
                Media.caption.ilike(pattern, escape="\\"),
                Media.credit.ilike(pattern, escape="\\"),
            )
        )
    total = (
        session.scalar(statement.with_only_columns(func.count()).order_by(None)) or 0
    )
    pages = max(1, -(-total // LIBRARY_PAGE))
    page = max(1, min(page, pages))
    items = list(
        session.scalars(
            statement.order_by(Media.created_at.desc(), Media.id.desc())
            .limit(LIBRARY_PAGE)
            .offset((page - 1) * LIBRARY_PAGE)
        )
    )
    return LibraryPage(
        items, total, page, pages, used_ids(session, [m.id for m in items])
    )


def _in_use_clause(media_id: Any) -> Any:
    return or_(
        Article.lead_image_id == media_id, Article.published_image_id == media_id
    )


def used_ids(session: Session, media_ids: Sequence[int]) -> set[int]:
    """Which of these images an article's working copy or live page uses."""
    if not media_ids:
        return set()
    rows = session.execute(
        select(Article.lead_image_id, Article.published_image_id).where(
            or_(
                Article.lead_image_id.in_(media_ids),
                Article.published_image_id.in_(media_ids),
            )
        )
    )
    found = {value for row in rows for value in row if value is not None}
    return found & set(media_ids)


def delete_media(session: Session, user: User, media_id: int) -> list[str]:
    """Delete an unused image (admins only); returns the file names to remove
    once the deletion is committed."""
    if not can(user, Permission.DELETE_MEDIA):
        raise NotAllowed("Only admins may delete images.")
    row = session.get(Media, media_id)
    if row is None:
        raise NotFound("No such image.")
    in_use = session.scalar(select(exists().where(_in_use_clause(media_id))))
    if in_use:
        raise InvalidInput(
            "media", "This image is used by an article; it cannot be deleted."
        )
    names = set(
        session.scalars(select(MediaFile.name).where(MediaFile.media_id == media_id))
    )
    session.execute(delete(MediaFile).where(MediaFile.media_id == media_id))
    # A file another image shares stays.
    names -= set(
        session.scalars(select(MediaFile.name).where(MediaFile.name.in_(names)))
    )
    # Re-checked in the DELETE itself: an article that took the image meanwhile
    # keeps it.
    deleted = session.execute(
        delete(Media).where(
            Media.id == media_id, ~exists().where(_in_use_clause(media_id))
        )
    ).rowcount
    if deleted != 1:
        raise InvalidInput(
            "media", "This image is used by an article; it cannot be deleted."
        )
    return sorted(names)


# --- serving ---------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFile:
    """A file `/media/<name>` may answer with, and whether readers may see it."""

    name: str
    mime: str
    public: bool


def lookup_file(session: Session, name: str) -> StoredFile | None:
    """The file of this name, and whether an anonymous reader may fetch it:
    its image is on a published page. One indexed statement."""
    live = (
        exists()
        .where(
            Article.published_image_id == MediaFile.media_id,
            Article.state == State.PUBLISHED,
        )
        .correlate(MediaFile)
    )
    rows = session.execute(
        select(MediaFile.mime, live.label("live")).where(MediaFile.name == name)
    ).all()
    if not rows:
        return None
    return StoredFile(
        name=name, mime=rows[0].mime, public=any(row.live for row in rows)
    )


# --- the published snapshot ------------------------------------------------------


def published_image_fields(image: LeadImage | None) -> tuple[int | None, str | None]:
    """(published_image_id, published_image JSON) for a published snapshot: the
    teaser thumbnail and the 16:9 crop, so lists and the feed need no revision."""
    if image is None:
        return None, None
    thumb = image.of_kind("thumb")
    large = image.of_kind("crop-16x9") or image.fallback
    data = {
        "alt": image.alt,
        "thumb": _file(thumb),
        "large": _file(large),
    }
    return image.media_id, json.dumps(data, sort_keys=True)


def _file(rendition: Any) -> dict[str, Any] | None:
    if rendition is None:
        return None
    return {
        "name": rendition.name,
        "width": rendition.width,
        "height": rendition.height,
        "mime": rendition.mime,
    }
