"""Real-time feeds over KIS's WebSocket: ``async with kis.realtime() as rt``.

One :class:`RealtimeSession` holds one connection per app key. Each connection issues (or reuses)
an approval key, registers subscriptions (at most 41, KIS's limit, checked before sending), echoes
PINGPONG, and when the socket drops or stalls (no frame and no PINGPONG within
``stall_timeout``) reconnects with exponential backoff and jitter and re-registers everything that
was subscribed, spaced by ``request_interval``. The socket reader only splits strings and appends
to bounded per-subscription queues; it never waits for a consumer.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import inspect
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, overload

import aiohttp
import attrs

from kis_async._auth import Secret, TokenCache, TokenManager
from kis_async._errors import KisConfigError, KisError, KisTransportError, describe_transport, safe_cause
from kis_async._feed import Feed, Tick, find_feed, new_tick
from kis_async._http import new_session, read_body
from kis_async._json import loads as json_loads
from kis_async._realtime_callbacks import FeedHandler, TickCallback, run_handlers
from kis_async._realtime_wire import (
    MAX_SUBSCRIBE,
    REGISTER,
    RELEASE,
    Answer,
    aes_decrypt,
    parse_answer,
    refuses_approval,
    request_message,
    require_cryptography,
    split_records,
)
from kis_async._retry import backoff

if TYPE_CHECKING:
    from kis_async._client import KisClient
    from kis_async._fleet import RealtimeBudget

logger = logging.getLogger("kis_async.realtime")

TickT = TypeVar("TickT", bound=Tick)
#: KIS refuses the 42nd registration on one connection (OPSP0008 MAX SUBSCRIBE OVER).
MAX_REGISTRATIONS = 41
APPROVAL_PATH = "/oauth2/Approval"


# -- errors -------------------------------------------------------------------------------------


class KisRealtimeError(KisError):
    """A real-time request failed: names the feed's TR ID, the key and KIS's answer if any."""

    def __init__(self, message: str, *, tr_id: str = "", tr_key: str = "", msg_cd: str = "", msg1: str = ""):
        super().__init__(message)
        self.tr_id = tr_id
        self.tr_key = tr_key
        self.msg_cd = msg_cd
        self.msg1 = msg1


class KisSubscriptionLimitError(KisRealtimeError):
    """More than 41 registrations on every connection (checked before sending, or OPSP0008)."""


class KisApprovalKeyError(KisRealtimeError):
    """KIS refused the approval key (INVALID APPROVAL KEY) or did not issue one."""


class KisUnknownFeedError(KisRealtimeError):
    """The TR ID is not a generated feed, or KIS does not know it."""


class KisFeedLostError(KisRealtimeError):
    """A subscribed feed could not be registered again after a reconnect (KIS refused it, also
    with a fresh approval key, or did not answer): no tick of it will come. Its ``rt.stream()``
    ends with this error and ``async for tick in rt`` raises it once; ``Reconnected.lost`` lists
    it. ``feed`` is the feed's name; ``msg_cd``/``msg1`` KIS's refusal; ``__cause__`` the refusal
    itself. Subscribe again to try once more."""

    def __init__(
        self, message: str, *, feed: str, tr_id: str, tr_key: str, msg_cd: str = "", msg1: str = ""
    ) -> None:
        super().__init__(message, tr_id=tr_id, tr_key=tr_key, msg_cd=msg_cd, msg1=msg1)
        self.feed = feed


class KisQueueOverflowError(KisRealtimeError):
    """A consumer fell behind with ``overflow="raise"``: ``dropped`` ticks were not delivered."""

    def __init__(self, message: str, *, dropped: int, tr_id: str = "", tr_key: str = ""):
        super().__init__(message, tr_id=tr_id, tr_key=tr_key)
        self.dropped = dropped


# -- configuration, events, counters --------------------------------------------------------------


@attrs.frozen
class AppKey:
    """Another app key to spread subscriptions over (one connection each)."""

    app_key: str
    app_secret: str = attrs.field(repr=False)


@attrs.frozen
class RealtimeConfig:
    """Timings and queue policy of a real-time session (defaults suit KIS; tests shorten them)."""

    queue_size: int = 10_000
    """Ticks kept per subscription for a consumer that falls behind."""
    overflow: Literal["drop_oldest", "raise"] = "drop_oldest"
    """Full queue: drop the oldest tick (counted), or drop new ones and raise in the consumer."""
    stall_timeout: float = 60.0
    """Seconds without any frame (data or PINGPONG) after which the connection counts as dead."""
    answer_timeout: float = 10.0
    """Seconds to wait for KIS's answer to a (un)subscribe request."""
    connect_timeout: float = 10.0
    handshake_timeout: float = 15.0
    """Seconds for an approval-key request and for the WebSocket handshake, each from start to
    finish (a server that trickles or never answers the upgrade fails the attempt, and a
    reconnect attempt counts towards ``max_reconnect_attempts``)."""
    request_interval: float = 0.05
    """Spacing between (un)subscribe requests on one connection."""
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    max_reconnect_attempts: int | None = None
    """Give up after this many failed reconnects in a row (consumers then raise); ``None``: never."""
    custtype: Literal["P", "B"] = "P"

    def backoff(self, attempt: int) -> float:
        """Seconds before reconnect attempt ``attempt``: :func:`kis_async._retry.backoff` (the REST
        retries' backoff), uniform in [c/2, c] with c = min(backoff_max, backoff_initial * 2**(attempt-1))."""
        return backoff(attempt, self.backoff_initial, self.backoff_max)


