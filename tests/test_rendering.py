"""Tests for editorial.domain.rendering: Markdown, plain text, JSON-LD, dates, slugs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from selectolax.lexbor import LexborHTMLParser

from editorial.domain.content import ArticleContent, Faq, Section
from editorial.domain.rendering import (
    ALLOWED_TAGS,
    display_date,
    display_datetime,
    faq_page_ld,
    iso_datetime,
    json_ld,
    news_article_ld,
    plain_text,
    render_markdown,
    slugify,
    to_site_tz,
)


def parse(html: str) -> LexborHTMLParser:
    """Parse an HTML fragment."""
    return LexborHTMLParser(f"<body>{html}</body>")


def body_elements(html: str) -> list:
    """All elements inside the fragment's body."""
    body = parse(html).body
    assert body is not None
    return [node for node in body.traverse() if node.tag not in ("body", "-text")]


# --------------------------------------------------------------------------
# render_markdown
# --------------------------------------------------------------------------


def test_render_returns_markup() -> None:
    assert isinstance(render_markdown("hi"), Markup)
    assert render_markdown("") == ""


def test_emphasis_and_paragraphs() -> None:
    tree = parse(render_markdown("Some *soft* and **strong** text.\n\nSecond."))
    paragraphs = tree.css("p")
    assert [p.text() for p in paragraphs] == ["Some soft and strong text.", "Second."]
    assert tree.css_first("em").text() == "soft"
    assert tree.css_first("strong").text() == "strong"


def test_lists_quotes_code_rule() -> None:
    html = render_markdown(
        "- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n`x < y`\n\n"
        "```python\nprint('<b>')\n```\n\n---\n\nline one  \nline two"
    )
    tree = parse(html)
    assert [li.text() for li in tree.css("ul > li")] == ["one", "two"]
    ol = tree.css_first("ol")
    assert ol.attributes.get("start") == "3"
    assert [li.text() for li in ol.css("li")] == ["three", "four"]
    assert tree.css_first("blockquote p").text() == "quoted"
    assert tree.css_first("p > code").text() == "x < y"
    pre = tree.css_first("pre > code")
    assert pre.text() == "print('<b>')\n"
    assert pre.attributes == {}  # language class dropped by the allow-list
    assert tree.css_first("hr") is not None
    assert tree.css_first("br") is not None
    assert tree.css_first("b") is None


def test_only_allowed_tags_ever_appear() -> None:
    html = render_markdown(
        "# a\n\n## b\n\n### c\n\n#### d\n\n*e* **f** [g](https://g.example)\n\n"
        "- h\n\n1. i\n\n> j\n\n`k`\n\n    l\n\n---\n\nm  \nn"
    )
    assert {node.tag for node in body_elements(html)} <= ALLOWED_TAGS


def test_raw_script_is_visible_text() -> None:
    html = render_markdown("<script>alert(1)</script>")
    tree = parse(html)
    assert tree.css("script") == []
    assert tree.css_first("p").text() == "<script>alert(1)</script>"
    assert "<script" not in html


def test_raw_img_onerror_is_visible_text() -> None:
    html = render_markdown("<img src=x onerror=alert(1)>")
    tree = parse(html)
    assert tree.css("img") == []
    assert tree.css_first("p").text() == "<img src=x onerror=alert(1)>"
    assert all(
        not name.startswith("on")
        for node in body_elements(html)
        for name in node.attributes
    )


def test_raw_html_block_is_text() -> None:
    tree = parse(
        render_markdown('<div onclick="x()">\n<iframe src="https://e"></iframe>')
    )
    assert tree.css("div, iframe") == []
    assert '<div onclick="x()">' in tree.body.text()


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "[x](/relative/path)",
        "<javascript:alert(1)>",
        "[x]\n\n[x]: javascript:alert(1)",
    ],
)
def test_unsafe_links_lose_href_keep_text(source: str) -> None:
    html = render_markdown(source)
    tree = parse(html)
    assert all(a.attributes.get("href") is None for a in tree.css("a"))
    if source.startswith("[x]("):
        assert tree.css_first("p").text() == "x"


def test_http_link_is_nofollow_noopener() -> None:
    tree = parse(render_markdown('[site](https://example.com/a?b=1&c=2 "Title")'))
    a = tree.css_first("a")
    assert a.attributes == {
        "href": "https://example.com/a?b=1&c=2",
        "title": "Title",
        "rel": "nofollow noopener",
    }
    assert a.text() == "site"


