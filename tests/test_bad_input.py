"""Bad-input sweep: whatever arrives, never a 500 and never a partial save.

Every POST route of `app.url_map` gets hypothesis-made bodies: arbitrary
Unicode, NUL bytes, invalid UTF-8 (raw bytes, percent-encoded), 100k-character
values, wrong types, ids that do not exist, missing and duplicated fields. The
field names come from the forms on the desk's own pages. A refusal (4xx) must
leave every table exactly as it was; a success must leave every article whole
(positions 0..n-1, its version up by at most one, one revision per save).
Every GET route gets odd query strings, and every path converter odd values.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import func, select
from werkzeug.exceptions import MethodNotAllowed, NotFound

from editorial import create_app
from editorial.domain import comments, notifications, previews
from editorial.domain.models import (
    Article,
    ArticleSection,
    Base,
    Category,
    FaqItem,
    Notification,
    PreviewLink,
    Revision,
    Role,
    Takeaway,
    User,
)
from editorial.extensions import db
from tests.conftest import PASSWORD, base_config

SWEEP = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # the same examples on every run and in CI
    derandomize=True,
)

# The routes, read from a throwaway app (no database is touched to build one).
_ROUTES_APP = create_app(
    {
        **base_config("sqlite://"),
        "CACHE_TYPE": "NullCache",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
)
_RULES = sorted(
    (rule.rule, method)
    for rule in _ROUTES_APP.url_map.iter_rules()
    if rule.endpoint != "static"
    for method in rule.methods - {"HEAD", "OPTIONS"}
)
POST_RULES = [rule for rule, method in _RULES if method == "POST"]
GET_RULES = [rule for rule, method in _RULES if method == "GET"]
ADMIN_PREFIXES = ("/desk/users", "/desk/categories", "/desk/settings")
ACTION_NAMES = (
    "submit",
    "withdraw",
    "request_changes",
    "publish",
    "publish_update",
    "unpublish",
    "schedule",
    "unschedule",
)

_names = itertools.count(1)

# --- the world ---------------------------------------------------------------------


@dataclass
class World:
    editor: User
    admin: User
    target: User  # a user the admin routes act on
    bystander: User  # another one, for "an id that is not the one shown"
    category: Category
    article: Article  # the one the sweep posts to
    other: Article  # another article: it must never change
    # Thread ids: "open" and "resolved" on `article` (so its page shows the
    # reply, resolve and reopen forms), "foreign" on `other`.
    threads: dict[str, int]
    media_id: int = 0  # an image in the library that no article uses
    media_name: str = ""  # one of its files


def _make_world(make_user, make_category, make_article) -> World:
    editor = make_user(Role.EDITOR, username=f"bad-editor-{next(_names)}")
    admin = make_user(Role.ADMIN, username=f"bad-admin-{next(_names)}")
    target = make_user(Role.AUTHOR, username=f"bad-target-{next(_names)}")
    bystander = make_user(Role.AUTHOR, username=f"bad-bystander-{next(_names)}")
    category = make_category()
    article = make_article(category=category)
    other = make_article(category=category, state="published")
    threads = {
        name: comments.add_comment(
            db.session, on, editor, block="summary", body="Source?"
        ).id
        for name, on in (("open", article), ("resolved", article), ("foreign", other))
    }
    comments.resolve(db.session, article, editor, threads["resolved"])
    db.session.commit()
    world = World(editor, admin, target, bystander, category, article, other, threads)
    from PIL import Image

    from editorial.domain import images
    from editorial.web import media

    picture = io.BytesIO()
    Image.new("RGB", (64, 36), (40, 90, 160)).save(picture, "PNG")
    row, _ = images.store_upload(
        db.session, media.storage(), editor, data=picture.getvalue(), filename="a.png"
    )
    lead = io.BytesIO()
    Image.new("RGB", (64, 36), (160, 90, 40)).save(lead, "PNG")
    images.attach_upload(
        db.session,
        media.storage(),
        article,
        editor,
        expected_version=article.lead_image_version,
        data=lead.getvalue(),
        filename="lead.png",
        alt="A bridge over the river",
        caption="",
        credit="",
    )
    db.session.commit()
    world.media_id = row.id
    world.media_name = row.rendition_list()[0].name
    return world


def _login(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 303
    return client


# --- field discovery: the forms on the desk's own pages ---------------------------


def _rule_of(app: Flask, action: str) -> tuple[str, dict[str, Any]] | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint_rule, args = adapter.match(
            urlsplit(action).path, method="POST", return_rule=True
        )
    except (NotFound, MethodNotAllowed):
        return None
    return endpoint_rule.rule, args


def discover_fields(app: Flask, world: World) -> dict[str, set[str]]:
    """Rule -> the names of the fields its forms send, from every desk page."""
    admin = _login(app, world.admin)
    a = world.article
    _preview_link(a.id, world)  # so the editor shows Revoke
    _notification_of(world.admin)  # so the list shows Mark as read
    pages = [
        (admin, "/desk/"),
        (admin, "/desk/articles/new"),
        (admin, "/desk/users"),
        (admin, "/desk/categories"),
        (admin, "/desk/settings"),
        (admin, "/account/password"),
        (admin, "/account"),
        (admin, "/desk/notifications"),
        (admin, f"/desk/articles/{a.id}"),
        (admin, f"/desk/articles/{a.id}/history"),  # the restore buttons
        (admin, f"/desk/articles/{world.other.id}"),  # published: its actions
        (admin, f"/desk/media?article={a.id}"),  # reuse and delete an image
        (app.test_client(), "/login"),
    ]
    fields: dict[str, set[str]] = {}
    controls = "input, textarea, select, button"
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        tree = LexborHTMLParser(response.get_data(as_text=True))
        # Forms (with the fields that join them by their form="…" attribute),
        # and the editor's autosaving blocks (hx-post on an element whose
        # fields it sends).
        posted = [
            (form.attributes.get("action") or path, form.css(controls), form)
            for form in tree.css("form")
            if (form.attributes.get("method") or "get").lower() == "post"
        ] + [
            (block.attributes["hx-post"], block.css(controls), None)
            for block in tree.css("[data-autosave][hx-post]")
        ]
        for action, nodes, form in posted:
            found = _rule_of(app, action)
            if found is None:
                continue
            if form is not None and form.attributes.get("id"):
                nodes = [*nodes, *tree.css(f'[form="{form.attributes["id"]}"]')]
            names = {
                node.attributes.get("name")
                for node in nodes
                if node.attributes.get("name")
            } - {"csrf_token"}
            fields.setdefault(found[0], set()).update(names)
    # Review-only actions (request changes) are not on a draft's or published
    # article's page: their one field is the note.
    fields.setdefault("/desk/articles/<int:article_id>/actions/<name>", set()).update(
        {"version", "note", "reason", "publish_at", "kind", "correction_note"}
    )
    return fields


# --- what a body can hold ----------------------------------------------------------

CURRENT = "<current>"  # replaced by the right version or id at request time
ODD_VALUES = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "1.5",
    "1e3",
    " 1",
    "99999999999999999999",
    str(2**31),
    str(2**63),
    "²",
    "١٢",
    "０",
    "up",
    "down",
    "sideways",
    "author",
    "editor",
    "admin",
    "root",
    "on",
    "None",
    "null",
    "[]",
    "{}",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "Who?\x00",
    "\u202e\u200b\ufeff",
    "x" * 100_000,
    "é" * 100_000,
]
text_values = st.one_of(
    st.text(max_size=300),
    st.text(max_size=40).map(lambda s: f"{s}\x00{s}?"),
    st.sampled_from(ODD_VALUES),
    st.integers().map(str),
    st.binary(max_size=60),  # raw bytes: mostly invalid UTF-8
)
WRONG_NUMBERS = [
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    str(2**31),
    "²",
    "١٢",
    "",
    "1.5",
]


def field_values(name: str) -> st.SearchStrategy[Any]:
    one = st.one_of(st.just(CURRENT), text_values)
    if name in ("version", "category", "active", "retired", "direction", "role"):
        # Wrong types where a number or a choice is expected, often.
        one = st.one_of(st.just(CURRENT), st.sampled_from(WRONG_NUMBERS), text_values)
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def body_strategy(fields: set[str]) -> st.SearchStrategy[list[tuple[str, Any]]]:
    """Some of the fields (missing ones allowed), each once or repeated, and now
    and then a field nobody expects."""
    per_field = {
        name: st.one_of(st.none(), field_values(name)) for name in sorted(fields)
    }
    extras = st.lists(
        st.tuples(
            st.sampled_from(
                ["csrf_token", "slug", "id", "author_id", "state", "version"]
            ),
            text_values,
        ),
        max_size=2,
    )

    def flatten(
        drawn: tuple[dict[str, Any], list[tuple[str, Any]]],
    ) -> list[tuple[str, Any]]:
        chosen, extra = drawn
        pairs: list[tuple[str, Any]] = []
        for name, value in chosen.items():
            if value is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                pairs.append((name, item))
        return pairs + extra

    return st.tuples(st.fixed_dictionaries(per_field), extras).map(flatten)


def encode(pairs: list[tuple[str, str | bytes]]) -> bytes:
    """An application/x-www-form-urlencoded body; bytes values go in raw."""
    return "&".join(
        f"{quote_plus(name)}={quote_plus(value)}" for name, value in pairs
    ).encode("ascii")


# --- what "nothing changed" and "still whole" mean ---------------------------------


APPEND_ONLY = {"revisions", "transitions", "audit_events"}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (of the append-only logs: how many, the last id)."""
    db.session.expire_all()
    dump = {}
    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if table.name in APPEND_ONLY:
            stmt = select(func.count(), func.max(pk[0])).select_from(table)
        else:
            stmt = select(table).order_by(*pk)
        dump[table.name] = [tuple(r) for r in db.session.execute(stmt).all()]
    return dump


