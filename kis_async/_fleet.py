"""A fleet of processes sharing one app key, coordinated through Redis: ``KisClient(redis_url=...)``.

KIS's limits belong to the app key, not to a process: 20 requests/s (paper 2/s), one token issue
per minute (each one a KakaoTalk alert to the account holder), 41 real-time registrations. With
``redis_url`` (``pip install 'kis-async[redis]'``) the processes of one app key share

- one token: the process that needs one takes a short Redis lock, issues, and stores it with its
  expiry; the others wait for the lock and read it (:class:`RedisTokenCache`);
- one rate limit, per app key and per TR cap: a sliding window kept atomically in Redis with the
  local limiter's semantics, a slot held from the send until its answer and counted for one
  window after (:class:`FleetLimiter`);
- one real-time budget: registrations per app key, each entry kept alive by its process's
  heartbeat, so a process that dies frees its share (:class:`RealtimeBudget`).

Redis trouble never stops trading. Every Redis call has a timeout; on failure the client logs one
WARNING and falls back to its local limiter at ``rate / expected_processes`` (after one window's
pause, so the fleet's last second on Redis and its first on local limits do not add up) and to
its local token cache, retries Redis every ``retry_interval`` seconds, and logs INFO when Redis
is back. Key names are ``kis-async:`` + a hash of (app key, environment, base URL): never the
app key nor the secret; token values (access tokens and real-time approval keys) are the only
secrets stored in Redis.

A small Lua script rather than a rate-limit library: ``limits`` and ``pyrate-limiter`` stamp a
request when it is admitted, but KIS stamps it when it arrives, so their windows are only safe with
a margin larger than the network's jitter. Measured against the sandbox at 20/s on loopback,
``limits`` 5.8's async Redis moving window (``hit`` then sleep until ``reset_time``) let through
72 ``EGW00201`` in 150 calls of one process and 457 in 4 x 150; this limiter, 0 (``make bench``).
Holding the slot until the answer (as the local limiter does) is safe whatever the latency, and no
library offers it.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hashlib
import itertools
import json
import logging
import threading
import time
import urllib.parse
import uuid
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import attrs

from kis_async._auth import Secret, Token, TokenCache
from kis_async._errors import KisClientClosedError, KisConfigError
from kis_async._ratelimit import POLL, WINDOW_MARGIN, RateLimiter, Sleep, Slot, shared_limiter
from kis_async._stats import ClientStats

if TYPE_CHECKING:  # the [redis] extra: may be absent where a bot is type-checked
    import redis  # type: ignore[import-not-found,import-untyped,unused-ignore]
    import redis.asyncio  # type: ignore[import-not-found,import-untyped,unused-ignore]

logger = logging.getLogger("kis_async")

PREFIX = "kis-async:"
#: A slot whose process died before releasing it stops counting this long after the request's
#: timeout (plus one window).
HOLD_MARGIN = 5.0
#: Extra pause, on top of one window, before the local fallback limiter's first send.
FALLBACK_PAUSE_MARGIN = 0.2
#: How often a process waiting for another's token lock looks again.
LOCK_POLL = 0.05
#: Real-time registrations are forgotten this long after their process's last heartbeat.
REALTIME_TTL = 30.0


@attrs.frozen
class FleetConfig:
    """How a client coordinates with the other processes of its app key (``KisClient(fleet=...)``)."""

    expected_processes: int = 4
    """Processes sharing the app key: while Redis is unreachable each one keeps to
    ``rate / expected_processes`` (and as many of the 41 real-time registrations)."""
    timeout: float = 0.5
    """Seconds allowed for any one Redis call before Redis counts as unreachable."""
    retry_interval: float = 2.0
    """Seconds between attempts to return to Redis while it is unreachable."""

    def __attrs_post_init__(self) -> None:
        if isinstance(self.expected_processes, bool) or not isinstance(self.expected_processes, int):
            raise KisConfigError(
                f"FleetConfig.expected_processes must be a whole number, got {self.expected_processes!r}"
            )
        if self.expected_processes < 1:
            raise KisConfigError(
                f"FleetConfig.expected_processes must be at least 1, got {self.expected_processes}"
            )
        for name in ("timeout", "retry_interval"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 3600:
                raise KisConfigError(
                    f"FleetConfig.{name} must be a positive number of seconds, got {value!r}"
                )


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.RedisError, OSError, TimeoutError)


def describe_url(url: str) -> str:
    """``host:port/db`` of a Redis URL, without the password it may carry."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "unix":
        return f"unix:{parts.path}"
    db = parts.path.lstrip("/") or "0"
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}/{db}"


