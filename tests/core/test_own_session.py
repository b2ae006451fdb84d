"""A bot with its own ``aiohttp.ClientSession`` (a proxy, connector limits, tracing) hands it to
``KisClient(session=...)``: every request goes through it, and closing the client leaves it open."""

from __future__ import annotations

import types

import aiohttp
import pytest

from kis_async import KisConfigError
from kis_async.sandbox import Sandbox


async def test_the_client_sends_through_the_bots_session_and_leaves_it_open(sandbox: Sandbox) -> None:
    sent: list[str] = []

    async def on_request_start(
        session: aiohttp.ClientSession,
        context: types.SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        sent.append(params.url.path)

    tracing = aiohttp.TraceConfig()
    tracing.on_request_start.append(on_request_start)
    async with aiohttp.ClientSession(trace_configs=[tracing]) as session:
        async with sandbox.client(session=session) as kis:
            quote = await kis.domestic_stock.inquire_price(symbol="005930")
        assert quote.output is not None and quote.output.stck_prpr is not None
        assert sent == ["/oauth2/tokenP", "/uapi/domestic-stock/v1/quotations/inquire-price"]
        assert not session.closed  # the bot's to close
        async with sandbox.client(session=session) as again:  # and usable by the next client
            await again.domestic_stock.inquire_price(symbol="000660")
        # the token is the app key's, shared in the process: only the call is sent again
        assert sent[2:] == ["/uapi/domestic-stock/v1/quotations/inquire-price"]


async def test_a_closed_or_foreign_session_is_refused_up_front(sandbox: Sandbox) -> None:
    session = aiohttp.ClientSession()
    await session.close()
    with pytest.raises(KisConfigError, match="already closed"):
        sandbox.client(session=session)
    with pytest.raises(KisConfigError, match=r"session must be an aiohttp.ClientSession, got dict"):
        sandbox.client(session={})  # type: ignore[arg-type]
