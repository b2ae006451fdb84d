"""Fixtures every folder shares; tests/README.md says which to use.

A KisClient comes in four kinds, each named for what it talks to: ``kis_mocked`` (aioresponses
mocks, the ``mocked`` object), ``kis_sandbox`` (a running ``sandbox``) and ``kis_fake`` (the
scripted ``fake_kis`` server); the real-time tests add ``kis_realtime`` (tests/realtime). Settings
other than the defaults go in ``@pytest.mark.<fixture>(...)`` on the test or the module.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from pathlib import Path
from typing import Any

from tests import _aioresponses_compat

_aioresponses_compat.install()

import aiohttp  # noqa: E402
import pytest  # noqa: E402
from aioresponses import aioresponses  # noqa: E402

from kis_async import KST, KisClient, _auth, today_kst  # noqa: E402
from kis_async._calendar import is_trading_day, previous_trading_day  # noqa: E402
from kis_async.sandbox import Sandbox, _clock  # noqa: E402
from tests.fakes import APP_KEY, APP_SECRET, BASE, FakeKis, token_body  # noqa: E402


def _import_skip_under_ci(report: Any) -> None:
    """Under CI (``CI=true``) a skip for a missing module (``pytest.importorskip``: cryptography,
    rich, the sandbox) is a failure: there a missing dev dependency is a broken setup, and a silent
    skip would hide every test of the file (the fleet tests already fail the same way)."""
    if os.environ.get("CI") != "true" or not report.skipped:
        return
    reason = str(report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr)
    if "could not import" in reason or "No module named" in reason:
        report.outcome = "failed"
        report.longrepr = f"skipped for a missing module, which CI does not allow: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: Any) -> Generator[None, Any, None]:
    outcome = yield
    _import_skip_under_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Generator[None, Any, None]:
    outcome = yield
    _import_skip_under_ci(outcome.get_result())


TOKEN_URL = BASE + "/oauth2/tokenP"

#: Lines printed at the end of the run (the fault-injection suite's summary).
FAULT_SUMMARY: list[str] = []


def pytest_sessionfinish(session: Any) -> None:
    """Under pytest-xdist a worker hands its figure lines to the controller, which prints them."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["fault_summary"] = list(FAULT_SUMMARY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    FAULT_SUMMARY.extend(getattr(node, "workeroutput", {}).get("fault_summary", []))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FAULT_SUMMARY:
        terminalreporter.section("reliability summary")
        for line in FAULT_SUMMARY:
            terminalreporter.write_line(line)


SANDBOX_ACCOUNT = "12345678-01"

ANY_API = re.compile(r"^https://kis\.test/uapi/.*$")


@pytest.fixture(autouse=True)
def _forget_process_token_issues() -> Iterator[None]:
    """Each test starts as a fresh process for the one-token-per-minute bookkeeping."""
    _auth._process_last_issue.clear()
    _auth._process_tokens.clear()
    yield
    _auth._process_last_issue.clear()
    _auth._process_tokens.clear()


def trading_morning() -> dt.datetime:
    """10:00 KST of the last KRX trading day on or before today (KST): a clock at which the
    sandbox accepts regular orders, on any day the suite runs."""
    day = today_kst()
    if not is_trading_day(day):
        day = previous_trading_day(day)
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=KST)


@pytest.fixture(autouse=True, scope="session")
def _sandbox_on_a_trading_morning() -> Iterator[None]:
    """A ``Sandbox()`` made without ``now=`` starts at :func:`trading_morning` instead of the real
    time, so tests that place ordinary orders pass on weekends, holidays and at night (session
    scope: module-scoped sandboxes are made before function fixtures run). Tests of the calendar
    rules pass ``now=`` themselves."""
    morning = trading_morning()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_clock, "now_kst", lambda: morning)
        yield


def marked(request: pytest.FixtureRequest, name: str) -> dict[str, Any]:
    """The keyword arguments of every ``@pytest.mark.<name>(...)`` on the test: the module's
    ``pytestmark`` first, then a class's, then the test's own, the nearest winning."""
    settings: dict[str, Any] = {}
    for mark in reversed(list(request.node.iter_markers(name))):
        if mark.args:
            raise TypeError(f"@pytest.mark.{name} takes keyword arguments only, got {mark.args!r}")
        settings.update(mark.kwargs)
    return settings


# --- mocked KIS (aioresponses): what the client sends and how it reads answers, no server ---