def check_url(url: object) -> str:
    """The Redis URL, checked; a clear error names what is wrong and how to install the client."""
    if not isinstance(url, str) or urllib.parse.urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        # never the URL itself: it may carry the Redis password (redis://:secret@host)
        shown = (
            f"a URL with scheme {urllib.parse.urlsplit(url).scheme!r}"
            if isinstance(url, str)
            else repr(type(url))
        )
        raise KisConfigError(
            f"redis_url must look like 'redis://host:6379/0' (or rediss://, unix://), got {shown}"
        )
    try:
        import redis  # noqa: F401
    except ImportError:
        raise KisConfigError("redis_url needs the Redis client: pip install 'kis-async[redis]'") from None
    return url


class RedisHealth:
    """Whether Redis answers; logs one WARNING when it stops and one INFO when it is back."""

    def __init__(self, where: str, fallback: str, retry_interval: float, stats: ClientStats) -> None:
        self.where = where
        self.fallback = fallback
        self.retry_interval = retry_interval
        self.stats = stats
        self.up = True
        self._retry_at = 0.0
        self._lock = threading.Lock()  # the token cache calls in from worker threads
        self.on_recovery: Callable[[], None] | None = None
        """Called (from any thread) each time Redis comes back: it may have come back empty."""

    def usable(self) -> bool:
        """Up, or down long enough that it is time to try again."""
        return self.up or time.monotonic() >= self._retry_at

    def failed(self, doing: str, error: BaseException) -> bool:
        """A Redis call failed; True when this switched the client to its local fallback."""
        with self._lock:
            self._retry_at = time.monotonic() + self.retry_interval
            if not self.up:
                return False
            self.up = False
            self.stats.redis_fallbacks += 1
        logger.warning(
            "Redis at %s is unreachable (%s while %s): falling back to %s; trying Redis again every %.0fs",
            self.where,
            type(error).__name__,
            doing,
            self.fallback,
            self.retry_interval,
        )
        return True

    def succeeded(self) -> bool:
        """A Redis call worked; True when this ended a fallback."""
        with self._lock:
            if self.up:
                return False
            self.up = True
            self.stats.redis_recoveries += 1
        logger.info("Redis at %s is back: the fleet's shared limits and token apply again", self.where)
        if self.on_recovery is not None:
            self.on_recovery()
        return True


class Fleet:
    """One client's link to Redis: its limiters, token cache and real-time budgets share it."""

    def __init__(
        self,
        url: str,
        key: str,
        config: FleetConfig,
        stats: ClientStats,
        rate: float | None,
        request_timeout: float = 15.0,
    ) -> None:
        self.url = check_url(url)
        self.key = key
        self.config = config
        self.request_timeout = request_timeout
        """The client's ``Timeout.total``: no request holds a rate-limit slot longer."""
        share = "" if rate is None else f" at {rate / config.expected_processes:g}/s"
        self.health = RedisHealth(
            describe_url(url),
            f"the local rate limiter{share} (1/{config.expected_processes} of the app key's) and the "
            "local token cache",
            config.retry_interval,
            stats,
        )
        self._async: redis.asyncio.Redis | None = None
        self._sync: redis.Redis | None = None
        self._sync_lock = threading.Lock()
        self.closed = False
        self.on_token_missing: Callable[[], None] | None = None
        """Called (in the event loop) when Redis answers without the fleet's token."""

    def __repr__(self) -> str:
        return f"Fleet({self.health.where!r}, up={self.health.up})"

    def prefix(self, key: str | None = None) -> str:
        return PREFIX + (key or self.key)

    def aio(self) -> redis.asyncio.Redis:
        """The asyncio client (made on first use, in the client's event loop)."""
        if self._async is None:
            import redis.asyncio  # type: ignore[import-not-found,import-untyped,unused-ignore]
            from redis.asyncio.retry import Retry  # type: ignore[import-not-found,import-untyped,unused-ignore]
            from redis.backoff import NoBackoff  # type: ignore[import-not-found,import-untyped,unused-ignore]

            self._async = redis.asyncio.Redis.from_url(
                self.url,
                socket_timeout=self.config.timeout,
                socket_connect_timeout=self.config.timeout,
                retry=Retry(NoBackoff(), 0),
            )
        return self._async

    def sync(self) -> redis.Redis:
        """The blocking client, for the token cache (which runs in worker threads)."""
        with self._sync_lock:
            if self._sync is None:
                import redis  # type: ignore[import-not-found,import-untyped,unused-ignore]
                from redis.backoff import NoBackoff  # type: ignore[import-not-found,import-untyped,unused-ignore]
                from redis.retry import Retry  # type: ignore[import-not-found,import-untyped,unused-ignore]

                self._sync = redis.Redis.from_url(
                    self.url,
                    socket_timeout=self.config.timeout,
                    socket_connect_timeout=self.config.timeout,
                    retry=Retry(NoBackoff(), 0),
                )
            return self._sync

    async def call(self, doing: str, command: Callable[[redis.asyncio.Redis], Any]) -> Any:
        """Run one Redis command under the timeout; raises the Redis error after noting it."""
        if self.closed:  # e.g. a real-time session closed after its client: nothing left to share
            raise ConnectionError("the client's link to Redis is closed")
        client = self.aio()
        try:
            result = await asyncio.wait_for(command(client), self.config.timeout)
        except _redis_errors() as exc:
            self.health.failed(doing, exc)
            # idle connections to a dead server would each fail once more after its restart
            with contextlib.suppress(*_redis_errors()):
                await client.connection_pool.disconnect(inuse_connections=False)
            raise
        return result

    def limiter(self, suffix: str, rate: float) -> FleetLimiter:
        # the app key's own limiter (every request passes it) also watches for a lost token
        watch = self.prefix() + ":token" if suffix == "" else None
        return FleetLimiter(self, self.prefix() + suffix, rate, watch_token=watch)

    def token_missing(self) -> None:
        """Redis answers but the fleet's token is not there (a restart emptied it)."""
        if self.on_token_missing is not None:
            self.on_token_missing()

    async def aclose(self) -> None:
        self.closed = True
        client, self._async = self._async, None
        if client is not None:
            with contextlib.suppress(*_redis_errors()):
                await client.aclose()
        with self._sync_lock:
            sync, self._sync = self._sync, None
        if sync is not None:
            with contextlib.suppress(*_redis_errors()):
                await asyncio.to_thread(sync.close)


