"""Reader lists: home, category pages and pagination; feed, sitemaps, robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from selectolax.lexbor import LexborHTMLParser

from editorial.domain import workflow
from editorial.domain.models import utcnow
from editorial.domain.rendering import iso_datetime
from editorial.extensions import db

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
TZ = "Europe/Berlin"


def page(client, path: str) -> LexborHTMLParser:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    tree = LexborHTMLParser(response.get_data(as_text=True))
    assert len(tree.css("h1")) == 1, path
    assert tree.css_first("html").attributes.get("lang") == "en"
    # No JavaScript on reader pages.
    assert all(
        s.attributes.get("type") == "application/ld+json" for s in tree.css("script")
    ), path
    return tree


def titles(tree: LexborHTMLParser) -> list[str]:
    return [n.text(strip=True) for n in tree.css(".teaser-title")]


# --------------------------------------------------------------------------
# Home
# --------------------------------------------------------------------------


def test_home_groups_latest_pieces_by_category_freshest_first(
    client, make_category, publish, make_article
):
    base = utcnow().replace(microsecond=0) - timedelta(days=5)
    old, new = make_category("Old News"), make_category("New News")
    make_category("Nothing Yet")
    retired = make_category("Gone")
    for i in range(7):
        publish(category=old, title=f"Old {i}", when=base + timedelta(hours=i))
    publish(category=new, title="New 0", when=base + timedelta(days=1))
    publish(category=retired, title="Retired piece", when=base + timedelta(days=2))
    retired.retired = True
    make_article(category=new, title="A draft", state="draft")
    make_article(category=new, title="In review", state="review")
    db.session.commit()

    tree = page(client, "/")
    groups = tree.css("section.home-group")
    assert [g.css_first("h2").text(strip=True) for g in groups] == [
        "New News",
        "Old News",
    ]
    assert titles(groups[0]) == ["New 0"]
    assert titles(groups[1]) == ["Old 6", "Old 5", "Old 4", "Old 3", "Old 2"]
    assert groups[1].css_first("a.view-all").attributes["href"] == (
        "/categories/old-news"
    )
    nav = [a.text(strip=True) for a in tree.css("header nav a")]
    assert nav == ["Old News", "New News", "Nothing Yet"]
    text = tree.html
    for hidden in ("Retired piece", "A draft", "In review"):
        assert hidden not in text


def test_home_when_nothing_is_published(client, make_category, make_article):
    make_article(state="draft")
    tree = page(client, "/")
    assert tree.css_first("p.empty").text(strip=True) == "Nothing is published yet."


# --------------------------------------------------------------------------
# Category pages
# --------------------------------------------------------------------------


def test_category_page_paginates_20_newest_first(client, make_category, publish):
    base = utcnow().replace(microsecond=0) - timedelta(days=30)
    culture = make_category("Culture")
    for i in range(45):
        publish(
            category=culture, title=f"Piece {i:02d}", when=base + timedelta(hours=i)
        )

    first = page(client, "/categories/culture")
    assert first.css_first("h1").text() == "Culture"
    assert titles(first) == [f"Piece {i:02d}" for i in range(44, 24, -1)]
    nav = first.css_first("nav.pagination")
    assert nav.attributes["aria-label"] == "Pages"
    numbers = [a.text(strip=True) for a in nav.css("a") if a.text(strip=True).isdigit()]
    assert numbers == ["1", "2", "3"]
    assert nav.css_first('a[aria-current="page"]').text() == "1"

    second = page(client, "/categories/culture?page=2")
    assert titles(second) == [f"Piece {i:02d}" for i in range(24, 4, -1)]
    third = page(client, "/categories/culture?page=3")
    assert titles(third) == [f"Piece {i:02d}" for i in range(4, -1, -1)]
    # Every page link works.
    for a in nav.css("a"):
        assert client.get(a.attributes["href"]).status_code == 200
    # Teasers link to their article.
    read = first.css_first("a.read-article")
    assert read.text() == "Read Article"
    assert client.get(read.attributes["href"]).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "page=4",
        "page=1.5",
        "page=",
        "page=99999999999",
    ],
)
def test_bad_page_numbers_are_404(client, make_category, publish, query):
    culture = make_category("Culture")
    for i in range(41):
        publish(category=culture, title=f"Piece {i}")
    response = client.get(f"/categories/culture?{query}")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_empty_category_shows_an_empty_state_and_page_2_is_404(
    client, make_category, make_article
):
    empty = make_category("Empty Desk")
    make_article(category=empty, state="draft")
    tree = page(client, "/categories/empty-desk")
    assert "Nothing has been published" in tree.css_first("p.empty").text()
    assert tree.css("nav.pagination") == []
    assert client.get("/categories/empty-desk?page=2").status_code == 404


def test_retired_and_unknown_categories_are_404(client, make_category, publish):
    retired = make_category("Archive")
    publish(category=retired)
    retired.retired = True
    db.session.commit()
    assert client.get("/categories/archive").status_code == 404
    assert client.get("/categories/no-such-thing").status_code == 404


# --------------------------------------------------------------------------
# Atom feed
# --------------------------------------------------------------------------


def test_atom_feed_parses_and_has_the_required_elements(
    client, make_category, publish, make_article
):
    base = utcnow().replace(microsecond=0) - timedelta(days=2)
    category = make_category("World")
    published = [
        publish(
            category=category,
            title=f"Story {i} & <more>",
            when=base + timedelta(minutes=i),
        )
        for i in range(3)
    ]
    make_article(category=category, title="Draft never in the feed")

    response = client.get("/feed.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "http://localhost/"
    assert feed.findtext(f"{ATOM}title") == "Editorial Test"
    assert feed.findtext(f"{ATOM}updated") == iso_datetime(
        published[-1].last_published_at, TZ
    )
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {
        "self": "http://localhost/feed.xml",
        "alternate": "http://localhost/",
    }
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Story 2 & <more>",
        "Story 1 & <more>",
        "Story 0 & <more>",
    ]
    ids = set()
    for entry, article in zip(entries, reversed(published), strict=True):
        entry_id = entry.findtext(f"{ATOM}id")
        assert entry_id.startswith("tag:localhost,")
        ids.add(entry_id)
        assert entry.findtext(f"{ATOM}updated") == iso_datetime(
            article.last_published_at, TZ
        )
        assert entry.findtext(f"{ATOM}published") == iso_datetime(
            article.first_published_at, TZ
        )
        assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == (
            article.author.display_name
        )
        assert entry.findtext(f"{ATOM}summary") == article.summary
        link = entry.find(f"{ATOM}link")
        assert link.get("href") == f"http://localhost/articles/{article.slug}"
        assert client.get(f"/articles/{article.slug}").status_code == 200
    assert len(ids) == 3
    assert b"Draft never" not in response.data


def test_atom_feed_holds_the_50_latest(client, make_category, publish):
    category = make_category("Busy")
    base = utcnow().replace(microsecond=0) - timedelta(days=3)
    for i in range(52):
        publish(category=category, title=f"Item {i}", when=base + timedelta(minutes=i))
    feed = ET.fromstring(client.get("/feed.xml").data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    assert entries[0].findtext(f"{ATOM}title") == "Item 51"
    assert entries[-1].findtext(f"{ATOM}title") == "Item 2"


def test_empty_feed_is_still_valid(client):
    feed = ET.fromstring(client.get("/feed.xml").data)
    assert feed.findtext(f"{ATOM}updated")
    assert feed.findall(f"{ATOM}entry") == []


# --------------------------------------------------------------------------
# Sitemaps and robots.txt
# --------------------------------------------------------------------------


def test_sitemap_lists_every_published_article_and_category_and_nothing_else(
    client, make_category, publish, make_article, editor
):
    news, sport = make_category("News"), make_category("Sport")
    retired = make_category("Retired")
    retired.retired = True
    db.session.commit()
    live = [publish(category=news), publish(category=sport), publish(category=news)]
    gone = publish(category=sport)
    workflow.apply(
        db.session,
        gone,
        "unpublish",
        editor,
        expected_version=gone.version,
        note="Duplicate",
    )
    db.session.commit()
    draft = make_article(category=news, state="draft")
    review = make_article(category=news, state="review")

    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{SM}urlset"
    urls = {
        u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod")
        for u in root.findall(f"{SM}url")
    }
    expected_articles = {
        f"http://localhost/articles/{a.slug}": iso_datetime(a.last_published_at, TZ)
        for a in live
    }
    expected_categories = {
        "http://localhost/categories/news",
        "http://localhost/categories/sport",
    }
    # Section 10: the corrections ledger is in the sitemap too.
    ledger = {"http://localhost/corrections"}
    assert set(urls) == set(expected_articles) | expected_categories | ledger
    assert urls["http://localhost/corrections"] is None  # nothing corrected yet
    for loc, lastmod in expected_articles.items():
        assert urls[loc] == lastmod
    assert urls["http://localhost/categories/news"] == iso_datetime(
        max(a.last_published_at for a in live if a.category_id == news.id), TZ
    )
    for hidden in (gone, draft, review):
        assert hidden.slug.encode() not in response.data


def test_news_sitemap_has_the_last_two_days_only(client, make_category, publish):
    category = make_category("Local")
    now = utcnow().replace(microsecond=0)
    recent = publish(
        category=category, title="Fresh & new", when=now - timedelta(hours=3)
    )
    publish(category=category, title="Old", when=now - timedelta(days=3))

    response = client.get("/news-sitemap.xml")
    root = ET.fromstring(response.data)
    urls = root.findall(f"{SM}url")
    assert [u.findtext(f"{SM}loc") for u in urls] == [
        f"http://localhost/articles/{recent.slug}"
    ]
    item = urls[0].find(f"{NEWS}news")
    publication = item.find(f"{NEWS}publication")
    assert publication.findtext(f"{NEWS}name") == "Editorial Test"
    assert publication.findtext(f"{NEWS}language") == "en"
    assert item.findtext(f"{NEWS}publication_date") == iso_datetime(
        recent.first_published_at, TZ
    )
    assert item.findtext(f"{NEWS}title") == "Fresh & new"


def test_robots_txt_points_at_both_sitemaps_and_keeps_out_of_the_desk(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /desk/" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert "Sitemap: http://localhost/news-sitemap.xml" in lines


@pytest.mark.parametrize(
    "app_config", [{"SITE_URL": "", "TRUSTED_HOSTS": ["news.example"]}]
)
def test_site_url_falls_back_to_the_request_host(client, publish):
    article = publish()
    response = client.get(f"/articles/{article.slug}", base_url="https://news.example")
    tree = LexborHTMLParser(response.get_data(as_text=True))
    assert tree.css_first('link[rel="canonical"]').attributes["href"] == (
        f"https://news.example/articles/{article.slug}"
    )
    robots = client.get("/robots.txt", base_url="https://news.example").get_data(
        as_text=True
    )
    assert "Sitemap: https://news.example/sitemap.xml" in robots
