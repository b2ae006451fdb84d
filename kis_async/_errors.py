"""Every failure the SDK raises is a :class:`KisError`; each failure mode has its own class.

Messages name the endpoint, field and value involved and never contain the app secret, a token
or an approval key.
"""

from __future__ import annotations

from typing import Any


class KisError(Exception):
    """Base of everything kis-async raises."""


class KisValidationError(KisError, ValueError):
    """Arguments rejected before any network I/O; names the field, the value and what is allowed."""

    def __init__(self, message: str, *, endpoint: str = "", field: str = "", value: Any = None) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.field = field
        self.value = value


class KisUnsupportedError(KisError):
    """The endpoint does not exist in this environment (e.g. a ranking TR on paper, 모의투자 미지원)."""


class KisConfigError(KisError):
    """The client is configured wrongly (missing credentials, bad environment name, …)."""


class KisDecodeError(KisError):
    """The response is not JSON or not the documented shape; ``body`` keeps what arrived."""

    def __init__(
        self, message: str, *, body: Any = None, endpoint: str = "", field: str = "", value: Any = None
    ) -> None:
        super().__init__(message)
        self.body = body
        self.endpoint = endpoint
        self.field = field
        self.value = value


class KisApiError(KisError):
    """KIS answered ``rt_cd != "0"`` (or an HTTP error with a KIS body)."""

    def __init__(
        self,
        msg_cd: str,
        msg1: str,
        *,
        rt_cd: str = "1",
        tr_id: str = "",
        status: int = 0,
        endpoint: str = "",
        body: Any = None,
        hint: str = "",
    ) -> None:
        where = f"{endpoint} ({tr_id})" if endpoint else tr_id
        super().__init__(f"{where}: KIS error {msg_cd}: {msg1} (rt_cd={rt_cd}, HTTP {status}){hint}")
        self.rt_cd = rt_cd
        self.msg_cd = msg_cd
        self.msg1 = msg1
        self.tr_id = tr_id
        self.status = status
        self.endpoint = endpoint
        self.body = body


class KisRateLimitError(KisApiError):
    """``EGW00201``/``EGW00215``: KIS's per-second limit was exceeded (retried for reads)."""


class KisTokenExpiredError(KisApiError):
    """``EGW00123``/``EGW00121``: the access token is expired or invalid (renewed once, then raised)."""


class KisAuthError(KisError):
    """KIS refused the app's credentials: the token issue was refused (``/oauth2/tokenP``'s own
    shape ``error_code``/``error_description``, e.g. ``EGW00133``), or a call was answered with an
    invalid app key/secret code (``EGW00103`` 유효하지 않은 AppKey, ``EGW00105`` 유효하지 않은
    AppSecret). Never retried: check ``KIS_APP_KEY``/``KIS_APP_SECRET`` and the environment."""

    def __init__(
        self,
        code: str,
        description: str,
        *,
        status: int = 0,
        endpoint: str = "",
        tr_id: str = "",
        body: Any = None,
        hint: str = "",
    ) -> None:
        if endpoint:
            where = f"{endpoint} ({tr_id})" if tr_id else endpoint
            message = f"{where}: KIS refused the app key/secret: {code}: {description} (HTTP {status})"
        else:
            message = f"KIS token issue refused: {code}: {description} (HTTP {status})"
        super().__init__(message + hint)
        self.code = code
        self.description = description
        self.status = status
        self.endpoint = endpoint
        self.tr_id = tr_id
        self.body = body


class KisTransportError(KisError):
    """The request could not be completed (connection refused or reset, timeout, HTTP 5xx without a
    KIS body) after the retries allowed for it."""

    def __init__(self, message: str, *, endpoint: str = "", status: int = 0) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.status = status


class KisClientClosedError(KisError):
    """The client was closed: this call was not sent (nothing reached KIS). Create a new client."""


class KisOrderStateUnknownError(KisTransportError):
    """An order (a POST that is not retry_safe) may or may not have reached KIS, or KIS accepted it
    but its answer does not say which order it is. It is never retried blindly: check with the order
    inquiry (e.g. ``domestic_stock.inquire_daily_ccld``) before sending again. ``body`` holds the
    answer when one arrived (unreadable, or without a readable order number), else ``None``."""

    def __init__(self, message: str, *, endpoint: str = "", status: int = 0, body: Any = None) -> None:
        super().__init__(message, endpoint=endpoint, status=status)
        self.body = body


RATE_LIMIT_CODES = frozenset({"EGW00201", "EGW00215"})
TOKEN_CODES = frozenset({"EGW00123", "EGW00121"})
#: The app key or secret is wrong (유효하지 않은 AppKey / AppSecret): no retry or renewal helps.
AUTH_CODES = frozenset({"EGW00103", "EGW00105"})


def env_hint(env: str, base_url: str, msg_cd: str, msg1: str) -> str:
    """A hint when an error says the environment does not match the server: a real TR sent to a
    모의투자 domain ("모의투자 TR 이 아닙니다"), or an app key refused (keys belong to one environment)."""
    if "모의투자 TR" in msg1 and env == "real":
        return (
            f"; hint: {base_url} is a 모의투자 (paper) server but this client is env='real': "
            "use env='paper' (KIS_ENV=paper), or the real domain"
        )
    if msg_cd in AUTH_CODES:
        return (
            f"; hint: an app key works only in the environment it was issued for, and this client is "
            f"env={env!r} at {base_url}: check KIS_ENV (real | paper | sandbox) and KIS_BASE_URL"
        )
    return ""


def api_error(
    body: dict[str, Any], *, tr_id: str, status: int, endpoint: str, env: str = "", base_url: str = ""
) -> KisApiError | KisAuthError:
    """The exception for a KIS error body, by its ``msg_cd`` (or the gateway's ``error_code``);
    with the client's ``env`` and ``base_url``, a hint when they do not match the server."""
    msg_cd = str(body.get("msg_cd") or body.get("error_code") or "").strip()
    msg1 = str(body.get("msg1") or body.get("error_description") or "").strip()
    hint = env_hint(env, base_url, msg_cd, msg1) if env else ""
    if msg_cd in AUTH_CODES:
        return KisAuthError(msg_cd, msg1, status=status, endpoint=endpoint, tr_id=tr_id, body=body, hint=hint)
    cls = KisApiError
    if msg_cd in RATE_LIMIT_CODES:
        cls = KisRateLimitError
    elif msg_cd in TOKEN_CODES:
        cls = KisTokenExpiredError
    return cls(
        msg_cd,
        msg1,
        rt_cd=str(body.get("rt_cd") or ""),
        tr_id=tr_id,
        status=status,
        endpoint=endpoint,
        body=body,
        hint=hint,
    )


def describe_transport(error: BaseException) -> str:
    """``Type: message`` of a transport failure, for the REST client and the real-time session alike;
    never its repr: an aiohttp response error holds the request's headers (app secret, token)."""
    text = str(getattr(error, "message", "")) if _carries_request(error) else str(error)
    if not text and isinstance(error, TimeoutError):
        text = "timed out"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def safe_cause(error: BaseException | None) -> BaseException | None:
    """The exception to chain as ``__cause__`` of a :class:`KisError`: none for an error that
    carries the request (aiohttp's response errors: headers with the app secret or token)."""
    if error is not None and _carries_request(error):
        return None
    return error


def _carries_request(error: BaseException) -> bool:
    return hasattr(error, "request_info")
