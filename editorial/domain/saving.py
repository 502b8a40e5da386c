"""Save every changed block of the editor at once ("one Save for all").

The editor's page is one form: each block's fields are named `<form>.<field>`
("summary.summary", "section-12.body", "takeaway-5.text") beside the block's
`<form>.version` and `<form>.digest`, a fingerprint of the values the block was
shown with. A block whose submitted values still match its digest was not
touched and is skipped, so a colleague's newer save of it is never reported as
a conflict. Every other block is saved through the same editing function as
its own Save, against its own version, in the caller's one transaction. A
refused block (stale version, bad value) writes nothing: each editing function
checks values before it writes, and its version-checked UPDATE matches no row
when the block moved on. The other blocks are kept.

Plain Python: no Flask.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from editorial.domain import blocks, editing
from editorial.domain.blocks import digest
from editorial.domain.errors import InvalidInput, StaleBlock
from editorial.domain.models import Article, User, parse_db_int


def shown_values(article: Article, form: str) -> dict[str, str]:
    """The stored values of one block's form, as the editor shows them."""
    if form == "meta":
        values = {"title": article.title, "category": str(article.category_id)}
        if not article.first_published_at:
            values["slug"] = article.slug
        return values
    if form == "summary":
        return {"summary": article.summary}
    kind, item_id = split_form(form)
    if kind is blocks.SECTION:
        section = next((s for s in article.sections if s.id == item_id), None)
        if section is None:
            return {}
        return {"heading": section.heading, "body": section.body}
    if kind is not None:
        item = next((i for i in getattr(article, kind.key) if i.id == item_id), None)
        if item is None:
            return {}
        return blocks.item_fields(kind, item)
    return {}


def shown_digest(article: Article, form: str) -> str:
    """The digest the editor puts beside a block's fields."""
    return digest(shown_values(article, form))


def block_of(form: str) -> str:
    """The block a form belongs to, which owns its version and status line:
    "takeaway-5" → "takeaways"; "summary", "meta", "section-12" are their own."""
    kind, _ = split_form(form)
    return kind.key if kind is not None and kind.listed else form


def version_of(article: Article, form: str) -> int | None:
    """The stored version a form saves against (None: its row is gone)."""
    kind, item_id = split_form(form)
    if kind is blocks.SECTION:
        section = next((s for s in article.sections if s.id == item_id), None)
        return section.version if section is not None else None
    if kind is not None:
        return getattr(article, kind.version or "")
    if form in ("meta", "summary"):
        return getattr(article, f"{form}_version")
    return None


def group_fields(submitted: Iterable[tuple[str, str]]) -> dict[str, dict[str, str]]:
    """`{"summary.summary": …, "summary.version": …}` → `{"summary": {…}}`."""
    forms: dict[str, dict[str, str]] = {}
    for key, value in submitted:
        form, dot, name = key.partition(".")
        if dot and form and name:
            forms.setdefault(form, {})[name] = value
    return forms


@dataclass
class Report:
    """What one save of every block did, per form."""

    saved: list[str] = field(default_factory=list)
    conflicts: dict[str, StaleBlock] = field(default_factory=dict)
    errors: dict[str, InvalidInput] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)  # form → colleague
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return bool(self.conflicts or self.errors)


def save_all(
    session: Session,
    article: Article,
    user: User,
    forms: Mapping[str, Mapping[str, str]],
    *,
    keep: Collection[str] = (),
    now: datetime | None = None,
) -> Report:
    """Save each changed block of `forms` against its own version; the forms
    in `keep` ("Keep my version" after a conflict) even when unchanged.

    Does not commit: the caller commits once, whatever was refused.
    """
    editing.ensure_may_edit(user, article)
    report = Report()
    # Several items of one list share the list's version: after one of them is
    # saved, the next is saved against the version that save produced.
    advanced: dict[str, int] = {}
    for form, submitted in forms.items():
        version = parse_db_int(submitted.get("version", ""))
        if not _known(form) or version is None:
            continue
        values = {k: v for k, v in submitted.items() if k not in ("version", "digest")}
        if form not in keep and digest(values) == submitted.get("digest"):
            continue
        report.values[form] = dict(values)
        column = _list_version(form)
        expected = advanced.get(column, version) if column else version
        try:
            merged = _save_one(
                session,
                article,
                user,
                form,
                expected,
                values,
                now,
                shown=submitted.get("digest"),
            )
        except StaleBlock as conflict:
            report.conflicts[form] = conflict
        except InvalidInput as error:
            report.errors[form] = error
        else:
            report.saved.append(form)
            if merged:
                report.merged[form] = merged
        session.refresh(article)
        if column and form in report.saved:
            advanced[column] = getattr(article, column)
    return report


def split_form(form: str) -> tuple[blocks.BlockKind | None, int | None]:
    """ "section-12" → (SECTION, 12); "takeaway-5" → (TAKEAWAYS, 5)."""
    prefix, _, number = form.rpartition("-")
    item_id = parse_db_int(number)
    if item_id is None:
        return None, None
    if prefix == blocks.SECTION.item:
        return blocks.SECTION, item_id
    kind = blocks.LIST_BY_ITEM.get(prefix)
    return (kind, item_id) if kind is not None else (None, None)


def _known(form: str) -> bool:
    return form in ("meta", "summary") or split_form(form)[0] is not None


def _list_version(form: str) -> str:
    """The Article column of the list an item form belongs to ("" if none)."""
    kind, _ = split_form(form)
    return kind.version or "" if kind is not None and kind.listed else ""


def _save_one(
    session: Session,
    article: Article,
    user: User,
    form: str,
    expected: int,
    values: dict[str, str],
    now: datetime | None,
    shown: str | None = None,
) -> str | None:
    """One block's save, through the same editing function as its own Save
    (answers the colleague's name when the save was merged with theirs)."""
    if form == "meta":
        editing.update_meta(
            session,
            article,
            user,
            expected_version=expected,
            title=values.get("title", ""),
            category_id=parse_db_int(values.get("category", "")),
            slug=values.get("slug") if not article.first_published_at else None,
            now=now,
        )
        return None
    if form == "summary":
        return editing.update_summary(
            session,
            article,
            user,
            expected_version=expected,
            summary=values.get("summary", ""),
            now=now,
        )
    kind, item_id = split_form(form)
    assert kind is not None and item_id is not None
    if kind is blocks.SECTION:
        return editing.update_section(
            session,
            article,
            user,
            item_id,
            expected_version=expected,
            heading=values.get("heading", ""),
            body=values.get("body", ""),
            now=now,
        )
    return editing.update_item(
        session,
        article,
        user,
        kind.key,
        item_id,
        expected_version=expected,
        values=values,
        shown=shown,
        now=now,
    )
