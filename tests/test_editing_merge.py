"""Merge before conflict: a text block saved against an older version keeps
both writers' changes when they do not overlap (domain.editing over
domain.merge), and says whose changes it merged with; overlapping changes are
still the conflict."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import select

from editorial.domain import blocks, editing
from editorial.domain.errors import InvalidInput, StaleBlock
from editorial.domain.models import Article, Revision, Role
from editorial.extensions import db

HX = {"HX-Request": "true"}
BODY = "First paragraph stays.\n\nSecond paragraph stays.\n\nThird one. It ends here."


def _fresh(article: Article) -> Article:
    db.session.expire_all()
    return db.session.get(Article, article.id)


@pytest.fixture
def story(make_user, make_article):
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author)
    section = article.sections[0]
    editing.update_section(
        db.session,
        article,
        author,
        section.id,
        expected_version=section.version,
        heading="What happened",
        body=BODY,
    )
    db.session.commit()
    return author, editor, _fresh(article)


def _save(article, user, version, body, heading="What happened"):
    section = article.sections[0]
    return editing.update_section(
        db.session,
        article,
        user,
        section.id,
        expected_version=version,
        heading=heading,
        body=body,
    )


def test_different_paragraphs_of_one_section_both_survive(story):
    author, editor, article = story
    seen = article.sections[0].version
    assert _save(article, editor, seen, BODY.replace("First", "The first")) is None
    db.session.commit()
    merged = _save(article, author, seen, BODY.replace("Third one.", "Third, edited."))
    db.session.commit()
    assert merged == editor.display_name
    body = _fresh(article).sections[0].body
    assert "The first paragraph stays." in body
    assert "Third, edited. It ends here." in body
    revision = db.session.scalar(
        select(Revision)
        .where(Revision.article_id == article.id)
        .order_by(Revision.number.desc())
        .limit(1)
    )
    # The revision records both writers.
    assert revision.created_by_id == author.id
    assert revision.merged_with_id == editor.id


def test_different_sentences_of_one_paragraph_both_survive(story):
    author, editor, article = story
    seen = article.sections[0].version
    _save(article, editor, seen, BODY.replace("Third one.", "Third one, indeed."))
    db.session.commit()
    _save(article, author, seen, BODY.replace("It ends here.", "It ends now."))
    db.session.commit()
    assert "Third one, indeed. It ends now." in _fresh(article).sections[0].body


def test_the_same_sentence_changed_twice_is_the_conflict_and_nothing_is_lost(story):
    author, editor, article = story
    seen = article.sections[0].version
    _save(article, editor, seen, BODY.replace("Second paragraph", "Editor's second"))
    db.session.commit()
    with pytest.raises(StaleBlock):
        _save(
            article, author, seen, BODY.replace("Second paragraph", "Author's second")
        )
    db.session.rollback()
    assert "Editor's second stays." in _fresh(article).sections[0].body


def test_a_heading_changed_on_one_side_merges_with_a_body_changed_on_the_other(
    story,
):
    author, editor, article = story
    seen = article.sections[0].version
    _save(article, editor, seen, BODY, heading="What happened on Monday")
    db.session.commit()
    _save(article, author, seen, BODY.replace("First", "1st"))
    db.session.commit()
    section = _fresh(article).sections[0]
    assert section.heading == "What happened on Monday"
    assert section.body.startswith("1st paragraph")


def test_summary_sentences_merge(make_user, make_article):
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author)
    editing.update_summary(
        db.session,
        article,
        author,
        expected_version=article.summary_version,
        summary="The council met. It voted on the budget.",
    )
    db.session.commit()
    seen = _fresh(article).summary_version
    editing.update_summary(
        db.session,
        article,
        editor,
        expected_version=seen,
        summary="The council met on Monday. It voted on the budget.",
    )
    db.session.commit()
    merged = editing.update_summary(
        db.session,
        article,
        author,
        expected_version=seen,
        summary="The council met. It passed the budget.",
    )
    db.session.commit()
    assert merged == editor.display_name
    assert _fresh(article).summary == "The council met on Monday. It passed the budget."


def test_over_http_the_second_writer_sees_merged_with_changes_by(story, login_as):
    author, editor, article = story
    section = article.sections[0]
    seen = section.version
    _save(article, editor, seen, BODY.replace("First", "The first"))
    db.session.commit()
    response = login_as(author).post(
        f"/desk/articles/{article.id}/sections/{section.id}",
        data={
            f"section-{section.id}.version": seen,
            f"section-{section.id}.heading": "What happened",
            f"section-{section.id}.body": BODY.replace("Third one.", "Third, edited."),
        },
        headers=HX,
    )
    assert response.status_code == 200
    tree = LexborHTMLParser(response.get_data(as_text=True))
    status = tree.css_first(f"#section-{section.id}-status").text().strip()
    assert status == f"Merged with changes by {editor.display_name}"
    shown = tree.css_first("#section-0-body").text()
    assert "The first paragraph" in shown and "Third, edited." in shown


# --- lists merge by item ----------------------------------------------------------


def _takeaways(article: Article) -> list[str]:
    return [t.text for t in _fresh(article).takeaways]


def _shown(item) -> str:
    """The digest the editor sends beside a takeaway's field."""
    return blocks.digest({"takeaway": item.text})


