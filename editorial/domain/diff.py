"""Readable diffs between two versions of an article, block by block.

Plain Python (diff-match-patch, no Flask): the history page shows, for each
block that changed (title, category, summary, each section, takeaways, FAQ), the
new text with deleted words in <del> and inserted words in <ins>, escaped.

Cost is bounded: diff-match-patch's Myers diff runs with a deadline shared by
every block of one request (past it, a span is shown as removed and re-added,
which is still a correct diff, only less fine). Paragraphs are compared first;
only the paragraphs that changed are compared word by word.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch
from markupsafe import Markup, escape

from editorial.domain import blocks
from editorial.domain.content import ArticleContent

# Words, runs of spaces and single punctuation marks: a diff at word level reads
# like an editor's markup, and keeps line breaks where the author typed them.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# Paragraphs and the line breaks between them.
_PARAGRAPHS = re.compile(r"[^\n]+|\n+")
# Seconds of diffing one request may spend over all its blocks.
DIFF_BUDGET_SECONDS = 0.5
# A changed span longer than this (in words, spaces and marks, both sides
# together) is shown as removed and re-added rather than compared word by word.
WORD_SPAN_MAX = 20_000

_EQUAL, _DELETE, _INSERT = (
    diff_match_patch.DIFF_EQUAL,
    diff_match_patch.DIFF_DELETE,
    diff_match_patch.DIFF_INSERT,
)


@dataclass
class Budget:
    """One deadline for all the diffs of a request (wall-clock seconds, as
    diff-match-patch compares its deadline with time.time())."""

    seconds: float = DIFF_BUDGET_SECONDS
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = time.time() + self.seconds


@dataclass(frozen=True)
class BlockDiff:
    """One changed block: its label, the marked-up text, and what happened."""

    key: str  # "title", "category", "lead_image", "summary", "section-0", …
    label: str
    html: Markup
    status: str  # "changed", "added" or "removed"


def _as_chars(a: list[str], b: list[str]) -> tuple[str, str, list[str]]:
    """Each distinct unit (paragraph or word) as one character, so the character
    diff of the two strings is the unit diff of the two lists."""
    index: dict[str, int] = {}
    units: list[str] = []

    def encode(items: list[str]) -> str:
        out = []
        for item in items:
            code = index.get(item)
            if code is None:
                code = index[item] = len(units)
                units.append(item)
            out.append(chr(code))
        return "".join(out)

    return encode(a), encode(b), units


def _decode(chars: str, units: list[str]) -> str:
    return "".join(units[c] for c in map(ord, chars))


def _unit_diff(a: list[str], b: list[str], budget: Budget) -> Iterator[tuple[int, str]]:
    """(operation, text) pairs of the diff of two unit lists, within the budget."""
    text_a, text_b, units = _as_chars(a, b)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = max(budget.deadline - time.time(), 0.001)
    for op, chars in dmp.diff_main(text_a, text_b, False, budget.deadline):
        yield op, _decode(chars, units)


def _words(old: str, new: str, budget: Budget, out: list[str]) -> None:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if (
        not a
        or not b
        or len(a) + len(b) > WORD_SPAN_MAX
        or time.time() > budget.deadline
    ):
        ops: list[tuple[int, str]] = [(_DELETE, old), (_INSERT, new)]
    else:
        ops = list(_unit_diff(a, b, budget))
    for op, text in ops:
        if not text:
            continue
        if op == _EQUAL:
            out.append(str(escape(text)))
        elif op == _DELETE:
            out.append(f"<del>{escape(text)}</del>")
        else:
            out.append(f"<ins>{escape(text)}</ins>")


def inline_diff(old: str, new: str, budget: Budget | None = None) -> Markup:
    """`new` with the words removed from `old` in <del> and added ones in <ins>.

    Paragraphs first; each run of changed paragraphs is then compared word by
    word, all within `budget` (a fresh one when none is given).
    """
    budget = budget or Budget()
    out: list[str] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if removed or added:
            _words("".join(removed), "".join(added), budget, out)
            removed.clear()
            added.clear()

    for op, text in _unit_diff(
        _PARAGRAPHS.findall(old), _PARAGRAPHS.findall(new), budget
    ):
        if op == _EQUAL:
            flush()
            out.append(str(escape(text)))
        elif op == _DELETE:
            removed.append(text)
        else:
            added.append(text)
    flush()
    return Markup("".join(out))


def _section_text(heading: str, body: str) -> str:
    return f"{heading}\n\n{body}" if body else heading


def _list_text(items: list[str]) -> str:
    return "\n".join(f"{n}. {text}" for n, text in enumerate(items, 1))


def _image_text(content: ArticleContent) -> str:
    image = content.lead_image
    if image is None:
        return ""
    lines = [
        f"Image: {image.original_name or 'uploaded image'} "
        f"({image.width} × {image.height} px)",
        f"Alt text: {image.alt}",
    ]
    if image.caption:
        lines.append(f"Caption: {image.caption}")
    if image.credit:
        lines.append(f"Credit: {image.credit}")
    return "\n".join(lines)


def diff_content(
    old: ArticleContent | None,
    new: ArticleContent,
    budget: Budget | None = None,
) -> list[BlockDiff]:
    """The blocks that differ between `old` and `new`, in reading order.

    With no `old` (the first revision), every non-empty block counts as added.
    All blocks share one `budget` of diffing time.
    """
    budget = budget or Budget()
    base = old or ArticleContent(category_id=new.category_id)
    diffs: list[BlockDiff] = []

    def compare(key: str, label: str, before: str | None, after: str | None) -> None:
        before, after = before or "", after or ""
        if before == after:
            return
        status = "added" if not before else "removed" if not after else "changed"
        diffs.append(BlockDiff(key, label, inline_diff(before, after, budget), status))

    title, category = blocks.TITLE, blocks.CATEGORY
    compare(title.name, title.label, base.title, new.title)
    compare(category.name, category.label, base.category_name, new.category_name)
    lead_image = blocks.LEAD_IMAGE
    compare(lead_image.key, lead_image.label, _image_text(base), _image_text(new))
    compare(blocks.SUMMARY.key, blocks.SUMMARY.label, base.summary, new.summary)
    for i in range(max(len(base.sections), len(new.sections))):
        before = base.sections[i] if i < len(base.sections) else None
        after = new.sections[i] if i < len(new.sections) else None
        heading = (after or before).heading if (after or before) else ""
        compare(
            f"section-{i}",
            blocks.section_label(i, heading),
            _section_text(before.heading, before.body) if before else None,
            _section_text(after.heading, after.body) if after else None,
        )
    compare(
        blocks.TAKEAWAYS.key,
        blocks.TAKEAWAYS.label,
        _list_text(list(base.takeaways)),
        _list_text(list(new.takeaways)),
    )
    compare(
        blocks.FAQS.key,
        blocks.FAQS.label,
        "\n".join(f"Q: {f.question}\nA: {f.answer}" for f in base.faqs),
        "\n".join(f"Q: {f.question}\nA: {f.answer}" for f in new.faqs),
    )
    return diffs
