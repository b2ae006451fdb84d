"""Never silent, fleet: a Redis that restarts empty does not make the next process issue a token.

Measured before: a process started after a Redis restart found no token there and issued a new one
(a KakaoTalk alert to the account holder) or, within the minute, failed on EGW00133. Now a process
holding the key's valid token puts it back when Redis returns, and a token issue answered EGW00133
waits out the minute once.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from benchmarks.fleet import RedisServer
from kis_async import FleetConfig, _auth
from kis_async.sandbox import Sandbox

ARGS = {"market": "0000", "period": 5, "sort": "0"}
FAST = FleetConfig(expected_processes=2, timeout=0.2, retry_interval=0.2)


async def until(condition: object, timeout: float = 10.0) -> None:
    async def poll() -> None:
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout)


async def test_a_process_started_after_redis_restarted_empty_reuses_the_fleets_token(
    own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    async with Sandbox() as sb:  # KIS's rule: one token issue per minute per app key
        async with sb.client(redis_url=own_redis.url, fleet=FAST, token_cache=None) as running:
            await running.domestic_stock.credit_balance(**ARGS)
            own_redis.kill()
            own_redis.start()  # back, and empty
            assert own_redis.command("KEYS", "*").startswith(b"*0")
            with caplog.at_level(logging.INFO, logger="kis_async"):
                # whether or not this process noticed an outage, its next calls on Redis see the
                # token missing and put it back
                await running.domestic_stock.credit_balance(**ARGS)
                await asyncio.sleep(FAST.retry_interval)
                await running.domestic_stock.credit_balance(**ARGS)
                await until(lambda: running.stats.tokens_restored == 1)
            async with sb.client(redis_url=own_redis.url, fleet=FAST, token_cache=None) as started_later:
                await started_later.domestic_stock.credit_balance(**ARGS)
        assert sb.stats.tokens_issued == 1  # one alert for the whole story
        assert started_later.tokens_issued == 0 and started_later.stats.token_requests == 0
    assert any("put its own back" in r.getMessage() for r in caplog.records)


async def test_only_one_process_puts_the_token_back(own_redis: RedisServer) -> None:
    async with Sandbox() as sb:
        clients = [sb.client(redis_url=own_redis.url, fleet=FAST, token_cache=None) for _ in range(3)]
        try:
            for kis in clients:
                await kis.domestic_stock.credit_balance(**ARGS)
            own_redis.kill()
            own_redis.start()
            for kis in clients:
                await kis.domestic_stock.credit_balance(**ARGS)
            await asyncio.sleep(FAST.retry_interval)
            await asyncio.gather(*(kis.domestic_stock.credit_balance(**ARGS) for kis in clients))
            await until(lambda: sum(k.stats.tokens_restored for k in clients) == 1)
            await asyncio.gather(*(kis.domestic_stock.credit_balance(**ARGS) for kis in clients))
        finally:
            for kis in clients:
                await kis.close()
        assert sb.stats.tokens_issued == 1
    assert sum(kis.stats.tokens_restored for kis in clients) == 1


async def test_a_process_started_within_the_minute_waits_out_egw00133_instead_of_failing(
    own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    # nobody has put the token back yet (the running process is idle): the new one must issue,
    # and KIS refuses a second issue within its interval (1 s here instead of 60)
    async with Sandbox(min_token_interval=1.0) as sb:
        async with sb.client(redis_url=own_redis.url, fleet=FAST, token_cache=None) as running:
            await running.domestic_stock.credit_balance(**ARGS)
            own_redis.kill()
            own_redis.start()
            _auth._process_tokens.clear()  # what another process knows: nothing of this one's token
            _auth._process_last_issue.clear()
            options = {
                "redis_url": own_redis.url,
                "fleet": FAST,
                "token_cache": None,
                "min_token_interval": 1.0,
            }
            async with sb.client(**options) as started_now:
                with caplog.at_level(logging.WARNING, logger="kis_async"):
                    ranking = await started_now.domestic_stock.credit_balance(**ARGS)
        assert ranking.output2
        assert sb.stats.token_refusals == 1 and sb.stats.token_requests == 3  # refused once, asked again
    warnings = [r.getMessage() for r in caplog.records if "EGW00133" in r.getMessage()]
    assert len(warnings) == 1 and "waiting 1s once" in warnings[0]
