"""Scheduled publishing (PRODUCT.md section 10): schedule, unschedule, fire.

Domain tests run the scheduler's pass in-process against the real database;
the process tests start real `flask scheduler` processes on it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from editorial import scheduler
from editorial.domain import editing, scheduling, workflow
from editorial.domain.errors import (
    ChecklistFailed,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
)
from editorial.domain.models import Article, Role, State, Transition, utcnow
from editorial.extensions import db
from editorial.scheduler import FileLock, lock_path, run_pass
from tests.conftest import worker_redis_url

ROOT = Path(__file__).resolve().parent.parent


def schedule(article, editor, when: datetime):
    workflow.apply(
        db.session,
        article,
        "schedule",
        editor,
        expected_version=article.version,
        publish_at=when,
    )
    db.session.commit()


def make_due(article_id: int, when: datetime) -> None:
    """Move a schedule's minute into the past, as the clock would."""
    db.session.execute(
        update(Article).where(Article.id == article_id).values(publish_at=when)
    )
    db.session.commit()


def transitions(article_id: int) -> list[tuple[str, str, str]]:
    rows = db.session.scalars(
        select(Transition)
        .where(Transition.article_id == article_id)
        .order_by(Transition.id)
    )
    return [(t.action, t.from_state.value, t.to_state.value) for t in rows]


# --- Schedule and Unschedule ------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "review"])
def test_schedule_keeps_the_minute_and_the_editor(make_article, editor, state):
    article = make_article(state=state)
    when = datetime(2031, 5, 4, 9, 30, 41)
    schedule(article, editor, when)
    db.session.refresh(article)
    assert article.state == State.SCHEDULED
    assert article.publish_at == datetime(2031, 5, 4, 9, 30)  # to the minute
    assert article.scheduled_by_id == editor.id
    assert article.published_revision_id is None
    last = transitions(article.id)[-1]
    assert last == ("schedule", state, "scheduled")


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (None, "Publish at is required."),
        (timedelta(minutes=-1), "Publish at must be in the future."),
        (timedelta(seconds=0), "Publish at must be in the future."),
        (timedelta(days=366 * 6), "Publish at is too far ahead (at most five years)."),
    ],
)
def test_schedule_needs_a_minute_in_the_future(make_article, editor, when, message):
    article = make_article(state="review")
    now = datetime(2030, 1, 1, 12, 0)
    with pytest.raises(InvalidInput) as info:
        workflow.apply(
            db.session,
            article,
            "schedule",
            editor,
            expected_version=article.version,
            publish_at=None if when is None else now + when,
            now=now,
        )
    assert (info.value.field, info.value.message) == ("publish_at", message)
    db.session.rollback()
    db.session.refresh(article)
    assert (article.state, article.publish_at) == (State.REVIEW, None)


def test_schedule_runs_the_checklist(make_article, editor):
    article = make_article(state="draft", filled=False)
    with pytest.raises(ChecklistFailed):
        schedule(article, editor, utcnow() + timedelta(hours=1))
    db.session.rollback()
    db.session.refresh(article)
    assert article.state == State.DRAFT


def test_unschedule_returns_to_draft_and_nothing_fires(make_article, editor):
    article = make_article(state="scheduled")
    workflow.apply(
        db.session, article, "unschedule", editor, expected_version=article.version
    )
    db.session.commit()
    db.session.refresh(article)
    assert (article.state, article.publish_at, article.scheduled_by_id) == (
        State.DRAFT,
        None,
        None,
    )
    assert run_pass(db.session, clock=lambda: utcnow() + timedelta(days=2)) == []
    db.session.refresh(article)
    assert article.state == State.DRAFT


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.EDITOR, Role.ADMIN])
def test_a_scheduled_article_is_read_only_to_everyone(make_user, make_article, role):
    author = make_user(Role.AUTHOR)
    article = make_article(author=author, state="scheduled")
    user = author if role == Role.AUTHOR else make_user(role)
    with pytest.raises(NotAllowed):
        editing.update_summary(
            db.session,
            article,
            user,
            expected_version=article.summary_version,
            summary="Changed after scheduling.",
        )
    db.session.rollback()


