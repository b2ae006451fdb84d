"""A quant hands kis-async's typed rows to polars or pandas and gets the spec's types, exactly.

Bodies are KIS's wire form (strings), structured as the client does (``from_dict``); the frames are
compared value by value with the rows they came from.
"""

from __future__ import annotations

import datetime as dt
import pickle
import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import attrs
import pytest

from kis_async import KisConfigError, KisDecodeError, KisModel, KisValidationError, Rows
from kis_async._feed import Tick
from kis_async._fields import RowField
from kis_async.domestic_stock.quotations import InquireTimeItemchartpriceResponse
from kis_async.domestic_stock.ranking import CreditBalanceResponse, CreditBalanceRow
from kis_async.enums import Sign
from kis_async.frames import Ticks, collect_ticks, columns_of, to_polars
from kis_async.realtime.domestic_stock import orderbook_krx, trade_krx, trade_nxt, trade_unified

pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")


def ranking_row(index: int, **override: str) -> dict[str, str]:
    row = {
        "mksc_shrn_iscd": f"{index:06d}",
        "hts_kor_isnm": f"종목{index}",
        "stck_prpr": str(70000 + index),
        "prdy_vrss": str(-100 * index),
        "prdy_vrss_sign": "5" if index else "2",
        "prdy_ctrt": f"-{index}.25" if index else "1.5",
        "acml_vol": "1234567",
        "whol_loan_rmnd_stcn": "10",
        "whol_loan_rmnd_amt": "20",
        "whol_loan_rmnd_rate": "0.123",
        "whol_stln_rmnd_stcn": "",
        "whol_stln_rmnd_amt": "0",
        "whol_stln_rmnd_rate": "7",
        "nday_vrss_loan_rmnd_inrt": "12.3456",
        "nday_vrss_stln_rmnd_inrt": "-0.5",
    }
    row.update(override)
    return row


def ranking(*rows: dict[str, str], strict: bool = True) -> CreditBalanceResponse:
    body = {
        "rt_cd": "0",
        "msg_cd": "MCA00000",
        "msg1": "정상처리 되었습니다.",
        "output1": [],
        "output2": list(rows),
    }
    return CreditBalanceResponse.from_dict(body, strict=strict)


def minute_chart() -> InquireTimeItemchartpriceResponse:
    bars = [
        {
            "stck_bsop_date": "20240105",
            "stck_cntg_hour": f"0930{second:02d}",
            "stck_prpr": "71000",
            "stck_oprc": "70900",
            "stck_hgpr": "71100",
            "stck_lwpr": "70800",
            "cntg_vol": "1500",
            "acml_tr_pbmn": "98765432100",
        }
        for second in range(5)
    ]
    bars[4]["stck_bsop_date"] = ""  # a blank KIS sends is a null, not a default
    return InquireTimeItemchartpriceResponse.from_dict({"rt_cd": "0", "output1": {}, "output2": bars})


# polars


def test_a_ranking_becomes_a_polars_frame_with_the_specs_types_and_exact_values() -> None:
    response = ranking(*(ranking_row(i) for i in range(6)))
    frame = response.output2.to_polars()

    assert frame.shape == (6, 15)
    assert frame.columns == [column.name for column in columns_of(CreditBalanceRow)]
    assert frame.schema["mksc_shrn_iscd"] == pl.String
    assert frame.schema["stck_prpr"] == pl.Int64
    assert frame.schema["prdy_ctrt"] == pl.Decimal(38, 2)
    assert frame.schema["nday_vrss_loan_rmnd_inrt"] == pl.Decimal(38, 4)  # the most decimals in the column
    assert frame["stck_prpr"].to_list() == [row.stck_prpr for row in response.output2]
    assert frame["nday_vrss_loan_rmnd_inrt"].to_list() == [Decimal("12.3456")] * 6
    assert frame["whol_loan_rmnd_rate"].to_list() == [Decimal("0.123")] * 6
    assert frame["whol_stln_rmnd_stcn"].to_list() == [None] * 6  # KIS's blank is a null
    assert frame["prdy_vrss"].sum() == -1500


def test_enums_are_their_codes_as_categories_with_the_member_names_on_request() -> None:
    frame = ranking(ranking_row(0), ranking_row(1), ranking_row(2, prdy_vrss_sign="9")).output2.to_polars()
    assert frame["prdy_vrss_sign"].to_list() == ["2", "5", "9"]
    # every code the spec lists, in its order, then a code KIS sent that it does not know yet
    assert frame.schema["prdy_vrss_sign"] == pl.Enum(["1", "2", "3", "4", "5", "9"])

    named = ranking(ranking_row(0), ranking_row(1)).output2.to_polars(enums="name")
    assert named["prdy_vrss_sign"].to_list() == [Sign.RISE.name, Sign.FALL.name]


