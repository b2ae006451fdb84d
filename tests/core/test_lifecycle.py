"""Closing the client and timeouts: nothing is cancelled silently, nothing leaks."""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from aioresponses import aioresponses

from kis_async import (
    KisClient,
    KisClientClosedError,
    KisConfigError,
    KisTransportError,
    Timeout,
    TokenCache,
)
from tests.fakes import FakeKis, credit_balance_body, slow

ARGS = {"market": "0000", "period": 5, "sort": "0"}


async def test_closing_releases_the_http_session(
    fake_kis: FakeKis, make_client: Callable[..., KisClient]
) -> None:
    kis = make_client(base_url=fake_kis.url)
    await kis.domestic_stock.credit_balance(**ARGS)
    session = kis._session
    await kis.close()
    assert session is not None and session.closed
    assert kis.closed


async def test_the_context_manager_closes_the_client(
    fake_kis: FakeKis, make_client: Callable[..., KisClient]
) -> None:
    async with make_client(base_url=fake_kis.url) as kis:
        await kis.domestic_stock.credit_balance(**ARGS)
    assert kis.closed


async def test_a_client_dropped_without_closing_warns_with_the_fix() -> None:
    kis = KisClient("PSkey", "secret", base_url="https://kis.test", token_cache=None)
    await kis.__aenter__()  # opens the HTTP session; the user forgets the `async with`
    session = kis._session
    assert session is not None

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del kis
        gc.collect()
    await session.close()  # the test's own cleanup: aiohttp would warn about the session too

    messages = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert len(messages) == 1
    assert "unclosed KisClient" in messages[0]
    assert "use `async with KisClient(...)` or `await kis.close()`" in messages[0]
    assert "secret" not in messages[0]


async def test_a_closed_client_is_dropped_silently() -> None:
    kis = KisClient("PSkey", "secret", base_url="https://kis.test", token_cache=None)
    async with kis:
        pass

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del kis
        gc.collect()

    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


async def test_a_call_after_close_is_refused_without_a_request(
    mocked: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    kis = make_client()
    await kis.close()
    with pytest.raises(KisClientClosedError, match="not sent"):
        await kis.domestic_stock.credit_balance(**ARGS)
    assert mocked.requests == {}


async def test_closing_twice_is_harmless(make_client: Callable[..., KisClient]) -> None:
    kis = make_client()
    await kis.close()
    await kis.close()


async def test_a_closed_client_cannot_be_reopened(make_client: Callable[..., KisClient]) -> None:
    kis = make_client()
    await kis.close()
    with pytest.raises(KisClientClosedError):
        async with kis:
            pass


async def test_a_request_on_the_wire_gets_its_answer_when_the_client_closes(
    fake_kis: FakeKis, make_client: Callable[..., KisClient]
) -> None:
    fake_kis.routes["/uapi/domestic-stock/v1/ranking/credit-balance"] = slow(0.3, credit_balance_body(2))
    kis = make_client(base_url=fake_kis.url)
    call = asyncio.ensure_future(kis.domestic_stock.credit_balance(**ARGS))
    while not fake_kis.api_calls():
        await asyncio.sleep(0.01)
    await kis.close()
    assert len((await call).output2) == 2


async def test_a_call_waiting_for_a_rate_limit_slot_fails_loudly_when_the_client_closes(
    fake_kis: FakeKis, make_client: Callable[..., KisClient]
) -> None:
    kis = make_client(base_url=fake_kis.url, rate_limit=1)
    await kis.domestic_stock.credit_balance(**ARGS)
    waiting = asyncio.ensure_future(kis.domestic_stock.credit_balance(**ARGS))
    await asyncio.sleep(0.05)
    await kis.close()
    with pytest.raises(KisClientClosedError, match="nothing reached KIS"):
        await waiting
    assert len(fake_kis.api_calls()) == 1


async def test_a_call_backing_off_fails_loudly_when_the_client_closes(
    mocked: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    from tests.conftest import ANY_API, TOKEN_URL
    from tests.fakes import token_body

    mocked.post(TOKEN_URL, payload=token_body(1))
    mocked.get(ANY_API, status=503, body="busy", headers={"Retry-After": "30"})
    kis = make_client()
    call = asyncio.ensure_future(kis.domestic_stock.credit_balance(**ARGS))
    while not kis.stats.retries:
        await asyncio.sleep(0.01)
    await kis.close()
    with pytest.raises(KisClientClosedError):
        await call


async def test_a_slow_answer_times_out_as_configured(
    fake_kis: FakeKis, make_client: Callable[..., KisClient]
) -> None:
    fake_kis.routes["/uapi/domestic-stock/v1/ranking/credit-balance"] = slow(2.0, credit_balance_body(1))
    kis = make_client(base_url=fake_kis.url, timeout=Timeout(connect=0.2, total=0.3), max_retries=0)
    with pytest.raises(KisTransportError, match="Timeout"):
        await kis.domestic_stock.credit_balance(**ARGS)


def test_timeouts_reach_the_http_session(make_client: Callable[..., KisClient]) -> None:
    kis = make_client(timeout=Timeout(connect=1.5, total=9.0))
    assert (kis.timeout.connect, kis.timeout.total) == (1.5, 9.0)


async def test_the_session_uses_the_configured_timeouts(make_client: Callable[..., KisClient]) -> None:
    async with make_client(timeout=Timeout(connect=1.5, total=9.0)) as kis:
        assert kis._session is not None
        assert (kis._session.timeout.connect, kis._session.timeout.total) == (1.5, 9.0)


@pytest.mark.parametrize(("connect", "total"), [(0, 10), (-1, 10), (5, float("inf")), (20, 10)])
def test_a_bad_timeout_is_a_config_error(connect: float, total: float) -> None:
    with pytest.raises(KisConfigError, match="Timeout"):
        Timeout(connect=connect, total=total)


async def test_closing_lets_a_token_request_on_the_wire_finish_and_cache_its_answer(
    fake_kis: FakeKis, make_client: Callable[..., KisClient], tmp_path: Path
) -> None:
    from aiohttp import web

    from tests.fakes import token_body

    async def slow_token(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(0.3)
        return web.json_response(token_body(7))

    fake_kis.routes["/oauth2/tokenP"] = slow_token
    kis = make_client(base_url=fake_kis.url)
    call = asyncio.ensure_future(kis.domestic_stock.credit_balance(**ARGS))
    while not fake_kis.seen:
        await asyncio.sleep(0.01)
    await kis.close()
    with pytest.raises(KisClientClosedError):
        await call
    assert fake_kis.api_calls() == []
    assert TokenCache(tmp_path / "tokens.json").load(kis._limiter_key) is not None
