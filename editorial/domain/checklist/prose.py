"""The prose linter: sentence-level rules over plain text (`check_text`).

Pure functions, no Flask, no database. Each rule is a named entry of `RULES`
(severity, the one-line reason shown to the writer, why it is an error or a
warning) and a function yielding hits over a "masked" copy of the text in which
code and link targets are blanked out, so offsets still match the original.
Every pattern is linear in its input: each starts on a literal or a character
class, uses bounded look-behinds, and quantifiers that cannot backtrack over
the same characters twice (possessive where a run could be long).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import NamedTuple

from editorial.domain.checklist.findings import ERROR, WARNING, Finding, Rule, catalogue


def _word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string, for readability."""
    return frozenset(words.split())


# Characters of context on each side of a problem in `Finding.quote`.
_CONTEXT = 30
# Structural findings quote the start of the block, at most this long.
_LEAD_MAX = 60
# At most this many findings of one rule in one piece of text.
_MAX_HITS_PER_RULE = 25


class _Hit(NamedTuple):
    """A prose rule's raw result: where and what, before quoting."""

    rule: str
    start: int
    end: int
    message: str


# --------------------------------------------------------------------------
# Masking: blank out text that is not prose, keeping every offset.
# --------------------------------------------------------------------------

# A private-use character: not a word character, not space, not punctuation,
# so no prose rule can match on it.
_MASK = "\ue000"

# A fenced code block, to its closing fence or the end of the text. The runs are
# possessive: a line of 50,000 backticks with no newline after it fails at once
# instead of retrying every shorter run (which made the scan quadratic).
_FENCE_RE = re.compile(
    r"^[ \t]{0,3}+(`{3,}+|~{3,}+)[^\n]*+\n.*?(?:^[ \t]{0,3}+\1[`~]*+[ \t]*+$|\Z)",
    re.M | re.S,
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
    aged a an magnitude
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
    for m in _EMPTY_BETWEEN_COMMAS_RE.finditer(masked):
        yield _Hit(
            "lost-value",
            m.start(),
            m.end(),
            "Nothing between these two commas: a word or name seems to be missing",
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
_LOREM_RE = re.compile(r"\blorem[ \t\n]+ipsum\b|\bdolor[ \t]+sit[ \t]+amet\b", re.I)
_FILL_NOUNS = (
    r"quote|quotes|name|names|date|time|link|url|figure|figures|number|numbers"
    r"|photo|image|caption|headline|hed|dek|text|copy|details|info|stat|stats"
    r"|amount|price|location|title|byline|credit|source|chart|graphic|map|video"
    r"|embed|tweet|comment|paragraph|graf|age|total|score|result|value|percentage"
)
# Fill-ins a writer or an editor leaves in copy: "TBD", "NAME HERE", "insert
# quote here", "[citation needed]", "Firstname Lastname", "$X million", "xx".
_FILL_IN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (guard, re.compile(pattern))
    for guard, pattern in (
        ("TB", r"\bTB[ADC]\b"),
        ("HERE", r"\b[A-Z]{2,}(?:[ _][A-Z]{2,}){0,3}[ _]HERE\b"),
        ("INSERT", r"\bINSERT\b"),
        (
            "",
            r"(?:[Ii]nsert|[Aa]dd|[Ee]nter|[Pp]aste)\b(?<![\w][Ii]nsert)(?<![\w][Aa]dd)"
            r"[ \t]+(?:(?:the|a|an|his|her|their)[ \t]+)?"
            rf"(?:[a-z]+[ \t]+)?(?:{_FILL_NOUNS})[ \t]+(?:here|later|TK)\b",
        ),
        ("itation", r"\bcitation[ \t]+needed\b"),
        (
            "irst",
            r"\b(?:Firstname|First[ \t]+Name|FIRST[ \t]+NAME)[ \t]+(?:Lastname"
            r"|Last[ \t]+Name|Surname|LAST[ \t]+NAME)\b",
        ),
        ("xx", r"\bx{2,}\b"),
        ("$X", r"\$X\b"),
        (
            "X",
            r"X(?<![\w]X)(?:%|bn\b|m\b|(?=[ \t\u00a0](?:million|billion|trillion"
            r"|percent|per[ \t]cent|people|times|points|votes|seats|jobs)\b))",
        ),
        ("??", r"\?\?(?<![^\s(\[]\?\?)\?*(?![\w?])"),
        (
            "(",
            r"\((?:NAME|DATE|TIME|PLACE|CITY|TITLE|NUMBER|AMOUNT|QUOTE|SOURCE|LINK)\)",
        ),
    )
)
# "Quote here.", "Photo caption goes here": the word "here" comes first in the
# scan; the words before it are looked up afterwards.
_HERE_RE = re.compile(r"here\b(?<![\w]here)(?=[ \t]*(?:[.)\]]|$))", re.M)
_FILL_NOUN_SET = frozenset(_FILL_NOUNS.split("|"))
_GOES_BEFORE_RE = re.compile(r"([A-Za-z]+)[ \t]+(?:goes[ \t]+)?\Z")


def _fill_ins(masked: str) -> Iterator[re.Match[str] | tuple[int, int, str]]:
    """Fill-ins a writer or an editor left: (start, end, shown)."""
    for guard, pattern in _FILL_IN_PATTERNS:
        if guard in masked:
            for m in pattern.finditer(masked):
                yield m.start(), m.end(), m.group()
    if "here" in masked:
        for m in _HERE_RE.finditer(masked):
            before = _GOES_BEFORE_RE.search(masked, max(0, m.start() - 30), m.start())
            if before and before.group(1).lower() in _FILL_NOUN_SET:
                yield before.start(), m.end(), masked[before.start() : m.end()]


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
        (_LOREM_RE, "orem" in masked or "OREM" in masked or "olor" in masked),
    )
    for pattern, present in guarded:
        if present:
            for m in pattern.finditer(masked):
                yield _placeholder_hit(m.start(), m.end(), m.group())
    for start, end, shown in _fill_ins(masked):
        if shown == "X" and _ROMAN_BEFORE_RE.search(masked, max(0, start - 30), start):
            continue  # "Generation X people", "Malcolm X"
        yield _placeholder_hit(start, end, shown)
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
)
# ", ," — a word or name between two commas is gone ("The ambassador, , said").
_EMPTY_BETWEEN_COMMAS_RE = re.compile(r",[ \t\u00a0]+,")


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


