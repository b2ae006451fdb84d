"""A bot's orders against the sandbox's market: what KIS refuses is refused with KIS's code, and
what it accepts moves one account that every inquiry tells the same way.

The clock is a Monday morning on KRX (2026-12-07 10:00 KST) unless a story needs another; the
account starts with 10,000,000 won and 20 shares of Samsung Electronics bought at 70,000 won.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kis_async import KST, KisApiError, KisClient
from kis_async.enums import AmendOrCancel
from kis_async.sandbox import Fault, Sandbox
from kis_async.sandbox._market import tick

MONDAY = dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST)
SATURDAY = dt.datetime(2026, 12, 5, 10, 0, tzinfo=KST)
CHRISTMAS = dt.datetime(2026, 12, 25, 10, 0, tzinfo=KST)  # KRX closed
SAMSUNG = "005930"
CASH = 10_000_000
HELD = 20


pytestmark = pytest.mark.sandbox(rate_limit=None, now=MONDAY, cash=CASH, holdings={SAMSUNG: (HELD, 70_000)})


async def day_of(kis: KisClient) -> tuple[int, int, int, int]:
    """(current price, base price, lower limit, upper limit) of Samsung Electronics, as the bot
    reads them from 주식현재가 시세."""
    q = (await kis.domestic_stock.inquire_price(symbol=SAMSUNG)).output
    assert q is not None
    assert q.stck_prpr and q.stck_sdpr and q.stck_llam and q.stck_mxpr
    return q.stck_prpr, q.stck_sdpr, q.stck_llam, q.stck_mxpr


async def refusal(call: object) -> KisApiError:
    with pytest.raises(KisApiError) as caught:
        await call  # type: ignore[misc]
    return caught.value


async def orderable_cash(kis: KisClient) -> int:
    answer = (await kis.domestic_stock.inquire_psbl_order(symbol=SAMSUNG, order_type="00")).output
    assert answer is not None and answer.ord_psbl_cash is not None
    return answer.ord_psbl_cash


async def sellable(kis: KisClient) -> int:
    answer = (await kis.domestic_stock.inquire_psbl_sell(symbol=SAMSUNG)).output1
    assert answer is not None and answer.ord_psbl_qty is not None
    return answer.ord_psbl_qty


# -- the order life cycle #22 builds on ------------------------------------------------------------


async def test_below_the_market_an_order_rests_then_is_amended_and_cancelled(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    _, _, low, _ = await day_of(kis_sandbox)
    placed = await kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=10, price=low)
    assert placed.output is not None and placed.output.odno
    assert await orderable_cash(kis_sandbox) == CASH - 10 * low  # the open buy reserves its amount

    higher = low + 10 * tick(low)
    amended = await kis_sandbox.domestic_stock.order_rvsecncl(
        action=AmendOrCancel.AMEND,
        order_org_no=placed.output.krx_fwdg_ord_orgno or "",
        original_order_no=placed.output.odno,
        all_remaining=True,
        price=higher,
    )
    assert amended.output is not None and amended.output.odno != placed.output.odno
    assert await orderable_cash(kis_sandbox) == CASH - 10 * higher  # the reservation moved with the price
    (still_open,) = (await kis_sandbox.domestic_stock.inquire_psbl_rvsecncl(sort="0", side="0")).output
    assert (still_open.odno, still_open.ord_unpr, still_open.psbl_qty) == (amended.output.odno, higher, 10)

    await kis_sandbox.domestic_stock.order_rvsecncl(
        action=AmendOrCancel.CANCEL,
        order_org_no=amended.output.krx_fwdg_ord_orgno or "",
        original_order_no=amended.output.odno or "",
        all_remaining=True,
    )
    assert await orderable_cash(kis_sandbox) == CASH  # released
    assert (await kis_sandbox.domestic_stock.inquire_psbl_rvsecncl(sort="0", side="0")).output == []
    holding = next(
        h for h in (await kis_sandbox.domestic_stock.inquire_balance()).output1 if h.pdno == SAMSUNG
    )
    assert holding.hldg_qty == HELD  # nothing filled


async def test_through_the_market_a_buy_fills_and_the_account_moves(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price, _, _, upper = await day_of(kis_sandbox)
    await kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=10, price=upper)

    balance = await kis_sandbox.domestic_stock.inquire_balance()
    holding = next(h for h in balance.output1 if h.pdno == SAMSUNG)
    assert holding.hldg_qty == HELD + 10 and holding.thdt_buyqty == 10
    assert holding.pchs_amt == HELD * 70_000 + 10 * price  # filled at the current price
    average = (Decimal(HELD * 70_000 + 10 * price) / (HELD + 10)).quantize(Decimal("0.0001"))
    assert holding.pchs_avg_pric == average
    assert holding.prpr == price and holding.evlu_amt == (HELD + 10) * price
    summary = balance.output2
    assert summary is not None
    # D+2: the deposit is unchanged today, the D+2 deposit shows the purchase
    assert (summary.dnca_tot_amt, summary.nxdy_excc_amt) == (CASH, CASH)
    assert summary.prvs_rcdl_excc_amt == CASH - 10 * price and summary.thdt_buy_amt == 10 * price
    assert await orderable_cash(kis_sandbox) == CASH - 10 * price
    assert await sellable(kis_sandbox) == HELD + 10

    sandbox.set_time(MONDAY + dt.timedelta(days=2))  # Wednesday: settled
    later = (await kis_sandbox.domestic_stock.inquire_balance()).output2
    assert later is not None and later.dnca_tot_amt == CASH - 10 * price


async def test_a_sale_moves_the_holding_now_and_the_cash_on_d_plus_2(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price, *_ = await day_of(kis_sandbox)
    await kis_sandbox.domestic_stock.order_cash(
        side="sell", symbol=SAMSUNG, quantity=5, price=0, order_type="01"
    )

    balance = await kis_sandbox.domestic_stock.inquire_balance()
    holding = next(h for h in balance.output1 if h.pdno == SAMSUNG)
    assert (holding.hldg_qty, holding.thdt_sll_qty, holding.pchs_avg_pric) == (HELD - 5, 5, 70_000)
    assert balance.output2 is not None
    assert balance.output2.dnca_tot_amt == CASH
    assert balance.output2.prvs_rcdl_excc_amt == CASH + 5 * price
    (order,) = (
        await kis_sandbox.domestic_stock.inquire_daily_ccld(start_date=MONDAY.date(), end_date=MONDAY.date())
    ).output1
    assert (order.tot_ccld_qty, order.tot_ccld_amt, order.ord_dt) == (5, 5 * price, MONDAY.date())


async def test_an_open_sell_reserves_its_quantity(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    _, _, _, upper = await day_of(kis_sandbox)
    await kis_sandbox.domestic_stock.order_cash(side="sell", symbol=SAMSUNG, quantity=15, price=upper)
    assert await sellable(kis_sandbox) == HELD - 15

    error = await refusal(
        kis_sandbox.domestic_stock.order_cash(side="sell", symbol=SAMSUNG, quantity=10, price=upper)
    )
    assert (error.msg_cd, error.rt_cd) == ("APBK0400", "7")


# -- refusals, each with KIS's code ----------------------------------------------------------------


async def test_buying_beyond_orderable_cash_is_refused(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    price, *_ = await day_of(kis_sandbox)
    error = await refusal(
        kis_sandbox.domestic_stock.order_cash(
            side="buy", symbol=SAMSUNG, quantity=CASH // price + 1, price=price
        )
    )
    assert (error.msg_cd, error.msg1.strip(), error.rt_cd) == (
        "APBK0952",
        "주문가능금액을 초과 했습니다",
        "7",
    )
    assert sandbox.desk.orders == {}  # nothing booked


async def test_a_market_buy_reserves_at_the_upper_limit(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    price, _, _, upper = await day_of(kis_sandbox)
    affordable_at_price = CASH // price  # what a bot dividing by the current price would send
    assert affordable_at_price * upper > CASH
    error = await refusal(
        kis_sandbox.domestic_stock.order_cash(
            side="buy", symbol=SAMSUNG, quantity=affordable_at_price, price=0, order_type="01"
        )
    )
    assert error.msg_cd == "APBK0952"

    answer = (await kis_sandbox.domestic_stock.inquire_psbl_order(symbol=SAMSUNG, order_type="01")).output
    assert answer is not None
    assert (answer.psbl_qty_calc_unpr, answer.max_buy_qty) == (upper, CASH // upper)
    await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SAMSUNG, quantity=answer.max_buy_qty or 0, price=0, order_type="01"
    )


async def test_selling_more_than_held_is_refused(kis_sandbox: KisClient) -> None:
    error = await refusal(
        kis_sandbox.domestic_stock.order_cash(
            side="sell", symbol=SAMSUNG, quantity=HELD + 1, price=0, order_type="01"
        )
    )
    assert error.msg_cd == "APBK0400"
    never_held = await refusal(
        kis_sandbox.domestic_stock.order_cash(
            side="sell", symbol="000660", quantity=1, price=0, order_type="01"
        )
    )
    assert never_held.msg_cd == "APBK0400"


async def test_a_price_off_the_tick_grid_is_refused(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    _, _, low, _ = await day_of(kis_sandbox)
    error = await refusal(
        kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=1, price=low + 1)
    )
    assert error.msg_cd == "APBK0506"


async def test_a_price_outside_the_daily_limits_is_refused(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    _, _, low, upper = await day_of(kis_sandbox)
    above = await refusal(
        kis_sandbox.domestic_stock.order_cash(
            side="buy", symbol=SAMSUNG, quantity=1, price=upper + tick(upper)
        )
    )
    assert (above.msg_cd, above.msg1) == ("APBK0406", "주문가격이 상한가를 초과합니다.")
    below = await refusal(
        kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=1, price=low - tick(low))
    )
    assert below.msg_cd == "SBXK0002" and "sandbox code" in below.msg1


async def test_an_unknown_symbol_is_refused(kis_sandbox: KisClient) -> None:
    error = await refusal(
        kis_sandbox.domestic_stock.order_cash(side="buy", symbol="999999", quantity=1, price=1000)
    )
    assert (error.msg_cd, error.msg1) == ("APBK0656", "해당종목정보가 없습니다.")


async def test_amending_or_cancelling_what_cannot_change_is_refused(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    async def cancel(number: str) -> KisApiError:
        return await refusal(
            kis_sandbox.domestic_stock.order_rvsecncl(
                action=AmendOrCancel.CANCEL,
                order_org_no="91252",
                original_order_no=number,
                all_remaining=True,
            )
        )

    assert (await cancel("9999999999")).msg_cd == "APBK1663"  # no such order

    filled = await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SAMSUNG, quantity=1, price=0, order_type="01"
    )
    assert filled.output is not None and filled.output.odno
    assert (await cancel(filled.output.odno)).msg_cd == "APBK0918"  # filled: nothing left

    _, _, low, _ = await day_of(kis_sandbox)
    resting = await kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=2, price=low)
    assert resting.output is not None and resting.output.odno
    await kis_sandbox.domestic_stock.order_rvsecncl(
        action=AmendOrCancel.CANCEL,
        order_org_no="91252",
        original_order_no=resting.output.odno,
        all_remaining=True,
    )
    assert (await cancel(resting.output.odno)).msg_cd == "APBK0918"  # already cancelled


async def test_cancelling_more_than_is_open_is_refused(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    _, _, low, _ = await day_of(kis_sandbox)
    resting = await kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=2, price=low)
    assert resting.output is not None
    error = await refusal(
        kis_sandbox.domestic_stock.order_rvsecncl(
            action=AmendOrCancel.CANCEL,
            order_org_no="91252",
            original_order_no=resting.output.odno or "",
            all_remaining=False,
            quantity=3,
        )
    )
    assert error.msg_cd == "SBXK0003"


# -- the clock: days and sessions ------------------------------------------------------------------


@pytest.mark.parametrize("closed", [SATURDAY, CHRISTMAS], ids=["saturday", "christmas"])
async def test_an_order_on_a_closed_day_is_refused(closed: dt.datetime) -> None:
    async with Sandbox(min_token_interval=0, now=closed) as sb, sb.client(account="12345678-01") as kis:
        error = await refusal(
            kis.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=1, price=0, order_type="01")
        )
    assert (error.msg_cd, error.msg1, error.rt_cd) == ("APBK0919", "장운영일자가 주문일과 상이합니다", "7")
    assert sb.desk.orders == {}


@pytest.mark.parametrize(
    ("at", "order_type", "code"),
    [
        (dt.time(8, 10), "00", "40570000"),  # before the opening auction: 장시작전
        (dt.time(15, 35), "00", "40580000"),  # after the close: 장종료
        (dt.time(10, 0), "06", "40570000"),  # 장후 시간외 before 15:40
        (dt.time(9, 0), "05", "40580000"),  # 장전 시간외 after 08:40
    ],
)
async def test_paper_refuses_an_order_type_outside_its_session(
    at: dt.time, order_type: str, code: str
) -> None:
    now = dt.datetime.combine(MONDAY.date(), at, tzinfo=KST)
    async with (
        Sandbox(env="paper", min_token_interval=0, rate_limit=None, now=now) as sb,
        sb.client(account="12345678-01") as kis,
    ):
        error = await refusal(
            kis.domestic_stock.order_cash(
                side="buy", symbol=SAMSUNG, quantity=1, price=0, order_type=order_type
            )
        )
    assert (error.msg_cd, error.rt_cd) == (code, "1")
    assert error.msg1.startswith("모의투자")


async def test_after_hours_closing_price_orders_are_accepted_in_their_session(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    price, *_ = await day_of(kis_sandbox)
    sandbox.set_time(MONDAY.replace(hour=15, minute=45))  # 장후 시간외 종가
    await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SAMSUNG, quantity=1, price=0, order_type="06"
    )
    holding = next(
        h for h in (await kis_sandbox.domestic_stock.inquire_balance()).output1 if h.pdno == SAMSUNG
    )
    assert holding.hldg_qty == HELD + 1
    limit = await refusal(
        kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=1, price=price)
    )
    assert limit.msg_cd == "APBK1058"  # a regular limit order after the close


async def test_paper_answers_paper_codes() -> None:
    async with (
        Sandbox(env="paper", min_token_interval=0, rate_limit=None, now=MONDAY, cash=1_000) as sb,
        sb.client(account="12345678-01") as kis,
    ):
        cash = await refusal(
            kis.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=1, price=0, order_type="01")
        )
        unknown = await refusal(
            kis.domestic_stock.order_cash(side="buy", symbol="999999", quantity=1, price=1000)
        )
        sb.set_time(SATURDAY)
        closed = await refusal(
            kis.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=1, price=0, order_type="01")
        )
    assert [(e.msg_cd, e.rt_cd) for e in (cash, unknown, closed)] == [
        ("40250000", "1"),
        ("40070000", "1"),
        ("40100000", "1"),
    ]
    assert cash.msg1 == "모의투자 주문가능금액이 부족합니다."


# -- faults that are business refusals -------------------------------------------------------------


async def test_a_refuse_fault_answers_any_kis_code_and_books_nothing(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.faults.set("domestic_stock.order_cash", Fault(refuse="APBK0952", times=1))
    error = await refusal(
        kis_sandbox.domestic_stock.order_cash(
            side="buy", symbol=SAMSUNG, quantity=1, price=0, order_type="01"
        )
    )
    assert (error.msg_cd, error.msg1, error.rt_cd) == ("APBK0952", "주문가능금액을 초과 했습니다", "7")
    assert sandbox.desk.orders == {} and sandbox.stats.faults["refuse_APBK0952"] == 1

    sandbox.faults.set("domestic_stock.inquire_balance", Fault(refuse="EGW00999"))
    unknown = await refusal(kis_sandbox.domestic_stock.inquire_balance())
    assert unknown.msg_cd == "EGW00999" and "Fault(refuse" in unknown.msg1


def test_a_refuse_fault_must_name_a_code() -> None:
    with pytest.raises(ValueError, match=r"Fault\.refuse must be a KIS msg_cd"):
        Fault(refuse="not a code!")


async def test_a_quote_for_an_unknown_symbol_has_no_price(kis_sandbox: KisClient) -> None:
    """KIS answers a symbol it does not list with rt_cd "0" and no data, not an error: a bot must
    check the price it got (public record: an unknown code answers 0 rows with a normal message)."""
    quote_of_nothing = await kis_sandbox.domestic_stock.inquire_price(symbol="999999")
    assert quote_of_nothing.rt_cd == "0"
    assert quote_of_nothing.output is not None and quote_of_nothing.output.stck_prpr is None
    assert (await kis_sandbox.domestic_stock.inquire_daily_price(symbol="999999")).output == []


async def test_a_thursday_fill_settles_on_monday(kis_sandbox: KisClient, sandbox: Sandbox) -> None:
    thursday = dt.datetime(2026, 12, 10, 10, 0, tzinfo=KST)
    sandbox.set_time(thursday)
    price, *_ = await day_of(kis_sandbox)
    await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SAMSUNG, quantity=3, price=0, order_type="01"
    )

    async def deposit_on(day: dt.datetime) -> int | None:
        sandbox.set_time(day)
        summary = (await kis_sandbox.domestic_stock.inquire_balance()).output2
        assert summary is not None
        return summary.dnca_tot_amt

    assert await deposit_on(thursday + dt.timedelta(days=1)) == CASH  # Friday: D+1
    assert await deposit_on(thursday + dt.timedelta(days=4)) == CASH - 3 * price  # Monday: D+2


async def test_cancelling_part_of_an_order_releases_that_part(kis_sandbox: KisClient) -> None:
    _, _, low, _ = await day_of(kis_sandbox)
    placed = await kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=10, price=low)
    assert placed.output is not None and placed.output.odno
    await kis_sandbox.domestic_stock.order_rvsecncl(
        action=AmendOrCancel.CANCEL,
        order_org_no="91252",
        original_order_no=placed.output.odno,
        all_remaining=False,
        quantity=4,
    )
    assert await orderable_cash(kis_sandbox) == CASH - 6 * low
    (rest,) = (await kis_sandbox.domestic_stock.inquire_psbl_rvsecncl(sort="0", side="0")).output
    assert (rest.odno, rest.psbl_qty) == (placed.output.odno, 6)


async def test_an_ioc_order_that_cannot_fill_leaves_nothing_open(kis_sandbox: KisClient) -> None:
    _, _, low, _ = await day_of(kis_sandbox)
    await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SAMSUNG, quantity=5, price=low, order_type="11"
    )
    assert (await kis_sandbox.domestic_stock.inquire_psbl_rvsecncl(sort="0", side="0")).output == []
    assert await orderable_cash(kis_sandbox) == CASH


async def test_two_app_keys_on_one_account_share_its_cash(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    _, _, low, _ = await day_of(kis_sandbox)
    await kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=10, price=low)
    async with sandbox.client(app_key="PSsecondBotKey0002", account="12345678-01") as other:
        assert await orderable_cash(other) == CASH - 10 * low  # one account, one cash
        assert (await other.domestic_stock.inquire_psbl_rvsecncl(sort="0", side="0")).output == []


async def test_nxt_takes_orders_in_its_evening_session(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    price, *_ = await day_of(kis_sandbox)
    sandbox.set_time(MONDAY.replace(hour=19))
    krx = await refusal(
        kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=1, price=price)
    )
    assert krx.msg_cd == "APBK1058"
    placed = await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SAMSUNG, quantity=1, price=price, exchange="NXT"
    )
    assert placed.output is not None and placed.output.odno


# -- day orders: an unfilled remainder ends with its session ----------------------------------------


async def test_a_resting_buy_ends_with_its_day_and_frees_its_cash(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(MONDAY.replace(hour=15))
    _, _, low, _ = await day_of(kis_sandbox)
    placed = await kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SAMSUNG, quantity=10, price=low)
    assert placed.output is not None and placed.output.odno
    assert await orderable_cash(kis_sandbox) == CASH - 10 * low  # resting at 15:00: its cash is held

    sandbox.set_time(MONDAY + dt.timedelta(days=1, hours=-0.5))  # Tuesday 09:30
    assert await orderable_cash(kis_sandbox) == CASH  # the day ended: nothing is held
    assert (await kis_sandbox.domestic_stock.inquire_psbl_rvsecncl(sort="0", side="0")).output == []
    refused = await refusal(
        kis_sandbox.domestic_stock.order_rvsecncl(
            action=AmendOrCancel.CANCEL,
            order_org_no=placed.output.krx_fwdg_ord_orgno or "",
            original_order_no=placed.output.odno,
            all_remaining=True,
        )
    )
    assert (refused.msg_cd, refused.msg1) == ("APBK0918", "정정/취소할 수량이 없습니다.")

    monday = MONDAY.date()
    (row,) = (await kis_sandbox.domestic_stock.inquire_daily_ccld(start_date=monday, end_date=monday)).output1
    # Monday's history keeps it as it ended: nothing filled, its 10 shares unfilled, not cancelled
    assert (row.odno, row.ord_qty, row.tot_ccld_qty, row.rmn_qty) == (placed.output.odno, 10, 0, 10)
    assert (row.cncl_yn, row.cnc_cfrm_qty) == ("N", 0)
    today = (MONDAY + dt.timedelta(days=1)).date()
    assert (
        await kis_sandbox.domestic_stock.inquire_daily_ccld(start_date=today, end_date=today)
    ).output1 == []


async def test_a_regular_order_ends_at_the_closing_auction_an_nxt_order_at_twenty(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    _, _, low, _ = await day_of(kis_sandbox)
    await kis_sandbox.domestic_stock.order_cash(side="sell", symbol=SAMSUNG, quantity=5, price=low * 3 // 2)
    nxt = await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SAMSUNG, quantity=1, price=low, exchange="NXT"
    )
    assert await sellable(kis_sandbox) == HELD - 5  # the KRX sell holds its shares

    sandbox.set_time(MONDAY.replace(hour=15, minute=30))  # KRX's closing auction is over
    assert await sellable(kis_sandbox) == HELD
    (still_open,) = (await kis_sandbox.domestic_stock.inquire_psbl_rvsecncl(sort="0", side="0")).output
    assert nxt.output is not None and still_open.odno == nxt.output.odno  # NXT trades until 20:00

    sandbox.set_time(MONDAY.replace(hour=20))
    assert (await kis_sandbox.domestic_stock.inquire_psbl_rvsecncl(sort="0", side="0")).output == []
    assert await orderable_cash(kis_sandbox) == CASH


async def test_an_after_hours_single_price_order_rests_until_eighteen(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    _, _, low, _ = await day_of(kis_sandbox)
    sandbox.set_time(MONDAY.replace(hour=16, minute=30))  # 시간외 단일가
    await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SAMSUNG, quantity=2, price=low, order_type="07"
    )
    sandbox.set_time(MONDAY.replace(hour=17, minute=59))
    assert await orderable_cash(kis_sandbox) == CASH - 2 * low  # its session runs until 18:00
    sandbox.set_time(MONDAY.replace(hour=18))
    assert await orderable_cash(kis_sandbox) == CASH
