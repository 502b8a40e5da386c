"""Categories: create, rename, reorder, retire and restore (admins only).

No Flask import; nothing here commits. A category's slug is fixed when it is
created, so renaming never breaks its public address. A retired category keeps
its articles but leaves navigation and new-article choices. Each change writes
an audit event in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from editorial.domain.accounts import audit
from editorial.domain.errors import InvalidInput, NotAllowed, NotFound
from editorial.domain.models import Category, User
from editorial.domain.policy import Permission, can
from editorial.domain.rendering import slugify
from editorial.domain.signals import mark_reader_change

NAME_MAX = 80


def ordered(session: Session) -> list[Category]:
    """Every category in navigation order (retired ones included)."""
    return list(
        session.scalars(select(Category).order_by(Category.position, Category.id))
    )


def _admin(actor: User) -> None:
    if not can(actor, Permission.MANAGE_CATEGORIES):
        raise NotAllowed("Only an admin may manage categories.")


def _get(session: Session, category_id: int) -> Category:
    category = session.get(Category, category_id)
    if category is None:
        raise NotFound("No such category.")
    return category


def _name(session: Session, value: Any, exclude_id: int | None = None) -> str:
    name = " ".join(value.replace("\x00", "").split()) if isinstance(value, str) else ""
    if not name:
        raise InvalidInput("name", "Name cannot be empty.")
    if len(name) > NAME_MAX:
        raise InvalidInput("name", f"A name has at most {NAME_MAX} characters.")
    taken = session.scalar(
        select(func.count())
        .select_from(Category)
        .where(
            func.lower(Category.name) == name.lower(), Category.id != (exclude_id or 0)
        )
    )
    if taken:
        raise InvalidInput("name", f"There is already a category called “{name}”.")
    return name


def _unique_slug(session: Session, name: str) -> str:
    base = slugify(name, max_length=70) or "category"
    taken = set(
        session.scalars(
            select(Category.slug).where(
                (Category.slug == base) | Category.slug.like(f"{base}-%")
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_category(session: Session, actor: User, name: Any) -> Category:
    """Add a category at the end of the navigation."""
    _admin(actor)
    clean = _name(session, name)
    last = session.scalar(select(func.max(Category.position)))
    category = Category(
        name=clean,
        slug=_unique_slug(session, clean),
        position=(last or 0) + 1,
        retired=False,
    )
    session.add(category)
    session.flush()
    audit(session, actor, "category.create", None, f"{category.slug}: {clean}")
    mark_reader_change(session)
    return category


def rename_category(
    session: Session, actor: User, category_id: int, name: Any
) -> Category:
    """Change a category's name (its slug and address stay)."""
    _admin(actor)
    category = _get(session, category_id)
    clean = _name(session, name, exclude_id=category.id)
    if clean != category.name:
        old = category.name
        category.name = clean
        audit(
            session,
            actor,
            "category.rename",
            None,
            f"{category.slug}: {old} -> {clean}",
        )
        mark_reader_change(session)
    return category


def move_category(
    session: Session, actor: User, category_id: int, direction: str
) -> Category:
    """Move a category one place "up" or "down" in the navigation order."""
    _admin(actor)
    if direction not in ("up", "down"):
        raise InvalidInput("direction", "Move a category up or down.")
    category = _get(session, category_id)
    categories = ordered(session)
    i = categories.index(category)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(categories):
        categories[i], categories[j] = categories[j], categories[i]
        # Renumber all: positions may have ties or gaps from older data.
        for position, item in enumerate(categories, 1):
            item.position = position
        audit(session, actor, "category.move", None, f"{category.slug}: {direction}")
        mark_reader_change(session)
    return category


def set_retired(
    session: Session, actor: User, category_id: int, retired: bool
) -> Category:
    """Retire (articles stay, navigation and new-article choices drop it) or restore."""
    _admin(actor)
    category = _get(session, category_id)
    if category.retired != retired:
        category.retired = retired
        action = "category.retire" if retired else "category.restore"
        audit(session, actor, action, None, category.slug)
        mark_reader_change(session)
    return category
