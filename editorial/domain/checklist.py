"""The pre-publish checklist: findings about an article's structure and prose.

Pure functions over `ArticleContent` (no Flask, no database), run on every save.
Errors block `Submit for review` and `Publish`; warnings are advice. Each rule is
a small named function; prose rules run on a "masked" copy of the text in which
code and link targets are blanked out, so offsets still match the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from editorial.domain.content import (
    ANSWER_MAX,
    BODY_MAX,
    FAQ_MAX,
    HEADING_MAX,
    QUESTION_MAX,
    SECTIONS_MAX,
    SUMMARY_MAX,
    TAKEAWAY_MAX,
    TAKEAWAYS_MAX,
    TAKEAWAYS_MIN,
    TITLE_MAX,
    ArticleContent,
)

ERROR = "error"
WARNING = "warning"

# Every rule id and its severity, so the desk can explain and filter findings.
RULES: dict[str, str] = {
    # Structure.
    "missing-title": ERROR,
    "missing-category": ERROR,
    "missing-summary": ERROR,
    "missing-sections": ERROR,
    "too-long": ERROR,
    "too-many-sections": ERROR,
    "empty-section-body": ERROR,
    "missing-heading": ERROR,
    "empty-section": WARNING,
    "takeaway-count": ERROR,
    "empty-takeaway": ERROR,
    "duplicate-takeaway": ERROR,
    "takeaway-repeats-summary": WARNING,
    "too-many-questions": ERROR,
    "missing-question": ERROR,
    "question-mark": ERROR,
    "missing-answer": ERROR,
    "duplicate-question": WARNING,
    # Prose.
    "lost-value": ERROR,
    "empty-label": ERROR,
    "empty-brackets": ERROR,
    "placeholder": ERROR,
    "doubled-word": WARNING,
    "doubled-space": WARNING,
    "doubled-punctuation": WARNING,
    "space-before-punctuation": WARNING,
    "unbalanced-quotes": WARNING,
    "unbalanced-brackets": WARNING,
    # The lead image (PRODUCT.md section 12).
    "missing-alt": ERROR,
    "weak-alt": WARNING,
    "small-image": WARNING,
}


def _word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string, for readability."""
    return frozenset(words.split())


# Characters of context on each side of a problem in `Finding.quote`.
_CONTEXT = 30
# Structural findings quote the start of the block, at most this long.
_LEAD_MAX = 60


@dataclass(frozen=True)
class Finding:
    """One problem the checklist found in one block of an article."""

    rule: str
    severity: str
    block: str
    field: str
    start: int
    end: int
    quote: str
    message: str


