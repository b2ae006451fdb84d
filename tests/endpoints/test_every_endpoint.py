"""Every generated endpoint, called through the SDK against the sandbox (one shared sandbox).

The cases come from ``kis_async._registry.ENDPOINTS`` and each descriptor's parameters, not
from a hand-written list: a new spec is smoke-tested by ``make gen`` alone. For each endpoint:

- a call with plausible arguments (an enum's first member, a range's low bound, today for a
  date, a value fitting the length for text) answers ``rt_cd`` "0" and structures into the
  endpoint's response class, every list output holding instances of its row class;
- a call with one bad argument (a required one given as ``None``, an unknown code, a number out of range,
  a text too long) raises :class:`KisValidationError` naming that argument, before any request.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
import pytest_asyncio

from kis_async import KST, KisClient, KisValidationError, is_trading_day, next_open
from kis_async._endpoint import Endpoint, Param, today_kst
from kis_async._registry import ENDPOINTS
from kis_async.sandbox import Sandbox

pytestmark = pytest.mark.asyncio(loop_scope="module")

#: Plausible text for arguments whose name says what they hold; anything else gets "1".
TEXT_BY_NAME = {
    "symbol": "005930",
    "shtn_pdno": "005930",
    "srs_cd": "A01612",
    "exch_cd": "NASD",
    "exchange": "NASD",
    "currency": "USD",
}


def descriptor(module: str, const: str) -> Endpoint[Any]:
    endpoint: Endpoint[Any] = getattr(importlib.import_module(f"kis_async.{module}"), const)
    return endpoint


CASES = [pytest.param(module, const, name, id=name) for module, const, name in ENDPOINTS]


def arguments(endpoint: Endpoint[Any]) -> list[Param]:
    """The parameters a caller passes: no constants, no continuation keys."""
    paging = endpoint.paging or {}
    return [p for p in endpoint.params if p.name and p.const is None and p.wire not in paging]


def needed(param: Param) -> bool:
    return param.required and param.default is None and param.fill is None


def plausible(param: Param) -> Any:
    if param.enum is not None:
        return next(iter(param.enum))
    if param.kind == "int":
        return param.range[0] if param.range else 1
    if param.kind == "decimal":
        return Decimal(param.range[0]) if param.range else Decimal("1")
    if param.kind == "date":
        return today_kst()
    if param.kind == "time":
        return dt.time(9, 30)
    if param.kind == "bool":
        return True
    text = TEXT_BY_NAME.get(param.name, "1")
    return text[: param.max_length] if param.max_length else text


#: Orders the sandbox checks as KIS does: a price-0 order must be a market order to be accepted.
MARKET_ORDER = {
    "domestic_stock.order_cash": {"order_type": "01"},
    "domestic_stock.order_credit": {"order_type": "01"},
    "overseas_stock.order": {"price": 1},  # a limit order needs a price on the tick grid
    # a listed KOSPI200 future, at the market (a price-0 limit would be off the tick grid)
    "domestic_futureoption.order": {"symbol": "A01612", "order_type": "02", "price": 0},
    # region and exchange are each optional, but one of them says which TR (미국/아시아) to ask
    "overseas_stock.order_resv_list": {"region": "us"},
}


def valid_arguments(endpoint: Endpoint[Any]) -> dict[str, Any]:
    plain = {p.name: plausible(p) for p in arguments(endpoint) if needed(p)}
    return {**plain, **MARKET_ORDER.get(endpoint.name, {})}


#: Overseas orders are accepted in their exchange's session: these calls run on New York's clock.
IN_NEW_YORK = {"overseas_stock.order", "overseas_stock.order_rvsecncl"}
#: 미국주간거래 orders: taken 10:00–18:00 KST (09:00–17:00 in summer) on a US trading day.
IN_DAYTIME = {"overseas_stock.daytime_order", "overseas_stock.daytime_order_rvsecncl"}


def next_daytime(after: dt.datetime) -> dt.datetime:
    """11:00 KST of the next day (``after``'s own included) that is a New York trading day: inside
    the daytime session in winter and in summer."""
    day = after.astimezone(KST).date()
    while not is_trading_day(day, "NYSE"):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(11, 0), KST)


async def daytime_order_to_change(kis: KisClient) -> dict[str, Any]:
    """An open daytime order (a one-dollar limit buy rests) for an amend or cancel to name."""
    placed = await kis.overseas_stock.daytime_order(
        side="buy", exchange="NASD", symbol="005930", quantity=1, price=1
    )
    assert placed.output is not None
    return {"original_order_no": placed.output.odno, "action": "02"}


async def overseas_order_to_change(kis: KisClient) -> dict[str, Any]:
    """An open overseas order (a one-dollar limit buy rests) for an amend or cancel to name."""
    placed = await kis.overseas_stock.order(side="buy", exchange="NASD", symbol="005930", quantity=1, price=1)
    assert placed.output is not None
    return {"original_order_no": placed.output.odno}


async def futures_order_to_change(kis: KisClient) -> dict[str, Any]:
    """An open futures order (a limit buy at the day's lower limit rests) to cancel."""
    quote = (await kis.domestic_futureoption.inquire_price(market_division="F", symbol="A01612")).output1
    assert quote is not None and quote.futs_llam is not None
    placed = await kis.domestic_futureoption.order(
        session="day", side="02", symbol="A01612", quantity=1, price=quote.futs_llam, order_type="01"
    )
    assert placed.output is not None and placed.output.odno
    return {"original_order_no": placed.output.odno, "action": "02", "price": 0}


async def order_to_change(kis: KisClient) -> dict[str, Any]:
    """An open order (a limit buy at the day's lower limit) for an amend or cancel to name."""
    quote = (await kis.domestic_stock.inquire_price(symbol="005930")).output
    assert quote is not None and quote.stck_llam is not None
    placed = await kis.domestic_stock.order_cash(
        side="buy", symbol="005930", quantity=1, price=quote.stck_llam
    )
    assert placed.output is not None
    return {"original_order_no": placed.output.odno, "order_org_no": placed.output.krx_fwdg_ord_orgno}


def invalid_case(endpoint: Endpoint[Any]) -> tuple[dict[str, Any], str] | None:
    """Valid arguments but one bad one, and the name of the bad argument."""
    args = valid_arguments(endpoint)
    params = arguments(endpoint)
    for param in params:
        if needed(param):  # None is how a caller leaves an argument out at run time
            return {**args, param.name: None}, param.name
    for param in params:
        if param.enum is not None:
            return {**args, param.name: "no such code"}, param.name
    for param in params:
        if param.range is not None:
            return {**args, param.name: param.range[1] + 1}, param.name
        if param.kind in ("date", "time"):
            return {**args, param.name: "tomorrow"}, param.name
        if param.max_length:
            return {**args, param.name: "9" * (param.max_length + 1)}, param.name
    return None


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(rate_limit=None, min_token_interval=0) as sb:
        yield sb


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_kis(shared_sandbox: Sandbox) -> AsyncIterator[KisClient]:
    async with shared_sandbox.client(account="12345678-01", rate_limit=None) as client:
        yield client


def method_of(kis: KisClient, name: str) -> Any:
    namespace, method = name.split(".")
    return getattr(getattr(kis, namespace), method)


@pytest.mark.parametrize(("module", "const", "name"), CASES)
async def test_the_sandbox_answer_structures_into_the_response_class(
    shared_kis: KisClient, shared_sandbox: Sandbox, module: str, const: str, name: str
) -> None:
    endpoint = descriptor(module, const)
    args = valid_arguments(endpoint)
    before = shared_sandbox.clock.now()
    if name in IN_NEW_YORK:
        shared_sandbox.set_time(next_open(before, "NASD") + dt.timedelta(hours=1))
    if name in IN_DAYTIME:
        shared_sandbox.set_time(next_daytime(before))
    if name == "overseas_stock.daytime_order":
        args["price"] = 1  # a limit price on the US tick grid (the generic 0 is not one)
    try:
        if name == "domestic_stock.order_rvsecncl":
            args.update(await order_to_change(shared_kis))
        if name == "overseas_stock.order_rvsecncl":
            args.update(await overseas_order_to_change(shared_kis))
        if name == "overseas_stock.daytime_order_rvsecncl":
            args.update(await daytime_order_to_change(shared_kis))
        if name == "domestic_futureoption.order_rvsecncl":
            args.update(await futures_order_to_change(shared_kis))
        response = await method_of(shared_kis, name)(**args)
    finally:
        shared_sandbox.set_time(before)
    assert type(response) is endpoint.response
    assert response.rt_cd == "0"
    for output in endpoint.outputs:
        value = getattr(response, output.key)
        if output.shape == "list":
            assert isinstance(value, list) and all(isinstance(row, output.row) for row in value)
        else:
            assert value is None or isinstance(value, output.row)
    assert attrs.has(type(response))


@pytest.mark.parametrize(("module", "const", "name"), CASES)
async def test_a_bad_argument_is_refused_before_any_request(
    shared_kis: KisClient, shared_sandbox: Sandbox, module: str, const: str, name: str
) -> None:
    endpoint = descriptor(module, const)
    case = invalid_case(endpoint)
    if case is None:
        pytest.skip(f"{name} takes no argument that can be wrong")
    args, bad = case
    before = shared_sandbox.stats.requests[name]
    with pytest.raises(KisValidationError) as caught:
        await method_of(shared_kis, name)(**args)
    assert caught.value.field == bad
    assert shared_sandbox.stats.requests[name] == before
