"""The reader's article page: anatomy, structured data, widget, visibility, HTTP."""

from __future__ import annotations

import json
from datetime import timedelta

from selectolax.lexbor import LexborHTMLParser

from editorial.domain import editing, workflow
from editorial.domain.models import utcnow
from editorial.domain.rendering import display_datetime, iso_datetime
from editorial.extensions import db

TZ = "Europe/Berlin"


def parse(response) -> LexborHTMLParser:
    assert response.status_code == 200, response.status_code
    return LexborHTMLParser(response.get_data(as_text=True))


def words(node) -> str:
    """A node's text with whitespace collapsed, as a reader would read it."""
    return " ".join(node.text().split())


def texts(tree, selector: str) -> list[str]:
    return [words(node) for node in tree.css(selector)]


def json_ld(tree: LexborHTMLParser) -> dict[str, dict]:
    blocks = [
        json.loads(node.text())
        for node in tree.css('script[type="application/ld+json"]')
    ]
    return {block["@type"]: block for block in blocks}


# --------------------------------------------------------------------------
# Anatomy (PRODUCT.md section 2)
# --------------------------------------------------------------------------


def test_article_page_shows_every_part_of_the_anatomy_in_order(
    client, make_category, publish
):
    politics = make_category("Politics")
    make_category("Sport")
    article = publish(category=politics, title="Council passes the budget")
    other = publish(category=make_category("Science"), title="Comet returns")

    tree = parse(client.get(f"/articles/{article.slug}"))
    html = tree.html

    # lang on html, exactly one h1, no script other than JSON-LD data.
    assert tree.css_first("html").attributes["lang"] == "en"
    assert texts(tree, "h1") == ["Council passes the budget"]
    assert all(
        s.attributes.get("type") == "application/ld+json" for s in tree.css("script")
    )

    # 1. Site header: site name and a navigation of categories.
    header = tree.css_first("body > header")
    assert header.css_first("a.brand").text(strip=True) == "Editorial Test"
    nav = header.css_first("nav")
    assert texts(nav, "a") == ["Politics", "Sport", "Science"]

    story = tree.css_first("main article.story")
    story_header = story.css_first("header")
    # 2. Category label linking to the category page; 3. title; 4. byline.
    label = story_header.css_first("p.story-category a")
    assert label.text(strip=True) == "Politics"
    assert label.attributes["href"] == "/categories/politics"
    assert story_header.css_first("h1") is not None
    byline = story_header.css_first("p.byline")
    assert words(byline).startswith(f"By {article.author.display_name} · ")
    published = byline.css_first("time")
    assert published.attributes["datetime"] == iso_datetime(
        article.first_published_at, TZ
    )

    # 5-8: the exact headings, in order, then the widget's.
    headings = texts(tree, "h2")
    section_headings = [s.heading for s in article.sections]
    assert headings == [
        "Quick Summary",
        *section_headings,
        "Key Takeaways",
        "People Also Ask",
        "More from Categories",
    ]
    summary = story.css_first("section.quick-summary")
    assert texts(summary, "p") == [article.summary]
    bodies = story.css("section.story-section")
    assert [b.css_first("h2").text() for b in bodies] == section_headings
    assert "Paragraph 1 explains" in bodies[0].css_first(".prose p").text()
    takeaways = story.css_first("section.takeaways ol")
    assert texts(takeaways, "li") == [t.text for t in article.takeaways]
    details = story.css("section.faq details")
    assert [d.css_first("summary").text(strip=True) for d in details] == [
        "When does the budget take effect?"
    ]
    assert details[0].css_first(".prose").text(strip=True) == "In January."

    # 9. Last updated: a <time> with seconds and offset, text to the minute.
    last = story.css_first("footer .last-updated")
    assert words(last).startswith("Last updated ")
    time = last.css_first("time")
    assert time.attributes["datetime"] == iso_datetime(article.last_published_at, TZ)
    assert len(time.attributes["datetime"]) == len("2026-11-28T15:04:00+01:00")
    assert time.text() == display_datetime(article.last_published_at, TZ)

    # 10. The aside comes after the article and lists the other category.
    aside = tree.css_first("aside.more-from")
    assert html.index('<article class="story"') < html.index("<aside")
    assert texts(aside, "h3") == ["Science"]
    assert texts(aside, ".teaser-title") == [other.title]

    # Order of the parts in the document.
    markers = [
        'class="brand"',
        'class="story-category"',
        "<h1>",
        'class="byline"',
        ">Quick Summary<",
        f">{section_headings[0]}<",
        f">{section_headings[-1]}<",
        ">Key Takeaways<",
        ">People Also Ask<",
        'class="last-updated"',
        ">More from Categories<",
    ]
    positions = [html.index(m) for m in markers]
    assert positions == sorted(positions)


