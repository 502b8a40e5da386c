"""Readable diffs between two versions of an article, block by block.

Plain Python (difflib, no Flask): the history page shows, for each block that
changed (title, category, summary, each section, takeaways, FAQ), the new text
with deleted words in <del> and inserted words in <ins>, escaped.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from editorial.domain.content import ArticleContent

# Words, runs of spaces and single punctuation marks: a diff at word level reads
# like an editor's markup, and keeps line breaks where the author typed them.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class BlockDiff:
    """One changed block: its label, the marked-up text, and what happened."""

    key: str  # "title", "category", "lead_image", "summary", "section-0", …
    label: str
    html: Markup
    status: str  # "changed", "added" or "removed"


def inline_diff(old: str, new: str) -> Markup:
    """`new` with the words removed from `old` in <del> and added ones in <ins>."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
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


def diff_content(old: ArticleContent | None, new: ArticleContent) -> list[BlockDiff]:
    """The blocks that differ between `old` and `new`, in reading order.

    With no `old` (the first revision), every non-empty block counts as added.
    """
    base = old or ArticleContent(category_id=new.category_id)
    diffs: list[BlockDiff] = []

    def compare(key: str, label: str, before: str | None, after: str | None) -> None:
        before, after = before or "", after or ""
        if before == after:
            return
        status = "added" if not before else "removed" if not after else "changed"
        diffs.append(BlockDiff(key, label, inline_diff(before, after), status))

    compare("title", "Title", base.title, new.title)
    compare("category", "Category", base.category_name, new.category_name)
    compare("lead_image", "Lead image", _image_text(base), _image_text(new))
    compare("summary", "Quick summary", base.summary, new.summary)
    for i in range(max(len(base.sections), len(new.sections))):
        before = base.sections[i] if i < len(base.sections) else None
        after = new.sections[i] if i < len(new.sections) else None
        heading = (after or before).heading if (after or before) else ""
        compare(
            f"section-{i}",
            f"Section {i + 1}: {heading}" if heading else f"Section {i + 1}",
            _section_text(before.heading, before.body) if before else None,
            _section_text(after.heading, after.body) if after else None,
        )
    compare(
        "takeaways",
        "Key takeaways",
        _list_text(list(base.takeaways)),
        _list_text(list(new.takeaways)),
    )
    compare(
        "faqs",
        "People also ask",
        "\n".join(f"Q: {f.question}\nA: {f.answer}" for f in base.faqs),
        "\n".join(f"Q: {f.question}\nA: {f.answer}" for f in new.faqs),
    )
    return diffs
