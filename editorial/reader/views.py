"""The public site: what anonymous readers see."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from editorial.extensions import db
from editorial.models import Article, State

bp = Blueprint("reader", __name__)


@bp.get("/")
def home():
    """Home: the latest published pieces."""
    articles = db.session.scalars(
        select(Article)
        .where(Article.state == State.PUBLISHED)
        .order_by(Article.last_published_at.desc())
        .limit(30)
    ).all()
    return render_template("reader/home.html", articles=articles)