def test_semantic_elements_and_sharing_meta(client, publish):
    article = publish(title="Harbour reopens after repairs")
    tree = parse(client.get(f"/articles/{article.slug}"))
    for tag in ("article", "header", "section", "nav", "time", "footer"):
        assert tree.css_first(tag) is not None, tag
    canonical = f"http://localhost/articles/{article.slug}"
    assert tree.css_first('link[rel="canonical"]').attributes["href"] == canonical
    meta = {
        (m.attributes.get("property") or m.attributes.get("name")): m.attributes.get(
            "content"
        )
        for m in tree.css("meta")
    }
    assert meta["description"] == article.summary
    assert meta["og:title"] == "Harbour reopens after repairs"
    assert meta["og:type"] == "article"
    assert meta["og:url"] == canonical
    assert meta["og:description"] == article.summary
    assert meta["twitter:card"] == "summary"
    assert meta["twitter:title"] == "Harbour reopens after repairs"
    assert "robots" not in meta


def test_json_ld_matches_the_visible_content(client, publish, make_category):
    article = publish(category=make_category("Business"), title="Bank cuts rates")
    tree = parse(client.get(f"/articles/{article.slug}"))
    data = json_ld(tree)
    news = data["NewsArticle"]
    assert news["headline"] == tree.css_first("h1").text()
    assert news["description"] == tree.css_first("section.quick-summary p").text()
    assert (
        news["datePublished"] == tree.css_first("p.byline time").attributes["datetime"]
    )
    assert (
        news["dateModified"]
        == tree.css_first(".last-updated time").attributes["datetime"]
    )
    assert news["author"]["name"] == article.author.display_name
    assert news["articleSection"] == "Business"
    assert (
        news["mainEntityOfPage"]["@id"] == f"http://localhost/articles/{article.slug}"
    )
    faq = data["FAQPage"]
    visible = [d.css_first("summary").text(strip=True) for d in tree.css("details")]
    assert [q["name"] for q in faq["mainEntity"]] == visible
    assert faq["mainEntity"][0]["acceptedAnswer"]["text"] == "In January."


BREAKOUT = "</script><script>alert(1)</script>"


def test_a_title_cannot_break_out_of_the_json_ld_script(client, publish):
    """Through the template: the `json_ld` filter, not plain json.dumps."""
    article = publish(title=BREAKOUT)
    response = client.get(f"/articles/{article.slug}")
    tree = parse(response)
    # The reader's pages have no scripts but their structured data: exactly the
    # NewsArticle and the FAQPage blocks, and nothing the title opened.
    scripts = tree.css("script")
    assert [s.attributes.get("type") for s in scripts] == ["application/ld+json"] * 2
    assert BREAKOUT not in response.get_data(as_text=True)  # escaped everywhere
    data = json_ld(tree)
    assert set(data) == {"NewsArticle", "FAQPage"}
    assert data["NewsArticle"]["headline"] == BREAKOUT
    # The visible title is the same text, escaped as HTML.
    assert tree.css_first("h1").text() == BREAKOUT


