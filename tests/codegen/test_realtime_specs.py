"""Feed specs: imported from the WebSocket pages, validated, generated into typed tick classes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from codegen.loader import SpecError, load_specs
from codegen.realtime_import import feed_name, import_page, infer_type
from kis_async import KisDecodeError, KisUnsupportedError
from kis_async._auth import Secret
from kis_async._feed import all_feeds, feed_for
from kis_async._realtime_wire import Answer, parse_answer, parse_frame, split_records
from kis_async.enums import Sign
from kis_async.realtime import domestic_stock as ds
from kis_async.realtime import overseas_stock
from tests.paths import ROOT, SHARED_DOCS

DOCS = SHARED_DOCS
PORTAL = DOCS / "portal"
needs_docs = pytest.mark.skipif(not PORTAL.exists(), reason=f"KIS portal pages not found at {PORTAL}")

FEED_SPEC = """\
kind: realtime
title: 국내주식 실시간체결가 (KRX)
tr_id: {real: H0STCNT0, paper: H0STCNT0}
tr_key: {meaning: symbol}
fields:
  - {wire: MKSC_SHRN_ISCD, korean: 유가증권 단축 종목코드}
  - {wire: STCK_PRPR, korean: 주식 현재가, type: int}
"""


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# -- the spec tree -------------------------------------------------------------------------------


def test_every_feed_page_has_a_spec_and_a_generated_feed() -> None:
    specs = load_specs(ROOT / "spec")
    assert len(specs.realtime) == 60
    assert len(all_feeds()) == 60
    assert {f.name for f in all_feeds()} == {f"{s.category}.{s.name}" for s in specs.realtime}


def test_a_feed_spec_outside_category_realtime_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "domestic_stock/quotes/trade.yaml", FEED_SPEC)
    with pytest.raises(SpecError, match=r"quotes/trade.yaml: \(file\): a realtime spec lives at"):
        load_specs(tmp_path)


def test_two_feeds_with_one_tr_id_are_rejected(tmp_path: Path) -> None:
    write(tmp_path, "domestic_stock/realtime/trade_a.yaml", FEED_SPEC)
    write(tmp_path, "domestic_stock/realtime/trade_b.yaml", FEED_SPEC)
    with pytest.raises(SpecError, match=r"H0STCNT0 is also the TR of domestic_stock/realtime/trade_a\.yaml"):
        load_specs(tmp_path)


def test_a_field_named_like_a_tick_attribute_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "domestic_stock/realtime/trade.yaml", FEED_SPEC + "  - {wire: RAW, korean: x}\n")
    with pytest.raises(SpecError, match=r"fields\[2\]\(RAW\): 'raw' is reserved on every tick"):
        load_specs(tmp_path)


def test_an_unknown_enum_in_a_feed_is_rejected(tmp_path: Path) -> None:
    write(
        tmp_path,
        "domestic_stock/realtime/trade.yaml",
        FEED_SPEC + "  - {wire: X_SIGN, korean: x, enum: Nope}\n",
    )
    with pytest.raises(SpecError, match="enum 'Nope' is not defined"):
        load_specs(tmp_path)


def test_a_bool_field_in_a_feed_is_rejected_with_what_to_do(tmp_path: Path) -> None:
    write(
        tmp_path,
        "domestic_stock/realtime/trade.yaml",
        FEED_SPEC + "  - {wire: TRHT_YN, korean: 거래정지 여부, type: bool}\n",
    )
    with pytest.raises(SpecError, match=r"TRHT_YN.*no bool type"):
        load_specs(tmp_path)


NOTICE_SPEC = """\
kind: realtime
title: 해외주식 실시간체결통보
tr_id: {real: H0GSCNI0, paper: H0GSCNI9}
tr_key: {meaning: hts_id}
fields:
  - {wire: CUST_ID, korean: 고객 ID}
  - {wire: CNTG_UNPR, korean: 체결단가, type: decimal, scale: %s}
  - {wire: ODER_COND, korean: 해외종목구분}
  - {wire: CNTG_QTY, korean: 체결수량, type: int}
