"""A bot trading US stocks through the sandbox: New York's hours in KST, dollar cash, the US tick
grid, and one account that the balance and the buying-power inquiry tell the same way.

The clock is Monday 2026-12-07 10:30 in New York (EST), i.e. Tuesday 00:30 KST; the account holds
USD 1,000,000 and 5 Apple shares bought at 150 dollars.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from kis_async import KST, KisApiError, KisClient
from kis_async.sandbox import Sandbox
from kis_async.sandbox._day_orders import abroad_day_end

NEW_YORK_MORNING = dt.datetime(2026, 12, 8, 0, 30, tzinfo=KST)
APPLE = "AAPL"
USD = Decimal(1_000_000)


pytestmark = pytest.mark.sandbox(
    rate_limit=None, now=NEW_YORK_MORNING, foreign_cash={"USD": USD}, holdings={"NASD:AAPL": (5, 150)}
)


async def apple_price(kis: KisClient) -> Decimal:
    """Apple's last price as the bot reads it (해외주식 현재체결가)."""
    quote = (await kis.overseas_price.price(exchange="NAS", symbol=APPLE)).output
    assert quote is not None and quote.last is not None
    return quote.last


async def buying_power(kis: KisClient, price: Decimal) -> tuple[Decimal | None, int | None]:
    answer = (await kis.overseas_stock.inquire_psamount(exchange="NASD", price=price, symbol=APPLE)).output
    assert answer is not None
    return answer.ord_psbl_frcr_amt, answer.max_ord_psbl_qty


async def apple(kis: KisClient) -> tuple[int | None, int | None]:
    balance = await kis.overseas_stock.inquire_balance(exchange="NASD", currency="USD")
    row = next(h for h in balance.output1 if h.ovrs_pdno == APPLE)
    return row.ovrs_cblc_qty, row.ord_psbl_qty


async def fill_price(kis: KisClient) -> Decimal:
    """The price the day's only order filled at, as 해외주식 주문체결내역 reports it."""
    day = dt.date(2026, 12, 7)  # New York's Monday
    (row,) = (
        await kis.overseas_stock.inquire_ccnl(
            start_date=day, end_date=day, side="00", fill_status="00", exchange="NASD"
        )
    ).output
    assert row.ft_ccld_unpr3 is not None
    return row.ft_ccld_unpr3


async def refused(call: object) -> KisApiError:
    with pytest.raises(KisApiError) as caught:
        await call  # type: ignore[misc]
    return caught.value


