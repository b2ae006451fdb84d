"""Outside domestic quotes too, the sandbox's numbers agree: an overseas quote's price, previous
close, difference, rate and sign; a holding's cost, value and profit; a balance's sums. And a
``*_name`` field names the instrument only when it is the instrument's name."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kis_async import KisClient
from kis_async.enums import Sign
from kis_async.sandbox._market import UNIVERSE

SYMBOLS = ("AAPL", "TSLA", "NVDA", "MSFT", "AMZN", "QQQ")


@pytest.mark.parametrize("symbol", SYMBOLS)
async def test_an_overseas_quote_adds_up(kis_sandbox: KisClient, symbol: str) -> None:
    quote = (await kis_sandbox.overseas_price.price(exchange="NAS", symbol=symbol)).output
    assert quote is not None and quote.last and quote.base and quote.diff is not None
    assert quote.rsym == f"DNAS{symbol}"
    assert quote.zdiv is not None and 0 <= quote.zdiv <= 8
    change = quote.last - quote.base
    assert quote.diff == abs(change)  # unsigned; the direction is in sign
    assert quote.rate == (change * 100 / quote.base).quantize(Decimal("0.01"))
    expected = Sign.RISE if change > 0 else Sign.FALL if change < 0 else Sign.FLAT
    assert quote.sign is expected


async def test_overseas_endpoints_tell_the_same_story(kis_sandbox: KisClient) -> None:
    quote = (await kis_sandbox.overseas_price.price(exchange="NAS", symbol="AAPL")).output
    detail = (await kis_sandbox.overseas_price.price_detail(exchange="NAS", symbol="AAPL")).output
    assert quote is not None and detail is not None
    assert (detail.last, detail.base, detail.rsym) == (quote.last, quote.base, quote.rsym)
    assert detail.low is not None and detail.high is not None and detail.last is not None
    assert detail.low <= detail.last <= detail.high


async def test_every_holding_values_its_quantity_at_the_current_price(kis_sandbox: KisClient) -> None:
    holdings = (await kis_sandbox.domestic_stock.inquire_balance()).output1
    assert holdings
    for h in holdings:
        assert h.hldg_qty is not None and h.pchs_avg_pric is not None and h.prpr is not None
        assert h.pchs_amt == int(h.hldg_qty * h.pchs_avg_pric)
        assert h.evlu_amt == h.hldg_qty * h.prpr
        assert h.evlu_pfls_amt == h.evlu_amt - h.pchs_amt
        assert h.evlu_pfls_rt == (Decimal(h.evlu_pfls_amt) * 100 / h.pchs_amt).quantize(Decimal("0.01"))
        assert h.ord_psbl_qty is not None and h.ord_psbl_qty <= h.hldg_qty


async def test_a_holding_below_its_cost_shows_a_loss(kis_sandbox: KisClient) -> None:
    holdings = (await kis_sandbox.domestic_stock.inquire_balance()).output1
    below = [h for h in holdings if h.prpr is not None and h.pchs_avg_pric and h.prpr < h.pchs_avg_pric]
    assert below  # the seeded portfolio has losers as well as winners
    for h in below:
        assert h.evlu_pfls_amt is not None and h.evlu_pfls_amt < 0
        assert h.evlu_pfls_rt is not None and h.evlu_pfls_rt < 0


async def test_the_balance_summary_adds_up_its_holdings(kis_sandbox: KisClient) -> None:
    pages = [page async for page in kis_sandbox.domestic_stock.inquire_balance().pages()]
    assert len(pages) > 1  # the summary covers every page, not the first
    holdings = [h for page in pages for h in page.output1]
    summary = pages[-1].output2
    assert summary is not None
    assert summary.pchs_amt_smtl_amt == sum(h.pchs_amt or 0 for h in holdings)
    assert summary.evlu_amt_smtl_amt == sum(h.evlu_amt or 0 for h in holdings) == summary.scts_evlu_amt
    assert summary.evlu_pfls_smtl_amt == sum(h.evlu_pfls_amt or 0 for h in holdings)
    assert summary.tot_evlu_amt == (summary.scts_evlu_amt or 0) + (summary.prvs_rcdl_excc_amt or 0)


async def test_names_that_are_not_the_stocks_name_are_labels(kis_sandbox: KisClient) -> None:
    names = {stock.name for stock in UNIVERSE}
    for h in (await kis_sandbox.domestic_stock.inquire_balance()).output1:
        assert h.prdt_name in names
        for label in (h.trad_dvsn_name, h.item_mgna_rt_name, h.grta_rt_name):
            assert label and label not in names
