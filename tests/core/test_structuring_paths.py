"""The fast ways of structuring (a whole list of rows a column at a time, the fields of one type
of a row converted together, the in-line parses) give exactly what each field's own parser gives.

The reference is the plainest possible structuring: every documented attribute is its parser
applied to ``body.get(name)`` (keys lower-cased first), and a value any parser refuses makes the
whole structuring fail. Bodies mix what live servers send with what they should not: blanks,
signs and padding, JSON numbers, booleans, ``NaN``, ``00000000``, ISO week dates, non-ASCII digits,
missing and UPPER-CASE keys, rows that are not objects.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kis_async import KisDecodeError, KisModel
from kis_async._convert import parse_date, parse_decimal, parse_int, parse_str
from kis_async._models import _field_parser, _scalar_parser, structure
from kis_async.domestic_stock.quotations import InquirePriceResponse, StockQuote
from kis_async.domestic_stock.ranking import CreditBalanceResponse, CreditBalanceRow, CreditBalanceSector

ODD_TEXT = [
    "",
    " ",
    "   ",
    "0",
    "-0",
    "+5",
    " 7 ",
    "-160",
    "12.30",
    "-0.23",
    "1,000",
    "1_000",
    "1e3",
    "NaN",
    "-Infinity",
    "sNaN",
    "00000000",
    "0",
    "20240105",
    "20241305",
    "2024-01-05",
    "2024W011",
    "٢٠٢٤٠١٠٥",
    "²",
    "2",
    "5",
    "8",
    "Y",
    "삼성전자",
    "005930",
    "\u3000",
]
ODD_VALUES = [12, -3, 12.5, 0.0, True, None, [], {}]

value = st.one_of(st.sampled_from(ODD_TEXT), st.sampled_from(ODD_VALUES), st.text(max_size=6))


def field_names(cls: type[KisModel]) -> list[str]:
    return [a.name for a in attrs.fields(cls) if a.name != "raw"]


def row_body(cls: type[KisModel]) -> st.SearchStrategy[Any]:
    """An object with some of ``cls``'s keys (upper-case now and then) and an undocumented one."""
    names = field_names(cls)
    present = st.lists(st.sampled_from(names), unique=True, min_size=len(names) - 2, max_size=len(names))

    def build(keys: list[str], values: list[Any], upper: bool) -> dict[str, Any]:
        body = {(k.upper() if upper else k): v for k, v in zip(keys, values, strict=False)}
        return {**body, "added_by_kis_tomorrow": "1"}

    return present.flatmap(
        lambda keys: st.builds(
            build, st.just(keys), st.lists(value, min_size=len(keys), max_size=len(keys)), st.booleans()
        )
    )


#: Values of each type as live servers send them, and the odd ones a fast path could get wrong.
WIRE_FORMS = {
    parse_str: ["005930", "삼성전자", "Y", "", " ", "\u3000", "0"],
    parse_int: ["71000", "-160", "+5", " 7 ", "0", "", "12.30", "1,000", "1_000", "٢"],
    parse_decimal: ["-0.23", "12.30", "+1.44", " 0.00", "51000.0000", "", "NaN", "-Infinity", "1e3"],
    parse_date: [
        "20240105",
        "20231231",
        "2024-01-05",
        "00000000",
        "0",
        "",
        "20241305",
        "2024W011",
        "٢٠٢٤٠١٠٥",
    ],
}


def wire_form_row(cls: type[KisModel]) -> st.SearchStrategy[dict[str, Any]]:
    """An object as live servers send it: every key, its type's forms (well-formed mostly)."""
    pools = []
    for attribute in attrs.fields(cls):
        if attribute.name == "raw":
            continue
        forms = WIRE_FORMS.get(_scalar_parser(attribute.type), ODD_TEXT)  # type: ignore[arg-type]
        pools.append(st.one_of(st.just(forms[0]), st.just(forms[1]), st.sampled_from(forms)))
    return st.tuples(*pools).map(lambda values: dict(zip(field_names(cls), values, strict=True)))


def by_the_parsers(cls: type[KisModel], body: Any, strict: bool) -> dict[str, Any]:
    """The reference: each attribute is its field's parser applied to the body's value."""
    if isinstance(body, list):
        body = body[0] if body else None
    if not isinstance(body, dict):
        raise TypeError("not an object")
    lowered = {k.lower(): v for k, v in body.items()}
    return {
        a.name: _field_parser(cls, a, strict)(lowered.get(a.name))  # type: ignore[misc]
        for a in attrs.fields(cls)
        if a.name != "raw"
    }