def _update_takeaway(article, user, item, version, text, shown=None):
    return editing.update_item(
        db.session,
        article,
        user,
        "takeaways",
        item.id,
        expected_version=version,
        values={"takeaway": text},
        shown=shown,
    )


@pytest.fixture
def listed(make_user, make_article):
    """An article with three takeaways, and the list as both writers saw it."""
    author = make_user(Role.AUTHOR)
    editor = make_user(Role.EDITOR)
    article = make_article(author=author)
    items = list(article.takeaways)
    assert len(items) == 3
    return author, editor, article, items, article.takeaways_version


def test_two_items_of_one_list_changed_by_two_writers_both_survive(listed):
    author, editor, article, items, seen = listed
    first, second = items[0], items[1]
    shown_second = _shown(second)
    assert (
        _update_takeaway(article, editor, first, seen, "Editor's point.", _shown(first))
        is None
    )
    db.session.commit()
    merged = _update_takeaway(
        article, author, second, seen, "Author's point.", shown_second
    )
    db.session.commit()
    assert merged == editor.display_name
    texts = _takeaways(article)
    assert texts[:2] == ["Editor's point.", "Author's point."]
    revision = db.session.scalar(
        select(Revision)
        .where(Revision.article_id == article.id)
        .order_by(Revision.number.desc())
        .limit(1)
    )
    assert revision.block == "takeaways"
    assert revision.created_by_id == author.id
    assert revision.merged_with_id == editor.id
    assert _fresh(article).takeaways_version == seen + 2


def test_the_same_item_changed_by_both_is_the_conflict_and_nothing_is_lost(listed):
    author, editor, article, items, seen = listed
    first = items[0]
    shown = _shown(first)
    _update_takeaway(article, editor, first, seen, "Editor's point.", shown)
    db.session.commit()
    with pytest.raises(StaleBlock):
        _update_takeaway(article, author, first, seen, "Author's point.", shown)
    db.session.rollback()
    assert _takeaways(article)[0] == "Editor's point."


def test_a_stale_item_save_without_what_it_was_shown_is_the_conflict(listed):
    author, editor, article, items, seen = listed
    _update_takeaway(article, editor, items[0], seen, "Editor's point.")
    db.session.commit()
    with pytest.raises(StaleBlock):
        _update_takeaway(article, author, items[1], seen, "Author's point.")
    db.session.rollback()
    assert "Author's point." not in _takeaways(article)


def test_an_item_removed_meanwhile_is_the_conflict(listed):
    author, editor, article, items, seen = listed
    shown, removed = _shown(items[1]), items[1].id
    editing.remove_item(
        db.session, article, editor, "takeaways", removed, expected_version=seen
    )
    db.session.commit()
    with pytest.raises(StaleBlock):
        editing.update_item(
            db.session,
            article,
            author,
            "takeaways",
            removed,
            expected_version=seen,
            values={"takeaway": "Author's point."},
            shown=shown,
        )
    db.session.rollback()
    assert len(_takeaways(article)) == 2


def test_a_stale_save_that_the_item_already_holds_changes_nothing(listed):
    author, _, article, items, seen = listed
    shown = _shown(items[0])
    _update_takeaway(article, author, items[0], seen, "Sent twice.", shown)
    db.session.commit()
    after_first = _fresh(article).takeaways_version
    assert (
        _update_takeaway(article, author, items[0], seen, "Sent twice.", shown) is None
    )
    db.session.commit()
    assert _fresh(article).takeaways_version == after_first
    assert _takeaways(article).count("Sent twice.") == 1


def _add(article, user, version, text):
    return editing.add_item(
        db.session,
        article,
        user,
        "takeaways",
        expected_version=version,
        values={"takeaway": text},
    )


