"""A bot asks for the credit-balance ranking (국내주식 신용잔고 상위) and gets typed rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from aioresponses import aioresponses

from kis_async import KisClient, KisUnsupportedError, KisValidationError
from kis_async.enums import Sign
from tests.conftest import ANY_API
from tests.fakes import APP_KEY, APP_SECRET, CREDIT_BALANCE_PATH, FakeKis, credit_balance_body, token_value

EXPECTED_QUERY = (
    "FID_COND_SCR_DIV_CODE=11701&FID_INPUT_ISCD=0000&FID_OPTION=5"
    "&FID_COND_MRKT_DIV_CODE=J&FID_RANK_SORT_CLS_CODE=0"
)


async def test_the_request_line_is_exactly_what_kis_expects(fake_kis: FakeKis, kis_fake: KisClient) -> None:
    await kis_fake.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    (call,) = fake_kis.api_calls()
    assert call.method == "GET"
    assert call.path_qs == f"{CREDIT_BALANCE_PATH}?{EXPECTED_QUERY}"


async def test_the_request_carries_the_standard_kis_headers(fake_kis: FakeKis, kis_fake: KisClient) -> None:
    await kis_fake.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    (call,) = fake_kis.api_calls()
    headers = {k.lower(): v for k, v in call.headers.items()}
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["authorization"] == f"Bearer {token_value(1)}"
    assert headers["appkey"] == APP_KEY
    assert headers["appsecret"] == APP_SECRET
    assert headers["tr_id"] == "FHKST17010000"
    assert headers["tr_cont"] == ""
    assert headers["custtype"] == "P"


async def test_the_token_is_issued_with_the_client_credentials(
    fake_kis: FakeKis, kis_fake: KisClient
) -> None:
    import json

    await kis_fake.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    issue = fake_kis.seen[0]
    assert (issue.method, issue.path_qs) == ("POST", "/oauth2/tokenP")
    assert json.loads(issue.body) == {
        "grant_type": "client_credentials",
        "appkey": APP_KEY,
        "appsecret": APP_SECRET,
    }


async def test_enum_members_and_strings_send_the_same_query(
    token_ok: aioresponses, kis_mocked: KisClient
) -> None:
    from kis_async.domestic_stock import CreditBalanceMarket, CreditBalanceSort

    token_ok.get(ANY_API, payload=credit_balance_body(), repeat=True)
    await kis_mocked.domestic_stock.credit_balance(
        market=CreditBalanceMarket.KOSDAQ, period="30", sort=CreditBalanceSort.LOAN_RATE
    )
    (url,) = [u for (method, u) in token_ok.requests if method == "GET"]
    assert dict(parse_qsl(urlsplit(str(url)).query))["FID_INPUT_ISCD"] == "1001"
    assert dict(parse_qsl(urlsplit(str(url)).query))["FID_OPTION"] == "30"


@pytest.fixture
async def ranking(token_ok: aioresponses, kis_mocked: KisClient):  # type: ignore[no-untyped-def]
    token_ok.get(ANY_API, payload=credit_balance_body(30))
    return await kis_mocked.domestic_stock.credit_balance(market="0000", period=5, sort="0")


async def test_thirty_ranking_rows_arrive(ranking) -> None:  # type: ignore[no-untyped-def]
    assert len(ranking.output2) == 30
    assert ranking.output2[0].mksc_shrn_iscd == "089010"


async def test_prices_and_volumes_are_ints(ranking) -> None:  # type: ignore[no-untyped-def]
    row = ranking.output2[0]
    assert row.stck_prpr == 28200 and type(row.stck_prpr) is int
    assert row.acml_vol == 2854589


async def test_a_fall_is_a_negative_change_with_the_fall_sign(ranking) -> None:  # type: ignore[no-untyped-def]
    row = ranking.output2[0]
    assert row.prdy_vrss == -300
    assert row.prdy_vrss_sign is Sign.FALL


async def test_rates_are_exact_decimals(ranking) -> None:  # type: ignore[no-untyped-def]
    row = ranking.output2[0]
    assert row.prdy_ctrt == Decimal("-1.00") and isinstance(row.prdy_ctrt, Decimal)
    assert row.whol_loan_rmnd_rate == Decimal("9.68")
    assert ranking.output2[1].prdy_ctrt == Decimal("0.51")


async def test_reference_dates_are_dates(ranking) -> None:  # type: ignore[no-untyped-def]
    sector = ranking.output1[0]
    assert sector.stnd_date1 == dt.date(2026, 11, 20)
    assert sector.stnd_date2 == dt.date(2026, 11, 24)


async def test_the_envelope_is_kept_with_trailing_padding_removed(ranking) -> None:  # type: ignore[no-untyped-def]
    assert (ranking.rt_cd, ranking.msg_cd, ranking.msg1) == ("0", "MCA00000", "정상처리 되었습니다.")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"market": "9999", "period": 5, "sort": "0"}, "market"),
        ({"market": "0000", "period": 1, "sort": "0"}, "period"),
        ({"market": "0000", "period": 1000, "sort": "0"}, "period"),
        ({"market": "0000", "period": "five", "sort": "0"}, "period"),
        ({"market": "0000", "period": 5, "sort": "X"}, "sort"),
    ],
)
async def test_a_bad_argument_is_refused_before_any_request(
    mocked: aioresponses, kis_mocked: KisClient, args: dict[str, object], field: str
) -> None:
    with pytest.raises(KisValidationError) as caught:
        await kis_mocked.domestic_stock.credit_balance(**args)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert caught.value.value == args[field]
    assert repr(args[field]) in str(caught.value)
    assert mocked.requests == {}


async def test_the_refusal_names_what_is_allowed(mocked: aioresponses, kis_mocked: KisClient) -> None:
    with pytest.raises(
        KisValidationError, match=r"period \(FID_OPTION, 증가율기간\): got 1, expected 2\.\.999"
    ):
        await kis_mocked.domestic_stock.credit_balance(market="0000", period=1, sort="0")


async def test_a_market_code_error_lists_the_codes(mocked: aioresponses, kis_mocked: KisClient) -> None:
    with pytest.raises(KisValidationError, match=r"'0000' \(ALL\).*'1001' \(KOSDAQ\)"):
        await kis_mocked.domestic_stock.credit_balance(market="9999", period=5, sort="0")


async def test_the_ranking_on_paper_is_refused_before_any_request(
    mocked: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    kis = make_client(env="paper")
    with pytest.raises(KisUnsupportedError, match="모의투자 미지원"):
        await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    assert mocked.requests == {}
