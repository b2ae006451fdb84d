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
#: KIS's answer to an issue asked for within the minute (another process, or a restart, asked).
TOO_SOON = "EGW00133"

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

    Each entry also remembers when a token was last *asked for* (``attempted_at``), so that a
    process restarting in a loop never issues more often than KIS allows, even when the issue
    failed or the process died before the answer came back. A file that cannot be read or parsed
    is ignored (and replaced on the next write). The key never contains the app secret; the token
    values are the only secrets in the file.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @staticmethod
    def key(app_key: str, env: str, base_url: str) -> str:
        return hashlib.sha256(f"{app_key}|{env}|{base_url}".encode()).hexdigest()[:24]

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def acquire_lock(self) -> int:
        """Take the cache's lock file (blocking; run it in a thread). Returns the descriptor to release."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        return fd

    @staticmethod
    def release_lock(fd: int) -> None:
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cache's lock file (blocking): one process at a time reads, issues and writes."""
        fd = self.acquire_lock()
        try:
            yield
        finally:
            self.release_lock(fd)

    def _read_all(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _entry(self, key: str) -> dict[str, Any]:
        entry = self._read_all().get(key)
        return entry if isinstance(entry, dict) else {}

    def load(self, key: str) -> Token | None:
        entry = self._entry(key)
        try:
            return Token(Secret(str(entry["token"])), float(entry["expires_at"]), float(entry["issued_at"]))
        except (TypeError, KeyError, ValueError):
            return None

    def last_attempt(self, key: str) -> float:
        """Unix time of the last issue or issue attempt recorded for ``key`` (0 when none)."""
        entry = self._entry(key)
        times = []
        for name in ("issued_at", "attempted_at"):
            with contextlib.suppress(TypeError, KeyError, ValueError):
                times.append(float(entry[name]))
        return max(times, default=0.0)

    def record_attempt(self, key: str, when: float) -> None:
        """Note that a token is about to be asked for (kept with any token already cached)."""
        data = self._read_all()
        entry = data.get(key)
        entry = dict(entry) if isinstance(entry, dict) else {}
        entry["attempted_at"] = when
        data[key] = entry
        self._write(data)

    def store(self, key: str, token: Token) -> None:
        data = self._read_all()
        data[key] = {
            "token": token.value.reveal(),
            "expires_at": token.expires_at,
            "issued_at": token.issued_at,
            "attempted_at": token.issued_at,
        }
        self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
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
Sleep = Callable[[float], Awaitable[None]]

#: Last issue (or attempt) per cache key in this process, so that clients of one app key without
#: a cache file still respect KIS's one-per-minute rule together.
_process_last_issue: dict[str, float] = {}
#: The latest token per cache key in this process: clients of one app key share it.
_process_tokens: dict[str, Token] = {}


class TokenManager:
    """Hands out a valid token; renews it single-flight only when none is usable.

    However many calls need a token at once, one renewal runs and every caller gets its result,
    success or failure. A renewal first looks in the cache file (under its lock, so processes
    of one machine take turns), then waits out KIS's one-issue-per-minute rule if needed, and
    only then asks ``/oauth2/tokenP``.
    """

    def __init__(
        self,
        issue: IssueFn,
        cache: TokenCache | None,
        cache_key: str,
        *,
        min_issue_interval: float = MIN_ISSUE_INTERVAL,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._issue = issue
        self._cache = cache
        self._key = cache_key
        self._min_interval = min_issue_interval
        self._sleep = sleep
        self._token: Token | None = None
        self._rejected: str | None = None
        self._renewal: asyncio.Task[Token] | None = None
        self.issued = 0
        """How many tokens this manager obtained from KIS (not from the cache)."""

    def __repr__(self) -> str:
        state = "none" if self._token is None else f"valid until {self._token.expires_at:.0f}"
        return f"TokenManager(token={state}, cache={self._cache!r})"

    async def token(self) -> str:
        token = self._token
        if token is not None and token.usable(time.time()):
            return token.value.reveal()
        renewal = self._renewal
        if renewal is None or renewal.done():
            renewal = self._renewal = asyncio.ensure_future(self._renew())
            renewal.add_done_callback(_retrieve_exception)
        # shield: a caller that is cancelled must not cancel the renewal the others wait for
        token = await asyncio.shield(renewal)
        return token.value.reveal()

    def current(self) -> Token | None:
        """The token this manager holds, if still usable (nothing is issued or read)."""
        token = self._token
        return token if token is not None and token.usable(time.time()) else None

    def invalidate(self, value: str) -> None:
        """KIS rejected ``value`` (EGW00123/EGW00121): the next :meth:`token` gets a fresh one.

        A token that was already replaced is ignored, so many calls failing with the same old
        token cause one renewal.
        """
        if self._token is not None and self._token.value.reveal() == value:
            self._token = None
            self._rejected = value
            logger.debug("access token rejected by KIS; it will be renewed")

    async def aclose(self) -> None:
        """Let a renewal in progress finish (the client is closing).

        It is not cancelled: a token request already sent may have been granted, and dropping the
        answer would cost another issue later. Its waits end at once (the client's ``sleep``
        raises when closing), and a renewal that has not sent its request yet does not send it.
        """
        renewal = self._renewal
        if renewal is not None and not renewal.done():
            await asyncio.wait({renewal})

    async def _renew(self) -> Token:
        shared = _process_tokens.get(self._key)
        if shared is not None and shared.usable(time.time()) and shared.value.reveal() != self._rejected:
            token = shared  # another client of this app key in this process already has one
        elif self._cache is None:
            await self._wait_for_issue_slot(_process_last_issue.get(self._key, 0.0))
            try:
                token = await self._issue_new()
            except KisAuthError as exc:
                if exc.code != TOO_SOON:
                    raise
                await self._wait_out_the_minute()
                token = await self._issue_new()
        else:
            token = await self._renew_with_cache(self._cache)
        self._token = _process_tokens[self._key] = token
        return token

    async def _renew_with_cache(self, cache: TokenCache) -> Token:
        fd = await _in_thread_uncancelled(cache.acquire_lock, cache.release_lock)
        try:
            cached = await asyncio.to_thread(cache.load, self._key)
            if cached is not None and cached.usable(time.time()) and cached.value.reveal() != self._rejected:
                logger.debug("access token taken from the cache file")
                return cached
            last = max(
                await asyncio.to_thread(cache.last_attempt, self._key),
                _process_last_issue.get(self._key, 0.0),
            )
            await self._wait_for_issue_slot(last)
            await asyncio.to_thread(cache.record_attempt, self._key, time.time())
            try:
                token = await self._issue_new()
            except KisAuthError as exc:
                if exc.code != TOO_SOON:
                    raise
                await self._wait_out_the_minute()
                cached = await asyncio.to_thread(cache.load, self._key)  # another process's issue?
                if (
                    cached is not None
                    and cached.usable(time.time())
                    and cached.value.reveal() != self._rejected
                ):
                    logger.info("access token taken from the cache after waiting out EGW00133")
                    return cached
                await asyncio.to_thread(cache.record_attempt, self._key, time.time())
                token = await self._issue_new()
            await asyncio.to_thread(cache.store, self._key, token)
            return token
        finally:
            await asyncio.to_thread(cache.release_lock, fd)

    async def _wait_out_the_minute(self) -> None:
        """KIS answered EGW00133 (one issue per minute per app key): someone else asked within the
        minute (another process on this key, or this bot restarting). Wait it out once and ask
        again, rather than fail the bot's first call; a second refusal is raised."""
        wait = self._min_interval if self._min_interval > 0 else MIN_ISSUE_INTERVAL
        logger.warning(
            "KIS refused the token issue with %s (one issue per minute per app key: another process "
            "or a restart asked within the minute); waiting %.0fs once, then asking again",
            TOO_SOON,
            wait,
        )
        await self._sleep(wait)

    async def _wait_for_issue_slot(self, last: float) -> None:
        wait = last + self._min_interval - time.time()
        if last and wait > 0:
            logger.info("KIS allows one token issue per minute: waiting %.1fs before issuing", wait)
            await self._sleep(wait)

    async def _issue_new(self) -> Token:
        """Ask ``/oauth2/tokenP`` (the caller has waited out the one-per-minute rule)."""
        _process_last_issue[self._key] = time.time()
        status, body = await self._issue()
        now = time.time()
        if not isinstance(body, dict):
            raise KisDecodeError(
                f"token issue: HTTP {status}, the answer is not a JSON object: {_preview(body)}", body=body
            )
        if "error_code" in body or status >= 400 or "access_token" not in body:
            if "error_code" in body or "msg_cd" in body or status in (401, 403):
                raise KisAuthError(
                    str(body.get("error_code") or body.get("msg_cd") or f"HTTP{status}"),
                    str(body.get("error_description") or body.get("msg1") or "token issue refused").strip(),
                    status=status,
                )
            raise KisDecodeError(
                f"token issue: unexpected answer (HTTP {status}): {_preview(_without_token(body))}",
                body=_without_token(body),
            )
        token = body["access_token"]
        if not isinstance(token, str) or not token or not token.isascii() or not token.isprintable():
            # it goes into the Authorization header of every call: a CR/LF would split it
            raise KisDecodeError(
                f"token issue: HTTP {status}, the access_token is not printable ASCII text; not used",
                body=_without_token(body),
            )
        self.issued += 1
        expires_at = _expiry(body, now)
        logger.debug("access token issued; valid until %s", dt.datetime.fromtimestamp(expires_at).isoformat())
        return Token(Secret(str(body["access_token"])), expires_at, now)


def _retrieve_exception(task: asyncio.Task[Any]) -> None:
    """Mark a failed renewal's exception as seen: every waiter gets it, none may be left."""
    if not task.cancelled():
        task.exception()


async def _in_thread_uncancelled(acquire: Callable[[], int], release: Callable[[int], None]) -> int:
    """Run a blocking lock ``acquire`` in a thread; if the caller is cancelled meanwhile, release
    the lock as soon as the thread gets it instead of leaking it."""
    future = asyncio.ensure_future(asyncio.to_thread(acquire))
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        future.add_done_callback(lambda f: None if f.cancelled() or f.exception() else release(f.result()))
        raise


def _preview(body: Any) -> str:
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, default=str)
    return text[:200] + ("…" if len(text) > 200 else "")


def _without_token(body: dict[str, Any]) -> dict[str, Any]:
    return {k: ("********" if "token" in k.lower() or "secret" in k.lower() else v) for k, v in body.items()}


def _expiry(body: dict[str, Any], now: float) -> float:
    """Expiry from ``expires_in`` (seconds, a JSON number) or ``access_token_token_expired``."""
    expires_in = body.get("expires_in")
    try:
        seconds = float(expires_in)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        pass
    else:
        if 0 < seconds < 10 * 365 * 86400:
            return now + seconds
    stamp = body.get("access_token_token_expired")
    try:
        kst = dt.timezone(dt.timedelta(hours=9))
        return dt.datetime.strptime(str(stamp), "%Y-%m-%d %H:%M:%S").replace(tzinfo=kst).timestamp()
    except ValueError:
        return now + 86400.0