# -- the rate limit ------------------------------------------------------------------------------

#: Take a slot if fewer than ``capacity`` are counted; else seconds until the oldest stops counting
#: (-1: every slot is still waiting for its answer). A slot's score is when it stops counting:
#: ``now + hold`` while in flight, ``done + window`` once answered. Redis's clock for everyone.
#: With a second key (the app key's limiter passes the token's), a granted slot answers ``0!``
#: when that key is missing: Redis restarted empty, and a process holding the token puts it back.
_ACQUIRE = """
if redis.replicate_commands then redis.replicate_commands() end
local key, capacity, window, hold = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if redis.call('ZCARD', key) < capacity then
  redis.call('ZADD', key, now + hold, ARGV[4])
  redis.call('PEXPIRE', key, math.ceil((hold + window) * 1000))
  if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 0 then return '0!' end
  return '0'
end
local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local wait = tonumber(first[2]) - now
if wait > window then return '-1' end
return tostring(wait)
"""

#: The answer is back: the slot counts for one more window from now.
_RELEASE = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
return 1
"""

#: Back from the fallback: the sends made meanwhile count for what is left of their windows.
_SEED = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
for i = 1, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], 'NX', now + tonumber(ARGV[i + 1]), ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], 120000)
return 1
"""


@attrs.define
class FleetSlot:
    member: str | None
    """The slot's entry in Redis (None: taken from the local fallback alone)."""
    local: Slot | None


