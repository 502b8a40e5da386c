"""The article editor: the page, and one small endpoint per block.

Each block endpoint loads the article, calls the domain (editing / workflow),
commits once, and answers with its own block (htmx) or a 303 back to the editor
(plain form post). A refused value re-renders the block or page with the
message next to the field (422); a stale version renders the conflict view (409).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    get_template_attribute,
    redirect,
    request,
    url_for,
)
from flask_login import current_user
from jinja2_fragments.flask import render_block

from editorial.desk import bp
from editorial.desk.presence import colleagues, presence_store
from editorial.desk.views import category_choices
from editorial.domain import (
    blocks,
    checklist,
    comments,
    editing,
    rendering,
    saving,
    scheduling,
    wordcount,
    workflow,
)
from editorial.domain import content as limits
from editorial.domain.errors import (
    ChecklistFailed,
    DomainError,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    StaleBlock,
    StaleVersion,
)
from editorial.domain.models import (
    Article,
    ArticleSection,
    ChangeKind,
    parse_db_int,
    utcnow,
)
from editorial.domain.policy import Permission, can
from editorial.domain.rendering import slugify
from editorial.extensions import db
from editorial.reader.pages import article_page
from editorial.web.fragments import (
    hx_redirect,
    is_fragment_request,
    render_page_or_block,
)

TEMPLATE = "desk/editor.html"
# Sent with every successful block save: the checklist and workflow panels
# listen for it and reload themselves (hx-trigger="checklist-changed from:body").
CHANGED_EVENT = "checklist-changed"


@dataclass
class Pending:
    """What the user just submitted to one form, and why it was refused.

    `form` names the form ("summary", "section-12", "takeaway-new", …); the
    template puts `values` back into that form and `errors` next to its fields.
    """

    form: str = ""
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    conflict: StaleBlock | None = None
    theirs: list[tuple[str, str]] | None = None
    message: str = ""
    findings: list[Any] = field(default_factory=list)
    saved: str = ""
    saved_at: datetime | None = None
    merged_with: str = ""  # saved by merging with this colleague's newer text
    # One Save for all: the other forms of the same request, by form name.
    others: dict[str, Pending] = field(default_factory=dict)

    def of(self, form: str) -> Pending:
        """This form's part (an empty Pending when it was not submitted)."""
        if self.form == form or self.saved == form:
            return self
        return self.others.get(form) or Pending()

    def value(self, form: str, name: str, default: Any) -> Any:
        part = self.of(form)
        if part.form == form and name in part.values:
            return part.values[name]
        return default

    def error(self, form: str, name: str) -> str | None:
        part = self.of(form)
        return part.errors.get(name) if part.form == form else None

    def conflict_on(self, form: str) -> StaleBlock | None:
        part = self.of(form)
        return part.conflict if part.form == form else None

    def conflicted(self, prefix: str) -> str:
        """The first form starting with `prefix` that has a conflict ("" if none)."""
        for part in (self, *self.others.values()):
            if part.conflict and part.form.startswith(prefix):
                return part.form
        return ""

    def digest_for(self, article: Article, form: str) -> str:
        """The digest beside a block's fields: of what it holds when shown.

        After a conflict the fields hold the writer's text, so their digest
        is that text's: a later Save (or an autosave already on its way) does
        not quietly overwrite the other version; "Keep my version" does.
        """
        part = self.of(form)
        if part.conflict is None or part.form != form:
            return saving.shown_digest(article, form)
        shown = saving.shown_values(article, form)
        return saving.digest({name: part.values.get(name, "") for name in shown})

    def saved_time(self, form: str, prefix: str = "") -> datetime | None:
        """When this request saved `form` (or a form starting with `prefix`)."""
        part = self.saved_part(form, prefix)
        return (part.saved_at or utcnow()) if part else None

    def saved_part(self, form: str, prefix: str = "") -> Pending | None:
        """The part of this request that saved `form` (or one with `prefix`)."""
        for part in (self, *self.others.values()):
            if part.saved and (
                part.saved == form or (prefix and part.saved.startswith(prefix))
            ):
                return part
        return None


