"""Authorization sweep: every route, every method, every kind of visitor.

The expected outcomes below are written from PRODUCT.md (section 1, the roles;
section 3, the workflow table; section 5, the URLs; section 8, the security
rules), not read off the policy code. Every (rule, method) of `app.url_map`
must have a row here, so no new route ships unchecked.

Actors: "anonymous", "author" (the article's author), "other" (another author),
"editor" and "admin". Each POST check builds its own world (a fresh
category, article in the state the row names, and target user), so one actor's
request never changes what the next one sees; the actors of a GET share one.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import inspect, select
from werkzeug.test import TestResponse

from editorial.domain import comments, images, notifications, previews, workflow
from editorial.domain.models import (
    Article,
    Base,
    Category,
    Media,
    Revision,
    Role,
    User,
)
from editorial.extensions import db
from editorial.web import media as web_media
from tests.conftest import PASSWORD

SECRET = "test-only-secret"  # base_config's SECRET_KEY

ACTORS = ("anonymous", "author", "other", "editor", "admin")

# Outcome classes and what each looks like on the wire.
OK = "ok"  # done: 200, 204 or 303
REFUSED = "refused"  # permitted, but the state or input was refused: 409 or 422
LOGIN = "login"  # 302 to /login?next=…
DESK = "desk"  # 302 away from /login (a signed-in user opening the login form)
NOTFOUND = "notfound"
FORBIDDEN = "forbidden"
GONE = "gone"


def classify(response: TestResponse) -> str:
    status = response.status_code
    location = response.headers.get("Location", "")
    if status in (200, 204, 303):
        return OK
    if status in (409, 422):
        return REFUSED
    if status == 302 and location.startswith("/login?next="):
        return LOGIN
    if status == 302 and location.startswith("/desk/"):
        return DESK
    return {404: NOTFOUND, 403: FORBIDDEN, 410: GONE}.get(status, f"status {status}")


def row(anonymous: str, author: str, other: str, editor: str, admin: str) -> dict:
    return dict(zip(ACTORS, (anonymous, author, other, editor, admin), strict=True))


EVERYONE = row(OK, OK, OK, OK, OK)
SIGNED_IN = row(LOGIN, OK, OK, OK, OK)
# Section 1: an author sees their own article, never another author's (404);
# editors and admins see every article.
SEE = row(LOGIN, OK, NOTFOUND, OK, OK)
# Section 3: "An article in review is read-only to its author"; editors edit a
# published article's working copy.
EDIT_LOCKED = row(LOGIN, FORBIDDEN, NOTFOUND, OK, OK)
ADMIN_ONLY = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
# Section 11: comments are desk-only; authors see and answer those on their own
# articles (in every state: read-only in review, yet they answer), nobody else's.
COMMENTS = {"draft": SEE, "review": SEE, "published": SEE}

# Section 10: a scheduled article is read-only to everyone (Unschedule first).
READ_ONLY = row(LOGIN, FORBIDDEN, NOTFOUND, FORBIDDEN, FORBIDDEN)

# Article routes that read: the same in every state.
VIEW = {"draft": SEE, "review": SEE, "published": SEE, "scheduled": SEE}
# Article routes that change the working copy (or open a block's form).
EDIT = {
    "draft": SEE,
    "review": EDIT_LOCKED,
    "published": EDIT_LOCKED,
    "scheduled": READ_ONLY,
}
STATES = ("draft", "review", "published", "scheduled")

# Section 3's workflow table, per action and state. An actor the table names
# gets OK where the action applies and REFUSED (409) where it does not; an
# actor it does not name gets 403 (404 when they may not even see the article).
WHO = {
    "submit": ("author", "editor", "admin"),
    "withdraw": ("author",),
    "request_changes": ("editor", "admin"),
    "publish": ("editor", "admin"),
    "publish_update": ("editor", "admin"),
    "unpublish": ("editor", "admin"),
    "schedule": ("editor", "admin"),
    "unschedule": ("editor", "admin"),
}
FROM = {
    "submit": ("draft",),
    "withdraw": ("review",),
    "request_changes": ("review",),
    "publish": ("draft", "review"),
    "publish_update": ("published",),
    "unpublish": ("published",),
    "schedule": ("draft", "review"),
    "unschedule": ("scheduled",),
}


def _action_rows() -> dict[str, dict[str, str]]:
    rows = {}
    for action, who in WHO.items():
        for state in STATES:
            outcome = OK if state in FROM[action] else REFUSED
            rows[f"{action}@{state}"] = {
                "anonymous": LOGIN,
                "other": NOTFOUND,
                **{
                    actor: outcome if actor in who else FORBIDDEN
                    for actor in ("author", "editor", "admin")
                },
            }
    # An action that does not exist is a 404 for whoever may see the article.
    rows["no_such_action@draft"] = row(LOGIN, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND)
    # The scheduler's own action is no button and no route, for anyone.
    rows["publish_scheduled@scheduled"] = row(
        LOGIN, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND
    )
    return rows


ART = "/desk/articles/<int:article_id>"
TABLE: dict[tuple[str, str], dict[str, dict[str, str]]] = {
    # --- reader (section 5): public for everyone -------------------------------
    ("/", "GET"): {"-": EVERYONE},
    ("/articles/<slug>", "GET"): {
        "published": EVERYONE,
        # "404 if never published, 410 if unpublished" — for everyone, on the
        # public site (a draft's author included).
        "draft": row(NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND),
        "review": row(NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND),
        "scheduled": row(NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND),
        "unpublished": row(GONE, GONE, GONE, GONE, GONE),
    },
    ("/categories/<slug>", "GET"): {"published": EVERYONE},
    ("/search", "GET"): {"-": EVERYONE},
    ("/corrections", "GET"): {"-": EVERYONE},
    ("/feed.xml", "GET"): {"-": EVERYONE},
    ("/sitemap.xml", "GET"): {"-": EVERYONE},
    ("/news-sitemap.xml", "GET"): {"-": EVERYONE},
    ("/robots.txt", "GET"): {"-": EVERYONE},
    ("/healthz", "GET"): {"-": EVERYONE},
    # --- sign in and out ---------------------------------------------------------
    ("/login", "GET"): {"-": row(OK, DESK, DESK, DESK, DESK)},
    ("/login", "POST"): {"-": EVERYONE},
    ("/logout", "POST"): {"-": EVERYONE},
    ("/account/password", "GET"): {"-": SIGNED_IN},
    ("/account/password", "POST"): {"-": SIGNED_IN},
    ("/account", "GET"): {"-": SIGNED_IN},
    ("/account", "POST"): {"-": SIGNED_IN},
    # --- shared previews (section 11): whoever holds a working link --------------
    ("/preview/<token>", "GET"): {"-": EVERYONE},
    # --- desk ----------------------------------------------------------------------
    ("/desk/", "GET"): {"-": SIGNED_IN},
    ("/desk/articles/new", "GET"): {"-": SIGNED_IN},
    ("/desk/articles/new", "POST"): {"-": SIGNED_IN},
    (ART, "GET"): VIEW,
    (f"{ART}/preview", "GET"): VIEW,
    (f"{ART}/history", "GET"): VIEW,
    (f"{ART}/checklist", "GET"): VIEW,
    (f"{ART}/actions", "GET"): VIEW,
    (f"{ART}/actions/<name>", "POST"): _action_rows(),
    # Presence (section 9): whoever may see the article is seen in it.
    (f"{ART}/presence", "POST"): VIEW,
    (f"{ART}/presence/leave", "POST"): VIEW,
    # Section 11: whoever may see the article may share and revoke its preview.
    (f"{ART}/previews", "POST"): VIEW,
    (f"{ART}/previews/<int:link_id>/revoke", "POST"): VIEW,
    (f"{ART}/meta", "GET"): VIEW,
    (f"{ART}/meta", "POST"): EDIT,
    (f"{ART}/meta/edit", "GET"): EDIT,
    (f"{ART}/summary", "GET"): VIEW,
    (f"{ART}/summary", "POST"): EDIT,
    (f"{ART}/save", "POST"): EDIT,
    (f"{ART}/history/<int:number>/restore", "POST"): EDIT,
    (f"{ART}/history/<int:number>/restore/<block>", "POST"): EDIT,
    (f"{ART}/summary/edit", "GET"): EDIT,
    (f"{ART}/sections", "GET"): VIEW,
    (f"{ART}/sections", "POST"): EDIT,
    (f"{ART}/sections/<int:section_id>", "GET"): VIEW,
    (f"{ART}/sections/<int:section_id>", "POST"): EDIT,
    (f"{ART}/sections/<int:section_id>/edit", "GET"): EDIT,
    (f"{ART}/sections/<int:section_id>/delete", "POST"): EDIT,
    (f"{ART}/sections/<int:section_id>/move", "POST"): EDIT,
    (f"{ART}/takeaways", "GET"): VIEW,
    (f"{ART}/takeaways", "POST"): EDIT,
    (f"{ART}/takeaways/edit", "GET"): EDIT,
    (f"{ART}/takeaways/<int:item_id>", "POST"): EDIT,
    (f"{ART}/takeaways/<int:item_id>/delete", "POST"): EDIT,
    (f"{ART}/takeaways/<int:item_id>/move", "POST"): EDIT,
    (f"{ART}/questions", "GET"): VIEW,
    (f"{ART}/questions", "POST"): EDIT,
    (f"{ART}/questions/edit", "GET"): EDIT,
    (f"{ART}/questions/<int:item_id>", "POST"): EDIT,
    (f"{ART}/questions/<int:item_id>/delete", "POST"): EDIT,
    (f"{ART}/questions/<int:item_id>/move", "POST"): EDIT,
    (f"{ART}/comments", "POST"): COMMENTS,
    (f"{ART}/comments/<int:comment_id>/replies", "POST"): COMMENTS,
    (f"{ART}/comments/<int:comment_id>/resolve", "POST"): COMMENTS,
    (f"{ART}/comments/<int:comment_id>/reopen", "POST"): COMMENTS,
    # --- notifications (everyone their own) and insights (editors and admins) ---
    ("/desk/notifications", "GET"): {"-": SIGNED_IN},
    ("/desk/notifications/read", "POST"): {"-": SIGNED_IN},
    # The notification is the article author's: nobody else's to mark.
    ("/desk/notifications/<int:notification_id>/read", "POST"): {
        "-": row(LOGIN, OK, NOTFOUND, NOTFOUND, NOTFOUND)
    },
    ("/desk/insights", "GET"): {"-": row(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)},
    # --- admin pages (section 1: admins manage users and categories) -------------
    ("/desk/users", "GET"): {"-": ADMIN_ONLY},
    ("/desk/users", "POST"): {"-": ADMIN_ONLY},
    ("/desk/users/<int:user_id>/role", "POST"): {"-": ADMIN_ONLY},
    ("/desk/users/<int:user_id>/active", "POST"): {"-": ADMIN_ONLY},
    ("/desk/users/<int:user_id>/password", "POST"): {"-": ADMIN_ONLY},
    ("/desk/categories", "GET"): {"-": ADMIN_ONLY},
    ("/desk/categories", "POST"): {"-": ADMIN_ONLY},
    ("/desk/categories/<int:category_id>/rename", "POST"): {"-": ADMIN_ONLY},
    ("/desk/categories/<int:category_id>/move", "POST"): {"-": ADMIN_ONLY},
    ("/desk/categories/<int:category_id>/retire", "POST"): {"-": ADMIN_ONLY},
    # Section 11: `Four-eyes publishing` on /desk/settings, for admins.
    ("/desk/settings", "GET"): {"-": ADMIN_ONLY},
    ("/desk/settings", "POST"): {"-": ADMIN_ONLY},
    # --- images (section 12) -------------------------------------------------------
    # Files are public once their article is published; before, only the desk
    # (which lists every image in its library) gets them.
    ("/media/<name>", "GET"): {
        "published": EVERYONE,
        "draft": row(NOTFOUND, OK, OK, OK, OK),
        "unpublished": row(NOTFOUND, OK, OK, OK, OK),
    },
    (f"{ART}/lead-image", "GET"): VIEW,
    (f"{ART}/lead-image", "POST"): EDIT,
    (f"{ART}/lead-image/edit", "GET"): EDIT,
    (f"{ART}/lead-image/delete", "POST"): EDIT,
    (f"{ART}/lead-image/reuse", "POST"): EDIT,
    ("/desk/media", "GET"): {"-": SIGNED_IN},
    # Admins delete images, never one in use.
    ("/desk/media/<int:media_id>/delete", "POST"): {
        "unused@draft": ADMIN_ONLY,
        "used@draft": row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REFUSED),
    },
}

# --- the world one check runs in ---------------------------------------------------

_fresh = itertools.count(1)


@dataclass
class World:
    users: dict[str, User]  # author, other, editor, admin
    category: Category
    article: Article
    target: User  # the user an admin route acts on
    comments: dict[str, int]  # "open" and "resolved" thread ids, on comment routes
    used: Media | None = None  # the article's lead image
    unused: Media | None = None  # an image no article uses


def _tiny_png(n: int, purpose: int) -> bytes:
    """A PNG no other call makes: the library keeps one copy of equal bytes, so
    an upload that repeated an earlier world's image would add no rows."""
    from PIL import Image

    out = io.BytesIO()
    colour = (n % 256, n // 256 % 256, purpose)
    Image.new("RGB", (64, 36), colour).save(out, "PNG")
    return out.getvalue()


def _with_images(world: World, state: str) -> None:
    """Give the article a lead image (published with it) and add an unused one."""
    author, editor = world.users["author"], world.users["editor"]
    storage = web_media.storage()
    n = next(_fresh)
    world.unused, _ = images.store_upload(
        db.session, storage, author, data=_tiny_png(n, 10), filename="spare.png"
    )
    article = world.article
    if state == "scheduled":
        # Read-only while scheduled: the image routes are refused, nothing to add.
        db.session.commit()
        return
    images.attach_upload(
        db.session,
        storage,
        article,
        editor,
        expected_version=article.lead_image_version,
        data=_tiny_png(n, 20),
        filename="lead.png",
        alt="A river in the evening light",
        caption="",
        credit="",
    )
    if state in ("published", "unpublished"):
        workflow.apply(
            db.session,
            article,
            "publish_update",
            editor,
            expected_version=article.version,
            kind="update",
        )
    db.session.commit()
    world.used = db.session.get(Media, article.lead_image_id)


def _user(make_user: Callable[..., User], role: Role) -> User:
    return make_user(role, username=f"sweep-{role.value}-{next(_fresh)}")


def build_world(
    make_user: Callable[..., User],
    make_category: Callable[..., Category],
    make_article: Callable[..., Article],
    users: dict[str, User],
    state: str,
    rule: str = "",
) -> World:
    """A fresh category, an article by the author in `state`, a target user;
    on comment routes an open and a resolved thread by the editor (only there:
    an open thread would refuse Publish)."""
    category = make_category()
    article_state = "published" if state == "unpublished" else state
    if article_state not in STATES:
        article_state = "published"  # routes that do not depend on one
    article = make_article(
        author=users["author"], category=category, state=article_state
    )
    world = World(users, category, article, _user(make_user, Role.AUTHOR), {})
    if rule.startswith("/desk/categories"):
        make_category()  # below the world's, so that "down" moves it
    if "media" in rule or "lead-image" in rule:
        _with_images(world, state)
    if state == "unpublished":
        workflow.apply(
            db.session,
            article,
            "unpublish",
            users["editor"],
            expected_version=article.version,
            note="Withdrawn for legal review.",
        )
        db.session.commit()
    threads = {}
    if "/comments" in rule:
        for name in ("open", "resolved"):
            thread = comments.add_comment(
                db.session, article, users["editor"], block="summary", body="Source?"
            )
            threads[name] = thread.id
        comments.resolve(db.session, article, users["editor"], threads["resolved"])
        db.session.commit()
    world.comments = threads
    return world


def _revisions_of(article: Article) -> list[Revision]:
    return list(
        db.session.scalars(select(Revision).where(Revision.article_id == article.id))
    )


def path_for(rule: str, world: World, action: str | None) -> str:
    """Fill the rule's placeholders from the world's rows."""
    article = world.article

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "article_id":
            return str(article.id)
        if name == "section_id":
            return str(article.sections[0].id)
        if name == "number":  # the first revision: before the article was filled
            return str(min(r.number for r in _revisions_of(article)))
        if name == "block":
            return "summary"
        if name == "item_id":
            items = article.takeaways if "/takeaways/" in rule else article.faqs
            return str(items[0].id)
        if name == "comment_id":
            return str(world.comments["resolved" if "/reopen" in rule else "open"])
        if name == "user_id":
            return str(world.target.id)
        if name == "category_id":
            return str(world.category.id)
        if name == "slug":
            return (
                world.category.slug if rule.startswith("/categories") else article.slug
            )
        if name == "name" and rule.startswith("/media/"):
            assert world.used is not None
            return world.used.rendition_list()[0].name
        if name == "media_id":
            chosen = world.used if action == "used" else world.unused
            assert chosen is not None
            return str(chosen.id)
        if name == "name":
            assert action is not None
            return action
        if name in ("token", "link_id"):
            link = previews.create(db.session, article, article.author, valid_for=24)
            db.session.commit()
            return previews.token_for(link, SECRET) if name == "token" else str(link.id)
        if name == "notification_id":
            (notification,) = notifications.notify(
                db.session, [article.author], kind="test", message="For the author."
            )
            db.session.commit()
            return str(notification.id)
        raise AssertionError(f"no value for <{name}> in {rule}")

    return re.sub(r"<(?:\w+:)?(\w+)>", value, rule)


def form_for(rule: str, world: World, actor: str) -> dict[str, Any]:
    """Input that a permitted request accepts, so OK means it really happened."""
    a = world.article
    n = next(_fresh)
    if rule == "/login":
        user = world.users.get(actor, world.users["author"])
        return {"username": user.username, "password": PASSWORD}
    if rule == "/account/password":
        return {"current_password": PASSWORD, "password": f"a new secret {n}"}
    if rule == "/desk/articles/new":
        return {"title": f"Fresh story {n}", "category": world.category.id}
    if rule == "/desk/users":
        return {
            "username": f"newcomer{n}",
            "display_name": "New Comer",
            "password": "long enough password",
            "role": "author",
        }
    if rule.startswith("/desk/users/"):
        return {
            "role": "editor",
            "active": "0",
            "password": "another long password",
        }
    if rule == "/desk/settings":
        return {"four_eyes": "1"}
    if "/comments" in rule:
        return {
            "block": "summary",
            "comment": "Is this figure sourced?",
            "reply": "Yes: the council's own report.",
        }
    if rule.startswith("/desk/categories"):
        return {"name": f"Renamed section {n}", "direction": "down", "retired": "1"}
    if rule.endswith("/actions/<name>"):
        tomorrow = datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(days=1)
        return {
            "version": a.version,
            "note": "Please check the figures.",
            "reason": "Pulled for a legal review.",
            "publish_at": tomorrow.strftime("%Y-%m-%dT%H:%M"),
            "kind": "update",
        }
    if "/lead-image" in rule:
        assert world.unused is not None
        return {
            "version": a.lead_image_version,
            "alt": "Boats on the river at dusk",
            "caption": "The regatta ended late.",
            "credit": "Photo: Desk",
            "media": world.unused.id,
            "image": (io.BytesIO(_tiny_png(n, 30)), f"upload-{n}.png"),
        }
    if rule.endswith("/previews"):
        return {"valid_for": "24"}
    if rule == "/account":
        return {"email": f"someone{n}@example.org", "email_notifications": "1"}
    if rule.endswith("/meta"):
        return {
            "version": a.meta_version,
            "title": f"Retitled {n}",
            "category": world.category.id,
        }
    if "/history/" in rule:  # a restore, against the version shown
        return {"version": a.version}
    if rule.endswith("/save"):  # One Save for all, here with one changed block
        return {
            "summary.version": a.summary_version,
            "summary.digest": "shown-with-other-text",
            "summary.summary": "Every changed block saved at once.",
        }
    if rule.endswith("/summary"):
        return {
            "version": a.summary_version,
            "summary": "A new summary of what the council decided.",
        }
    if "/sections" in rule:
        return {
            "version": a.sections[0].version,
            "heading": "What happened",
            "body": "The council met and decided.",
            "direction": "down",
        }
    if "/takeaways" in rule:
        return {
            "version": a.takeaways_version,
            "takeaway": f"A fourth point, number {n}.",
            "direction": "down",
        }
    if "/questions" in rule:
        return {
            "version": a.faqs_version,
            "question": "Who voted against it?",
            "answer": "Four members.",
            "direction": "down",
        }
    return {}


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order (read afresh)."""
    db.session.expire_all()
    rows = {}
    for table in Base.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(r) for r in db.session.execute(query)]
    db.session.rollback()
    return rows


def changed_tables(before: dict, after: dict) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def state_of(rule: str, world: World) -> dict[str, Any]:
    """The database, and the presence store (Redis or a table) on its routes."""
    state: dict[str, Any] = snapshot()
    if "/presence" in rule:
        from editorial.desk.presence import presence_store

        seen = presence_store().others(world.article.id, 0)
        state["presence store"] = sorted(c.user_id for c in seen)
    return state


def seed(rule: str, world: World, actor: User | None) -> None:
    """Something for a request to undo, so that OK can be seen to have acted."""
    if actor is None:
        return
    if rule.endswith("/presence/leave"):
        from editorial.desk.presence import presence_store

        presence_store().ping(world.article.id, actor, "summary")
        db.session.commit()
    if rule == "/desk/notifications/read":
        notifications.notify(db.session, [actor], kind="test", message="Unread.")
        db.session.commit()


# What an accepted POST changes: the tables its effect must show in (beyond
# the article's version and revision, which every edit bumps).
_EDIT = {"articles", "revisions"}
EFFECT_TABLES: dict[str, set[str]] = {
    "/account/password": {"users", "audit_events"},
    "/account": {"users"},
    "/desk/articles/new": {"articles", "article_sections", "revisions"},
    f"{ART}/actions/<name>": {"articles", "transitions"},
    f"{ART}/presence": {"presence store"},
    f"{ART}/presence/leave": {"presence store"},
    f"{ART}/previews": {"preview_links", "audit_events"},
    f"{ART}/previews/<int:link_id>/revoke": {"preview_links", "audit_events"},
    f"{ART}/meta": _EDIT,
    f"{ART}/summary": _EDIT,
    f"{ART}/save": _EDIT,
    # The first revision had four empty sections and no lists.
    f"{ART}/history/<int:number>/restore": _EDIT
    | {"article_sections", "takeaways", "faq_items"},
    f"{ART}/history/<int:number>/restore/<block>": _EDIT,
    **{
        f"{ART}/{part}{suffix.format(id=key)}": _EDIT | {table}
        for part, key, table in (
            ("sections", "section_id", "article_sections"),
            ("takeaways", "item_id", "takeaways"),
            ("questions", "item_id", "faq_items"),
        )
        for suffix in ("", "/<int:{id}>", "/<int:{id}>/delete")
    },
    f"{ART}/sections/<int:section_id>/move": _EDIT | {"article_sections"},
    f"{ART}/takeaways/<int:item_id>/move": _EDIT | {"takeaways"},
    # A single question moved: nothing to swap, yet the list's version moves.
    f"{ART}/questions/<int:item_id>/move": _EDIT,
    f"{ART}/comments": {"comments"},
    f"{ART}/comments/<int:comment_id>/replies": {"comments"},
    f"{ART}/comments/<int:comment_id>/resolve": {"comments", "articles"},
    f"{ART}/comments/<int:comment_id>/reopen": {"comments", "articles"},
    "/desk/notifications/read": {"notifications"},
    "/desk/notifications/<int:notification_id>/read": {"notifications"},
    "/desk/users": {"users", "audit_events"},
    "/desk/users/<int:user_id>/role": {"users", "audit_events"},
    "/desk/users/<int:user_id>/active": {"users", "audit_events"},
    "/desk/users/<int:user_id>/password": {"users", "audit_events"},
    "/desk/categories": {"categories", "audit_events"},
    "/desk/categories/<int:category_id>/rename": {"categories", "audit_events"},
    "/desk/categories/<int:category_id>/move": {"categories"},
    "/desk/categories/<int:category_id>/retire": {"categories", "audit_events"},
    "/desk/settings": {"desk_settings", "audit_events"},
    f"{ART}/lead-image": _EDIT | {"media", "media_files"},
    f"{ART}/lead-image/delete": _EDIT,
    f"{ART}/lead-image/reuse": _EDIT,
    "/desk/media/<int:media_id>/delete": {"media", "media_files"},
}
# Signing in and out live in the session cookie (sign-out may record the
# user's session generation): no row need change.
NO_EFFECT: dict[str, set[str]] = {"/login": set(), "/logout": {"users"}}


def _fresh_article(world: World) -> Article:
    db.session.expire_all()
    return db.session.get(Article, world.article.id)


def _check_action(world: World, action: str | None) -> None:
    assert action is not None
    assert _fresh_article(world).state == workflow.get_action(action).target


def _check_article(
    saved: Callable[[Article], bool], what: str
) -> Callable[[World, str | None], None]:
    def check(world: World, action: str | None) -> None:
        assert saved(_fresh_article(world)), f"{what} was not saved"

    return check


def _check_user(**expected: Any) -> Callable[[World, str | None], None]:
    def check(world: World, action: str | None) -> None:
        db.session.expire_all()
        user = db.session.get(User, world.target.id)
        for name, value in expected.items():
            assert getattr(user, name) == value, name

    return check


def _check_category(world: World, action: str | None) -> None:
    db.session.expire_all()
    category = db.session.get(Category, world.category.id)
    assert category.name.startswith("Renamed section") or category.retired


def _check_media_deleted(world: World, action: str | None) -> None:
    assert world.unused is not None
    (media_id,) = inspect(world.unused).identity  # the row is gone: no reload
    db.session.expire_all()
    assert db.session.get(Media, media_id) is None


def _check_settings(world: World, action: str | None) -> None:
    from editorial.domain import settings

    db.session.expire_all()
    assert settings.four_eyes_enabled(db.session)


def _check_comment(world: World, action: str | None) -> None:
    from editorial.domain.models import Comment

    db.session.expire_all()
    bodies = db.session.scalars(
        select(Comment.body).where(Comment.article_id == world.article.id)
    ).all()
    assert "Is this figure sourced?" in bodies


# The effect itself, read back from the database, where a value is easy to name.
EFFECTS: dict[str, Callable[[World, str | None], None]] = {
    f"{ART}/actions/<name>": _check_action,
    f"{ART}/meta": _check_article(lambda a: a.title.startswith("Retitled"), "title"),
    f"{ART}/summary": _check_article(
        lambda a: a.summary == "A new summary of what the council decided.", "summary"
    ),
    f"{ART}/history/<int:number>/restore/<block>": _check_article(
        lambda a: a.summary == "", "the first revision's (empty) summary"
    ),
    f"{ART}/save": _check_article(
        lambda a: a.summary == "Every changed block saved at once.", "summary"
    ),
    f"{ART}/comments": _check_comment,
    "/desk/users/<int:user_id>/role": _check_user(role=Role.EDITOR),
    "/desk/users/<int:user_id>/active": _check_user(active=False),
    "/desk/categories/<int:category_id>/rename": _check_category,
    "/desk/categories/<int:category_id>/retire": _check_category,
    "/desk/settings": _check_settings,
    "/desk/media/<int:media_id>/delete": _check_media_deleted,
}


def _rules(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


CASES = [
    pytest.param(rule, method, variant, id=f"{method} {rule} [{variant}]")
    for (rule, method), variants in TABLE.items()
    for variant in variants
]


def test_every_route_and_method_is_in_the_table(app):
    routes = _rules(app)
    assert routes - TABLE.keys() == set(), "routes missing from the sweep's table"
    assert TABLE.keys() - routes == set(), "table rows for routes that do not exist"


def test_every_post_route_names_its_effect():
    posts = {rule for rule, method in TABLE if method == "POST"}
    assert posts - EFFECT_TABLES.keys() - NO_EFFECT.keys() == set()
    assert EFFECT_TABLES.keys() - posts == set()
    assert EFFECTS.keys() - posts == set()


def test_every_row_names_every_actor():
    for key, variants in TABLE.items():
        for variant, expected in variants.items():
            assert set(expected) == set(ACTORS), (key, variant)


@pytest.mark.parametrize(("rule", "method", "variant"), CASES)
def test_route_answers_each_actor_as_the_table_says(
    app, make_user, make_category, make_article, rule, method, variant
):
    action, _, state = variant.rpartition("@")
    users = {
        "author": _user(make_user, Role.AUTHOR),
        "other": _user(make_user, Role.AUTHOR),
        "editor": _user(make_user, Role.EDITOR),
        "admin": _user(make_user, Role.ADMIN),
    }
    got: dict[str, str] = {}
    changes: dict[str, set[str]] = {}
    world = None
    for actor in ACTORS:
        # A GET changes nothing, so its actors share one world; each POST gets
        # a fresh one.
        if world is None or method != "GET":
            world = build_world(
                make_user, make_category, make_article, users, state, rule
            )
        client = app.test_client()
        if actor != "anonymous":
            signed_in = client.post(
                "/login",
                data={"username": users[actor].username, "password": PASSWORD},
            )
            assert signed_in.status_code == 303, actor
        path = path_for(rule, world, action or None)
        if method == "GET":
            response = client.get(path)
        else:
            seed(rule, world, users.get(actor))
            form = form_for(rule, world, actor)
            before = state_of(rule, world)
            response = client.post(path, data=form)
            changes[actor] = changed_tables(before, state_of(rule, world))
            if classify(response) == OK and rule in EFFECTS:
                EFFECTS[rule](world, action or None)
        got[actor] = classify(response)
    assert got == TABLE[(rule, method)][variant]
    if method != "POST":
        return
    for actor in ACTORS:
        if got[actor] != OK:
            assert changes[actor] == set(), f"{actor} was refused yet changed it"
        elif rule in NO_EFFECT:
            assert changes[actor] <= NO_EFFECT[rule], actor
        else:
            required = EFFECT_TABLES[rule]
            assert required <= changes[actor], (actor, changes[actor])
