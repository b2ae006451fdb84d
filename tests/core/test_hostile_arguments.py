"""Every endpoint, every argument, hostile values: the call is refused with KisValidationError
before anything is sent, or sends a clean wire string; nothing else ever escapes. And every
numeric argument of an order has a range, so a quantity of -5 or a price of 1E+30 never leaves."""

from __future__ import annotations

import datetime as dt
import importlib
import math
from decimal import Decimal
from typing import Any

import pytest

from kis_async import KisValidationError
from kis_async._endpoint import Endpoint, Param
from kis_async._registry import ENDPOINTS


def every_endpoint() -> list[Endpoint[Any]]:
    return [getattr(importlib.import_module(f"kis_async.{module}"), const) for module, const, _ in ENDPOINTS]


ALL = every_endpoint()
ORDERS = [e for e in ALL if not e.retry_safe]


class Weird:
    def __str__(self) -> str:
        raise RuntimeError("a user object whose str() fails")


HOSTILE: list[Any] = [
    10**5000,
    -(10**40),
    float("nan"),
    float("inf"),
    math.pi,
    Decimal("NaN"),
    Decimal("1E+999999999"),
    Decimal("-0"),
    "1e999999999",
    "１２３",
    "２０２４０１０１",
    "\r\nX-Evil: 1",
    "\ud800",
    "\x00",
    "x" * 100_000,
    "",
    " ",
    b"bytes",
    ["list"],
    {"a": 1},
    object(),
    Weird(),
    True,
    dt.datetime(2024, 1, 1, 9, 30),
]
HOSTILE_IDS = [
    "10**5000", "-10**40", "nan", "inf", "pi", "Decimal-NaN", "Decimal-1E+999999999", "Decimal--0",
    "str-exponent", "full-width-int", "full-width-date", "crlf", "surrogate", "nul", "100k-chars",
    "empty", "space", "bytes", "list", "dict", "object", "weird-str", "True", "datetime",
]  # fmt: skip
CLEAN_WIRE = str.isprintable


@pytest.mark.parametrize("value", HOSTILE, ids=HOSTILE_IDS)
def test_every_argument_of_every_endpoint_refuses_or_cleans_a_hostile_value(value: Any) -> None:
    sent = refused = 0
    for endpoint in ALL:
        for param in endpoint.params:
            if not param.name or param.const is not None:
                continue
            try:
                wire = param.to_wire(value, endpoint.name)
            except KisValidationError as exc:
                assert param.name in str(exc) and endpoint.name in str(exc)
                refused += 1
                continue
            # what is sent is a short, printable string of the kind the field wants
            assert isinstance(wire, str) and CLEAN_WIRE(wire), (endpoint.name, param.name, wire[:40])
            if param.max_length:
                assert len(wire) <= param.max_length, (endpoint.name, param.name)
            if param.kind in ("int", "decimal"):
                assert wire == "" or (Decimal(wire).is_finite() and "E" not in wire.upper())
                assert wire != "-0"
            sent += 1
    assert refused > 0  # every hostile value is refused somewhere; some strings are fine text


def test_an_unknown_or_misspelt_argument_is_refused_everywhere() -> None:
    for endpoint in ALL:
        with pytest.raises(KisValidationError, match="unknown argument 'sybmol'"):
            endpoint.build_request({"sybmol": "005930"}, ("12345678", "01"))


def numeric(endpoint: Endpoint[Any]) -> list[Param]:
    return [p for p in endpoint.params if p.name and p.const is None and p.kind in ("int", "decimal")]


def test_every_numeric_argument_of_an_order_has_a_range() -> None:
    missing = [f"{e.name}.{p.name}" for e in ORDERS for p in numeric(e) if p.range is None]
    assert missing == []
    assert len([p for e in ORDERS for p in numeric(e)]) >= 42  # 36 added by issue 24, 6 before


@pytest.mark.parametrize("endpoint", ORDERS, ids=lambda e: e.name)
def test_an_order_refuses_negative_and_absurd_numbers(endpoint: Endpoint[Any]) -> None:
    for param in numeric(endpoint):
        assert param.range is not None
        low, high = param.range
        for bad in (low - 1, high + 1, Decimal("1E+30"), 10**5000):
            with pytest.raises(KisValidationError, match=param.name):
                param.to_wire(bad, endpoint.name)
        if "quantity" in param.name and "rvsecncl" not in endpoint.path.replace("-", ""):
            with pytest.raises(KisValidationError, match=r"got 0, expected 1\.\."):
                param.to_wire(0, endpoint.name)  # a new order of nothing is a mistake
        if low <= 0 <= high:
            assert param.to_wire(Decimal("-0") if param.kind == "decimal" else 0, endpoint.name) == "0"
