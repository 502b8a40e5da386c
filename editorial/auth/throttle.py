"""Throttling of password checks (PRODUCT.md section 8), counted before checking.

Each attempt takes its place in the counters *before* the password is verified
(an atomic increment in Flask-Limiter's storage: a lock in memory://, INCRBY in
Redis), so N parallel attempts can never get more than the limit checked. An
attempt that succeeds, or that was refused without being checked, gives its
place back: only failures use up the limit.

Limits: 5 failures per (username, address) and 30 per address in 15 minutes for
logins; 5 wrong current passwords per user in 15 minutes for a password change.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from limits import RateLimitItem, parse

from editorial.extensions import limiter

PAIR_LIMIT = parse("5/15 minutes")
ADDRESS_LIMIT = parse("30/15 minutes")
PASSWORD_CHANGE_LIMIT = parse("5/15 minutes")

Key = tuple[RateLimitItem, tuple[str, ...]]


@dataclass
class Attempt:
    """One counted attempt: `minutes` > 0 means refused without checking."""

    keys: Sequence[Key]
    minutes: int = 0
    _taken: list[Key] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return self.minutes > 0

    def succeeded(self) -> None:
        """The password was right: this attempt does not count as a failure."""
        _give_back(self._taken)
        self._taken.clear()

    @property
    def message(self) -> str:
        n = self.minutes
        return f"Too many attempts — try again in {n} minute{'s' if n != 1 else ''}."


def _give_back(keys: Sequence[Key]) -> None:
    for limit, identifiers in keys:
        limiter.limiter.hit(limit, *identifiers, cost=-1)


def _minutes_left(limit: RateLimitItem, identifiers: tuple[str, ...]) -> int:
    reset = limiter.limiter.get_window_stats(limit, *identifiers).reset_time
    return max(1, math.ceil((reset - time.time()) / 60))


def attempt(keys: Sequence[Key]) -> Attempt:
    """Count an attempt against every key, widest first; refuse past any limit.

    Refused by a narrower key, the attempt gives back its place in the wider
    ones (it was never checked). Refused by a key, it keeps that key's count:
    the counter is already past its limit.
    """
    result = Attempt(keys)
    for limit, identifiers in keys:
        if not limiter.limiter.hit(limit, *identifiers):
            _give_back(result._taken)
            result._taken.clear()
            result.minutes = _minutes_left(limit, identifiers)
            return result
        result._taken.append((limit, identifiers))
    return result


def login_keys(username: str, address: str) -> list[Key]:
    """The address as a whole, then this username from this address."""
    name = username.strip().lower()[:64] if isinstance(username, str) else ""
    return [
        (ADDRESS_LIMIT, ("login-address", address)),
        (PAIR_LIMIT, ("login-pair", name, address)),
    ]


def password_change_keys(user_id: int) -> list[Key]:
    return [(PASSWORD_CHANGE_LIMIT, ("password-change", str(user_id)))]
