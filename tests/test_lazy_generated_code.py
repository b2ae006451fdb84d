"""Importing the SDK stays cheap with every endpoint generated: nothing generated loads on
``import kis_async``, and a category loads a group's models only when one of its methods runs."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


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
assert kis_async.CreditBalanceRow.__module__ == "kis_async.domestic_stock.ranking"
"""
    )


def test_a_category_loads_a_group_when_a_method_of_it_runs() -> None:
    run(
        """
import asyncio, sys
import kis_async.domestic_stock
groups = lambda: sorted(m for m in sys.modules if m.startswith("kis_async.domestic_stock."))
assert groups() == [], groups()

class Client:  # what the category hands the call to: the endpoint descriptor and the arguments
    async def request(self, endpoint, args):
        return endpoint.name, args

category = kis_async.domestic_stock.DomesticStock(Client())
assert asyncio.run(category.inquire_price(symbol="005930"))[0] == "domestic_stock.inquire_price"
assert groups() == ["kis_async.domestic_stock.quotations"], groups()
"""
    )


def test_classes_of_every_group_are_importable_from_the_category() -> None:
    run(
        """
from kis_async.domestic_stock import CreditBalanceRow, InquirePriceResponse, InquireBalanceCall
from kis_async.domestic_bond import DomesticBondInquireBalanceResponse
from kis_async.overseas_stock import Currency
assert InquirePriceResponse.__module__ == "kis_async.domestic_stock.quotations"
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