def test_no_questions_means_no_faq_section_and_no_faq_json_ld(
    client, make_article, editor
):
    article = make_article()
    faq = article.faqs[0]
    editing.remove_item(
        db.session,
        article,
        article.author,
        "faqs",
        faq.id,
        expected_version=article.faqs_version,
    )
    db.session.refresh(article)
    workflow.apply(
        db.session, article, "publish", editor, expected_version=article.version
    )
    db.session.commit()
    tree = parse(client.get(f"/articles/{article.slug}"))
    assert "People Also Ask" not in texts(tree, "h2")
    assert tree.css("details") == []
    assert set(json_ld(tree)) == {"NewsArticle"}


def test_markdown_is_rendered_safely(client, make_article, editor):
    article = make_article()
    section = article.sections[0]
    editing.update_section(
        db.session,
        article,
        article.author,
        section.id,
        expected_version=section.version,
        heading=section.heading,
        body="Read **this** <script>alert(1)</script> and [the report](https://example.org/r).",
    )
    db.session.refresh(article)
    workflow.apply(
        db.session, article, "publish", editor, expected_version=article.version
    )
    db.session.commit()
    tree = parse(client.get(f"/articles/{article.slug}"))
    prose = tree.css_first("section.story-section .prose")
    assert prose.css_first("strong").text() == "this"
    assert prose.css("script") == []
    assert "<script>alert(1)</script>" in prose.text()
    link = prose.css_first("a")
    assert link.attributes["href"] == "https://example.org/r"
    assert link.attributes["rel"] == "nofollow noopener"


def test_last_updated_moves_with_publish_update(client, publish, editor):
    first = utcnow().replace(microsecond=0) - timedelta(days=3)
    article = publish(when=first)
    later = first + timedelta(days=1, minutes=7)
    workflow.apply(
        db.session,
        article,
        "publish_update",
        editor,
        expected_version=article.version,
        kind="update",
        now=later,
    )
    db.session.commit()
    tree = parse(client.get(f"/articles/{article.slug}"))
    assert tree.css_first("p.byline time").attributes["datetime"] == iso_datetime(
        first, TZ
    )
    assert tree.css_first(".last-updated time").attributes["datetime"] == iso_datetime(
        later, TZ
    )
    news = json_ld(tree)["NewsArticle"]
    assert news["datePublished"] == iso_datetime(first, TZ)
    assert news["dateModified"] == iso_datetime(later, TZ)


# --------------------------------------------------------------------------
# More from Categories
# --------------------------------------------------------------------------


def test_widget_orders_by_freshness_excludes_current_empty_and_retired(
    client, make_category, publish
):
    base = utcnow().replace(microsecond=0) - timedelta(days=10)
    home = make_category("Home")
    stale, fresh, middle, fourth = (
        make_category(n) for n in ("Stale", "Fresh", "Middle", "Fourth")
    )
    make_category("Empty")
    retired = make_category("Old")
    # Four articles in the article's own category, the newest is the one read.
    own = [
        publish(category=home, title=f"Home {i}", when=base + timedelta(hours=i))
        for i in range(4)
    ]
    current = own[0]
    for i in range(4):
        publish(
            category=stale, title=f"Stale {i}", when=base + timedelta(days=1, minutes=i)
        )
        publish(
            category=fourth,
            title=f"Fourth {i}",
            when=base + timedelta(days=2, minutes=i),
        )
        publish(
            category=middle,
            title=f"Middle {i}",
            when=base + timedelta(days=3, minutes=i),
        )
        publish(
            category=fresh, title=f"Fresh {i}", when=base + timedelta(days=4, minutes=i)
        )
    publish(category=retired, title="Retired news", when=base + timedelta(days=5))
    retired.retired = True
    db.session.commit()

    tree = parse(client.get(f"/articles/{current.slug}"))
    aside = tree.css_first("aside.more-from")
    assert aside.css_first("h2").text() == "More from Categories"
    groups = aside.css("section.more-group")
    assert [g.css_first("h3").text() for g in groups] == ["Fresh", "Middle", "Fourth"]
    assert [texts(g, ".teaser-title") for g in groups] == [
        ["Fresh 3", "Fresh 2", "Fresh 1"],
        ["Middle 3", "Middle 2", "Middle 1"],
        ["Fourth 3", "Fourth 2", "Fourth 1"],
    ]
    for group, category in zip(groups, (fresh, middle, fourth), strict=True):
        view_all = group.css_first("a.view-all")
        assert view_all.text() == "View All"
        assert view_all.attributes["href"] == f"/categories/{category.slug}"
        for teaser in group.css("article.teaser"):
            assert teaser.css_first("time").attributes["datetime"]
            assert teaser.css_first(".teaser-summary").text(strip=True)
            assert teaser.css_first("a.read-article").text() == "Read Article"
    links = [a.attributes["href"] for a in aside.css("a.read-article")]
    assert len(links) == 9
    assert f"/articles/{current.slug}" not in links
    assert "Retired news" not in aside.text()
    assert "Empty" not in texts(aside, "h3")
    # Every link in the widget works.
    for href in links + [a.attributes["href"] for a in aside.css("a.view-all")]:
        assert client.get(href).status_code == 200, href