@attrs.frozen
class Reconnected:
    """A connection came back: what was re-registered, what was lost, and how long ticks could
    not arrive."""

    connection: int
    outage: float
    """Seconds from the moment the connection was found dead to re-registration done."""
    resubscribed: int
    """How many subscriptions were registered again (``len(restored)``)."""
    attempts: int
    reason: str
    restored: tuple[tuple[str, str], ...] = ()
    """(TR ID, key) of every subscription registered again."""
    lost: tuple[KisFeedLostError, ...] = ()
    """Subscriptions that could not be registered again, each naming the feed and KIS's code;
    their streams end with that error. Empty when everything came back."""


@attrs.define
class RealtimeStats:
    """Counters of a session (all connections). Every lost or refused tick is counted here."""

    frames: int = 0
    records: int = 0
    dropped_overflow: int = 0
    malformed: int = 0
    plaintext_dropped: int = 0
    """Records on an encrypted feed that arrived unencrypted (forgery risk): dropped."""
    unmatched: int = 0
    """Records for no current subscription (e.g. late after unsubscribe)."""
    pingpongs: int = 0
    disconnects: int = 0
    reconnects: int = 0
    resubscribed: int = 0
    feeds_lost: int = 0
    """Subscriptions that could not be registered again after a reconnect (each one raised)."""
    approval_renewals: int = 0
    """Fresh approval keys asked for because KIS refused the one in use (OPSP0011)."""
    width_mismatches: int = 0
    last_outage: float | None = None
    total_outage: float = 0.0


# -- subscriptions --------------------------------------------------------------------------------


class _Signal:
    """Wakes whoever waits; costs one attribute read when nobody does (the reader's hot path)."""

    __slots__ = ("waiter",)

    def __init__(self) -> None:
        self.waiter: asyncio.Future[None] | None = None

    def notify(self) -> None:
        waiter = self.waiter
        if waiter is not None:
            self.waiter = None
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self) -> None:
        if self.waiter is None:
            self.waiter = asyncio.get_running_loop().create_future()
        await self.waiter


class Subscription(Generic[TickT]):
    """One (feed, key) registration and its bounded queue of ticks."""

    def __init__(self, session: RealtimeSession, feed: Feed[TickT], tr_id: str, key: str) -> None:
        self.session = session
        self.feed = feed
        self.tr_id = tr_id
        self.key = key
        self.queue: collections.deque[tuple[int, TickT]] = collections.deque()
        self.dropped = 0
        self.delivered = 0
        self.overflowed = 0
        self.closed = False
        self.lost: KisFeedLostError | None = None
        """Set when the subscription could not be registered again after a reconnect."""
        self.lost_reported = False
        self.connection: _Connection | None = None
        self.limit = session.config.queue_size
        self.raise_on_overflow = session.config.overflow == "raise"
        self._signal = _Signal()
        self._session_signal = session._signal
        self.observers: list[Callable[[TickT], object]] = []
        """Called with every tick as it arrives, before any consumer reads it (``Order.wait``
        watches execution notices this way without taking them from the bot's own stream)."""

    def __repr__(self) -> str:
        return f"Subscription({self.feed.name}, {self.tr_id}, key={self.key!r}, queued={len(self.queue)})"

    def put(self, seq: int, tick: TickT) -> None:
        queue = self.queue
        if len(queue) >= self.limit:
            self.session.stats.dropped_overflow += 1
            if self.raise_on_overflow:
                self.overflowed += 1
                self._signal.notify()
                return
            queue.popleft()
            self.dropped += 1
        queue.append((seq, tick))
        self.delivered += 1
        if self.observers:
            for observer in self.observers:
                observer(tick)
        if self._signal.waiter is not None:
            self._signal.notify()
        if self._session_signal.waiter is not None:
            self._session_signal.notify()

    def check_overflow(self) -> None:
        if self.overflowed:
            dropped, self.overflowed = self.overflowed, 0
            raise KisQueueOverflowError(
                f"{self.feed.name} ({self.tr_id}) key {self.key!r}: the consumer fell behind; "
                f"{dropped} tick(s) were dropped (queue_size={self.session.config.queue_size})",
                dropped=dropped,
                tr_id=self.tr_id,
                tr_key=self.key,
            )

    async def __aiter__(self) -> AsyncIterator[TickT]:
        while True:
            self.check_overflow()
            if self.queue:
                yield self.queue.popleft()[1]
                continue
            self.session._raise_if_failed()
            if self.lost is not None:
                self.lost_reported = True
                raise self.lost
            if self.closed or self.session.closed:
                return
            await self._signal.wait()

    def close(self) -> None:
        self.closed = True
        self._signal.notify()
        self._session_signal.notify()