def test_korean_headers_are_the_specs_korean_names() -> None:
    frame = ranking(ranking_row(0)).output2.to_polars(korean=True)
    assert frame.columns[:3] == ["유가증권 단축 종목코드", "HTS 한글 종목명", "주식 현재가"]
    assert frame["주식 현재가"].to_list() == [70000]


def test_two_fields_with_one_korean_name_keep_apart_by_their_wire_names() -> None:
    @attrs.frozen(kw_only=True, slots=False)
    class Twins(KisModel):
        __fields__ = (  # the field table a generated row class carries
            RowField("BIDP1", "int", None, "호가"),
            RowField("ASKP1", "int", None, "호가"),
            RowField("NOTE", "str"),
        )
        bidp1: int | None = None
        askp1: int | None = None
        note: str | None = None

    frame = Twins.from_dict({"bidp1": "100", "askp1": "101", "note": "x"}).to_polars(korean=True)
    assert frame.columns == ["호가 (bidp1)", "호가 (askp1)", "(note)"]


def test_dates_and_times_are_date_and_time_columns() -> None:
    frame = minute_chart().output2.to_polars()
    assert frame.schema["stck_bsop_date"] == pl.Date
    assert frame.schema["stck_cntg_hour"] == pl.Time
    assert frame["stck_cntg_hour"].to_list()[:2] == [dt.time(9, 30, 0), dt.time(9, 30, 1)]
    assert frame["stck_bsop_date"].to_list() == [dt.date(2024, 1, 5)] * 4 + [None]
    assert frame["acml_tr_pbmn"].to_list()[0] == 98765432100


def test_an_empty_output_is_an_empty_frame_with_every_column_typed() -> None:
    frame = ranking().output2.to_polars()
    assert frame.shape == (0, 15)
    assert frame.schema["prdy_ctrt"] == pl.Decimal(38, 0)
    assert frame.schema["stck_prpr"] == pl.Int64


def test_one_row_is_a_one_row_frame() -> None:
    row = ranking(ranking_row(3)).output2[0]
    frame = row.to_polars()
    assert frame.shape == (1, 15)
    assert frame.row(0, named=True)["prdy_ctrt"] == Decimal("-3.25")


def test_a_whole_response_is_refused_with_the_outputs_to_convert_instead() -> None:
    with pytest.raises(KisValidationError, match=r"whole response.*response\.output2\.to_polars\(\)"):
        ranking(ranking_row(0)).to_polars()


def test_a_wire_string_kept_by_strict_false_is_refused_naming_the_field() -> None:
    response = ranking(ranking_row(0), ranking_row(1, stck_prpr="12.5"), strict=False)
    with pytest.raises(KisDecodeError, match=r"CreditBalanceRow\.stck_prpr: '12\.5' is not int") as raised:
        response.output2.to_polars()
    assert raised.value.field == "stck_prpr"
    with pytest.raises(KisDecodeError, match="stck_prpr"):
        response.output2.to_pandas()


def test_an_integer_wider_than_64_bits_is_refused_not_wrapped() -> None:
    rows = ranking(ranking_row(0, acml_vol="99999999999999999999")).output2
    with pytest.raises(KisDecodeError, match=r"CreditBalanceRow\.acml_vol: a int column cannot hold"):
        rows.to_polars()


def test_a_list_of_two_row_classes_is_refused_naming_them() -> None:
    mixed: list[Any] = [*ranking(ranking_row(0)).output2, *minute_chart().output2]
    with pytest.raises(KisValidationError, match="CreditBalanceRow, MinuteBar"):
        to_polars(mixed)


def test_paged_and_pickled_outputs_keep_their_row_class() -> None:
    rows = ranking().output2
    assert rows.row_class is CreditBalanceRow
    copy = pickle.loads(pickle.dumps(rows))
    assert copy.row_class is CreditBalanceRow and copy == []
    built = CreditBalanceResponse(output2=[CreditBalanceRow(stck_prpr=1)])  # a bot's test builds one
    assert built.output2.to_polars()["stck_prpr"].to_list() == [1]


# pandas


