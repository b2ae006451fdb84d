"""Orders from an agent: refused without --allow-orders; with it, previewed, confirmed once by a
token, within the budget, never retried, and an unknown outcome explained with the lookup to do."""

from __future__ import annotations

import datetime as dt

from kis_async import KST
from kis_async.sandbox import Fault
from tests.mcp.conftest import agent, call, market_price, ok

ORDER = "domestic_stock.order_cash"


async def test_without_allow_orders_there_is_no_order_tool_and_no_order_is_sent() -> None:
    async with agent() as (client, toolbox):
        names = [t.name for t in (await client.list_tools()).tools]
        body, is_error = await call(
            client,
            "call_endpoint",
            {"name": ORDER, "arguments": {"side": "buy", "symbol": "005930", "quantity": 1, "price": 0}},
        )
        hidden, hidden_error = await call(client, "preview_order", {"action": "buy"})

    assert "preview_order" not in names and "place_order" not in names
    assert is_error and body["error"] == "OrderRefusedError"
    assert "without --allow-orders" in body["message"]
    assert hidden_error and hidden["message"].startswith("unknown tool 'preview_order'")
    assert toolbox.sandbox.stats.orders == []


async def test_an_order_is_previewed_confirmed_listed_and_cancelled() -> None:
    async with agent(allow_orders=True) as (client, toolbox):
        tools = {t.name: t for t in (await client.list_tools()).tools}
        low = await market_price(client, "005930", ticks=-5)  # below the market: it stays open
        preview = await ok(
            client, "preview_order", {"action": "buy", "symbol": "005930", "quantity": 3, "price": low}
        )
        assert toolbox.sandbox.stats.orders == []  # a preview sends nothing
        placed = await ok(client, "place_order", {"token": preview["token"]})
        again, again_error = await call(client, "place_order", {"token": preview["token"]})
        listed = await ok(client, "open_orders")
        cancel = await ok(client, "preview_order", {"action": "cancel", "order_no": placed["output"]["odno"]})
        cancelled = await ok(client, "place_order", {"token": cancel["token"]})
        after = await ok(client, "open_orders")

    assert tools["place_order"].annotations is not None and tools["place_order"].annotations.destructive_hint
    assert preview["preview"] == f"BUY 3 × 005930 at {low:,} (order_type 00 LIMIT) = {3 * low:,}"
    assert preview["tr_id"] == "TTTC0012U" and preview["environment"] == "sandbox"
    assert preview["budget_after"] == {"orders_left": 4, "amount_left": 1_000_000 - 3 * low}
    assert placed["sent"] == preview["preview"] and placed["output"]["odno"]
    assert again_error and "already used token" in again["message"]
    (open_order,) = listed["open_orders"]
    assert (open_order["odno"], open_order["pdno"], open_order["ord_qty"], open_order["ord_unpr"]) == (
        placed["output"]["odno"],
        "005930",
        3,
        low,
    )
    assert cancel["preview"] == f"CANCEL order {placed['output']['odno']} (005930, 3 of 3 open)"
    assert cancelled["budget"] == {"orders_left": 4, "amount_left": 1_000_000 - 3 * low}  # cancels are free
    assert after["open_orders"] == []
    bodies = [(o.endpoint, o.body.get("ORD_QTY")) for o in toolbox.sandbox.stats.orders]
    assert bodies == [(ORDER, "3"), ("domestic_stock.order_rvsecncl", "0")]  # each sent exactly once


async def test_an_order_is_amended_through_a_preview() -> None:
    async with agent(allow_orders=True, budget={"max_orders": 5, "max_amount": None}) as (client, toolbox):
        low = await market_price(client, "005930", ticks=-8)
        higher = await market_price(client, "005930", ticks=-3)  # still below the market: stays open
        token = await ok(
            client, "preview_order", {"action": "buy", "symbol": "005930", "quantity": 2, "price": low}
        )
        placed = await ok(client, "place_order", {"token": token["token"]})
        amend = await ok(
            client,
            "preview_order",
            {"action": "amend", "order_no": placed["output"]["odno"], "price": higher},
        )
        amended = await ok(client, "place_order", {"token": amend["token"]})
        listed = await ok(client, "open_orders")

    assert (
        amend["preview"]
        == f"AMEND order {placed['output']['odno']} (005930) to 2 at {higher:,} = {2 * higher:,}"
    )
    assert amended["budget"] == {"orders_left": 3}
    assert [(o["ord_unpr"], o["ord_qty"]) for o in listed["open_orders"]] == [(higher, 2)]
    assert len(toolbox.sandbox.stats.orders) == 2