class _Hit(NamedTuple):
    """A prose rule's raw result: where and what, before quoting."""

    rule: str
    start: int
    end: int
    message: str


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding blocks publishing."""
    return any(f.severity == ERROR for f in findings)


# --------------------------------------------------------------------------
# Masking: blank out text that is not prose, keeping every offset.
# --------------------------------------------------------------------------

# A private-use character: not a word character, not space, not punctuation,
# so no prose rule can match on it.
_MASK = "\ue000"

_FENCE_RE = re.compile(
    r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)", re.M | re.S
)
_CODE_SPAN_RE = re.compile(r"`[^`\n]+`")
# A Markdown link target, allowing one level of parentheses inside the URL and
# an optional "title" (whose quotes must not count as prose quotes).
_LINK_TARGET_RE = re.compile(
    r"\]\(((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?)\)"
)
_LINK_DEF_RE = re.compile(r"^[ \t]{0,3}\[([^\]\n]+)\]:([^\n]*)", re.M)
# A bare URL; it must end on a non-punctuation character so the full stop or
# closing bracket after it stays visible to the prose rules.
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"“”'‘’]*[^\s<>\"“”'‘’.,;:!?)\]]")


def _mask(text: str) -> str:
    """Replace code, link targets and URLs by mask characters of equal length."""
    spans: list[tuple[int, int]] = []
    if "```" in text or "~~~" in text:
        spans += [m.span() for m in _FENCE_RE.finditer(text)]
    if "`" in text:
        spans += [m.span() for m in _CODE_SPAN_RE.finditer(text)]
    if "](" in text:
        spans += [m.span(1) for m in _LINK_TARGET_RE.finditer(text)]
    if "]:" in text:
        spans += [m.span(2) for m in _LINK_DEF_RE.finditer(text)]
    if "://" in text or "www." in text:
        spans += [m.span() for m in _URL_RE.finditer(text)]
    if not spans:
        return text
    pieces = []
    done = 0
    for start, end in sorted(spans):
        start = max(start, done)  # spans may overlap (a URL inside code)
        if end > start:
            pieces += [text[done:start], _MASK * (end - start)]
            done = end
    pieces.append(text[done:])
    return "".join(pieces)


# --------------------------------------------------------------------------
# Rule: lost-value — a value dropped out of the sentence.
# --------------------------------------------------------------------------

# Words that need an object after them. "on ," / "at ." (a space, then
# punctuation) is the signature of a template or an edit that lost a date or
# name: "accused DeepSeek on , of employing", "flagging risks to lawmakers on ."
# Adverbial uses such as "went on." or "logged on." have no space and pass.
_PREPOSITIONS = _word_set(
    """
    about above across after against amid amidst among amongst at before behind
    below beneath beside besides between beyond by concerning dated despite
    during except for from in including inside into like near of on onto
    opposite outside per regarding since than the through till to toward towards
    under underneath unlike until upon versus via with within without worth
    """
)

# Spaces, then punctuation. A full stop counts only when it is not part of an
# ellipsis ("on ...", "on . . .") or a name such as ".NET". The word before the
# spaces is looked up afterwards: scanning from the spaces is much faster than
# trying a word pattern at every word.
# The lookbehind makes a match start only at the first space of a run, so a
# long run of spaces is scanned once, not once per space.
_SPACE_PUNCT_RE = re.compile(
    r"[ \t\u00a0](?<![ \t\u00a0][ \t\u00a0])[ \t\u00a0]*"
    r"(?:[,;:!?)]|\.(?![.\w])(?! \.))"
)
# The word ending just before a position ("as of" counts as one word).
_WORD_BEFORE_RE = re.compile(r"(?<![-'’\w])(as[ \t]+of|\w+)\Z", re.I)

# Words that can never end a phrase, so even without a space "during." or
# "as of;" (or a paragraph ending on them) means something is missing.
_DANGLING = _word_set(
    """
    during amid amidst among amongst despite via toward towards than regarding
    unlike versus between the
    """
)
# Sentence punctuation (not an ellipsis) right after one of those words. The
# punctuation comes first in the pattern so the scan can skip ahead quickly.
_DANGLING_PUNCT_RE = re.compile(
    r"[.;!?](?![.\w])(?:"
    + "|".join(rf"(?<=\b{w}.)" for w in (*sorted(_DANGLING), "as of"))
    + ")",
    re.I,
)
_PARAGRAPH_END_RE = re.compile(r"\n[ \t]*\n")
# "few and far between." and "in between." are idioms.
_BETWEEN_IDIOM_RE = re.compile(r"\b(?:far|in)[ \t]+\Z", re.I)

# A comma where a sentence, line or bracket starts: the words before it are gone.
_LEADING_COMMA_RE = re.compile(
    r",(?:"
    r"(?<=[.!?][ \t],)|(?<=[.!?][ \t][ \t],)|(?<=[.!?][\"”’)][ \t],)"
    r"|(?<=[(\[\n],)|(?<=[(\[\n][ \t],)|(?<=\n[ \t][ \t],)|(?<=\n>[ \t],)"
    r")"
)
_TEXT_STARTS_WITH_COMMA_RE = re.compile(r"[ \t>]*,")


def _spaced_punctuation(masked: str) -> Iterator[tuple[str, int, int, str]]:
    """(word, word start, end, punctuation) for each "word ," in the text."""
    for m in _SPACE_PUNCT_RE.finditer(masked):
        before = _WORD_BEFORE_RE.search(masked, max(0, m.start() - 24), m.start())
        if before:
            punct = masked[m.end() - 1]
            yield before.group(1), before.start(), m.end(), punct


def _dangling_words(masked: str) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) for each word of _DANGLING that ends a phrase."""
    ends = [m.start() for m in _DANGLING_PUNCT_RE.finditer(masked)]
    ends += [m.start() for m in _PARAGRAPH_END_RE.finditer(masked)]
    ends.append(len(masked))
    for end in ends:
        while end > 0 and masked[end - 1] in " \t":
            end -= 1
        before = _WORD_BEFORE_RE.search(masked, max(0, end - 24), end)
        if not before:
            continue
        word = before.group(1)
        key = " ".join(word.lower().split())
        if key != "as of" and key not in _DANGLING:
            continue
        if key == "between" and _BETWEEN_IDIOM_RE.search(
            masked, max(0, before.start() - 5), before.start()
        ):
            continue
        yield word, before.start(), end


def _rule_lost_value(masked: str) -> Iterator[_Hit]:
    """A preposition or article with nothing after it, or a leading comma."""
    for word, start, end, _punct in _spaced_punctuation(masked):
        key = " ".join(word.lower().split())
        if key in _PREPOSITIONS or key == "as of":
            yield _Hit(
                "lost-value",
                start,
                end,
                f"A date or name seems to be missing after '{word}'",
            )
    for word, start, end in _dangling_words(masked):
        yield _Hit(
            "lost-value", start, end, f"Something seems to be missing after '{word}'"
        )
    commas = [m.start() for m in _LEADING_COMMA_RE.finditer(masked)]
    first = _TEXT_STARTS_WITH_COMMA_RE.match(masked)
    if first:
        commas.append(first.end() - 1)
    for pos in commas:
        yield _Hit(
            "lost-value",
            pos,
            pos + 1,
            "This starts with a comma: the words before it seem to be missing",
        )


