"""Reads ride out transient trouble; orders are never sent twice."""

from __future__ import annotations

from collections.abc import Callable

import aiohttp
import pytest
from aioresponses import aioresponses

from kis_async import (
    KisClient,
    KisOrderStateUnknownError,
    KisRateLimitError,
    KisTokenExpiredError,
    KisTransportError,
)
from kis_async._retry import RetryPolicy, parse_retry_after
from tests.conftest import ANY_API, TOKEN_URL
from tests.fakes import (
    ORDER,
    ORDER_ARGS,
    RATE_LIMITED,
    TOKEN_EXPIRED,
    credit_balance_body,
    kis_error,
    order_ok,
    token_body,
)

ARGS = {"market": "0000", "period": 5, "sort": "0"}


def api_requests(mock: aioresponses) -> int:
    return sum(len(calls) for (method, url), calls in mock.requests.items() if "/uapi/" in str(url))


async def ranking(kis: KisClient):  # type: ignore[no-untyped-def]
    return await kis.domestic_stock.credit_balance(**ARGS)


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_a_read_is_retried_after_a_gateway_error(
    token_ok: aioresponses, kis_mocked: KisClient, sleeps: list[float], status: int
) -> None:
    token_ok.get(ANY_API, status=status, body="<html>Bad Gateway</html>", content_type="text/html")
    token_ok.get(ANY_API, payload=credit_balance_body())
    result = await ranking(kis_mocked)
    assert len(result.output2) == 30
    assert kis_mocked.stats.retries == 1


@pytest.mark.parametrize(
    "refusal", [RATE_LIMITED, kis_error("EGW00215", "원장에서 허용 가능한 초당 거래건수를 초과하였습니다.")]
)
async def test_a_read_is_retried_after_the_rate_limit_refusal(
    token_ok: aioresponses, kis_mocked: KisClient, sleeps: list[float], refusal: dict[str, str]
) -> None:
    token_ok.get(ANY_API, status=500, payload=refusal)
    token_ok.get(ANY_API, payload=credit_balance_body())
    assert len((await ranking(kis_mocked)).output2) == 30


@pytest.mark.parametrize(
    "fault",
    [
        aiohttp.ServerDisconnectedError(),
        aiohttp.ClientOSError(104, "Connection reset by peer"),
        TimeoutError(),
    ],
    ids=["disconnect", "reset", "timeout"],
)
async def test_a_read_is_retried_after_a_lost_connection(
    token_ok: aioresponses, kis_mocked: KisClient, sleeps: list[float], fault: Exception
) -> None:
    token_ok.get(ANY_API, exception=fault)
    token_ok.get(ANY_API, payload=credit_balance_body())
    assert len((await ranking(kis_mocked)).output2) == 30


async def test_retries_back_off_exponentially(
    token_ok: aioresponses, kis_mocked: KisClient, sleeps: list[float]
) -> None:
    token_ok.get(ANY_API, status=503, body="busy", repeat=3)
    token_ok.get(ANY_API, payload=credit_balance_body())
    await ranking(kis_mocked)
    assert [0.25 <= sleeps[0] <= 0.5, 0.5 <= sleeps[1] <= 1.0, 1.0 <= sleeps[2] <= 2.0] == [True] * 3