"""


@pytest.mark.parametrize(
    ("scale", "problem"),
    [
        (
            '{by: MARKET, places: {"6": 4}}',
            r"fields\[1\]\(CNTG_UNPR\)\.scale\.by: 'MARKET' is not a field of this record",
        ),
        ('{by: CNTG_QTY, places: {"6": 4}}', r"scale\.by: CNTG_QTY is int; the places are chosen by a code"),
        ('{by: CNTG_UNPR, places: {"6": 4}}', r"scale\.by: a field cannot choose its own decimals"),
        (
            '{by: ODER_COND, places: {"6": 4.5}}',
            r"scale\.places\['6'\]: 4\.5 is not a whole number of decimals",
        ),
        (
            '{by: ODER_COND, places: {"6": 40}}',
            r"scale\.places\['6'\]: 40 is not a whole number of decimals \(0 to 18\)",
        ),
        (
            "{by: ODER_COND, places: {6: 4}}",
            r"scale\.places\[6\]: invalid value for type, expected str",
        ),  # an unquoted code is a number, not text
        ("{by: ODER_COND, places: {}}", r"scale\.places: give at least one code"),
        ("{by: ODER_COND}", r"scale\.places: required field missing"),
    ],
)
def test_a_scale_that_cannot_be_applied_is_refused_naming_the_problem(
    tmp_path: Path, scale: str, problem: str
) -> None:
    write(tmp_path, "overseas_stock/realtime/fill_notice.yaml", NOTICE_SPEC % scale)
    with pytest.raises(SpecError, match=r"overseas_stock/realtime/fill_notice\.yaml: .*" + problem):
        load_specs(tmp_path)


def test_a_scale_needs_a_decimal_field(tmp_path: Path) -> None:
    text = (NOTICE_SPEC % '{by: ODER_COND, places: {"6": 4}}').replace("type: decimal", "type: int")
    write(tmp_path, "overseas_stock/realtime/fill_notice.yaml", text)
    with pytest.raises(
        SpecError, match=r"CNTG_UNPR\)\.scale: an implied decimal point needs type: decimal, not int"
    ):
        load_specs(tmp_path)


def test_a_valid_scale_loads_with_its_places(tmp_path: Path) -> None:
    write(
        tmp_path,
        "overseas_stock/realtime/fill_notice.yaml",
        NOTICE_SPEC % '{by: ODER_COND, places: {"6": 4, "D": 1}}',
    )
    (feed,) = load_specs(tmp_path).realtime
    scale = feed.spec.fields[1].scale
    assert scale is not None and (scale.by, scale.places) == ("ODER_COND", {"6": 4, "D": 1})
    assert scale.summary() == "4 decimals when ``oder_cond`` is 6; 1 when D"


def test_a_scale_on_a_rest_field_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path,
        "domestic_stock/quotations/price.yaml",
        """\
title: 주식현재가 시세
method: GET
path: /uapi/domestic-stock/v1/quotations/inquire-price
tr_id: {real: FHKST01010100, paper: FHKST01010100}
response:
  output:
    shape: object
    row: PriceQuote
    fields:
      - {wire: stck_prpr, korean: 주식 현재가, type: decimal, scale: {by: iscd, places: {"1": 2}}}
      - {wire: iscd, korean: 코드}