def _positions(model: Any, article_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(model.position)
            .where(model.article_id == article_id)
            .order_by(model.position)
        )
    )


def assert_articles_whole() -> None:
    """Every article: positions contiguous, a revision for its current version."""
    db.session.expire_all()
    for article in db.session.scalars(select(Article)):
        for model in (ArticleSection, Takeaway, FaqItem):
            positions = _positions(model, article.id)
            assert positions == list(range(len(positions))), (model.__name__, positions)
        article.working_content().to_json()  # it still reads back


def article_state(article_id: int) -> tuple[int, str, int]:
    db.session.expire_all()
    article = db.session.get(Article, article_id)
    revisions = db.session.scalar(
        select(func.count())
        .select_from(Revision)
        .where(Revision.article_id == article_id)
    )
    return article.version, article.working_content().to_json(), revisions


def assert_handled(response: Any, *where: Any) -> None:
    """Never a 500; and every value was judged by our own checks, not refused by
    the database (its refusals differ between SQLite and PostgreSQL: a NUL is
    stored by one and refused by the other)."""
    assert response.status_code < 500, (*where, response.get_data()[:300])
    assert b"Value not accepted" not in response.get_data(), where


# --- filling a POST rule's URL and CURRENT values ----------------------------------


def _first(model: Any, article_id: int) -> int | None:
    return db.session.scalar(
        select(model.id)
        .where(model.article_id == article_id)
        .order_by(model.position)
        .limit(1)
    )


