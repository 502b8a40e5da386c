"""The block registry (domain.blocks): the facts other modules rely on."""

from __future__ import annotations

from editorial.domain import blocks
from editorial.domain import content as limits
from editorial.domain.models import Article

# Each field's limit, written out from domain.content (the limits the editor,
# the checklist and the reader pages share).
LIMITS = {
    ("meta", "title"): limits.TITLE_MAX,
    ("lead_image", "alt"): limits.ALT_MAX,
    ("lead_image", "caption"): limits.CAPTION_MAX,
    ("lead_image", "credit"): limits.CREDIT_MAX,
    ("summary", "summary"): limits.SUMMARY_MAX,
    ("section", "heading"): limits.HEADING_MAX,
    ("section", "body"): limits.BODY_MAX,
    ("takeaways", "takeaway"): limits.TAKEAWAY_MAX,
    ("faqs", "question"): limits.QUESTION_MAX,
    ("faqs", "answer"): limits.ANSWER_MAX,
}


def test_every_kinds_version_column_exists_on_article():
    for kind in blocks.KINDS:
        if kind.version is not None:
            assert hasattr(Article, kind.version), kind.key
            assert kind.version in Article.__table__.columns, kind.key
    # Sections carry a version per row instead.
    assert blocks.SECTION.version is None


def test_every_text_field_limit_is_the_content_limit():
    for (key, name), limit in LIMITS.items():
        assert blocks.BY_KEY[key].field(name).limit == limit, (key, name)
    text_fields = {
        (kind.key, spec.name)
        for kind in blocks.KINDS
        for spec in kind.fields
        if spec.limit  # category is a choice, not text
    }
    assert text_fields - {("meta", "slug")} == set(LIMITS)


def test_list_limits_are_the_content_limits():
    assert blocks.TAKEAWAYS.max_items == limits.TAKEAWAYS_MAX
    assert blocks.TAKEAWAYS.min_items == limits.TAKEAWAYS_MIN
    assert blocks.FAQS.max_items == limits.FAQ_MAX
    assert blocks.SECTION.max_items == limits.SECTIONS_MAX
    assert blocks.LISTS == (blocks.TAKEAWAYS, blocks.FAQS)


def test_keys_ids_and_labels():
    assert len(blocks.BY_KEY) == len(blocks.KINDS)
    assert blocks.section_key(12) == "section:12"
    assert blocks.kind_of("section:12") is blocks.SECTION
    assert blocks.label_of("section:12") == "Section"
    assert blocks.label_of(blocks.SECTIONS_KEY) == "Sections"
    assert blocks.label_of("nothing", "the article") == "the article"
    body = blocks.SECTION.field("body")
    assert (body.dom_id_at(2), body.finding_at(2)) == (
        "section-2-body",
        "Section 3 body",
    )
    assert blocks.section_label(1, "Reaction") == "Section 2: Reaction"
    assert blocks.section_label(1) == "Section 2"