async def test_the_budget_stops_orders_but_never_a_cancel() -> None:
    async with agent(allow_orders=True, budget={"max_orders": 1, "max_amount": 200_000}) as (client, _):
        low = await market_price(client, "005930", ticks=-5)
        too_big, too_big_error = await call(
            client, "preview_order", {"action": "buy", "symbol": "005930", "quantity": 100, "price": low}
        )
        first = await ok(
            client, "preview_order", {"action": "buy", "symbol": "005930", "quantity": 1, "price": low}
        )
        placed = await ok(client, "place_order", {"token": first["token"]})
        second, second_error = await call(
            client, "preview_order", {"action": "buy", "symbol": "005930", "quantity": 1, "price": low}
        )
        cancel = await ok(client, "preview_order", {"action": "cancel", "order_no": placed["output"]["odno"]})
        await ok(client, "place_order", {"token": cancel["token"]})

    assert too_big_error and f"amount {100 * low:,} exceeds what is left" in too_big["message"]
    assert second_error and "order budget is spent (1 orders)" in second["message"]
    assert placed["budget"] == {"orders_left": 0, "amount_left": 200_000 - low}


async def test_an_expired_preview_cannot_be_placed() -> None:
    async with agent(allow_orders=True) as (client, toolbox):
        now = [1000.0]
        toolbox.desk.clock = lambda: now[0]
        preview = await ok(
            client, "preview_order", {"action": "sell", "symbol": "005930", "quantity": 1, "price": 99000}
        )
        now[0] += 121
        body, is_error = await call(client, "place_order", {"token": preview["token"]})

    assert is_error and "expired (120 s)" in body["message"]
    assert toolbox.sandbox.stats.orders == []


async def test_a_bad_order_is_refused_at_preview_with_the_sdk_message() -> None:
    async with agent(allow_orders=True) as (client, toolbox):
        body, is_error = await call(
            client, "preview_order", {"action": "buy", "symbol": "5930", "quantity": 1, "price": 1000}
        )

    assert is_error and body["error"] == "KisValidationError"
    assert body["message"] == (
        "domestic_stock.order_cash: symbol (PDNO, 상품번호): got '5930', expected a string matching ^Q?[0-9A-Z]{6}$"
    )
    assert toolbox.sandbox.stats.orders == []


async def test_an_order_without_an_answer_is_not_resent_and_the_agent_is_told_what_to_look_up() -> None:
    async with agent(allow_orders=True) as (client, toolbox):
        toolbox.sandbox.faults.set(ORDER, Fault(drop=True, times=1))
        low = await market_price(client, "005930", ticks=-5)
        preview = await ok(
            client, "preview_order", {"action": "buy", "symbol": "005930", "quantity": 1, "price": low}
        )
        body, is_error = await call(client, "place_order", {"token": preview["token"]})
        listed = await ok(client, "open_orders")

    assert is_error and body["error"] == "KisOrderStateUnknownError"
    assert "NOT sent again" in body["what_to_do"] and "open_orders" in body["what_to_do"]
    assert "domestic_stock.inquire_daily_ccld" in body["what_to_do"]
    assert len(toolbox.sandbox.stats.orders_to(ORDER)) == 1  # it reached the sandbox once
    assert [o["ord_qty"] for o in listed["open_orders"]] == [1]  # and the lookup finds it


async def test_an_order_endpoint_called_generically_is_previewed_not_sent() -> None:
    async with agent(allow_orders=True, budget={"max_orders": 5, "max_amount": 100_000_000}) as (
        client,
        toolbox,
    ):
        symbol = (await ok(client, "balance"))["output1"][0]["pdno"]  # sell what the account holds
        high = await market_price(client, symbol, ticks=5)  # above the market: it stays open
        preview = await ok(
            client,
            "call_endpoint",
            {"name": ORDER, "arguments": {"side": "sell", "symbol": symbol, "quantity": 1, "price": high}},
        )
        assert toolbox.sandbox.stats.orders == []
        placed = await ok(client, "place_order", {"token": preview["token"]})

    assert preview["amount"] == high and preview["tr_id"] == "TTTC0011U"
    assert placed["output"]["odno"]
    assert [o.tr_id for o in toolbox.sandbox.stats.orders] == ["TTTC0011U"]


