"""A bot's first call into a category imports the group module of that endpoint only, not every
generated module of the category (each costs attrs class creation: hundreds of endpoints add up)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT


def run_fresh(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return result.stdout.strip()


def test_a_category_is_importable_without_its_group_modules() -> None:
    loaded = run_fresh(
        """
        import sys
        import kis_async.domestic_stock
        print(sorted(m for m in sys.modules if m.startswith("kis_async.domestic_stock.")))
        """
    )
    assert loaded == "[]"


def test_a_call_loads_only_the_group_of_its_endpoint() -> None:
    loaded = run_fresh(
        """
        import sys
        from kis_async._namespace import load_endpoint
        import kis_async.domestic_stock
        endpoint = load_endpoint("kis_async.domestic_stock.ranking", "CREDIT_BALANCE")
        assert endpoint.name == "domestic_stock.credit_balance"
        print(sorted(m for m in sys.modules if m.startswith("kis_async.domestic_stock.")))
        """
    )
    assert loaded == "['kis_async.domestic_stock.ranking']"


def test_names_re_exported_by_a_category_still_import() -> None:
    from kis_async.domestic_stock import CreditBalanceRow, CreditBalanceSort
    from kis_async.domestic_stock.ranking import CreditBalanceRow as defined_in_group

    assert CreditBalanceRow is defined_in_group and CreditBalanceSort.LOAN_RATE == "0"


def test_an_unknown_name_is_an_attribute_error() -> None:
    import kis_async.domestic_stock

    with pytest.raises(AttributeError, match="NoSuchRow"):
        kis_async.domestic_stock.NoSuchRow  # noqa: B018
