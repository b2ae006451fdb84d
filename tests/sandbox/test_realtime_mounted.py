"""One sandbox serves REST and the real-time WebSocket: a bot needs a single ``async with``."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from kis_async import KisAuthError, KisClient
from kis_async._realtime import RealtimeConfig
from kis_async.realtime import domestic_stock as ds
from kis_async.sandbox import Sandbox

FAST = RealtimeConfig(
    stall_timeout=1.0, answer_timeout=2.0, request_interval=0.0, backoff_initial=0.01, backoff_max=0.05
)


pytestmark = pytest.mark.sandbox(realtime_rate=50)


async def take(source: Any, count: int, timeout: float = 5.0) -> list[Any]:
    """The next ``count`` items of an async iterator, failing the test if they do not come."""

    async def collect() -> list[Any]:
        items = []
        async for item in source:
            items.append(item)
            if len(items) == count:
                break
        return items

    return await asyncio.wait_for(collect(), timeout)


async def test_the_sandbox_websocket_is_on_the_rest_port(sandbox: Sandbox) -> None:
    assert sandbox.ws_url == "ws" + sandbox.url.removeprefix("http")


async def test_a_client_from_the_sandbox_streams_ticks_and_calls_rest(sandbox: Sandbox) -> None:
    async with sandbox.client() as kis, kis.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        quote = (await kis.domestic_stock.inquire_price(symbol="005930")).output
        ticks = await take(rt, 3)
    assert kis.ws_url == sandbox.ws_url
    assert quote is not None and quote.stck_prpr
    assert [t.mksc_shrn_iscd for t in ticks] == ["005930"] * 3


async def test_the_approval_key_comes_from_the_rest_server(sandbox: Sandbox) -> None:
    async with sandbox.client() as kis, kis.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
    assert sandbox.realtime.stats.approvals_issued == 1
    assert sandbox.realtime.stats.registrations == [(1, "H0STCNT0", "005930")]


async def test_an_unknown_app_key_gets_no_approval_key() -> None:
    async with (
        Sandbox(app_keys={"PSknown": "secret"}) as sb,
        KisClient("PSstranger", "secret", base_url=sb.url, ws_url=sb.ws_url, token_cache=None) as kis,
    ):
        with pytest.raises(KisAuthError, match="EGW00103"):
            async with kis.realtime(config=FAST) as rt:
                await rt.subscribe(ds.trade_krx, "005930")


async def test_closing_the_sandbox_closes_its_websockets() -> None:
    async with Sandbox(realtime_rate=50) as sb, sb.client() as kis, kis.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        await take(rt, 1)
        await asyncio.wait_for(sb.close(), 5)
        assert sb.realtime.connections == 0