# --------------------------------------------------------------------------
# Numbers: a figure dropped before its unit, currency or magnitude.
# --------------------------------------------------------------------------

_CURRENCY_SIGNS = "$€£¥₹₩₽₺₪₦₴₱"
_MAGNITUDES = r"million|billion|trillion|bn|mn|tn|m|k|crore|lakh"
# A currency sign with no figure after it: "$ million", "€bn", "£ per share",
# "$." — but not "$VAR" or "${x}" (template placeholders, reported as such).
_SIGN_RE = re.compile(
    rf"[{_CURRENCY_SIGNS}](?![ \t\u00a0]*+[.,]?\d)"
    rf"(?:[ \t\u00a0]*+(?:{_MAGNITUDES})\b|(?![A-Za-z_{{]))"
)
# A percent or per-mille sign, or a degree sign, with no figure before it.
_PERCENT_RE = re.compile(
    r"[%‰°º](?<![\d][%‰°º])(?<![\d][ \u00a0][%‰°º])(?<!\([%‰°º])"  # "Change (%)"
)
# A currency code straight before a magnitude: "USD million", "EUR bn".
_CODE_MAGNITUDE_RE = re.compile(
    r"\b(?:USD|EUR|GBP|JPY|CNY|RMB|CHF|AUD|CAD|INR|HKD|SGD|Rs\.?)[ \t\u00a0]+"
    rf"(?:{_MAGNITUDES})\b"
)
# A hyphenated measure with its number gone: "a -year-old", "a -mile race".
_HYPHEN_MEASURE_RE = re.compile(
    r"-(?<![\w\d.,)-]-)(?:year|month|week|day|hour|minute|second|mile|kilometre"
    r"|kilometer|km|metre|meter|foot|feet|inch|point|seat|member|game|match|man"
    r"|strong|storey|story|page|percent|bedroom|bed|room|acre|fold|time|run|goal|yard)s?\b"
)
# Units and magnitudes that always follow a figure in news copy.
_UNITS = (
    r"million|billion|trillion|bn|mn|tn|crore|lakh|percent|per[ \t]+cent"
    r"|percentage[ \t]+points?|basis[ \t]+points|bps|km|kms|km/h|kph|mph|kg|kgs"
    r"|mg|lb|lbs|oz|ft|mm|cm|MW|GW|kW|kWh|MWh|GWh|TWh|ppm|ppb|mAh|Mbps"
    r"|Gbps|GHz|MHz|hectares|acres|tonnes|metres|meters|kilometres|kilometers"
    r"|miles|feet|inches|litres|liters|gallons|barrels"
    r"|degrees[ \t]+(?:Celsius|Fahrenheit)"
)
_UNIT_RE = re.compile(rf"\b(?:{_UNITS})(?![\w/-])")
# Abbreviated units follow a figure whatever the word before them, except in
# "per km", "a kg", "in mm", "the mph record".
_ABBREVIATED_UNITS = _word_set(
    """
    km kms km/h kph mph kg kgs mg lb lbs oz ft mm cm mw gw kw kwh mwh gwh twh
    ppm ppb mah mbps gbps ghz mhz bn mn tn bps
    """
)
_BEFORE_ABBREVIATION_OK = _word_set(
    """
    per a an in the each every of one two three four five six seven eight nine
    ten eleven twelve fifteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion trillion dozen few several many
    and or
    """
)
# Pence: "rose by p a litre".
_PENCE_RE = re.compile(
    r"\b(?:by|to|of|from|at|cost|costs|costing)[ \t]+p[ \t]+(?:a|an|per)\b"
)
# "ranked No. in the world": a number sign with no number.
_NUMBER_SIGN_RE = re.compile(r"\bNo\.[ \t]+(?=[a-z])")
# Words after which a figure is expected; "by miles" and "of" after a quantity
# ("thousands of miles") are idioms and pass.
_EXPECTS_FIGURE = _word_set(
    """
    to by of from at about around nearly almost roughly approximately some than
    over under above below up down rose fell rise rises risen fall falls fallen
    grew grow grows dropped drop drops jumped jumps climbed climbs gained gains
    slipped slips increased increases decreased decreases declined declines
    surged surges plunged plunges slid slumped soared tumbled sank shed cut
    raised paid pays cost costs worth is was were are be been reached reaches
    hit hits topped tops exceeded exceeds totalled totaled totalling totaling
    estimated forecast projected just only between
    """
)
# Spelled-out lengths and areas are idioms after most of those ("won by miles",
# "it was miles away", "buried under feet of snow"): only these count then.
_SPELLED_UNITS = _word_set(
    "miles feet inches metres meters kilometres kilometers acres hectares barrels"
)
_EXPECTS_SPELLED = _word_set(
    "to of from about around nearly almost roughly approximately than reached"
)
_QUANTITY_BEFORE_OF = _word_set(
    """
    hundreds thousands millions billions tens dozens scores lots number numbers
    fraction fractions amount amounts dozen couple handful matter terms units
    """
)
_PREV_WORD_RE = re.compile(r"([A-Za-z]+)[ \t\u00a0]++(?:([A-Za-z]+)[ \t\u00a0]++)?\Z")