class FleetLimiter:
    """The app key's rate (or a TR's cap) shared by every process through Redis.

    Same contract as :class:`~kis_async._ratelimit.RateLimiter`: at most ``capacity`` sends in any
    window of ``capacity / rate`` seconds (+ margin), each slot held from its send until its answer.
    While Redis is unreachable, a process-wide local limiter at ``rate / expected_processes``.
    """

    def __init__(self, fleet: Fleet, key: str, rate: float, *, watch_token: str | None = None) -> None:
        self.fleet = fleet
        self.key = key
        self._keys = (2, key, watch_token) if watch_token is not None else (1, key)
        self.rate = float(rate)
        self.capacity = max(1, int(rate))
        self.window = self.capacity / self.rate + WINDOW_MARGIN
        self.hold = max(self.window, 1.0) + fleet.request_timeout + HOLD_MARGIN
        share = self.rate / fleet.config.expected_processes
        self.fallback: RateLimiter = shared_limiter(f"{key}:fallback", share)
        self._fallback_slots: collections.deque[Slot] = collections.deque(maxlen=4 * self.capacity + 8)
        self._local_mode = False
        self._paused_until = 0.0
        self._grace_until = 0.0
        self._lock: asyncio.Lock | None = None
        self.acquired = 0
        self.acquired_locally = 0

    def __repr__(self) -> str:
        return f"FleetLimiter(rate={self.rate}, capacity={self.capacity}, redis={self.fleet.health.where!r})"

    @contextlib.asynccontextmanager
    async def slot(self, sleep: Sleep = asyncio.sleep) -> AsyncIterator[FleetSlot]:
        """``async with limiter.slot(): send`` — acquire, and release whatever happens."""
        taken = await self.acquire(sleep)
        try:
            yield taken
        finally:
            await self.release(taken)

    async def acquire(self, sleep: Sleep = asyncio.sleep) -> FleetSlot:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # this process's callers in arrival order; processes race in Redis
            while True:
                pause = self._paused_until - time.monotonic()
                if pause > 0:
                    await sleep(pause)
                    continue
                if self.fleet.health.usable():
                    grace = time.monotonic() < self._grace_until
                    local = await self.fallback.acquire(sleep) if grace else None
                    taken = await self._acquire_in_redis(sleep, local)
                    if taken is not None:
                        self.acquired += 1
                        return taken
                    if local is not None:
                        self.fallback.release(local)
                if not self._local_mode:
                    # the fleet's last window on Redis must pass before this process sends on its own
                    self._local_mode = True
                    self._paused_until = time.monotonic() + self.window + FALLBACK_PAUSE_MARGIN
                    continue
                local = await self.fallback.acquire(sleep)
                self._fallback_slots.append(local)
                self.acquired += 1
                self.acquired_locally += 1
                return FleetSlot(None, local)

    async def _acquire_in_redis(self, sleep: Sleep, local: Slot | None) -> FleetSlot | None:
        """A Redis slot, or None when Redis failed (the caller then goes local)."""
        member = uuid.uuid4().hex
        while True:
            try:
                answer = await self.fleet.call(
                    "taking a rate-limit slot",
                    lambda r: r.eval(_ACQUIRE, *self._keys, self.capacity, self.window, self.hold, member),
                )
            except _redis_errors():
                return None
            text = answer.decode() if isinstance(answer, bytes) else str(answer)
            wait = float(text.rstrip("!"))
            self.fleet.health.succeeded()
            if self._local_mode:
                self._local_mode = False
                await self._back_in_redis()
            if wait == 0:
                if text.endswith("!"):
                    self.fleet.token_missing()
                return FleetSlot(member, local)
            await sleep(wait if wait > 0 else POLL)

    async def _back_in_redis(self) -> None:
        """Redis is back: count this process's fallback sends there, and keep to the local share
        for a while, until every process has noticed and does the same."""
        now = time.monotonic()
        args: list[Any] = []
        for slot in self._fallback_slots:
            left = self.hold if slot.done is None else slot.done + self.window - now
            if left > 0:
                args += [uuid.uuid4().hex, left]
        self._fallback_slots.clear()
        self._grace_until = now + self.fleet.config.retry_interval + self.window
        if args:
            with contextlib.suppress(*_redis_errors()):
                await self.fleet.call(
                    "counting the fallback's sends", lambda r: r.eval(_SEED, 1, self.key, *args)
                )

    async def release(self, taken: FleetSlot) -> None:
        if taken.local is not None:
            self.fallback.release(taken.local)
        if taken.member is not None:
            member = taken.member
            with contextlib.suppress(*_redis_errors()):  # not released: it stops counting after `hold`
                await self.fleet.call(
                    "releasing a rate-limit slot",
                    lambda r: r.eval(_RELEASE, 1, self.key, self.window, member),
                )


# -- the token ----------------------------------------------------------------------------------

