"""Client-side rate limiting: at most ``rate`` requests in any one-second window per app key.

KIS counts requests per app key (real 20/s, paper 2/s) and answers the excess with ``EGW00201``.
The limiter lets callers through one at a time, in arrival order (no thundering herd): a caller
waits until the last ``capacity`` sends are all older than the window, then records the moment it
actually goes. Recording the real send time (not a slot planned in advance) keeps the guarantee
when the event loop is late to wake a sleeper. Clients of one app key in one process share a
limiter (:func:`shared_limiter`).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
import weakref
from collections.abc import Awaitable, Callable

logger = logging.getLogger("kis_async")

#: Slack added to the one-second window, so that network jitter never lets KIS see ``rate + 1``.
WINDOW_MARGIN = 0.05

DEFAULT_RATES = {"real": 20.0, "paper": 2.0}

Sleep = Callable[[float], Awaitable[None]]


class RateLimiter:
    """At most ``capacity`` sends in any window of ``capacity / rate`` seconds (+ margin).

    For ``rate >= 1`` the capacity is ``int(rate)`` and the window about one second, so bursts
    of up to ``rate`` calls go out at once; for ``rate < 1`` one call per ``1 / rate`` seconds.
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be a positive number of requests per second, got {rate!r}")
        self.rate = float(rate)
        self.capacity = max(1, int(rate))
        self.window = self.capacity / self.rate + WINDOW_MARGIN
        self._clock = clock
        self._sent: collections.deque[float] = collections.deque(maxlen=self.capacity)
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self.waited = 0.0
        """Total seconds callers spent waiting (for stats and benchmarks)."""
        self.acquired = 0
        """How many sends this limiter let through."""

    def delay(self) -> float:
        """Seconds until a send would keep every window within ``capacity`` (0 = now)."""
        if len(self._sent) < self.capacity:
            return 0.0
        return max(0.0, self._sent[0] + self.window - self._clock())

    def record(self) -> None:
        """Note a send happening now."""
        self._sent.append(self._clock())
        self.acquired += 1

    async def acquire(self, sleep: Sleep = asyncio.sleep) -> None:
        """Wait for a send slot (first come, first served) and record it as used now.

        ``sleep`` lets the client interrupt the wait when it is closed.
        """
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        async with lock:
            while (wait := self.delay()) > 0:
                self.waited += wait
                await sleep(wait)
            self.record()

    def __repr__(self) -> str:
        return f"RateLimiter(rate={self.rate}, capacity={self.capacity}, window={self.window:.3f}s)"


_shared: weakref.WeakValueDictionary[str, RateLimiter] = weakref.WeakValueDictionary()


def shared_limiter(key: str, rate: float) -> RateLimiter:
    """The process-wide limiter for ``key`` (a hash of app key + environment + domain).

    Clients of one app key share it whatever rate each asked for: KIS counts per app key, so the
    first client's rate holds while any client still uses it (a different rate is logged).
    """
    limiter = _shared.get(key)
    if limiter is None:
        limiter = RateLimiter(rate)
        _shared[key] = limiter
    elif limiter.rate != rate:
        logger.warning(
            "rate_limit=%s ignored: another KisClient of this app key already limits it to %s/s "
            "(KIS counts requests per app key, so they share one limiter)",
            rate,
            limiter.rate,
        )
    return limiter
