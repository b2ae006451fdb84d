"""An agent's MCP client (the SDK's own ``mcp.Client``) connected in-process to ``kis-async mcp``
on the embedded sandbox."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

pytest.importorskip("mcp")

from mcp import Client

from kis_async._mcp._orders import Budget
from kis_async._mcp._server import build_server, open_toolbox
from kis_async._mcp._tools import Options, Toolbox

#: The sandbox's app secret (``Sandbox.client``'s default): it must never reach an agent.
SANDBOX_SECRET = "sandbox-secret"


@contextlib.asynccontextmanager
async def agent(
    sandbox: dict[str, Any] | None = None, **options: Any
) -> AsyncIterator[tuple[Client, Toolbox]]:
    """An MCP client talking to a fresh server on a seeded sandbox (``sandbox``: more ``Sandbox``
    arguments, e.g. ``env="paper"``); options as ``Options``."""
    if "budget" in options and isinstance(options["budget"], dict):
        options["budget"] = Budget(**options["budget"])
    sandbox_kwargs = {"seed": 1, "min_token_interval": 0, **(sandbox or {})}
    async with (
        open_toolbox(Options(**options), sandbox_kwargs=sandbox_kwargs) as toolbox,
        Client(build_server(toolbox)) as client,
    ):
        yield client, toolbox


async def call(
    client: Client, tool: str, arguments: dict[str, Any] | None = None
) -> tuple[dict[str, Any], bool]:
    """The tool's JSON result (its text content, as an agent reads it) and whether it is an error."""
    result = await client.call_tool(tool, arguments or {})
    (content,) = result.content
    assert content.type == "text"
    return json.loads(content.text), bool(result.is_error)


async def ok(client: Client, tool: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    body, is_error = await call(client, tool, arguments)
    assert not is_error, body
    return body


def tick(price: int) -> int:
    """The KRX price step (호가단위) at ``price``, won."""
    for below, step in ((2_000, 1), (5_000, 5), (20_000, 10), (50_000, 50), (200_000, 100), (500_000, 500)):
        if price < below:
            return step
    return 1_000


async def market_price(client: Client, symbol: str, ticks: int = 0) -> int:
    """The sandbox's current price of ``symbol`` on the tick grid, moved by ``ticks`` steps
    (negative: below the market, so a buy stays open; within the day's price limits)."""
    price = int((await ok(client, "quote", {"symbol": symbol}))["output"]["stck_prpr"])
    step = tick(price)
    return price - price % step + ticks * step
