"""Which endpoints are curated: reviewed by hand against real-data-notes.md, with a corpus."""

from __future__ import annotations

import importlib
from typing import Any

from kis_async._registry import ENDPOINTS
from tests.paths import ROOT

SPECS = ROOT / "spec"


def descriptors() -> dict[str, Any]:
    """Every generated endpoint descriptor by dotted name."""
    return {
        name: getattr(importlib.import_module(f"kis_async.{module}"), const)
        for module, const, name in ENDPOINTS
    }


#: The 16 endpoints hand-reviewed against endpoints-notes.md and real-data-notes.md (the breadth
#: issue's set): each promises a real-data corpus file and the reviewed types tested here. Specs
#: reviewed later against their portal page only are checked by the smoke and property tests.
CURATED = frozenset(
    {
        "domestic_stock.credit_balance",
        "domestic_stock.inquire_price",
        "domestic_stock.inquire_daily_price",
        "domestic_stock.inquire_daily_itemchartprice",
        "domestic_stock.volume_rank",
        "domestic_stock.fluctuation",
        "domestic_stock.market_cap",
        "domestic_stock.short_sale",
        "domestic_stock.inquire_balance",
        "domestic_stock.inquire_daily_ccld",
        "domestic_stock.inquire_psbl_order",
        "domestic_stock.order_cash",
        "domestic_stock.order_rvsecncl",
        "overseas_price.price",
        "overseas_stock.inquire_balance",
    }
)


def curated_endpoints() -> frozenset[str]:
    missing = CURATED - set(descriptors())
    assert not missing, f"curated endpoints without a generated method: {sorted(missing)}"
    return CURATED
