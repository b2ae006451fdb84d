"""A spec's ``pattern:`` guards a request field: compiled once with the descriptor, checked on every
value before sending, and named in the error."""

from __future__ import annotations

import re

import pytest

from kis_async import KisValidationError
from kis_async._endpoint import Param
from kis_async.domestic_stock.trading import ORDER_CASH
from tests.curated import descriptors

ACCOUNT = Param("account_number", "CANO", "종합계좌번호", max_length=8, pattern="^[0-9]{8}$")


def test_the_pattern_is_compiled_once_with_the_descriptor() -> None:
    assert isinstance(ACCOUNT._regex, re.Pattern)
    assert ACCOUNT._regex.pattern == "^[0-9]{8}$"


def test_a_value_must_match_the_whole_pattern() -> None:
    assert ACCOUNT.to_wire("12345678", "x.y") == "12345678"
    with pytest.raises(KisValidationError, match=r"got '1234567\\n', expected a string matching") as caught:
        ACCOUNT.to_wire("1234567\n", "x.y")
    assert (caught.value.field, caught.value.endpoint) == ("account_number", "x.y")


def test_an_optional_field_left_empty_is_not_checked() -> None:
    optional = Param("code", "CODE", "코드", required=False, pattern="^[0-9]{2}$")
    assert optional.to_wire("", "x.y") == ""
    with pytest.raises(KisValidationError, match="matching"):
        optional.to_wire("1", "x.y")


def test_the_account_from_the_client_fills_and_passes_the_patterns() -> None:
    fields = ORDER_CASH.build_request(
        {"side": "buy", "symbol": "005930", "quantity": 1, "price": 100}, ("12345678", "01")
    )
    assert (fields["CANO"], fields["ACNT_PRDT_CD"]) == ("12345678", "01")


def test_every_account_field_of_every_endpoint_has_its_pattern() -> None:
    account_fields = [
        (f"{name}: {param.wire}", param.pattern)
        for name, endpoint in descriptors().items()
        for param in endpoint.params
        if param.wire in ("CANO", "ACNT_PRDT_CD")
    ]
    assert len(account_fields) > 100
    assert [where for where, pattern in account_fields if pattern is None] == []
