"""The realistic benchmark's traffic has the shape it claims: Zipf (s = 1) over
the archive by recency, 10% listings."""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.realistic import draw  # noqa: E402

ARTICLES = [f"/articles/a-{rank}" for rank in range(1, 1001)]
CATEGORIES = [f"/categories/c-{n}" for n in range(8)]


def test_articles_follow_zipf_by_rank_and_a_tenth_are_listings():
    paths = draw(ARTICLES, CATEGORIES, 200_000, random.Random(3))
    counts = Counter(paths)
    harmonic = sum(1 / r for r in range(1, 1001))  # 7.485 for 1,000 ranks
    articles = sum(v for k, v in counts.items() if k.startswith("/articles/"))
    listings = len(paths) - articles
    assert abs(listings / len(paths) - 0.10) < 0.005
    assert abs(counts["/"] / listings - 0.5) < 0.02
    # Rank r is read about 1 / (r * H) of the time: rank 1 about 13.4%, rank 10
    # a tenth of that, and the long tail is reached.
    assert abs(counts[ARTICLES[0]] / articles - 1 / harmonic) < 0.005
    assert 8 < counts[ARTICLES[0]] / counts[ARTICLES[9]] < 12
    assert counts[ARTICLES[-1]] > 0
    assert all(p in ARTICLES or p in CATEGORIES or p == "/" for p in counts)
