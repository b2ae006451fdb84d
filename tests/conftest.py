"""Shared fixtures: a client against mocked KIS (aioresponses), a tiny local KIS, and paths."""

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


@pytest.fixture
def kis_mock() -> Iterator[aioresponses]:
    """Mocked KIS: ``/oauth2/tokenP`` answers one token (register more for other scripts)."""
    with aioresponses() as mock:
        yield mock


@pytest.fixture
def token_ok(kis_mock: aioresponses) -> aioresponses:
    kis_mock.post(TOKEN_URL, payload=token_body(1), repeat=True)
    return kis_mock


@pytest.fixture
async def make_client(tmp_path: Path) -> AsyncIterator[Callable[..., KisClient]]:
    """Build clients against https://kis.test with a cache file in tmp_path; all closed at the end."""
    clients: list[KisClient] = []

    def make(**overrides: Any) -> KisClient:
        options: dict[str, Any] = {
            "base_url": BASE,
            "token_cache": tmp_path / "tokens.json",
            "rate_limit": None,
            "min_token_interval": 0.0,  # tests of the one-per-minute rule set it explicitly
        }
        options.update(overrides)
        client = KisClient(APP_KEY, APP_SECRET, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


@pytest.fixture
async def kis(make_client: Callable[..., KisClient]) -> KisClient:
    return make_client()


@pytest.fixture
def sleeps(kis: KisClient, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff waits of ``kis`` recorded instead of slept (tests stay fast)."""
    recorded: list[float] = []

    async def record(delay: float) -> None:
        recorded.append(delay)

    monkeypatch.setattr(kis, "_pause", record)
    return recorded


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A real-environment sandbox whose token interval does not slow tests down."""
    async with Sandbox(min_token_interval=0) as sb:
        yield sb


@pytest.fixture
async def kis_sandbox(sandbox: Sandbox) -> AsyncIterator[KisClient]:
    """A client of :func:`sandbox`, over real HTTP on 127.0.0.1, with an account."""
    async with sandbox.client(account="12345678-01") as client:
        yield client


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A bare HTTP client, for what the SDK would never send."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def fake_kis() -> AsyncIterator[FakeKis]:
    """A real HTTP server on 127.0.0.1 playing KIS (token issue + scripted endpoints)."""
    server = FakeKis()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
