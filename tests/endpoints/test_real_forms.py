"""What live servers send beyond the portal pages, met through the client: the three error shapes,
strict and lenient decoding, unknown codes, and the types the curated specs promise."""

from __future__ import annotations

import datetime as dt
import json
import logging
import types
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Union, get_args, get_origin

import attrs
import pytest
from aioresponses import aioresponses

from kis_async import KisApiError, KisAuthError, KisClient, KisDecodeError, KisRateLimitError
from kis_async._convert import KisEnum
from kis_async.enums import Sign
from kis_async.overseas_price import OverseasPriceResponse
from tests.curated import curated_endpoints, descriptors
from tests.endpoints.conftest import BASE, envelope, url
from tests.paths import REAL_BODIES

PRICE_PATH = "/uapi/overseas-price/v1/quotations/price"
ORDER_PATH = "/uapi/domestic-stock/v1/trading/order-cash"
CORPUS = REAL_BODIES

QUOTE = {
    "rsym": "DNASAAPL", "zdiv": "4", "base": "189.9800", "pvol": "52164532", "last": "192.7150",
    "sign": "2", "diff": "2.7350", "rate": "+1.44", "tvol": "31562877", "tamt": "6052416895.123456",
    "ordy": "매수가능",
}  # fmt: skip


async def quote(kis: KisClient) -> OverseasPriceResponse:
    return await kis.overseas_price.price(exchange="NAS", symbol="AAPL")


# -- the client structures exactly as from_dict does ------------------------------------------------


