"""A bot reads quotes: the current price (one object of 82 fields), the last 30 days, and chart bars
(a summary object plus an array)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from aioresponses import aioresponses

from kis_async import KisClient, KisDecodeError, KisValidationError
from kis_async.domestic_stock import ChartPeriod, DailyPriceAdjustment, StockStatus
from kis_async.enums import MarketDivision, PriceLockCode, Sign
from tests.endpoints.conftest import envelope, sent, url
from tests.fakes import token_value

PRICE_PATH = "/uapi/domestic-stock/v1/quotations/inquire-price"
DAILY_PATH = "/uapi/domestic-stock/v1/quotations/inquire-daily-price"
CHART_PATH = "/uapi/domestic-stock/v1/quotations/inquire-daily-itemchartprice"

# 삼성전자 after a down day, as live servers write it (signed values, 0 for an absent figure,
# display text in *_cnnm, a capped 9999.99 ratio, an undocumented key).
QUOTE = {
    "iscd_stat_cls_code": "55", "marg_rate": "20.00", "rprs_mrkt_kor_name": "KOSPI200",
    "new_hgpr_lwpr_cls_code": " ", "bstp_kor_isnm": "전기.전자", "temp_stop_yn": "N",
    "oprc_rang_cont_yn": "N", "clpr_rang_cont_yn": "N", "crdt_able_yn": "Y", "grmn_rate_cls_code": "40",
    "elw_pblc_yn": "Y", "stck_prpr": "70900", "prdy_vrss": "-1100", "prdy_vrss_sign": "5",
    "prdy_ctrt": "-1.53", "acml_tr_pbmn": "1166475948800", "acml_vol": "16431557",
    "prdy_vrss_vol_rate": "81.17", "stck_oprc": "71800", "stck_hgpr": "72100", "stck_lwpr": "70600",
    "stck_mxpr": "93600", "stck_llam": "50400", "stck_sdpr": "72000", "wghn_avrg_stck_prc": "70990.61",
    "hts_frgn_ehrt": "53.55", "frgn_ntby_qty": "-3546210", "pgtr_ntby_qty": "-1024533",
    "pvt_scnd_dmrs_prc": "73066", "pvt_frst_dmrs_prc": "72533", "pvt_pont_val": "71866",
    "pvt_frst_dmsp_prc": "71333", "pvt_scnd_dmsp_prc": "70666", "dmrs_val": "72200", "dmsp_val": "71000",
    "cpfn": "7780", "rstc_wdth_prc": "21600", "stck_fcam": "100", "stck_sspr": "56720", "aspr_unit": "100",
    "hts_deal_qty_unit_val": "1", "lstn_stcn": "5969782550", "hts_avls": "4232576",
    "per": "-12.71", "pbr": "1.33", "stac_month": "12", "vol_tnrt": "0.28", "eps": "2131.00",
    "bps": "52002.00", "d250_hgpr": "88800", "d250_hgpr_date": "20260711",
    "d250_hgpr_vrss_prpr_rate": "-20.16", "d250_lwpr": "49900", "d250_lwpr_date": "20251114",
    "d250_lwpr_vrss_prpr_rate": "42.08", "stck_dryy_hgpr": "88800", "dryy_hgpr_vrss_prpr_rate": "-20.16",
    "dryy_hgpr_date": "20260711", "stck_dryy_lwpr": "53000", "dryy_lwpr_vrss_prpr_rate": "33.77",
    "dryy_lwpr_date": "0", "w52_hgpr": "88800", "w52_hgpr_vrss_prpr_ctrt": "-20.16",
    "w52_hgpr_date": "20260711", "w52_lwpr": "49900", "w52_lwpr_vrss_prpr_ctrt": "42.08",
    "w52_lwpr_date": "20251114", "whol_loan_rmnd_rate": "0.09", "ssts_yn": "Y", "stck_shrn_iscd": "005930",
    "fcam_cnnm": "100", "cpfn_cnnm": "7,780 억", "apprch_rate": "9999.99", "frgn_hldn_qty": "3196758435",
    "vi_cls_code": "N", "ovtm_vi_cls_code": "N", "last_ssts_cntg_qty": "43916", "invt_caful_yn": "N",
    "mrkt_warn_cls_code": "00", "short_over_yn": "N", "sltr_yn": "N", "mang_issu_cls_code": "N",
    "new_field_added_later": "x",
}  # fmt: skip


async def test_current_price_is_one_typed_object(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.get(url(PRICE_PATH), payload=envelope(output=QUOTE))

    quote = (await kis_mocked.domestic_stock.inquire_price(symbol="005930")).output

    assert quote is not None
    assert len(QUOTE) == 83  # 82 documented fields and one KIS added later
    assert quote.stck_prpr == 70900
    assert quote.prdy_vrss == -1100 and quote.prdy_vrss_sign is Sign.FALL
    assert quote.prdy_ctrt == Decimal("-1.53")
    assert quote.per == Decimal("-12.71") and quote.eps == Decimal("2131.00")
    assert quote.frgn_ntby_qty == -3546210
    assert quote.iscd_stat_cls_code is StockStatus.CREDIT_AVAILABLE
    assert quote.d250_hgpr_date == dt.date(2026, 7, 11)
    assert quote.dryy_lwpr_date is None  # "0" means no date
    assert quote.apprch_rate == Decimal("9999.99")
    assert quote.cpfn_cnnm == "7,780 억"  # display text stays text
    assert quote.stck_shrn_iscd == "005930"  # codes keep their leading zeros
    assert quote.new_hgpr_lwpr_cls_code is None  # whitespace-only code
    assert quote.raw["new_field_added_later"] == "x"


async def test_current_price_sends_market_and_symbol(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.get(url(PRICE_PATH), payload=envelope(output=QUOTE))

    await kis_mocked.domestic_stock.inquire_price(symbol="005930", market_division=MarketDivision.NXT)

    (request,) = sent(mocked, PRICE_PATH)
    assert request.method == "GET"
    assert request.params == {"FID_COND_MRKT_DIV_CODE": "NX", "FID_INPUT_ISCD": "005930"}
    assert request.tr_id == "FHKST01010100"
    assert request.headers["authorization"] == f"Bearer {token_value(1)}"


@pytest.mark.kis_mocked(env="paper")
async def test_paper_uses_the_same_quotation_tr(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.get(url(PRICE_PATH), payload=envelope(output=QUOTE))

    await kis_mocked.domestic_stock.inquire_price(symbol="005930")

    (request,) = sent(mocked, PRICE_PATH)
    assert request.tr_id == "FHKST01010100"
    assert request.params["FID_COND_MRKT_DIV_CODE"] == "J"  # the default: KRX


def daily_rows(count: int) -> list[dict[str, str]]:
    rows = []
    for i in range(count):
        change = (-1) ** i * (100 * (i % 7))
        rows.append(
            {
                "stck_bsop_date": (dt.date(2026, 11, 24) - dt.timedelta(days=i)).strftime("%Y%m%d"),
                "stck_oprc": str(70000 + 100 * i), "stck_hgpr": str(70500 + 100 * i),
                "stck_lwpr": str(69500 + 100 * i), "stck_clpr": str(70200 + 100 * i),
                "acml_vol": str(15000000 + 1000 * i), "prdy_vrss_vol_rate": f"{-12.5 + i:.2f}",
                "prdy_vrss": str(change), "prdy_vrss_sign": "2" if change > 0 else "5" if change < 0 else "3",
                "prdy_ctrt": f"{change / 700:.2f}", "hts_frgn_ehrt": "53.55",
                "frgn_ntby_qty": str(-35000 + 5000 * i), "flng_cls_code": "02" if i == 20 else "00",
                "acml_prtt_rate": "0.00",
            }
        )  # fmt: skip
    return rows


async def test_daily_prices_give_thirty_typed_rows(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.get(url(DAILY_PATH), payload=envelope(output=daily_rows(30)))

    days = await kis_mocked.domestic_stock.inquire_daily_price(
        symbol="005930", period="W", adjusted_price=DailyPriceAdjustment.UNADJUSTED
    )

    (request,) = sent(mocked, DAILY_PATH)
    assert request.params == {
        "FID_COND_MRKT_DIV_CODE": "J",
        "FID_INPUT_ISCD": "005930",
        "FID_PERIOD_DIV_CODE": "W",
        "FID_ORG_ADJ_PRC": "0",
    }
    assert len(days.output) == 30
    first, second = days.output[0], days.output[1]
    assert first.stck_bsop_date == dt.date(2026, 11, 24)
    assert second.prdy_vrss == -100 and second.prdy_vrss_sign is Sign.FALL
    assert second.frgn_ntby_qty == -30000
    assert days.output[20].flng_cls_code is PriceLockCode.DIVIDEND
    assert first.flng_cls_code is PriceLockCode.NONE
    assert first.prdy_vrss_vol_rate == Decimal("-12.50")


async def test_daily_prices_default_to_adjusted_days(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.get(url(DAILY_PATH), payload=envelope(output=daily_rows(1)))

    await kis_mocked.domestic_stock.inquire_daily_price(symbol="005930")

    (request,) = sent(mocked, DAILY_PATH)
    assert request.params["FID_PERIOD_DIV_CODE"] == "D"
    assert request.params["FID_ORG_ADJ_PRC"] == "1"  # this page: 1 = 수정주가반영


CHART_SUMMARY = {
    "prdy_vrss": "-1100", "prdy_vrss_sign": "5", "prdy_ctrt": "-1.53", "stck_prdy_clpr": "72000",
    "acml_vol": "16431557", "acml_tr_pbmn": "1166475948800", "hts_kor_isnm": "삼성전자",
    "stck_prpr": "70900", "stck_shrn_iscd": "005930", "prdy_vol": "20243216", "stck_mxpr": "93600",
    "stck_llam": "50400", "stck_oprc": "71800", "stck_hgpr": "72100", "stck_lwpr": "70600",
    "stck_prdy_oprc": "72500", "stck_prdy_hgpr": "72800", "stck_prdy_lwpr": "71700", "askp": "71000",
    "bidp": "70900", "prdy_vrss_vol": "-3811659", "vol_tnrt": "0.28", "stck_fcam": "100",
    "lstn_stcn": "5969782550", "cpfn": "7780", "hts_avls": "4232576", "per": "33.27", "eps": "2131.00",
    "pbr": "1.36", "itewhol_loan_rmnd_ratem": "0.0900",
}  # fmt: skip


async def test_chart_has_a_summary_object_and_bars(kis_mocked: KisClient, mocked: aioresponses) -> None:
    bars = [
        {
            "stck_bsop_date": f"202611{24 - i:02d}", "stck_clpr": str(70900 + 200 * i),
            "stck_oprc": str(71800 + 200 * i), "stck_hgpr": str(72100 + 200 * i),
            "stck_lwpr": str(70600 + 200 * i), "acml_vol": str(16431557 - 10000 * i),
            "acml_tr_pbmn": str(1166475948800 - 1000000 * i), "flng_cls_code": "00", "prtt_rate": "0.00",
            "mod_yn": "N", "prdy_vrss_sign": "5" if i % 2 == 0 else "2",
            "prdy_vrss": str(-1100 if i % 2 == 0 else 300), "revl_issu_reas": "",
        }
        for i in range(20)
    ]  # fmt: skip
    mocked.get(url(CHART_PATH), payload=envelope(output1=CHART_SUMMARY, output2=bars))

    chart = await kis_mocked.domestic_stock.inquire_daily_itemchartprice(
        symbol="005930",
        start_date=dt.date(2026, 10, 1),
        end_date="20261124",
        period=ChartPeriod.WEEK,
    )

    (request,) = sent(mocked, CHART_PATH)
    assert request.tr_id == "FHKST03010100"
    assert request.params == {
        "FID_COND_MRKT_DIV_CODE": "J",
        "FID_INPUT_ISCD": "005930",
        "FID_INPUT_DATE_1": "20261001",
        "FID_INPUT_DATE_2": "20261124",
        "FID_PERIOD_DIV_CODE": "W",
        "FID_ORG_ADJ_PRC": "0",
    }
    assert chart.output1 is not None
    assert chart.output1.hts_kor_isnm == "삼성전자"
    assert chart.output1.prdy_vrss_vol == -3811659
    assert chart.output1.itewhol_loan_rmnd_ratem == Decimal("0.0900")
    assert len(chart.output2) == 20
    assert chart.output2[0].stck_bsop_date == dt.date(2026, 11, 24)
    assert chart.output2[1].prdy_vrss == 300 and chart.output2[1].prdy_vrss_sign is Sign.RISE
    assert chart.output2[0].revl_issu_reas is None


async def test_chart_rejects_a_malformed_date_before_sending(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    with pytest.raises(KisValidationError, match=r"start_date \(FID_INPUT_DATE_1, 입력 날짜 1\)"):
        await kis_mocked.domestic_stock.inquire_daily_itemchartprice(
            symbol="005930", start_date="2026-10-01", end_date="20261124"
        )
    assert sent(mocked, CHART_PATH) == []


async def test_several_rows_where_one_object_is_documented_fail_loudly_or_are_all_kept(
    mocked: aioresponses,
    make_client: Callable[..., KisClient],
) -> None:
    # the safety net for outputs KIS sends as lists against their page (live chk_holiday)
    path = "/uapi/domestic-stock/v1/trading/inquire-psbl-order"
    rows = [{"ord_psbl_cash": "1000"}, {"ord_psbl_cash": "2000"}]
    mocked.get(url(path), payload=envelope(output=rows), repeat=True)
    async with make_client() as strict, make_client(strict=False) as lenient:
        with pytest.raises(KisDecodeError, match=r"inquire_psbl_order \(TTTC8908R\).*output.*list of 2 rows"):
            await strict.domestic_stock.inquire_psbl_order(symbol="005930", price=70000, order_type="00")
        answer = await lenient.domestic_stock.inquire_psbl_order(
            symbol="005930", price=70000, order_type="00"
        )
    assert isinstance(answer.output, list)
    assert [row.ord_psbl_cash for row in answer.output] == [1000, 2000]