def _words_before(masked: str, pos: int) -> tuple[str, str]:
    """The word just before pos and the one before it, lower-cased ("" if none)."""
    m = _PREV_WORD_RE.search(masked, max(0, pos - 40), pos)
    if not m:
        return "", ""
    return (m.group(2) or m.group(1)).lower(), (
        m.group(1) if m.group(2) else ""
    ).lower()


def _rule_missing_number(masked: str) -> Iterator[_Hit]:
    """A unit, currency sign or magnitude with no figure."""
    if any(c in masked for c in _CURRENCY_SIGNS):
        for m in _SIGN_RE.finditer(masked):
            yield _Hit(
                "missing-number",
                m.start(),
                m.end(),
                f"A figure seems to be missing after '{m.group()[0]}'",
            )
    if any(c in masked for c in "%‰°º"):
        for m in _PERCENT_RE.finditer(masked):
            after = masked[m.end() : m.end() + 1]
            if m.group() == "%" and (after.isalpha() or after in "({%"):
                continue  # "%s", "%(name)s", "%VAR%": a template placeholder
            if m.group() == "º" and after != "C" and after != "F":
                continue  # the ordinal indicator of "1º", "nº"
            yield _Hit(
                "missing-number",
                m.start(),
                m.end(),
                f"A figure seems to be missing before '{m.group()}'",
            )
    for pattern in (_CODE_MAGNITUDE_RE, _HYPHEN_MEASURE_RE, _PENCE_RE, _NUMBER_SIGN_RE):
        for m in pattern.finditer(masked):
            yield _Hit(
                "missing-number",
                m.start(),
                m.end(),
                f"A figure seems to be missing in '{m.group()}'",
            )
    for m in _UNIT_RE.finditer(masked):
        word, before = _words_before(masked, m.start())
        unit = m.group().lower()
        if not word:
            continue
        if unit in _ABBREVIATED_UNITS:
            if word in _BEFORE_ABBREVIATION_OK and word != "of":
                continue
        elif word not in _EXPECTS_FIGURE:
            continue
        if word == "of" and before in _QUANTITY_BEFORE_OF:
            continue
        if unit in _SPELLED_UNITS and word not in _EXPECTS_SPELLED:
            continue
        yield _Hit(
            "missing-number",
            m.start() - len(word) - 1,
            m.end(),
            f"A figure seems to be missing before '{m.group()}'",
        )


# --------------------------------------------------------------------------
# Figures dropped after "to", "by", "of" and other words that announce one.
# --------------------------------------------------------------------------