def exactly(values: dict[str, Any]) -> dict[str, Any]:
    """Values compared with their types and forms (``Decimal("1.0")`` is not ``Decimal("1")``)."""
    return {k: (type(v), str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}


def outcome(call: Any) -> Any:
    try:
        return call()
    except (KisDecodeError, ValueError, TypeError, ArithmeticError):
        return "refused"


def typed(row: KisModel) -> dict[str, Any]:
    return exactly({name: getattr(row, name) for name in field_names(type(row))})


QUIET = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUIET
@given(body=row_body(StockQuote), strict=st.booleans())
def test_a_quote_reads_each_field_as_its_parser_does(body: dict[str, Any], strict: bool) -> None:
    expected = outcome(lambda: exactly(by_the_parsers(StockQuote, body, strict)))
    got = outcome(lambda: typed(structure({"output": body}, InquirePriceResponse, strict=strict).output))
    assert got == expected


@QUIET
@given(body=wire_form_row(StockQuote), strict=st.booleans())
def test_a_quote_in_its_wire_form_reads_each_field_as_its_parser_does(
    body: dict[str, Any], strict: bool
) -> None:
    expected = outcome(lambda: exactly(by_the_parsers(StockQuote, body, strict)))
    got = outcome(lambda: typed(structure({"output": body}, InquirePriceResponse, strict=strict).output))
    assert got == expected


def rows_of(cls: type[KisModel], *, odd: bool = True) -> st.SearchStrategy[list[dict[str, Any]]]:
    """One row or a few (read row by row) or more (read a column at a time); with ``odd``, some rows
    lack keys, have UPPER-CASE ones or values of the wrong kind."""
    row = st.one_of(wire_form_row(cls), row_body(cls)) if odd else wire_form_row(cls)
    return st.lists(row, min_size=1, max_size=8)


@QUIET
@given(rows=rows_of(CreditBalanceRow), strict=st.booleans())
def test_a_ranking_reads_every_row_as_the_parsers_do(rows: list[dict[str, Any]], strict: bool) -> None:
    expected = outcome(lambda: [exactly(by_the_parsers(CreditBalanceRow, row, strict)) for row in rows])
    response = outcome(lambda: structure({"output2": rows}, CreditBalanceResponse, strict=strict))
    got = response if response == "refused" else [typed(r) for r in response.output2]
    assert got == expected
    if response != "refused":
        assert [r.raw for r in response.output2] == rows  # each row keeps the object it came from


@QUIET
@given(sectors=rows_of(CreditBalanceSector, odd=False), strict=st.booleans())
def test_dated_rows_read_as_the_parsers_do(sectors: list[dict[str, Any]], strict: bool) -> None:
    expected = outcome(lambda: [exactly(by_the_parsers(CreditBalanceSector, row, strict)) for row in sectors])
    response = outcome(lambda: structure({"output1": sectors}, CreditBalanceResponse, strict=strict))
    got = response if response == "refused" else [typed(r) for r in response.output1]
    assert got == expected


@pytest.mark.parametrize(
    "odd",
    [
        pytest.param(lambda rows: [*rows, "not an object"], id="a row that is text"),
        pytest.param(lambda rows: [*rows, [rows[0]]], id="a row wrapped in a list"),
        pytest.param(
            lambda rows: [*rows[:3], {k.upper(): v for k, v in rows[3].items()}], id="upper-case keys"
        ),
        pytest.param(
            lambda rows: [*rows[:3], {k: v for k, v in rows[3].items() if k != "stck_prpr"}],
            id="a key missing",
        ),
        pytest.param(lambda rows: [*rows[:3], {**rows[3], "STCK_PRPR": "9"}], id="a key sent in both cases"),
    ],
)
def test_rows_of_unexpected_shapes_read_as_one_by_one(odd: Any) -> None:
    rows = [dict.fromkeys(field_names(CreditBalanceRow), str(n)) for n in range(4)]  # read by columns
    body = {"output2": odd(rows)}
    expected = outcome(
        lambda: [exactly(by_the_parsers(CreditBalanceRow, row, True)) for row in body["output2"]]
    )
    response = outcome(lambda: structure(body, CreditBalanceResponse))
    got = response if response == "refused" else [typed(r) for r in response.output2]
    assert got == expected


def test_a_value_refused_in_a_ranking_is_named_with_its_row() -> None:
    rows = [dict.fromkeys(field_names(CreditBalanceRow), "1") for _ in range(30)]
    rows[17]["prdy_ctrt"] = "1.2.3"

    with pytest.raises(KisDecodeError) as refused:
        structure({"output2": rows}, CreditBalanceResponse)

    assert refused.value.field == "output2[17].prdy_ctrt" and refused.value.value == "1.2.3"
