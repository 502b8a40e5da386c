"""Who may do what: the permission matrix of PRODUCT.md section 1, as one table.

Every "may this user do this?" decision in the app is a call to `can`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from sqlalchemy import ColumnElement, false, true

from editorial.domain.models import Article, Role, State


class Permission(StrEnum):
    """Things a desk user may be allowed to do."""

    USE_DESK = "use_desk"
    CREATE_ARTICLE = "create_article"
    VIEW = "view"  # see the article on the desk (editor, preview, history)
    EDIT = "edit"  # change the working copy
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REQUEST_CHANGES = "request_changes"
    PUBLISH = "publish"
    PUBLISH_UPDATE = "publish_update"
    UNPUBLISH = "unpublish"
    SCHEDULE = "schedule"  # section 10: publish at a chosen minute
    UNSCHEDULE = "unschedule"
    SEE_DIFF = "see_diff"  # "changes since last submission"
    SHARE_PREVIEW = "share_preview"  # make and revoke /preview/<token> links
    SEE_INSIGHTS = "see_insights"  # the newsroom's month at /desk/insights
    MANAGE_USERS = "manage_users"
    MANAGE_CATEGORIES = "manage_categories"
    MANAGE_SETTINGS = "manage_settings"  # /desk/settings (Four-eyes publishing)
    # Comments (PRODUCT.md section 11): desk-only; authors see, start, answer and
    # resolve those on their own articles, editors on every article.
    VIEW_COMMENTS = "view_comments"
    COMMENT = "comment"  # start a thread or reply to one
    RESOLVE_COMMENT = "resolve_comment"  # resolve or reopen a thread
    UPLOAD_MEDIA = "upload_media"  # add images to the media library
    DELETE_MEDIA = "delete_media"  # remove an unused image from the library


class Scope(StrEnum):
    OWN = "own"  # only articles the user wrote
    ANY = "any"  # every article (or no article involved)


@dataclass(frozen=True)
class Rule:
    scope: Scope
    # States in which the permission holds; None means every state.
    states: frozenset[State] | None = None


_DRAFT = frozenset({State.DRAFT})
# A scheduled article is read-only to everyone: what publishes at the minute is
# what the scheduling editor saw (Unschedule first to change it).
_EDITABLE = frozenset({State.DRAFT, State.REVIEW, State.PUBLISHED})

_AUTHOR: dict[Permission, Rule] = {
    Permission.USE_DESK: Rule(Scope.ANY),
    Permission.CREATE_ARTICLE: Rule(Scope.ANY),
    Permission.VIEW: Rule(Scope.OWN),
    # An article in review (or published) is read-only to its author.
    Permission.EDIT: Rule(Scope.OWN, _DRAFT),
    Permission.SUBMIT: Rule(Scope.OWN),
    Permission.WITHDRAW: Rule(Scope.OWN),
    # In every state: an author in review cannot edit, but answers the queries.
    Permission.VIEW_COMMENTS: Rule(Scope.OWN),
    Permission.COMMENT: Rule(Scope.OWN),
    Permission.RESOLVE_COMMENT: Rule(Scope.OWN),
    Permission.UPLOAD_MEDIA: Rule(Scope.ANY),
    # An author may show their own piece to someone outside the desk.
    Permission.SHARE_PREVIEW: Rule(Scope.OWN),
}
_EDITOR: dict[Permission, Rule] = {
    **_AUTHOR,
    Permission.VIEW: Rule(Scope.ANY),
    Permission.EDIT: Rule(Scope.ANY, _EDITABLE),
    Permission.SUBMIT: Rule(Scope.ANY),
    # Withdrawing stays the author's own act; an editor sends back with a note.
    Permission.WITHDRAW: Rule(Scope.OWN),
    Permission.REQUEST_CHANGES: Rule(Scope.ANY),
    Permission.PUBLISH: Rule(Scope.ANY),
    Permission.PUBLISH_UPDATE: Rule(Scope.ANY),
    Permission.UNPUBLISH: Rule(Scope.ANY),
    Permission.SCHEDULE: Rule(Scope.ANY),
    Permission.UNSCHEDULE: Rule(Scope.ANY),
    Permission.SEE_DIFF: Rule(Scope.ANY),
    Permission.VIEW_COMMENTS: Rule(Scope.ANY),
    Permission.COMMENT: Rule(Scope.ANY),
    Permission.RESOLVE_COMMENT: Rule(Scope.ANY),
    Permission.SHARE_PREVIEW: Rule(Scope.ANY),
    Permission.SEE_INSIGHTS: Rule(Scope.ANY),
}
_ADMIN: dict[Permission, Rule] = {
    **_EDITOR,
    Permission.MANAGE_USERS: Rule(Scope.ANY),
    Permission.MANAGE_CATEGORIES: Rule(Scope.ANY),
    Permission.MANAGE_SETTINGS: Rule(Scope.ANY),
    Permission.DELETE_MEDIA: Rule(Scope.ANY),
}

POLICY: dict[Role, dict[Permission, Rule]] = {
    Role.AUTHOR: _AUTHOR,
    Role.EDITOR: _EDITOR,
    Role.ADMIN: _ADMIN,
}


class Actor(Protocol):
    id: int
    role: Role
    active: bool


class OwnedArticle(Protocol):
    author_id: int
    state: State


class ChangedArticle(OwnedArticle, Protocol):
    updated_by_id: int | None


def can(
    user: Actor | None, permission: Permission, article: OwnedArticle | None = None
) -> bool:
    """May `user` do `permission` (on `article`, when one is concerned)?"""
    if user is None or not getattr(user, "active", False):
        return False
    role = getattr(user, "role", None)
    rule = POLICY.get(role, {}).get(permission) if role else None
    if rule is None:
        return False
    if article is None:
        return rule.scope == Scope.ANY and permission not in _ARTICLE_PERMISSIONS
    if rule.scope == Scope.OWN and article.author_id != user.id:
        return False
    return rule.states is None or article.state in rule.states


def _rule(user: Actor | None, permission: Permission) -> Rule | None:
    if user is None or not getattr(user, "active", False):
        return None
    return POLICY.get(getattr(user, "role", None), {}).get(permission)


def edit_rule(user: Actor | None) -> Rule | None:
    """The rule under which `user` may edit articles, or None (never)."""
    return _rule(user, Permission.EDIT)


# The desk's administration pages: users, categories, settings.
ADMIN_PERMISSIONS = (
    Permission.MANAGE_USERS,
    Permission.MANAGE_CATEGORIES,
    Permission.MANAGE_SETTINGS,
)


def may_administer(user: Actor | None) -> bool:
    """May `user` administer the newsroom (the Users, Categories, Settings pages)?"""
    return all(can(user, permission) for permission in ADMIN_PERMISSIONS)


def sees_every_article(user: Actor | None) -> bool:
    """Does `user` see every article on the desk (not only their own)?"""
    rule = _rule(user, Permission.VIEW)
    return rule is not None and rule.scope == Scope.ANY and rule.states is None


def visible_articles(user: Actor | None) -> ColumnElement[bool]:
    """The articles `user` may see on the desk, as a filter on Article: the
    query-side twin of `can(user, Permission.VIEW, article)`."""
    rule = _rule(user, Permission.VIEW)
    if rule is None or user is None:
        return false()
    clause: ColumnElement[bool] = true()
    if rule.scope == Scope.OWN:
        clause = Article.author_id == user.id
    if rule.states is not None:
        clause = clause & Article.state.in_(rule.states)
    return clause


_ARTICLE_PERMISSIONS = frozenset(
    {
        Permission.VIEW,
        Permission.EDIT,
        Permission.SUBMIT,
        Permission.WITHDRAW,
        Permission.REQUEST_CHANGES,
        Permission.PUBLISH,
        Permission.PUBLISH_UPDATE,
        Permission.UNPUBLISH,
        Permission.SCHEDULE,
        Permission.UNSCHEDULE,
        Permission.SEE_DIFF,
        Permission.VIEW_COMMENTS,
        Permission.COMMENT,
        Permission.RESOLVE_COMMENT,
        Permission.SHARE_PREVIEW,
    }
)

# The actions that put text in front of readers (PRODUCT.md section 11).
FOUR_EYES_ACTIONS = frozenset({"publish", "schedule", "publish_update"})


def four_eyes_refusal(
    user: Actor | None,
    article: ChangedArticle,
    action: str,
    *,
    enabled: bool,
    typo_fix: bool = False,
) -> str | None:
    """Why Four-eyes publishing refuses `user` this action, or None.

    With the setting on, whoever changed the text last may not publish,
    schedule or publish an update of it; a typo fix is exempt.
    """
    if not enabled or typo_fix or action not in FOUR_EYES_ACTIONS:
        return None
    if user is not None and article.updated_by_id == user.id:
        return (
            "Four-eyes publishing: you made the last change to the text, "
            "so another editor must check and publish it."
        )
    return None
