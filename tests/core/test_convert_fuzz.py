"""Fuzzing the KIS-string converters: any wire text becomes a value, None, or a clear error."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kis_async import KisDecodeError, KisValidationError
from kis_async._convert import (
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    parse_str,
    parse_time,
    to_wire,
)
from kis_async.domestic_stock.ranking import CREDIT_BALANCE, CreditBalanceRow, CreditBalanceSector

FAST = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None)
#: Text shaped like KIS values (digits, signs, dots, spaces) mixed with anything at all.
kis_like = st.text(alphabet="0123456789+-. ", max_size=12)
wire_text = st.one_of(kis_like, st.text(max_size=12))
wire_value = st.one_of(wire_text, st.none(), st.integers(), st.floats(), st.booleans())
PARSERS = [parse_str, parse_int, parse_decimal, parse_date, parse_time, parse_datetime]
RESULT_TYPES = {
    parse_str: str,
    parse_int: int,
    parse_decimal: Decimal,
    parse_date: dt.date,
    parse_time: dt.time,
    parse_datetime: dt.datetime,
}


@FAST
@given(value=wire_value)
@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
def test_a_parser_returns_a_value_or_raises_value_error(parse: Any, value: Any) -> None:
    """A typed value (that survives the wire and back), ``None`` for no value, or ValueError."""
    try:
        result = parse(value)
    except ValueError as exc:
        assert str(exc)  # a reason, for the KisDecodeError built from it
        return
    if result is None:
        return
    assert isinstance(result, RESULT_TYPES[parse]), (value, result)
    if parse is parse_decimal:
        assert result.is_finite() and "E" not in to_wire(result).upper()
    assert parse(to_wire(result)) == result


@FAST
@given(number=st.integers(-(10**18), 10**18), pad=st.sampled_from(["", " ", "  "]), plus=st.booleans())
def test_ints_read_back_with_signs_and_padding(number: int, pad: str, plus: bool) -> None:
    text = ("+" if plus and number >= 0 else "") + str(number)
    assert parse_int(pad + text + pad) == number


@FAST
@given(
    number=st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12)
)
def test_decimals_round_trip_through_the_wire(number: Decimal) -> None:
    assert parse_decimal(to_wire(number)) == number


@FAST
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_dates_round_trip_through_the_wire(day: dt.date) -> None:
    assert parse_date(to_wire(day)) == day


@FAST
@given(moment=st.times().map(lambda t: t.replace(microsecond=0)).filter(lambda t: t != dt.time(0)))
def test_times_round_trip_through_the_wire(moment: dt.time) -> None:
    assert parse_time(to_wire(moment)) == moment


@FAST
@given(moment=st.datetimes(min_value=dt.datetime(1900, 1, 1)).map(lambda d: d.replace(microsecond=0)))
def test_datetimes_round_trip_through_the_wire(moment: dt.datetime) -> None:
    assert parse_datetime(to_wire(moment)) == moment


@pytest.mark.parametrize("blank", ["", " ", "   ", None])
def test_blank_numbers_are_none(blank: Any) -> None:
    assert parse_int(blank) is None and parse_decimal(blank) is None


@pytest.mark.parametrize("empty", ["", "0", "00000000"])
def test_no_date_is_none(empty: str) -> None:
    assert parse_date(empty) is None


ROW_FIELDS = [a for a in CreditBalanceRow.__attrs_attrs__ if a.name != "raw"]


@FAST
@given(row=st.fixed_dictionaries({}, optional={a.name: wire_value for a in ROW_FIELDS}))
def test_any_row_structures_or_raises_a_decode_error(row: dict[str, Any]) -> None:
    try:
        parsed = CreditBalanceRow.from_dict(row)
    except KisDecodeError as exc:
        assert exc.field in row and repr(exc.value) == repr(
            row[exc.field]
        )  # the culprit, its value (NaN too)
    else:
        assert parsed.raw == row
        assert parsed.stck_prpr is None or isinstance(parsed.stck_prpr, int)
        assert parsed.whol_loan_rmnd_rate is None or isinstance(parsed.whol_loan_rmnd_rate, Decimal)


@FAST
@given(row=st.fixed_dictionaries({}, optional={"stnd_date1": wire_value, "stnd_date2": wire_value}))
def test_lenient_rows_never_raise(row: dict[str, Any]) -> None:
    CreditBalanceSector.from_dict(row, strict=False)


ARGUMENT = st.one_of(wire_value, st.decimals(), st.dates(), st.lists(st.integers(), max_size=2))


@FAST
@given(market=ARGUMENT, period=ARGUMENT, sort=ARGUMENT)
def test_any_arguments_validate_or_raise_a_validation_error(market: Any, period: Any, sort: Any) -> None:
    try:
        wire = CREDIT_BALANCE.build_request({"market": market, "period": period, "sort": sort})
    except KisValidationError as exc:
        assert exc.field in ("market", "period", "sort")
    else:
        assert 2 <= int(wire["FID_OPTION"]) <= 999
