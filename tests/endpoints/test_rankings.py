"""A bot scans the ranking screens: 30 rows each, signed changes, decimals, "0" for absent dates,
fixed screen codes filled by the SDK and readable filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from aioresponses import aioresponses

from kis_async import KisClient, KisUnsupportedError, KisValidationError
from kis_async.domestic_stock import FluctuationSort, ShortSaleMarket, VolumeRankSort
from kis_async.enums import RankingMarket, Sign, StockClass
from tests.endpoints.conftest import envelope, sent, url

NAMES = ["삼성전자", "SK하이닉스", "KODEX 200", "에코프로", "카카오", "NAVER"]


def stock(i: int) -> dict[str, str]:
    """The columns every ranking row shares: i-th stock, alternating rises and falls."""
    change = (1 if i % 3 else -1) * (50 * (i + 1))
    return {
        "mksc_shrn_iscd": f"{i * 1117 % 999999:06d}",
        "hts_kor_isnm": NAMES[i % len(NAMES)],
        "data_rank": str(i + 1),
        "stck_prpr": str(10000 + 250 * i),
        "prdy_vrss": str(change),
        "prdy_vrss_sign": "2" if change > 0 else "5",
        "prdy_ctrt": f"{change / 100:+.2f}" if i % 4 == 0 else f"{change / 100:.2f}",
        "acml_vol": str(1000000 * (30 - i)),
    }


def rows(extra: Any, count: int = 30) -> list[dict[str, str]]:
    return [{**stock(i), **extra(i)} for i in range(count)]


def assert_ranked(result_rows: list[Any]) -> None:
    assert len(result_rows) == 30
    falling = result_rows[0]
    assert falling.prdy_vrss == -50 and falling.prdy_vrss_sign is Sign.FALL
    assert falling.prdy_ctrt == Decimal("-0.50")
    rising = result_rows[4]
    assert rising.prdy_vrss == 250 and rising.prdy_vrss_sign is Sign.RISE
    assert rising.prdy_ctrt == Decimal("2.50")  # sent as "+2.50"


VOLUME_PATH = "/uapi/domestic-stock/v1/quotations/volume-rank"


async def test_volume_rank_sends_the_screen_code_and_filters(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    body = rows(
        lambda i: {
            "prdy_vol": str(900000 * (i + 1)), "lstn_stcn": "5969782550", "avrg_vol": str(1200000 - i),
            "n_befr_clpr_vrss_prpr_rate": f"{i - 15:.2f}", "vol_inrt": f"{(i - 10) * 12.5:.2f}",
            "vol_tnrt": "0.28", "nday_vol_tnrt": "1.45", "avrg_tr_pbmn": "85000000000",
            "tr_pbmn_tnrt": "0.31", "nday_tr_pbmn_tnrt": "1.52", "acml_tr_pbmn": str(10**12 + i),
        }
    )  # fmt: skip
    mocked.get(url(VOLUME_PATH), payload=envelope(output=body))

    ranking = await kis_mocked.domestic_stock.volume_rank(
        sort=VolumeRankSort.TRADING_VALUE, stock_class=StockClass.COMMON, min_price=5000
    )

    (request,) = sent(mocked, VOLUME_PATH)
    assert request.tr_id == "FHPST01710000"
    assert request.params == {
        "FID_COND_MRKT_DIV_CODE": "J",
        "FID_COND_SCR_DIV_CODE": "20171",
        "FID_INPUT_ISCD": "0000",
        "FID_DIV_CLS_CODE": "1",
        "FID_BLNG_CLS_CODE": "3",
        "FID_TRGT_CLS_CODE": "111111111",
        "FID_TRGT_EXLS_CLS_CODE": "0000000000",
        "FID_INPUT_PRICE_1": "5000",
        "FID_INPUT_PRICE_2": "",
        "FID_VOL_CNT": "",
        "FID_INPUT_DATE_1": "",
    }
    assert_ranked(ranking.output)
    assert ranking.output[2].data_rank == 3
    assert ranking.output[0].vol_inrt == Decimal("-125.00")
    assert ranking.output[29].acml_tr_pbmn == 10**12 + 29


@pytest.mark.kis_mocked(env="paper")
async def test_volume_rank_is_not_on_paper(kis_mocked: KisClient, mocked: aioresponses) -> None:
    with pytest.raises(KisUnsupportedError, match="모의투자 미지원"):
        await kis_mocked.domestic_stock.volume_rank()
    assert sent(mocked, VOLUME_PATH) == []


FLUCTUATION_PATH = "/uapi/domestic-stock/v1/ranking/fluctuation"


async def test_fluctuation_rows_carry_times_dates_and_streaks(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    body = [
        {
            **{k: v for k, v in row.items() if k != "mksc_shrn_iscd"},
            "stck_shrn_iscd": row["mksc_shrn_iscd"],
        }
        for row in rows(
            lambda i: {
                "stck_hgpr": str(11000 + 250 * i), "hgpr_hour": "093512" if i else "000000",
                "acml_hgpr_date": "20261124" if i % 5 else "0", "stck_lwpr": str(9800 + 250 * i),
                "lwpr_hour": "141503", "acml_lwpr_date": "20261120", "lwpr_vrss_prpr_rate": "29.98",
                "dsgt_date_clpr_vrss_prpr_rate": f"{-3 + i / 10:.2f}", "cnnt_ascn_dynu": str(i % 4),
                "hgpr_vrss_prpr_rate": "-0.50", "cnnt_down_dynu": "0", "oprc_vrss_prpr_sign": "5",
                "oprc_vrss_prpr": "-120", "oprc_vrss_prpr_rate": "-1.10", "prd_rsfl": "-300",
                "prd_rsfl_rate": "-2.91",
            }
        )
    ]  # fmt: skip
    mocked.get(url(FLUCTUATION_PATH), payload=envelope(output=body))

    ranking = await kis_mocked.domestic_stock.fluctuation(
        market=RankingMarket.KOSDAQ, sort=FluctuationSort.FALL_RATE, min_change_rate=Decimal("-30"), days=5
    )

    (request,) = sent(mocked, FLUCTUATION_PATH)
    assert request.tr_id == "FHPST01700000"
    assert request.params == {
        "fid_rsfl_rate2": "",
        "fid_cond_mrkt_div_code": "J",
        "fid_cond_scr_div_code": "20170",
        "fid_input_iscd": "1001",
        "fid_rank_sort_cls_code": "1",
        "fid_input_cnt_1": "5",
        "fid_prc_cls_code": "0",
        "fid_input_price_1": "",
        "fid_input_price_2": "",
        "fid_vol_cnt": "",
        "fid_trgt_cls_code": "0",
        "fid_trgt_exls_cls_code": "0",
        "fid_div_cls_code": "0",
        "fid_rsfl_rate1": "-30",
    }
    assert_ranked(ranking.output)
    first, second = ranking.output[0], ranking.output[1]
    assert first.hgpr_hour is None and second.hgpr_hour == dt.time(9, 35, 12)
    assert first.acml_hgpr_date is None and second.acml_hgpr_date == dt.date(2026, 11, 24)
    assert second.oprc_vrss_prpr == -120 and second.oprc_vrss_prpr_sign is Sign.FALL
    assert ranking.output[3].cnnt_ascn_dynu == 3
    assert second.stck_shrn_iscd == "001117"


MARKET_CAP_PATH = "/uapi/domestic-stock/v1/ranking/market-cap"


async def test_market_cap_ranking(kis_mocked: KisClient, mocked: aioresponses) -> None:
    body = rows(
        lambda i: {
            "lstn_stcn": str(5969782550 - i * 1000), "stck_avls": str(4232576 - 100000 * i),
            "mrkt_whol_avls_rlim": f"{20.5 - i * 0.5:.2f}",
        }
    )  # fmt: skip
    mocked.get(url(MARKET_CAP_PATH), payload=envelope(output=body))

    ranking = await kis_mocked.domestic_stock.market_cap(market="kospi")

    (request,) = sent(mocked, MARKET_CAP_PATH)
    assert request.tr_id == "FHPST01740000"
    assert request.params["fid_cond_scr_div_code"] == "20174"
    assert request.params["fid_input_iscd"] == "0001"  # member names work too, any case
    assert_ranked(ranking.output)
    assert ranking.output[0].stck_avls == 4232576
    assert ranking.output[1].mrkt_whol_avls_rlim == Decimal("20.00")


SHORT_PATH = "/uapi/domestic-stock/v1/ranking/short-sale"


async def test_short_sale_ranking(kis_mocked: KisClient, mocked: aioresponses) -> None:
    body = rows(
        lambda i: {
            "acml_tr_pbmn": str(2 * 10**10 + i), "ssts_cntg_qty": str(43916 + i), "ssts_vol_rlim": "12.34",
            "ssts_tr_pbmn": str(3 * 10**9), "ssts_tr_pbmn_rlim": "11.90",
            "stnd_date1": "20261120" if i else "0", "stnd_date2": "20261124", "avrg_prc": "70955.52",
        }
    )  # fmt: skip
    for row in body:
        del row["data_rank"]
    mocked.get(url(SHORT_PATH), payload=envelope(output=body))

    ranking = await kis_mocked.domestic_stock.short_sale(
        market=ShortSaleMarket.KOSDAQ150, period="M", lookback=3
    )

    (request,) = sent(mocked, SHORT_PATH)
    assert request.tr_id == "FHPST04820000"
    assert request.params == {
        "FID_APLY_RANG_VOL": "",
        "FID_COND_MRKT_DIV_CODE": "J",
        "FID_COND_SCR_DIV_CODE": "20482",
        "FID_INPUT_ISCD": "3003",
        "FID_PERIOD_DIV_CODE": "M",
        "FID_INPUT_CNT_1": "3",
        "FID_TRGT_EXLS_CLS_CODE": "",
        "FID_TRGT_CLS_CODE": "",
        "FID_APLY_RANG_PRC_1": "",
        "FID_APLY_RANG_PRC_2": "",
    }
    assert_ranked(ranking.output)
    assert ranking.output[0].stnd_date1 is None
    assert ranking.output[1].stnd_date1 == dt.date(2026, 11, 20)
    assert ranking.output[0].avrg_prc == Decimal("70955.52")
    assert ranking.output[0].ssts_vol_rlim == Decimal("12.34")


CREDIT_PATH = "/uapi/domestic-stock/v1/ranking/credit-balance"


async def test_credit_balance_seed_ranking(kis_mocked: KisClient, mocked: aioresponses) -> None:
    body = rows(
        lambda i: {
            "whol_loan_rmnd_stcn": str(1470604 - i), "whol_loan_rmnd_amt": str(3312604 - i),
            "whol_loan_rmnd_rate": "9.68", "whol_stln_rmnd_stcn": "0", "whol_stln_rmnd_amt": "0",
            "whol_stln_rmnd_rate": "0.00", "nday_vrss_loan_rmnd_inrt": f"{1 - i / 10:.2f}",
            "nday_vrss_stln_rmnd_inrt": "0.00",
        }
    )  # fmt: skip
    sector = [{"bstp_cls_code": "1001", "hts_kor_isnm": "종합", "stnd_date1": "20240409", "stnd_date2": "0"}]
    mocked.get(url(CREDIT_PATH), payload=envelope(output1=sector, output2=body))

    ranking = await kis_mocked.domestic_stock.credit_balance(market="0000", period=5, sort="LOAN_RATE")

    (request,) = sent(mocked, CREDIT_PATH)
    assert request.params["FID_COND_SCR_DIV_CODE"] == "11701"
    assert request.params["FID_RANK_SORT_CLS_CODE"] == "0"
    assert_ranked(ranking.output2)
    assert ranking.output1[0].stnd_date2 is None
    assert ranking.output2[29].nday_vrss_loan_rmnd_inrt == Decimal("-1.90")


DISPARITY_PATH = "/uapi/domestic-stock/v1/ranking/disparity"


async def test_a_disparity_scan_without_price_or_volume_bounds_asks_for_every_stock(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    """The page: 입력값 없을때 전체. Leaving a bound out sends it blank; a bound is a number."""
    mocked.get(url(DISPARITY_PATH), payload=envelope(output=[]), repeat=True)

    await kis_mocked.domestic_stock.disparity(
        market_division="J", stock_class="0", sort="0", disparity_days="20", market="0000"
    )
    await kis_mocked.domestic_stock.disparity(
        market_division="J",
        stock_class="0",
        sort="0",
        disparity_days="20",
        market="0000",
        min_price=5000,
        min_volume=100000,
    )

    everything, bounded = (request.params for request in sent(mocked, DISPARITY_PATH))
    assert (everything["fid_input_price_1"], everything["fid_input_price_2"], everything["fid_vol_cnt"]) == (
        "",
        "",
        "",
    )
    assert (bounded["fid_input_price_1"], bounded["fid_input_price_2"], bounded["fid_vol_cnt"]) == (
        "5000",
        "",
        "100000",
    )


async def test_a_price_bound_that_is_not_a_number_is_refused_before_sending(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    with pytest.raises(
        KisValidationError,
        match=r"disparity: min_price \(fid_input_price_1, 입력 가격1\): got '5천', expected an integer",
    ):
        await kis_mocked.domestic_stock.disparity(
            market_division="J",
            stock_class="0",
            sort="0",
            disparity_days="20",
            market="0000",
            min_price="5천",  # type: ignore[arg-type]
        )
    assert sent(mocked, DISPARITY_PATH) == []


async def test_a_blank_bound_from_an_older_bot_still_means_every_price(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.get(url(DISPARITY_PATH), payload=envelope(output=[]))
    await kis_mocked.domestic_stock.disparity(
        market_division="J",
        stock_class="0",
        sort="0",
        disparity_days="20",
        market="0000",
        min_price="",  # type: ignore[arg-type]
    )
    (request,) = sent(mocked, DISPARITY_PATH)
    assert request.params["fid_input_price_1"] == ""
