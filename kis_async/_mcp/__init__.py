"""``kis-async mcp``: every generated KIS endpoint as tools for LLM agents (Model Context Protocol).

Split by job: :mod:`._catalog` (descriptors → lookup, JSON Schema, search), :mod:`._results`
(responses → compact JSON, cut lists), :mod:`._orders` (preview/confirm tokens, budget),
:mod:`._tools` (the tools, independent of any MCP library), :mod:`._server` (the MCP SDK binding,
stdio and streamable HTTP). ``docs/mcp.md`` describes the tools and their safety rules.

The default environment is the embedded sandbox; paper and real must be named (``--env``).
No order tool exists unless the server was started with ``--allow-orders``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from typing import Any

from kis_async._errors import KisConfigError

__all__ = ["add_arguments", "main", "options_from", "resolve"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-orders",
        action="store_true",
        help="offer preview_order/place_order (every order is previewed, then confirmed with a token)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="market data only: no order tool, and no account reads (balance, open orders, fills)",
    )
    parser.add_argument(
        "--max-orders", type=int, default=5, metavar="N", help="orders this server sends at most (default 5)"
    )
    parser.add_argument(
        "--max-order-amount",
        default="1000000",
        metavar="AMOUNT|none",
        help="total quantity × price of those orders at most (default 1000000; cancels are free)",
    )
    parser.add_argument("--http", action="store_true", help="streamable HTTP instead of stdio")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="--http address (default 127.0.0.1; any other needs KIS_MCP_HTTP_TOKEN, a bearer token)",
    )
    parser.add_argument("--port", type=int, default=8765, help="--http port (default 8765)")
    parser.add_argument("--seed", type=int, default=0, help="the embedded sandbox's data seed")


def options_from(namespace: argparse.Namespace, env: str, account: str | None) -> Any:
    from kis_async._mcp._orders import Budget
    from kis_async._mcp._tools import Options

    if namespace.read_only and namespace.allow_orders:
        raise KisConfigError("--read-only and --allow-orders contradict each other; choose one")
    amount_text = str(namespace.max_order_amount).strip().lower()
    if amount_text in ("none", "off", "unlimited"):
        amount: int | None = None
    else:
        try:
            amount = int(amount_text.replace(",", "").replace("_", ""))
        except ValueError:
            raise KisConfigError(
                f"--max-order-amount must be a whole number or none, got {namespace.max_order_amount!r}"
            ) from None
    return Options(
        environment=env,  # type: ignore[arg-type]
        allow_orders=namespace.allow_orders,
        read_only=namespace.read_only,
        budget=Budget(max_orders=namespace.max_orders, max_amount=amount),
        account=account,
    )


def resolve(namespace: argparse.Namespace) -> tuple[Any, dict[str, Any] | None]:
    """The server's options and, for paper/real, the client's keyword arguments. The environment
    is the sandbox unless ``--env`` names another: ``KIS_ENV`` or the config file's ``env`` never
    choose paper or real for an agent (credentials for the named one still come from them)."""
    from kis_async._cli._settings import load_settings

    env = getattr(namespace, "env", None) or "sandbox"
    host = getattr(namespace, "host", "127.0.0.1")
    beyond = getattr(namespace, "http", False) and host not in ("127.0.0.1", "localhost", "::1")
    if beyond and not os.environ.get("KIS_MCP_HTTP_TOKEN"):
        raise KisConfigError(
            f"--host {host} serves beyond this machine: set KIS_MCP_HTTP_TOKEN to a long random "
            "secret (clients send it as 'Authorization: Bearer …'), or keep the default 127.0.0.1"
        )
    settings = load_settings(env, getattr(namespace, "config", None))
    options = options_from(namespace, env, settings.account)
    if env == "sandbox":
        return options, None
    client_kwargs = settings.client_kwargs()
    redis_url = os.environ.get("KIS_REDIS_URL")
    if redis_url:  # the fleet's shared token and rate limit apply to the agent's calls too
        client_kwargs["redis_url"] = redis_url
    return options, client_kwargs


def main(namespace: argparse.Namespace) -> int:
    """Run the server until its client disconnects (stdio) or it is stopped (``--http``)."""
    options, client_kwargs = resolve(namespace)
    _configure_logging(bool(getattr(namespace, "debug", False)))
    asyncio.run(_serve(options, client_kwargs, namespace))
    return 0


async def _serve(options: Any, client_kwargs: Any, namespace: argparse.Namespace) -> None:
    from kis_async._mcp._server import open_toolbox, serve_http, serve_stdio

    sandbox_kwargs = {"seed": namespace.seed}
    async with open_toolbox(options, client_kwargs=client_kwargs, sandbox_kwargs=sandbox_kwargs) as toolbox:
        logging.getLogger("kis_async.mcp").info(
            "kis-async MCP server: env=%s orders=%s read_only=%s",
            options.environment,
            "allowed" if toolbox.orders_enabled else "off",
            options.read_only,
        )
        if namespace.http:
            token = os.environ.get("KIS_MCP_HTTP_TOKEN") or None
            await serve_http(toolbox, namespace.host, namespace.port, token)
        else:
            await serve_stdio(toolbox)


def _configure_logging(debug: bool) -> None:
    """INFO on stderr (stdout is the protocol): one line per tool call; ``--debug`` every request."""
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(name)s %(levelname)s: %(message)s"
    )
    logging.getLogger("kis_async.mcp").setLevel(logging.INFO)
    if debug:
        logging.getLogger("kis_async").setLevel(logging.DEBUG)
