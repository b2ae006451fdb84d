"""What the sandbox remembers: issued tokens, per-key request windows, and counters for tests.

Counters let a test prove what reached the "server": how many tokens were issued, how many calls
each TR received, how many were refused for the rate limit, and every order body (so a test can
show that no order arrived twice).
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import time
from collections.abc import Mapping
from typing import Any

import attrs

from kis_async._calendar import KST


@attrs.frozen
class ReceivedOrder:
    """A POST to an endpoint that is not retry_safe (an order) as it arrived."""

    endpoint: str
    path: str
    tr_id: str
    body: Mapping[str, Any]
    app_key: str
    hashkey: bool = False
    """Whether it carried a ``hashkey`` header (the sandbox checked it against the body's bytes)."""


@attrs.define
class SandboxStats:
    """Counters of everything the sandbox received and how it answered."""

    requests: collections.Counter[str] = attrs.field(factory=collections.Counter)
    """API calls per endpoint dotted name (every call that named a served path)."""
    by_tr: collections.Counter[str] = attrs.field(factory=collections.Counter)
    """API calls per TR ID header."""
    answered: collections.Counter[str] = attrs.field(factory=collections.Counter)
    """Successful answers (``rt_cd`` "0") per endpoint dotted name."""
    errors: collections.Counter[str] = attrs.field(factory=collections.Counter)
    """KIS error answers per ``msg_cd``."""
    token_requests: int = 0
    """Calls to ``/oauth2/tokenP``."""
    tokens_issued: int = 0
    """New tokens handed out (a re-issue within KIS's reuse window returns the old one, not counted)."""
    token_refusals: int = 0
    """Token requests refused (``EGW00133`` too soon, bad app key or secret)."""
    rate_limited: int = 0
    """Calls refused with ``EGW00201``."""
    faults: collections.Counter[str] = attrs.field(factory=collections.Counter)
    """Injected faults per kind (``latency``, ``drop``, ``status_503`` …)."""
    orders: list[ReceivedOrder] = attrs.field(factory=list)
    """Bodies of orders (POSTs to endpoints that are not retry_safe), in arrival order."""
    replayed: int = 0
    """Calls answered from a replay file (``Sandbox(replay=...)``)."""

    def orders_to(self, path_or_name: str) -> list[ReceivedOrder]:
        return [o for o in self.orders if path_or_name in (o.path, o.endpoint)]

    def reset(self) -> None:
        fresh = SandboxStats()
        for field in attrs.fields(SandboxStats):
            setattr(self, field.name, getattr(fresh, field.name))


@attrs.define
class IssuedToken:
    value: str
    app_key: str
    issued_at: float
    expires_at: float
    revoked: bool = False

    def expired(self, now: float) -> bool:
        return self.revoked or now >= self.expires_at


class TokenStore:
    """Tokens per app key, with KIS's rules: one issue per ``min_interval``, the same token again
    when asked within ``reuse_window`` of its issue (while it is valid)."""

    def __init__(self, *, lifetime: float, min_interval: float, reuse_window: float, seed: int) -> None:
        self.lifetime = lifetime
        self.min_interval = min_interval
        self.reuse_window = reuse_window
        self._seed = seed
        self._tokens: dict[str, IssuedToken] = {}
        self._latest: dict[str, IssuedToken] = {}
        self._last_request: dict[str, float] = {}
        self._counter = 0

    def issue(self, app_key: str, now: float) -> tuple[IssuedToken | None, bool]:
        """(token, new); ``(None, False)`` when asked again within ``min_interval``."""
        latest = self._latest.get(app_key)
        last = self._last_request.get(app_key)
        if last is not None and now - last < self.min_interval:
            return None, False
        self._last_request[app_key] = now
        if latest is not None and not latest.expired(now) and now - latest.issued_at < self.reuse_window:
            return latest, False
        self._counter += 1
        digest = hashlib.sha256(f"{self._seed}|{app_key}|{self._counter}|{now}".encode()).hexdigest()
        token = IssuedToken(
            value=f"eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.{digest}",
            app_key=app_key,
            issued_at=now,
            expires_at=now + self.lifetime,
        )
        self._tokens[token.value] = token
        self._latest[app_key] = token
        return token, True

    def find(self, value: str) -> IssuedToken | None:
        return self._tokens.get(value)

    def revoke(self, value: str) -> bool:
        token = self._tokens.get(value)
        if token is None:
            return False
        token.revoked = True
        return True

    def expire(self, value: str | None = None, now: float | None = None) -> None:
        """Expire one token, or every token, as of ``now``."""
        moment = time.time() if now is None else now
        for token in self._tokens.values():
            if value is None or token.value == value:
                token.expires_at = min(token.expires_at, moment)


class RequestWindow:
    """Requests per key in a sliding window; refuses the ones above ``rate`` per second."""

    def __init__(self) -> None:
        self._times: dict[str, collections.deque[float]] = {}

    def admit(self, key: str, rate: float, now: float) -> bool:
        times = self._times.setdefault(key, collections.deque())
        capacity = max(1, int(rate))
        window = capacity / rate
        while times and times[0] <= now - window:
            times.popleft()
        if len(times) >= capacity:
            return False
        times.append(now)
        return True


def kst_stamp(moment: float) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in Korean time, as in ``access_token_token_expired``."""
    return dt.datetime.fromtimestamp(moment, KST).strftime("%Y-%m-%d %H:%M:%S")
