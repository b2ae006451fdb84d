"""The generated endpoints as MCP tools see them: lookup, JSON Schema of the arguments, search.

Everything comes from the descriptors (``kis_async._registry.ENDPOINTS`` → :class:`Endpoint`,
:class:`Param`, :class:`Output`) and the generated row classes, exactly as the CLI and the
sandbox read them; nothing here names an endpoint or an argument.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import importlib
import importlib.util
import logging
import re
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from kis_async._convert import KisEnum
from kis_async._endpoint import Endpoint, Param
from kis_async._errors import KisValidationError
from kis_async._fields import field_map
from kis_async._registry import ENDPOINTS

#: Dates and times as an agent writes them; the SDK's wire forms (``20240131``) are accepted too.
_DATE = re.compile(r"^([0-9]{4})-?([0-9]{2})-?([0-9]{2})$")
_TIME = re.compile(r"^([0-9]{2}):?([0-9]{2}):?([0-9]{2})$")
_DECIMAL_PATTERN = r"^[+-]?[0-9]+(\.[0-9]+)?$"


class UnknownEndpointError(KisValidationError):
    """A tool call named an endpoint that is not generated."""


@functools.cache
def _entries() -> dict[str, tuple[str, str]]:
    return {public: (module, const) for module, const, public in ENDPOINTS}


def endpoint_names() -> list[str]:
    return sorted(_entries())


def group_of(name: str) -> str:
    """``domestic_stock.ranking`` for ``domestic_stock.credit_balance`` (the module it lives in)."""
    return _entries()[name][0]


def load(name: str) -> Endpoint[Any]:
    """The descriptor for ``name`` (``domestic_stock.credit_balance``, or an unambiguous method name)."""
    wanted = str(name).strip().replace("-", "_")
    entries = _entries()
    if wanted not in entries:
        by_method = [public for public in entries if public.rsplit(".", 1)[-1] == wanted]
        if len(by_method) == 1:
            wanted = by_method[0]
        elif by_method:
            raise UnknownEndpointError(
                f"endpoint {name!r} is ambiguous: {', '.join(sorted(by_method))}", field="name", value=name
            )
    if wanted not in entries:
        close = difflib.get_close_matches(wanted, list(entries), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; search_endpoints finds them"
        raise UnknownEndpointError(f"unknown endpoint {name!r}{hint}", field="name", value=name)
    module, const = entries[wanted]
    endpoint: Endpoint[Any] = getattr(importlib.import_module(f"kis_async.{module}"), const)
    return endpoint


def load_all() -> list[Endpoint[Any]]:
    return [load(name) for name in endpoint_names()]


def arguments(endpoint: Endpoint[Any]) -> list[Param]:
    """What an agent gives: not constants, continuation keys, nor the account (the server's own)."""
    continuation = endpoint.paging or {}
    return [
        p
        for p in endpoint.params
        if p.name and p.const is None and p.wire not in continuation and p.fill is None
    ]


def account_params(endpoint: Endpoint[Any]) -> list[Param]:
    return [p for p in endpoint.params if p.fill is not None]


def uses_account(endpoint: Endpoint[Any]) -> bool:
    return bool(account_params(endpoint))


# -- JSON Schema -----------------------------------------------------------------------------------


def enum_text(param: Param) -> str:
    """``0000 ALL 전체, 0001 KOSPI 거래소`` (codes, member names and 한글)."""
    assert param.enum is not None
    korean: dict[str, str] = getattr(param.enum, "__korean__", {})
    return ", ".join(
        f"{m.value} {m.name}" + (f" {korean[m.name]}" if korean.get(m.name) else "") for m in param.enum
    )


def param_schema(param: Param, *, brief: bool = False) -> dict[str, Any]:
    """One argument as JSON Schema: type, enum codes (with names and 한글 in the description),
    range, pattern, length and default; the description is the 한글명, the wire name and the
    spec's note. ``brief`` leaves out the note and the enum labels (for the always-listed tools)."""
    schema: dict[str, Any]
    described = param.korean + (f" ({param.wire})" if param.wire else "")
    kind = param.kind
    if param.enum is not None:
        codes = [str(m.value) for m in param.enum]
        schema = {"type": "string", "enum": codes}
        if not brief:
            described += f": {enum_text(param)}"
        else:
            described += ": " + ", ".join(f"{m.value} {m.name}" for m in param.enum)
    elif kind == "int":
        schema = {"type": "integer"}
        if param.range is not None:
            schema["minimum"], schema["maximum"] = param.range
    elif kind == "decimal":
        schema = {"type": "string", "pattern": _DECIMAL_PATTERN}
        described += "; a decimal as a string"
    elif kind == "date":
        schema = {"type": "string", "pattern": r"^[0-9]{4}-?[0-9]{2}-?[0-9]{2}$"}
        described += "; YYYY-MM-DD"
    elif kind == "time":
        schema = {"type": "string", "pattern": r"^[0-9]{2}:?[0-9]{2}:?[0-9]{2}$"}
        described += "; HH:MM:SS"
    elif kind == "bool":
        schema = {"type": "boolean"}
    else:
        schema = {"type": "string"}
        if param.max_length:
            schema["maxLength"] = param.max_length
        if param.pattern:
            schema["pattern"] = param.pattern
    if param.default is not None:
        schema["default"] = _default_value(param)
    if (param.description and not brief and param.enum is None) or (
        param.description and param.enum is None and brief and len(param.description) <= 60
    ):
        described += f". {param.description}"
    if param.paper_only is not None and not brief:
        described += f". 모의투자: {param.describe_paper()}"
    schema["description"] = described
    return schema


def _default_value(param: Param) -> Any:
    assert param.default is not None
    if param.kind == "int":
        try:
            return int(param.default)
        except ValueError:
            return param.default
    if param.kind == "bool":
        return param.default == "Y"
    return param.default


def is_required(param: Param) -> bool:
    return param.required and param.default is None


def input_schema(params: Iterable[Param], *, brief: bool = False) -> dict[str, Any]:
    params = list(params)
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {p.name: param_schema(p, brief=brief) for p in params},
        "additionalProperties": False,
    }
    required = [p.name for p in params if is_required(p)]
    if required:
        schema["required"] = required
    return schema


