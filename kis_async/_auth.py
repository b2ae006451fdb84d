"""Access tokens: issue at ``/oauth2/tokenP``, keep in memory and in a cache file, renew on expiry.

KIS allows one issue per minute per app key (``EGW00133``) and alerts the account holder on each,
so a token is reused until shortly before it expires, survives restarts through the cache file
(mode 0600, written atomically, shared by the processes of one machine under a file lock), and is
issued at most once however many calls start at the same time.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from kis_async._errors import KisAuthError, KisDecodeError

logger = logging.getLogger("kis_async")

#: Renew this long before KIS's stated expiry, so a call never carries a token that dies in flight.
EXPIRY_MARGIN = 300.0
#: KIS refuses a second issue within a minute (EGW00133); never ask sooner than this.
MIN_ISSUE_INTERVAL = 61.0

try:  # POSIX advisory locks; elsewhere the cache still works, only without cross-process locking
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class Secret:
    """A string that never shows itself in ``repr``/``str``/logs."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@attrs.frozen
class Token:
    value: Secret
    expires_at: float
    """Unix time at which KIS stops accepting it."""
    issued_at: float

    def usable(self, now: float) -> bool:
        return now < self.expires_at - EXPIRY_MARGIN


def default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kis-async" / "tokens.json"


class TokenCache:
    """A JSON file of tokens keyed by a hash of (app key, environment, base URL), mode 0600.

    A file that cannot be read or parsed is ignored (and replaced on the next write). The key
    never contains the app secret; the token values are the only secrets in the file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    @staticmethod
    def key(app_key: str, env: str, base_url: str) -> str:
        return hashlib.sha256(f"{app_key}|{env}|{base_url}".encode()).hexdigest()[:24]

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cache's lock file (blocking): one process at a time issues a token."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _read_all(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self, key: str) -> Token | None:
        entry = self._read_all().get(key)
        if not isinstance(entry, dict):
            return None
        try:
            return Token(Secret(str(entry["token"])), float(entry["expires_at"]), float(entry["issued_at"]))
        except (TypeError, KeyError, ValueError):
            return None

    def last_issue(self, key: str) -> float:
        token = self.load(key)
        return token.issued_at if token else 0.0

    def store(self, key: str, token: Token) -> None:
        data = self._read_all()
        data[key] = {
            "token": token.value.reveal(),
            "expires_at": token.expires_at,
            "issued_at": token.issued_at,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens-", suffix=".tmp")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def __repr__(self) -> str:
        return f"TokenCache({str(self.path)!r})"


IssueFn = Callable[[], Awaitable[tuple[int, Any]]]
"""Posts to ``/oauth2/tokenP`` and returns (HTTP status, parsed JSON body)."""


class TokenManager:
    """Hands out a valid token; issues one (single-flight) only when none is usable."""

    def __init__(
        self,
        issue: IssueFn,
        cache: TokenCache | None,
        cache_key: str,
        *,
        min_issue_interval: float = MIN_ISSUE_INTERVAL,
    ) -> None:
        self._issue = issue
        self._cache = cache
        self._key = cache_key
        self._min_interval = min_issue_interval
        self._token: Token | None = None
        self._rejected: str | None = None
        self._lock: asyncio.Lock | None = None
        self._last_issue = 0.0
        self.issued = 0
        """How many tokens this manager obtained from KIS (not from the cache)."""

    async def token(self) -> str:
        token = self._token
        if token is not None and token.usable(time.time()):
            return token.value.reveal()
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            token = self._token
            if token is None or not token.usable(time.time()):
                token = self._token = await self._obtain()
        return token.value.reveal()

    def invalidate(self, value: str) -> None:
        """KIS rejected ``value`` (EGW00123/EGW00121): the next :meth:`token` gets a fresh one."""
        if self._token is not None and self._token.value.reveal() == value:
            self._token = None
            self._rejected = value
            logger.debug("access token rejected by KIS; it will be renewed")

    async def _obtain(self) -> Token:
        if self._cache is None:
            return await self._issue_new()
        cache = self._cache
        # The file lock is blocking; hold it in a thread so the event loop keeps running.
        lock = cache.locked()
        await asyncio.to_thread(lock.__enter__)
        try:
            cached = await asyncio.to_thread(cache.load, self._key)
            if cached is not None and cached.usable(time.time()) and cached.value.reveal() != self._rejected:
                return cached
            self._last_issue = max(self._last_issue, cached.issued_at if cached else 0.0)
            token = await self._issue_new()
            await asyncio.to_thread(cache.store, self._key, token)
            return token
        finally:
            await asyncio.to_thread(lock.__exit__, None, None, None)

    async def _issue_new(self) -> Token:
        wait = self._last_issue + self._min_interval - time.time()
        if self._last_issue and wait > 0:
            logger.info("KIS allows one token issue per minute: waiting %.1fs before issuing", wait)
            await asyncio.sleep(wait)
        status, body = await self._issue()
        now = time.time()
        if not isinstance(body, dict):
            raise KisDecodeError("token issue: response is not a JSON object", body=None)
        if "error_code" in body or status >= 400 or "access_token" not in body:
            if "error_code" in body or status in (401, 403):
                self._last_issue = now if body.get("error_code") == "EGW00133" else self._last_issue
                raise KisAuthError(
                    str(body.get("error_code") or body.get("msg_cd") or f"HTTP{status}"),
                    str(body.get("error_description") or body.get("msg1") or "token issue refused").strip(),
                    status=status,
                )
            raise KisDecodeError(f"token issue: unexpected answer (HTTP {status})", body=_without_token(body))
        self._last_issue = now
        self.issued += 1
        expires_at = _expiry(body, now)
        logger.debug("access token issued; valid until %s", dt.datetime.fromtimestamp(expires_at).isoformat())
        return Token(Secret(str(body["access_token"])), expires_at, now)


def _without_token(body: dict[str, Any]) -> dict[str, Any]:
    return {k: ("********" if "token" in k else v) for k, v in body.items()}


def _expiry(body: dict[str, Any], now: float) -> float:
    """Expiry from ``expires_in`` (seconds, a JSON number) or ``access_token_token_expired``."""
    expires_in = body.get("expires_in")
    try:
        return now + float(expires_in)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        pass
    stamp = body.get("access_token_token_expired")
    try:
        kst = dt.timezone(dt.timedelta(hours=9))
        return dt.datetime.strptime(str(stamp), "%Y-%m-%d %H:%M:%S").replace(tzinfo=kst).timestamp()
    except ValueError:
        return now + 86400.0