def test_widget_never_lists_the_article_being_read(client, make_category, publish):
    a = make_category("Alpha")
    b = make_category("Beta")
    only = publish(category=a, title="Only alpha")
    beta = publish(category=b, title="Only beta")
    tree = parse(client.get(f"/articles/{only.slug}"))
    assert texts(tree, "aside .teaser-title") == ["Only beta"]
    tree = parse(client.get(f"/articles/{beta.slug}"))
    assert texts(tree, "aside .teaser-title") == ["Only alpha"]


def test_widget_is_left_out_when_no_other_category_has_news(client, publish):
    article = publish()
    tree = parse(client.get(f"/articles/{article.slug}"))
    assert tree.css("aside") == []
    assert "More from Categories" not in tree.html


# --------------------------------------------------------------------------
# What readers never see
# --------------------------------------------------------------------------


def test_drafts_and_review_copies_are_404(client, make_article):
    draft = make_article(state="draft")
    review = make_article(state="review")
    for article in (draft, review):
        response = client.get(f"/articles/{article.slug}")
        assert response.status_code == 404
        assert article.title not in response.get_data(as_text=True)
    assert client.get("/articles/no-such-article").status_code == 404


def test_unpublished_article_is_410_without_the_reason(client, publish, editor):
    article = publish(title="Withdrawn story")
    workflow.apply(
        db.session,
        article,
        "unpublish",
        editor,
        expected_version=article.version,
        note="Legal asked us to take it down",
    )
    db.session.commit()
    response = client.get(f"/articles/{article.slug}")
    assert response.status_code == 410
    body = response.get_data(as_text=True)
    assert "removed" in body
    assert "Legal" not in body
    assert "Withdrawn story" not in body
    tree = LexborHTMLParser(body)
    assert len(tree.css("h1")) == 1