def test_publish_does_not_apply_to_a_scheduled_article(make_article, editor):
    article = make_article(state="scheduled")
    with pytest.raises(IllegalTransition):
        workflow.apply(
            db.session, article, "publish", editor, expected_version=article.version
        )
    db.session.rollback()


def test_the_scheduler_action_is_not_offered_nor_accepted(client, login_as, editor):
    from editorial.domain.errors import NotFound

    with pytest.raises(NotFound):
        workflow.get_action("publish_scheduled")
    assert workflow.get_action("publish_scheduled", internal=True).label == "Publish"


def test_readers_get_404_until_it_publishes(client, make_article):
    article = make_article(state="scheduled", title="Embargoed budget story")
    assert client.get(f"/articles/{article.slug}").status_code == 404
    assert "Embargoed budget story" not in client.get("/").get_data(as_text=True)
    assert "Embargoed" not in client.get("/feed.xml").get_data(as_text=True)
    make_due(article.id, utcnow() - timedelta(minutes=1))
    assert [o.published for o in run_pass(db.session)] == [True]
    page = client.get(f"/articles/{article.slug}")
    assert page.status_code == 200
    assert "Embargoed budget story" in page.get_data(as_text=True)
    assert "Embargoed budget story" in client.get("/").get_data(as_text=True)


# --- firing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role_at_the_minute", "active", "published"),
    [
        (Role.EDITOR, True, True),
        (Role.ADMIN, True, True),
        (Role.AUTHOR, True, False),  # demoted after scheduling
        (Role.EDITOR, False, False),  # deactivated after scheduling
    ],
)
def test_firing_checks_the_editors_permission_again(
    make_user, make_article, role_at_the_minute, active, published
):
    editor = make_user(Role.EDITOR, username="schedulingeditor")
    article = make_article(state="review")
    schedule(article, editor, utcnow() + timedelta(hours=1))
    editor.role = role_at_the_minute
    editor.active = active
    db.session.commit()
    make_due(article.id, utcnow() - timedelta(seconds=5))

    outcomes = run_pass(db.session)

    assert [o.published for o in outcomes] == [published]
    db.session.refresh(article)
    if published:
        assert article.state == State.PUBLISHED
        assert article.published_revision_id is not None
        assert transitions(article.id)[-1] == (
            "publish_scheduled",
            "scheduled",
            "published",
        )
        actor = db.session.scalars(
            select(Transition.actor_id).order_by(Transition.id.desc())
        ).first()
        assert actor == editor.id
    else:
        assert article.state == State.REVIEW
        assert article.published_revision_id is None
        assert article.publish_at is None
        last = db.session.scalars(
            select(Transition).order_by(Transition.id.desc())
        ).first()
        assert (last.action, last.from_state, last.to_state) == (
            "schedule_failed",
            State.SCHEDULED,
            State.REVIEW,
        )
        expected = (
            "Scheduled publication failed: Schedulingeditor may no longer "
            "publish (Author)."
            if active
            else "Scheduled publication failed: Schedulingeditor's account is "
            "deactivated."
        )
        assert last.note == expected


def test_firing_runs_the_checklist_again(make_article, editor):
    article = make_article(state="scheduled")
    # The text changed behind the desk's back (or the rules grew stricter).
    db.session.execute(
        update(Article).where(Article.id == article.id).values(summary="")
    )
    db.session.commit()
    make_due(article.id, utcnow() - timedelta(seconds=5))

    outcomes = run_pass(db.session)

    assert [o.published for o in outcomes] == [False]
    db.session.refresh(article)
    assert article.state == State.REVIEW
    last = db.session.scalars(select(Transition).order_by(Transition.id.desc())).first()
    assert last.note == (
        "Scheduled publication failed: the checklist found 1 error(s): "
        "Quick summary: The quick summary is empty."
    )


def test_not_yet_due_stays_scheduled(make_article):
    article = make_article(state="scheduled")
    make_due(article.id, utcnow() + timedelta(seconds=90))
    assert run_pass(db.session) == []
    db.session.refresh(article)
    assert article.state == State.SCHEDULED