# --------------------------------------------------------------------------
# Rule: space-before-punctuation — "Smith , who"; the prepositions above are
# reported as lost values instead.
# --------------------------------------------------------------------------


def _rule_space_before_punctuation(masked: str) -> Iterator[_Hit]:
    """A space between a word and the punctuation after it."""
    for word, start, end, punct in _spaced_punctuation(masked):
        key = " ".join(word.lower().split())
        if key in _PREPOSITIONS or key == "as of" or punct == ")":
            continue
        yield _Hit(
            "space-before-punctuation",
            start,
            end,
            f"Space before '{punct}': a word may be missing, or remove the space",
        )


# --------------------------------------------------------------------------
# Rule: empty-label — "Last updated:" with nothing after it.
# --------------------------------------------------------------------------

_LABELS = (
    r"last[ \t]+updated|updated|published|posted|date|dated|time|when|where"
    r"|location|source|sources|credit|credits|photo|image|by|author|byline"
    r"|contact|deadline|filed|released|effective|venue|place|dateline|edited"
    r"|modified|status|price|cost"
)
# The text ends on a colon (ignoring Markdown emphasis and spaces).
_TRAILING_COLON_RE = re.compile(
    r"(?:\b(?:last[ \t]+updated|\w+)[*_]*)?:[*_]*\s*\Z", re.I
)
# A colon followed straight away by other punctuation: "Updated: ."
_COLON_PUNCT_RE = re.compile(r":[*_]*[ \t]*[.,;](?![.\w])")
_LABEL_WORD_RE = re.compile(r"\b(?:last[ \t]+updated|\w+)[*_]*\Z", re.I)
# A colon ending its line; a known label before it, e.g. "**Last updated:**".
_COLON_EOL_RE = re.compile(r":[*_]*[ \t]*$", re.M)
_LABEL_BEFORE_RE = re.compile(rf"(?<![\w-])(?:{_LABELS})[*_]*\Z", re.I)
_NEXT_LINE_RE = re.compile(r"[ \t]*\n((?:[ \t]*\n)*)([^\n]*)")
# Lines a label may introduce: lists, quotes and tables.
_BLOCK_START_RE = re.compile(r"[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|>|\|)")
_LABEL_LINE_RE = re.compile(rf"[ \t]*[*_]*(?:{_LABELS})[*_]*:", re.I)


def _rule_empty_label(masked: str) -> Iterator[_Hit]:
    """A label and colon with no value after it."""
    tail = _TRAILING_COLON_RE.search(masked, max(0, len(masked.rstrip()) - 80))
    if tail:
        colon_end = masked.index(":", tail.start()) + 1
        yield _Hit(
            "empty-label",
            tail.start(),
            colon_end,
            "The text ends with a colon: the value after it seems to be missing",
        )
    for m in _COLON_PUNCT_RE.finditer(masked):
        word = _LABEL_WORD_RE.search(masked, max(0, m.start() - 30), m.start())
        yield _Hit(
            "empty-label",
            word.start() if word else m.start(),
            m.end(),
            "Nothing between the colon and the punctuation after it",
        )
    for colon in _COLON_EOL_RE.finditer(masked):
        label = _LABEL_BEFORE_RE.search(
            masked, max(0, colon.start() - 24), colon.start()
        )
        if not label or not masked[colon.end() :].strip():
            continue  # not a label, or the text ends: reported as trailing above
        nxt = _NEXT_LINE_RE.match(masked, colon.end())
        if nxt:
            blank_lines, line = nxt.group(1), nxt.group(2)
            if _BLOCK_START_RE.match(line):
                continue
            if line.strip() and not blank_lines and not _LABEL_LINE_RE.match(line):
                continue  # the value continues on the next line
        shown = masked[label.start() : colon.end()].strip(" \t*_")
        yield _Hit(
            "empty-label",
            label.start(),
            colon.start() + len(colon.group().rstrip(" \t")),
            f"'{shown}' has nothing after it",
        )


# --------------------------------------------------------------------------
# Rule: empty-brackets — "()", "“”", "[]" left where a value was.
# --------------------------------------------------------------------------

_EMPTY_BRACKETS_RE = re.compile(
    # "()" after a word is a function name in a tech story ("main()"), not a gap.
    r"(?<!\w)\([ \t]*\)"
    r"|“[ \t]*”|‘[ \t]*’|«[ \t]*»|„[ \t]*“"
    # Straight quotes must start a word, so the gap in '"a" "b"' does not count.
    r"|(?<![^\s(\[])\"[ \t]*\"(?!\w)"
    # "- [ ]" is a Markdown task list item.
    r"|(?<![-*+.)] )\[[ \t]*\]"
)


_EMPTY_CANDIDATE_RE = re.compile(r"[(“‘«„\"\[][ \t]*[)”’»“\"\]]")