def test_a_ranking_becomes_a_pandas_frame_with_nullable_ints_and_exact_decimals() -> None:
    frame = ranking(ranking_row(0), ranking_row(1)).output2.to_pandas()
    assert str(frame["stck_prpr"].dtype) == "Int64"
    assert str(frame["hts_kor_isnm"].dtype) == "string"
    assert frame["prdy_ctrt"].dtype == pd.ArrowDtype(pa.decimal128(38, 2))
    assert frame["prdy_ctrt"].tolist() == [Decimal("1.50"), Decimal("-1.25")]
    assert frame["whol_stln_rmnd_stcn"].isna().all()
    assert list(frame["prdy_vrss_sign"].cat.categories) == ["1", "2", "3", "4", "5"]
    assert frame["prdy_vrss_sign"].tolist() == ["2", "5"]


def test_pandas_decimals_as_float_by_choice() -> None:
    frame = ranking(ranking_row(1)).output2.to_pandas(decimals="float")
    assert frame["prdy_ctrt"].dtype == "float64"
    assert frame["prdy_ctrt"].tolist() == [-1.25]


def test_pandas_dates_and_times_are_arrow_dates_and_times() -> None:
    frame = minute_chart().output2.to_pandas(korean=True)
    assert frame["주식 영업 일자"].dtype == pd.ArrowDtype(pa.date32())
    assert frame["주식 체결 시간"].tolist()[0] == dt.time(9, 30)
    assert frame["주식 영업 일자"].isna().tolist() == [False] * 4 + [True]


def test_bad_options_are_refused_before_any_work() -> None:
    rows = ranking(ranking_row(0)).output2
    with pytest.raises(KisValidationError, match="enums must be 'code' or 'name'"):
        rows.to_polars(enums="label")  # type: ignore[arg-type]
    with pytest.raises(KisValidationError, match="decimals must be 'exact' or 'float'"):
        rows.to_pandas(decimals="round")  # type: ignore[arg-type]


# without the extras


