"""Who may do what: the permission matrix of PRODUCT.md section 1, as one table.

Every "may this user do this?" decision in the app is a call to `can`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from editorial.domain.models import Role, State


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
    SEE_DIFF = "see_diff"  # "changes since last submission"
    SHARE_PREVIEW = "share_preview"  # make and revoke /preview/<token> links
    SEE_INSIGHTS = "see_insights"  # the newsroom's month at /desk/insights
    MANAGE_USERS = "manage_users"
    MANAGE_CATEGORIES = "manage_categories"


class Scope(StrEnum):
    OWN = "own"  # only articles the user wrote
    ANY = "any"  # every article (or no article involved)


@dataclass(frozen=True)
class Rule:
    scope: Scope
    # States in which the permission holds; None means every state.
    states: frozenset[State] | None = None


_ALL = None
_DRAFT = frozenset({State.DRAFT})

_AUTHOR: dict[Permission, Rule] = {
    Permission.USE_DESK: Rule(Scope.ANY),
    Permission.CREATE_ARTICLE: Rule(Scope.ANY),
    Permission.VIEW: Rule(Scope.OWN),
    # An article in review (or published) is read-only to its author.
    Permission.EDIT: Rule(Scope.OWN, _DRAFT),
    Permission.SUBMIT: Rule(Scope.OWN),
    Permission.WITHDRAW: Rule(Scope.OWN),
    # An author may show their own piece to someone outside the desk.
    Permission.SHARE_PREVIEW: Rule(Scope.OWN),
}
_EDITOR: dict[Permission, Rule] = {
    **_AUTHOR,
    Permission.VIEW: Rule(Scope.ANY),
    Permission.EDIT: Rule(Scope.ANY, _ALL),
    Permission.SUBMIT: Rule(Scope.ANY),
    # Withdrawing stays the author's own act; an editor sends back with a note.
    Permission.WITHDRAW: Rule(Scope.OWN),
    Permission.REQUEST_CHANGES: Rule(Scope.ANY),
    Permission.PUBLISH: Rule(Scope.ANY),
    Permission.PUBLISH_UPDATE: Rule(Scope.ANY),
    Permission.UNPUBLISH: Rule(Scope.ANY),
    Permission.SEE_DIFF: Rule(Scope.ANY),
    Permission.SHARE_PREVIEW: Rule(Scope.ANY),
    Permission.SEE_INSIGHTS: Rule(Scope.ANY),
}
_ADMIN: dict[Permission, Rule] = {
    **_EDITOR,
    Permission.MANAGE_USERS: Rule(Scope.ANY),
    Permission.MANAGE_CATEGORIES: Rule(Scope.ANY),
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
        Permission.SEE_DIFF,
        Permission.SHARE_PREVIEW,
    }
)
