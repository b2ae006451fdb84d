"""Rate-limit utilisation: the server allows 20 calls/s per app key; ``n`` calls are issued at once
through a client at KIS's default real rate, with retries off so that any refusal is seen.

The limiter lets one second's worth of calls go at once and then ``rate`` per second, so the
achieved rate is the steady one: the calls after that first burst divided by the time between
the first and the last answer.
"""

from __future__ import annotations

import asyncio
import time

from benchmarks._report import Row
from benchmarks._server import Server
from benchmarks.overhead import ARGS, client_for
from kis_async import KisRateLimitError

RATE = 20.0
TARGET = 0.95


async def measure(server: Server, n: int) -> list[Row]:
    async with client_for(server, rate_limit=RATE, max_retries=0) as kis:
        await kis.domestic_stock.credit_balance(**ARGS)  # token issued, connection open
        await asyncio.sleep(1.1)  # an empty window for the burst
        done: list[float] = []
        refused = 0

        async def one() -> None:
            nonlocal refused
            try:
                await kis.domestic_stock.credit_balance(**ARGS)
            except KisRateLimitError:
                refused += 1
            done.append(time.perf_counter())

        await asyncio.gather(*(one() for _ in range(n)))
    burst = int(RATE)
    steady = (n - burst) / (max(done) - min(done))
    utilisation = steady / RATE
    return [
        Row(
            f"rate-limit utilisation, {n} calls at once, limit {RATE:g}/s",
            f"{steady:.2f} calls/s",
            f"{RATE:g} calls/s allowed",
            utilisation,
            f"≥ {TARGET}, 0 refused",
            utilisation >= TARGET and refused == 0,
            f"{refused} EGW00201 refusals; {max(done) - min(done):.1f} s; {server.kind}",
        )
    ]
