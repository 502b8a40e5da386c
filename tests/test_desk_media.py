"""Lead image uploads in the editor, /media serving and the media library."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from editorial.domain import workflow
from editorial.domain.models import Article, Media, MediaFile, Revision, Role
from editorial.extensions import db
from editorial.web import media as web_media
from tests import imaging


def _upload(
    client, article, data, name="council.jpg", htmx=False, version=None, **words
):
    form = {
        "version": str(version or article.lead_image_version),
        "alt": words.get("alt", "Council members vote in the town hall"),
        "caption": words.get("caption", "The vote took four hours."),
        "credit": words.get("credit", "Photo: Ana Ruiz"),
        "image": FileStorage(io.BytesIO(data), filename=name),
    }
    headers = {"HX-Request": "true"} if htmx else {}
    # Encoded here, in memory: the test client would spool a large body to a
    # temporary file and leave it open when the app refuses to read it.
    boundary, body = encode_multipart(form)
    return client.post(
        f"/desk/articles/{article.id}/lead-image",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=headers,
    )


def _stored(app) -> list[str]:
    root = Path(app.config["MEDIA_ROOT"])
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def _counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Media)),
        db.session.scalar(select(func.count()).select_from(MediaFile)),
        db.session.scalar(select(func.count()).select_from(Revision)),
    )


@pytest.fixture
def author_article(make_user, make_article, login_as):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    login_as(author)
    return article


@pytest.mark.parametrize(
    ("maker", "name"),
    [(imaging.jpeg, "a.jpg"), (imaging.png, "b.png"), (imaging.webp, "c.webp")],
)
def test_upload_without_javascript_stores_the_image(
    app, client, author_article, maker, name
):
    response = _upload(client, author_article, maker(), name=name)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/desk/articles/{author_article.id}#lead-image-block"
    )
    article = db.session.get(Article, author_article.id)
    assert article.lead_image_id is not None
    assert article.lead_alt == "Council members vote in the town hall"
    assert article.lead_caption == "The vote took four hours."
    assert article.lead_credit == "Photo: Ana Ruiz"
    assert article.lead_image_version == 2
    image = article.working_lead_image()
    assert (image.width, image.height) == (1600, 900)
    assert image.original_name == name
    # Every rendition is on disk under its hash name (16:9: fallback = crop).
    assert _stored(app) == sorted({r.name for r in image.renditions})
    assert len(_stored(app)) == 7
    revision = db.session.scalars(
        select(Revision)
        .where(Revision.article_id == article.id)
        .order_by(Revision.number.desc())
    ).first()
    assert revision.block == "lead_image"
    assert revision.article_content().lead_image.alt == (
        "Council members vote in the town hall"
    )


def test_htmx_upload_answers_with_the_block(client, author_article):
    response = _upload(client, author_article, imaging.jpeg(), htmx=True)
    assert response.status_code == 200
    tree = HTMLParser(response.get_data(as_text=True))
    assert "<html" not in response.get_data(as_text=True)
    block = tree.css_first("#lead-image-block")
    assert block is not None
    img = block.css_first("figure img")
    assert img.attributes["alt"] == "Council members vote in the town hall"
    assert img.attributes["src"].startswith("/media/")
    assert response.headers["HX-Trigger"] == "checklist-changed"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"Quarterly figures\n" * 50,
            "figures.jpg",
            "Choose a JPEG, PNG or WebP image.",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "Choose a JPEG, PNG or WebP image.",
        ),
        (
            imaging.jpeg(800, 600)[:4000],
            "cut.jpg",
            "The image file is damaged or incomplete.",
        ),
        (
            imaging.png_bomb(10_000, 10_000),
            "bomb.png",
            "The image has too many pixels (at most 50 megapixels).",
        ),
        (
            imaging.jpeg(200, 100) + b"\0" * (21 * 1024 * 1024),
            "huge.jpg",
            "The image is larger than 20 MB.",
        ),
    ],
    ids=["text", "svg", "truncated", "bomb", "21mb"],
)
@pytest.mark.timeout(60)
def test_refused_uploads_say_why_next_to_the_field_and_store_nothing(
    app, client, author_article, data, name, message
):
    before = _counts()
    response = _upload(client, author_article, data, name=name)
    assert response.status_code == 422
    tree = HTMLParser(response.get_data(as_text=True))
    error = tree.css_first("#lead-image-file-error")
    assert error is not None and error.text(strip=True) == message
    field = tree.css_first("#lead-image-file")
    assert field.attributes["aria-invalid"] == "true"
    assert "lead-image-file-error" in field.attributes["aria-describedby"]
    # The words typed stay in the form.
    assert tree.css_first("#lead-alt").attributes["value"] == (
        "Council members vote in the town hall"
    )
    assert _counts() == before
    assert _stored(app) == []
    article = db.session.get(Article, author_article.id)
    assert (article.lead_image_id, article.lead_image_version) == (None, 1)


def test_a_request_over_the_upload_limit_is_413_and_stores_nothing(
    app, client, author_article
):
    before = _counts()
    response = _upload(client, author_article, b"\0" * (26 * 1024 * 1024))
    assert response.status_code == 413
    assert "larger than 20 MB" in response.get_data(as_text=True)
    assert _counts() == before and _stored(app) == []


def test_other_desk_posts_keep_their_1_mb_limit(client, author_article):
    response = client.post(
        f"/desk/articles/{author_article.id}/summary",
        data={"version": "1", "summary": "x" * (1024 * 1024 + 10)},
    )
    assert response.status_code == 413
    assert db.session.get(Article, author_article.id).summary != "x"


def test_a_stale_upload_is_refused_and_its_files_are_not_kept(
    app, client, author_article
):
    assert _upload(client, author_article, imaging.jpeg()).status_code == 303
    stored = _stored(app)
    response = _upload(client, author_article, imaging.png(1200, 800), version=1)
    assert response.status_code == 409
    assert "Lead image was changed by" in response.get_data(as_text=True)
    assert _stored(app) == stored
    assert db.session.scalar(select(func.count()).select_from(Media)) == 1


def test_saving_words_without_a_file_keeps_the_image(client, author_article):
    _upload(client, author_article, imaging.jpeg())
    article = db.session.get(Article, author_article.id)
    media_id = article.lead_image_id
    response = client.post(
        f"/desk/articles/{article.id}/lead-image",
        data={
            "version": str(article.lead_image_version),
            "alt": "The mayor counts the votes",
            "caption": "",
            "credit": "Photo: Ana Ruiz",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    article = db.session.get(Article, author_article.id)
    assert (article.lead_image_id, article.lead_alt) == (
        media_id,
        "The mayor counts the votes",
    )
    assert db.session.get(Media, media_id).alt == "The mayor counts the votes"


def test_too_long_alt_text_is_refused_before_processing(app, client, author_article):
    response = _upload(client, author_article, imaging.jpeg(), alt="a" * 251)
    assert response.status_code == 422
    tree = HTMLParser(response.get_data(as_text=True))
    assert tree.css_first("#lead-alt-error").text(strip=True) == (
        "Alt text is 251 characters long; the limit is 250."
    )
    assert _stored(app) == []


def test_remove_takes_the_image_off_the_article_only(client, author_article):
    _upload(client, author_article, imaging.jpeg())
    article = db.session.get(Article, author_article.id)
    response = client.post(
        f"/desk/articles/{article.id}/lead-image/delete",
        data={"version": str(article.lead_image_version)},
    )
    assert response.status_code == 303
    article = db.session.get(Article, author_article.id)
    assert (article.lead_image_id, article.lead_alt) == (None, "")
    assert db.session.scalar(select(func.count()).select_from(Media)) == 1


def test_the_same_file_twice_is_one_library_entry(client, make_article, author_article):
    _upload(client, author_article, imaging.jpeg())
    other = make_article(author=author_article.author)
    _upload(client, other, imaging.jpeg(), alt="Another view")
    assert db.session.scalar(select(func.count()).select_from(Media)) == 1
    assert (
        db.session.get(Article, other.id).lead_image_id
        == db.session.get(Article, author_article.id).lead_image_id
    )


def test_an_author_cannot_upload_to_another_authors_article(
    app, client, make_user, make_article, login_as
):
    article = make_article()
    login_as(make_user(Role.AUTHOR))
    response = _upload(client, article, imaging.jpeg())
    assert response.status_code == 404
    assert _stored(app) == []
    assert db.session.scalar(select(func.count()).select_from(Media)) == 0


def test_an_author_cannot_change_the_image_in_review(
    app, client, make_user, make_article, login_as
):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author, state="review")
    login_as(author)
    response = _upload(client, article, imaging.jpeg())
    assert response.status_code == 403
    assert _stored(app) == []


# --- /media ----------------------------------------------------------------------


def _names(article_id: int) -> list[str]:
    article = db.session.get(Article, article_id)
    return [r.name for r in article.working_lead_image().renditions]


def test_an_unpublished_articles_image_is_404_to_anonymous_readers(
    app, client, author_article
):
    _upload(client, author_article, imaging.jpeg())
    names = _names(author_article.id)
    desk = client.get(f"/media/{names[0]}")
    assert desk.status_code == 200
    assert desk.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    anonymous = app.test_client()
    for name in names:
        assert anonymous.get(f"/media/{name}").status_code == 404


def test_a_published_image_is_public_and_immutable(app, client, author_article, editor):
    _upload(client, author_article, imaging.camera_jpeg())
    article = db.session.get(Article, author_article.id)
    workflow.apply(
        db.session, article, "publish", editor, expected_version=article.version
    )
    db.session.commit()
    anonymous = app.test_client()
    for rendition in article.working_lead_image().renditions:
        response = anonymous.get(f"/media/{rendition.name}")
        assert response.status_code == 200
        assert response.mimetype == rendition.mime
        assert response.headers["Cache-Control"] == (
            "public, max-age=31536000, immutable"
        )
        assert "Cookie" not in response.headers.get("Vary", "")
        # What is served carries no metadata at all.
        assert imaging.has_metadata(response.data) == [], rendition.kind
        again = anonymous.get(
            f"/media/{rendition.name}",
            headers={"If-None-Match": response.headers["ETag"]},
        )
        assert again.status_code == 304
    # Unpublished again: gone for readers.
    workflow.apply(
        db.session,
        article,
        "unpublish",
        editor,
        expected_version=article.version,
        note="Legal asked us to take it down.",
    )
    db.session.commit()
    name = article.working_lead_image().renditions[0].name
    assert anonymous.get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    "name",
    ["nope.jpg", "0" * 32 + ".jpg", "../../secret_key", "0" * 32 + ".svg"],
)
def test_unknown_media_names_are_404(client, name):
    assert client.get(f"/media/{name}").status_code == 404


def test_uploads_work_the_same_on_the_s3_server(s3_url, make_user, make_article):
    from editorial import create_app
    from tests.conftest import FreshContextClient, base_config

    app = create_app(
        {**base_config(db.engine.url.render_as_string(False)), "MEDIA_S3_URL": s3_url}
    )
    app.test_client_class = FreshContextClient
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    client = app.test_client()
    with app.app_context():
        client.post(
            "/login",
            data={"username": author.username, "password": "correct horse battery"},
        )
        assert _upload(client, article, imaging.camera_jpeg()).status_code == 303
    storage = None
    with app.app_context():
        storage = web_media.storage()
        article = db.session.get(Article, article.id)
        names = [r.name for r in article.working_lead_image().renditions]
        for name in names:
            body = storage.get(name)
            assert body is not None and imaging.has_metadata(body) == []
        assert client.get(f"/media/{names[0]}").status_code == 200
        assert app.test_client().get(f"/media/{names[0]}").status_code == 404
