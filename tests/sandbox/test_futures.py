"""A bot trading KOSPI200 futures and options through the sandbox: KRX's derivatives session, the
futures tick grid and price band, margin out of a futures deposit, net positions, and the balance
and orderable inquiries telling the same story; across days, the daily settlement (일일정산) and the
December 2026 series' expiry on Thursday 2026-12-10.

The clock is Monday 2026-12-07 10:00 KST; the futures deposit is 100,000,000 won. Margin is the
sandbox's simple model: 10 % of the base price × 250,000 won per futures contract.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

import pytest

from kis_async import KST, KisApiError, KisClient
from kis_async.sandbox import Fault, Sandbox
from kis_async.sandbox._contracts import contract

MONDAY_MORNING = dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST)
FUTURE = "A01612"
CALL = "B01612350"
DEPOSIT = Decimal(100_000_000)
MULTIPLIER = 250_000
Side = Literal["01", "02"]
"""매도 01, 매수 02."""


pytestmark = [
    pytest.mark.sandbox(rate_limit=None, now=MONDAY_MORNING, futures_cash=int(DEPOSIT)),
    pytest.mark.kis_sandbox(account="12345678-03"),
]


async def day_of(kis: KisClient, symbol: str = FUTURE) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(현재가, 기준가, 상한가, 하한가) of a futures contract as the bot reads them."""
    quote = (await kis.domestic_futureoption.inquire_price(market_division="F", symbol=symbol)).output1
    assert quote is not None
    assert quote.futs_prpr and quote.futs_prdy_clpr and quote.futs_mxpr and quote.futs_llam
    return quote.futs_prpr, quote.futs_prdy_clpr, quote.futs_mxpr, quote.futs_llam


async def buy(kis: KisClient, quantity: int, price: Decimal, symbol: str = FUTURE, side: Side = "02") -> str:
    answer = await kis.domestic_futureoption.order(
        session="day", side=side, symbol=symbol, quantity=quantity, price=price, order_type="01"
    )
    assert answer.output is not None and answer.output.odno
    return answer.output.odno


async def cancel(kis: KisClient, number: str, quantity: int = 0) -> None:
    await kis.domestic_futureoption.order_rvsecncl(
        session="day",
        action="02",
        original_order_no=number,
        quantity=quantity,
        price=0,
        quote_type="01",
        condition="0",
        quantity_scope="N" if quantity else "Y",
        order_type="01",
    )


async def refused(call: object) -> KisApiError:
    with pytest.raises(KisApiError) as caught:
        await call  # type: ignore[misc]
    return caught.value


async def orderable(kis: KisClient, price: Decimal, side: Side = "02") -> tuple[int | None, int | None]:
    answer = (
        await kis.domestic_futureoption.inquire_psbl_order(
            symbol=FUTURE, side=side, price=price, order_type="01"
        )
    ).output
    assert answer is not None
    return answer.ord_psbl_qty, answer.lqd_psbl_qty1


async def balance(
    kis: KisClient,
) -> tuple[dict[str, tuple[str | None, int | None]], Decimal | None, Decimal | None]:
    """({code: (매도/매수, 잔고수량)}, 증거금총액, 주문가능현금)."""
    answer = await kis.domestic_futureoption.inquire_balance(margin_type="01", settlement_status="1")
    positions = {row.shtn_pdno or "": (row.sll_buy_dvsn_name, row.cblc_qty) for row in answer.output1}
    assert answer.output2 is not None
    return positions, answer.output2.mgna_tota, answer.output2.ord_psbl_cash


def margin(base: Decimal) -> Decimal:
    return base * MULTIPLIER * Decimal("0.10")


