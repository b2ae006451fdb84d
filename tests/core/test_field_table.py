"""One table of field descriptors per generated row class (``__fields__``, :mod:`kis_async._fields`):
the wire name, kind, enum, 한글명, unit and length the spec gives, read alike by structuring, the
sandbox's data generator, the CLI, the data tools (frames), the MCP tools and drift."""

from __future__ import annotations

import importlib
from decimal import Decimal

import attrs

import kis_async
from kis_async._cli._catalog import fields
from kis_async._fields import RowField, fields_of
from kis_async._models import KisModel, KisResponse
from kis_async._registry import NAMES
from kis_async.sandbox._data import row_fields


def generated_rows() -> list[type[KisModel]]:
    classes = (
        getattr(importlib.import_module(f"kis_async.{module}"), name) for name, module in NAMES.items()
    )
    return [
        cls
        for cls in classes
        if isinstance(cls, type) and issubclass(cls, KisModel) and not issubclass(cls, KisResponse)
    ]


def test_every_generated_row_lists_each_attribute_once_in_its_table() -> None:
    rows = generated_rows()
    assert len(rows) > 300
    for row in rows:
        attributes = [a.name for a in attrs.fields(row) if a.name != "raw"]
        assert [f.name for f in fields_of(row)] == attributes, row.__name__


def test_the_table_carries_what_the_spec_says_of_a_field() -> None:
    table = {f.name: f for f in fields_of(kis_async.CreditBalanceRow)}
    assert table["stck_prpr"] == RowField("stck_prpr", "int", None, "주식 현재가", "원", 10)
    assert table["prdy_vrss_sign"].kind == "enum" and table["prdy_vrss_sign"].enum is kis_async.Sign
    assert table["stck_prpr"].label == "주식 현재가 (원)"


def test_structuring_parses_a_field_as_its_table_says() -> None:
    """The table, not the annotation, decides: a model whose table calls ``qty`` an int gets one."""

    @attrs.frozen(kw_only=True, slots=False)
    class Holding(KisModel):
        __fields__ = (RowField("QTY", "int", None, "수량", "주"), RowField("rate", "decimal"))
        qty: object = None
        rate: object = None

    holding = Holding.from_dict({"qty": "0012", "rate": "1.50"})
    assert holding.qty == 12
    assert holding.rate == Decimal("1.50")


def test_the_cli_and_the_sandbox_read_the_same_table() -> None:
    row = kis_async.CreditBalanceRow
    table = fields_of(row)
    assert [(f.name, f.korean) for f in fields(row)][:2] == [
        ("mksc_shrn_iscd", "유가증권 단축 종목코드"),
        ("hts_kor_isnm", "HTS 한글 종목명"),
    ]
    assert {f.name: f.korean for f in fields(row)}["stck_prpr"] == "주식 현재가 (원)"
    assert [(f.name, f.kind, f.enum) for f in row_fields(row)] == [(f.name, f.kind, f.enum) for f in table]


def test_frames_mcp_and_drift_read_the_same_table() -> None:
    """A frame's columns (types and ``korean=True`` names), the MCP tools' field list and
    ``kis-async drift``'s expected types all come from the row's table, not its annotations."""
    from kis_async._drift import _field_types
    from kis_async._mcp._catalog import output_fields
    from kis_async.frames import columns_of

    row = kis_async.CreditBalanceRow
    table = {f.name: f for f in fields_of(row)}
    columns = {c.name: c for c in columns_of(row)}
    assert list(columns) == list(table)
    assert (columns["stck_prpr"].korean, columns["stck_prpr"].kind) == ("주식 현재가", "int")
    assert columns["prdy_vrss_sign"].enum is kis_async.Sign
    described = {f["name"]: f for f in output_fields(row)}
    assert described["stck_prpr"] == {"name": "stck_prpr", "korean": "주식 현재가 (원)", "type": "int"}
    assert described["prdy_vrss_sign"]["type"] == "Sign"
    expected = _field_types(row)
    assert (expected["stck_prpr"].name, expected["prdy_vrss_sign"].enum) == ("int", kis_async.Sign)


def test_a_table_that_disagrees_with_the_annotation_wins_everywhere() -> None:
    """The spec's word is the table: a hand-built row whose table calls ``qty`` a decimal is a
    decimal column to frames, MCP and drift alike, whatever the annotation says."""
    from kis_async._drift import _field_types
    from kis_async._mcp._catalog import output_fields
    from kis_async.frames import columns_of

    @attrs.frozen(kw_only=True, slots=False)
    class Lot(KisModel):
        __fields__ = (RowField("QTY", "decimal", None, "수량", "주"),)
        qty: int | None = None

    assert [(c.name, c.korean, c.kind) for c in columns_of(Lot)] == [("qty", "수량", "decimal")]
    assert output_fields(Lot) == ({"name": "qty", "korean": "수량 (주)", "type": "Decimal"},)
    assert _field_types(Lot)["qty"].name == "decimal"
