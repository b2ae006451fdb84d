"""Call overhead: credit-balance (30 rows) through ``KisClient`` versus the same request made with
a bare ``aiohttp.ClientSession`` + ``json.loads`` and no structuring, same server, same run.

Both sides send identical headers and query fields and reuse one session. Each round times ``n``
calls of one side and then ``n`` of the other (the sides take turns at going first); the ratio is
the median of the rounds' ratios, so a busy spell of a shared machine is compared within its
round, and the times shown are the median rounds. Rate limiting is off on both sides (measured separately in
:mod:`benchmarks.ratelimit`).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from benchmarks._report import Row
from benchmarks._server import CREDIT_BALANCE_PATH, Server
from kis_async import KisClient
from kis_async.domestic_stock.ranking.credit_balance import CREDIT_BALANCE

TARGET = 1.15
ARGS: dict[str, Any] = {"market": "0000", "period": 5, "sort": "0"}


def client_for(server: Server, **overrides: Any) -> KisClient:
    options: dict[str, Any] = {"base_url": server.url, "token_cache": None, "rate_limit": None}
    options.update(overrides)
    return KisClient(server.app_key, server.app_secret, **options)


async def _raw_headers(client: KisClient) -> dict[str, str]:
    """The headers the SDK sends, built once, as a hand-written caller would."""
    token = await client._auth.token()
    return {
        "content-type": "application/json; charset=utf-8",
        "appkey": client._app_key,
        "appsecret": client._app_secret.reveal(),
        "custtype": "P",
        "authorization": f"Bearer {token}",
        "tr_id": CREDIT_BALANCE.select_tr("real", ARGS),
        "tr_cont": "",
    }


async def _timed(n: int, concurrent: bool, call: Callable[[], Awaitable[Any]]) -> float:
    """Seconds per call for ``n`` calls, one after another or all at once."""
    started = time.perf_counter()
    if concurrent:
        await asyncio.gather(*(call() for _ in range(n)))
    else:
        for _ in range(n):
            await call()
    return (time.perf_counter() - started) / n


async def measure(server: Server, n: int, rounds: int) -> tuple[list[Row], int]:
    """Rows for sequential and concurrent calls; also the number of rows the server sent."""
    async with client_for(server) as kis, aiohttp.ClientSession() as session:
        headers = await _raw_headers(kis)
        fields = CREDIT_BALANCE.build_request(ARGS)
        url = server.url + CREDIT_BALANCE_PATH

        async def raw_call() -> Any:
            async with session.get(url, params=fields, headers=headers) as response:
                return json.loads(await response.read())

        async def sdk_call() -> Any:
            return await kis.domestic_stock.credit_balance(**ARGS)

        first = await sdk_call()  # warm up: token, connections, structure hooks
        await raw_call()
        rows_sent = len(first.output2)

        results = []
        for concurrent in (False, True):
            sdk_times, raw_times = [], []
            for round_ in range(rounds):
                # each round times both sides back to back (taking turns at going first), so a
                # busy spell of the shared machine lands on one pair and is judged within it
                sides = [(sdk_call, sdk_times), (raw_call, raw_times)]
                for call, times in sides if round_ % 2 == 0 else sides[::-1]:
                    times.append(await _timed(n, concurrent, call))
            sdk, raw = statistics.median(sdk_times), statistics.median(raw_times)
            ratio = statistics.median(s / r for s, r in zip(sdk_times, raw_times, strict=True))
            label = "concurrent" if concurrent else "sequential"
            results.append(
                Row(
                    f"call overhead, {n} {label} credit-balance calls",
                    f"{sdk * 1e6:.0f} µs/call",
                    f"{raw * 1e6:.0f} µs/call (aiohttp + json.loads)",
                    ratio,
                    f"≤ {TARGET}",
                    ratio <= TARGET,
                    f"+{(sdk - raw) * 1e6:.0f} µs/call; {rows_sent} rows; {server.kind}; "
                    f"median of {rounds} paired rounds",
                )
            )
        return results, rows_sent
