"""``python -m benchmarks.mcp``: the MCP server's figures (docs/mcp.md quotes them).

- endpoints reachable: every generated endpoint called through the MCP client's ``call_endpoint``
  on the embedded sandbox with plausible arguments built from its descriptor (orders through
  preview and ``place_order``);
- the tool list's size, in characters and estimated tokens (characters / 4; no tokenizer offline);
- time to the first tool result: a client spawning ``python -m kis_async._mcp`` over stdio and
  calling ``quote``, and the same in-process.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from typing import Any

from kis_async._endpoint import Endpoint, Param, today_kst
from kis_async._errors import KisValidationError
from kis_async._mcp import _catalog

#: Plausible text for arguments whose name says what they hold; anything else gets "1".
TEXT_BY_NAME = {
    "symbol": "005930",
    "shtn_pdno": "005930",
    "srs_cd": "A01703",  # KOSPI200 futures (A01), March 2027 (year 7, month 03)
    "exch_cd": "NASD",
    "exchange": "NASD",
    "currency": "USD",
}


def plausible(param: Param) -> Any:
    """A JSON value an agent would send for ``param`` (an enum's first code, a range's low bound,
    today for a date …)."""
    if param.enum is not None:
        return str(next(iter(param.enum)).value)
    if param.kind == "int":
        return param.range[0] if param.range else 1
    if param.kind == "decimal":
        return str(param.range[0]) if param.range else "1"
    if param.kind == "date":
        return today_kst().isoformat()
    if param.kind == "time":
        return "09:30:00"
    if param.kind == "bool":
        return True
    text = TEXT_BY_NAME.get(param.name, "1")
    return text[: param.max_length] if param.max_length else text


def json_arguments(endpoint: Endpoint[Any]) -> dict[str, Any]:
    """The required arguments, plus the optional TR selectors that are needed for a TR to exist
    (``order_resv_list`` takes ``region`` or ``exchange``), added from the last one back."""
    args = {p.name: plausible(p) for p in _catalog.arguments(endpoint) if _catalog.is_required(p)}
    params = {p.name: p for p in _catalog.arguments(endpoint)}
    for name in reversed(endpoint.tr_id.selectors):
        try:
            endpoint.select_tr("real", args)
            break
        except KisValidationError:
            if name not in args and name in params:
                args[name] = plausible(params[name])
    return args


def _text(result: Any) -> str:
    """The text of a tool result (this server answers with one text block)."""
    (content,) = result.content
    text: str = content.text
    return text


def tool_list_size(tools: list[Any]) -> int:
    """Characters of the tool list as a client puts it in the model's context (name, description,
    input schema, as compact JSON with Korean unescaped)."""
    return sum(
        len(
            json.dumps(
                {"name": t.name, "description": t.description, "inputSchema": t.input_schema},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
        for t in tools
    )


async def reachability() -> tuple[int, int, int, list[str]]:
    """(answered, refused by KIS, total, what did not reach KIS): an endpoint is reached when the
    call got KIS's (the sandbox's) answer, data or a business refusal (``KisApiError``: closed
    market, price limits …); one refused before sending or lost on the way is not."""
    from mcp import Client

    from kis_async._mcp._orders import Budget
    from kis_async._mcp._server import build_server, open_toolbox
    from kis_async._mcp._tools import Options

    options = Options(allow_orders=True, budget=Budget(max_orders=10_000, max_amount=None))
    failed: list[str] = []
    refused = 0
    names = _catalog.endpoint_names()
    async with (
        open_toolbox(options, sandbox_kwargs={"rate_limit": None}) as toolbox,
        Client(build_server(toolbox)) as client,
    ):
        for name in names:
            endpoint = _catalog.load(name)
            result = await client.call_tool(
                "call_endpoint", {"name": name, "arguments": json_arguments(endpoint)}
            )
            body = json.loads(_text(result))
            if not result.is_error and not endpoint.retry_safe:
                result = await client.call_tool("place_order", {"token": body["token"]})
                body = json.loads(_text(result))
            if result.is_error and body.get("error") == "KisApiError":
                refused += 1
            elif result.is_error:
                failed.append(f"{name}: {body.get('message')}")
    return len(names) - len(failed) - refused, refused, len(names), failed


async def tool_lists() -> dict[str, tuple[int, int]]:
    from mcp import Client

    from kis_async._mcp._server import build_server, open_toolbox
    from kis_async._mcp._tools import Options

    sizes = {}
    for label, options in [
        ("default (read)", Options()),
        ("--allow-orders", Options(allow_orders=True)),
        ("--read-only", Options(read_only=True)),
    ]:
        async with open_toolbox(options) as toolbox, Client(build_server(toolbox)) as client:
            tools = (await client.list_tools()).tools
            sizes[label] = (len(tools), tool_list_size(tools))
    return sizes


def describe_sizes() -> tuple[int, int, str]:
    """describe_endpoint's answer in characters: the median and the largest (and whose)."""
    sizes = sorted(
        (len(json.dumps(_catalog.describe(e), ensure_ascii=False, separators=(",", ":"))), e.name)
        for e in _catalog.load_all()
    )
    return sizes[len(sizes) // 2][0], sizes[-1][0], sizes[-1][1]


async def result_sizes() -> dict[str, int]:
    """Characters of a few typical tool results (what an agent reads back)."""
    from mcp import Client

    from kis_async._mcp._server import build_server, open_toolbox
    from kis_async._mcp._tools import Options

    calls: dict[str, tuple[str, dict[str, Any]]] = {
        "quote 005930": ("quote", {"symbol": "005930"}),
        "credit-balance ranking (20 of 30 rows)": (
            "call_endpoint",
            {
                "name": "domestic_stock.credit_balance",
                "arguments": {"market": "0000", "period": 5, "sort": "0"},
            },
        ),
        "the same, 4 fields": (
            "call_endpoint",
            {
                "name": "domestic_stock.credit_balance",
                "arguments": {"market": "0000", "period": 5, "sort": "0"},
                "fields": ["mksc_shrn_iscd", "hts_kor_isnm", "stck_prpr", "whol_loan_rmnd_rate"],
            },
        ),
        "search 신용잔고": ("search_endpoints", {"query": "신용잔고"}),
    }
    sizes = {}
    async with open_toolbox(Options()) as toolbox, Client(build_server(toolbox)) as client:
        for label, (tool, arguments) in calls.items():
            result = await client.call_tool(tool, arguments)
            sizes[label] = len(_text(result))
    return sizes


async def first_result_stdio() -> float:
    from mcp import Client, StdioServerParameters

    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIS_")}
    server = StdioServerParameters(command=sys.executable, args=["-m", "kis_async._mcp"], env=environ)
    started = time.perf_counter()
    async with Client(server) as client:
        await client.call_tool("quote", {"symbol": "005930"})
        return time.perf_counter() - started


async def first_result_in_process() -> float:
    from mcp import Client

    from kis_async._mcp._server import build_server, open_toolbox
    from kis_async._mcp._tools import Options

    started = time.perf_counter()
    async with open_toolbox(Options()) as toolbox, Client(build_server(toolbox)) as client:
        await client.call_tool("quote", {"symbol": "005930"})
        return time.perf_counter() - started


def first_search() -> float:
    """The first search in a fresh process (it imports every generated module)."""
    import subprocess

    code = (
        "import time; from kis_async._mcp import _catalog; t = time.perf_counter(); "
        "_catalog.search('신용잔고'); print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(out)


def main() -> None:
    answered, refused, total, failed = asyncio.run(reachability())
    print(
        f"endpoints reachable through call_endpoint on the sandbox: {answered + refused}/{total} "
        f"({answered} answered with data, {refused} refused by the sandbox as KIS would)"
    )
    for line in failed:
        print("  not reached:", line)
    for label, (count, chars) in asyncio.run(tool_lists()).items():
        print(f"tool list {label}: {count} tools, {chars:,} characters ≈ {chars // 4:,} tokens (chars/4)")
    median, largest, whose = describe_sizes()
    print(
        f"describe_endpoint: median {median:,} characters ≈ {median // 4:,} tokens; largest {largest:,} ({whose})"
    )
    for label, chars in asyncio.run(result_sizes()).items():
        print(f"result of {label}: {chars:,} characters ≈ {chars // 4:,} tokens")
    stdio = [asyncio.run(first_result_stdio()) for _ in range(3)]
    print(
        f"time to first tool result over stdio (spawn, start sandbox, quote): median {statistics.median(stdio):.2f} s"
    )
    print(f"in-process (sandbox start + quote): {asyncio.run(first_result_in_process()):.2f} s")
    print(f"search index, built on the first search in a fresh process: {first_search():.2f} s")


if __name__ == "__main__":
    main()