@pytest.fixture
def mocked() -> Iterator[aioresponses]:
    """Mocked KIS (aioresponses): nothing answers until the test registers it (``token_ok`` for
    the token); ``mocked.requests`` is what the client sent."""
    with aioresponses() as mock:
        yield mock


@pytest.fixture
def token_ok(mocked: aioresponses) -> aioresponses:
    """``mocked``, with ``/oauth2/tokenP`` issuing ``token_value(1)`` as often as asked."""
    mocked.post(TOKEN_URL, payload=token_body(1), repeat=True)
    return mocked


@pytest.fixture
def client_settings() -> dict[str, Any]:
    """KisClient settings every :func:`make_client` client of a folder gets; a folder's
    ``conftest.py`` overrides this fixture (tests/endpoints: an account, no retries)."""
    return {}


@pytest.fixture
async def make_client(
    tmp_path: Path, client_settings: dict[str, Any]
) -> AsyncIterator[Callable[..., KisClient]]:
    """A factory of KisClients against https://kis.test (``base_url=fake_kis.url`` for
    :func:`fake_kis`) with a token cache file in tmp_path: ``make_client(max_retries=3)``. Every
    client it made is closed at the end of the test."""
    clients: list[KisClient] = []

    def make(**overrides: Any) -> KisClient:
        options: dict[str, Any] = {
            "base_url": BASE,
            "token_cache": tmp_path / "tokens.json",
            "rate_limit": None,
            "min_token_interval": 0.0,  # tests of the one-per-minute rule set it explicitly
            **client_settings,
            **overrides,
        }
        client = KisClient(APP_KEY, APP_SECRET, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


@pytest.fixture
async def kis_mocked(
    mocked: aioresponses, make_client: Callable[..., KisClient], request: pytest.FixtureRequest
) -> KisClient:
    """A KisClient whose HTTP is :func:`mocked`; other settings with
    ``@pytest.mark.kis_mocked(env="paper", ...)`` on the test or module."""
    return make_client(**marked(request, "kis_mocked"))


@pytest.fixture
def sleeps(kis_mocked: KisClient, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff waits of ``kis_mocked`` recorded instead of slept (tests stay fast)."""
    recorded: list[float] = []

    async def record(delay: float) -> None:
        recorded.append(delay)

    monkeypatch.setattr(kis_mocked, "_pause", record)
    return recorded


# --- the sandbox: a local KIS over real HTTP and WebSocket on 127.0.0.1, seeded ---


@pytest.fixture
async def sandbox(request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    """A running :class:`Sandbox` (real environment, no token interval); other ``Sandbox``
    arguments with ``@pytest.mark.sandbox(now=..., cash=..., ...)`` on the test or module."""
    async with Sandbox(**{"min_token_interval": 0, **marked(request, "sandbox")}) as running:
        yield running


@pytest.fixture
async def kis_sandbox(sandbox: Sandbox, request: pytest.FixtureRequest) -> AsyncIterator[KisClient]:
    """A KisClient talking to :func:`sandbox`, with account 12345678-01; other settings with
    ``@pytest.mark.kis_sandbox(account=..., rate_limit=None, ...)`` on the test or module."""
    settings = {"account": SANDBOX_ACCOUNT, **marked(request, "kis_sandbox")}
    async with sandbox.client(**settings) as client:
        yield client


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A bare HTTP client, for what the SDK would never send."""
    async with aiohttp.ClientSession() as session:
        yield session


def _samsung_price() -> int:
    from kis_async.sandbox._market import quote

    return quote(0, "005930", trading_morning()).price


SAMSUNG_PRICE = _samsung_price()
"""삼성전자's price in a seed-0 sandbox on the tests' trading morning: a limit order at it is on the
tick grid, inside the daily band and marketable (it fills)."""


# --- FakeKis: a scripted KIS over real HTTP on 127.0.0.1 (connections, timeouts, redirects) ---


@pytest.fixture
async def fake_kis() -> AsyncIterator[FakeKis]:
    """A real HTTP server on 127.0.0.1 playing KIS (token issue + scripted endpoints)."""
    server = FakeKis()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def kis_fake(fake_kis: FakeKis, make_client: Callable[..., KisClient]) -> KisClient:
    """A KisClient talking to :func:`fake_kis` over real HTTP (REST and ``/ws``)."""
    return make_client(base_url=fake_kis.url, ws_url=fake_kis.url + "/ws")
