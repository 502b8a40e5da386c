"""ArticleContent: the one shape of an article's text.

The working copy (article row plus child rows), every revision (a JSON document)
and the published snapshot all convert to and from this value, so the checklist,
the diff, the preview and the reader page share one definition of "an article".
This module imports neither Flask nor the database.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

# Limits from PRODUCT.md sections 2 and 3. Forms refuse values past them; the
# checklist repeats them for anything that reaches an article another way.
TITLE_MAX = 200
SUMMARY_MAX = 500
HEADING_MAX = 200
BODY_MAX = 50_000
TAKEAWAY_MAX = 280
TAKEAWAYS_MIN = 3
TAKEAWAYS_MAX = 7
FAQ_MAX = 10
QUESTION_MAX = 300
ANSWER_MAX = 2_000
SECTIONS_MAX = 30
NOTE_MAX = 2_000

DEFAULT_SECTION_HEADINGS: tuple[str, ...] = (
    "What Happened / Key Details",
    "Official Position / Company Statement",
    "Timeline / What's Next",
    "Context / Background",
)


@dataclass(frozen=True)
class Section:
    """One body section: a heading and a Markdown body."""

    heading: str
    body: str


@dataclass(frozen=True)
class Faq:
    """One People Also Ask pair."""

    question: str
    answer: str


@dataclass(frozen=True)
class ArticleContent:
    """Everything an author writes, in reading order."""

    title: str = ""
    category_id: int | None = None
    category_name: str = ""
    summary: str = ""
    sections: tuple[Section, ...] = field(default_factory=tuple)
    takeaways: tuple[str, ...] = field(default_factory=tuple)
    faqs: tuple[Faq, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists)."""
        data = asdict(self)
        data["sections"] = [asdict(s) for s in self.sections]
        data["takeaways"] = list(self.takeaways)
        data["faqs"] = [asdict(f) for f in self.faqs]
        return data

    def to_json(self) -> str:
        """Serialise for a revision row; keys sorted so equal content is equal text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleContent:
        """Build from a dict as written by `to_dict` (missing keys take defaults)."""
        return cls(
            title=str(data.get("title", "")),
            category_id=data.get("category_id"),
            category_name=str(data.get("category_name", "")),
            summary=str(data.get("summary", "")),
            sections=tuple(
                Section(heading=str(s.get("heading", "")), body=str(s.get("body", "")))
                for s in data.get("sections", ())
            ),
            takeaways=tuple(str(t) for t in data.get("takeaways", ())),
            faqs=tuple(
                Faq(
                    question=str(f.get("question", "")), answer=str(f.get("answer", ""))
                )
                for f in data.get("faqs", ())
            ),
        )

    @classmethod
    def from_json(cls, text: str) -> ArticleContent:
        """Inverse of `to_json`."""
        return cls.from_dict(json.loads(text))
