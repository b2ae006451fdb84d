"""Every failure a bot can meet is a KisError subclass that says what went wrong."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from aioresponses import aioresponses

from kis_async import (
    KisApiError,
    KisClient,
    KisConfigError,
    KisDecodeError,
    KisError,
    KisRateLimitError,
    KisTokenExpiredError,
)
from kis_async._errors import api_error
from tests.conftest import ANY_API
from tests.fakes import CREDIT_BALANCE_PATH, credit_balance_body, kis_error

ARGS = {"market": "0000", "period": 5, "sort": "0"}


async def call(kis: KisClient):  # type: ignore[no-untyped-def]
    return await kis.domestic_stock.credit_balance(**ARGS)


async def test_a_kis_business_error_carries_its_code_and_message(
    token_ok: aioresponses, kis_mocked: KisClient
) -> None:
    token_ok.get(ANY_API, status=500, payload=kis_error("MCA05918", "종목코드 오류입니다."))
    with pytest.raises(KisApiError) as caught:
        await call(kis_mocked)
    error = caught.value
    assert (error.msg_cd, error.msg1, error.tr_id, error.status) == (
        "MCA05918",
        "종목코드 오류입니다.",
        "FHKST17010000",
        500,
    )
    assert "domestic_stock.credit_balance" in str(error) and "MCA05918" in str(error)


async def test_a_business_error_is_not_retried(token_ok: aioresponses, kis_mocked: KisClient) -> None:
    token_ok.get(ANY_API, status=500, payload=kis_error("MCA05918", "종목코드 오류입니다."))
    with pytest.raises(KisApiError):
        await call(kis_mocked)
    assert kis_mocked.stats.retries == 0


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("EGW00201", KisRateLimitError),
        ("EGW00215", KisRateLimitError),
        ("EGW00123", KisTokenExpiredError),
        ("EGW00121", KisTokenExpiredError),
        ("OPSQ0001", KisApiError),
    ],
)
def test_error_codes_map_to_their_class(code: str, cls: type[KisApiError]) -> None:
    assert type(api_error(kis_error(code, "x"), tr_id="T", status=500, endpoint="e")) is cls


def test_the_gateway_error_shape_is_read_too() -> None:
    error = api_error(
        {"error_code": "EGW00123", "error_description": "기간이 만료된 token 입니다."},
        tr_id="T",
        status=403,
        endpoint="e",
    )
    assert isinstance(error, KisTokenExpiredError) and error.msg1 == "기간이 만료된 token 입니다."


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<html><body>Service Unavailable</body></html>", "text/html"),
        ('{"rt_cd": "0", "msg_cd": "MCA00000", "output2": [{"stck_prpr": "282', "application/json"),
        ('{"msg_cd": "MCA00000", "msg1": "no rt_cd"}', "application/json"),
        ("[1, 2, 3]", "application/json"),
    ],
    ids=["html", "truncated", "no-rt_cd", "not-an-object"],
)
async def test_a_body_that_is_not_a_kis_answer_is_a_decode_error(
    token_ok: aioresponses, kis_mocked: KisClient, body: str, content_type: str
) -> None:
    token_ok.get(ANY_API, status=200, body=body, content_type=content_type)
    with pytest.raises(KisDecodeError) as caught:
        await call(kis_mocked)
    error = caught.value
    assert error.endpoint == "domestic_stock.credit_balance"
    assert error.field == "rt_cd"
    assert body[:20] in str(error)


async def test_a_value_of_the_wrong_form_names_the_field_and_the_raw_text(
    token_ok: aioresponses, kis_mocked: KisClient
) -> None:
    body = credit_balance_body(5)
    body["output2"][3]["prdy_ctrt"] = "12.3a"
    token_ok.get(ANY_API, payload=body)
    with pytest.raises(KisDecodeError) as caught:
        await call(kis_mocked)
    error = caught.value
    assert (error.endpoint, error.field, error.value) == (
        "domestic_stock.credit_balance",
        "output2[3].prdy_ctrt",
        "12.3a",
    )
    assert "'12.3a'" in str(error) and "output2[3].prdy_ctrt" in str(error)
    assert error.body == body


async def test_lenient_mode_keeps_the_wire_text_instead(
    token_ok: aioresponses, make_client: Callable[..., KisClient], caplog: pytest.LogCaptureFixture
) -> None:
    body = credit_balance_body(5)
    body["output2"][3]["prdy_ctrt"] = "12.3a"
    token_ok.get(ANY_API, payload=body)
    result = await make_client(strict=False).domestic_stock.credit_balance(**ARGS)
    assert result.output2[3].prdy_ctrt == "12.3a"


@pytest.mark.parametrize(
    "options",
    [
        {"env": "demo"},
        {"account": "123"},
        {"custtype": "X"},
        {"custtype": "B"},
        {"max_retries": -1},
        {"timeout": 5},
    ],
    ids=["env", "account", "custtype", "corporate", "retries", "timeout"],
)
def test_a_misconfigured_client_is_a_config_error(
    make_client: Callable[..., KisClient], options: dict[str, object]
) -> None:
    with pytest.raises(KisConfigError):
        make_client(**options)


def test_missing_credentials_are_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIS_APP_KEY", raising=False)
    monkeypatch.delenv("KIS_APP_SECRET", raising=False)
    with pytest.raises(KisConfigError, match="KIS_APP_KEY"):
        KisClient.from_env()


async def test_a_bot_catching_kis_error_catches_every_failure(
    token_ok: aioresponses, kis_mocked: KisClient
) -> None:
    token_ok.get(ANY_API, status=200, body="garbage", content_type="text/plain")
    token_ok.get(ANY_API, status=500, payload=kis_error("MCA05918", "종목코드 오류입니다."))
    failures = []
    for args in (ARGS, ARGS, {**ARGS, "period": 0}):
        try:
            await kis_mocked.domestic_stock.credit_balance(**args)  # type: ignore[arg-type]
        except KisError as exc:
            failures.append(type(exc).__name__)
    assert failures == ["KisDecodeError", "KisApiError", "KisValidationError"]


def test_credit_balance_path_is_what_the_tests_mock() -> None:
    from kis_async.domestic_stock.ranking import CREDIT_BALANCE

    assert CREDIT_BALANCE.path == CREDIT_BALANCE_PATH