def test_autolink_http_is_nofollow() -> None:
    a = parse(render_markdown("<http://example.com>")).css_first("a")
    assert a.attributes["href"] == "http://example.com"
    assert a.attributes["rel"] == "nofollow noopener"


def test_mailto_allowed_without_rel() -> None:
    tree = parse(render_markdown("[mail](mailto:desk@example.com) <news@example.com>"))
    links = tree.css("a")
    assert [a.attributes.get("href") for a in links] == [
        "mailto:desk@example.com",
        "mailto:news@example.com",
    ]
    assert all("rel" not in a.attributes for a in links)


def test_headings_shift_below_h2() -> None:
    tree = parse(render_markdown("# Top\n\n## Second\n\n### Third\n\n###### Sixth"))
    assert tree.css("h1, h2, h5, h6") == []
    assert [h.text() for h in tree.css("h3")] == ["Top"]
    assert [h.text() for h in tree.css("h4")] == ["Second", "Third", "Sixth"]


def test_setext_heading_shifts_too() -> None:
    tree = parse(render_markdown("Big\n===\n\nSmaller\n---"))
    assert tree.css("h1, h2") == []
    assert tree.css_first("h3").text() == "Big"
    assert tree.css_first("h4").text() == "Smaller"


def test_no_images_in_bodies() -> None:
    html = render_markdown('![a](http://x/y.png) and <img src="http://x/z.png">')
    tree = parse(html)
    assert tree.css("img") == []
    assert "<img" not in html


_FRAGMENTS = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:x'>",
    "<svg onload=x>",
    "javascript:",
    "data:text/html,",
    "[",
    "]",
    "(",
    ")",
    "![",
    "<",
    ">",
    "*",
    "_",
    "`",
    "#",
    "> ",
    "- ",
    "1. ",
    "\n",
    "\n\n",
    "    ",
    '"',
    "'",
    "&",
    "http://e.x",
    "mailto:a@b.c",
    " on",
    "onclick=",
    "text",
]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join),
    )
)
def test_render_markdown_property(text: str) -> None:
    html = render_markdown(text)
    assert "<script" not in html.lower()
    for node in body_elements(html):
        assert node.tag in ALLOWED_TAGS
        for name in node.attributes:
            assert not name.lower().startswith("on")
        href = node.attributes.get("href")
        if href is not None:
            assert href.lower().startswith(("http:", "https:", "mailto:"))
            assert not href.lower().lstrip().startswith("javascript:")
    assert "h1" not in {node.tag for node in body_elements(html)}


# --------------------------------------------------------------------------
# plain_text
# --------------------------------------------------------------------------


def test_plain_text_strips_markdown() -> None:
    text = plain_text(
        "# Heading\n\nSome *em* and **strong** with [a link](https://e.x) "
        "and `code`.\n\n- one\n- two\n\n> quote\n\n```\nblock\n```\n\n---"
    )
    assert (
        text == "Heading Some em and strong with a link and code. one two quote block"
    )


def test_plain_text_keeps_raw_html_as_literal_text() -> None:
    assert plain_text("a <b>bold</b>\nline") == "a <b>bold</b> line"


def test_plain_text_link_text_only_even_for_unsafe_links() -> None:
    assert plain_text("[click](javascript:alert(1)) ![alt](x.png)") == "click alt"


def test_plain_text_empty() -> None:
    assert plain_text("") == ""
    assert plain_text("   \n\n ") == ""


# --------------------------------------------------------------------------
# JSON-LD
# --------------------------------------------------------------------------


def test_json_ld_cannot_break_out_of_script() -> None:
    payload = {
        "headline": "</script><script>alert(1)</script>",
        "x": "a & b > c <!-- d",
        "sep": "line\u2028para\u2029end",
        "uni": "Café",
    }
    out = json_ld(payload)
    assert isinstance(out, Markup)
    assert "</script" not in out.lower()
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert "Café" in out  # ensure_ascii=False keeps readable text
    assert json.loads(str(out)) == payload


def test_json_ld_inside_a_page_has_one_script_element() -> None:
    out = json_ld({"headline": "</script><script>alert(1)</script>"})
    tree = LexborHTMLParser(
        f'<html><head><script type="application/ld+json">{out}</script></head></html>'
    )
    scripts = tree.css("script")
    assert len(scripts) == 1
    assert json.loads(scripts[0].text())["headline"].startswith("</script>")


CONTENT = ArticleContent(
    title="Rates rise again",
    category_id=1,
    category_name="Business",
    summary="The central bank raised rates.",
    sections=(Section(heading="What Happened", body="It *rose*."),),
    takeaways=("a", "b", "c"),
    faqs=(
        Faq(question="Why did rates rise?", answer="Because of **inflation**."),
        Faq(question="What next?", answer="See [the bank](https://bank.example)."),
    ),
)


