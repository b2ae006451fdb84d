"""A desktop MCP client starts ``python -m kis_async._mcp`` over stdio, as its configuration says."""

from __future__ import annotations

import json
import os
import sys

from mcp import Client, StdioServerParameters

from tests.mcp.conftest import SANDBOX_SECRET


async def test_a_client_starts_the_server_over_stdio_on_the_sandbox_by_default() -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIS_")}
    environ["KIS_ENV"] = "real"  # an agent never lands on real without --env real
    server = StdioServerParameters(command=sys.executable, args=["-m", "kis_async._mcp"], env=environ)
    async with Client(server) as client:
        names = [t.name for t in (await client.list_tools()).tools]
        result = await client.call_tool(
            "call_endpoint",
            {
                "name": "domestic_stock.credit_balance",
                "arguments": {"market": "0000", "period": 5, "sort": "0"},
                "limit": 1,
            },
        )

    assert "place_order" not in names and "quote" in names
    body = json.loads(result.content[0].text)
    assert body["endpoint"] == "domestic_stock.credit_balance" and len(body["output2"]) == 1
    assert SANDBOX_SECRET not in result.content[0].text
