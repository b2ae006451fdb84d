"""Client-side rate limiting: at most ``rate`` requests in any one-second window per app key.

KIS counts requests per app key (real 20/s, paper 2/s) and answers the excess with ``EGW00201``.
The limiter lets callers through one at a time, in arrival order (no thundering herd). A send
holds its slot until its answer (or failure) is back, and the slot then stays counted for one
window: KIS stamped the request somewhere between our send and its answer, so timing the window
from the answer guarantees that KIS never sees ``rate + 1`` in a second, however late the network
or a busy event loop delivered the request. Clients of one app key in one process share a
limiter (:func:`shared_limiter`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

import attrs

logger = logging.getLogger("kis_async")

#: Slack added to the one-second window (timer granularity; KIS's clock is not ours).
WINDOW_MARGIN = 0.02
#: How often a caller re-checks while every slot is held by a request still waiting for its answer.
POLL = 0.005

DEFAULT_RATES = {"real": 20.0, "paper": 2.0}

Sleep = Callable[[float], Awaitable[None]]


class SendLimiter(Protocol):
    """What the request pipeline needs of a limiter: this module's, or the fleet's (Redis)."""

    rate: float

    def slot(self, sleep: Sleep = ...) -> contextlib.AbstractAsyncContextManager[Any]: ...


@attrs.define
class Slot:
    """One send: held while the request is out, counted for a window after ``done``."""

    sent: float
    done: float | None = None


class RateLimiter:
    """At most ``capacity`` sends in any window of ``capacity / rate`` seconds (+ margin).

    For ``rate >= 1`` the capacity is ``int(rate)`` and the window about one second, so a bot's
    occasional burst of up to ``rate`` calls goes out at once; for ``rate < 1`` one call per
    ``1 / rate`` seconds. Use :meth:`slot` around each send.
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be a positive number of requests per second, got {rate!r}")
        self.rate = float(rate)
        self.capacity = max(1, int(rate))
        self.window = self.capacity / self.rate + WINDOW_MARGIN
        self._clock = clock
        self._slots: list[Slot] = []
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self.waited = 0.0
        """Total seconds callers spent waiting (for stats and benchmarks)."""
        self.acquired = 0
        """How many sends this limiter let through."""

    def delay(self) -> float:
        """Seconds until a send would keep every window within ``capacity`` (0 = now)."""
        now = self._clock()
        horizon = now - self.window
        self._slots = [s for s in self._slots if s.done is None or s.done > horizon]
        if len(self._slots) < self.capacity:
            return 0.0
        finished = [s.done for s in self._slots if s.done is not None]
        return max(min(finished) - horizon, 0.0) if finished else POLL

    async def acquire(self, sleep: Sleep = asyncio.sleep) -> Slot:
        """Wait for a send slot (first come, first served); :meth:`release` it once answered.

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
            slot = Slot(self._clock())
            self._slots.append(slot)
            self.acquired += 1
            return slot

    def release(self, slot: Slot) -> None:
        """The send's answer (or failure) is back: its slot counts for one more window."""
        if slot.done is None:
            slot.done = self._clock()

    @contextlib.asynccontextmanager
    async def slot(self, sleep: Sleep = asyncio.sleep) -> AsyncIterator[Slot]:
        """``async with limiter.slot(): send`` — acquire, and release whatever happens."""
        taken = await self.acquire(sleep)
        try:
            yield taken
        finally:
            self.release(taken)

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
