"""A bot outgrows one process: several processes of one app key share its token and its rate.

Each worker is a separate Python process (``python -m benchmarks.fleet --worker``) with its own
``KisClient(redis_url=...)``; the sandbox runs in a thread here so its counters can be read.
The rate test is a smaller version (4 processes x 40 calls) of the issue's figure (4 x 150 at
20/s), which ``make bench`` measures along with the achieved share of the allowed rate.
"""

from __future__ import annotations

from typing import Any

from benchmarks.fleet import APP_KEY, APP_SECRET, RedisServer, run_fleet, threaded_sandbox


def test_ten_processes_starting_at_once_cause_one_token_issue(redis: RedisServer) -> None:
    with threaded_sandbox(env="real") as sandbox:
        run = run_fleet(sandbox, redis.url, processes=10, calls=1)
    assert run.failed == 0 and run.calls == 10
    assert sandbox.stats.token_requests == 1
    assert sum(w["tokens_issued"] for w in run.workers) == 1


def test_four_processes_together_stay_under_the_app_keys_rate(redis: RedisServer) -> None:
    with threaded_sandbox(env="real") as sandbox:
        run = run_fleet(sandbox, redis.url, processes=4, calls=40)
    assert run.failed == 0 and run.calls == 160
    assert run.refused == 0, f"{run.refused} calls were refused with EGW00201"
    assert all(w["retries"] == 0 for w in run.workers)


def test_redis_holds_the_token_under_a_hashed_name_and_no_other_secret(redis: RedisServer) -> None:
    import redis as redis_py

    with threaded_sandbox(env="real") as sandbox:
        run_fleet(sandbox, redis.url, processes=2, calls=1)
        (token,) = sandbox.tokens._tokens
    with redis_py.Redis.from_url(redis.url) as client:
        keys = [k.decode() for k in client.keys("*")]
        values = b"".join(_value(client, k) for k in keys)
    assert keys and all(k.startswith("kis-async:") for k in keys)
    assert not any(APP_KEY in k or APP_SECRET in k for k in keys)
    assert token.encode() in values
    assert APP_SECRET.encode() not in values and APP_KEY.encode() not in values


def _value(client: Any, key: str) -> bytes:
    """Everything stored under ``key``, whatever its type (strings and sorted sets here)."""
    if client.type(key) == b"string":
        return bytes(client.get(key))
    return b"".join(client.zrange(key, 0, -1))