def _preview_link(article_id: int, world: World) -> int:
    """An open preview link of the article (made when it has none)."""
    found = db.session.scalar(
        select(PreviewLink.id)
        .where(PreviewLink.article_id == article_id, PreviewLink.revoked_at.is_(None))
        .limit(1)
    )
    if found is None:
        article = db.session.get(Article, article_id)
        found = previews.create(db.session, article, world.admin, valid_for=24).id
        db.session.commit()
    return found


def _preview_token(world: World) -> str:
    link = db.session.get(PreviewLink, _preview_link(world.article.id, world))
    return previews.token_for(link, "test-only-secret")


def _notification_of(user: User) -> int:
    """One of the user's notifications (made when they have none)."""
    found = db.session.scalar(
        select(Notification.id).where(Notification.user_id == user.id).limit(1)
    )
    if found is None:
        (made,) = notifications.notify(
            db.session, [user], kind="test", message="Something happened."
        )
        db.session.commit()
        found = made.id
    return found


def _current_version(rule: str, article: Article, path_args: dict[str, Any]) -> int:
    if rule.endswith("/meta"):
        return article.meta_version
    if rule.endswith("/summary"):
        return article.summary_version
    if "<int:section_id>" in rule:
        section = db.session.get(ArticleSection, path_args["section_id"])
        return section.version if section is not None else 1
    if "/takeaways" in rule:
        return article.takeaways_version
    if "/questions" in rule:
        return article.faqs_version
    return article.version


