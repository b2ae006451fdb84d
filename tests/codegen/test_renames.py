"""A bot written against the old names keeps running for one minor version: every renamed class
and argument still works, warns with a DeprecationWarning naming the new name, and CHANGELOG.md
lists it (``spec/_renames.yaml`` is the one table all of this is generated from)."""

from __future__ import annotations

import importlib
import inspect
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

import kis_async
from codegen.loader import SpecError, load_specs
from kis_async import KisValidationError
from kis_async._endpoint import Endpoint
from kis_async._registry import NAMES, RENAMED_CLASSES, RENAMES_UNTIL
from kis_async.domestic_stock import DomesticStock
from tests.paths import ROOT

TABLE = yaml.safe_load((ROOT / "spec/_renames.yaml").read_text(encoding="utf-8"))


class WireRecorder:
    """What a category hands a call to: here it builds the wire fields and keeps them."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    async def request(self, endpoint: Endpoint[Any], args: Mapping[str, Any]) -> dict[str, str]:
        fields = endpoint.build_request(args, ("12345678", "01"))
        self.sent.append(fields)
        return fields


def test_the_generated_aliases_are_the_table() -> None:
    assert TABLE["classes"] == RENAMED_CLASSES
    assert TABLE["until"] == RENAMES_UNTIL


@pytest.mark.parametrize(("old", "new"), sorted(TABLE["classes"].items()))
def test_an_old_class_name_gives_the_new_class_and_warns_naming_it(old: str, new: str) -> None:
    with pytest.warns(
        DeprecationWarning, match=rf"kis_async\.{old} is renamed {new} .*removed in {RENAMES_UNTIL}"
    ):
        alias = getattr(kis_async, old)
    assert alias is getattr(kis_async, new)


def test_an_old_class_name_imported_from_its_category_warns_too() -> None:
    with pytest.warns(
        DeprecationWarning, match=r"kis_async\.domestic_stock\.ChkHolidayOutput is renamed MarketCalendarDay"
    ):
        from kis_async.domestic_stock import ChkHolidayOutput  # type: ignore[attr-defined]
    assert ChkHolidayOutput is kis_async.MarketCalendarDay


def test_every_renamed_class_is_importable_from_its_category_under_both_names() -> None:
    for old, new in TABLE["classes"].items():
        category = (
            NAMES[new].split(".")[1] if NAMES[new].startswith("realtime.") else NAMES[new].split(".")[0]
        )
        if category in ("enums", "rows"):
            continue
        module = importlib.import_module(f"kis_async.{category}")
        with pytest.warns(DeprecationWarning):
            assert getattr(module, old) is getattr(module, new)


async def test_an_order_with_the_old_account_argument_sends_it_as_cano_and_warns() -> None:
    recorder = WireRecorder()
    with pytest.warns(
        DeprecationWarning,
        match=r"domestic_stock\.order_cash\(\): argument 'account_number' is renamed 'account'",
    ):
        fields: Any = await DomesticStock(recorder).order_cash(  # type: ignore[arg-type]
            side="buy", symbol="005930", quantity=1, price=70000, account_number="87654321"
        )
    assert (fields["CANO"], fields["ACNT_PRDT_CD"]) == ("87654321", "01")


async def test_the_old_and_the_new_name_together_are_refused_before_anything_is_sent() -> None:
    recorder = WireRecorder()
    with pytest.warns(DeprecationWarning), pytest.raises(KisValidationError, match="give account only"):
        await DomesticStock(recorder).order_cash(  # type: ignore[arg-type]
            side="buy",
            symbol="005930",
            quantity=1,
            price=70000,
            account="11111111",
            account_number="87654321",
        )
    assert recorder.sent == []


async def test_a_paged_call_accepts_the_old_name_on_every_form() -> None:
    recorder = WireRecorder()
    balance = DomesticStock(recorder).inquire_balance  # type: ignore[arg-type]
    with pytest.warns(DeprecationWarning, match="'account_number' is renamed 'account'"):
        fields: Any = await balance(account_number="87654321")
    assert fields["CANO"] == "87654321"


def test_every_argument_rename_is_a_keyword_of_its_method() -> None:
    for endpoint, renamed in TABLE["arguments"].items():
        namespace, method = endpoint.split(".")
        module = importlib.import_module(f"kis_async.{namespace}")
        category = getattr(module, "".join(p.capitalize() for p in namespace.split("_")))
        parameters = inspect.signature(getattr(category(WireRecorder()), method)).parameters
        assert set(renamed) | set(renamed.values()) <= set(parameters), endpoint


def test_the_changelog_lists_every_rename() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    missing = [
        f"{old} → {new}" for old, new in TABLE["classes"].items() if f"`{old}` → `{new}`" not in changelog
    ]
    for endpoint, renamed in TABLE["arguments"].items():
        for old, new in renamed.items():
            if not re.search(rf"`{re.escape(endpoint)}`[^\n]*`{old}` → `{new}`", changelog):
                missing.append(f"{endpoint}: {old} → {new}")
    assert missing == []


def test_an_old_tick_name_imported_from_its_realtime_module_warns() -> None:
    with pytest.warns(
        DeprecationWarning,
        match=r"realtime\.domestic_stock\.DomesticStockTradeKrxTick is renamed TradeKrxTick",
    ):
        from kis_async.realtime.domestic_stock import DomesticStockTradeKrxTick  # type: ignore[attr-defined]
    assert DomesticStockTradeKrxTick is kis_async.TradeKrxTick


def test_a_rename_to_a_class_no_spec_defines_stops_make_gen(tmp_path: Path) -> None:
    root = tmp_path / "spec"
    shutil.copytree(ROOT / "spec", root)
    table = root / "_renames.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace(": MarketCalendarDay", ": MarketCalendarDays"))
    with pytest.raises(
        SpecError, match=r"_renames.yaml: classes.ChkHolidayOutput: 'MarketCalendarDays' is not a class"
    ):
        load_specs(root)


def test_endpoint_idempotent_is_retry_safe_and_warns() -> None:
    from kis_async.domestic_stock.trading import ORDER_CASH

    assert ORDER_CASH.retry_safe is False
    with pytest.warns(DeprecationWarning, match=r"Endpoint.idempotent is renamed retry_safe"):
        assert ORDER_CASH.idempotent is False


def test_the_low_level_request_names_the_new_argument_for_an_old_one() -> None:
    from kis_async.domestic_stock.trading import ORDER_CASH

    with pytest.raises(
        KisValidationError, match=r"unknown argument 'account_number'; it is renamed 'account'"
    ):
        ORDER_CASH.build_request(
            {"side": "buy", "symbol": "005930", "quantity": 1, "price": 1, "account_number": "1"}
        )


def test_every_replaced_argument_is_a_keyword_beside_the_arguments_it_became() -> None:
    for endpoint, replaced in TABLE["replaced"].items():
        namespace, method = endpoint.split(".")
        module = importlib.import_module(f"kis_async.{namespace}")
        category = getattr(module, "".join(p.capitalize() for p in namespace.split("_")))
        parameters = inspect.signature(getattr(category(WireRecorder()), method)).parameters
        for old, meanings in replaced.items():
            new = {name for meaning in meanings.values() for name in meaning}
            assert {old} | new <= set(parameters), endpoint


def test_the_changelog_lists_every_replaced_argument() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for endpoint, replaced in TABLE["replaced"].items():
        for old, meanings in replaced.items():
            new = " and ".join(
                f"`{n}`" for n in sorted({n for m in meanings.values() for n in m}, reverse=True)
            )
            assert re.search(rf"`{re.escape(endpoint)}`: `{old}` → {new}", changelog), (endpoint, old)


async def test_an_old_reservation_by_order_kind_sends_the_side_it_meant_and_warns() -> None:
    from kis_async.overseas_stock import OverseasStock

    recorder = WireRecorder()
    with pytest.warns(
        DeprecationWarning,
        match=r"overseas_stock\.order_resv\(\): argument 'order_kind' is replaced by 'exchange' and 'side'",
    ):
        fields: Any = await OverseasStock(recorder).order_resv(  # type: ignore[arg-type]
            order_kind="us_sell", exchange="NYSE", symbol="BA", quantity=2, price=150
        )
    assert (fields["SLL_BUY_DVSN_CD"], fields["OVRS_EXCG_CD"]) == ("01", "NYSE")


async def test_an_old_order_kind_an_exchange_contradicts_is_refused_before_anything_is_sent() -> None:
    from kis_async.overseas_stock import OverseasStock

    recorder = WireRecorder()
    with pytest.warns(DeprecationWarning), pytest.raises(KisValidationError, match="give exchange only"):
        await OverseasStock(recorder).order_resv(  # type: ignore[arg-type]
            order_kind="asia", side="buy", exchange="NASD", symbol="AAPL", quantity=1, price=1
        )
    assert recorder.sent == []


def test_the_low_level_request_names_what_replaced_an_old_argument() -> None:
    from kis_async.overseas_stock.trading import ORDER_RESV

    with pytest.raises(
        KisValidationError, match=r"unknown argument 'order_kind'; it is replaced by 'exchange' and 'side'"
    ):
        ORDER_RESV.build_request({"order_kind": "us_buy", "exchange": "NASD", "symbol": "AAPL"})


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            {"order_kind": {"us_buy": {"sides": "buy"}}},
            r"replaced.overseas_stock.order_resv.order_kind.us_buy: 'sides' is not an argument",
        ),
        (
            {"side": {"us_buy": {"exchange": ["NASD"]}}},
            r"replaced.overseas_stock.order_resv.side: 'side' is still an argument",
        ),
        (
            {"order_kind": {"us_buy": {"exchange": []}}},
            r"order_kind.us_buy.exchange: give a code or a list of codes",
        ),
        ({"order_kind": {'us_buy")': {"side": "buy"}}}, r"order_kind: 'us_buy\"\)' is not a code"),
    ],
)
def test_a_replaced_table_that_does_not_fit_the_endpoint_stops_make_gen(
    tmp_path: Path, entry: dict[str, Any], problem: str
) -> None:
    root = tmp_path / "spec"
    shutil.copytree(ROOT / "spec", root)
    table = yaml.safe_load((root / "_renames.yaml").read_text(encoding="utf-8"))
    table["replaced"] = {"overseas_stock.order_resv": entry}
    (root / "_renames.yaml").write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SpecError, match=problem):
        load_specs(root)