async def test_a_marketable_buy_opens_a_long_and_holds_margin(kis_sandbox: KisClient) -> None:
    price, base, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 2, price + Decimal("0.50"))
    positions, held, free = await balance(kis_sandbox)
    assert positions == {FUTURE: ("매수", 2)}
    assert held == 2 * margin(base)
    assert free == DEPOSIT - 2 * margin(base)
    assert await orderable(kis_sandbox, price) == (int(free // margin(base)), 0)
    # 2 close the long
    assert await orderable(kis_sandbox, price, side="01") == (int(free // margin(base)), 2)


async def test_selling_more_than_the_long_closes_it_and_opens_a_short(kis_sandbox: KisClient) -> None:
    price, base, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 2, price)
    await buy(kis_sandbox, 5, price, side="01")
    positions, held, _ = await balance(kis_sandbox)
    assert positions == {FUTURE: ("매도", 3)}
    assert held == 3 * margin(base)


async def test_a_resting_order_reserves_margin_until_cancelled(kis_sandbox: KisClient) -> None:
    price, base, _, lower = await day_of(kis_sandbox)
    resting = max(lower, price - Decimal("5.00"))
    number = await buy(kis_sandbox, 4, resting)
    assert (await balance(kis_sandbox))[2] == DEPOSIT - 4 * margin(base)  # reserved, not held
    assert (await balance(kis_sandbox))[0] == {}
    await kis_sandbox.domestic_futureoption.order_rvsecncl(
        session="day",
        action="02",
        original_order_no=number,
        quantity=0,
        price=0,
        quote_type="01",
        condition="0",
        quantity_scope="Y",
        order_type="01",
    )
    assert (await balance(kis_sandbox))[2] == DEPOSIT
    again = await refused(
        kis_sandbox.domestic_futureoption.order_rvsecncl(
            session="day",
            action="02",
            original_order_no=number,
            quantity=0,
            price=0,
            quote_type="01",
            condition="0",
            quantity_scope="Y",
            order_type="01",
        )
    )
    assert again.msg_cd == "APBK0918"


async def test_amending_a_resting_order_to_the_market_price_fills_it(kis_sandbox: KisClient) -> None:
    price, _, _, lower = await day_of(kis_sandbox)
    number = await buy(kis_sandbox, 1, max(lower, price - Decimal("5.00")))
    await kis_sandbox.domestic_futureoption.order_rvsecncl(
        session="day",
        action="01",
        original_order_no=number,
        quantity=0,
        price=price,
        quote_type="01",
        condition="0",
        quantity_scope="Y",
        order_type="01",
    )
    assert (await balance(kis_sandbox))[0] == {FUTURE: ("매수", 1)}
    today = MONDAY_MORNING.date()
    history = await kis_sandbox.domestic_futureoption.inquire_ccnl(
        start_date=today, end_date=today, side="00", fill_status="00", sort="AS"
    )
    assert [(r.odno, r.orgn_odno, r.tot_ccld_qty, r.avg_idx) for r in history.output1] == [
        (number, None, 0, Decimal(0)),
        (history.output1[1].odno, number, 1, price),
    ]


async def test_closing_a_long_moves_its_profit_into_the_deposit(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    bought, _, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 1, bought)
    sandbox.set_time(MONDAY_MORNING + dt.timedelta(hours=5))
    sold, _, _, _ = await day_of(kis_sandbox)
    assert sold != bought  # the path moved in five hours
    await buy(kis_sandbox, 1, sold, side="01")
    positions, held, free = await balance(kis_sandbox)
    assert positions == {FUTURE: (None, 0)} and held == 0  # closed today: listed with a blank side
    assert free == DEPOSIT + (sold - bought) * MULTIPLIER


async def test_buying_an_option_pays_its_premium(kis_sandbox: KisClient) -> None:
    quote = (await kis_sandbox.domestic_futureoption.inquire_price(market_division="O", symbol=CALL)).output1
    assert quote is not None and quote.futs_prpr is not None
    premium = quote.futs_prpr
    await buy(kis_sandbox, 3, premium, symbol=CALL)
    positions, held, free = await balance(kis_sandbox)
    assert positions == {CALL: ("매수", 3)} and held == 0
    assert free == DEPOSIT - premium * MULTIPLIER * 3


async def test_margin_beyond_the_deposit_is_refused(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    price, base, _, _ = await day_of(kis_sandbox)
    too_many = int(DEPOSIT // margin(base)) + 1
    error = await refused(buy(kis_sandbox, too_many, price))
    assert (error.rt_cd, error.msg_cd) == ("7", "APBK0952")
    assert (await balance(kis_sandbox))[0] == {}


async def test_a_price_off_the_futures_tick_is_refused(kis_sandbox: KisClient) -> None:
    price, _, _, _ = await day_of(kis_sandbox)
    error = await refused(buy(kis_sandbox, 1, price + Decimal("0.01")))  # the grid is 0.05 point
    assert error.msg_cd == "APBK0506"


async def test_a_price_outside_the_band_is_refused(kis_sandbox: KisClient) -> None:
    _, base, upper, lower = await day_of(kis_sandbox)
    assert upper <= base * Decimal("1.08") and lower >= base * Decimal("0.92")  # KRX's ±8 % stage
    assert (await refused(buy(kis_sandbox, 1, upper + Decimal("0.05")))).msg_cd == "APBK0406"
    assert (await refused(buy(kis_sandbox, 1, lower - Decimal("0.05"), side="01"))).msg_cd == "SBXK0002"


async def test_an_unknown_contract_is_refused(kis_sandbox: KisClient) -> None:
    error = await refused(buy(kis_sandbox, 1, Decimal("100.00"), symbol="999W12"))
    assert (error.msg_cd, error.msg1.strip()) == ("APBK0656", "해당종목정보가 없습니다.")


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (dt.datetime(2026, 12, 5, 10, 0, tzinfo=KST), "APBK0919"),  # Saturday
        (dt.datetime(2026, 12, 31, 10, 0, tzinfo=KST), "APBK0919"),  # KRX closed on Dec 31
        (dt.datetime(2026, 12, 7, 8, 40, tzinfo=KST), "APBK1058"),  # before 08:45
        (dt.datetime(2026, 12, 7, 15, 45, tzinfo=KST), "APBK1058"),  # the session has ended
        (dt.datetime(2026, 12, 7, 20, 0, tzinfo=KST), "APBK1058"),  # evening: the day TR's session is over
        (dt.datetime(2027, 1, 4, 9, 30, tzinfo=KST), "APBK1058"),  # the year's first day opens at 09:45
    ],
)
async def test_orders_outside_the_derivatives_session_are_refused(
    sandbox: Sandbox, kis_sandbox: KisClient, at: dt.datetime, code: str
) -> None:
    price, _, _, _ = await day_of(kis_sandbox)
    sandbox.set_time(at)
    assert (await refused(buy(kis_sandbox, 1, price))).msg_cd == code


async def test_between_the_stock_close_and_15_45_futures_still_trade(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(dt.datetime(2026, 12, 7, 15, 40, tzinfo=KST))
    price, _, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 1, price)
    assert (await balance(kis_sandbox))[0] == {FUTURE: ("매수", 1)}


async def test_the_paper_domain_answers_its_own_codes() -> None:
    async with (
        Sandbox(min_token_interval=0, rate_limit=None, now=MONDAY_MORNING, env="paper") as sb,
        sb.client(account="12345678-03") as kis,
    ):
        price, _, upper, _ = await day_of(kis)
        assert (await refused(buy(kis, 1, upper + Decimal("0.05")))).msg1.startswith(
            "모의투자 상/하한가 오류"
        )
        assert (await refused(buy(kis, 1, price + Decimal("0.01")))).msg_cd == "40030000"
        assert (await refused(buy(kis, 10_000, price))).msg_cd == "40250000"


async def test_a_partial_cancel_releases_that_part_of_the_reservation(kis_sandbox: KisClient) -> None:
    price, base, _, lower = await day_of(kis_sandbox)
    number = await buy(kis_sandbox, 4, max(lower, price - Decimal("5.00")))
    await cancel(kis_sandbox, number, quantity=3)
    assert (await balance(kis_sandbox))[2] == DEPOSIT - margin(base)  # one contract still rests


async def test_an_ioc_that_cannot_fill_leaves_nothing_open(kis_sandbox: KisClient) -> None:
    price, _, _, lower = await day_of(kis_sandbox)
    await kis_sandbox.domestic_futureoption.order(
        session="day",
        side="02",
        symbol=FUTURE,
        quantity=1,
        price=max(lower, price - Decimal("5.00")),
        order_type="10",
    )
    assert (await balance(kis_sandbox))[2] == DEPOSIT
    today = MONDAY_MORNING.date()
    history = await kis_sandbox.domestic_futureoption.inquire_ccnl(
        start_date=today, end_date=today, side="00", fill_status="02", sort="DS"
    )
    assert history.output1 == []  # nothing unfilled


async def test_writing_an_option_holds_margin_on_its_strike_and_receives_the_premium(
    kis_sandbox: KisClient,
) -> None:
    quote = (await kis_sandbox.domestic_futureoption.inquire_price(market_division="O", symbol=CALL)).output1
    assert quote is not None and quote.futs_prpr is not None
    await buy(kis_sandbox, 2, quote.futs_prpr, symbol=CALL, side="01")
    positions, held, free = await balance(kis_sandbox)
    assert positions == {CALL: ("매도", 2)}
    assert held == 2 * Decimal(350) * MULTIPLIER * Decimal("0.10")
    assert free == DEPOSIT + 2 * quote.futs_prpr * MULTIPLIER - held
    summary = (
        await kis_sandbox.domestic_futureoption.inquire_balance(margin_type="01", settlement_status="1")
    ).output2
    assert summary is not None and summary.prsm_dpast == DEPOSIT  # the premium received is owed back


async def test_a_mini_future_moves_a_fifth_of_the_money(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    mini = "A05612"
    bought, base, _, _ = await day_of(kis_sandbox, mini)
    await buy(kis_sandbox, 1, bought, symbol=mini)
    assert (await balance(kis_sandbox))[1] == base * 50_000 * Decimal("0.10")
    sandbox.set_time(MONDAY_MORNING + dt.timedelta(hours=5))
    sold, _, _, _ = await day_of(kis_sandbox, mini)
    await buy(kis_sandbox, 1, sold, symbol=mini, side="01")
    assert (await balance(kis_sandbox))[2] == DEPOSIT + (sold - bought) * 50_000
    assert (
        await refused(buy(kis_sandbox, 1, sold + Decimal("0.01"), symbol=mini))
    ).msg_cd == "APBK0506"  # 0.02 grid


async def night_order(kis: KisClient, price: Decimal) -> str:
    answer = await kis.domestic_futureoption.order(
        session="night", side="02", symbol=FUTURE, quantity=1, price=price, order_type="01"
    )
    assert answer.output is not None and answer.output.odno
    return answer.output.odno


async def test_the_night_session_takes_night_orders_and_dates_them_the_next_trading_day(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(dt.datetime(2026, 12, 4, 20, 0, tzinfo=KST))  # Friday evening
    price, _, _, _ = await day_of(kis_sandbox)
    number = await night_order(kis_sandbox, price)
    assert (await balance(kis_sandbox))[0] == {FUTURE: ("매수", 1)}
    monday = dt.date(2026, 12, 7)  # KRX counts the night as the next trading day
    history = await kis_sandbox.domestic_futureoption.inquire_ccnl(
        start_date=monday, end_date=monday, side="00", fill_status="00", sort="DS"
    )
    assert [(r.odno, r.ord_dt) for r in history.output1] == [(number, monday)]


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST), "APBK1058"),  # daytime: the night has not begun
        (dt.datetime(2026, 12, 5, 20, 0, tzinfo=KST), "APBK0919"),  # no night session starts on a Saturday
        (dt.datetime(2026, 12, 31, 20, 0, tzinfo=KST), "APBK0919"),  # nor on a KRX holiday
    ],
)
async def test_night_orders_outside_the_night_session_are_refused(
    sandbox: Sandbox, kis_sandbox: KisClient, at: dt.datetime, code: str
) -> None:
    price, _, _, _ = await day_of(kis_sandbox)
    sandbox.set_time(at)
    assert (await refused(night_order(kis_sandbox, price))).msg_cd == code


async def test_a_night_order_at_three_in_the_morning_belongs_to_the_night_before(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(dt.datetime(2026, 12, 8, 3, 0, tzinfo=KST))  # Tuesday 03:00: Monday's night
    price, _, _, _ = await day_of(kis_sandbox)
    await night_order(kis_sandbox, price)
    assert (await balance(kis_sandbox))[0] == {FUTURE: ("매수", 1)}


async def test_an_order_of_another_app_key_cannot_be_cancelled(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price, _, _, lower = await day_of(kis_sandbox)
    number = await buy(kis_sandbox, 1, max(lower, price - Decimal("5.00")))
    async with sandbox.client(account="12345678-03", app_key="P" + "x" * 35, app_secret="s" * 180) as other:
        assert (await refused(cancel(other, number))).msg_cd == "APBK1663"


async def test_a_resting_sell_that_closes_a_long_reserves_nothing_and_takes_the_closable(
    kis_sandbox: KisClient,
) -> None:
    price, base, upper, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 2, price)
    await buy(kis_sandbox, 2, min(upper, price + Decimal("5.00")), side="01")  # rests above the market
    positions, held, free = await balance(kis_sandbox)
    assert positions == {FUTURE: ("매수", 2)} and held == 2 * margin(base)
    assert free == DEPOSIT - 2 * margin(base)  # the resting sell closes: it reserves nothing
    assert (await orderable(kis_sandbox, price, side="01"))[1] == 0  # nothing left to close


async def test_the_deposit_and_the_night_balance_tell_the_same_account(kis_sandbox: KisClient) -> None:
    price, base, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 1, price)
    _, held, free = await balance(kis_sandbox)
    deposit = (await kis_sandbox.domestic_futureoption.inquire_deposit()).output
    assert deposit is not None
    assert (deposit.dnca_tota, deposit.brkg_mgna_cash, deposit.ord_psbl_cash) == (DEPOSIT, held, free)
    night = await kis_sandbox.domestic_futureoption.inquire_ngt_balance(
        margin_type="01", settlement_status="1"
    )
    assert [(row.shtn_pdno, row.cblc_qty) for row in night.output1] == [(FUTURE, 1)]
    assert night.output2 is not None and night.output2.ord_psbl_cash == free == DEPOSIT - margin(base)


async def test_a_refusal_fault_reaches_the_futures_bot_and_books_nothing(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price, _, _, _ = await day_of(kis_sandbox)
    sandbox.faults.set("domestic_futureoption.order", Fault(refuse="APBK0952", times=1))
    error = await refused(buy(kis_sandbox, 1, price))
    assert (error.rt_cd, error.msg_cd) == ("7", "APBK0952")
    assert (await balance(kis_sandbox))[0] == {}
    await buy(kis_sandbox, 1, price)  # the fault was for one call
    assert (await balance(kis_sandbox))[0] == {FUTURE: ("매수", 1)}


# -- across days: daily settlement (일일정산) and expiry (최종거래일 2026-12-10, a Thursday) ---------

TUESDAY, WEDNESDAY = dt.date(2026, 12, 8), dt.date(2026, 12, 9)
EXPIRY = dt.date(2026, 12, 10)
NEXT_FUTURE = "A01703"  # March 2027: still listed after December's expiry


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), KST)


