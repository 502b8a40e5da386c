"""Full-text search over published articles (no Flask import).

One plain-text row per published article in `search_documents`, written on
publish and publish update and deleted on unpublish (called from the workflow).
The index is the database's own: FTS5 on SQLite, to_tsvector/websearch_to_tsquery
over a GIN expression index on PostgreSQL (both created by migration 0002).

Readers' queries never reach either query language as syntax: they are cut into
words, and each word is quoted, so `"`, `*`, `NEAR(`, `-`, `AND` and friends are
just text and a hostile query can only find nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import DateTime, Integer, String, Text, delete, text
from sqlalchemy.orm import Session

from editorial.domain.content import ArticleContent
from editorial.domain.models import Article, SearchDocument, State
from editorial.domain.rendering import plain_text

QUERY_MAX = 200  # characters a reader may type
TERMS_MAX = 12  # words kept from a query
TERM_MAX = 60  # characters kept from one word

# Names of the objects migration 0002 creates without a model: the FTS5 table
# (and the shadow tables SQLite makes for it) and the PostgreSQL GIN index.
FTS_TABLE = "search_fts"
FTS_INDEX = "ix_search_documents_fts"

# Highlight markers: private-use characters, stripped from indexed text, so the
# snippet can be escaped as a whole and only our markers become <mark>.
_MARK_OPEN = "\ue000"
_MARK_CLOSE = "\ue001"
_UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ue000\ue001]")
_WORD_RE = re.compile(r"\w+", re.UNICODE)


class QueryProblem(ValueError):
    """A query that cannot be searched; the message is for the reader."""


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic hook: leave the full-text objects (no model) out of comparisons."""
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    return not (type_ == "index" and name == FTS_INDEX)


# --------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------


def _clean(value: str) -> str:
    return _UNSAFE_RE.sub(" ", value or "").strip()


def document_text(
    content: ArticleContent, plain: Callable[[str], str] = plain_text
) -> tuple[str, str, str]:
    """(title, summary, body) as plain text: sections, takeaways and FAQ in order.

    `plain` turns one Markdown field into plain text; the benchmark seeder passes
    the plain text it generated alongside (and checks it against plain_text)."""
    parts: list[str] = []
    for section in content.sections:
        parts.append(section.heading)
        parts.append(plain(section.body))
    parts.extend(plain(t) for t in content.takeaways)
    for faq in content.faqs:
        parts.append(faq.question)
        parts.append(plain(faq.answer))
    body = " ".join(p for p in (_clean(p) for p in parts) if p)
    return _clean(content.title), _clean(plain(content.summary)), body


def index_article(session: Session, article: Article, content: ArticleContent) -> None:
    """Write (or rewrite) the search document of a published article."""
    title, summary, body = document_text(content)
    document = session.get(SearchDocument, article.id)
    if document is None:
        session.add(
            SearchDocument(
                article_id=article.id, title=title, summary=summary, body=body
            )
        )
    else:
        document.title, document.summary, document.body = title, summary, body
    session.flush()


def remove_article(session: Session, article_id: int) -> None:
    """Take an article out of search (unpublish)."""
    session.execute(
        delete(SearchDocument)
        .where(SearchDocument.article_id == article_id)
        .execution_options(synchronize_session="fetch")
    )


# --------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------


def query_terms(query: str | None) -> list[str]:
    """The words of a reader's query, or QueryProblem with a friendly message."""
    raw = (query or "").strip()
    if len(raw) > QUERY_MAX:
        raise QueryProblem(
            f"That search is too long. Use at most {QUERY_MAX} characters."
        )
    terms = [w[:TERM_MAX] for w in _WORD_RE.findall(_clean(raw).replace("_", " "))]
    if not terms:
        if raw:
            raise QueryProblem("Search for words or numbers, not only punctuation.")
        raise QueryProblem("Type a word or two to search the published articles.")
    return terms[:TERMS_MAX]


def _quoted(terms: Sequence[str]) -> str:
    """Each word as a quoted string: a literal in both FTS5 and websearch syntax."""
    return " ".join(f'"{t}"' for t in terms)


@dataclass(frozen=True)
class SearchHit:
    """One result: the published fields lists need, and a highlighted snippet."""

    article_id: int
    slug: str
    title: str
    summary: str
    category_id: int | None
    first_published_at: datetime
    last_published_at: datetime
    snippet: Markup


def highlight(snippet: str) -> Markup:
    """Escape a snippet, then turn our markers (and only them) into <mark>."""
    html = str(escape(snippet or ""))
    html = html.replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")
    # A fragment cut between markers must not leave a <mark> open.
    opened = html.count("<mark>") - html.count("</mark>")
    return Markup(html + "</mark>" * max(opened, 0))


_HIT_COLUMNS = {
    "id": Integer,
    "slug": String,
    "published_title": String,
    "published_summary": Text,
    "published_category_id": Integer,
    "first_published_at": DateTime,
    "last_published_at": DateTime,
    "snippet": Text,
}

# Search looks at the WINDOW most recent matches (by article id, descending),
# then ranks those: a word in every tenth article would otherwise make each
# query score tens of thousands of rows, and cost would grow with the archive.
WINDOW = 500

