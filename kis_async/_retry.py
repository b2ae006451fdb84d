"""When and how long to wait before sending a request again.

The policy shape follows well-known SDKs: exponential backoff from ``initial`` doubling up to
``maximum``, with jitter, ``Retry-After`` honoured when the server sends it, bounded by
``max_retries``. Whether a failure may be retried at all is decided by the client: reads yes,
orders only when the request provably never reached KIS.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random

import attrs


@attrs.frozen
class RetryPolicy:
    max_retries: int = 3
    """Retries after the first attempt (0 disables retrying)."""
    initial: float = 0.5
    maximum: float = 8.0
    max_retry_after: float = 60.0
    """A ``Retry-After`` longer than this is not waited for: the error is raised instead."""

    def __attrs_post_init__(self) -> None:
        if (
            not isinstance(self.max_retries, int)
            or isinstance(self.max_retries, bool)
            or self.max_retries < 0
        ):
            raise ValueError(f"max_retries must be an int >= 0, got {self.max_retries!r}")

    def delay(self, retry: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1-based).

        ``Retry-After`` (seconds or an HTTP date) wins over the backoff when it parses; it may be
        longer than :attr:`max_retry_after`, which the caller checks with :meth:`too_long`.
        """
        if retry_after:
            seconds = parse_retry_after(retry_after)
            if seconds is not None:
                return seconds
        return backoff(retry, self.initial, self.maximum)

    def too_long(self, delay: float) -> bool:
        return delay > self.max_retry_after


def backoff(attempt: int, initial: float, maximum: float) -> float:
    """Seconds to wait before attempt number ``attempt`` (1-based) after a failure, for REST retries
    and real-time reconnects alike: exponential from ``initial``, doubling up to ``maximum``, with
    "equal jitter" — uniform in ``[ceiling / 2, ceiling]`` — so clients that failed together do not
    come back together, yet none retries at once."""
    ceiling = min(maximum, initial * 2.0 ** max(0, attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


def parse_retry_after(value: str) -> float | None:
    """``Retry-After`` as seconds from now: ``"2"``, ``"1.5"`` or an HTTP date; ``None`` if unreadable."""
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - dt.datetime.now(dt.UTC)).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)
