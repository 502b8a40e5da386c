"""The article editor: every block endpoint as page, fragment and plain post."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import func, select

from editorial.domain import checklist, editing
from editorial.domain.models import Article, Category, FaqItem, Revision, Role, Takeaway
from editorial.extensions import db
from tests.conftest import count_queries
from tests.desk_helpers import block, error_for, field_value, is_fragment, parse

HX = {"HX-Request": "true"}


@pytest.fixture
def author(make_user):
    return make_user(Role.AUTHOR)


@pytest.fixture
def article(make_article, author):
    return make_article(author=author)


@pytest.fixture
def client_author(login_as, author):
    return login_as(author)


def url(article: Article, path: str = "") -> str:
    return f"/desk/articles/{article.id}{path}"


def fresh(article: Article) -> Article:
    db.session.expire_all()
    return db.session.get(Article, article.id)


# --- the page --------------------------------------------------------------------


def test_editor_page_has_labels_address_and_preview(client_author, article):
    response = client_author.get(url(article))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    tree = parse(response)
    assert len(tree.css("h1")) == 1
    assert f"/articles/{article.slug}" in tree.css_first("#article-address").text()
    labels = [label.text().strip() for label in tree.css("label")]
    for label in (
        "Title",
        "Category",
        "Quick summary",
        "Heading",
        "Body",
        "Takeaway",
        "Question",
        "Answer",
    ):
        assert label in labels, label
    buttons = [b.text().strip() for b in tree.css("button")]
    for name in (
        "Save",
        "Add section",
        "Add takeaway",
        "Add question",
        "Remove",
        "Move up",
        "Move down",
        "Submit for review",
    ):
        assert name in buttons, name
    preview = [a for a in tree.css("a") if a.text().strip() == "Preview"]
    assert preview[0].attributes["href"] == f"/desk/articles/{article.id}/preview"
    assert "Key takeaways" in html and "People also ask" in html
    for block_id in (
        "meta-block",
        "summary-block",
        "sections-block",
        "takeaways-block",
        "faqs-block",
        "checklist-block",
        "actions-block",
    ):
        assert tree.css_first(f"#{block_id}") is not None
    count = tree.css_first("#summary-count").text()
    assert f"{len(article.summary)} / 500" in count


def test_editor_fragment_for_htmx(client_author, article):
    response = client_author.get(url(article), headers=HX)
    assert response.status_code == 200
    assert is_fragment(response, "editor")


GET_BLOCKS = [
    ("/meta", "meta-block"),
    ("/meta/edit", "meta-block"),
    ("/summary", "summary-block"),
    ("/summary/edit", "summary-block"),
    ("/sections", "sections-block"),
    ("/takeaways", "takeaways-block"),
    ("/takeaways/edit", "takeaways-block"),
    ("/questions", "faqs-block"),
    ("/questions/edit", "faqs-block"),
    ("/checklist", "checklist-block"),
    ("/actions", "actions-block"),
]


@pytest.mark.parametrize(("path", "root"), GET_BLOCKS)
def test_block_get_endpoints(client_author, article, path, root):
    fragment = client_author.get(url(article, path), headers=HX)
    assert fragment.status_code == 200
    assert is_fragment(fragment, root)
    assert "HX-Request" in fragment.headers["Vary"]
    page = client_author.get(url(article, path))
    assert page.status_code == 200
    assert "<html" in page.get_data(as_text=True)
    assert parse(page).css_first(f"#{root}") is not None


def test_section_get_endpoints(client_author, article):
    section = article.sections[1]
    for path in (f"/sections/{section.id}", f"/sections/{section.id}/edit"):
        fragment = client_author.get(url(article, path), headers=HX)
        assert fragment.status_code == 200
        assert is_fragment(fragment, f"section-{section.id}-block")
    edit = client_author.get(url(article, f"/sections/{section.id}/edit"), headers=HX)
    assert field_value(parse(edit).body, "section-1-heading") == section.heading
    missing = client_author.get(url(article, "/sections/99999"), headers=HX)
    assert missing.status_code == 404


def test_show_state_is_read_only_with_edit_link(client_author, article):
    fragment = client_author.get(url(article, "/summary"), headers=HX)
    tree = parse(fragment)
    # Only the comment panel's forms: the block's own text is not a field.
    assert tree.css_first("textarea:not([name=comment]):not([name=reply])") is None
    assert tree.css_first("p#summary").text() == article.summary
    assert "Edit" in [a.text().strip() for a in tree.css("a")]


# --- saving each block: htmx and plain post -------------------------------------


def _saves(client, article, path, data, root, anchor):
    """The htmx save answers with its block; the plain post redirects (303)."""
    fragment = client.post(url(article, path), data=data(), headers=HX)
    assert fragment.status_code == 200, fragment.get_data(as_text=True)[:400]
    assert is_fragment(fragment, root)
    assert fragment.headers["HX-Trigger"] == "checklist-changed"
    plain = client.post(url(article, path), data=data())
    assert plain.status_code == 303
    assert plain.headers["Location"] == f"/desk/articles/{article.id}#{anchor}"
    page = client.get(plain.headers["Location"])
    assert (
        "saved" in page.get_data(as_text=True).lower()
        or "added" in page.get_data(as_text=True).lower()
        or "removed" in page.get_data(as_text=True).lower()
        or "moved" in (page.get_data(as_text=True).lower())
    )
    return page


def test_update_summary(client_author, article):
    page = _saves(
        client_author,
        article,
        "/summary",
        lambda: {"version": fresh(article).summary_version, "summary": "New summary."},
        "summary-block",
        "summary-block",
    )
    assert fresh(article).summary == "New summary."
    assert field_value(block(page, "summary-block"), "summary") == "New summary."
    assert "Quick summary saved." in page.get_data(as_text=True)


def test_update_meta(client_author, article, make_category):
    other = make_category("Science")
    page = _saves(
        client_author,
        article,
        "/meta",
        lambda: {
            "version": fresh(article).meta_version,
            "title": "A better title",
            "category": str(other.id),
            "slug": "a-better-title",
        },
        "meta-block",
        "meta-block",
    )
    saved = fresh(article)
    assert (saved.title, saved.category_id, saved.slug) == (
        "A better title",
        other.id,
        "a-better-title",
    )
    assert parse(page).css_first("h1").text() == "A better title"
    assert "/articles/a-better-title" in page.get_data(as_text=True)


def test_update_section(client_author, article):
    section_id = article.sections[0].id

    def data() -> dict:
        section = next(s for s in fresh(article).sections if s.id == section_id)
        return {
            "version": section.version,
            "heading": "What happened",
            "body": "The **river** rose.",
        }

    page = _saves(
        client_author,
        article,
        f"/sections/{section_id}",
        data,
        f"section-{section_id}-block",
        f"section-{section_id}-block",
    )
    section = fresh(article).sections[0]
    assert (section.heading, section.body) == ("What happened", "The **river** rose.")
    assert field_value(parse(page).body, "section-0-body") == "The **river** rose."


def test_add_move_delete_section(client_author, article):
    before = len(article.sections)
    response = client_author.post(url(article, "/sections"), data={}, headers=HX)
    assert response.status_code == 200 and is_fragment(response, "sections-block")
    assert len(fresh(article).sections) == before + 1
    plain = client_author.post(url(article, "/sections"), data={})
    assert plain.status_code == 303
    assert plain.headers["Location"].endswith("#sections-block")
    assert len(fresh(article).sections) == before + 2

    first, second = [s.id for s in fresh(article).sections[:2]]
    moved = client_author.post(
        url(article, f"/sections/{first}/move"), data={"direction": "down"}, headers=HX
    )
    assert moved.status_code == 200 and is_fragment(moved, "sections-block")
    assert [s.id for s in fresh(article).sections[:2]] == [second, first]
    moved = client_author.post(
        url(article, f"/sections/{first}/move"), data={"direction": "up"}
    )
    assert moved.status_code == 303
    assert [s.id for s in fresh(article).sections[:2]] == [first, second]

    version = fresh(article).sections[0].version
    gone = client_author.post(
        url(article, f"/sections/{first}/delete"),
        data={"version": version},
        headers=HX,
    )
    assert gone.status_code == 200 and is_fragment(gone, "sections-block")
    assert first not in [s.id for s in fresh(article).sections]
    bad = client_author.post(
        url(article, f"/sections/{second}/move"), data={"direction": "sideways"}
    )
    assert bad.status_code == 400


def test_takeaways_add_update_move_delete(client_author, article):
    page = _saves(
        client_author,
        article,
        "/takeaways",
        lambda: {"version": fresh(article).takeaways_version, "takeaway": "Fourth."},
        "takeaways-block",
        "takeaways-block",
    )
    texts = [t.text for t in fresh(article).takeaways]
    assert texts[-2:] == ["Fourth.", "Fourth."]
    assert field_value(block(page, "takeaways-block"), "takeaway-3") == "Fourth."
    assert field_value(block(page, "takeaways-block"), "takeaway-new") == ""

    item = fresh(article).takeaways[0]
    item_id = item.id
    _saves(
        client_author,
        article,
        f"/takeaways/{item.id}",
        lambda: {"version": fresh(article).takeaways_version, "takeaway": "Edited."},
        "takeaways-block",
        "takeaways-block",
    )
    assert fresh(article).takeaways[0].text == "Edited."

    moved = client_author.post(
        url(article, f"/takeaways/{item.id}/move"),
        data={"version": fresh(article).takeaways_version, "direction": "down"},
        headers=HX,
    )
    assert moved.status_code == 200 and is_fragment(moved, "takeaways-block")
    assert fresh(article).takeaways[1].id == item_id
    removed = client_author.post(
        url(article, f"/takeaways/{item.id}/delete"),
        data={"version": fresh(article).takeaways_version},
    )
    assert removed.status_code == 303
    assert item_id not in [t.id for t in fresh(article).takeaways]


def test_questions_add_update_move_delete(client_author, article):
    _saves(
        client_author,
        article,
        "/questions",
        lambda: {
            "version": fresh(article).faqs_version,
            "question": "Who pays?",
            "answer": "The city.",
        },
        "faqs-block",
        "faqs-block",
    )
    faqs = fresh(article).faqs
    assert [f.question for f in faqs][-1] == "Who pays?"
    item = faqs[0]
    item_id = item.id
    _saves(
        client_author,
        article,
        f"/questions/{item.id}",
        lambda: {
            "version": fresh(article).faqs_version,
            "question": "Why now?",
            "answer": "Because.",
        },
        "faqs-block",
        "faqs-block",
    )
    assert (fresh(article).faqs[0].question, fresh(article).faqs[0].answer) == (
        "Why now?",
        "Because.",
    )
    moved = client_author.post(
        url(article, f"/questions/{item.id}/move"),
        data={"version": fresh(article).faqs_version, "direction": "down"},
    )
    assert moved.status_code == 303
    assert fresh(article).faqs[1].id == item_id
    removed = client_author.post(
        url(article, f"/questions/{item.id}/delete"),
        data={"version": fresh(article).faqs_version},
        headers=HX,
    )
    assert removed.status_code == 200 and is_fragment(removed, "faqs-block")
    assert item_id not in [f.id for f in fresh(article).faqs]


def test_missing_version_is_a_bad_request(client_author, article):
    response = client_author.post(url(article, "/summary"), data={"summary": "x"})
    assert response.status_code == 400


# --- validation ------------------------------------------------------------------


def _revisions() -> int:
    return db.session.scalar(select(func.count()).select_from(Revision))


@pytest.mark.parametrize("htmx", [True, False])
def test_overlong_summary_is_refused_next_to_field(client_author, article, htmx):
    revisions = _revisions()
    text = "x" * 501
    response = client_author.post(
        url(article, "/summary"),
        data={"version": article.summary_version, "summary": text},
        headers=HX if htmx else {},
    )
    assert response.status_code == 422
    if htmx:
        assert is_fragment(response, "summary-block")
    else:
        assert "<html" in response.get_data(as_text=True)
    summary = block(response, "summary-block")
    assert "501" in error_for(summary, "summary")
    assert field_value(summary, "summary") == text
    assert "501 / 500" in summary.css_first("#summary-count").text()
    assert fresh(article).summary != text
    assert _revisions() == revisions


def test_empty_takeaway_is_refused(client_author, article):
    count = len(article.takeaways)
    response = client_author.post(
        url(article, "/takeaways"),
        data={"version": article.takeaways_version, "takeaway": "   "},
        headers=HX,
    )
    assert response.status_code == 422
    takeaways = block(response, "takeaways-block")
    assert "cannot be empty" in error_for(takeaways, "takeaway-new")
    assert len(fresh(article).takeaways) == count


def test_empty_takeaway_edit_keeps_the_item(client_author, article):
    item = article.takeaways[1]
    response = client_author.post(
        url(article, f"/takeaways/{item.id}"),
        data={"version": article.takeaways_version, "takeaway": ""},
    )
    assert response.status_code == 422
    assert "cannot be empty" in error_for(
        block(response, "takeaways-block"), "takeaway-1"
    )
    assert db.session.get(Takeaway, item.id).text == item.text


def test_question_without_question_mark_is_refused(client_author, article):
    response = client_author.post(
        url(article, "/questions"),
        data={
            "version": article.faqs_version,
            "question": "Who pays",
            "answer": "The city.",
        },
        headers=HX,
    )
    assert response.status_code == 422
    faqs = block(response, "faqs-block")
    assert "?" in error_for(faqs, "question-new")
    assert field_value(faqs, "question-new") == "Who pays"
    assert field_value(faqs, "answer-new") == "The city."
    assert len(fresh(article).faqs) == 1


def test_unknown_category_is_refused(client_author, article):
    response = client_author.post(
        url(article, "/meta"),
        data={
            "version": article.meta_version,
            "title": "Changed title",
            "category": "99999",
        },
    )
    assert response.status_code == 422
    meta = block(response, "meta-block")
    assert "Choose a category" in error_for(meta, "category")
    assert field_value(meta, "title") == "Changed title"
    assert fresh(article).title != "Changed title"


def test_eleventh_question_is_refused(client_author, article, author):
    for n in range(9):
        a = fresh(article)
        editing.add_item(
            db.session,
            a,
            author,
            "faqs",
            expected_version=a.faqs_version,
            values={"question": f"Question {n}?", "answer": "Yes."},
        )
    db.session.commit()
    assert len(fresh(article).faqs) == 10
    response = client_author.post(
        url(article, "/questions"),
        data={
            "version": fresh(article).faqs_version,
            "question": "Eleven?",
            "answer": "No.",
        },
        headers=HX,
    )
    assert response.status_code == 422
    assert "at most 10" in error_for(block(response, "faqs-block"), "question-new")
    assert db.session.scalar(select(func.count()).select_from(FaqItem)) == 10


# --- conflicts -------------------------------------------------------------------


@pytest.fixture
def client_editor(app, make_user):
    from tests.conftest import PASSWORD

    editor = make_user(Role.EDITOR)
    client = app.test_client()
    response = client.post(
        "/login", data={"username": editor.username, "password": PASSWORD}
    )
    assert response.status_code == 303
    client.user = editor
    return client


@pytest.mark.parametrize("htmx", [True, False])
def test_same_block_conflict_keeps_both_texts(
    client_author, client_editor, article, htmx
):
    version = article.summary_version
    first = client_editor.post(
        url(article, "/summary"), data={"version": version, "summary": "Editor's text."}
    )
    assert first.status_code == 303
    second = client_author.post(
        url(article, "/summary"),
        data={"version": version, "summary": "Author's text."},
        headers=HX if htmx else {},
    )
    assert second.status_code == 409
    summary = block(second, "summary-block")
    text = summary.text()
    assert "changed by" in text and client_editor.user.display_name in text
    assert summary.css_first(".conflict time") is not None
    assert field_value(summary, "summary") == "Author's text."
    assert "Editor's text." in summary.css_first(".theirs").text()
    buttons = [b.text().strip() for b in summary.css("button")]
    assert "Keep my version" in buttons
    assert "Use theirs" in [a.text().strip() for a in summary.css("a")]
    assert fresh(article).summary == "Editor's text."
    # "Keep my version" re-submits against the newer version the form now carries.
    new_version = summary.css_first('input[name="summary.version"]').attributes["value"]
    assert int(new_version) == fresh(article).summary_version
    kept = client_author.post(
        url(article, "/summary"),
        data={"version": new_version, "summary": "Author's text."},
    )
    assert kept.status_code == 303
    assert fresh(article).summary == "Author's text."


def test_different_blocks_both_save(client_author, client_editor, article):
    snapshot = fresh(article)
    summary_v, takeaways_v = snapshot.summary_version, snapshot.takeaways_version
    section = snapshot.sections[0]
    one = client_editor.post(
        url(article, "/summary"),
        data={"version": summary_v, "summary": "By the editor."},
    )
    two = client_author.post(
        url(article, "/takeaways"),
        data={"version": takeaways_v, "takeaway": "By the author."},
    )
    three = client_author.post(
        url(article, f"/sections/{section.id}"),
        data={"version": section.version, "heading": "H", "body": "By the author."},
    )
    assert (one.status_code, two.status_code, three.status_code) == (303, 303, 303)
    saved = fresh(article)
    assert saved.summary == "By the editor."
    assert saved.takeaways[-1].text == "By the author."
    assert saved.sections[0].body == "By the author."


def test_section_conflict_and_removed_section(client_author, client_editor, article):
    section = article.sections[0]
    version = section.version
    client_editor.post(
        url(article, f"/sections/{section.id}"),
        data={"version": version, "heading": "Theirs", "body": "B1"},
    )
    response = client_author.post(
        url(article, f"/sections/{section.id}"),
        data={"version": version, "heading": "Mine", "body": "My body"},
        headers=HX,
    )
    assert response.status_code == 409
    assert is_fragment(response, f"section-{section.id}-block")
    node = parse(response).body
    assert field_value(node, "section-0-body") == "My body"
    assert "B1" in node.css_first(".theirs").text()

    other = fresh(article).sections[1]
    other_id, other_version = other.id, other.version
    client_editor.post(
        url(article, f"/sections/{other_id}/delete"), data={"version": other_version}
    )
    gone = client_author.post(
        url(article, f"/sections/{other_id}"),
        data={"version": other_version, "heading": "Kept", "body": "Kept body"},
        headers=HX,
    )
    assert gone.status_code == 409
    assert gone.headers["HX-Retarget"] == "#sections-block"
    assert is_fragment(gone, "sections-block")
    assert "removed by" in gone.get_data(as_text=True)
    assert field_value(parse(gone).body, "section-restore-body") == "Kept body"


def test_takeaway_conflict_keeps_text(client_author, client_editor, article):
    version = article.takeaways_version
    item = article.takeaways[0]
    item_id = item.id
    client_editor.post(
        url(article, f"/takeaways/{item_id}"),
        data={"version": version, "takeaway": "Editor's point."},
    )
    response = client_author.post(
        url(article, f"/takeaways/{item_id}"),
        data={"version": version, "takeaway": "Author's point."},
        headers=HX,
    )
    assert response.status_code == 409
    node = block(response, "takeaways-block")
    assert field_value(node, "takeaway-0") == "Author's point."
    assert "Editor's point." in node.css_first(".theirs").text()
    assert db.session.get(Takeaway, item_id).text == "Editor's point."

    # The item was removed meanwhile: the text moves to the Add field.
    v2 = fresh(article).takeaways_version
    client_editor.post(
        url(article, f"/takeaways/{item_id}/delete"), data={"version": v2}
    )
    response = client_author.post(
        url(article, f"/takeaways/{item_id}"),
        data={"version": v2, "takeaway": "Still mine."},
        headers=HX,
    )
    assert response.status_code == 409
    assert field_value(block(response, "takeaways-block"), "takeaway-new") == (
        "Still mine."
    )


# --- read-only -------------------------------------------------------------------


def test_author_sees_review_article_read_only(make_article, author, client_author):
    article = make_article(author=author, state="review")
    page = client_author.get(url(article))
    assert page.status_code == 200
    tree = parse(page)
    assert tree.css("textarea") == [] or all(
        t.attributes.get("name") in ("note", "reason", "comment", "reply")
        for t in tree.css("textarea")
    )
    assert tree.css_first("#summary-form") is None
    assert "Withdraw" in [b.text().strip() for b in tree.css("button")]
    assert "Save" not in [b.text().strip() for b in tree.css("button")]
    assert article.summary in tree.css_first("#summary").text()


# --- statement counts ------------------------------------------------------------


def test_editor_statement_count_is_constant(make_article, author, client_author):
    small = make_article(author=author)
    large = make_article(author=author)
    for _ in range(12):
        editing.add_section(
            db.session, fresh(large), author, heading="More", body="Text."
        )
    for n in range(4):
        a = fresh(large)
        editing.add_item(
            db.session,
            a,
            author,
            "takeaways",
            expected_version=a.takeaways_version,
            values={"takeaway": f"Extra {n}."},
        )
    for n in range(8):
        a = fresh(large)
        editing.add_item(
            db.session,
            a,
            author,
            "faqs",
            expected_version=a.faqs_version,
            values={"question": f"Q{n}?", "answer": "A."},
        )
    db.session.commit()
    counts = []
    for a in (small, large):
        with count_queries() as statements:
            assert client_author.get(url(a)).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_category_choices_include_current_retired_category(
    make_article, make_category, author, client_author
):
    article = make_article(author=author)
    db.session.get(Category, article.category_id).retired = True
    db.session.commit()
    make_category("Fresh")
    options = [
        o.text() for o in parse(client_author.get(url(article))).css("#category option")
    ]
    assert any("(retired)" in o for o in options) and "Fresh" in options


# --- every block POST endpoint, with and without htmx ---------------------------

POST_ENDPOINTS = [
    ("/meta", "meta-block", "meta-block"),
    ("/summary", "summary-block", "summary-block"),
    ("/sections", "sections-block", "sections-block"),
    ("/sections/{sid}", "section-{sid}-block", "section-{sid}-block"),
    ("/sections/{sid}/delete", "sections-block", "sections-block"),
    ("/sections/{sid}/move", "sections-block", "sections-block"),
    ("/takeaways", "takeaways-block", "takeaways-block"),
    ("/takeaways/{tid}", "takeaways-block", "takeaways-block"),
    ("/takeaways/{tid}/delete", "takeaways-block", "takeaways-block"),
    ("/takeaways/{tid}/move", "takeaways-block", "takeaways-block"),
    ("/questions", "faqs-block", "faqs-block"),
    ("/questions/{qid}", "faqs-block", "faqs-block"),
    ("/questions/{qid}/delete", "faqs-block", "faqs-block"),
    ("/questions/{qid}/move", "faqs-block", "faqs-block"),
]


def _post_data(article: Article, path: str) -> dict:
    section = article.sections[0]
    version = {
        "/meta": article.meta_version,
        "/summary": article.summary_version,
    }.get(path)
    if path.startswith("/sections"):
        version = section.version
    elif path.startswith("/takeaways"):
        version = article.takeaways_version
    elif path.startswith("/questions"):
        version = article.faqs_version
    return {
        "version": version,
        "title": "Title via endpoint test",
        "category": str(article.category_id),
        "summary": "Summary via endpoint test.",
        "heading": "Heading",
        "body": "Body via endpoint test.",
        "takeaway": "Takeaway via endpoint test.",
        "question": "Question via endpoint test?",
        "answer": "Answer.",
        "direction": "down",
    }


@pytest.mark.parametrize("htmx", [True, False])
@pytest.mark.parametrize(("path", "root", "anchor"), POST_ENDPOINTS)
def test_every_block_post_endpoint(
    client_author, article, author, path, root, anchor, htmx
):
    a = fresh(article)
    editing.add_item(
        db.session,
        a,
        author,
        "faqs",
        expected_version=a.faqs_version,
        values={"question": "Second?", "answer": "Yes."},
    )
    db.session.commit()
    a = fresh(article)
    ids = {"sid": a.sections[0].id, "tid": a.takeaways[0].id, "qid": a.faqs[0].id}
    before = a.version
    response = client_author.post(
        url(a, path.format(**ids)),
        data=_post_data(a, path),
        headers=HX if htmx else {},
    )
    if htmx:
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert is_fragment(response, root.format(**ids))
        assert response.headers["HX-Trigger"] == "checklist-changed"
    else:
        assert response.status_code == 303
        assert response.headers["Location"] == (
            f"/desk/articles/{a.id}#{anchor.format(**ids)}"
        )
        page = client_author.get(response.headers["Location"])
        assert parse(page).css_first(".flash-success") is not None
    assert fresh(article).version == before + 1


def test_checklist_panel_shows_new_findings_with_block_and_quote(
    client_author, article
):
    section = article.sections[0]
    body = (
        "Revenue rose to $ million in the quarter. Doors open at :30 p.m. on "
        "Friday. Dear {name}, the th anniversary is near."
    )
    response = client_author.post(
        url(article, f"/sections/{section.id}"),
        data={"version": section.version, "heading": "What happened", "body": body},
    )
    assert response.status_code == 303
    panel = block(
        client_author.get(url(article, "/checklist"), headers=HX), "checklist-block"
    )
    items = [
        (li.css_first("a").text(), li.css_first("a").attributes["href"], li)
        for li in panel.css("li.finding-error")
    ]
    shown = {
        li.css_first("q").text(): (label, href)
        for label, href, li in items
        if li.css_first("q") is not None
    }
    quotes = " | ".join(shown)
    for words in ("rose to $ million", "at :30 p.m.", "Dear {name},", "the th"):
        assert words in quotes, quotes
    assert set(shown.values()) == {("Section 1 body", "#section-0-body")}
    text = panel.text()
    assert "A figure seems to be missing after '$'" in text
    assert "This time looks broken: ':30'" in text
    assert "Template placeholder '{name}' is still in the text" in text
    assert "'th' has no number before it" in text


# --- one save, one checklist run -------------------------------------------------


@pytest.fixture
def checklist_runs():
    """How many times the checklist ran in this test: a profile hook counts the
    calls of check_article's code (nothing is replaced or patched)."""
    code = checklist.check_article.__code__
    runs = []

    def count(frame, event, _arg):
        if event == "call" and frame.f_code is code:
            runs.append(frame)

    previous = sys.getprofile()
    sys.setprofile(count)
    yield lambda: len(runs)
    sys.setprofile(previous)


