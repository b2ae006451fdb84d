"""Helpers of the sandbox's own tests: raw HTTP requests the SDK would never send, and a sandbox
serving specs written at run time. ``sandbox``, ``kis_sandbox`` and ``http`` are in
tests/conftest.py (other folders drive the sandbox too)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from kis_async.sandbox import Sandbox
from tests.sandbox import specs


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    """A spec folder that exists only for this test: a paged holdings inquiry, an order and a
    daily price chart."""
    specs.write(tmp_path, specs.HOLDINGS, specs.ORDER, specs.DAILY_PRICE)
    return tmp_path


async def token_for(sandbox: Sandbox, http: aiohttp.ClientSession, app_key: str = "PSrawKey") -> str:
    async with http.post(
        f"{sandbox.url}/oauth2/tokenP",
        json={"grant_type": "client_credentials", "appkey": app_key, "appsecret": "secret"},
    ) as response:
        body = await response.json()
    return str(body["access_token"])


def headers(token: str, tr_id: str, app_key: str = "PSrawKey", **extra: str) -> dict[str, str]:
    return {
        "content-type": "application/json; charset=utf-8",
        "authorization": f"Bearer {token}",
        "appkey": app_key,
        "appsecret": "secret",
        "tr_id": tr_id,
        "custtype": "P",
        **extra,
    }


CREDIT_BALANCE_PATH = "/uapi/domestic-stock/v1/ranking/credit-balance"
CREDIT_BALANCE_QUERY: dict[str, Any] = {
    "FID_COND_SCR_DIV_CODE": "11701",
    "FID_INPUT_ISCD": "0000",
    "FID_OPTION": "5",
    "FID_COND_MRKT_DIV_CODE": "J",
    "FID_RANK_SORT_CLS_CODE": "0",
}


@pytest.fixture
async def spec_sandbox(spec_dir: Path) -> AsyncIterator[Sandbox]:
    """A sandbox that also serves the specs of :func:`spec_dir`, built at run time."""
    from codegen.dynamic import endpoints_from_specs

    async with Sandbox(min_token_interval=0, extra_endpoints=endpoints_from_specs(spec_dir)) as sb:
        yield sb
