"""KIS's answers as the sandbox sends them: codes, messages, HTTP statuses and body shapes.

Codes and messages come from ``endpoints-notes.md`` (Appendix B) where KIS's are known. Where KIS
does not document one (a missing or invalid input field, an unknown TR ID), the sandbox uses the
``OPSQ`` service-error form live servers use for such refusals, with a message that names the
field so a test failure explains itself.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

SUCCESS = ("MCA00000", "정상처리 되었습니다.")
TOKEN_EXPIRED = ("EGW00123", "기간이 만료된 token 입니다.")
TOKEN_INVALID = ("EGW00121", "유효하지 않은 token 입니다.")
RATE_LIMITED = ("EGW00201", "초당 거래건수를 초과하였습니다.")
TR_RATE_LIMITED = ("EGW00215", "원장에서 허용 가능한 초당 거래건수를 초과하였습니다.")
TOKEN_TOO_SOON = ("EGW00133", "접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)")
BAD_APP_KEY = ("EGW00103", "유효하지 않은 AppKey입니다.")
BAD_APP_SECRET = ("EGW00105", "유효하지 않은 AppSecret입니다.")
BAD_GRANT = ("EGW00002", "grant_type이 유효하지 않습니다.(client_credentials)")
UNKNOWN_TR = ("OPSQ0002", "없는 서비스 코드 입니다")
NOT_PAPER_TR = ("OPSQ0002", "모의투자 TR 이 아닙니다.")
MISSING_FIELD = "OPSQ2002"
INVALID_FIELD = "OPSQ2001"
REVOKED = {"code": 200, "message": "접근토큰 폐기에 성공하였습니다"}

#: Width ``msg1`` is right-padded to on success, as live servers often do.
MSG1_WIDTH = 40

JSON_TYPE = "application/json; charset=utf-8"


def dumps(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def kis_error(
    code: tuple[str, str] | str, message: str = "", *, status: int = 500, rt_cd: str = "1"
) -> web.Response:
    """``{rt_cd, msg_cd, msg1}`` (HTTP 500 by default: KIS's gateway answers errors that way)."""
    msg_cd, msg1 = code if isinstance(code, tuple) else (code, message)
    return json_response({"rt_cd": rt_cd, "msg_cd": msg_cd, "msg1": msg1}, status=status)


def oauth_error(code: tuple[str, str], *, status: int = 403) -> web.Response:
    """The token endpoints' own shape: ``{error_code, error_description}``."""
    return json_response({"error_code": code[0], "error_description": code[1]}, status=status)


def json_response(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=dumps(body), status=status, headers={"content-type": JSON_TYPE, **(headers or {})}
    )


def gateway_page(status: int) -> web.Response:
    """What a load balancer in front of KIS answers when the service behind it is down."""
    reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}.get(
        status, "Gateway Timeout"
    )
    html = (
        f"<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1></body></html>"
    )
    return web.Response(text=html, status=status, content_type="text/html")
