"""A bot author's story against the sandbox market: history over any range, orders as handles,
recovery after a lost answer, positions, and a quote in one line."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from kis_async import KST, KisApiError, KisClient, KisOrderStateUnknownError, KisValidationError
from kis_async._calendar import is_trading_day, sessions
from kis_async._orders import Order
from kis_async.sandbox import Fault, Sandbox
from kis_async.sandbox._market import tick

SAMSUNG = "005930"
MONDAY_MORNING = dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST)


pytestmark = pytest.mark.sandbox(now=MONDAY_MORNING, rate_limit=None, cash=50_000_000)


async def test_two_years_of_daily_bars_equal_the_single_calls_without_repeats_or_closed_days(
    kis_sandbox: KisClient,
) -> None:
    start, end = dt.date(2024, 12, 1), dt.date(2026, 12, 4)
    bars = await kis_sandbox.history.daily(SAMSUNG, start, end)
    days = [bar.stck_bsop_date for bar in bars]
    assert days == sorted(set(days)), "oldest first, each day once"
    assert all(day is not None and is_trading_day(day) for day in days)
    assert days[0] is not None and days[0] <= dt.date(2024, 12, 3) and days[-1] == end
    assert len(days) > 450  # about 245 trading days a year
    # the union of the single calls the pager made, asked again by hand, is the same
    singles: dict[dt.date, int | None] = {}
    upper = end
    while True:
        answer = await kis_sandbox.domestic_stock.inquire_daily_itemchartprice(
            symbol=SAMSUNG, start_date=start, end_date=upper
        )
        rows = [row for row in answer.output2 if row.stck_bsop_date is not None]
        if not rows:
            break
        singles.update({row.stck_bsop_date: row.stck_clpr for row in rows if row.stck_bsop_date})
        oldest = min(row.stck_bsop_date for row in rows if row.stck_bsop_date)
        if oldest <= start:
            break
        upper = oldest - dt.timedelta(days=1)
    assert {bar.stck_bsop_date: bar.stck_clpr for bar in bars} == singles


async def test_history_stops_at_the_listing_date(kis_sandbox: KisClient) -> None:
    bars = await kis_sandbox.history.daily(SAMSUNG, dt.date(1950, 1, 2), dt.date(2026, 12, 4), period="M")
    assert bars and bars[0].stck_bsop_date is not None and bars[0].stck_bsop_date > dt.date(1950, 1, 2)


async def test_a_days_minutes_cover_its_sessions_only(kis_sandbox: KisClient) -> None:
    day = dt.date(2026, 12, 4)
    bars = await kis_sandbox.history.minutes(SAMSUNG, day)
    times = [bar.stck_cntg_hour for bar in bars]
    assert times == sorted(set(times)) and len(times) > 300
    krx = sessions(day)
    first, last = min(s.start for s in krx).time(), max(s.end for s in krx).time()
    assert all(t is not None and first <= t <= last for t in times)


async def test_a_quote_in_one_line(kis_sandbox: KisClient) -> None:
    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_prpr and quote.raw["stck_prpr"] == str(quote.stck_prpr)


async def test_an_order_below_the_market_rests_then_is_amended_and_cancelled(kis_sandbox: KisClient) -> None:
    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_llam is not None
    low = quote.stck_llam
    order = await kis_sandbox.orders.buy(SAMSUNG, 10, low)
    first_number = order.number
    assert [(o.number, o.open_quantity) for o in await kis_sandbox.orders.open()] == [(order.number, 10)]
    await order.modify(quantity=4)  # six shares cancelled; the order keeps its number
    await order.refresh()
    assert (order.number, order.status, order.open_quantity) == (first_number, "open", 4)
    higher = low + tick(low)
    await order.modify(price=higher)  # KIS's 정정: a new order number for the open shares
    assert order.number != first_number and order.numbers == [first_number]
    await order.refresh()
    assert (order.price, order.open_quantity) == (higher, 4)
    assert [(o.number, o.price, o.open_quantity) for o in await kis_sandbox.orders.open()] == [
        (order.number, higher, 4)
    ]
    await order.cancel()
    assert await kis_sandbox.orders.open() == []
    with pytest.raises(KisValidationError, match="nothing is open to cancel"):
        await order.cancel()


async def test_an_amendment_made_elsewhere_is_followed_with_its_new_price(kis_sandbox: KisClient) -> None:
    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_llam is not None
    low = quote.stck_llam
    order = await kis_sandbox.orders.buy(SAMSUNG, 10, low)
    higher = low + tick(low)
    amended = await kis_sandbox.domestic_stock.order_rvsecncl(  # the bot's other process, or the HTS
        order_org_no=order.branch,
        original_order_no=order.number,
        action="01",
        all_remaining=True,
        order_type="00",
        quantity=0,
        price=higher,
    )
    assert amended.output is not None and amended.output.odno
    await order.refresh()
    assert (order.number, order.price, order.open_quantity) == (amended.output.odno, higher, 10)


async def test_an_order_left_open_at_the_close_expires_with_its_day(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_llam is not None
    order = await kis_sandbox.orders.buy(SAMSUNG, 10, quote.stck_llam)
    sandbox.set_time(MONDAY_MORNING + dt.timedelta(days=1))  # Tuesday 10:00: Monday's session is over
    assert await order.wait(timeout=5) is order  # returns: the order can no longer fill
    assert (order.status, order.done, order.open_quantity, order.filled_quantity) == ("expired", True, 0, 0)
    assert order.row is not None and order.row.rmn_qty == 10  # the day's inquiry keeps its 잔여수량
    assert await kis_sandbox.orders.open() == []
    sent = len(sandbox.stats.orders)
    with pytest.raises(KisValidationError, match=r"nothing is open to cancel \(expired\)"):
        await order.cancel()
    with pytest.raises(KisValidationError, match=r"nothing is open to amend \(expired\)"):
        await order.modify(price=quote.stck_llam + tick(quote.stck_llam))
    assert len(sandbox.stats.orders) == sent  # refused before anything was sent


async def test_a_handle_not_refreshed_since_the_close_refuses_a_cancel_before_sending_it(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_llam is not None
    order = await kis_sandbox.orders.buy(SAMSUNG, 3, quote.stck_llam)
    sandbox.set_time(MONDAY_MORNING.replace(hour=15, minute=30))  # the closing auction is over
    assert order.status == "open"  # what the handle last knew
    with pytest.raises(KisValidationError, match="expired"):
        await order.cancel()
    assert sandbox.stats.orders_to("domestic_stock.order_rvsecncl") == []


async def test_an_sor_order_ends_at_krxs_close_for_the_bot_and_the_sandbox_alike(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    """An SOR order (EXCG_ID_DVSN_CD SOR) is played as a KRX order: its day ends at 15:30, so at
    16:00 the handle reads it expired, as the sandbox does when asked to cancel it."""
    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_llam is not None
    sandbox.set_time(MONDAY_MORNING.replace(hour=15))
    placed = await kis_sandbox.domestic_stock.order_cash(  # the bot's other process, through SOR
        side="buy", symbol=SAMSUNG, quantity=3, price=quote.stck_llam, exchange="SOR"
    )
    assert placed.output is not None and placed.output.odno
    order = await kis_sandbox.orders.find(SAMSUNG, "buy", 3, quote.stck_llam)
    assert order is not None and (order.number, order.status) == (placed.output.odno, "open")

    sandbox.set_time(MONDAY_MORNING.replace(hour=16))
    await order.refresh()
    assert (order.status, order.open_quantity) == ("expired", 0)
    assert await kis_sandbox.orders.open() == []
    with pytest.raises(KisValidationError, match=r"nothing is open to cancel \(expired\)"):
        await order.cancel()
    assert sandbox.stats.orders_to("domestic_stock.order_rvsecncl") == []
    with pytest.raises(KisApiError) as refused:  # the sandbox agrees: nothing is left to cancel
        await kis_sandbox.domestic_stock.order_rvsecncl(
            action="02",
            order_org_no=placed.output.krx_fwdg_ord_orgno or "",
            original_order_no=placed.output.odno,
            all_remaining=True,
        )
    # KRX's session is over (as the order's day): refused, and no longer listed as 정정취소가능
    assert refused.value.msg_cd == "APBK1058"
    assert (await kis_sandbox.domestic_stock.inquire_psbl_rvsecncl(sort="0", side="0")).output == []


async def test_an_order_through_the_market_fills_and_the_account_moves(kis_sandbox: KisClient) -> None:
    before = {p.symbol: p.quantity for p in await kis_sandbox.account.positions()}
    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_prpr is not None
    order = await kis_sandbox.orders.buy(SAMSUNG, 3, quote.stck_prpr)
    done = await order.wait(timeout=10, every=0.05)
    assert done.status == "filled" and done.filled_quantity == 3 and done.average_price is not None
    after = {p.symbol: p for p in await kis_sandbox.account.positions()}
    assert after[SAMSUNG].quantity == before.get(SAMSUNG, 0) + 3
    assert after[SAMSUNG].currency == "KRW" and after[SAMSUNG].row.raw["pdno"] == SAMSUNG
    cash = await kis_sandbox.account.cash()
    assert cash is not None and cash.dnca_tot_amt == 50_000_000  # settles on D+2


async def test_an_order_whose_answer_was_lost_is_found_not_resent(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_llam is not None
    sandbox.faults.set("domestic_stock.order_cash", Fault(drop=True, times=1))
    with pytest.raises(KisOrderStateUnknownError):
        await kis_sandbox.orders.buy(SAMSUNG, 7, quote.stck_llam)
    found = await kis_sandbox.orders.find(SAMSUNG, "buy", 7, quote.stck_llam)
    assert found is not None and found.quantity == 7 and found.status == "open"
    assert len(sandbox.stats.orders_to("domestic_stock.order_cash")) == 1  # found, never sent again
    assert await kis_sandbox.orders.find(SAMSUNG, "buy", 8, quote.stck_llam) is None  # another order: no


async def test_a_lookup_since_a_time_without_a_zone_is_refused_not_read_on_the_machines_clock(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    # 09:55 meant in Seoul, read on a UTC server's clock, would be 18:55 KST: the order of 10:00
    # would be missed and sent again
    naive = dt.datetime(2026, 12, 7, 9, 55)
    for exchange in (None, "NASD"):
        with pytest.raises(KisValidationError, match="since: 2026-12-07T09:55:00 has no time zone"):
            await kis_sandbox.orders.find(SAMSUNG, "buy", 7, since=naive, exchange=exchange)
    assert not sandbox.stats.requests  # refused before asking KIS


async def test_on_a_saturday_the_lookup_is_about_fridays_session(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(dt.datetime(2026, 12, 11, 14, 0, tzinfo=KST))  # Friday afternoon
    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_llam is not None
    sandbox.faults.set("domestic_stock.order_cash", Fault(drop=True, times=1))
    with pytest.raises(KisOrderStateUnknownError):
        await kis_sandbox.orders.buy(SAMSUNG, 7, quote.stck_llam)
    sandbox.set_time(dt.datetime(2026, 12, 12, 9, 0, tzinfo=KST))  # the bot restarts on Saturday morning
    found = await kis_sandbox.orders.find(SAMSUNG, "buy", 7, quote.stck_llam)
    assert found is not None and found.day == dt.date(2026, 12, 11) and found.quantity == 7


async def test_index_futures_and_overseas_history_page_the_same_way(kis_sandbox: KisClient) -> None:
    start, end = dt.date(2025, 6, 2), dt.date(2026, 12, 4)
    index = await kis_sandbox.history.index_daily("0001", start, end)
    index_days = [bar.stck_bsop_date for bar in index]
    assert len(index_days) > 300 and index_days == sorted(set(index_days))  # > 50 a call: paged
    assert all(day is not None and is_trading_day(day) for day in index_days)
    apple = await kis_sandbox.history.overseas_daily("AAPL", "NAS", dt.date(2026, 1, 5), dt.date(2026, 12, 4))
    apple_days = [bar.xymd for bar in apple]
    assert len(apple_days) > 200 and apple_days == sorted(set(apple_days))
    assert dt.date(2026, 11, 26) not in apple_days  # Thanksgiving: New York is closed
    futures = await kis_sandbox.history.futures_daily("A01612", dt.date(2026, 1, 2), dt.date(2026, 12, 4))
    futures_days = [bar.stck_bsop_date for bar in futures]
    assert len(futures_days) > 100 and futures_days == sorted(set(futures_days))  # > 100 a call: paged
    assert index.row_class is type(index[0]) and apple.row_class is type(apple[0])


async def test_daily_history_rows_convert_to_a_frame(kis_sandbox: KisClient) -> None:
    pytest.importorskip("polars")
    bars = await kis_sandbox.history.daily(SAMSUNG, dt.date(2026, 11, 2), dt.date(2026, 12, 4))
    frame = bars.to_polars()
    assert frame.height == len(bars) and frame["stck_clpr"].to_list() == [bar.stck_clpr for bar in bars]


async def test_wait_wakes_on_the_execution_notice_instead_of_polling(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    from kis_async.realtime import domestic_stock as ds

    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_llam is not None and quote.stck_prpr is not None
    async with kis_sandbox.realtime() as rt:
        await rt.subscribe(ds.fill_notice, sandbox.hts_id)
        order = await kis_sandbox.orders.buy(SAMSUNG, 2, quote.stck_llam)  # rests below the market
        waiting = asyncio.create_task(order.wait(timeout=20, every=60, notices=rt))
        await asyncio.sleep(0.3)
        assert not waiting.done()
        await kis_sandbox.orders.buy(SAMSUNG, 1, quote.stck_prpr)  # another order's notice does not wake it
        await asyncio.sleep(0.3)
        assert not waiting.done()
        await order.modify(price=quote.stck_prpr)  # now marketable: it fills, KIS notifies
        done = await asyncio.wait_for(waiting, 10)  # long before the 60 s poll
    assert done.status == "filled" and done.filled_quantity == 2
    assert rt.subscriptions == [] or all(not s.observers for s in rt.subscriptions)


async def test_wait_with_a_session_without_notices_says_what_to_subscribe(kis_sandbox: KisClient) -> None:
    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_llam is not None
    order = await kis_sandbox.orders.buy(SAMSUNG, 1, quote.stck_llam)
    async with kis_sandbox.realtime() as rt:
        with pytest.raises(KisValidationError, match="no execution-notice subscription"):
            await order.wait(timeout=5, notices=rt)


# -- overseas: the same handles with exchange= ------------------------------------------------

APPLE = "AAPL"
NEW_YORK_MORNING = dt.datetime(2026, 12, 8, 0, 30, tzinfo=KST)  # Monday 10:30 in New York (EST)


async def apple_in_new_york(sb: Sandbox, kis: KisClient) -> Decimal:
    """Moves the sandbox clock into New York's session; Apple's last price there (dollars)."""
    sb.set_time(NEW_YORK_MORNING)
    quote = await kis.quote(APPLE, "NAS")
    assert quote is not None and quote.last is not None
    return quote.last


async def test_an_overseas_limit_buy_rests_in_new_york_hours_then_is_amended_and_cancelled(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    low = (await apple_in_new_york(sandbox, kis_sandbox) * Decimal("0.9")).quantize(Decimal("0.01"))
    order = await kis_sandbox.orders.buy(APPLE, 10, low, exchange="NASD")
    first_number = order.number
    assert (order.exchange, order.currency, order.price) == ("NASD", "USD", low)
    assert order.day == dt.date(2026, 12, 7)  # KIS dates it in New York's date: Monday
    assert await kis_sandbox.orders.open() == []  # the domestic book is another one
    assert [(o.number, o.open_quantity, o.price) for o in await kis_sandbox.orders.open(exchange="NASD")] == [
        (first_number, 10, low)
    ]
    await order.modify(quantity=4)  # six shares cancelled; the order keeps its number
    await order.refresh()
    assert (order.number, order.status, order.open_quantity) == (first_number, "open", 4)
    higher = low + Decimal("0.01")
    await order.modify(price=higher)  # KIS's 정정: a new order number for the open shares
    assert order.number != first_number and order.numbers == [first_number]
    await order.refresh()
    assert (order.price, order.open_quantity, order.status) == (higher, 4, "open")
    assert [(o.number, o.price, o.open_quantity) for o in await kis_sandbox.orders.open(exchange="NASD")] == [
        (order.number, higher, 4)
    ]
    await order.cancel()
    assert order.status == "cancelled" and await kis_sandbox.orders.open(exchange="NASD") == []
    await order.refresh()
    assert order.status == "cancelled" and order.open_quantity == 0
    with pytest.raises(KisValidationError, match="nothing is open to cancel"):
        await order.cancel()
    assert len(sandbox.stats.orders_to("overseas_stock.order")) == 1  # placed once, never resent


async def test_an_overseas_order_open_at_new_yorks_close_expires(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    low = (await apple_in_new_york(sandbox, kis_sandbox) * Decimal("0.9")).quantize(Decimal("0.01"))
    order = await kis_sandbox.orders.buy(APPLE, 2, low, exchange="NASD")
    sandbox.set_time(dt.datetime(2026, 12, 8, 6, 0, tzinfo=KST))  # 16:00 in New York: the close
    await order.refresh()
    assert (order.status, order.open_quantity) == ("expired", 0)
    assert order.row is not None and order.row.nccs_qty == 2
    assert await kis_sandbox.orders.open(exchange="NASD") == []
    with pytest.raises(KisValidationError, match=r"nothing is open to cancel \(expired\)"):
        await order.cancel()
    assert sandbox.stats.orders_to("overseas_stock.order_rvsecncl") == []


async def test_an_after_market_handle_is_open_until_seven_then_expired_as_in_the_sandbox(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    """A US buy taken after New York's close (06:30 KST) lives until KIS stops taking US orders
    (07:00 KST): the handle and the sandbox's 미체결내역 agree on both sides of it."""
    low = (await apple_in_new_york(sandbox, kis_sandbox) * Decimal("0.9")).quantize(Decimal("0.01"))
    sandbox.set_time(dt.datetime(2026, 12, 8, 6, 30, tzinfo=KST))  # 16:30 in New York
    order = await kis_sandbox.orders.buy(APPLE, 2, low, exchange="NASD")
    sandbox.set_time(dt.datetime(2026, 12, 8, 6, 59, tzinfo=KST))
    await order.refresh()
    assert (order.status, order.open_quantity) == ("open", 2)
    assert [o.number for o in await kis_sandbox.orders.open(exchange="NASD")] == [order.number]

    sandbox.set_time(dt.datetime(2026, 12, 8, 7, 5, tzinfo=KST))
    await order.refresh()
    assert (order.status, order.open_quantity) == ("expired", 0)
    assert await kis_sandbox.orders.open(exchange="NASD") == []
    assert (await kis_sandbox.overseas_stock.inquire_nccs(exchange="NASD")).output == []