def test_catch_up_publishes_missed_schedules_oldest_first(make_article):
    now = utcnow()
    # Created newest-minute first, so id order is the opposite of minute order.
    minutes = [now - timedelta(hours=h) for h in (1, 5, 3, 26)]
    articles = [make_article(state="scheduled") for _ in minutes]
    for article, minute in zip(articles, minutes, strict=True):
        make_due(article.id, minute)

    outcomes = run_pass(db.session)

    order = [articles.index(db.session.get(Article, o.article_id)) for o in outcomes]
    assert order == [3, 1, 2, 0]
    assert all(o.published for o in outcomes)
    published_at = [
        db.session.get(Article, o.article_id).first_published_at for o in outcomes
    ]
    assert published_at == sorted(published_at)


def test_a_second_pass_publishes_nothing_again(make_article):
    articles = [make_article(state="scheduled") for _ in range(3)]
    for article in articles:
        make_due(article.id, utcnow() - timedelta(minutes=2))
    assert len(run_pass(db.session)) == 3
    assert run_pass(db.session) == []
    publications = db.session.scalar(
        select(func.count())
        .select_from(Transition)
        .where(Transition.action == "publish_scheduled")
    )
    assert publications == 3


def test_a_scheduled_publication_refreshes_cached_reader_pages(client, make_article):
    article = make_article(state="scheduled", title="Tram line opens on time")
    assert "Tram line opens" not in client.get("/").get_data(as_text=True)
    assert "Tram line opens" not in client.get("/").get_data(as_text=True)  # cached
    make_due(article.id, utcnow() - timedelta(seconds=1))
    run_pass(db.session)
    assert "Tram line opens on time" in client.get("/").get_data(as_text=True)


# --- Publish at: the site's time zone, across daylight saving -------------------


@pytest.mark.parametrize(
    ("typed", "utc"),
    [
        # Europe/Berlin goes from CET (+1) to CEST (+2) at 02:00 on 29 March 2026.
        ("2026-03-29T01:30", datetime(2026, 3, 29, 0, 30)),
        ("2026-03-29T03:30", datetime(2026, 3, 29, 1, 30)),
        ("2026-03-28T18:00", datetime(2026, 3, 28, 17, 0)),
        ("2026-03-30 18:00", datetime(2026, 3, 30, 16, 0)),
        # ... and back at 03:00 on 25 October 2026: 02:30 happens twice; the
        # first (still CEST) is taken.
        ("2026-10-25T02:30", datetime(2026, 10, 25, 0, 30)),
        ("2026-10-25T03:30", datetime(2026, 10, 25, 2, 30)),
        ("2026-10-24T12:00", datetime(2026, 10, 24, 10, 0)),
        ("2026-10-26T12:00", datetime(2026, 10, 26, 11, 0)),
    ],
)
def test_publish_at_is_site_time_stored_as_utc(typed, utc):
    assert scheduling.parse_publish_at(typed, "Europe/Berlin") == utc


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "2026-03-29T02:30",
            "02:30 does not exist on 2026-03-29 in Europe/Berlin (the clocks go "
            "forward); choose another time.",
        ),
        ("", "Publish at is required."),
        ("tomorrow", "Publish at needs a date and a time, like 2026-12-24 18:00."),
        (
            "2026-02-30T10:00",
            "Publish at needs a date and a time, like 2026-12-24 18:00.",
        ),
        (
            "2026-12-24T18:00" + "0" * 50,
            "Publish at needs a date and a time, like 2026-12-24 18:00.",
        ),
    ],
)
def test_publish_at_refuses_what_is_not_a_site_time(typed, message):
    with pytest.raises(InvalidInput) as info:
        scheduling.parse_publish_at(typed, "Europe/Berlin")
    assert (info.value.field, info.value.message) == ("publish_at", message)


def test_publish_at_is_shown_back_in_site_time():
    assert (
        scheduling.local_input_value(datetime(2026, 10, 25, 0, 30), "Europe/Berlin")
        == "2026-10-25T02:30"
    )
    assert (
        scheduling.local_input_value(datetime(2026, 10, 25, 1, 30), "Europe/Berlin")
        == "2026-10-25T02:30"  # the second 02:30, now CET
    )
    assert (
        scheduling.local_input_value(datetime(2026, 7, 1, 10, 0), "Europe/Berlin")
        == "2026-07-01T12:00"
    )


