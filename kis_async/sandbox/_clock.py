"""The sandbox's clock: a KST instant that starts where the test says and runs with real time.

``Sandbox(now=datetime(2026, 12, 5, 10, 0, tzinfo=KST))`` puts the sandbox on a Saturday morning;
the clock then runs forward at the real pace (a bot that sleeps a minute sees a minute pass), and
``sb.set_time(...)``/``sb.advance(...)`` jump it. Everything the sandbox reasons about in dates
(the trading day, sessions, order dates, chart ranges) reads this clock, never the machine's.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from kis_async._calendar import KST, now_kst


class SandboxClock:
    """A KST clock that starts at ``start`` (default: the real time) and runs with real time."""

    def __init__(
        self, start: dt.datetime | None = None, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._monotonic = monotonic
        self._origin = _aware(start) if start is not None else now_kst()
        self._since = monotonic()

    def now(self) -> dt.datetime:
        """The sandbox's current instant, in KST."""
        return self._origin + dt.timedelta(seconds=self._monotonic() - self._since)

    def today(self) -> dt.date:
        """The sandbox's current date in KST."""
        return self.now().date()

    def set(self, at: dt.datetime) -> None:
        """Jump to ``at`` (timezone-aware); the clock runs on from there."""
        self._origin = _aware(at)
        self._since = self._monotonic()

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock forward (or back, with a negative ``delta``)."""
        self.set(self.now() + delta)

    def __repr__(self) -> str:
        return f"SandboxClock({self.now().isoformat(timespec='seconds')})"


def _aware(at: dt.datetime) -> dt.datetime:
    if not isinstance(at, dt.datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(
            f"the sandbox clock needs a timezone-aware datetime (e.g. tzinfo=kis_async.KST), got {at!r}"
        )
    return at.astimezone(KST)
