"""KisClient: configuration, one aiohttp session, and the request pipeline every endpoint shares.

The pipeline for one call: pick the TR ID for the environment → validate and serialise the
arguments → take a rate-limit slot → send with the standard KIS headers and a valid token →
decode the JSON → map ``rt_cd``/``msg_cd`` to an exception or structure the typed response.
Reads are retried on transient failures; orders never are once they may have reached KIS.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import time
import uuid
import warnings
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

import aiohttp

from kis_async._auth import MIN_ISSUE_INTERVAL, Secret, TokenCache, TokenManager, default_cache_path
from kis_async._calendar import now_kst
from kis_async._config import (
    SANDBOX_APP_KEY,
    SANDBOX_APP_SECRET,
    Corporate,
    Environment,
    EnvironmentName,
    Timeout,
    check_header_value,
    parse_account,
    resolve_environment,
)
from kis_async._endpoint import Endpoint, R, _shown
from kis_async._errors import (
    RATE_LIMIT_CODES,
    TOKEN_CODES,
    KisClientClosedError,
    KisConfigError,
    KisDecodeError,
    KisError,
    KisOrderStateUnknownError,
    KisRateLimitError,
    KisTokenExpiredError,
    KisTransportError,
    api_error,
    describe_transport,
    safe_cause,
)
from kis_async._http import MAX_BODY_SIZE, BodyTooLargeError, RedirectRefusedError, new_session, read_body
from kis_async._json import loads as json_loads
from kis_async._layer import KisConveniences
from kis_async._models import structure
from kis_async._namespaces import KisNamespaces
from kis_async._ratelimit import DEFAULT_RATES, SendLimiter, shared_limiter
from kis_async._record import Recorder
from kis_async._retry import RetryPolicy
from kis_async._stats import ClientStats

if TYPE_CHECKING:
    from kis_async._fleet import Fleet, FleetConfig
    from kis_async._realtime import AppKey, RealtimeConfig, RealtimeSession, ReconnectCallback

logger = logging.getLogger("kis_async")

#: HTTP statuses that mean "the gateway did not handle it; try again" when no KIS body explains them.
_TRANSIENT_STATUS = frozenset({429, 502, 503, 504})

#: Transport failures raised before a single byte of the request left: safe to retry any call.
_NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)

_CLOSED_MESSAGE = "the KisClient was closed; this call was not sent (nothing reached KIS)"

TokenCacheOption = str | Path | TokenCache | None | Literal["default"]


class KisClient(KisNamespaces, KisConveniences):
    """An async client for the KIS Open API; one per app key and environment.

    Use it as an async context manager (``async with KisClient(...) as kis:``) so its HTTP session
    is closed; each endpoint is a method on a category attribute, e.g.
    ``await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")``.

    Everything it raises is a :class:`KisError`. Reads are retried on transient failures; orders
    are never sent twice (:class:`KisOrderStateUnknownError` when the outcome is unknown). Clients
    of one app key in one process share their rate limiter and token; the token cache file lets
    restarts and other processes reuse the token; with ``redis_url`` the processes of a fleet share
    one token, one rate limit and one real-time budget (README: "Running a fleet"). ``close()`` waits for requests already sent and
    fails calls still queued with :class:`KisClientClosedError`.

    Args:
        app_key: 앱키 from the KIS developer portal.
        app_secret: 앱시크릿키. Never logged nor shown in ``repr``.
        env: ``"real"`` (실전) or ``"paper"`` (모의투자); chooses domain, TR IDs and rate limit.
        base_url: Override the REST domain (e.g. the sandbox's URL).
        ws_url: Override the WebSocket endpoint (``from_env`` reads ``KIS_WS_URL``; the sandbox gives its own).
        account: ``"12345678-01"``; fills CANO/ACNT_PRDT_CD when a call does not give them.
        custtype: ``"P"`` individual (개인) or ``"B"`` corporate (법인).
        corporate: Headers required from corporate customers.
        token_cache: Path of the token cache file, a :class:`TokenCache`, ``None`` for memory only,
            or ``"default"`` (``$XDG_CACHE_HOME/kis-async/tokens.json``).
        timeout: Connect and total timeouts (:class:`Timeout`, default 5 s and 15 s).
        rate_limit: Requests per second for this app key; ``"default"`` is KIS's limit for the
            environment (real 20, paper 2), ``None`` turns client-side limiting off (per-TR caps
            included). Clients of one app key share one limiter (the first one's rate).
        max_retries: Retries for reads on rate-limit refusals, 429/502/503/504, resets and
            timeouts (exponential backoff with jitter, ``Retry-After`` honoured up to 60 s).
        strict: With ``False``, a response value that is not its documented type is kept as the
            wire string (warned once per field) instead of raising :class:`KisDecodeError`.
        hashkey: With ``True``, every POST (orders) first sends its body to ``/uapi/hashkey`` and
            carries the returned ``HASH`` in the ``hashkey`` header (KIS's optional tamper check).
        record: Append every API exchange to this JSON Lines file (see :mod:`kis_async._record`):
            request and answer, account numbers masked, never a key, secret or token. Replay it
            with ``Sandbox(replay=...)`` or ``kis-async sandbox --replay FILE``.
        redis_url: ``"redis://host:6379/0"`` (``from_env`` reads ``KIS_REDIS_URL``): share the app
            key's token, rate limit (per-TR caps included) and real-time registrations with the
            other processes using it (``pip install 'kis-async[redis]'``). If Redis becomes
            unreachable the client keeps trading on local limits and returns when it is back.
        fleet: :class:`FleetConfig`: ``expected_processes`` (the local share while Redis is
            unreachable), Redis call timeout, retry interval.
        max_body_size: Bytes of an answer read at most (default 16 MiB, far above KIS's largest):
            a longer one is refused (``KisTransportError``; an order: ``KisOrderStateUnknownError``).
        clock: Where "now" comes from for ``kis.now()``, ``kis.market`` and the bot layer's
            dates (timezone-aware); default the real time. ``Sandbox.client()`` passes the
            sandbox's clock, so a bot tested on a Saturday clock sees a Saturday.
        session: An ``aiohttp.ClientSession`` of your own (a proxy, your connector limits, tracing,
            a test double). The client sends through it with its own ``timeout`` per request and
            leaves it open on ``close()``: closing it stays yours.
    """

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        *,
        env: EnvironmentName = "real",
        base_url: str | None = None,
        ws_url: str | None = None,
        account: str | None = None,
        custtype: Literal["P", "B"] = "P",
        corporate: Corporate | None = None,
        token_cache: TokenCacheOption = "default",
        timeout: Timeout = Timeout(),  # noqa: B008 - frozen value object
        rate_limit: float | Literal["default"] | None = "default",
        max_retries: int = 3,
        strict: bool = True,
        min_token_interval: float = MIN_ISSUE_INTERVAL,
        hashkey: bool = False,
        record: str | Path | None = None,
        redis_url: str | None = None,
        fleet: FleetConfig | None = None,
        max_body_size: int = MAX_BODY_SIZE,
        clock: Callable[[], dt.datetime] | None = None,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        if not isinstance(env, str):
            raise KisConfigError(f"env must be one of real | paper | sandbox, got {_shown(env)}")
        played, rest_url, ws = resolve_environment(
            env,
            _url(base_url, "base_url", ("http", "https")),
            _url(ws_url, "ws_url", ("ws", "wss", "http", "https")),
        )
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise KisConfigError(f"session must be an aiohttp.ClientSession, got {type(session).__name__}")
        if session is not None and session.closed:
            raise KisConfigError("session is already closed; pass an open aiohttp.ClientSession")
        if not app_key or not app_secret:
            raise KisConfigError("app_key and app_secret are required (KIS_APP_KEY, KIS_APP_SECRET)")
        check_header_value(app_key, "app_key", secret=True)
        check_header_value(app_secret, "app_secret", secret=True)
        if not isinstance(custtype, str) or custtype not in ("P", "B"):
            raise KisConfigError(f"custtype must be 'P' (개인) or 'B' (법인), got {_shown(custtype)}")
        if corporate is not None and not isinstance(corporate, Corporate):
            raise KisConfigError(
                f"corporate must be a kis_async.Corporate(...) or None, got {_shown(corporate)}"
            )
        if account is not None and not isinstance(account, str):
            raise KisConfigError(f"account must be a string like '12345678-01', got {_shown(account)}")
        for flag, value in (("strict", strict), ("hashkey", hashkey)):
            if not isinstance(value, bool):
                raise KisConfigError(f"{flag} must be True or False, got {_shown(value)}")
        if (
            isinstance(min_token_interval, bool)
            or not isinstance(min_token_interval, int | float)
            or not 0 <= min_token_interval < float("inf")
        ):
            raise KisConfigError(
                f"min_token_interval must be a number of seconds >= 0, got {_shown(min_token_interval)}"
            )
        if custtype == "B" and corporate is None:
            raise KisConfigError("custtype='B' (법인) needs corporate=Corporate(personalseckey=...)")
        try:
            self._account = parse_account(account) if account else None
        except ValueError as exc:
            raise KisConfigError(str(exc)) from None
        self.env: Environment = played
        """The KIS environment played: ``real`` or ``paper`` (a sandbox plays ``real``)."""
        self.base_url = rest_url
        self.ws_url = ws
        self._where = {"env": played, "base_url": rest_url}
        if not isinstance(timeout, Timeout):
            raise KisConfigError(
                f"timeout must be a kis_async.Timeout(connect=..., total=...), got {_shown(timeout)}"
            )
        if rate_limit not in ("default", None) and (
            isinstance(rate_limit, bool)
            or not isinstance(rate_limit, int | float)
            or not 0 < rate_limit < 1e6
        ):
            raise KisConfigError(
                "rate_limit must be a positive number of requests per second, 'default' or None, "
                f"got {_shown(rate_limit)}"
            )
        try:
            self.retry = RetryPolicy(max_retries=max_retries)
        except ValueError as exc:
            raise KisConfigError(str(exc)) from None
        if isinstance(max_body_size, bool) or not isinstance(max_body_size, int) or max_body_size < 1024:
            raise KisConfigError(
                f"max_body_size must be a number of bytes of at least 1024, got {_shown(max_body_size)}"
            )
        self.max_body_size = max_body_size
        self.strict = strict
        self._clock: Callable[[], dt.datetime] = clock or now_kst
        self.hashkey = hashkey
        self._recorder = _recorder(record)
        self.timeout = timeout
        self._app_key = app_key
        self._app_secret = Secret(app_secret)
        self._corporate = corporate
        self._base_headers = {
            "content-type": "application/json; charset=utf-8",
            "appkey": app_key,
            "appsecret": app_secret,
            "custtype": custtype,
            **(corporate.headers() if corporate else {}),
        }
        limiter_key = TokenCache.key(app_key, played, self.base_url)
        rate = DEFAULT_RATES[played] if rate_limit == "default" else rate_limit
        self.stats = ClientStats()
        """Counters of what this client did (requests sent, retries, token issues …)."""
        self.fleet: Fleet | None = None
        """The link to the other processes of this app key (``redis_url``), else ``None``."""
        if redis_url is not None:
            from kis_async._fleet import Fleet, FleetConfig

            if fleet is not None and not isinstance(fleet, FleetConfig):
                raise KisConfigError(f"fleet must be a kis_async.FleetConfig(...), got {fleet!r}")
            self.fleet = Fleet(
                redis_url,
                limiter_key,
                fleet or FleetConfig(),
                self.stats,
                rate,
                request_timeout=timeout.total,
            )
        elif fleet is not None:
            raise KisConfigError(
                "fleet=FleetConfig(...) needs redis_url='redis://host:6379/0' (or KIS_REDIS_URL)"
            )
        self._limiter: SendLimiter | None = None
        if rate is not None:
            self._limiter = self.fleet.limiter("", rate) if self.fleet else shared_limiter(limiter_key, rate)
        self._tr_limiters: dict[str, SendLimiter] = {}
        self._limiter_key = limiter_key
        self._session: aiohttp.ClientSession | None = session
        self._own_session = session is None
        """Whether the client made its session (and so closes it); a caller's session stays open."""
        self._request_timeout = aiohttp.ClientTimeout(total=timeout.total, connect=timeout.connect)
        self.custtype: Literal["P", "B"] = custtype
        self._closed = False
        self._closing = asyncio.Event()
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._token_cache = _token_cache(token_cache)
        if self.fleet is not None:
            from kis_async._fleet import RedisTokenCache

            # held across an issue, and across one EGW00133 wait and a second issue
            lock_ttl = min_token_interval + (min_token_interval or MIN_ISSUE_INTERVAL) + 2 * timeout.total
            self._token_cache = RedisTokenCache(self.fleet, self._token_cache, lock_ttl=lock_ttl)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._restore: asyncio.Task[None] | None = None
        if self.fleet is not None:
            self.fleet.health.on_recovery = self._redis_recovered
            self.fleet.on_token_missing = self._start_token_restore
        self._auth = TokenManager(
            self._issue_token,
            self._token_cache,
            limiter_key,
            min_issue_interval=min_token_interval,
            sleep=lambda delay: self._pause(delay),
        )

    @classmethod
    def from_env(cls, **overrides: Any) -> Self:
        """Build a client from ``KIS_APP_KEY``, ``KIS_APP_SECRET``, ``KIS_ENV`` (real | paper |
        sandbox, as the config file and ``--env``), ``KIS_BASE_URL``, ``KIS_WS_URL``, ``KIS_ACCOUNT``,
        ``KIS_TOKEN_CACHE`` and ``KIS_REDIS_URL``; keyword arguments win. With ``KIS_ENV=sandbox``
        the app key and secret may be left unset (a sandbox accepts any)."""
        env = os.environ
        kwargs: dict[str, Any] = {
            "env": env.get("KIS_ENV", "real"),
            "base_url": env.get("KIS_BASE_URL") or None,
            "ws_url": env.get("KIS_WS_URL") or None,
            "account": env.get("KIS_ACCOUNT") or None,
        }
        if env.get("KIS_TOKEN_CACHE"):
            kwargs["token_cache"] = env["KIS_TOKEN_CACHE"]
        if env.get("KIS_REDIS_URL"):
            kwargs["redis_url"] = env["KIS_REDIS_URL"]
        kwargs.update(overrides)
        if kwargs["env"] == "sandbox":
            kwargs.setdefault("app_key", env.get("KIS_APP_KEY") or SANDBOX_APP_KEY)
            kwargs.setdefault("app_secret", env.get("KIS_APP_SECRET") or SANDBOX_APP_SECRET)
        missing = [name for name in ("KIS_APP_KEY", "KIS_APP_SECRET") if not env.get(name)]
        if missing and not {"app_key", "app_secret"} <= set(kwargs):
            raise KisConfigError(f"set {' and '.join(missing)} in the environment (see README: credentials)")
        app_key = kwargs.pop("app_key", None) or env["KIS_APP_KEY"]
        app_secret = kwargs.pop("app_secret", None) or env["KIS_APP_SECRET"]
        return cls(app_key, app_secret, **kwargs)

    def __repr__(self) -> str:
        return f"KisClient(app_key={self._app_key[:4]}…, env={self.env!r}, base_url={self.base_url!r})"

    # -- lifecycle ------------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        self._ensure_session()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    async def close(self) -> None:
        """Close the client (idempotent); the HTTP session and its connections are released.

        Nothing is cancelled silently: requests already on the wire are waited for and get their
        answer; calls still waiting for a rate-limit slot, a backoff or a token raise
        :class:`KisClientClosedError` (they were not sent); later calls raise it too.
        """
        if self._closed:
            return
        self._closed = True
        self._closing.set()
        if self.fleet is not None:
            from kis_async._fleet import RedisTokenCache

            if isinstance(self._token_cache, RedisTokenCache):
                self._token_cache.closing.set()
        await self._auth.aclose()
        if self._restore is not None:
            await asyncio.wait({self._restore})  # a few Redis calls, each under its timeout
        await self._idle.wait()
        session, self._session = self._session, None
        if session is not None and self._own_session and not session.closed:
            await session.close()
        if self.fleet is not None:
            await self.fleet.aclose()

    def __del__(self, _warn: Any = warnings.warn) -> None:
        # Like asyncio and aiohttp: only a warning, no I/O (the loop may be gone by now).
        session = getattr(self, "_session", None)
        if session is not None and getattr(self, "_own_session", True) and not session.closed:
            _warn(
                f"unclosed KisClient (env={self.env!r}, base_url={self.base_url!r}): its HTTP session "
                "is still open; use `async with KisClient(...)` or `await kis.close()`",
                ResourceWarning,
                source=self,
            )

    def _ensure_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise KisClientClosedError(_CLOSED_MESSAGE)
        if self._loop is None and self.fleet is not None:
            self._loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed:
            if not self._own_session:
                raise KisClientClosedError(
                    "the aiohttp.ClientSession passed as KisClient(session=...) was closed by its owner"
                )
            self._session = new_session(timeout=self._request_timeout, json_serialize=json.dumps)
        return self._session

    @contextlib.contextmanager
    def _on_the_wire(self) -> Iterator[None]:
        """Count a request being sent: :meth:`close` waits for these to get their answer."""
        self._in_flight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    async def _pause(self, delay: float) -> None:
        """Sleep ``delay`` seconds unless the client closes meanwhile (then raise)."""
        if self._closed:
            raise KisClientClosedError(_CLOSED_MESSAGE)
        if delay <= 0:
            return
        try:
            await asyncio.wait_for(self._closing.wait(), delay)
        except TimeoutError:
            return
        raise KisClientClosedError(_CLOSED_MESSAGE)

    def realtime(
        self,
        keys: Sequence[AppKey | tuple[str, str]] | None = None,
        *,
        config: RealtimeConfig | None = None,
        on_reconnect: ReconnectCallback | None = None,
    ) -> RealtimeSession:
        """A real-time (WebSocket) session: ``async with kis.realtime() as rt:``.

        Args:
            keys: App keys to spread subscriptions over, one connection each (KIS allows 41
                registrations per connection); default: this client's key.
            config: Queue size and overflow policy, timeouts, backoff (:class:`RealtimeConfig`).
            on_reconnect: Called (or awaited) with a :class:`Reconnected` event after each recovery.
        """
        from kis_async._realtime import RealtimeSession

        return RealtimeSession(
            self, keys, config=config, on_reconnect=on_reconnect, token_cache=self._token_cache
        )

    @property
    def tokens_issued(self) -> int:
        """Tokens this client obtained from ``/oauth2/tokenP`` (cache hits not counted)."""
        return self._auth.issued

    # -- the request pipeline -------------------------------------------------------------------

    async def request(
        self,
        endpoint: Endpoint[R],
        args: Mapping[str, Any],
        *,
        tr_cont: str = "",
        continuation: Mapping[str, str] | None = None,
    ) -> R:
        """Call ``endpoint`` with python-named ``args``; what the generated methods use.

        Arguments are validated (:class:`KisValidationError`) and the environment checked
        (:class:`KisUnsupportedError`) before any I/O.
        """
        tr_id = endpoint.select_tr(self.env, args)
        fields = endpoint.build_request(args, self._account, self.env)
        if continuation:
            fields.update(continuation)
        if self._closed:
            raise KisClientClosedError(_CLOSED_MESSAGE)
        self.stats.calls += 1
        try:
            extra: dict[str, str] = {}
            if self.hashkey and endpoint.method == "POST":
                extra["hashkey"] = await self._hashkey(endpoint, tr_id, fields)
            status, headers, body = await self._exchange(endpoint, tr_id, fields, tr_cont, extra)
            return self._parse(endpoint, tr_id, status, headers, body)
        except KisError:
            self.stats.errors += 1
            raise

    async def _hashkey(self, endpoint: Endpoint[Any], tr_id: str, fields: Mapping[str, str]) -> str:
        """``POST /uapi/hashkey`` with the exact body about to be sent; returns its ``HASH``.

        Any failure raises before the order is sent, so nothing reached the order endpoint.
        """
        headers = {key: self._base_headers[key] for key in ("content-type", "appkey", "appsecret")}
        where = f"{endpoint.name} ({tr_id}): hashkey"
        try:
            async with self._send_slot(None, tr_id):
                session = self._ensure_session()
                async with session.post(
                    self.base_url + "/uapi/hashkey",
                    data=json.dumps(fields),
                    headers=headers,
                    timeout=self._request_timeout,
                    allow_redirects=False,
                ) as response:
                    status, body = response.status, _decode(await read_body(response, self.max_body_size))
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise KisTransportError(
                f"{where}: {_describe(exc)}; the request was not sent", endpoint=endpoint.name
            ) from _safe_cause(exc)
        value = body.get("HASH") if isinstance(body, dict) else None
        if not isinstance(value, str) or not value or not value.isascii() or not value.isprintable():
            raise KisDecodeError(
                f"{where}: HTTP {status} without a HASH: {_preview(body)}; the request was not sent",
                body=body,
                endpoint=endpoint.name,
            )
        return value

    def _parse(
        self, endpoint: Endpoint[R], tr_id: str, status: int, headers: Mapping[str, str], body: Any
    ) -> R:
        if isinstance(body, dict) and "rt_cd" not in body and "error_code" in body:
            raise api_error(body, tr_id=tr_id, status=status, endpoint=endpoint.name, **self._where)
        if not isinstance(body, dict) or "rt_cd" not in body:
            what = f"HTTP {status}, the body is not a KIS answer (no rt_cd): {_preview(body)}"
            if not endpoint.retry_safe:  # KIS may have accepted it: never a plain decode error
                raise self._order_unknown(endpoint, tr_id, what, None, body=body, status=status)
            raise KisDecodeError(
                f"{endpoint.name} ({tr_id}): {what}", body=body, endpoint=endpoint.name, field="rt_cd"
            )
        if str(body["rt_cd"]).strip() != "0":
            raise api_error(body, tr_id=tr_id, status=status, endpoint=endpoint.name, **self._where)
        try:
            response = structure(body, endpoint.response, strict=self.strict)
        except KisDecodeError as exc:
            if not endpoint.retry_safe:
                response = self._accepted_order(endpoint, tr_id, body, exc)
            else:
                raise KisDecodeError(
                    f"{endpoint.name} ({tr_id}): {exc}. Raw value: {_preview_value(exc.value)}",
                    body=body,
                    endpoint=endpoint.name,
                    field=exc.field,
                    value=exc.value,
                ) from None
        if endpoint.order_number and _order_number(endpoint, response) is None:
            where = " or ".join(f"{output}.{name}" for output, name in endpoint.order_number)
            raise self._order_unknown(
                endpoint,
                tr_id,
                f"KIS accepted it (rt_cd=0) but the answer has no readable order number ({where}): "
                f"{_preview(body)}",
                None,
                body=body,
                status=status,
            )
        object.__setattr__(response, "tr_cont", headers.get("tr_cont") or None)
        return response

    def _accepted_order(
        self, endpoint: Endpoint[R], tr_id: str, body: dict[str, Any], error: KisDecodeError
    ) -> R:
        """An order KIS accepted (rt_cd "0") whose answer does not structure: read it leniently
        rather than raise a decode error a bot could take for "not placed" and resend.

        A value that is not its documented form stays the wire string; an output that cannot be
        read at all is left out (``None``/``[]``). Each is logged at WARNING naming the field, and
        ``.raw`` keeps the body exactly as sent. The caller then checks the order number.
        """
        logger.warning(
            "%s (%s): KIS accepted the order (rt_cd=0) but %s is not its documented form (%s); "
            "read leniently, the wire value stays in .raw",
            endpoint.name,
            tr_id,
            error.field or "the answer",
            _preview_value(error.value),
        )
        readable = dict(body)
        for output in endpoint.outputs:
            if output.key not in body and output.key.upper() not in body:
                continue
            key = output.key if output.key in body else output.key.upper()
            try:
                structure({"rt_cd": "0", key: body[key]}, endpoint.response, strict=False)
            except KisDecodeError as exc:
                logger.warning(
                    "%s (%s): KIS accepted the order (rt_cd=0) but its %s cannot be read (%s); "
                    "left out, it stays in .raw",
                    endpoint.name,
                    tr_id,
                    output.key,
                    exc,
                )
                del readable[key]
        try:
            response = structure(readable, endpoint.response, strict=False)
        except KisDecodeError:  # the envelope itself: keep the outputs out, the body in .raw
            response = endpoint.response(rt_cd="0")
        object.__setattr__(response, "raw", body)
        return response

    async def _exchange(
        self,
        endpoint: Endpoint[Any],
        tr_id: str,
        fields: dict[str, str],
        tr_cont: str,
        extra_headers: Mapping[str, str] | None = None,
    ) -> tuple[int, Mapping[str, str], Any]:
        """Send until KIS answers for real, within the retry policy; returns status, headers, JSON.

        Reads are retried on rate-limit refusals, 429/502/503/504 without a KIS body, connection
        failures and timeouts. A call that is not retry-safe (an order) is retried only when it provably
        never left (the connection could not be opened) or KIS refused the token before looking
        at it; any other failure raises :class:`KisOrderStateUnknownError`.
        """
        url = self.base_url + endpoint.path
        renewed_token = False
        retries = 0
        while True:
            token = await self._auth.token()
            headers = {
                **self._base_headers,
                "authorization": f"Bearer {token}",
                "tr_id": tr_id,
                "tr_cont": tr_cont,
                **(extra_headers or {}),
            }
            if self._corporate is not None:
                headers["gt_uid"] = uuid.uuid4().hex
            error: Exception | None = None
            reached = True
            try:
                async with self._send_slot(endpoint, tr_id):
                    session = self._ensure_session()
                    started = time.perf_counter()
                    self.stats.requests += 1
                    if endpoint.method == "GET":
                        request = session.get(
                            url,
                            params=fields,
                            headers=headers,
                            timeout=self._request_timeout,
                            allow_redirects=False,
                        )
                    else:
                        request = session.post(
                            url,
                            data=json.dumps(fields),
                            headers=headers,
                            timeout=self._request_timeout,
                            allow_redirects=False,
                        )
                    async with request as response:
                        raw = await read_body(response, self.max_body_size)
                        status, reply_headers = response.status, response.headers
            except _NOT_SENT as exc:
                error, reached = exc, False
            except (TimeoutError, aiohttp.ClientError) as exc:
                error = exc
            if error is None:
                elapsed = (time.perf_counter() - started) * 1000
                logger.debug(
                    "%s %s tr_id=%s status=%s %.1fms retries=%d",
                    endpoint.method,
                    endpoint.path,
                    tr_id,
                    status,
                    elapsed,
                    retries,
                )
                body = _decode(raw)
                if self._recorder is not None:
                    self._recorder.exchange(
                        **_exchanged(endpoint, tr_id, fields, tr_cont),
                        status=status,
                        tr_cont=reply_headers.get("tr_cont"),
                        response=body,
                    )
                failure = self._classify(endpoint, tr_id, status, body)
                if failure is None:
                    return status, reply_headers, body
                if isinstance(failure, KisTokenExpiredError) and not renewed_token:
                    # The gateway refused the token before the call was processed: safe for any call.
                    self._auth.invalidate(token)
                    renewed_token = True
                    self.stats.token_renewals += 1
                    continue
                transient = isinstance(failure, KisRateLimitError | KisTransportError)
                if transient and endpoint.retry_safe and retries < self.retry.max_retries:
                    delay = self.retry.delay(retries + 1, reply_headers.get("Retry-After"))
                    if not self.retry.too_long(delay):
                        retries += 1
                        await self._backoff(endpoint, tr_id, retries, delay, failure)
                        continue
                if isinstance(failure, KisTransportError) and not endpoint.retry_safe:
                    raise self._order_unknown(endpoint, tr_id, str(failure), None)
                if not endpoint.retry_safe:
                    failure.add_note(
                        "KIS's gateway refused the request before processing it: it was not placed, "
                        "and it was not resent automatically"
                    )
                if retries:
                    failure.add_note(f"gave up after {_retries(retries)}")
                    if isinstance(failure, KisTransportError):
                        failure.args = (f"{failure} after {_retries(retries)}",)
                raise failure
            # transport failure: never let an aiohttp error's repr (it holds the request headers) out
            description = _describe(error)
            if self._recorder is not None:
                self._recorder.exchange(**_exchanged(endpoint, tr_id, fields, tr_cont), error=error)
            logger.debug(
                "%s %s tr_id=%s failed: %s (retries=%d)",
                endpoint.method,
                endpoint.path,
                tr_id,
                description,
                retries,
            )
            # a redirect or an oversized body is an answer, not a glitch: not retried
            redirected = isinstance(error, RedirectRefusedError | BodyTooLargeError)
            if (endpoint.retry_safe or not reached) and retries < self.retry.max_retries and not redirected:
                retries += 1
                await self._backoff(endpoint, tr_id, retries, self.retry.delay(retries), description)
                continue
            if not endpoint.retry_safe and reached:
                raise self._order_unknown(endpoint, tr_id, description, error)
            raise KisTransportError(
                f"{endpoint.name} ({tr_id}): {description} after {_retries(retries)}",
                endpoint=endpoint.name,
            ) from _safe_cause(error)

    async def _backoff(
        self, endpoint: Endpoint[Any], tr_id: str, retry: int, delay: float, reason: object
    ) -> None:
        self.stats.retries += 1
        logger.info(
            "%s (%s): retry %d/%d in %.2fs after %s",
            endpoint.name,
            tr_id,
            retry,
            self.retry.max_retries,
            delay,
            reason,
        )
        await self._pause(delay)

    def _order_unknown(
        self,
        endpoint: Endpoint[Any],
        tr_id: str,
        what: str,
        error: Exception | None,
        *,
        body: Any = None,
        status: int = 0,
    ) -> KisOrderStateUnknownError:
        self.stats.unknown_outcomes += 1
        exc = KisOrderStateUnknownError(
            f"{endpoint.name} ({tr_id}): the request may have reached KIS but no usable answer came back "
            f"({what}).{_ORDER_UNKNOWN_HINT}",
            endpoint=endpoint.name,
            status=status,
            body=body,
        )
        exc.__cause__ = _safe_cause(error)
        logger.warning("%s", exc)
        return exc

    def _classify(self, endpoint: Endpoint[Any], tr_id: str, status: int, body: Any) -> KisError | None:
        """A failure the pipeline handles (rate limit, token, gateway trouble), else ``None``:
        KIS answered (success or a business error for :meth:`_parse`)."""
        if isinstance(body, dict) and ("rt_cd" in body or "error_code" in body):
            code = body.get("msg_cd") or body.get("error_code")
            if isinstance(code, str) and code.strip() in _PIPELINE_CODES:  # no error object per success
                return api_error(body, tr_id=tr_id, status=status, endpoint=endpoint.name, **self._where)
            return None
        if status == 429:
            return KisRateLimitError(
                f"HTTP{status}", "too many requests", tr_id=tr_id, status=status, endpoint=endpoint.name
            )
        if status in _TRANSIENT_STATUS or status >= 500:
            return KisTransportError(
                f"{endpoint.name} ({tr_id}): HTTP {status} without a KIS answer: {_preview(body)}",
                endpoint=endpoint.name,
                status=status,
            )
        return None

    @contextlib.asynccontextmanager
    async def _send_slot(self, endpoint: Endpoint[Any] | None, tr_id: str) -> AsyncIterator[None]:
        """Hold rate-limit slots for one request, from just before it is sent until its answer (or
        failure) is back; it then counts as on the wire for :meth:`close`.

        ``rate_limit=None`` turns off all client-side limiting, per-TR caps included; otherwise
        the per-TR cap is taken first, so the app key's slot is taken right before the send.
        """
        async with contextlib.AsyncExitStack() as stack:
            if self._limiter is not None:
                if endpoint is not None and endpoint.rate_limit:
                    limiter = self._tr_limiters.get(tr_id)
                    if limiter is None:
                        limiter = self._tr_limiters[tr_id] = (
                            self.fleet.limiter(f":tr:{tr_id}", endpoint.rate_limit)
                            if self.fleet is not None
                            else shared_limiter(f"{self._limiter_key}:{tr_id}", endpoint.rate_limit)
                        )
                    await stack.enter_async_context(limiter.slot(self._pause))
                await stack.enter_async_context(self._limiter.slot(self._pause))
            stack.enter_context(self._on_the_wire())
            yield

    def _redis_recovered(self) -> None:
        """Redis is back (called from any thread): it may have come back empty, restarted."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._start_token_restore)

    def _start_token_restore(self) -> None:
        if self._closed or self._auth.current() is None:
            return  # no token of ours to put back (e.g. the fleet's first start: none issued yet)
        if self._restore is not None and not self._restore.done():
            return
        self._restore = asyncio.create_task(self._restore_fleet_token(), name="kis-fleet-token-restore")

    async def _restore_fleet_token(self) -> None:
        """Put this process's valid token back into a Redis that lost it (see
        :meth:`RedisTokenCache.restore`), so a process started now does not issue another."""
        from kis_async._fleet import RedisTokenCache

        token = self._auth.current()
        cache = self._token_cache
        if token is None or not isinstance(cache, RedisTokenCache):
            return
        if await asyncio.to_thread(cache.restore, self._limiter_key, token):
            self.stats.tokens_restored += 1
            logger.info(
                "Redis at %s came back without the fleet's token: this process put its own back, so "
                "processes started now reuse it instead of issuing one",
                cache.fleet.health.where,
            )

    async def _issue_token(self) -> tuple[int, Any]:
        session = self._ensure_session()
        payload = {
            "grant_type": "client_credentials",
            "appkey": self._app_key,
            "appsecret": self._app_secret.reveal(),
        }
        self.stats.token_requests += 1
        try:
            async with session.post(
                self.base_url + "/oauth2/tokenP",
                json=payload,
                timeout=self._request_timeout,
                allow_redirects=False,
            ) as response:
                return response.status, _decode(await read_body(response, self.max_body_size))
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise KisTransportError(f"token issue (/oauth2/tokenP): {_describe(exc)}") from _safe_cause(exc)


#: Refusals the pipeline itself handles (retry after a rate-limit refusal, renew a refused token).
_PIPELINE_CODES = RATE_LIMIT_CODES | TOKEN_CODES

_ORDER_UNKNOWN_HINT = (
    " The order's outcome is unknown and it was NOT resent: check it with the order inquiry "
    "(kis.orders.find(...) for stocks, with exchange= abroad; or domestic_stock.inquire_daily_ccld "
    "주식일별주문체결조회, overseas_stock.inquire_ccnl 해외주식 주문체결내역) before sending it again."
)


def _order_number(endpoint: Endpoint[Any], response: Any) -> str | None:
    """The order number an order's answer carries (``endpoint.order_number``), else ``None``."""
    for output, name in endpoint.order_number:
        value = getattr(response, output, None)
        for row in value if isinstance(value, list) else [value]:
            number = getattr(row, name, None)
            if isinstance(number, str) and number.strip():
                return number
    return None


def _preview_value(value: Any) -> str:
    text = repr(value)
    return text[:200] + ("…" if len(text) > 200 else "")


def _retries(count: int) -> str:
    return f"{count} retr{'y' if count == 1 else 'ies'}"


_describe = describe_transport
_safe_cause = safe_cause


def _exchanged(
    endpoint: Endpoint[Any], tr_id: str, fields: Mapping[str, str], tr_cont: str
) -> dict[str, Any]:
    """The request half of a recorded exchange."""
    return {
        "method": endpoint.method,
        "path": endpoint.path,
        "tr_id": tr_id,
        "fields": fields,
        "request_tr_cont": tr_cont,
    }


def _token_cache(option: TokenCacheOption) -> TokenCache | None:
    if option is None:
        return None
    if isinstance(option, TokenCache):
        return option
    if option == "default":
        return TokenCache(default_cache_path())
    return TokenCache(_file_path(option, "token_cache"))


def _file_path(option: object, what: str) -> Path:
    """A file path option: a non-blank ``str`` or ``os.PathLike`` without control characters."""
    text = os.fspath(option) if isinstance(option, str | os.PathLike) else None
    if not isinstance(text, str) or not text.strip() or not text.isprintable():
        raise KisConfigError(f"{what} must be a file path, got {_shown(option)}")
    return Path(text)


def _recorder(option: str | os.PathLike[str] | None) -> Recorder | None:
    if option is None:
        return None
    path = _file_path(option, "record")
    try:
        return Recorder(path)
    except OSError as exc:
        raise KisConfigError(f"record={str(path)!r}: cannot write there: {exc.strerror}") from None


def _url(value: object, what: str, schemes: tuple[str, ...]) -> str | None:
    """A base URL option: ``None``/``""`` for the default, else ``scheme://host…`` in printable
    ASCII (a CR/LF or a lone surrogate would break every request)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not value.isascii() or not value.isprintable() or " " in value:
        raise KisConfigError(f"{what} must be a URL like 'https://host:port', got {_shown(value)}")
    scheme, _, rest = value.partition("://")
    if scheme.lower() not in schemes or not rest.strip("/"):
        raise KisConfigError(
            f"{what} must be a URL starting with {' or '.join(s + '://' for s in schemes)}, got {value!r}"
        )
    return value.rstrip("/")


#: Characters of a body that is not JSON kept for the error (``KisDecodeError.body``).
_TEXT_KEPT = 64 * 1024


def _decode(raw: bytes) -> Any:
    try:
        return json_loads(raw)
    except ValueError:
        if len(raw) <= _TEXT_KEPT:
            return raw.decode("utf-8", "replace")
        return raw[:_TEXT_KEPT].decode("utf-8", "replace") + f"… ({len(raw)} bytes, cut)"


def _preview(body: Any) -> str:
    try:
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    except (RecursionError, ValueError):
        return f"<{type(body).__name__} nested too deep to show>"
    return text[:200] + ("…" if len(text) > 200 else "")