_CHANGE_VERBS = (
    r"rose|risen|rise|rises|rising|fell|fall|falls|fallen|falling|increased"
    r"|increase|increases|decreased|declined|climbed|jumped|grew|grown|slipped"
    r"|slid|surged|soared|plunged|tumbled|sank|shrank|gained|raised|lowered"
    r"|reduced|boosted|lifted|dipped|eased|edged[ \t]+(?:up|down|higher|lower)"
    r"|widened|narrowed|expanded|contracted|improved|worsened|hiked|trimmed"
    r"|slashed|revised[ \t]+(?:up|down|upward|downward)|upgraded|downgraded"
)
# Words that cannot start the figure a change verb's "to"/"by" introduces.
_NOT_A_FIGURE = (
    r"from|in|on|after|since|during|compared|against|versus|vs|while|amid"
    r"|when|because|following|year-on-year|year-over-year|but"
    r"|and(?![ \t]+large)"
    r"|at(?![ \t]+(?:least|most|about|around|roughly|nearly|almost))"
)
_CHANGE_GAP_RE = re.compile(
    rf"\b(?:(?:{_CHANGE_VERBS})[ \t]+(?:to|by)"
    r"|(?:up|down|lost|trailed|led|won|beaten)[ \t]+by|cut[ \t]+(?:to|by))"
    rf"[ \t]+(?:{_NOT_A_FIGURE})\b(?![-'’])",
)
# "Sales rose by." — a change verb's "to"/"by" ending a clause.
_CHANGE_END_RE = re.compile(
    r"\b(?:rose|risen|fell|fallen|increased|decreased|declined|climbed|jumped"
    r"|grew|slipped|slid|surged|soared|plunged|tumbled|sank|shrank|dipped|eased)"
    r"[ \t]+(?:to|by)[ \t]*[.,;:!?](?![.\w])",
)
_VALUE_NOUNS = (
    r"total|average|sum|rate|loss|losses|profit|deficit|surplus|increase"
    r"|decrease|rise|fall|drop|gain|margin|stake|price|cost|budget|fine|salary"
    r"|bonus|fee|capacity|turnout|crowd|attendance|speed|height|depth"
    r"|temperature|distance|weight|growth|inflation|unemployment|yield|debt"
    r"|revenue|output|hike|jump|tax|sentence|majority|lead|score|tally"
    r"|valuation|dividend|payout|investment|audience|population|workforce|fleet"
    r"|toll|age|maximum|minimum|high|low|peak|shortfall|premium|wage|record"
)
_OF_GAP_RE = re.compile(
    rf"\b(?:{_VALUE_NOUNS})[ \t]+of[ \t]+(?:in|on|from|for|to|per|with|was|were"
    r"|is|are|has|have|had|will|since|after|during|compared|against|versus|and"
    r"|but|watched|attended|saw|turned|gathered|joined|marched|died|took|voted"
    r"|at(?![ \t]+(?:least|most|about|around)))\b(?![-'’])"
    r"|\b(?:average|rate|total|salary|wage|speed)[ \t]+of[ \t]+a[ \t]+"
    r"(?:day|week|month|year|night|share|head|barrel|gallon|litre|tonne)\b(?![-'’])",
)
# A verb of change and its "by" a few words apart: "reduced the risk by in".
_CHANGE_FAR_RE = re.compile(
    r"\b(?:reduced|cut|lowered|raised|increased|boosted|lifted|trimmed|slashed)\b"
    r"[^.;:!?\n]{1,40}?[ \t]by[ \t]+(?:in|on|at|from|after|since|during|compared"
    r"|against|among)[ \t]+(?!least\b|most\b)\w",
)
# A name dropped after a passive "by": "he was replaced by in the 70th minute".
_BY_NAME_RE = re.compile(
    r"\b(?:replaced|joined|beaten|defeated|signed|founded|written|directed|produced"
    r"|owned|acquired|bought|chaired|hosted|presented|coached|managed|appointed"
    r"|nominated|elected|endorsed|backed|criticised|criticized|praised|opposed)"
    r"[ \t]+by[ \t]+(?:in|on|at|from|after|since|during|and|but|who|which)\b(?![-'’])",
)
# A result without its count: "has won of its last five", "every minutes".
_COUNTLESS_RE = re.compile(
    r"\b(?:won|lost|drew|scored|saved|missed)[ \t]+of[ \t]+(?:its|their|his|her|the)\b"
    r"|\b[Ee]very[ \t]+(?:seconds|minutes|hours|days|weeks|months|years)\b"
    r"|\b(?:[Aa]bout|[Aa]round|[Rr]oughly|[Nn]early|[Aa]lmost|[Ss]ome)[ \t]+times"
    r"[ \t]+(?:more|less"
    r"|fewer|faster|slower|bigger|smaller|higher|lower|larger|greater|fainter"
    r"|brighter|as|longer|shorter|stronger|weaker|heavier|lighter)\b"
    r"|\b(?:sold|shipped|raised|attracted|drew|recorded|registered)[ \t]+(?:more"
    r"|fewer|less)[ \t]+than[ \t]+(?:copies|tickets|units|downloads|streams"
    r"|subscribers|visitors|viewers|votes|seats|shares|cases)\b",
)
# A share with its figure gone: "forecast to reach of GDP". "of" comes first
# in the scan; the word before it is looked up afterwards.
_SHARE_OF_RE = re.compile(
    r"of(?<![\w]of)[ \t]+(?:GDP|GNP|gross[ \t]+domestic[ \t]+product|the[ \t]+vote"
    r"|the[ \t]+market|the[ \t]+population|the[ \t]+workforce|its[ \t]+workforce"
    r"|revenue|sales)\b"
)
_BEFORE_SHARE = _word_set(
    "reach reached reaches hit hits exceed exceeded exceeds be is was were to by at"
    " around about nearly almost"
)
# Ranges with an end gone: "between and", "from to".
_RANGE_GAP_RE = re.compile(r"\b(?:[Bb]etween[ \t]+and|[Ff]rom[ \t]+to)\b(?![-'’])")
# Count nouns after words that announce nothing but a count: "an estimated
# people", "as many as voters". ("about people", "more than people expected"
# and "some people" are sound, so those leads are not in the list.)
_COUNT_NOUNS = (
    r"people|persons|votes|voters|seats|jobs|homes|houses|households|residents"
    r"|children|patients|cases|deaths|units|cars|vehicles|customers|workers"
    r"|employees|staff|passengers|visitors|fans|spectators|students|troops"
    r"|soldiers|migrants|refugees|members|users|subscribers|shares|copies"
    r"|tickets|tourists|animals|trees|acres|hectares|flights|games|goals"
    r"|points|years|months|weeks|days|hours|minutes|dollars|euros|pounds"
    r"|viewers|visitors|owners|drivers|buyers|investors|shareholders|consumers"
)
_COUNT_GAP_RE = re.compile(
    r"\b(?:[Aa]n[ \t]+estimated|[Aa]s[ \t]+many[ \t]+as|[Nn]early|[Aa]lmost|[Rr]oughly"
    r"|[Aa]pproximately|[Aa]n[ \t]+additional|[Aa][ \t]+further"
    r"|(?:total|average|record|maximum|minimum|tally)[ \t]+of)"
    rf"[ \t]+(?:{_COUNT_NOUNS})\b(?!['’])"
)
# A change "by" a count, or "to" a span of time: "rose by votes", "rose to
# years". "by"/"to" come first in the scan; the verb is looked up afterwards.
_CHANGE_COUNT_RE = re.compile(
    rf"by(?<![\w]by)[ \t]+(?:{_COUNT_NOUNS})\b(?!['’])"
    r"|to(?<![\w]to)[ \t]+(?:years|months|weeks|days|hours|minutes)\b"
)
_CHANGE_VERB_SET = frozenset(
    v for v in _CHANGE_VERBS.replace("\n", "").split("|") if v.isalpha()
)
_TO_SPAN_VERBS = _word_set(
    "rose risen fell fallen increased decreased dropped climbed grew cut"
)


