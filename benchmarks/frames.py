"""DataFrames: the cost of ``rows.to_polars()`` / ``rows.to_pandas()`` per 1,000 rows, next to
what structuring those rows cost (``json.loads`` + ``structure``) on the same body.

The body is a credit-balance ranking of 1,000 rows (15 fields: strings, integers, decimals and an
enum), so the figure is per 1,000 rows of a typical list output. Skipped without the extras.
"""

from __future__ import annotations

import importlib.util
import json

from benchmarks._bodies import credit_balance_body
from benchmarks._report import Row, skipped
from benchmarks.structuring import _best
from kis_async._models import structure

ROWS = 1000


def measure(budget: float) -> list[Row]:
    from kis_async.domestic_stock.ranking import CreditBalanceResponse

    raw = json.dumps(credit_balance_body(ROWS)).encode()
    rows = structure(json.loads(raw), CreditBalanceResponse).output2
    (structuring,) = _best([lambda: structure(json.loads(raw), CreditBalanceResponse)], budget)
    baseline = f"{structuring * 1e3:.2f} ms (json.loads + structure)"
    found: list[Row] = []
    conversions = [
        ("polars", "polars", "DataFrame, polars (Decimal exact)", lambda: rows.to_polars()),
        ("pandas", "pandas", "DataFrame, pandas (pyarrow decimals)", lambda: rows.to_pandas()),
        (
            "pandas",
            "pandas",
            "DataFrame, pandas (decimals as float64)",
            lambda: rows.to_pandas(decimals="float"),
        ),
    ]
    for module, extra, label, convert in conversions:
        name = f"{label}, per {ROWS:,} rows"
        if importlib.util.find_spec(module) is None or (extra == "pandas" and not _has("pyarrow")):
            found.append(skipped(name, "-", f"pip install 'kis-async[{extra}]'"))
            continue
        convert()  # imports and first-use caches out of the measurement
        (seconds,) = _best([convert], budget)
        found.append(
            Row(
                name,
                f"{seconds * 1e3:.2f} ms",
                baseline,
                seconds / structuring,
                "-",
                None,
                f"{ROWS / seconds:,.0f} rows/s; benchmarks/frames.py",
            )
        )
    return found


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None
