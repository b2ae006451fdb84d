"""A bot watching one symbol on NXT and on the 통합 (unified) feed: the two feeds send the same
fields, so their ticks are one class, and ``tick.feed`` tells which feed each came from."""

from __future__ import annotations

import asyncio
import pickle

import pytest

pytest.importorskip("cryptography")

from kis_async import KisClient
from kis_async._realtime import RealtimeConfig
from kis_async.realtime import domestic_stock as ds

FAST = RealtimeConfig(
    stall_timeout=1.0, answer_timeout=2.0, request_interval=0.0, backoff_initial=0.01, backoff_max=0.05
)


pytestmark = pytest.mark.realtime_server(ping_interval=0.2, pong_timeout=0.3)


def test_feeds_with_the_same_fields_share_one_tick_class() -> None:
    assert ds.trade_nxt.tick is ds.trade_unified.tick is ds.TradeTick
    assert ds.expected_trade_nxt.tick is ds.TradeTick
    assert ds.brokers_krx.tick is ds.brokers_nxt.tick is ds.brokers_unified.tick is ds.BrokersTick
    assert ds.trade_krx.tick is not ds.TradeTick  # KRX's record differs by one field
    assert set(ds.TradeTick.feeds) == {
        ds.trade_nxt, ds.trade_unified, ds.expected_trade_nxt, ds.expected_trade_unified
    }  # fmt: skip


def test_a_shared_tick_built_by_hand_must_say_its_feed() -> None:
    with pytest.raises(TypeError, match=r"TradeTick is the tick of several feeds .*pass feed="):
        ds.TradeTick(("005930",))
    nxt = ds.TradeTick(("005930",), ds.trade_nxt)
    assert nxt.feed is ds.trade_nxt
    assert nxt != ds.TradeTick(("005930",), ds.trade_unified)  # the same values, another feed
    assert ds.TradeKrxTick(("005930",)).feed is ds.trade_krx  # one feed: no need to say


def test_a_tick_sent_to_another_process_still_names_its_feed() -> None:
    nxt = ds.TradeTick(("005930", "093000", "71000"), ds.trade_nxt)

    received = pickle.loads(pickle.dumps(nxt))  # what a multiprocessing queue does

    assert received == nxt and received.feed is ds.trade_nxt and received.stck_prpr == 71000


async def test_each_tick_of_a_shared_class_knows_the_feed_it_came_from(kis_realtime: KisClient) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_nxt, "005930")
        await rt.subscribe(ds.trade_unified, "005930")
        seen: dict[str, ds.TradeTick] = {}

        async def collect() -> None:
            async for tick in rt:
                assert isinstance(tick, ds.TradeTick)
                seen.setdefault(tick.feed.name, tick)
                if len(seen) == 2:
                    return

        await asyncio.wait_for(collect(), 5.0)
        stream = rt.stream(ds.trade_nxt, "005930")
        only_nxt = await asyncio.wait_for(anext(aiter(stream)), 5.0)
    assert set(seen) == {"domestic_stock.trade_nxt", "domestic_stock.trade_unified"}
    assert all(tick.mksc_shrn_iscd == "005930" and isinstance(tick.stck_prpr, int) for tick in seen.values())
    assert only_nxt.feed is ds.trade_nxt