def preview_path(article_id: int) -> str:
    """The preview address."""
    return url_for("desk.preview_article", article_id=article_id)


@bp.get("/articles/<int:article_id>/preview")
def preview_article(article_id: int):
    """The working copy exactly as readers would see it, marked as a preview."""
    article = _load(article_id)
    html = article_page(article.working_content(), article=article, preview=True)
    return Response(html, mimetype="text/html")


def _load(article_id: int) -> Article:
    return editing.get_article_for(db.session, article_id, current_user)


class Findings(Sequence[Any]):
    """The working copy's checklist findings, errors first, run when first read.

    Every editor render gets one, but only the checklist panel (and the whole
    page) reads it: a save renders its block, and the checklist and actions
    panels reload, yet the checklist runs once.
    """

    def __init__(self, article: Article) -> None:
        self._article = article
        self._found: list[Any] | None = None

    @cached_property
    def content(self) -> Any:
        return self._article.working_content()

    @property
    def words(self) -> int:
        """The working copy's word count (the checklist panel shows it)."""
        return wordcount.article_words(self.content)

    @property
    def reading_minutes(self) -> int:
        return wordcount.reading_minutes(self.words)

    def _list(self) -> list[Any]:
        if self._found is None:
            found = checklist.check_article(self.content)
            self._found = sorted(found, key=lambda f: f.severity != checklist.ERROR)
        return self._found

    def __getitem__(self, index: Any) -> Any:
        return self._list()[index]

    def __len__(self) -> int:
        return len(self._list())


def comment_context(article: Article) -> dict[str, Any]:
    """What every comment panel of the editor needs: the threads and the rights."""
    return {
        "threads": comments.threads_by_block(db.session, article, current_user),
        "may_comment": can(current_user, Permission.COMMENT, article),
        "may_resolve": can(current_user, Permission.RESOLVE_COMMENT, article),
    }


def _context(
    article: Article, pending: Pending | None = None, mode: str = "edit"
) -> dict[str, Any]:
    return {
        **comment_context(article),
        "unavailable": workflow.unavailable_reasons(db.session, article, current_user),
        "article": article,
        "may_edit": can(current_user, Permission.EDIT, article),
        "mode": mode,
        "categories": category_choices(article.category_id),
        "actions": workflow.available_actions(article, current_user),
        "findings": Findings(article),
        "note": workflow.last_note_for_author(db.session, article),
        "pending": pending or Pending(),
        "preview_url": preview_path(article.id),
        "limits": limits,
        "blocks": blocks,
        "saving": saving,
        "poll_seconds": current_app.config["PRESENCE_POLL_SECONDS"],
        "site_timezone": current_app.config["SITE_TIMEZONE"],
        "local_input_value": scheduling.local_input_value,
        "change_kinds": tuple(ChangeKind),
    }


def _section_context(article: Article, section_id: int) -> dict[str, Any]:
    for index, section in enumerate(article.sections):
        if section.id == section_id:
            return {"section": section, "section_index": index}
    abort(404)


def render_editor_block(
    article: Article,
    block: str,
    *,
    status: int = 200,
    pending: Pending | None = None,
    mode: str = "edit",
    changed: bool = False,
    **extra: Any,
) -> Response:
    """The whole editor page, or one of its blocks for an htmx request."""
    response = render_page_or_block(
        TEMPLATE, block, status=status, **_context(article, pending, mode), **extra
    )
    if changed:
        response.headers["HX-Trigger"] = CHANGED_EVENT
    return response