def test_an_item_added_to_an_older_list_comes_after_the_colleagues_change(listed):
    author, editor, article, items, seen = listed
    _update_takeaway(
        article, editor, items[0], seen, "Editor's point.", _shown(items[0])
    )
    db.session.commit()
    assert _add(article, author, seen, "The author's new point.") == editor.display_name
    db.session.commit()
    texts = _takeaways(article)
    assert texts[0] == "Editor's point."
    assert texts[-1] == "The author's new point."
    assert [t.position for t in _fresh(article).takeaways] == list(range(4))


def test_the_same_item_added_twice_to_an_older_list_is_the_conflict(listed):
    author, _, article, _, seen = listed
    _add(article, author, seen, "Added once.")
    db.session.commit()
    with pytest.raises(StaleBlock):
        _add(article, author, seen, "Added once.")
    db.session.rollback()
    assert _takeaways(article).count("Added once.") == 1


def test_a_merged_add_still_respects_the_cap(listed):
    author, editor, article, _, seen = listed
    for n in range(4):  # the colleague fills the list to its 7
        _add(article, editor, _fresh(article).takeaways_version, f"Point {n}.")
        db.session.commit()
    assert len(_takeaways(article)) == blocks.TAKEAWAYS.max_items
    version = _fresh(article).takeaways_version
    with pytest.raises(InvalidInput):
        _add(article, author, seen, "One too many.")
    db.session.rollback()
    assert _fresh(article).takeaways_version == version
    assert "One too many." not in _takeaways(article)


def test_faq_items_merge_by_item_too(make_user, make_article):
    author, editor = make_user(Role.AUTHOR), make_user(Role.EDITOR)
    article = make_article(author=author)
    for n in range(2):
        editing.add_item(
            db.session,
            article,
            author,
            "faqs",
            expected_version=_fresh(article).faqs_version,
            values={"question": f"Question {n}?", "answer": f"Answer {n}."},
        )
        db.session.commit()
    article = _fresh(article)
    seen = article.faqs_version
    first, second = article.faqs[-2], article.faqs[-1]

    def shown(item):
        return blocks.digest({"question": item.question, "answer": item.answer})

    def change(user, item, answer, digest):
        return editing.update_item(
            db.session,
            article,
            user,
            "faqs",
            item.id,
            expected_version=seen,
            values={"question": item.question, "answer": answer},
            shown=digest,
        )

    shown_first, shown_second = shown(first), shown(second)
    change(editor, first, "The editor's answer.", shown_first)
    db.session.commit()
    assert change(author, second, "The author's answer.", shown_second) == (
        editor.display_name
    )
    db.session.commit()
    answers = [f.answer for f in _fresh(article).faqs]
    assert answers[-2:] == ["The editor's answer.", "The author's answer."]


def _second_item_after_the_editor_changed_the_first(listed):
    """The editor saves the first takeaway; answers the author's form for the
    second one, from the list as both saw it, and its item."""
    _, editor, article, items, seen = listed
    first, second = items[0], items[1]
    shown_second = _shown(second)
    _update_takeaway(article, editor, first, seen, "Editor's point.", _shown(first))
    db.session.commit()
    form = f"takeaway-{second.id}"
    data = {
        f"{form}.version": seen,
        f"{form}.digest": shown_second,
        f"{form}.takeaway": "Author's point.",
    }
    return data, second.id


def test_over_http_one_save_merges_list_items_and_says_with_whom(listed, login_as):
    author, editor, article, _, _ = listed
    data, _ = _second_item_after_the_editor_changed_the_first(listed)
    client = login_as(author)
    response = client.post(f"/desk/articles/{article.id}/save", data=data)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Merged with changes by {editor.display_name}" in page
    assert _takeaways(article)[:2] == ["Editor's point.", "Author's point."]


def test_over_htmx_an_item_save_merges_and_its_list_says_with_whom(listed, login_as):
    author, editor, article, _, _ = listed
    data, item_id = _second_item_after_the_editor_changed_the_first(listed)
    response = login_as(author).post(
        f"/desk/articles/{article.id}/takeaways/{item_id}", data=data, headers=HX
    )
    assert response.status_code == 200
    tree = LexborHTMLParser(response.get_data(as_text=True))
    status = tree.css_first("#takeaways-status").text().strip()
    assert status == f"Merged with changes by {editor.display_name}"
    assert _takeaways(article)[:2] == ["Editor's point.", "Author's point."]
