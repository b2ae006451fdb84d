"""Canned KIS response bodies: a 30-row credit-balance ranking and an 80+ field inquire-price.

Values have the forms live servers send (``real-data-notes.md``): signed integers, decimals with
varying precision, ``YYYYMMDD`` dates, sign codes.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import types
import typing
from decimal import Decimal
from typing import Any

import attrs

from kis_async._convert import KisEnum
from kis_async._models import KisModel, KisResponse
from kis_async._registry import NAMES

ROWS = 30
MESSAGE = "정상처리 되었습니다.                                                            "


def credit_balance_body(rows: int = ROWS) -> dict[str, Any]:
    """A success body of ``domestic_stock.credit_balance`` with ``rows`` ranking rows."""
    ranking = []
    for i in range(rows):
        change = (i % 7 - 3) * 150
        ranking.append(
            {
                "mksc_shrn_iscd": f"{5930 + i * 17:06d}",
                "hts_kor_isnm": f"종목{i:02d}전자",
                "stck_prpr": str(71000 + i * 350),
                "prdy_vrss": str(change),
                "prdy_vrss_sign": "2" if change > 0 else "5" if change < 0 else "3",
                "prdy_ctrt": f"{change / 710:.2f}",
                "acml_vol": str(1234567 + i * 9876),
                "whol_loan_rmnd_stcn": str(345678 + i * 1234),
                "whol_loan_rmnd_amt": str(24567 + i * 89),
                "whol_loan_rmnd_rate": f"{12.345 - i * 0.3:.2f}",
                "whol_stln_rmnd_stcn": str(i * 13),
                "whol_stln_rmnd_amt": str(i * 3),
                "whol_stln_rmnd_rate": f"{i * 0.01:.2f}",
                "nday_vrss_loan_rmnd_inrt": f"{3.5 - i * 0.25:.4f}",
                "nday_vrss_stln_rmnd_inrt": "0.00",
            }
        )
    return {
        "output1": [
            {
                "bstp_cls_code": "0000",
                "hts_kor_isnm": "전체",
                "stnd_date1": "20240105",
                "stnd_date2": "20240102",
            }
        ],
        "output2": ranking,
        "rt_cd": "0",
        "msg_cd": "MCA00000",
        "msg1": MESSAGE,
    }


def credit_balance_bytes(rows: int = ROWS) -> bytes:
    return json.dumps(credit_balance_body(rows), ensure_ascii=False).encode()


def generated_response(name: str) -> type[KisResponse] | None:
    """A generated response class by name (e.g. ``InquirePriceResponse``), ``None`` when absent."""
    module = NAMES.get(name)
    if module is None:
        return None
    cls = getattr(importlib.import_module(f"kis_async.{module}"), name, None)
    return cls if isinstance(cls, type) and issubclass(cls, KisResponse) else None


def _plain(field_type: Any) -> Any:
    """``int | None`` → ``int``; ``list[Row]`` stays."""
    if isinstance(field_type, types.UnionType) or typing.get_origin(field_type) is typing.Union:
        args = [a for a in typing.get_args(field_type) if a is not type(None)]
        return args[0] if len(args) == 1 else field_type
    return field_type


def _wire_value(field_type: Any, index: int) -> Any:
    kind = _plain(field_type)
    if isinstance(kind, type) and issubclass(kind, KisEnum):
        return next(iter(kind)).value
    if kind is int:
        return str(10000 + index * 37)
    if kind is Decimal:
        return f"{index * 1.37:.2f}"
    if kind is dt.date:
        return "20240105"
    if kind is dt.time:
        return "153000"
    if kind is dt.datetime:
        return "20240105153000"
    if isinstance(kind, type) and issubclass(kind, KisModel):
        return row_body(kind)
    if isinstance(typing.get_origin(kind), type) and issubclass(typing.get_origin(kind), list):
        (row,) = typing.get_args(kind)
        return [row_body(row)]
    return f"V{index}"


def row_body(cls: type[KisModel]) -> dict[str, Any]:
    """Every documented field of ``cls`` filled with a wire value of its type."""
    attrs.resolve_types(cls)
    skip = {"raw", "tr_cont", "rt_cd", "msg_cd", "msg1"}
    return {a.name: _wire_value(a.type, i) for i, a in enumerate(attrs.fields(cls)) if a.name not in skip}


def response_body(cls: type[KisResponse]) -> dict[str, Any]:
    return {**row_body(cls), "rt_cd": "0", "msg_cd": "MCA00000", "msg1": MESSAGE}


def field_count(body: Any) -> int:
    """Scalar values in a body (nested objects and lists counted through)."""
    if isinstance(body, dict):
        return sum(field_count(v) for v in body.values())
    if isinstance(body, list):
        return sum(field_count(v) for v in body)
    return 1
