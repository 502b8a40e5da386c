"""Full-text search: ranking, highlighted snippets, hostile queries, visibility."""

from __future__ import annotations

from datetime import timedelta

import pytest
from selectolax.lexbor import LexborHTMLParser

from editorial.domain import editing, search, workflow
from editorial.domain.models import SearchDocument, utcnow
from editorial.extensions import db
from tests.steps import edit_first_section


@pytest.fixture
def write(make_article, editor):
    """A filled article whose first section body is `body`, in the given state."""

    def do(title: str, body: str = "", state: str = "published", when=None):
        article = make_article(title=title)
        if body:
            section = article.sections[0]
            editing.update_section(
                db.session,
                article,
                article.author,
                section.id,
                expected_version=section.version,
                heading=section.heading,
                body=body,
            )
            db.session.refresh(article)
        if state == "review":
            workflow.apply(
                db.session,
                article,
                "submit",
                article.author,
                expected_version=article.version,
            )
        elif state == "published":
            workflow.apply(
                db.session,
                article,
                "publish",
                editor,
                expected_version=article.version,
                now=when,
            )
        db.session.commit()
        return article

    return do


def results(client, query: str, page: str | None = None):
    params = {"q": query} if page is None else {"q": query, "page": page}
    response = client.get("/search", query_string=params)
    assert response.status_code == 200, (query, response.status_code)
    tree = LexborHTMLParser(response.get_data(as_text=True))
    assert len(tree.css("h1")) == 1
    return tree


def hit_titles(tree: LexborHTMLParser) -> list[str]:
    return [n.text(strip=True) for n in tree.css(".search-results .teaser-title")]


def test_results_are_ranked_title_before_body(client, write):
    base = utcnow() - timedelta(days=1)
    body_only = write(
        "Harbour news",
        "The old glacier museum reopens.",
        when=base + timedelta(hours=2),
    )
    in_title = write("Glacier retreat measured", when=base)
    write("Unrelated story", "Nothing to see here.")

    tree = results(client, "glacier")
    assert hit_titles(tree) == [in_title.title, body_only.title]
    assert "2 results" in tree.css_first("[role=status]").text()
    links = [a.attributes["href"] for a in tree.css(".search-results a.read-article")]
    assert links == [f"/articles/{in_title.slug}", f"/articles/{body_only.slug}"]
    for href in links:
        assert client.get(href).status_code == 200


def test_stemming_and_several_words(client, write):
    article = write("Ferries", "New ferries will sail between the islands.")
    assert hit_titles(results(client, "ferry islands")) == [article.title]
    assert hit_titles(results(client, "ferry volcano")) == []