# -- one connection per app key -------------------------------------------------------------------


class _Connection:
    def __init__(self, session: RealtimeSession, index: int, app_key: str, approval: TokenManager):
        self.session = session
        self.index = index
        self.app_key = app_key
        self.approval = approval
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.subs: dict[tuple[str, str], Subscription[Any]] = {}
        self.by_tr: dict[str, list[Subscription[Any]]] = {}
        self.last_approval = ""
        self.aes: dict[str, tuple[Secret, Secret]] = {}
        self.pending: dict[tuple[str, str], asyncio.Future[Answer]] = {}
        self.connected = asyncio.Event()
        self.send_lock = asyncio.Lock()
        self.last_send = 0.0
        self.supervisor: asyncio.Task[None] | None = None
        self.reader: asyncio.Task[str] | None = None
        self.widths_warned: set[str] = set()
        self.approval_generation = 0
        """How many fresh approval keys this connection asked for after a refusal."""
        self.refused_approval = ""
        self.renewal_spent = False
        """A fresh approval key was asked for in this episode (since the connection opened or a
        registration last succeeded): KIS refusing that one too is final, not a loop."""

    def __repr__(self) -> str:
        return f"_Connection({self.index}, app_key={self.app_key[:4]}…, subs={len(self.subs)})"

    @property
    def load(self) -> int:
        return len(self.subs)

    # lifecycle

    async def open(self) -> None:
        """First connection: errors (refused approval key, no server) go to the caller."""
        await self._connect()
        self.reader = asyncio.create_task(self._read(self._ws()), name=f"kis-realtime-reader-{self.index}")
        self.supervisor = asyncio.create_task(self._supervise(), name=f"kis-realtime-{self.index}")

    async def _connect(self) -> None:
        await self.approval.token()  # issued (or taken from the cache) before the socket opens
        http = self.session._http()
        try:
            async with asyncio.timeout(self.session.config.handshake_timeout):
                self.ws = await http.ws_connect(
                    self.session.url, autoping=True, timeout=aiohttp.ClientWSTimeout(ws_close=2.0)
                )
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise KisTransportError(
                f"realtime: cannot connect to {self.session.url}: {type(exc).__name__}: "
                f"{str(exc) or f'no handshake within handshake_timeout={self.session.config.handshake_timeout}s'}"
            ) from exc
        self.connected.set()
        logger.debug("realtime connection %d open to %s", self.index, self.session.url)

    def _ws(self) -> aiohttp.ClientWebSocketResponse:
        assert self.ws is not None
        return self.ws

    async def close(self) -> None:
        for task in (self.supervisor, self.reader):
            if task is not None:
                task.cancel()
        for task in (self.supervisor, self.reader):
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self.ws is not None and not self.ws.closed:
            with contextlib.suppress(Exception):
                await self.ws.close()
        self._fail_pending(KisRealtimeError("realtime session closed"))

    async def _supervise(self) -> None:
        """Wait for the reader to end; then reconnect and re-register, until the session closes."""
        stats = self.session.stats
        config = self.session.config
        while True:
            assert self.reader is not None
            try:
                reason = await self.reader
            except Exception as exc:  # a reader bug must not end the session silently
                logger.exception("realtime reader %d failed", self.index)
                reason = f"reader error {type(exc).__name__}"
            if self.session.closed:
                return
            self.connected.clear()
            down_at = time.monotonic()
            stats.disconnects += 1
            logger.warning("realtime connection %d lost (%s); reconnecting", self.index, reason)
            self._fail_pending(KisRealtimeError(f"realtime connection lost ({reason})"))
            if self.ws is not None and not self.ws.closed:
                with contextlib.suppress(Exception):
                    await self.ws.close()
            attempt = 0
            while True:
                attempt += 1
                await asyncio.sleep(config.backoff(attempt))
                try:
                    await self._connect()
                    break
                except KisError as exc:
                    logger.warning("realtime reconnect %d attempt %d failed: %s", self.index, attempt, exc)
                    if config.max_reconnect_attempts is not None and attempt >= config.max_reconnect_attempts:
                        self.session._fail(
                            KisTransportError(
                                f"realtime connection {self.index} lost ({reason}) and {attempt} reconnect "
                                f"attempts failed; last: {exc}"
                            )
                        )
                        return
            self.renewal_spent = False  # a new connection, a new episode
            self.reader = asyncio.create_task(
                self._read(self._ws()), name=f"kis-realtime-reader-{self.index}"
            )
            restored, lost = await self._resubscribe()
            outage = time.monotonic() - down_at
            stats.reconnects += 1
            stats.last_outage = outage
            stats.total_outage += outage
            event = Reconnected(
                self.index, outage, len(restored), attempt, reason, tuple(restored), tuple(lost)
            )
            logger.warning(
                "realtime connection %d back after %.3fs (%d attempt(s)); %d subscription(s) re-registered%s",
                self.index,
                outage,
                attempt,
                len(restored),
                f", {len(lost)} LOST: " + "; ".join(str(e) for e in lost) if lost else "",
            )
            await self.session._emit(event)

    async def _resubscribe(self) -> tuple[list[tuple[str, str]], list[KisFeedLostError]]:
        """Register every subscription again; one that cannot be is lost, and told (never only
        logged): its stream ends with :class:`KisFeedLostError`, which the event lists too."""
        restored: list[tuple[str, str]] = []
        lost: list[KisFeedLostError] = []
        for (tr_id, key), sub in list(self.subs.items()):
            if sub.closed:
                continue
            try:
                await self.register(sub.feed, tr_id, key)
            except KisError as exc:
                if not self.connected.is_set() or self.reader is None or self.reader.done():
                    break  # the new connection died too: the supervisor reconnects and tries them all again
                lost.append(await self.session._lose(sub, exc))
                continue
            restored.append((tr_id, key))
            self.session.stats.resubscribed += 1
        return restored, lost

    async def register(self, feed: Feed[Any], tr_id: str, key: str) -> Answer:
        """Register (tr_id, key). When KIS refuses the approval key (OPSP0011: expired, from an
        old cache, or the server forgot it), a fresh key is asked for once per episode and the
        registration sent again; a refusal of the fresh key too is raised."""
        generation = self.approval_generation
        try:
            answer = await self.request(REGISTER, tr_id, key)
        except KisApprovalKeyError as refused:
            if self.approval_generation == generation:  # nobody renewed it meanwhile
                if self.renewal_spent:
                    raise KisApprovalKeyError(
                        f"{refused}; a fresh approval key was already refused on this connection",
                        tr_id=tr_id,
                        tr_key=key,
                        msg_cd=refused.msg_cd,
                        msg1=refused.msg1,
                    ) from refused
                self.renewal_spent = True
                self.approval_generation += 1
                self.approval.invalidate(self.refused_approval)  # the next token() issues a fresh one
                self.session.stats.approval_renewals += 1
                logger.warning(
                    "realtime: KIS refused the approval key for %s (%s) %r (%s %s); "
                    "asking for a fresh one and registering again",
                    feed.name,
                    tr_id,
                    key,
                    refused.msg_cd,
                    refused.msg1,
                )
            try:
                answer = await self.request(REGISTER, tr_id, key)  # the refused key was invalidated
            except KisApprovalKeyError as again:
                raise KisApprovalKeyError(
                    f"{again}; it was a fresh approval key, asked for after the first refusal",
                    tr_id=tr_id,
                    tr_key=key,
                    msg_cd=again.msg_cd,
                    msg1=again.msg1,
                ) from refused
        self.renewal_spent = False  # the key works: a later refusal starts a new episode
        return answer

    # requests

    async def request(self, tr_type: str, tr_id: str, key: str) -> Answer:
        config = self.session.config
        async with self.send_lock:
            if not self.connected.is_set():
                try:
                    await asyncio.wait_for(self.connected.wait(), config.answer_timeout)
                except TimeoutError:
                    raise KisRealtimeError(
                        f"realtime: {tr_id} {key!r}: not connected (reconnecting)", tr_id=tr_id, tr_key=key
                    ) from None
            wait = self.last_send + config.request_interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
            self.pending[(tr_id, key)] = future
            approval = self.last_approval = await self.approval.token()
            message = request_message(approval, config.custtype, tr_type, tr_id, key)
            try:
                await self._ws().send_str(message)
            except (aiohttp.ClientError, ConnectionError, RuntimeError) as exc:
                self.pending.pop((tr_id, key), None)
                raise KisRealtimeError(
                    f"realtime: {tr_id} {key!r}: send failed ({type(exc).__name__})", tr_id=tr_id, tr_key=key
                ) from exc
            self.last_send = time.monotonic()
        try:
            answer = await asyncio.wait_for(future, config.answer_timeout)
        except TimeoutError:
            raise KisRealtimeError(
                f"realtime: {tr_id} {key!r}: no answer from KIS within {config.answer_timeout}s",
                tr_id=tr_id,
                tr_key=key,
            ) from None
        finally:
            if self.pending.get((tr_id, key)) is future:
                del self.pending[(tr_id, key)]
        if not answer.ok and tr_type == REGISTER:
            raise self._refusal(answer, tr_id, key, approval)
        if answer.key is not None and answer.iv is not None:
            self.aes[tr_id] = (answer.key, answer.iv)
        return answer

    def _refusal(self, answer: Answer, tr_id: str, key: str, approval: str) -> KisRealtimeError:
        text = f"realtime: KIS refused {tr_id} {key!r}: {answer.msg_cd} {answer.msg1} (rt_cd={answer.rt_cd})"
        cls: type[KisRealtimeError] = KisRealtimeError
        if answer.msg_cd == MAX_SUBSCRIBE[0] or MAX_SUBSCRIBE[1] in answer.msg1.upper():
            cls = KisSubscriptionLimitError
            text += f"; KIS allows {MAX_REGISTRATIONS} registrations per connection"
        elif refuses_approval(answer.msg_cd, answer.msg1):
            cls = KisApprovalKeyError
            self.refused_approval = approval  # register() decides whether to ask for a fresh one
        elif "TR" in answer.msg1.upper() and (
            "INVALID" in answer.msg1.upper() or "NOT" in answer.msg1.upper()
        ):
            cls = KisUnknownFeedError
        return cls(text, tr_id=tr_id, tr_key=key, msg_cd=answer.msg_cd, msg1=answer.msg1)

    def _fail_pending(self, error: KisRealtimeError) -> None:
        for future in self.pending.values():
            if not future.done():
                future.set_exception(error)
        self.pending.clear()

    def add(self, sub: Subscription[Any]) -> None:
        self.subs[(sub.tr_id, sub.key)] = sub
        self.by_tr.setdefault(sub.tr_id, []).append(sub)
        sub.connection = self

    def remove(self, sub: Subscription[Any]) -> None:
        self.subs.pop((sub.tr_id, sub.key), None)
        subs = self.by_tr.get(sub.tr_id, [])
        if sub in subs:
            subs.remove(sub)
        if not subs:
            self.by_tr.pop(sub.tr_id, None)

    # the reader

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> str:
        """Read until the socket closes or stalls; returns why it ended."""
        stall = self.session.config.stall_timeout
        while True:
            try:
                message = await ws.receive(timeout=stall)
            except TimeoutError:
                with contextlib.suppress(Exception):
                    await ws.close()
                return f"stalled: no frame for {stall}s"
            kind = message.type
            if kind is aiohttp.WSMsgType.TEXT:
                text: str = message.data
            elif kind is aiohttp.WSMsgType.BINARY:
                text = bytes(message.data).decode("utf-8", "replace")
            elif kind in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED):
                return f"closed by the server (code {ws.close_code})"
            elif kind is aiohttp.WSMsgType.ERROR:
                return f"socket error: {ws.exception()!r}"
            else:
                continue
            if text[:2] in ("0|", "1|"):
                self._on_data(text)
                continue
            try:
                answer = parse_answer(text)
            except ValueError:
                self._malformed(f"neither a data frame nor a JSON answer: {text[:40]!r}")
                continue
            if answer.is_ping:
                self.session.stats.pingpongs += 1
                try:
                    await ws.send_str(text)
                except (aiohttp.ClientError, ConnectionError, RuntimeError):
                    return "closed while answering PINGPONG"
                continue
            self._on_answer(answer)

    def _on_answer(self, answer: Answer) -> None:
        future = self.pending.get((answer.tr_id, answer.tr_key))
        if future is None:
            same_tr = [f for (tr, _), f in self.pending.items() if tr == answer.tr_id]
            future = same_tr[0] if len(same_tr) == 1 else None
        if future is None:
            logger.debug("realtime: unexpected answer %s %r: %s", answer.tr_id, answer.tr_key, answer.msg1)
            return
        if not future.done():
            future.set_result(answer)

    def _malformed(self, why: str) -> None:
        self.session.stats.malformed += 1
        logger.warning("realtime: malformed frame dropped: %s", why)

    def _on_data(self, text: str) -> None:
        """One data frame → ticks in the subscriptions' queues. Hot path: only splits strings."""
        stats = self.session.stats
        stats.frames += 1
        try:
            flag, tr_id, count_text, payload = text.split("|", 3)
            count = int(count_text)
        except ValueError:
            self._malformed(f"bad frame header {text[:24]!r}")
            return
        subs = self.by_tr.get(tr_id)
        if not subs:
            stats.unmatched += max(count, 1)
            logger.debug("realtime: %s frame for no subscription dropped", tr_id)
            return
        feed = subs[0].feed
        if flag != "0":
            if flag != "1":
                self._malformed(f"bad encryption flag {text[:24]!r}")
                return
            secrets = self.aes.get(tr_id)
            if secrets is None:
                self._malformed(f"{tr_id}: encrypted frame before its key arrived")
                return
            try:
                payload = aes_decrypt(secrets[0], secrets[1], payload)
            except (ValueError, UnicodeDecodeError) as exc:
                self._malformed(f"{tr_id}: cannot decrypt ({type(exc).__name__})")
                return
        elif feed.encrypted:
            stats.plaintext_dropped += max(count, 1)
            logger.warning(
                "realtime: %s (%s) arrived unencrypted; dropped as a possible forgery", feed.name, tr_id
            )
            return
        values = payload.split("^")
        tick_cls = feed.tick
        width = len(tick_cls.__wire_fields__)
        if len(values) != count * width or count < 1:
            try:
                _, width = split_records(values, count, width)
            except ValueError as exc:
                self._malformed(f"{tr_id}: {exc}")
                return
            self._width_mismatch(tr_id, width, len(tick_cls.__wire_fields__))
        stats.records += count
        session = self.session
        seq = session.seq
        session.seq = seq + count
        if len(subs) == 1:
            put = subs[0].put
            if count == 1:
                put(seq + 1, new_tick(tick_cls, tuple(values), feed))
                return
            for start in range(0, count * width, width):
                seq += 1
                put(seq, new_tick(tick_cls, tuple(values[start : start + width]), feed))
            return
        by_key = {sub.key: sub for sub in subs}
        for start in range(0, count * width, width):
            seq += 1
            record = tuple(values[start : start + width])
            target = by_key.get(record[0])
            if target is None:
                stats.unmatched += 1
                continue
            target.put(seq, new_tick(tick_cls, record, feed))

    def _width_mismatch(self, tr_id: str, width: int, documented: int) -> None:
        self.session.stats.width_mismatches += 1
        if tr_id not in self.widths_warned:
            self.widths_warned.add(tr_id)
            logger.warning(
                "realtime: %s records have %d fields, the spec %d; extra fields are kept in tick.raw",
                tr_id,
                width,
                documented,
            )