async def deposit(kis: KisClient) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(예탁현금, 정산차금 not yet paid, 익일예수금) as 총자산현황 answers them."""
    answer = (await kis.domestic_futureoption.inquire_deposit()).output
    assert answer is not None
    return answer.dnca_tota, answer.excc_dfpa, answer.nxdy_dnca


async def test_a_long_held_over_two_days_moves_cash_by_the_two_settlement_differences(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    bought, _, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 1, bought)

    sandbox.set_time(at(MONDAY_MORNING.date(), 16))  # after Monday's close: settled, paid tomorrow
    monday_close, _, _, _ = await day_of(kis_sandbox)
    first = (monday_close - bought) * MULTIPLIER
    assert await deposit(kis_sandbox) == (DEPOSIT, first, DEPOSIT + first)

    sandbox.set_time(at(TUESDAY, 10))
    _, base, _, _ = await day_of(kis_sandbox)
    assert base == monday_close  # the settlement price is the next day's base price
    assert await deposit(kis_sandbox) == (DEPOSIT + first, 0, DEPOSIT + first)
    rows = (
        await kis_sandbox.domestic_futureoption.inquire_balance(margin_type="01", settlement_status="1")
    ).output1
    assert [(r.shtn_pdno, r.cblc_qty, r.ccld_avg_unpr1) for r in rows] == [(FUTURE, 1, monday_close)]

    sandbox.set_time(at(WEDNESDAY, 10))
    _, tuesday_close, _, _ = await day_of(kis_sandbox)
    second = (tuesday_close - monday_close) * MULTIPLIER
    assert second != 0 and await deposit(kis_sandbox) == (
        DEPOSIT + first + second,
        0,
        DEPOSIT + first + second,
    )
    assert first + second == (tuesday_close - bought) * MULTIPLIER


async def test_a_clock_that_jumps_days_settles_each_of_them(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    bought, _, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 1, bought, side="01")  # a short: it gains what the long would lose
    sandbox.set_time(at(WEDNESDAY, 10))  # no inquiry on Tuesday: both days' ends are booked now
    _, tuesday_close, _, _ = await day_of(kis_sandbox)
    assert (await deposit(kis_sandbox))[0] == DEPOSIT + (bought - tuesday_close) * MULTIPLIER
    assert (await balance(kis_sandbox))[0] == {FUTURE: ("매도", 1)}


async def test_a_future_held_to_expiry_is_settled_at_the_final_price_and_gone_the_next_day(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    bought, _, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 2, bought)
    sandbox.set_time(at(EXPIRY, 15, 50))  # the last trading day is over: KOSPI200's close settles it
    final, _, _, _ = await day_of(kis_sandbox)
    positions, held, _ = await balance(kis_sandbox)
    assert positions == {FUTURE: (None, 0)} and held == 0  # closed today, with its 매매손익
    sandbox.set_time(at(dt.date(2026, 12, 11), 10))
    assert await balance(kis_sandbox) == ({}, 0, DEPOSIT + 2 * (final - bought) * MULTIPLIER)
    assert (await deposit(kis_sandbox))[0] == DEPOSIT + 2 * (final - bought) * MULTIPLIER


async def test_an_expired_contract_is_no_longer_listed_nor_tradable(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(at(dt.date(2026, 12, 11), 10))
    quote = (
        await kis_sandbox.domestic_futureoption.inquire_price(market_division="F", symbol=FUTURE)
    ).output1
    assert quote is not None and quote.futs_prpr is None  # answered as an unknown code is
    assert (await refused(buy(kis_sandbox, 1, Decimal("350")))).msg_cd == "APBK0656"
    assert (await refused(buy(kis_sandbox, 1, Decimal("3.5"), symbol=CALL))).msg_cd == "APBK0656"
    price, _, _, _ = await day_of(kis_sandbox, NEXT_FUTURE)  # the next month trades on
    await buy(kis_sandbox, 1, price, symbol=NEXT_FUTURE)
    assert (await balance(kis_sandbox))[0] == {NEXT_FUTURE: ("매수", 1)}


async def test_trading_in_the_expiring_contract_stops_at_15_20_on_its_last_day(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(at(EXPIRY, 15, 19))
    price, _, _, _ = await day_of(kis_sandbox)
    resting = await buy(kis_sandbox, 1, price - Decimal("1"))
    sandbox.set_time(at(EXPIRY, 15, 20))
    price, _, _, _ = await day_of(kis_sandbox)
    assert (await refused(buy(kis_sandbox, 1, price))).msg_cd == "APBK1058"
    assert (await refused(cancel(kis_sandbox, resting))).msg_cd == "APBK1058"
    later, _, _, _ = await day_of(kis_sandbox, NEXT_FUTURE)
    await buy(kis_sandbox, 1, later, symbol=NEXT_FUTURE)  # other months trade until 15:45
    sandbox.set_time(at(dt.date(2026, 12, 11), 10))
    _, base, _, _ = await day_of(kis_sandbox, NEXT_FUTURE)
    cash = (await deposit(kis_sandbox))[0]
    assert cash is not None
    # the resting order ended with its contract: it no longer reserves margin
    assert await balance(kis_sandbox) == ({NEXT_FUTURE: ("매수", 1)}, margin(base), cash - margin(base))


async def test_options_at_expiry_are_exercised_in_the_money_and_expire_worthless_out_of_it(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    in_the_money, out_of_the_money = "B01612340", "C01612340"  # KOSPI200 at 350: call 10 points in
    premiums = Decimal(0)
    for code in (in_the_money, out_of_the_money):
        quote = (
            await kis_sandbox.domestic_futureoption.inquire_price(market_division="O", symbol=code)
        ).output1
        assert quote is not None and quote.futs_prpr is not None
        await buy(kis_sandbox, 1, quote.futs_prpr, symbol=code)
        premiums += quote.futs_prpr * MULTIPLIER
    sandbox.set_time(at(dt.date(2026, 12, 11), 10))
    assert await balance(kis_sandbox) == ({}, 0, DEPOSIT - premiums + 10 * MULTIPLIER)


@pytest.mark.parametrize(
    ("code", "last_day"),
    [
        ("A01612", dt.date(2026, 12, 10)),  # the second Thursday
        ("A01603", dt.date(2026, 3, 12)),  # the portal's own example code
        ("B01603355", dt.date(2026, 3, 12)),  # an option of the same month
        ("101W12", dt.date(2025, 12, 11)),  # the old prefix: W is 2025
        ("101P09", dt.date(2019, 9, 11)),  # Thursday the 12th was 추석: the day before
        ("A05710", dt.date(2027, 10, 14)),  # mini futures are monthly
    ],
)
def test_a_series_code_names_its_last_trading_day(code: str, last_day: dt.date) -> None:
    item = contract(code)
    assert item is not None and item.expiry == last_day


@pytest.mark.parametrize("code", ["101I12", "A01613", "A01600"])  # I is no year; no 13th or 0th month
def test_a_series_krx_could_not_list_is_unknown(code: str) -> None:
    assert contract(code) is None


async def test_after_expiry_the_orderable_inquiry_offers_nothing_in_the_old_contract(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(at(dt.date(2026, 12, 11), 10))
    assert await orderable(kis_sandbox, Decimal("350")) == (0, 0)


async def test_the_paper_domain_refuses_an_expired_contract_with_its_own_code() -> None:
    async with (
        Sandbox(min_token_interval=0, rate_limit=None, now=at(dt.date(2026, 12, 11), 10), env="paper") as sb,
        sb.client(account="12345678-03") as kis,
    ):
        assert (await refused(buy(kis, 1, Decimal("350")))).msg_cd == "40070000"


async def test_the_days_differences_split_as_kis_defines_them(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    bought, _, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 2, bought)
    sandbox.set_time(at(TUESDAY, 10))
    sold, monday_close, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 1, sold, side="01")  # closes one of the two
    sandbox.set_time(at(TUESDAY, 16))
    tuesday_close, _, _, _ = await day_of(kis_sandbox)
    summary = (
        await kis_sandbox.domestic_futureoption.inquire_balance(margin_type="01", settlement_status="1")
    ).output2
    assert summary is not None
    renewed = 2 * (tuesday_close - monday_close) * MULTIPLIER  # 갱신차금: what Monday left open
    today = (sold - tuesday_close) * MULTIPLIER  # 당일차금: today's sell against today's close
    assert (summary.thdt_dfpa, summary.rnwl_dfpa) == (today, renewed)
    settlement = (await deposit(kis_sandbox))[1]  # the 정산차금 of the contract still held
    assert settlement == (tuesday_close - monday_close) * MULTIPLIER
    assert today + renewed == settlement + (sold - monday_close) * MULTIPLIER  # + today's 매매손익


async def test_the_futures_board_lists_the_series_and_rolls_after_expiry(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    async def board() -> list[str | None]:
        answer = await kis_sandbox.domestic_futureoption.display_board_futures(market_class="")
        return [row.futs_shrn_iscd for row in answer.output1]

    # KRX lists 7 months: the nearest March and September, two Junes, three Decembers
    assert await board() == ["A01612", "A01703", "A01706", "A01709", "A01712", "A01806", "A01812"]
    sandbox.set_time(at(dt.date(2026, 12, 11), 10))
    assert await board() == ["A01703", "A01706", "A01709", "A01712", "A01806", "A01812", "A01912"]


async def test_the_settlement_statement_tells_each_days_story(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    bought, _, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 2, bought)
    sandbox.set_time(at(TUESDAY, 10))
    sold, monday_close, _, _ = await day_of(kis_sandbox)
    await buy(kis_sandbox, 1, sold, side="01")
    sandbox.set_time(at(WEDNESDAY, 10))
    _, tuesday_close, _, _ = await day_of(kis_sandbox)

    async def statement(day: dt.date) -> tuple[list[tuple[object, ...]], tuple[object, ...]]:
        answer = await kis_sandbox.domestic_futureoption.inquire_balance_settlement_pl(inquiry_date=day)
        rows = [
            (
                r.pdno,
                r.bfdy_cblc_qty,
                r.new_qty,
                r.mnpl_rpch_qty,
                r.cblc_qty,
                r.trad_pfls_amt,
                r.evlu_pfls_amt,
            )
            for r in answer.output1
        ]
        total = answer.output2
        assert total is not None
        return rows, (total.dnca_cash, total.nxdy_dnca, total.thdt_dfpa, total.rnwl_dfpa)

    monday = 2 * (monday_close - bought) * MULTIPLIER
    assert await statement(MONDAY_MORNING.date()) == (
        [(FUTURE, 0, 2, 0, 2, 0, monday)],
        (DEPOSIT, DEPOSIT + monday, monday, 0),
    )
    realized = (sold - monday_close) * MULTIPLIER  # the contract sold on Tuesday, from Monday's price
    tuesday = (tuesday_close - monday_close) * MULTIPLIER  # the one still held, marked again
    cash = DEPOSIT + monday + realized
    assert await statement(TUESDAY) == (
        [(FUTURE, 2, 0, 1, 1, realized, tuesday)],
        (
            cash,
            cash + tuesday,
            (sold - tuesday_close) * MULTIPLIER,
            2 * (tuesday_close - monday_close) * MULTIPLIER,
        ),
    )
    assert await statement(dt.date(2026, 12, 5)) == ([], (DEPOSIT, DEPOSIT, 0, 0))  # a Saturday before it all


# -- day orders: a resting order ends with its session ------------------------------------------------


async def test_a_resting_order_ends_with_the_day_session_and_frees_its_margin(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price, base, _, lower = await day_of(kis_sandbox)
    number = await buy(kis_sandbox, 3, max(lower, price - Decimal("5.00")))
    assert (await balance(kis_sandbox))[2] == DEPOSIT - 3 * margin(base)  # reserved while it rests

    sandbox.set_time(dt.datetime(2026, 12, 7, 15, 45, tzinfo=KST))  # the day session's end
    assert (await balance(kis_sandbox))[2] == DEPOSIT
    monday = dt.date(2026, 12, 7)
    still_open = await kis_sandbox.domestic_futureoption.inquire_ccnl(
        start_date=monday, end_date=monday, side="00", fill_status="02", sort="DS"
    )
    assert still_open.output1 == []  # 미체결: nothing is working any more

    sandbox.set_time(dt.datetime(2026, 12, 8, 10, 0, tzinfo=KST))  # Tuesday's session
    assert (await refused(cancel(kis_sandbox, number))).msg_cd == "APBK0918"
    history = await kis_sandbox.domestic_futureoption.inquire_ccnl(
        start_date=monday, end_date=monday, side="00", fill_status="00", sort="DS"
    )
    # Monday's history keeps it: 3 ordered, none filled, 3 left when the session ended
    assert [(r.odno, r.ord_qty, r.tot_ccld_qty, r.qty) for r in history.output1] == [(number, 3, 0, 3)]


async def test_a_resting_night_order_ends_at_six_in_the_morning(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(dt.datetime(2026, 12, 7, 20, 0, tzinfo=KST))  # Monday's night session
    price, base, _, lower = await day_of(kis_sandbox)
    answer = await kis_sandbox.domestic_futureoption.order(
        session="night",
        side="02",
        symbol=FUTURE,
        quantity=1,
        price=max(lower, price - Decimal("5.00")),
        order_type="01",
    )
    assert answer.output is not None and answer.output.odno
    sandbox.set_time(dt.datetime(2026, 12, 8, 5, 59, tzinfo=KST))
    assert (await balance(kis_sandbox))[2] == DEPOSIT - margin(base)  # still working at 05:59
    sandbox.set_time(dt.datetime(2026, 12, 8, 6, 0, tzinfo=KST))
    assert (await balance(kis_sandbox))[2] == DEPOSIT  # the night session is over
