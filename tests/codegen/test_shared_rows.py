"""Endpoints that answer with the same fields share one row class (and feeds one tick class).

A bot that places cash orders, credit orders, bond orders and amends handles one kind of
receipt (``OrderReceipt``), instead of ten identical classes; yet each spec still lists the
fields, so it can be reviewed against its own portal page, and the loader keeps the copies equal.
"""

from __future__ import annotations

import re
import textwrap
import typing
from pathlib import Path

import pytest
import yaml

import kis_async
from codegen.dynamic import endpoints_from_specs
from codegen.importer import Imported, reuse_rows
from codegen.loader import SpecError, fields_key, known_classes, load_specs
from codegen.realtime_import import ImportedFeed, reuse_tick
from codegen.render import render_all
from tests.paths import ROOT

SPEC = ROOT / "spec"

RECEIPT = """\
  - {wire: ODNO, korean: 주문번호, length: 10}
  - {wire: ORD_TMD, korean: 주문시각, length: 6, type: time}
"""


def write_order(root: Path, name: str, row: str, fields: str = RECEIPT, enums: str = "") -> None:
    """A minimal order spec ``domestic_stock/trading/<name>.yaml`` whose output is ``row``."""
    path = root / "domestic_stock" / "trading" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = textwrap.dedent(f"""\
        title: 테스트 주문 {name}
        method: POST
        path: /uapi/domestic-stock/v1/trading/{name.replace("_", "-")}
        tr_id: {{real: TTTC0001U, paper: VTTC0001U}}
        """)
    if enums:
        text += enums
    text += f"response:\n  output:\n    shape: object\n    row: {row}\n    fields:\n"
    path.write_text(text + textwrap.indent(fields, "  "), encoding="utf-8")


