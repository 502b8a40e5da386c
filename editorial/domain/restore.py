"""Restore from history: a whole revision, or one block of it.

A restore changes the working copy like any save, under the same rules
(`editing.ensure_may_edit`: authors on their own drafts, editors wherever the
article is editable, nobody on a scheduled article), against the article's
version the history page showed (re-checked in the database: a newer change is
never overwritten unseen). It bumps the version of every block it touches, so
an editor open elsewhere gets the conflict view instead of saving over it, and
writes one new revision ("restore:<n>"); earlier revisions are never changed.

Block keys are the diff's (`domain.diff`): "title", "category", "lead_image",
"summary", "section-<i>" (the i-th section, from 0), "takeaways", "faqs".
No Flask; nothing here commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from editorial.domain import editing, revisions
from editorial.domain.content import ArticleContent, LeadImage
from editorial.domain.errors import InvalidInput, NotFound, StaleVersion
from editorial.domain.models import (
    Article,
    ArticleSection,
    Category,
    FaqItem,
    Media,
    Revision,
    Takeaway,
    User,
    utcnow,
)

WHOLE = "version"
BLOCK_KEYS = ("title", "category", "lead_image", "summary", "takeaways", "faqs")
PREFIX = "restore:"


def restored_from(block: str) -> int | None:
    """The revision number a revision's block key says it restored, if any."""
    if block.startswith(PREFIX) and block[len(PREFIX) :].isdigit():
        return int(block[len(PREFIX) :])
    return None


def restore(
    session: Session,
    article: Article,
    user: User,
    revision: Revision,
    block: str = WHOLE,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> Revision:
    """Put `block` of `revision` (or all of it) back into the working copy."""
    if revision.article_id != article.id:
        raise NotFound("No such revision.")
    if block != WHOLE and block not in BLOCK_KEYS and _section_index(block) is None:
        raise InvalidInput("block", "There is no such block to restore.")
    editing.ensure_may_edit(user, article)
    claimed = session.execute(
        update(Article)
        .where(Article.id == article.id, Article.version == expected_version)
        .values(version=Article.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise StaleVersion()
    session.refresh(article)
    content = revision.article_content()
    if block == WHOLE:
        _restore_meta(session, article, content, ("title", "category"))
        _restore_lead_image(session, article, content.lead_image)
        _restore_summary(article, content.summary)
        _restore_sections(article, content)
        _restore_list(article, "takeaways", content)
        _restore_list(article, "faqs", content)
    elif block in ("title", "category"):
        _restore_meta(session, article, content, (block,))
    elif block == "lead_image":
        _restore_lead_image(session, article, content.lead_image)
    elif block == "summary":
        _restore_summary(article, content.summary)
    elif block in ("takeaways", "faqs"):
        _restore_list(article, block, content)
    else:
        _restore_section(article, content, _section_index(block) or 0)
    now = now or utcnow()
    article.updated_at = now
    article.updated_by_id = user.id
    session.flush()
    return revisions.write(session, article, user, f"{PREFIX}{revision.number}", now)


def _section_index(block: str) -> int | None:
    prefix, _, number = block.partition("-")
    return int(number) if prefix == "section" and number.isdigit() else None


def _restore_meta(
    session: Session, article: Article, content: ArticleContent, fields: tuple
) -> None:
    if "title" in fields and content.title:
        article.title = content.title
    if "category" in fields and content.category_id is not None:
        category = session.get(Category, content.category_id)
        # A category retired since stays out of reach, as in the editor.
        if category is not None and (
            not category.retired or category.id == article.category_id
        ):
            article.category_id = category.id
    article.meta_version += 1


def _restore_lead_image(
    session: Session, article: Article, image: LeadImage | None
) -> None:
    if image is not None and session.get(Media, image.media_id) is None:
        raise InvalidInput(
            "block", "That revision's image has been deleted; it cannot come back."
        )
    article.lead_image_id = image.media_id if image else None
    article.lead_alt = image.alt if image else ""
    article.lead_caption = image.caption if image else ""
    article.lead_credit = image.credit if image else ""
    article.lead_image_version += 1


def _restore_summary(article: Article, summary: str) -> None:
    article.summary = summary
    article.summary_version += 1


def _restore_section(article: Article, content: ArticleContent, index: int) -> None:
    """The i-th section of the revision into the i-th row (added if missing)."""
    if index >= len(content.sections):
        raise InvalidInput("block", "That revision has no such section.")
    wanted = content.sections[index]
    rows = list(article.sections)
    if index < len(rows):
        row = rows[index]
        row.heading, row.body = wanted.heading, wanted.body
        row.version += 1
    else:
        article.sections.append(
            ArticleSection(position=len(rows), heading=wanted.heading, body=wanted.body)
        )


def _restore_sections(article: Article, content: ArticleContent) -> None:
    """Every section, position by position (kept rows keep their comments)."""
    rows = list(article.sections)
    for index, wanted in enumerate(content.sections):
        if index < len(rows):
            row = rows[index]
            if (row.heading, row.body) != (wanted.heading, wanted.body):
                row.heading, row.body = wanted.heading, wanted.body
                row.version += 1
        else:
            article.sections.append(
                ArticleSection(position=index, heading=wanted.heading, body=wanted.body)
            )
    for row in rows[len(content.sections) :]:
        article.sections.remove(row)


def _restore_list(article: Article, key: str, content: ArticleContent) -> None:
    if key == "takeaways":
        article.takeaways.clear()
        for position, text in enumerate(content.takeaways):
            article.takeaways.append(Takeaway(position=position, text=text))
        article.takeaways_version += 1
    else:
        article.faqs.clear()
        for position, faq in enumerate(content.faqs):
            article.faqs.append(
                FaqItem(position=position, question=faq.question, answer=faq.answer)
            )
        article.faqs_version += 1
