"""Overseas futures/options prices are raw (KIS leaves their decimal point out): the spec says so
with ``unit: sCalcDesz``, the loader holds every spec to it, and each place a bot reads a field
(field table, docstring, tick class) says it."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from codegen.loader import SpecError, load_specs
from codegen.model import RAW_PRICE_UNIT
from kis_async import _fields
from kis_async._fields import field_map, raw_prices
from kis_async.overseas_futureoption.quotations import OverseasFutureoptionFuturesQuote
from kis_async.realtime import overseas_futureoption as ofo
from kis_async.rows import OverseasFutureoptionPriceBar

QUOTE_SPEC = """\
title: 해외선물종목현재가
method: GET
path: /uapi/overseas-futureoption/v1/quotations/inquire-price
tr_id: {real: HHDFC55010000, paper: unsupported}
response:
  output1:
    shape: object
    row: FuturesQuote
    fields:
      - %s
"""


def write(root: Path, text: str) -> None:
    path = root / "overseas_futureoption/quotations/inquire_price.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")


def test_the_generator_and_the_runtime_agree_on_the_marker() -> None:
    assert RAW_PRICE_UNIT == _fields.RAW_PRICE_UNIT == "sCalcDesz"


def test_a_quote_row_field_table_marks_its_prices_and_nothing_else() -> None:
    table = field_map(OverseasFutureoptionFuturesQuote)
    assert table["last_price"].unit == "sCalcDesz"
    assert table["last_price"].label == "현재가 (sCalcDesz)"  # the frame column says it too
    assert table["prev_diff_rate"].unit == "%"
    assert set(raw_prices(OverseasFutureoptionFuturesQuote)) == {
        "open_price",
        "high_price",
        "low_price",
        "last_price",
        "prev_diff_price",
        "bid_price",
        "ask_price",
        "prev_price",
        "sttl_price",
    }
    assert raw_prices(OverseasFutureoptionPriceBar) == (
        "open_price",
        "high_price",
        "low_price",
        "last_price",
        "prev_diff_price",
    )


def test_the_docstring_of_a_raw_price_says_how_to_place_it() -> None:
    source = inspect.getsource(OverseasFutureoptionFuturesQuote)
    doc = source.split("last_price:", 1)[1].split('"""')[1]
    assert "Raw: KIS sends this price without its decimal point" in doc
    assert "10^sCalcDesz" in doc and "book.price(symbol, value)" in doc
    vol_doc = source.split("    vol:", 1)[1].split('"""')[1]
    assert "Raw" not in vol_doc


def test_the_feeds_list_their_raw_prices() -> None:
    assert set(raw_prices(ofo.OverseasFutureoptionTradeTick)) >= {"last_price", "prev_price", "open_price"}
    assert "last_qntt" not in raw_prices(ofo.OverseasFutureoptionTradeTick)
    orderbook = raw_prices(ofo.OverseasFutureoptionOrderbookTick)
    assert {f"bid_price_{n}" for n in range(1, 6)} | {f"ask_price_{n}" for n in range(1, 6)} <= set(orderbook)
    source = inspect.getsource(ofo.OverseasFutureoptionTradeTick)
    doc = source.split("    last_price = ", 1)[1].split('"""')[1]
    assert "Raw: KIS sends this price without its decimal point" in doc


def test_a_raw_price_must_be_a_decimal(tmp_path: Path) -> None:
    write(tmp_path, QUOTE_SPEC % "{wire: last_price, korean: 현재가, type: int, unit: sCalcDesz}")
    with pytest.raises(
        SpecError, match=r"last_price\)\.unit: sCalcDesz marks a raw price, which is a decimal, not int"
    ):
        load_specs(tmp_path)


def test_a_field_the_page_says_to_scale_cannot_lose_its_marker(tmp_path: Path) -> None:
    field = "{wire: last_price, korean: 현재가, type: decimal, description: 현재가 ※ ffcode.mst의 sCalcDesz(계산 소수점) 값 참고}"
    write(tmp_path, QUOTE_SPEC % field)
    with pytest.raises(SpecError, match=r"last_price\)\.unit: the description says to scale it by sCalcDesz"):
        load_specs(tmp_path)


def test_a_marked_decimal_loads(tmp_path: Path) -> None:
    write(tmp_path, QUOTE_SPEC % "{wire: last_price, korean: 현재가, type: decimal, unit: sCalcDesz}")
    (loaded,) = load_specs(tmp_path).endpoints
    assert loaded.spec.response["output1"].fields[0].is_raw_price
