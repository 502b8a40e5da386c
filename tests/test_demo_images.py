"""The demo's lead images: drawn on the spot, one per category, real alt text."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from editorial.domain import demo
from editorial.domain.models import Article, Category, Media, State
from editorial.extensions import db
from editorial.web import media as web_media
from tests import imaging
from tests.conftest import FAST_HASH


@pytest.mark.timeout(300)
def test_demo_articles_get_drawn_lead_images(app, client):
    demo.seed(
        db.session,
        password="demo password 1",
        hash_method=FAST_HASH,
        storage=web_media.storage(),
    )
    db.session.commit()
    # One picture per category, processed once and reused.
    assert db.session.scalar(select(func.count()).select_from(Media)) == 6
    politics = db.session.scalar(select(Category).where(Category.name == "Politics"))
    live = db.session.scalars(
        select(Article).where(Article.state == State.PUBLISHED)
    ).all()
    assert len(live) == 50
    assert all(a.published_image_id is not None for a in live)
    first = next(a for a in live if a.published_category_id == politics.id)
    image = json.loads(first.published_image)
    assert image["alt"] == (
        "Drawing of a columned council building against a blue and red evening sky"
    )
    content = first.published_revision.article_content()
    assert (content.lead_image.width, content.lead_image.height) == (1600, 900)
    assert content.lead_image.credit == "Illustration: Editorial demo"
    response = client.get(f"/media/{image['large']['name']}")
    assert response.status_code == 200
    assert imaging.has_metadata(response.data) == []