def test_snippet_highlights_and_escapes(client, write):
    write(
        "Night trains", "Readers wrote <b>bold</b> things about sleeper trains & more."
    )
    tree = results(client, "sleeper")
    snippet = tree.css_first(".snippet")
    assert [m.text() for m in snippet.css("mark")] == ["sleeper"]
    assert snippet.css("b") == []
    html = snippet.html
    # Typed markup is text, never markup (PostgreSQL's headline drops tag-like
    # tokens; SQLite keeps them, escaped).
    assert "<b>" not in html
    assert "bold" in snippet.text()
    assert "&amp; more" in html


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"""',
        "*",
        "glacier*",
        "NEAR(",
        "NEAR(glacier museum, 2)",
        "-",
        "-glacier",
        "glacier AND",
        "OR NOT AND",
        "title:glacier",
        "{title summary}: glacier",
        "^glacier",
        "(((",
        "'; DROP TABLE articles; --",
        "%_%",
        "\\",
        "glacier\x00museum",
        "🧊 glacier",
        "a" * 500,
        "word " * 60,
        "x" * 199,
    ],
)
def test_hostile_queries_never_fail(client, write, query):
    write("Glacier museum opens", "The glacier museum opens its doors.")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    tree = LexborHTMLParser(response.get_data(as_text=True))
    assert len(tree.css("h1")) == 1
    # The page says one thing: a problem with the query, no match, or hits,
    # and the only article there is to hit is the glacier one.
    said = [
        bool(tree.css_first("p.search-problem")),
        bool(tree.css_first("p.empty")),
        bool(tree.css(".search-results")),
    ]
    assert said.count(True) == 1, said
    assert set(hit_titles(tree)) <= {"Glacier museum opens"}
    # Whatever the query held, it was never SQL: the article is still found.
    assert hit_titles(results(client, "glacier")) == ["Glacier museum opens"]


@pytest.mark.parametrize("query", ["", "   ", "?!.,;", '"*"', "-()"])
def test_empty_or_punctuation_only_query_gets_a_friendly_page(client, query):
    tree = results(client, query)
    message = tree.css_first("p.search-problem").text()
    assert "word" in message
    assert tree.css(".search-results") == []


def test_too_long_query_is_refused_kindly(client):
    tree = results(client, "glacier " * 40)
    assert "too long" in tree.css_first("p.search-problem").text()


def test_only_published_content_is_found(client, write, editor):
    write("Draft piece", "Marmalade draft text.", state="draft")
    write("Review piece", "Marmalade review text.", state="review")
    gone = write("Gone piece", "Marmalade unpublished text.")
    live = write("Live piece", "Marmalade live text.")
    workflow.apply(
        db.session,
        gone,
        "unpublish",
        editor,
        expected_version=gone.version,
        note="Wrong",
    )
    db.session.commit()
    assert hit_titles(results(client, "marmalade")) == [live.title]
    assert db.session.get(SearchDocument, gone.id) is None


def test_search_paginates_and_refuses_pages_past_the_end(client, write):
    base = utcnow() - timedelta(days=2)
    for i in range(12):
        write(f"Lantern {i:02d}", when=base + timedelta(minutes=i))
    first = results(client, "lantern")
    assert len(hit_titles(first)) == 10
    assert "12 results" in first.css_first("[role=status]").text()
    nav = first.css_first("nav.pagination")
    hrefs = [a.attributes["href"] for a in nav.css("a")]
    assert any("page=2" in h for h in hrefs)
    second = results(client, "lantern", page="2")
    assert len(hit_titles(second)) == 2
    assert set(hit_titles(first)).isdisjoint(hit_titles(second))
    for bad in ("3", "0", "-1", "abc"):
        response = client.get("/search", query_string={"q": "lantern", "page": bad})
        assert response.status_code == 404, bad


def test_no_results_page(client, write):
    write("Something", "Else entirely.")
    tree = results(client, "zeppelin")
    assert "No published article matches" in tree.css_first("p.empty").text()


# --------------------------------------------------------------------------
# The module, without HTTP
# --------------------------------------------------------------------------


def test_query_terms_keep_words_only():
    assert search.query_terms('  "glacier" NEAR( -museum* ') == [
        "glacier",
        "NEAR",
        "museum",
    ]
    with pytest.raises(search.QueryProblem):
        search.query_terms('"*-()')
    with pytest.raises(search.QueryProblem):
        search.query_terms("")
    with pytest.raises(search.QueryProblem):
        search.query_terms("x" * (search.QUERY_MAX + 1))
    assert len(search.query_terms("w " * 50)) == search.TERMS_MAX


def test_document_text_is_plain_text_of_every_block(app, make_article):
    article = make_article()
    title, summary, body = search.document_text(article.working_content())
    assert title == article.title
    assert summary == article.summary
    assert "Paragraph 1 explains" in body
    assert "The budget passed by nine votes to four." in body
    assert "When does the budget take effect?" in body
    assert "In January." in body
    assert "*" not in body and "#" not in body


def test_index_follows_publish_update_and_unpublish(app, write, editor):
    article = write("Orchard", "Apples this year.")
    hits, total = search.search(db.session, "apples", 1, 10)
    assert total == 1 and hits[0].article_id == article.id
    edit_first_section(article, editor, "Pears this year.")
    # The working copy is not searchable until it is published.
    assert search.search(db.session, "pears", 1, 10) == ([], 0)
    workflow.apply(
        db.session,
        article,
        "publish_update",
        editor,
        expected_version=article.version,
        kind="update",
    )
    db.session.commit()
    assert search.search(db.session, "pears", 1, 10)[1] == 1
    assert search.search(db.session, "apples", 1, 10) == ([], 0)
    workflow.apply(
        db.session,
        article,
        "unpublish",
        editor,
        expected_version=article.version,
        note="Gone",
    )
    db.session.commit()
    assert search.search(db.session, "pears", 1, 10) == ([], 0)


def test_highlight_escapes_everything_but_the_markers():
    marked = search.highlight("a <script> \ue000hit\ue001 & \ue000open")
    assert str(marked) == ("a &lt;script&gt; <mark>hit</mark> &amp; <mark>open</mark>")


def test_only_the_most_recent_window_of_matches_is_ranked(client, write, monkeypatch):
    monkeypatch.setattr(search, "WINDOW", 3)
    titles = [f"Lighthouse keeper story {n}" for n in range(5)]
    for title in titles:
        write(title, "The lighthouse keeper retired after forty years.")
    hits, total = search.search(db.session, "lighthouse", 1, 10)
    assert total == 3
    # The window holds the three newest matches; the oldest two are not ranked.
    assert sorted(h.title for h in hits) == sorted(titles[2:])
    tree = results(client, "lighthouse")
    assert "More than 3 results" in tree.body.text()
    assert len(hit_titles(tree)) == 3