def _rule_empty_brackets(masked: str) -> Iterator[_Hit]:
    """Brackets or quotation marks with nothing inside."""
    for candidate in _EMPTY_CANDIDATE_RE.finditer(masked):
        m = _EMPTY_BRACKETS_RE.match(masked, candidate.start())
        if not m:
            continue
        opener = m.group()[0]
        what = "quotation marks" if opener in '"“‘«„' else "brackets"
        yield _Hit(
            "empty-brackets",
            m.start(),
            m.end(),
            f"Empty {what}: the words inside seem to be missing",
        )


# --------------------------------------------------------------------------
# Rule: placeholder — TK, [date], {{name}}, <insert quote>, lorem ipsum.
# --------------------------------------------------------------------------

# "TK Maxx" and "TK Elevator" are companies; a placeholder TK is not followed by
# a capitalised word.
_TK_RE = re.compile(r"\bTK(?:TK)+\b|\bTK\b(?![ \u00a0][A-Z][a-z])")
_TODO_RE = re.compile(r"\b(?:TODO|FIXME)\b")
_BRACES_RE = re.compile(r"\{\{[^{}\n]{0,80}\}\}|\{[^{}\n]{0,80}\}")
_LOREM_RE = re.compile(r"\blorem[ \t\n]+ipsum\b", re.I)
# XX / XXX and digit placeholders such as "XX.X%" or "X,XXX"; the X comes first
# in the pattern so the scan can skip ahead quickly.
_XX_RE = re.compile(r"X(?<![\w]X)(?:X+(?:[.,:]X+)*|(?:[.,:]X+)+)\b")
# Roman numerals: "Super Bowl XX", "Pius XX"; and "XX chromosomes".
_ROMAN_BEFORE_RE = re.compile(r"\b[A-Z][a-z]+[ \u00a0]\Z")
_XX_AFTER_RE = re.compile(r"[ \u00a0]chromosome", re.I)
# Square brackets that are not Markdown links, images, references or notes.
_SQUARE_RE = re.compile(r"\[(?<![\]\\]\[)([^\[\]\n]{1,60})\](?![(\[:])")
_ANGLE_RE = re.compile(r"<([^<>\n]{1,60})>")
_LOWER_TOKEN_RE = re.compile(r"[a-z]+(?:[-_][a-z]+)*")
_SPLIT_RE = re.compile(r"[\s_\-]+")

_PLACEHOLDER_WORDS = _word_set(
    """
    date dates name names time day month year place location city country
    company person title headline number amount figure figures percent price
    link url quote source photo image caption details placeholder tbd tba tk
    tktk todo fixme insert xx xxx value age role
    """
)
# Placeholders written as instructions: "[insert date]", "<add quote>".
_PLACEHOLDER_LEADS = _word_set(
    "insert add enter fill tk tktk tbd tba todo fixme placeholder"
)
# Placeholders naming the missing thing: "[company name]", "[launch date]".
_PLACEHOLDER_TAILS = _word_set(
    "name names date time link url number figure quote source headline"
)
_DETERMINERS = _word_set("the a an his her their its our my your this that these those")
# Editors' insertions in quoted speech, which are not placeholders.
_EDITORIAL_WORDS = _word_set(
    """
    sic sics he she they it we you him her them us his hers its their our my
    the a an and or but not nor to of in on at for by is are was were be been
    has have had will would who whom which that this these those there then
    also now here laughs laughter laughing applause inaudible unintelligible
    crosstalk pause sighs cheers chuckles expletive emphasis translated
    translation redacted sp
    """
)


def _is_placeholder(content: str, *, any_lower_word: bool) -> bool:
    """Whether bracketed words look like an unfilled placeholder."""
    content = content.strip()
    if any_lower_word and _LOWER_TOKEN_RE.fullmatch(content) and len(content) > 1:
        return content not in _EDITORIAL_WORDS
    tokens = [t for t in _SPLIT_RE.split(content.lower()) if t]
    if not tokens:
        return False
    if len(tokens) == 1:
        return tokens[0] in _PLACEHOLDER_WORDS
    if tokens[0] in _PLACEHOLDER_LEADS:
        return True
    return tokens[-1] in _PLACEHOLDER_TAILS and tokens[0] not in _DETERMINERS


def _placeholder_hit(start: int, end: int, shown: str) -> _Hit:
    """A placeholder finding with a readable message."""
    return _Hit(
        "placeholder",
        start,
        end,
        f"Placeholder '{shown}' is still in the text: fill it in before publishing",
    )


