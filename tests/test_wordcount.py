"""Word count and reading time of an article."""

from __future__ import annotations

from editorial.domain.content import ArticleContent, Faq, Section
from editorial.domain.wordcount import article_words, count_words, reading_minutes


def test_words_ignore_markdown_marks():
    assert count_words("**Bold** move, [a link](https://x.example) - and *so* on.") == 7
    assert count_words("Don't x-ray the well-known 2,000 cases") == 6
    assert count_words("", "  ", "> # -") == 0
    assert count_words("See https://example.com/a-b now") == 2


def test_article_words_count_every_block_a_reader_reads():
    content = ArticleContent(
        title="Budget passes",
        summary="The council approved it.",
        sections=(Section("What Happened", "Nine votes to four."),),
        takeaways=("Fares stay.",),
        faqs=(Faq("When?", "In January."),),
    )
    assert article_words(content) == 2 + 4 + 2 + 4 + 2 + 1 + 2


def test_reading_time_rounds_up_at_230_words_a_minute():
    assert reading_minutes(0) == 0
    assert reading_minutes(1) == 1
    assert reading_minutes(230) == 1
    assert reading_minutes(231) == 2
    assert reading_minutes(2300) == 10