_SQLITE_COUNT = """
SELECT count(*) FROM (
  SELECT search_fts.rowid FROM search_fts
  JOIN articles a ON a.id = search_fts.rowid
  WHERE search_fts MATCH :match AND a.state = :published
  ORDER BY search_fts.rowid DESC
  LIMIT :window
)
"""
# The oldest id in the window bounds the ranked scan (FTS5 honours rowid ranges).
_SQLITE_FLOOR = """
SELECT min(id) FROM (
  SELECT search_fts.rowid AS id FROM search_fts
  WHERE search_fts MATCH :match
  ORDER BY search_fts.rowid DESC
  LIMIT :window
)
"""
# bm25: lower is better; title counts 10x, summary 5x the body.
_SQLITE_HITS = (
    """
SELECT a.id, a.slug, a.published_title, a.published_summary,
       a.published_category_id, a.first_published_at, a.last_published_at,
       snippet(search_fts, -1, :open, :close, '…', 24) AS snippet
FROM search_fts
JOIN articles a ON a.id = search_fts.rowid
WHERE search_fts MATCH :match AND a.state = :published
  AND search_fts.rowid >= ("""
    + _SQLITE_FLOOR
    + """)
ORDER BY bm25(search_fts, 10.0, 5.0, 1.0), a.last_published_at DESC, a.id DESC
LIMIT :limit OFFSET :offset
"""
)

# The WHERE expression is the GIN index's expression, word for word.
_PG_VECTOR = (
    "to_tsvector('english'::regconfig, d.title || ' ' || d.summary || ' ' || d.body)"
)
_PG_WINDOW = f"""
  SELECT d.article_id FROM search_documents d
  JOIN articles a ON a.id = d.article_id
  WHERE {_PG_VECTOR} @@ websearch_to_tsquery('english'::regconfig, :match)
    AND a.state = :published
  ORDER BY d.article_id DESC
  LIMIT :window
"""
_PG_COUNT = f"SELECT count(*) FROM ({_PG_WINDOW}) AS w"
# Rank with the title weighted highest; the headline is computed only for the
# page of hits (outer query), not for every match.
_PG_HITS = f"""
SELECT r.id, r.slug, r.published_title, r.published_summary,
       r.published_category_id, r.first_published_at, r.last_published_at,
       ts_headline('english'::regconfig, d.summary || ' ' || d.body,
                   websearch_to_tsquery('english'::regconfig, :match),
                   :headline) AS snippet
FROM (
  SELECT a.id, a.slug, a.published_title, a.published_summary,
         a.published_category_id, a.first_published_at, a.last_published_at,
         ts_rank(
           setweight(to_tsvector('english'::regconfig, d.title), 'A')
           || setweight(to_tsvector('english'::regconfig, d.summary), 'B')
           || setweight(to_tsvector('english'::regconfig, d.body), 'D'),
           q.query) AS rank
  FROM search_documents d
  JOIN articles a ON a.id = d.article_id,
       websearch_to_tsquery('english'::regconfig, :match) AS q(query)
  WHERE d.article_id IN ({_PG_WINDOW})
  ORDER BY rank DESC, a.last_published_at DESC, a.id DESC
  LIMIT :limit OFFSET :offset
) AS r
JOIN search_documents d ON d.article_id = r.id
ORDER BY r.rank DESC, r.last_published_at DESC, r.id DESC
"""
_PG_HEADLINE = (
    f"StartSel={_MARK_OPEN}, StopSel={_MARK_CLOSE}, MaxWords=30, MinWords=12, "
    'MaxFragments=1, FragmentDelimiter=" … "'
)


def search(
    session: Session, query: str | None, page: int = 1, per_page: int = 10
) -> tuple[list[SearchHit], int]:
    """Published articles matching `query`, best first: (this page's hits, total).

    Only the WINDOW most recent matches are ranked, so `total` is at most WINDOW
    (the page says "more" then). At most two statements (count, then the page
    when there is one). Raises QueryProblem for a query with nothing to search.
    """
    match = _quoted(query_terms(query))
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        count_sql, hits_sql = _SQLITE_COUNT, _SQLITE_HITS
    elif dialect == "postgresql":
        count_sql, hits_sql = _PG_COUNT, _PG_HITS
    else:  # pragma: no cover - the app runs on SQLite or PostgreSQL only
        raise RuntimeError(f"Search does not support {dialect}.")
    params: dict[str, Any] = {
        "match": match,
        "published": State.PUBLISHED.value,
        "window": WINDOW,
    }
    total = int(session.execute(text(count_sql), params).scalar_one())
    offset = (page - 1) * per_page
    if total == 0 or offset >= total:
        return [], total
    rows = session.execute(
        text(hits_sql).columns(**_HIT_COLUMNS),
        {
            **params,
            "open": _MARK_OPEN,
            "close": _MARK_CLOSE,
            "headline": _PG_HEADLINE,
            "limit": per_page,
            "offset": offset,
        },
    ).all()
    hits = [
        SearchHit(
            article_id=row.id,
            slug=row.slug,
            title=row.published_title or "",
            summary=row.published_summary or "",
            category_id=row.published_category_id,
            first_published_at=row.first_published_at,
            last_published_at=row.last_published_at,
            snippet=highlight(row.snippet),
        )
        for row in rows
    ]
    return hits, total
