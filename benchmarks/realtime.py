"""Real-time benchmarks: record parsing speed against bare ``str.split``, and sandbox→consumer
latency at 1,000 ticks/s. ``python -m benchmarks.realtime`` (also run by ``make bench``)."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

from kis_async import KisClient
from kis_async._realtime import RealtimeConfig, RealtimeSession, Subscription, _Connection
from kis_async.realtime import domestic_stock as ds
from kis_async.sandbox._realtime import RealtimeSandbox, record_values

FRAMES = 20_000


def _frames() -> list[str]:
    """Realistic H0STCNT0 frames, 1–4 records each (as KIS batches them under load)."""
    frames = []
    for n in range(FRAMES):
        count = 1 + n % 4
        values = [v for i in range(count) for v in record_values(ds.trade_krx, "005930", n * 4 + i)]
        frames.append(f"0|H0STCNT0|{count:03d}|{'^'.join(values)}")
    return frames


def _best(run: Any, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def parsing() -> dict[str, float]:
    frames = _frames()
    records = sum(1 + n % 4 for n in range(FRAMES))

    def split_only() -> None:
        for text in frames:
            text.split("|", 3)[3].split("^")

    async def make_connection() -> tuple[_Connection, Subscription[Any]]:
        client = KisClient("bench", "bench", token_cache=None)
        # a bounded queue, as in a session whose consumer keeps up: ticks do not pile up in memory
        session = RealtimeSession(client, config=RealtimeConfig(queue_size=256))
        connection = _Connection(session, 0, "bench", session._approval_manager(session._keys[0]))
        sub: Subscription[Any] = Subscription(session, ds.trade_krx, "H0STCNT0", "005930")
        connection.add(sub)
        return connection, sub

    connection, sub = asyncio.run(make_connection())

    def client_path() -> None:
        sub.queue.clear()
        for text in frames:
            connection._on_data(text)

    def client_path_and_read() -> None:
        queue = sub.queue
        for text in frames:
            connection._on_data(text)
            while queue:
                queue.popleft()[1].to_dict()

    # interleaved, best of each: the machine's noise hits both sides alike
    base = ours = float("inf")
    for _ in range(7):
        base = min(base, _best(split_only, 1))
        ours = min(ours, _best(client_path, 1))
    full = _best(client_path_and_read, repeat=2)
    return {
        "records": records,
        "split_records_per_s": records / base,
        "client_records_per_s": records / ours,
        "ratio_vs_split": ours / base,
        "read_all_fields_records_per_s": records / full,
    }


async def latency(
    ticks_per_second: int = 1000, seconds: float = 3.0, subscriptions: int = 10
) -> dict[str, float]:
    rate = ticks_per_second / subscriptions
    sandbox = RealtimeSandbox(rate=rate, multi_record_every=0, ping_interval=5.0, ticks="serial")
    sandbox.record_sent_at = True
    samples: list[float] = []
    async with (
        sandbox,
        KisClient(
            "bench", "bench", base_url=sandbox.base_url, ws_url=sandbox.ws_url, token_cache=None
        ) as kis,
        kis.realtime(config=RealtimeConfig(request_interval=0.0)) as rt,
    ):
        await rt.subscribe(ds.trade_krx, *[f"{n:06d}" for n in range(subscriptions)])
        started = time.perf_counter()
        async for tick in rt:
            received = time.perf_counter()
            assert isinstance(tick, ds.TradeKrxTick)
            sent = sandbox.sent_at.get((tick.stck_prpr or 0) - 10000)
            if sent is not None:
                samples.append(received - sent)
            if received - started > seconds:
                break
    elapsed = time.perf_counter() - started
    samples.sort()
    return {
        "ticks": len(samples),
        "ticks_per_s": len(samples) / elapsed,
        "p50_ms": statistics.median(samples) * 1000,
        "p99_ms": samples[int(len(samples) * 0.99) - 1] * 1000,
    }


def main() -> None:
    result = parsing()
    print(
        f"realtime parsing: {result['client_records_per_s']:,.0f} records/s through the client's reader "
        f"vs {result['split_records_per_s']:,.0f}/s for str.split alone → {result['ratio_vs_split']:.2f}x "
        f"(target ≤ 3x); reading every field of every tick: {result['read_all_fields_records_per_s']:,.0f} records/s"
    )
    lat = asyncio.run(latency())
    print(
        f"realtime latency sandbox→consumer at {lat['ticks_per_s']:,.0f} ticks/s ({lat['ticks']:,} ticks): "
        f"p50 {lat['p50_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms"
    )


if __name__ == "__main__":
    main()
