"""Real parallel requests racing on one article: exactly one consistent outcome
(issue 13, holes 5 and 6, and two editors acting at once)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from editorial.domain import editing, workflow
from editorial.domain.errors import NotAllowed
from editorial.domain.models import (
    Article,
    ArticleSection,
    Revision,
    Role,
    State,
    Transition,
    User,
)
from editorial.extensions import db
from tests.concurrency import at_once, own_client
from tests.conftest import PASSWORD

NOT_EDITABLE = "This article is in review: you cannot edit it now."
STALE = "This article changed since you opened it."


def signed_in(app, user: User):
    client = own_client(app)
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 303
    return client


def post(client, path: str, data: dict):
    def call():
        response = client.post(path, data=data)
        return response.status_code, response.get_data(as_text=True)

    return call


# --- hole 5: a save racing "Submit for review" ---------------------------------


@pytest.mark.timeout(300)
def test_a_section_save_racing_submit_for_review_never_lands_after_it(
    app, make_user, make_article
):
    author = make_user(Role.AUTHOR)
    saver, submitter = signed_in(app, author), signed_in(app, author)
    outcomes = set()
    for trial in range(12):
        article = make_article(author=author)
        section = article.sections[0]
        new_body = f"Raced body {trial}: the council met again."
        old_body = section.body
        save = post(
            saver,
            f"/desk/articles/{article.id}/sections/{section.id}",
            {"heading": section.heading, "body": new_body, "version": section.version},
        )
        submit = post(
            submitter,
            f"/desk/articles/{article.id}/actions/submit",
            {"version": article.version},
        )
        (save_status, save_page), (submit_status, submit_page) = at_once([save, submit])
        db.session.expire_all()
        a = db.session.get(Article, article.id)
        body = db.session.get(ArticleSection, section.id).body
        saved, submitted = save_status == 303, submit_status == 303
        assert saved != submitted, (trial, save_status, submit_status)
        if submitted:
            assert save_status == 403
            assert NOT_EDITABLE in save_page
            assert a.state == State.REVIEW
            assert body == old_body
            newest = db.session.scalar(
                select(func.max(Revision.number)).where(Revision.article_id == a.id)
            )
            submitted_rev = db.session.get(Revision, a.submitted_revision_id)
            assert newest == submitted_rev.number  # no author revision after it
            outcomes.add("submit won")
        else:
            assert submit_status == 409
            assert STALE in submit_page
            assert a.state == State.DRAFT
            assert body == new_body
            outcomes.add("save won")
    assert outcomes  # every trial ended one way or the other, never both


def test_a_save_is_refused_in_the_database_once_the_article_left_draft(
    app, make_user, make_article
):
    # The race, one step at a time: the save's request loaded the article as a
    # draft; the submission commits before the save's first write.
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)
    section_id, section_version = article.sections[0].id, article.sections[0].version
    old_body = article.sections[0].body
    with Session(db.engine) as saving:
        loaded = saving.get(Article, article.id)
        writer = saving.get(User, author.id)
        assert loaded.state == State.DRAFT  # what the save's request saw
        workflow.apply(
            db.session,
            db.session.get(Article, article.id),
            "submit",
            author,
            expected_version=article.version,
        )
        db.session.commit()
        with pytest.raises(NotAllowed) as refused:
            editing.update_section(
                saving,
                loaded,
                writer,
                section_id,
                expected_version=section_version,
                heading="What happened",
                body="Written after the submission.",
            )
        assert refused.value.message == NOT_EDITABLE
        saving.rollback()
    db.session.expire_all()
    assert db.session.get(Article, article.id).state == State.REVIEW
    assert db.session.get(ArticleSection, section_id).body == old_body


# --- hole 6: caps under parallel adds -------------------------------------------


@pytest.mark.timeout(300)
def test_parallel_add_section_at_29_makes_exactly_30_with_distinct_positions(
    app, make_user, make_article
):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author, filled=False)
    for n in range(len(article.sections), 29):
        editing.add_section(db.session, article, author, heading=f"Part {n}")
        db.session.commit()
        db.session.refresh(article)
    assert len(article.sections) == 29
    clients = [signed_in(app, author) for _ in range(5)]
    results = at_once(
        [
            post(c, f"/desk/articles/{article.id}/sections", {"heading": f"Extra {i}"})
            for i, c in enumerate(clients)
        ]
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [303, 422, 422, 422, 422]
    refused = [page for status, page in results if status == 422]
    assert all("An article has at most 30 sections." in page for page in refused)
    positions = db.session.scalars(
        select(ArticleSection.position).where(ArticleSection.article_id == article.id)
    ).all()
    assert sorted(positions) == list(range(30))


@pytest.mark.timeout(300)
def test_parallel_add_takeaway_at_the_cap_adds_one(app, make_user, make_article):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author)  # three takeaways
    for n in range(3, 6):
        db.session.refresh(article)
        editing.add_item(
            db.session,
            article,
            author,
            "takeaways",
            expected_version=article.takeaways_version,
            values={"takeaway": f"Point {n}."},
        )
        db.session.commit()
    db.session.refresh(article)
    clients = [signed_in(app, author) for _ in range(4)]
    results = at_once(
        [
            post(
                c,
                f"/desk/articles/{article.id}/takeaways",
                {"takeaway": f"Raced {i}.", "version": article.takeaways_version},
            )
            for i, c in enumerate(clients)
        ]
    )
    assert sorted(s for s, _ in results).count(303) == 1
    db.session.expire_all()
    a = db.session.get(Article, article.id)
    assert [t.position for t in a.takeaways] == list(range(7))


# --- two editors acting at once ---------------------------------------------------

RACES = [
    # (state to start from, first action, second action)
    ("draft", "submit", "submit"),
    ("draft", "publish", "publish"),
    ("review", "withdraw", "withdraw"),
    ("review", "request_changes", "request_changes"),
    ("review", "publish", "publish"),
    ("review", "publish", "request_changes"),
    ("published", "publish_update", "publish_update"),
    ("published", "unpublish", "unpublish"),
    ("published", "publish_update", "unpublish"),
]


@pytest.mark.timeout(300)
@pytest.mark.parametrize(("state", "first", "second"), RACES)
def test_two_people_acting_at_once_exactly_one_wins(
    app, make_user, make_article, state, first, second
):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author, state=state)
    before = db.session.scalar(
        select(func.count())
        .select_from(Transition)
        .where(Transition.article_id == article.id)
    )
    if "withdraw" in (first, second):
        # Withdrawing is the author's own act: the author in two sessions.
        actors = [signed_in(app, author), signed_in(app, author)]
    else:
        actors = [
            signed_in(app, make_user(Role.EDITOR)),
            signed_in(app, make_user(Role.EDITOR)),
        ]
    start_version = article.version
    data = {
        "version": start_version,
        "note": "Needs more.",
        "reason": "Wrong.",
        "kind": "update",
    }
    results = at_once(
        [
            post(actors[0], f"/desk/articles/{article.id}/actions/{first}", data),
            post(actors[1], f"/desk/articles/{article.id}/actions/{second}", data),
        ]
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [303, 409]
    loser = next(page for status, page in results if status == 409)
    assert STALE in loser or "does not apply" in loser
    db.session.expire_all()
    after = db.session.scalars(
        select(Transition).where(Transition.article_id == article.id)
    ).all()
    assert len(after) == before + 1
    winner = (first, second)[[s for s, _ in results].index(303)]
    assert sorted(t.id for t in after)[-1] == max(t.id for t in after)
    assert [t.action for t in after if t.id == max(x.id for x in after)] == [winner]
    expected_state = workflow.ACTIONS_BY_NAME[winner].target
    a = db.session.get(Article, article.id)
    assert a.state == expected_state
    assert a.version == start_version + 1


def save_item(app, user: User, article: Article, item, version: int, text: str):
    """A call posting one takeaway through the one-form Save, as shown at
    `version` (with the digest of the text it was shown with)."""
    from editorial.domain import blocks

    form = f"takeaway-{item.id}"
    data = {
        f"{form}.version": version,
        f"{form}.digest": blocks.digest({"takeaway": item.text}),
        f"{form}.takeaway": text,
    }
    return post(signed_in(app, user), f"/desk/articles/{article.id}/save", data)


@pytest.mark.timeout(300)
def test_parallel_saves_of_different_items_of_one_list_both_land(
    app, make_user, make_article
):
    author, editor = make_user(Role.AUTHOR), make_user(Role.EDITOR)
    for trial in range(6):
        article = make_article(author=author)
        seen = article.takeaways_version
        first, second = article.takeaways[0], article.takeaways[1]
        results = at_once(
            [
                save_item(
                    app, editor, article, first, seen, f"Editor's point {trial}."
                ),
                save_item(
                    app, author, article, second, seen, f"Author's point {trial}."
                ),
            ]
        )
        assert [status for status, _ in results] == [303, 303]
        db.session.expire_all()
        texts = [t.text for t in db.session.get(Article, article.id).takeaways]
        assert texts[:2] == [f"Editor's point {trial}.", f"Author's point {trial}."]


@pytest.mark.timeout(300)
def test_parallel_saves_of_the_same_item_keep_one_and_report_the_other(
    app, make_user, make_article
):
    author, editor = make_user(Role.AUTHOR), make_user(Role.EDITOR)
    for trial in range(6):
        article = make_article(author=author)
        seen = article.takeaways_version
        item = article.takeaways[0]
        texts = {editor.id: f"Editor {trial}.", author.id: f"Author {trial}."}
        results = at_once(
            [
                save_item(app, user, article, item, seen, texts[user.id])
                for user in (editor, author)
            ]
        )
        assert sorted(status for status, _ in results) == [303, 409]
        db.session.expire_all()
        stored = db.session.get(Article, article.id).takeaways[0].text
        assert stored in texts.values()