def problems(root: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_specs(root, shared_root=SPEC)
    return caught.value.problems


# -- the loader's rules ---------------------------------------------------------------------------


def test_two_specs_may_name_one_row_with_identical_fields(tmp_path: Path) -> None:
    write_order(tmp_path, "order_a", "TestReceipt")
    write_order(tmp_path, "order_b", "TestReceipt")
    specs = load_specs(tmp_path, shared_root=SPEC)
    files = render_all(specs)
    assert files["kis_async/rows/_test_receipt.py"].count("class TestReceipt(") == 1
    for name in ("order_a", "order_b"):
        endpoint = files[f"kis_async/domestic_stock/trading/{name}.py"]
        assert "class TestReceipt(" not in endpoint
        assert "from kis_async.rows._test_receipt import TestReceipt\n" in endpoint


def test_a_shared_row_with_other_fields_is_refused_naming_the_difference(tmp_path: Path) -> None:
    write_order(tmp_path, "order_a", "TestReceipt")
    write_order(tmp_path, "order_b", "TestReceipt", RECEIPT.replace("korean: 주문번호", "korean: 주문 번호"))
    assert problems(tmp_path) == [
        "domestic_stock/trading/order_b.yaml: response.output.row: TestReceipt is also defined by "
        "domestic_stock/trading/order_a.yaml with other fields (field 1 odno: korean '주문 번호' here, "
        "'주문번호' there); a shared row has identical fields"
    ]


def test_the_same_fields_under_two_row_names_are_refused(tmp_path: Path) -> None:
    write_order(tmp_path, "order_a", "TestReceipt")
    write_order(tmp_path, "order_b", "OtherReceipt", RECEIPT.replace("korean: 주문번호", "korean: 주문 번호"))
    (found,) = problems(tmp_path)
    assert found.startswith("domestic_stock/trading/order_b.yaml: response.output.row: OtherReceipt")
    assert (
        "same fields as TestReceipt of domestic_stock/trading/order_a.yaml: give them one row name" in found
    )


def test_a_shared_row_may_only_use_shared_enums(tmp_path: Path) -> None:
    enum = "enums:\n  TestState:\n    members:\n      DONE: {code: '1'}\n"
    fields = RECEIPT + "  - {wire: STATE, korean: 상태, enum: TestState}\n"
    write_order(tmp_path, "order_a", "TestReceipt", fields, enums=enum)
    write_order(tmp_path, "order_b", "TestReceipt", fields, enums=enum)
    found = problems(tmp_path)
    assert "domestic_stock/trading/order_b.yaml: TestState: class name also defined by " in found[0]
    assert found[1] == (
        "domestic_stock/trading/order_a.yaml: response.output.row: TestReceipt is shared by "
        "domestic_stock/trading/order_a.yaml, domestic_stock/trading/order_b.yaml, so its enums must be "
        "in spec/_shared.yaml (a shared row imports only those): move TestState there"
    )


def test_the_dynamic_builder_also_makes_one_class(tmp_path: Path) -> None:
    write_order(tmp_path, "order_a", "TestReceipt")
    write_order(tmp_path, "order_b", "TestReceipt")
    first, second = endpoints_from_specs(tmp_path, shared_dir=SPEC)
    assert first.outputs[0].row is second.outputs[0].row


def test_the_real_specs_load_with_one_class_per_field_list() -> None:
    specs = load_specs(SPEC)  # the loader refuses a field list under two names
    rows: dict[tuple[object, ...], set[str]] = {}
    for item in specs.endpoints:
        for output in item.spec.response.values():
            rows.setdefault(fields_key(output.fields), set()).add(output.row)
    assert all(len(names) == 1 for names in rows.values())
    ticks: dict[tuple[object, ...], set[str]] = {}
    for feed in specs.realtime:
        ticks.setdefault((feed.category, fields_key(feed.spec.fields)), set()).add(feed.tick_class)
    assert all(len(names) == 1 for names in ticks.values())


# -- the generated package ------------------------------------------------------------------------


def test_every_order_answers_with_the_one_order_receipt_class() -> None:
    cash = typing.get_type_hints(kis_async.OrderCashResponse)["output"]
    bond = typing.get_type_hints(kis_async.DomesticBondBuyResponse)["output"]
    amend = typing.get_type_hints(kis_async.OrderRvsecnclResponse)["output"]
    assert cash == bond == amend == kis_async.OrderReceipt | None


def test_a_body_structured_through_either_endpoint_gives_an_order_receipt() -> None:
    body = {
        "rt_cd": "0",
        "msg_cd": "APBK0013",
        "msg1": "주문 전송 완료",
        "output": {"ODNO": "0000012345", "ORD_TMD": "091500"},
    }
    for response in (
        kis_async.OrderCashResponse,
        kis_async.DomesticBondSellResponse,
        kis_async.OverseasStockOrderResponse,
    ):
        receipt = response.from_dict(body).output
        assert type(receipt) is kis_async.OrderReceipt
        assert receipt.odno == "0000012345"


def test_shared_rows_live_in_kis_async_rows_and_stay_importable_where_they_were() -> None:
    from kis_async import domestic_bond, domestic_stock, overseas_stock, rows
    from kis_async.domestic_stock import trading

    assert kis_async.OrderReceipt is rows.OrderReceipt
    assert rows.OrderReceipt.__module__ == "kis_async.rows._order_receipt"  # one module per shared row
    for module in (domestic_stock, domestic_bond, overseas_stock, trading):
        assert module.OrderReceipt is rows.OrderReceipt, module.__name__
    generated = [
        p for p in (ROOT / "kis_async").rglob("*.py") if "class OrderReceipt(" in p.read_text("utf-8")
    ]
    assert generated == [ROOT / "kis_async" / "rows" / "_order_receipt.py"]


# -- real-time ticks ------------------------------------------------------------------------------


FEED = """\
kind: realtime
title: 테스트 체결 {venue}
tr_id: {{real: {tr}, paper: unsupported}}
tr_key: {{meaning: symbol}}
tick: {tick}
fields:
  - {{wire: MKSC_SHRN_ISCD, korean: 종목코드}}
  - {{wire: STCK_PRPR, korean: {price}, type: int}}
"""


def write_feed(root: Path, category: str, name: str, tick: str, tr: str, price: str = "주식 현재가") -> None:
    path = root / category / "realtime" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FEED.format(venue=name, tr=tr, tick=tick, price=price), encoding="utf-8")


