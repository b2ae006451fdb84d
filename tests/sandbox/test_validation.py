"""The sandbox checks TR IDs, headers and fields as KIS does, and answers KIS-style errors, never 500s
of its own."""

from __future__ import annotations

from typing import Any

import aiohttp
import attrs
import pytest

from kis_async import KisApiError, KisClient, KisUnsupportedError
from kis_async.domestic_stock.ranking import CREDIT_BALANCE
from kis_async.sandbox import Sandbox
from tests.sandbox.conftest import CREDIT_BALANCE_PATH, CREDIT_BALANCE_QUERY, headers, token_for


async def get(
    sandbox: Sandbox,
    http: aiohttp.ClientSession,
    query: dict[str, Any],
    tr_id: str = "FHKST17010000",
    **extra: str,
) -> tuple[int, dict[str, Any]]:
    token = await token_for(sandbox, http)
    async with http.get(
        sandbox.url + CREDIT_BALANCE_PATH, params=query, headers=headers(token, tr_id, **extra)
    ) as response:
        return response.status, await response.json()


async def test_a_missing_field_gets_rt_cd_1_naming_it(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    query = {k: v for k, v in CREDIT_BALANCE_QUERY.items() if k != "FID_INPUT_ISCD"}
    status, body = await get(sandbox, http, query)
    assert status == 500
    assert body["rt_cd"] == "1"
    assert body["msg_cd"] == "OPSQ2002"
    assert "FID_INPUT_ISCD" in body["msg1"]
    assert "output2" not in body


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("FID_OPTION", "1000"),  # 증가율기간 is 2..999
        ("FID_OPTION", "five"),
        ("FID_INPUT_ISCD", "9999"),  # not a market code
        ("FID_COND_SCR_DIV_CODE", "20170"),  # the constant is 11701
        ("FID_RANK_SORT_CLS_CODE", "123"),  # longer than its 2 characters
    ],
)
async def test_an_invalid_value_gets_rt_cd_1_naming_the_field(
    sandbox: Sandbox, http: aiohttp.ClientSession, field: str, value: str
) -> None:
    status, body = await get(sandbox, http, {**CREDIT_BALANCE_QUERY, field: value})
    assert (status, body["rt_cd"], body["msg_cd"]) == (500, "1", "OPSQ2001")
    assert field in body["msg1"]
    assert repr(value) in body["msg1"]


