"""A bot run with ``KIS_ENV=sandbox`` and ``KIS_BASE_URL`` of a running sandbox (as the config file
and ``--env sandbox`` mean it) calls it with no real credentials, and a client whose env does not
match the server it reaches is told so."""

from __future__ import annotations

import pytest

from kis_async import KisApiError, KisClient
from kis_async.sandbox import Sandbox


async def test_a_bot_started_with_kis_env_sandbox_ranks_against_the_sandbox(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("KIS_APP_KEY", "KIS_APP_SECRET", "KIS_WS_URL", "KIS_ACCOUNT", "KIS_TOKEN_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KIS_ENV", "sandbox")
    monkeypatch.setenv("KIS_BASE_URL", sandbox.url)
    async with KisClient.from_env(token_cache=None, min_token_interval=0) as kis:
        ranking = await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    assert ranking.rt_cd == "0"
    assert len(ranking.output2) > 0
    assert kis.ws_url == sandbox.ws_url


async def test_a_real_client_reaching_a_paper_server_gets_a_hint() -> None:
    async with (
        Sandbox(env="paper", min_token_interval=0) as paper,
        KisClient(
            "PSkey", "secret", env="real", base_url=paper.url, token_cache=None, min_token_interval=0
        ) as kis,
    ):
        with pytest.raises(
            KisApiError, match=r"is a 모의투자 \(paper\) server but this client is env='real'"
        ):
            await kis.domestic_stock.inquire_balance(account="12345678", account_product="01")
