"""A bot reading its overseas account in won: the sandbox's fixed 기준환율 (``Sandbox(fx=...)``)
converts 체결기준현재잔고's won fields, its summary and 매수가능금액조회's rate alike.

The clock is Monday 2026-12-07 10:30 in New York (Tuesday 00:30 KST); the account holds USD
10,000, JPY 1,000,000, 5 Apple shares bought at 150 dollars and 100 Toyota shares at 2,000 yen;
the dollar is 1,450 won and the yen 950 won per 100.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

import pytest

from kis_async import KST, KisClient
from kis_async.overseas_stock.trading.inquire_present_balance import (
    OverseasStockInquirePresentBalanceResponse,
)
from kis_async.sandbox import Sandbox

USD_RATE, JPY_RATE = Decimal(1450), Decimal(950)

pytestmark = pytest.mark.sandbox(
    rate_limit=None,
    now=dt.datetime(2026, 12, 8, 0, 30, tzinfo=KST),
    foreign_cash={"USD": 10_000, "JPY": 1_000_000, "HKD": 0, "CNY": 0, "VND": 0},
    holdings={"NASD:AAPL": (5, 150), "TKSE:7203": (100, 2000)},
    fx={"USD": USD_RATE, "JPY": JPY_RATE},
)


async def present_balance(
    kis: KisClient,
    basis: Literal["01", "02"],
    country: Literal["000", "840", "344", "156", "392", "704"] = "000",
) -> OverseasStockInquirePresentBalanceResponse:
    """체결기준현재잔고 in won (``01``) or in the currency (``02``), of one country or every one."""
    return await kis.overseas_stock.inquire_present_balance(
        currency_basis=basis, country=country, market="00", stock_kind="00"
    )


async def apple_price(kis: KisClient) -> Decimal:
    quote = (await kis.overseas_price.price(exchange="NAS", symbol="AAPL")).output
    assert quote is not None and quote.last is not None
    return quote.last


async def test_a_holding_in_won_is_its_dollars_at_the_sandbox_rate(kis_sandbox: KisClient) -> None:
    price = await apple_price(kis_sandbox)
    answer = await present_balance(kis_sandbox, "01", country="840")
    (apple,) = answer.output1
    assert (apple.pdno, apple.buy_crcy_cd, apple.bass_exrt) == ("AAPL", "USD", USD_RATE)
    assert apple.frcr_pchs_amt == apple.pchs_rmnd_wcrc_amt == 5 * 150 * USD_RATE
    assert apple.frcr_evlu_amt2 == (5 * price * USD_RATE).quantize(Decimal(1))
    assert apple.ovrs_now_pric1 == price * USD_RATE
    assert apple.avg_unpr3 == 150 * USD_RATE
    assert apple.frcr_evlu_amt2 is not None and apple.frcr_pchs_amt is not None
    assert apple.evlu_pfls_amt2 == apple.frcr_evlu_amt2 - apple.frcr_pchs_amt


async def test_the_foreign_basis_answers_the_same_holding_in_dollars(kis_sandbox: KisClient) -> None:
    price = await apple_price(kis_sandbox)
    (apple,) = (await present_balance(kis_sandbox, "02", country="840")).output1
    assert (apple.frcr_pchs_amt, apple.avg_unpr3, apple.ovrs_now_pric1) == (Decimal(750), Decimal(150), price)
    assert apple.frcr_evlu_amt2 == 5 * price
    assert apple.pchs_rmnd_wcrc_amt == 750 * USD_RATE  # 매입잔액원화금액 is in won either way


async def test_yen_convert_per_hundred_as_kis_quotes_them(kis_sandbox: KisClient) -> None:
    (toyota,) = (await present_balance(kis_sandbox, "01", country="392")).output1
    assert (toyota.pdno, toyota.bass_exrt) == ("7203", JPY_RATE)
    assert toyota.frcr_pchs_amt == 100 * 2000 * JPY_RATE / 100  # 1,900,000 won


async def test_the_won_summary_adds_up_the_rows_and_the_foreign_cash(kis_sandbox: KisClient) -> None:
    answer = await present_balance(kis_sandbox, "01")
    summary = answer.output3
    assert summary is not None
    assert summary.pchs_amt_smtl == sum(r.frcr_pchs_amt or 0 for r in answer.output1)
    assert summary.evlu_amt_smtl == sum(r.frcr_evlu_amt2 or 0 for r in answer.output1)
    assert summary.evlu_pfls_amt_smtl == summary.evlu_amt_smtl - summary.pchs_amt_smtl
    cash_in_won = 10_000 * USD_RATE + 1_000_000 * JPY_RATE / 100
    assert summary.frcr_evlu_tota == cash_in_won
    assert summary.dncl_amt == 50_000_000  # the account's won 예수금
    assert summary.tot_asst_amt == summary.evlu_amt_smtl + cash_in_won + 50_000_000


async def test_each_currencys_rate_and_withdrawable_won_agree_with_buying_power(
    kis_sandbox: KisClient,
) -> None:
    answer = await present_balance(kis_sandbox, "02")
    usd = next(r for r in answer.output2 if r.crcy_cd == "USD")
    assert (usd.frst_bltn_exrt, usd.frcr_drwg_psbl_amt_1, usd.frcr_evlu_amt2) == (
        USD_RATE,
        Decimal(10_000),
        10_000 * USD_RATE,
    )
    power = (
        await kis_sandbox.overseas_stock.inquire_psamount(exchange="NASD", price=100, symbol="AAPL")
    ).output
    assert power is not None and power.exrt == USD_RATE


async def test_a_buy_moves_the_won_fields_with_the_dollars(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    price = await apple_price(kis_sandbox)
    await kis_sandbox.overseas_stock.order(
        side="buy", exchange="NASD", symbol="AAPL", quantity=2, price=price
    )
    summary = (await present_balance(kis_sandbox, "01")).output3
    assert summary is not None
    assert summary.ustl_buy_amt_smtl == (2 * price * USD_RATE).quantize(Decimal(1))
    (apple,) = (await present_balance(kis_sandbox, "01", country="840")).output1
    # 체결기준 7 shares; 결제기준 still 5 until the buy settles
    assert (apple.ccld_qty_smtl1, apple.cblc_qty13, apple.thdt_buy_ccld_qty1) == (
        Decimal(7),
        Decimal(5),
        Decimal(2),
    )


def test_a_rate_that_is_not_positive_is_refused_naming_the_currency() -> None:
    with pytest.raises(ValueError, match=r"Sandbox\(fx=...\): 'USD': 0"):
        Sandbox(fx={"USD": 0})
    with pytest.raises(ValueError, match="'EUR'"):
        Sandbox(fx={"EUR": 1500})
