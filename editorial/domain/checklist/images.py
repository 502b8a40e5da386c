"""The lead image rules (PRODUCT.md section 12): alt text present and
meaningful, and an image wide enough for search engines and social cards."""

from __future__ import annotations

from editorial.domain import blocks
from editorial.domain.checklist.findings import ERROR, WARNING, Finding, Rule, catalogue
from editorial.domain.checklist.prose import lead
from editorial.domain.content import ArticleContent

BLOCK = blocks.LEAD_IMAGE.label
ALT = blocks.LEAD_IMAGE.field("alt").dom_id
RECOMMENDED_WIDTH = 1200

RULES: dict[str, Rule] = catalogue(
    Rule(
        "missing-alt",
        ERROR,
        "The lead image has no alt text",
        "readers who cannot see the picture would get nothing in its place",
    ),
    Rule(
        "weak-alt",
        WARNING,
        "The alt text is a file name or just a word like “image”",
        "it says nothing about the picture, but the page is not broken",
    ),
    Rule(
        "small-image",
        WARNING,
        "The lead image is narrower than 1200 px",
        "search engines and social cards prefer large images; readers still see it",
    ),
)

_GENERIC = frozenset(["image", "photo", "picture", "img", "photograph", "pic"])
_EXTENSIONS = frozenset(["jpg", "jpeg", "png", "webp", "gif", "heic", "tif", "tiff"])


def is_weak_alt(alt: str, original_name: str = "") -> bool:
    """Alt text that describes nothing: a file name, or just "image"/"photo"."""
    text = alt.strip().lower()
    if not text:
        return False
    stem = original_name.strip().lower()
    if stem and (text == stem or text == stem.rsplit(".", 1)[0]):
        return True
    if text.rstrip(".") in _GENERIC:
        return True
    # Looks like a file name ("IMG_2041.jpg", "dsc0012.png").
    return "." in text and text.rsplit(".", 1)[1] in _EXTENSIONS


def _finding(rule: str, field: str, quote: str, message: str) -> Finding:
    return Finding(rule, RULES[rule].severity, BLOCK, field, 0, 0, quote, message)


def check_lead_image(content: ArticleContent) -> list[Finding]:
    """The lead image's findings (none without an image)."""
    image = content.lead_image
    if image is None:
        return []
    found: list[Finding] = []
    if not image.alt.strip():
        found.append(
            _finding(
                "missing-alt",
                ALT,
                "",
                "The lead image has no alt text: describe what it shows",
            )
        )
    elif is_weak_alt(image.alt, image.original_name):
        found.append(
            _finding(
                "weak-alt",
                ALT,
                lead(image.alt),
                "The alt text does not describe the picture (a file name or "
                "just a word like “image”)",
            )
        )
    if image.width < RECOMMENDED_WIDTH:
        found.append(
            _finding(
                "small-image",
                "lead-image-file",
                f"{image.width} × {image.height} px",
                f"The lead image is {image.width} px wide; search engines and "
                f"social cards want at least {RECOMMENDED_WIDTH} px",
            )
        )
    return found
