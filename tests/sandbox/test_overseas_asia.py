"""A bot trading in Tokyo, Hong Kong, Shanghai and Vietnam through the sandbox: the lunch breaks
(refused in Tokyo and Hong Kong, queued for the afternoon in Shanghai), each exchange's tick
table, and each market's settlement day.

Monday 2026-12-07 is a trading day everywhere; Tokyo is on KST's clock, Hong Kong and Shanghai
one hour behind it, Vietnam two.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from kis_async import KST, KisApiError, KisClient
from kis_async.sandbox import Sandbox
from kis_async.sandbox._overseas import settlement_day

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


#: Monday 11:15 KST: Tokyo 11:15, Hong Kong and Shanghai 10:15, Vietnam 09:15: every morning session.
ALL_OPEN = kst(11, 15)


@pytest.mark.parametrize(
    ("exchange", "off_grid", "on_grid"),
    [
        ("SEHK", "20.05", "20.04"),  # HK$20-50: 0.02 (HKEX spread table, Phase 1 of the 2025 reduction)
        ("SEHK", "388.30", "388.20"),  # HK$200-500: 0.20
        ("TKSE", "3001", "3005"),  # above 3,000 yen: 5 yen
        ("SHAA", "10.005", "10.01"),  # China A: 0.01 yuan
        ("VNSE", "10010", "10050"),  # HOSE, 10,000-49,950 VND: 50
        ("HASE", "1050", "1100"),  # HNX: 100 VND
    ],
)
async def test_a_limit_price_off_the_exchanges_tick_table_is_refused(
    exchange: str, off_grid: str, on_grid: str
) -> None:
    async with (
        Sandbox(min_token_interval=0, rate_limit=None, now=ALL_OPEN) as sb,
        sb.client(account="12345678-01") as kis,
    ):

        def buy(price: str) -> object:
            return kis.overseas_stock.order(
                side="buy", exchange=exchange, symbol="TEST1", quantity=1, price=Decimal(price)
            )

        error = await refused(buy(off_grid))
        placed = await buy(on_grid)  # type: ignore[misc]
    assert (error.msg_cd, error.rt_cd) == ("APBK0506", "7")  # 호가단위 오류 (the domestic code, by analogy)
    assert placed.output is not None and placed.output.odno


@pytest.mark.parametrize(
    ("quote_exchange", "order_exchange", "symbol"),
    [("HKS", "SEHK", "00700"), ("TSE", "TKSE", "7203"), ("HSX", "VNSE", "VNM"), ("HNX", "HASE", "SHS")],
)
async def test_the_sandboxs_own_prices_sit_on_the_exchanges_tick_table(
    quote_exchange: str, order_exchange: str, symbol: str
) -> None:
    async with (
        Sandbox(min_token_interval=0, rate_limit=None, now=ALL_OPEN) as sb,
        sb.client(account="12345678-01") as kis,
    ):
        detail = (await kis.overseas_price.price_detail(exchange=quote_exchange, symbol=symbol)).output
        days = await kis.overseas_price.dailyprice(
            exchange=quote_exchange, symbol=symbol, period="0", date=MONDAY, adjusted="0"
        )
        assert detail is not None
        oldest = days.output2[-1]
        prices = [detail.last, detail.high, detail.low, detail.uplp, detail.dnlp, oldest.open, oldest.clos]
        # a sell at each price is accepted as far as the tick goes (the account holds none: 잔고 refusal)
        for price in prices:
            assert price is not None
            error = await refused(
                kis.overseas_stock.order(
                    side="sell", exchange=order_exchange, symbol=symbol, quantity=1, price=price
                )
            )
            assert error.msg_cd == "APBK0400", price  # not APBK0506: the price is on the grid


async def test_a_shanghai_share_bought_today_cannot_be_sold_until_tomorrow() -> None:
    moutai = "600519"
    async with (
        Sandbox(min_token_interval=0, rate_limit=None, now=ALL_OPEN, holdings={}) as sb,
        sb.client(account="12345678-01") as kis,
    ):
        price = await last_price(kis, "SHS", moutai)
        await kis.overseas_stock.order(side="buy", exchange="SHAA", symbol=moutai, quantity=100, price=price)
        today = await refused(
            kis.overseas_stock.order(side="sell", exchange="SHAA", symbol=moutai, quantity=100, price=price)
        )
        sb.set_time(kst(11, 15, MONDAY + dt.timedelta(days=1)))
        tomorrow_price = await last_price(kis, "SHS", moutai)
        sold = await kis.overseas_stock.order(
            side="sell", exchange="SHAA", symbol=moutai, quantity=100, price=tomorrow_price
        )
    assert today.msg_cd == "APBK0400"  # 매수 결제전 매도불가 (the A-share T+1 rule)
    assert sold.output is not None and sold.output.odno


async def test_a_vietnamese_sale_buys_nothing_until_it_settles_two_days_later() -> None:
    async with (
        Sandbox(
            min_token_interval=0,
            rate_limit=None,
            now=ALL_OPEN,
            holdings={"VNSE:VNM": (100, 2000)},
            foreign_cash={"VND": 0},
        ) as sb,
        sb.client(account="12345678-01") as kis,
    ):

        async def orderable_dong() -> Decimal | None:
            answer = (
                await kis.overseas_stock.inquire_psamount(exchange="VNSE", price=price, symbol="VNM")
            ).output
            assert answer is not None
            return answer.ord_psbl_frcr_amt

        price = await last_price(kis, "HSX", "VNM")
        await kis.overseas_stock.order(side="sell", exchange="VNSE", symbol="VNM", quantity=100, price=price)
        at_once = await orderable_dong()
        sb.set_time(kst(9, 0, MONDAY + dt.timedelta(days=2)))  # Wednesday: T+2
        settled = await orderable_dong()
    assert (at_once, settled) == (0, 100 * price)


@pytest.mark.parametrize(
    ("exchange", "traded", "settles", "why"),
    [
        ("NASD", dt.date(2026, 11, 27), dt.date(2026, 12, 1), "T+1 Monday in New York, Tuesday in Seoul"),
        ("NYSE", dt.date(2026, 9, 23), dt.date(2026, 9, 28), "Seoul's 추석 (Sep 24-26) pushes it to Monday"),
        ("SEHK", dt.date(2026, 12, 24), dt.date(2026, 12, 29), "T+2 over Christmas and Boxing Day"),
        ("TKSE", MONDAY, dt.date(2026, 12, 9), "T+2"),
        ("SHAA", MONDAY, dt.date(2026, 12, 8), "후강퉁 cash T+1"),
        ("VNSE", dt.date(2026, 12, 4), dt.date(2026, 12, 8), "T+2 over the weekend"),
    ],
)
def test_each_market_settles_on_its_own_cycle(
    exchange: str, traded: dt.date, settles: dt.date, why: str
) -> None:
    assert settlement_day(exchange, traded) == settles, why


async def test_a_lunch_order_fill_is_notified_when_the_afternoon_opens() -> None:
    from kis_async.realtime import overseas_stock as os_feeds

    moutai = "600519"
    async with (
        Sandbox(min_token_interval=0, rate_limit=None, now=kst(13, 0)) as sb,  # 12:00 in Shanghai
        sb.client(account="12345678-01") as kis,
        kis.realtime() as rt,
    ):
        await rt.subscribe(os_feeds.fill_notice, sb.hts_id)
        price = await last_price(kis, "SHS", moutai)
        dear = (price * Decimal("1.05")).quantize(Decimal("0.01"))
        placed = await kis.overseas_stock.order(
            side="buy", exchange="SHAA", symbol=moutai, quantity=100, price=dear
        )
        assert placed.output is not None
        sb.set_time(kst(14, 5))
        await kis.overseas_stock.inquire_nccs(exchange="SHAA")  # the first look after the opening
        ticks = []
        async with asyncio.timeout(5):
            async for tick in rt.stream(os_feeds.fill_notice, sb.hts_id):
                ticks.append(tick)
                if tick.cntg_yn == "2":
                    break
    accepted, filled = ticks
    assert (accepted.oder_no, accepted.cntg_yn) == (placed.output.odno, "1")
    assert (filled.oder_no, filled.cntg_yn, filled.cntg_qty) == (placed.output.odno, "2", 100)