_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisTokenCache(TokenCache):
    """The fleet's token store: one token per app key and environment, in Redis.

    :class:`~kis_async._auth.TokenManager` uses it like the cache file (from worker threads):
    take the lock, look for a usable token, else wait out the one-issue-per-minute rule, note the
    attempt, issue, store. The lock is a Redis key with a lifetime (a process that dies holding it
    blocks the others at most that long); the token key lives until the token expires. Each call
    falls back to the local cache file (or memory) while Redis is unreachable, and every token is
    also written to the local cache so the fallback has it.
    """

    def __init__(self, fleet: Fleet, local: TokenCache | None, lock_ttl: float) -> None:
        self.fleet = fleet
        self.local = local
        self.lock_ttl = lock_ttl
        self._owners: dict[int, tuple[str, str]] = {}
        self._handles = itertools.count(-2, -1)
        self.closing = threading.Event()

    def __repr__(self) -> str:
        return f"RedisTokenCache({self.fleet.health.where!r}, local={self.local!r})"

    def _redis(self) -> redis.Redis | None:
        return self.fleet.sync() if self.fleet.health.usable() else None

    def _failed(self, doing: str, error: BaseException) -> None:
        self.fleet.health.failed(doing, error)
        with contextlib.suppress(*_redis_errors()):
            self.fleet.sync().connection_pool.disconnect(inuse_connections=False)

    def acquire_lock(self) -> int:
        client = self._redis()
        if client is not None:
            lock_key = self.fleet.prefix() + ":token:lock"
            owner = uuid.uuid4().hex
            try:
                while not client.set(lock_key, owner, nx=True, px=int(self.lock_ttl * 1000)):
                    if self.closing.wait(LOCK_POLL):
                        raise KisClientClosedError(
                            "the KisClient was closed while waiting for another process's token issue"
                        )
            except _redis_errors() as exc:
                self._failed("taking the token lock", exc)
            else:
                self.fleet.health.succeeded()
                handle = next(self._handles)
                self._owners[handle] = (lock_key, owner)
                return handle
        return self.local.acquire_lock() if self.local is not None else -1

    def release_lock(self, fd: int) -> None:  # type: ignore[override]  # an instance's lock
        held = self._owners.pop(fd, None)
        if held is None:
            if fd >= 0 and self.local is not None:
                self.local.release_lock(fd)
            return
        with contextlib.suppress(*_redis_errors()):  # otherwise it expires after lock_ttl
            self.fleet.sync().eval(_UNLOCK, 1, *held)

    def load(self, key: str) -> Token | None:
        client = self._redis()
        if client is not None:
            try:
                raw = client.get(PREFIX + key + ":token")
                token = _parse_token(raw)
                if token is None and self.local is not None:
                    token = self.local.load(key)
                    if token is not None and token.usable(time.time()):
                        self._publish(client, key, token)  # a fleet's first start reuses the file's
            except _redis_errors() as exc:
                self._failed("reading the token", exc)
            else:
                self.fleet.health.succeeded()
                return token
        return self.local.load(key) if self.local is not None else None

    def restore(self, key: str, token: Token) -> bool:
        """Redis came back without the fleet's token (it restarted empty): put ``token``, this
        process's, back, so a process started afterwards reads it instead of issuing one (an
        alert to the account holder, or EGW00133 within the minute). Under the token lock and
        only if still missing, so one process of the fleet does it; True when this one did."""
        client = self._redis()
        if client is None or not token.usable(time.time()):
            return False
        token_key = PREFIX + key + ":token"
        lock_key = self.fleet.prefix() + ":token:lock"
        owner = uuid.uuid4().hex
        try:
            if client.exists(token_key):
                return False
            if not client.set(lock_key, owner, nx=True, px=int(self.lock_ttl * 1000)):
                return False  # another process is issuing or putting its token back
            try:
                if client.exists(token_key):
                    return False
                self._publish(client, key, token)
                # the issue it came from still counts for the one-per-minute rule
                client.set(PREFIX + key + ":token:attempt", repr(token.issued_at), ex=3600, nx=True)
            finally:
                client.eval(_UNLOCK, 1, lock_key, owner)
        except _redis_errors() as exc:
            self._failed("putting the token back", exc)
            return False
        self.fleet.health.succeeded()
        return True

    def last_attempt(self, key: str) -> float:
        local = self.local.last_attempt(key) if self.local is not None else 0.0
        client = self._redis()
        if client is not None:
            try:
                raw = client.get(PREFIX + key + ":token:attempt")
            except _redis_errors() as exc:
                self._failed("reading the last token issue", exc)
            else:
                with contextlib.suppress(TypeError, ValueError):
                    return max(local, float(raw))  # type: ignore[arg-type,unused-ignore]
        return local

    def record_attempt(self, key: str, when: float) -> None:
        if self.local is not None:
            self.local.record_attempt(key, when)
        client = self._redis()
        if client is not None:
            try:
                client.set(PREFIX + key + ":token:attempt", repr(when), ex=3600)
            except _redis_errors() as exc:
                self._failed("noting a token issue", exc)

    def store(self, key: str, token: Token) -> None:
        if self.local is not None:
            self.local.store(key, token)
        client = self._redis()
        if client is not None:
            try:
                self._publish(client, key, token)
            except _redis_errors() as exc:
                self._failed("storing the token", exc)

    @staticmethod
    def _publish(client: redis.Redis, key: str, token: Token) -> None:
        lifetime = int((token.expires_at - time.time()) * 1000)
        if lifetime > 0:
            value = {
                "token": token.value.reveal(),
                "expires_at": token.expires_at,
                "issued_at": token.issued_at,
            }
            client.set(PREFIX + key + ":token", json.dumps(value), px=lifetime)