def test_news_article_ld_fields() -> None:
    data = news_article_ld(
        content=CONTENT,
        url="https://news.example/articles/rates-rise-again",
        author_name="Ada Lovelace",
        published=datetime(2026, 11, 28, 14, 4, tzinfo=UTC),
        modified=datetime(2026, 11, 29, 9, 30, 15),  # naive = UTC
        site_name="Example News",
    )
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Rates rise again",
        "description": "The central bank raised rates.",
        "datePublished": "2026-11-28T14:04:00+00:00",
        "dateModified": "2026-11-29T09:30:15+00:00",
        "author": {"@type": "Person", "name": "Ada Lovelace"},
        "publisher": {"@type": "Organization", "name": "Example News"},
        "articleSection": "Business",
        "mainEntityOfPage": {
            "@type": "WebPage",
            "@id": "https://news.example/articles/rates-rise-again",
        },
    }
    json.loads(str(json_ld(data)))


def test_news_article_ld_image_and_site_zone() -> None:
    data = news_article_ld(
        content=CONTENT,
        url="https://news.example/a",
        author_name="A",
        published=datetime(2026, 11, 28, 14, 4, tzinfo=UTC),
        modified=datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
        site_name="S",
        image="https://news.example/a.png",
        tz_name="Europe/Berlin",
    )
    assert data["image"] == ["https://news.example/a.png"]
    assert data["datePublished"] == "2026-11-28T15:04:00+01:00"
    assert data["dateModified"] == "2026-07-01T12:00:00+02:00"


def test_faq_page_ld() -> None:
    data = faq_page_ld(CONTENT)
    assert data == {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": "Why did rates rise?",
                "acceptedAnswer": {"@type": "Answer", "text": "Because of inflation."},
            },
            {
                "@type": "Question",
                "name": "What next?",
                "acceptedAnswer": {"@type": "Answer", "text": "See the bank."},
            },
        ],
    }


def test_faq_page_ld_none_without_questions() -> None:
    assert faq_page_ld(ArticleContent(title="x")) is None
    assert faq_page_ld(ArticleContent(faqs=(Faq(question="  ", answer=""),))) is None


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

WINTER = datetime(2026, 11, 28, 14, 4, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 22, 30, 45, tzinfo=UTC)


def test_to_site_tz_naive_is_utc() -> None:
    local = to_site_tz(datetime(2026, 11, 28, 14, 4), "Europe/Berlin")
    assert local.utcoffset() == timedelta(hours=1)
    assert (local.hour, local.minute) == (15, 4)


def test_to_site_tz_aware_other_zone() -> None:
    ny = timezone(timedelta(hours=-5))
    local = to_site_tz(datetime(2026, 11, 28, 9, 4, tzinfo=ny), "Europe/Berlin")
    assert local.isoformat() == "2026-11-28T15:04:00+01:00"


def test_berlin_winter() -> None:
    assert iso_datetime(WINTER, "Europe/Berlin") == "2026-11-28T15:04:00+01:00"
    assert display_date(WINTER, "Europe/Berlin") == "28 November 2026"
    assert display_datetime(WINTER, "Europe/Berlin") == "28 November 2026, 15:04 CET"


def test_berlin_summer_crosses_midnight() -> None:
    assert iso_datetime(SUMMER, "Europe/Berlin") == "2026-07-16T00:30:45+02:00"
    assert display_date(SUMMER, "Europe/Berlin") == "16 July 2026"
    assert display_datetime(SUMMER, "Europe/Berlin") == "16 July 2026, 00:30 CEST"


def test_utc() -> None:
    assert iso_datetime(SUMMER, "UTC") == "2026-07-15T22:30:45+00:00"
    assert display_date(SUMMER, "UTC") == "15 July 2026"
    assert display_datetime(SUMMER, "UTC") == "15 July 2026, 22:30 UTC"


def test_iso_datetime_drops_microseconds() -> None:
    dt = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    assert iso_datetime(dt, "UTC") == "2026-01-02T03:04:05+00:00"


@pytest.mark.parametrize("bad", ["Mars/Olympus", "", "../etc/passwd", "not a zone"])
def test_invalid_zone_falls_back_to_utc(bad: str) -> None:
    assert iso_datetime(WINTER, bad) == "2026-11-28T14:04:00+00:00"
    assert display_datetime(WINTER, bad) == "28 November 2026, 14:04 UTC"