async def test_on_paper_open_orders_come_from_the_days_orders_and_cancel_works() -> None:
    # KIS has no 정정취소가능주문 inquiry on paper (모의투자): the day's orders stand in for it
    async with agent(sandbox={"env": "paper", "rate_limit": None}, allow_orders=True) as (client, toolbox):
        low = await market_price(client, "005930", ticks=-5)
        preview = await ok(
            client, "preview_order", {"action": "buy", "symbol": "005930", "quantity": 4, "price": low}
        )
        placed = await ok(client, "place_order", {"token": preview["token"]})
        listed = await ok(client, "open_orders")
        cancel = await ok(client, "preview_order", {"action": "cancel", "order_no": placed["output"]["odno"]})
        await ok(client, "place_order", {"token": cancel["token"]})
        after = await ok(client, "open_orders")

    assert preview["tr_id"] == "VTTC0012U"
    assert listed["endpoint"] == "domestic_stock.inquire_daily_ccld"
    assert [(o["odno"], o["rmn_qty"]) for o in listed["open_orders"]] == [(placed["output"]["odno"], 4)]
    assert after["open_orders"] == []
    assert [o.tr_id for o in toolbox.sandbox.stats.orders] == ["VTTC0012U", "VTTC0013U"]


async def test_an_overseas_order_needs_the_amount_cap_lifted_its_value_in_won_is_unknown() -> None:
    order = {
        "name": "overseas_stock.order",
        "arguments": {
            "side": "buy",
            "exchange": "NASD",
            "symbol": "AAPL",
            "quantity": 1,
            "price": "190.50",
        },
    }
    async with agent(allow_orders=True) as (client, _):
        capped, capped_error = await call(client, "call_endpoint", order)
    new_york_morning = {"now": dt.datetime(2026, 12, 7, 23, 45, tzinfo=KST)}  # 09:45 in New York
    async with agent(new_york_morning, allow_orders=True, budget={"max_orders": 1, "max_amount": None}) as (
        client,
        toolbox,
    ):
        preview = await ok(client, "call_endpoint", order)
        placed = await ok(client, "place_order", {"token": preview["token"]})

    assert capped_error and "cannot tell this order's value in won" in capped["message"]
    assert preview["tr_id"] == "TTTT1002U" and "amount" not in preview
    assert placed["budget"] == {"orders_left": 0}
    assert [o.body["OVRS_ORD_UNPR"] for o in toolbox.sandbox.stats.orders] == ["190.50"]


def test_cancels_are_recognised_from_the_descriptors() -> None:
    from kis_async._mcp import _catalog
    from kis_async._mcp._tools import _is_cancel

    amend_or_cancel = _catalog.load("overseas_stock.order_rvsecncl")
    assert _is_cancel(amend_or_cancel, {"action": "02"}) and _is_cancel(amend_or_cancel, {"action": "cancel"})
    assert not _is_cancel(amend_or_cancel, {"action": "01"})
    assert _is_cancel(_catalog.load("overseas_stock.order_resv_ccnl"), {})  # 예약주문접수취소
    assert not _is_cancel(_catalog.load("domestic_stock.order_cash"), {"side": "sell"})


def test_after_an_unknown_outcome_each_category_names_its_own_order_inquiry() -> None:
    from kis_async._mcp import _catalog
    from kis_async._mcp._orders import lookup_hint

    def hint(name: str) -> str:
        return lookup_hint(_catalog.load(name), open_orders_namespace="domestic_stock")

    assert hint(ORDER) == "open_orders or call_endpoint domestic_stock.inquire_daily_ccld (today's orders)"
    assert (
        hint("overseas_stock.order") == "call_endpoint overseas_stock.inquire_nccs (today's orders)"
    )  # 미체결
    assert "order_resv_ccnl" not in hint("overseas_stock.order_resv")  # an order is never the lookup
