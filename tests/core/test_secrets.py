"""The app secret and tokens never show: not in reprs, messages, exceptions or logs at any level."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiohttp import web

from kis_async import Corporate, KisClient, KisError, Timeout
from kis_async._auth import Secret
from tests.fakes import (
    APP_SECRET,
    CREDIT_BALANCE_PATH,
    ORDER,
    ORDER_ARGS,
    ORDER_PATH,
    RATE_LIMITED,
    TOKEN_EXPIRED,
    FakeKis,
    credit_balance_body,
    order_ok,
    token_value,
)

ARGS = {"market": "0000", "period": 5, "sort": "0"}
#: Loggers of the fake KIS server itself (not the SDK's side of the wire).
SERVER_LOGGERS = ("aiohttp.server", "aiohttp.access", "aiohttp.web")


def faults() -> Iterator[Callable[[web.Request], Any]]:
    """Endpoint answers that go wrong in every way the client handles, then succeed."""

    async def gateway(request: web.Request) -> web.StreamResponse:
        return web.Response(status=503, text="<html>busy</html>", content_type="text/html")

    async def rate_limited(request: web.Request) -> web.StreamResponse:
        return web.json_response(RATE_LIMITED, status=500)

    async def expired(request: web.Request) -> web.StreamResponse:
        return web.json_response(TOKEN_EXPIRED, status=500)

    async def garbage(request: web.Request) -> web.StreamResponse:
        return web.Response(text='{"rt_cd": "0", "output2": [', content_type="application/json")

    async def dropped(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()
        await asyncio.sleep(0.05)
        return web.Response()

    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(0.5)
        return web.json_response(credit_balance_body(1))

    async def fine(request: web.Request) -> web.StreamResponse:
        if request.method == "POST":
            return web.json_response(order_ok())
        return web.json_response(credit_balance_body(1))

    return itertools.cycle([gateway, fine, rate_limited, expired, fine, garbage, dropped, fine, slow, fine])


def texts_of(error: BaseException) -> list[str]:
    seen: list[str] = []
    while error is not None:
        seen += [str(error), repr(error), *map(repr, error.args), *getattr(error, "__notes__", [])]
        seen.append(json.dumps(getattr(error, "body", None), default=str, ensure_ascii=False))
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    return seen


async def test_a_full_run_with_faults_leaks_no_secret(
    fake_kis: FakeKis, make_client: Callable[..., KisClient], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    script = faults()

    async def handler(request: web.Request) -> web.StreamResponse:
        return await next(script)(request)

    fake_kis.routes[CREDIT_BALANCE_PATH] = handler
    fake_kis.routes[ORDER_PATH] = handler
    kis = make_client(
        base_url=fake_kis.url,
        account="12345678-01",
        timeout=Timeout(connect=0.3, total=0.3),
        custtype="B",
        corporate=Corporate(personalseckey="PERSONAL-SECRET-KEY", phone_number="01012345678"),
    )

    async def no_sleep(delay: float) -> None:
        return None

    kis._pause = no_sleep  # type: ignore[method-assign]
    texts: list[str] = [repr(kis), str(kis), repr(kis._auth), repr(kis._app_secret), repr(kis.stats)]
    outcomes: list[str] = []
    for i in range(30):
        try:
            if i % 3 == 2:
                await kis.request(ORDER, ORDER_ARGS)
            else:
                await kis.domestic_stock.credit_balance(**ARGS)
            outcomes.append("ok")
        except KisError as exc:
            outcomes.append(type(exc).__name__)
            texts += texts_of(exc)
    # the run really met faults (an order's garbage answer is an unknown outcome, not a decode error)
    assert "ok" in outcomes and "KisOrderStateUnknownError" in outcomes
    for record in caplog.records:
        if record.name.startswith(SERVER_LOGGERS):
            continue
        texts += [record.getMessage(), repr(record.args), record.exc_text or ""]
    secrets = [APP_SECRET, "PERSONAL-SECRET-KEY", "01012345678"]
    secrets += [token_value(n) for n in range(1, fake_kis.tokens_issued + 1)]
    leaked = [s for s in secrets for t in texts if s in t]
    assert leaked == []


def test_a_secret_never_shows_itself() -> None:
    secret = Secret("hunter2")
    assert "hunter2" not in repr(secret) and "hunter2" not in str(secret) and "hunter2" not in f"{secret}"


def test_the_client_repr_hides_the_secret_and_most_of_the_app_key() -> None:
    kis = KisClient("PSabcdefghijklmnop", APP_SECRET, token_cache=None)
    assert APP_SECRET not in repr(kis) and "PSabcdefghijklmnop" not in repr(kis)


def test_corporate_keys_are_masked() -> None:
    corporate = Corporate(personalseckey="PERSONAL-SECRET-KEY", phone_number="01012345678")
    assert "PERSONAL-SECRET-KEY" not in repr(corporate) and "01012345678" not in repr(corporate)


def test_a_category_and_a_paged_call_say_what_they_are_without_the_secret() -> None:
    """In a REPL they printed `<... object at 0x7f...>`; now they name the endpoint, and the
    category shows the client's masked repr only."""
    kis = KisClient("PSabcdefgh", APP_SECRET, token_cache=None)
    paged = repr(kis.domestic_stock.inquire_balance)
    assert paged.startswith("<paged call domestic_stock.inquire_balance (주식잔고조회)")
    category = repr(kis.domestic_stock)
    assert category.startswith("<DomesticStock endpoints of KisClient(") and APP_SECRET not in category


def test_a_transport_failure_names_what_failed_and_never_carries_the_request() -> None:
    """The token and the approval key take one path to a KisTransportError: ``Type: message``, and
    no aiohttp response error (whose attributes hold the request's headers) as its cause."""
    import aiohttp
    from multidict import CIMultiDict, CIMultiDictProxy
    from yarl import URL

    from kis_async._errors import describe_transport, safe_cause

    headers = CIMultiDictProxy(CIMultiDict({"appsecret": APP_SECRET}))
    info = aiohttp.RequestInfo(
        URL("https://kis.example/oauth2/Approval"), "POST", headers, URL("https://kis.example")
    )
    refused = aiohttp.ClientResponseError(info, (), status=500, message="Internal Server Error")
    assert describe_transport(refused) == "ClientResponseError: Internal Server Error"
    assert safe_cause(refused) is None
    assert describe_transport(TimeoutError()) == "TimeoutError: timed out"
    reset = ConnectionResetError("reset by peer")
    assert safe_cause(reset) is reset


async def test_an_unreachable_approval_server_is_a_transport_error_without_the_secret() -> None:
    from kis_async.realtime.domestic_stock import trade_krx

    async with KisClient(
        "PSabcdefgh", APP_SECRET, base_url="http://127.0.0.1:9", ws_url="ws://127.0.0.1:9", token_cache=None
    ) as kis:
        with pytest.raises(
            KisError, match=r"^approval key issue \(/oauth2/Approval\): ClientConnectorError"
        ) as caught:
            async with kis.realtime() as rt:
                await rt.subscribe(trade_krx, "005930")
    assert APP_SECRET not in str(caught.value) and APP_SECRET not in repr(caught.value.__cause__)
