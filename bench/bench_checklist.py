"""Benchmark: check_article on a ~5,000-word article; prints median and p95 in ms.

Run from the repository root: python bench/bench_checklist.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

# Import this checkout's package, not whichever copy is installed in the venv.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from editorial.domain.checklist import check_article
from editorial.domain.content import ArticleContent, Faq, Section

RUNS = int(__import__("os").environ.get("RUNS", "200"))
TARGET_WORDS = 5_000

# Realistic paragraphs with the things the guards must let through: abbreviations,
# times, decimals, quotes over several paragraphs, ellipses, idioms, Markdown.
PARAGRAPHS = (
    "The Harbor City council voted 7-2 on Tuesday night to approve a $48.5 "
    "million plan to rebuild the Eastside water treatment plant, ending a debate "
    "that had dragged on for more than two years. The vote came at 10:45 p.m., "
    "after nearly four hours of public comment in a packed chamber.",
    "Under the plan, the city will borrow $31.2 million through a U.S. "
    "Environmental Protection Agency loan program and cover the rest with a 3.5% "
    "increase in water rates, phased in over three years.",
    "The main pieces of the project are:\n\n"
    "- a new filtration building to replace the 1962 structure;\n"
    "- **two backup generators**, so the plant can keep running during storms;\n"
    "- a lead service line inventory covering roughly 14,000 homes.",
    '"We heard people tonight, and we heard them clearly," Okafor told reporters '
    'after the meeting. "Nobody likes paying more for water. But the alternative '
    "... is a boil-water notice in the middle of August.\n\n"
    '"I am not willing to gamble on a third."',
    "Utility director Priya Raman said her staff had looked at cheaper options, "
    "e.g. repairing the existing filters, but found they would only buy the "
    'plant five to seven years. "It is what it is made of that determines how '
    'long it lasts," she said.',
    '"They keep saying the lights went on and everything is fine, so carry on," '
    "said Marcus Bell, who leads a tenants' group on the east side. Bell said "
    "his group would hold a forum at 6:30 p.m. next Thursday.",
    "Residents can read the full engineering study on the [city's website]"
    "(https://www.example.gov/water/eastside-plan_(final).pdf) and sign up for "
    "alerts at https://alerts.example.gov/water before 5 p.m. on January 14.",
    "1. **January 15:** bids open for the filtration building.\n"
    "2. **March 3:** the council is scheduled to award the contract.\n"
    "3. **June:** construction begins; the old plant keeps running.",
    "A 2023 report by the American Society of Civil Engineers gave U.S. "
    "drinking-water infrastructure a C-minus grade. Many mid-sized cities are "
    "now facing the same choice between raising rates and waiting for federal "
    "money that may or may not arrive... and so on.",
    "The previous upgrade, in 1988, cost $6.2 million (about $16 million in "
    "today's dollars) and was paid for entirely with state grants. *Those grants "
    "no longer exist*, Raman noted. Later on, the council moved on.",
)


def build_article(target_words: int = TARGET_WORDS) -> ArticleContent:
    """An article of about target_words words spread over eight sections."""
    sections: list[Section] = []
    words = 0
    paragraphs: list[str] = []
    i = 0
    while words < target_words:
        paragraph = PARAGRAPHS[i % len(PARAGRAPHS)]
        paragraphs.append(paragraph)
        words += len(paragraph.split())
        i += 1
    per_section = -(-len(paragraphs) // 8)
    for n in range(8):
        chunk = paragraphs[n * per_section : (n + 1) * per_section]
        if chunk:
            sections.append(Section(f"Part {n + 1}: the plan", "\n\n".join(chunk)))
    return ArticleContent(
        title="Harbor City approves $48.5 million rebuild of Eastside water plant",
        category_id=1,
        summary=(
            "The council voted 7-2 on Tuesday to rebuild the Eastside water "
            "treatment plant for $48.5 million, paid for with a federal loan and "
            "a 3.5% rate increase."
        ),
        sections=tuple(sections),
        takeaways=(
            "The council approved the $48.5 million rebuild by a 7-2 vote.",
            "Water rates will rise 3.5%, about $2.10 a month for a typical home.",
            "Construction is expected to begin in June.",
        ),
        faqs=(
            Faq("How much will my bill go up?", "About $2.10 a month by 2027."),
            Faq("When will the new plant open?", "In late 2027."),
        ),
    )


def _median_ms(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def worst_inputs() -> None:
    """The pathological inputs of the tests, one 100,000-character section
    each, timed as whole articles: the cost per character must stay flat."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_checklist import PATHOLOGICAL

    rows = []
    for name, text in PATHOLOGICAL.items():
        body = (text * (100_000 // max(len(text), 1) + 1))[:100_000]
        content = ArticleContent(
            title="T",
            category_id=1,
            summary="S.",
            sections=(Section("Part", body),),
            takeaways=("A.", "B.", "C."),
        )
        rows.append((_median_ms(lambda c=content: check_article(c), 5), name))
    rows.sort(reverse=True)
    print("worst inputs (100,000 characters, median of 5):")
    for ms, name in rows[:5]:
        print(f"  {name}: {ms:.1f} ms")


def main() -> None:
    """Time check_article and print the results."""
    article = build_article()
    words = sum(len(s.body.split()) for s in article.sections)
    findings = check_article(article)
    for _ in range(10):  # warm-up
        check_article(article)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        check_article(article)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"article: {words} words in {len(article.sections)} sections")
    print(f"findings: {len(findings)}")
    print(f"runs: {RUNS}")
    print(f"median: {statistics.median(times):.2f} ms")
    print(f"p95: {p95:.2f} ms")
    print(f"per 1,000 words: {statistics.median(times) * 1000 / words:.2f} ms")
    if "--worst" in sys.argv:
        worst_inputs()


if __name__ == "__main__":
    main()
