"""Insights: the numbers of the newsroom's month, from a history written here
with known times, and the page for editors (SVG charts beside their tables)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from selectolax.lexbor import LexborHTMLParser

from editorial.desk import charts
from editorial.domain import insights
from editorial.domain.models import Role
from editorial.extensions import db
from tests.conftest import count_queries
from tests.steps import act

TZ = "Europe/Berlin"
NOW = datetime(2026, 3, 20, 11, 0)  # UTC; 12:00 in Berlin (CET, UTC+1)


def _act(article, name, user, when, note=None):
    act(article, name, user, note=note, now=when)


@pytest.fixture
def month(make_user, make_category, make_article):
    """Politics: reviewed in 2 h, then 6 h (sent back), one waiting 5 h; Sport:
    reviewed in 1 h, published at 23:30 UTC (the next day in Berlin), one piece
    published 40 days ago and one waiting 30 h."""
    editor = make_user(Role.EDITOR, username="elena")
    author = make_user(Role.AUTHOR, username="amara")
    politics = make_category("Politics")
    sport = make_category("Sport")
    make_category("Weather", retired=True)

    def story(category, title):
        return make_article(author=author, category=category, title=title)

    a = story(politics, "Budget passes")
    _act(a, "submit", author, NOW - timedelta(days=3))
    _act(a, "publish", editor, NOW - timedelta(days=3) + timedelta(hours=2))
    b = story(politics, "Mayor resigns")
    _act(b, "submit", author, NOW - timedelta(days=2))
    _act(b, "request_changes", editor, NOW - timedelta(days=2, hours=-6), "Sources?")
    c = story(sport, "Cup final")
    _act(c, "submit", author, datetime(2026, 3, 17, 22, 30))
    _act(c, "publish", editor, datetime(2026, 3, 17, 23, 30))  # 18 Mar in Berlin
    old = story(sport, "Season opener")
    _act(old, "publish", editor, NOW - timedelta(days=40))
    waiting_5h = story(politics, "Tram strike")
    _act(waiting_5h, "submit", author, NOW - timedelta(hours=5))
    waiting_30h = story(sport, "Stadium plans")
    _act(waiting_30h, "submit", author, NOW - timedelta(hours=30))
    return editor


def test_publications_per_day_over_30_local_days(month):
    data = insights.gather(db.session, TZ, now=NOW)
    assert (data.start, data.end) == (date(2026, 2, 19), date(2026, 3, 20))
    assert len(data.days) == 30
    counted = {d.day: d.count for d in data.days if d.count}
    # 17 Mar 09:00 UTC + 2 h → 17 Mar; 17 Mar 23:30 UTC → 18 Mar in Berlin.
    assert counted == {date(2026, 3, 17): 1, date(2026, 3, 18): 1}
    assert data.publications == 2


def test_time_in_review_median_and_longest(month):
    reviews = insights.gather(db.session, TZ, now=NOW).reviews
    assert reviews.count == 3
    assert reviews.median == timedelta(hours=2)
    assert reviews.longest == timedelta(hours=6)
    assert reviews.buckets == (
        ("under 1 hour", 0),
        ("1–4 hours", 2),
        ("4–24 hours", 1),
        ("1–3 days", 0),
        ("over 3 days", 0),
    )


def test_waiting_longest_first(month):
    waiting = insights.gather(db.session, TZ, now=NOW).waiting
    assert [(a.title, w) for a, w in waiting] == [
        ("Stadium plans", timedelta(hours=30)),
        ("Tram strike", timedelta(hours=5)),
    ]


def test_counts_per_category(month):
    rows = insights.gather(db.session, TZ, now=NOW).categories
    assert [(c.name, c.published, c.recent, c.in_review) for c in rows] == [
        ("Politics", 1, 1, 1),
        ("Sport", 2, 1, 1),
    ]


def test_median_of_an_even_count_and_no_reviews():
    assert insights.summarise([]).median is None
    spans = [timedelta(hours=h) for h in (1, 2, 4, 10)]
    assert insights.summarise(spans).median == timedelta(hours=3)


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (None, "—"),
        (timedelta(minutes=45), "45 min"),
        (timedelta(hours=3), "3 h"),
        (timedelta(hours=3, minutes=20), "3 h 20 min"),
        (timedelta(days=2), "2 d"),
        (timedelta(days=2, hours=4, minutes=59), "2 d 4 h"),
    ],
)
def test_durations_read_at_a_glance(span, text):
    assert insights.format_duration(span) == text


def test_chart_geometry():
    chart = charts.columns([("a", 0), ("b", 3), ("c", 6)], width=340, height=140)
    # Scale to 10 (the round number above 6); plot height 140 - 12 - 28 = 100.
    assert chart.maximum == 10
    assert [(b.label, b.height) for b in chart.bars] == [
        ("a", 0),
        ("b", 30),
        ("c", 60),
    ]
    assert [b.y for b in chart.bars] == [112, 82, 52]
    assert [charts.nice_maximum(v) for v in (0, 1, 3, 7, 11, 40, 101)] == [
        1,
        1,
        5,
        10,
        20,
        50,
        200,
    ]
    rows = charts.rows([("x", 5), ("y", 10)], width=400, left=100, right=50)
    assert [(b.width, b.y) for b in rows.bars] == [(125, 10), (250, 40)]


def test_the_page_for_an_editor(client, login_as, month, monkeypatch):
    monkeypatch.setattr(insights, "utcnow", lambda: NOW)
    login_as(month)
    response = client.get("/desk/insights")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    tree = LexborHTMLParser(response.get_data(as_text=True))
    assert [h.text() for h in tree.css("h1")] == ["Insights"]
    assert [h.text() for h in tree.css("h2")] == [
        "Publications per day",
        "Time in review",
        "Waiting longest",
        "Per category",
    ]
    # Four SVG charts drawn on the server, each named, each beside a table.
    svgs = tree.css("svg.chart")
    assert [s.attributes["role"] for s in svgs] == ["img"] * 4
    assert len(tree.css("section.insight table")) == 4
    assert len(tree.css("#chart-per-day rect.chart-bar")) == 30
    assert tree.css_first("#review-median").text() == "2 h"
    assert tree.css_first("#review-longest").text() == "6 h"
    waiting = [
        [c.text(strip=True) for c in r.css("th, td")]
        for r in tree.css("#table-waiting tbody tr")
    ]
    assert waiting == [
        ["Stadium plans", "Amara", "Sport", "1 d 6 h"],
        ["Tram strike", "Amara", "Politics", "5 h"],
    ]
    per_category = [
        [c.text(strip=True) for c in r.css("th, td")]
        for r in tree.css("#table-categories tbody tr")
    ]
    assert per_category == [["Politics", "1", "1", "1"], ["Sport", "1", "2", "1"]]
    per_day = {
        r.css_first("time").attributes["datetime"]: r.css_first("td").text()
        for r in tree.css("#table-per-day tbody tr")
    }
    assert per_day["2026-03-18"] == "1"
    assert per_day["2026-03-19"] == "0"
    assert "<script" not in response.get_data(as_text=True).split("</head>")[1]


def test_authors_may_not_see_insights(client, login_as, make_user):
    login_as(make_user(Role.AUTHOR))
    assert client.get("/desk/insights").status_code == 403
    page = client.get("/desk/").get_data(as_text=True)
    assert 'href="/desk/insights"' not in page


def test_the_page_costs_the_same_whatever_the_history(
    client, login_as, make_user, make_article, editor
):
    login_as(editor)
    client.get("/desk/insights")
    with count_queries() as few:
        client.get("/desk/insights")
    for n in range(6):
        article = make_article(state="review", title=f"Story {n}")
        _act(article, "publish", editor, None)
    with count_queries() as more:
        client.get("/desk/insights")
    assert len(more) == len(few)
