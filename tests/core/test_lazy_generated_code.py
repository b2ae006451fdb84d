"""Importing the SDK stays cheap with every endpoint generated: nothing generated loads on
``import kis_async``, and a category loads a group's models only when one of its methods runs."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.paths import ROOT


def run(code: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_import_kis_async_loads_no_generated_module() -> None:
    run(
        """
import sys
import kis_async
from kis_async._registry import NAMESPACES
loaded = [m for m in sys.modules if m.split(".")[1:2] and m.split(".")[1] in NAMESPACES]
assert not loaded, loaded
"""
    )


def test_optional_features_load_only_when_used() -> None:
    """The fleet (Redis), real-time and sandbox code cost nothing to a bot that does not use them."""
    run(
        """
import sys
import kis_async
optional = ("kis_async._fleet", "kis_async._realtime", "kis_async.sandbox", "redis", "aiohttp.web")
assert not [m for m in optional if m in sys.modules], [m for m in optional if m in sys.modules]
assert kis_async.FleetConfig.__module__ == "kis_async._fleet"
"""
    )


def test_the_package_does_not_read_the_registry_until_a_generated_name_is_asked_for() -> None:
    run(
        """
import sys
import kis_async
assert "kis_async._registry" not in sys.modules
assert kis_async.CreditBalanceRow.__module__ == "kis_async.domestic_stock.ranking.credit_balance"
"""
    )


def test_the_first_call_of_an_endpoint_loads_that_endpoint_and_nothing_else() -> None:
    run(
        """
import asyncio, sys
import kis_async.domestic_stock
groups = lambda: sorted(m for m in sys.modules if m.startswith("kis_async.domestic_stock.") and m.count(".") == 3)
assert groups() == [], groups()

class Client:  # what the category hands the call to: the endpoint descriptor and the arguments
    async def request(self, endpoint, args):
        return endpoint.name, args

category = kis_async.domestic_stock.DomesticStock(Client())
assert asyncio.run(category.inquire_price(symbol="005930"))[0] == "domestic_stock.inquire_price"
assert groups() == ["kis_async.domestic_stock.quotations.inquire_price"], groups()
"""
    )


def test_classes_of_every_group_are_importable_from_the_category() -> None:
    run(
        """
from kis_async.domestic_stock import CreditBalanceRow, InquirePriceResponse, OrderReceipt, Sign
from kis_async.domestic_stock import BrokersTick  # a tick class of the category's real-time feeds
from kis_async.domestic_bond import DomesticBondInquireBalanceResponse
from kis_async.overseas_stock import Currency
from kis_async.domestic_stock.ranking import CREDIT_BALANCE, CreditBalanceSort  # a group: descriptors too
assert InquirePriceResponse.__module__ == "kis_async.domestic_stock.quotations.inquire_price"
assert CREDIT_BALANCE.name == "domestic_stock.credit_balance"
import kis_async.elw
assert "ElwSensitivitySort" in dir(kis_async.elw)  # listed (for completion) before it is loaded
try:
    from kis_async.domestic_stock import NoSuchClass
except ImportError as exc:
    assert "NoSuchClass" in str(exc)
else:
    raise AssertionError("an unknown name imported")
"""
    )


def test_every_generated_name_resolves_from_the_package_through_the_one_registry() -> None:
    run(
        """
import kis_async, kis_async.realtime
from kis_async._registry import NAMES
for name, module in NAMES.items():
    value = getattr(kis_async, name)
    assert value.__module__ == f"kis_async.{module}", (name, value.__module__, module)
assert kis_async.realtime.domestic_stock.__name__ == "kis_async.realtime.domestic_stock"
assert "BrokersTick" in dir(kis_async) and "domestic_stock" in dir(kis_async.realtime)
"""
    )


def test_a_paged_method_returns_a_value_to_await_iterate_or_collect() -> None:
    run(
        """
import asyncio
import kis_async.domestic_stock
from kis_async import Paged

class Client:  # one page per request, answering with the endpoint's name and its arguments
    async def request(self, endpoint, args, **continuation):
        return endpoint.name, dict(args)

category = kis_async.domestic_stock.DomesticStock(Client())
call = category.inquire_balance(inquiry_type="02")
assert isinstance(call, Paged) and call.endpoint.name == "domestic_stock.inquire_balance"
async def first_page():
    return await call

name, args = asyncio.run(first_page())
assert name == "domestic_stock.inquire_balance" and args["inquiry_type"] == "02", args
"""
    )