async def test_an_overseas_buy_through_the_market_fills_and_the_position_appears(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price = await apple_in_new_york(sandbox, kis_sandbox)
    before = {p.symbol: p.quantity for p in await kis_sandbox.account.positions(overseas=["NASD"])}
    cash_before = await kis_sandbox.account.overseas_cash("NASD")
    order = await kis_sandbox.orders.buy(APPLE, 3, price + Decimal("0.50"), exchange="NASD")
    done = await order.wait(timeout=10, every=0.05)
    assert (done.status, done.filled_quantity, done.average_price) == ("filled", 3, price)  # at the market
    after = {p.symbol: p for p in await kis_sandbox.account.positions(overseas=["NASD"])}
    assert after[APPLE].quantity == before.get(APPLE, 0) + 3
    assert (after[APPLE].currency, after[APPLE].market) == ("USD", "NASD")
    cash = await kis_sandbox.account.overseas_cash("NASD")
    assert cash_before is not None and cash is not None
    assert cash.frcr_pchs_amt1 == (cash_before.frcr_pchs_amt1 or 0) + 3 * price  # 외화매입금액
    sold = await kis_sandbox.orders.sell(APPLE, 3, price - Decimal("0.50"), exchange="NASD")
    assert (await sold.wait(timeout=10, every=0.05)).status == "filled"
    again = {p.symbol: p.quantity for p in await kis_sandbox.account.positions(overseas=["NASD"])}
    assert again.get(APPLE, 0) == before.get(APPLE, 0)


@pytest.mark.parametrize(
    ("kst", "code"),
    [
        (dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST), "APBK0919"),  # Sunday evening in New York
        # Monday 03:00 in New York: before KIS's pre-market window (18:00 KST in winter)
        (dt.datetime(2026, 12, 7, 17, 0, tzinfo=KST), "APBK1058"),
    ],
)
async def test_an_overseas_order_outside_new_yorks_session_is_refused_with_kis_code(
    sandbox: Sandbox, kis_sandbox: KisClient, kst: dt.datetime, code: str
) -> None:
    price = await apple_in_new_york(sandbox, kis_sandbox)
    sandbox.set_time(kst)
    with pytest.raises(KisApiError) as refused:
        await kis_sandbox.orders.buy(APPLE, 1, price, exchange="NASD")
    assert refused.value.msg_cd == code
    sandbox.set_time(NEW_YORK_MORNING)
    assert await kis_sandbox.orders.open(exchange="NASD") == []


