"""The insights page: the newsroom's month, for editors and admins."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, render_template
from flask_login import current_user

from editorial.desk import bp, charts
from editorial.domain import insights as insights_module
from editorial.domain.policy import Permission, can
from editorial.extensions import db


@bp.app_context_processor
def _insights_helper() -> dict:
    """Whether the desk header shows the Insights link."""
    return {"may_see_insights": lambda: can(current_user, Permission.SEE_INSIGHTS)}


@bp.get("/insights")
def insights():
    """Publications per day, time in review, the longest waits, per category."""
    if not can(current_user, Permission.SEE_INSIGHTS):
        abort(403)
    data = insights_module.gather(db.session, current_app.config["SITE_TIMEZONE"])
    return render_template(
        "desk/insights.html",
        data=data,
        per_day=charts.columns([(d.day.isoformat(), d.count) for d in data.days]),
        review_chart=charts.columns(list(data.reviews.buckets), width=480),
        waiting_chart=charts.rows(
            [(a.title, round(w.total_seconds() / 3600)) for a, w in data.waiting]
        ),
        category_chart=charts.rows([(c.name, c.recent) for c in data.categories]),
        duration=insights_module.format_duration,
        day_label=lambda iso: date.fromisoformat(iso).strftime("%-d %b"),
    )
