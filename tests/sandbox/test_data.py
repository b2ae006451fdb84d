"""The sandbox's data: 30 ranking rows sorted as asked, values that agree with each other, the forms
live servers send, and the same answer for the same request and seed."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest

from kis_async import KisClient
from kis_async.enums import Sign
from kis_async.sandbox import Sandbox
from kis_async.sandbox._market import UNIVERSE


async def ranking(kis: KisClient, market: str = "0000", sort: str = "0") -> Any:
    return await kis.domestic_stock.credit_balance(market=market, period=5, sort=sort)


SORTED_BY = {
    "0": ("whol_loan_rmnd_rate", True),
    "1": ("whol_loan_rmnd_stcn", True),
    "2": ("whol_loan_rmnd_amt", True),
    "3": ("nday_vrss_loan_rmnd_inrt", True),
    "4": ("nday_vrss_loan_rmnd_inrt", False),
    "5": ("whol_stln_rmnd_rate", True),
    "6": ("whol_stln_rmnd_stcn", True),
    "7": ("whol_stln_rmnd_amt", True),
    "8": ("nday_vrss_stln_rmnd_inrt", True),
    "9": ("nday_vrss_stln_rmnd_inrt", False),
}


@pytest.mark.parametrize(("sort", "expected"), SORTED_BY.items())
async def test_the_ranking_has_30_rows_sorted_as_asked(
    kis_sandbox: KisClient, sort: str, expected: tuple[str, bool]
) -> None:
    result = await ranking(kis_sandbox, sort=sort)
    field, descending = expected
    values = [getattr(row, field) for row in result.output2]
    assert len(values) == 30
    assert values == sorted(values, reverse=descending)


async def test_prices_differences_signs_and_rates_agree(kis_sandbox: KisClient) -> None:
    for row in (await ranking(kis_sandbox)).output2:
        previous = row.stck_prpr - row.prdy_vrss
        assert row.prdy_ctrt == (Decimal(row.prdy_vrss) * 100 / previous).quantize(Decimal("0.01"))
        if row.prdy_vrss > 0:
            assert row.prdy_vrss_sign in (Sign.RISE, Sign.UPPER_LIMIT)
        elif row.prdy_vrss < 0:
            assert row.prdy_vrss_sign in (Sign.FALL, Sign.LOWER_LIMIT)
        else:
            assert row.prdy_vrss_sign == Sign.FLAT
        # 잔고 금액 is in 만원: shares × price / 10,000
        assert row.whol_loan_rmnd_amt == row.whol_loan_rmnd_stcn * row.stck_prpr // 10_000


async def test_rows_name_real_looking_korean_stocks(kis_sandbox: KisClient) -> None:
    rows = (await ranking(kis_sandbox)).output2
    assert all(len(r.mksc_shrn_iscd) == 6 and r.hts_kor_isnm for r in rows)
    assert len({r.mksc_shrn_iscd for r in rows}) == 30
    assert any("\uac00" <= ch <= "\ud7a3" for r in rows for ch in r.hts_kor_isnm)


async def test_a_market_filter_keeps_to_that_market(kis_sandbox: KisClient) -> None:
    kosdaq = {s.code for s in UNIVERSE if s.market == "KOSDAQ"}
    rows = (await ranking(kis_sandbox, market="1001")).output2
    assert {r.mksc_shrn_iscd for r in rows} <= kosdaq


async def test_the_sector_list_carries_a_zero_date_beside_real_ones(kis_sandbox: KisClient) -> None:
    result = await ranking(kis_sandbox)
    dates = [row["stnd_date1"] for row in result.raw["output1"]]
    assert "0" in dates
    assert any(len(d) == 8 for d in dates)
    assert None in [row.stnd_date1 for row in result.output1]


async def test_msg1_arrives_right_padded_and_reads_trimmed(kis_sandbox: KisClient) -> None:
    result = await ranking(kis_sandbox)
    assert result.raw["msg1"].startswith("정상처리 되었습니다.")
    assert result.raw["msg1"].endswith(" ")
    assert (result.rt_cd, result.msg_cd, result.msg1) == ("0", "MCA00000", "정상처리 되었습니다.")


async def test_the_same_request_and_seed_give_the_same_data() -> None:
    bodies = []
    for seed in (7, 7, 8):
        async with Sandbox(seed=seed, min_token_interval=0) as sb, sb.client() as kis:
            bodies.append((await ranking(kis)).raw)
    assert bodies[0] == bodies[1]
    assert bodies[0] != bodies[2]


async def test_the_same_stock_has_the_same_price_in_every_ranking(kis_sandbox: KisClient) -> None:
    by_rate = {r.mksc_shrn_iscd: r.stck_prpr for r in (await ranking(kis_sandbox, sort="0")).output2}
    by_amount = {r.mksc_shrn_iscd: r.stck_prpr for r in (await ranking(kis_sandbox, sort="2")).output2}
    common = set(by_rate) & set(by_amount)
    assert all(by_rate[code] == by_amount[code] for code in common)


async def test_a_daily_chart_walks_back_over_trading_days_with_differences_that_add_up(
    spec_sandbox: Sandbox,
) -> None:
    daily = spec_sandbox.endpoints["domestic_stock.sandbox_daily_price"]
    async with spec_sandbox.client() as kis:
        result = await kis.request(daily, {"code": "005930", "period": "D"})
    days = result.output
    assert len(days) == 30
    dates = [day.stck_bsop_date for day in days]
    assert dates == sorted(dates, reverse=True)
    assert all(d.weekday() < 5 for d in dates)
    for day, before in itertools.pairwise(days):
        assert day.prdy_vrss == day.stck_clpr - before.stck_clpr
        assert (
            day.stck_lwpr
            <= min(day.stck_oprc, day.stck_clpr)
            <= max(day.stck_oprc, day.stck_clpr)
            <= day.stck_hgpr
        )
        expected_sign = Sign.FLAT if day.prdy_vrss == 0 else (Sign.RISE if day.prdy_vrss > 0 else Sign.FALL)
        assert day.prdy_vrss_sign in (expected_sign, Sign.UPPER_LIMIT, Sign.LOWER_LIMIT)
