"""The README's recovery recipe for ``KisOrderStateUnknownError``, at the hours it used to fail.

The recipe looks the order up in 주식일별주문체결조회 for ``kis_async.today_kst()``. These tests run
it with the machine's clock reading the sandbox's instant (``today_kst()`` reads that clock), so
"08:30 KST on a UTC machine" is Sunday 23:30 UTC, where ``date.today()`` would still say Sunday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kis_async import KST, KisApiError, KisClient, KisOrderStateUnknownError, _calendar, today_kst
from kis_async.sandbox import Fault, Sandbox

SYMBOL = "005930"


async def lower_limit(kis: KisClient) -> int:
    """The day's lower limit (하한가) as the bot reads it: a buy there rests."""
    quote = (await kis.domestic_stock.inquire_price(symbol=SYMBOL)).output
    assert quote is not None and quote.stck_llam
    return quote.stck_llam


async def buy_once_or_find(kis: KisClient, price: int) -> list[str]:
    """The README's recipe: send once; on an unknown outcome, list today's (KST) orders of the
    symbol instead of resending. Returns the order numbers found (or the one placed)."""
    try:
        order = await kis.domestic_stock.order_cash(side="buy", symbol=SYMBOL, quantity=10, price=price)
    except KisOrderStateUnknownError:
        today = today_kst()
        fills = await kis.domestic_stock.inquire_daily_ccld(start_date=today, end_date=today, symbol=SYMBOL)
        return [o.odno or "" for o in fills.output1]
    return [order.output.odno or ""] if order.output else []


@pytest.fixture
def machine_clock_follows(monkeypatch: pytest.MonkeyPatch) -> Callable[[Sandbox], None]:
    """Make ``today_kst()`` read the sandbox's clock, as a bot's machine clock would read the
    instant the test is about."""

    def follow(sb: Sandbox) -> None:
        monkeypatch.setattr(_calendar, "now_kst", sb.clock.now)

    return follow


async def test_at_0830_kst_on_a_utc_machine_the_recipe_finds_the_lost_order(
    machine_clock_follows: Callable[[Sandbox], None],
) -> None:
    opening_auction = dt.datetime(2026, 12, 7, 8, 30, tzinfo=KST)  # Monday 08:30 KST
    async with Sandbox(min_token_interval=0, rate_limit=None, now=opening_auction) as sb:
        machine_clock_follows(sb)
        utc_date = sb.clock.now().astimezone(dt.UTC).date()
        assert utc_date == dt.date(2026, 12, 6)  # date.today() on a UTC machine: yesterday
        sb.faults.set("domestic_stock.order_cash", Fault(drop=True, times=1))
        async with sb.client(account="12345678-01") as kis:
            found = await buy_once_or_find(kis, await lower_limit(kis))
            by_utc_date = await kis.domestic_stock.inquire_daily_ccld(
                start_date=utc_date, end_date=utc_date, symbol=SYMBOL
            )

    (booked,) = sb.desk.orders.values()
    assert found == [booked.number]  # found under KST Monday, not resent
    assert len(sb.stats.orders_to("domestic_stock.order_cash")) == 1
    assert by_utc_date.output1 == []  # where date.today() would have looked


async def test_on_a_saturday_the_recipe_finds_nothing_because_kis_refused_it(
    machine_clock_follows: Callable[[Sandbox], None],
) -> None:
    saturday = dt.datetime(2026, 12, 5, 10, 0, tzinfo=KST)
    async with Sandbox(min_token_interval=0, rate_limit=None, now=saturday) as sb:
        machine_clock_follows(sb)
        sb.faults.set("domestic_stock.order_cash", Fault(drop=True, times=1))
        async with sb.client(account="12345678-01") as kis:
            found = await buy_once_or_find(kis, await lower_limit(kis))
            friday = saturday.date() - dt.timedelta(days=1)
            filed_under_friday = await kis.domestic_stock.inquire_daily_ccld(
                start_date=friday, end_date=friday, symbol=SYMBOL
            )
            with pytest.raises(KisApiError) as resent:  # the resend the recipe then allows
                await kis.domestic_stock.order_cash(
                    side="buy", symbol=SYMBOL, quantity=10, price=0, order_type="01"
                )

    assert found == [] and filed_under_friday.output1 == []
    assert sb.desk.orders == {}  # nothing was accepted, on Saturday or filed under Friday
    assert resent.value.msg_cd == "APBK0919"
