"""A bot watching the sandbox's real-time feeds sees a market that adds up, like its REST quotes."""

from __future__ import annotations

import asyncio
import itertools
from decimal import Decimal
from typing import Any

import pytest

from kis_async import KisClient
from kis_async._feed import Feed
from kis_async._realtime import RealtimeConfig
from kis_async.realtime import domestic_futureoption as dfo
from kis_async.realtime import domestic_stock as ds
from kis_async.realtime import overseas_stock as os_

FAST = RealtimeConfig(
    stall_timeout=1.0, answer_timeout=2.0, request_interval=0.0, backoff_initial=0.01, backoff_max=0.05
)
SIGN_OF = {1: {"1", "2"}, 0: {"3"}, -1: {"4", "5"}}


def krx_tick(price: int) -> int:
    """호가단위 (KRX, 2023-): 1 / 5 / 10 / 50 / 100 / 500 / 1,000 won."""
    for below, size in ((2000, 1), (5000, 5), (20000, 10), (50000, 50), (200000, 100), (500000, 500)):
        if price < below:
            return size
    return 1000


def direction(value: int | Decimal) -> int:
    return (value > 0) - (value < 0)


pytestmark = pytest.mark.sandbox(rate_limit=None, realtime_rate=200)


async def ticks_of(kis: KisClient, feed: Feed[Any], key: str, count: int = 40) -> list[Any]:
    async with kis.realtime(config=FAST) as rt:
        await rt.subscribe(feed, key)

        async def collect() -> list[Any]:
            items = []
            async for tick in rt.stream(feed, key):
                items.append(tick)
                if len(items) == count:
                    break
            return items

        return await asyncio.wait_for(collect(), 5.0)


async def previous_close(kis: KisClient, symbol: str) -> int:
    quote = (await kis.domestic_stock.inquire_price(symbol=symbol)).output
    assert quote is not None and quote.stck_sdpr is not None
    return quote.stck_sdpr


async def test_trade_prices_sit_on_the_krx_tick_grid_within_the_days_range(kis_sandbox: KisClient) -> None:
    ticks = await ticks_of(kis_sandbox, ds.trade_krx, "005930")
    for t in ticks:
        assert t.stck_prpr % krx_tick(t.stck_prpr) == 0
        assert t.stck_lwpr <= t.stck_prpr <= t.stck_hgpr
        assert t.stck_lwpr <= t.stck_oprc <= t.stck_hgpr


async def test_the_difference_sign_and_rate_follow_the_rest_previous_close(kis_sandbox: KisClient) -> None:
    close = await previous_close(kis_sandbox, "005930")
    for t in await ticks_of(kis_sandbox, ds.trade_krx, "005930"):
        assert t.prdy_vrss == t.stck_prpr - close
        assert t.prdy_vrss_sign in SIGN_OF[direction(t.prdy_vrss)]
        assert t.prdy_ctrt == (Decimal(t.prdy_vrss) * 100 / close).quantize(Decimal("0.01"))


async def test_a_falling_stock_has_a_negative_difference_and_a_falling_sign(kis_sandbox: KisClient) -> None:
    ranking = await kis_sandbox.domestic_stock.fluctuation(sort="1")  # 하락율순
    symbol = next(row.stck_shrn_iscd for row in ranking.output if (row.prdy_vrss or 0) < -1000)
    close = await previous_close(kis_sandbox, symbol)
    (first, *_) = await ticks_of(kis_sandbox, ds.trade_krx, symbol, count=1)
    assert first.prdy_vrss == first.stck_prpr - close < 0
    assert first.prdy_vrss_sign.name in ("FALL", "LOWER_LIMIT")
    assert first.prdy_ctrt < 0


async def test_cumulative_volume_grows_by_each_trade_and_time_never_goes_back(kis_sandbox: KisClient) -> None:
    ticks = await ticks_of(kis_sandbox, ds.trade_krx, "000660")
    for before, after in itertools.pairwise(ticks):
        assert after.acml_vol == before.acml_vol + after.cntg_vol
        assert after.acml_tr_pbmn > before.acml_tr_pbmn
        assert after.stck_cntg_hour >= before.stck_cntg_hour  # in session: the clock's second


async def test_the_order_book_asks_above_the_bids(kis_sandbox: KisClient) -> None:
    for book in await ticks_of(kis_sandbox, ds.orderbook_krx, "005930", count=10):
        asks = [getattr(book, f"askp{n}") for n in range(1, 11)]
        bids = [getattr(book, f"bidp{n}") for n in range(1, 11)]
        assert bids[0] < asks[0]
        assert asks == sorted(asks) and bids == sorted(bids, reverse=True)


async def test_futures_prices_carry_decimals_that_add_up(kis_sandbox: KisClient) -> None:
    for t in await ticks_of(kis_sandbox, dfo.index_futures_trade, "A01612", count=10):
        assert isinstance(t.futs_prpr, Decimal)
        assert t.prdy_vrss_sign in SIGN_OF[direction(t.futs_prdy_vrss)]
        assert t.futs_lwpr <= t.futs_prpr <= t.futs_hgpr


async def test_overseas_last_diff_and_rate_agree(kis_sandbox: KisClient) -> None:
    for t in await ticks_of(kis_sandbox, os_.delayed_trade, "DNASAAPL", count=10):
        assert t.symb == "AAPL"
        base = t.last - t.diff
        assert t.rate == (t.diff * 100 / base).quantize(Decimal("0.01"))
        assert t.sign in SIGN_OF[direction(t.diff)]


async def test_order_book_updates_between_trades_add_no_volume(kis_sandbox: KisClient) -> None:
    async with kis_sandbox.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        await rt.subscribe(ds.orderbook_krx, "005930")
        seen: list[Any] = []

        async def collect() -> None:
            async for tick in rt:
                seen.append(tick)
                if sum(isinstance(t, ds.TradeKrxTick) for t in seen) == 20:
                    return

        await asyncio.wait_for(collect(), 5.0)
    trades = [t for t in seen if isinstance(t, ds.TradeKrxTick)]
    assert any(isinstance(t, ds.OrderbookKrxTick) for t in seen)
    for before, after in itertools.pairwise(trades):
        assert after.acml_vol == before.acml_vol + after.cntg_vol
