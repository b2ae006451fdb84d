"""Test doubles: realistic KIS bodies, a scripted local KIS server, and a hand-made order endpoint."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

import attrs
from aiohttp import web

from kis_async import KisModel, KisResponse
from kis_async._endpoint import Endpoint, Output, Param, TrId

APP_KEY = "PSappkey0000000000000000000000000001"
APP_SECRET = "SECRET-appsecret-must-never-leak-0123456789"
BASE = "https://kis.test"
CREDIT_BALANCE_PATH = "/uapi/domestic-stock/v1/ranking/credit-balance"
ORDER_PATH = "/uapi/domestic-stock/v1/trading/order-cash"


def token_value(n: int) -> str:
    return f"TOKEN-{n}-eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9-secret"


def token_body(n: int) -> dict[str, Any]:
    return {
        "access_token": token_value(n),
        "access_token_token_expired": "2099-12-31 23:59:59",
        "token_type": "Bearer",
        "expires_in": 86400,
    }


def ok(**outputs: Any) -> dict[str, Any]:
    return {
        "rt_cd": "0",
        "msg_cd": "MCA00000",
        "msg1": "정상처리 되었습니다.                                           ",
        **outputs,
    }


def kis_error(msg_cd: str, msg1: str) -> dict[str, Any]:
    return {"rt_cd": "1", "msg_cd": msg_cd, "msg1": msg1}


RATE_LIMITED = kis_error("EGW00201", "초당 거래건수를 초과하였습니다.")
TOKEN_EXPIRED = kis_error("EGW00123", "기간이 만료된 token 입니다.")
TOKEN_ISSUE_TOO_SOON = {
    "error_code": "EGW00133",
    "error_description": "접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)",
}


def credit_balance_body(rows: int = 30) -> dict[str, Any]:
    """A credit-balance answer shaped like the live server's: 30 rows, signed changes, decimals."""
    output2 = []
    for i in range(rows):
        falling = i % 3 == 0
        output2.append(
            {
                "mksc_shrn_iscd": f"{89010 + i:06d}",
                "hts_kor_isnm": f"종목{i:02d}",
                "stck_prpr": str(28200 - i * 100),
                "prdy_vrss": f"-{300 + i}" if falling else str(150 + i),
                "prdy_vrss_sign": "5" if falling else "2",
                "prdy_ctrt": f"-{1 + i / 100:.2f}" if falling else f"{0.5 + i / 100:.2f}",
                "acml_vol": str(2854589 + i),
                "whol_loan_rmnd_stcn": str(1470604 - i),
                "whol_loan_rmnd_amt": str(3312604 - i),
                "whol_loan_rmnd_rate": f"{9.68 - i / 100:.2f}",
                "whol_stln_rmnd_stcn": "0",
                "whol_stln_rmnd_amt": "0",
                "whol_stln_rmnd_rate": "0.00",
                "nday_vrss_loan_rmnd_inrt": f"{2.61 - i / 10:.2f}",
                "nday_vrss_stln_rmnd_inrt": "0.00",
            }
        )
    output1 = [
        {"bstp_cls_code": "1001", "hts_kor_isnm": "종합", "stnd_date1": "20261120", "stnd_date2": "20261124"}
    ]
    return ok(output1=output1, output2=output2)


# -- a hand-made order endpoint (POST, not retry_safe), independent of the generated specs ------


@attrs.frozen(kw_only=True)
class OrderReceipt(KisModel):
    krx_fwdg_ord_orgno: str | None = None
    odno: str | None = None
    ord_tmd: str | None = None


@attrs.frozen(kw_only=True)
class OrderResponse(KisResponse):
    __outputs__: ClassVar[tuple[str, ...]] = ("output",)
    output: OrderReceipt | None = None


ORDER = Endpoint(
    name="test.order_cash",
    title="주식주문(현금)",
    method="POST",
    path=ORDER_PATH,
    tr_id=TrId(real="TTTC0012U", paper="VTTC0012U"),
    params=(
        Param("account", "CANO", "종합계좌번호", max_length=8, fill="account"),
        Param("product", "ACNT_PRDT_CD", "계좌상품코드", max_length=2, fill="account_product"),
        Param("symbol", "PDNO", "상품번호", max_length=12),
        Param("", "ORD_DVSN", "주문구분", const="00"),
        Param("quantity", "ORD_QTY", "주문수량", kind="int", max_length=10, range=(1, 10**9)),
        Param("price", "ORD_UNPR", "주문단가", kind="int", max_length=19, range=(0, 10**12)),
    ),
    response=OrderResponse,
    outputs=(Output("output", "object", OrderReceipt, "응답상세"),),
    retry_safe=False,
)

ORDER_ARGS = {"symbol": "005930", "quantity": 1, "price": 70000}


def order_ok(odno: str = "0000117057") -> dict[str, Any]:
    return {
        "rt_cd": "0",
        "msg_cd": "APBK0013",
        "msg1": "주문 전송 완료 되었습니다.",
        "output": {"KRX_FWDG_ORD_ORGNO": "91252", "ODNO": odno, "ORD_TMD": "121052"},
    }


# -- a local KIS over real HTTP ------------------------------------------------------------------

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@attrs.define
class Seen:
    method: str
    path_qs: str
    headers: dict[str, str]
    body: bytes
    at: float


class FakeKis:
    """KIS on 127.0.0.1: issues numbered tokens; endpoints answer what ``routes`` say (default: a
    credit-balance ranking for GETs, an order receipt for POSTs). Records every request."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.tokens_issued = 0
        self.routes: dict[str, Handler] = {}
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def api_calls(self) -> list[Seen]:
        return [s for s in self.seen if s.path_qs.startswith("/uapi/")]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.seen.append(Seen(request.method, request.path_qs, dict(request.headers), body, time.monotonic()))
        handler = self.routes.get(request.path)
        if handler is not None:
            return await handler(request)
        if request.path == "/oauth2/tokenP":
            self.tokens_issued += 1
            return web.json_response(token_body(self.tokens_issued))
        if request.method == "POST":
            return web.json_response(order_ok())
        return web.json_response(credit_balance_body())


def slow(seconds: float, payload: dict[str, Any]) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(seconds)
        return web.Response(text=json.dumps(payload), content_type="application/json")

    return handler
