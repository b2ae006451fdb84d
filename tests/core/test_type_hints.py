"""Tools that read signatures at run time (pydantic's ``validate_call``, FastAPI, typer-style CLIs,
beartype, LLM tool-schema builders) call ``typing.get_type_hints``: it resolves every generated
method and class, to the real classes, and still imports a group only when asked."""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from typing import Any

import kis_async
from kis_async._namespace import EndpointMethod
from kis_async._registry import ENDPOINTS, NAMES, NAMESPACES
from kis_async.realtime._registry import FEEDS
from tests.paths import ROOT


def generated_methods() -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every method of every category class (a paged one returns ``Paged[<its response>]``)."""
    for namespace, class_name in NAMESPACES.items():
        category = getattr(importlib.import_module(f"kis_async.{namespace}"), class_name)
        for name, attribute in vars(category).items():
            if name.startswith("_") or not isinstance(attribute, EndpointMethod):
                continue
            method = getattr(category, name)
            assert inspect.isfunction(method)
            yield f"{namespace}.{name}", method


METHODS = dict(generated_methods())


def test_every_generated_method_resolves_its_type_hints() -> None:
    unresolved = {}
    for name, method in METHODS.items():
        try:
            typing.get_type_hints(method)
        except Exception as exc:
            unresolved[name] = repr(exc)
    assert len(METHODS) == len(ENDPOINTS) > 250
    assert unresolved == {}


def test_an_order_signature_resolves_to_the_real_classes() -> None:
    hints = typing.get_type_hints(METHODS["domestic_stock.order_cash"])
    assert hints["return"] is kis_async.OrderCashResponse
    assert kis_async.OrderSide in typing.get_args(hints["side"])
    assert hints["quantity"] is int
    assert hints["account"] == str | None


def test_a_paged_call_resolves_to_its_response() -> None:
    hints = typing.get_type_hints(METHODS["domestic_stock.inquire_balance"])
    assert hints["return"] == kis_async.Paged[kis_async.InquireBalanceResponse]
    all_hints = typing.get_type_hints(kis_async.Paged.all)
    assert all_hints["max_pages"] == int | None


def test_every_generated_class_resolves_its_type_hints() -> None:
    unresolved = {}
    for name in NAMES:
        try:
            typing.get_type_hints(getattr(kis_async, name))
        except Exception as exc:
            unresolved[name] = repr(exc)
    assert unresolved == {}
    row = typing.get_type_hints(kis_async.CreditBalanceRow)
    assert row["stck_prpr"] == int | None


def test_every_tick_class_resolves_its_type_hints() -> None:
    feeds = [
        getattr(importlib.import_module(f"kis_async.realtime.{module}"), name) for module, name, _, _ in FEEDS
    ]
    ticks = {feed.tick for feed in feeds}
    assert len(ticks) > 40
    for tick in ticks:
        assert isinstance(typing.get_type_hints(tick), dict)


def test_resolving_a_signature_imports_only_the_group_it_names() -> None:
    code = """
import sys, typing
import kis_async.domestic_stock as ds
groups = lambda: sorted(m for m in sys.modules if m.startswith("kis_async.domestic_stock.") and m.count(".") == 3)
assert groups() == [], groups()
hints = typing.get_type_hints(ds.DomesticStock.inquire_price)
assert hints["return"].__name__ == "InquirePriceResponse"
assert groups() == ["kis_async.domestic_stock.quotations.inquire_price"], groups()
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
