"""A real-time session cannot hang on a server that never answers: the approval-key request and
the WebSocket handshake each have a total timeout, and a reconnect that times out counts
towards ``max_reconnect_attempts``."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from kis_async import KisClient, KisTransportError
from kis_async._realtime import APPROVAL_PATH, RealtimeConfig
from tests.fakes import FakeKis

QUICK = RealtimeConfig(handshake_timeout=0.2, backoff_initial=0.01, backoff_max=0.02)


async def never_answer(request: web.Request) -> web.StreamResponse:
    await asyncio.sleep(3600)
    raise AssertionError("unreachable")


async def approval(request: web.Request) -> web.StreamResponse:
    return web.json_response({"approval_key": "approval-key-0001"})


async def test_an_approval_endpoint_that_never_answers_fails_the_session_start(
    fake_kis: FakeKis, kis_fake: KisClient
) -> None:
    fake_kis.routes[APPROVAL_PATH] = never_answer
    with pytest.raises(
        KisTransportError,
        match=r"approval key issue \(/oauth2/Approval\): TimeoutError: .*handshake_timeout=0.2s",
    ):
        async with kis_fake.realtime(config=QUICK):
            pass


async def test_a_websocket_upgrade_never_answered_fails_the_session_start(
    fake_kis: FakeKis, kis_fake: KisClient
) -> None:
    fake_kis.routes[APPROVAL_PATH] = approval
    fake_kis.routes["/ws"] = never_answer
    with pytest.raises(KisTransportError, match=r"cannot connect .*no handshake within handshake_timeout"):
        async with kis_fake.realtime(config=QUICK):
            pass


async def test_reconnects_that_hang_count_towards_max_reconnect_attempts(
    fake_kis: FakeKis, kis_fake: KisClient
) -> None:
    """The first connection is accepted and then dropped; every later upgrade hangs. With two
    attempts allowed, consumers get the failure instead of waiting forever."""
    upgrades = 0

    async def once_then_hang(request: web.Request) -> web.StreamResponse:
        nonlocal upgrades
        upgrades += 1
        if upgrades > 1:
            return await never_answer(request)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.close()
        return ws

    fake_kis.routes[APPROVAL_PATH] = approval
    fake_kis.routes["/ws"] = once_then_hang
    config = RealtimeConfig(
        handshake_timeout=0.2, backoff_initial=0.01, backoff_max=0.02, max_reconnect_attempts=2
    )
    async with kis_fake.realtime(config=config) as rt:
        with pytest.raises(
            KisTransportError, match=r"2 reconnect attempts failed; last: .*handshake_timeout"
        ):
            async for _ in rt:
                pass
    assert upgrades == 3  # the first connection, then exactly two attempts
