"""Three-way merge of a block saved against an older version.

base is the text the writer started from, theirs what is stored now (someone
else saved meanwhile), mine what the writer sends. Text bodies merge by
paragraph, and where two paragraph changes meet, by sentence (a line break is
a sentence boundary too, so Markdown list items merge one by one). Lists merge
by item. Only changes that overlap are a conflict: the functions then answer
None and the caller shows the conflict view.

The merge itself is `merge3` (Breezy's three-way merge, on PyPI as `merge3`)
over sequences of paragraphs, sentences or items. Where merge3 reports a
conflict region, one refinement runs before giving up: the two sides' edits
inside the region are placed by position, so an edit next to (not over) the
other one still merges, e.g. a sentence added right after the one a colleague
corrected. Plain Python; no Flask, no database.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from merge3 import Merge3

T = TypeVar("T", bound=Hashable)

# A blank line (possibly with spaces) ends a paragraph; the separator is a token
# of its own, so joining the tokens gives back the text exactly.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# Spaces after a sentence's end (optionally after a closing quote or bracket),
# or any run of whitespace holding a line break.
_SENTENCE_BREAK = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’»)\]]))[ \t]+|[ \t]*\n\s*"
)


def split_tokens(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Cut `text` into pieces and the separators between them (lossless)."""
    tokens: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            tokens.append(text[position : match.start()])
        tokens.append(match.group())
        position = match.end()
    if position < len(text):
        tokens.append(text[position:])
    return tokens


def paragraphs(text: str) -> list[str]:
    """Paragraphs and the blank-line separators between them."""
    return split_tokens(text, _PARAGRAPH_BREAK)


def sentences(text: str) -> list[str]:
    """Sentences (and lines) and the whitespace between them."""
    return split_tokens(text, _SENTENCE_BREAK)


def merge_text(base: str, theirs: str, mine: str) -> str | None:
    """Both sides' changes to `base`, or None where they overlap."""
    if theirs == mine or mine == base:
        return theirs
    if theirs == base:
        return mine
    return _merge_tokens(base, theirs, mine, (paragraphs, sentences))


def merge_items(
    base: Sequence[T], theirs: Sequence[T], mine: Sequence[T]
) -> list[T] | None:
    """Both sides' changes to a list (added, removed, changed, moved items), or
    None when both changed the same item or added at the same place."""
    merged: list[T] = []
    for group in Merge3(list(base), list(theirs), list(mine)).merge_groups():
        if group[0] != "conflict":
            merged.extend(group[1])
            continue
        placed = _place_edits(group[1], group[2], group[3])
        if placed is None:
            return None
        merged.extend(placed)
    return merged


def _merge_tokens(
    base: str,
    theirs: str,
    mine: str,
    levels: Sequence[Callable[[str], list[str]]],
) -> str | None:
    split, finer = levels[0], levels[1:]
    out: list[str] = []
    for group in Merge3(split(base), split(theirs), split(mine)).merge_groups():
        if group[0] != "conflict":
            out.extend(group[1])
            continue
        region_base, region_theirs, region_mine = group[1], group[2], group[3]
        if finer:
            text = _merge_tokens(
                "".join(region_base),
                "".join(region_theirs),
                "".join(region_mine),
                finer,
            )
            if text is None:
                return None
            out.append(text)
            continue
        placed = _place_edits(region_base, region_theirs, region_mine)
        if placed is None:
            return None
        out.extend(placed)
    return "".join(out)


def _edits(base: Sequence[T], side: Sequence[T]) -> list[tuple[int, int, list[T]]]:
    """The (start, end, replacement) edits that turn base into side."""
    matcher = difflib.SequenceMatcher(None, base, side, autojunk=False)
    return [
        (i1, i2, list(side[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def _clash(a: tuple[int, int, list[T]], b: tuple[int, int, list[T]]) -> bool:
    """Two edits clash when they touch the same base items, when both insert at
    one place, or when one inserts inside the range the other replaces."""
    (a1, a2, _), (b1, b2, _) = a, b
    if a1 == a2 and b1 == b2:
        return a1 == b1
    if a1 == a2:
        return b1 < a1 < b2
    if b1 == b2:
        return a1 < b1 < a2
    return max(a1, b1) < min(a2, b2)


def _place_edits(
    base: Sequence[T], theirs: Sequence[T], mine: Sequence[T]
) -> list[T] | None:
    """Apply both sides' edits of a conflict region when none of them clash."""
    ours, others = _edits(base, mine), _edits(base, theirs)
    if any(_clash(a, b) for a in ours for b in others):
        return None
    # At one position an insertion goes before a replacement that starts there.
    edits = sorted(ours + others, key=lambda e: (e[0], e[1] != e[0]))
    out: list[T] = []
    position = 0
    for start, end, replacement in edits:
        out.extend(base[position:start])
        out.extend(replacement)
        position = max(position, end)
    out.extend(base[position:])
    return out
