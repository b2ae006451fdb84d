"""A bot gets KIS's string-typed JSON back as typed rows, exactly as documented, however the body
was written: the compiled per-class structure functions must decide every value as the parsers do."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

import attrs
import pytest

from kis_async import KisDecodeError, KisModel, KisResponse
from kis_async.domestic_stock.ranking import CreditBalanceResponse, CreditBalanceRow
from kis_async.enums import Sign


def ranking_row(**changes: Any) -> dict[str, Any]:
    row = {
        "mksc_shrn_iscd": "005930",
        "hts_kor_isnm": "삼성전자",
        "stck_prpr": "71000",
        "prdy_vrss": "-500",
        "prdy_vrss_sign": "5",
        "prdy_ctrt": "-0.70",
        "acml_vol": "12345678",
        "whol_loan_rmnd_stcn": "345678",
        "whol_loan_rmnd_amt": "24567",
        "whol_loan_rmnd_rate": "0.45",
        "whol_stln_rmnd_stcn": "0",
        "whol_stln_rmnd_amt": "0",
        "whol_stln_rmnd_rate": "0.00",
        "nday_vrss_loan_rmnd_inrt": "12.3456",
        "nday_vrss_stln_rmnd_inrt": "0.00",
    }
    row.update(changes)
    return row


def ranking(*rows: dict[str, Any]) -> dict[str, Any]:
    return {
        "rt_cd": "0",
        "msg_cd": "MCA00000",
        "msg1": "정상처리 되었습니다.     ",
        "output1": [{"bstp_cls_code": "0000", "hts_kor_isnm": "전체", "stnd_date1": "20240105"}],
        "output2": list(rows),
    }


def test_a_ranking_body_becomes_typed_rows() -> None:
    response = CreditBalanceResponse.from_dict(ranking(ranking_row(), ranking_row(stck_prpr="+1200")))

    first = response.output2[0]
    assert first.mksc_shrn_iscd == "005930"
    assert first.stck_prpr == 71000 and first.prdy_vrss == -500
    assert first.prdy_vrss_sign is Sign.FALL
    assert first.prdy_ctrt == Decimal("-0.70") and str(first.nday_vrss_loan_rmnd_inrt) == "12.3456"
    assert response.output2[1].stck_prpr == 1200
    assert response.output1[0].stnd_date1 == dt.date(2024, 1, 5)
    assert response.output1[0].stnd_date2 is None
    assert response.msg1 == "정상처리 되었습니다."


def test_each_row_keeps_the_body_it_came_from() -> None:
    body = ranking(ranking_row(new_field="kept"))
    response = CreditBalanceResponse.from_dict(body)
    assert response.raw is body
    assert response.output2[0].raw["new_field"] == "kept"


def test_blank_values_are_none() -> None:
    blanks = {"hts_kor_isnm": "  ", "stck_prpr": "", "prdy_ctrt": " ", "prdy_vrss_sign": "", "acml_vol": None}
    row = CreditBalanceRow.from_dict(ranking_row(**blanks))
    assert (row.hts_kor_isnm, row.stck_prpr, row.prdy_ctrt, row.prdy_vrss_sign, row.acml_vol) == (None,) * 5


def test_numbers_with_signs_and_padding_are_read() -> None:
    row = CreditBalanceRow.from_dict(ranking_row(stck_prpr=" +71000 ", prdy_ctrt=" -1.50 ", prdy_vrss="-0"))
    assert (row.stck_prpr, row.prdy_ctrt, row.prdy_vrss) == (71000, Decimal("-1.50"), 0)


def test_json_numbers_are_accepted_where_exact() -> None:
    row = CreditBalanceRow.from_dict(ranking_row(stck_prpr=71000, prdy_ctrt=1.5, mksc_shrn_iscd=5930))
    assert (row.stck_prpr, row.prdy_ctrt, row.mksc_shrn_iscd) == (71000, Decimal("1.5"), "5930")


def test_missing_keys_give_none_and_empty_lists() -> None:
    response = CreditBalanceResponse.from_dict({"rt_cd": "0", "output2": [{"stck_prpr": "1"}]})
    assert response.output1 == [] and response.msg1 is None and response.tr_cont is None
    assert response.output2[0].stck_prpr == 1 and response.output2[0].prdy_ctrt is None


def test_upper_case_keys_are_read_and_kept_in_raw() -> None:
    body = {key.upper(): value for key, value in ranking_row().items()}
    row = CreditBalanceRow.from_dict(body)
    assert row.stck_prpr == 71000 and row.prdy_vrss_sign is Sign.FALL
    assert "STCK_PRPR" in row.raw


def test_an_unknown_code_becomes_a_pseudo_member() -> None:
    row = CreditBalanceRow.from_dict(ranking_row(prdy_vrss_sign="0"))
    assert row.prdy_vrss_sign == "0" and not row.prdy_vrss_sign.known
    assert row.prdy_vrss_sign.name == "UNKNOWN_0"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("stck_prpr", "12.3"),
        ("stck_prpr", "1,000"),
        ("stck_prpr", 12.5),
        ("stck_prpr", True),
        ("prdy_ctrt", "NaN"),
        ("prdy_ctrt", "Infinity"),
        ("prdy_ctrt", "1.2.3"),
        ("prdy_ctrt", False),
    ],
)
def test_a_value_of_the_wrong_form_names_its_place(field: str, value: Any) -> None:
    body = ranking(ranking_row(), ranking_row(**{field: value}))
    with pytest.raises(KisDecodeError) as caught:
        CreditBalanceResponse.from_dict(body)
    assert caught.value.field == f"output2[1].{field}"
    assert caught.value.value == value


def test_lenient_mode_keeps_the_wire_value_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    body = ranking(ranking_row(whol_stln_rmnd_amt="N/A"), ranking_row(whol_stln_rmnd_amt="N/A"))
    with caplog.at_level(logging.WARNING, logger="kis_async"):
        response = CreditBalanceResponse.from_dict(body, strict=False)
    assert [row.whol_stln_rmnd_amt for row in response.output2] == ["N/A", "N/A"]
    assert response.output2[0].stck_prpr == 71000
    assert sum("whol_stln_rmnd_amt" in record.getMessage() for record in caplog.records) == 1


def test_rows_are_frozen_values() -> None:
    row = CreditBalanceRow.from_dict(ranking_row())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        row.stck_prpr = 1  # type: ignore[misc]
    assert row == CreditBalanceRow.from_dict(ranking_row())
    assert row.to_dict()["prdy_ctrt"] == "-0.70"


# An order-style response: one object output, POST (upper-case) keys, a time, a slotted row.


@attrs.frozen(kw_only=True, slots=False)
class Order(KisModel):
    odno: str | None = None
    ord_tmd: dt.time | None = None


@attrs.frozen(kw_only=True)
class SlottedOrder(KisModel):
    odno: str | None = None
    qty: int | None = None


@attrs.frozen(kw_only=True, slots=False)
class OrderResponse(KisResponse):
    output: Order | None = None
    slotted: list[SlottedOrder] = attrs.field(factory=list)
    extra: dict[str, str] | None = None


def test_an_object_output_reads_one_object() -> None:
    response = OrderResponse.from_dict({"rt_cd": "0", "output": {"ODNO": "0000117057", "ORD_TMD": "091500"}})
    assert response.output == Order(odno="0000117057", ord_tmd=dt.time(9, 15))
    assert response.slotted == [] and response.extra is None


def test_an_object_sent_inside_a_list_is_unwrapped() -> None:
    assert OrderResponse.from_dict({"output": [{"odno": "1"}]}).output == Order(odno="1")
    assert OrderResponse.from_dict({"output": []}).output is None


def test_a_list_output_sent_as_one_object_is_one_row() -> None:
    response = OrderResponse.from_dict({"slotted": {"odno": "1", "qty": "3"}})
    assert response.slotted == [SlottedOrder(odno="1", qty=3)]
    assert OrderResponse.from_dict({"slotted": ""}).slotted == []


def test_types_the_sdk_does_not_parse_go_through_cattrs() -> None:
    assert OrderResponse.from_dict({"extra": {"a": "b"}}).extra == {"a": "b"}


def test_a_row_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(KisDecodeError) as caught:
        OrderResponse.from_dict({"slotted": ["oops"]})
    assert caught.value.field == "slotted[0]"


def test_rows_survive_pickling_copying_and_evolve() -> None:
    import copy
    import pickle

    response = CreditBalanceResponse.from_dict(ranking(ranking_row(), ranking_row(stck_prpr="5")))
    restored = pickle.loads(pickle.dumps(response))
    assert restored == response and restored.output2[1].raw == response.output2[1].raw
    assert copy.deepcopy(response) == response
    assert hash(restored.output2[0]) == hash(response.output2[0])
    changed = attrs.evolve(response.output2[0], stck_prpr=1)
    assert changed.stck_prpr == 1 and changed.prdy_ctrt == Decimal("-0.70")


def test_to_dict_gives_the_wire_form_as_parsed_and_raw_keeps_what_kis_sent() -> None:
    """What the README promises of `.to_dict()` next to `.raw`."""
    body = {
        "rt_cd": "0",
        "msg_cd": "MCA00000",
        "msg1": "정상처리 되었습니다.      ",
        "output1": [
            {"bstp_cls_code": "1001", "hts_kor_isnm": "코스닥", "stnd_date1": "0", "stnd_date2": "20261120"}
        ],
        "output2": [],
    }
    response = CreditBalanceResponse.from_dict(body)
    wire = response.to_dict()
    assert wire["msg1"] == "정상처리 되었습니다."
    assert wire["output1"][0]["stnd_date1"] == "" and wire["output1"][0]["stnd_date2"] == "20261120"
    assert response.raw == body


# Never silent: an output documented as one object that arrives as several rows is never read as
# its first row (live chk_holiday sends a list of days where its page documents one object).


def test_several_rows_for_an_object_output_are_refused_naming_the_output_and_the_count() -> None:
    body = {"rt_cd": "0", "output": [{"odno": "1"}, {"odno": "2"}, {"odno": "3"}]}
    with pytest.raises(
        KisDecodeError, match=r"OrderResponse\.output: .*one object.*list of 3 rows"
    ) as caught:
        OrderResponse.from_dict(body)
    assert caught.value.field == "output"
    assert caught.value.value == body["output"]


def test_lenient_mode_keeps_every_row_of_an_object_output_and_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = {"rt_cd": "0", "output": [{"odno": "1", "ord_tmd": "091500"}, {"odno": "2"}]}
    with caplog.at_level(logging.WARNING, logger="kis_async"):
        first = OrderResponse.from_dict(body, strict=False)
        again = OrderResponse.from_dict(body, strict=False)
    assert first.output == [Order(odno="1", ord_tmd=dt.time(9, 15)), Order(odno="2")]
    assert again.output == first.output
    warnings = [r.getMessage() for r in caplog.records if "OrderResponse.output" in r.getMessage()]
    assert len(warnings) == 1 and "list of 2 rows" in warnings[0]
    assert first.to_dict()["output"][1]["odno"] == "2"
