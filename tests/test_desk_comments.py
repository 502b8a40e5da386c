"""Comment threads on the desk: every endpoint as htmx fragment and plain post,
who may use them, bad input, escaping, and where the open count shows."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from editorial.domain import comments, editing
from editorial.domain.models import Article, Comment, Role, State
from editorial.extensions import db
from tests.desk_helpers import error_for, is_fragment, parse

HX = {"HX-Request": "true"}


@pytest.fixture
def author(make_user):
    return make_user(Role.AUTHOR)


@pytest.fixture
def article(make_article, author):
    return make_article(author=author, state="review")


def url(article: Article, path: str = "") -> str:
    return f"/desk/articles/{article.id}{path}"


def _rows() -> list[tuple[str, str | None, bool]]:
    db.session.expire_all()
    return [
        (c.body, c.quote, c.resolved_at is not None)
        for c in db.session.scalars(select(Comment).order_by(Comment.id))
    ]


def _open(article: Article) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(Article.open_comments).where(Article.id == article.id)
    )


def _thread(article, editor, body="Which council?", block="summary"):
    root = comments.add_comment(db.session, article, editor, block=block, body=body)
    db.session.commit()
    return root


def test_post_comment_htmx_answers_with_the_panel(login_as, article, editor):
    client = login_as(editor)
    response = client.post(
        url(article, "/comments"),
        data={
            "block": "summary",
            "quote": "approved the new budget",
            "comment": "Which budget year?",
        },
        headers=HX,
    )
    assert response.status_code == 200
    assert is_fragment(response, "comments-summary")
    assert response.headers["HX-Trigger"] == "checklist-changed"
    assert "HX-Request" in response.headers["Vary"]
    panel = parse(response)
    assert panel.css_first(".comment-quote").text() == "approved the new budget"
    assert panel.css_first(".comment-body").text() == "Which budget year?"
    assert panel.css_first("[role=status]").text() == "Comment posted."
    assert _rows() == [("Which budget year?", "approved the new budget", False)]
    assert _open(article) == 1


def test_post_comment_without_javascript_redirects_and_flashes(
    login_as, article, editor
):
    client = login_as(editor)
    response = client.post(
        url(article, "/comments"),
        data={"block": "section", "section": article.sections[1].id, "comment": "Who?"},
    )
    assert response.status_code == 303
    anchor = f"comments-section-{article.sections[1].id}"
    assert response.headers["Location"] == f"/desk/articles/{article.id}#{anchor}"
    page = client.get(response.headers["Location"])
    tree = parse(page)
    assert "Comment posted." in tree.css_first(".flashes, .flash, main").text()
    panel = tree.css_first(f"#{anchor}")
    # Beside its own section, inside that section's block.
    assert panel.parent.attributes["id"] == f"section-{article.sections[1].id}-block"
    assert panel.css_first(".comment-body").text() == "Who?"


def test_every_block_has_add_comment(login_as, article, editor):
    tree = parse(login_as(editor).get(url(article)))
    panels = [p.attributes["id"] for p in tree.css("aside.comments")]
    sections = [f"comments-section-{s.id}" for s in article.sections]
    assert panels == [
        "comments-meta",
        "comments-summary",
        *sections,
        "comments-takeaways",
        "comments-faqs",
    ]
    for pid in panels:
        panel = tree.css_first(f"#{pid}")
        buttons = [b.text().strip() for b in panel.css("button")]
        assert buttons == ["Add comment", "Post comment"], pid
        assert panel.css_first(f"label[for={pid}-comment]").text() == "Comment"


def test_empty_comment_is_refused_next_to_the_field(login_as, article, editor):
    client = login_as(editor)
    response = client.post(
        url(article, "/comments"),
        data={"block": "summary", "comment": "  ", "quote": "The council"},
        headers=HX,
    )
    assert response.status_code == 422
    assert is_fragment(response, "comments-summary")
    panel = parse(response)
    assert error_for(panel, "comments-summary-comment") == "Comment is required."
    # The form stays open with what was typed.
    assert "collapsed" not in panel.css_first("#comments-summary-form").attributes.get(
        "class", ""
    )
    assert panel.css_first("#comments-summary-quote").attributes["value"] == (
        "The council"
    )
    plain = client.post(
        url(article, "/comments"), data={"block": "summary", "comment": ""}
    )
    assert plain.status_code == 422
    assert error_for(parse(plain), "comments-summary-comment") == "Comment is required."
    assert _rows() == []


def test_a_quote_not_in_the_block_is_refused(login_as, article, editor):
    response = login_as(editor).post(
        url(article, "/comments"),
        data={"block": "summary", "comment": "Hm", "quote": "not in the summary"},
        headers=HX,
    )
    assert response.status_code == 422
    assert error_for(parse(response), "comments-summary-quote") == (
        "These words are not in this block."
    )
    assert _rows() == []


@pytest.mark.parametrize(
    "data",
    [
        {"block": "lede", "comment": "Q"},
        {"block": "section", "section": "999999", "comment": "Q"},
        {"block": "section", "comment": "Q"},
    ],
)
def test_unknown_block_is_404(login_as, article, editor, data):
    assert (
        login_as(editor).post(url(article, "/comments"), data=data).status_code == 404
    )
    assert _rows() == []


def test_author_replies_on_their_own_article(login_as, article, author, editor):
    root = _thread(article, editor)
    client = login_as(author)
    page = parse(client.get(url(article)))
    thread = page.css_first(f"#comment-{root.id}")
    assert thread.css_first(".comment-body").text() == "Which council?"
    assert [b.text().strip() for b in thread.css("button")] == [
        "Reply",
        "Post reply",
        "Resolve",
    ]
    assert thread.css_first(f"label[for=reply-{root.id}-text]").text() == "Reply"

    response = client.post(
        url(article, f"/comments/{root.id}/replies"),
        data={"reply": "The city council."},
        headers=HX,
    )
    assert response.status_code == 200
    assert is_fragment(response, "comments-summary")
    replies = parse(response).css(f"#comment-{root.id} .reply .comment-body")
    assert [r.text() for r in replies] == ["The city council."]
    plain = client.post(
        url(article, f"/comments/{root.id}/replies"), data={"reply": "And more."}
    )
    assert plain.status_code == 303
    assert plain.headers["Location"] == f"/desk/articles/{article.id}#comments-summary"
    assert _rows() == [
        ("Which council?", None, False),
        ("The city council.", None, False),
        ("And more.", None, False),
    ]


def test_an_empty_reply_is_refused_next_to_its_field(login_as, article, editor):
    root = _thread(article, editor)
    response = login_as(editor).post(
        url(article, f"/comments/{root.id}/replies"), data={"reply": ""}, headers=HX
    )
    assert response.status_code == 422
    assert error_for(parse(response), f"reply-{root.id}-text") == "Reply is required."
    assert len(_rows()) == 1


def test_resolve_and_reopen(login_as, article, editor):
    root = _thread(article, editor)
    client = login_as(editor)
    response = client.post(url(article, f"/comments/{root.id}/resolve"), headers=HX)
    assert response.status_code == 200
    thread = parse(response).css_first(f"#comment-{root.id}")
    assert "resolved" in thread.attributes["class"]
    assert (
        thread.css_first(".resolved-note")
        .text()
        .startswith(f"Resolved by {editor.display_name}")
    )
    assert [b.text().strip() for b in thread.css(".resolve-form button")] == ["Reopen"]
    assert _open(article) == 0

    again = client.post(url(article, f"/comments/{root.id}/resolve"), headers=HX)
    assert again.status_code == 409
    assert "This comment was already resolved." in again.get_data(as_text=True)
    assert _open(article) == 0

    plain = client.post(url(article, f"/comments/{root.id}/reopen"))
    assert plain.status_code == 303
    page = client.get(plain.headers["Location"])
    assert "Comment reopened." in page.get_data(as_text=True)
    assert _open(article) == 1
    assert _rows() == [("Which council?", None, False)]


def test_another_author_gets_404_from_every_endpoint(
    make_user, login_as, article, editor
):
    root = _thread(article, editor)
    comments.resolve(db.session, article, editor, _thread(article, editor, "R").id)
    db.session.commit()
    before = _rows()
    client = login_as(make_user(Role.AUTHOR))
    attempts = {
        "page": client.get(url(article)),
        "add": client.post(
            url(article, "/comments"), data={"block": "summary", "comment": "Mine"}
        ),
        "reply": client.post(
            url(article, f"/comments/{root.id}/replies"), data={"reply": "Mine"}
        ),
        "resolve": client.post(url(article, f"/comments/{root.id}/resolve")),
        "reopen": client.post(url(article, f"/comments/{root.id}/reopen")),
        "htmx add": client.post(
            url(article, "/comments"),
            data={"block": "summary", "comment": "Mine"},
            headers=HX,
        ),
    }
    assert {name: r.status_code for name, r in attempts.items()} == {
        "page": 404,
        "add": 404,
        "reply": 404,
        "resolve": 404,
        "reopen": 404,
        "htmx add": 404,
    }
    for response in attempts.values():
        assert "Which council?" not in response.get_data(as_text=True)
    assert _rows() == before
    assert _open(article) == 1


def test_a_comment_id_of_another_article_is_404(
    login_as, make_article, article, author, editor
):
    elsewhere = _thread(make_article(author=author), editor)
    client = login_as(author)
    for path in ("replies", "resolve", "reopen"):
        response = client.post(
            url(article, f"/comments/{elsewhere.id}/{path}"), data={"reply": "x"}
        )
        assert response.status_code == 404, path
    assert len(_rows()) == 1


def test_comment_text_is_escaped(login_as, article, editor):
    response = login_as(editor).post(
        url(article, "/comments"),
        data={"block": "summary", "comment": "<script>alert(1)</script> <b>x</b>"},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;" in html


def test_an_outdated_quote_is_marked(login_as, make_article, author, editor):
    draft = make_article(author=author)
    comments.add_comment(
        db.session,
        draft,
        editor,
        block="summary",
        body="Which budget?",
        quote="the new budget",
    )
    db.session.commit()
    editing.update_summary(
        db.session,
        draft,
        author,
        expected_version=draft.summary_version,
        summary="The council approved the spending plan.",
    )
    db.session.commit()
    thread = parse(login_as(author).get(url(draft))).css_first("#comments-summary")
    assert thread.css_first(".badge-outdated").text() == "Outdated"
    assert "edited away" in thread.css_first(".outdated-note").text()
    assert thread.css_first(".comment-quote").text() == "the new budget"


def test_open_count_in_dashboard_row_and_checklist(login_as, article, editor):
    _thread(article, editor, "One")
    _thread(article, editor, "Two", block="faqs")
    client = login_as(editor)
    dashboard = parse(client.get("/desk/"))
    row = [
        tr
        for tr in dashboard.css("tr")
        if tr.css_first("a") and tr.css_first("a").text() == article.title
    ][0]
    assert row.css_first(".badge-comments").text() == "2 open comments"
    checklist = parse(client.get(url(article, "/checklist"), headers=HX))
    assert checklist.css_first("#open-comments strong").text() == "2 open comments"


def test_publish_with_open_comments_is_refused_but_submit_is_not(
    login_as, make_article, author, editor
):
    draft = make_article(author=author)
    _thread(draft, editor)
    submitted = login_as(author).post(
        url(draft, "/actions/submit"), data={"version": draft.version}
    )
    assert submitted.status_code == 303
    db.session.expire_all()
    draft = db.session.get(Article, draft.id)
    assert draft.state == State.REVIEW

    client = login_as(editor)
    refused = client.post(
        url(draft, "/actions/publish"), data={"version": draft.version}, headers=HX
    )
    assert refused.status_code == 422
    findings = parse(refused).css("#actions-block .finding")
    assert [f.text().strip() for f in findings] == ["Comments: 1 open comment"]
    assert db.session.get(Article, draft.id).state == State.REVIEW


def test_editor_page_counts_a_constant_number_of_comment_queries(
    login_as, article, editor
):
    from tests.conftest import count_queries

    client = login_as(editor)
    client.get(url(article))
    with count_queries() as few:
        client.get(url(article))
    for n in range(6):
        root = _thread(article, editor, f"Query {n}")
        comments.reply(db.session, article, editor, root.id, body="Answer")
        db.session.commit()
    with count_queries() as many:
        client.get(url(article))
    assert len(many) == len(few)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 12


def test_saving_a_block_does_not_claim_a_comment_was_posted(
    login_as, make_article, author
):
    draft = make_article(author=author)
    response = login_as(author).post(
        url(draft, "/summary"),
        data={"version": draft.summary_version, "summary": "A new summary."},
        headers=HX,
    )
    assert response.status_code == 200
    tree = parse(response)
    statuses = [s.text().strip() for s in tree.css("[role=status]")]
    assert re.fullmatch(r"Saved \d\d:\d\d", " ".join(s for s in statuses if s))
    assert tree.css_first("#comments-summary [role=status]") is None
