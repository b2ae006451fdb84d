"""A bot reads the sandbox's overseas futures quotes raw, as KIS sends them, and places them by the
sandbox's own master file: 6A's 계산 소수점 is -4, so the raw 6882.5 is 0.68825."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from kis_async import KisClient
from kis_async._realtime import RealtimeConfig
from kis_async.realtime import overseas_futureoption as ofo
from kis_async.symbols import DERIVATIVES, SymbolBook

FAST = RealtimeConfig(
    stall_timeout=1.0, answer_timeout=2.0, request_interval=0.0, backoff_initial=0.01, backoff_max=0.05
)
pytestmark = pytest.mark.sandbox(rate_limit=None, realtime_rate=200)


@pytest.fixture
async def book(kis_sandbox: KisClient, tmp_path: Path) -> SymbolBook:
    return await kis_sandbox.symbols(DERIVATIVES, cache_dir=tmp_path)


def on_grid(price: Decimal | None, tick: Decimal | None) -> bool:
    assert price is not None and tick is not None
    return price % tick == 0


async def test_the_sandbox_master_files_list_the_portal_examples_products(book: SymbolBook) -> None:
    places = {s.product: s.price_places for s in book.symbols}
    assert places == {"6A": 4, "GC": 1, "ES": 2, "NQ": 2, "CL": 2, "OES": 2, "O6E": 4}
    assert book.get("GCZ26").exchange == "COMEX"
    assert book.get("OESZ26 C5500").option_type == "C"


async def test_a_futures_quote_arrives_raw_and_becomes_the_real_price(
    kis_sandbox: KisClient, book: SymbolBook
) -> None:
    quote = (await kis_sandbox.overseas_futureoption.inquire_price(symbol="6AZ26")).output1
    assert quote is not None
    assert quote.prev_price == Decimal("6882.5")  # raw, as KIS sends it
    real = book.prices("6AZ26", quote)
    assert real["prev_price"] == Decimal("0.68825")
    last = real["last_price"]
    assert last is not None and Decimal("0.5") < last < Decimal("0.9")  # an Australian dollar, not 6882
    assert on_grid(last, book.get("6AZ26").tick_size)
    assert real["low_price"] <= last <= real["high_price"]  # type: ignore[operator]
    assert real["prev_diff_price"] == abs(last - Decimal("0.68825"))
    assert (quote.exch_cd, quote.crc_cd) == ("CME", "USD")


async def test_gold_and_an_option_scale_by_their_own_places(kis_sandbox: KisClient, book: SymbolBook) -> None:
    gold = (await kis_sandbox.overseas_futureoption.inquire_price(symbol="GCZ26")).output1
    assert gold is not None and gold.prev_price == Decimal("19225")
    assert book.price("GCZ26", gold.prev_price) == Decimal("1922.5")
    option = (await kis_sandbox.overseas_futureoption.opt_price(symbol="OESZ26 C5500")).output1
    assert option is not None and option.sttl_price == Decimal("7525")
    assert book.price("OESZ26 C5500", option.sttl_price) == Decimal("75.25")


async def test_chart_rows_are_raw_too(kis_sandbox: KisClient, book: SymbolBook) -> None:
    page = await kis_sandbox.overseas_futureoption.tick_ccnl(
        symbol="GCZ26", exchange="COMEX", end_datetime="", query_type="Q", count=5
    )
    rows = [book.prices("GCZ26", row) for row in page.output2[:5]]
    assert rows and all(Decimal("1500") < r["last_price"] < Decimal("2500") for r in rows)  # type: ignore[operator]
    assert all(on_grid(r["last_price"], Decimal("0.1")) for r in rows)


async def test_the_trade_feed_sends_the_same_raw_numbers(kis_sandbox: KisClient, book: SymbolBook) -> None:
    async with kis_sandbox.realtime(config=FAST) as rt:
        await rt.subscribe(ofo.trade, "6AZ26")
        tick = await asyncio.wait_for(anext(aiter(rt.stream(ofo.trade, "6AZ26"))), 5.0)
    assert tick.prev_price == Decimal("6882.5")
    real = book.prices("6AZ26", tick)
    assert real["prev_price"] == Decimal("0.68825")
    assert Decimal("0.5") < real["last_price"] < Decimal("0.9")  # type: ignore[operator]
    assert on_grid(real["last_price"], Decimal("0.00005"))


async def test_the_orderbook_feed_quotes_raw_levels_a_tick_apart(
    kis_sandbox: KisClient, book: SymbolBook
) -> None:
    async with kis_sandbox.realtime(config=FAST) as rt:
        await rt.subscribe(ofo.orderbook, "GCZ26")
        tick = await asyncio.wait_for(anext(aiter(rt.stream(ofo.orderbook, "GCZ26"))), 5.0)
    real = book.prices("GCZ26", tick)
    bids = [real[f"bid_price_{n}"] for n in range(1, 6)]
    asks = [real[f"ask_price_{n}"] for n in range(1, 6)]
    assert tick.prev_price == Decimal("19225") and real["prev_price"] == Decimal("1922.5")
    assert all(Decimal("1500") < b < Decimal("2500") for b in bids)  # type: ignore[operator]
    assert [a - b for a, b in zip(asks, bids, strict=True)] == [Decimal("0.2") * n for n in range(1, 6)]  # type: ignore[operator]
