"""Admin pages (users, categories) and the categories domain module."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from editorial.domain import categories
from editorial.domain.errors import InvalidInput, NotAllowed
from editorial.domain.models import AuditEvent, Category, Role, User
from editorial.extensions import db
from tests.conftest import PASSWORD
from tests.desk_helpers import error_for, is_fragment, parse

HX = {"HX-Request": "true"}


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def _audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- permissions -----------------------------------------------------------------

ADMIN_GETS = ["/desk/users", "/desk/categories"]
ADMIN_POSTS = [
    "/desk/users",
    "/desk/users/{uid}/role",
    "/desk/users/{uid}/active",
    "/desk/users/{uid}/password",
    "/desk/categories",
    "/desk/categories/{cid}/rename",
    "/desk/categories/{cid}/move",
    "/desk/categories/{cid}/retire",
]


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.EDITOR])
def test_non_admins_are_refused(make_user, make_category, login_as, role):
    target = make_user(Role.AUTHOR)
    category = make_category("Kept")
    client = login_as(make_user(role))
    for path in ADMIN_GETS:
        assert client.get(path).status_code == 403
        assert client.get(path, headers=HX).status_code == 403
    for path in ADMIN_POSTS:
        response = client.post(
            path.format(uid=target.id, cid=category.id),
            data={
                "role": "admin",
                "active": "0",
                "password": "x" * 12,
                "name": "Hacked",
                "username": "evil",
                "display_name": "Evil",
                "retired": "1",
                "direction": "up",
            },
        )
        assert response.status_code == 403, path
    assert db.session.get(User, target.id).role == Role.AUTHOR
    assert db.session.get(Category, category.id).name == "Kept"
    nav = parse(client.get("/desk/")).css_first(".desk-header nav").text()
    assert "Users" not in nav and "Categories" not in nav


def test_anonymous_admin_pages_redirect(client):
    for path in ADMIN_GETS:
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


# --- users -----------------------------------------------------------------------


def test_users_page_and_fragment(admin, login_as):
    client = login_as(admin)
    page = client.get("/desk/users")
    assert page.status_code == 200
    assert len(parse(page).css("h1")) == 1
    assert admin.username in page.get_data(as_text=True)
    nav = parse(page).css_first(".desk-header nav").text()
    assert "Users" in nav and "Categories" in nav
    fragment = client.get("/desk/users", headers=HX)
    assert is_fragment(fragment, "users-block")


def test_create_user_and_audit(admin, login_as, app):
    client = login_as(admin)
    response = client.post(
        "/desk/users",
        data={
            "username": "reporter",
            "display_name": "Ree Porter",
            "role": "author",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/desk/users"
    page = client.get("/desk/users")
    assert "User reporter created." in page.get_data(as_text=True)
    assert "user.create" in parse(page).css_first(".history-table").text()
    user = db.session.scalar(select(User).where(User.username == "reporter"))
    assert user.must_change_password
    via_htmx = client.post(
        "/desk/users",
        data={
            "username": "second",
            "display_name": "Second",
            "role": "editor",
            "password": PASSWORD,
        },
        headers=HX,
    )
    assert via_htmx.status_code == 204
    assert via_htmx.headers["HX-Redirect"] == "/desk/users"


def test_create_user_refused_next_to_field(admin, login_as):
    client = login_as(admin)
    for headers in ({}, HX):
        response = client.post(
            "/desk/users",
            data={
                "username": "ok-name",
                "display_name": "Fine",
                "role": "author",
                "password": "short",
            },
            headers=headers,
        )
        assert response.status_code == 422
        node = parse(response).css_first("#users-block")
        assert "10 characters" in error_for(node, "new-password")
        assert node.css_first("#new-username").attributes["value"] == "ok-name"
        assert node.css_first("#new-password").attributes.get("value") in (None, "")
    assert db.session.scalar(select(User).where(User.username == "ok-name")) is None


def test_change_role_deactivate_reactivate_and_reset(admin, make_user, login_as):
    target = make_user(Role.AUTHOR)
    client = login_as(admin)
    assert (
        client.post(
            f"/desk/users/{target.id}/role", data={"role": "editor"}
        ).status_code
        == 303
    )
    assert db.session.get(User, target.id).role == Role.EDITOR
    assert (
        client.post(f"/desk/users/{target.id}/active", data={"active": "0"}).status_code
        == 303
    )
    assert not db.session.get(User, target.id).active
    assert (
        client.post(f"/desk/users/{target.id}/active", data={"active": "1"}).status_code
        == 303
    )
    assert db.session.get(User, target.id).active
    response = client.post(
        f"/desk/users/{target.id}/password", data={"password": "a new password 1"}
    )
    assert response.status_code == 303
    assert db.session.get(User, target.id).must_change_password
    assert _audit_actions()[-4:] == [
        "user.role",
        "user.deactivate",
        "user.activate",
        "user.reset_password",
    ]
    # The admin cannot lock themselves out.
    refused = client.post(f"/desk/users/{admin.id}/active", data={"active": "0"})
    assert refused.status_code == 422
    assert "yourself" in refused.get_data(as_text=True)
    assert (
        client.post("/desk/users/9999/role", data={"role": "editor"}).status_code == 404
    )


def test_reset_password_forces_change_at_next_login(admin, make_user, login_as, app):
    target = make_user(Role.AUTHOR)
    login_as(admin).post(
        f"/desk/users/{target.id}/password", data={"password": "temporary password"}
    )
    other = app.test_client()
    response = other.post(
        "/login", data={"username": target.username, "password": "temporary password"}
    )
    assert response.status_code == 303
    assert other.get("/desk/").headers["Location"].endswith("/account/password")


# --- categories ------------------------------------------------------------------


def test_categories_page_create_rename_move_retire(admin, make_category, login_as):
    first, second = make_category("Politics"), make_category("Sport")
    client = login_as(admin)
    page = client.get("/desk/categories")
    assert page.status_code == 200
    assert is_fragment(client.get("/desk/categories", headers=HX), "categories-block")

    created = client.post("/desk/categories", data={"name": "Culture"})
    assert created.status_code == 303
    culture = db.session.scalar(select(Category).where(Category.name == "Culture"))
    assert culture.slug == "culture"
    assert [c.name for c in categories.ordered(db.session)] == [
        "Politics",
        "Sport",
        "Culture",
    ]
    renamed = client.post(
        f"/desk/categories/{second.id}/rename", data={"name": "Sports"}, headers=HX
    )
    assert renamed.status_code == 204
    assert db.session.get(Category, second.id).name == "Sports"
    assert db.session.get(Category, second.id).slug == "sport"
    client.post(f"/desk/categories/{culture.id}/move", data={"direction": "up"})
    assert [c.name for c in categories.ordered(db.session)] == [
        "Politics",
        "Culture",
        "Sports",
    ]
    client.post(f"/desk/categories/{first.id}/retire", data={"retired": "1"})
    assert db.session.get(Category, first.id).retired
    new_article = login_as(admin).get("/desk/articles/new").get_data(as_text=True)
    assert "Politics" not in new_article
    client.post(f"/desk/categories/{first.id}/retire", data={"retired": "0"})
    assert not db.session.get(Category, first.id).retired
    assert _audit_actions()[-5:] == [
        "category.create",
        "category.rename",
        "category.move",
        "category.retire",
        "category.restore",
    ]


def test_category_name_refused_next_to_field(admin, make_category, login_as):
    make_category("Politics")
    client = login_as(admin)
    response = client.post("/desk/categories", data={"name": "politics"})
    assert response.status_code == 422
    node = parse(response).css_first("#categories-block")
    assert "already" in error_for(node, "new-category-name")
    empty = client.post("/desk/categories", data={"name": " "}, headers=HX)
    assert empty.status_code == 422 and is_fragment(empty, "categories-block")


def test_categories_domain_refuses_non_admins(make_user, make_category):
    editor = make_user(Role.EDITOR)
    category = make_category()
    with pytest.raises(NotAllowed):
        categories.create_category(db.session, editor, "New")
    with pytest.raises(NotAllowed):
        categories.set_retired(db.session, editor, category.id, True)


def test_categories_domain_rules(make_user):
    admin = make_user(Role.ADMIN)
    a = categories.create_category(db.session, admin, "  Big   News ")
    b = categories.create_category(db.session, admin, "Big-News")
    assert (a.name, a.slug) == ("Big News", "big-news")
    assert b.slug == "big-news-2"
    with pytest.raises(InvalidInput):
        categories.rename_category(db.session, admin, b.id, "big news")
    with pytest.raises(InvalidInput):
        categories.create_category(db.session, admin, "x" * 81)
    with pytest.raises(InvalidInput):
        categories.move_category(db.session, admin, a.id, "sideways")
    categories.move_category(db.session, admin, a.id, "up")  # at the top: no move
    assert [c.id for c in categories.ordered(db.session)] == [a.id, b.id]