def _rule_missing_figure(masked: str) -> Iterator[_Hit]:
    """A figure dropped after a word that announces one."""
    spans = [
        m.span()
        for pattern in (
            _CHANGE_GAP_RE,
            _CHANGE_END_RE,
            _CHANGE_FAR_RE,
            _OF_GAP_RE,
            _RANGE_GAP_RE,
            _COUNT_GAP_RE,
            _COUNTLESS_RE,
            _BY_NAME_RE,
        )
        for m in pattern.finditer(masked)
    ]
    # Patterns anchored on their last words; the word before is checked here.
    for m in _CHANGE_COUNT_RE.finditer(masked):
        word, _ = _words_before(masked, m.start())
        verbs = _CHANGE_VERB_SET if m.group().startswith("by") else _TO_SPAN_VERBS
        if word in verbs:
            spans.append((m.start() - len(word) - 1, m.end()))
    for m in _SHARE_OF_RE.finditer(masked):
        word, _ = _words_before(masked, m.start())
        if word in _BEFORE_SHARE:
            spans.append((m.start() - len(word) - 1, m.end()))
    for start, end in spans:
        shown = " ".join(masked[start:end].split())
        yield _Hit(
            "missing-figure", start, end, f"A figure seems to be missing in '{shown}'"
        )