# -- the session ------------------------------------------------------------------------------------

ReconnectCallback = Callable[[Reconnected], Awaitable[None] | None]


class RealtimeSession:
    """``async with kis.realtime() as rt:`` — subscribe, then ``async for tick in rt``.

    Each tick is delivered once: through ``rt.stream(feed, key)`` if you iterate that
    subscription, otherwise through ``async for tick in rt`` (every subscription, in arrival order).
    """

    def __init__(
        self,
        client: KisClient,
        keys: Sequence[AppKey | tuple[str, str]] | None = None,
        *,
        config: RealtimeConfig | None = None,
        on_reconnect: ReconnectCallback | None = None,
        token_cache: TokenCache | None = None,
    ) -> None:
        self.client = client
        self.config = config or RealtimeConfig(custtype=client.custtype)
        if self.config.custtype != client.custtype:
            self.config = attrs.evolve(self.config, custtype=client.custtype)
        if self.config.queue_size < 1:
            raise KisConfigError(f"queue_size must be at least 1, got {self.config.queue_size}")
        self.url = client.ws_url
        self.stats = RealtimeStats()
        self.closed = False
        self.seq = 0
        self.on_reconnect = on_reconnect
        self._keys: list[AppKey] = [k if isinstance(k, AppKey) else AppKey(*k) for k in keys or ()]
        if not self._keys:
            self._keys = [AppKey(client._app_key, client._app_secret.reveal())]
        if len({k.app_key for k in self._keys}) != len(self._keys):
            raise KisConfigError("kis.realtime(keys=...): each app key may appear once")
        self._token_cache = token_cache
        self._connections: list[_Connection] = []
        self._subs: dict[tuple[str, str], Subscription[Any]] = {}
        self._lost: dict[tuple[str, str], Subscription[Any]] = {}
        """Subscriptions lost on a reconnect, until their queued ticks and their error are delivered."""
        self._signal = _Signal()
        self._session: aiohttp.ClientSession | None = None
        self._failure: BaseException | None = None
        self.reconnects: collections.deque[Reconnected] = collections.deque(maxlen=100)
        self._budgets: dict[str, RealtimeBudget] = {}
        """Per app key, the registrations counted across the fleet (``KisClient(redis_url=...)``)."""
        self._heartbeat: asyncio.Task[None] | None = None
        self._handlers: list[FeedHandler[Any]] = []

    def __repr__(self) -> str:
        return f"RealtimeSession({self.url!r}, connections={len(self._connections)}, subscriptions={len(self._subs)})"

    # lifecycle

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def open(self) -> None:
        fleet = self.client.fleet
        if fleet is not None:
            from kis_async._fleet import RealtimeBudget

            for key in self._keys:
                budget_key = TokenCache.key(key.app_key, f"{self.client.env}/realtime", self.client.base_url)
                self._budgets[key.app_key] = RealtimeBudget(fleet, budget_key, MAX_REGISTRATIONS)
            self._heartbeat = asyncio.create_task(self._keep_budgets(), name="kis-realtime-fleet-heartbeat")
        try:
            for index, key in enumerate(self._keys):
                connection = _Connection(self, index, key.app_key, self._approval_manager(key))
                self._connections.append(connection)
                await connection.open()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for sub in self._subs.values():
            sub.close()
        for connection in self._connections:
            await connection.close()
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat
        for budget in self._budgets.values():
            await budget.release_all()
        if self._session is not None:
            await self._session.close()
        self._wake()

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = new_session(
                timeout=aiohttp.ClientTimeout(total=None, connect=self.config.connect_timeout)
            )
        return self._session

    def _approval_manager(self, key: AppKey) -> TokenManager:
        """Approval keys are issued and cached like access tokens (24 h, cache file 0600)."""
        base_url = self.client.base_url
        cache_key = TokenCache.key(key.app_key, f"{self.client.env}/approval", base_url)

        async def issue() -> tuple[int, Any]:
            body = {"grant_type": "client_credentials", "appkey": key.app_key, "secretkey": key.app_secret}
            try:
                async with (
                    asyncio.timeout(self.config.handshake_timeout),
                    self._http().post(base_url + APPROVAL_PATH, json=body) as response,
                ):
                    status = response.status
                    data = json_loads(await read_body(response, self.client.max_body_size))
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                # the same secret-safe path as the token's: no aiohttp repr, no request in the cause
                why = describe_transport(exc)
                if isinstance(exc, TimeoutError) and not str(exc):
                    why = f"TimeoutError: no answer within handshake_timeout={self.config.handshake_timeout}s"
                raise KisTransportError(f"approval key issue ({APPROVAL_PATH}): {why}") from safe_cause(exc)
            if isinstance(data, dict) and data.get("approval_key"):
                return status, {"access_token": data["approval_key"], "expires_in": 86400}
            if isinstance(data, dict) and "error_code" not in data:
                data = {
                    "error_code": data.get("msg_cd") or f"HTTP{status}",
                    "error_description": str(data)[:200],
                }
            return status, data

        return TokenManager(issue, self._token_cache, cache_key, min_issue_interval=0.0)

    # subscribing

    async def subscribe(self, feed: Feed[Any] | str, *keys: str) -> None:
        """Register ``feed`` for each key and wait for KIS's answer; raises a typed refusal.

        ``feed`` is a generated feed (``kis_async.realtime.domestic_stock.trade_krx``) or its TR
        ID (``"H0STCNT0"``); keys are symbols, or the HTS id for execution notices.
        """
        resolved, tr_id = self._resolve(feed)
        if not keys:
            raise KisRealtimeError(f"subscribe({resolved.name}): give at least one key", tr_id=tr_id)
        if resolved.encrypted:
            require_cryptography()
        for key in keys:
            await self._subscribe_one(resolved, tr_id, key)

    async def _subscribe_one(self, feed: Feed[Any], tr_id: str, key: str) -> None:
        self._raise_if_failed()
        if self.closed:
            raise KisRealtimeError("realtime session is closed", tr_id=tr_id, tr_key=key)
        if not isinstance(key, str) or not key.strip():
            raise KisRealtimeError(
                f"{feed.name}: the key must be a non-empty string, got {key!r}", tr_id=tr_id
            )
        if (tr_id, key) in self._subs:
            return
        if not self._connections:
            raise KisRealtimeError("the session is not open: use `async with kis.realtime() as rt:`")
        connection = min(self._connections, key=lambda c: c.load)
        if connection.load >= MAX_REGISTRATIONS:
            raise KisSubscriptionLimitError(
                f"cannot subscribe {feed.name} ({tr_id}) {key!r}: KIS allows {MAX_REGISTRATIONS} registrations "
                f"per connection and all {len(self._connections)} connection(s) are full "
                f"({len(self._subs)} subscriptions). Unsubscribe something, or pass more app keys: "
                "kis.realtime(keys=[AppKey(...), ...])",
                tr_id=tr_id,
                tr_key=key,
            )
        budget = self._budgets.get(connection.app_key)
        if budget is not None:
            held = await budget.reserve(tr_id, key)
            if held is not None:
                raise KisSubscriptionLimitError(
                    f"cannot subscribe {feed.name} ({tr_id}) {key!r}: the processes sharing app key "
                    f"{connection.app_key[:4]}… already hold {held} registrations and KIS allows "
                    f"{MAX_REGISTRATIONS} per app key"
                    + (
                        ""
                        if budget.fleet.health.up
                        else f" (Redis unreachable: this process keeps to {budget.share})"
                    )
                    + ". Unsubscribe something here or in another process, or pass more app keys",
                    tr_id=tr_id,
                    tr_key=key,
                )
        sub: Subscription[Any] = Subscription(self, feed, tr_id, key)
        connection.add(sub)  # counted at once, and KIS may send data right after its answer
        try:
            await connection.register(feed, tr_id, key)
        except BaseException:
            connection.remove(sub)
            if budget is not None:
                await budget.release(tr_id, key)
            raise
        self._subs[(tr_id, key)] = sub
        self._lost.pop((tr_id, key), None)  # subscribed again: the loss was handled
        logger.info(
            "realtime: subscribed %s (%s) %r on connection %d", feed.name, tr_id, key, connection.index
        )

    async def _lose(self, sub: Subscription[Any], cause: KisError) -> KisFeedLostError:
        """``sub`` could not be registered again after a reconnect: it leaves the connection, its
        consumers are told (its stream ends with the error after its queued ticks; ``async for
        tick in rt`` raises it once), and it is counted."""
        msg_cd = getattr(cause, "msg_cd", "")
        msg1 = getattr(cause, "msg1", "")
        error = KisFeedLostError(
            f"{sub.feed.name} ({sub.tr_id}) {sub.key!r} was lost on reconnect: it could not be registered "
            f"again ({cause}); no tick of it will come. Subscribe again to retry",
            feed=sub.feed.name,
            tr_id=sub.tr_id,
            tr_key=sub.key,
            msg_cd=msg_cd,
            msg1=msg1,
        )
        error.__cause__ = cause
        connection = sub.connection
        if connection is not None:
            connection.remove(sub)
            budget = self._budgets.get(connection.app_key)
            if budget is not None:
                await budget.release(sub.tr_id, sub.key)
        if self._subs.get((sub.tr_id, sub.key)) is sub:
            del self._subs[(sub.tr_id, sub.key)]
        sub.lost = error
        self._lost[(sub.tr_id, sub.key)] = sub
        self.stats.feeds_lost += 1
        logger.error("realtime: %s", error)
        sub._signal.notify()
        self._wake()
        return error

    async def unsubscribe(self, feed: Feed[Any] | str, *keys: str) -> None:
        """Release registrations; their streams end after the ticks already queued."""
        _, tr_id = self._resolve(feed)
        for key in keys:
            self._lost.pop((tr_id, key), None)  # a lost feed given up: no need to tell of it again
            sub = self._subs.pop((tr_id, key), None)
            if sub is None or sub.connection is None:
                continue
            connection = sub.connection
            try:
                await connection.request(RELEASE, tr_id, key)
            finally:
                connection.remove(sub)
                sub.close()
                budget = self._budgets.get(connection.app_key)
                if budget is not None:
                    await budget.release(tr_id, key)

    async def _keep_budgets(self) -> None:
        """Heartbeat: this process's registrations keep counting across the fleet while it lives."""
        budgets = list(self._budgets.values())
        while True:
            await asyncio.sleep(min(b.ttl for b in budgets) / 3)
            for budget in budgets:
                await budget.heartbeat()

    def _resolve(self, feed: Feed[Any] | str) -> tuple[Feed[Any], str]:
        if isinstance(feed, str):
            name = feed
            try:
                feed = find_feed(name)
            except KeyError:
                raise KisUnknownFeedError(
                    f"{name!r} is neither the TR ID nor the name of a real-time feed (see docs/realtime_feeds.md)",
                    tr_id=name,
                ) from None
        if not isinstance(feed, Feed):
            raise KisUnknownFeedError(f"expected a feed or a TR ID string, got {type(feed).__name__}")
        return feed, feed.tr_id(self.client.env)

    @property
    def subscriptions(self) -> list[Subscription[Any]]:
        return list(self._subs.values())

    # consuming

    @overload
    async def on(self, feed: Feed[TickT], key: str, callback: TickCallback[TickT]) -> FeedHandler[TickT]: ...
    @overload
    async def on(self, feed: str, key: str, callback: TickCallback[Tick]) -> FeedHandler[Tick]: ...
    async def on(self, feed: Feed[Any] | str, key: str, callback: TickCallback[Any]) -> FeedHandler[Any]:
        """Call ``callback`` (sync or async) with every tick of ``feed`` for ``key``, subscribing
        first if needed. Returns the handler (``.cancel()``; awaiting it raises what ended it);
        ``await rt.run()`` waits for all of them and raises the first failure (a callback's
        exception, a lost feed), so an error in a handler is never lost."""
        resolved, tr_id = self._resolve(feed)
        await self.subscribe(resolved, key)
        handler = FeedHandler(resolved.name, key, self._subs[(tr_id, key)].__aiter__(), callback)
        self._handlers.append(handler)
        return handler

    async def run(self) -> None:
        """Wait for the handlers registered with :meth:`on`: returns when all have ended (the
        session closed), raises the first one's failure after cancelling the others."""
        if not self._handlers:
            raise KisRealtimeError("rt.run(): no handler; register one with rt.on(feed, key, callback)")
        await run_handlers(self._handlers)

    def stream(self, feed: Feed[TickT], key: str) -> AsyncIterator[TickT]:
        """The ticks of one subscription (subscribe first)."""
        resolved, tr_id = self._resolve(feed)
        sub = self._subs.get((tr_id, key)) or self._lost.get((tr_id, key))
        if sub is None:
            raise KisRealtimeError(f"{resolved.name} {key!r} is not subscribed", tr_id=tr_id, tr_key=key)
        return sub.__aiter__()

    def __aiter__(self) -> AsyncIterator[Tick]:
        return self._merged()

    async def _merged(self) -> AsyncIterator[Tick]:
        while True:
            best: Subscription[Any] | None = None
            for sub in self._subs.values():
                sub.check_overflow()
                if sub.queue and (best is None or sub.queue[0][0] < best.queue[0][0]):
                    best = sub
            for sub in self._lost.values():
                if sub.queue and (best is None or sub.queue[0][0] < best.queue[0][0]):
                    best = sub
            if best is not None:
                yield best.queue.popleft()[1]
                continue
            self._report_lost()
            self._raise_if_failed()
            if self.closed:
                return
            await self._signal.wait()

    def _report_lost(self) -> None:
        """Raise the first loss no consumer was told of yet (each once); forget those told."""
        for key, sub in list(self._lost.items()):
            if sub.lost_reported and not sub.queue:
                del self._lost[key]
                continue
            if not sub.lost_reported and sub.lost is not None:
                sub.lost_reported = True
                raise sub.lost

    def _wake(self) -> None:
        self._signal.notify()

    def _fail(self, error: BaseException) -> None:
        """A connection gave up: every consumer raises ``error``."""
        self._failure = error
        for sub in self._subs.values():
            sub._signal.notify()
        self._wake()

    def _raise_if_failed(self) -> None:
        if self._failure is not None:
            raise self._failure

    async def _emit(self, event: Reconnected) -> None:
        self.reconnects.append(event)
        if self.on_reconnect is None:
            return
        try:
            result = self.on_reconnect(event)
            if inspect.isawaitable(result):
                await result
        except Exception:
            logger.exception("realtime: on_reconnect callback failed")
