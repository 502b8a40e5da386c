"""The article rules: which parts an article must have, and their limits.

Table-driven: for every piece of text an article holds, a `Field` names its
field in the block registry (domain.blocks: the words findings use for it, the
id of the editor input a finding links to, its character limit); a `ListBlock`
names a list's kind there (its label, how many items it may hold). Each
structural rule is named in `RULES` with its severity and why. The prose of
every field is checked by `prose.check_text`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from editorial.domain import blocks
from editorial.domain.checklist.findings import ERROR, WARNING, Finding, Rule, catalogue
from editorial.domain.checklist.images import check_lead_image
from editorial.domain.checklist.prose import check_text, lead
from editorial.domain.content import ArticleContent

_MISSING_WHY = "the page cannot be published without it: readers would see a gap"

RULES: dict[str, Rule] = catalogue(
    Rule("missing-title", ERROR, "The article has no title", _MISSING_WHY),
    Rule("missing-category", ERROR, "No category is chosen", _MISSING_WHY),
    Rule("missing-summary", ERROR, "The quick summary is empty", _MISSING_WHY),
    Rule(
        "missing-sections",
        ERROR,
        "The article needs at least one section with text",
        _MISSING_WHY,
    ),
    Rule(
        "too-long",
        ERROR,
        "The text is over its character limit",
        "the page layout, feeds and search snippets are built for the limit",
    ),
    Rule(
        "too-many-sections",
        ERROR,
        "The article has more sections than allowed",
        "the limit is part of the article's anatomy; the editor refuses more too",
    ),
    Rule(
        "empty-section-body",
        ERROR,
        "A section has a heading but no text",
        "readers would see a heading with nothing under it",
    ),
    Rule(
        "missing-heading",
        ERROR,
        "A section has text but no heading",
        "readers would see an empty heading above the text",
    ),
    Rule(
        "empty-section",
        WARNING,
        "A section is completely empty",
        "an empty section is left out of the page, so nothing wrong is shown",
    ),
    Rule(
        "takeaway-count",
        ERROR,
        "The article needs between 3 and 7 key takeaways",
        "the takeaways box is part of every article's anatomy",
    ),
    Rule(
        "empty-takeaway",
        ERROR,
        "A key takeaway is empty",
        "readers would see an empty bullet",
    ),
    Rule(
        "duplicate-takeaway",
        ERROR,
        "The same key takeaway appears twice",
        "readers would see the same bullet twice",
    ),
    Rule(
        "takeaway-repeats-summary",
        WARNING,
        "A key takeaway repeats the quick summary word for word",
        "repetition is weak but not wrong; the editor decides",
    ),
    Rule(
        "too-many-questions",
        ERROR,
        "More than 10 questions in People also ask",
        "the limit is part of the article's anatomy; the editor refuses more too",
    ),
    Rule(
        "missing-question",
        ERROR,
        "An answer has no question",
        "readers would see an answer under an empty question",
    ),
    Rule(
        "question-mark",
        ERROR,
        "A question does not end with '?'",
        "the FAQ markup search engines read requires real questions",
    ),
    Rule(
        "missing-answer",
        ERROR,
        "A question has no answer",
        "readers would see a question with nothing under it",
    ),
    Rule(
        "duplicate-question",
        WARNING,
        "The same question appears twice",
        "a repeated question is clumsy but shows nothing wrong",
    ),
)


# --------------------------------------------------------------------------
# The table: every piece of text, its block label, its field id, its limit.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One piece of text: its registry field, and how to read it from its owner."""

    spec: blocks.BlockField
    text: Callable[[object], str]

    @property
    def block(self) -> str:
        return self.spec.finding

    @property
    def field(self) -> str:
        return self.spec.dom_id

    @property
    def limit(self) -> int:
        return self.spec.limit

    def at(self, index: int) -> tuple[str, str]:
        """The block label and field id of item `index`."""
        return self.spec.finding_at(index), self.spec.dom_id_at(index)


