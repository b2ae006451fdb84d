"""A bot holds US stocks: a delayed quote whose numbers carry signs, spaces and many decimals, an
overseas balance paged with 200-character continuation keys, and order handles abroad."""

from __future__ import annotations

from decimal import Decimal

import pytest
from aioresponses import aioresponses

from kis_async import KisClient, KisValidationError
from kis_async.enums import Sign
from kis_async.overseas_price import OverseasQuoteExchange
from kis_async.overseas_stock import Currency, OverseasStockExchange
from tests.endpoints.conftest import envelope, sent, url

PRICE_PATH = "/uapi/overseas-price/v1/quotations/price"
BALANCE_PATH = "/uapi/overseas-stock/v1/trading/inquire-balance"


async def test_overseas_quote_is_decimal(kis_mocked: KisClient, mocked: aioresponses) -> None:
    output = {
        "rsym": "DNASAAPL", "zdiv": "4", "base": "189.9800", "pvol": "52164532", "last": "192.7150",
        "sign": "2", "diff": "2.7350", "rate": "+1.44", "tvol": "31562877", "tamt": "6052416895.123456",
        "ordy": "매수가능",
    }  # fmt: skip
    mocked.get(url(PRICE_PATH), payload=envelope(output=output))

    quote = await kis_mocked.overseas_price.price(exchange=OverseasQuoteExchange.NASDAQ, symbol="AAPL")

    (request,) = sent(mocked, PRICE_PATH)
    assert request.tr_id == "HHDFS00000300"
    assert request.params == {"AUTH": "", "EXCD": "NAS", "SYMB": "AAPL"}
    assert quote.output is not None
    assert quote.output.last == Decimal("192.7150")
    assert quote.output.rate == Decimal("1.44")
    assert quote.output.diff == Decimal("2.7350") and quote.output.sign is Sign.RISE
    assert quote.output.tamt == Decimal("6052416895.123456")
    assert quote.output.zdiv == 4


async def test_overseas_quote_before_the_open(kis_mocked: KisClient, mocked: aioresponses) -> None:
    output = {
        "rsym": "DNASAAPL", "zdiv": "4", "base": "189.9800", "pvol": "52164532", "last": "",
        "sign": "0", "diff": " 0.00", "rate": " 0.00", "tvol": "0", "tamt": "0", "ordy": "",
    }  # fmt: skip
    mocked.get(url(PRICE_PATH), payload=envelope(output=output))

    quote = await kis_mocked.overseas_price.price(exchange="NAS", symbol="AAPL")

    assert quote.output is not None
    assert quote.output.last is None
    assert quote.output.rate == Decimal("0.00")
    assert quote.output.sign is not None and not quote.output.sign.known  # "0" is kept, not an error
    assert quote.output.sign == "0"


def holding(i: int) -> dict[str, str]:
    return {
        "cano": "12345678", "acnt_prdt_cd": "01", "prdt_type_cd": "512", "ovrs_pdno": ["AAPL", "TSLA", "NVDA"][i % 3],
        "ovrs_item_name": ["애플", "테슬라", "엔비디아"][i % 3], "frcr_evlu_pfls_amt": f"{-12.5 + 10 * i:.6f}",
        "evlu_pfls_rt": f"{-1.25 + i:.2f}", "pchs_avg_pric": "186.12345678", "ovrs_cblc_qty": str(5 + i),
        "ord_psbl_qty": str(5 + i), "frcr_pchs_amt1": "930.61728", "ovrs_stck_evlu_amt": "963.5750",
        "now_pric2": "192.715000", "tr_crcy_cd": "USD", "ovrs_excg_cd": "NASD", "loan_type_cd": "00",
        "loan_dt": "", "expd_dt": "",
    }  # fmt: skip


SUMMARY = {
    "frcr_pchs_amt1": "2791.85", "ovrs_rlzt_pfls_amt": "0.00000", "ovrs_tot_pfls": "98.87",
    "rlzt_erng_rt": "0.00000000", "tot_evlu_pfls_amt": "98.870000", "tot_pftrt": "3.54128000",
    "frcr_buy_amt_smtl1": "0.000000", "ovrs_rlzt_pfls_amt2": "0.00000", "frcr_buy_amt_smtl2": "0.000000",
}  # fmt: skip


def keys(page: int) -> dict[str, str]:
    return {
        "ctx_area_fk200": f"12345678^01^NASD^USD^{page}".ljust(200),
        "ctx_area_nk200": f"AAPL^{page}".ljust(200),
    }