# --------------------------------------------------------------------------
# Clock times: ":30 p.m.", "7: p.m.", "at p.m.", "at o'clock", "at GMT".
# --------------------------------------------------------------------------

_AM_PM = r"(?:[ap]\.m\.|[ap]\.m\b|[AP]\.M\.|[ap]m\b|[AP]M\b)"
_TIME_WORDS = r"at|by|until|till|from|to|before|after|around|about|since|between"
_BROKEN_TIME_RE = re.compile(
    # Minutes with no hour: "at :30 p.m.", "(:45)"; or neither: "at : p.m.".
    r":(?<![^\s(\[]:)\d\d(?!\d)"
    r"|:(?<=\b(?:in|at|of)[ \t]:)(?=[ \t]|$)"
    # An hour with a colon and no minutes, or one minute digit: "7: p.m.", "7:3 p.m."
    rf"|:(?<=\d:)(?<!\d\d\d:)\d?(?!\d)[ \t]*{_AM_PM}",
    re.M,
)
# No hour at all: "at p.m.", "until a.m.", "at o'clock", "at GMT". The clock
# word comes first in the scan; the word before it is looked up afterwards.
_CLOCK_WORD_RE = re.compile(
    r"(?:[ap]\.m\.|[ap]\.m\b|[AP]\.M\.|o['’]clock)(?<![\w][ap]\.m\.)(?<![\w]o.clock)"
)
_ZONE_RE = re.compile(
    r"(?:GMT|BST|UTC|ET|EST|EDT|CST|CDT|PST|PDT|CET|CEST|JST|AEST|AEDT)\b"
    r"(?<![\w]GMT)(?<![\w]BST)(?<![\w]UTC)(?<![\w]ET)(?<![\w]EST)"
    r"|local[ \t]+time\b"
)
_BEFORE_CLOCK_WORD = _word_set(_TIME_WORDS.replace("|", " "))
_BEFORE_ZONE = _word_set("at by until till before after around about since")


def _rule_broken_time(masked: str) -> Iterator[_Hit]:
    """A clock time with its hour, minutes or both gone."""
    spans = [m.span() for m in _BROKEN_TIME_RE.finditer(masked)]
    for pattern, words in (
        (_CLOCK_WORD_RE, _BEFORE_CLOCK_WORD),
        (_ZONE_RE, _BEFORE_ZONE),
    ):
        for m in pattern.finditer(masked):
            word, _ = _words_before(masked, m.start())
            if word in words and masked[m.start() - 1] in " \t":
                spans.append((m.start() - len(word) - 1, m.end()))
    for start, end in sorted(spans):
        shown = " ".join(masked[start:end].split())
        yield _Hit(
            "broken-time",
            start,
            end,
            f"This time looks broken: '{shown}'",
        )


# --------------------------------------------------------------------------
# Ordinals: "the th anniversary", "21 st century", "the 3th round".
# --------------------------------------------------------------------------

_BARE_ORDINAL_RE = re.compile(r"(?<![\w'’.-])(?:st|nd|rd|th)(?![\w'’-])(?!\.\w)")
_ORDINAL_RE = re.compile(r"\b(\d+)(st|nd|rd|th)\b")


def _ordinal_suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def _rule_broken_ordinal(masked: str) -> Iterator[_Hit]:
    """An ordinal suffix with no number, or the wrong suffix for its number."""
    for m in _BARE_ORDINAL_RE.finditer(masked):
        yield _Hit(
            "broken-ordinal",
            m.start(),
            m.end(),
            f"'{m.group()}' has no number before it",
        )
    for m in _ORDINAL_RE.finditer(masked):
        digits = m.group(1)
        if len(digits) > 9:
            continue
        right = _ordinal_suffix(int(digits))
        if m.group(2) != right:
            yield _Hit(
                "broken-ordinal",
                m.start(),
                m.end(),
                f"'{m.group()}' should be '{digits}{right}'",
            )


# --------------------------------------------------------------------------
# Dates: "on March , 2024", "the early s", "the 2019- season".
# --------------------------------------------------------------------------

