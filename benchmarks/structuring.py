"""Structuring: turning one JSON body into typed attrs objects, versus ``json.loads`` alone.

``total`` is what the SDK does with a body (decode, then structure into the generated response
class, every value parsed into its documented type); ``parse-only`` is ``json.loads``. The first
row decodes with ``json.loads`` too; the second with the SDK's decoder (orjson when the ``fast``
extra is installed). Timed with ``timeit``, best of several repeats.
"""

from __future__ import annotations

import json
import timeit
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks._bodies import credit_balance_bytes, field_count, generated_response, response_body
from benchmarks._report import Row, skipped
from kis_async._json import FAST
from kis_async._json import loads as sdk_loads
from kis_async._models import KisResponse, structure

TARGET = 2.0


REPEATS = 15


def _best(calls: Sequence[Callable[[], Any]], budget: float) -> list[float]:
    """Seconds per call of each of ``calls``: the best of ``REPEATS`` short runs, the calls taking
    turns, so that a busy spell on a shared machine hits them alike."""
    timers = [timeit.Timer(call) for call in calls]
    numbers = []
    for timer in timers:
        number, seconds = timer.autorange()
        numbers.append(max(1, int(number * budget / len(calls) / REPEATS / seconds)))
    best = [float("inf")] * len(calls)
    for _ in range(REPEATS):
        for index, (timer, number) in enumerate(zip(timers, numbers, strict=True)):
            best[index] = min(best[index], timer.timeit(number) / number)
    return best


def _rows(label: str, cls: type[KisResponse], raw: bytes, budget: float) -> list[Row]:
    """With the standard library's ``json.loads`` on both sides, then with the decoder the SDK
    really uses (orjson when installed) against ``json.loads``."""
    structure(json.loads(raw), cls)  # build the structure function once, as the first call does
    parse, total, decode, sdk_total = _best(
        [
            lambda: json.loads(raw),
            lambda: structure(json.loads(raw), cls),
            lambda: sdk_loads(raw),
            lambda: structure(sdk_loads(raw), cls),
        ],
        budget,
    )
    fields = field_count(json.loads(raw))
    rows = [
        Row(
            f"structuring, {label} ({fields} values)",
            f"{1 / total:,.0f} bodies/s",
            f"{1 / parse:,.0f} bodies/s (json.loads)",
            total / parse,
            f"≤ {TARGET} total/parse",
            total / parse <= TARGET,
            f"json.loads {parse * 1e6:.0f} µs + structure {(total - parse) * 1e6:.0f} µs",
        )
    ]
    if not FAST:
        rows.append(skipped(f"structuring, {label}, SDK decoder", f"≤ {TARGET}", "orjson not installed"))
        return rows
    rows.append(
        Row(
            f"structuring, {label}, SDK decoder (orjson)",
            f"{1 / sdk_total:,.0f} bodies/s",
            f"{1 / parse:,.0f} bodies/s (json.loads)",
            sdk_total / parse,
            f"≤ {TARGET} total/parse",
            sdk_total / parse <= TARGET,
            f"orjson {decode * 1e6:.0f} µs + structure {(sdk_total - decode) * 1e6:.0f} µs",
        )
    )
    return rows


def measure(budget: float = 1.0) -> list[Row]:
    from kis_async.domestic_stock.ranking import CreditBalanceResponse

    rows = _rows("credit-balance 30 rows", CreditBalanceResponse, credit_balance_bytes(), budget)
    inquire_price = generated_response("InquirePriceResponse")
    if inquire_price is None:
        rows.append(
            skipped(
                "structuring, inquire-price (80+ fields)",
                f"≤ {TARGET} total/parse",
                "InquirePriceResponse is not generated yet (no inquire-price spec)",
            )
        )
    else:
        raw = json.dumps(response_body(inquire_price), ensure_ascii=False).encode()
        rows += _rows("inquire-price", inquire_price, raw, budget)
    return rows
