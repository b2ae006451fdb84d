"""Fleet benchmark: N processes of one app key, coordinated through Redis, against the sandbox.

Each process is ``python -m benchmarks.fleet --worker SPEC`` (a ``KisClient(redis_url=...)`` making
its calls at once); the sandbox runs in a thread of this process so its counters can be read.
Reports processes, calls, achieved/allowed rate and the sandbox's ``EGW00201`` refusals (target
0, utilisation >= 90 %). Needs ``redis-server`` on the PATH and the ``redis`` extra
(``python -m benchmarks.fleet``; also run by ``make bench``, which skips it without them).
The tests in ``tests/fleet/`` use the same helpers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from kis_async import FleetConfig, KisClient
from kis_async.sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent
APP_KEY = "PSfleetAppKey0001"
APP_SECRET = "fleet-secret"


# -- a redis-server on loopback -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class RedisServer:
    """``redis-server`` on 127.0.0.1 and a free port, no persistence, in a temporary directory."""

    def __init__(self, executable: str, directory: Path) -> None:
        self.executable = executable
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [self.executable, "--bind", "127.0.0.1", "--port", str(self.port)]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            time.sleep(0.02)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def command(self, *words: str) -> bytes:
        """One command in Redis's inline protocol (for tests: FLUSHALL, KEYS …); the raw reply."""
        with socket.create_connection(("127.0.0.1", self.port), 2) as s:
            s.sendall(" ".join(words).encode() + b"\r\n")
            time.sleep(0.05)
            return s.recv(65536)


@contextlib.contextmanager
def redis_server(executable: str | None = None) -> Iterator[RedisServer]:
    found = executable or shutil.which("redis-server")
    if found is None:
        raise RuntimeError("redis-server not found")
    with tempfile.TemporaryDirectory(prefix="kis-redis-") as directory:
        server = RedisServer(found, Path(directory))
        server.start()
        try:
            yield server
        finally:
            server.kill()


# -- the sandbox in a thread ----------------------------------------------------------------------


