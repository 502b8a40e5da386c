"""The benchmark seeder writes the rows the workflow would write.

It bulk-inserts for speed, so nothing stops its rows drifting from what Publish
leaves behind. Here a seeded article goes through a real `Publish update`
(typo fix: nothing a reader sees changes): every published field, the search
document and the category freshness must come out as they went in.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import seed  # noqa: E402  (bench/ is not a package on sys.path by default)

from editorial.domain import search, workflow  # noqa: E402
from editorial.domain.content import ArticleContent  # noqa: E402
from editorial.domain.models import (  # noqa: E402
    Article,
    Category,
    SearchDocument,
    User,
)
from editorial.extensions import db  # noqa: E402

pytestmark = pytest.mark.timeout(120)

PUBLISHED = (
    "published_revision_id",
    "published_title",
    "published_summary",
    "published_category_id",
    "published_image_id",
    "published_image",
    "first_published_at",
    "last_published_at",
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    url = f"sqlite:///{tmp_path_factory.mktemp('seed') / 'seed.sqlite'}"
    seed.seed(url, 40, reset=True)
    app = seed.make_app(url)
    yield app
    with app.app_context():
        db.engine.dispose()


def _snapshot(article: Article) -> dict:
    document = db.session.get(SearchDocument, article.id)
    categories = db.session.execute(
        select(Category.id, Category.last_published_at, Category.published_count)
    ).all()
    return {
        "fields": {name: getattr(article, name) for name in PUBLISHED},
        "search": (document.title, document.summary, document.body),
        "categories": sorted(categories),
    }


# Article 1 was updated after its first publication (every fifth is), article 2 not.
@pytest.mark.parametrize("article_id", [1, 2])
def test_a_typo_fix_through_the_workflow_changes_no_seeded_row(seeded, article_id):
    with seeded.app_context():
        article = db.session.get(Article, article_id)
        editor = db.session.scalar(select(User).where(User.username == seed.EDITOR))
        before = _snapshot(article)
        workflow.apply(
            db.session,
            article,
            "publish_update",
            editor,
            expected_version=article.version,
            kind="typo",
        )
        db.session.commit()
        db.session.refresh(article)
        after = _snapshot(article)
        assert after == before


def test_the_search_text_is_the_domains_including_takeaways_and_faq(seeded):
    with seeded.app_context():
        for article in db.session.scalars(select(Article).limit(10)):
            content = ArticleContent.from_json(article.published_revision.content)
            document = db.session.get(SearchDocument, article.id)
            assert (document.title, document.summary, document.body) == (
                search.document_text(content)
            )
            assert content.faqs[-1].answer in document.body
            assert content.takeaways[0] in document.body


def test_some_seeded_pieces_were_updated_after_first_publication(seeded):
    with seeded.app_context():
        updated = db.session.scalars(
            select(Article.id).where(
                Article.last_published_at > Article.first_published_at
            )
        ).all()
    assert 1 in updated and 2 not in updated