def _current(
    name: str, rule: str, world: World, article: Article, path_args: dict[str, Any]
) -> str:
    if name == "version":
        return str(_current_version(rule, article, path_args))
    if name == "category":
        return str(world.category.id)
    if name == "username":
        return world.editor.username if rule == "/login" else f"new-user-{next(_names)}"
    if name in ("password", "current_password"):
        return PASSWORD
    if name == "role":
        return "editor"
    if name == "direction":
        return "down"
    if name in ("active", "retired"):
        return "1"
    if name == "question":
        return "Does it hold?"
    return f"A sensible value {next(_names)}."


path_choices = st.sampled_from(["real", "real", "real", "missing", "foreign"])


def fill_path(
    rule: str, world: World, choice: str, action: str
) -> tuple[str, dict[str, Any]]:
    """The URL for `rule`: its own rows, ids that do not exist, or another article's."""
    a = world.article
    args: dict[str, Any] = {}

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "name":
            return action
        if name == "block":
            return "summary"
        if choice == "missing":
            args[name] = 2**31 - 1
            return str(args[name])
        source = world.other if choice == "foreign" and name != "article_id" else a
        if name == "article_id":
            args[name] = a.id
        elif name == "section_id":
            args[name] = _first(ArticleSection, source.id) or 2**31 - 1
        elif name == "number":
            args[name] = db.session.scalar(
                select(func.min(Revision.number)).where(
                    Revision.article_id == source.id
                )
            )
        elif name == "item_id":
            model = Takeaway if "/takeaways/" in rule else FaqItem
            args[name] = _first(model, source.id) or 2**31 - 1
        elif name == "user_id":
            args[name] = world.target.id if choice != "foreign" else world.bystander.id
        elif name == "category_id":
            args[name] = world.category.id
        elif name == "comment_id":
            own = "resolved" if rule.endswith("/reopen") else "open"
            args[name] = world.threads["foreign" if choice == "foreign" else own]
        elif name == "media_id":
            args[name] = world.media_id
        elif name == "link_id":
            args[name] = _preview_link(source.id, world)
        elif name == "notification_id":
            # The sweep posts as the editor: theirs, or the admin's ("foreign").
            owner = world.admin if choice == "foreign" else world.editor
            args[name] = _notification_of(owner)
        else:
            raise AssertionError(f"no value for <{name}> in {rule}")
        return str(args[name])

    return re.sub(r"<(?:\w+:)?(\w+)>", value, rule), args


# --- the POST sweep ------------------------------------------------------------------