async def test_an_unknown_tr_id_is_refused(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    status, body = await get(sandbox, http, CREDIT_BALANCE_QUERY, tr_id="FHKST99999999")
    assert (status, body["msg_cd"], body["msg1"]) == (500, "OPSQ0002", "없는 서비스 코드 입니다")


async def test_a_missing_custtype_header_is_refused(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    status, body = await get(sandbox, http, CREDIT_BALANCE_QUERY, custtype="")
    assert (status, body["rt_cd"]) == (500, "1")
    assert "custtype" in body["msg1"]


async def test_the_paper_domain_refuses_a_real_only_tr(http: aiohttp.ClientSession) -> None:
    async with Sandbox(env="paper", min_token_interval=0) as paper:
        status, body = await get(paper, http, CREDIT_BALANCE_QUERY)
    assert (status, body["rt_cd"], body["msg1"]) == (500, "1", "모의투자 TR 이 아닙니다.")


async def test_a_paper_client_is_told_before_sending_that_the_ranking_has_no_paper_version() -> None:
    async with Sandbox(env="paper", min_token_interval=0) as paper, paper.client() as kis:
        with pytest.raises(KisUnsupportedError):
            await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    assert paper.stats.requests.total() == 0


async def test_a_client_with_an_outdated_spec_gets_the_servers_refusal(
    kis_sandbox: KisClient, sandbox: Sandbox
) -> None:
    # A descriptor whose period check was lost lets 1000 through; the server still says no.
    loose = attrs.evolve(
        CREDIT_BALANCE,
        params=tuple(attrs.evolve(p, range=None) if p.name == "period" else p for p in CREDIT_BALANCE.params),
    )
    with pytest.raises(KisApiError) as refused:
        await kis_sandbox.request(loose, {"market": "0000", "period": 1000, "sort": "0"})
    assert refused.value.msg_cd == "OPSQ2001"
    assert "FID_OPTION" in refused.value.msg1
    assert sandbox.stats.answered.total() == 0


async def test_an_account_number_that_is_not_8_digits_is_refused_naming_its_pattern(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    """A bot that builds its query by hand (not through the SDK, which refuses it before sending)
    still meets KIS's rule: CANO is 8 digits."""
    from kis_async.domestic_stock.trading import INQUIRE_BALANCE

    client_side = INQUIRE_BALANCE.build_request({}, ("12345678", "01"))
    query = {**client_side, "CANO": "1234567"}
    token = await token_for(sandbox, http)
    async with http.get(
        sandbox.url + INQUIRE_BALANCE.path, params=query, headers=headers(token, "TTTC8434R")
    ) as response:
        body = await response.json()
    assert (response.status, body["rt_cd"], body["msg_cd"]) == (500, "1", "OPSQ2001")
    assert "CANO" in body["msg1"] and "^[0-9]{8}$" in body["msg1"]


async def test_the_client_and_the_sandbox_refuse_the_same_impossible_time(kis_sandbox: KisClient) -> None:
    """One rule for a time field (``is_wire_time``): ``"999999"`` used to pass the client and fail the
    sandbox; now the client refuses it before anything is sent, naming the field, and the sandbox's
    own check (for requests built by hand) says the same."""
    from kis_async import KisValidationError
    from kis_async.domestic_futureoption.trading.inquire_ccnl_bstime import INQUIRE_CCNL_BSTIME
    from kis_async.sandbox._validate import check_fields

    with pytest.raises(KisValidationError, match=r"end_time .*FUOP_TR_END_TMD.*'999999'.*HHMMSS"):
        await kis_sandbox.domestic_futureoption.inquire_ccnl_bstime(
            order_date="20260105", start_time="090000", end_time="999999"
        )
    wire = INQUIRE_CCNL_BSTIME.build_request(
        {"order_date": "20260105", "start_time": "090000", "end_time": "153000"}, ("12345678", "03")
    )
    assert check_fields(INQUIRE_CCNL_BSTIME, wire) is None
    problem = check_fields(INQUIRE_CCNL_BSTIME, {**wire, "FUOP_TR_END_TMD": "999999"})
    assert problem is not None and problem.wire == "FUOP_TR_END_TMD" and "a time HHMMSS" in problem.msg1


# -- what the paper (모의투자) server does not accept ------------------------------------------


async def test_the_paper_sandbox_refuses_an_exchange_paper_does_not_take(http: aiohttp.ClientSession) -> None:
    """A bot that builds its query by hand meets paper KIS's refusal of what paper does not accept
    (the spec's ``paper:``), as the client would have refused it before sending."""
    from kis_async.overseas_stock.trading import INQUIRE_CCNL

    args = {"start_date": "20261207", "end_date": "20261207", "side": "00", "fill_status": "00"}
    query = {**INQUIRE_CCNL.build_request(args, ("12345678", "01"), "paper"), "OVRS_EXCG_CD": "NASD"}
    async with Sandbox(env="paper", min_token_interval=0) as paper:
        token = await token_for(paper, http)
        async with http.get(
            paper.url + INQUIRE_CCNL.path, params=query, headers=headers(token, "VTTS3035R")
        ) as response:
            body = await response.json()
        assert (body["rt_cd"], body["msg_cd"]) == ("1", "SBX40004")
        assert body["msg1"].startswith(
            "모의투자에서는 해당업무가 제공되지 않습니다. (OVRS_EXCG_CD 해외거래소코드 = 'NASD';"
        )
        assert "no value: leave it out" in body["msg1"] and "sandbox code" in body["msg1"]
        assert paper.stats.answered.total() == 0


async def test_a_paper_client_with_an_outdated_spec_gets_the_paper_servers_refusal() -> None:
    """A descriptor that lost its paper rule lets NXT through on paper; the paper server still
    says no, and the order is not booked."""
    from kis_async.domestic_stock.trading import ORDER_CASH

    loose = attrs.evolve(
        ORDER_CASH,
        params=tuple(
            attrs.evolve(p, paper_only=None) if p.name == "exchange" else p for p in ORDER_CASH.params
        ),
    )
    order = {
        "side": "buy",
        "symbol": "005930",
        "quantity": 1,
        "price": 70_000,
        "order_type": "00",
        "exchange": "NXT",
    }
    async with (
        Sandbox(env="paper", min_token_interval=0, rate_limit=None) as paper,
        paper.client(account="12345678-01") as kis,
    ):
        with pytest.raises(KisApiError) as refused:
            await kis.request(loose, order)
        assert (refused.value.rt_cd, refused.value.msg_cd) == ("1", "SBX40004")
        assert "EXCG_ID_DVSN_CD" in refused.value.msg1 and "'KRX' (KRX) only" in refused.value.msg1
        assert paper.stats.answered.total() == 0


def test_the_real_server_takes_what_paper_refuses() -> None:
    from kis_async.domestic_stock.trading import ORDER_CASH
    from kis_async.sandbox._validate import check_fields

    args = {"side": "buy", "symbol": "005930", "quantity": 1, "price": 70_000, "order_type": "00"}
    wire = {**ORDER_CASH.build_request(args, ("12345678", "01")), "EXCG_ID_DVSN_CD": "NXT"}
    assert check_fields(ORDER_CASH, wire, "real") is None
    problem = check_fields(ORDER_CASH, wire, "paper")
    assert problem is not None and (problem.msg_cd, problem.wire) == ("SBX40004", "EXCG_ID_DVSN_CD")