_MONTHS = (
    r"January|February|March|April|June|July|August|September|October|November"
    r"|December|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
_BROKEN_DATE_RE = re.compile(
    # A month with its day gone: "on March , 2024", "March , 2024", "on June ."
    rf"\b(?:(?:{_MONTHS})|May(?=[ \t]+,[ \t]*\d))[ \t]+,(?=[ \t]*\d{{4}})"
    rf"|\bon[ \t]+(?:{_MONTHS})[ \t]*[,;.](?![.\w])"
    # A decade with its digits gone: "the early s", "the mid-s", "the 's".
    r"|\b[Tt]he[ \t]+(?:(?:early|mid|late)[- \t]+)?['’]?s\b(?!['’])"
    # A season or year range with its end gone: "the 2019- season".
    r"|\b(?:1[89]|20)\d\d[-–/](?=[ \t]+(?!and\b|or\b|to\b)[a-z])"
)


def _rule_broken_date(masked: str) -> Iterator[_Hit]:
    """A date with its day, year or decade gone."""
    for m in _BROKEN_DATE_RE.finditer(masked):
        yield _Hit(
            "broken-date",
            m.start(),
            m.end(),
            f"Part of a date seems to be missing in '{' '.join(m.group().split())}'",
        )


# --------------------------------------------------------------------------
# Names: "Mr. said", "Dr ,", '"We will appeal," said .'
# --------------------------------------------------------------------------

_TITLES = r"Mr|Mrs|Ms|Mx|Dr|Prof|Sen|Rep|Gov|Lt|Capt|Sgt|Cllr|Rev|Insp|Supt|Det"
_MISSING_NAME_RE = re.compile(
    rf"\b(?:{_TITLES})\b(?:\.[ \t]*|[ \t]+|)"
    r"(?:[,;:)]|(?<=[ \t.])\.(?![.\w])|(?<=[ \t.])(?:said|says|told|who|was|is"
    r"|has|had|will|would|also|added|declined|did|does|and[ \t]+(?:his|her|their))\b)"
    # A quotation's attribution with no speaker: '"We will appeal," said .'
    r"|[,?!][\"”][ \t]+(?:said|says|added|wrote|asked|told[ \t]+reporters)[ \t]*"
    r"[.,;](?![.\w])"
)


def _rule_missing_name(masked: str) -> Iterator[_Hit]:
    """A courtesy title or a quotation's attribution with the name gone."""
    for m in _MISSING_NAME_RE.finditer(masked):
        yield _Hit(
            "missing-name",
            m.start(),
            m.end(),
            f"A name seems to be missing in '{' '.join(m.group().split())}'",
        )


# --------------------------------------------------------------------------
# Scores and votes: "a 2- win", "a -1 defeat", "won 3-", "a - vote".
# --------------------------------------------------------------------------

_OUTCOMES = (
    r"win|wins|victory|defeat|loss|draw|lead|margin|vote|decision|ruling"
    r"|majority|scoreline|thrashing|rout|triumph|success|setback|result|tie"
)
_BROKEN_SCORE_RE = re.compile(
    r"\b(?:a|an|the|their|his|her|its|our)[ \t]+"
    r"(?:\d+[-–](?![\d\w])|[-–]\d+\b|[-–](?=[ \t]))"
    rf"[ \t]*(?:{_OUTCOMES})\b"
    r"|\b(?:won|lost|drew|voted|finished|ended|trailed|led)[ \t]+"
    r"\d+[-–](?![\d\w])(?![ \t]+(?:and|or|to)\b)"
    r"|\b(?:won|lost|drew)[ \t]+[-–]\d+\b"
)


def _rule_broken_score(masked: str) -> Iterator[_Hit]:
    """A score or vote tally with one side gone."""
    for m in _BROKEN_SCORE_RE.finditer(masked):
        yield _Hit(
            "broken-score",
            m.start(),
            m.end(),
            f"A score seems to be missing a number: '{' '.join(m.group().split())}'",
        )


# --------------------------------------------------------------------------
# Template and code placeholders: %s, {0}, {name}, ${VAR}, $VAR, {{ x }}, <%= %>.
# --------------------------------------------------------------------------

_TEMPLATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (guard, re.compile(pattern))
    for guard, pattern in (
        # {{ x }}, {0}, {name}, ${VAR}, #{var}, {% if %}
        ("{", r"\{(?:\{[^{}\n]{0,80}\}|[^{}\n]{0,80})\}"),
        ("<%", r"<%[^%\n]{0,80}%>"),  # <%= name %>
        ("[[", r"\[\[[^\[\]\n]{1,60}\]\]"),  # [[name]]
        ("<<", r"<<[^<>\n]{1,60}>>"),  # <<NAME>>
        # %s, %d, %(name)s, %1$s, %VAR%
        (
            "%",
            r"%(?<![\w.]%)(?:(?:\([\w.]{1,30}\))?[-+0#]?\d{0,3}(?:\.\d{1,2})?"
            r"[sdifrxXeEgGcu]\b|\d\$[sd]\b|[A-Z][A-Z0-9_]{1,30}%)",
        ),
        # $VAR, $name — not "$bn" (a lost figure) or "$US3bn"
        (
            "$",
            rf"\$(?!(?:{_MAGNITUDES})\b|[A-Z]{{1,3}}\d)[A-Za-z_][A-Za-z0-9_]{{0,30}}\b",
        ),
    )
)