_FIELDS: dict[str, set[str]] = {}


@pytest.fixture
def world(make_user, make_category, make_article) -> World:
    return _make_world(make_user, make_category, make_article)


@pytest.fixture
def fields(app, world) -> dict[str, set[str]]:
    if not _FIELDS:
        _FIELDS.update(discover_fields(app, world))
    return _FIELDS


def test_every_post_route_has_discovered_fields(fields):
    # /logout's form, and the editor's goodbye beacon (presence/leave), send
    # nothing but their token; everything else has fields.
    tokens_only = ("/logout", "/desk/articles/<int:article_id>/presence/leave")
    missing = [r for r in POST_RULES if r not in fields and r not in tokens_only]
    assert missing == []


def _client_for(
    app: Flask, rule: str, world: World, clients: dict[str, FlaskClient]
) -> FlaskClient:
    if rule in ("/logout", "/login"):
        # Logging out (or in as someone else) must not end the sweep's session.
        if rule == "/login":
            return app.test_client()
        return _login(app, world.editor)
    who = "admin" if rule.startswith(ADMIN_PREFIXES) else "editor"
    if who not in clients:
        clients[who] = _login(app, world.admin if who == "admin" else world.editor)
    return clients[who]


@pytest.mark.parametrize("rule", POST_RULES)
def test_post_never_500_never_half_saved(app, world, fields, make_article, rule):
    clients: dict[str, FlaskClient] = {}
    rule_fields = fields.get(rule, set())
    state = {"article": world.article}

    @SWEEP
    @given(
        body=body_strategy(rule_fields),
        where=path_choices,
        action=st.sampled_from([*ACTION_NAMES, "no_such_action", "publish "]),
        htmx=st.booleans(),
    )
    def check(body, where, action, htmx):
        article = db.session.get(Article, state["article"].id)
        if not article.sections or not article.takeaways or not article.faqs:
            # The sweep removed every item: start again on a fresh article.
            article = state["article"] = make_article(category=world.category)
            world.article = article
        path, args = fill_path(rule, world, where, action)
        pairs = [
            (
                name,
                _current(name, rule, world, article, args)
                if value == CURRENT
                else value,
            )
            for name, value in body
        ]
        before = snapshot()
        article_before = article_state(article.id)
        client = _client_for(app, rule, world, clients)
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(
            path,
            data=encode(pairs),
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
        status = response.status_code
        assert_handled(response, path, pairs)
        if rule not in ("/login", "/logout"):
            # The sweep's own session still reaches the view.
            assert not response.headers.get("Location", "").startswith("/login")
        if status >= 400:
            assert snapshot() == before, f"{status} for {path} but something was saved"
            return
        assert_articles_whole()
        if not rule.startswith("/desk/articles/<"):
            return
        version, content, revisions = article_state(article.id)
        old_version, old_content, old_revisions = article_before
        assert version - old_version in (0, 1)
        assert revisions - old_revisions in (0, 1)
        if version == old_version:
            assert content == old_content
        after = snapshot()
        other = [r for r in after["articles"] if r[0] == world.other.id]
        assert other == [r for r in before["articles"] if r[0] == world.other.id]

    check()


def test_raw_invalid_utf8_bodies_are_refused_cleanly(app, world):
    client = _login(app, world.editor)
    a = world.article
    for path, body in [
        (f"/desk/articles/{a.id}/summary", b"version=1&summary=%FF%FE%00%C3"),
        (f"/desk/articles/{a.id}/summary", b"version=\xff\xfe&summary=\xc3\x28"),
        (f"/desk/articles/{a.id}/meta", b"version=1&title=\xed\xa0\x80&category=\xff"),
        (
            f"/desk/articles/{a.id}/takeaways",
            b"version=%ED%A0%80&takeaway=%F0%28%8C%BC",
        ),
        ("/desk/articles/new", b"title=%FF&category=%FE"),
    ]:
        before = snapshot()
        response = client.post(
            path, data=body, content_type="application/x-www-form-urlencoded"
        )
        assert_handled(response, path)
        if response.status_code >= 400:
            assert snapshot() == before


# --- query strings and path converters -----------------------------------------------

QUERY_NAMES = [
    "page",
    "q",
    "rev",
    "next",
    "category",
    "author",
    "state",
    "draft_page",
    "review_page",
    "published_page",
    # Names that mean something to url_for, should a view pass arguments on.
    "endpoint",
    "_external",
    "_scheme",
    "_anchor",
    "_method",
    "values",
]
ODD_QUERY = [
    "0",
    "-1",
    "abc",
    str(10**30),
    "²",
    "١",
    "１",
    "q" * 10_000,
    "\x00",
    '"*NEAR(',
    "NEAR(a b, 2)",
    "a OR",
    "'",
    "\\",
    "%",
    "_",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "draft",
    "published",
    "",
]
query_values = st.one_of(
    st.sampled_from(ODD_QUERY), st.text(max_size=200), st.binary(max_size=40)
)


def _get_path(rule: str, world: World) -> str:
    a = world.article

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "slug":
            return (
                world.category.slug
                if rule.startswith("/categories")
                else world.other.slug
            )
        if name == "name":
            return world.media_name
        if name == "token":
            return _preview_token(world)
        return str(
            {
                "article_id": a.id,
                "section_id": a.sections[0].id,
                "item_id": 0,
            }[name]
        )

    return re.sub(r"<(?:\w+:)?(\w+)>", value, rule)


@pytest.mark.parametrize("rule", GET_RULES)
def test_query_strings_never_500(app, world, make_article, rule):
    if rule == "/desk/":
        # More than one page in a group, so the page links are built too.
        for _ in range(26):
            make_article(category=world.category, filled=False)
    clients = {"editor": _login(app, world.editor), "anonymous": app.test_client()}
    path = _get_path(rule, world) if "<path:" not in rule else "/static/css/site.css"

    @SWEEP
    @given(
        query=st.lists(
            st.tuples(st.sampled_from(QUERY_NAMES), query_values), max_size=4
        ),
        who=st.sampled_from(["editor", "anonymous"]),
    )
    def check(query, who):
        qs = encode(query).decode("ascii")
        response = clients[who].get(f"{path}?{qs}" if qs else path)
        assert_handled(response, path, qs[:200])

    check()


INT_ODD = [str(2**31), str(2**63), "1" + "0" * 30, "-1", "+1", "1.0", "0x1", "²"]


def _path_base(world: World) -> dict[str, str]:
    return dict(
        article_id=str(world.article.id),
        section_id=str(world.article.sections[0].id),
        item_id=str(world.article.takeaways[0].id),
        user_id=str(world.target.id),
        category_id=str(world.category.id),
        comment_id=str(world.threads["open"]),
        slug=world.other.slug,
        name="submit",
        media_id=str(world.media_id),
        link_id=str(_preview_link(world.article.id, world)),
        notification_id=str(_notification_of(world.admin)),
        token=_preview_token(world),
        number=str(
            db.session.scalar(
                select(func.min(Revision.number)).where(
                    Revision.article_id == world.article.id
                )
            )
        ),
        block="summary",
    )


def _params(rule: str) -> list[tuple[str, str]]:
    return re.findall(r"<(?:(\w+):)?(\w+)>", rule)


def test_int_converters_refuse_what_the_database_cannot_hold(app, world):
    """Past what an INTEGER column holds, or not a plain integer: the route does
    not match, so 404 (and never an overflow in the database). A POST whose path
    a GET-only rule also has answers 405: werkzeug checks the method first."""
    client = _login(app, world.admin)
    base = _path_base(world)
    checked = 0
    for rule, method in _RULES:
        for converter, name in _params(rule):
            if converter != "int":
                continue
            for odd in INT_ODD:
                path = _fill(rule, {**base, name: odd})
                response = client.open(path, method=method, data={"version": "1"})
                allowed = {404} if method == "GET" else {404, 405}
                assert response.status_code in allowed, (method, path)
                checked += 1
    assert checked > 200


TEXT_PARAM_RULES = [
    rule
    for rule, _ in _RULES
    if any(c not in ("int", "path") for c, _ in _params(rule))
]


@pytest.mark.parametrize("rule", sorted(set(TEXT_PARAM_RULES)))
def test_text_converters_never_500(app, world, rule):
    client = _login(app, world.admin)
    base = _path_base(world)
    methods = [m for r, m in _RULES if r == rule]

    @SWEEP
    @given(
        odd=st.one_of(
            st.sampled_from(
                [
                    "..",
                    "%00",
                    "%2e%2e",
                    "%FF",
                    "é",
                    "a" * 5000,
                    "\u202e",
                    ".",
                    "%2F",
                    "%25",
                ]
            ),
            st.text(min_size=1, max_size=60),
        )
    )
    def check(odd):
        for converter, name in _params(rule):
            if converter == "int":
                continue
            path = _fill(rule, {**base, name: quote_plus(odd, safe="%.")})
            for method in methods:
                response = client.open(path, method=method, data={"version": "1"})
                assert_handled(response, method, path)

    check()


def _fill(rule: str, values: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule)


# --- MAX_CONTENT_LENGTH on the desk --------------------------------------------------


def test_huge_block_post_gets_a_friendly_413_and_saves_nothing(app, world):
    client = _login(app, world.editor)
    a = world.article
    before = snapshot()
    response = client.post(
        f"/desk/articles/{a.id}/summary",
        data={"version": str(a.summary_version), "summary": "x" * (2 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)
    assert snapshot() == before
    fragment = client.post(
        f"/desk/articles/{a.id}/sections/{a.sections[0].id}",
        data={"version": "1", "heading": "H", "body": "y" * (2 * 1024 * 1024)},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 413
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Too large" in fragment.get_data(as_text=True)
    assert snapshot() == before


# --- what the sweep found, pinned ---------------------------------------------------


def test_found_by_the_sweep(app, world, make_article):
    """Each of these answered 500 (or, on PostgreSQL only, a database refusal)."""
    editor = _login(app, world.editor)
    a = world.article
    summary = f"/desk/articles/{a.id}/summary"
    for version in ("²", "١٢", "99999999999999999999", "9" * 5000):
        before = snapshot()
        response = editor.post(summary, data={"version": version, "summary": "S."})
        assert response.status_code == 400
        assert snapshot() == before
    response = editor.post(
        f"/desk/articles/{a.id}/meta",
        data={"version": "1", "title": "T", "category": "99999999999999999999"},
    )
    assert response.status_code == 422
    assert "Choose a category from the list." in response.get_data(as_text=True)
    for _ in range(26):
        make_article(category=world.category, filled=False)
    for query in ("endpoint=x", "_scheme=https", "draft_page=²", "author=²", "q=a%00b"):
        response = editor.get(f"/desk/?{query}")
        assert response.status_code == 200, query
    assert editor.get(f"/desk/articles/{a.id}/history?rev=²").status_code == 200
    assert editor.get(f"/desk/articles/{a.id}/history?rev={10**20}").status_code == 200
    assert app.test_client().get("/articles/a%00b").status_code == 404
    refused = app.test_client().post(
        "/login", data={"username": "adm\x00in", "password": "x"}
    )
    assert refused.status_code == 401
    assert "Wrong username or password." in refused.get_data(as_text=True)
    admin = _login(app, world.admin)
    response = admin.post("/desk/categories", data={"name": "Spo\x00rt"})
    assert response.status_code == 303
    assert "Sport" in [c.name for c in db.session.scalars(select(Category))]
