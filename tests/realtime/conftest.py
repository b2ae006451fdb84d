"""The real-time tests' KIS: :class:`RealtimeSandbox`, KIS's WebSocket service alone on
127.0.0.1 (the full ``Sandbox`` mounts the same service beside its REST endpoints)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest

from kis_async import KisClient
from tests.conftest import marked

if TYPE_CHECKING:
    from kis_async.sandbox._realtime import RealtimeSandbox


@pytest.fixture
async def realtime_server(request: pytest.FixtureRequest) -> AsyncIterator[RealtimeSandbox]:
    """A running :class:`RealtimeSandbox` sending 50 frames a second per subscription; other
    arguments with ``@pytest.mark.realtime_server(ping_interval=0.2, ...)`` on the test or module."""
    pytest.importorskip("cryptography")  # the notices are AES-encrypted
    from kis_async.sandbox._realtime import RealtimeSandbox

    async with RealtimeSandbox(**{"rate": 50, **marked(request, "realtime_server")}) as server:
        yield server


@pytest.fixture
async def kis_realtime(realtime_server: RealtimeSandbox) -> AsyncIterator[KisClient]:
    """A KisClient whose approval key and WebSocket come from :func:`realtime_server`."""
    async with KisClient(
        "app-key-1",
        "secret-1",
        base_url=realtime_server.base_url,
        ws_url=realtime_server.ws_url,
        token_cache=None,
    ) as client:
        yield client
