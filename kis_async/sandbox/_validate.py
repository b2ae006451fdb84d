"""Server-side checks of a request's fields against the endpoint descriptor, as KIS makes them.

The client validates before sending; the sandbox checks again, independently, on the wire
strings, so a request built by hand (or by a buggy client) meets KIS's refusal, never a 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from kis_async._endpoint import Endpoint, Env, Param, is_wire_date, is_wire_time
from kis_async.sandbox._protocol import INVALID_FIELD, MISSING_FIELD
from kis_async.sandbox._refusals import PAPER_VALUE, PAPER_VALUE_NOTE


@attrs.frozen
class FieldProblem:
    msg_cd: str
    msg1: str
    wire: str


def check_fields(
    endpoint: Endpoint[Any], fields: Mapping[str, Any], env: Env = "real"
) -> FieldProblem | None:
    """The first problem with ``fields`` (wire name → value), or ``None``. On ``env="paper"``, a
    value the paper (모의투자) server does not accept (:meth:`Param.paper_refuses`, the spec's
    ``paper:``) is refused as paper KIS does, after the checks both servers make."""
    paging = endpoint.paging or {}
    for param in endpoint.params:
        if param.wire is None:
            continue
        if param.wire not in fields:
            if param.required and param.wire not in paging:
                return FieldProblem(
                    MISSING_FIELD, f"ERROR : INPUT_FIELD_NAME {param.wire} ({param.korean}) 누락", param.wire
                )
            continue
        value = fields[param.wire]
        if not isinstance(value, str):
            return _invalid(param, value, "a JSON string")
        problem = _check_value(param, value, optional=not param.required or param.wire in paging)
        if problem is not None:
            return problem
        if env == "paper" and param.paper_refuses(value):
            return FieldProblem(
                PAPER_VALUE.msg_cd,
                f"{PAPER_VALUE.msg1} ({param.wire} {param.korean} = {value!r}; 모의투자: "
                f"{param.describe_paper()}){PAPER_VALUE_NOTE}",
                param.wire,
            )
    return None


def _invalid(param: Param, value: Any, expected: str) -> FieldProblem:
    return FieldProblem(
        INVALID_FIELD,
        f"ERROR : INPUT_FIELD_VALUE {param.wire} ({param.korean}) = {value!r}: expected {expected}",
        param.wire or "",
    )


def _check_value(param: Param, value: str, *, optional: bool) -> FieldProblem | None:
    if param.max_length and len(value) > param.max_length:
        return _invalid(param, value, f"at most {param.max_length} characters")
    if param.const is not None:
        if value != param.const and not (optional and value == ""):
            return _invalid(param, value, repr(param.const))
        return None
    if value == "" and (optional or param.kind == "str"):
        return None
    if param.pattern is not None and not re.fullmatch(param.pattern, value):  # re caches the pattern
        return _invalid(param, value, f"a string matching {param.pattern}")
    kind = param.kind
    if kind == "enum" and param.enum is not None:
        if value not in param.enum._value2member_map_:
            return _invalid(param, value, f"one of {param.describe_allowed()}")
    elif kind in ("int", "decimal"):
        number = _number(value, integer=kind == "int")
        if number is None:
            return _invalid(param, value, "an integer" if kind == "int" else "a decimal number")
        if param.range is not None and not param.range[0] <= number <= param.range[1]:
            return _invalid(param, value, f"{param.range[0]}..{param.range[1]}")
    elif kind == "date":
        if not is_wire_date(value):
            return _invalid(param, value, "a date YYYYMMDD")
    elif kind == "time" and not is_wire_time(value):
        return _invalid(param, value, "a time HHMMSS")
    return None


def _number(value: str, *, integer: bool) -> Decimal | None:
    text = value.strip()
    if integer:
        return Decimal(text) if text.lstrip("+-").isdigit() else None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
