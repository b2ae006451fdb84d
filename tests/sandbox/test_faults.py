"""Fault injection: each kind of gateway misbehaviour is observable on the wire, and the client copes
with it as a bot author needs (reads retried, orders never sent twice)."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import pytest

from kis_async import KisDecodeError, KisOrderStateUnknownError, KisTransportError
from kis_async.sandbox import Fault, Faults, Sandbox
from tests.sandbox.conftest import CREDIT_BALANCE_PATH, CREDIT_BALANCE_QUERY, headers, token_for

TR = "FHKST17010000"


async def call(sandbox: Sandbox, http: aiohttp.ClientSession) -> tuple[int, str, bytes]:
    token = await token_for(sandbox, http)
    async with http.get(
        sandbox.url + CREDIT_BALANCE_PATH, params=CREDIT_BALANCE_QUERY, headers=headers(token, TR)
    ) as response:
        return response.status, response.content_type, await response.read()


async def ranking(kis: Any) -> Any:
    return await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_status_fault_answers_a_gateway_page(
    sandbox: Sandbox, http: aiohttp.ClientSession, status: int
) -> None:
    sandbox.faults.set(TR, Fault(status=status))
    got, content_type, body = await call(sandbox, http)
    assert (got, content_type) == (status, "text/html")
    assert b"rt_cd" not in body


async def test_a_dropped_connection_never_answers(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    sandbox.faults.set("domestic_stock.credit_balance", Fault(drop=True))
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await call(sandbox, http)


async def test_a_truncated_body_stops_half_way(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    sandbox.faults.set(CREDIT_BALANCE_PATH, Fault(truncate=True))
    with pytest.raises(aiohttp.ClientPayloadError):
        await call(sandbox, http)


async def test_a_non_json_body_is_html_with_status_200(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    sandbox.faults.set(None, Fault(non_json=True))
    status, content_type, body = await call(sandbox, http)
    assert (status, content_type) == (200, "text/html")
    assert body.startswith(b"<html>")


async def test_latency_delays_the_answer(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    sandbox.faults.set(None, Fault(latency=0.3))
    started = time.monotonic()
    status, _, _ = await call(sandbox, http)
    assert status == 200
    assert time.monotonic() - started >= 0.3
    assert sandbox.stats.faults["latency"] == 1


async def test_token_expiry_fault_gets_egw00123(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    sandbox.faults.set(TR, Fault(expire_token=True, times=1))
    status, _, body = await call(sandbox, http)
    assert status == 500
    assert b"EGW00123" in body


async def test_times_limits_a_fault_to_the_next_calls(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    sandbox.faults.set(TR, Fault(status=503, times=1))
    assert (await call(sandbox, http))[0] == 503
    assert (await call(sandbox, http))[0] == 200


async def test_every_nth_call_fails_deterministically(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    sandbox.faults.set(TR, Fault(status=502, every=2))
    statuses = [(await call(sandbox, http))[0] for _ in range(4)]
    assert statuses == [200, 502, 200, 502]


def test_faults_can_be_given_per_run_at_construction() -> None:
    sandbox = Sandbox(faults=Faults(all=Fault(latency=0.1), endpoints={TR: Fault(status=503)}))
    assert sandbox.faults.pick("x", TR, "/p") == Fault(status=503)
    assert sandbox.faults.pick("other", "OTHER", "/q") == Fault(latency=0.1)


def test_a_fault_rejects_a_status_that_is_not_a_gateway_failure() -> None:
    with pytest.raises(ValueError, match=r"Fault\.status"):
        Fault(status=404)


async def test_a_read_survives_one_gateway_failure(sandbox: Sandbox) -> None:
    sandbox.faults.set(TR, Fault(status=503, times=1))
    async with sandbox.client() as kis:
        result = await ranking(kis)
    assert len(result.output2) == 30
    assert sandbox.stats.requests["domestic_stock.credit_balance"] == 2


async def test_a_read_survives_a_dropped_connection(sandbox: Sandbox) -> None:
    sandbox.faults.set(TR, Fault(drop=True, times=1))
    async with sandbox.client() as kis:
        result = await ranking(kis)
    assert len(result.output2) == 30


async def test_a_read_gives_up_after_its_retries(sandbox: Sandbox) -> None:
    sandbox.faults.set(TR, Fault(status=502))
    async with sandbox.client(max_retries=1) as kis:
        with pytest.raises(KisTransportError):
            await ranking(kis)
    assert sandbox.stats.requests["domestic_stock.credit_balance"] == 2


async def test_a_non_json_success_is_a_decode_error_naming_the_endpoint(sandbox: Sandbox) -> None:
    sandbox.faults.set(TR, Fault(non_json=True))
    async with sandbox.client() as kis:
        with pytest.raises(KisDecodeError, match="credit_balance"):
            await ranking(kis)


async def test_an_order_whose_answer_is_lost_is_not_sent_again(spec_sandbox: Sandbox) -> None:
    order = spec_sandbox.endpoints["domestic_stock.sandbox_order"]
    spec_sandbox.faults.set("domestic_stock.sandbox_order", Fault(drop=True))
    async with spec_sandbox.client(account="12345678-01") as kis:
        with pytest.raises(KisOrderStateUnknownError):
            await kis.request(
                order, {"side": "buy", "code": "005930", "order_type": "00", "quantity": 1, "price": 70000}
            )
    assert len(spec_sandbox.stats.orders_to("domestic_stock.sandbox_order")) == 1


async def test_token_issue_is_targeted_as_tokenp_and_untouched_by_faults_for_all(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    request = {"grant_type": "client_credentials", "appkey": "PSrawKey", "appsecret": "secret"}
    sandbox.faults.set(None, Fault(status=502))
    async with http.post(f"{sandbox.url}/oauth2/tokenP", json=request) as response:
        assert response.status == 200
    sandbox.faults.set("tokenP", Fault(status=503, times=1))
    async with http.post(f"{sandbox.url}/oauth2/tokenP", json=request) as response:
        assert response.status == 503


def test_a_misspelt_fault_target_is_refused_with_the_close_name() -> None:
    """A typo used to match nothing, so a test meant to prove the bot survives a 503 passed without
    any 503."""
    sandbox = Sandbox()
    with pytest.raises(
        ValueError, match=r"'domestic_stock\.credit_balanse'.*did you mean 'domestic_stock\.credit_balance'"
    ):
        sandbox.faults.set("domestic_stock.credit_balanse", Fault(status=503))


def test_fault_targets_given_at_construction_are_checked_too() -> None:
    with pytest.raises(ValueError, match="FHKST1701000"):
        Sandbox(faults=Faults(endpoints={"FHKST1701000": Fault(status=503)}))


def test_every_kind_of_target_and_both_environments_tr_ids_are_accepted() -> None:
    sandbox = Sandbox()
    for target in (
        "domestic_stock.order_cash",
        "TTTC0012U",
        "VTTC0012U",
        "/uapi/domestic-stock/v1/trading/order-cash",
        "tokenP",
    ):
        sandbox.faults.set(target, Fault(status=503))
    assert len(sandbox.faults.endpoints) == 5


def test_a_fault_that_does_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="this Fault does nothing"):
        Fault(times=1)


def test_once_an_endpoint_fault_is_spent_the_fault_for_every_call_applies() -> None:
    """It used to shadow `all` for that endpoint forever: a 502-everywhere phase after a
    one-off 503 on the ranking left the ranking healthy."""
    faults = Faults()
    faults.set(TR, Fault(status=503, times=1))
    faults.set(None, Fault(status=502))
    assert [faults.pick(TR) for _ in range(2)] == [Fault(status=503, times=1), Fault(status=502)]
