"""Tokens: reused, issued once however many calls need one, cached across restarts, never hammered."""

from __future__ import annotations

import asyncio
import json
import logging
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from aioresponses import aioresponses

from kis_async import KisAuthError, KisClient, KisTransportError, TokenCache
from kis_async._auth import Secret, Token, TokenManager
from tests.conftest import ANY_API, TOKEN_URL
from tests.fakes import TOKEN_EXPIRED, TOKEN_ISSUE_TOO_SOON, credit_balance_body, token_body, token_value

ARGS = {"market": "0000", "period": 5, "sort": "0"}


def token_issues(mock: aioresponses) -> int:
    return sum(
        len(calls) for (method, url), calls in mock.requests.items() if str(url).endswith("/oauth2/tokenP")
    )


def sent_tokens(mock: aioresponses) -> list[str]:
    return [
        call.kwargs["headers"]["authorization"].removeprefix("Bearer ")
        for (method, url), calls in mock.requests.items()
        if "/uapi/" in str(url)
        for call in calls
    ]


async def test_one_token_serves_every_call(token_ok: aioresponses, kis_mocked: KisClient) -> None:
    token_ok.get(ANY_API, payload=credit_balance_body(), repeat=True)
    await kis_mocked.domestic_stock.credit_balance(**ARGS)
    await kis_mocked.domestic_stock.credit_balance(**ARGS)
    assert token_issues(token_ok) == 1


async def test_a_hundred_concurrent_calls_issue_one_token(
    token_ok: aioresponses, kis_mocked: KisClient
) -> None:
    token_ok.get(ANY_API, payload=credit_balance_body(1), repeat=True)
    await asyncio.gather(*(kis_mocked.domestic_stock.credit_balance(**ARGS) for _ in range(100)))
    assert token_issues(token_ok) == 1
    assert kis_mocked.tokens_issued == 1


async def test_many_calls_meeting_an_expired_token_renew_it_once(
    mocked: aioresponses, kis_mocked: KisClient
) -> None:
    mocked.post(TOKEN_URL, payload=token_body(1))
    mocked.post(TOKEN_URL, payload=token_body(2))
    mocked.get(ANY_API, status=500, payload=TOKEN_EXPIRED, repeat=20)
    mocked.get(ANY_API, payload=credit_balance_body(1), repeat=True)
    await asyncio.gather(*(kis_mocked.domestic_stock.credit_balance(**ARGS) for _ in range(20)))
    assert token_issues(mocked) == 2
    assert sent_tokens(mocked)[-20:] == [token_value(2)] * 20