def test_one_save_runs_the_checklist_once(client_author, article, checklist_runs):
    """A section save answers with its block; its HX-Trigger reloads the
    checklist and the actions panels. The three answers run the checklist once:
    only the checklist panel reads it."""
    section = article.sections[0]
    saved = client_author.post(
        url(article, f"/sections/{section.id}"),
        data={"version": section.version, "heading": "New", "body": "Text here."},
        headers=HX,
    )
    assert saved.headers["HX-Trigger"] == "checklist-changed"
    panel = client_author.get(url(article, "/checklist"), headers=HX)
    assert is_fragment(panel, "checklist-block")
    assert is_fragment(
        client_author.get(url(article, "/actions"), headers=HX), "actions-block"
    )
    assert checklist_runs() == 1


def _ids(response) -> set[str]:
    return {node.attributes["id"] for node in parse(response).css("[id]")}


def test_every_checklist_finding_points_at_an_element_of_the_editor(
    client_author, author, article, make_article
):
    """A finding links to its field by id (href="#…", data-focus): every id the
    checklist can name is an element of the editor page, so the two cannot drift."""
    # A placeholder in every piece of text: each field gets a finding of its own.
    article.title = "Council TK"
    article.summary = "The council TK."
    for section in article.sections:
        section.heading, section.body = "TK heading", "TK body."
    for takeaway in article.takeaways:
        takeaway.text = f"TK {takeaway.position}."
    db.session.add(
        FaqItem(article_id=article.id, position=0, question="TK?", answer="TK")
    )
    db.session.add(FaqItem(article_id=article.id, position=1, question="No", answer=""))
    db.session.commit()
    # And an empty one: the findings about missing parts and lists as a whole.
    empty = make_article(author=author, filled=False)
    seen = set()
    for each in (article, empty):
        found = checklist.check_article(fresh(each).working_content())
        ids = _ids(client_author.get(url(each)))
        missing = {f.field for f in found} - ids
        assert missing == set(), f"finding ids with no element: {sorted(missing)}"
        seen |= {f.field for f in found}
    for field in ("title", "summary", "section-0-heading", "section-3-body"):
        assert field in seen
    for field in ("takeaway-0", "question-1", "answer-1", "sections", "takeaways"):
        assert field in seen