def coerce_arguments(endpoint: Endpoint[Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """JSON values → what the SDK's argument checks take: ``2024-01-31`` → a date, ``09:30:00`` →
    a time, a JSON number for a decimal → its text. Anything else goes to the SDK unchanged, so a
    wrong value gets the SDK's own :class:`KisValidationError` message."""
    by_name = {p.name: p for p in endpoint.params if p.name}
    hidden = {p.name for p in endpoint.params if p.name and p not in arguments(endpoint)}
    out: dict[str, Any] = {}
    for name, value in given.items():
        if name in hidden:
            raise KisValidationError(
                f"{endpoint.name}: {name} is set by the server (the configured account, a constant "
                "or a continuation key), not by a tool call",
                endpoint=endpoint.name,
                field=name,
                value=value,
            )
        param = by_name.get(name)
        if param is None or value is None:
            out[name] = value
            continue
        if param.kind == "date" and isinstance(value, str) and (match := _DATE.match(value.strip())):
            with contextlib.suppress(ValueError):  # else the SDK names the field and the value
                value = dt.date(int(match[1]), int(match[2]), int(match[3]))
        elif param.kind == "time" and isinstance(value, str) and (match := _TIME.match(value.strip())):
            value = "".join(match.groups())
        elif param.kind == "decimal" and isinstance(value, float):
            value = repr(value)
        elif param.kind == "int" and isinstance(value, float) and value.is_integer():
            value = int(value)
        out[name] = value
    return out


# -- describing an endpoint -----------------------------------------------------------------------


def tr_text(endpoint: Endpoint[Any]) -> str:
    def one(table: Any) -> str:
        if table is None:
            return "unsupported"
        if isinstance(table, str):
            return table
        return ", ".join(f"{code}: {tr}" for code, tr in sorted(table.items()))

    select = f" (chosen by {endpoint.tr_id.select})" if endpoint.tr_id.select else ""
    return f"real {one(endpoint.tr_id.real)} / paper {one(endpoint.tr_id.paper)}{select}"


_ENVELOPE = frozenset({"raw", "tr_cont"})


_fields_cache: dict[type[Any], tuple[dict[str, str], ...]] = {}


def output_fields(row: type[Any]) -> tuple[dict[str, str], ...]:
    """The documented fields of a row class: wire name, 한글명 (with unit) and type, from the row's
    field table (:mod:`kis_async._fields`); a class without one (a user's model) from its
    annotations, without 한글명."""
    found = _fields_cache.get(row)
    if found is None:
        table = field_map(row)
        hints = {} if table else _hints(row)
        fields = []
        for a in attrs.fields(row):
            if a.name in _ENVELOPE:
                continue
            declared = table.get(a.name)
            if declared is not None:
                enum = declared.enum
                kind = enum.__name__ if enum is not None else _KIND_NAMES[declared.kind]
                field = {"name": a.name, "korean": declared.label, "type": kind}
            else:
                annotation = hints.get(a.name, a.type)
                enum = _enum_of(annotation)
                field = {"name": a.name, "korean": "", "type": _type_name(annotation)}
            if enum is not None:  # results show the member name: say what each one means
                korean: dict[str, str] = getattr(enum, "__korean__", {})
                field["values"] = ", ".join(
                    m.name + (f" {korean[m.name]}" if korean.get(m.name) else "") for m in enum
                )
            fields.append(field)
        found = _fields_cache[row] = tuple(fields)
    return found


#: A field table's kind → the type name an agent reads (the annotation's name).
_KIND_NAMES = {
    "str": "str",
    "int": "int",
    "decimal": "Decimal",
    "date": "date",
    "time": "time",
    "datetime": "datetime",
    "enum": "str",
}


def _enum_of(annotation: Any) -> type[KisEnum] | None:
    for candidate in typing.get_args(annotation) or (annotation,):
        if isinstance(candidate, type) and issubclass(candidate, KisEnum):
            return candidate
    return None


def korean_labels(row: type[Any]) -> dict[str, str]:
    """Field name → 한글명 with its unit (``현재가 (원)``)."""
    return {f["name"]: f["korean"] for f in output_fields(row)}


def _hints(row: type[Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(row)
    except Exception:  # an unresolvable annotation: its text is still a fine type name
        return {}


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, str):
        return annotation.replace(" | None", "").replace("dt.", "")
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return " | ".join(_type_name(a) for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return f"list[{_type_name(item)}]"
    return str(getattr(annotation, "__name__", annotation))


def describe(endpoint: Endpoint[Any]) -> dict[str, Any]:
    """Everything an agent needs to call one endpoint, as a JSON object."""
    return {
        "name": endpoint.name,
        "title": endpoint.title,
        "summary": endpoint.summary,
        "doc_id": endpoint.doc_id,
        "http": f"{endpoint.method} {endpoint.path}",
        "tr_id": tr_text(endpoint),
        "kind": "read" if endpoint.retry_safe else "order (never retried; needs preview and confirm)",
        "paged": bool(endpoint.paging),
        "uses_account": uses_account(endpoint),
        "arguments": input_schema(arguments(endpoint)),
        "outputs": [
            {
                "key": output.key,
                "shape": output.shape,
                "korean": output.korean,
                "fields": list(output_fields(output.row)),
            }
            for output in endpoint.outputs
        ],
    }


# -- search ----------------------------------------------------------------------------------------


#: English words for the Korean words of KIS titles, so an agent asking in English finds the
#: Korean-titled endpoints (method names already carry some English: ``credit_balance``).
ENGLISH: dict[str, str] = {
    "주식": "stock shares",
    "현재가": "current price quote",
    "시세": "price quote",
    "잔고": "balance holdings positions",
    "주문": "order",
    "정정": "amend modify",
    "취소": "cancel",
    "체결": "fill fills execution trades",
    "미체결": "open unfilled",
    "호가": "order book asking bid ask",
    "일자별": "daily",
    "일별": "daily",
    "기간별": "period daily history chart",
    "분봉": "minute intraday chart",
    "차트": "chart",
    "순위": "ranking rank top",
    "상위": "top ranking",
    "거래량": "volume",
    "거래대금": "trading value",
    "등락률": "change rate gainers losers",
    "신용": "credit margin",
    "공매도": "short sale selling",
    "대차": "stock lending",
    "배당": "dividend",
    "시가총액": "market cap capitalization",
    "외국인": "foreign foreigner",
    "기관": "institution",
    "투자자": "investor",
    "프로그램": "program trading",
    "선물": "futures",
    "옵션": "options",
    "채권": "bond",
    "해외": "overseas foreign us",
    "국내": "domestic korea",
    "예약": "reserved reservation",
    "매수가능": "buying power",
    "매도가능": "sellable",
    "예수금": "deposit cash",
    "증거금": "margin",
    "휴장일": "holiday calendar",
    "뉴스": "news",
    "재무": "financial",
    "대차대조표": "balance sheet",
    "손익계산서": "income statement",
    "손익": "profit loss pnl",
    "수익률": "return yield",
    "종목": "stock symbol issue",
    "지수": "index",
    "업종": "sector industry",
    "예상": "expected estimate",
    "시간외": "after hours overtime",
    "장운영": "market hours session",
    "권리": "rights corporate action",
    "상품기본정보": "product info",
    "추정": "estimate",
}

#: Order of preference between equally good matches: the categories bots use most first.
_NAMESPACE_ORDER = (
    "domestic_stock",
    "overseas_stock",
    "overseas_price",
    "etfetn",
    "elw",
    "domestic_futureoption",
    "overseas_futureoption",
    "domestic_bond",
)


@attrs.frozen
class _Entry:
    name: str
    title: str
    words: tuple[tuple[str, int], ...]
    """(text, weight): lower-cased, spaces removed for Korean matching."""
    rank: tuple[int, int, str]
    """Tie-break: category preference, method name length, name."""


def _squash(text: str) -> str:
    return re.sub(r"[\s_\-./()·,]+", "", text.lower())


@functools.cache
def _index() -> tuple[_Entry, ...]:
    entries = []
    for endpoint in load_all():
        namespace, method = endpoint.name.split(".", 1)
        words: list[tuple[str, int]] = [
            (_squash(endpoint.title), 10),
            (_squash(method), 8),
            (_squash(group_of(endpoint.name)), 3),
            (_squash(endpoint.summary), 3),
        ]
        english = " ".join(words for korean, words in ENGLISH.items() if korean in endpoint.title)
        words += [(word, 6) for word in english.split()]
        for table in (endpoint.tr_id.real, endpoint.tr_id.paper):
            trs = [table] if isinstance(table, str) else list((table or {}).values())
            words += [(tr.lower(), 20) for tr in trs]
        for param in arguments(endpoint):
            words.append((_squash(f"{param.name} {param.korean}"), 2))
        for output in endpoint.outputs:
            for field in output_fields(output.row):
                words.append((_squash(f"{field['name']} {field['korean']}"), 1))
        preference = (
            _NAMESPACE_ORDER.index(namespace) if namespace in _NAMESPACE_ORDER else len(_NAMESPACE_ORDER)
        )
        entries.append(
            _Entry(endpoint.name, endpoint.title, tuple(words), (preference, len(method), endpoint.name))
        )
    return tuple(entries)


def warm() -> None:
    """Build the search index now (a server does it in a thread once it has answered)."""
    try:
        _index()
    except Exception:  # the first search_endpoints call builds it again and reports the problem
        logging.getLogger("kis_async.mcp").debug("search index warm-up failed", exc_info=True)


def search(query: str, *, limit: int = 10) -> list[tuple[str, int]]:
    """Endpoint names ranked for ``query`` (Korean or English, words in any order): each query word
    found in a title counts most, then in the method name, TR IDs (exactly), the summary, argument
    names and 한글명, and response field names and 한글명; the whole query found in a title counts
    again. Korean is compared with spaces removed (``신용 잔고`` finds 신용잔고)."""
    terms = [_squash(t) for t in re.split(r"[\s,]+", query) if _squash(t)]
    whole = _squash(query)
    if not terms:
        return []
    scored: list[tuple[int, _Entry]] = []
    for entry in _index():
        score = 0
        for term in terms:
            best = 0
            for text, weight in entry.words:
                hit = text == term if weight == 20 else term in text  # TR IDs exactly
                if hit and weight > best:
                    best = weight
            score += best
        if len(terms) > 1 and whole and any(whole in text for text, w in entry.words if w == 10):
            score += 10
        if score:
            scored.append((score, entry))
    scored.sort(key=lambda item: (-item[0], item[1].rank))
    return [(entry.name, score) for score, entry in scored[:limit]]
