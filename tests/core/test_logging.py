"""A bot author turns on DEBUG for ``kis_async`` and sees one line per request, never a secret."""

from __future__ import annotations

import logging
import re

import attrs
import pytest
from aioresponses import aioresponses

from kis_async import KisClient

BASE = "https://openapi.koreainvestment.com:9443"
RANKING = re.compile(re.escape(BASE + "/uapi/domestic-stock/v1/ranking/credit-balance") + r".*")
APP_SECRET = "logging-test-secret-3c9d"
TOKEN = "logging-test-token-a81f"
REQUEST_LINE = re.compile(
    r"^GET /uapi/domestic-stock/v1/ranking/credit-balance tr_id=FHKST17010000 status=(\d+) "
    r"[\d.]+ms retries=(\d+)$"
)
OK = {"rt_cd": "0", "msg_cd": "MCA00000", "msg1": "정상처리 되었습니다.", "output1": [], "output2": []}


@pytest.fixture(autouse=True)
def one_token(mocked: aioresponses) -> None:
    """Mocked KIS issues one token (``TOKEN``, which no log line may show)."""
    mocked.post(BASE + "/oauth2/tokenP", payload={"access_token": TOKEN, "expires_in": 86400})


def client() -> KisClient:
    return KisClient("PSloggingAppKey", APP_SECRET, token_cache=None, rate_limit=None, min_token_interval=0)


def request_lines(caplog: pytest.LogCaptureFixture) -> list[re.Match[str]]:
    lines = [REQUEST_LINE.match(r.getMessage()) for r in caplog.records if r.name == "kis_async"]
    return [m for m in lines if m]


async def test_each_request_logs_one_debug_line_with_method_path_tr_status_time_and_retries(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    mocked.get(RANKING, payload=OK)
    caplog.set_level(logging.DEBUG, logger="kis_async")
    async with client() as kis:
        await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    (line,) = request_lines(caplog)
    assert line.group(1, 2) == ("200", "0")


async def test_a_retried_request_logs_each_attempt_with_its_retry_count(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    mocked.get(RANKING, status=503, body="Service Unavailable")
    mocked.get(RANKING, payload=OK)
    caplog.set_level(logging.DEBUG, logger="kis_async")
    async with client() as kis:
        kis.retry = attrs.evolve(kis.retry, initial=0.0, maximum=0.0)  # no waiting in a unit test
        await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    assert [m.group(1, 2) for m in request_lines(caplog)] == [("503", "0"), ("200", "1")]


async def test_no_log_record_contains_the_app_secret_or_the_token(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    mocked.get(RANKING, payload={"rt_cd": "1", "msg_cd": "EGW00123", "msg1": "기간이 만료된 token 입니다."})
    mocked.post(BASE + "/oauth2/tokenP", payload={"access_token": TOKEN + "2", "expires_in": 86400})
    mocked.get(RANKING, payload=OK)
    caplog.set_level(logging.DEBUG)
    async with client() as kis:
        await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    assert request_lines(caplog), "the requests were not logged"
    text = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
    assert APP_SECRET not in text
    assert TOKEN not in text
