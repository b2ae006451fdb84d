"""Responses as compact JSON for an agent: the spec's field names, numbers as JSON numbers only
when they are integers, decimals, dates and times as strings, long lists cut with a count and a
way to read the rest (:class:`ResultCache`)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import OrderedDict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from kis_async._convert import KisEnum
from kis_async._endpoint import Endpoint
from kis_async._errors import KisValidationError
from kis_async._mcp import _catalog
from kis_async._models import KisModel, KisResponse

_ENVELOPE = frozenset({"raw", "tr_cont", "rt_cd"})
DEFAULT_ROWS = 20
MAX_ROWS = 200


def plain(value: Any, fields: frozenset[str] | None = None) -> Any:
    """A typed value as JSON: rows as objects (``None`` fields left out), enums as member names
    (``FALL``; unknown codes ``UNKNOWN_<code>``), ``Decimal`` as text, dates ISO."""
    if isinstance(value, KisModel):
        out: dict[str, Any] = {}
        for attribute in attrs.fields(type(value)):
            name = attribute.name
            if name in _ENVELOPE or (fields is not None and name not in fields):
                continue
            item = getattr(value, name)
            if item is not None:
                out[name] = plain(item)
        return out
    if isinstance(value, list):
        return [plain(item, fields) for item in value]
    if isinstance(value, KisEnum):
        return value.name
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if value is None:
        return None
    return str(value)


def dumps(value: Any) -> str:
    """Compact JSON; Korean stays readable (not ``\\uXXXX``, which costs an agent six times the tokens)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@attrs.define
class _Stored:
    endpoint: str
    rows: dict[str, list[Any]]
    fields: frozenset[str] | None


@attrs.define
class ResultCache:
    """The last few responses whose lists were cut, so ``more_rows`` pages them without calling KIS again."""

    size: int = 16
    _items: OrderedDict[str, _Stored] = attrs.field(factory=OrderedDict)
    _ids: itertools.count[int] = attrs.field(factory=lambda: itertools.count(1))

    def put(self, stored: _Stored) -> str:
        key = f"r{next(self._ids)}"
        self._items[key] = stored
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return key

    def page(self, result: str, output: str, offset: int, limit: int) -> dict[str, Any]:
        stored = self._items.get(result)
        if stored is None:
            raise KisValidationError(
                f"more_rows: result {result!r} is not kept any more (the last {self.size} cut results "
                "are); call the endpoint again",
                field="result",
                value=result,
            )
        rows = stored.rows.get(output)
        if rows is None:
            raise KisValidationError(
                f"more_rows: result {result!r} ({stored.endpoint}) has no cut list {output!r}; "
                f"it has {', '.join(sorted(stored.rows))}",
                field="output",
                value=output,
            )
        limit = _check_limit(limit)
        if offset < 0 or offset > len(rows):
            raise KisValidationError(
                f"more_rows: offset {offset} is outside 0..{len(rows)}", field="offset", value=offset
            )
        part = rows[offset : offset + limit]
        body: dict[str, Any] = {
            "endpoint": stored.endpoint,
            "output": output,
            "offset": offset,
            "rows": plain(part, stored.fields),
            "total": len(rows),
        }
        if offset + limit < len(rows):
            body["next_offset"] = offset + limit
        return body


def _check_limit(limit: int) -> int:
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_ROWS:
        raise KisValidationError(
            f"limit must be an integer in 1..{MAX_ROWS}, got {limit!r}", field="limit", value=limit
        )
    return limit


def check_fields(endpoint: Endpoint[Any], fields: Sequence[str] | None) -> frozenset[str] | None:
    if not fields:
        return None
    known = {f["name"] for output in endpoint.outputs for f in _catalog.output_fields(output.row)}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise KisValidationError(
            f"{endpoint.name}: no response field {unknown[0]!r}; describe_endpoint lists them",
            endpoint=endpoint.name,
            field="fields",
            value=unknown[0],
        )
    return frozenset(fields)


def response_json(
    endpoint: Endpoint[Any],
    response: KisResponse,
    *,
    cache: ResultCache,
    limit: int = DEFAULT_ROWS,
    fields: frozenset[str] | None = None,
    korean: bool = False,
    pages: int = 1,
) -> dict[str, Any]:
    """The tool result for one (possibly multi-page) response."""
    limit = _check_limit(limit)
    body: dict[str, Any] = {"endpoint": endpoint.name}
    if response.msg_cd or response.msg1:
        body["msg"] = f"{response.msg_cd or ''} {response.msg1 or ''}".strip()
    if pages > 1:
        body["pages"] = pages
    if endpoint.paging and response.has_next:
        body["more_pages"] = "KIS has more pages: call again with all_pages=true"
    cut: dict[str, list[Any]] = {}
    for output in endpoint.outputs:
        value = getattr(response, output.key, None)
        if value is None:
            continue
        if output.shape == "list" and isinstance(value, list):
            body[output.key] = plain(value[:limit], fields)
            if len(value) > limit:
                cut[output.key] = value
        else:
            body[output.key] = plain(value, fields)
    if cut:
        key = cache.put(_Stored(endpoint.name, cut, fields))
        body["truncated"] = {
            name: {
                "total": len(rows),
                "shown": limit,
                "next": {"tool": "more_rows", "result": key, "output": name, "offset": limit},
            }
            for name, rows in cut.items()
        }
    if korean:
        labels: dict[str, str] = {}
        for output in endpoint.outputs:
            for name, label in _catalog.korean_labels(output.row).items():
                if label and (fields is None or name in fields):
                    labels.setdefault(name, label)
        body["labels"] = labels
    return body
