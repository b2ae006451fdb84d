"""Rate-limit benchmark: many concurrent calls against the sandbox at KIS's own limits.

Reports, per case, the calls made, the sandbox's ``EGW00201`` refusals (target 0) and the share of
the allowed rate used (target >= 90 %). ``python -m benchmarks.rate_limit`` (also run by
``make bench``).
"""

from __future__ import annotations

import asyncio
import time

from kis_async.sandbox import Sandbox

ARGS = {"market": "0000", "period": 5, "sort": "0"}


async def burst(env: str, calls: int, clients: int = 1) -> dict[str, float]:
    """``calls`` at once, spread over ``clients`` KisClients of one app key (they share a limiter)."""
    async with Sandbox(env=env, min_token_interval=0) as sb:  # type: ignore[arg-type]
        kis = [sb.client(rate_limit="default") for _ in range(clients)]
        try:
            started = time.monotonic()
            results = await asyncio.gather(
                *(kis[i % clients].domestic_stock.credit_balance(**ARGS) for i in range(calls)),
                return_exceptions=True,
            )
            elapsed = time.monotonic() - started
        finally:
            for client in kis:
                await client.close()
        rate = sb.rate_limit or 1.0
    capacity = max(1, int(rate))
    ideal = (calls - capacity) / rate  # the first window's burst goes at once
    return {
        "calls": calls,
        "failed": sum(isinstance(r, BaseException) for r in results),
        "refused": sb.stats.rate_limited,
        "elapsed": elapsed,
        "utilisation": ideal / elapsed if elapsed else 0.0,
    }


def main() -> None:
    cases = [("real, 1 client", "real", 500, 1), ("real, 4 clients of one key", "real", 300, 4)]
    for label, env, calls, clients in cases:
        result = asyncio.run(burst(env, calls, clients))
        print(
            f"{label}: {result['calls']} concurrent calls in {result['elapsed']:.1f}s, "
            f"EGW00201={result['refused']} (target 0), failed={result['failed']}, "
            f"utilisation={result['utilisation']:.0%} of the allowed rate (target >= 90%)"
        )


if __name__ == "__main__":
    main()
