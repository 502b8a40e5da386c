"""Word count and reading time of an article's text, shown in the editor.

Counts what readers read: the title, the Quick summary, each section's heading
and body, the takeaways and the questions with their answers. Plain Python.
"""

from __future__ import annotations

import re

from editorial.domain.content import ArticleContent

# A word: letters or digits, with inner apostrophes or hyphens ("don't", "x-ray")
# or digit group marks ("2,000"); Markdown marks (*, #, >, -) are not words, nor
# are a link's address or a bare URL.
_WORD = re.compile(r"\w+(?:(?:['’\-]|(?<=\d)[,.](?=\d))\w+)*", re.UNICODE)
_ADDRESS = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<?\b(?:https?://|mailto:)\S+")
WORDS_PER_MINUTE = 230


def count_words(*texts: str) -> int:
    """Words in the given texts."""
    return sum(len(_WORD.findall(_ADDRESS.sub(" ", text))) for text in texts)


def article_words(content: ArticleContent) -> int:
    """Words of everything a reader of the article reads."""
    texts = [content.title, content.summary]
    texts += [f"{s.heading}\n{s.body}" for s in content.sections]
    texts += list(content.takeaways)
    texts += [f"{f.question}\n{f.answer}" for f in content.faqs]
    return count_words(*texts)


def reading_minutes(words: int) -> int:
    """Minutes an adult reader needs, rounded up; 0 only for no text at all."""
    if words <= 0:
        return 0
    return -(-words // WORDS_PER_MINUTE)
