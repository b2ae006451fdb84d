"""A bot trading in Tokyo, Hong Kong, Shanghai and Vietnam through the sandbox: the lunch breaks
(refused in Tokyo and Hong Kong, queued for the afternoon in Shanghai), each exchange's tick
table, and each market's settlement day.

Monday 2026-12-07 is a trading day everywhere; Tokyo is on KST's clock, Hong Kong and Shanghai
one hour behind it, Vietnam two.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kis_async import KST, KisApiError, KisClient
from kis_async.sandbox import Sandbox

MONDAY = dt.date(2026, 12, 7)


def kst(hour: int, minute: int, day: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KST)


async def last_price(kis: KisClient, quote_exchange: str, symbol: str) -> Decimal:
    quote = (await kis.overseas_price.price(exchange=quote_exchange, symbol=symbol)).output
    assert quote is not None and quote.last is not None
    return quote.last


async def refused(call: object) -> KisApiError:
    with pytest.raises(KisApiError) as caught:
        await call  # type: ignore[misc]
    return caught.value


@pytest.mark.parametrize(
    ("exchange", "quote_exchange", "symbol", "at"),
    [
        ("TKSE", "TSE", "7203", kst(12, 0)),  # 12:00 JST: Tokyo's break is 11:30-12:30
        ("SEHK", "HKS", "00700", kst(13, 30)),  # 12:30 HKT: Hong Kong's break is 12:00-13:00
    ],
)
async def test_an_order_in_tokyos_or_hong_kongs_lunch_break_is_refused(
    exchange: str, quote_exchange: str, symbol: str, at: dt.datetime
) -> None:
    async with (
        Sandbox(env="paper", min_token_interval=0, rate_limit=None, now=at) as sb,
        sb.client(account="12345678-01") as kis,
    ):
        price = await last_price(kis, quote_exchange, symbol)
        error = await refused(
            kis.overseas_stock.order(side="sell", exchange=exchange, symbol=symbol, quantity=1, price=price)
        )
    assert (error.msg_cd, error.rt_cd) == ("40570000", "1")  # 모의투자 장시작전: before the afternoon


async def test_a_shanghai_order_in_the_lunch_break_waits_for_the_afternoon_session() -> None:
    moutai = "600519"
    async with (
        Sandbox(min_token_interval=0, rate_limit=None, now=kst(13, 0)) as sb,  # 12:00 in Shanghai
        sb.client(account="12345678-01") as kis,
    ):
        price = await last_price(kis, "SHS", moutai)
        dear = (price * Decimal("1.05")).quantize(Decimal("0.01"))  # marketable at any afternoon price
        placed = await kis.overseas_stock.order(
            side="buy", exchange="SHAA", symbol=moutai, quantity=100, price=dear
        )
        assert placed.output is not None
        (waiting,) = (await kis.overseas_stock.inquire_nccs(exchange="SHAA")).output
        assert (waiting.odno, waiting.nccs_qty) == (placed.output.odno, 100)  # taken, not filled at lunch

        sb.set_time(kst(14, 10))  # 13:10 in Shanghai: the afternoon session opened at 13:00
        assert (await kis.overseas_stock.inquire_nccs(exchange="SHAA")).output == []
        history = await kis.overseas_stock.inquire_ccnl(
            start_date=MONDAY, end_date=MONDAY, side="00", fill_status="00", exchange="SHAA"
        )
        minutes = await kis.overseas_price.inquire_time_itemchartprice(
            exchange="SHS", symbol=moutai, minutes=1, include_previous="0", next="", count=20, next_key=""
        )
    (filled,) = history.output
    (first_afternoon_bar,) = [bar for bar in minutes.output2 if bar.xhms == dt.time(13, 0)]
    # filled at the afternoon's opening price
    assert (filled.ft_ccld_qty, filled.ft_ccld_unpr3) == (100, first_afternoon_bar.open)
