"""``python -m kis_async.sandbox`` and ``make demo``'s script, run as a user runs them."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.paths import ROOT


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIS_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


async def test_the_cli_prints_its_loopback_url_and_serves_until_stopped() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "kis_async.sandbox",
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=_environment(),
    )
    try:
        assert process.stdout is not None
        url = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        ws_url = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode().strip()
        assert ws_url == "ws" + url.removeprefix("http")  # real-time feeds on the same port
        request = {"grant_type": "client_credentials", "appkey": "PScli", "appsecret": "s"}
        async with (
            aiohttp.ClientSession() as http,
            http.post(url + "/oauth2/tokenP", json=request) as response,
        ):
            assert response.status == 200
    finally:
        process.terminate()
        await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0


def test_the_demo_prints_a_30_row_ranking_table_from_the_sandbox() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "credit_balance.py")],
        capture_output=True,
        text=True,
        timeout=60,
        env=_environment(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if re.match(r"^\d+\s+\d{6}\s", line)]
    assert len(rows) == 30
    assert [int(line.split()[0]) for line in rows] == list(range(1, 31))
    assert "sandbox at http://127.0.0.1:" in done.stdout
    assert done.stdout.rstrip().endswith("30 rows")


def test_the_cli_takes_kis_limit_by_default_and_off_on_request() -> None:
    from kis_async.sandbox.__main__ import parse_args

    assert parse_args([]).rate_limit == "default"
    assert parse_args(["--rate-limit", "off"]).rate_limit is None
    assert parse_args(["--rate-limit", "5"]).rate_limit == 5.0
    assert parse_args([]).host == "127.0.0.1"


def test_the_cli_replays_a_recorded_file_and_strict_replay_needs_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kis_async.sandbox.__main__ import parse_args

    args = parse_args(["--replay", "session.jsonl", "--strict-replay"])
    assert (args.replay, args.strict_replay) == ("session.jsonl", True)
    assert parse_args([]).replay is None
    with pytest.raises(SystemExit):
        parse_args(["--strict-replay"])
    assert "--strict-replay needs --replay FILE" in capsys.readouterr().err


async def test_the_cli_answers_with_a_recorded_session(tmp_path: Path) -> None:
    from kis_async import KisClient
    from kis_async.sandbox import Sandbox

    path = tmp_path / "session.jsonl"
    async with Sandbox(min_token_interval=0, seed=5) as sb, sb.client(record=path) as kis:
        recorded = await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "kis_async.sandbox", "--port", "0", "--min-token-interval", "0"),
        *("--replay", str(path), "--strict-replay"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=_environment(),
    )
    try:
        assert process.stdout is not None
        url = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode().strip()
        async with KisClient("PScli", "s", base_url=url, token_cache=None, min_token_interval=0) as kis:
            replayed = await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
    finally:
        process.terminate()
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert replayed == recorded
    assert "Replaying 1 recorded answer(s)" in stderr.decode()


def test_a_port_out_of_range_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    from kis_async.sandbox.__main__ import parse_args

    with pytest.raises(SystemExit) as exited:
        parse_args(["--port", "99999"])
    assert exited.value.code == 2
    assert "expected a port 0..65535" in capsys.readouterr().err


async def test_a_port_in_use_is_one_line_and_exit_1() -> None:
    """It was a traceback (OSError from bind) under `kis-async sandbox` and `python -m`."""
    from kis_async.sandbox import Sandbox

    async with Sandbox() as busy:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "kis_async.sandbox",
            "--port",
            str(busy.port),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=_environment(),
        )
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 1
    err = stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "address already in use" in err
    assert err.startswith("python -m kis_async.sandbox: error:")


def test_the_sandbox_warns_when_it_listens_beyond_this_machine() -> None:
    from kis_async.sandbox.__main__ import _loopback

    assert _loopback("127.0.0.1") and _loopback("::1") and _loopback("localhost") and _loopback("[::1]")
    assert not _loopback("0.0.0.0") and not _loopback("192.168.0.10") and not _loopback("::")


async def test_a_client_that_never_finishes_its_headers_is_disconnected() -> None:
    from kis_async import Sandbox

    async with Sandbox(idle_timeout=0.3) as sandbox:
        host, port = sandbox.url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), timeout=30) == b""  # closed by the sandbox
        writer.close()


def test_the_cli_starts_the_clock_and_the_account_where_asked() -> None:
    """``--now`` (KST unless an offset is given, or next-open) and ``--cash`` reach the sandbox."""
    import datetime as dt

    from kis_async import KST
    from kis_async.sandbox.__main__ import parse_args

    args = parse_args(["--now", "2026-12-07T10:00", "--cash", "1,000,000"])
    assert args.now == dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST) and args.cash == 1_000_000
    assert parse_args(["--now", "next-open"]).now.hour in (9, 10)  # 10:00 on a year's first day
    assert parse_args([]).now is None
    with pytest.raises(SystemExit):
        parse_args(["--now", "monday"])


def test_the_cli_sets_the_futures_deposit() -> None:
    """``--futures-cash`` is the 선물옵션 예탁현금 every account starts with."""
    from kis_async.sandbox.__main__ import parse_args

    assert parse_args(["--futures-cash", "30,000,000"]).futures_cash == 30_000_000
    assert parse_args([]).futures_cash is None
