"""When and how long to wait before sending a request again.

The policy shape follows well-known SDKs: exponential backoff from ``initial`` doubling up to
``maximum``, with full jitter, ``Retry-After`` honoured when the server sends it, bounded by
``max_retries``. Whether a failure may be retried at all is decided by the client: reads yes,
orders only when the request provably never reached KIS.
"""

from __future__ import annotations

import random

import attrs


@attrs.frozen
class RetryPolicy:
    max_retries: int = 3
    """Retries after the first attempt (0 disables retrying)."""
    initial: float = 0.5
    maximum: float = 8.0

    def __attrs_post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")

    def delay(self, retry: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        if retry_after:
            try:
                seconds = float(retry_after)
            except ValueError:
                pass
            else:
                return min(max(seconds, 0.0), self.maximum * 4)
        ceiling = min(self.maximum, self.initial * 2.0 ** (retry - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)