def test_working_copy_stays_invisible_until_publish_update(client, publish, editor):
    article = publish(title="Bridge closes for repairs")
    old_summary = article.summary
    editing.update_summary(
        db.session,
        article,
        editor,
        expected_version=article.summary_version,
        summary="Zebracorn sightings reported near the bridge.",
    )
    section = article.sections[0]
    editing.update_section(
        db.session,
        article,
        editor,
        section.id,
        expected_version=section.version,
        heading="Unpublished heading",
        body="Quokkamander appears in the working copy only.",
    )
    db.session.refresh(article)
    editing.update_meta(
        db.session,
        article,
        editor,
        expected_version=article.meta_version,
        title="Secret new title",
        category_id=article.category_id,
    )
    db.session.commit()

    def everything() -> str:
        parts = [
            client.get(f"/articles/{article.slug}"),
            client.get("/"),
            client.get(f"/categories/{article.category.slug}"),
            client.get("/feed.xml"),
            client.get("/news-sitemap.xml"),
            client.get("/search?q=zebracorn"),
            client.get("/search?q=quokkamander"),
            client.get("/search?q=bridge"),
        ]
        assert all(p.status_code == 200 for p in parts)
        return "\n".join(p.get_data(as_text=True) for p in parts)

    seen = everything()
    for secret in ("Zebracorn", "Quokkamander", "Unpublished heading", "Secret new"):
        assert secret not in seen
    assert old_summary in seen
    assert "Bridge closes for repairs" in seen

    db.session.refresh(article)
    workflow.apply(
        db.session,
        article,
        "publish_update",
        editor,
        expected_version=article.version,
        kind="update",
    )
    db.session.commit()
    seen = everything()
    assert "Zebracorn sightings" in seen
    assert "Quokkamander" in seen
    assert "Secret new title" in seen
    assert "Bridge closes for repairs" not in seen


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------


def test_reader_pages_are_publicly_cacheable_with_validators(client, publish):
    article = publish()
    for path in (
        f"/articles/{article.slug}",
        "/",
        f"/categories/{article.category.slug}",
        "/search?q=council",
        "/feed.xml",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "public, max-age=60", path
        assert response.headers["ETag"], path
        again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304, path
        assert again.data == b""


def test_conditional_get_by_date_and_a_changed_page(client, publish, editor):
    article = publish()
    path = f"/articles/{article.slug}"
    first = client.get(path)
    assert first.headers["Last-Modified"]
    same = client.get(
        path, headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert same.status_code == 304
    stale = client.get(path, headers={"If-None-Match": '"not-the-etag"'})
    assert stale.status_code == 200
    # A publish update changes the page: the old ETag no longer matches.
    workflow.apply(
        db.session,
        article,
        "publish_update",
        editor,
        expected_version=article.version,
        kind="update",
        now=utcnow() + timedelta(minutes=5),
    )
    db.session.commit()
    changed = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_reader_pages_set_no_cookie(client, publish):
    article = publish()
    response = client.get(f"/articles/{article.slug}")
    assert "Set-Cookie" not in response.headers


# --------------------------------------------------------------------------
# Preview (used by the desk)
# --------------------------------------------------------------------------


def test_article_page_preview_of_a_draft(app, make_article, make_category, publish):
    from editorial.reader.pages import article_page

    other = publish(category=make_category("Elsewhere"), title="Elsewhere news")
    draft = make_article(title="Draft under review")
    with app.test_request_context("/desk/articles/1/preview"):
        html = article_page(draft.working_content(), article=draft, preview=True)
    tree = LexborHTMLParser(html)
    assert "Preview — not published" in tree.css_first(".preview-banner").text()
    assert tree.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    assert texts(tree, "h1") == ["Draft under review"]
    assert tree.css_first(".last-updated time").attributes["datetime"]
    assert tree.css_first("p.byline time").attributes["datetime"]
    assert texts(tree, "aside .teaser-title") == [other.title]
    # Not published, so still not public.
    assert draft.first_published_at is None


def test_article_page_preview_shows_the_working_copy(app, publish, editor):
    from editorial.reader.pages import article_page

    article = publish(title="Published title")
    editing.update_summary(
        db.session,
        article,
        editor,
        expected_version=article.summary_version,
        summary="A pending change to the summary.",
    )
    db.session.commit()
    with app.test_request_context("/"):
        html = article_page(article.working_content(), article=article, preview=True)
    tree = LexborHTMLParser(html)
    assert tree.css_first("section.quick-summary p").text() == (
        "A pending change to the summary."
    )
    assert tree.css_first(".last-updated time").attributes["datetime"] == (
        iso_datetime(article.last_published_at, TZ)
    )
