"""A bot abroad reads the price of its execution notice (해외주식 실시간체결통보) as a price.

KIS sends ``CNTG_UNPR`` without its decimal point, at a place that depends on the market
(the feed page: 미국 4 일본 1 중국 3 홍콩 3 베트남 0; AAPL at 148.01 arrives as ``001480100``),
and the record's 해외종목구분 (``ODER_COND``) says which market it is. The tick places the
point; the wire text stays in ``tick.raw``; a market code nobody documented gives ``None`` and a
WARNING, never a number 10,000 times too large.
"""

from __future__ import annotations

import inspect
import logging
import sys
from decimal import Decimal

import pytest

from kis_async import KisDecodeError
from kis_async.realtime.overseas_stock import OverseasStockFillNoticeTick
from tests.paths import ROOT

Notice = OverseasStockFillNoticeTick
PRICE = Notice.cntg_unpr.index


def fill(symbol: str, market: str, price: str, quantity: str = "5") -> OverseasStockFillNoticeTick:
    """A fill notice (체결통보, ``CNTG_YN`` 2) as KIS sends it, decrypted and split."""
    values = dict.fromkeys(Notice.fields(), "")
    values.update(
        cust_id="hts-user",
        acnt_no="1234567801",
        oder_no="0030145286",
        seln_byov_cls="02",
        rctf_cls="0",
        oder_kind2="2",
        stck_shrn_iscd=symbol,
        cntg_qty=quantity,
        cntg_unpr=price,
        cntg_yn="2",
        acpt_yn="2",
        oder_qty=quantity,
        oder_cond=market,
        debt_gb="10",
    )
    return Notice(tuple(values[name] for name in Notice.fields()))


def test_apple_filled_at_148_01_reads_148_01_not_1480100() -> None:
    notice = fill("AAPL", "6", "001480100")  # 6: NASDAQ, 4 implied decimals
    assert notice.cntg_unpr == Decimal("148.01")
    assert notice.raw[PRICE] == "001480100"  # the wire text is kept
    assert notice.to_dict()["cntg_unpr"] == Decimal("148.01")
    assert "cntg_unpr=Decimal('148.01')" in repr(notice)


@pytest.mark.parametrize(
    ("market", "symbol", "wire", "price"),
    [
        ("7", "KO", "000621900", Decimal("62.19")),  # NYSE: 4
        ("8", "SPY", "006012500", Decimal("601.25")),  # AMEX: 4
        ("D", "7203", "000028455", Decimal("2845.5")),  # Tokyo: 1
        ("4", "00700", "000385200", Decimal("385.2")),  # Hong Kong (HKD): 3
        ("A", "600519", "001460880", Decimal("1460.88")),  # Shanghai A: 3
        ("F", "VNM", "000061500", Decimal("61500")),  # Ho Chi Minh: 0
    ],
)
def test_each_market_places_the_point_where_the_page_says(
    market: str, symbol: str, wire: str, price: Decimal
) -> None:
    assert fill(symbol, market, wire).cntg_unpr == price


def test_a_price_written_with_its_point_is_read_as_written() -> None:
    assert fill("AAPL", "6", "148.01").cntg_unpr == Decimal("148.01")


def test_an_order_notice_without_a_price_has_none() -> None:
    assert fill("AAPL", "6", "").cntg_unpr is None
    assert fill("AAPL", "6", "000000000").cntg_unpr == 0  # a market order's 주문단가


def test_a_market_code_with_no_known_decimals_is_none_and_warned_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, "kis_async")
    first = fill("ZZZZ", "Q", "001480100")
    assert first.cntg_unpr is None  # never 1480100, never a guessed 148.01
    assert first.raw[PRICE] == "001480100"
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "OverseasStockFillNoticeTick.cntg_unpr" in warning.getMessage()
    assert "oder_cond is 'Q'" in warning.getMessage()
    assert fill("ZZZZ", "Q", "000000100").cntg_unpr is None
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1  # one per code


def test_a_blank_market_code_is_none_too() -> None:
    assert fill("000001", "", "000012340").cntg_unpr is None  # 심천A: the page lists no code


def test_zero_is_zero_whatever_the_market() -> None:
    assert fill("000001", "", "000000000").cntg_unpr == 0  # no decimals needed to read it


def test_a_malformed_price_names_the_field() -> None:
    with pytest.raises(
        KisDecodeError, match=r"OverseasStockFillNoticeTick.cntg_unpr: cannot read '14x' as decimal"
    ):
        _ = fill("AAPL", "6", "14x").cntg_unpr


def test_the_undocumented_cntg_unpr12_stays_text() -> None:
    values = list(fill("AAPL", "6", "001480100").raw)
    values[Notice.cntg_unpr12.index] = "000148010000"
    assert Notice(tuple(values)).cntg_unpr12 == "000148010000"


def test_a_frame_of_notices_has_the_real_prices() -> None:
    pytest.importorskip("polars")
    from kis_async.frames import Ticks

    frame = Ticks([fill("AAPL", "6", "001480100"), fill("7203", "D", "000028455")]).to_polars()
    assert frame["cntg_unpr"].to_list() == [Decimal("148.01"), Decimal("2845.5")]


def test_the_docstring_and_the_feed_reference_say_how_the_price_is_read() -> None:
    rule = "4 decimals when ``oder_cond`` is 6, 7, 8 or 9; 3 when 4, 5, A, B or C; 1 when D; 0 when E or F"
    source = inspect.getsource(sys.modules[Notice.__module__])
    assert f"KIS leaves the decimal point out; the SDK places it: {rule}" in source
    reference = (ROOT / "docs" / "realtime_feeds.md").read_text("utf-8")
    assert (
        f"| 9 | `cntg_unpr` | 체결단가 | `Decimal`: no point on the wire, the SDK places it ({rule};"
        in reference
    )
