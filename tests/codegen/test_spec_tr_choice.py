"""Spec checks for TR IDs chosen by an argument or by a date rule, Y/N flags and response classes:
a spec author's mistake is reported as ``file: field: problem`` before any code is generated."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from codegen.loader import load_endpoint, load_specs
from codegen.model import EnumMember, EnumSpec
from tests.paths import SPEC

SHARED = {"OrderSide": EnumSpec(members={"BUY": EnumMember("buy"), "SELL": EnumMember("sell")})}
SPEC_ROOT = SPEC


def problems(tmp_path: Path, tr_id: str, request: str = "", response_field: str = "") -> list[str]:
    text = textwrap.dedent(
        """
        title: 테스트
        method: GET
        path: /uapi/domestic-stock/v1/trading/inquire-test
        tr_id:
        {tr_id}
        request:
          - {{wire: INQR_STRT_DT, name: start_date, korean: 조회시작일자, type: date}}
          - {{name: side, korean: 매수/매도, enum: OrderSide}}
        {request}
        response:
          output:
            row: TestRow
            fields:
              - {{wire: odno, korean: 주문번호}}
        {response_field}
        """
    ).format(
        tr_id=textwrap.indent(textwrap.dedent(tr_id).strip(), "  "),
        request=textwrap.indent(textwrap.dedent(request).strip(), "  "),
        response_field=textwrap.indent(textwrap.dedent(response_field).strip(), " " * 6),
    )
    path = tmp_path / "test.yaml"
    path.write_text(text, encoding="utf-8")
    _, found = load_endpoint(path, "test.yaml", SHARED)
    return found


def test_a_date_rule_with_recent_and_older_trs_is_valid(tmp_path: Path) -> None:
    tr_id = """
        select: start_date
        rule: {within_months: 3}
        real: {recent: TTTC0081R, older: CTSC9215R}
        paper: {recent: VTTC0081R, older: VTSC9215R}
    """
    assert problems(tmp_path, tr_id) == [
        "test.yaml: request[1](side): a field without wire name must be the tr_id selector"
    ]


def test_a_date_rule_needs_both_choices(tmp_path: Path) -> None:
    tr_id = """
        select: start_date
        rule: {within_months: 3}
        real: {recent: TTTC0081R, old: CTSC9215R}
        paper: unsupported
    """
    found = problems(tmp_path, tr_id)
    assert "test.yaml: tr_id.real: keys ['old'] are not the rule's choices ['recent', 'older']" in found
    assert "test.yaml: tr_id.real: needs a TR for each of ['recent', 'older']" in found


def test_a_date_rule_must_select_a_date(tmp_path: Path) -> None:
    tr_id = """
        select: side
        rule: {within_months: 3}
        real: {recent: A, older: B}
        paper: {recent: C, older: D}
    """
    assert "test.yaml: tr_id.rule: a rule chooses by a date; 'side' is not type date" in problems(
        tmp_path, tr_id
    )


def test_a_malformed_rule_is_named(tmp_path: Path) -> None:
    tr_id = """
        select: start_date
        rule: {months: 3}
        real: {recent: A, older: B}
        paper: {recent: C, older: D}
    """
    (found,) = problems(tmp_path, tr_id)
    assert found.startswith("test.yaml: tr_id: ") and "within_months" in found


def test_select_keys_must_be_codes_of_the_selector_enum(tmp_path: Path) -> None:
    tr_id = """
        select: side
        real: {buy: TTTC0012U, sel: TTTC0011U}
        paper: {buy: VTTC0012U, sell: VTTC0011U}
    """
    assert problems(tmp_path, tr_id) == ["test.yaml: tr_id.real: keys ['sel'] are not codes of OrderSide"]


def test_bool_is_for_requests_only(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "{real: TTTC0012U, paper: VTTC0012U}",
        request="- {wire: QTY_ALL_ORD_YN, name: all_remaining, korean: 잔량전부주문여부, type: bool, default: 'X'}",
        response_field="- {wire: cncl_yn, korean: 취소여부, type: bool}",
    )
    assert (
        'test.yaml: request[2](QTY_ALL_ORD_YN): a bool field\'s default is the wire value "Y" or "N"' in found
    )
    assert "test.yaml: response.output.fields[1](cncl_yn): type bool is for request fields; use str" in found


def test_inquire_balance_specs_of_each_category_are_told_apart_by_response_class() -> None:
    from codegen.loader import response_class_name

    names = {
        loaded.source: response_class_name(loaded.spec)
        for loaded in load_specs(SPEC_ROOT).endpoints
        if loaded.spec.python_name == "inquire_balance"
    }
    assert names == {
        "domestic_stock/trading/inquire_balance.yaml": "InquireBalanceResponse",
        "overseas_stock/trading/inquire_balance.yaml": "OverseasStockInquireBalanceResponse",
        "domestic_bond/trading/inquire_balance.yaml": "DomesticBondInquireBalanceResponse",
        "domestic_futureoption/trading/inquire_balance.yaml": "DomesticFutureoptionInquireBalanceResponse",
    }


@pytest.mark.parametrize("name", ["inquire_balance", "inquire_daily_ccld"])
def test_continuation_keys_are_not_arguments(name: str) -> None:
    import inspect

    import kis_async.domestic_stock

    method = getattr(kis_async.domestic_stock.DomesticStock, name)
    parameters = inspect.signature(method).parameters
    assert "account" in parameters
    assert not any(p.startswith("ctx_area") for p in parameters)


def test_two_arguments_choose_a_tr_together_with_keys_of_both_codes(tmp_path: Path) -> None:
    tr_id = """
        select: [side, market]
        real: {buy/J: TTTC0012U, sell/J: TTTC0011U, buy/NX: TTTC0022U}
        paper: unsupported
    """
    request = """
        - {wire: MARKET, name: market, korean: 시장, enum: OrderSide}
    """
    # market's enum here is OrderSide too, so J/NX are not its codes
    assert problems(tmp_path, tr_id, request) == [
        "test.yaml: tr_id.real: key 'buy/J' is not side/market codes joined by '/'",
        "test.yaml: tr_id.real: key 'sell/J' is not side/market codes joined by '/'",
        "test.yaml: tr_id.real: key 'buy/NX' is not side/market codes joined by '/'",
    ]
    good = """
        select: [side, market]
        real: {buy/buy: TTTC0012U, sell/sell: TTTC0011U}
        paper: unsupported
    """
    assert problems(tmp_path, good, request) == []


def test_a_combined_choice_needs_enum_arguments(tmp_path: Path) -> None:
    tr_id = """
        select: [side, start_date]
        real: {buy/20260101: TTTC0012U}
        paper: unsupported
    """
    assert problems(tmp_path, tr_id) == [
        "test.yaml: tr_id.select: 'start_date' must have an enum to choose a TR with others"
    ]