def _rule_placeholder(masked: str) -> Iterator[_Hit]:
    """Unfilled placeholders left by a writer or a template."""
    guarded = (
        (_TK_RE, "TK" in masked),
        (_TODO_RE, "TODO" in masked or "FIXME" in masked),
        (_BRACES_RE, "{" in masked),
        (_LOREM_RE, "orem" in masked or "OREM" in masked),
    )
    for pattern, present in guarded:
        if present:
            for m in pattern.finditer(masked):
                yield _placeholder_hit(m.start(), m.end(), m.group())
    if "XX" in masked or "X." in masked or "X," in masked or "X:" in masked:
        for m in _XX_RE.finditer(masked):
            if len(m.group()) <= 3 and _ROMAN_BEFORE_RE.search(
                masked, max(0, m.start() - 30), m.start()
            ):
                continue
            if _XX_AFTER_RE.match(masked, m.end()):
                continue
            yield _placeholder_hit(m.start(), m.end(), m.group())
    if "[" in masked:
        defined: set[str] = set()
        if "]:" in masked:
            defined = {d.group(1).lower() for d in _LINK_DEF_RE.finditer(masked)}
        for m in _SQUARE_RE.finditer(masked):
            if m.group(1).lower() in defined:
                continue  # a shortcut reference link: "[Reuters]" with a definition
            if _is_placeholder(m.group(1), any_lower_word=True):
                yield _placeholder_hit(m.start(), m.end(), m.group())
    if "<" in masked:
        for m in _ANGLE_RE.finditer(masked):
            if _is_placeholder(m.group(1), any_lower_word=False):
                yield _placeholder_hit(m.start(), m.end(), m.group())


# --------------------------------------------------------------------------
# Mechanics: doubled words, spaces and punctuation.
# --------------------------------------------------------------------------

# The same word twice, across spaces or a single line break (not a paragraph).
_DOUBLED_WORD_RE = re.compile(
    r"\b([^\W\d_]+)(?:[ \t\u00a0]+(?:\n[ \t]*)?|\n[ \t]*)(\1)\b", re.I
)
# Grammatical or idiomatic repeats: "had had", "that that", "what it is is".
_LEGIT_DOUBLES = _word_set(
    """
    had that do does bye no yeah yes very really ha ho hey knock chop tut
    blah boo well now there la na so go many far
    """
)
# "What it is is ...", "The problem is is that ..." (a spoken construction).
_IS_IS_RE = re.compile(
    r"\b(?:it|this|that|what|thing|point|problem|question|issue|truth|fact)"
    r"[ \t]+\Z",
    re.I,
)
# Runs of spaces, ASCII only unless the text has no-break spaces (faster scan).
_DOUBLED_SPACE_RE = re.compile(r"  +")
_DOUBLED_SPACE_NBSP_RE = re.compile(r"[ \u00a0]{2,}")
_DOUBLED_PUNCT_RE = re.compile(
    r",,+|;;+|::+|!!+|\?\?+"  # ",," ";;" "::" "!!" "??"
    r"|\.(?<!\.\.)\.(?!\.)"  # exactly two full stops; "..." is an ellipsis
    r"|,[ \t]*[;:]|;[ \t]*[,;]"  # mixed ", ;" "; ,"
    r"|,[ \t]*\.(?![.\w])(?! \.)"  # ", ." but not ", ..."
    r"|,[ \t]+,"
)


def _rule_doubled_word(masked: str) -> Iterator[_Hit]:
    """The same word twice in a row ("the the")."""
    for m in _DOUBLED_WORD_RE.finditer(masked):
        word = m.group(1)
        # A capitalised repeat is a name ("Walla Walla", "Bora Bora", "The The").
        if word.lower() in _LEGIT_DOUBLES or m.group(2)[0].isupper():
            continue
        if word.lower() == "is" and _IS_IS_RE.search(
            masked, max(0, m.start() - 12), m.start()
        ):
            continue
        yield _Hit(
            "doubled-word", m.start(), m.end(), f"'{word}' appears twice in a row"
        )


def _rule_doubled_space(masked: str) -> Iterator[_Hit]:
    """Two or more spaces between words."""
    pattern = _DOUBLED_SPACE_NBSP_RE if "\u00a0" in masked else _DOUBLED_SPACE_RE
    for m in pattern.finditer(masked):
        start, end = m.span()
        # Between words only: not indentation, not a Markdown line break
        # (two spaces before a newline), not table padding.
        if start == 0 or end == len(masked):
            continue
        if masked[start - 1] in "\n\t|" or masked[end] in "\n\t|":
            continue
        yield _Hit("doubled-space", start, end, "Two spaces in a row")


def _rule_doubled_punctuation(masked: str) -> Iterator[_Hit]:
    """Punctuation typed twice (",,", "..", "!!"), but not an ellipsis."""
    for m in _DOUBLED_PUNCT_RE.finditer(masked):
        yield _Hit(
            "doubled-punctuation",
            m.start(),
            m.end(),
            f"Doubled punctuation '{m.group()}'",
        )


# --------------------------------------------------------------------------
# Balance: quotation marks per paragraph, brackets per text.
# --------------------------------------------------------------------------

