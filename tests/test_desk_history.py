"""History on the desk, and the diff module (plain, without HTTP)."""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy import select

from editorial.domain import diff, editing, workflow
from editorial.domain.content import ArticleContent, Faq, Section
from editorial.domain.models import Article, Revision, Role
from editorial.extensions import db
from tests.conftest import count_queries
from tests.test_desk_helpers import is_fragment, parse

HX = {"HX-Request": "true"}


# --- diff module -----------------------------------------------------------------


def test_inline_diff_marks_words_and_escapes():
    html = diff.inline_diff("The <b>cat</b> sat.", "The <b>dog</b> sat!")
    assert isinstance(html, Markup)
    assert str(html) == (
        "The &lt;b&gt;<del>cat</del><ins>dog</ins>&lt;/b&gt; "
        "sat<del>.</del><ins>!</ins>"
    )


def test_diff_content_lists_only_changed_blocks_in_order():
    old = ArticleContent(
        title="Floods",
        category_name="News",
        summary="Rivers rose on Monday.",
        sections=(Section("What happened", "Water."), Section("Context", "Old.")),
        takeaways=("One.", "Two."),
        faqs=(Faq("Why?", "Rain."),),
    )
    new = ArticleContent(
        title="Floods",
        category_name="News",
        summary="Rivers rose on Tuesday.",
        sections=(Section("What happened", "Water."),),
        takeaways=("One.", "Two.", "Three."),
        faqs=(Faq("Why?", "Rain."),),
    )
    changes = diff.diff_content(old, new)
    assert [(c.key, c.status) for c in changes] == [
        ("summary", "changed"),
        ("section-1", "removed"),
        ("takeaways", "changed"),
    ]
    assert "<del>Monday</del><ins>Tuesday</ins>" in changes[0].html
    assert "<del>Context" in changes[1].html
    assert "<ins>" in changes[2].html and "Three" in changes[2].html
    assert changes[1].label == "Section 2: Context"


def test_diff_of_first_revision_marks_everything_added():
    new = ArticleContent(title="T", summary="S", faqs=(Faq("Q?", "A."),))
    changes = diff.diff_content(None, new)
    assert [c.key for c in changes] == ["title", "summary", "faqs"]
    assert all(c.status == "added" for c in changes)
    assert diff.diff_content(new, new) == []


# --- history page ----------------------------------------------------------------


def test_history_lists_transitions_revisions_and_diff(
    make_user, make_article, login_as
):
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author, state="review")
    workflow.apply(
        db.session,
        article,
        "request_changes",
        editor,
        expected_version=article.version,
        note="Fix the dates.",
    )
    db.session.commit()
    editing.update_summary(
        db.session,
        article,
        author,
        expected_version=article.summary_version,
        summary="A sharper summary of the budget.",
    )
    db.session.commit()
    client = login_as(author)
    response = client.get(f"/desk/articles/{article.id}/history")
    assert response.status_code == 200
    tree = parse(response)
    assert len(tree.css("h1")) == 1
    rows = tree.css(".history-transitions tbody tr")
    assert len(rows) == 2
    assert "Fix the dates." in rows[0].text() and editor.display_name in rows[0].text()
    assert "In review" in rows[0].text() and "Draft" in rows[0].text()
    revisions = db.session.scalars(
        select(Revision).where(Revision.article_id == article.id)
    ).all()
    assert len(tree.css(".revision-list li")) == len(revisions)
    # The newest revision is shown by default: the summary change.
    diff_block = tree.css_first("#diff-block")
    blocks = [d.attributes["data-block"] for d in diff_block.css(".diff-block")]
    assert blocks == ["summary"]
    assert diff_block.css_first("ins") is not None
    # Authors do not get "Changes since last submission".
    assert "Changes since last submission" not in response.get_data(as_text=True)


def test_history_revision_fragment(make_user, make_article, login_as):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    first = db.session.scalar(
        select(Revision).where(Revision.article_id == article.id, Revision.number == 1)
    )
    client = login_as(author)
    fragment = client.get(
        f"/desk/articles/{article.id}/history?rev={first.number}", headers=HX
    )
    assert fragment.status_code == 200
    assert is_fragment(fragment, "diff-block")
    assert "(the first)" in fragment.get_data(as_text=True)
    missing = client.get(f"/desk/articles/{article.id}/history?rev=999", headers=HX)
    assert "There is no such revision." in missing.get_data(as_text=True)


def test_editor_sees_changes_since_last_submission(make_user, make_article, login_as):
    editor = make_user(Role.EDITOR)
    article = make_article(state="review")
    workflow.apply(
        db.session,
        article,
        "request_changes",
        editor,
        expected_version=article.version,
        note="More detail.",
    )
    a = db.session.get(Article, article.id)
    editing.update_summary(
        db.session,
        a,
        editor,
        expected_version=a.summary_version,
        summary="Changed after the submission.",
    )
    db.session.commit()
    response = login_as(editor).get(f"/desk/articles/{article.id}/history")
    section = parse(response).css_first(".history-since")
    assert section is not None
    assert "Changes since last submission" in section.text()
    assert [d.attributes["data-block"] for d in section.css(".diff-block")] == [
        "summary"
    ]


def test_history_of_other_authors_article_is_404(make_user, make_article, login_as):
    article = make_article()
    client = login_as(make_user(Role.AUTHOR))
    assert client.get(f"/desk/articles/{article.id}/history").status_code == 404


def test_history_statement_count_is_constant(make_user, make_article, login_as):
    author = make_user(Role.AUTHOR)
    small = make_article(author=author)
    large = make_article(author=author)
    for n in range(15):
        a = db.session.get(Article, large.id)
        editing.update_summary(
            db.session, a, author, expected_version=a.summary_version, summary=f"V{n}"
        )
        db.session.commit()
    client = login_as(author)
    counts = []
    for a in (small, large):
        with count_queries() as statements:
            assert client.get(f"/desk/articles/{a.id}/history").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