def _posted(form: str = "") -> dict[str, str]:
    """One block's submitted fields, by plain name.

    The editor page is one form (One Save for all), so its fields are named
    `<form>.<name>` ("summary.summary", "section-12.body"); a block's own
    autosave sends the same names, and a small form of its own (Add, Move,
    Remove) plain ones. Both are accepted.
    """
    prefix = f"{form}."
    values = {k: v for k, v in request.form.items() if "." not in k}
    values.pop("csrf_token", None)
    if form:
        for key, value in request.form.items():
            if key.startswith(prefix):
                values[key.removeprefix(prefix)] = value
    return values


def _version(form: str = "") -> int:
    version = parse_db_int(_posted(form).get("version", ""))
    if version is None:
        abort(400)
    return version


def _editor_url(article_id: int, anchor: str) -> str:
    return url_for("desk.edit_article", article_id=article_id) + "#" + anchor


def _save(
    article_id: int,
    *,
    block: str,
    form: str,
    anchor: str,
    saved: str,
    change: Callable[[Article], str | None],
    extra: Callable[[Article], dict[str, Any]] | None = None,
    on_conflict: Callable[[Article, Pending], tuple[str, str | None]] | None = None,
    theirs: Callable[[Article], list[tuple[str, str]] | None] | None = None,
) -> Response:
    """Run one block save and answer with the block, the page or a redirect.

    `on_conflict` may pick another block to answer with (and an htmx target to
    swap instead), e.g. when the section being saved was removed meanwhile.
    """
    article = _load(article_id)
    try:
        merged = change(article)
    except (InvalidInput, StaleBlock) as error:
        db.session.rollback()
        article = _load(article_id)
        pending = Pending(form=form, values=_posted(form))
        status, retarget, answer = 409, None, block
        if isinstance(error, InvalidInput):
            if _autosaving():
                return _autosave_refused(form, error)
            pending.errors = {error.field: error.message}
            status = 422
        else:
            pending.conflict = error
            pending.theirs = theirs(article) if theirs else None
            if on_conflict:
                answer, retarget = on_conflict(article, pending)
            if _autosaving():  # the conflict view replaces the whole block
                retarget = retarget or f"#{anchor}"
        context = extra(article) if extra and answer == block else {}
        response = render_editor_block(
            article, answer, status=status, pending=pending, **context
        )
        if retarget and is_fragment_request():
            response.headers["HX-Retarget"] = retarget
            response.headers["HX-Reswap"] = "outerHTML"
        return response
    db.session.commit()
    merged_with = merged if isinstance(merged, str) else ""
    if is_fragment_request():
        article = _load(article_id)
        if _autosaving() and not merged_with:
            return autosaved(article, form)
        context = extra(article) if extra else {}
        done = Pending(saved=form, saved_at=utcnow(), merged_with=merged_with)
        response = render_editor_block(
            article, block, pending=done, changed=True, **context
        )
        if _autosaving():  # merged: the field must show both writers' text
            response.headers["HX-Retarget"] = f"#{anchor}"
            response.headers["HX-Reswap"] = "outerHTML"
        return response
    flash(f"Merged with changes by {merged_with}." if merged_with else saved, "success")
    return redirect(_editor_url(article_id, anchor), code=303)


# --- autosave and One Save for all -------------------------------------------------


def _autosaving() -> bool:
    """An htmx autosave of one block: it wants the status line, not the block."""
    return is_fragment_request() and request.headers.get("X-Autosave") == "1"


def status_line(form: str, text: str, state: str = "") -> str:
    """The status line of the block `form` belongs to, as HTML."""
    macro = get_template_attribute("desk/_editor_macros.html", "status_line")
    return str(macro(saving.block_of(form), text, state))


def autosaved(article: Article, form: str) -> Response:
    """After an autosave: the block's status line only (the field being typed
    in is not re-rendered), and its new version and digest as an event that
    desk.js copies into the block's hidden fields."""
    saved = rendering.to_site_tz(utcnow(), current_app.config["SITE_TIMEZONE"])
    body = status_line(form, f"Saved {saved:%H:%M}", "saved") + _titles(article, form)
    response = Response(body)
    block = saving.block_of(form)
    event = {
        "block": block,
        "form": form,
        "version": saving.version_of(article, form),
        "digest": saving.shown_digest(article, form),
    }
    response.headers["HX-Trigger"] = json.dumps(
        {CHANGED_EVENT: True, "block-saved": event}
    )
    return response


