"""Redis trouble never stops trading: killed mid-run, the fleet keeps calling on local limits at
its share of the rate, and returns to the shared limits once Redis is back."""

from __future__ import annotations

import time

from benchmarks.fleet import RedisServer, WorkerSpec, collect, spawn_fleet, threaded_sandbox

PROCESSES = 4


def test_redis_killed_for_five_seconds_mid_run(own_redis: RedisServer) -> None:
    with threaded_sandbox(env="real") as sandbox:
        spec = WorkerSpec(
            sandbox.url, own_redis.url, duration=10.0, concurrency=4, expected_processes=PROCESSES
        )
        workers = spawn_fleet([spec] * PROCESSES)  # all calling from now on
        time.sleep(2.5)
        own_redis.kill()
        before_outage = sum(sandbox.stats.answered.values())
        time.sleep(5.0)
        during_outage = sum(sandbox.stats.answered.values()) - before_outage
        own_redis.start()
        results = [collect(w) for w in workers]
        refused = sandbox.stats.rate_limited

    assert all(r["failed"] == 0 for r in results), [r["failures"] for r in results]
    assert during_outage > 0, "no call was answered while Redis was down"
    # a refusal storm would be thousands; at most one share of the rate is tolerated
    assert refused <= sandbox.rate_limit / PROCESSES, f"{refused} EGW00201 refusals"
    assert all(r["redis_fallbacks"] == 1 for r in results)
    assert all(r["redis_recoveries"] == 1 for r in results)
    warnings = [line for r in results for line in r["log"].splitlines() if "unreachable" in line]
    assert len(warnings) == PROCESSES  # one WARNING per process
