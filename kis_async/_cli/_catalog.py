"""The generated endpoints as the CLI sees them: lookup by dotted name, fields and their Korean names.

Everything is read from the descriptors (``kis_async._registry.ENDPOINTS``) and the generated row
classes, so the CLI knows every endpoint the specs define without naming any of them.
"""

from __future__ import annotations

import difflib
import importlib
import types
import typing
from typing import Any

import attrs

from kis_async._endpoint import Endpoint, Param
from kis_async._errors import KisError
from kis_async._fields import fields_of
from kis_async._models import KisModel
from kis_async._registry import ENDPOINTS

#: Attributes every row has that are not KIS fields.
_ENVELOPE = frozenset({"raw", "tr_cont"})


class UnknownEndpointError(KisError):
    """A name on the command line that is no generated endpoint."""


def endpoint_names() -> list[str]:
    return sorted(name for _, _, name in ENDPOINTS)


def load(name: str) -> Endpoint[Any]:
    """The descriptor for ``name``: ``domestic_stock.credit_balance``, or unambiguously
    ``credit_balance`` / ``credit-balance``."""
    wanted = name.strip().replace("-", "_")
    entries = {public: (module, const) for module, const, public in ENDPOINTS}
    if wanted not in entries:
        by_method = [public for public in entries if public.rsplit(".", 1)[-1] == wanted]
        if len(by_method) == 1:
            wanted = by_method[0]
        elif by_method:
            raise UnknownEndpointError(f"{name!r} is ambiguous: {', '.join(sorted(by_method))}")
    if wanted not in entries:
        close = _close_names(wanted, list(entries))
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise UnknownEndpointError(f"unknown endpoint {name!r}{hint} (`kis-async list` shows them all)")
    module, const = entries[wanted]
    endpoint: Endpoint[Any] = getattr(importlib.import_module(f"kis_async.{module}"), const)
    return endpoint


def _close_names(wanted: str, names: list[str]) -> list[str]:
    """Endpoints whose method name is close to the one asked for (in the category asked for, if
    any): the shared ``domestic_stock.`` prefix must not make unrelated names look close."""
    category, _, method = wanted.rpartition(".")
    candidates = [n for n in names if not category or n.startswith(category + ".")] or names
    by_method: dict[str, list[str]] = {}
    for name in candidates:
        by_method.setdefault(name.rsplit(".", 1)[-1], []).append(name)
    close = difflib.get_close_matches(method, list(by_method), n=3, cutoff=0.6)
    return [name for m in close for name in by_method[m]][:3]


#: Words a bot author searches for → what KIS's titles and paths say instead. ``kis-async list
#: 차트`` finds the 기간별시세 and 분봉 endpoints, whose titles never say 차트. A word matches when it or
#: one of its synonyms is part of the name, the 한글명 (spaces ignored), the path or a TR ID.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "차트": ("기간별시세", "분봉", "일봉", "chartprice"),
    "chart": ("기간별시세", "분봉", "chartprice"),
    "캔들": ("기간별시세", "분봉", "chartprice"),
    "일봉": ("기간별시세", "dailyprice", "daily-itemchartprice"),
    "분봉": ("분봉", "time-itemchartprice", "time-indexchartprice"),
    "시세": ("시세", "price"),
    "현재가": ("현재가", "inquire-price"),
    "price": ("현재가", "시세"),
    "호가": ("호가", "asking-price"),
    "orderbook": ("호가", "asking-price"),
    "체결": ("체결", "ccnl", "ccld", "conclusion"),
    "잔고": ("잔고", "balance"),
    "balance": ("잔고",),
    "주문": ("주문", "order"),
    "order": ("주문",),
    "정정": ("정정", "rvsecncl"),
    "취소": ("취소", "rvsecncl"),
    "매수가능": ("매수가능", "psbl-order"),
    "순위": ("순위", "상위", "ranking"),
    "랭킹": ("순위", "상위", "ranking"),
    "ranking": ("순위", "상위"),
    "배당": ("배당", "dividend"),
    "신용": ("신용", "credit"),
    "공매도": ("공매도", "short-sale"),
    "외국인": ("외국인", "외인", "frgn", "foreign"),
    "투자자": ("투자자", "investor"),
    "업종": ("업종", "index"),
    "지수": ("지수", "업종", "index"),
    "환율": ("환율", "exchange"),
    "휴장일": ("휴장일", "holiday"),
    "손익": ("손익", "profit"),
}


def _search_text(endpoint: Endpoint[Any]) -> str:
    tr = tr_summary(endpoint)
    title = endpoint.title.lower()
    return " ".join(
        [endpoint.name, title, title.replace(" ", ""), endpoint.path, tr, endpoint.doc_id]
    ).lower()


