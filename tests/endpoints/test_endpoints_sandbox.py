"""Every reviewed endpoint against the sandbox over real HTTP: the SDK's request passes the
sandbox's checks (TR ID for the environment, side and date; fields; account), and the answer comes
back typed. Runs once the sandbox (kis_async.sandbox) is present."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

pytest.importorskip("kis_async.sandbox")

from kis_async import KisClient
from kis_async._endpoint import months_before, today_kst
from kis_async.sandbox import Sandbox
from kis_async.sandbox._market import quote
from tests.conftest import SAMSUNG_PRICE

ACCOUNT = "12345678-01"


pytestmark = [
    pytest.mark.sandbox(rate_limit=None, page_size=5, paged_rows=12),
    pytest.mark.kis_sandbox(account=ACCOUNT, rate_limit=None),
]


def assert_optional(value: object, kind: type) -> None:
    assert value is None or isinstance(value, kind), (value, kind)


async def test_inquire_price(kis_sandbox: KisClient, sandbox: Sandbox) -> None:
    quote = (await kis_sandbox.domestic_stock.inquire_price(symbol="005930")).output
    assert quote is not None
    assert (
        isinstance(quote.stck_prpr, int)
        and isinstance(quote.stck_hgpr, int)
        and isinstance(quote.stck_lwpr, int)
    )
    assert quote.stck_lwpr <= quote.stck_prpr <= quote.stck_hgpr  # a seeded, consistent day
    assert isinstance(quote.per, Decimal) and quote.per > 0
    assert isinstance(quote.w52_hgpr_date, dt.date) and quote.w52_hgpr_date <= today_kst()
    assert sandbox.stats.by_tr["FHKST01010100"] == 1


async def test_inquire_daily_price(kis_sandbox: KisClient) -> None:
    days = await kis_sandbox.domestic_stock.inquire_daily_price(symbol="005930", period="D")
    assert days.output
    assert all(isinstance(day.stck_bsop_date, dt.date) for day in days.output)


async def test_inquire_daily_itemchartprice(kis_sandbox: KisClient) -> None:
    today = today_kst()
    chart = await kis_sandbox.domestic_stock.inquire_daily_itemchartprice(
        symbol="005930", start_date=today - dt.timedelta(days=60), end_date=today
    )
    assert chart.output1 is not None and chart.output2
    dates = [day.stck_bsop_date for day in chart.output2]
    assert all(isinstance(d, dt.date) and today - dt.timedelta(days=60) <= d <= today for d in dates)
    assert dates == sorted(dates, reverse=True)  # newest first, as KIS sends them
    quote = (await kis_sandbox.domestic_stock.inquire_price(symbol="005930")).output
    assert quote is not None and chart.output2[0].stck_clpr == chart.output1.stck_prpr == quote.stck_prpr


async def test_volume_rank(kis_sandbox: KisClient) -> None:
    ranking = await kis_sandbox.domestic_stock.volume_rank(sort="TRADING_VALUE")
    assert ranking.output
    assert_optional(ranking.output[0].acml_tr_pbmn, int)


async def test_fluctuation(kis_sandbox: KisClient) -> None:
    ranking = await kis_sandbox.domestic_stock.fluctuation(market="KOSDAQ", sort="RISE_RATE")
    assert ranking.output
    assert_optional(ranking.output[0].prdy_ctrt, Decimal)


async def test_market_cap(kis_sandbox: KisClient) -> None:
    ranking = await kis_sandbox.domestic_stock.market_cap(market="KOSPI")
    assert ranking.output
    assert_optional(ranking.output[0].stck_avls, int)


async def test_short_sale(kis_sandbox: KisClient) -> None:
    ranking = await kis_sandbox.domestic_stock.short_sale(period="D", lookback=0)
    assert ranking.output
    assert_optional(ranking.output[0].ssts_vol_rlim, Decimal)


async def test_credit_balance(kis_sandbox: KisClient) -> None:
    ranking = await kis_sandbox.domestic_stock.credit_balance(market="ALL", period=5, sort="LOAN_RATE")
    rates = [row.whol_loan_rmnd_rate for row in ranking.output2]
    assert len(rates) == 30 and all(isinstance(r, Decimal) for r in rates)
    assert rates == sorted(rates, reverse=True)  # sorted by the loan rate asked for


async def test_inquire_balance_pages_through_the_sandbox(kis_sandbox: KisClient, sandbox: Sandbox) -> None:
    pages = [page async for page in kis_sandbox.domestic_stock.inquire_balance().pages()]

    assert len(pages) >= 3  # 12 rows, 5 a page
    assert [page.has_next for page in pages][-1] is False
    balance = await kis_sandbox.domestic_stock.inquire_balance().all()
    assert len(balance.output1) == sum(len(page.output1) for page in pages)
    assert balance.output2 is not None
    assert all(isinstance(h.pchs_avg_pric, Decimal | None) for h in balance.output1)
    # the summary agrees with the rows: 유가평가금액 is the sum of the holdings' 평가금액
    assert balance.output2.scts_evlu_amt == sum(h.evlu_amt or 0 for h in balance.output1) > 0
    assert sandbox.stats.by_tr["TTTC8434R"] == 2 * len(pages)


@pytest.mark.sandbox(env="paper")
async def test_inquire_balance_on_paper(kis_sandbox: KisClient, sandbox: Sandbox) -> None:
    await kis_sandbox.domestic_stock.inquire_balance().all(max_pages=1)
    assert sandbox.stats.by_tr["VTTC8434R"] == 1


async def test_inquire_daily_ccld_recent_and_older(kis_sandbox: KisClient, sandbox: Sandbox) -> None:
    today = today_kst()
    recent = await kis_sandbox.domestic_stock.inquire_daily_ccld(
        start_date=today - dt.timedelta(days=7), end_date=today
    ).all()
    older_start = months_before(today, 5)
    await kis_sandbox.domestic_stock.inquire_daily_ccld(
        start_date=older_start, end_date=older_start + dt.timedelta(days=7)
    )

    assert recent.output1 is not None
    assert sandbox.stats.by_tr["TTTC0081R"] >= 1
    assert sandbox.stats.by_tr["CTSC9215R"] == 1


async def test_inquire_psbl_order(kis_sandbox: KisClient) -> None:
    power = await kis_sandbox.domestic_stock.inquire_psbl_order(symbol="005930")
    assert power.output is not None
    assert isinstance(power.output.max_buy_qty, int) and power.output.max_buy_qty > 0
    assert isinstance(power.output.ord_psbl_cash, int) and power.output.ord_psbl_cash > 0


async def test_order_cash_buy_and_sell(kis_sandbox: KisClient, sandbox: Sandbox) -> None:
    bought = await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol="005930", quantity=10, price=0, order_type="MARKET"
    )
    await kis_sandbox.domestic_stock.order_cash(  # sells half of what the market buy filled
        side="sell", symbol="005930", quantity=5, price=0, order_type="MARKET"
    )

    assert bought.output is not None and bought.output.odno
    orders = sandbox.stats.orders_to("/uapi/domestic-stock/v1/trading/order-cash")
    assert [o.tr_id for o in orders] == ["TTTC0012U", "TTTC0011U"]
    assert orders[0].body["CANO"] == "12345678" and orders[0].body["ORD_QTY"] == "10"


@pytest.mark.sandbox(env="paper")
async def test_order_cash_on_paper(kis_sandbox: KisClient, sandbox: Sandbox) -> None:
    await kis_sandbox.domestic_stock.order_cash(side="buy", symbol="005930", quantity=1, price=SAMSUNG_PRICE)
    (order,) = sandbox.stats.orders_to("/uapi/domestic-stock/v1/trading/order-cash")
    assert order.tr_id == "VTTC0012U"


async def test_order_with_hashkey(sandbox: Sandbox) -> None:
    async with sandbox.client(account=ACCOUNT, rate_limit=None, hashkey=True) as kis:
        result = await kis.domestic_stock.order_cash(
            side="buy", symbol="005930", quantity=1, price=SAMSUNG_PRICE
        )
    (order,) = sandbox.stats.orders_to("/uapi/domestic-stock/v1/trading/order-cash")
    assert order.hashkey is True  # the sandbox recomputed the HASH over the order's bytes
    assert result.output is not None and result.output.odno and len(result.output.odno) == 10


async def test_order_rvsecncl_cancel(kis_sandbox: KisClient, sandbox: Sandbox) -> None:
    resting = quote(0, "005930", sandbox.clock.now()).lower_limit  # below the market: stays open
    placed = await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol="005930", quantity=10, price=resting
    )
    assert placed.output is not None and placed.output.odno and placed.output.krx_fwdg_ord_orgno

    cancelled = await kis_sandbox.domestic_stock.order_rvsecncl(
        action="cancel",
        order_org_no=placed.output.krx_fwdg_ord_orgno,
        original_order_no=placed.output.odno,
        all_remaining=True,
    )

    assert cancelled.output is not None and cancelled.output.odno
    assert cancelled.output.odno != placed.output.odno  # a cancel is an order of its own
    (request,) = sandbox.stats.orders_to("/uapi/domestic-stock/v1/trading/order-rvsecncl")
    assert request.tr_id == "TTTC0013U" and request.body["QTY_ALL_ORD_YN"] == "Y"


async def test_overseas_price(kis_sandbox: KisClient) -> None:
    quote = await kis_sandbox.overseas_price.price(exchange="NAS", symbol="AAPL")
    assert quote.output is not None
    assert isinstance(quote.output.last, Decimal) and quote.output.last > 0
    assert isinstance(quote.output.base, Decimal) and quote.output.base > 0


async def test_overseas_inquire_balance_pages(kis_sandbox: KisClient, sandbox: Sandbox) -> None:
    balance = await kis_sandbox.overseas_stock.inquire_balance(exchange="NASD", currency="USD").all()
    assert len(balance.output1) == 12
    assert sandbox.stats.by_tr["TTTS3012R"] >= 3
    assert all(isinstance(h.now_pric2, Decimal | None) for h in balance.output1)
