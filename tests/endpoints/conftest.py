"""The generated endpoints on mocked KIS: ``kis_mocked`` (tests/conftest.py) with an account and no
retries, and helpers to read back what it sent."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aioresponses import aioresponses

from tests.conftest import TOKEN_URL
from tests.fakes import BASE, token_body

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
def client_settings() -> dict[str, Any]:
    """Every client here has an account and sends each request once (a retry would consume the
    next mocked answer)."""
    return {"env": "real", "account": ACCOUNT, "max_retries": 0, "token_cache": None}


@pytest.fixture
def mocked(mocked: aioresponses) -> aioresponses:
    """Mocked KIS (tests/conftest.py) that also issues a token (``token_value(1)``), as often as
    asked: every test here is about an endpoint, not the token."""
    mocked.post(TOKEN_URL, payload=token_body(1), repeat=True)
    return mocked
