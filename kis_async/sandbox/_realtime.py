"""A local KIS WebSocket server: the real-time half of the sandbox, usable on its own.

It speaks KIS's protocol (approval key at ``POST /oauth2/Approval``, JSON (un)subscribe answers,
``E|TR_ID|NNN|…`` data frames, PINGPONG) for every generated feed, with deterministic ticks, the
41-registration limit, AES-256-CBC execution notices and fault injection::

    async with RealtimeSandbox(rate=50) as sandbox:
        kis = KisClient("key", "secret", base_url=sandbox.base_url, ws_url=sandbox.ws_url)

Ticks are deterministic for a seed and consistent (``ticks="market"``, the default): each key
reads the REST sandbox's price path at the clock's instant (the latest close while its market is
closed), on the KRX tick grid, with differences, signs and rates that add up,
growing cumulative volume and times that never go back (see ``_ticks``). With
``ticks="serial"`` the ``n``-th record has integer fields ``10000 + n`` instead (so the benchmark
can tell which record a tick was), decimals ``n.5``, dates ``20261120``, times counting seconds
from 09:00:00, sign codes ``2`` (상승).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs
from aiohttp import WSMsgType, web

from kis_async._calendar import now_kst
from kis_async._feed import Feed, Wire, all_feeds
from kis_async._realtime import MAX_REGISTRATIONS
from kis_async._realtime_wire import PINGPONG, aes_encrypt
from kis_async.sandbox._ticks import TickMaker

logger = logging.getLogger("kis_async.sandbox")

#: The feed an ``order_cash`` fill is notified on (국내주식 실시간체결통보, real / paper TR).
DOMESTIC_NOTICE_TRS = ("H0STCNI0", "H0STCNI9")


@attrs.define
class SandboxStats:
    connections: int = 0
    approvals_issued: int = 0
    frames_sent: int = 0
    closed_for_pong: int = 0
    registrations: list[tuple[int, str, str]] = attrs.field(factory=list)
    """Every accepted registration: (connection number, TR ID, key)."""
    releases: list[tuple[int, str, str]] = attrs.field(factory=list)
    """Every release (tr_type 2) received: (connection number, TR ID, key)."""
    refusals: list[tuple[int, str, str, str]] = attrs.field(factory=list)
    """Every refused request: (connection number, TR ID, key, msg1)."""


@attrs.define
class _Refusal:
    """A registration fault: (TR ID, key) matching it are answered ``msg_cd``/``msg1``."""

    tr_ids: frozenset[str] | None
    key: str | None
    msg_cd: str
    msg1: str
    times: int | None

    def matches(self, tr_id: str, key: str) -> bool:
        return (self.tr_ids is None or tr_id in self.tr_ids) and (self.key is None or self.key == key)


class _Peer:
    """One client connection."""

    def __init__(self, number: int, ws: web.WebSocketResponse, approval_key: str = ""):
        self.number = number
        self.ws = ws
        self.approval_key = approval_key
        self.subs: dict[tuple[str, str], Feed[Any]] = {}
        self.aes: dict[str, tuple[str, str]] = {}
        self.stalled_until = 0.0
        self.awaiting_pong_since: float | None = None
        self.frame = 0

    @property
    def stalled(self) -> bool:
        return time.monotonic() < self.stalled_until


class RealtimeSandbox:
    """KIS's WebSocket service on ``127.0.0.1``; see the module docstring.

    Args:
        rate: Data frames per second per subscription (0 = only what tests push).
        multi_record_every: Every n-th frame carries 3 records instead of 1 (0 = never).
        ping_interval: Seconds between PINGPONGs; a connection that does not echo within
            ``pong_timeout`` is closed, as KIS does.
        sticky: Like KIS, remember registrations per approval key across connections and answer
            ``ALREADY IN SUBSCRIBE`` when a reconnecting client registers them again.
        seed, today: Fix the ticks (the same market model as the REST sandbox's quotes).
        now: The clock ticks are read at (the REST sandbox's, ``sb.clock.now``; default: real KST).
        env: ``"real"`` or ``"paper"``: which notice TR orders are notified on.
        ticks: ``"market"`` (consistent prices, volumes and times) or ``"serial"`` (record numbers).
    """

    def __init__(
        self,
        *,
        rate: float = 10.0,
        multi_record_every: int = 5,
        ping_interval: float = 10.0,
        pong_timeout: float = 5.0,
        sticky: bool = False,
        port: int = 0,
        seed: int = 0,
        today: dt.date | None = None,
        now: Callable[[], dt.datetime] | None = None,
        env: str = "real",
        ticks: Literal["market", "serial"] = "market",
    ) -> None:
        self.rate = rate
        self.multi_record_every = multi_record_every
        self.ping_interval = ping_interval
        self.pong_timeout = pong_timeout
        self.sticky = sticky
        self.seed = seed
        self.today = today or dt.date.today()
        self.env = env
        self.ticks = ticks
        self.market = TickMaker(seed, now or now_kst)
        self.stats = SandboxStats()
        self.lose_pongs = 0
        """Fault: ignore this many PINGPONG echoes (as if lost), so the server closes the connection."""
        self.sent_at: dict[int, float] = {}
        """Record number → ``time.perf_counter()`` when it was sent (for latency measurements)."""
        self.record_sent_at = False
        self._port = port
        self._feeds: dict[str, Feed[Any]] = {}
        for feed in all_feeds():
            for tr in (feed.tr_real, feed.tr_paper):
                if tr:
                    self._feeds[tr] = feed
        self._approvals: set[str] = set()
        self._refusals: list[_Refusal] = []
        self._remembered: dict[str, set[tuple[str, str]]] = {}
        self._peers: list[_Peer] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self._frame = 0
        self._record = 0
        self._connections = 0

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> RealtimeSandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def routes(self) -> list[web.RouteDef]:
        """The routes, for mounting on another aiohttp application (the REST sandbox)."""
        return [web.post("/oauth2/Approval", self._approval), web.get("/", self.websocket)]

    async def start(self) -> None:
        app = web.Application()
        app.add_routes(self.routes())
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self._port)
        await site.start()
        server = site._server
        assert server is not None
        self._port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def shutdown(self) -> None:
        """Close every open connection and stop its ticker (what ``close`` does besides stopping
        its own HTTP server; the REST sandbox calls it when the WebSocket is mounted there)."""
        for task in list(self._tasks):
            task.cancel()
        for peer in list(self._peers):
            with contextlib.suppress(Exception):
                await peer.ws.close()

    async def close(self) -> None:
        await self.shutdown()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}"

    @property
    def connections(self) -> int:
        """Connections open now."""
        return len(self._peers)

    # -- HTTP: approval key ------------------------------------------------------------------

    async def _approval(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not body.get("appkey") or not body.get("secretkey"):
            return web.json_response(
                {"error_code": "EGW00002", "error_description": "appkey and secretkey are required"},
                status=403,
            )
        if body.get("grant_type") != "client_credentials":
            return web.json_response(
                {"error_code": "EGW00003", "error_description": "grant_type must be client_credentials"},
                status=403,
            )
        key = "sbx-" + secrets.token_hex(32)
        self.accept_approval_key(key)
        return web.json_response({"approval_key": key})

    def accept_approval_key(self, key: str) -> None:
        """Let ``key`` open subscriptions (the REST sandbox issues keys and hands them over)."""
        self._approvals.add(key)
        self.stats.approvals_issued += 1

    # -- WebSocket ---------------------------------------------------------------------------

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One client connection, until it closes (the handler of ``GET /``)."""
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._connections += 1
        self.stats.connections += 1
        peer = _Peer(self._connections, ws)
        self._peers.append(peer)
        ticker = asyncio.create_task(self._ticker(peer))
        self._tasks.add(ticker)
        try:
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    await self._on_message(peer, message.data)
                elif message.type is WSMsgType.ERROR:
                    break
        finally:
            ticker.cancel()
            self._tasks.discard(ticker)
            self._peers.remove(peer)
        return ws

    async def _on_message(self, peer: _Peer, text: str) -> None:
        try:
            data = json.loads(text)
            header, body = data["header"], data.get("body") or {}
        except (ValueError, KeyError, TypeError):
            return  # KIS ignores what it cannot read
        if header.get("tr_id") == PINGPONG:
            if self.lose_pongs > 0:
                self.lose_pongs -= 1
                return
            peer.awaiting_pong_since = None
            return
        request = body.get("input") or {}
        tr_id, key = str(request.get("tr_id") or ""), str(request.get("tr_key") or "")
        approval = str(header.get("approval_key") or "")
        tr_type = str(header.get("tr_type") or "")
        if approval not in self._approvals:
            await self._answer(peer, tr_id, key, "1", "OPSP0011", "INVALID APPROVAL KEY")
            return
        peer.approval_key = approval
        feed = self._feeds.get(tr_id)
        if feed is None:
            await self._answer(peer, tr_id, key, "1", "OPSP0007", "INVALID TR_ID : not a known realtime TR")
            return
        if tr_type == "2":
            self.stats.releases.append((peer.number, tr_id, key))
            peer.subs.pop((tr_id, key), None)
            self._remembered.get(approval, set()).discard((tr_id, key))
            await self._answer(peer, tr_id, key, "0", "OPSP0001", "UNSUBSCRIBE SUCCESS")
            return
        if tr_type != "1":
            await self._answer(peer, tr_id, key, "1", "OPSP0003", f"INVALID TR_TYPE {tr_type!r}")
            return
        refusal = next((r for r in self._refusals if r.matches(tr_id, key)), None)
        if refusal is not None:
            if refusal.times is not None:
                refusal.times -= 1
                if refusal.times <= 0:
                    self._refusals.remove(refusal)
            await self._answer(peer, tr_id, key, "1", refusal.msg_cd, refusal.msg1)
            return
        remembered = self._remembered.setdefault(approval, set())
        if (tr_id, key) in peer.subs or (self.sticky and (tr_id, key) in remembered):
            peer.subs[(tr_id, key)] = feed
            await self._answer(peer, tr_id, key, "1", "OPSP0002", "ALREADY IN SUBSCRIBE", feed=feed)
            return
        if len(peer.subs) >= MAX_REGISTRATIONS:
            await self._answer(peer, tr_id, key, "1", "OPSP0008", "MAX SUBSCRIBE OVER")
            return
        peer.subs[(tr_id, key)] = feed
        remembered.add((tr_id, key))
        self.stats.registrations.append((peer.number, tr_id, key))
        await self._answer(peer, tr_id, key, "0", "OPSP0000", "SUBSCRIBE SUCCESS", feed=feed)

    async def _answer(
        self,
        peer: _Peer,
        tr_id: str,
        key: str,
        rt_cd: str,
        msg_cd: str,
        msg1: str,
        feed: Feed[Any] | None = None,
    ) -> None:
        body: dict[str, Any] = {"rt_cd": rt_cd, "msg_cd": msg_cd, "msg1": msg1}
        if rt_cd != "0" and msg_cd != "OPSP0002":
            self.stats.refusals.append((peer.number, tr_id, key, msg1))
        if feed is not None:
            if tr_id not in peer.aes:
                peer.aes[tr_id] = (secrets.token_hex(16), secrets.token_hex(8))
            aes_key, iv = peer.aes[tr_id]
            body["output"] = {"iv": iv, "key": aes_key}
        header = {
            "tr_id": tr_id,
            "tr_key": key,
            "encrypt": "Y" if feed is not None and feed.encrypted else "N",
        }
        await self._send(peer, json.dumps({"header": header, "body": body}))

    async def _send(self, peer: _Peer, text: str) -> None:
        if peer.ws.closed:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            await peer.ws.send_str(text)

    # -- ticks and heartbeats ------------------------------------------------------------------

    async def _ticker(self, peer: _Peer) -> None:
        interval = 1.0 / self.rate if self.rate > 0 else 0.05
        next_ping = time.monotonic() + self.ping_interval
        deadline = time.monotonic()
        while not peer.ws.closed:
            deadline += interval  # a fixed schedule, so the rate holds whatever sleep overshoots
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))
            now = time.monotonic()
            if now - deadline > 1.0:
                deadline = now  # far behind (stalled, paused): do not burst to catch up
            if peer.stalled:
                continue
            if peer.awaiting_pong_since is not None and now - peer.awaiting_pong_since > self.pong_timeout:
                self.stats.closed_for_pong += 1
                logger.info("sandbox: connection %d did not echo PINGPONG; closing it", peer.number)
                await peer.ws.close()
                return
            if now >= next_ping:
                next_ping = now + self.ping_interval
                if peer.awaiting_pong_since is None:
                    peer.awaiting_pong_since = now
                stamp = time.strftime("%Y%m%d%H%M%S")
                await self._send(peer, json.dumps({"header": {"tr_id": PINGPONG, "datetime": stamp}}))
            if self.rate <= 0:
                continue
            for (tr_id, key), feed in list(peer.subs.items()):
                if feed.tr_key == "hts_id":
                    continue  # notices come from orders, not from the clock
                await self._send(peer, self.data_frame(feed, tr_id, key))

    def data_frame(self, feed: Feed[Any], tr_id: str, key: str) -> str:
        """The next deterministic frame for (feed, key); every n-th one holds 3 records."""
        self._frame += 1
        count = 3 if self.multi_record_every and self._frame % self.multi_record_every == 0 else 1
        records = []
        for _ in range(count):
            self._record += 1
            if self.ticks == "market":
                records.append(self.market.record(feed, key))
            else:
                records.append(record_values(feed, key, self._record))
            if self.record_sent_at:
                self.sent_at[self._record] = time.perf_counter()
        self.stats.frames_sent += 1
        return f"0|{tr_id}|{count:03d}|{'^'.join(v for r in records for v in r)}"

    # -- execution notices -------------------------------------------------------------------

    async def notify_execution(
        self, hts_id: str, fields: Mapping[str, str], *, tr_ids: tuple[str, ...] = DOMESTIC_NOTICE_TRS
    ) -> int:
        """Send an encrypted notice record (``fields`` by wire name, others defaulted) to every
        connection subscribed to one of ``tr_ids`` with ``hts_id``; returns how many got it."""
        sent = 0
        for peer in list(self._peers):
            for tr_id in tr_ids:
                feed = peer.subs.get((tr_id, hts_id))
                if feed is None:
                    continue
                values = notice_values(feed, hts_id, fields)
                aes_key, iv = peer.aes[tr_id]
                await self._send(peer, f"1|{tr_id}|001|{aes_encrypt(aes_key, iv, '^'.join(values))}")
                sent += 1
        return sent

    async def notify_order(
        self,
        hts_id: str,
        *,
        order_no: str,
        symbol: str,
        side: str,
        quantity: int,
        price: int,
        account: str = "1234567801",
        filled: bool = True,
    ) -> int:
        """The notice an ``order_cash`` produces (``side``: ``"01"`` sell, ``"02"`` buy): an
        acceptance (CNTG_YN 1) or a fill (CNTG_YN 2) on H0STCNI0/H0STCNI9."""
        fields = {
            "CUST_ID": hts_id,
            "ACNT_NO": account,
            "ODER_NO": order_no,
            "SELN_BYOV_CLS": side,
            "STCK_SHRN_ISCD": symbol,
            "CNTG_QTY": str(quantity if filled else 0),
            "CNTG_UNPR": str(price if filled else 0),
            "STCK_CNTG_HOUR": time.strftime("%H%M%S"),
            "RFUS_YN": "0",
            "CNTG_YN": "2" if filled else "1",
            "ACPT_YN": "2",
            "ODER_QTY": str(quantity),
            "ODER_PRC": str(price),
        }
        return await self.notify_execution(hts_id, fields)

    # -- faults ------------------------------------------------------------------------------
    # Every control is a coroutine (``await sb.realtime.stall(5)``), whether or not it sends
    # anything, so a test never has to remember which ones to await.

    async def drop_connections(self) -> int:
        """Cut every open connection without a close handshake (as a network failure does)."""
        dropped = 0
        for peer in list(self._peers):
            transport = peer.ws._req.transport if peer.ws._req is not None else None
            if transport is not None:
                transport.abort()
            else:
                await peer.ws.close()
            dropped += 1
        return dropped

    async def forget_approval_keys(self) -> int:
        """Fault: every approval key issued so far becomes invalid, as after a KIS restart: a
        registration with one is answered ``OPSP0011 INVALID APPROVAL KEY`` (keys issued
        afterwards work). Returns how many keys were forgotten."""
        forgotten = len(self._approvals)
        self._approvals.clear()
        return forgotten

    async def refuse_registrations(
        self,
        feed: Feed[Any] | str | None = None,
        key: str | None = None,
        *,
        msg_cd: str = "OPSP0009",
        msg1: str = "SUBSCRIBE ERROR : refused by the sandbox",
        times: int | None = None,
    ) -> None:
        """Fault: registrations of ``feed`` (a feed, its dotted name or a TR ID; ``None``: every
        feed) for ``key`` (``None``: every key) are refused with ``msg_cd``/``msg1`` (``rt_cd``
        "1"), ``times`` times or, with ``None``, until :meth:`accept_registrations`. Pass
        ``msg_cd="OPSP0011", msg1="INVALID APPROVAL KEY"`` to refuse as for a bad approval key."""
        tr_ids: frozenset[str] | None = None
        if feed is not None:
            tr_ids = self._tr_ids(feed)
        if times is not None and times < 1:
            raise ValueError(f"times must be at least 1 (or None for always), got {times}")
        self._refusals.append(_Refusal(tr_ids, key, msg_cd, msg1, times))

    async def accept_registrations(self) -> None:
        """Undo :meth:`refuse_registrations`: every registration is answered as usual again."""
        self._refusals.clear()

    def _tr_ids(self, feed: Feed[Any] | str) -> frozenset[str]:
        if isinstance(feed, Feed):
            return frozenset(tr for tr in (feed.tr_real, feed.tr_paper) if tr)
        if feed in self._feeds:
            return frozenset({feed})
        named = [f for f in self._feeds.values() if f.name == feed]
        if not named:
            raise ValueError(f"{feed!r} is neither a real-time feed's TR ID nor its dotted name")
        return self._tr_ids(named[0])

    async def stall(self, seconds: float) -> None:
        """The open connections go silent (no data, no PINGPONG) for ``seconds``."""
        until = time.monotonic() + seconds
        for peer in self._peers:
            peer.stalled_until = until

    async def send_raw(self, text: str) -> None:
        """Send ``text`` as-is on every open connection (garbage, truncated frames …)."""
        for peer in list(self._peers):
            await self._send(peer, text)

    async def send_garbage(self) -> None:
        """Frames a client must count and survive: not JSON, a bad count, a bad header, bad base64."""
        for text in ("}{ not json", "0|H0STCNT0|002|only^three^values", "7|??|x|", "1|H0STCNI0|001|%%%"):
            await self.send_raw(text)

    async def send_forged_notice(self, hts_id: str, fields: Mapping[str, str] | None = None) -> int:
        """A plaintext notice on an encrypted feed: what a forgery would look like."""
        sent = 0
        for peer in list(self._peers):
            for tr_id in DOMESTIC_NOTICE_TRS:
                feed = peer.subs.get((tr_id, hts_id))
                if feed is not None:
                    values = notice_values(feed, hts_id, fields or {"CNTG_YN": "2", "CNTG_QTY": "999"})
                    await self._send(peer, f"0|{tr_id}|001|{'^'.join(values)}")
                    sent += 1
        return sent


