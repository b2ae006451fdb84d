"""A bot that thinks in handlers: rt.on(feed, key, callback) calls it with every tick, and an
error in a handler reaches the bot instead of vanishing in a background task."""

from __future__ import annotations

import asyncio

import pytest

from kis_async import KisClient
from kis_async._realtime import KisRealtimeError, RealtimeConfig
from kis_async.realtime import domestic_stock as ds

FAST = RealtimeConfig(
    stall_timeout=1.0, answer_timeout=2.0, request_interval=0.0, backoff_initial=0.01, backoff_max=0.05
)


pytestmark = pytest.mark.sandbox(rate_limit=None, realtime_rate=200)


async def test_sync_and_async_callbacks_get_the_ticks_of_their_own_symbol(kis_sandbox: KisClient) -> None:
    samsung: list[str] = []
    hynix: list[str] = []
    enough = asyncio.Event()

    def on_samsung(tick: ds.DomesticStockTradeTick) -> None:
        samsung.append(tick.mksc_shrn_iscd or "")

    async def on_hynix(tick: ds.DomesticStockTradeTick) -> None:
        hynix.append(tick.mksc_shrn_iscd or "")
        if len(hynix) >= 5 and len(samsung) >= 5:
            enough.set()

    async with kis_sandbox.realtime(config=FAST) as rt:
        first = await rt.on(ds.trade_krx, "005930", on_samsung)
        await rt.on(ds.trade_krx, "000660", on_hynix)
        await asyncio.wait_for(enough.wait(), 10)
        assert first.calls == len(samsung)
    assert set(samsung) == {"005930"} and set(hynix) == {"000660"}


async def test_a_callback_that_raises_ends_run_with_its_error(kis_sandbox: KisClient) -> None:
    def broken(tick: ds.DomesticStockTradeTick) -> None:
        raise ZeroDivisionError("the bot's own bug")

    async with kis_sandbox.realtime(config=FAST) as rt:
        handler = await rt.on(ds.trade_krx, "005930", broken)
        with pytest.raises(ZeroDivisionError, match="the bot's own bug"):
            await asyncio.wait_for(rt.run(), 10)
        assert handler.done and handler.calls == 0


async def test_run_without_a_handler_says_how_to_register_one(kis_sandbox: KisClient) -> None:
    async with kis_sandbox.realtime(config=FAST) as rt:
        with pytest.raises(KisRealtimeError, match=r"rt.on\(feed, key, callback\)"):
            await rt.run()


async def test_run_returns_when_the_session_closes(kis_sandbox: KisClient) -> None:
    seen: list[object] = []
    async with kis_sandbox.realtime(config=FAST) as rt:
        await rt.on(ds.trade_krx, "005930", seen.append)
        runner = asyncio.create_task(rt.run())
        await asyncio.sleep(0.2)
    await asyncio.wait_for(runner, 5)
    assert seen
