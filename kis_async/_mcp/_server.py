"""The tools on the wire, with the official MCP Python SDK (``pip install 'kis-async[mcp]'``).

:func:`open_toolbox` starts what the tools need (the embedded sandbox and a client, or a client
for paper/real), :func:`build_server` wraps a :class:`Toolbox` in an MCP ``Server``;
:func:`serve_stdio` and :func:`serve_http` run it.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

from kis_async._errors import KisConfigError
from kis_async._mcp._results import dumps
from kis_async._mcp._tools import Options, Toolbox

if TYPE_CHECKING:
    from mcp.server import Server

logger = logging.getLogger("kis_async.mcp")


def _mcp_sdk() -> Any:
    try:
        import mcp_types
        from mcp.server import Server
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise KisConfigError("kis-async mcp needs the MCP SDK: pip install 'kis-async[mcp]'") from exc
    return Server, mcp_types


@contextlib.asynccontextmanager
async def open_toolbox(
    options: Options,
    *,
    client_kwargs: Mapping[str, Any] | None = None,
    sandbox_kwargs: Mapping[str, Any] | None = None,
) -> AsyncIterator[Toolbox]:
    """A :class:`Toolbox` on a running client: the embedded sandbox for ``environment="sandbox"``
    (``sandbox_kwargs`` go to :class:`Sandbox`), else ``KisClient(**client_kwargs)``."""
    if options.environment == "sandbox":
        from kis_async._cli._commands import SANDBOX_ACCOUNT  # the CLI's: one sandbox account
        from kis_async.sandbox import Sandbox

        if not options.account:
            import attrs

            options = attrs.evolve(options, account=SANDBOX_ACCOUNT)
        async with (
            Sandbox(**dict(sandbox_kwargs or {})) as sandbox,
            sandbox.client(account=options.account) as kis,
        ):
            yield Toolbox(kis, options, sandbox=sandbox)
        return
    from kis_async._client import KisClient

    kwargs = dict(client_kwargs or {})
    if kwargs.get("env") != options.environment:
        raise KisConfigError(
            f"the MCP server runs on {options.environment} but its client is for {kwargs.get('env')!r}"
        )
    async with KisClient(**kwargs) as kis:
        yield Toolbox(kis, options)


def instructions(toolbox: Toolbox) -> str:
    env = toolbox.options.environment
    lines = [
        f"KIS Open API (한국투자증권) through kis-async; environment: {env}"
        + (" (made-up data)" if env == "sandbox" else " (REAL MONEY)" if env == "real" else " (모의투자)")
        + ".",
        "Find an endpoint with search_endpoints, read its arguments with describe_endpoint, call it with "
        "call_endpoint; quote, daily_history, balance and open_orders are shortcuts.",
    ]
    if toolbox.orders_enabled:
        lines.append(
            "Orders: preview_order (or call_endpoint on an order endpoint) returns a summary and a token; "
            "show the summary to the user, then place_order(token) sends it once. Never place an order "
            "again after an unknown outcome: check open_orders first."
        )
    else:
        lines.append("Orders are disabled on this server.")
    return " ".join(lines)


def build_server(toolbox: Toolbox) -> Server[Any]:
    """An MCP server whose tools are ``toolbox``'s."""
    server_class, types = _mcp_sdk()
    from kis_async import __version__

    async def list_tools(ctx: Any, params: Any) -> Any:
        return types.ListToolsResult(
            tools=[
                types.Tool(
                    name=tool.name,
                    description=tool.description,
                    input_schema=tool.input_schema,
                    annotations=types.ToolAnnotations(
                        read_only_hint=tool.read_only,
                        destructive_hint=tool.destructive,
                        idempotent_hint=tool.read_only,
                        open_world_hint=toolbox.options.environment != "sandbox",
                    ),
                )
                for tool in toolbox.tools()
            ]
        )

    async def call_tool(ctx: Any, params: Any) -> Any:
        result, is_error = await toolbox.call(params.name, params.arguments)
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=dumps(result))],
            structured_content=None if is_error else result,
            is_error=is_error,
        )

    server: Server[Any] = server_class(
        "kis-async",
        version=__version__,
        instructions=instructions(toolbox),
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
    return server


async def serve_stdio(toolbox: Toolbox) -> None:
    from mcp.server.stdio import stdio_server

    server = build_server(toolbox)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


#: The environment variable holding the bearer token HTTP clients must send (a secret: never logged).
TOKEN_VARIABLE = "KIS_MCP_HTTP_TOKEN"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def http_server(toolbox: Toolbox, host: str, port: int, token: str | None = None) -> Any:
    """A ``uvicorn.Server`` for streamable HTTP at ``http://host:port/mcp``; ``await it.serve()``,
    ``it.should_exit = True``. On a loopback address DNS-rebinding protection is on; any other
    address needs ``token``, which every request must carry (``Authorization: Bearer …``): an
    agent endpoint that can read an account, or trade, is never open to the network."""
    import uvicorn

    if host not in _LOOPBACK and not token:
        raise KisConfigError(
            f"--host {host} serves beyond this machine: set {TOKEN_VARIABLE} to a long random secret "
            "(clients send it as 'Authorization: Bearer …'), or keep the default 127.0.0.1"
        )
    app: Any = build_server(toolbox).streamable_http_app(host=host)
    if token:
        app = _BearerGuard(app, token)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    return uvicorn.Server(config)


class _BearerGuard:
    """ASGI middleware: HTTP requests without ``Authorization: Bearer <token>`` get 401."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()

    def __repr__(self) -> str:
        return "_BearerGuard(token=***)"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(given, self._expected):
                body = b'{"error":"unauthorized: send Authorization: Bearer <KIS_MCP_HTTP_TOKEN>"}'
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


async def serve_http(toolbox: Toolbox, host: str, port: int, token: str | None = None) -> None:
    server = http_server(toolbox, host, port, token)
    logger.info(
        "kis-async MCP server on http://%s:%d/mcp%s", host, port, " (bearer token required)" if token else ""
    )
    await server.serve()
