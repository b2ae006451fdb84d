"""Structuring: turning one JSON body into typed attrs objects, versus ``json.loads`` alone.

``total`` is what the SDK does with a body (decode, then structure into the generated response
class, every value parsed into its documented type); ``parse-only`` is ``json.loads``. The first
row decodes with ``json.loads`` too; the second with the SDK's decoder (orjson when the ``fast``
extra is installed). Timed with ``timeit``, best of several repeats.
"""

from __future__ import annotations

import datetime as dt
import json
import timeit
from collections.abc import Callable, Sequence
from decimal import Decimal
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


def _floor_builder() -> Callable[[dict[str, Any]], Any]:
    """The least any typed structuring of a credit-balance body can cost in CPython: the same
    objects built by hand, with no blank/sign/type checks, no unknown-code handling, no errors."""
    from kis_async.domestic_stock.ranking import CreditBalanceResponse, CreditBalanceRow, CreditBalanceSector
    from kis_async.enums import Sign

    new, fill, date, members = object.__new__, object.__setattr__, dt.date, Sign._value2member_map_

    def typed(cls: type, values: dict[str, Any]) -> Any:
        instance: Any = new(cls)
        fill(instance, "__dict__", values)
        return instance

    def day(text: str) -> dt.date:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))

    def build(body: dict[str, Any]) -> Any:
        sectors = [
            typed(
                CreditBalanceSector,
                {
                    "raw": r,
                    "bstp_cls_code": r["bstp_cls_code"],
                    "hts_kor_isnm": r["hts_kor_isnm"],
                    "stnd_date1": day(r["stnd_date1"]),
                    "stnd_date2": day(r["stnd_date2"]),
                },
            )
            for r in body["output1"]
        ]
        rows = [
            typed(
                CreditBalanceRow,
                {
                    "raw": r,
                    "mksc_shrn_iscd": r["mksc_shrn_iscd"],
                    "hts_kor_isnm": r["hts_kor_isnm"],
                    "stck_prpr": int(r["stck_prpr"]),
                    "prdy_vrss": int(r["prdy_vrss"]),
                    "prdy_vrss_sign": members[r["prdy_vrss_sign"]],
                    "prdy_ctrt": Decimal(r["prdy_ctrt"]),
                    "acml_vol": int(r["acml_vol"]),
                    "whol_loan_rmnd_stcn": int(r["whol_loan_rmnd_stcn"]),
                    "whol_loan_rmnd_amt": int(r["whol_loan_rmnd_amt"]),
                    "whol_loan_rmnd_rate": Decimal(r["whol_loan_rmnd_rate"]),
                    "whol_stln_rmnd_stcn": int(r["whol_stln_rmnd_stcn"]),
                    "whol_stln_rmnd_amt": int(r["whol_stln_rmnd_amt"]),
                    "whol_stln_rmnd_rate": Decimal(r["whol_stln_rmnd_rate"]),
                    "nday_vrss_loan_rmnd_inrt": Decimal(r["nday_vrss_loan_rmnd_inrt"]),
                    "nday_vrss_stln_rmnd_inrt": Decimal(r["nday_vrss_stln_rmnd_inrt"]),
                },
            )
            for r in body["output2"]
        ]
        envelope = {"rt_cd": body["rt_cd"], "msg_cd": body["msg_cd"], "msg1": body["msg1"].rstrip()}
        return typed(
            CreditBalanceResponse,
            {"raw": body, **envelope, "tr_cont": None, "output1": sectors, "output2": rows},
        )

    return build


def _floor_row(raw: bytes, budget: float) -> Row:
    from kis_async.domestic_stock.ranking import CreditBalanceResponse

    floor_build = _floor_builder()
    assert floor_build(json.loads(raw)) == structure(json.loads(raw), CreditBalanceResponse)
    parse, floor, sdk = _best(
        [
            lambda: json.loads(raw),
            lambda: floor_build(json.loads(raw)),
            lambda: structure(json.loads(raw), CreditBalanceResponse),
        ],
        budget,
    )
    return Row(
        "structuring floor: credit-balance built by hand, no checks",
        f"{1 / floor:,.0f} bodies/s",
        f"{1 / parse:,.0f} bodies/s (json.loads)",
        floor / parse,
        "-",
        None,
        f"json.loads {parse * 1e6:.0f} µs + build {(floor - parse) * 1e6:.0f} µs; "
        f"the SDK's structure is {(sdk - parse) / (floor - parse):.2f}x this build",
    )


def measure(budget: float = 1.0) -> list[Row]:
    from kis_async.domestic_stock.ranking import CreditBalanceResponse

    raw = credit_balance_bytes()
    rows = _rows("credit-balance 30 rows", CreditBalanceResponse, raw, budget)
    rows.append(_floor_row(raw, budget / 2))
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
        body = json.dumps(response_body(inquire_price), ensure_ascii=False).encode()
        rows += _rows("inquire-price", inquire_price, body, budget)
    return rows
