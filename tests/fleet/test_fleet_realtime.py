"""Real-time registrations are KIS's per app key: the fleet's processes share the 41."""

from __future__ import annotations

import asyncio

import pytest

from benchmarks.fleet import RedisServer
from kis_async import FleetConfig, KisSubscriptionLimitError, RealtimeConfig
from kis_async._fleet import Fleet, RealtimeBudget
from kis_async._stats import ClientStats
from kis_async.realtime import domestic_stock as ds
from kis_async.sandbox import Sandbox

FAST = RealtimeConfig(stall_timeout=2.0, answer_timeout=2.0, request_interval=0.0)
SYMBOLS = [f"{code:06d}" for code in range(1, 60)]


async def test_two_processes_never_hold_more_than_41_registrations_of_one_key(redis: RedisServer) -> None:
    async with (
        Sandbox(realtime_rate=0) as sb,
        sb.client(redis_url=redis.url) as first,
        sb.client(redis_url=redis.url) as second,
        first.realtime(config=FAST) as a,
        second.realtime(config=FAST) as b,
    ):
        await a.subscribe(ds.trade_krx, *SYMBOLS[:30])
        await b.subscribe(ds.trade_krx, *SYMBOLS[30:41])
        with pytest.raises(KisSubscriptionLimitError, match="already hold 41 registrations"):
            await b.subscribe(ds.trade_krx, SYMBOLS[41])

        await a.unsubscribe(ds.trade_krx, SYMBOLS[0])
        await b.subscribe(ds.trade_krx, SYMBOLS[41])
        assert len(a.subscriptions) + len(b.subscriptions) == 41


async def test_a_dead_processs_registrations_stop_counting_after_its_heartbeat_lapses(
    redis: RedisServer,
) -> None:
    stats = ClientStats()
    dead = Fleet(redis.url, "key", FleetConfig(), stats, None)
    alive = Fleet(redis.url, "key", FleetConfig(), stats, None)
    try:
        crashed = RealtimeBudget(dead, "rt", cap=2, ttl=0.3)
        assert await crashed.reserve("H0STCNT0", "005930") is None
        assert await crashed.reserve("H0STCNT0", "000660") is None
        survivor = RealtimeBudget(alive, "rt", cap=2, ttl=0.3)
        assert await survivor.reserve("H0STCNT0", "035720") == 2  # full

        await asyncio.sleep(0.4)  # the crashed process sent no heartbeat
        assert await survivor.reserve("H0STCNT0", "035720") is None
    finally:
        await dead.aclose()
        await alive.aclose()
