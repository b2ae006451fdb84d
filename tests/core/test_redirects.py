"""A secret never follows a redirect: KIS (or anything answering in its place) replies 3xx to
another host, and nothing is sent there — not the app key and secret, not an order, not the
approval key. The bot gets a KisTransportError naming the location (an order:
KisOrderStateUnknownError, and the order is not resent)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from kis_async import KisClient, KisOrderStateUnknownError, KisTransportError
from kis_async._realtime import APPROVAL_PATH, RealtimeConfig
from tests.fakes import (
    APP_KEY,
    APP_SECRET,
    CREDIT_BALANCE_PATH,
    ORDER,
    ORDER_ARGS,
    ORDER_PATH,
    FakeKis,
    Handler,
)


@pytest.fixture
async def elsewhere() -> AsyncIterator[FakeKis]:
    """Another host (another port: another origin) that records whatever reaches it."""
    server = FakeKis()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def redirect(to: str, status: int = 307) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers={"Location": to + request.path_qs})

    return handler


def client(fake_kis: FakeKis, tmp_path: Path, **options: object) -> KisClient:
    return KisClient(
        APP_KEY,
        APP_SECRET,
        base_url=fake_kis.url,
        ws_url=fake_kis.url + "/ws",
        account="12345678-01",
        token_cache=tmp_path / "tokens.json",
        rate_limit=None,
        min_token_interval=0.0,
        **options,  # type: ignore[arg-type]
    )


def leaked(server: FakeKis) -> list[str]:
    """What of the secrets reached ``server`` (headers or body)."""
    found = []
    for seen in server.seen:
        text = repr(seen.headers) + seen.body.decode("utf-8", "replace")
        found += [name for name, secret in (("appkey", APP_KEY), ("appsecret", APP_SECRET)) if secret in text]
    return found


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_quote_redirected_elsewhere_is_refused_naming_the_location(
    fake_kis: FakeKis, elsewhere: FakeKis, tmp_path: Path, status: int
) -> None:
    fake_kis.routes[CREDIT_BALANCE_PATH] = redirect(elsewhere.url, status)
    async with client(fake_kis, tmp_path) as kis:
        with pytest.raises(KisTransportError) as caught:
            await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    assert f"HTTP {status} redirect to '{elsewhere.url}{CREDIT_BALANCE_PATH}" in str(caught.value)
    assert elsewhere.seen == [] and leaked(elsewhere) == []
    assert len(fake_kis.api_calls()) == 1  # a redirect is an answer: not retried


async def test_an_order_redirected_is_not_resent_and_its_outcome_is_unknown(
    fake_kis: FakeKis, elsewhere: FakeKis, tmp_path: Path
) -> None:
    fake_kis.routes[ORDER_PATH] = redirect(elsewhere.url, 307)
    async with client(fake_kis, tmp_path) as kis:
        with pytest.raises(KisOrderStateUnknownError) as caught:
            await kis.request(ORDER, dict(ORDER_ARGS))
    assert "redirect to" in str(caught.value) and elsewhere.url in str(caught.value)
    assert "NOT resent" in str(caught.value)
    assert elsewhere.seen == []
    assert [s.path_qs for s in fake_kis.api_calls()] == [ORDER_PATH]


async def test_a_token_request_redirected_keeps_the_secret_home(
    fake_kis: FakeKis, elsewhere: FakeKis, tmp_path: Path
) -> None:
    fake_kis.routes["/oauth2/tokenP"] = redirect(elsewhere.url, 307)
    async with client(fake_kis, tmp_path) as kis:
        with pytest.raises(KisTransportError, match=r"token issue .*HTTP 307 redirect to") as caught:
            await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    assert APP_SECRET not in str(caught.value)
    assert elsewhere.seen == []


async def test_a_hashkey_request_redirected_sends_no_order(
    fake_kis: FakeKis, elsewhere: FakeKis, tmp_path: Path
) -> None:
    fake_kis.routes["/uapi/hashkey"] = redirect(elsewhere.url, 307)
    async with client(fake_kis, tmp_path, hashkey=True) as kis:
        with pytest.raises(KisTransportError, match=r"hashkey: .*redirect to .*the request was not sent"):
            await kis.request(ORDER, dict(ORDER_ARGS))
    assert elsewhere.seen == []
    assert [s.path_qs for s in fake_kis.api_calls()] == ["/uapi/hashkey"]


async def test_an_approval_key_request_redirected_keeps_the_secret_home(
    fake_kis: FakeKis, elsewhere: FakeKis, tmp_path: Path
) -> None:
    fake_kis.routes[APPROVAL_PATH] = redirect(elsewhere.url, 307)
    async with client(fake_kis, tmp_path) as kis:
        with pytest.raises(
            KisTransportError, match=r"approval key issue \(/oauth2/Approval\): .*HTTP 307 redirect to"
        ):
            async with kis.realtime(config=RealtimeConfig(connect_timeout=5)):
                pass
    assert elsewhere.seen == []


async def test_a_websocket_upgrade_redirected_is_not_followed(
    fake_kis: FakeKis, elsewhere: FakeKis, tmp_path: Path
) -> None:
    async def approval(request: web.Request) -> web.StreamResponse:
        return web.json_response({"approval_key": "approval-key-must-stay-home"})

    fake_kis.routes[APPROVAL_PATH] = approval
    fake_kis.routes["/ws"] = redirect(elsewhere.url, 302)
    async with client(fake_kis, tmp_path) as kis:
        with pytest.raises(KisTransportError, match=r"cannot connect .*HTTP 302 redirect to"):
            async with kis.realtime(config=RealtimeConfig(connect_timeout=5)):
                pass
    assert elsewhere.seen == []


async def test_a_bots_own_session_refuses_a_redirect_too(
    fake_kis: FakeKis, elsewhere: FakeKis, tmp_path: Path
) -> None:
    """``KisClient(session=...)``: the caller's session has no redirect-refusing middleware of
    ours, so the client sends with ``allow_redirects=False`` and refuses the 3xx itself."""
    fake_kis.routes[CREDIT_BALANCE_PATH] = redirect(elsewhere.url, 307)
    async with aiohttp.ClientSession() as session:
        async with client(fake_kis, tmp_path, session=session) as kis:
            with pytest.raises(KisTransportError, match=r"HTTP 307 redirect to") as caught:
                await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
        assert not session.closed  # still the bot's
    assert elsewhere.url in str(caught.value)
    assert elsewhere.seen == [] and leaked(elsewhere) == []


async def test_an_order_through_a_bots_own_session_is_not_sent_on_by_a_redirect(
    fake_kis: FakeKis, elsewhere: FakeKis, tmp_path: Path
) -> None:
    fake_kis.routes[ORDER_PATH] = redirect(elsewhere.url, 308)
    async with aiohttp.ClientSession() as session, client(fake_kis, tmp_path, session=session) as kis:
        with pytest.raises(KisOrderStateUnknownError, match="NOT resent"):
            await kis.request(ORDER, dict(ORDER_ARGS))
    assert elsewhere.seen == []
    assert [s.path_qs for s in fake_kis.api_calls()] == [ORDER_PATH]


async def test_a_token_request_through_a_bots_own_session_keeps_the_secret_home(
    fake_kis: FakeKis, elsewhere: FakeKis, tmp_path: Path
) -> None:
    fake_kis.routes["/oauth2/tokenP"] = redirect(elsewhere.url, 307)
    async with aiohttp.ClientSession() as session, client(fake_kis, tmp_path, session=session) as kis:
        with pytest.raises(KisTransportError, match=r"token issue .*HTTP 307 redirect to"):
            await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    assert elsewhere.seen == [] and leaked(elsewhere) == []