async def test_an_overseas_order_whose_answer_was_lost_is_found_not_resent(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    low = (await apple_in_new_york(sandbox, kis_sandbox) * Decimal("0.9")).quantize(Decimal("0.01"))
    sandbox.faults.set("overseas_stock.order", Fault(drop=True, times=1))
    with pytest.raises(KisOrderStateUnknownError):
        await kis_sandbox.orders.buy(APPLE, 7, low, exchange="NASD")
    found = await kis_sandbox.orders.find(APPLE, "buy", 7, low, exchange="NASD")
    assert found is not None and (found.quantity, found.price, found.status) == (7, low, "open")
    assert (found.exchange, found.day) == ("NASD", dt.date(2026, 12, 7))
    assert len(sandbox.stats.orders_to("overseas_stock.order")) == 1  # found, never sent again
    assert await kis_sandbox.orders.find(APPLE, "sell", 7, low, exchange="NASD") is None  # another order: no
    assert await kis_sandbox.orders.find(APPLE, "buy", 7, low) is None  # not a domestic order
    sent_at = NEW_YORK_MORNING - dt.timedelta(seconds=1)  # the bot noted the time it sent it
    again = await kis_sandbox.orders.find(APPLE, "buy", 7, low, since=sent_at, exchange="NASD")
    assert again is not None and again.number == found.number
    later = NEW_YORK_MORNING + dt.timedelta(minutes=5)  # placed before this: not the one sent then
    assert await kis_sandbox.orders.find(APPLE, "buy", 7, low, since=later, exchange="NASD") is None
    await found.cancel()
    assert await kis_sandbox.orders.open(exchange="NASD") == []


async def test_an_overseas_order_is_checked_before_anything_is_sent(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    await apple_in_new_york(sandbox, kis_sandbox)
    with pytest.raises(KisValidationError, match="needs a limit price"):
        await kis_sandbox.orders.buy(APPLE, 1, exchange="NASD")
    with pytest.raises(KisValidationError, match="is a float"):
        await kis_sandbox.orders.buy(APPLE, 1, 187.5, exchange="NASD")  # type: ignore[arg-type]
    with pytest.raises(KisValidationError, match="not an overseas order exchange"):
        await kis_sandbox.orders.buy(APPLE, 1, Decimal("187.50"), exchange="NAS")  # type: ignore[arg-type]
    with pytest.raises(KisValidationError, match="whole won"):
        await kis_sandbox.orders.buy(SAMSUNG, 1, Decimal("70000.5"))
    assert sandbox.stats.orders_to("overseas_stock.order") == []
    shanghai = Order(
        kis_sandbox.orders,
        "600519",
        "buy",
        1,
        Decimal("1500"),
        "0000000001",
        "",
        dt.date(2026, 12, 7),
        "SHAA",
    )
    with pytest.raises(KisValidationError, match="does not amend"):
        await shanghai.modify(price=Decimal("1501"))  # KIS takes cancels only on 상해
    with pytest.raises(KisValidationError, match="is a float"):
        await shanghai.modify(price=1501.0)  # type: ignore[arg-type]
    assert sandbox.stats.orders_to("overseas_stock.order_rvsecncl") == []


async def test_a_limit_price_of_zero_is_refused_before_anything_is_sent(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    with pytest.raises(
        KisValidationError, match="a limit price is above zero, got 0; give None for a market"
    ):
        await kis_sandbox.orders.buy(SAMSUNG, 1, 0)  # a market order is price=None, not 0
    quote = await kis_sandbox.quote(SAMSUNG)
    assert quote is not None and quote.stck_llam is not None
    order = await kis_sandbox.orders.buy(SAMSUNG, 1, quote.stck_llam)
    with pytest.raises(KisValidationError, match="a limit price is above zero"):
        await order.modify(price=0)
    await apple_in_new_york(sandbox, kis_sandbox)
    with pytest.raises(KisValidationError, match=r"a limit price is above zero, got Decimal\('0.00'\)"):
        await kis_sandbox.orders.sell(APPLE, 1, Decimal("0.00"), exchange="NASD")
    assert [o.endpoint for o in sandbox.stats.orders] == ["domestic_stock.order_cash"]  # the one buy


async def test_an_overseas_wait_wakes_on_the_overseas_execution_notice(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    from kis_async.realtime import overseas_stock as os_feeds

    price = await apple_in_new_york(sandbox, kis_sandbox)
    low = (price * Decimal("0.9")).quantize(Decimal("0.01"))
    async with kis_sandbox.realtime() as rt:
        await rt.subscribe(os_feeds.fill_notice, sandbox.hts_id)
        order = await kis_sandbox.orders.buy(APPLE, 2, low, exchange="NASD")  # rests below the market
        waiting = asyncio.create_task(order.wait(timeout=20, every=60, notices=rt))
        await asyncio.sleep(0.3)
        assert not waiting.done()
        await order.modify(price=price)  # now marketable: it fills, KIS notifies
        done = await asyncio.wait_for(waiting, 10)  # long before the 60 s poll
        assert (done.status, done.filled_quantity) == ("filled", 2)
        ticks = []
        async with asyncio.timeout(5):
            async for tick in rt.stream(os_feeds.fill_notice, sandbox.hts_id):
                ticks.append(tick)
                if tick.cntg_yn == "2":
                    break
    accepted, *_, filled = ticks
    assert (accepted.oder_no, accepted.cntg_yn, accepted.cntg_qty) == (order.numbers[0], "1", 2)
    assert (filled.oder_no, filled.ooder_no, filled.cntg_qty) == (order.number, order.numbers[0], 2)
    # KIS leaves the point out of CNTG_UNPR (4 implied decimals in the US: 187.50 arrives as
    # 001875000); the tick places it, and the order's own average price agrees
    assert filled.cntg_unpr == done.average_price and filled.cntg_unpr is not None
    assert filled.cntg_unpr <= price  # filled at the market, within the amended limit
    wire = filled.raw[os_feeds.OverseasStockFillNoticeTick.cntg_unpr.index]
    assert wire == f"{int(filled.cntg_unpr * 10_000):09d}"


def test_the_bot_layers_exchange_codes_are_the_order_endpoints() -> None:
    # kis.orders checks exchange= against OverseasExchangeCode before sending; the spec's enum is
    # what the order endpoints accept, so a new exchange there must reach the Literal too
    from typing import get_args

    from kis_async import OverseasExchangeCode, OverseasOrderExchange

    assert set(get_args(OverseasExchangeCode)) == {member.value for member in OverseasOrderExchange}