def _titles(article: Article, form: str) -> str:
    """The headings that show what was just saved, to swap out of band."""
    macros = "desk/_editor_macros.html"
    if form == "meta":
        title = get_template_attribute(macros, "article_title")(article.title, True)
        address = get_template_attribute(macros, "article_address")(article.slug, True)
        return str(title) + str(address)
    kind, item_id = saving.split_form(form)
    if kind is blocks.SECTION:
        for index, section in enumerate(article.sections):
            if section.id == item_id:
                macro = get_template_attribute(macros, "section_title")
                return str(macro(index, section.heading, True))
    return ""


def _autosave_refused(form: str, error: InvalidInput) -> Response:
    """A refused value is not retried: the status says why, the text stays."""
    return Response(status_line(form, f"Not saved: {error.message}", "error"), 422)


@bp.post("/articles/<int:article_id>/save")
def save_all(article_id: int):
    """Any Save of the editor: every block whose text changed, each against its
    own version, in one transaction; refused blocks are reported one by one."""
    article = _load(article_id)
    forms = saving.group_fields(request.form.items())
    keep = request.form.getlist("keep")
    report = saving.save_all(db.session, article, current_user, forms, keep=keep)
    db.session.commit()
    if not report.refused and not is_fragment_request():
        flash(_saved_message(report), "success")
        pressed = request.form.get("save", "")
        return redirect(_editor_url(article_id, _anchor_of(pressed)), code=303)
    return _answer_all(_load(article_id), report)


def _saved_message(report: saving.Report) -> str:
    if not report.saved:
        return "No changes to save."
    if len(report.saved) > 1:
        message = "All changes saved."
    else:
        message = f"{_label_of(report.saved[0])} saved."
    names = ", ".join(dict.fromkeys(report.merged.values()))
    return f"{message} Merged with changes by {names}." if names else message


def _label_of(form: str) -> str:
    block = saving.block_of(form)
    if block.startswith("section-"):
        return "Section"
    if block != form:
        return blocks.BY_KEY[block].item_label
    return {"meta": "Title and category"}.get(block) or blocks.BY_KEY[block].label


def _anchor_of(form: str) -> str:
    block = saving.block_of(form)
    if block.startswith("section-") or block == "meta":
        return f"{block}-block"
    kind = blocks.BY_KEY.get(block)
    return kind.anchor if kind else "editor"


def _report_pending(article: Article, report: saving.Report) -> Pending:
    """The per-block outcome of a save of every block, for the templates."""
    parts: dict[str, Pending] = {}
    now = utcnow()
    for form in report.saved:
        merged_with = report.merged.get(form, "")
        parts[form] = Pending(saved=form, saved_at=now, merged_with=merged_with)
    for form, error in report.errors.items():
        parts[form] = Pending(
            form=form, values=report.values[form], errors={error.field: error.message}
        )
    for form, conflict in report.conflicts.items():
        part = Pending(form=form, values=report.values[form], conflict=conflict)
        kind, item_id = saving.split_form(form)
        if kind is not None and kind.listed and item_id is not None:
            part.theirs = _item_theirs(kind, item_id)(article)
            _list_conflict(kind, item_id)(article, part)
        elif kind is blocks.SECTION and conflict.removed:
            part.form = "section-removed"
        parts[part.form] = part
    return Pending(others=parts)


def _answer_all(article: Article, report: saving.Report) -> Response:
    pending = _report_pending(article, report)
    status = 409 if report.conflicts else 422 if report.errors else 200
    if not is_fragment_request():
        return render_editor_block(
            article, "editor_block", status=status, pending=pending
        )
    context = _context(article, pending)
    rendered = []
    for name, extra in _touched_blocks(article, report):
        rendered.append(render_block(TEMPLATE, name, oob=True, **context, **extra))
    response = Response("".join(rendered), status)
    if report.saved:
        response.headers["HX-Trigger"] = CHANGED_EVENT
    return response