TITLE = Field(blocks.TITLE, lambda c: c.title)
CATEGORY = blocks.CATEGORY
SUMMARY = Field(blocks.SUMMARY.field("summary"), lambda c: c.summary)
SECTION_HEADING = Field(blocks.SECTION.field("heading"), lambda s: s.heading)
SECTION_BODY = Field(blocks.SECTION.field("body"), lambda s: s.body)
TAKEAWAY = Field(blocks.TAKEAWAYS.field("takeaway"), lambda t: t)
QUESTION = Field(blocks.FAQS.field("question"), lambda f: f.question)
ANSWER = Field(blocks.FAQS.field("answer"), lambda f: f.answer)


@dataclass(frozen=True)
class ListBlock:
    """A list of items: its label and field id, its fields and item limits."""

    block: str
    field: str
    items: Callable[[ArticleContent], tuple]
    fields: tuple[Field, ...]
    max_items: int
    min_items: int = 0


SECTIONS = ListBlock(
    blocks.SECTIONS_LABEL,
    blocks.SECTIONS_KEY,
    lambda c: c.sections,
    (SECTION_HEADING, SECTION_BODY),
    blocks.SECTION.max_items,
)
TAKEAWAYS = ListBlock(
    blocks.TAKEAWAYS.label,
    blocks.TAKEAWAYS.key,
    lambda c: c.takeaways,
    (TAKEAWAY,),
    blocks.TAKEAWAYS.max_items,
    blocks.TAKEAWAYS.min_items,
)
FAQS = ListBlock(
    blocks.FAQS.label,
    blocks.FAQS.key,
    lambda c: c.faqs,
    (QUESTION, ANSWER),
    blocks.FAQS.max_items,
)


# --------------------------------------------------------------------------
# Helpers.
# --------------------------------------------------------------------------


def _finding(rule: str, block: str, field: str, quote: str, message: str) -> Finding:
    """A finding about a block as a whole (span 0, 0)."""
    return Finding(rule, RULES[rule].severity, block, field, 0, 0, quote, message)


def _checked(spec: Field, owner: object, index: int = 0) -> list[Finding]:
    """The limit and prose findings of one field."""
    text = spec.text(owner)
    block, field = spec.at(index)
    found = []
    if len(text) > spec.limit:
        found.append(
            _finding(
                "too-long",
                block,
                field,
                lead(text),
                f"{block} is {len(text)} characters long; the limit is {spec.limit}",
            )
        )
    return found + check_text(text, block, field=field)


def _normal(text: str) -> str:
    """Text compared case- and space-insensitively, ignoring a final full stop."""
    return " ".join(text.casefold().split()).rstrip(".!")


# --------------------------------------------------------------------------
# Each part of the article, in reading order.
# --------------------------------------------------------------------------


def _check_title(content: ArticleContent) -> list[Finding]:
    if not content.title.strip():
        return [
            _finding(
                "missing-title", TITLE.block, TITLE.field, "", "The title is empty"
            )
        ]
    return _checked(TITLE, content)


def _check_category(content: ArticleContent) -> list[Finding]:
    if content.category_id is not None:
        return []
    return [
        _finding(
            "missing-category",
            CATEGORY.finding,
            CATEGORY.dom_id,
            "",
            "No category is chosen",
        )
    ]


def _check_summary(content: ArticleContent) -> list[Finding]:
    if not content.summary.strip():
        return [
            _finding(
                "missing-summary",
                SUMMARY.block,
                SUMMARY.field,
                "",
                "The quick summary is empty",
            )
        ]
    return _checked(SUMMARY, content)


def _too_many(spec: ListBlock, count: int, rule: str, message: str) -> list[Finding]:
    """A finding when a list holds more items than its limit; message gets the
    count and the limit."""
    if count <= spec.max_items:
        return []
    text = message.format(count=count, limit=spec.max_items)
    return [_finding(rule, spec.block, spec.field, "", text)]


def _section_shape(section, index: int) -> tuple[list[Finding], bool]:
    """Findings about one section's shape, and whether to check its text."""
    n = index + 1
    heading, body = section.heading.strip(), section.body.strip()
    h_block, h_field = SECTION_HEADING.at(index)
    b_block, b_field = SECTION_BODY.at(index)
    if not heading and not body:
        message = f"Section {n} is empty: write it or remove it"
        return [_finding("empty-section", f"Section {n}", h_field, "", message)], False
    found = []
    if not body:
        message = f"Section {n} has a heading but no text"
        quote = lead(section.heading)
        found.append(_finding("empty-section-body", b_block, b_field, quote, message))
    if not heading:
        message = f"Section {n} has text but no heading"
        quote = lead(section.body)
        found.append(_finding("missing-heading", h_block, h_field, quote, message))
    return found, True


