"""A paper (모의투자) bot trades abroad with the same handles: KIS's paper 주문체결내역 takes no
exchange (only "" 전체, side and fill status "00"), so the bot layer asks for every order and keeps
the exchange's rows itself. The real-environment story is tests/bot/test_bot_layer.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kis_async import KST, KisClient, KisOrderStateUnknownError, KisValidationError
from kis_async.sandbox import Fault, Sandbox

APPLE = "AAPL"
IBM = "IBM"  # listed on New York: KIS lists its orders under NYSE, inside NASD's 미국시장 전체
NEW_YORK_MORNING = dt.datetime(2026, 12, 8, 0, 30, tzinfo=KST)  # Monday 10:30 in New York (EST)

pytestmark = pytest.mark.sandbox(env="paper", now=NEW_YORK_MORNING, rate_limit=None, cash=50_000_000)


async def below_the_market(kis: KisClient, symbol: str, exchange: str) -> Decimal:
    """A limit 10% under the last price: it rests."""
    quote = await kis.quote(symbol, exchange)
    assert quote is not None and quote.last is not None
    return (quote.last * Decimal("0.9")).quantize(Decimal("0.01"))


async def test_a_paper_limit_buy_rests_is_refreshed_listed_amended_and_cancelled(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    low = await below_the_market(kis_sandbox, APPLE, "NAS")
    order = await kis_sandbox.orders.buy(APPLE, 10, low, exchange="NASD")
    first_number = order.number
    await order.refresh()
    assert (order.status, order.open_quantity, order.price, order.day) == (
        "open",
        10,
        low,
        dt.date(2026, 12, 7),
    )
    assert [(o.number, o.open_quantity) for o in await kis_sandbox.orders.open(exchange="NASD")] == [
        (first_number, 10)
    ]
    higher = low + Decimal("0.01")
    await order.modify(price=higher)  # 정정: a new number for the open shares
    await order.refresh()
    assert order.numbers == [first_number] and (order.price, order.open_quantity) == (higher, 10)
    assert [(o.number, o.price) for o in await kis_sandbox.orders.open(exchange="NASD")] == [
        (order.number, higher)
    ]
    await order.cancel()
    await order.refresh()
    assert (order.status, order.open_quantity) == ("cancelled", 0)
    assert await kis_sandbox.orders.open(exchange="NASD") == []
    assert len(sandbox.stats.orders_to("overseas_stock.order")) == 1  # placed once, never resent
    assert sandbox.stats.errors == {}  # no inquiry met paper's refusal of an exchange


async def test_on_paper_each_exchange_lists_its_own_orders(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    apple = await kis_sandbox.orders.buy(
        APPLE, 2, await below_the_market(kis_sandbox, APPLE, "NAS"), exchange="NASD"
    )
    ibm = await kis_sandbox.orders.buy(
        IBM, 3, await below_the_market(kis_sandbox, IBM, "NYS"), exchange="NYSE"
    )
    assert [o.number for o in await kis_sandbox.orders.open(exchange="NASD")] == [apple.number]
    assert [o.number for o in await kis_sandbox.orders.open(exchange="NYSE")] == [ibm.number]
    assert await kis_sandbox.orders.open(exchange="TKSE") == []
    await ibm.refresh()
    assert (ibm.exchange, ibm.status, ibm.open_quantity) == ("NYSE", "open", 3)


async def test_a_paper_order_whose_answer_was_lost_is_found_not_resent(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    low = await below_the_market(kis_sandbox, APPLE, "NAS")
    sandbox.faults.set("overseas_stock.order", Fault(drop=True, times=1))
    with pytest.raises(KisOrderStateUnknownError):
        await kis_sandbox.orders.buy(APPLE, 7, low, exchange="NASD")
    found = await kis_sandbox.orders.find(APPLE, "buy", 7, low, exchange="NASD")
    assert found is not None and (found.quantity, found.price, found.status) == (7, low, "open")
    assert await kis_sandbox.orders.find(APPLE, "sell", 7, low, exchange="NASD") is None
    assert await kis_sandbox.orders.find(APPLE, "buy", 7, low, exchange="NYSE") is None  # another exchange
    assert len(sandbox.stats.orders_to("overseas_stock.order")) == 1  # found, never sent again
    await found.cancel()
    assert await kis_sandbox.orders.open(exchange="NASD") == []


async def test_a_paper_order_type_other_than_limit_is_refused_before_sending(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    with pytest.raises(
        KisValidationError, match=r"order_type \(ORD_DVSN.*'34'.*모의투자.*'00' \(LIMIT\) only"
    ):
        await kis_sandbox.overseas_stock.order(
            side="buy", exchange="NASD", symbol=APPLE, quantity=1, price=Decimal("1.00"), order_type="34"
        )
    assert sandbox.stats.orders == []
