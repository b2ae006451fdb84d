"""Structuring: turning one JSON body into typed attrs objects, versus ``json.loads`` alone.

``total`` is what the SDK does with a body (``json.loads`` then structure into the generated
response class, every value parsed into its documented type); ``parse-only`` is ``json.loads``.
Timed with ``timeit``, best of several repeats.
"""

from __future__ import annotations

import json
import timeit
from collections.abc import Callable
from typing import Any

from benchmarks._bodies import credit_balance_bytes, field_count, generated_response, response_body
from benchmarks._report import Row, skipped
from kis_async._models import KisResponse, structure

TARGET = 2.0


def _best(call: Callable[[], Any], budget: float) -> float:
    """Seconds per call: the best of 5 repeats, each sized to about ``budget / 5`` seconds."""
    timer = timeit.Timer(call)
    number, _ = timer.autorange()
    per_repeat = max(1, int(number * budget / 5 / 0.2))
    return min(timer.repeat(repeat=5, number=per_repeat)) / per_repeat


def _orjson_note(raw: bytes, parse: float, budget: float) -> str:
    try:
        import orjson
    except ImportError:
        return "orjson not installed"
    return f"orjson.loads {_best(lambda: orjson.loads(raw), budget) * 1e6:.0f} µs ({parse * 1e6:.0f} json)"


def _row(label: str, cls: type[KisResponse], raw: bytes, budget: float) -> Row:
    structure(json.loads(raw), cls)  # build the structure hooks once, as the first call does
    parse = _best(lambda: json.loads(raw), budget)
    total = _best(lambda: structure(json.loads(raw), cls), budget)
    ratio = total / parse
    fields = field_count(json.loads(raw))
    return Row(
        f"structuring, {label} ({fields} values)",
        f"{1 / total:,.0f} bodies/s",
        f"{1 / parse:,.0f} bodies/s (json.loads)",
        ratio,
        f"≤ {TARGET} total/parse",
        ratio <= TARGET,
        f"structure {(total - parse) * 1e6:.0f} µs + parse {parse * 1e6:.0f} µs; "
        + _orjson_note(raw, parse, budget),
    )


def measure(budget: float = 1.0) -> list[Row]:
    from kis_async.domestic_stock.ranking import CreditBalanceResponse

    rows = [_row("credit-balance 30 rows", CreditBalanceResponse, credit_balance_bytes(), budget)]
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
        rows.append(_row("inquire-price", inquire_price, raw, budget))
    return rows
