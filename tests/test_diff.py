"""Revision diffs (domain.diff), tested on contents directly: which blocks
changed, under the registry's labels, and the marked-up words."""

from __future__ import annotations

from editorial.domain import diff
from editorial.domain.content import ArticleContent, Faq, Section

BASE = ArticleContent(
    title="Council approves budget",
    category_id=1,
    category_name="Politics",
    summary="The council approved the budget.",
    sections=(Section("What happened", "The vote was close."),),
    takeaways=("Nine votes to four.",),
    faqs=(Faq("When?", "Tuesday."),),
)


def _changed(old: ArticleContent | None, new: ArticleContent) -> dict[str, tuple]:
    return {d.key: (d.label, d.status) for d in diff.diff_content(old, new)}


def test_unchanged_content_has_no_diff():
    assert diff.diff_content(BASE, BASE) == []


def test_each_changed_block_is_named_with_its_label():
    new = ArticleContent(
        title="Council passes budget",
        category_id=1,
        category_name="Politics",
        summary=BASE.summary,
        sections=(*BASE.sections, Section("Reaction", "Mixed.")),
        takeaways=("Nine votes to four.", "Fares stay."),
        faqs=(),
    )
    assert _changed(BASE, new) == {
        "title": ("Title", "changed"),
        "section-1": ("Section 2: Reaction", "added"),
        "takeaways": ("Key takeaways", "changed"),
        "faqs": ("People also ask", "removed"),
    }


def test_the_first_revision_counts_every_block_as_added():
    changed = _changed(None, BASE)
    assert set(changed) == {
        "title",
        "category",
        "summary",
        "section-0",
        "takeaways",
        "faqs",
    }
    assert {status for _, status in changed.values()} == {"added"}


def test_inline_diff_marks_removed_and_added_words_escaped():
    html = str(diff.inline_diff("The vote was close.", "The <b>vote</b> was tight."))
    assert "<del>" in html and "<ins>" in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert str(diff.inline_diff("Same.", "Same.")) == "Same."
