"""Fleet tests run against a real ``redis-server`` on loopback, started here on a free port.

Without ``redis-server`` (or the ``redis`` Python client) they skip with how to install it; under
CI (``CI=true``) that is a failure instead: ``make install`` as root installs redis-server.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from benchmarks.fleet import RedisServer, redis_server

INSTALL_HINT = (
    "redis-server is not installed: `make install` as root installs it (apt-get install redis-server), "
    "or install it yourself (brew install redis, dnf install redis) and put it on the PATH"
)


def _require(ok: bool, why: str) -> None:
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"fleet tests must run under CI: {why}")
    pytest.skip(why)


@pytest.fixture(scope="session")
def redis_executable() -> str:
    try:
        import redis  # noqa: F401
    except ImportError:
        _require(False, "the redis Python client is missing: pip install -e '.[dev]' (or 'kis-async[redis]')")
    found = shutil.which("redis-server")
    _require(found is not None, INSTALL_HINT)
    assert found is not None
    return found


@pytest.fixture(scope="session")
def shared_redis(redis_executable: str) -> Iterator[RedisServer]:
    with redis_server(redis_executable) as server:
        yield server


@pytest.fixture
def redis(shared_redis: RedisServer) -> RedisServer:
    """The session's redis-server, emptied: each test starts as a fleet's first start."""
    shared_redis.command("FLUSHALL")
    return shared_redis


@pytest.fixture
def own_redis(redis_executable: str) -> Iterator[RedisServer]:
    """A redis-server of this test's own (to kill and restart)."""
    with redis_server(redis_executable) as server:
        yield server