async def test_overseas_balance_pages_with_200_character_keys(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    for page, tr_cont in enumerate(("F", "M", "D")):
        body = envelope(output1=[holding(2 * page), holding(2 * page + 1)], output2=SUMMARY, **keys(page))
        mocked.get(url(BALANCE_PATH), payload=body, headers={"tr_cont": tr_cont})

    balance = await kis_mocked.overseas_stock.inquire_balance(
        exchange=OverseasStockExchange.US, currency=Currency.USD
    ).all()

    requests = sent(mocked, BALANCE_PATH)
    assert [r.tr_id for r in requests] == ["TTTS3012R"] * 3
    assert [r.headers["tr_cont"] for r in requests] == ["", "N", "N"]
    assert requests[0].params == {
        "CANO": "12345678",
        "ACNT_PRDT_CD": "01",
        "OVRS_EXCG_CD": "NASD",
        "TR_CRCY_CD": "USD",
        "CTX_AREA_FK200": "",
        "CTX_AREA_NK200": "",
    }
    assert requests[1].params["CTX_AREA_FK200"] == keys(0)["ctx_area_fk200"]
    assert requests[2].params["CTX_AREA_NK200"] == keys(1)["ctx_area_nk200"]
    assert len(requests[2].params["CTX_AREA_NK200"]) == 200
    assert len(balance.output1) == 6
    first = balance.output1[0]
    assert first.pchs_avg_pric == Decimal("186.12345678")
    assert first.frcr_evlu_pfls_amt == Decimal("-12.500000")
    assert first.tr_crcy_cd is Currency.USD and first.ovrs_excg_cd is OverseasStockExchange.US
    assert first.loan_dt is None
    assert balance.output2 is not None
    assert balance.output2.tot_pftrt == Decimal("3.54128000")


@pytest.mark.kis_mocked(env="paper")
async def test_overseas_balance_on_paper(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.get(url(BALANCE_PATH), payload=envelope(output1=[], output2=SUMMARY), headers={"tr_cont": "D"})

    balance = await kis_mocked.overseas_stock.inquire_balance(exchange="NASD", currency="USD")

    (request,) = sent(mocked, BALANCE_PATH)
    assert request.tr_id == "VTTS3012R"
    assert balance.output1 == [] and not balance.has_next


ORDER_PATH = "/uapi/overseas-stock/v1/trading/order"
CCNL_PATH = "/uapi/overseas-stock/v1/trading/inquire-ccnl"


async def test_an_overseas_order_the_exchange_rejects_after_kis_took_it_reads_rejected(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.post(url(ORDER_PATH), payload=envelope(output={"ODNO": "0030012345", "ORD_TMD": "003000"}))
    row = {
        "ord_dt": "20261207", "odno": "30012345", "orgn_odno": "", "pdno": "AAPL", "sll_buy_dvsn_cd": "02",
        "ft_ord_qty": "5", "ft_ord_unpr3": "187.5000", "ft_ccld_qty": "0", "ft_ccld_unpr3": "0",
        "nccs_qty": "0", "prcs_stat_name": "거부", "rjct_rson": "APBK1234", "rjct_rson_name": "가격제한폭 초과",
        "ovrs_excg_cd": "NASD", "rvse_cncl_dvsn": "",
    }  # fmt: skip
    mocked.get(url(CCNL_PATH), payload=envelope(output=[row]), repeat=True)

    order = await kis_mocked.orders.buy("AAPL", 5, Decimal("187.50"), exchange="NASD")
    await order.refresh()  # the paper server's unpadded number is the same order

    assert (order.status, order.done, order.open_quantity) == ("rejected", True, 0)
    assert order.row is not None and order.row.rjct_rson_name == "가격제한폭 초과"  # type: ignore[union-attr]
    (placed,) = sent(mocked, ORDER_PATH)
    assert (placed.tr_id, placed.body["OVRS_ORD_UNPR"], placed.body.get("SLL_TYPE", "")) == (
        "TTTT1002U",
        "187.50",
        "",
    )
    (asked,) = sent(mocked, CCNL_PATH)
    assert (asked.params["OVRS_EXCG_CD"], asked.params["SLL_BUY_DVSN"], asked.params["CCLD_NCCS_DVSN"]) == (
        "NASD",
        "00",
        "00",
    )
    assert asked.params["ORD_STRT_DT"] == order.day.strftime("%Y%m%d")  # New York's date, not Seoul's
    with pytest.raises(KisValidationError, match="nothing is open to cancel"):
        await order.cancel()
    assert (
        len(sent(mocked, ORDER_PATH)) == 1
        and sent(mocked, "/uapi/overseas-stock/v1/trading/order-rvsecncl") == []
    )


async def test_an_overseas_sell_sends_its_sale_type(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.post(url(ORDER_PATH), payload=envelope(output={"ODNO": "0030012346", "ORD_TMD": "003000"}))
    order = await kis_mocked.orders.sell("7203", 100, Decimal("2500"), exchange="TKSE")
    (placed,) = sent(mocked, ORDER_PATH)
    assert (placed.tr_id, placed.body["SLL_TYPE"], placed.body["OVRS_EXCG_CD"]) == ("TTTS0307U", "00", "TKSE")
    assert (order.currency, order.price, order.side) == ("JPY", Decimal("2500"), "sell")
