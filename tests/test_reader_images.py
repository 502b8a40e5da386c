"""Readers see the lead image: figure, social card, structured data, feed,
teasers (all parsed, not grepped); the checklist's image rules."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from editorial.domain import checklist, editing, images, workflow
from editorial.domain.content import ArticleContent, LeadImage, Rendition
from editorial.domain.models import Article, Role
from editorial.extensions import db
from editorial.web import media as web_media
from tests import imaging
from tests.conftest import count_queries

ATOM = "{http://www.w3.org/2005/Atom}"
MRSS = "{http://search.yahoo.com/mrss/}"


def _with_image(article, user, data=None, alt="Firefighters at the burning warehouse"):
    images.attach_upload(
        db.session,
        web_media.storage(),
        article,
        user,
        expected_version=article.lead_image_version,
        data=data or imaging.jpeg(2400, 1600),
        filename="IMG_2041.jpg",
        alt=alt,
        caption="The fire began shortly after midnight.",
        credit="Photo: Jonas Berg",
    )
    db.session.commit()
    return db.session.get(Article, article.id)


@pytest.fixture
def live(make_user, make_article, editor):
    """A published article with a 2400x1600 lead image."""
    author = make_user(Role.AUTHOR)
    article = _with_image(make_article(author=author), author)
    workflow.apply(
        db.session, article, "publish", editor, expected_version=article.version
    )
    db.session.commit()
    return db.session.get(Article, article.id)


def _names(article) -> dict[str, Rendition]:
    image = article.published_revision.article_content().lead_image
    return {
        r.kind if r.kind != "webp" else f"webp-{r.width}": r for r in image.renditions
    }


def test_the_article_page_shows_the_figure_under_the_title(client, live):
    tree = HTMLParser(client.get(f"/articles/{live.slug}").get_data(as_text=True))
    figure = tree.css_first("article.story figure.lead-image")
    assert figure is not None
    # Under the title: the header (title, byline) comes right before it.
    assert figure.prev.tag == "header" or figure.prev.prev.tag == "header"
    img = figure.css_first("img")
    r = _names(live)
    assert img.attributes["src"] == f"/media/{r['jpeg'].name}"
    assert (img.attributes["width"], img.attributes["height"]) == ("1600", "1067")
    assert img.attributes["alt"] == "Firefighters at the burning warehouse"
    assert img.attributes["fetchpriority"] == "high"
    assert "loading" not in img.attributes  # the lead image is never lazy
    assert img.attributes["srcset"] == (
        f"/media/{r['webp-480'].name} 480w, /media/{r['webp-960'].name} 960w, "
        f"/media/{r['webp-1600'].name} 1600w"
    )
    assert img.attributes["sizes"]
    assert figure.css_first("figcaption .caption").text() == (
        "The fire began shortly after midnight."
    )
    assert figure.css_first("figcaption .credit").text() == "Photo: Jonas Berg"


def test_open_graph_and_twitter_cards_use_the_16x9_crop(client, live):
    tree = HTMLParser(client.get(f"/articles/{live.slug}").get_data(as_text=True))

    def meta(attr, name):
        node = tree.css_first(f'meta[{attr}="{name}"]')
        return node.attributes["content"] if node else None

    crop = _names(live)["crop-16x9"]
    assert meta("property", "og:image") == f"http://localhost/media/{crop.name}"
    assert meta("property", "og:image:width") == "1600"
    assert meta("property", "og:image:height") == "900"
    assert meta("property", "og:image:type") == "image/jpeg"
    assert meta("property", "og:image:alt") == "Firefighters at the burning warehouse"
    assert meta("name", "twitter:card") == "summary_large_image"
    assert meta("name", "twitter:image") == f"http://localhost/media/{crop.name}"


def test_news_article_structured_data_lists_three_crops(client, live):
    tree = HTMLParser(client.get(f"/articles/{live.slug}").get_data(as_text=True))
    documents = [
        json.loads(node.text())
        for node in tree.css('script[type="application/ld+json"]')
    ]
    news = next(d for d in documents if d["@type"] == "NewsArticle")
    r = _names(live)
    assert news["image"] == [
        {
            "@type": "ImageObject",
            "url": f"http://localhost/media/{r['crop-16x9'].name}",
            "width": 1600,
            "height": 900,
        },
        {
            "@type": "ImageObject",
            "url": f"http://localhost/media/{r['crop-4x3'].name}",
            "width": 1600,
            "height": 1200,
        },
        {
            "@type": "ImageObject",
            "url": f"http://localhost/media/{r['crop-1x1'].name}",
            "width": 1600,
            "height": 1600,
        },
    ]


def test_every_url_the_page_names_is_served_to_anonymous_readers(client, live):
    html = client.get(f"/articles/{live.slug}").get_data(as_text=True)
    tree = HTMLParser(html)
    urls = {tree.css_first("figure.lead-image img").attributes["src"]}
    urls |= {
        part.strip().split(" ")[0]
        for part in tree.css_first("figure.lead-image img")
        .attributes["srcset"]
        .split(",")
    }
    urls.add(tree.css_first('meta[property="og:image"]').attributes["content"])
    for url in urls:
        response = client.get(url.removeprefix("http://localhost"))
        assert response.status_code == 200, url
        assert imaging.has_metadata(response.data) == []


def test_an_article_without_an_image_has_no_figure_and_a_small_card(client, publish):
    article = publish()
    tree = HTMLParser(client.get(f"/articles/{article.slug}").get_data(as_text=True))
    assert tree.css_first("figure.lead-image") is None
    assert tree.css_first('meta[property="og:image"]') is None
    assert (
        tree.css_first('meta[name="twitter:card"]').attributes["content"] == "summary"
    )


def test_the_feed_entry_carries_the_image(client, live):
    root = ET.fromstring(client.get("/feed.xml").data)
    entry = root.find(f"{ATOM}entry")
    crop = _names(live)["crop-16x9"]
    enclosure = entry.find(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.attrib == {
        "rel": "enclosure",
        "type": "image/jpeg",
        "href": f"http://localhost/media/{crop.name}",
    }
    content = entry.find(f"{MRSS}content")
    assert content.attrib == {
        "url": f"http://localhost/media/{crop.name}",
        "medium": "image",
        "type": "image/jpeg",
        "width": "1600",
        "height": "900",
    }
    assert content.find(f"{MRSS}description").text == (
        "Firefighters at the burning warehouse"
    )


def _thumbs(html: str, slug: str):
    tree = HTMLParser(html)
    found = []
    for teaser in tree.css("article.teaser"):
        link = teaser.css_first("a.read-article")
        if link.attributes["href"] == f"/articles/{slug}":
            found.append(teaser.css_first("img.teaser-image"))
    return found


def test_teasers_show_a_thumbnail_with_fixed_dimensions(client, live, publish):
    thumb = _names(live)["thumb"]
    category = db.session.get(Article, live.id).published_category
    home = _thumbs(client.get("/").get_data(as_text=True), live.slug)
    listing = _thumbs(
        client.get(f"/categories/{category.slug}").get_data(as_text=True), live.slug
    )
    other = publish()  # More from Categories on another category's article
    widget = _thumbs(
        client.get(f"/articles/{other.slug}").get_data(as_text=True), live.slug
    )
    for found in (home, listing, widget):
        assert len(found) == 1
        img = found[0]
        assert img.attributes["src"] == f"/media/{thumb.name}"
        assert (img.attributes["width"], img.attributes["height"]) == ("320", "180")
        assert img.attributes["alt"] == "Firefighters at the burning warehouse"
        assert img.attributes["loading"] == "lazy"


def test_teaser_images_cost_no_extra_queries(client, live, publish, make_category):
    plain = make_category("Weather")
    for _ in range(3):
        publish(category=live.published_category)
    for _ in range(4):
        publish(category=plain)
    slug, plain_slug = live.published_category.slug, plain.slug
    with count_queries() as with_images:
        page = client.get(f"/categories/{slug}")
    assert len(_thumbs(page.get_data(as_text=True), live.slug)) == 1
    with count_queries() as without_images:
        client.get(f"/categories/{plain_slug}")
    assert len(with_images) == len(without_images)


def test_the_preview_shows_the_working_image_before_publication(
    client, make_user, make_article, login_as
):
    author = make_user(Role.AUTHOR)
    article = _with_image(make_article(author=author), author)
    login_as(author)
    tree = HTMLParser(
        client.get(f"/desk/articles/{article.id}/preview").get_data(as_text=True)
    )
    img = tree.css_first("figure.lead-image img")
    assert img.attributes["alt"] == "Firefighters at the burning warehouse"
    assert client.get(img.attributes["src"]).status_code == 200


def test_a_new_image_stays_private_until_publish_update(client, app, live, editor):
    old = _names(live)["jpeg"].name
    article = _with_image(live, editor, data=imaging.png(1800, 1200), alt="The ruins")
    new = article.working_lead_image().fallback.name
    anonymous = app.test_client()
    assert anonymous.get(f"/media/{new}").status_code == 404
    assert anonymous.get(f"/media/{old}").status_code == 200
    workflow.apply(
        db.session,
        article,
        "publish_update",
        editor,
        expected_version=article.version,
        kind="update",
    )
    db.session.commit()
    assert anonymous.get(f"/media/{new}").status_code == 200
    assert anonymous.get(f"/media/{old}").status_code == 404


# --- checklist -------------------------------------------------------------------


def _image(alt: str, width: int = 1600, name: str = "IMG_2041.jpg") -> ArticleContent:
    return ArticleContent(
        title="T",
        lead_image=LeadImage(
            media_id=1, alt=alt, width=width, height=900, original_name=name
        ),
    )


def _image_findings(content: ArticleContent) -> list[tuple[str, str, str]]:
    return [
        (f.rule, f.severity, f.field)
        for f in checklist.check_article(content)
        if f.block == "Lead image"
    ]


def test_missing_alt_text_is_an_error():
    assert _image_findings(_image("  ")) == [("missing-alt", "error", "lead-alt")]


@pytest.mark.parametrize("alt", ["IMG_2041.jpg", "IMG_2041", "image", "Photo"])
def test_alt_text_that_says_nothing_is_a_warning(alt):
    assert _image_findings(_image(alt)) == [("weak-alt", "warning", "lead-alt")]


def test_a_narrow_image_is_a_warning():
    assert _image_findings(_image("Firefighters at the warehouse", width=1199)) == [
        ("small-image", "warning", "lead-image-file")
    ]
    assert _image_findings(_image("Firefighters at the warehouse", width=1200)) == []


def test_no_image_no_image_findings():
    assert _image_findings(ArticleContent(title="T")) == []


def test_publishing_without_alt_text_is_refused(make_user, make_article, editor):
    author = make_user(Role.AUTHOR)
    article = _with_image(make_article(author=author), author, alt="")
    from editorial.domain.errors import ChecklistFailed

    with pytest.raises(ChecklistFailed) as caught:
        workflow.apply(
            db.session, article, "publish", editor, expected_version=article.version
        )
    assert [f.rule for f in caught.value.findings if f.severity == "error"] == [
        "missing-alt"
    ]
    db.session.rollback()
    article = db.session.get(Article, article.id)
    editing.update_lead_image(
        db.session,
        article,
        author,
        expected_version=article.lead_image_version,
        media_id=article.lead_image_id,
        alt="Firefighters at the burning warehouse",
        caption="",
        credit="",
    )
    workflow.apply(
        db.session, article, "publish", editor, expected_version=article.version
    )
    assert article.published_image_id == article.lead_image_id


def test_the_history_diff_shows_lead_image_changes():
    from editorial.domain.diff import diff_content

    before = ArticleContent(title="T")
    after = _image("Firefighters at the warehouse", width=1600, name="fire.jpg")
    added = diff_content(before, after)
    assert [(d.key, d.label, d.status) for d in added] == [
        ("lead_image", "Lead image", "added")
    ]
    assert str(added[0].html) == (
        "<ins>Image: fire.jpg (1600 × 900 px)\nAlt text: Firefighters at the "
        "warehouse</ins>"
    )
    renamed = _image("Firefighters at the old warehouse", width=1600, name="fire.jpg")
    changed = diff_content(after, renamed)
    assert [(d.key, d.status) for d in changed] == [("lead_image", "changed")]
    assert str(changed[0].html) == (
        "Image: fire.jpg (1600 × 900 px)\nAlt text: Firefighters at the "
        "<ins>old </ins>warehouse"
    )
