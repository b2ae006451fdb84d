"""A Redis that stops answering (here: paused with SIGSTOP) costs a timeout, not a trade."""

from __future__ import annotations

import asyncio
import logging
import signal

import pytest

from benchmarks.fleet import RedisServer
from kis_async import FleetConfig
from kis_async.sandbox import Sandbox

ARGS = {"market": "0000", "period": 5, "sort": "0"}


async def test_a_hung_redis_falls_back_with_one_warning_and_returns(
    own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    fleet = FleetConfig(expected_processes=2, timeout=0.2, retry_interval=0.3)
    process = own_redis.process
    assert process is not None
    async with Sandbox() as sb, sb.client(redis_url=own_redis.url, fleet=fleet) as kis:
        await kis.domestic_stock.credit_balance(**ARGS)
        process.send_signal(signal.SIGSTOP)
        try:
            with caplog.at_level(logging.INFO, logger="kis_async"):
                for _ in range(3):
                    await kis.domestic_stock.credit_balance(**ARGS)
        finally:
            process.send_signal(signal.SIGCONT)
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()
        assert "10/s" in warnings[0].getMessage()  # 20/s shared by 2 expected processes

        caplog.clear()
        with caplog.at_level(logging.INFO, logger="kis_async"):
            await asyncio.sleep(0.4)  # the retry interval passes
            await kis.domestic_stock.credit_balance(**ARGS)
        assert any("is back" in r.getMessage() for r in caplog.records)
    assert kis.stats.redis_fallbacks == 1 and kis.stats.redis_recoveries == 1
    assert sb.stats.rate_limited == 0