def _rule_template_placeholder(masked: str) -> Iterator[_Hit]:
    """A variable of a template or format string left in the copy."""
    for guard, pattern in _TEMPLATE_PATTERNS:
        if guard not in masked:
            continue
        for m in pattern.finditer(masked):
            start = m.start()
            if masked[start] == "{" and start > 0 and masked[start - 1] in "$#":
                start -= 1  # "${VAR}", "#{var}": the sign belongs to it
            shown = masked[start : m.end()]
            yield _Hit(
                "template-placeholder",
                start,
                m.end(),
                f"Template placeholder '{shown}' is still in the text: "
                "fill in the value",
            )


# --------------------------------------------------------------------------
# Every prose rule: its name, severity, the reason shown, and why.
# --------------------------------------------------------------------------

_LOST = (
    "a reader would see a sentence with a hole in it, and a wrong or missing "
    "fact cannot be published"
)
_MECHANICAL = (
    "a typo that reads badly but loses no fact, and it has sound uses often "
    "enough that blocking would stop good copy"
)
RULES: dict[str, Rule] = catalogue(
    Rule("lost-value", ERROR, "A date, name or word is missing here", _LOST),
    Rule("empty-label", ERROR, "A label has no value after it", _LOST),
    Rule("empty-brackets", ERROR, "Brackets or quotation marks are empty", _LOST),
    Rule(
        "placeholder",
        ERROR,
        "A writer's placeholder (TK, XX, [date], TBD, lorem ipsum) is still here",
        "a placeholder is by definition unfinished copy",
    ),
    Rule(
        "template-placeholder",
        ERROR,
        "A template or format-string variable ({name}, %s, $VAR) is still here",
        "a variable that was never filled in means the value is missing",
    ),
    Rule(
        "missing-number",
        ERROR,
        "A unit, currency or magnitude has no figure ('$ million', '%')",
        _LOST,
    ),
    Rule(
        "missing-figure",
        ERROR,
        "A figure is missing after a word that announces one ('rose by in')",
        _LOST,
    ),
    Rule(
        "broken-time",
        ERROR,
        "A clock time lost its hour or minutes (':30 p.m.', 'at p.m.')",
        "a wrong time sends readers to the wrong place at the wrong time",
    ),
    Rule(
        "broken-ordinal",
        ERROR,
        "An ordinal lost its number or has the wrong suffix ('the th', '3th')",
        _LOST,
    ),
    Rule(
        "broken-date",
        ERROR,
        "A date lost its day, year or decade ('March , 2024', 'the early s')",
        _LOST,
    ),
    Rule(
        "missing-name",
        ERROR,
        "A title or attribution has no name ('Mr. said', '\" said .')",
        "an unattributed quote or a nameless person is a factual gap",
    ),
    Rule(
        "broken-score",
        ERROR,
        "A score or vote tally lost a number ('a 2- win')",
        _LOST,
    ),
    Rule("doubled-word", WARNING, "The same word twice in a row", _MECHANICAL),
    Rule("doubled-space", WARNING, "Two spaces in a row", _MECHANICAL),
    Rule("doubled-punctuation", WARNING, "Punctuation typed twice", _MECHANICAL),
    Rule(
        "space-before-punctuation",
        WARNING,
        "A space before punctuation",
        _MECHANICAL,
    ),
    Rule(
        "unbalanced-quotes",
        WARNING,
        "A quotation mark is not closed or not opened",
        "quotes may run over paragraphs and inches use '\"': too many sound "
        "uses to block on",
    ),
    Rule(
        "unbalanced-brackets",
        WARNING,
        "A bracket is not closed or not opened",
        "list labels such as 'a)' and smileys are sound: advice only",
    ),
)

_PROSE_RULES = (
    _rule_lost_value,
    _rule_empty_label,
    _rule_empty_brackets,
    _rule_placeholder,
    _rule_template_placeholder,
    _rule_missing_number,
    _rule_missing_figure,
    _rule_broken_time,
    _rule_broken_ordinal,
    _rule_broken_date,
    _rule_missing_name,
    _rule_broken_score,
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


def lead(text: str) -> str:
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
    # A text with thousands of the same problem needs only the first few shown;
    # stopping early also keeps a pathological text cheap.
    hits = {
        hit for rule in _PROSE_RULES for hit in islice(rule(masked), _MAX_HITS_PER_RULE)
    }
    return [
        Finding(
            rule=hit.rule,
            severity=RULES[hit.rule].severity,
            block=block,
            field=field,
            start=hit.start,
            end=hit.end,
            quote=_quote(text, hit.start, hit.end),
            message=hit.message,
        )
        for hit in sorted(hits, key=lambda h: (h.start, h.end, h.rule))
    ]