def _parse_token(raw: Any) -> Token | None:
    if raw is None:
        return None
    try:
        entry = json.loads(raw)
        return Token(Secret(str(entry["token"])), float(entry["expires_at"]), float(entry["issued_at"]))
    except (TypeError, KeyError, ValueError):
        return None


# -- the real-time budget -------------------------------------------------------------------------

#: Register ``member`` if the key's live registrations (heartbeat not expired) leave room.
_RESERVE = """
if redis.replicate_commands then redis.replicate_commands() end
local key, cap, ttl, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if redis.call('ZSCORE', key, member) or redis.call('ZCARD', key) < cap then
  redis.call('ZADD', key, now + ttl, member)
  redis.call('PEXPIRE', key, math.ceil(ttl * 1000))
  return -1
end
return redis.call('ZCARD', key)
"""

#: This process is alive: its registrations count for another ``ttl`` (again, after a Redis restart).
_HEARTBEAT = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local ttl = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + ttl, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], math.ceil(ttl * 1000))
return 1
"""


class RealtimeBudget:
    """Real-time registrations of one app key, counted across the fleet (at most ``cap``).

    Each registration is an entry (this session's id + TR ID + key) that stops counting
    ``ttl`` seconds after the last heartbeat, so a process that dies frees its share. While
    Redis is unreachable a session keeps to ``cap // expected_processes`` on its own.
    """

    def __init__(self, fleet: Fleet, key: str, cap: int, ttl: float = REALTIME_TTL) -> None:
        self.fleet = fleet
        self.key = PREFIX + key + ":realtime"
        self.cap = cap
        self.ttl = ttl
        self.session = uuid.uuid4().hex[:16]
        self.members: set[str] = set()

    def __repr__(self) -> str:
        return f"RealtimeBudget(cap={self.cap}, held={len(self.members)})"

    @property
    def share(self) -> int:
        return max(1, self.cap // self.fleet.config.expected_processes)

    def _member(self, tr_id: str, tr_key: str) -> str:
        # the key of an execution-notice feed is the HTS id: only a digest of it goes to Redis
        digest = hashlib.sha256(tr_key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return f"{self.session}|{tr_id}|{digest}"

    async def reserve(self, tr_id: str, tr_key: str) -> int | None:
        """Count a registration; None when granted, else how many the fleet already holds."""
        member = self._member(tr_id, tr_key)
        if self.fleet.health.usable():
            try:
                held = int(
                    await self.fleet.call(
                        "counting real-time registrations",
                        lambda r: r.eval(_RESERVE, 1, self.key, self.cap, self.ttl, member),
                    )
                )
            except _redis_errors():
                pass
            else:
                self.fleet.health.succeeded()
                if held >= 0:
                    return held
                self.members.add(member)
                return None
        if len(self.members) >= self.share:
            return len(self.members)
        self.members.add(member)
        return None

    async def release(self, tr_id: str, tr_key: str) -> None:
        member = self._member(tr_id, tr_key)
        self.members.discard(member)
        if self.fleet.health.usable():
            with contextlib.suppress(*_redis_errors()):
                await self.fleet.call(
                    "releasing a real-time registration", lambda r: r.zrem(self.key, member)
                )

    async def heartbeat(self) -> None:
        """Keep this session's registrations counted (call every ``ttl / 3``)."""
        if self.members and self.fleet.health.usable():
            members = sorted(self.members)
            with contextlib.suppress(*_redis_errors()):
                await self.fleet.call(
                    "renewing real-time registrations",
                    lambda r: r.eval(_HEARTBEAT, 1, self.key, self.ttl, *members),
                )
                self.fleet.health.succeeded()

    async def release_all(self) -> None:
        members, self.members = sorted(self.members), set()
        if members and self.fleet.health.usable():
            with contextlib.suppress(*_redis_errors()):
                await self.fleet.call(
                    "releasing real-time registrations", lambda r: r.zrem(self.key, *members)
                )