@pytest.mark.parametrize(
    ("missing", "convert", "extra"),
    [
        ("polars", lambda rows: rows.to_polars(), "kis-async[polars]"),
        ("pandas", lambda rows: rows.to_pandas(), "kis-async[pandas]"),
        ("pyarrow", lambda rows: rows.to_pandas(), "kis-async[pandas]"),
    ],
)
def test_without_the_extra_the_error_names_it(
    missing: str, convert: Any, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # import fails as if not installed
    with pytest.raises(KisConfigError) as raised:
        convert(ranking(ranking_row(0)).output2)
    assert f"optional package '{missing}': pip install '{extra}'" in str(raised.value)


# real-time ticks


def trade(second: int, price: int, sign: str = "2") -> Tick:
    raw = [""] * len(trade_krx.fields)
    raw[0], raw[1], raw[2], raw[3], raw[5], raw[12] = (
        "005930",
        f"0900{second:02d}",
        str(price),
        sign,
        "0.35",
        "10",
    )
    return trade_krx.tick(tuple(raw), feed=trade_krx)


def orderbook() -> Tick:
    return orderbook_krx.tick(
        ("005930", "090000", "0", *([""] * (len(orderbook_krx.fields) - 3))), feed=orderbook_krx
    )


def test_ticks_become_a_frame_typed_like_rest_rows() -> None:
    ticks = Ticks([trade(0, 71000), trade(1, 71100, sign="5")])
    frame = ticks.to_polars()
    assert frame.columns == list(trade_krx.fields)
    assert frame["stck_prpr"].to_list() == [71000, 71100]
    assert frame.schema["stck_cntg_hour"] == pl.Time
    assert frame.schema["prdy_ctrt"] == pl.Decimal(38, 2)
    assert frame["prdy_vrss_sign"].to_list() == ["2", "5"]
    assert ticks.to_pandas(korean=True)["주식 현재가"].tolist() == [71000, 71100]


def test_ticks_of_two_feeds_are_refused_until_one_is_picked() -> None:
    ticks = Ticks([trade(0, 71000), orderbook(), trade(1, 71050)])
    with pytest.raises(KisValidationError, match=r"Ticks\.of\(feed\)"):
        ticks.to_polars()
    assert ticks.of("H0STCNT0").to_polars()["stck_prpr"].to_list() == [71000, 71050]


def test_a_malformed_tick_value_is_refused_naming_the_field() -> None:
    with pytest.raises(KisDecodeError, match=r"stck_prpr: cannot read 'abc' as int"):
        Ticks([trade(0, 71000), trade_krx.tick(("005930", "090001", "abc"), feed=trade_krx)]).to_polars()


async def test_collect_ticks_keeps_one_feeds_ticks_up_to_a_count() -> None:
    async def session() -> AsyncIterator[Tick]:
        for second in range(10):
            yield orderbook()
            yield trade(second, 71000 + second)

    ticks = await collect_ticks(session(), count=3, feed=trade_krx)
    assert [tick.to_dict()["stck_prpr"] for tick in ticks] == [71000, 71001, 71002]
    assert isinstance(ticks, Ticks)


async def test_collect_ticks_needs_a_bound() -> None:
    async def never() -> AsyncIterator[Tick]:
        yield trade(0, 1)

    with pytest.raises(KisValidationError, match="count= or seconds="):
        await collect_ticks(never())
    with pytest.raises(KisValidationError, match="is not a feed"):
        await collect_ticks(never(), count=1, feed="H0NOPE00")


@pytest.mark.parametrize("pyarrow_installed", [True, False])
def test_polars_decimals_are_exact_with_or_without_pyarrow(
    pyarrow_installed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With pyarrow the decimal columns are built through Arrow, else polars reads the Decimals."""
    if not pyarrow_installed:
        monkeypatch.setitem(sys.modules, "pyarrow", None)
    rows = ranking(ranking_row(0, whol_loan_rmnd_rate="0.0000001"), ranking_row(1), ranking_row(2)).output2
    frame = rows.to_polars()
    assert frame.schema["whol_loan_rmnd_rate"] == pl.Decimal(38, 7)  # "0.0000001" is Decimal('1E-7')
    assert frame["whol_loan_rmnd_rate"].to_list() == [Decimal("1E-7"), Decimal("0.123"), Decimal("0.123")]
    assert frame["prdy_ctrt"].to_list() == [Decimal("1.5"), Decimal("-1.25"), Decimal("-2.25")]


def test_pandas_decimals_in_exponent_form_stay_exact() -> None:
    frame = ranking(ranking_row(0, whol_loan_rmnd_rate="0.0000001"), ranking_row(1)).output2.to_pandas()
    assert frame["whol_loan_rmnd_rate"].dtype == pd.ArrowDtype(pa.decimal128(38, 7))
    assert frame["whol_loan_rmnd_rate"].tolist() == [Decimal("1E-7"), Decimal("0.123")]


def test_ticks_of_two_feeds_sharing_a_class_do_not_mix_silently() -> None:
    """NXT and 통합 trades read alike; one frame of both would lose which market each came from."""
    raw = ("005930", "090000", "71000")
    ticks = Ticks([trade_nxt.tick(raw, feed=trade_nxt), trade_unified.tick(raw, feed=trade_unified)])
    with pytest.raises(KisValidationError, match=r"domestic_stock\.trade_nxt, domestic_stock\.trade_unified"):
        ticks.to_polars()
    assert ticks.of(trade_nxt).to_polars()["stck_prpr"].to_list() == [71000]


async def test_no_tick_in_time_is_an_empty_frame_with_the_feeds_columns() -> None:
    async def quiet() -> AsyncIterator[Tick]:
        for _ in range(3):
            yield orderbook()

    ticks = await collect_ticks(quiet(), count=5, feed="H0STCNT0")
    assert ticks == [] and ticks.feed is trade_krx
    frame = ticks.to_polars()
    assert frame.shape == (0, len(trade_krx.fields)) and frame.schema["stck_prpr"] == pl.Int64
    assert pickle.loads(pickle.dumps(ticks)).feed is trade_krx


def test_every_generated_output_converts_with_one_column_per_field() -> None:
    """Each endpoint's body with every field filled (benchmarks' generator): each list output and
    each object output gives a frame in both libraries, with the spec's columns."""
    from benchmarks._bodies import response_body
    from kis_async._cli._catalog import load_all

    converted = 0
    for endpoint in load_all():
        response = endpoint.response.from_dict(response_body(endpoint.response))
        for output in endpoint.outputs:
            value = getattr(response, output.key)
            if output.shape == "list":
                assert isinstance(value, Rows) and value.row_class is output.row, endpoint.name
            width = len(columns_of(output.row))
            polars_frame, pandas_frame = value.to_polars(), value.to_pandas()
            assert polars_frame.shape == pandas_frame.shape == (1, width), f"{endpoint.name} {output.key}"
            converted += 1
    assert converted > 300
