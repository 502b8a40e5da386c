"""Domain errors: each names why an action was refused.

An error handler in the app turns each into the right status and message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class DomainError(Exception):
    """Base of every refusal the domain raises."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing does not exist, or the user may not know that it does."""

    status = 404


class Gone(DomainError):
    """The thing existed but is no more (a revoked or expired preview link)."""

    status = 410


class NotAllowed(DomainError):
    """The policy refuses this user this action."""

    status = 403


class IllegalTransition(DomainError):
    """The action does not apply to the article's current state."""

    status = 409


class StaleVersion(DomainError):
    """The article changed since the actor loaded it (workflow actions)."""

    status = 409
    DEFAULT = (
        "This article changed since you opened it. Review the latest version, "
        "then try again."
    )

    def __init__(self, message: str = DEFAULT) -> None:
        super().__init__(message)


class StaleBlock(DomainError):
    """A block changed since the editor loaded it; nothing was overwritten."""

    status = 409

    def __init__(
        self,
        block: str,
        *,
        changed_by: str | None,
        changed_at: datetime | None,
        removed: bool = False,
    ) -> None:
        who = changed_by or "someone else"
        if removed:
            message = f"{block} was removed by {who} while you were editing it."
        else:
            message = f"{block} was changed by {who} while you were editing it."
        super().__init__(message)
        self.block = block
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.removed = removed


class InvalidInput(DomainError):
    """A value is refused; `field` names the form field the message belongs to."""

    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ChecklistFailed(DomainError):
    """The pre-publish checklist has errors; `findings` lists them all."""

    status = 422

    def __init__(self, findings: list[Any]) -> None:
        errors = [f for f in findings if getattr(f, "severity", "error") == "error"]
        super().__init__(
            f"The checklist found {len(errors)} "
            f"error{'s' if len(errors) != 1 else ''} to fix first."
        )
        self.findings = findings
