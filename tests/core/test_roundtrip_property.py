"""Every generated response class takes random wire-form bodies built from its own fields, in the
forms live servers send (signs, explicit plus, spaces, many decimals, "0" dates, "000000" times,
unknown and blank codes, UPPER-CASE keys, undocumented keys, an object sent as a list), and gives
them back losslessly: ``from_dict(to_dict(from_dict(body))) == from_dict(body)``."""

from __future__ import annotations

import datetime as dt
import importlib
import types
from decimal import Decimal
from typing import Any, Union, get_args, get_origin

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kis_async._convert import KisEnum
from kis_async._models import KisModel, KisResponse
from kis_async._registry import NAMES


def _generated(base: type) -> list[type[Any]]:
    classes = []
    for name, module in sorted(NAMES.items()):
        value = getattr(importlib.import_module(f"kis_async.{module}"), name)
        if isinstance(value, type) and issubclass(value, base) and value is not base:
            classes.append(value)
    return classes


RESPONSES = _generated(KisResponse)
ROWS = [cls for cls in _generated(KisModel) if not issubclass(cls, KisResponse)]

_CODE = st.text(alphabet="0123456789ABCDEFGHJKNXYZ", min_size=1, max_size=12)
_BLANK = st.sampled_from(["", " ", "        ", "          "])


def _signed(number: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``-160``, ``+1.44``, `` 0.00`` and plain forms of a number."""
    return st.tuples(st.sampled_from(["", "-", "+", " "]), number, st.sampled_from(["", " "])).map(
        lambda parts: f"{parts[0]}{parts[1]}{parts[2]}" if parts[0] != " " else f" {parts[1]}"
    )


_INT = _signed(st.integers(min_value=0, max_value=10**15).map(str))
_DECIMAL = _signed(
    st.tuples(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=8)).map(
        lambda p: format(Decimal(p[0]).scaleb(-p[1]), "f")
    )
)
_DATE = st.one_of(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)).map(
        lambda d: d.strftime("%Y%m%d")
    ),
    st.sampled_from(["", "0", "00000000"]),
)
_TIME = st.one_of(st.times().map(lambda t: t.strftime("%H%M%S")), st.sampled_from(["", "000000"]))
_DATETIME = st.one_of(
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(
        lambda d: d.strftime("%Y%m%d%H%M%S")
    ),
    st.sampled_from(["", "00000000000000"]),
)
_TEXT = st.one_of(
    _BLANK, st.text(min_size=1, max_size=20), st.sampled_from(["7,780 억", "20%", "00000A005930"])
)


def _scalar(annotation: Any) -> st.SearchStrategy[Any]:
    if isinstance(annotation, type) and issubclass(annotation, KisEnum):
        known = [str.__str__(m) for m in annotation]
        return st.one_of(st.sampled_from(known), _CODE, _BLANK) if known else st.one_of(_CODE, _BLANK)
    table = {int: _INT, Decimal: _DECIMAL, dt.date: _DATE, dt.time: _TIME, dt.datetime: _DATETIME}
    return table.get(annotation, _TEXT)


def _unwrap(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        return inner
    return annotation


def _row(cls: type[KisModel]) -> st.SearchStrategy[dict[str, Any]]:
    """A wire body for ``cls``: each documented key present or not, maybe UPPER-CASE, maybe an
    undocumented key beside them."""
    attrs.resolve_types(cls)
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for attribute in attrs.fields(cls):
        if attribute.name in ("raw", "tr_cont"):
            continue
        fields[attribute.name] = _value(_unwrap(attribute.type))
    body = st.fixed_dictionaries({}, optional=fields)
    extra = st.dictionaries(st.sampled_from(["SOR_ODNO", "new_field", "acml vol"]), _TEXT, max_size=2)
    return st.tuples(body, extra, st.booleans()).map(
        lambda p: {(k.upper() if p[2] else k): v for k, v in {**p[1], **p[0]}.items()}
    )


def _value(annotation: Any) -> st.SearchStrategy[Any]:
    if _is_list(get_origin(annotation)):
        (row,) = get_args(annotation)
        rows = st.lists(st.deferred(lambda: _row(row)), max_size=3)
        return st.one_of(rows, st.deferred(lambda: _row(row)))  # a list documented, one object sent
    if isinstance(annotation, type) and issubclass(annotation, KisModel):
        row = st.deferred(lambda: _row(annotation))
        return st.one_of(row, row.map(lambda r: [r]))  # an object documented, a list of one sent
    return _scalar(annotation)


def _response(cls: type[KisResponse]) -> st.SearchStrategy[dict[str, Any]]:
    attrs.resolve_types(cls)
    outputs = {name: _value(_unwrap(attrs.fields_dict(cls)[name].type)) for name in cls.__outputs__}
    envelope = {
        "rt_cd": st.just("0"),
        "msg_cd": st.sampled_from(["MCA00000", "APBK0013", "40600000"]),
        "msg1": st.sampled_from(
            ["정상처리 되었습니다.", "정상처리 되었습니다.          ", "모의투자 조회가 완료되었습니다."]
        ),
    }
    return st.fixed_dictionaries({**envelope, **outputs})


@pytest.mark.parametrize("cls", RESPONSES, ids=lambda c: c.__name__)
def test_random_wire_bodies_round_trip_through_from_dict_and_to_dict(cls: type[KisResponse]) -> None:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(body=_response(cls))
    def round_trip(body: dict[str, Any]) -> None:
        typed = cls.from_dict(body)
        wire = typed.to_dict()
        again = cls.from_dict(wire)
        assert again == typed
        assert again.to_dict() == wire

    round_trip()


@pytest.mark.parametrize("cls", ROWS, ids=lambda c: c.__name__)
def test_a_row_class_parses_a_saved_row_on_its_own(cls: type[KisModel]) -> None:
    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(body=_row(cls))
    def round_trip(body: dict[str, Any]) -> None:
        typed = cls.from_dict(body)
        assert cls.from_dict(typed.to_dict()) == typed
        assert typed.raw == body

    round_trip()


def test_every_generated_response_class_is_covered() -> None:
    assert len(RESPONSES) >= 15
    assert all(cls.__outputs__ for cls in RESPONSES)
    assert len(ROWS) >= len(RESPONSES)


def test_a_response_without_its_object_output_round_trips() -> None:
    from kis_async.overseas_price import OverseasPriceResponse

    typed = OverseasPriceResponse.from_dict({"rt_cd": "0", "msg_cd": "MCA00000", "msg1": ""})
    assert typed.output is None
    assert OverseasPriceResponse.from_dict(typed.to_dict()) == typed


def _is_list(origin: Any) -> bool:
    """``list[Row]`` or a generated list output's ``Rows[Row]``."""
    return isinstance(origin, type) and issubclass(origin, list)
