"""KIS counts requests per app key per second and refuses the excess with EGW00201 (HTTP 500)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from kis_async import KisRateLimitError
from kis_async.sandbox import Sandbox
from tests.sandbox.conftest import CREDIT_BALANCE_PATH, CREDIT_BALANCE_QUERY, headers, token_for


async def burst(kis: object, count: int) -> list[object]:
    calls = [
        kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")  # type: ignore[attr-defined]
        for _ in range(count)
    ]
    return await asyncio.gather(*calls, return_exceptions=True)


async def test_the_excess_over_the_limit_gets_egw00201_with_http_500(http: aiohttp.ClientSession) -> None:
    async with Sandbox(rate_limit=2, min_token_interval=0) as sb:
        token = await token_for(sb, http)
        answers = []
        for _ in range(3):
            async with http.get(
                sb.url + CREDIT_BALANCE_PATH,
                params=CREDIT_BALANCE_QUERY,
                headers=headers(token, "FHKST17010000"),
            ) as response:
                answers.append((response.status, await response.json()))
    assert [status for status, _ in answers[:2]] == [200, 200]
    assert answers[2] == (
        500,
        {"rt_cd": "1", "msg_cd": "EGW00201", "msg1": "초당 거래건수를 초과하였습니다."},
    )
    assert sb.stats.rate_limited == 1


async def test_a_client_without_its_own_limit_hammering_the_sandbox_is_refused() -> None:
    async with (
        Sandbox(rate_limit=5, min_token_interval=0) as sb,
        sb.client(rate_limit=None, max_retries=0) as kis,
    ):
        results = await burst(kis, 12)
    refused = [r for r in results if isinstance(r, KisRateLimitError)]
    assert len(refused) >= 12 - 2 * 5  # 7 when the burst lands in one window; 2 even if it spans two
    assert all(r.msg_cd == "EGW00201" and r.status == 500 for r in refused)
    assert sb.stats.rate_limited == len(refused)


async def test_the_client_retries_rate_limit_refusals_for_reads_until_they_pass() -> None:
    async with (
        Sandbox(rate_limit=5, min_token_interval=0) as sb,
        sb.client(rate_limit=None, max_retries=6) as kis,
    ):
        results = await burst(kis, 8)
    assert not [r for r in results if isinstance(r, BaseException)]
    assert sb.stats.rate_limited > 0
    assert sb.stats.answered["domestic_stock.credit_balance"] == 8


async def test_a_client_keeping_under_the_limit_is_never_refused() -> None:
    # Headroom of 30 %: at the server's rate, scheduling jitter on a loaded machine (a stalled
    # event loop delivering queued requests together) can put one request too many into the
    # server's window, as network jitter can with KIS; one request/s of headroom failed once
    # under a full suite on two busy cores.
    async with (
        Sandbox(rate_limit=10, min_token_interval=0) as sb,
        sb.client(rate_limit=7, max_retries=0) as kis,
    ):
        results = await burst(kis, 12)
    assert not [r for r in results if isinstance(r, BaseException)]
    assert sb.stats.rate_limited == 0


async def test_the_limit_is_per_app_key() -> None:
    async with (
        Sandbox(rate_limit=3, min_token_interval=0) as sb,
        sb.client("PSfirstKey", "s", rate_limit=None, max_retries=0) as first,
        sb.client("PSsecondKey", "s", rate_limit=None, max_retries=0) as second,
    ):
        results = await burst(first, 3) + await burst(second, 3)
    assert not [r for r in results if isinstance(r, BaseException)]


@pytest.mark.parametrize(("env", "rate"), [("real", 20.0), ("paper", 2.0)])
def test_default_limits_are_kis_own(env: str, rate: float) -> None:
    assert Sandbox(env=env).rate_limit == rate  # type: ignore[arg-type]


def test_rate_limit_none_turns_limiting_off() -> None:
    assert Sandbox(rate_limit=None).rate_limit is None
