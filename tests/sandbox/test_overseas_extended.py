"""A bot trading US stocks outside New York's regular session: the pre- and after-market through
해외주식 주문, the opening/closing auction orders (MOO/LOO, MOC/LOC), and 미국주간거래 through
``daytime_order``/``daytime_order_rvsecncl``.

The week is New York's of Monday 2026-12-07 (EST: the regular session is 23:30–06:00 KST); the
account holds USD 100,000 and 5 Apple shares bought at 150 dollars.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from kis_async import KST, KisApiError, KisClient
from kis_async.sandbox import Sandbox

APPLE = "AAPL"
USD = Decimal(100_000)
MONDAY = dt.date(2026, 12, 7)  # New York's Monday
PRE_MARKET = dt.datetime(2026, 12, 7, 19, 0, tzinfo=KST)  # 05:00 in New York
OPEN = dt.datetime(2026, 12, 7, 23, 30, tzinfo=KST)  # 09:30 in New York
CLOSE = dt.datetime(2026, 12, 8, 6, 0, tzinfo=KST)  # 16:00 in New York
DAYTIME = dt.datetime(2026, 12, 8, 11, 0, tzinfo=KST)  # Tuesday's 주간거래 (Monday 21:00 in New York)

pytestmark = pytest.mark.sandbox(
    rate_limit=None, now=PRE_MARKET, foreign_cash={"USD": USD}, holdings={"NASD:AAPL": (5, 150)}
)


async def apple_price(kis: KisClient) -> Decimal:
    quote = (await kis.overseas_price.price(exchange="NAS", symbol=APPLE)).output
    assert quote is not None and quote.last is not None
    return quote.last


async def orders(
    kis: KisClient, day: dt.date = MONDAY
) -> dict[str, tuple[int | None, Decimal | None, int | None]]:
    """order number → (filled quantity, fill price, open quantity), from 해외주식 주문체결내역."""
    rows = (
        await kis.overseas_stock.inquire_ccnl(
            start_date=day, end_date=day, side="00", fill_status="00", exchange="NASD"
        )
    ).output
    return {r.odno or "": (r.ft_ccld_qty, r.ft_ccld_unpr3, r.nccs_qty) for r in rows}


async def refused(call: object) -> KisApiError:
    with pytest.raises(KisApiError) as caught:
        await call  # type: ignore[misc]
    return caught.value


async def real_sandbox_at(now: dt.datetime) -> Sandbox:
    return Sandbox(min_token_interval=0, rate_limit=None, now=now)


# -- the pre- and after-market through 해외주식 주문 -------------------------------------------------


async def test_a_limit_buy_in_the_pre_market_trades_there_at_once(kis_sandbox: KisClient) -> None:
    price = await apple_price(kis_sandbox)
    placed = await kis_sandbox.overseas_stock.order(
        side="buy", exchange="NASD", symbol=APPLE, quantity=2, price=price + 1
    )
    assert placed.output is not None
    # the pre-market trades at the sandbox's price there (the path's last close)
    assert (await orders(kis_sandbox))[placed.output.odno or ""] == (2, price, 0)


@pytest.mark.parametrize(
    ("kst", "accepted"),
    [
        (dt.datetime(2026, 12, 7, 17, 59, tzinfo=KST), False),  # 03:59 in New York: before KIS's 18:00
        (dt.datetime(2026, 12, 7, 18, 0, tzinfo=KST), True),  # the pre-market opens
        (dt.datetime(2026, 12, 8, 6, 59, tzinfo=KST), True),  # the after-market, 16:59 in New York
        (dt.datetime(2026, 12, 8, 7, 0, tzinfo=KST), False),  # KIS's after-market window ends at 07:00 KST
        (dt.datetime(2026, 7, 6, 17, 0, tzinfo=KST), True),  # summer: the pre-market opens at 17:00 KST
        (dt.datetime(2026, 7, 7, 6, 59, tzinfo=KST), True),  # summer: the after-market still to 07:00 KST
    ],
)
async def test_the_real_domain_takes_us_limit_orders_from_the_pre_market_to_seven_in_the_morning(
    kst: dt.datetime, accepted: bool
) -> None:
    async with await real_sandbox_at(kst) as sb, sb.client(account="12345678-01") as kis:
        order = kis.overseas_stock.order(
            side="buy", exchange="NASD", symbol=APPLE, quantity=1, price=await apple_price(kis)
        )
        if accepted:
            assert (await order).output is not None
        else:
            error = await refused(order)
            assert (error.msg_cd, error.rt_cd) == ("APBK1058", "7")  # 주문가능시간이 아닙니다


async def test_paper_still_refuses_a_pre_market_order_as_before_the_session() -> None:
    async with (
        Sandbox(env="paper", min_token_interval=0, rate_limit=None, now=PRE_MARKET) as sb,
        sb.client(account="12345678-01") as kis,
    ):
        order = kis.overseas_stock.order(
            side="buy", exchange="NASD", symbol=APPLE, quantity=1, price=await apple_price(kis)
        )
        assert (await refused(order)).msg_cd == "40570000"  # 모의투자 장시작전


async def test_an_after_market_buy_left_open_is_gone_at_seven_when_kis_stops_taking_us_orders(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    """Day orders: KIS takes US orders until 07:00 KST (its 해외주식 주문 page), so an
    after-market remainder ends then, its dollars freed, not at New York's 20:00 (10:00 KST)."""
    sandbox.set_time(dt.datetime(2026, 12, 8, 6, 30, tzinfo=KST))  # 16:30 in New York
    price = await apple_price(kis_sandbox)
    placed = await kis_sandbox.overseas_stock.order(
        side="buy", exchange="NASD", symbol=APPLE, quantity=3, price=price - 10
    )
    assert placed.output is not None and placed.output.odno
    number = placed.output.odno

    async def orderable() -> Decimal | None:
        answer = await kis_sandbox.overseas_stock.inquire_psamount(exchange="NASD", price=price, symbol=APPLE)
        return answer.output.ord_psbl_frcr_amt if answer.output is not None else None

    assert await orderable() == USD - 3 * (price - 10)  # resting: its dollars are held
    sandbox.set_time(dt.datetime(2026, 12, 8, 6, 59, tzinfo=KST))
    assert [o.odno for o in (await kis_sandbox.overseas_stock.inquire_nccs(exchange="NASD")).output] == [
        number
    ]

    sandbox.set_time(dt.datetime(2026, 12, 8, 7, 5, tzinfo=KST))  # KIS takes no US order any more
    assert (await kis_sandbox.overseas_stock.inquire_nccs(exchange="NASD")).output == []
    assert await orderable() == USD
    assert (await orders(kis_sandbox))[number] == (0, Decimal(0), 3)  # Monday's history keeps it
    cancel = await refused(
        kis_sandbox.overseas_stock.order_rvsecncl(
            exchange="NASD", symbol=APPLE, original_order_no=number, action="02", quantity=3, price=0
        )
    )
    assert cancel.msg_cd in ("APBK0918", "APBK1058")  # nothing left to cancel, or after the session


