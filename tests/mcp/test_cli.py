"""``kis-async mcp``: the sandbox unless --env names another, consent flags that cannot contradict,
and streamable HTTP for clients that do not spawn processes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from kis_async._cli import main as cli_main
from kis_async._cli._args import build_parser
from kis_async._errors import KisConfigError
from kis_async._mcp import resolve
from kis_async._mcp._server import http_server
from tests.mcp.conftest import agent


def parse(*argv: str) -> object:
    return build_parser().parse_args(["mcp", *argv])


@pytest.fixture
def no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "KIS_APP_KEY",
        "KIS_APP_SECRET",
        "KIS_ACCOUNT",
        "KIS_CONFIG",
        "KIS_ENV",
        "KIS_REDIS_URL",
        "KIS_MCP_HTTP_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))


def test_the_sandbox_is_the_default_even_when_kis_env_says_real(
    no_config: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIS_ENV", "real")
    monkeypatch.setenv("KIS_APP_KEY", "PSrealkey")
    monkeypatch.setenv("KIS_APP_SECRET", "real-secret")

    options, client_kwargs = resolve(parse())  # type: ignore[arg-type]

    assert options.environment == "sandbox" and client_kwargs is None
    assert not options.allow_orders and options.budget.max_orders == 5
    assert options.budget.max_amount == 1_000_000


def test_paper_and_real_must_be_named_and_need_credentials(no_config: None) -> None:
    with pytest.raises(
        KisConfigError, match="--env paper needs credentials: set KIS_APP_KEY and KIS_APP_SECRET"
    ):
        resolve(parse("--env", "paper"))  # type: ignore[arg-type]


def test_paper_takes_the_cli_credentials(no_config: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIS_APP_KEY", "PSpaperkey")
    monkeypatch.setenv("KIS_APP_SECRET", "paper-secret")
    monkeypatch.setenv("KIS_ACCOUNT", "12345678-01")
    monkeypatch.setenv("KIS_REDIS_URL", "redis://127.0.0.1:6379/0")  # the fleet's limits apply

    options, client_kwargs = resolve(parse("--env", "paper", "--allow-orders", "--max-order-amount", "none"))  # type: ignore[arg-type]

    assert options.environment == "paper" and options.allow_orders and options.budget.max_amount is None
    assert options.account == "12345678-01"
    assert client_kwargs is not None and client_kwargs["env"] == "paper"
    assert client_kwargs["redis_url"] == "redis://127.0.0.1:6379/0"


def test_read_only_and_allow_orders_contradict(no_config: None) -> None:
    with pytest.raises(KisConfigError, match="--read-only and --allow-orders contradict"):
        resolve(parse("--read-only", "--allow-orders"))  # type: ignore[arg-type]
    with pytest.raises(KisConfigError, match="set KIS_MCP_HTTP_TOKEN"):
        resolve(parse("--http", "--host", "0.0.0.0"))  # type: ignore[arg-type]
    with pytest.raises(KisConfigError, match="--max-order-amount must be a whole number or none, got 'lots'"):
        resolve(parse("--max-order-amount", "lots"))  # type: ignore[arg-type]


def test_the_command_is_listed_with_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli_main(["mcp", "--help"])
    out = capsys.readouterr().out
    assert stopped.value.code == 0
    for option in ("--allow-orders", "--read-only", "--max-orders", "--max-order-amount", "--http"):
        assert option in out
    # the help says what the server does: the sandbox unless --env names another, KIS_ENV unread
    env_help = " ".join(out.split("--env {real,paper,sandbox}", 2)[2].split("--config")[0].split())
    assert "default: sandbox (KIS_ENV and the config file's env are not read" in env_help


async def started(server: Any) -> int:
    """Wait until a uvicorn server listens; its port (it was given port 0: no race for a free one)."""
    while not server.started:
        await asyncio.sleep(0.02)
    port: int = server.servers[0].sockets[0].getsockname()[1]
    return port


async def test_an_http_client_calls_a_tool_over_streamable_http() -> None:
    async with agent() as (_, toolbox):
        server = http_server(toolbox, "127.0.0.1", 0)
        serving = asyncio.create_task(server.serve())
        try:
            port = await started(server)
            async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                names = [t.name for t in (await client.list_tools()).tools]
                result = await client.call_tool("quote", {"symbol": "005930"})
        finally:
            server.should_exit = True
            await serving

    assert "quote" in names and not result.is_error
    assert '"endpoint":"domestic_stock.inquire_price"' in result.content[0].text


async def test_serving_beyond_this_machine_needs_a_bearer_token() -> None:
    async with agent() as (_, toolbox):
        with pytest.raises(
            KisConfigError, match=r"--host 0\.0\.0\.0 serves beyond this machine: set KIS_MCP_HTTP_TOKEN"
        ):
            http_server(toolbox, "0.0.0.0", 0)
        server = http_server(toolbox, "127.0.0.1", 0, token="s3cret-token")
        serving = asyncio.create_task(server.serve())
        try:
            url = f"http://127.0.0.1:{await started(server)}/mcp"
            async with aiohttp.ClientSession() as session, session.post(url, json={}) as refused:
                status, refusal = refused.status, await refused.text()
            async with (
                httpx2.AsyncClient(headers={"Authorization": "Bearer s3cret-token"}) as with_token,
                Client(streamable_http_client(url, http_client=with_token)) as client,
            ):
                result = await client.call_tool("quote", {"symbol": "005930"})
        finally:
            server.should_exit = True
            await serving

    assert status == 401 and "s3cret" not in refusal
    assert not result.is_error