def test_feeds_of_one_category_may_share_a_tick_with_identical_fields(tmp_path: Path) -> None:
    write_feed(tmp_path, "domestic_stock", "trade_a", "TestTradeTick", "H0TEST01")
    write_feed(tmp_path, "domestic_stock", "trade_b", "TestTradeTick", "H0TEST02")
    files = render_all(load_specs(tmp_path, shared_root=SPEC))
    module = files["kis_async/realtime/domestic_stock/_test_trade_tick.py"]  # the tick and its feeds
    assert module.count("class TestTradeTick(") == 1
    assert re.search(r"TestTradeTick\.feeds = \(\s*trade_a,\s*trade_b,\s*\)", module)


def test_feeds_with_the_same_fields_must_share_and_identical_is_identical(tmp_path: Path) -> None:
    write_feed(tmp_path, "domestic_stock", "trade_a", "TestTradeTick", "H0TEST01")
    write_feed(tmp_path, "domestic_stock", "trade_b", "OtherTradeTick", "H0TEST02")
    write_feed(tmp_path, "domestic_stock", "trade_c", "TestTradeTick", "H0TEST03", price="현재가")
    found = problems(tmp_path)
    assert any(
        p.startswith(
            "domestic_stock/realtime/trade_b.yaml: tick: OtherTradeTick has the same fields as TestTradeTick"
        )
        for p in found
    )
    assert any(
        p.startswith("domestic_stock/realtime/trade_c.yaml: tick: TestTradeTick is also defined by")
        and "field 2 stck_prpr: korean '현재가' here, '주식 현재가' there" in p
        for p in found
    )


def test_a_tick_is_not_shared_across_categories(tmp_path: Path) -> None:
    write_feed(tmp_path, "domestic_stock", "trade_a", "TestTradeTick", "H0TEST01")
    write_feed(tmp_path, "overseas_stock", "trade_b", "TestTradeTick", "H0TEST02")
    assert any("a tick is shared only by feeds of one category" in p for p in problems(tmp_path))


# -- the importers --------------------------------------------------------------------------------


def test_the_importer_gives_a_drafted_receipt_the_existing_row_and_says_so() -> None:
    rows, _ = known_classes(SPEC)
    fields = [
        {
            "wire": "KRX_FWDG_ORD_ORGNO",
            "korean": "KRX 주문조직번호",
            "length": 5,
            "type": "str",
            "reviewed": False,
        },
        {"wire": "ODNO", "korean": "주문번호", "length": 10, "type": "str", "reviewed": False},
        {"wire": "ORD_TMD", "korean": "주문시각", "length": 6, "type": "time", "reviewed": False},
    ]
    draft = Imported(
        {
            "response": {
                "output": {"korean": "응답상세", "shape": "object", "row": "OrderNewOutput", "fields": fields}
            }
        },
        "domestic_stock/trading/order_new.yaml",
        [],
        "page.md",
    )
    reuse_rows(draft, rows)
    output = draft.spec["response"]["output"]
    assert output["row"] == "OrderReceipt"
    assert output["fields"][1]["description"].startswith(
        "주문시 한국투자증권 시스템에서 채번된 주문번호"
    )  # reviewed lines
    (note,) = draft.undecided
    assert note.startswith("output has the same fields as OrderReceipt of ")


def test_the_realtime_importer_gives_a_drafted_feed_the_existing_tick() -> None:
    _, ticks = known_classes(SPEC)
    brokers = (SPEC / "domestic_stock" / "realtime" / "brokers_nxt.yaml").read_text("utf-8")
    body = brokers[brokers.index("kind: realtime") :].replace("tick: BrokersTick\n", "")
    draft = ImportedFeed("domestic_stock", "brokers_new", "# draft\n" + body, ())
    reused = reuse_tick(draft, ticks)
    assert "\ntick: BrokersTick\nfields:\n" in reused.yaml
    assert reused.notes[-1].startswith("the same fields as BrokersTick of ")
    assert yaml.safe_load(reused.yaml)["importer_notes"][0].startswith("the same fields as BrokersTick")
