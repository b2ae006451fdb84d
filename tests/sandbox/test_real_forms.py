"""The sandbox answers in the forms live servers use (real-data-notes.md), so a bot tested against it
meets them before it meets KIS: signed values, explicit plus and leading-space ratios, "0" dates,
padded continuation keys, UPPER-CASE order answers with a key no page lists."""

from __future__ import annotations

from decimal import Decimal

from kis_async import KisClient
from tests.conftest import SAMSUNG_PRICE


async def test_a_ranking_carries_signed_values_and_plus_signed_ratios(kis_sandbox: KisClient) -> None:
    ranking = await kis_sandbox.domestic_stock.fluctuation()

    wire = [row.raw["prdy_ctrt"] for row in ranking.output]
    assert any(text.startswith("+") for text in wire)
    assert any(text.startswith("-") for text in wire)
    for row in ranking.output:
        assert row.prdy_ctrt == Decimal(row.raw["prdy_ctrt"].strip())
        assert row.prdy_vrss == int(row.raw["prdy_vrss"])


async def test_an_order_answer_has_upper_case_keys_and_an_undocumented_one(kis_sandbox: KisClient) -> None:
    order = await kis_sandbox.domestic_stock.order_cash(
        side="buy", symbol="005930", quantity=1, price=SAMSUNG_PRICE
    )

    assert order.output is not None
    assert set(order.output.raw) >= {"ODNO", "KRX_FWDG_ORD_ORGNO", "ORD_TMD", "SOR_ODNO"}
    assert len(order.output.odno or "") == 10 and (order.output.odno or "").startswith("0")
    assert order.output.to_dict()["SOR_ODNO"] == ""


async def test_a_sector_list_has_a_zero_date_that_reads_as_none(kis_sandbox: KisClient) -> None:
    ranking = await kis_sandbox.domestic_stock.credit_balance(market="0000", period=5, sort="0")

    zero = [row for row in ranking.output1 if row.raw["stnd_date1"] == "0"]
    assert zero and all(row.stnd_date1 is None for row in zero)


async def test_continuation_keys_arrive_padded_and_go_back_unchanged(kis_sandbox: KisClient) -> None:
    first = await kis_sandbox.domestic_stock.inquire_balance()

    key = first.raw["ctx_area_nk100"]
    assert len(key) == 100 and key != key.rstrip()
    everything = await kis_sandbox.domestic_stock.inquire_balance().all()
    assert len(everything.output1) > len(first.output1)
