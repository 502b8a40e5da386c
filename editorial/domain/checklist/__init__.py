"""The pre-publish checklist: findings about an article's structure and prose.

`prose` holds the sentence-level rules over plain text (`check_text`); `article`
the table-driven rules about an article's parts and limits (`check_article`).
Errors block `Submit for review`, `Publish` and `Publish update`; warnings are
advice. `RULES` maps each rule's name to its severity; `CATALOGUE` holds the
whole rule (reason shown to the writer, and why it is an error or a warning).
"""

from editorial.domain.checklist import article, images, prose
from editorial.domain.checklist.article import check_article
from editorial.domain.checklist.findings import (
    ERROR,
    WARNING,
    Finding,
    Rule,
    has_errors,
)
from editorial.domain.checklist.prose import check_text

CATALOGUE: dict[str, Rule] = {**article.RULES, **images.RULES, **prose.RULES}
RULES: dict[str, str] = {name: rule.severity for name, rule in CATALOGUE.items()}

__all__ = [
    "CATALOGUE",
    "ERROR",
    "RULES",
    "WARNING",
    "Finding",
    "Rule",
    "check_article",
    "check_text",
    "has_errors",
]