def _touched_blocks(
    article: Article, report: saving.Report
) -> list[tuple[str, dict[str, Any]]]:
    """The template blocks to send back: each block saved or refused, once."""
    touched: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    for form in (*report.saved, *report.errors, *report.conflicts):
        kind, item_id = saving.split_form(form)
        if kind is blocks.SECTION and item_id is not None:
            if any(s.id == item_id for s in article.sections):
                name, extra = "section_block", _section_context(article, item_id)
            else:
                name, extra = "sections_block", {}
        elif kind is not None:
            name, extra = kind.template_block, {}
        else:
            name, extra = f"{form}_block", {}
        key = name + str(extra.get("section", ""))
        if key not in seen:
            seen.add(key)
            touched.append((name, extra))
    return touched


# --- the page --------------------------------------------------------------------


@bp.get("/articles/<int:article_id>")
def edit_article(article_id: int):
    """The editor for one article (read-only where the policy says so)."""
    article = _load(article_id)
    found = presence_store().others(article.id, current_user.id)
    return render_editor_block(
        article,
        "editor_block",
        present=colleagues(article, found),
    )


def _show_or_edit(article_id: int, block: str, mode: str, **extra: Any) -> Response:
    article = _load(article_id)
    if mode == "edit" and not can(current_user, Permission.EDIT, article):
        abort(403)
    return render_editor_block(article, block, mode=mode, **extra)


# --- title and category ----------------------------------------------------------


@bp.get("/articles/<int:article_id>/meta")
def show_meta(article_id: int):
    """Title, category and address, as saved."""
    return _show_or_edit(article_id, "meta_block", "show")


@bp.get("/articles/<int:article_id>/meta/edit")
def edit_meta(article_id: int):
    """Title and category, as a form."""
    return _show_or_edit(article_id, "meta_block", "edit")


@bp.post("/articles/<int:article_id>/meta")
def update_meta(article_id: int):
    """Save title and category (and the address, until the first publication)."""
    return _save(
        article_id,
        block="meta_block",
        form="meta",
        anchor="meta-block",
        saved="Title and category saved.",
        change=_change_meta,
    )


def _change_meta(article: Article) -> None:
    """The meta save; says so when the address asked for was taken."""
    posted = _posted("meta")
    slug = posted.get("slug") if not article.first_published_at else None
    chosen = editing.update_meta(
        db.session,
        article,
        current_user,
        expected_version=_version("meta"),
        title=posted.get("title", ""),
        category_id=posted.get("category"),
        slug=slug,
    )
    if slug is not None and chosen != slugify(slug.strip()):
        flash(f"The article's address is /articles/{chosen}.", "info")


# --- quick summary ---------------------------------------------------------------


@bp.get("/articles/<int:article_id>/summary")
def show_summary(article_id: int):
    """The Quick summary, as saved."""
    return _show_or_edit(article_id, "summary_block", "show")


@bp.get("/articles/<int:article_id>/summary/edit")
def edit_summary(article_id: int):
    """The Quick summary, as a form (also "Use theirs" after a conflict)."""
    return _show_or_edit(article_id, "summary_block", "edit")


@bp.post("/articles/<int:article_id>/summary")
def update_summary(article_id: int):
    """Save the Quick summary against its version."""
    return _save(
        article_id,
        block="summary_block",
        form="summary",
        anchor="summary-block",
        saved="Quick summary saved.",
        change=lambda article: editing.update_summary(
            db.session,
            article,
            current_user,
            expected_version=_version("summary"),
            summary=_posted("summary").get("summary", ""),
        ),
    )


# --- sections --------------------------------------------------------------------


