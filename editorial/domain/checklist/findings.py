"""What every checklist rule shares: severities, the rule record and a finding.

An error blocks `Submit for review`, `Publish` and `Publish update`; a warning is
advice the writer may ignore. Each rule says which it is and why (`Rule.why`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    """One named checklist rule."""

    name: str
    severity: str
    reason: str  # one line shown to the writer: what is wrong
    why: str  # why this rule is an error (blocks) or a warning (advice)


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


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding blocks publishing."""
    return any(f.severity == ERROR for f in findings)


def catalogue(*rules: Rule) -> dict[str, Rule]:
    """Rules by name; a name used twice is a programming error."""
    table: dict[str, Rule] = {}
    for rule in rules:
        if rule.name in table or rule.severity not in (ERROR, WARNING):
            raise ValueError(f"bad rule {rule.name!r}")
        table[rule.name] = rule
    return table