_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n")
_QUOTE_CHAR_RE = re.compile(r"[\"“”]")
_BRACKET_CHAR_RE = re.compile(r"[()\[\]]")
# Characters after which a straight quote opens rather than closes.
_OPENS_AFTER = frozenset(" \t\n\u00a0([{*_—–-/")
# A paragraph continuing a quotation starts with an opening quote (the AP rule
# for quotes running over several paragraphs: no closing mark until the end).
_CONTINUES_QUOTE_RE = re.compile(r"[ \t\n]*(?:>[ \t]*)?[*_]*[\"“]")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of each paragraph."""
    bounds = []
    start = 0
    for m in _PARAGRAPH_BREAK_RE.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def _rule_unbalanced_quotes(masked: str) -> Iterator[_Hit]:
    """A quotation mark opened and never closed, or closed and never opened."""
    if '"' not in masked and "“" not in masked and "”" not in masked:
        return
    paragraphs = _paragraphs(masked)
    for number, (p_start, p_end) in enumerate(paragraphs):
        straight: list[int] = []
        curly: list[int] = []
        for m in _QUOTE_CHAR_RE.finditer(masked, p_start, p_end):
            pos, char = m.start(), m.group()
            prev = masked[pos - 1] if pos > p_start else "\n"
            if char == "“" or (char == '"' and prev in _OPENS_AFTER):
                (curly if char == "“" else straight).append(pos)
                continue
            stack = straight if char == '"' else curly
            if stack:
                stack.pop()
            elif not prev.isdigit():  # 27" is inches, not a quote
                yield _Hit(
                    "unbalanced-quotes",
                    pos,
                    pos + 1,
                    "This closing quotation mark has no opening one",
                )
        leftover = straight[:1] + curly[:1]
        if not leftover:
            continue
        if number + 1 < len(paragraphs) and _CONTINUES_QUOTE_RE.match(
            masked, paragraphs[number + 1][0]
        ):
            continue
        for pos in leftover:
            yield _Hit(
                "unbalanced-quotes",
                pos,
                pos + 1,
                "This quotation mark is opened but never closed",
            )


def _is_enumeration(masked: str, pos: int) -> bool:
    """Whether the ')' at pos closes a list label such as "1)" or "b)" or ":)"."""
    if pos > 0 and masked[pos - 1] in ":;":
        return True
    token = 0
    i = pos - 1
    while i >= 0 and masked[i].isalnum() and token < 4:
        token += 1
        i -= 1
    return 1 <= token <= 3 and (i < 0 or masked[i].isspace())


def _rule_unbalanced_brackets(masked: str) -> Iterator[_Hit]:
    """A bracket opened and never closed, or closed and never opened."""
    if not any(c in masked for c in "()[]"):
        return
    open_round: list[int] = []
    open_square: list[int] = []
    for m in _BRACKET_CHAR_RE.finditer(masked):
        pos, char = m.start(), m.group()
        if char in "([":
            (open_round if char == "(" else open_square).append(pos)
            continue
        stack = open_round if char == ")" else open_square
        if stack:
            stack.pop()
        elif char == "]" or not _is_enumeration(masked, pos):
            yield _Hit(
                "unbalanced-brackets",
                pos,
                pos + 1,
                f"This '{char}' has no opening bracket",
            )
    for pos in open_round[:1] + open_square[:1]:
        yield _Hit(
            "unbalanced-brackets",
            pos,
            pos + 1,
            f"This '{masked[pos]}' is never closed",
        )


_PROSE_RULES = (
    _rule_lost_value,
    _rule_empty_label,
    _rule_empty_brackets,
    _rule_placeholder,
    _rule_space_before_punctuation,
    _rule_doubled_word,
    _rule_doubled_space,
    _rule_doubled_punctuation,
    _rule_unbalanced_quotes,
    _rule_unbalanced_brackets,
)


# --------------------------------------------------------------------------
# Quoting and entry points.
# --------------------------------------------------------------------------


def _quote(text: str, start: int, end: int) -> str:
    """The words around text[start:end], verbatim, within one line if possible."""
    q_start = max(0, start - _CONTEXT)
    q_end = min(len(text), end + _CONTEXT)
    newline = text.rfind("\n", q_start, start)
    if newline != -1:
        q_start = newline + 1
    elif q_start > 0:
        # Begin at a word boundary rather than mid-word.
        space = text.find(" ", q_start, start)
        if space != -1:
            q_start = space + 1
    newline = text.find("\n", end, q_end)
    if newline != -1:
        q_end = newline
    elif q_end < len(text):
        space = text.rfind(" ", end, q_end)
        if space != -1:
            q_end = space
    return text[q_start:start].lstrip() + text[start:end] + text[end:q_end].rstrip()


def _lead(text: str) -> str:
    """The first line of a block's text, cut at a word, for structural quotes."""
    line = text.strip().split("\n", 1)[0].strip()
    if len(line) <= _LEAD_MAX:
        return line
    cut = line.rfind(" ", 0, _LEAD_MAX)
    return line[: cut if cut > 0 else _LEAD_MAX]


