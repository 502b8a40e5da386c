"""The block registry: every kind of block an article is made of, in one table.

An article's working copy is edited block by block: title and category, the lead
image, the Quick summary, each section, the Key takeaways list and the People
also ask list. For each kind this table says its key (revisions, presence,
comments and the checklist name blocks by it), its label, where it sits in the
editor (the element id and the template block), its fields with their limits
and the ids of their inputs, the column that holds its version, and whether it
is a list of items kept under one version. Editing, the editor's routes and
templates, the checklist's findings, the diff and the history read it; nothing
else spells a block's label or an input's id.

Imports neither Flask nor the database: the checklist reads it too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from editorial.domain import content as limits


@dataclass(frozen=True)
class BlockField:
    """One field of a block.

    `name` is the form field (and the field an error is reported on); `attr`
    the attribute of the row or item that holds it; `dom_id` the id of the
    editor's input, and `finding` the words the checklist uses for it. In a
    list or in sections, both may hold "{i}" (the item's index, from 0) and
    "{n}" (its number, from 1).
    """

    name: str
    label: str
    limit: int
    dom_id: str
    finding: str
    attr: str = ""
    required: bool = False
    ends_with: str = ""  # e.g. "?": a question must end with it
    ends_with_message: str = ""
    multiline: bool = True
    rows: int = 3

    @property
    def column(self) -> str:
        return self.attr or self.name

    def dom_id_at(self, index: int) -> str:
        return self.dom_id.format(i=index, n=index + 1)

    def finding_at(self, index: int) -> str:
        return self.finding.format(i=index, n=index + 1)


@dataclass(frozen=True)
class BlockKind:
    """One kind of block: what the editor, the checklist and the history know."""

    key: str
    label: str
    anchor: str  # the editor element's id ("{id}" for a section's row id)
    template_block: str  # the Jinja block that renders it on its own
    fields: tuple[BlockField, ...]
    version: str | None  # the Article column of its version; None: per row
    # Lists (takeaways, FAQ): items kept in order under one version.
    listed: bool = False
    item: str = ""  # the item's form prefix and noun: "takeaway-12-form"
    item_label: str = ""  # "Takeaway added."
    item_noun: str = ""  # what a screen reader hears: "point 3", "question 3"
    path: str = ""  # the URL segment of the list's routes
    max_items: int = 0
    min_items: int = 0
    too_many: str = ""  # refused when the list is full
    hint: str = ""
    empty: str = ""

    def field(self, name: str) -> BlockField:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


TITLE = BlockField("title", "Title", limits.TITLE_MAX, "title", "Title", required=True)
CATEGORY = BlockField("category", "Category", 0, "category", "Category")
SLUG = BlockField("slug", "Address", 90, "slug", "Address")

META = BlockKind(
    key="meta",
    label="Title and category",
    anchor="meta-block",
    template_block="meta_block",
    fields=(TITLE, CATEGORY, SLUG),
    version="meta_version",
)
LEAD_IMAGE = BlockKind(
    key="lead_image",
    label="Lead image",
    anchor="lead-image-block",
    template_block="lead_image_block",
    fields=(
        BlockField("alt", "Alt text", limits.ALT_MAX, "lead-alt", "Alt text"),
        BlockField("caption", "Caption", limits.CAPTION_MAX, "lead-caption", "Caption"),
        BlockField("credit", "Credit", limits.CREDIT_MAX, "lead-credit", "Credit"),
    ),
    version="lead_image_version",
)
SUMMARY = BlockKind(
    key="summary",
    label="Quick summary",
    anchor="summary-block",
    template_block="summary_block",
    fields=(
        BlockField(
            "summary", "Quick summary", limits.SUMMARY_MAX, "summary", "Quick summary"
        ),
    ),
    version="summary_version",
)
SECTION = BlockKind(
    key="section",
    label="Section",
    anchor="section-{id}-block",
    template_block="section_block",
    fields=(
        BlockField(
            "heading",
            "Heading",
            limits.HEADING_MAX,
            "section-{i}-heading",
            "Section {n} heading",
        ),
        BlockField(
            "body", "Body", limits.BODY_MAX, "section-{i}-body", "Section {n} body"
        ),
    ),
    version=None,
    item="section",
    max_items=limits.SECTIONS_MAX,
)
TAKEAWAYS = BlockKind(
    key="takeaways",
    label="Key takeaways",
    anchor="takeaways-block",
    template_block="takeaways_block",
    fields=(
        BlockField(
            "takeaway",
            "Takeaway",
            limits.TAKEAWAY_MAX,
            "takeaway-{i}",
            "Takeaway {n}",
            attr="text",
            required=True,
            rows=2,
        ),
    ),
    version="takeaways_version",
    listed=True,
    item="takeaway",
    item_label="Takeaway",
    item_noun="point",
    path="takeaways",
    max_items=limits.TAKEAWAYS_MAX,
    min_items=limits.TAKEAWAYS_MIN,
    too_many=f"Key takeaways hold at most {limits.TAKEAWAYS_MAX} points.",
    hint=(
        f"{limits.TAKEAWAYS_MIN} to {limits.TAKEAWAYS_MAX} points, "
        f"each at most {limits.TAKEAWAY_MAX} characters."
    ),
    empty="No takeaways yet.",
)
FAQS = BlockKind(
    key="faqs",
    label="People also ask",
    anchor="faqs-block",
    template_block="faqs_block",
    fields=(
        BlockField(
            "question",
            "Question",
            limits.QUESTION_MAX,
            "question-{i}",
            "Question {n}",
            required=True,
            ends_with="?",
            ends_with_message="A question must end with “?”.",
            multiline=False,
        ),
        BlockField(
            "answer",
            "Answer",
            limits.ANSWER_MAX,
            "answer-{i}",
            "Answer {n}",
            required=True,
        ),
    ),
    version="faqs_version",
    listed=True,
    item="question",
    item_label="Question",
    item_noun="question",
    path="questions",
    max_items=limits.FAQ_MAX,
    too_many=f"People also ask holds at most {limits.FAQ_MAX} questions.",
    hint=f"Up to {limits.FAQ_MAX} questions; each ends with “?” and has an answer.",
    empty="No questions yet.",
)

KINDS: tuple[BlockKind, ...] = (META, LEAD_IMAGE, SUMMARY, SECTION, TAKEAWAYS, FAQS)
BY_KEY = {kind.key: kind for kind in KINDS}
LISTS: tuple[BlockKind, ...] = tuple(kind for kind in KINDS if kind.listed)
LIST_BY_ITEM = {kind.item: kind for kind in LISTS}

# Keys of the revision log beside the block kinds: the first revision, the
# sections' structure (added, moved, removed) and workflow transitions.
SECTIONS_KEY = "sections"
SECTIONS_LABEL = "Sections"


def section_key(section_id: int) -> str:
    """The revision, presence and lock key of one section."""
    return f"section:{section_id}"


def section_label(index: int, heading: str = "") -> str:
    """One section in words, by its place: "Section 2: Reaction", or "Section 2"."""
    return f"Section {index + 1}: {heading}" if heading else f"Section {index + 1}"


def kind_of(block: str) -> BlockKind | None:
    """The kind of a block key ("summary", "section:12"…), or None."""
    if block.startswith("section:"):
        return SECTION
    return BY_KEY.get(block)


def label_of(block: str, default: str = "") -> str:
    """A block key in words ("section:12" is "Section"; "sections" "Sections")."""
    if block == SECTIONS_KEY:
        return SECTIONS_LABEL
    kind = kind_of(block)
    return kind.label if kind else default


def item_fields(kind: BlockKind, item: object) -> dict[str, str]:
    """A list item's values by form field name, as the editor shows them."""
    return {spec.name: getattr(item, spec.column) for spec in kind.fields}


def digest(values: Mapping[str, str]) -> str:
    """A short fingerprint of a block's field values (newlines unified): the
    editor sends it beside the fields, so a save can tell which block (or list
    item) was changed since it was shown."""
    unified = {
        name: str(value).replace("\r\n", "\n").replace("\r", "\n")
        for name, value in values.items()
    }
    text = json.dumps(unified, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]