@bp.get("/articles/<int:article_id>/sections")
def show_sections(article_id: int):
    """Every section (after a move, add or removal, or to take theirs)."""
    article = _load(article_id)
    mode = "edit" if can(current_user, Permission.EDIT, article) else "show"
    return render_editor_block(article, "sections_block", mode=mode)


@bp.get("/articles/<int:article_id>/sections/<int:section_id>")
def show_section(article_id: int, section_id: int):
    """One section, as saved."""
    article = _load(article_id)
    return render_editor_block(
        article, "section_block", mode="show", **_section_context(article, section_id)
    )


@bp.get("/articles/<int:article_id>/sections/<int:section_id>/edit")
def edit_section(article_id: int, section_id: int):
    """One section, as a form (also "Use theirs" after a conflict)."""
    article = _load(article_id)
    if not can(current_user, Permission.EDIT, article):
        abort(403)
    return render_editor_block(
        article, "section_block", **_section_context(article, section_id)
    )


@bp.post("/articles/<int:article_id>/sections")
def add_section(article_id: int):
    """Append a section (empty, or with the text of one removed meanwhile)."""
    return _save(
        article_id,
        block="sections_block",
        form="sections",
        anchor="sections-block",
        saved="Section added.",
        change=lambda article: editing.add_section(
            db.session,
            article,
            current_user,
            heading=request.form.get("heading", ""),
            body=request.form.get("body", ""),
        ),
    )


def _section_removed(article: Article, pending: Pending) -> tuple[str, str | None]:
    """A conflict on a removed section answers with the sections block."""
    assert pending.conflict is not None
    if pending.conflict.removed:
        pending.form = "section-removed"
        return "sections_block", "#sections-block"
    return "section_block", None


def _section_theirs(section_id: int) -> Callable[[Article], list[tuple[str, str]]]:
    def theirs(article: Article) -> list[tuple[str, str]]:
        section = db.session.get(ArticleSection, section_id)
        if section is None or section.article_id != article.id:
            return []
        return [("Heading", section.heading), ("Body", section.body)]

    return theirs


@bp.post("/articles/<int:article_id>/sections/<int:section_id>")
def update_section(article_id: int, section_id: int):
    """Save one section's heading and body against its own version."""
    return _save(
        article_id,
        block="section_block",
        form=f"section-{section_id}",
        anchor=f"section-{section_id}-block",
        saved="Section saved.",
        change=_change_section(section_id),
        extra=lambda article: _section_context(article, section_id),
        on_conflict=_section_removed,
        theirs=_section_theirs(section_id),
    )


def _change_section(section_id: int) -> Callable[[Article], None]:
    form = f"section-{section_id}"
    return lambda article: editing.update_section(
        db.session,
        article,
        current_user,
        section_id,
        expected_version=_version(form),
        heading=_posted(form).get("heading", ""),
        body=_posted(form).get("body", ""),
    )


@bp.post("/articles/<int:article_id>/sections/<int:section_id>/delete")
def delete_section(article_id: int, section_id: int):
    """Remove a section, unless it changed since it was shown."""
    return _save(
        article_id,
        block="sections_block",
        form="section-list",
        anchor="sections-block",
        saved="Section removed.",
        change=lambda article: editing.remove_section(
            db.session, article, current_user, section_id, expected_version=_version()
        ),
    )


@bp.post("/articles/<int:article_id>/sections/<int:section_id>/move")
def move_section(article_id: int, section_id: int):
    """Move a section one place up or down."""
    return _save(
        article_id,
        block="sections_block",
        form="section-list",
        anchor="sections-block",
        saved="Section moved.",
        change=lambda article: editing.move_section(
            db.session, article, current_user, section_id, _direction()
        ),
    )


def _direction() -> str:
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        abort(400)
    return direction


# --- list blocks (takeaways, questions): one implementation per registry row ---
#
# Each list block of the registry gets the same seven routes under its path
# (/takeaways, /questions), with endpoint names from its item noun
# (add_takeaway, update_question, …).


