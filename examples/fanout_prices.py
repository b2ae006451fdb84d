"""Concurrent fan-out: the current price of 50 symbols at once, under the rate limit.

Every request takes a slot from the client's rate limiter (KIS allows 20 requests/s per app key
on real, 2 on paper), so 50 concurrent calls are spread over a few seconds instead of being
refused with EGW00201. A symbol that fails does not lose the other 49 quotes
(``return_exceptions=True``). With ``KIS_APP_KEY``/``KIS_APP_SECRET`` set it asks KIS
(``KisClient.from_env()``); otherwise it starts the sandbox in this process.

    python examples/fanout_prices.py [SYMBOL ...]
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator

from kis_async import KisClient, KisError
from kis_async.domestic_stock import InquirePriceResponse

#: 50 KOSPI/KOSDAQ symbols (종목코드).
# fmt: off
SYMBOLS = (
    "005930", "000660", "373220", "207940", "005380", "000270", "068270", "005490", "035420", "051910",
    "006400", "105560", "055550", "012330", "028260", "003670", "035720", "066570", "032830", "086790",
    "003550", "000810", "015760", "034730", "009150", "018260", "017670", "033780", "011200", "096770",
    "010130", "024110", "316140", "030200", "010950", "047050", "009540", "086280", "138040", "011170",
    "323410", "034020", "161390", "090430", "000100", "259960", "247540", "086520", "091990", "196170",
)
# fmt: on


@contextlib.asynccontextmanager
async def connect() -> AsyncIterator[KisClient]:
    """KIS when credentials are set, else an in-process sandbox."""
    if os.environ.get("KIS_APP_KEY") and os.environ.get("KIS_APP_SECRET"):
        async with KisClient.from_env() as kis:
            yield kis
        return
    from kis_async.sandbox import Sandbox

    async with Sandbox() as sandbox, sandbox.client() as kis:
        print(f"sandbox at {sandbox.url} (set KIS_APP_KEY and KIS_APP_SECRET to ask KIS)")
        yield kis


async def prices(kis: KisClient, symbols: list[str]) -> list[InquirePriceResponse | BaseException]:
    calls = (kis.domestic_stock.inquire_price(symbol=symbol) for symbol in symbols)
    return await asyncio.gather(*calls, return_exceptions=True)


def line(symbol: str, result: InquirePriceResponse | BaseException) -> str:
    if isinstance(result, BaseException):
        return f"{symbol}  failed: {result}"
    quote = result.output
    if quote is None or quote.stck_prpr is None:
        return f"{symbol}  no price"
    change = f"{quote.prdy_ctrt:+}%" if quote.prdy_ctrt is not None else ""
    return f"{symbol}  {quote.stck_prpr:>10,}  {change:>8}  {quote.rprs_mrkt_kor_name or ''}"


async def run(symbols: list[str]) -> int:
    async with connect() as kis:
        started = time.perf_counter()
        results = await prices(kis, symbols)
        elapsed = time.perf_counter() - started
    for symbol, result in zip(symbols, results, strict=True):
        print(line(symbol, result))
    failed = sum(isinstance(r, BaseException) for r in results)
    print(f"{len(symbols) - failed}/{len(symbols)} prices in {elapsed:.1f}s")
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, KisError):
            raise result  # a bug, not a KIS answer: show it
    return 1 if failed == len(symbols) else 0


def main(argv: list[str] | None = None) -> int:
    symbols = list(sys.argv[1:] if argv is None else argv) or list(SYMBOLS)
    try:
        return asyncio.run(run(symbols))
    except KisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
