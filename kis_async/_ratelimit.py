"""Client-side rate limiting: at most ``rate`` requests in any one-second window per app key.

KIS counts requests per app key (real 20/s, paper 2/s) and answers the excess with ``EGW00201``.
The limiter hands out send slots in order (no thundering herd): each caller reserves the earliest
slot that keeps the last ``rate`` sends within the window, then sleeps until it. Clients of one
app key in one process share a limiter (:func:`shared_limiter`).
"""

from __future__ import annotations

import asyncio
import collections
import time
import weakref

#: Slack added to the one-second window, so that network jitter never lets KIS see ``rate + 1``.
WINDOW_MARGIN = 0.02

DEFAULT_RATES = {"real": 20.0, "paper": 2.0}


class RateLimiter:
    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.rate = rate
        self._capacity = max(1, int(rate))
        self._window = self._capacity / rate + WINDOW_MARGIN
        self._slots: collections.deque[float] = collections.deque()
        self.waited = 0.0
        """Total seconds callers spent waiting (for stats and benchmarks)."""

    def reserve(self) -> float:
        """Reserve the next send slot; returns how long to wait for it (seconds)."""
        now = time.monotonic()
        slots = self._slots
        while slots and slots[0] <= now - self._window:
            slots.popleft()
        if len(slots) < self._capacity:
            slot = max(now, slots[-1] if slots else now)
        else:
            slot = max(now, slots[-self._capacity] + self._window, slots[-1])
        slots.append(slot)
        return slot - now

    async def acquire(self) -> None:
        delay = self.reserve()
        if delay > 0:
            self.waited += delay
            await asyncio.sleep(delay)


_shared: weakref.WeakValueDictionary[tuple[str, float], RateLimiter] = weakref.WeakValueDictionary()


def shared_limiter(key: str, rate: float) -> RateLimiter:
    """The process-wide limiter for ``key`` (app key + environment) at ``rate``."""
    limiter = _shared.get((key, rate))
    if limiter is None:
        limiter = RateLimiter(rate)
        _shared[(key, rate)] = limiter
    return limiter
