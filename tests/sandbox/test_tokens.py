"""Access tokens against the sandbox: issue, reuse, KIS's refusals, expiry mid-run."""

from __future__ import annotations

import datetime as dt

import aiohttp
import pytest

from kis_async import KisAuthError
from kis_async.sandbox import Sandbox
from tests.sandbox.conftest import CREDIT_BALANCE_PATH, CREDIT_BALANCE_QUERY, headers, token_for

TOKEN_REQUEST = {"grant_type": "client_credentials", "appkey": "PSrawKey", "appsecret": "secret"}


async def ranking(kis: object) -> object:
    return await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")  # type: ignore[attr-defined]


async def test_a_bot_gets_one_token_and_reuses_it_for_every_call(sandbox: Sandbox) -> None:
    async with sandbox.client() as kis:
        for _ in range(3):
            await ranking(kis)
    assert sandbox.stats.tokens_issued == 1
    assert sandbox.stats.requests["domestic_stock.credit_balance"] == 3


async def test_token_answer_has_kis_shape(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    async with http.post(f"{sandbox.url}/oauth2/tokenP", json=TOKEN_REQUEST) as response:
        assert response.status == 200
        body = await response.json()
    assert set(body) == {"access_token", "access_token_token_expired", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert isinstance(body["expires_in"], int)  # a JSON number, as KIS sends it
    assert 86390 <= body["expires_in"] <= 86400
    dt.datetime.strptime(body["access_token_token_expired"], "%Y-%m-%d %H:%M:%S")


async def test_token_lifetime_is_configurable(http: aiohttp.ClientSession) -> None:
    async with (
        Sandbox(token_lifetime=120) as sb,
        http.post(f"{sb.url}/oauth2/tokenP", json=TOKEN_REQUEST) as r,
    ):
        assert (await r.json())["expires_in"] in (119, 120)


async def test_a_second_issue_within_the_minute_gets_egw00133(http: aiohttp.ClientSession) -> None:
    async with Sandbox(min_token_interval=60) as sb:
        async with http.post(f"{sb.url}/oauth2/tokenP", json=TOKEN_REQUEST) as first:
            assert first.status == 200
        async with http.post(f"{sb.url}/oauth2/tokenP", json=TOKEN_REQUEST) as second:
            assert second.status == 403
            body = await second.json()
    assert body == {
        "error_code": "EGW00133",
        "error_description": "접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)",
    }
    assert sb.stats.token_refusals == 1


async def test_asking_again_within_six_hours_returns_the_same_token(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    first = await token_for(sandbox, http)
    second = await token_for(sandbox, http)
    assert first == second
    assert sandbox.stats.tokens_issued == 1


async def test_an_expired_token_gets_kis_error_with_http_500(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    token = await token_for(sandbox, http)
    sandbox.expire_tokens()
    async with http.get(
        sandbox.url + CREDIT_BALANCE_PATH,
        params=CREDIT_BALANCE_QUERY,
        headers=headers(token, "FHKST17010000"),
    ) as response:
        assert response.status == 500
        body = await response.json()
    assert body == {"rt_cd": "1", "msg_cd": "EGW00123", "msg1": "기간이 만료된 token 입니다."}


async def test_an_unknown_token_gets_egw00121(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    async with http.get(
        sandbox.url + CREDIT_BALANCE_PATH,
        params=CREDIT_BALANCE_QUERY,
        headers=headers("eyJnot-a-token", "FHKST17010000"),
    ) as response:
        body = await response.json()
    assert (response.status, body["rt_cd"], body["msg_cd"]) == (500, "1", "EGW00121")


async def test_a_revoked_token_no_longer_works(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    token = await token_for(sandbox, http)
    revoke = {"appkey": "PSrawKey", "appsecret": "secret", "token": token}
    async with http.post(f"{sandbox.url}/oauth2/revokeP", json=revoke) as response:
        assert await response.json() == {"code": 200, "message": "접근토큰 폐기에 성공하였습니다"}
    async with http.get(
        sandbox.url + CREDIT_BALANCE_PATH,
        params=CREDIT_BALANCE_QUERY,
        headers=headers(token, "FHKST17010000"),
    ) as response:
        assert (await response.json())["msg_cd"] == "EGW00121"


async def test_token_expiry_mid_run_is_renewed_once_and_the_call_succeeds(sandbox: Sandbox) -> None:
    async with sandbox.client() as kis:
        await ranking(kis)
        sandbox.expire_tokens()
        result = await ranking(kis)
    assert len(result.output2) == 30  # type: ignore[attr-defined]
    assert sandbox.stats.tokens_issued == 2
    assert sandbox.stats.errors["EGW00123"] == 1
    assert kis.tokens_issued == 2


async def test_an_unknown_app_key_is_refused_at_token_issue() -> None:
    async with Sandbox(app_keys={"PSgoodKey": "good-secret"}, min_token_interval=0) as sb:
        async with sb.client("PSbadKey", "whatever") as kis:
            with pytest.raises(KisAuthError) as refused:
                await ranking(kis)
        async with sb.client("PSgoodKey", "good-secret") as kis:
            await ranking(kis)
    assert refused.value.code == "EGW00103"
    assert sb.stats.tokens_issued == 1


async def test_hashkey_returns_the_body_and_its_hash(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    order = {"CANO": "12345678", "ACNT_PRDT_CD": "01", "PDNO": "005930"}
    async with http.post(
        f"{sandbox.url}/uapi/hashkey", json=order, headers={"appkey": "PSrawKey", "appsecret": "secret"}
    ) as response:
        body = await response.json()
    assert body["JsonBody"] == order
    assert len(body["HASH"]) == 64
