"""The KIS server the benchmarks call, run in a child process so that server work does not share
the client's CPU time (the machine has few cores; one each is the fair split).

``python -m benchmarks._server --rate 20`` prints one JSON line (url, credentials, which server)
and serves until killed. It runs the project's sandbox (``kis_async.sandbox.Sandbox``) when that
is importable, else :func:`stand_in`: tokenP plus a canned 30-row credit-balance, with KIS's
per-app-key limit (``EGW00201`` as HTTP 500) when a rate is given.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from benchmarks._bodies import credit_balance_bytes

CREDIT_BALANCE_PATH = "/uapi/domestic-stock/v1/ranking/credit-balance"
#: Key lengths the KIS portal issues (python-kis checks them).
APP_KEY = "PS" + "b" * 34
APP_SECRET = "s" * 180


@dataclass(frozen=True)
class Server:
    url: str
    app_key: str
    app_secret: str
    kind: str
    """``sandbox`` or ``stand-in``."""
    note: str = ""


def stand_in(rate: float | None) -> web.Application:
    """A minimal KIS: ``/oauth2/tokenP`` and credit-balance (30 rows), rate-limited per second."""
    body = credit_balance_bytes()
    recent: collections.deque[float] = collections.deque()
    limit = int(rate) if rate else 0

    async def token(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response(
            {
                "access_token": "bench-" + "t" * 300,
                "access_token_token_expired": "2099-12-31 23:59:59",
                "token_type": "Bearer",
                "expires_in": 86400,
            }
        )

    async def credit_balance(request: web.Request) -> web.Response:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return web.json_response(
                {"rt_cd": "1", "msg_cd": "EGW00121", "msg1": "유효하지 않은 token 입니다."}
            )
        if limit:
            now = time.monotonic()
            while recent and recent[0] <= now - 1.0:
                recent.popleft()
            if len(recent) >= limit:
                return web.json_response(
                    {"rt_cd": "1", "msg_cd": "EGW00201", "msg1": "초당 거래건수를 초과하였습니다."},
                    status=500,
                )
            recent.append(now)
        return web.Response(
            body=body,
            content_type="application/json",
            charset="utf-8",
            headers={"tr_id": request.headers.get("tr_id", ""), "tr_cont": "D"},
        )

    app = web.Application()
    app.router.add_post("/oauth2/tokenP", token)
    app.router.add_get(CREDIT_BALANCE_PATH, credit_balance)
    return app


@contextlib.asynccontextmanager
async def _serve_stand_in(rate: float | None, note: str) -> AsyncIterator[Server]:
    runner = web.AppRunner(stand_in(rate), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield Server(f"http://127.0.0.1:{port}", APP_KEY, APP_SECRET, "stand-in", note)
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def _serve_sandbox(rate: float | None) -> AsyncIterator[Server]:
    from kis_async.sandbox import Sandbox  # type: ignore[import-not-found,unused-ignore]

    # Any non-empty key pair is accepted; these have the portal's lengths, which python-kis checks.
    # Every benchmark process asks for a token: no one-per-minute issue limit here.
    async with Sandbox(rate_limit=rate, min_token_interval=0.0) as sandbox:
        yield Server(sandbox.url, APP_KEY, APP_SECRET, "sandbox")


async def _main(rate: float | None, force_stand_in: bool) -> None:
    note = "forced by --stand-in"
    if not force_stand_in:
        try:
            async with _serve_sandbox(rate) as server:
                await _announce_and_wait(server)
                return
        except ImportError as exc:
            note = f"kis_async.sandbox not importable ({exc})"
        except Exception as exc:  # a sandbox that cannot start must not stop the benchmark
            note = f"sandbox failed to start: {type(exc).__name__}: {exc}"
    async with _serve_stand_in(rate, note) as server:
        await _announce_and_wait(server)


async def _announce_and_wait(server: Server) -> None:
    print(json.dumps(server.__dict__), flush=True)
    await asyncio.Event().wait()


@contextlib.contextmanager
def running(rate: float | None, *, stand_in_only: bool = False) -> Iterator[Server]:
    """Start the server in a child process; stop it (by its pid) when the block ends."""
    command = [sys.executable, "-m", "benchmarks._server", "--rate", str(rate or 0)]
    if stand_in_only:
        command.append("--stand-in")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"benchmark server exited with {process.wait()} before announcing its URL")
        info: dict[str, Any] = json.loads(line)
        yield Server(**info)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._server")
    parser.add_argument("--rate", type=float, default=0.0, help="requests/s per app key (0: unlimited)")
    parser.add_argument("--stand-in", action="store_true", help="never use kis_async.sandbox")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(args.rate or None, args.stand_in))


if __name__ == "__main__":
    main()
