"""Preview: the working copy with the reader's own template, never cached."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from editorial.domain import editing
from editorial.domain.models import Role
from editorial.extensions import db


def test_preview_shows_the_working_copy_with_the_reader_template(
    client, make_user, make_article, login_as
):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    editing.update_summary(
        db.session,
        article,
        author,
        expected_version=article.summary_version,
        summary="A draft summary only the desk can see.",
    )
    db.session.commit()
    login_as(author)
    response = client.get(f"/desk/articles/{article.id}/preview")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Robots-Tag"] == "noindex"
    tree = LexborHTMLParser(response.get_data(as_text=True))
    assert "Preview — not published" in tree.body.text()
    assert [h.text(strip=True) for h in tree.css("h1")] == [article.title]
    headings = [h.text(strip=True) for h in tree.css("h2")]
    assert headings[0] == "Quick Summary"
    assert "Key Takeaways" in headings
    assert "A draft summary only the desk can see." in tree.body.text()
    assert tree.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    # Readers still get nothing.
    client.post("/logout")
    assert client.get(f"/articles/{article.slug}").status_code == 404


def test_preview_permissions(client, make_user, make_article, login_as):
    article = make_article()
    path = f"/desk/articles/{article.id}/preview"
    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login?next=")
    login_as(make_user(Role.AUTHOR))
    refused = client.get(path)
    assert refused.status_code == 404
    assert article.title not in refused.get_data(as_text=True)
    client.post("/logout")
    login_as(make_user(Role.EDITOR))
    shown = client.get(path)
    assert shown.status_code == 200
    assert article.title in shown.get_data(as_text=True)
