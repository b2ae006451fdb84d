"""The sandbox checks what a mocked test cannot: the hashkey is the HASH of the exact bytes the
order sends, the hashkey request counts against the rate limit, notices after a reconnect are
decrypted with the new connection's AES key, and an unsubscribe really reaches KIS.

Each test here kills a mutation of the runtime that survived the rest of the suite (issue 24)."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import aiohttp
import pytest

from kis_async import Reconnected
from kis_async._realtime import RealtimeConfig
from kis_async.sandbox import Sandbox
from tests.conftest import SAMSUNG_PRICE

ACCOUNT = "12345678-01"
HTS_ID = "bot-hts-id"
ORDER_PATH = "/uapi/domestic-stock/v1/trading/order-cash"
FAST = RealtimeConfig(
    stall_timeout=2.0, answer_timeout=2.0, request_interval=0.0, backoff_initial=0.01, backoff_max=0.05
)


pytestmark = pytest.mark.sandbox(hts_id=HTS_ID, realtime_rate=0)


async def until(condition: Any, timeout: float = 10.0) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


async def test_an_order_with_hashkey_is_accepted_because_the_hash_matches_its_bytes(sandbox: Sandbox) -> None:
    async with sandbox.client(account=ACCOUNT, rate_limit=None, hashkey=True) as kis:
        result = await kis.domestic_stock.order_cash(
            side="buy", symbol="005930", quantity=1, price=SAMSUNG_PRICE
        )
    (order,) = sandbox.stats.orders_to(ORDER_PATH)
    assert order.hashkey is True  # it carried the header, and the sandbox checked it
    assert result.output is not None and result.output.odno is not None and len(result.output.odno) == 10
    assert (order.body["PDNO"], order.body["ORD_QTY"], order.body["ORD_UNPR"]) == (
        "005930",
        "1",
        str(SAMSUNG_PRICE),
    )


async def test_a_hash_of_a_differently_serialised_body_is_refused(sandbox: Sandbox) -> None:
    """The HASH is over bytes: the same fields with other spacing do not match."""
    order = {
        "CANO": "12345678",
        "ACNT_PRDT_CD": "01",
        "PDNO": "005930",
        "ORD_DVSN": "00",
        "ORD_QTY": "1",
        "ORD_UNPR": str(SAMSUNG_PRICE),
        "EXCG_ID_DVSN_CD": "KRX",
        "SLL_TYPE": "",
        "CNDT_PRIC": "",
    }
    async with sandbox.client(account=ACCOUNT, rate_limit=None) as kis:
        token = await kis._auth.token()
    headers = {
        "content-type": "application/json; charset=utf-8",
        "appkey": "PSsandboxAppKey0001",
        "appsecret": "sandbox-secret",
        "authorization": f"Bearer {token}",
        "tr_id": "TTTC0012U",
        "custtype": "P",
    }
    compact = json.dumps(order, separators=(",", ":")).encode()
    spaced = json.dumps(order).encode()
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{sandbox.url}/uapi/hashkey", data=compact, headers=headers) as response:
            digest = (await response.json())["HASH"]
        assert digest == hashlib.sha256(compact).hexdigest()
        async with http.post(
            sandbox.url + ORDER_PATH, data=spaced, headers={**headers, "hashkey": digest}
        ) as response:
            refused = await response.json()
        async with http.post(
            sandbox.url + ORDER_PATH, data=compact, headers={**headers, "hashkey": digest}
        ) as response:
            accepted = await response.json()
    assert refused["rt_cd"] == "1" and "hashkey" in refused["msg1"]
    assert accepted["rt_cd"] == "0"
    assert len(sandbox.stats.orders_to(ORDER_PATH)) == 1  # the refused one was not taken as an order


async def test_the_hashkey_request_takes_a_rate_limit_slot(sandbox: Sandbox) -> None:
    """KIS counts /uapi/hashkey like any call: an order with hashkey=True is two sends."""
    async with sandbox.client(
        "PShashkeyLimiterKey000000000000000000", "s", account=ACCOUNT, rate_limit=100, hashkey=True
    ) as kis:
        limiter: Any = kis._limiter
        before = limiter.acquired
        await kis.domestic_stock.order_cash(side="buy", symbol="005930", quantity=1, price=SAMSUNG_PRICE)
        assert limiter.acquired - before == 2
        await kis.domestic_stock.inquire_price(symbol="005930")
        assert limiter.acquired - before == 3


async def test_notices_after_a_reconnect_are_read_with_the_new_connections_key(sandbox: Sandbox) -> None:
    """Each connection gets its own AES key in the subscribe answer; after a reconnect the client
    must use the new one, or every notice is undecryptable."""
    pytest.importorskip("cryptography")
    from kis_async.realtime import domestic_stock as ds

    events: list[Reconnected] = []
    async with (
        sandbox.client(account=ACCOUNT) as kis,
        kis.realtime(config=FAST, on_reconnect=events.append) as rt,
    ):
        await rt.subscribe(ds.fill_notice, HTS_ID)
        await sandbox.realtime.drop_connections()
        await until(lambda: events)
        order = await kis.domestic_stock.order_cash(
            side="buy", symbol="005930", quantity=7, price=SAMSUNG_PRICE
        )

        async def first_notice() -> Any:
            async for tick in rt.stream(ds.fill_notice, HTS_ID):
                return tick
            return None

        notice = await asyncio.wait_for(first_notice(), 10)
    assert events[0].resubscribed == 1
    assert order.output is not None and notice.oder_no == order.output.odno
    assert (notice.stck_shrn_iscd, notice.oder_qty, notice.cust_id) == ("005930", 7, HTS_ID)


async def test_unsubscribe_sends_the_release_to_kis(sandbox: Sandbox) -> None:
    """KIS counts registrations per connection (41 at most): a release that only dropped the
    local count would make the next subscribe at the cap fail with OPSP0008."""
    from kis_async.realtime import domestic_stock as ds

    async with sandbox.client(account=ACCOUNT) as kis, kis.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930", "000660")
        await rt.unsubscribe(ds.trade_krx, "005930")
    assert [(tr, key) for _, tr, key in sandbox.realtime.stats.releases] == [("H0STCNT0", "005930")]
    assert [(tr, key) for _, tr, key in sandbox.realtime.stats.registrations] == [
        ("H0STCNT0", "005930"),
        ("H0STCNT0", "000660"),
    ]
