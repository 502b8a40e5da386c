"""History on the desk, and the diff module (plain, without HTTP)."""

from __future__ import annotations

import pytest
from markupsafe import Markup
from sqlalchemy import select

from editorial.domain import diff, editing, workflow
from editorial.domain.content import ArticleContent, Faq, Section
from editorial.domain.models import Article, ArticleSection, Revision, Role
from editorial.extensions import db
from tests.conftest import count_queries
from tests.desk_helpers import is_fragment, parse

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


def _strip(html: str, tag: str) -> str:
    """The text of the diff with `tag`'s elements removed and other tags dropped."""
    import re

    without = re.sub(rf"<{tag}>.*?</{tag}>", "", html, flags=re.S)
    return re.sub(r"</?(del|ins)>", "", without)


@pytest.mark.timeout(10)
def test_diff_of_pathological_repetitive_text_is_bounded():
    # 16,000+ words of near-identical repetition: the old word-level
    # SequenceMatcher took ~20 s here; the diff must stay bounded and correct.
    old = " ".join(["the cat the dog"] * 4_100)
    new = " ".join(["the dog the cat"] * 4_100)
    shuffled_old = "\n\n".join(("a b " * 60).strip() for _ in range(300))
    shuffled_new = "\n\n".join(("b a " * 60).strip() for _ in range(300))
    for before, after in ((old, new), (shuffled_old, shuffled_new)):
        html = str(diff.inline_diff(before, after))
        # Whatever the granularity, the markup reads back as both versions.
        assert _strip(html, "del") == after
        assert _strip(html, "ins") == before


@pytest.mark.timeout(10)
def test_diff_budget_is_shared_by_all_blocks_of_a_request():
    sections_old = tuple(
        Section(f"Part {i}", " ".join(["x y"] * 3_000)) for i in range(12)
    )
    sections_new = tuple(
        Section(f"Part {i}", " ".join(["y x"] * 3_000)) for i in range(12)
    )
    changes = diff.diff_content(
        ArticleContent(title="T", sections=sections_old),
        ArticleContent(title="T", sections=sections_new),
    )
    assert [c.key for c in changes] == [f"section-{i}" for i in range(12)]
    assert all(c.status == "changed" for c in changes)
    assert _strip(str(changes[11].html), "del") == "Part 11\n\n" + " ".join(
        ["y x"] * 3_000
    )


def test_diff_compares_paragraphs_then_words_of_changed_ones():
    html = str(
        diff.inline_diff(
            "Same first.\n\nThe cat sat.\n\nSame last.",
            "Same first.\n\nThe dog sat.\n\nSame last.",
        )
    )
    assert html == "Same first.\n\nThe <del>cat</del><ins>dog</ins> sat.\n\nSame last."


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
    client = login_as(editor)
    # On open, only the selected revision's diff is computed; the second one is
    # a link away.
    opened = parse(client.get(f"/desk/articles/{article.id}/history"))
    section = opened.css_first(".history-since")
    assert "Changes since last submission" in section.text()
    assert section.css(".diff-block") == []
    link = section.css_first("a").attributes["href"]
    assert "compare=submission" in link
    response = client.get(link)
    section = parse(response).css_first(".history-since")
    assert [d.attributes["data-block"] for d in section.css(".diff-block")] == [
        "summary"
    ]
    assert "<del>long debate</del><ins>submission</ins>" in section.html


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


@pytest.mark.timeout(20)
def test_history_of_pathological_bodies_opens_in_bounded_time(
    make_user, make_article, login_as
):
    # An author saves a 16,000-word repetitive body and submits; after changes
    # are requested, saves its mirror image. History (both diffs, for an
    # editor) must still answer promptly: the old diff took ~20 s per diff here.
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author)
    section_id = article.sections[0].id
    client = login_as(author)

    def save(body: str) -> None:
        version = db.session.get(ArticleSection, section_id).version
        response = client.post(
            f"/desk/articles/{article.id}/sections/{section_id}",
            data={"heading": "What happened", "body": body, "version": version},
        )
        assert response.status_code == 303

    save(" ".join(["a b"] * 8_200))
    a = db.session.get(Article, article.id)
    workflow.apply(db.session, a, "submit", author, expected_version=a.version)
    workflow.apply(
        db.session, a, "request_changes", editor, expected_version=a.version, note="x"
    )
    db.session.commit()
    save(" ".join(["b a"] * 8_200))
    client.post("/logout")
    page = parse(
        login_as(editor).get(f"/desk/articles/{article.id}/history?compare=submission")
    )
    blocks = page.css("#diff-block .diff-block")
    assert [b.attributes["data-block"] for b in blocks] == ["section-0"]
    assert blocks[0].text().count("b a b a") >= 1
    since = page.css(".history-since .diff-block")
    assert [b.attributes["data-block"] for b in since] == ["section-0"]