def _list_conflict(
    kind: blocks.BlockKind, item_id: int | None
) -> Callable[[Article, Pending], tuple[str, str | None]]:
    """After a list conflict: an edited item that is gone moves its text into
    the "add" form, so the words are kept and can be added again."""

    def on_conflict(article: Article, pending: Pending) -> tuple[str, str | None]:
        if item_id is not None and _item(article, kind, item_id) is None:
            pending.form = f"{kind.item}-new"
            pending.theirs = None
            assert pending.conflict is not None
            pending.conflict.message = (
                f"{pending.conflict.block} was changed by "
                f"{pending.conflict.changed_by or 'someone else'}: the item you "
                "edited was removed. Your text is in the field below."
            )
        return kind.template_block, None

    return on_conflict


def _item(article: Article, kind: blocks.BlockKind, item_id: int) -> Any:
    items = getattr(article, kind.key)
    return next((item for item in items if item.id == item_id), None)


def _item_theirs(kind: blocks.BlockKind, item_id: int) -> Callable[[Article], Any]:
    def theirs(article: Article) -> list[tuple[str, str]] | None:
        item = _item(article, kind, item_id)
        if item is None:
            return None
        return [(spec.label, getattr(item, spec.column)) for spec in kind.fields]

    return theirs


def _list_save(
    article_id: int,
    kind: blocks.BlockKind,
    form: str,
    saved: str,
    change: Callable[[Article], str | None],
    item_id: int | None = None,
) -> Response:
    return _save(
        article_id,
        block=kind.template_block,
        form=form,
        anchor=kind.anchor,
        saved=f"{kind.item_label} {saved}.",
        change=change,
        on_conflict=_list_conflict(kind, item_id),
        theirs=_item_theirs(kind, item_id) if item_id is not None else None,
    )


def _item_form(kind: blocks.BlockKind, form: str = "") -> dict[str, str]:
    posted = _posted(form)
    return {spec.name: posted.get(spec.name, "") for spec in kind.fields}


def show_list(article_id: int, kind: str):
    """The list, as saved."""
    return _show_or_edit(article_id, blocks.BY_KEY[kind].template_block, "show")


def edit_list(article_id: int, kind: str):
    """The list, as forms (also "Use theirs" after a conflict)."""
    return _show_or_edit(article_id, blocks.BY_KEY[kind].template_block, "edit")


def add_list_item(article_id: int, kind: str):
    """Add what was typed in the "add" form as a new item."""
    block = blocks.BY_KEY[kind]
    return _list_save(
        article_id,
        block,
        f"{block.item}-new",
        "added",
        lambda article: editing.add_item(
            db.session,
            article,
            current_user,
            kind,
            expected_version=_version(),
            values=_item_form(block),
        ),
    )


def update_list_item(article_id: int, item_id: int, kind: str):
    """Change one item in place."""
    block = blocks.BY_KEY[kind]
    return _list_save(
        article_id,
        block,
        f"{block.item}-{item_id}",
        "saved",
        lambda article: editing.update_item(
            db.session,
            article,
            current_user,
            kind,
            item_id,
            expected_version=_version(f"{block.item}-{item_id}"),
            values=_item_form(block, f"{block.item}-{item_id}"),
            shown=_posted(f"{block.item}-{item_id}").get("digest"),
        ),
        item_id,
    )


def delete_list_item(article_id: int, item_id: int, kind: str):
    """Remove one item, unless the list changed since it was shown."""
    block = blocks.BY_KEY[kind]
    return _list_save(
        article_id,
        block,
        f"{block.item}-list",
        "removed",
        lambda article: editing.remove_item(
            db.session,
            article,
            current_user,
            kind,
            item_id,
            expected_version=_version(),
        ),
    )