def check_text(text: str, block: str = "text", *, field: str = "text") -> list[Finding]:
    """Run the prose rules over one piece of text; findings in text order."""
    if not text:
        return []
    masked = _mask(text)
    hits = {hit for rule in _PROSE_RULES for hit in rule(masked)}
    return [
        Finding(
            rule=hit.rule,
            severity=RULES[hit.rule],
            block=block,
            field=field,
            start=hit.start,
            end=hit.end,
            quote=_quote(text, hit.start, hit.end),
            message=hit.message,
        )
        for hit in sorted(hits, key=lambda h: (h.start, h.end, h.rule))
    ]


def _structural(rule: str, block: str, field: str, quote: str, message: str) -> Finding:
    """A finding about a block as a whole (span 0, 0)."""
    return Finding(rule, RULES[rule], block, field, 0, 0, quote, message)


def _too_long(text: str, limit: int, block: str, field: str) -> list[Finding]:
    """A finding when text is over its character limit."""
    if len(text) <= limit:
        return []
    return [
        _structural(
            "too-long",
            block,
            field,
            _lead(text),
            f"{block} is {len(text)} characters long; the limit is {limit}",
        )
    ]


def _normal(text: str) -> str:
    """Text compared case- and space-insensitively, ignoring a final full stop."""
    return " ".join(text.casefold().split()).rstrip(".!")


def _check_title(content: ArticleContent) -> list[Finding]:
    """The title is present, within its limit, and clean."""
    if not content.title.strip():
        return [
            _structural("missing-title", "Title", "title", "", "The title is empty")
        ]
    return _too_long(content.title, TITLE_MAX, "Title", "title") + check_text(
        content.title, "Title", field="title"
    )


def _check_category(content: ArticleContent) -> list[Finding]:
    """A category is chosen."""
    if content.category_id is not None:
        return []
    return [
        _structural(
            "missing-category", "Category", "category", "", "No category is chosen"
        )
    ]


def _check_summary(content: ArticleContent) -> list[Finding]:
    """The quick summary is present, within its limit, and clean."""
    if not content.summary.strip():
        return [
            _structural(
                "missing-summary",
                "Quick summary",
                "summary",
                "",
                "The quick summary is empty",
            )
        ]
    return _too_long(
        content.summary, SUMMARY_MAX, "Quick summary", "summary"
    ) + check_text(content.summary, "Quick summary", field="summary")


def _check_sections(content: ArticleContent) -> list[Finding]:
    """At least one section with a body; each section has a heading and a body."""
    findings: list[Finding] = []
    if not any(s.body.strip() for s in content.sections):
        findings.append(
            _structural(
                "missing-sections",
                "Sections",
                "sections",
                "",
                "The article needs at least one section with text",
            )
        )
    if len(content.sections) > SECTIONS_MAX:
        findings.append(
            _structural(
                "too-many-sections",
                "Sections",
                "sections",
                "",
                f"The article has {len(content.sections)} sections; "
                f"the limit is {SECTIONS_MAX}",
            )
        )
    for index, section in enumerate(content.sections):
        number = index + 1
        h_block, h_field = f"Section {number} heading", f"section-{index}-heading"
        b_block, b_field = f"Section {number} body", f"section-{index}-body"
        heading, body = section.heading.strip(), section.body.strip()
        if not heading and not body:
            findings.append(
                _structural(
                    "empty-section",
                    f"Section {number}",
                    h_field,
                    "",
                    f"Section {number} is empty: write it or remove it",
                )
            )
            continue
        if not body:
            findings.append(
                _structural(
                    "empty-section-body",
                    b_block,
                    b_field,
                    _lead(section.heading),
                    f"Section {number} has a heading but no text",
                )
            )
        if not heading:
            # The page would show an empty heading above the text.
            findings.append(
                _structural(
                    "missing-heading",
                    h_block,
                    h_field,
                    _lead(section.body),
                    f"Section {number} has text but no heading",
                )
            )
        findings += _too_long(section.heading, HEADING_MAX, h_block, h_field)
        findings += check_text(section.heading, h_block, field=h_field)
        findings += _too_long(section.body, BODY_MAX, b_block, b_field)
        findings += check_text(section.body, b_block, field=b_field)
    return findings


def _check_takeaways(content: ArticleContent) -> list[Finding]:
    """3 to 7 distinct, non-empty takeaways within their limit."""
    findings: list[Finding] = []
    count = len(content.takeaways)
    if not TAKEAWAYS_MIN <= count <= TAKEAWAYS_MAX:
        findings.append(
            _structural(
                "takeaway-count",
                "Key takeaways",
                "takeaways",
                "",
                f"There are {count} key takeaways; "
                f"write between {TAKEAWAYS_MIN} and {TAKEAWAYS_MAX}",
            )
        )
    summary = _normal(content.summary)
    seen: dict[str, int] = {}
    for index, takeaway in enumerate(content.takeaways):
        number = index + 1
        block, field = f"Takeaway {number}", f"takeaway-{index}"
        key = _normal(takeaway)
        if not key:
            findings.append(
                _structural(
                    "empty-takeaway", block, field, "", f"Takeaway {number} is empty"
                )
            )
            continue
        if key in seen:
            findings.append(
                _structural(
                    "duplicate-takeaway",
                    block,
                    field,
                    _lead(takeaway),
                    f"Takeaway {number} repeats takeaway {seen[key]}",
                )
            )
        else:
            seen[key] = number
        if summary and (
            key == summary or (len(key.split()) >= 6 and f" {key} " in f" {summary} ")
        ):
            findings.append(
                _structural(
                    "takeaway-repeats-summary",
                    block,
                    field,
                    _lead(takeaway),
                    f"Takeaway {number} repeats the quick summary word for word",
                )
            )
        findings += _too_long(takeaway, TAKEAWAY_MAX, block, field)
        findings += check_text(takeaway, block, field=field)
    return findings


