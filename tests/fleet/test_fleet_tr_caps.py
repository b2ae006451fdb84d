"""A TR with its own cap (spec ``rate_limit``) is capped across the fleet too, not per process."""

from __future__ import annotations

import asyncio

import attrs

from benchmarks.fleet import RedisServer
from kis_async._fleet import FleetLimiter
from kis_async.domestic_stock.ranking import CREDIT_BALANCE
from kis_async.sandbox import Sandbox

ARGS = {"market": "0000", "period": 5, "sort": "0"}


async def test_two_clients_share_a_trs_cap_through_redis(redis: RedisServer) -> None:
    import redis as redis_py

    capped = attrs.evolve(CREDIT_BALANCE, rate_limit=5.0)
    async with Sandbox() as sb, sb.client(redis_url=redis.url) as one, sb.client(redis_url=redis.url) as two:
        sb.serve(capped)  # the sandbox refuses a sixth call of this TR within a second
        await asyncio.gather(*(kis.request(capped, ARGS) for kis in (one, two) for _ in range(8)))
        assert all(isinstance(limiter, FleetLimiter) for limiter in one._tr_limiters.values())
    assert sb.stats.rate_limited == 0
    assert sb.stats.answered["domestic_stock.credit_balance"] == 16
    with redis_py.Redis.from_url(redis.url) as client:
        assert any(b":tr:" in key for key in client.keys("kis-async:*"))