async def test_a_buy_through_the_market_fills_and_moves_dollars_and_shares(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price = await apple_price(kis_sandbox)
    await kis_sandbox.overseas_stock.order(
        side="buy", exchange="NASD", symbol=APPLE, quantity=3, price=price + Decimal("0.50")
    )
    assert await apple(kis_sandbox) == (8, 8)
    filled = await fill_price(kis_sandbox)  # the market price at the fill (the clock runs on)
    assert filled <= price + Decimal("0.50")
    assert (await buying_power(kis_sandbox, price))[0] == USD - 3 * filled


async def test_a_resting_buy_reserves_dollars_until_cancelled(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    low = (await apple_price(kis_sandbox) * Decimal("0.9")).quantize(Decimal("0.01"))
    quantity = max(1, int(USD // low) // 2)  # half the dollars, whatever Apple costs
    placed = await kis_sandbox.overseas_stock.order(
        side="buy", exchange="NASD", symbol=APPLE, quantity=quantity, price=low
    )
    assert placed.output is not None and placed.output.odno
    assert (await buying_power(kis_sandbox, low))[0] == USD - quantity * low

    await kis_sandbox.overseas_stock.order_rvsecncl(
        exchange="NASD",
        symbol=APPLE,
        original_order_no=placed.output.odno,
        action="02",
        quantity=quantity,
        price=0,
    )
    assert (await buying_power(kis_sandbox, low))[0] == USD
    again = await refused(
        kis_sandbox.overseas_stock.order_rvsecncl(
            exchange="NASD",
            symbol=APPLE,
            original_order_no=placed.output.odno,
            action="02",
            quantity=quantity,
            price=0,
        )
    )
    assert again.msg_cd == "APBK0918"


async def test_us_refusals(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    price = await apple_price(kis_sandbox)
    off_grid = await refused(
        kis_sandbox.overseas_stock.order(
            side="buy", exchange="NASD", symbol=APPLE, quantity=1, price=price + Decimal("0.001")
        )
    )
    too_dear = await refused(
        kis_sandbox.overseas_stock.order(
            side="buy", exchange="NASD", symbol=APPLE, quantity=int(USD // price) + 1, price=price
        )
    )
    too_many = await refused(
        kis_sandbox.overseas_stock.order(
            side="sell", exchange="NASD", symbol=APPLE, quantity=6, price=price, sell_type="00"
        )
    )
    # a US price from $1 with three decimals: KIS's recorded APTR0057 "1$이상 소수점 2자리까지만 가능"
    assert [e.msg_cd for e in (off_grid, too_dear, too_many)] == ["APTR0057", "APBK0952", "APBK0400"]


@pytest.mark.parametrize(
    ("kst", "code"),
    [
        (dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST), "40100000"),  # Sunday evening in New York
        (dt.datetime(2026, 12, 7, 22, 0, tzinfo=KST), "40570000"),  # Monday 08:00 in New York
        (dt.datetime(2026, 12, 8, 7, 0, tzinfo=KST), "40580000"),  # Monday 17:00 in New York
    ],
)
async def test_paper_refuses_us_orders_outside_new_york_hours(kst: dt.datetime, code: str) -> None:
    async with (
        Sandbox(env="paper", min_token_interval=0, rate_limit=None, now=kst) as sb,
        sb.client(account="12345678-01") as kis,
    ):
        error = await refused(
            kis.overseas_stock.order(
                side="buy",
                exchange="NASD",
                symbol=APPLE,
                quantity=1,
                price=await apple_price(kis),
            )
        )
    assert (error.msg_cd, error.rt_cd) == (code, "1")


async def test_summer_time_moves_the_session_an_hour_earlier_in_kst() -> None:
    july_opening = dt.datetime(2026, 7, 6, 22, 45, tzinfo=KST)  # 09:45 EDT: open (22:30 KST in summer)
    async with (
        Sandbox(min_token_interval=0, rate_limit=None, now=july_opening) as sb,
        sb.client(account="12345678-01") as kis,
    ):
        placed = await kis.overseas_stock.order(
            side="buy",
            exchange="NASD",
            symbol=APPLE,
            quantity=1,
            price=await apple_price(kis),
        )
    assert placed.output is not None and placed.output.odno


async def test_the_order_inquiries_list_the_bots_overseas_orders(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price = await apple_price(kis_sandbox)
    low = (price * Decimal("0.9")).quantize(Decimal("0.01"))
    await kis_sandbox.overseas_stock.order(side="buy", exchange="NASD", symbol=APPLE, quantity=2, price=price)
    resting = await kis_sandbox.overseas_stock.order(
        side="buy", exchange="NASD", symbol=APPLE, quantity=4, price=low
    )
    assert resting.output is not None

    (still_open,) = (await kis_sandbox.overseas_stock.inquire_nccs(exchange="NASD")).output
    assert (still_open.odno, still_open.ft_ord_qty, still_open.nccs_qty) == (resting.output.odno, 4, 4)
    assert still_open.ft_ord_unpr3 == low

    day = dt.date(2026, 12, 7)  # KIS dates overseas orders in the exchange's own date: Monday
    history = await kis_sandbox.overseas_stock.inquire_ccnl(
        start_date=day, end_date=day, side="00", fill_status="00", exchange="NASD"
    )
    newest, oldest = history.output
    assert newest.odno == resting.output.odno
    assert (oldest.ft_ccld_qty, oldest.ft_ccld_unpr3, oldest.nccs_qty) == (2, price, 0)


async def test_the_fill_notice_price_is_the_price_the_order_inquiry_reports(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    """KIS writes the notice's 체결단가 without its point (4 implied decimals in the US); the tick
    places it, so the notice and 해외주식 주문체결내역 tell the bot the same price."""
    from kis_async.realtime.overseas_stock import fill_notice

    price = await apple_price(kis_sandbox)
    limit = price + Decimal("0.50")
    async with kis_sandbox.realtime() as rt:
        await rt.subscribe(fill_notice, sandbox.hts_id)
        placed = await kis_sandbox.overseas_stock.order(
            side="buy", exchange="NASD", symbol=APPLE, quantity=3, price=limit
        )
        notices = []
        async with asyncio.timeout(5):
            async for notice in rt.stream(fill_notice, sandbox.hts_id):
                notices.append(notice)
                if notice.cntg_yn == "2":
                    break
    accepted, *_, filled = notices
    assert placed.output is not None and filled.oder_no == placed.output.odno
    assert (accepted.cntg_unpr, filled.cntg_qty) == (limit, 3)  # an acceptance carries 주문단가
    assert filled.cntg_unpr == await fill_price(kis_sandbox)  # the fill 체결단가, as the inquiry says
    assert filled.cntg_unpr is not None and abs(filled.cntg_unpr - price) < 1  # dollars, not 10,000×
    assert filled.raw[fill_notice.tick.cntg_unpr.index] == f"{int(filled.cntg_unpr * 10_000):09d}"


async def test_nasd_lists_every_us_market_and_the_others_their_own(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    """Both order inquiries' pages: NASD is 미국전체 (나스닥, 뉴욕, 아멕스); NYSE lists New York only."""
    price = await apple_price(kis_sandbox)
    ibm = await kis_sandbox.overseas_stock.order(
        side="buy", exchange="NYSE", symbol="IBM", quantity=1, price=Decimal("1.00")
    )
    apple = await kis_sandbox.overseas_stock.order(
        side="buy",
        exchange="NASD",
        symbol=APPLE,
        quantity=1,
        price=(price * Decimal("0.9")).quantize(Decimal("0.01")),
    )
    assert ibm.output is not None and apple.output is not None
    day = dt.date(2026, 12, 7)
    every_us = await kis_sandbox.overseas_stock.inquire_ccnl(
        start_date=day, end_date=day, side="00", fill_status="00", exchange="NASD"
    )
    assert sorted((r.ovrs_excg_cd, r.odno) for r in every_us.output) == sorted(
        [("NYSE", ibm.output.odno), ("NASD", apple.output.odno)]
    )
    new_york = await kis_sandbox.overseas_stock.inquire_nccs(exchange="NYSE")
    assert [(r.ovrs_excg_cd, r.odno) for r in new_york.output] == [("NYSE", ibm.output.odno)]


#: 13:00 in New York on the day after Thanksgiving (a half day), 03:00 KST the next morning.
BLACK_FRIDAY_EARLY_CLOSE = dt.datetime(2026, 11, 28, 3, 0, tzinfo=KST)


@pytest.mark.parametrize(
    ("kst", "accepted"),
    [
        (BLACK_FRIDAY_EARLY_CLOSE - dt.timedelta(minutes=5), True),  # 12:55 in New York
        (BLACK_FRIDAY_EARLY_CLOSE + dt.timedelta(minutes=5), False),  # 13:05: after the early close
        (dt.datetime(2026, 12, 25, 3, 30, tzinfo=KST), False),  # Christmas Eve 13:30 in New York
    ],
)
async def test_a_us_order_after_a_half_days_early_close_is_refused(kst: dt.datetime, accepted: bool) -> None:
    async with (
        Sandbox(env="paper", min_token_interval=0, rate_limit=None, now=kst) as sb,
        sb.client(account="12345678-01") as kis,
    ):
        order = kis.overseas_stock.order(
            side="buy", exchange="NASD", symbol=APPLE, quantity=1, price=await apple_price(kis)
        )
        if accepted:
            assert (await order).output is not None
        else:
            assert (await refused(order)).msg_cd == "40580000"  # 모의투자 장종료


async def test_minute_bars_of_a_half_day_stop_at_the_early_close() -> None:
    async with (
        Sandbox(min_token_interval=0, rate_limit=None, now=dt.datetime(2026, 11, 28, 9, 0, tzinfo=KST)) as sb,
        sb.client(account="12345678-01") as kis,
    ):
        bars = await kis.overseas_price.inquire_time_itemchartprice(
            exchange="NAS", symbol=APPLE, minutes=1, include_previous="0", next="", count=3, next_key=""
        )
        assert kis.market.early_close(dt.date(2026, 11, 27), "NAS") == BLACK_FRIDAY_EARLY_CLOSE
    newest = bars.output2[0]
    # the last minute bar is 12:59 in New York, the minute before the early close
    assert (newest.xymd, newest.xhms) == (dt.date(2026, 11, 27), dt.time(12, 59))
    assert (newest.kymd, newest.khms) == (dt.date(2026, 11, 28), dt.time(2, 59))


async def dollars(kis: KisClient) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(외화사용가능금액, 외화출금가능금액, 익일외화출금가능금액) in dollars (체결기준현재잔고 output2)."""
    answer = await kis.overseas_stock.inquire_present_balance(
        currency_basis="02", country="840", market="00", stock_kind="00"
    )
    usd = next(row for row in answer.output2 if row.crcy_cd == "USD")
    return usd.frcr_dncl_amt_2, usd.frcr_drwg_psbl_amt_1, usd.nxdy_frcr_drwg_psbl_amt


async def test_a_us_sale_settles_t_plus_1_in_new_york_but_its_dollars_buy_at_once(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price = await apple_price(kis_sandbox)
    await kis_sandbox.overseas_stock.order(
        side="sell", exchange="NASD", symbol=APPLE, quantity=5, price=price, sell_type="00"
    )
    proceeds = 5 * price
    answer = (
        await kis_sandbox.overseas_stock.inquire_psamount(exchange="NASD", price=price, symbol=APPLE)
    ).output
    assert answer is not None
    # 매도재사용: the unsettled proceeds buy at once ...
    assert (answer.ord_psbl_frcr_amt, answer.sll_ruse_psbl_amt) == (USD + proceeds, proceeds)
    # ... but are withdrawable only once settled: Monday's New York trade settles Tuesday there,
    # Wednesday 9 December in Seoul (한국 기준 T+2), i.e. tomorrow at this Tuesday 00:30 KST
    assert await dollars(kis_sandbox) == (USD + proceeds, USD, USD + proceeds)

    sandbox.set_time(dt.datetime(2026, 12, 9, 9, 0, tzinfo=KST))
    assert await dollars(kis_sandbox) == (USD + proceeds, USD + proceeds, USD + proceeds)
    settled = (
        await kis_sandbox.overseas_stock.inquire_psamount(exchange="NASD", price=price, symbol=APPLE)
    ).output
    assert settled is not None and settled.sll_ruse_psbl_amt == 0


async def test_a_us_buy_leaves_the_withdrawable_dollars_at_once(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price = await apple_price(kis_sandbox)
    await kis_sandbox.overseas_stock.order(side="buy", exchange="NASD", symbol=APPLE, quantity=2, price=price)
    assert await dollars(kis_sandbox) == (USD - 2 * price, USD - 2 * price, USD - 2 * price)


async def test_a_resting_buy_ends_with_new_yorks_day_and_frees_its_dollars(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    low = (await apple_price(kis_sandbox) * Decimal("0.9")).quantize(Decimal("0.01"))
    placed = await kis_sandbox.overseas_stock.order(
        side="buy", exchange="NASD", symbol=APPLE, quantity=4, price=low
    )
    assert placed.output is not None and placed.output.odno
    assert (await buying_power(kis_sandbox, low))[0] == USD - 4 * low

    sandbox.set_time(dt.datetime(2026, 12, 8, 23, 35, tzinfo=KST))  # New York's Tuesday, 09:35
    assert (await buying_power(kis_sandbox, low))[0] == USD  # Monday's close ended it
    assert (await kis_sandbox.overseas_stock.inquire_nccs(exchange="NASD")).output == []
    again = await refused(
        kis_sandbox.overseas_stock.order_rvsecncl(
            exchange="NASD",
            symbol=APPLE,
            original_order_no=placed.output.odno,
            action="02",
            quantity=4,
            price=0,
        )
    )
    assert again.msg_cd == "APBK0918"

    monday = dt.date(2026, 12, 7)
    (row,) = (
        await kis_sandbox.overseas_stock.inquire_ccnl(
            start_date=monday, end_date=monday, side="00", fill_status="00", exchange="NASD"
        )
    ).output
    # Monday's history keeps it: 4 ordered, none filled, 4 unfilled, no 정정/취소 of it
    assert (row.odno, row.ft_ord_qty, row.ft_ccld_qty, row.nccs_qty) == (placed.output.odno, 4, 0, 4)
    assert row.rvse_cncl_dvsn in (None, "", "00")


async def test_an_open_order_is_open_until_the_close_not_the_kst_date(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    low = (await apple_price(kis_sandbox) * Decimal("0.9")).quantize(Decimal("0.01"))
    await kis_sandbox.overseas_stock.order(side="buy", exchange="NASD", symbol=APPLE, quantity=1, price=low)
    sandbox.set_time(dt.datetime(2026, 12, 8, 5, 59, tzinfo=KST))  # 15:59 in New York
    assert len((await kis_sandbox.overseas_stock.inquire_nccs(exchange="NASD")).output) == 1
    sandbox.set_time(dt.datetime(2026, 12, 8, 6, 0, tzinfo=KST))  # 16:00: the close
    assert (await kis_sandbox.overseas_stock.inquire_nccs(exchange="NASD")).output == []


def test_an_order_taken_after_new_yorks_close_lives_until_kis_stops_taking_us_orders() -> None:
    monday = dt.date(2026, 12, 7)
    regular = abroad_day_end(monday, "NASD", dt.datetime(2026, 12, 8, 0, 30, tzinfo=KST))
    extended = abroad_day_end(monday, "NASD", dt.datetime(2026, 12, 8, 6, 30, tzinfo=KST))  # 16:30 ET
    assert regular == dt.datetime(2026, 12, 8, 6, 0, tzinfo=KST)  # 16:00 in New York
    # KIS takes US orders until 07:00 KST (not New York's 20:00, 10:00 KST): the order ends then
    assert extended == dt.datetime(2026, 12, 8, 7, 0, tzinfo=KST)
    summer = abroad_day_end(dt.date(2026, 7, 6), "NASD", dt.datetime(2026, 7, 7, 5, 30, tzinfo=KST))
    assert summer == dt.datetime(2026, 7, 7, 7, 0, tzinfo=KST)  # 07:00 KST in summer too
