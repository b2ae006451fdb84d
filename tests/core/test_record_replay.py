"""A bug report is one file: a bot records its session, a test replays it offline and gets the same
typed results, faults and all."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from kis_async import KisApiError, KisClient
from kis_async._record import MASK, mask_accounts
from kis_async.sandbox import Fault, Sandbox
from tests.conftest import SAMSUNG_PRICE

ACCOUNT = "12345678-01"


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries happen as in production, without the waiting."""
    monkeypatch.setattr("kis_async._retry.RetryPolicy.delay", lambda self, retry, retry_after=None: 0.0)


async def session(kis: KisClient) -> list[Any]:
    """What a bot does at the open: rankings, a quote, its balance (paged), an order, US holdings."""
    return [
        await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0"),
        await kis.domestic_stock.inquire_price(symbol="005930"),
        await kis.domestic_stock.inquire_balance().all(),
        await kis.domestic_stock.order_cash(side="buy", symbol="005930", quantity=1, price=SAMSUNG_PRICE),
        await kis.overseas_price.price(exchange="NAS", symbol="AAPL"),
        await kis.overseas_stock.inquire_balance(exchange="NASD", currency="USD").all(),
    ]


def faulty_sandbox(**options: Any) -> Sandbox:
    sandbox = Sandbox(min_token_interval=0, rate_limit=None, **options)
    sandbox.faults.set("domestic_stock.credit_balance", Fault(status=503, times=1))
    sandbox.faults.set("domestic_stock.inquire_price", Fault(expire_token=True, times=1))
    sandbox.faults.set("domestic_stock.inquire_balance", Fault(drop=True, times=1))
    sandbox.faults.set("overseas_price.price", Fault(truncate=True, times=1))
    return sandbox


@dataclasses.dataclass
class Recording:
    path: Path
    results: list[Any]
    token: str


@pytest.fixture
async def recorded(tmp_path: Path) -> AsyncIterator[Recording]:
    path = tmp_path / "session.jsonl"
    async with faulty_sandbox() as sb, sb.client(account=ACCOUNT, record=path) as kis:
        results = await session(kis)
        assert sum(sb.stats.faults.values()) == 4
        token = await current_token(sb)
    yield Recording(path, results, token)


async def current_token(sb: Sandbox) -> str:
    """The token the client holds (KIS, and the sandbox, hand the same one out again within 6 h)."""
    request = {
        "grant_type": "client_credentials",
        "appkey": "PSsandboxAppKey0001",
        "appsecret": "sandbox-secret",
    }
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{sb.url}/oauth2/tokenP", json=request) as response,
    ):
        return str((await response.json())["access_token"])


def masked(result: Any) -> Any:
    """The result as the recording holds it (account numbers masked; all pages of a collected call)."""
    return type(result).from_dict(mask_accounts(result.to_dict()))


async def test_a_replayed_session_gives_identical_typed_results(
    recorded: Recording,
) -> None:
    path, original = recorded.path, recorded.results
    # Another seed: any answer not taken from the file would differ.
    async with Sandbox(replay=path, strict_replay=True, seed=99, rate_limit=None, min_token_interval=0) as sb:
        async with sb.client(account=ACCOUNT) as kis:
            replayed = await session(kis)
        assert sb.replay is not None and sb.replay.remaining == 0

    for before, after in zip(original, replayed, strict=True):
        assert after == masked(before)
        assert after.to_dict() == masked(before).to_dict()


def test_the_recording_holds_each_exchange_with_faults_and_no_secrets(
    recorded: Recording,
) -> None:
    path = recorded.path
    text = path.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]

    for secret in ("sandbox-secret", "PSsandboxAppKey0001", recorded.token, "access_token", "12345678"):
        assert secret not in text
    assert {"time", "method", "path", "tr_id", "status", "tr_cont"} <= set(lines[0])
    by_tr = [(line["tr_id"], line["status"], "error" in line) for line in lines]
    assert ("FHKST17010000", 503, False) in by_tr  # the gateway page, then the retry
    assert ("HHDFS00000300", None, True) in by_tr  # the answer cut off mid-body
    expired = [line for line in lines if line["tr_id"] == "FHKST01010100"]
    assert expired[0]["response"]["msg_cd"] == "EGW00123"
    order = next(line for line in lines if line["method"] == "POST")
    assert order["body"]["CANO"] == MASK and order["body"]["PDNO"] == "005930"
    pages = [line for line in lines if line["tr_id"] == "TTTC8434R" and "response" in line]
    assert [p["request_tr_cont"] for p in pages] == ["", "N", "N"]
    assert pages[0]["tr_cont"] == "F" and pages[-1]["tr_cont"] == "D"
    assert pages[1]["query"]["CTX_AREA_NK100"].endswith(" ")  # padded keys recorded as sent


def test_the_recording_is_readable_by_its_owner_only(recorded: Recording) -> None:
    path = recorded.path
    assert path.stat().st_mode & 0o077 == 0


async def test_an_unrecorded_request_falls_back_to_generated_data(
    recorded: Recording,
) -> None:
    path = recorded.path
    async with Sandbox(replay=path, min_token_interval=0) as sb, sb.client(account=ACCOUNT) as kis:
        ranking = await kis.domestic_stock.market_cap(market="0000")
    assert ranking.output
    assert sb.stats.replayed == 0


async def test_strict_replay_names_the_request_it_has_no_answer_for(
    recorded: Recording,
) -> None:
    path = recorded.path
    sandbox = Sandbox(replay=path, strict_replay=True, min_token_interval=0)
    async with sandbox as sb, sb.client(account=ACCOUNT) as kis:
        with pytest.raises(KisApiError) as raised:
            await kis.domestic_stock.inquire_price(symbol="000660")
    assert raised.value.msg_cd == "RPLY0001"
    assert "FHKST01010100" in str(raised.value) and "000660" in str(raised.value)


async def test_recorded_answers_are_given_once_each_in_order(tmp_path: Path) -> None:
    path = tmp_path / "two.jsonl"
    async with Sandbox(min_token_interval=0, rate_limit=None) as sb, sb.client(record=path) as kis:
        first = await kis.domestic_stock.inquire_price(symbol="005930")
        sb.data.seed = 7  # the second answer differs from the first
        second = await kis.domestic_stock.inquire_price(symbol="005930")
    assert first != second

    async with Sandbox(replay=path, strict_replay=True, min_token_interval=0) as sb, sb.client() as kis:
        assert await kis.domestic_stock.inquire_price(symbol="005930") == first
        assert await kis.domestic_stock.inquire_price(symbol="005930") == second
        with pytest.raises(KisApiError, match="RPLY0001"):
            await kis.domestic_stock.inquire_price(symbol="005930")