async def test_a_market_on_open_sell_waits_for_the_open_and_fills_at_the_opening_price(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    moo = await kis_sandbox.overseas_stock.order(
        side="sell", exchange="NASD", symbol=APPLE, quantity=2, price=Decimal(0), order_type="31"
    )
    assert moo.output is not None
    number = moo.output.odno or ""
    assert (await orders(kis_sandbox))[number] == (0, Decimal(0), 2)  # the pre-market does not fill it

    sandbox.set_time(OPEN)
    opening = await apple_price(kis_sandbox)
    assert (await orders(kis_sandbox))[number] == (2, opening, 0)


async def test_a_limit_on_close_buy_the_close_does_not_reach_expires_and_frees_its_dollars(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price = await apple_price(kis_sandbox)
    loc = await kis_sandbox.overseas_stock.order(
        side="buy", exchange="NASD", symbol=APPLE, quantity=10, price=price / 2, order_type="34"
    )
    assert loc.output is not None
    sandbox.set_time(OPEN + dt.timedelta(hours=1))
    assert (await orders(kis_sandbox))[loc.output.odno or ""] == (0, Decimal(0), 10)  # waits for the close

    sandbox.set_time(CLOSE + dt.timedelta(minutes=1))
    # expired unfilled: no longer open, its 10 shares kept as 미체결수량 like any ended day order
    assert (await orders(kis_sandbox))[loc.output.odno or ""] == (0, Decimal(0), 10)
    nccs = (await kis_sandbox.overseas_stock.inquire_nccs(exchange="NASD")).output
    assert [r.odno for r in nccs] == []
    answer = (
        await kis_sandbox.overseas_stock.inquire_psamount(exchange="NASD", price=price, symbol=APPLE)
    ).output
    assert answer is not None and answer.ord_psbl_frcr_amt == USD


async def test_a_limit_on_close_buy_the_close_reaches_fills_at_the_closing_price(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price = await apple_price(kis_sandbox)
    loc = await kis_sandbox.overseas_stock.order(
        side="buy", exchange="NASD", symbol=APPLE, quantity=1, price=price * 2, order_type="34"
    )
    assert loc.output is not None
    sandbox.set_time(CLOSE)
    closing = await apple_price(kis_sandbox)
    assert (await orders(kis_sandbox))[loc.output.odno or ""] == (1, closing, 0)


async def test_an_opening_auction_order_after_the_open_is_refused(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(OPEN + dt.timedelta(minutes=1))
    error = await refused(
        kis_sandbox.overseas_stock.order(
            side="sell", exchange="NASD", symbol=APPLE, quantity=1, price=Decimal(0), order_type="31"
        )
    )
    assert error.msg_cd == "APBK1058"


async def test_an_order_type_kis_does_not_list_for_the_side_is_refused(kis_sandbox: KisClient) -> None:
    # the page lists MOO (31) and MOC (33) on the US sell TR only
    error = await refused(
        kis_sandbox.overseas_stock.order(
            side="buy", exchange="NASD", symbol=APPLE, quantity=1, price=Decimal(0), order_type="31"
        )
    )
    assert (error.msg_cd, error.rt_cd) == ("SBXK0004", "7")
    assert "sandbox code" in error.msg1


async def test_a_twap_order_is_cancelled_but_never_amended(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    # the order page: "※ TWAP, VWAP 주문은 정정 불가"; KIS's answer is not public (a sandbox code)
    sandbox.set_time(OPEN + dt.timedelta(hours=1))
    high = (await apple_price(kis_sandbox) * 2).quantize(Decimal("0.01"))
    twap = await kis_sandbox.overseas_stock.order(
        side="sell",
        exchange="NASD",
        symbol=APPLE,
        quantity=2,
        price=high,
        order_type="35",
        algo_time_mode="02",
    )
    assert twap.output is not None
    number = twap.output.odno or ""
    error = await refused(
        kis_sandbox.overseas_stock.order_rvsecncl(
            exchange="NASD", symbol=APPLE, original_order_no=number, action="01", quantity=2, price=high - 1
        )
    )
    assert (error.msg_cd, error.rt_cd) == ("SBXK0005", "7")
    assert (await orders(kis_sandbox))[number] == (0, Decimal(0), 2)  # untouched, still working
    cancelled = await kis_sandbox.overseas_stock.order_rvsecncl(
        exchange="NASD", symbol=APPLE, original_order_no=number, action="02", quantity=2, price=Decimal(0)
    )
    assert cancelled.output is not None
    assert (await orders(kis_sandbox))[number] == (0, Decimal(0), 0)


# -- 미국주간거래 (daytime_order) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kst", "code"),
    [
        (dt.datetime(2026, 12, 8, 9, 59, tzinfo=KST), "APBK1058"),  # before 10:00 KST in winter
        (dt.datetime(2026, 12, 8, 10, 0, tzinfo=KST), None),
        (dt.datetime(2026, 12, 8, 17, 59, tzinfo=KST), None),
        (dt.datetime(2026, 12, 8, 18, 0, tzinfo=KST), "APBK1058"),  # the session has ended
        (dt.datetime(2026, 7, 7, 9, 0, tzinfo=KST), None),  # summer: 09:00–17:00 KST
        (dt.datetime(2026, 7, 7, 17, 0, tzinfo=KST), "APBK1058"),
        (dt.datetime(2026, 12, 25, 11, 0, tzinfo=KST), "APBK0919"),  # Christmas: no US trading day
        (dt.datetime(2026, 12, 12, 11, 0, tzinfo=KST), "APBK0919"),  # a Saturday
    ],
)
async def test_daytime_orders_are_taken_in_the_daytime_session_only(
    kst: dt.datetime, code: str | None
) -> None:
    async with await real_sandbox_at(kst) as sb, sb.client(account="12345678-01") as kis:
        order = kis.overseas_stock.daytime_order(
            side="buy", exchange="NASD", symbol=APPLE, quantity=1, price=await apple_price(kis)
        )
        if code is None:
            assert (await order).output is not None
        else:
            assert (await refused(order)).msg_cd == code


async def test_a_daytime_buy_fills_on_the_us_price_and_shows_like_any_overseas_order(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(DAYTIME)
    price = await apple_price(kis_sandbox)
    placed = await kis_sandbox.overseas_stock.daytime_order(
        side="buy", exchange="NASD", symbol=APPLE, quantity=3, price=price + 1
    )
    assert placed.output is not None
    # dated as the US trading day its session belongs to: Tuesday
    assert (await orders(kis_sandbox, dt.date(2026, 12, 8)))[placed.output.odno or ""] == (3, price, 0)
    balance = await kis_sandbox.overseas_stock.inquire_balance(exchange="NASD", currency="USD")
    assert next(h.ovrs_cblc_qty for h in balance.output1 if h.ovrs_pdno == APPLE) == 8
    answer = (
        await kis_sandbox.overseas_stock.inquire_psamount(exchange="NASD", price=price, symbol=APPLE)
    ).output
    assert answer is not None and answer.ord_psbl_frcr_amt == USD - 3 * price


async def test_a_resting_daytime_order_is_amended_then_cancelled_through_daytime_rvsecncl(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(DAYTIME)
    price = await apple_price(kis_sandbox)
    tuesday = dt.date(2026, 12, 8)
    placed = await kis_sandbox.overseas_stock.daytime_order(
        side="buy", exchange="NASD", symbol=APPLE, quantity=4, price=price - 10
    )
    assert placed.output is not None
    amended = await kis_sandbox.overseas_stock.daytime_order_rvsecncl(
        exchange="NASD",
        symbol=APPLE,
        original_order_no=placed.output.odno or "",
        action="01",
        quantity=2,
        price=price - 20,
    )
    assert amended.output is not None
    cancelled = await kis_sandbox.overseas_stock.daytime_order_rvsecncl(
        exchange="NASD",
        symbol=APPLE,
        original_order_no=amended.output.odno or "",
        action="02",
        quantity=2,
        price=Decimal(0),
    )
    assert cancelled.output is not None
    seen = await orders(kis_sandbox, tuesday)
    # 4 placed; 2 moved to the new price, then cancelled; 2 still open at the first price
    assert seen[placed.output.odno or ""] == (0, Decimal(0), 2)
    assert seen[amended.output.odno or ""] == (0, Decimal(0), 0)
    open_orders = (await kis_sandbox.overseas_stock.inquire_nccs(exchange="NASD")).output
    assert [(o.odno, o.nccs_qty) for o in open_orders] == [(placed.output.odno, 2)]

    sandbox.set_time(dt.datetime(2026, 12, 8, 18, 0, tzinfo=KST))
    late = await refused(
        kis_sandbox.overseas_stock.daytime_order_rvsecncl(
            exchange="NASD",
            symbol=APPLE,
            original_order_no=placed.output.odno or "",
            action="02",
            quantity=2,
            price=Decimal(0),
        )
    )
    assert late.msg_cd == "APBK1058"


async def test_a_daytime_fill_is_notified_on_the_overseas_execution_feed() -> None:
    from kis_async.realtime import overseas_stock as os_feeds

    async with (
        await real_sandbox_at(DAYTIME) as sb,
        sb.client(account="12345678-01") as kis,
        kis.realtime() as rt,
    ):
        await rt.subscribe(os_feeds.fill_notice, sb.hts_id)
        price = await apple_price(kis)
        placed = await kis.overseas_stock.daytime_order(
            side="buy", exchange="NASD", symbol=APPLE, quantity=2, price=price + 1
        )
        assert placed.output is not None
        ticks = []
        async with asyncio.timeout(5):
            async for tick in rt.stream(os_feeds.fill_notice, sb.hts_id):
                ticks.append(tick)
                if tick.cntg_yn == "2":
                    break
    accepted, filled = ticks
    assert (accepted.oder_no, accepted.cntg_yn) == (placed.output.odno, "1")
    assert (filled.oder_no, filled.cntg_qty, filled.cntg_unpr) == (placed.output.odno, 2, price)
    assert filled.oder_kind2 == "2"  # 지정가: daytime orders are limit orders only


async def test_a_market_on_open_fill_is_notified_once_the_open_has_come() -> None:
    from kis_async.realtime import overseas_stock as os_feeds

    async with (
        await real_sandbox_at(PRE_MARKET) as sb,
        sb.client(account="12345678-01") as kis,
        kis.realtime() as rt,
    ):
        await rt.subscribe(os_feeds.fill_notice, sb.hts_id)
        held = next(iter(sb.desk.account("1234567801").abroad))  # the seeded portfolio's first name
        symbol = held.partition(":")[2]
        placed = await kis.overseas_stock.order(
            side="sell", exchange="NASD", symbol=symbol, quantity=1, price=Decimal(0), order_type="31"
        )
        assert placed.output is not None
        sb.set_time(OPEN + dt.timedelta(minutes=1))
        await kis.overseas_stock.inquire_nccs(exchange="NASD")  # the first look after the open
        ticks = []
        async with asyncio.timeout(5):
            async for tick in rt.stream(os_feeds.fill_notice, sb.hts_id):
                ticks.append(tick)
                if tick.cntg_yn == "2":
                    break
    accepted, filled = ticks
    assert (accepted.oder_no, accepted.cntg_yn) == (placed.output.odno, "1")
    assert (filled.oder_no, filled.cntg_yn, filled.cntg_qty) == (placed.output.odno, "2", 1)
    # 주문종류2 says MOO ("A" on the feed page's list), not 지정가
    assert (accepted.oder_kind2, filled.oder_kind2) == ("A", "A")
    # taken in the pre-market, filled at the open: the fill's 체결시간 is the open's (KST)
    assert accepted.stck_cntg_hour.replace(second=0) == dt.time(19, 0)
    assert filled.stck_cntg_hour == dt.time(23, 30)


async def test_a_daytime_order_left_open_ends_with_its_daytime_session(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    """Day orders: a 미국주간거래 remainder is gone when the daytime session ends (18:00 KST in
    winter), its dollars freed, as a regular order's is at the close."""
    sandbox.set_time(DAYTIME)
    price = await apple_price(kis_sandbox)
    placed = await kis_sandbox.overseas_stock.daytime_order(
        side="buy", exchange="NASD", symbol=APPLE, quantity=4, price=price - 10
    )
    assert placed.output is not None

    async def orderable() -> Decimal | None:
        answer = await kis_sandbox.overseas_stock.inquire_psamount(exchange="NASD", price=price, symbol=APPLE)
        return answer.output.ord_psbl_frcr_amt if answer.output is not None else None

    assert await orderable() == USD - 4 * (price - 10)
    sandbox.set_time(dt.datetime(2026, 12, 8, 17, 55, tzinfo=KST))  # still in the session
    assert [o.odno for o in (await kis_sandbox.overseas_stock.inquire_nccs(exchange="NASD")).output] == [
        placed.output.odno
    ]
    sandbox.set_time(dt.datetime(2026, 12, 8, 18, 5, tzinfo=KST))  # the daytime session is over
    assert (await kis_sandbox.overseas_stock.inquire_nccs(exchange="NASD")).output == []
    assert await orderable() == USD
    assert (await orders(kis_sandbox, dt.date(2026, 12, 8)))[placed.output.odno or ""] == (0, Decimal(0), 4)