def _check_faqs(content: ArticleContent) -> list[Finding]:
    """At most 10 questions, each ending with '?' and answered."""
    findings: list[Finding] = []
    if len(content.faqs) > FAQ_MAX:
        findings.append(
            _structural(
                "too-many-questions",
                "People also ask",
                "faqs",
                "",
                f"There are {len(content.faqs)} questions; the limit is {FAQ_MAX}",
            )
        )
    seen: dict[str, int] = {}
    for index, faq in enumerate(content.faqs):
        number = index + 1
        q_block, q_field = f"Question {number}", f"question-{index}"
        a_block, a_field = f"Answer {number}", f"answer-{index}"
        question = faq.question.strip()
        if not question:
            findings.append(
                _structural(
                    "missing-question",
                    q_block,
                    q_field,
                    _lead(faq.answer),
                    f"Answer {number} has no question",
                )
            )
        elif not question.endswith("?"):
            findings.append(
                _structural(
                    "question-mark",
                    q_block,
                    q_field,
                    _lead(faq.question),
                    f"Question {number} does not end with '?'",
                )
            )
        key = _normal(question)
        if key and key in seen:
            findings.append(
                _structural(
                    "duplicate-question",
                    q_block,
                    q_field,
                    _lead(faq.question),
                    f"Question {number} repeats question {seen[key]}",
                )
            )
        elif key:
            seen[key] = number
        if not faq.answer.strip():
            findings.append(
                _structural(
                    "missing-answer",
                    a_block,
                    a_field,
                    _lead(faq.question),
                    f"Question {number} has no answer",
                )
            )
        findings += _too_long(faq.question, QUESTION_MAX, q_block, q_field)
        findings += check_text(faq.question, q_block, field=q_field)
        findings += _too_long(faq.answer, ANSWER_MAX, a_block, a_field)
        findings += check_text(faq.answer, a_block, field=a_field)
    return findings


LEAD_IMAGE = "Lead image"
RECOMMENDED_IMAGE_WIDTH = 1200
_GENERIC_ALT = _word_set("image photo picture img photograph pic")
_IMAGE_EXTENSIONS = _word_set("jpg jpeg png webp gif heic tif tiff")


def is_weak_alt(alt: str, original_name: str = "") -> bool:
    """Alt text that describes nothing: a file name, or just "image"/"photo"."""
    text = alt.strip().lower()
    if not text:
        return False
    stem = original_name.strip().lower()
    if stem and (text == stem or text == stem.rsplit(".", 1)[0]):
        return True
    if text.rstrip(".") in _GENERIC_ALT:
        return True
    # Looks like a file name ("IMG_2041.jpg", "dsc0012.png").
    return "." in text and text.rsplit(".", 1)[1] in _IMAGE_EXTENSIONS


def _check_lead_image(content: ArticleContent) -> list[Finding]:
    """Alt text present and meaningful; the image wide enough for search."""
    image = content.lead_image
    if image is None:
        return []
    findings: list[Finding] = []
    if not image.alt.strip():
        findings.append(
            _structural(
                "missing-alt",
                LEAD_IMAGE,
                "lead-alt",
                "",
                "The lead image has no alt text: describe what it shows",
            )
        )
    elif is_weak_alt(image.alt, image.original_name):
        findings.append(
            _structural(
                "weak-alt",
                LEAD_IMAGE,
                "lead-alt",
                _lead(image.alt),
                "The alt text does not describe the picture (a file name or "
                "just a word like “image”)",
            )
        )
    if image.width < RECOMMENDED_IMAGE_WIDTH:
        findings.append(
            _structural(
                "small-image",
                LEAD_IMAGE,
                "lead-image-file",
                f"{image.width} × {image.height} px",
                f"The lead image is {image.width} px wide; search engines and "
                f"social cards want at least {RECOMMENDED_IMAGE_WIDTH} px",
            )
        )
    return findings


def check_article(content: ArticleContent) -> list[Finding]:
    """Run every structure and prose rule over an article, in reading order."""
    return (
        _check_title(content)
        + _check_category(content)
        + _check_lead_image(content)
        + _check_summary(content)
        + _check_sections(content)
        + _check_takeaways(content)
        + _check_faqs(content)
    )