def move_list_item(article_id: int, item_id: int, kind: str):
    """Move one item up or down."""
    block = blocks.BY_KEY[kind]
    return _list_save(
        article_id,
        block,
        f"{block.item}-list",
        "moved",
        lambda article: editing.move_item(
            db.session,
            article,
            current_user,
            kind,
            item_id,
            _direction(),
            expected_version=_version(),
        ),
    )


def _register_list_routes(kind: blocks.BlockKind) -> None:
    base = f"/articles/<int:article_id>/{kind.path}"
    item = f"{base}/<int:item_id>"
    for rule, name, view, method in (
        (base, f"show_{kind.path}", show_list, "GET"),
        (f"{base}/edit", f"edit_{kind.path}", edit_list, "GET"),
        (base, f"add_{kind.item}", add_list_item, "POST"),
        (item, f"update_{kind.item}", update_list_item, "POST"),
        (f"{item}/delete", f"delete_{kind.item}", delete_list_item, "POST"),
        (f"{item}/move", f"move_{kind.item}", move_list_item, "POST"),
    ):
        bp.add_url_rule(rule, name, view, methods=[method], defaults={"kind": kind.key})


for _kind in blocks.LISTS:
    _register_list_routes(_kind)


# --- checklist and workflow ------------------------------------------------------


@bp.get("/articles/<int:article_id>/checklist")
def show_checklist(article_id: int):
    """The checklist panel, reloaded after each save."""
    return render_editor_block(_load(article_id), "checklist_block")


@bp.get("/articles/<int:article_id>/actions")
def show_actions(article_id: int):
    """The workflow buttons (reloaded after each save: they carry the version)."""
    return render_editor_block(_load(article_id), "actions_block")


@bp.post("/articles/<int:article_id>/actions/<name>")
def apply_action(article_id: int, name: str):
    """Take a workflow action; the engine asks the policy again."""
    article = _load(article_id)
    action = workflow.get_action(name)
    version = _version()
    try:
        inputs = _action_inputs(action)
        transition = workflow.apply(
            db.session, article, name, current_user, expected_version=version, **inputs
        )
    except ACTION_REFUSALS as error:
        db.session.rollback()
        return _action_refused(article_id, name, error)
    db.session.commit()
    return hx_redirect(
        url_for("desk.edit_article", article_id=article_id),
        _action_message(action, transition),
        "success",
    )


# What a refused action answers with (the actions block, at the error's own
# status); any other refusal (NotFound) is the error page.
ACTION_REFUSALS = (
    InvalidInput,
    ChecklistFailed,
    StaleVersion,
    IllegalTransition,
    NotAllowed,
)


def _action_refused(article_id: int, name: str, error: DomainError) -> Response:
    """The actions block at the error's own status, with the submitted form back
    and the refusal next to its field (InvalidInput) or above the buttons."""
    pending = Pending(form=f"action-{name}", values=_posted())
    if isinstance(error, InvalidInput):
        pending.errors = {error.field: error.message}
    else:
        pending.message = error.message
        pending.findings = list(getattr(error, "findings", ()))
    return render_editor_block(
        _load(article_id), "actions_block", status=error.status, pending=pending
    )


def _action_inputs(action: workflow.Action) -> dict[str, Any]:
    """The fields an action asks for, read from the form (parsing may refuse)."""
    form = request.form
    inputs: dict[str, Any] = {}
    if action.needs == "publish_at":
        tz = current_app.config["SITE_TIMEZONE"]
        inputs["publish_at"] = scheduling.parse_publish_at(form.get("publish_at"), tz)
    elif action.needs:
        inputs["note"] = form.get(action.needs)
    if action.asks_kind:
        inputs["kind"] = form.get("kind")
        inputs["correction_note"] = form.get("correction_note")
    return inputs


def _action_message(action: workflow.Action, transition: Any) -> str:
    """The action's own message; a Schedule's names its minute in site time."""
    when = transition.publish_at
    tz = current_app.config["SITE_TIMEZONE"]
    shown = rendering.display_datetime(when, tz) if when else ""
    return action.message.format(publish_at=shown)