def matches(endpoint: Endpoint[Any], query: str) -> bool:
    """Whether every word of ``query`` (or one of its :data:`SYNONYMS`) is found in the
    endpoint's name, 한글명, path, document id or TR IDs; case and the title's spaces do not matter."""
    text = _search_text(endpoint)
    for word in query.lower().split():
        if not any(variant.lower() in text for variant in (word, *SYNONYMS.get(word, ()))):
            return False
    return True


def load_all() -> list[Endpoint[Any]]:
    return [load(name) for name in endpoint_names()]


def arguments(endpoint: Endpoint[Any]) -> list[Param]:
    """The parameters a caller gives: not constants, nor the continuation keys the pager fills."""
    continuation = endpoint.paging or {}
    return [p for p in endpoint.params if p.name and p.const is None and p.wire not in continuation]


@attrs.frozen
class FieldInfo:
    name: str
    korean: str
    """한글명 with the spec's unit and note: ``상품번호: 종목번호(뒷 6자리)``, ``현재가 (원)``."""
    type: str

    @property
    def short(self) -> str:
        """The 한글명 and unit without the note, for column headers."""
        return self.korean.split(": ", 1)[0]


def fields(row: type[KisModel]) -> list[FieldInfo]:
    """The documented fields of a generated row class, in the spec's order."""
    docs = _attribute_docs(row)
    hints = _type_hints(row)
    return [
        FieldInfo(a.name, docs.get(a.name, ""), _type_name(hints.get(a.name, a.type)))
        for a in attrs.fields(row)
        if a.name not in _ENVELOPE
    ]


def field_names(row: type[KisModel]) -> list[str]:
    return [a.name for a in attrs.fields(row) if a.name not in _ENVELOPE]


def enum_choices(param: Param) -> str:
    """``'0000' ALL 전체, '0001' KOSPI 거래소, …`` for an enum parameter."""
    if param.enum is None:
        return ""
    korean: dict[str, str] = getattr(param.enum, "__korean__", {})
    return ", ".join(
        f"{member.value} {member.name}" + (f" {korean[member.name]}" if korean.get(member.name) else "")
        for member in param.enum
    )


def param_type(param: Param) -> str:
    if param.enum is not None:
        return param.enum.__name__
    if param.kind == "date":
        return "date (YYYYMMDD)"
    if param.kind == "time":
        return "time (HHMMSS)"
    if param.kind == "bool":
        return "Y/N"
    return param.kind


def tr_summary(endpoint: Endpoint[Any], *, brief: bool = False) -> str:
    """``real FHKST17010000 / paper unsupported``; for a TR chosen by an argument every choice
    (``buy: TTTC0012U, sell: TTTC0011U``), or with ``brief`` only the first and how many more, so
    that one endpoint with twelve TR IDs does not widen every row of ``kis-async list``."""

    def one(table: Any) -> str:
        if table is None:
            return "unsupported"
        if isinstance(table, str):
            return table
        choices = [f"{code}: {tr}" for code, tr in sorted(table.items())]
        if brief and len(choices) > 2:
            return f"{choices[0]}, … ({len(set(table.values()))} TR IDs)"
        return ", ".join(choices)

    select = f" (chosen by {' and '.join(endpoint.tr_id.selectors)})" if endpoint.tr_id.select else ""
    return f"real {one(endpoint.tr_id.real)} / paper {one(endpoint.tr_id.paper)}{select}"


_hints_cache: dict[type, dict[str, Any]] = {}


def _type_hints(row: type[KisModel]) -> dict[str, Any]:
    if row not in _hints_cache:
        try:
            _hints_cache[row] = typing.get_type_hints(row)
        except Exception:  # unresolved forward references: fall back to attrs' annotations
            _hints_cache[row] = {}
    return _hints_cache[row]


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, str):
        return annotation.replace(" | None", "").replace("dt.", "")
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        names = [_type_name(arg) for arg in typing.get_args(annotation) if arg is not type(None)]
        return " | ".join(names)
    origin = typing.get_origin(annotation)
    if isinstance(origin, type) and issubclass(origin, list):  # list[Row], or an output's Rows[Row]
        (item,) = typing.get_args(annotation)
        return f"list[{_type_name(item)}]"
    return getattr(annotation, "__name__", str(annotation))


def _attribute_docs(cls: type) -> dict[str, str]:
    """한글명 (unit) of each field, from the row's generated field table (``kis_async._fields``)."""
    return {field.name: field.label for field in fields_of(cls)}
