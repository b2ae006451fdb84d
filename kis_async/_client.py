"""KisClient: configuration, one aiohttp session, and the request pipeline every endpoint shares.

The pipeline for one call: pick the TR ID for the environment → validate and serialise the
arguments → take a rate-limit slot → send with the standard KIS headers and a valid token →
decode the JSON → map ``rt_cd``/``msg_cd`` to an exception or structure the typed response.
Reads are retried on transient failures; orders never are once they may have reached KIS.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

import aiohttp

from kis_async._auth import MIN_ISSUE_INTERVAL, Secret, TokenCache, TokenManager, default_cache_path
from kis_async._config import BASE_URLS, WS_URLS, Corporate, Environment, Timeout, parse_account
from kis_async._endpoint import Endpoint, R
from kis_async._errors import (
    KisConfigError,
    KisDecodeError,
    KisError,
    KisOrderStateUnknownError,
    KisRateLimitError,
    KisTokenExpiredError,
    KisTransportError,
    api_error,
)
from kis_async._models import structure
from kis_async._namespaces import KisNamespaces
from kis_async._ratelimit import DEFAULT_RATES, RateLimiter, shared_limiter
from kis_async._record import Recorder
from kis_async._retry import RetryPolicy

if TYPE_CHECKING:
    from kis_async._realtime import AppKey, RealtimeConfig, RealtimeSession, ReconnectCallback

logger = logging.getLogger("kis_async")

#: HTTP statuses that mean "the gateway did not handle it; try again" when no KIS body explains them.
_TRANSIENT_STATUS = frozenset({502, 503, 504})

TokenCacheOption = str | Path | TokenCache | None | Literal["default"]


class KisClient(KisNamespaces):
    """An async client for the KIS Open API; one per app key and environment.

    Use it as an async context manager (``async with KisClient(...) as kis:``) so its HTTP session
    is closed; each endpoint is a method on a category attribute, e.g.
    ``await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")``.

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
        timeout: Connect and total timeouts.
        rate_limit: Requests per second for this app key; ``"default"`` is KIS's limit for the
            environment (real 20, paper 2), ``None`` turns client-side limiting off.
        max_retries: Retries for reads on rate-limit refusals, 502/503/504, resets and timeouts.
        strict: With ``False``, a response value that is not its documented type is kept as the
            wire string (warned once per field) instead of raising :class:`KisDecodeError`.
        hashkey: With ``True``, every POST (orders) first sends its body to ``/uapi/hashkey`` and
            carries the returned ``HASH`` in the ``hashkey`` header (KIS's optional tamper check).
        record: Append every API exchange to this JSON Lines file (see :mod:`kis_async._record`):
            request and answer, account numbers masked, never a key, secret or token. Replay it
            with ``Sandbox(replay=...)`` or ``kis-async sandbox --replay FILE``.
    """

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        *,
        env: Environment = "real",
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
    ) -> None:
        if env not in BASE_URLS:
            raise KisConfigError(f"env must be 'real' or 'paper', got {env!r}")
        if not app_key or not app_secret:
            raise KisConfigError("app_key and app_secret are required (KIS_APP_KEY, KIS_APP_SECRET)")
        if custtype not in ("P", "B"):
            raise KisConfigError(f"custtype must be 'P' (개인) or 'B' (법인), got {custtype!r}")
        if custtype == "B" and corporate is None:
            raise KisConfigError("custtype='B' (법인) needs corporate=Corporate(personalseckey=...)")
        try:
            self._account = parse_account(account) if account else None
        except ValueError as exc:
            raise KisConfigError(str(exc)) from None
        self.env: Environment = env
        self.base_url = (base_url or BASE_URLS[env]).rstrip("/")
        self.ws_url = ws_url or WS_URLS[env]
        self.strict = strict
        self.hashkey = hashkey
        self._recorder = Recorder(record) if record is not None else None
        self.timeout = timeout
        self.retry = RetryPolicy(max_retries=max_retries)
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
        limiter_key = f"{TokenCache.key(app_key, env, self.base_url)}"
        rate = DEFAULT_RATES[env] if rate_limit == "default" else rate_limit
        self._limiter: RateLimiter | None = shared_limiter(limiter_key, rate) if rate else None
        self._tr_limiters: dict[str, RateLimiter] = {}
        self._limiter_key = limiter_key
        self._session: aiohttp.ClientSession | None = None
        self.custtype: Literal["P", "B"] = custtype
        self._token_cache = _token_cache(token_cache)
        self._auth = TokenManager(
            self._issue_token,
            self._token_cache,
            TokenCache.key(app_key, env, self.base_url),
            min_issue_interval=min_token_interval,
        )

    @classmethod
    def from_env(cls, **overrides: Any) -> Self:
        """Build a client from ``KIS_APP_KEY``, ``KIS_APP_SECRET``, ``KIS_ENV`` (real|paper),
        ``KIS_BASE_URL``, ``KIS_WS_URL``, ``KIS_ACCOUNT`` and ``KIS_TOKEN_CACHE``; keyword arguments win."""
        env = os.environ
        kwargs: dict[str, Any] = {
            "env": env.get("KIS_ENV", "real"),
            "base_url": env.get("KIS_BASE_URL") or None,
            "ws_url": env.get("KIS_WS_URL") or None,
            "account": env.get("KIS_ACCOUNT") or None,
        }
        if env.get("KIS_TOKEN_CACHE"):
            kwargs["token_cache"] = env["KIS_TOKEN_CACHE"]
        kwargs.update(overrides)
        missing = [name for name in ("KIS_APP_KEY", "KIS_APP_SECRET") if not env.get(name)]
        if missing and not {"app_key", "app_secret"} <= set(overrides):
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

    async def close(self) -> None:
        """Close the HTTP session (idempotent)."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def _ensure_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout.total, connect=self.timeout.connect),
                json_serialize=json.dumps,
            )
        return self._session

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
        """Call ``endpoint`` with python-named ``args``; what the generated methods use."""
        tr_id = endpoint.select_tr(self.env, args)
        fields = endpoint.build_request(args, self._account)
        if continuation:
            fields.update(continuation)
        extra: dict[str, str] = {}
        if self.hashkey and endpoint.method == "POST":
            extra["hashkey"] = await self._hashkey(endpoint, tr_id, fields)
        status, headers, body = await self._exchange(endpoint, tr_id, fields, tr_cont, extra)
        return self._parse(endpoint, tr_id, status, headers, body)

    async def _hashkey(self, endpoint: Endpoint[Any], tr_id: str, fields: Mapping[str, str]) -> str:
        """``POST /uapi/hashkey`` with the exact body about to be sent; returns its ``HASH``.

        Any failure raises before the order is sent, so nothing reached the order endpoint.
        """
        session = self._ensure_session()
        headers = {key: self._base_headers[key] for key in ("content-type", "appkey", "appsecret")}
        if self._limiter is not None:
            await self._limiter.acquire()
        where = f"{endpoint.name} ({tr_id}): hashkey"
        try:
            async with session.post(
                self.base_url + "/uapi/hashkey", data=json.dumps(fields), headers=headers
            ) as response:
                status, body = response.status, _decode(await response.read())
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise KisTransportError(
                f"{where}: {type(exc).__name__}: {exc or 'timed out'}; the request was not sent",
                endpoint=endpoint.name,
            ) from exc
        value = body.get("HASH") if isinstance(body, dict) else None
        if not isinstance(value, str) or not value:
            raise KisDecodeError(
                f"{where}: HTTP {status} without a HASH: {_preview(body)}; the request was not sent",
                body=body,
                endpoint=endpoint.name,
            )
        return value

    def _parse(
        self, endpoint: Endpoint[R], tr_id: str, status: int, headers: Mapping[str, str], body: Any
    ) -> R:
        if not isinstance(body, dict) or "rt_cd" not in body:
            raise KisDecodeError(
                f"{endpoint.name} ({tr_id}): HTTP {status}, the body has no rt_cd: {_preview(body)}",
                body=body,
                endpoint=endpoint.name,
            )
        if str(body["rt_cd"]).strip() != "0":
            raise api_error(body, tr_id=tr_id, status=status, endpoint=endpoint.name)
        try:
            response = structure(body, endpoint.response, strict=self.strict)
        except KisDecodeError as exc:
            raise KisDecodeError(
                f"{endpoint.name} ({tr_id}): {exc}",
                body=body,
                endpoint=endpoint.name,
                field=exc.field,
                value=exc.value,
            ) from None
        object.__setattr__(response, "tr_cont", headers.get("tr_cont") or None)
        return response

    async def _exchange(
        self,
        endpoint: Endpoint[Any],
        tr_id: str,
        fields: dict[str, str],
        tr_cont: str,
        extra_headers: Mapping[str, str] | None = None,
    ) -> tuple[int, Mapping[str, str], Any]:
        """Send until KIS answers for real, within the retry policy; returns status, headers, JSON."""
        session = self._ensure_session()
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
            await self._acquire(endpoint, tr_id)
            started = time.perf_counter()
            sent = False
            try:
                if endpoint.method == "GET":
                    request = session.get(url, params=fields, headers=headers)
                else:
                    request = session.post(url, data=json.dumps(fields), headers=headers)
                sent = True
                async with request as response:
                    raw = await response.read()
                    status, reply_headers = response.status, response.headers
            except (aiohttp.ClientConnectorError, aiohttp.ClientSSLError) as exc:
                # The connection was never established: nothing reached KIS, any call may retry.
                error: Exception = exc
                reached = False
            except (TimeoutError, aiohttp.ClientError) as exc:
                error, reached = exc, sent
            else:
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
                    continue
                retryable = isinstance(failure, KisRateLimitError | KisTransportError)
                if retryable and endpoint.idempotent and retries < self.retry.max_retries:
                    retries += 1
                    await asyncio.sleep(self.retry.delay(retries, reply_headers.get("Retry-After")))
                    continue
                raise failure
            # transport failure
            if self._recorder is not None:
                self._recorder.exchange(**_exchanged(endpoint, tr_id, fields, tr_cont), error=error)
            logger.debug(
                "%s %s tr_id=%s failed: %r (retries=%d)",
                endpoint.method,
                endpoint.path,
                tr_id,
                error,
                retries,
            )
            if (endpoint.idempotent or not reached) and retries < self.retry.max_retries:
                retries += 1
                await asyncio.sleep(self.retry.delay(retries))
                continue
            if not endpoint.idempotent and reached:
                raise KisOrderStateUnknownError(
                    f"{endpoint.name} ({tr_id}): the request may have reached KIS but no answer came back "
                    f"({type(error).__name__}: {error}). The order's outcome is unknown; it was NOT resent. "
                    "Check it with the order inquiry (e.g. domestic_stock.inquire_daily_ccld) before sending again.",
                    endpoint=endpoint.name,
                ) from error
            raise KisTransportError(
                f"{endpoint.name} ({tr_id}): {type(error).__name__}: {error or 'timed out'} "
                f"after {retries} retr{'y' if retries == 1 else 'ies'}",
                endpoint=endpoint.name,
            ) from error

    def _classify(self, endpoint: Endpoint[Any], tr_id: str, status: int, body: Any) -> KisError | None:
        """``None`` when KIS answered (success or a business error for :meth:`_parse`)."""
        if isinstance(body, dict) and "rt_cd" in body:
            error = api_error(body, tr_id=tr_id, status=status, endpoint=endpoint.name)
            if isinstance(error, KisRateLimitError | KisTokenExpiredError):
                return error
            return None
        if status in _TRANSIENT_STATUS or status >= 500:
            return KisTransportError(
                f"{endpoint.name} ({tr_id}): HTTP {status} without a KIS answer: {_preview(body)}",
                endpoint=endpoint.name,
                status=status,
            )
        return None

    async def _acquire(self, endpoint: Endpoint[Any], tr_id: str) -> None:
        if self._limiter is not None:
            await self._limiter.acquire()
        if endpoint.rate_limit:
            limiter = self._tr_limiters.get(tr_id)
            if limiter is None:
                limiter = self._tr_limiters[tr_id] = shared_limiter(
                    f"{self._limiter_key}:{tr_id}", endpoint.rate_limit
                )
            await limiter.acquire()

    async def _issue_token(self) -> tuple[int, Any]:
        session = self._ensure_session()
        payload = {
            "grant_type": "client_credentials",
            "appkey": self._app_key,
            "appsecret": self._app_secret.reveal(),
        }
        try:
            async with session.post(self.base_url + "/oauth2/tokenP", json=payload) as response:
                return response.status, _decode(await response.read())
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise KisTransportError(f"token issue: {type(exc).__name__}: {exc or 'timed out'}") from exc


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
    return TokenCache(Path(option))


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


def _preview(body: Any) -> str:
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return text[:200] + ("…" if len(text) > 200 else "")