async def test_retries_stop_after_max_retries(
    token_ok: aioresponses, make_client: Callable[..., KisClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    kis = make_client(max_retries=2)
    monkeypatch.setattr(kis, "_pause", _no_sleep)
    token_ok.get(ANY_API, status=503, body="busy", repeat=True)
    with pytest.raises(KisTransportError, match="after 2 retries") as caught:
        await ranking(kis)
    assert caught.value.status == 503
    assert api_requests(token_ok) == 3


async def test_rate_limit_refusals_surface_after_the_retries(
    token_ok: aioresponses, kis_mocked: KisClient, sleeps: list[float]
) -> None:
    token_ok.get(ANY_API, status=500, payload=RATE_LIMITED, repeat=True)
    with pytest.raises(KisRateLimitError) as caught:
        await ranking(kis_mocked)
    assert caught.value.msg_cd == "EGW00201"
    assert api_requests(token_ok) == 4


async def test_max_retries_zero_sends_once(
    token_ok: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    kis = make_client(max_retries=0)
    token_ok.get(ANY_API, status=503, body="busy", repeat=True)
    with pytest.raises(KisTransportError):
        await ranking(kis)
    assert api_requests(token_ok) == 1


async def test_retry_after_is_honoured(
    token_ok: aioresponses, kis_mocked: KisClient, sleeps: list[float]
) -> None:
    token_ok.get(ANY_API, status=503, body="busy", headers={"Retry-After": "2"})
    token_ok.get(ANY_API, payload=credit_balance_body())
    await ranking(kis_mocked)
    assert sleeps == [2.0]


async def test_a_retry_after_beyond_a_minute_is_not_waited_for(
    token_ok: aioresponses, kis_mocked: KisClient, sleeps: list[float]
) -> None:
    token_ok.get(ANY_API, status=503, body="busy", headers={"Retry-After": "3600"})
    with pytest.raises(KisTransportError):
        await ranking(kis_mocked)
    assert sleeps == []


def test_retry_after_may_be_an_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after("soon") is None


def test_a_negative_retry_count_is_refused() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)


# -- orders ---------------------------------------------------------------------------------------


@pytest.fixture
def order_client(make_client: Callable[..., KisClient], monkeypatch: pytest.MonkeyPatch) -> KisClient:
    kis = make_client(account="12345678-01")
    monkeypatch.setattr(kis, "_pause", _no_sleep)
    return kis


@pytest.mark.parametrize(
    "fault",
    [
        aiohttp.ServerDisconnectedError(),
        aiohttp.ClientOSError(104, "Connection reset by peer"),
        TimeoutError(),
    ],
    ids=["disconnect", "reset", "timeout"],
)
async def test_an_order_is_never_resent_after_a_lost_connection(
    token_ok: aioresponses, order_client: KisClient, fault: Exception
) -> None:
    token_ok.post(ANY_API, exception=fault)
    token_ok.post(ANY_API, payload=order_ok(), repeat=True)
    with pytest.raises(KisOrderStateUnknownError):
        await order_client.request(ORDER, ORDER_ARGS)
    assert api_requests(token_ok) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_an_order_is_never_resent_after_a_gateway_error(
    token_ok: aioresponses, order_client: KisClient, status: int
) -> None:
    token_ok.post(ANY_API, status=status, body="<html>gateway</html>", content_type="text/html")
    token_ok.post(ANY_API, payload=order_ok(), repeat=True)
    with pytest.raises(KisOrderStateUnknownError):
        await order_client.request(ORDER, ORDER_ARGS)
    assert api_requests(token_ok) == 1


async def test_the_unknown_outcome_says_how_to_check_the_order(
    token_ok: aioresponses, order_client: KisClient
) -> None:
    token_ok.post(ANY_API, exception=aiohttp.ServerDisconnectedError())
    with pytest.raises(KisOrderStateUnknownError, match=r"outcome is unknown.*NOT resent.*order inquiry"):
        await order_client.request(ORDER, ORDER_ARGS)


async def test_an_order_that_could_not_connect_is_sent_again(
    token_ok: aioresponses, order_client: KisClient
) -> None:
    refused = aiohttp.ClientConnectorError(
        aiohttp.client_reqrep.ConnectionKey("kis.test", 443, True, True, None, None, None),
        ConnectionRefusedError(111, "Connection refused"),
    )
    token_ok.post(ANY_API, exception=refused)
    token_ok.post(ANY_API, payload=order_ok())
    receipt = await order_client.request(ORDER, ORDER_ARGS)
    assert receipt.output is not None and receipt.output.odno == "0000117057"


async def test_a_rate_limited_order_is_not_resent(token_ok: aioresponses, order_client: KisClient) -> None:
    token_ok.post(ANY_API, status=500, payload=RATE_LIMITED)
    token_ok.post(ANY_API, payload=order_ok(), repeat=True)
    with pytest.raises(KisRateLimitError):
        await order_client.request(ORDER, ORDER_ARGS)
    assert api_requests(token_ok) == 1


async def test_an_order_refused_for_its_token_is_sent_once_more_with_a_fresh_token(
    mocked: aioresponses, order_client: KisClient
) -> None:
    mocked.post(TOKEN_URL, payload=token_body(1))
    mocked.post(TOKEN_URL, payload=token_body(2))
    mocked.post(ANY_API, status=500, payload=TOKEN_EXPIRED)
    mocked.post(ANY_API, payload=order_ok())
    receipt = await order_client.request(ORDER, ORDER_ARGS)
    assert receipt.rt_cd == "0"
    assert order_client.tokens_issued == 2


async def test_a_token_refused_twice_surfaces(mocked: aioresponses, kis_mocked: KisClient) -> None:
    mocked.post(TOKEN_URL, payload=token_body(1))
    mocked.post(TOKEN_URL, payload=token_body(2))
    mocked.get(ANY_API, status=500, payload=TOKEN_EXPIRED, repeat=True)
    with pytest.raises(KisTokenExpiredError):
        await ranking(kis_mocked)
    assert api_requests(mocked) == 2


async def _no_sleep(delay: float) -> None:
    return None


async def test_a_rate_limited_order_says_it_was_not_placed(
    token_ok: aioresponses, order_client: KisClient
) -> None:
    token_ok.post(ANY_API, status=500, payload=RATE_LIMITED)
    with pytest.raises(KisRateLimitError) as caught:
        await order_client.request(ORDER, ORDER_ARGS)
    assert any("not placed" in note for note in caught.value.__notes__)


async def test_an_order_of_unknown_outcome_is_logged_as_a_warning(
    token_ok: aioresponses, order_client: KisClient, caplog: pytest.LogCaptureFixture
) -> None:
    token_ok.post(ANY_API, exception=aiohttp.ServerDisconnectedError())
    with pytest.raises(KisOrderStateUnknownError):
        await order_client.request(ORDER, ORDER_ARGS)
    assert [r.levelname for r in caplog.records if "outcome is unknown" in r.getMessage()] == ["WARNING"]


def test_rest_retries_and_realtime_reconnects_back_off_alike() -> None:
    """One backoff for both: doubling from 0.5 s, each wait between half and all of its ceiling."""
    from kis_async._realtime import RealtimeConfig
    from kis_async._retry import RetryPolicy

    rest, realtime = RetryPolicy(), RealtimeConfig()
    for attempt, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0)):
        for wait in (rest.delay(attempt), realtime.backoff(attempt)):
            assert ceiling / 2 <= wait <= ceiling, (attempt, wait)
    assert 4.0 <= rest.delay(9) <= 8.0  # REST stops doubling at 8 s
    assert 15.0 <= realtime.backoff(9) <= 30.0  # a reconnect at 30 s
