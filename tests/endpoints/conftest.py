"""A KisClient against mocked KIS (aioresponses), and helpers to read back what it sent."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aioresponses import aioresponses

from kis_async import KisClient

BASE = "https://kis.test"
ACCOUNT = "12345678-01"


def url(path: str) -> re.Pattern[str]:
    """Match ``path`` on the mocked server whatever the query string."""
    return re.compile(rf"^{re.escape(BASE + path)}(\?.*)?$")


def envelope(msg_cd: str = "MCA00000", msg1: str = "정상처리 되었습니다.", **outputs: Any) -> dict[str, Any]:
    return {"rt_cd": "0", "msg_cd": msg_cd, "msg1": msg1, **outputs}


class Sent:
    """One request as the client sent it."""

    def __init__(self, method: str, path: str, kwargs: dict[str, Any]) -> None:
        self.method = method
        self.path = path
        self.headers: dict[str, str] = dict(kwargs.get("headers") or {})
        self.params: dict[str, str] = dict(kwargs.get("params") or {})
        data = kwargs.get("data")
        self.body: dict[str, Any] = json.loads(data) if data else {}

    @property
    def tr_id(self) -> str:
        return self.headers["tr_id"]


def sent(mocked: aioresponses, path: str) -> list[Sent]:
    """Every request to ``path``, in the order sent (the token request excluded)."""
    calls: list[Sent] = []
    for (method, request_url), recorded in mocked.requests.items():
        if request_url.path == path:
            calls += [Sent(method, path, call.kwargs) for call in recorded]
    return calls


@pytest.fixture
def mocked() -> Iterator[aioresponses]:
    with aioresponses() as m:
        m.post(
            f"{BASE}/oauth2/tokenP",
            payload={"access_token": "tok", "token_type": "Bearer", "expires_in": 86400},
            repeat=True,
        )
        yield m


def make_client(env: str = "real", **options: Any) -> KisClient:
    settings: dict[str, Any] = {
        "base_url": BASE,
        "account": ACCOUNT,
        "token_cache": None,
        "rate_limit": None,
        "max_retries": 0,
    }
    settings.update(options)
    return KisClient("app-key-0001", "app-secret", env=env, **settings)  # type: ignore[arg-type]


@pytest.fixture
async def kis(mocked: aioresponses) -> AsyncIterator[KisClient]:
    async with make_client("real") as client:
        yield client


@pytest.fixture
async def paper(mocked: aioresponses) -> AsyncIterator[KisClient]:
    async with make_client("paper") as client:
        yield client