def _value(wire: Wire[Any], position: int, key: str, n: int) -> str:
    if position == 0:
        return key
    kind = wire.kind
    if kind == "int":
        return str(10000 + n)
    if kind == "decimal":
        return f"{n}.5"
    if kind == "date":
        return "20261120"
    if kind == "time":
        seconds = (9 * 3600 + n) % 86400
        return f"{seconds // 3600:02d}{seconds // 60 % 60:02d}{seconds % 60:02d}"
    if kind == "datetime":
        return "20261120090000"
    if kind == "enum":
        return "2" if wire.name.endswith("sign") else "1"
    return "X"


def record_values(feed: Feed[Any], key: str, n: int) -> list[str]:
    """One deterministic record of ``feed`` for frame ``n`` (first field = the key)."""
    tick = feed.tick
    return [_value(getattr(tick, name), i, key, n) for i, name in enumerate(feed.fields)]


def notice_values(feed: Feed[Any], hts_id: str, fields: Mapping[str, str]) -> list[str]:
    upper = {k.upper(): v for k, v in fields.items()}
    values = record_values(feed, hts_id, 0)
    for i, name in enumerate(feed.fields):
        if name.upper() in upper:
            values[i] = upper[name.upper()]
        elif getattr(feed.tick, name).kind == "str" and i:
            values[i] = ""
    return values