async def test_an_order_answer_with_upper_case_keys_reads_as_from_dict_reads_it(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    corpus = json.loads((CORPUS / "domestic_stock.order_cash.json").read_text(encoding="utf-8"))
    body = corpus["cases"][0]["body"]
    mocked.post(url(ORDER_PATH), payload=body)

    result = await kis_mocked.domestic_stock.order_cash(side="buy", symbol="005930", quantity=1, price=70000)

    assert result == type(result).from_dict(body)
    assert result.output is not None
    assert (result.output.odno, result.output.ord_tmd) == ("0000117057", dt.time(12, 10, 52))
    assert result.output.raw["SOR_ODNO"] == ""  # not on the page: kept on .raw


def test_a_documented_field_that_is_absent_is_none() -> None:
    response = OverseasPriceResponse.from_dict(envelope(output={"last": "192.7150"}))

    assert response.output is not None
    assert response.output.last == Decimal("192.7150")
    assert response.output.base is None and response.output.sign is None


# -- strictness ---------------------------------------------------------------------------------------


async def test_by_default_a_value_that_is_not_its_type_names_endpoint_field_and_value(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.get(url(PRICE_PATH), payload=envelope(output={**QUOTE, "last": "12.3a"}))

    with pytest.raises(KisDecodeError) as raised:
        await quote(kis_mocked)

    message = str(raised.value)
    assert "overseas_price.price" in message and "last" in message and "'12.3a'" in message
    assert raised.value.field == "output.last" and raised.value.value == "12.3a"


async def test_strict_false_keeps_the_wire_string_and_warns_once_per_field(
    mocked: aioresponses,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    make_client: Callable[..., KisClient],
) -> None:
    monkeypatch.setattr("kis_async._models._warned", set())
    mocked.get(url(PRICE_PATH), payload=envelope(output={**QUOTE, "last": "12.3a"}), repeat=True)

    with caplog.at_level(logging.WARNING, logger="kis_async"):
        async with make_client(strict=False) as kis:
            first = await quote(kis)
            second = await quote(kis)

    assert first.output is not None and second.output is not None
    assert first.output.last == "12.3a"  # the bot keeps running; the value stays visible
    assert first.output.base == Decimal("189.9800")  # every other field is typed as usual
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "last" in r.getMessage()]
    assert len(warnings) == 1


# -- unknown codes -------------------------------------------------------------------------------------


async def test_an_unknown_sign_code_stays_visible_equal_to_the_wire_code_and_is_logged_once(
    kis_mocked: KisClient, mocked: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    mocked.get(url(PRICE_PATH), payload=envelope(output={**QUOTE, "sign": "8"}), repeat=True)
    # the pseudo-member lives as long as the process: forget one an earlier test may have met
    Sign.__dict__.get("_kis_unknown_", {}).pop("8", None)

    with caplog.at_level(logging.DEBUG, logger="kis_async"):
        first = await quote(kis_mocked)
        second = await quote(kis_mocked)

    assert first.output is not None and second.output is not None
    sign = first.output.sign
    assert isinstance(sign, Sign) and sign == "8" and not sign.known
    assert sign.name == "UNKNOWN_8" and second.output.sign is sign
    assert first.to_dict()["output"]["sign"] == "8"
    logged = [r for r in caplog.records if "'8'" in r.getMessage() and "Sign" in r.getMessage()]
    assert len(logged) == 1 and logged[0].levelno == logging.DEBUG


# -- the three error shapes ------------------------------------------------------------------------------


async def test_an_error_envelope_without_output_raises_the_kis_error(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.get(
        url(PRICE_PATH),
        payload={"rt_cd": "2", "msg_cd": "OPSQ2001", "msg1": "ERROR : INPUT_FIELD_NAME SYMB    "},
    )

    with pytest.raises(KisApiError) as raised:
        await quote(kis_mocked)

    assert (raised.value.rt_cd, raised.value.msg_cd) == ("2", "OPSQ2001")
    assert raised.value.msg1 == "ERROR : INPUT_FIELD_NAME SYMB"


async def test_an_account_error_with_rt_cd_7_is_an_error_not_a_decode_failure(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.get(url(PRICE_PATH), payload={"rt_cd": "7", "msg_cd": "APBK0915", "msg1": "계좌번호 오류"})

    with pytest.raises(KisApiError) as raised:
        await quote(kis_mocked)

    assert raised.value.rt_cd == "7"


async def test_no_hits_that_arrive_as_an_error_say_so(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.get(
        url(PRICE_PATH), payload={"rt_cd": "1", "msg_cd": "MCA05918", "msg1": "조회된 데이터가 없습니다."}
    )

    with pytest.raises(KisApiError) as raised:
        await quote(kis_mocked)

    assert raised.value.msg_cd == "MCA05918"


async def test_a_rate_limit_refusal_with_http_500_is_a_rate_limit_error(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.get(
        url(PRICE_PATH),
        status=500,
        payload={"rt_cd": "1", "msg_cd": "EGW00201", "msg1": "초당 거래건수를 초과하였습니다."},
    )

    with pytest.raises(KisRateLimitError):
        await quote(kis_mocked)


async def test_the_token_endpoints_own_error_shape_is_an_auth_error(
    make_client: Callable[..., KisClient],
) -> None:
    with aioresponses() as mocked:
        mocked.post(
            f"{BASE}/oauth2/tokenP",
            status=403,
            payload={
                "error_code": "EGW00133",
                "error_description": "접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)",
            },
            repeat=True,
        )
        async with make_client() as kis:
            waits: list[float] = []

            async def record(delay: float) -> None:
                waits.append(delay)

            kis._pause = record  # type: ignore[method-assign]
            with pytest.raises(KisAuthError) as raised:
                await quote(kis)

    assert raised.value.code == "EGW00133"
    assert waits == [61.0]  # the minute was waited out once before the second refusal was raised


@pytest.mark.parametrize(
    ("code", "message"),
    [("EGW00103", "유효하지 않은 AppKey입니다."), ("EGW00105", "유효하지 않은 AppSecret입니다.")],
)
async def test_a_call_refused_for_a_bad_app_key_or_secret_is_an_auth_error_sent_once(
    mocked: aioresponses, code: str, message: str, make_client: Callable[..., KisClient]
) -> None:
    mocked.get(url(PRICE_PATH), status=500, payload={"rt_cd": "1", "msg_cd": code, "msg1": message})

    async with make_client(max_retries=3) as kis:
        with pytest.raises(KisAuthError, match=code) as raised:
            await quote(kis)

    assert (raised.value.code, raised.value.description, raised.value.status) == (code, message, 500)
    assert "overseas_price.price" in str(raised.value)
    assert sum(len(calls) for key, calls in mocked.requests.items() if key[1].path == PRICE_PATH) == 1


# -- types of the curated endpoints, reviewed against the notes ----------------------------------------------


def _row_fields() -> list[tuple[str, str, Any]]:
    """(endpoint, attribute, declared type) of every row of every curated endpoint."""
    found = []
    for name, endpoint in descriptors().items():
        if name not in curated_endpoints():
            continue
        for output in endpoint.outputs:
            attrs.resolve_types(output.row)
            for attribute in attrs.fields(output.row):
                if attribute.name != "raw":
                    found.append((name, attribute.name, _base_type(attribute.type)))
    return found


def _base_type(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        return inner
    return annotation


FIELDS = _row_fields()


def test_display_text_stays_text() -> None:
    display = [(e, n, t) for e, n, t in FIELDS if n.endswith(("_cnnm", "_name", "isnm"))]
    assert display
    assert [(e, n) for e, n, t in display if t is not str] == []


def test_codes_and_order_numbers_stay_text_or_enum() -> None:
    codes = [(e, n, t) for e, n, t in FIELDS if n.endswith(("odno", "pdno", "iscd", "orgno", "_cd", "code"))]
    assert codes
    wrong = [
        (e, n) for e, n, t in codes if not (t is str or (isinstance(t, type) and issubclass(t, KisEnum)))
    ]
    assert wrong == []


#: Suffixes of counts, quantities, flags, codes and times, which share stems with money fields
#: (``last_n_cnt``, ``last_qntt``, ``prev_diff_flag``, ``pric_dvsn_cd``, ``base_mket_strt_tmd``).
NOT_MONEY = ("_cnt", "_qntt", "_qty", "_flag", "_cd", "_code", "_tmd", "_hour")


def test_prices_that_carry_decimals_are_decimal() -> None:
    overseas_money = [
        (e, n, t)
        for e, n, t in FIELDS
        if e.startswith("overseas_")
        and any(p in n for p in ("pric", "amt", "pfls", "base", "last", "diff"))
        and not n.endswith(NOT_MONEY)
    ]
    assert len(overseas_money) >= 10
    assert [(e, n) for e, n, t in overseas_money if t is not Decimal] == []
    averages = [(e, n, t) for e, n, t in FIELDS if "avg_pric" in n or n == "avg_prvs"]
    assert averages and [(e, n) for e, n, t in averages if t is not Decimal] == []


def test_dates_and_times_are_typed() -> None:
    dates = [(e, n, t) for e, n, t in FIELDS if n.endswith(("_date", "_dt", "date1", "date2"))]
    times = [(e, n, t) for e, n, t in FIELDS if n.endswith(("_tmd", "_hour"))]
    assert [(e, n) for e, n, t in dates if t is not dt.date] == []
    assert [(e, n) for e, n, t in times if t is not dt.time] == []
