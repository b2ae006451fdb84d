"""The sandbox server: an aiohttp application that answers like a KIS domain.

Every endpoint in ``kis_async._registry.ENDPOINTS`` (so every spec after ``make gen``) is served
at its path, plus any descriptor given as ``extra_endpoints``. One request goes through what the
KIS gateway does, in order: app key → rate limit → access token → TR ID → input fields → answer.

One sandbox plays one environment, as KIS runs one domain per environment: ``env="real"``
(실전, 20 requests/s per app key) or ``env="paper"`` (모의투자, 2 requests/s; a TR without a paper
version gets KIS's "모의투자 TR 이 아닙니다."). ``rate_limit`` overrides the number.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import importlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

from aiohttp import web

from kis_async._calendar import KST, is_trading_day
from kis_async._endpoint import Endpoint
from kis_async._record import Recorded, Replay
from kis_async._registry import ENDPOINTS
from kis_async.sandbox import _protocol as kis
from kis_async.sandbox._clock import SandboxClock
from kis_async.sandbox._data import DataGenerator, offset_from
from kis_async.sandbox._faults import Fault, Faults
from kis_async.sandbox._market import quote
from kis_async.sandbox._notices import OrderDesk
from kis_async.sandbox._overseas import OVERSEAS_NOTICE_TR
from kis_async.sandbox._refusals import by_code
from kis_async.sandbox._state import (
    IssuedToken,
    ReceivedOrder,
    RequestWindow,
    SandboxStats,
    TokenStore,
    kst_stamp,
)
from kis_async.sandbox._validate import check_fields

if TYPE_CHECKING:
    from kis_async._client import KisClient
    from kis_async.sandbox._realtime import RealtimeSandbox

logger = logging.getLogger("kis_async.sandbox")

#: KIS's per-app-key limits (requests/s).
DEFAULT_RATES = {"real": 20.0, "paper": 2.0}
#: KIS hands out the previous token again when asked within six hours of issuing it.
TOKEN_REUSE_WINDOW = 6 * 3600.0

Env = Literal["real", "paper"]


def registered_endpoints() -> list[Endpoint[Any]]:
    """Every generated endpoint descriptor (imports each generated module once)."""
    found = []
    for module, const, _ in ENDPOINTS:
        found.append(getattr(importlib.import_module(f"kis_async.{module}"), const))
    return found


class Sandbox:
    """A local KIS server for tests, demos and bots' dry runs; binds to loopback by default.

    ``async with Sandbox() as sb:`` starts it on a free port; ``sb.url`` is its base URL,
    ``sb.ws_url`` its WebSocket (real-time feeds, same port) and ``sb.client()`` a
    :class:`KisClient` pointed at both. Orders it accepts are notified, encrypted, to subscribers of
    the execution-notice feed (H0STCNI0 real / H0STCNI9 paper) keyed by ``hts_id``.

    Args:
        host, port: Where to listen (``port=0``: a free port).
        env: ``"real"`` or ``"paper"``: which TR IDs it accepts and its default rate limit.
        seed: Fixes every generated value; the same request gives the same data.
        rate_limit: Requests/s per app key; ``"default"`` is KIS's (real 20, paper 2), ``None``
            turns limiting off.
        token_lifetime: Seconds a token lives (KIS: 86400).
        min_token_interval: Seconds between token issues per app key; sooner gets ``EGW00133``
            (KIS: 60).
        token_reuse_window: Within this many seconds of an issue, asking again returns the same
            token (KIS: 6 h); 0 always issues a new one.
        app_keys: Accepted app key → secret; ``None`` accepts any non-empty pair.
        faults: Fault injection plan (also reachable and mutable as ``sb.faults``).
        extra_endpoints: Descriptors served besides the generated ones (e.g. built at run time
            from specs by ``codegen.dynamic.endpoints_from_specs``).
        page_size, paged_rows: Rows per page and in all, for endpoints with continuation paging.
        now: The sandbox clock's starting instant (timezone-aware; default: the real time, or
            10:00 KST of ``today`` when that is given). The clock runs with real time from there;
            ``sb.set_time()``/``sb.advance()`` jump it. Orders are checked against its KST day and
            session: on a weekend, a KRX holiday or outside the order type's session they are
            refused as KIS refuses them. Quotes, charts (``docs/sandbox.md``, History), ticks and
            fills read every symbol's seeded price path at this clock.
        today: The trading day the data describes (default: the clock's KST date).
        cash: 예수금 (won) every account starts with (default 50,000,000).
        holdings: What every account holds at the start: ``{"005930": 10}`` (bought at the
            previous close) or ``{"005930": (10, 70000)}`` (quantity, average price); default: a
            seeded portfolio of ``paged_rows`` stocks. Overseas holdings are keyed
            ``"NASD:AAPL"`` (default: a seeded NASDAQ portfolio). Orders move cash and holdings.
        foreign_cash: 외화 예수금 per currency, e.g. ``{"USD": 5000}`` (default: USD 100,000 and
            some of HKD, CNY, JPY, VND).
        fx: 기준환율 per currency as KIS writes ``bass_exrt`` (won per USD, HKD, CNY; per 100
            JPY and VND), e.g. ``{"USD": 1450}``; default USD 1,380, HKD 177.5, CNY 190.3, JPY
            920, VND 5.45. Fixed for the run: the won fields of the overseas balances and
            buying-power answers convert with it (``docs/sandbox.md``).
        futures_cash: 선물옵션 예탁현금 in won (default 50,000,000): futures margin and option
            premiums come out of it (``docs/sandbox.md``, "Futures and options").
        replay: A file written by ``KisClient(record=...)``: requests that match a recorded one
            (method, path, TR ID, query or body with account numbers masked) get the recorded
            answers in recorded order (an answer recorded as lost closes the connection); then,
            and for every other request, the sandbox answers as usual.
        strict_replay: With a replay file, answer a request that has no recorded answer (left)
            with a KIS-style error (``msg_cd`` ``RPLY0001``) naming it, instead of made-up data.
        hts_id: The HTS user id of the sandbox's account: the key execution notices go to.
        realtime_rate: Real-time data frames per second per subscription (0: only notices and
            what tests push); ``sb.realtime`` tunes the WebSocket side further.
        idle_timeout: Seconds a connection may sit idle, or take to send its request's headers,
            before it is closed (a client that never finishes its headers holds nothing for long;
            above aiohttp's own 15 s keep-alive, so a client never reuses a closing connection).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        env: Env = "real",
        seed: int = 0,
        rate_limit: float | Literal["default"] | None = "default",
        token_lifetime: float = 86400.0,
        min_token_interval: float = 60.0,
        token_reuse_window: float = TOKEN_REUSE_WINDOW,
        app_keys: Mapping[str, str] | None = None,
        faults: Faults | None = None,
        extra_endpoints: Iterable[Endpoint[Any]] = (),
        page_size: int = 20,
        paged_rows: int = 50,
        now: dt.datetime | None = None,
        today: dt.date | None = None,
        replay: str | Path | None = None,
        strict_replay: bool = False,
        hts_id: str = "sandbox-user",
        realtime_rate: float = 10.0,
        cash: int | None = None,
        holdings: Mapping[str, int | tuple[int, int]] | None = None,
        idle_timeout: float = 30.0,
        foreign_cash: Mapping[str, Decimal | int] | None = None,
        futures_cash: int | None = None,
        fx: Mapping[str, Decimal | int | float | str] | None = None,
    ) -> None:
        if env not in DEFAULT_RATES:
            raise ValueError(f"env must be 'real' or 'paper', got {env!r}")
        if page_size < 1 or paged_rows < 0:
            raise ValueError("page_size must be >= 1 and paged_rows >= 0")
        self.host = host
        self.port = port
        self.idle_timeout = idle_timeout
        self.env: Env = env
        self.seed = seed
        self.rate_limit = DEFAULT_RATES[env] if rate_limit == "default" else rate_limit
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise ValueError(f"rate_limit must be positive or None, got {rate_limit}")
        self.min_token_interval = min_token_interval
        self.app_keys = dict(app_keys) if app_keys is not None else None
        self.faults = faults if faults is not None else Faults()
        self.stats = SandboxStats()
        self.tokens = TokenStore(
            lifetime=token_lifetime,
            min_interval=min_token_interval,
            reuse_window=token_reuse_window,
            seed=seed,
        )
        if now is None and today is not None:
            now = dt.datetime.combine(today, dt.time(10, 0), tzinfo=KST)
        self.clock = SandboxClock(now)
        """The sandbox's KST clock (``sb.clock.now()``)."""
        self.data = DataGenerator(
            seed=seed,
            today=today or self.clock.today(),
            env=env,
            page_size=page_size,
            paged_rows=paged_rows,
            now=self.clock.now,
        )
        self._window = RequestWindow()
        self.replay = Replay.load(replay) if replay is not None else None
        """The recorded answers still to give (``used``/``remaining``); ``None`` without a file."""
        self.strict_replay = strict_replay
        if strict_replay and self.replay is None:
            raise ValueError("strict_replay=True needs a replay file (replay=...)")
        self._routes: dict[str, list[Endpoint[Any]]] = {}
        for endpoint in [*registered_endpoints(), *extra_endpoints]:
            self.serve(endpoint)
        self.faults.check_targets(self._fault_targets)
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self.hts_id = hts_id
        self.realtime_rate = realtime_rate
        self._realtime: RealtimeSandbox | None = None
        self.desk = OrderDesk(
            seed,
            live_price=self._live_price,
            env=env,
            now=self.clock.now,
            cash=cash,
            holdings=holdings,
            portfolio_size=paged_rows,
            foreign_cash=foreign_cash,
            futures_cash=futures_cash,
            fx=fx,
        )
        """The order desk: every account's orders, fills, cash and holdings."""
        self.data.book = self.desk  # order inquiries and balances answer from the desk's book

    def set_time(self, at: dt.datetime) -> None:
        """Jump the sandbox clock to ``at`` (timezone-aware); it runs on from there."""
        self.clock.set(at)

    def advance(self, delta: dt.timedelta) -> None:
        """Move the sandbox clock by ``delta``."""
        self.clock.advance(delta)

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``; only once started."""
        if self._url is None:
            raise RuntimeError(
                "the sandbox is not running: use `async with Sandbox() as sb` or `await sb.start()`"
            )
        return self._url

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/oauth2/tokenP", self._token)
        app.router.add_post("/oauth2/revokeP", self._revoke)
        app.router.add_post("/oauth2/Approval", self._approval)
        app.router.add_post("/uapi/hashkey", self._hashkey)
        app.router.add_get("/", self._websocket)
        app.router.add_get("/common/master/{name}", self._master_file)
        app.router.add_route("*", "/{path:.*}", self._api)
        return app

    async def start(self) -> str:
        # the market calendar (the holidays package) loads on first use, which takes up to a
        # second: load it now, so a bot's first quote is answered as fast as the next ones
        await asyncio.get_running_loop().run_in_executor(None, self._warm_calendar)
        runner = web.AppRunner(
            self.app(), access_log=None, handle_signals=False, keepalive_timeout=self.idle_timeout
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self.port = port
        shown = f"[{host}]" if ":" in host else host
        self._url = f"http://{shown}:{port}"
        logger.info("KIS sandbox (%s) serving %d endpoints at %s", self.env, len(self.endpoints), self._url)
        return self._url

    def _warm_calendar(self) -> None:
        day = self.data.now().date()
        is_trading_day(day)
        is_trading_day(day.replace(month=1, day=1) - dt.timedelta(days=1))

    async def close(self) -> None:
        if self._realtime is not None:
            await self._realtime.shutdown()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        self._url = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def ws_url(self) -> str:
        """``ws://127.0.0.1:<port>``: the real-time WebSocket, on the REST port; only once started."""
        return "ws" + self.url.removeprefix("http")

    @property
    def realtime(self) -> RealtimeSandbox:
        """The WebSocket side (built on first use): its rate, faults and stats."""
        if self._realtime is None:
            from kis_async.sandbox._realtime import RealtimeSandbox

            self._realtime = RealtimeSandbox(
                rate=self.realtime_rate,
                seed=self.seed,
                today=self.data.today,
                now=self.data.now,
                env=self.env,
            )
        return self._realtime

    def _live_price(self, symbol: str) -> int | None:
        """The current price of ``symbol``: its price path at the sandbox clock (or at the end of
        ``today`` when one was given), the price
        ``inquire_price`` answers, the latest minute bar closes at and a live tick carries."""
        return quote(self.seed, symbol, self.data.now()).price

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        return await self.realtime.websocket(request)

    async def _notify(
        self, endpoint: Endpoint[Any], tr_id: str, fields: Mapping[str, Any], output: Any, app_key: str
    ) -> None:
        """Books an accepted order; its execution notices go to whoever subscribed to ``hts_id``."""
        if not isinstance(output, Mapping):
            return
        for notice in self.desk.notices(endpoint, tr_id, fields, output, app_key=app_key):
            if self._realtime is not None:
                tr_ids = self.desk.notice_trs(endpoint, tr_id, notice)
                await self._realtime.notify_execution(self.hts_id, notice, tr_ids=tr_ids)

    async def _wake(self) -> None:
        """Fills the overseas orders that waited for an afternoon session now open (taken in a
        lunch break) and sends their notices, then ends the orders whose day is over
        (:mod:`._day_orders`), before anything is answered."""
        for notice in self.desk.wake_abroad():
            if self._realtime is not None:
                tr_ids = (OVERSEAS_NOTICE_TR.get(self.env, OVERSEAS_NOTICE_TR["real"]),)
                await self._realtime.notify_execution(self.hts_id, notice, tr_ids=tr_ids)
        self.desk.end_days()  # day orders: what the clock's day ends left open is gone, no notice

    # -- for tests and bots ---------------------------------------------------------------------

    @property
    def endpoints(self) -> dict[str, Endpoint[Any]]:
        """Served endpoints by dotted name."""
        return {e.name: e for group in self._routes.values() for e in group}

    def serve(self, endpoint: Endpoint[Any]) -> None:
        """Serve one more endpoint descriptor (also while running); replaces one of the same name."""
        for path, group in list(self._routes.items()):
            self._routes[path] = [e for e in group if e.name != endpoint.name]
        self._routes.setdefault(endpoint.path, []).append(endpoint)

    def client(
        self, app_key: str = "PSsandboxAppKey0001", app_secret: str = "sandbox-secret", **kwargs: Any
    ) -> KisClient:
        """A :class:`KisClient` pointed at this sandbox: its environment, no token cache file, and a
        token interval matching the sandbox's. Keyword arguments go to :class:`KisClient`."""
        from kis_async._client import KisClient

        kwargs.setdefault("env", self.env)
        kwargs.setdefault("ws_url", self.ws_url)
        kwargs.setdefault("token_cache", None)
        kwargs.setdefault("clock", self.clock.now)
        kwargs.setdefault(
            "min_token_interval", self.min_token_interval + 1 if self.min_token_interval else 0.0
        )
        return KisClient(app_key, app_secret, base_url=self.url, **kwargs)

    def _fault_targets(self) -> set[str]:
        """What ``sb.faults.set`` may name: served endpoints' dotted names, paths and TR IDs (of
        either environment, so one fault plan serves a real and a paper sandbox)."""
        targets = set(self._routes)
        for group in self._routes.values():
            for endpoint in group:
                targets |= {endpoint.name, *_tr_ids(endpoint, "real"), *_tr_ids(endpoint, "paper")}
        return targets

    def expire_tokens(self, token: str | None = None) -> None:
        """Expire every issued token (or one): the next call carrying it gets ``EGW00123``.

        The client then asks for a new token, which KIS (and this sandbox, and ``sb.client()``)
        allow once a minute per app key: a test that expires a token right after the first issue
        waits about a minute unless the sandbox was made with ``min_token_interval=0``."""
        self.tokens.expire(token)

    # -- OAuth ----------------------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.StreamResponse:
        self.stats.token_requests += 1
        fault = self.faults.pick("tokenP", "/oauth2/tokenP")
        body = await _json_object(request)
        if body is None:
            return kis.oauth_error(kis.BAD_GRANT)

        async def answer() -> web.Response:
            if body.get("grant_type") != "client_credentials":
                self.stats.token_refusals += 1
                return kis.oauth_error(kis.BAD_GRANT)
            refusal = self._check_app(str(body.get("appkey") or ""), str(body.get("appsecret") or ""))
            if refusal is not None:
                self.stats.token_refusals += 1
                return kis.oauth_error(refusal)
            now = time.time()
            token, new = self.tokens.issue(str(body["appkey"]), now)
            if token is None:
                self.stats.token_refusals += 1
                return kis.oauth_error(kis.TOKEN_TOO_SOON)
            self.stats.tokens_issued += new
            return kis.json_response(
                {
                    "access_token": token.value,
                    "access_token_token_expired": kst_stamp(token.expires_at),
                    "token_type": "Bearer",
                    "expires_in": max(0, int(token.expires_at - now)),
                }
            )

        return await self._with_fault(request, fault, answer)

    async def _revoke(self, request: web.Request) -> web.StreamResponse:
        body = await _json_object(request) or {}
        refusal = self._check_app(str(body.get("appkey") or ""), str(body.get("appsecret") or ""))
        if refusal is not None:
            return kis.oauth_error(refusal)
        token = self.tokens.find(str(body.get("token") or ""))
        if token is None or token.app_key != body.get("appkey"):
            return kis.oauth_error(kis.TOKEN_INVALID)
        self.tokens.revoke(token.value)
        return kis.json_response(kis.REVOKED)

    async def _approval(self, request: web.Request) -> web.StreamResponse:
        body = await _json_object(request) or {}
        if body.get("grant_type") != "client_credentials":
            return kis.oauth_error(kis.BAD_GRANT)
        refusal = self._check_app(str(body.get("appkey") or ""), str(body.get("secretkey") or ""))
        if refusal is not None:
            return kis.oauth_error(refusal)
        digest = hashlib.sha256(f"{self.seed}|approval|{body['appkey']}".encode()).digest()
        key = str(uuid.UUID(bytes=digest[:16]))
        self.realtime.accept_approval_key(key)
        return kis.json_response({"approval_key": key})

    async def _master_file(self, request: web.Request) -> web.StreamResponse:
        """KIS's stock master archives, for the sandbox's own universe (kis_async.symbols)."""
        from kis_async.sandbox._master import master_archive

        data = master_archive(request.match_info["name"])
        if data is None:
            raise web.HTTPNotFound()
        return web.Response(body=data, content_type="application/zip")

    async def _hashkey(self, request: web.Request) -> web.StreamResponse:
        refusal = self._check_app(request.headers.get("appkey", ""), request.headers.get("appsecret", ""))
        if refusal is not None:
            return kis.kis_error(refusal)
        body = await _json_object(request)
        if body is None:
            return kis.kis_error(
                kis.INVALID_FIELD, "ERROR : INPUT_FIELD_VALUE JsonBody: expected a JSON object"
            )
        # over the exact bytes received: the order must then be sent byte for byte the same
        digest = body_hash(await request.read())
        return kis.json_response({"JsonBody": body, "HASH": digest})

    def _check_app(self, app_key: str, app_secret: str) -> tuple[str, str] | None:
        if not app_key or (self.app_keys is not None and app_key not in self.app_keys):
            return kis.BAD_APP_KEY
        if not app_secret or (self.app_keys is not None and self.app_keys[app_key] != app_secret):
            return kis.BAD_APP_SECRET
        return None

    # -- API calls ------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.StreamResponse:
        group = self._routes.get(request.path)
        if not group:
            raise web.HTTPNotFound(text=f"no KIS endpoint at {request.path}")
        methods = {e.method for e in group}
        if request.method not in methods:
            raise web.HTTPMethodNotAllowed(request.method, sorted(methods))
        tr_id = request.headers.get("tr_id", "")
        endpoint = next((e for e in group if tr_id in _tr_ids(e, self.env)), None)
        name = endpoint.name if endpoint else group[0].name
        self.stats.requests[name] += 1
        self.stats.by_tr[tr_id] += 1
        fault = self.faults.pick(name, tr_id, request.path)

        async def answer() -> web.Response:
            if self.replay is not None:
                return await self._replayed(request, tr_id) or await self._answer(
                    request, group, endpoint, tr_id
                )
            return await self._answer(request, group, endpoint, tr_id)

        return await self._with_fault(request, fault, answer)

    async def _with_fault(
        self, request: web.Request, fault: Fault | None, answer: Callable[[], Awaitable[web.Response]]
    ) -> web.StreamResponse:
        """Answer, with ``fault`` applied: latency and token expiry first, then either a failure
        instead of the answer (status, non-JSON) or the answer lost on the way (drop, truncate)."""
        if fault is None:
            return await answer()
        for kind in fault.kinds:
            self.stats.faults[kind] += 1
        if fault.latency:
            await asyncio.sleep(fault.latency)
        if fault.expire_token:
            value = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if value:
                self.tokens.expire(value)
        if not fault.drop and not fault.truncate:
            if fault.refuse is not None:
                found = by_code(fault.refuse, self.env)
                return self._error((found.msg_cd, found.msg1), rt_cd=found.rt_cd, status=200)
            if fault.status is not None:
                return kis.gateway_page(fault.status)
            if fault.non_json:
                return web.Response(
                    text="<html><body>Service Temporarily Unavailable</body></html>", content_type="text/html"
                )
        response = await answer()
        transport = request.transport
        if fault.drop:
            if transport is not None:
                transport.abort()
            return web.Response()
        if fault.truncate:
            body = bytes(response.body) if isinstance(response.body, bytes | bytearray) else b""
            stream = web.StreamResponse(status=response.status, headers=response.headers)
            stream.content_length = len(body)
            await stream.prepare(request)
            await stream.write(body[: max(1, len(body) // 2)])
            if transport is not None:
                transport.abort()
            return stream
        return response

    async def _answer(
        self,
        request: web.Request,
        group: list[Endpoint[Any]],
        endpoint: Endpoint[Any] | None,
        tr_id: str,
    ) -> web.Response:
        headers = request.headers
        app_key = headers.get("appkey", "")
        await self._wake()
        refusal = self._check_app(app_key, headers.get("appsecret", ""))
        if refusal is not None:
            return self._error(refusal)
        if self.rate_limit is not None and not self._window.admit(app_key, self.rate_limit, time.monotonic()):
            self.stats.rate_limited += 1
            return self._error(kis.RATE_LIMITED)
        token_problem = self._check_token(headers.get("authorization", ""), app_key)
        if token_problem is not None:
            return self._error(token_problem)
        if endpoint is None:
            if self.env == "paper" and any(tr_id in _tr_ids(e, "real") for e in group):
                return self._error(kis.NOT_PAPER_TR)
            return self._error(kis.UNKNOWN_TR)
        if endpoint.rate_limit and not self._window.admit(
            f"{app_key}:{tr_id}", endpoint.rate_limit, time.monotonic()
        ):
            self.stats.rate_limited += 1
            return self._error(kis.TR_RATE_LIMITED)
        custtype = headers.get("custtype", "")
        if custtype not in ("P", "B"):
            return self._error(
                (kis.MISSING_FIELD, f"ERROR : INPUT_FIELD_NAME custtype (고객 타입) = {custtype!r}: P or B")
            )
        if custtype == "B" and not headers.get("personalseckey"):
            return self._error(
                (kis.MISSING_FIELD, "ERROR : INPUT_FIELD_NAME personalseckey (고객식별키) 누락")
            )
        if endpoint.method == "GET":
            fields: dict[str, Any] = dict(request.query)
        else:
            body = await _json_object(request)
            if body is None:
                return self._error(
                    (kis.INVALID_FIELD, "ERROR : INPUT_FIELD_VALUE body: expected a JSON object")
                )
            fields = body
            hashkey = headers.get("hashkey")
            if hashkey is not None and hashkey != body_hash(await request.read()):
                return self._error(
                    (
                        kis.INVALID_FIELD,
                        "ERROR : INPUT_FIELD_VALUE hashkey: not the HASH of this body "
                        "(/uapi/hashkey must see the exact bytes the order sends)",
                    )
                )
        problem = check_fields(endpoint, fields, self.env)
        if problem is not None:
            return self._error((problem.msg_cd, problem.msg1))
        offset = 0
        if endpoint.paging and headers.get("tr_cont", "").strip() == "N":
            found = offset_from(endpoint, fields)
            if found is None:
                wire = next(iter(endpoint.paging))
                return self._error(
                    (
                        kis.INVALID_FIELD,
                        f"ERROR : INPUT_FIELD_VALUE {wire}: not a continuation key this server sent",
                    )
                )
            offset = found
        if not endpoint.retry_safe:
            self.stats.orders.append(
                ReceivedOrder(
                    endpoint.name, endpoint.path, tr_id, dict(fields), app_key, "hashkey" in headers
                )
            )
            refused = self.desk.check(endpoint, tr_id, fields, app_key)
            if refused is not None:  # KIS's business refusal: nothing is booked
                return self._error((refused.msg_cd, refused.msg1), rt_cd=refused.rt_cd, status=200)
        page = self.data.page(endpoint, {k: str(v) for k, v in fields.items()}, offset, app_key=app_key)
        self.stats.answered[endpoint.name] += 1
        if not endpoint.retry_safe:
            await self._notify(endpoint, tr_id, fields, page.body.get("output"), app_key)
        body_out = {
            "rt_cd": "0",
            "msg_cd": kis.SUCCESS[0],
            "msg1": kis.SUCCESS[1].ljust(kis.MSG1_WIDTH),
            **page.body,
        }
        # F/M: more pages follow; D: the last (or only) page.
        tr_cont = "D"
        if endpoint.paging and page.more:
            tr_cont = "F" if page.first else "M"
        reply_headers = {"tr_id": tr_id, "tr_cont": tr_cont}
        if headers.get("gt_uid"):
            reply_headers["gt_uid"] = headers["gt_uid"]
        return kis.json_response(body_out, headers=reply_headers)

    async def _replayed(self, request: web.Request, tr_id: str) -> web.Response | None:
        """The next recorded answer to ``request``; ``None`` to answer it as usual."""
        assert self.replay is not None
        if request.method == "GET":
            fields: Mapping[str, Any] = request.query
        else:
            fields = await _json_object(request) or {}
        recorded: Recorded | None = self.replay.answer(request.method, request.path, tr_id, fields)
        if recorded is None:
            if not self.strict_replay:
                return None
            shown = json.dumps(dict(fields), ensure_ascii=False)
            return self._error(
                (
                    "RPLY0001",
                    f"replay: no recorded answer (left) for {request.method} {request.path} "
                    f"tr_id={tr_id} {shown}",
                )
            )
        self.stats.replayed += 1
        if recorded.error is not None or recorded.status is None:
            if request.transport is not None:
                request.transport.abort()
            return web.Response()
        headers = {"tr_id": tr_id, "tr_cont": recorded.tr_cont}
        if isinstance(recorded.response, str):
            return web.Response(
                text=recorded.response, status=recorded.status, content_type="text/html", headers=headers
            )
        return kis.json_response(recorded.response, status=recorded.status, headers=headers)

    def _check_token(self, authorization: str, app_key: str) -> tuple[str, str] | None:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return kis.TOKEN_INVALID
        token: IssuedToken | None = self.tokens.find(value.strip())
        if token is None or token.revoked or token.app_key != app_key:
            return kis.TOKEN_INVALID
        if token.expired(time.time()):
            return kis.TOKEN_EXPIRED
        return None

    def _error(self, code: tuple[str, str], *, rt_cd: str = "1", status: int = 500) -> web.Response:
        self.stats.errors[code[0]] += 1
        return kis.kis_error(code, rt_cd=rt_cd, status=status)

    def __repr__(self) -> str:
        where = self._url or "not started"
        return f"Sandbox(env={self.env!r}, seed={self.seed}, {where}, {len(self.endpoints)} endpoints)"


def _tr_ids(endpoint: Endpoint[Any], env: str) -> set[str]:
    table = endpoint.tr_id.real if env == "real" else endpoint.tr_id.paper
    if table is None:
        return set()
    if isinstance(table, str):
        return {table}
    return set(table.values())


def body_hash(raw: bytes) -> str:
    """What the sandbox's ``/uapi/hashkey`` answers as ``HASH`` for a body, and what an order's
    ``hashkey`` header must equal: SHA-256 of the exact bytes (KIS's own algorithm is not
    published; any change of serialisation between the two requests is caught either way)."""
    return hashlib.sha256(raw).hexdigest()


async def _json_object(request: web.Request) -> dict[str, Any] | None:
    try:
        data = json.loads(await request.read() or b"null")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
