"""A bot places orders through the sandbox and follows them on its execution-notice feed."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest

pytest.importorskip("cryptography")

from kis_async import KST, KisClient
from kis_async._realtime import RealtimeConfig, RealtimeSession
from kis_async.enums import NoticeCorrection, NoticeKind, NoticeSide
from kis_async.realtime import domestic_stock as ds
from kis_async.sandbox import Sandbox
from kis_async.sandbox._market import tick as tick_size

FAST = RealtimeConfig(
    stall_timeout=1.0, answer_timeout=2.0, request_interval=0.0, backoff_initial=0.01, backoff_max=0.05
)
HTS_ID = "bot-hts-id"
SYMBOL = "005930"


def below(price: int) -> int:
    """A valid buy price 10 % under ``price`` (on the tick grid, inside the daily limits): it rests."""
    lower = price * 9 // 10
    return lower - lower % tick_size(lower)


# the account holds some of SYMBOL, so a sell is an ordinary one
pytestmark = pytest.mark.sandbox(hts_id=HTS_ID, realtime_rate=0, holdings={SYMBOL: 10})


@pytest.fixture
async def notices(kis_sandbox: KisClient) -> AsyncIterator[RealtimeSession]:
    async with kis_sandbox.realtime(config=FAST) as rt:
        await rt.subscribe(ds.fill_notice, HTS_ID)
        yield rt


async def next_notices(rt: RealtimeSession, count: int) -> list[ds.FillNoticeTick]:
    async def collect() -> list[Any]:
        items = []
        async for tick in rt.stream(ds.fill_notice, HTS_ID):
            items.append(tick)
            if len(items) == count:
                break
        return items

    return await asyncio.wait_for(collect(), 5.0)


async def market_price(kis: KisClient) -> int:
    quote = (await kis.domestic_stock.inquire_price(symbol=SYMBOL)).output
    assert quote is not None and quote.stck_prpr is not None
    return quote.stck_prpr


async def test_a_buy_at_the_market_price_is_accepted_then_filled(
    kis_sandbox: KisClient, notices: RealtimeSession
) -> None:
    price = await market_price(kis_sandbox)
    order = await kis_sandbox.domestic_stock.order_cash(side="buy", symbol=SYMBOL, quantity=10, price=price)
    accepted, filled = await next_notices(notices, 2)
    assert order.output is not None
    assert accepted.oder_no == filled.oder_no == order.output.odno
    assert (accepted.cntg_yn, filled.cntg_yn) == (NoticeKind.ORDER_EVENT, NoticeKind.FILL)
    assert (filled.stck_shrn_iscd, filled.seln_byov_cls) == (SYMBOL, NoticeSide.BUY)
    assert (filled.cntg_qty, filled.cntg_unpr) == (10, price)
    assert (filled.oder_qty, filled.oder_prc) == (10, price)
    assert filled.cust_id == HTS_ID and filled.cntg_isnm40 == "삼성전자"


async def test_a_market_sell_fills_at_the_market_price(
    kis_sandbox: KisClient, notices: RealtimeSession
) -> None:
    price = await market_price(kis_sandbox)
    order = await kis_sandbox.domestic_stock.order_cash(
        side="sell", symbol=SYMBOL, quantity=3, price=0, order_type="01"
    )
    _, filled = await next_notices(notices, 2)
    assert order.output is not None and filled.oder_no == order.output.odno
    assert (filled.seln_byov_cls, filled.cntg_qty, filled.cntg_unpr) == (NoticeSide.SELL, 3, price)


async def test_a_buy_below_the_market_stays_open_and_its_cancel_is_notified(
    kis_sandbox: KisClient, notices: RealtimeSession
) -> None:
    price = await market_price(kis_sandbox)
    order = await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SYMBOL, quantity=5, price=below(price)
    )
    assert order.output is not None
    cancel = await kis_sandbox.domestic_stock.order_rvsecncl(
        order_org_no=order.output.krx_fwdg_ord_orgno or "",
        original_order_no=order.output.odno or "",
        action="02",
        all_remaining=True,
    )
    accepted, cancelled = await next_notices(notices, 2)
    assert cancel.output is not None
    assert (accepted.oder_no, accepted.cntg_yn, accepted.rctf_cls) == (
        order.output.odno,
        NoticeKind.ORDER_EVENT,
        NoticeCorrection.NORMAL,
    )
    assert (cancelled.oder_no, cancelled.ooder_no) == (cancel.output.odno, order.output.odno)
    assert (cancelled.rctf_cls, cancelled.cntg_yn, cancelled.oder_qty) == (
        NoticeCorrection.CANCEL,
        NoticeKind.ORDER_EVENT,
        5,
    )


async def test_revising_an_open_order_to_the_market_price_fills_it(
    kis_sandbox: KisClient, notices: RealtimeSession
) -> None:
    price = await market_price(kis_sandbox)
    order = await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol=SYMBOL, quantity=4, price=below(price)
    )
    assert order.output is not None
    revise = await kis_sandbox.domestic_stock.order_rvsecncl(
        order_org_no=order.output.krx_fwdg_ord_orgno or "",
        original_order_no=order.output.odno or "",
        action="01",
        all_remaining=True,
        order_type="00",
        price=price,
    )
    _, revised, filled = await next_notices(notices, 3)
    assert revise.output is not None
    assert (revised.rctf_cls, revised.oder_no, revised.oder_prc) == (
        NoticeCorrection.AMEND,
        revise.output.odno,
        price,
    )
    assert (filled.cntg_yn, filled.oder_no, filled.cntg_qty, filled.cntg_unpr) == (
        NoticeKind.FILL,
        revise.output.odno,
        4,
        price,
    )


async def test_paper_orders_are_notified_on_the_paper_feed() -> None:
    async with (
        Sandbox(env="paper", min_token_interval=0, rate_limit=None, hts_id=HTS_ID, realtime_rate=0) as sb,
        sb.client(account="12345678-01") as kis,
        kis.realtime(config=FAST) as rt,
    ):
        await rt.subscribe(ds.fill_notice, HTS_ID)
        order = await kis.domestic_stock.order_cash(
            side="buy", symbol=SYMBOL, quantity=1, price=0, order_type="01"
        )
        _, filled = await next_notices(rt, 2)
    assert order.output is not None and filled.oder_no == order.output.odno
    assert sb.realtime.stats.registrations == [(1, "H0STCNI9", HTS_ID)]


async def test_a_market_order_fills_where_the_feed_is_trading() -> None:
    # Thursday 2026-12-03, 10:15 KST: in session, the feed moves along the price path
    in_session = dt.datetime(2026, 12, 3, 10, 15, tzinfo=KST)
    async with (
        Sandbox(min_token_interval=0, hts_id=HTS_ID, realtime_rate=200, now=in_session) as sb,
        sb.client(account="12345678-01") as kis,
        kis.realtime(config=FAST) as rt,
    ):
        await rt.subscribe(ds.fill_notice, HTS_ID)
        await rt.subscribe(ds.trade_krx, SYMBOL)
        later = in_session + dt.timedelta(minutes=37)
        sb.set_time(later)  # the market moved on: the feed, the quote and the fill follow

        async def a_tick_at_the_new_time() -> Any:
            async for tick in rt.stream(ds.trade_krx, SYMBOL):
                if tick.stck_cntg_hour >= later.time().replace(tzinfo=None):
                    return tick

        tick = await asyncio.wait_for(a_tick_at_the_new_time(), 5.0)
        sb.set_time(later)
        await kis.domestic_stock.order_cash(side="buy", symbol=SYMBOL, quantity=2, price=0, order_type="01")
        _, filled = await next_notices(rt, 2)
    assert filled.cntg_unpr == tick.stck_prpr


async def test_a_futures_bot_follows_its_order_on_the_futures_notice_feed() -> None:
    """선물옵션 체결통보 (H0IFCNI0): a marketable KOSPI200 futures buy is accepted, then filled at the
    price the quote shows, in points."""
    from decimal import Decimal

    from kis_async.realtime import domestic_futureoption as dfo

    async with (
        Sandbox(
            min_token_interval=0,
            hts_id=HTS_ID,
            realtime_rate=0,
            now=dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST),
        ) as sb,
        sb.client(account="12345678-03") as kis,
        kis.realtime(config=FAST) as rt,
    ):
        await rt.subscribe(dfo.fill_notice, HTS_ID)
        quote = (await kis.domestic_futureoption.inquire_price(market_division="F", symbol="A01612")).output1
        assert quote is not None and quote.futs_prpr is not None
        order = await kis.domestic_futureoption.order(
            session="day", side="02", symbol="A01612", quantity=2, price=quote.futs_prpr, order_type="01"
        )
        assert order.output is not None

        async def two() -> list[dfo.DomesticFutureoptionFillNoticeTick]:
            items = []
            async for tick in rt.stream(dfo.fill_notice, HTS_ID):
                items.append(tick)
                if len(items) == 2:
                    return items
            return items

        accepted, filled = await asyncio.wait_for(two(), 5.0)
        assert (accepted.oder_no, accepted.oder_kind2, accepted.cntg_yn) == (
            order.output.odno,
            "L",
            NoticeKind.ORDER_EVENT,
        )
        assert (filled.oder_no, filled.cntg_yn, filled.cntg_qty) == (order.output.odno, NoticeKind.FILL, 2)
        assert filled.cntg_unpr == quote.futs_prpr and filled.seln_byov_cls == NoticeSide.BUY
        assert filled.stck_shrn_iscd == "A01612" and accepted.order_prc == Decimal(quote.futs_prpr)