def test_the_sleep_wakes_just_after_each_minute():
    # 1_000_000_020 is a whole minute (16,666,667 × 60).
    assert scheduler.seconds_to_sleep(30, now=1_000_000_000.0) == pytest.approx(20.05)
    assert scheduler.seconds_to_sleep(30, now=1_000_000_019.5) == pytest.approx(0.55)
    assert scheduler.seconds_to_sleep(30, now=1_000_000_020.0) == 30
    assert scheduler.seconds_to_sleep(5, now=1_000_000_030.0) == 5


# --- one scheduler per SQLite file --------------------------------------------------


def test_the_sqlite_lock_admits_one_holder(tmp_path):
    path = lock_path(f"sqlite:///{tmp_path / 'news.sqlite'}", str(tmp_path))
    assert path == tmp_path / "news.sqlite.scheduler-lock"
    first, second = FileLock(path), FileLock(path)
    assert first.try_acquire() is True
    assert second.try_acquire() is False
    first.release()
    assert second.try_acquire() is True
    second.release()
    assert lock_path("postgresql+psycopg://u@h/db", str(tmp_path)) is None


# --- real scheduler processes -------------------------------------------------------


def _scheduler_env(app) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY="test-only-secret",
        SITE_TIMEZONE="Europe/Berlin",
        PYTHONPATH=str(ROOT),
        # The same instance folder: the page cache's generation file is shared.
        EDITORIAL_INSTANCE_PATH=app.instance_path,
    )
    redis_url = worker_redis_url()
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _scheduler(app, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "editorial", "scheduler", *args],
        cwd=ROOT,
        env=_scheduler_env(app),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.terminate()
    out, _ = process.communicate(timeout=30)
    return out


@pytest.mark.timeout(120)
def test_the_scheduler_command_catches_up_and_refreshes_reader_pages(
    app, client, make_article
):
    article = make_article(state="scheduled", title="Ferry timetable changes")
    path = f"/articles/{article.slug}"
    assert client.get(path).status_code == 404
    assert "Ferry timetable" not in client.get("/").get_data(as_text=True)
    make_due(article.id, utcnow() - timedelta(hours=3))  # missed while nothing ran

    process = _scheduler(app, "--once")
    out, _ = process.communicate(timeout=90)

    assert process.returncode == 0, out
    db.session.expire_all()
    assert db.session.get(Article, article.id).state == State.PUBLISHED
    # The other process bumped the shared generation: cached pages are fresh.
    assert "Ferry timetable changes" in client.get("/").get_data(as_text=True)
    assert client.get(path).status_code == 200


@pytest.mark.timeout(180)
def test_two_scheduler_processes_publish_each_article_once(app, make_article):
    """20 articles due at the same minute, two real schedulers racing for them.

    On PostgreSQL both work (FOR UPDATE SKIP LOCKED); on SQLite the second
    stands by behind the file lock. Either way: one publication each.
    """
    articles = [make_article(state="scheduled") for _ in range(20)]
    ids = [a.id for a in articles]
    processes = [_scheduler(app, "--tick", "0.2") for _ in range(2)]
    try:
        time.sleep(1.0)
        minute = utcnow().replace(second=0, microsecond=0)
        db.session.execute(
            update(Article).where(Article.id.in_(ids)).values(publish_at=minute)
        )
        db.session.commit()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            db.session.expire_all()
            left = db.session.scalar(
                select(func.count())
                .select_from(Article)
                .where(Article.id.in_(ids), Article.state == State.SCHEDULED)
            )
            db.session.rollback()  # never hold SQLite's read lock between polls
            if left == 0:
                break
            time.sleep(0.3)
        time.sleep(1.0)  # give a double publication the chance to happen
    finally:
        outputs = [_stop(p) for p in processes]

    db.session.expire_all()
    states = db.session.scalars(select(Article.state).where(Article.id.in_(ids)))
    assert set(states) == {State.PUBLISHED}, outputs
    per_article = dict(
        db.session.execute(
            select(Transition.article_id, func.count())
            .where(
                Transition.article_id.in_(ids),
                Transition.action == "publish_scheduled",
            )
            .group_by(Transition.article_id)
        ).all()
    )
    assert per_article == {i: 1 for i in ids}
    logged = sum(out.count("published article=") for out in outputs)
    assert logged == 20, outputs
    if db.engine.dialect.name == "sqlite":
        assert any("standing by" in out for out in outputs), outputs