async def test_a_restarted_bot_reuses_the_cached_token(
    token_ok: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    token_ok.get(ANY_API, payload=credit_balance_body(1), repeat=True)
    first = make_client()
    await first.domestic_stock.credit_balance(**ARGS)
    await first.close()
    for _ in range(5):  # a bot restarting in a loop
        again = make_client(min_token_interval=61.0)
        await again.domestic_stock.credit_balance(**ARGS)
        await again.close()
    assert token_issues(token_ok) == 1


async def test_the_token_cache_file_is_private(
    token_ok: aioresponses, kis_mocked: KisClient, tmp_path: Path
) -> None:
    token_ok.get(ANY_API, payload=credit_balance_body(1))
    await kis_mocked.domestic_stock.credit_balance(**ARGS)
    mode = stat.S_IMODE((tmp_path / "tokens.json").stat().st_mode)
    assert mode == 0o600


async def test_the_cache_key_does_not_contain_the_app_key_or_secret(
    token_ok: aioresponses, kis_mocked: KisClient, tmp_path: Path
) -> None:
    from tests.fakes import APP_KEY, APP_SECRET

    token_ok.get(ANY_API, payload=credit_balance_body(1))
    await kis_mocked.domestic_stock.credit_balance(**ARGS)
    text = (tmp_path / "tokens.json").read_text()
    assert APP_KEY not in text and APP_SECRET not in text


async def test_a_token_issue_refused_twice_for_the_minute_raises_an_auth_error_naming_the_code(
    mocked: aioresponses, kis_mocked: KisClient, sleeps: list[float]
) -> None:
    mocked.post(TOKEN_URL, status=403, payload=TOKEN_ISSUE_TOO_SOON, repeat=True)
    with pytest.raises(KisAuthError, match="EGW00133") as caught:
        await kis_mocked.domestic_stock.credit_balance(**ARGS)
    assert caught.value.code == "EGW00133"
    assert caught.value.status == 403
    assert "1분당 1회" in caught.value.description
    assert sleeps == [61.0] and token_issues(mocked) == 2  # waited out the minute once, not in a loop


async def test_concurrent_calls_share_one_failed_issue(
    mocked: aioresponses, kis_mocked: KisClient, sleeps: list[float]
) -> None:
    mocked.post(TOKEN_URL, status=403, payload=TOKEN_ISSUE_TOO_SOON, repeat=True)
    results = await asyncio.gather(
        *(kis_mocked.domestic_stock.credit_balance(**ARGS) for _ in range(10)), return_exceptions=True
    )
    assert all(isinstance(r, KisAuthError) for r in results)
    assert token_issues(mocked) == 2 and sleeps == [61.0]


async def test_a_first_call_answered_egw00133_waits_out_the_minute_once_and_succeeds(
    mocked: aioresponses,
    make_client: Callable[..., KisClient],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # another process (or this bot's previous run) asked for a token within the minute
    kis = make_client(min_token_interval=61.0)
    waits: list[float] = []

    async def record(delay: float) -> None:
        waits.append(delay)

    monkeypatch.setattr(kis, "_pause", record)
    mocked.post(TOKEN_URL, status=403, payload=TOKEN_ISSUE_TOO_SOON)
    mocked.post(TOKEN_URL, payload=token_body(1))
    mocked.get(ANY_API, payload=credit_balance_body(1), repeat=True)
    with caplog.at_level(logging.WARNING, logger="kis_async"):
        ranking = await kis.domestic_stock.credit_balance(**ARGS)
    await kis.domestic_stock.credit_balance(**ARGS)
    assert ranking.output2
    assert waits == [61.0] and token_issues(mocked) == 2
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "EGW00133" in warning and "waiting 61s once" in warning


async def test_a_restart_after_a_failed_issue_waits_out_the_minute(
    mocked: aioresponses, make_client: Callable[..., KisClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kis_async import _auth

    mocked.post(TOKEN_URL, status=403, payload=TOKEN_ISSUE_TOO_SOON)
    mocked.post(TOKEN_URL, status=403, payload=TOKEN_ISSUE_TOO_SOON)
    mocked.post(TOKEN_URL, payload=token_body(1))
    mocked.get(ANY_API, payload=credit_balance_body(1))
    crashed = make_client(min_token_interval=61.0)

    async def no_wait(delay: float) -> None:
        return None

    monkeypatch.setattr(crashed, "_pause", no_wait)  # refused again after its one wait: it gives up
    with pytest.raises(KisAuthError):
        await crashed.domestic_stock.credit_balance(**ARGS)
    await crashed.close()
    _auth._process_last_issue.clear()  # a new process: only the cache file remembers
    restarted = make_client(min_token_interval=61.0)
    waits: list[float] = []

    async def record(delay: float) -> None:
        waits.append(delay)

    monkeypatch.setattr(restarted, "_pause", record)
    await restarted.domestic_stock.credit_balance(**ARGS)
    assert len(waits) == 1 and 55 < waits[0] <= 61


async def test_a_renewal_waits_when_the_token_was_issued_under_a_minute_ago(
    mocked: aioresponses, make_client: Callable[..., KisClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    kis = make_client(min_token_interval=61.0)
    waits: list[float] = []

    async def record(delay: float) -> None:
        waits.append(delay)

    monkeypatch.setattr(kis, "_pause", record)
    mocked.post(TOKEN_URL, payload=token_body(1))
    mocked.post(TOKEN_URL, payload=token_body(2))
    mocked.get(ANY_API, status=500, payload=TOKEN_EXPIRED)
    mocked.get(ANY_API, payload=credit_balance_body(1))
    await kis.domestic_stock.credit_balance(**ARGS)
    assert token_issues(mocked) == 2
    assert len(waits) == 1 and 55 < waits[0] <= 61


async def test_a_token_about_to_expire_is_renewed_before_use(
    token_ok: aioresponses, kis_mocked: KisClient, tmp_path: Path
) -> None:
    cache = TokenCache(tmp_path / "tokens.json")
    key = kis_mocked._limiter_key
    cache.store(key, Token(Secret("OLD-TOKEN"), time.time() + 60, time.time() - 86000))
    token_ok.get(ANY_API, payload=credit_balance_body(1))
    await kis_mocked.domestic_stock.credit_balance(**ARGS)
    assert sent_tokens(token_ok) == [token_value(1)]


async def test_another_process_renewal_is_picked_up_from_the_cache(tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "tokens.json")
    issued: list[int] = []

    async def issue() -> tuple[int, object]:
        issued.append(1)
        return 200, token_body(len(issued))

    from kis_async import _auth

    first = TokenManager(issue, cache, "k", min_issue_interval=0)
    second = TokenManager(issue, cache, "k", min_issue_interval=0)  # as if in another process
    old = await first.token()
    _auth._process_tokens.clear()
    assert await second.token() == old
    first.invalidate(old)
    fresh = await first.token()
    _auth._process_tokens.clear()
    second.invalidate(old)
    assert await second.token() == fresh
    assert len(issued) == 2


async def test_an_unreadable_cache_file_is_replaced(
    token_ok: aioresponses, kis_mocked: KisClient, tmp_path: Path
) -> None:
    (tmp_path / "tokens.json").write_text("{not json")
    token_ok.get(ANY_API, payload=credit_balance_body(1))
    await kis_mocked.domestic_stock.credit_balance(**ARGS)
    assert json.loads((tmp_path / "tokens.json").read_text())


async def test_a_token_issue_that_cannot_connect_is_a_transport_error(
    mocked: aioresponses, kis_mocked: KisClient
) -> None:
    mocked.post(TOKEN_URL, exception=TimeoutError())
    with pytest.raises(KisTransportError, match="tokenP"):
        await kis_mocked.domestic_stock.credit_balance(**ARGS)


def test_expiry_comes_from_expires_in_or_the_stated_time() -> None:
    from kis_async._auth import _expiry

    assert _expiry({"expires_in": 86400}, 1000.0) == 87400.0
    stated = _expiry({"access_token_token_expired": "2023-12-22 08:16:59"}, 0.0)
    assert stated == 1703200619.0  # 2023-12-22 08:16:59 KST


async def test_clients_of_one_app_key_without_a_cache_file_share_one_token(
    token_ok: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    token_ok.get(ANY_API, payload=credit_balance_body(1), repeat=True)
    first = make_client(token_cache=None, min_token_interval=61.0)
    second = make_client(token_cache=None, min_token_interval=61.0)
    await first.domestic_stock.credit_balance(**ARGS)
    await second.domestic_stock.credit_balance(**ARGS)
    assert token_issues(token_ok) == 1