def _check_sections(content: ArticleContent) -> list[Finding]:
    found: list[Finding] = []
    if not any(s.body.strip() for s in content.sections):
        message = "The article needs at least one section with text"
        found.append(
            _finding("missing-sections", SECTIONS.block, SECTIONS.field, "", message)
        )
    found += _too_many(
        SECTIONS,
        len(content.sections),
        "too-many-sections",
        "The article has {count} sections; the limit is {limit}",
    )
    for index, section in enumerate(content.sections):
        shape, check = _section_shape(section, index)
        found += shape
        if check:
            found += _items(SECTIONS, section, index)
    return found


def _items(spec: ListBlock, item: object, index: int) -> list[Finding]:
    found: list[Finding] = []
    for field in spec.fields:
        found += _checked(field, item, index)
    return found


def _check_takeaways(content: ArticleContent) -> list[Finding]:
    found: list[Finding] = []
    count = len(content.takeaways)
    if not TAKEAWAYS.min_items <= count <= TAKEAWAYS.max_items:
        message = (
            f"There are {count} key takeaways; "
            f"write between {TAKEAWAYS.min_items} and {TAKEAWAYS.max_items}"
        )
        found.append(
            _finding("takeaway-count", TAKEAWAYS.block, TAKEAWAYS.field, "", message)
        )
    summary = _normal(content.summary)
    seen: dict[str, int] = {}
    for index, takeaway in enumerate(content.takeaways):
        n = index + 1
        block, field = TAKEAWAY.at(index)
        key = _normal(takeaway)
        if not key:
            found.append(
                _finding("empty-takeaway", block, field, "", f"Takeaway {n} is empty")
            )
            continue
        if key in seen:
            message = f"Takeaway {n} repeats takeaway {seen[key]}"
            found.append(
                _finding("duplicate-takeaway", block, field, lead(takeaway), message)
            )
        else:
            seen[key] = n
        if summary and (
            key == summary or (len(key.split()) >= 6 and f" {key} " in f" {summary} ")
        ):
            message = f"Takeaway {n} repeats the quick summary word for word"
            found.append(
                _finding(
                    "takeaway-repeats-summary", block, field, lead(takeaway), message
                )
            )
        found += _items(TAKEAWAYS, takeaway, index)
    return found


def _faq_shape(faq, index: int, seen: dict[str, int]) -> list[Finding]:
    n = index + 1
    q_block, q_field = QUESTION.at(index)
    a_block, a_field = ANSWER.at(index)
    question = faq.question.strip()
    found = []
    if not question:
        message = f"Answer {n} has no question"
        found.append(
            _finding("missing-question", q_block, q_field, lead(faq.answer), message)
        )
    elif not question.endswith("?"):
        message = f"Question {n} does not end with '?'"
        found.append(
            _finding("question-mark", q_block, q_field, lead(faq.question), message)
        )
    key = _normal(question)
    if key and key in seen:
        message = f"Question {n} repeats question {seen[key]}"
        found.append(
            _finding(
                "duplicate-question", q_block, q_field, lead(faq.question), message
            )
        )
    elif key:
        seen[key] = n
    if not faq.answer.strip():
        message = f"Question {n} has no answer"
        found.append(
            _finding("missing-answer", a_block, a_field, lead(faq.question), message)
        )
    return found


def _check_faqs(content: ArticleContent) -> list[Finding]:
    found = _too_many(
        FAQS,
        len(content.faqs),
        "too-many-questions",
        "There are {count} questions; the limit is {limit}",
    )
    seen: dict[str, int] = {}
    for index, faq in enumerate(content.faqs):
        found += _faq_shape(faq, index, seen)
        found += _items(FAQS, faq, index)
    return found


_PARTS: tuple[Callable[[ArticleContent], Iterable[Finding]], ...] = (
    _check_title,
    _check_category,
    check_lead_image,
    _check_summary,
    _check_sections,
    _check_takeaways,
    _check_faqs,
)


def check_article(content: ArticleContent) -> list[Finding]:
    """Run every structure and prose rule over an article, in reading order."""
    return [finding for part in _PARTS for finding in part(content)]
