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
ALT_MAX = 250
CAPTION_MAX = 500
CREDIT_MAX = 200

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
class Rendition:
    """One stored file of an image: its name, what it is for, size and type."""

    name: str
    kind: str  # "webp" (srcset), "jpeg" (fallback), "crop-16x9"…, "thumb"
    width: int
    height: int
    mime: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rendition:
        return cls(
            name=str(data["name"]),
            kind=str(data["kind"]),
            width=int(data["width"]),
            height=int(data["height"]),
            mime=str(data["mime"]),
        )


@dataclass(frozen=True)
class LeadImage:
    """The article's lead image: which upload, and the words that go with it."""

    media_id: int
    alt: str = ""
    caption: str = ""
    credit: str = ""
    width: int = 0  # of the (oriented) original
    height: int = 0
    original_name: str = ""
    renditions: tuple[Rendition, ...] = ()

    def of_kind(self, kind: str) -> Rendition | None:
        return next((r for r in self.renditions if r.kind == kind), None)

    @property
    def srcset(self) -> tuple[Rendition, ...]:
        """The WebP sizes, narrowest first."""
        return tuple(
            sorted(
                (r for r in self.renditions if r.kind == "webp"), key=lambda r: r.width
            )
        )

    @property
    def fallback(self) -> Rendition | None:
        return self.of_kind("jpeg")

    @property
    def crops(self) -> tuple[Rendition, ...]:
        """16:9, 4:3 and 1:1, in that order (those that exist)."""
        found = (self.of_kind(f"crop-{k}") for k in ("16x9", "4x3", "1x1"))
        return tuple(r for r in found if r is not None)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LeadImage:
        return cls(
            media_id=int(data["media_id"]),
            alt=str(data.get("alt", "")),
            caption=str(data.get("caption", "")),
            credit=str(data.get("credit", "")),
            width=int(data.get("width", 0)),
            height=int(data.get("height", 0)),
            original_name=str(data.get("original_name", "")),
            renditions=tuple(
                Rendition.from_dict(r) for r in data.get("renditions", ())
            ),
        )


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
    lead_image: LeadImage | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists)."""
        data = asdict(self)
        data["sections"] = [asdict(s) for s in self.sections]
        data["takeaways"] = list(self.takeaways)
        data["faqs"] = [asdict(f) for f in self.faqs]
        if self.lead_image is None:
            # Documents without an image stay exactly as they were before images.
            del data["lead_image"]
        else:
            image = asdict(self.lead_image)
            image["renditions"] = [asdict(r) for r in self.lead_image.renditions]
            data["lead_image"] = image
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
            lead_image=(
                LeadImage.from_dict(data["lead_image"])
                if data.get("lead_image")
                else None
            ),
        )

    @classmethod
    def from_json(cls, text: str) -> ArticleContent:
        """Inverse of `to_json`."""
        return cls.from_dict(json.loads(text))
