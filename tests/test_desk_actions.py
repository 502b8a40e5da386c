"""Workflow actions and the checklist panel on the desk, and who may use what."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from editorial.domain import editing
from editorial.domain.models import Article, Role, State, Transition
from editorial.extensions import db
from tests.conftest import PASSWORD
from tests.desk_helpers import block, error_for, is_fragment, parse
from tests.steps import edit_first_section

HX = {"HX-Request": "true"}


def url(article: Article, path: str = "") -> str:
    return f"/desk/articles/{article.id}{path}"


def fresh(article: Article) -> Article:
    db.session.expire_all()
    return db.session.get(Article, article.id)


def _buttons(response) -> list[str]:
    return [b.text().strip() for b in parse(response).css("#actions-block button")]


def test_buttons_are_the_available_actions(make_user, make_article, login_as):
    author = make_user(Role.AUTHOR)
    draft = make_article(author=author)
    review = make_article(author=author, state="review")
    client = login_as(author)
    assert _buttons(client.get(url(draft))) == ["Submit for review"]
    assert _buttons(client.get(url(review))) == ["Withdraw"]


def test_editor_buttons_and_labelled_fields(make_user, make_article, login_as):
    review = make_article(state="review")
    published = make_article(state="published")
    client = login_as(make_user(Role.EDITOR))
    page = client.get(url(review))
    assert _buttons(page) == ["Request changes", "Publish", "Schedule"]
    labels = [x.text().strip() for x in parse(page).css("#actions-block label")]
    assert labels == ["Note", "Publish at"]
    page = client.get(url(published))
    assert _buttons(page) == ["Publish update", "Unpublish"]
    labels = [x.text().strip() for x in parse(page).css("#actions-block label")]
    assert labels == ["Typo fix", "Update", "Correction", "Correction note", "Reason"]
    legends = [x.text().strip() for x in parse(page).css("#actions-block legend")]
    assert legends == ["Kind of change"]


def test_submit_then_request_changes_then_note_shown(
    make_user, make_article, login_as, app
):
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author)
    client = login_as(author)
    response = client.post(
        url(article, "/actions/submit"), data={"version": article.version}
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert "Submitted for review." in page.get_data(as_text=True)
    assert fresh(article).state == State.REVIEW
    assert parse(page).css_first("#summary-form") is None  # read-only now

    other = app.test_client()
    other.post("/login", data={"username": editor.username, "password": PASSWORD})
    version = fresh(article).version
    refused = other.post(
        url(article, "/actions/request_changes"),
        data={"version": version, "note": "  "},
        headers=HX,
    )
    assert refused.status_code == 422
    assert is_fragment(refused, "actions-block")
    assert "Note is required" in error_for(parse(refused).body, "note-request_changes")
    assert fresh(article).state == State.REVIEW

    done = other.post(
        url(article, "/actions/request_changes"),
        data={"version": version, "note": "Check the date in para 2."},
        headers=HX,
    )
    assert done.status_code == 204
    assert done.headers["HX-Redirect"] == f"/desk/articles/{article.id}"
    assert fresh(article).state == State.DRAFT

    page = client.get(url(article))
    note = parse(page).css_first(".editor-note")
    assert note is not None and "Check the date in para 2." in note.text()
    # Until the next submission.
    client.post(
        url(article, "/actions/submit"), data={"version": fresh(article).version}
    )
    assert fresh(article).state == State.REVIEW
    assert parse(client.get(url(article))).css_first(".editor-note") is None


def test_checklist_failure_lists_findings(make_user, make_article, login_as):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author, filled=False)
    client = login_as(author)
    for headers in ({}, HX):
        response = client.post(
            url(article, "/actions/submit"),
            data={"version": article.version},
            headers=headers,
        )
        assert response.status_code == 422
        actions = block(response, "actions-block")
        assert "error" in actions.text()
        assert actions.css(".findings-failed li")
    assert fresh(article).state == State.DRAFT


def test_stale_version_is_a_conflict(make_user, make_article, login_as):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    client = login_as(author)
    response = client.post(
        url(article, "/actions/submit"),
        data={"version": article.version - 1},
        headers=HX,
    )
    assert response.status_code == 409
    assert is_fragment(response, "actions-block")
    assert "changed since you opened it" in response.get_data(as_text=True)
    assert fresh(article).state == State.DRAFT


def test_author_cannot_use_editor_actions(make_user, make_article, login_as):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author, state="review")
    client = login_as(author)
    for name in ("publish", "request_changes"):
        response = client.post(
            url(article, f"/actions/{name}"),
            data={"version": article.version, "note": "x"},
        )
        assert response.status_code == 403
    assert (
        client.post(url(article, "/actions/nope"), data={"version": 1}).status_code
        == 404
    )
    assert fresh(article).state == State.REVIEW
    assert db.session.scalar(select(func.count()).select_from(Transition)) == 1


def test_publish_and_unpublish_with_reason(make_user, make_article, login_as):
    article = make_article(state="review")
    client = login_as(make_user(Role.EDITOR))
    response = client.post(
        url(article, "/actions/publish"), data={"version": article.version}
    )
    assert response.status_code == 303
    page = client.get(url(article))
    assert "Published." in page.get_data(as_text=True)
    assert fresh(article).state == State.PUBLISHED
    refused = client.post(
        url(article, "/actions/unpublish"), data={"version": fresh(article).version}
    )
    assert refused.status_code == 422
    assert "Reason is required" in error_for(
        block(refused, "actions-block"), "reason-unpublish"
    )
    done = client.post(
        url(article, "/actions/unpublish"),
        data={"version": fresh(article).version, "reason": "Legal."},
    )
    assert done.status_code == 303
    assert fresh(article).state == State.DRAFT


# --- checklist panel ------------------------------------------------------------


def test_checklist_panel_links_to_fields(make_user, make_article, login_as):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    a = fresh(article)
    editing.update_summary(
        db.session,
        a,
        author,
        expected_version=a.summary_version,
        summary="The deal was signed on , officials said.",
    )
    db.session.commit()
    client = login_as(author)
    page = client.get(url(article))
    tree = parse(page)
    panel = tree.css_first("#checklist-block")
    assert panel.attributes["hx-trigger"] == "checklist-changed from:body"
    links = panel.css("a[data-focus]")
    assert links
    for link in links:
        target = link.attributes["data-focus"]
        assert link.attributes["href"] == f"#{target}"
        assert tree.css_first(f"#{target}") is not None, target
    assert any(link.attributes["data-focus"] == "summary" for link in links)
    assert "on ," in panel.text()
    severities = [li.attributes["class"] for li in panel.css("li.finding")]
    assert severities == sorted(severities, key=lambda c: "warning" in c)

    fragment = client.get(url(article, "/checklist"), headers=HX)
    assert is_fragment(fragment, "checklist-block")
    saved = client.post(
        url(article, "/summary"),
        data={"version": fresh(article).summary_version, "summary": "All clear now."},
        headers=HX,
    )
    assert saved.headers["HX-Trigger"] == "checklist-changed"
    refreshed = client.get(url(article, "/checklist"), headers=HX)
    assert "on ," not in refreshed.get_data(as_text=True)


# --- permissions for every endpoint ---------------------------------------------

GETS = [
    "",
    "/meta",
    "/meta/edit",
    "/summary",
    "/summary/edit",
    "/sections",
    "/sections/{sid}",
    "/sections/{sid}/edit",
    "/takeaways",
    "/takeaways/edit",
    "/questions",
    "/questions/edit",
    "/checklist",
    "/actions",
    "/history",
]
EDIT_GETS = {
    "/meta/edit",
    "/summary/edit",
    "/sections/{sid}/edit",
    "/takeaways/edit",
    "/questions/edit",
}
POSTS = [
    "/meta",
    "/summary",
    "/sections",
    "/sections/{sid}",
    "/sections/{sid}/delete",
    "/sections/{sid}/move",
    "/takeaways",
    "/takeaways/{tid}",
    "/takeaways/{tid}/delete",
    "/takeaways/{tid}/move",
    "/questions",
    "/questions/{qid}",
    "/questions/{qid}/delete",
    "/questions/{qid}/move",
    "/actions/publish",
]


def _paths(article: Article, paths: list[str]) -> list[tuple[str, str]]:
    ids = {
        "sid": article.sections[0].id,
        "tid": article.takeaways[0].id,
        "qid": article.faqs[0].id,
    }
    return [(p, url(article, p.format(**ids))) for p in paths]


def _form(article: Article) -> dict:
    return {
        "version": article.version,
        "summary": "x",
        "title": "T",
        "category": str(article.category_id),
        "heading": "H",
        "body": "B",
        "takeaway": "T.",
        "question": "Q?",
        "answer": "A.",
        "direction": "up",
    }


@pytest.mark.parametrize("htmx", [False, True])
def test_anonymous_is_redirected_to_login(client, make_article, htmx):
    article = make_article()
    for _, path in _paths(article, GETS):
        response = client.get(path, headers=HX if htmx else {})
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next=")
    for _, path in _paths(article, POSTS):
        response = client.post(path, data=_form(article))
        assert response.status_code == 302, path


def test_other_author_gets_404_everywhere(make_user, make_article, login_as):
    article = make_article()
    summary = article.summary
    client = login_as(make_user(Role.AUTHOR))
    for _, path in _paths(article, GETS):
        assert client.get(path).status_code == 404, path
        assert client.get(path, headers=HX).status_code == 404, path
    for _, path in _paths(article, POSTS):
        assert client.post(path, data=_form(article)).status_code == 404, path
    assert fresh(article).summary == summary


def test_author_in_review_reads_but_cannot_edit(make_user, make_article, login_as):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author, state="review")
    version = article.version
    client = login_as(author)
    for key, path in _paths(article, GETS):
        expected = 403 if key in EDIT_GETS else 200
        assert client.get(path, headers=HX).status_code == expected, path
    for _, path in _paths(article, POSTS):
        assert client.post(path, data=_form(article)).status_code == 403, path
    assert fresh(article).version == version


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_editors_reach_every_article(make_user, make_article, login_as, role):
    article = make_article(state="published")
    client = login_as(make_user(role))
    for _, path in _paths(article, GETS):
        assert client.get(path, headers=HX).status_code == 200, path
    response = client.post(
        url(article, "/summary"),
        data={
            "version": article.summary_version,
            "summary": "Edited after publication.",
        },
    )
    assert response.status_code == 303
    # The working copy changed; readers still see the published snapshot.
    assert fresh(article).summary == "Edited after publication."
    assert fresh(article).published_summary != "Edited after publication."


def test_publish_update_refused_by_the_checklist(make_user, make_article, login_as):
    """A published article whose working copy says "TK" stays as published."""
    editor = make_user(Role.EDITOR)
    article = make_article(state="published")
    edit_first_section(article, editor, "The vote was TK to four.")
    version, published = article.version, article.published_revision_id
    count = db.session.scalar(select(func.count()).select_from(Transition))
    client = login_as(editor)
    for headers in ({}, HX):
        response = client.post(
            url(article, "/actions/publish_update"),
            data={"version": version, "kind": "update"},
            headers=headers,
        )
        assert response.status_code == 422
        actions = block(response, "actions-block")
        assert "The checklist found 1 error to fix first." in actions.text()
        findings = " ".join(li.text() for li in actions.css(".findings-failed li"))
        assert "placeholder" in findings.lower()
    after = fresh(article)
    assert after.state == State.PUBLISHED
    assert after.version == version
    assert after.published_revision_id == published
    assert "TK" not in after.published_revision.content
    assert db.session.scalar(select(func.count()).select_from(Transition)) == count
    page = client.get(f"/articles/{article.slug}")
    assert page.status_code == 200 and "TK" not in page.get_data(as_text=True)
