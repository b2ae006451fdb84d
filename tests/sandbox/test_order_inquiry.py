"""A bot's recovery story, offline: an order whose answer is lost is found in the order inquiry
(주식일별주문체결조회) instead of being sent twice, and a filled buy shows up in 주식잔고조회."""

from __future__ import annotations

import datetime as dt

import pytest

from kis_async import KisClient, KisOrderStateUnknownError
from kis_async.domestic_stock.trading import DailyCcldOrder
from kis_async.enums import AmendOrCancel
from kis_async.sandbox import Fault, Sandbox
from kis_async.sandbox._market import tick

TODAY = dt.date(2026, 3, 4)
SYMBOL = "005930"


pytestmark = pytest.mark.sandbox(today=TODAY, rate_limit=None)


async def market_price(kis: KisClient) -> int:
    """The price the sandbox's market shows (and fills a marketable order at)."""
    quote = (await kis.domestic_stock.inquire_price(symbol=SYMBOL)).output
    assert quote is not None and quote.stck_prpr is not None
    return quote.stck_prpr


async def resting_price(kis: KisClient) -> int:
    """A valid buy price below the market (the day's lower limit, 하한가): the order stays open."""
    quote = (await kis.domestic_stock.inquire_price(symbol=SYMBOL)).output
    assert quote is not None and quote.stck_llam is not None
    return quote.stck_llam


async def todays_orders(kis: KisClient) -> list[DailyCcldOrder]:
    result = await kis.domestic_stock.inquire_daily_ccld(start_date=TODAY, end_date=TODAY, symbol=SYMBOL)
    return list(result.output1)


async def buy_or_find(kis: KisClient, quantity: int, price: int) -> str:
    """What a careful bot does: send once; if the answer is lost, look before sending again."""
    try:
        placed = await kis.domestic_stock.order_cash(
            side="buy", symbol=SYMBOL, quantity=quantity, price=price
        )
    except KisOrderStateUnknownError:
        found = [
            o
            for o in await todays_orders(kis)
            if (o.pdno, o.ord_qty, o.ord_unpr) == (SYMBOL, quantity, price)
        ]
        if found:
            return found[0].odno or ""
        return await buy_or_find(kis, quantity, price)
    assert placed.output is not None
    return placed.output.odno or ""


async def test_an_order_whose_answer_was_lost_is_found_and_not_resent(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.faults.set("domestic_stock.order_cash", Fault(drop=True, times=1))
    price = await resting_price(kis_sandbox)  # stays open: nothing fills

    order_no = await buy_or_find(kis_sandbox, quantity=7, price=price)

    (order,) = await todays_orders(kis_sandbox)
    assert (order.odno, order.pdno, order.ord_qty, order.ord_unpr) == (order_no, SYMBOL, 7, price)
    assert order.tot_ccld_qty == 0 and order.rmn_qty == 7 and order.ord_dt == TODAY
    assert sandbox.stats.faults["drop"] == 1  # the answer really was lost
    assert len(sandbox.stats.orders_to("domestic_stock.order_cash")) == 1  # and the order never sent twice


async def test_the_inquiry_lists_only_the_callers_own_orders(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SYMBOL, quantity=3, price=await resting_price(kis_sandbox)
    )
    async with sandbox.client(app_key="PSanotherAppKey0002", account="12345678-01") as other:
        assert await todays_orders(other) == []
    assert len(await todays_orders(kis_sandbox)) == 1


async def test_another_day_lists_none_of_todays_orders(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SYMBOL, quantity=3, price=await resting_price(kis_sandbox)
    )
    yesterday = TODAY - dt.timedelta(days=1)
    result = await kis_sandbox.domestic_stock.inquire_daily_ccld(start_date=yesterday, end_date=yesterday)
    assert result.output1 == []


async def test_a_filled_order_shows_its_fill_and_never_more_than_ordered(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    market = await market_price(kis_sandbox)
    await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SYMBOL, quantity=4, price=0, order_type="01"
    )

    (order,) = await todays_orders(kis_sandbox)
    assert order.tot_ccld_qty == 4 == order.ord_qty and order.rmn_qty == 0
    assert order.tot_ccld_amt == 4 * market


async def test_a_cancelled_order_leaves_the_cancellable_list(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    placed = await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SYMBOL, quantity=5, price=await resting_price(kis_sandbox)
    )
    assert placed.output is not None
    open_orders = await kis_sandbox.domestic_stock.inquire_psbl_rvsecncl(sort="0", side="0")
    assert [(o.odno, o.psbl_qty) for o in open_orders.output] == [(placed.output.odno, 5)]

    await kis_sandbox.domestic_stock.order_rvsecncl(
        action=AmendOrCancel.CANCEL,
        order_org_no=placed.output.krx_fwdg_ord_orgno or "",
        original_order_no=placed.output.odno or "",
        all_remaining=True,
    )

    assert (await kis_sandbox.domestic_stock.inquire_psbl_rvsecncl(sort="0", side="0")).output == []
    cancel, original = await todays_orders(kis_sandbox)  # newest first
    assert cancel.cncl_yn == "Y" and cancel.orgn_odno == placed.output.odno
    assert original.rmn_qty == 0 and original.tot_ccld_qty == 0


async def test_a_filled_buy_shows_in_the_balance(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    before = {h.pdno: h.hldg_qty for h in (await kis_sandbox.domestic_stock.inquire_balance()).output1}
    market = await market_price(kis_sandbox)

    await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SYMBOL, quantity=10, price=0, order_type="01"
    )

    holding = next(
        h for h in (await kis_sandbox.domestic_stock.inquire_balance()).output1 if h.pdno == SYMBOL
    )
    assert holding.hldg_qty == (before.get(SYMBOL) or 0) + 10
    assert holding.evlu_amt == holding.hldg_qty * market
    assert holding.prdt_name == "삼성전자"


async def test_selling_everything_removes_the_holding(kis_sandbox: KisClient) -> None:
    await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SYMBOL, quantity=10, price=0, order_type="01"
    )
    held = next(h for h in (await kis_sandbox.domestic_stock.inquire_balance()).output1 if h.pdno == SYMBOL)

    await kis_sandbox.domestic_stock.order_cash(
        side="sell", symbol=SYMBOL, quantity=held.hldg_qty or 0, price=0, order_type="01"
    )

    assert SYMBOL not in {h.pdno for h in (await kis_sandbox.domestic_stock.inquire_balance()).output1}


async def test_a_revision_is_listed_with_its_original_newest_first(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    low = await resting_price(kis_sandbox)
    placed = await kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SYMBOL, quantity=3, price=low)
    assert placed.output is not None
    sandbox.advance(dt.timedelta(minutes=1))  # the bot amends a minute later
    revised = await kis_sandbox.domestic_stock.order_rvsecncl(
        action=AmendOrCancel.AMEND,
        order_org_no=placed.output.krx_fwdg_ord_orgno or "",
        original_order_no=placed.output.odno or "",
        all_remaining=True,
        price=low + tick(low),
    )
    assert revised.output is not None

    result = await kis_sandbox.domestic_stock.inquire_daily_ccld(
        start_date=TODAY, end_date=TODAY, symbol=SYMBOL
    )

    revision, original = result.output1
    assert (revision.odno, revision.orgn_odno, revision.ord_unpr) == (
        revised.output.odno,
        placed.output.odno,
        low + tick(low),
    )
    assert revision.ord_tmd is not None and original.ord_tmd is not None
    assert revision.ord_tmd > original.ord_tmd
    assert result.output2 is not None and result.output2.tot_ord_qty == 6
