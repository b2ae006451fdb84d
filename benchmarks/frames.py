"""DataFrames: the cost of ``rows.to_polars()`` / ``rows.to_pandas()`` per 1,000 rows, next to
what structuring those rows cost (``json.loads`` + ``structure``) on the same body.

The body is a credit-balance ranking of 1,000 rows (15 fields: strings, integers, decimals and an
enum), so the figure is per 1,000 rows of a typical list output. Skipped without the extras.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from typing import Any

from benchmarks._bodies import credit_balance_body
from benchmarks._report import Row, skipped
from benchmarks.structuring import _best
from kis_async._models import structure

ROWS = 1000


def measure(budget: float) -> list[Row]:
    """One row per conversion; the conversions and the structuring baseline take turns in one
    timing loop (:func:`benchmarks.structuring._best`), so load on a shared machine hits them alike."""
    from kis_async.domestic_stock.ranking import CreditBalanceResponse

    raw = json.dumps(credit_balance_body(ROWS)).encode()
    rows = structure(json.loads(raw), CreditBalanceResponse).output2
    conversions: list[tuple[str, str, Callable[[], Any]]] = [
        ("polars", "DataFrame, polars (Decimal exact)", lambda: rows.to_polars()),
        ("pandas", "DataFrame, pandas (pyarrow decimals)", lambda: rows.to_pandas()),
        ("pandas", "DataFrame, pandas (decimals as float64)", lambda: rows.to_pandas(decimals="float")),
    ]
    found: list[Row] = []
    timed: list[tuple[str, Callable[[], Any]]] = []
    for extra, label, convert in conversions:
        name = f"{label}, per {ROWS:,} rows"
        if not _has(extra) or (extra == "pandas" and not _has("pyarrow")):
            found.append(skipped(name, "-", f"pip install 'kis-async[{extra}]'"))
            continue
        convert()  # imports and first-use caches out of the measurement
        timed.append((name, convert))
    if not timed:
        return found
    structuring, *seconds = _best(
        [lambda: structure(json.loads(raw), CreditBalanceResponse), *(convert for _, convert in timed)],
        budget,
    )
    baseline = f"{structuring * 1e3:.2f} ms (json.loads + structure)"
    for (name, _), took in zip(timed, seconds, strict=True):
        found.append(
            Row(
                name,
                f"{took * 1e3:.2f} ms",
                baseline,
                took / structuring,
                "-",
                None,
                f"{ROWS / took:,.0f} rows/s",
            )
        )
    order = [label for _, label, _ in conversions]
    return sorted(found, key=lambda row: order.index(row.measure.split(", per")[0]))


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None
