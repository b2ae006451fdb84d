"""A bot reads its account: holdings over several pages, orders by date range (the TR follows the
start date), and how much it can buy. The account comes from KisClient(account=...)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from aioresponses import aioresponses

from kis_async import KisClient, KisValidationError
from kis_async._endpoint import months_before, today_kst
from kis_async.domestic_stock import BalancePriceSession, FillStatusFilter, SellBuyDivision
from kis_async.enums import ExchangeId, OrderType
from tests.endpoints.conftest import envelope, sent, url

BALANCE_PATH = "/uapi/domestic-stock/v1/trading/inquire-balance"


def holding(i: int) -> dict[str, str]:
    return {
        "pdno": f"{5930 + i:06d}", "prdt_name": f"종목{i}", "trad_dvsn_name": "현금",
        "bfdy_buy_qty": "0", "bfdy_sll_qty": "0", "thdt_buyqty": str(i), "thdt_sll_qty": "0",
        "hldg_qty": str(10 + i), "ord_psbl_qty": str(10 + i), "pchs_avg_pric": f"{51000 + i}.0000",
        "pchs_amt": str((51000 + i) * (10 + i)), "prpr": "52000", "evlu_amt": str(52000 * (10 + i)),
        "evlu_pfls_amt": str((999 - i) * (10 + i)) if i % 2 else str(-1000 * (i + 1)),
        "evlu_pfls_rt": "1.96" if i % 2 else "-0.25", "evlu_erng_rt": "8.50956697", "loan_dt": "",
        "loan_amt": "0", "stln_slng_chgs": "0", "expd_dt": "0", "fltt_rt": "-1.53",
        "bfdy_cprs_icdc": "-800", "item_mgna_rt_name": "20%", "grta_rt_name": "", "sbst_pric": "41600",
        "stck_loan_unpr": "0.0000",
    }  # fmt: skip


def summary(cash: int) -> list[dict[str, str]]:
    fields = {
        "dnca_tot_amt": str(cash), "nxdy_excc_amt": str(cash - 1000), "prvs_rcdl_excc_amt": str(cash - 2000),
        "cma_evlu_amt": "0", "bfdy_buy_amt": "0", "thdt_buy_amt": "1020000", "nxdy_auto_rdpt_amt": "0",
        "bfdy_sll_amt": "0", "thdt_sll_amt": "0", "d2_auto_rdpt_amt": "0", "bfdy_tlex_amt": "0",
        "thdt_tlex_amt": "150", "tot_loan_amt": "0", "scts_evlu_amt": "5720000", "tot_evlu_amt": "15720000",
        "nass_amt": "15720000", "fncg_gld_auto_rdpt_yn": "", "pchs_amt_smtl_amt": "5610000",
        "evlu_amt_smtl_amt": "5720000", "evlu_pfls_smtl_amt": "110000", "tot_stln_slng_chgs": "0",
        "bfdy_tot_asst_evlu_amt": "15600000", "asst_icdc_amt": "-120000", "asst_icdc_erng_rt": "0.00000000",
    }  # fmt: skip
    return [fields]  # KIS sends the one-object summary as an array


def keys(page: int, width: int = 100) -> dict[str, str]:
    """Continuation keys as KIS writes them: right-padded with spaces to their full length."""
    return {
        "ctx_area_fk100": f"12345678^01^N^N^01^01^N^{page}".ljust(width),
        "ctx_area_nk100": f"{5930 + 2 * page:06d}!^{page}".ljust(width),
    }


def mock_balance_pages(mocked: aioresponses) -> None:
    """Three pages of two holdings: tr_cont F, then M, then D (last)."""
    for page, tr_cont in enumerate(("F", "M", "D")):
        body = envelope(
            msg_cd="KIOK0510" if page < 2 else "KIOK0460",
            msg1="조회가 계속됩니다..다음버튼을 Click 하십시오.   "
            if page < 2
            else "조회가 완료되었습니다.   ",
            output1=[holding(2 * page), holding(2 * page + 1)],
            output2=summary(10_000_000 + page),
            **keys(page),
        )
        mocked.get(url(BALANCE_PATH), payload=body, headers={"tr_cont": tr_cont})


async def test_balance_pages_pass_the_continuation_back(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mock_balance_pages(mocked)

    pages = [page async for page in kis_mocked.domestic_stock.inquire_balance()]

    assert [page.tr_cont for page in pages] == ["F", "M", "D"]
    assert [page.has_next for page in pages] == [True, True, False]
    first, second, third = sent(mocked, BALANCE_PATH)
    assert first.headers["tr_cont"] == ""
    assert first.params["CTX_AREA_FK100"] == first.params["CTX_AREA_NK100"] == ""
    for request, previous in ((second, 0), (third, 1)):
        assert request.headers["tr_cont"] == "N"
        # sent back exactly as received, padding included
        assert request.params["CTX_AREA_FK100"] == keys(previous)["ctx_area_fk100"]
        assert request.params["CTX_AREA_NK100"] == keys(previous)["ctx_area_nk100"]
        assert len(request.params["CTX_AREA_NK100"]) == 100
    assert first.params == {
        "CANO": "12345678",
        "ACNT_PRDT_CD": "01",
        "AFHR_FLPR_YN": "N",
        "OFL_YN": "",
        "INQR_DVSN": "01",
        "UNPR_DVSN": "01",
        "FUND_STTL_ICLD_YN": "N",
        "FNCG_AMT_AUTO_RDPT_YN": "N",
        "PRCS_DVSN": "00",
        "CTX_AREA_FK100": "",
        "CTX_AREA_NK100": "",
    }
    assert all(request.tr_id == "TTTC8434R" for request in (first, second, third))


async def test_balance_all_collects_every_holding(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mock_balance_pages(mocked)

    balance = await kis_mocked.domestic_stock.inquire_balance().all()

    assert [h.pdno for h in balance.output1] == [f"{5930 + i:06d}" for i in range(6)]
    assert balance.output1[0].pchs_avg_pric == Decimal("51000.0000")
    assert balance.output1[0].evlu_pfls_amt == -1000
    assert balance.output1[0].evlu_erng_rt == Decimal("8.50956697")
    assert balance.output1[0].loan_dt is None and balance.output1[0].expd_dt is None
    assert balance.output1[0].item_mgna_rt_name == "20%"
    # the summary is one object, from the last page
    assert balance.output2 is not None
    assert balance.output2.dnca_tot_amt == 10_000_002
    assert balance.output2.asst_icdc_amt == -120000
    assert balance.msg1 == "조회가 완료되었습니다."


async def test_balance_all_stops_at_max_pages(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mock_balance_pages(mocked)

    balance = await kis_mocked.domestic_stock.inquire_balance().all(max_pages=2)

    assert len(balance.output1) == 4
    assert balance.has_next  # there was more; the caller asked for two pages
    assert len(sent(mocked, BALANCE_PATH)) == 2


async def test_balance_first_page_by_await(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mock_balance_pages(mocked)

    balance = await kis_mocked.domestic_stock.inquire_balance(
        price_session=BalancePriceSession.NXT, include_fund_settlement=True
    )

    assert len(balance.output1) == 2 and balance.has_next
    (request,) = sent(mocked, BALANCE_PATH)
    assert request.params["AFHR_FLPR_YN"] == "X"
    assert request.params["FUND_STTL_ICLD_YN"] == "Y"


@pytest.mark.kis_mocked(env="paper")
async def test_balance_on_paper_uses_the_paper_tr(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.get(
        url(BALANCE_PATH),
        payload=envelope(output1=[holding(0)], output2=summary(1)),
        headers={"tr_cont": "D"},
    )

    await kis_mocked.domestic_stock.inquire_balance()

    (request,) = sent(mocked, BALANCE_PATH)
    assert request.tr_id == "VTTC8434R"


async def test_an_explicit_account_wins_over_the_clients(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.get(url(BALANCE_PATH), payload=envelope(output1=[], output2=summary(1)))

    await kis_mocked.domestic_stock.inquire_balance(account="87654321", account_product="22")

    (request,) = sent(mocked, BALANCE_PATH)
    assert (request.params["CANO"], request.params["ACNT_PRDT_CD"]) == ("87654321", "22")


async def test_without_an_account_the_call_says_how_to_give_one(mocked: aioresponses) -> None:
    async with KisClient(
        "app-key-0001", "app-secret", base_url="https://kis.test", token_cache=None, rate_limit=None
    ) as kis:
        with pytest.raises(KisValidationError, match=r"account \(CANO.*KisClient\(account=\.\.\.\)"):
            await kis.domestic_stock.inquire_balance()


async def test_account_comes_from_kis_account(mocked: aioresponses, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIS_APP_KEY", "app-key-0001")
    monkeypatch.setenv("KIS_APP_SECRET", "app-secret")
    monkeypatch.setenv("KIS_ACCOUNT", "50001234-22")
    mocked.get(url(BALANCE_PATH), payload=envelope(output1=[], output2=summary(1)))

    async with KisClient.from_env(base_url="https://kis.test", token_cache=None, rate_limit=None) as kis:
        await kis.domestic_stock.inquire_balance()

    (request,) = sent(mocked, BALANCE_PATH)
    assert (request.params["CANO"], request.params["ACNT_PRDT_CD"]) == ("50001234", "22")


CCLD_PATH = "/uapi/domestic-stock/v1/trading/inquire-daily-ccld"


def ccld_row(i: int) -> dict[str, str]:
    return {
        "ord_dt": "20261124", "ord_gno_brno": "06010", "odno": f"{83791 + i:010d}", "orgn_odno": "",
        "ord_dvsn_name": "지정가", "sll_buy_dvsn_cd": "02" if i % 2 else "01",
        "sll_buy_dvsn_cd_name": "현금매수" if i % 2 else "현금매도", "pdno": "005930", "prdt_name": "삼성전자",
        "ord_qty": "10", "ord_unpr": "70000", "ord_tmd": "090512", "tot_ccld_qty": str(10 * (i % 2)),
        "avg_prvs": "69950.5" if i % 2 else "0", "cncl_yn": "", "tot_ccld_amt": str(699505 * (i % 2)),
        "loan_dt": "", "ordr_empno": "OpnAPI", "ord_dvsn_cd": "00", "cnc_cfrm_qty": "0",
        "rmn_qty": str(10 * ((i + 1) % 2)), "rjct_qty": "0", "ccld_cndt_name": "없음", "inqr_ip_addr": "",
        "cpbc_ordp_ord_rcit_dvsn_cd": "", "cpbc_ordp_infm_mthd_dvsn_cd": "", "infm_tmd": "000000",
        "ctac_tlno": "", "prdt_type_cd": "300", "excg_dvsn_cd": "02", "cpbc_ordp_mtrl_dvsn_cd": "",
        "ord_orgno": "", "rsvn_ord_end_dt": "", "excg_id_dvsn_Cd": "KRX", "stpm_cndt_pric": "0",
        "stpm_efct_occr_dtmd": "",
    }  # fmt: skip


CCLD_TOTAL = {"tot_ord_qty": "40", "tot_ccld_qty": "20", "tot_ccld_amt": "1399010",
              "prsm_tlex_smtl": "210", "pchs_avg_pric": "69950.5000"}  # fmt: skip


@pytest.mark.parametrize(
    ("env", "months_back", "expected"),
    [
        ("real", 0, "TTTC0081R"),
        ("real", 2, "TTTC0081R"),
        ("real", 4, "CTSC9215R"),
        ("paper", 1, "VTTC0081R"),
        ("paper", 6, "VTSC9215R"),
    ],
)
async def test_daily_orders_tr_follows_the_start_date(
    mocked: aioresponses, env: str, months_back: int, expected: str, make_client: Callable[..., KisClient]
) -> None:
    mocked.get(url(CCLD_PATH), payload=envelope(output1=[ccld_row(0)], output2=CCLD_TOTAL))
    start = months_before(today_kst(), months_back)

    async with make_client(env=env) as kis:
        await kis.domestic_stock.inquire_daily_ccld(start_date=start, end_date=today_kst())

    (request,) = sent(mocked, CCLD_PATH)
    assert request.tr_id == expected


def test_the_three_month_boundary_is_inclusive() -> None:
    from kis_async.domestic_stock.trading import INQUIRE_DAILY_CCLD

    today = dt.date(2026, 5, 31)  # three months earlier is 2026-02-28 (February has no 31st)
    assert INQUIRE_DAILY_CCLD.select_tr("real", {"start_date": "20260228"}, today=today) == "TTTC0081R"
    assert INQUIRE_DAILY_CCLD.select_tr("real", {"start_date": "20260227"}, today=today) == "CTSC9215R"


async def test_daily_orders_send_readable_filters(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.get(url(CCLD_PATH), payload=envelope(output1=[ccld_row(i) for i in range(4)], output2=CCLD_TOTAL))

    orders = await kis_mocked.domestic_stock.inquire_daily_ccld(
        start_date=dt.date(2026, 11, 1),
        end_date=dt.date(2026, 11, 24),
        side="buy",
        fill_status=FillStatusFilter.UNFILLED,
        symbol="005930",
    )

    (request,) = sent(mocked, CCLD_PATH)
    assert request.params == {
        "CANO": "12345678",
        "ACNT_PRDT_CD": "01",
        "INQR_STRT_DT": "20261101",
        "INQR_END_DT": "20261124",
        "SLL_BUY_DVSN_CD": "02",
        "PDNO": "005930",
        "ORD_GNO_BRNO": "",
        "ODNO": "",
        "CCLD_DVSN": "02",
        "INQR_DVSN": "00",
        "INQR_DVSN_1": "",
        "INQR_DVSN_3": "00",
        "EXCG_ID_DVSN_CD": "KRX",
        "CTX_AREA_FK100": "",
        "CTX_AREA_NK100": "",
    }
    first, second = orders.output1[0], orders.output1[1]
    assert first.odno == "0000083791"  # order numbers stay text, zero padding kept
    assert first.sll_buy_dvsn_cd is SellBuyDivision.SELL and second.sll_buy_dvsn_cd is SellBuyDivision.BUY
    assert first.ord_tmd == dt.time(9, 5, 12) and first.infm_tmd is None
    assert first.ord_dvsn_cd is OrderType.LIMIT
    assert first.excg_id_dvsn_cd is ExchangeId.KRX  # KIS spells the key excg_id_dvsn_Cd
    assert second.avg_prvs == Decimal("69950.5")
    assert orders.output2 is not None
    assert orders.output2.tot_ccld_amt == 1399010
    assert orders.output2.pchs_avg_pric == Decimal("69950.5000")


async def test_daily_orders_page_with_the_chosen_tr(kis_mocked: KisClient, mocked: aioresponses) -> None:
    for page, tr_cont in enumerate(("M", "M", "E")):
        body: dict[str, Any] = envelope(
            output1=[ccld_row(3 * page + i) for i in range(3)], output2=CCLD_TOTAL, **keys(page)
        )
        mocked.get(url(CCLD_PATH), payload=body, headers={"tr_cont": tr_cont})

    orders = await kis_mocked.domestic_stock.inquire_daily_ccld(
        start_date="20200102", end_date="20200131"
    ).all()

    assert len(orders.output1) == 9
    requests = sent(mocked, CCLD_PATH)
    assert [r.tr_id for r in requests] == ["CTSC9215R"] * 3
    assert [r.headers["tr_cont"] for r in requests] == ["", "N", "N"]
    assert requests[2].params["CTX_AREA_NK100"] == keys(1)["ctx_area_nk100"]


PSBL_PATH = "/uapi/domestic-stock/v1/trading/inquire-psbl-order"


async def test_buying_power_for_a_market_order(kis_mocked: KisClient, mocked: aioresponses) -> None:
    output = {
        "ord_psbl_cash": "10000000", "ord_psbl_sbst": "0", "ruse_psbl_amt": "0", "fund_rpch_chgs": "0",
        "psbl_qty_calc_unpr": "93600", "nrcvb_buy_amt": "9985040", "nrcvb_buy_qty": "106",
        "max_buy_amt": "24962600", "max_buy_qty": "266", "cma_evlu_amt": "0", "ovrs_re_use_amt_wcrc": "0",
        "ord_psbl_frcr_amt_wcrc": "0",
    }  # fmt: skip
    mocked.get(url(PSBL_PATH), payload=envelope(output=output))

    power = await kis_mocked.domestic_stock.inquire_psbl_order(symbol="005930", include_cma=True)

    (request,) = sent(mocked, PSBL_PATH)
    assert request.tr_id == "TTTC8908R"
    assert request.params == {
        "CANO": "12345678",
        "ACNT_PRDT_CD": "01",
        "PDNO": "005930",
        "ORD_UNPR": "",
        "ORD_DVSN": "01",  # 시장가 by default, so the margin rate is reflected
        "CMA_EVLU_AMT_ICLD_YN": "Y",
        "OVRS_ICLD_YN": "N",
    }
    assert power.output is not None
    assert power.output.nrcvb_buy_qty == 106 and power.output.max_buy_amt == 24962600


async def test_buying_power_rejects_a_non_boolean_flag(kis_mocked: KisClient, mocked: aioresponses) -> None:
    with pytest.raises(KisValidationError, match=r"include_cma .*got 'yes', expected True/False"):
        await kis_mocked.domestic_stock.inquire_psbl_order(include_cma="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (dt.date(2026, 11, 25), 3, dt.date(2026, 8, 25)),
        (dt.date(2026, 2, 10), 3, dt.date(2025, 11, 10)),  # across the new year
        (dt.date(2024, 5, 31), 3, dt.date(2024, 2, 29)),  # clamped to a leap February
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
    ],
)
def test_months_before_counts_calendar_months(today: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(today, months) == expected


async def test_the_old_paged_spellings_still_work_and_warn(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    """``.pages(...)``/``.all(...)`` on the method (before paging was a value) keep working for a
    release, each read warning with the new spelling."""
    mock_balance_pages(mocked)

    with pytest.warns(DeprecationWarning, match=r"inquire_balance\(\.\.\.\)\.all\(max_pages\)"):
        balance = await kis_mocked.domestic_stock.inquire_balance.all(max_pages=2)

    assert len(balance.output1) == 4
    mock_balance_pages(mocked)
    with pytest.warns(DeprecationWarning, match=r"inquire_balance\(\.\.\.\)\.pages\(max_pages\)"):
        pages = [page async for page in kis_mocked.domestic_stock.inquire_balance.pages(max_pages=1)]
    assert [len(page.output1) for page in pages] == [2]


async def test_a_paged_first_page_can_run_as_a_task(kis_mocked: KisClient, mocked: aioresponses) -> None:
    """``asyncio.create_task`` takes coroutines only: ``.first()`` is the first page as one."""
    import asyncio

    mock_balance_pages(mocked)
    call = kis_mocked.domestic_stock.inquire_balance()
    assert "first()" in repr(call)

    first = await asyncio.create_task(call.first())

    assert [h.pdno for h in first.output1] == ["005930", "005931"]
    assert first.has_next