# --------------------------------------------------------------------------
# slugify
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Café déjà vu", "cafe-deja-vu"),
        ("Hello, World!", "hello-world"),
        ("  --Rates   rise -- again--  ", "rates-rise-again"),
        ("What's Next?", "whats-next"),
        ("Straße in Łódź", "strasse-in-lodz"),
        ("ＦＵＬＬＷＩＤＴＨ ２０２６", "fullwidth-2026"),
        ("OpenAI accuses DeepSeek", "openai-accuses-deepseek"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["", "!!!", "?!.,;:", "   ", "日本語", "---"])
def test_slugify_never_empty(text: str) -> None:
    assert slugify(text) == "article"


def test_slugify_long_text_cuts_at_word_boundary() -> None:
    text = "word " * 40
    slug = slugify(text)
    assert len(slug) <= 80
    assert slug == "-".join(["word"] * 16)  # 16*4 + 15 = 79


def test_slugify_cut_exactly_on_boundary_and_mid_word() -> None:
    assert slugify("alpha beta gamma", max_length=10) == "alpha-beta"
    assert slugify("alpha beta gamma", max_length=12) == "alpha-beta"
    assert slugify("alpha beta gamma", max_length=16) == "alpha-beta-gamma"


def test_slugify_single_long_word_is_hard_cut() -> None:
    assert slugify("a" * 100, max_length=20) == "a" * 20


def test_slugify_rejects_nonpositive_max_length() -> None:
    with pytest.raises(ValueError):
        slugify("x", max_length=0)


@given(st.text(), st.integers(min_value=1, max_value=120))
def test_slugify_property(text: str, max_length: int) -> None:
    slug = slugify(text, max_length=max_length)
    assert 0 < len(slug) <= max_length
    assert slug == "article"[:max_length] or (
        slug
        and slug.isascii()
        and not slug.startswith("-")
        and not slug.endswith("-")
        and "--" not in slug
        and all(c.isalnum() or c == "-" for c in slug)
        and slug == slug.lower()
    )


# --------------------------------------------------------------------------
# The sanitiser itself (nh3): the second line of defence, tested on raw HTML
# it would only see if the Markdown parser ever let HTML through.
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="data:text/html,&lt;b&gt;">d</a>', "<a>d</a>"),
        ('<p><em onerror="alert(1)">hi</em></p>', "<p><em>hi</em></p>"),
        ("<p>a<img src=x onerror=alert(1)>b</p>", "<p>ab</p>"),
        ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
        ('<p style="color:red">x</p>', "<p>x</p>"),
        ("<style>p { color: red }</style><p>x</p>", "<p>x</p>"),
        # rel survives only with the renderer's own value; target never.
        (
            '<a href="https://x.org" rel="opener" target="_blank">x</a>',
            '<a href="https://x.org">x</a>',
        ),
    ],
)
def test_sanitizer_strips_what_is_not_allowed(dirty: str, clean: str) -> None:
    from editorial.domain.rendering import _sanitize

    assert _sanitize(dirty) == clean


def test_sanitizer_keeps_ordinary_links_and_emphasis() -> None:
    from editorial.domain.rendering import _sanitize

    html = (
        '<p><a href="https://example.org/a?b=1" rel="nofollow noopener" '
        'title="Source">link</a> <em>e</em> <strong>s</strong> '
        '<a href="mailto:desk@example.org">mail</a></p>'
        '<ol start="3"><li><code>x</code></li></ol>'
    )
    assert _sanitize(html) == html


def test_sanitizer_holds_when_the_parser_lets_raw_html_through(monkeypatch) -> None:
    """Were the Markdown parser's `html: False` ever lost, nh3 still cleans."""
    from markdown_it import MarkdownIt

    from editorial.domain import rendering

    monkeypatch.setattr(rendering, "_BODY_MD", MarkdownIt("commonmark", {"html": True}))
    source = (
        "<script>alert(1)</script>\n\n"
        '<p style="x" onclick="y">Hi <a href="javascript:z">there</a></p>\n\n'
        "*fine* and [a link](https://example.org)"
    )
    html = rendering.render_markdown.__wrapped__(source)
    tree = parse(html)
    assert tree.css("script") == []
    assert "alert" not in html and "javascript" not in html
    assert all(
        set(n.attributes) <= {"href", "title", "rel", "start"}
        for n in body_elements(html)
    )
    assert tree.css_first("em").text() == "fine"
    link = tree.css("a")[-1]
    assert link.attributes == {"href": "https://example.org"}
    assert link.text() == "a link"