""",
    )
    with pytest.raises(
        SpecError, match=r"stck_prpr\)\.scale: an implied decimal point is read on real-time feeds only"
    ):
        load_specs(tmp_path)


# -- generated ticks -----------------------------------------------------------------------------


def trade_record(**values: str) -> tuple[str, ...]:
    record = ["005930", "093015", "73100", "2", "500", "0.69"] + ["0"] * (ds.trade_krx.field_count - 6)
    for name, value in values.items():
        record[ds.trade_krx.fields.index(name)] = value
    return tuple(record)


def test_tick_fields_are_typed_like_rest_rows() -> None:
    tick = ds.TradeKrxTick(trade_record())
    assert tick.mksc_shrn_iscd == "005930"
    assert tick.stck_cntg_hour == dt.time(9, 30, 15)
    assert tick.stck_prpr == 73100
    assert tick.prdy_vrss_sign is Sign.RISE
    assert tick.prdy_ctrt == Decimal("0.69")


def test_blank_values_are_none_and_unknown_codes_pseudo_members() -> None:
    tick = ds.TradeKrxTick(trade_record(stck_prpr="", prdy_vrss_sign="9"))
    assert tick.stck_prpr is None
    assert tick.prdy_vrss_sign is not None and tick.prdy_vrss_sign.name == "UNKNOWN_9"


def test_a_malformed_value_names_the_field_when_read() -> None:
    tick = ds.TradeKrxTick(trade_record(stck_prpr="7x"))
    with pytest.raises(KisDecodeError, match=r"TradeKrxTick.stck_prpr: cannot read '7x' as int"):
        _ = tick.stck_prpr
    assert "stck_prpr='7x'" in repr(tick)


def test_ticks_are_frozen_and_compare_by_value() -> None:
    tick = ds.TradeKrxTick(trade_record())
    with pytest.raises(AttributeError):
        tick.stck_prpr = 1  # type: ignore[misc]
    assert tick == ds.TradeKrxTick(trade_record())
    assert tick.to_dict()["stck_prpr"] == 73100
    assert list(tick.to_dict()) == list(ds.trade_krx.fields)


def test_ticks_of_every_feed_are_slotted_hashable_values() -> None:
    for feed in all_feeds():
        tick = feed.tick(("KEY",), feed)
        assert not hasattr(tick, "__dict__"), feed.name  # a bot keeps millions of them
        assert hash(tick) == hash(feed.tick(("KEY",), feed)) and tick == feed.tick(("KEY",), feed)
        assert tick != ds.TradeKrxTick(("KEY",)) or feed is ds.trade_krx


def test_feeds_are_found_by_tr_id_and_know_their_environments() -> None:
    assert feed_for("H0STCNI9") is ds.fill_notice
    assert ds.fill_notice.encrypted and ds.fill_notice.tr_key == "hts_id"
    assert ds.fill_notice.tr_id("paper") == "H0STCNI9"
    with pytest.raises(KisUnsupportedError, match="not available on paper"):
        overseas_stock.delayed_trade.tr_id("paper")


# -- frames and answers ----------------------------------------------------------------------------


def test_a_frame_is_cut_into_its_records_in_order() -> None:
    frame = parse_frame("0|H0STCNT0|002|a^1^b^2")
    assert (frame.encrypted, frame.tr_id, frame.count) == (False, "H0STCNT0", 2)
    assert split_records(frame.payload.split("^"), frame.count, 2) == ([("a", "1"), ("b", "2")], 2)


def test_records_wider_than_the_spec_keep_their_extra_fields() -> None:
    records, width = split_records(["a", "1", "x", "b", "2", "y"], 2, 2)
    assert width == 3 and records[1] == ("b", "2", "y")


def test_a_frame_whose_values_do_not_divide_is_malformed() -> None:
    with pytest.raises(ValueError, match="5 values do not make 2 records"):
        split_records(["a", "1", "b", "2", "c"], 2, 2)


def test_answers_keep_aes_parameters_secret() -> None:
    answer = parse_answer(
        '{"header": {"tr_id": "H0STCNI0", "tr_key": "bot", "encrypt": "N"}, "body": {"rt_cd": "0", '
        '"msg_cd": "OPSP0000", "msg1": "SUBSCRIBE SUCCESS", "output": {"iv": "ivivivivivivivi1", "key": "k" }}}'
    )
    assert answer.ok and answer.key == Secret("k")
    assert "ivivivivivivivi1" not in repr(answer)


def test_already_in_subscribe_is_not_a_failure() -> None:
    assert Answer("H0STCNT0", "005930", "1", "OPSP0002", "ALREADY IN SUBSCRIBE").ok
    assert not Answer("H0STCNT0", "005930", "1", "OPSP0008", "MAX SUBSCRIBE OVER").ok


# -- the importer ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("국내주식 실시간체결가 (KRX)", "trade_krx"),
        ("국내주식 시간외 실시간호가 (KRX)", "after_hours_orderbook_krx"),
        ("국내주식 실시간예상체결 (통합)", "expected_trade_unified"),
        ("KRX야간옵션실시간체결통보", "night_option_fill_notice"),
        ("해외주식 지연호가(아시아)", "delayed_orderbook_asia"),
        ("국내지수 실시간프로그램매매", "index_program_trading"),
    ],
)
def test_feed_names_follow_the_rule(title: str, name: str) -> None:
    assert feed_name(title) == name


def test_types_are_inferred_from_kis_names() -> None:
    assert infer_type("STCK_PRPR", "주식 현재가", "Number", "", "domestic_stock") == {"type": "int"}
    assert infer_type("FUTS_PRPR", "선물 현재가", "Number", "", "domestic_futureoption") == {
        "type": "decimal"
    }
    assert infer_type("PRDY_CTRT", "전일 대비율", "Number", "", "domestic_stock") == {"type": "decimal"}
    assert infer_type("CNTG_QTY", "체결 수량", "String", "", "domestic_stock") == {"type": "int"}
    assert infer_type("PRDY_VRSS_SIGN", "부호", "String", "1 : 상한 2 : 상승", "domestic_stock") == {
        "enum": "Sign"
    }
    assert infer_type("BSOP_DATE", "영업 일자", "String", "", "domestic_stock") == {"type": "date"}
    assert infer_type("CCLD_DVSN", "체결구분", "String", "1:매수", "domestic_stock") == {}
    assert infer_type("WGHN_AVRG_STCK_PRC", "가중평균주식가격", "String", "", "domestic_stock") == {
        "type": "decimal"
    }


@needs_docs
def test_the_importer_prefers_the_pages_url_when_its_tr_id_contradicts_it() -> None:
    feed = import_page(PORTAL / "[장내채권]_실시간시세" / "일반채권_실시간호가.md")
    assert feed.path == "domestic_bond/realtime/bond_orderbook.yaml"
    assert 'real: "H0BJASP0"' in feed.yaml
    assert yaml.safe_load(feed.yaml)["importer_notes"] == [
        "imported from portal/[장내채권]_실시간시세/일반채권_실시간호가.md; types inferred by name",
        "the page's 실전 TR ID H0BJCNT0 differs from its URL's H0BJASP0; used H0BJASP0",
    ]


@needs_docs
def test_a_field_listed_twice_keeps_the_positions_of_those_after_it() -> None:
    feed = import_page(PORTAL / "[해외주식]_실시간시세" / "해외주식_실시간호가.md")
    assert "wire: PBID3_REPEAT" in feed.yaml
    assert feed.yaml.count("\n  - {wire:") == 77


@needs_docs
def test_every_page_imports_to_one_committed_spec() -> None:
    paths = [import_page(page).path for page in sorted(PORTAL.glob("*실시간*/*.md"))]
    assert len(paths) == len(set(paths)) == 60
    assert all((ROOT / "spec" / path).exists() for path in paths)


def test_the_overseas_order_book_reads_ten_levels_each_once() -> None:
    # the page repeats level 3; live records carry 10 levels, so the repeat would shift 4..10
    fields = overseas_stock.OverseasStockOrderbookTick.fields()
    assert not [name for name in fields if name.endswith("_repeat")]
    assert [name for name in fields if name.startswith("pbid")] == [f"pbid{n}" for n in range(1, 11)]


@needs_docs
def test_a_notice_page_that_shows_a_symbol_example_still_keys_by_hts_id() -> None:
    feed = import_page(PORTAL / "[국내선물옵션]_실시간시세" / "선물옵션_실시간체결통보.md")
    assert 'tr_key: {meaning: hts_id, korean: "HTS ID"}' in feed.yaml


def test_execution_notice_codes_read_as_named_members() -> None:
    values = [""] * ds.fill_notice.field_count
    for name, code in (("cntg_yn", "2"), ("rctf_cls", "2"), ("seln_byov_cls", "01"), ("oder_kind", "00")):
        values[getattr(ds.FillNoticeTick, name).index] = code
    notice = ds.FillNoticeTick(tuple(values))
    assert (notice.cntg_yn.name, notice.rctf_cls.name, notice.seln_byov_cls.name, notice.oder_kind.name) == (
        "FILL",
        "CANCEL",
        "SELL",
        "LIMIT",
    )