@contextlib.contextmanager
def threaded_sandbox(**kwargs: Any) -> Iterator[Sandbox]:
    """A :class:`Sandbox` served by its own event loop in a thread, reachable by other processes."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="kis-sandbox", daemon=True)
    thread.start()

    async def start() -> Sandbox:
        sandbox = Sandbox(**kwargs)
        await sandbox.start()
        return sandbox

    try:
        sandbox = asyncio.run_coroutine_threadsafe(start(), loop).result(30)
        try:
            yield sandbox
        finally:
            asyncio.run_coroutine_threadsafe(sandbox.close(), loop).result(30)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


# -- worker processes --------------------------------------------------------------------------


@attrs.frozen
class WorkerSpec:
    base_url: str
    redis_url: str
    calls: int = 0
    """Calls made all at once (0: use ``duration``)."""
    duration: float = 0.0
    """Seconds of calls by ``concurrency`` loops, when ``calls`` is 0."""
    concurrency: int = 8
    env: str = "real"
    expected_processes: int = 4
    retry_interval: float = 1.0


async def _work(spec: WorkerSpec) -> dict[str, Any]:
    fleet = FleetConfig(expected_processes=spec.expected_processes, retry_interval=spec.retry_interval)
    kis = KisClient(
        APP_KEY,
        APP_SECRET,
        env=spec.env,  # type: ignore[arg-type]
        base_url=spec.base_url,
        token_cache=None,
        redis_url=spec.redis_url,
        fleet=fleet,
        max_retries=5,
    )
    failures: list[str] = []
    done = 0

    async def call() -> None:
        nonlocal done
        try:
            await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
            done += 1
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")

    async def loop(until: float) -> None:
        while time.time() < until:
            await call()

    async with kis:
        print("ready", flush=True)  # then wait for the others: every worker starts at once
        await asyncio.to_thread(sys.stdin.readline)
        started = time.time()
        if spec.calls:
            await asyncio.gather(*(call() for _ in range(spec.calls)))
        else:
            await asyncio.gather(*(loop(started + spec.duration) for _ in range(spec.concurrency)))
        ended = time.time()
    return {
        "done": done,
        "failures": failures[:5],
        "failed": len(failures),
        "started": started,
        "ended": ended,
        "tokens_issued": kis.tokens_issued,
        "redis_fallbacks": kis.stats.redis_fallbacks,
        "redis_recoveries": kis.stats.redis_recoveries,
        "retries": kis.stats.retries,
    }


def spawn(spec: WorkerSpec) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [sys.executable, "-m", "benchmarks.fleet", "--worker", json.dumps(attrs.asdict(spec))]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def collect(process: subprocess.Popen[str], timeout: float = 120) -> dict[str, Any]:
    out, err = process.communicate(timeout=timeout)
    if process.returncode != 0:
        raise RuntimeError(f"fleet worker exited with {process.returncode}:\n{err[-3000:]}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["log"] = err
    return result


def spawn_fleet(specs: list[WorkerSpec]) -> list[subprocess.Popen[str]]:
    """Start the workers, wait until each has its client open, then let them all go at once."""
    workers = [spawn(spec) for spec in specs]
    for worker in workers:
        assert worker.stdout is not None
        line = worker.stdout.readline()
        if line.strip() != "ready":
            worker.kill()
            raise RuntimeError(f"fleet worker did not start: {line!r} {worker.communicate()[1][-3000:]}")
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    return workers


@attrs.frozen
class FleetRun:
    processes: int
    calls: int
    failed: int
    refused: int
    """``EGW00201`` answers from the sandbox."""
    token_requests: int
    elapsed: float
    allowed_rate: float
    workers: list[dict[str, Any]]

    @property
    def achieved_rate(self) -> float:
        return self.calls / self.elapsed if self.elapsed else 0.0

    @property
    def utilisation(self) -> float:
        """Share of the allowed rate used, the first window's burst (which goes at once) aside."""
        capacity = max(1, int(self.allowed_rate))
        ideal = (self.calls - capacity) / self.allowed_rate
        return ideal / self.elapsed if self.elapsed else 0.0


def run_fleet(sandbox: Sandbox, redis_url: str, *, processes: int, calls: int) -> FleetRun:
    """``processes`` workers making ``calls`` calls each at once, from the same instant."""
    specs = [
        WorkerSpec(sandbox.url, redis_url, calls=calls, env=sandbox.env, expected_processes=processes)
        for _ in range(processes)
    ]
    workers = [collect(p) for p in spawn_fleet(specs)]
    return FleetRun(
        processes=processes,
        calls=sum(w["done"] for w in workers),
        failed=sum(w["failed"] for w in workers),
        refused=sandbox.stats.rate_limited,
        token_requests=sandbox.stats.token_requests,
        elapsed=max(w["ended"] for w in workers) - min(w["started"] for w in workers),
        allowed_rate=sandbox.rate_limit or 1.0,
        workers=workers,
    )


def main() -> None:
    if shutil.which("redis-server") is None:
        print("fleet: skipped (no redis-server on the PATH; `make install` as root installs it)")
        return
    with redis_server() as redis, threaded_sandbox(env="real") as sandbox:
        run = run_fleet(sandbox, redis.url, processes=4, calls=150)
    print(
        f"fleet, {run.processes} processes x {run.calls // run.processes} calls over Redis: "
        f"{run.achieved_rate:.1f}/s of {run.allowed_rate:g}/s allowed, "
        f"utilisation={run.utilisation:.0%} (target >= 90%), EGW00201={run.refused} (target 0), "
        f"failed={run.failed}, token requests={run.token_requests}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker_spec = WorkerSpec(**json.loads(sys.argv[2]))
        print(json.dumps(asyncio.run(_work(worker_spec))), flush=True)
    else:
        main()
