"""The corrections ledger (PRODUCT.md section 10): Kind of change on Publish update."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import func, select

from editorial.domain import editing, workflow
from editorial.domain.errors import ChecklistFailed, InvalidInput
from editorial.domain.models import (
    Article,
    ChangeKind,
    Correction,
    Role,
    Transition,
)
from editorial.extensions import db
from tests.conftest import count_queries

ATOM = "{http://www.w3.org/2005/Atom}"
FIRST = datetime(2026, 11, 2, 9, 0)  # a Monday, CET (+01:00)
LATER = datetime(2026, 11, 3, 14, 30)


@pytest.fixture
def story(publish):
    return publish(title="Council budget passes", when=FIRST)


def change(article, editor, kind, note=None, when=LATER, summary=None):
    db.session.refresh(article)
    editing.update_summary(
        db.session,
        article,
        editor,
        expected_version=article.summary_version,
        summary=summary or "The council passed the budget by nine votes to four.",
    )
    db.session.refresh(article)
    transition = workflow.apply(
        db.session,
        article,
        "publish_update",
        editor,
        expected_version=article.version,
        kind=kind,
        correction_note=note,
        now=when,
    )
    db.session.commit()
    return transition


def page(client, article) -> LexborHTMLParser:
    response = client.get(f"/articles/{article.slug}")
    assert response.status_code == 200
    return LexborHTMLParser(response.get_data(as_text=True))


def news_ld(tree) -> dict:
    for script in tree.css('script[type="application/ld+json"]'):
        data = json.loads(script.text())
        if data.get("@type") == "NewsArticle":
            return data
    raise AssertionError("no NewsArticle JSON-LD")


def last_updated(tree) -> str:
    return tree.css_first(".last-updated time").attributes["datetime"]


# --- the domain -------------------------------------------------------------------


@pytest.mark.parametrize("kind", [None, "", "retraction", "Typo fix"])
def test_publish_update_asks_the_kind_of_change(story, editor, kind):
    with pytest.raises(InvalidInput) as info:
        change(story, editor, kind)
    assert (info.value.field, info.value.message) == (
        "kind",
        "Choose the kind of change: Typo fix, Update or Correction.",
    )
    db.session.rollback()
    db.session.refresh(story)
    assert story.last_published_at == FIRST


@pytest.mark.parametrize(
    ("kind", "last_updated_at"),
    [("typo", FIRST), ("update", LATER), ("correction", LATER)],
)
def test_only_a_typo_fix_keeps_last_updated(story, editor, kind, last_updated_at):
    transition = change(story, editor, kind, note="The vote was nine to four.")
    db.session.refresh(story)
    assert story.last_published_at == last_updated_at
    assert story.published_summary == (
        "The council passed the budget by nine votes to four."
    )
    assert transition.change_kind == ChangeKind(kind)


def test_a_correction_needs_its_note(story, editor):
    with pytest.raises(InvalidInput) as info:
        change(story, editor, "correction", note="   ")
    assert (info.value.field, info.value.message) == (
        "correction_note",
        "Correction note is required.",
    )
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Correction)) == 0


def test_the_checklist_reads_the_correction_note(story, editor):
    with pytest.raises(ChecklistFailed) as info:
        change(story, editor, "correction", note="The vote was held on , not Monday.")
    blocks = {(f.block, f.field) for f in info.value.findings}
    assert ("Correction note", "correction_note") in blocks
    db.session.rollback()
    db.session.refresh(story)
    assert db.session.scalar(select(func.count()).select_from(Correction)) == 0
    assert story.last_published_at == FIRST
    assert story.published_summary != (
        "The council passed the budget by nine votes to four."
    )


def test_a_correction_records_its_note_once(story, editor):
    transition = change(
        story, editor, "correction", note="An earlier version gave the vote as 8-5."
    )
    notes = db.session.scalars(select(Correction)).all()
    assert [(c.note, c.published_at, c.transition_id) for c in notes] == [
        ("An earlier version gave the vote as 8-5.", LATER, transition.id)
    ]


def test_a_note_sent_with_an_update_is_not_a_correction(story, editor):
    change(story, editor, "update", note="Not a correction at all.")
    assert db.session.scalar(select(func.count()).select_from(Correction)) == 0


# --- what readers see -------------------------------------------------------------


def test_the_article_shows_the_correction_under_its_heading(client, story, editor):
    change(story, editor, "correction", note="An earlier version gave the vote as 8-5.")
    tree = page(client, story)
    region = tree.css_first("section.corrections")
    assert region.css_first("h2").text() == "Correction"
    assert region.css_first(".correction-note").text() == (
        "An earlier version gave the vote as 8-5."
    )
    when = region.css_first("time")
    assert when.attributes["datetime"] == "2026-11-03T15:30:00+01:00"
    assert when.text() == "3 November 2026, 15:30 CET"
    assert last_updated(tree) == "2026-11-03T15:30:00+01:00"
    assert news_ld(tree)["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version gave the vote as 8-5.",
            "datePublished": "2026-11-03T15:30:00+01:00",
        }
    ]
    assert news_ld(tree)["dateModified"] == "2026-11-03T15:30:00+01:00"


def test_a_typo_fix_shows_no_correction_and_keeps_the_dates(client, story, editor):
    change(story, editor, "typo")
    tree = page(client, story)
    assert tree.css("section.corrections") == []
    assert "correction" not in news_ld(tree)
    assert last_updated(tree) == "2026-11-02T10:00:00+01:00"
    assert "nine votes to four" in tree.css_first(".quick-summary p").text()


@pytest.mark.parametrize(
    ("kind", "updated"),
    [
        ("typo", "2026-11-02T10:00:00+01:00"),
        ("update", "2026-11-03T15:30:00+01:00"),
        ("correction", "2026-11-03T15:30:00+01:00"),
    ],
)
def test_the_atom_entry_updated_follows_the_kind(client, story, editor, kind, updated):
    change(story, editor, kind, note="The vote was nine to four.")
    root = ET.fromstring(client.get("/feed.xml").data)
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}updated") == updated
    assert entry.findtext(f"{ATOM}published") == "2026-11-02T10:00:00+01:00"


def test_the_ledger_lists_corrections_newest_first(client, publish, editor):
    older = publish(title="Harbour works start", when=FIRST)
    newer = publish(title="Library hours change", when=FIRST)
    gone = publish(title="Withdrawn story", when=FIRST)
    change(older, editor, "correction", note="The works start in May.", when=LATER)
    change(
        newer,
        editor,
        "correction",
        note="The library closes at 8 p.m.",
        when=LATER + timedelta(hours=2),
    )
    change(gone, editor, "correction", note="Hidden with its story.", when=LATER)
    db.session.refresh(gone)
    workflow.apply(
        db.session,
        gone,
        "unpublish",
        editor,
        expected_version=gone.version,
        note="Legal",
    )
    db.session.commit()

    response = client.get("/corrections")
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    tree = LexborHTMLParser(response.get_data(as_text=True))
    assert [h.text() for h in tree.css("h1")] == ["Corrections"]
    items = [
        (
            li.css_first("h2 a").text(),
            li.css_first("h2 a").attributes["href"],
            li.css_first(".correction-note").text(),
        )
        for li in tree.css(".ledger-item")
    ]
    assert items == [
        (
            "Library hours change",
            f"/articles/{newer.slug}",
            "The library closes at 8 p.m.",
        ),
        ("Harbour works start", f"/articles/{older.slug}", "The works start in May."),
    ]
    sitemap = ET.fromstring(client.get("/sitemap.xml").data)
    sm = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {u.findtext(f"{sm}loc"): u.findtext(f"{sm}lastmod") for u in sitemap}
    assert urls["http://localhost/corrections"] == "2026-11-03T17:30:00+01:00"


def test_the_ledger_pages_by_twenty(client, publish, editor):
    story = publish(title="Many corrections", when=FIRST)
    for i in range(23):
        change(
            story,
            editor,
            "correction",
            note=f"Correction number {i + 1}.",
            when=LATER + timedelta(minutes=i),
            summary=f"The council passed the budget, version {i + 1}.",
        )
    first = LexborHTMLParser(client.get("/corrections").get_data(as_text=True))
    notes = [n.text() for n in first.css(".ledger-item .correction-note")]
    assert len(notes) == 20
    assert notes[0] == "Correction number 23." and notes[-1] == "Correction number 4."
    second = LexborHTMLParser(client.get("/corrections?page=2").get_data(as_text=True))
    assert [n.text() for n in second.css(".ledger-item .correction-note")] == [
        "Correction number 3.",
        "Correction number 2.",
        "Correction number 1.",
    ]
    assert client.get("/corrections?page=3").status_code == 404
    assert client.get("/corrections?page=x").status_code == 404


def test_the_ledger_is_cached_and_refreshed_by_a_correction(client, story, editor):
    assert client.get("/corrections").status_code == 200
    with count_queries() as warm:
        cached = client.get("/corrections")
    assert warm == []
    assert b"No corrections have been published." in cached.data
    change(story, editor, "correction", note="The vote was nine to four.")
    assert b"The vote was nine to four." in client.get("/corrections").data


# --- the desk ---------------------------------------------------------------------


def _post(client, article, **form):
    return client.post(
        f"/desk/articles/{article.id}/actions/publish_update",
        data={"version": article.version, **form},
    )


def test_the_desk_asks_the_kind_of_change(client, login_as, story, editor):
    login_as(editor)
    tree = LexborHTMLParser(
        client.get(f"/desk/articles/{story.id}").get_data(as_text=True)
    )
    fieldset = tree.css_first("#actions-block fieldset")
    assert fieldset.css_first("legend").text() == "Kind of change"
    labels = [label.text().strip() for label in fieldset.css("label")]
    assert labels == ["Typo fix", "Update", "Correction"]
    assert tree.css_first('label[for="correction_note"]').text() == "Correction note"

    refused = _post(client, story)
    assert refused.status_code == 422
    body = LexborHTMLParser(refused.get_data(as_text=True))
    assert body.css_first("#kind-error").text() == (
        "Choose the kind of change: Typo fix, Update or Correction."
    )

    missing = _post(client, story, kind="correction", correction_note="")
    assert missing.status_code == 422
    body = LexborHTMLParser(missing.get_data(as_text=True))
    assert body.css_first("#correction_note-error").text() == (
        "Correction note is required."
    )
    assert db.session.scalar(select(func.count()).select_from(Correction)) == 0

    done = _post(
        client, story, kind="correction", correction_note="The vote was nine to four."
    )
    assert done.status_code == 303
    assert db.session.scalars(select(Correction.note)).all() == [
        "The vote was nine to four."
    ]


def test_the_history_shows_the_kind_of_every_change(client, login_as, story, editor):
    change(story, editor, "typo")
    change(story, editor, "correction", note="The vote was nine to four.")
    login_as(editor)
    tree = LexborHTMLParser(
        client.get(f"/desk/articles/{story.id}/history").get_data(as_text=True)
    )
    actions = [
        td.text() for td in tree.css('.history-transitions td[data-label="Action"]')
    ]
    assert actions == [
        "Publish update: Correction",
        "Publish update: Typo fix",
        "Publish",
    ]
    kinds = db.session.scalars(
        select(Transition.change_kind)
        .where(Transition.article_id == story.id)
        .order_by(Transition.id)
    ).all()
    assert kinds == [None, ChangeKind.TYPO, ChangeKind.CORRECTION]


def test_authors_cannot_publish_an_update(client, login_as, story):
    author = db.session.get(Article, story.id).author
    assert author.role == Role.AUTHOR
    login_as(author)
    assert _post(client, story, kind="typo").status_code == 403
