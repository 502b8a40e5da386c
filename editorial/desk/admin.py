"""Admin pages: users (create, role, deactivate, new password) and categories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, current_app, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from editorial.desk import bp
from editorial.desk.editor import Pending
from editorial.domain import accounts
from editorial.domain import categories as categories_domain
from editorial.domain.errors import InvalidInput, NotFound
from editorial.domain.models import AuditEvent, Role, User
from editorial.domain.policy import Permission, can
from editorial.extensions import db
from editorial.web.fragments import hx_redirect, render_page_or_block

AUDIT_SHOWN = 30


def _require(permission: Permission) -> None:
    if not can(current_user, permission):
        abort(403)


def _hash_method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")


def _submitted() -> dict[str, str]:
    return {
        k: v
        for k, v in request.form.items()
        if k not in ("csrf_token", "password")  # never echo a password back
    }


def _users_page(pending: Pending | None = None, status: int = 200) -> Response:
    users = db.session.scalars(select(User).order_by(User.username)).all()
    events = db.session.scalars(
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor), joinedload(AuditEvent.target_user))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_SHOWN)
    ).all()
    return render_page_or_block(
        "desk/users.html",
        "users_block",
        status=status,
        users=users,
        events=events,
        roles=list(Role),
        pending=pending or Pending(),
    )


def _admin_change(
    form: str,
    change: Callable[[], str],
    page: Callable[..., Response],
    target: str,
) -> Response:
    """Run one admin change: commit and redirect with a flash, or show why not."""
    try:
        message = change()
    except InvalidInput as error:
        db.session.rollback()
        pending = Pending(
            form=form, values=_submitted(), errors={error.field: error.message}
        )
        return page(pending, 422)
    db.session.commit()
    return hx_redirect(url_for(target), message, "success")


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


@bp.get("/users")
def users():
    """Every desk user, forms to manage them, and recent audit events."""
    _require(Permission.MANAGE_USERS)
    return _users_page()


@bp.post("/users")
def create_user():
    """Create a user, who must choose a new password at first login."""
    _require(Permission.MANAGE_USERS)

    def change() -> str:
        user = accounts.create_user(
            db.session,
            username=request.form.get("username"),
            display_name=request.form.get("display_name"),
            password=request.form.get("password"),
            role=request.form.get("role"),
            actor=current_user,
            must_change_password=True,
            method=_hash_method(),
        )
        return f"User {user.username} created."

    return _admin_change("user-new", change, _users_page, "desk.users")


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int):
    """Change a user's role (their sessions end)."""
    _require(Permission.MANAGE_USERS)
    user = _user(user_id)

    def change() -> str:
        accounts.change_role(db.session, current_user, user, request.form.get("role"))
        return f"{user.display_name} is now {user.role.label.lower()}."

    return _admin_change(f"user-{user_id}-role", change, _users_page, "desk.users")


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int):
    """Deactivate (sessions end, articles stay) or reactivate a user."""
    _require(Permission.MANAGE_USERS)
    user = _user(user_id)
    active = request.form.get("active") == "1"

    def change() -> str:
        accounts.set_active(db.session, current_user, user, active)
        state = "reactivated" if active else "deactivated"
        return f"{user.display_name} is {state}."

    return _admin_change(f"user-{user_id}-active", change, _users_page, "desk.users")


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int):
    """Set a new password, which the user must change at their next login."""
    _require(Permission.MANAGE_USERS)
    user = _user(user_id)

    def change() -> str:
        accounts.reset_password(
            db.session,
            current_user,
            user,
            request.form.get("password"),
            _hash_method(),
        )
        return f"New password set for {user.display_name}; they must change it."

    return _admin_change(f"user-{user_id}-password", change, _users_page, "desk.users")


# --- categories ------------------------------------------------------------------


def _categories_page(pending: Pending | None = None, status: int = 200) -> Response:
    return render_page_or_block(
        "desk/categories.html",
        "categories_block",
        status=status,
        categories=categories_domain.ordered(db.session),
        pending=pending or Pending(),
    )


@bp.get("/categories")
def categories():
    """Categories in navigation order, with forms to manage them."""
    _require(Permission.MANAGE_CATEGORIES)
    return _categories_page()


def _category_change(form: str, change: Callable[[], Any]) -> Response:
    _require(Permission.MANAGE_CATEGORIES)
    return _admin_change(form, change, _categories_page, "desk.categories")


@bp.post("/categories")
def create_category():
    """Add a category at the end of the navigation."""

    def change() -> str:
        category = categories_domain.create_category(
            db.session, current_user, request.form.get("name")
        )
        return f"Category {category.name} created."

    return _category_change("category-new", change)


@bp.post("/categories/<int:category_id>/rename")
def rename_category(category_id: int):
    """Rename a category (its address stays)."""

    def change() -> str:
        category = categories_domain.rename_category(
            db.session, current_user, category_id, request.form.get("name")
        )
        return f"Category renamed to {category.name}."

    return _category_change(f"category-{category_id}", change)


@bp.post("/categories/<int:category_id>/move")
def move_category(category_id: int):
    """Move a category up or down in the navigation."""

    def change() -> str:
        category = categories_domain.move_category(
            db.session, current_user, category_id, request.form.get("direction", "")
        )
        return f"Category {category.name} moved."

    return _category_change(f"category-{category_id}", change)


@bp.post("/categories/<int:category_id>/retire")
def retire_category(category_id: int):
    """Retire a category, or restore a retired one."""
    retired = request.form.get("retired") == "1"

    def change() -> str:
        category = categories_domain.set_retired(
            db.session, current_user, category_id, retired
        )
        verb = "retired" if retired else "restored"
        return f"Category {category.name} {verb}."

    return _category_change(f"category-{category_id}", change)
