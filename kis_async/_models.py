"""Base classes of the generated rows and responses, and the one converter that builds them.

Generated row classes are frozen attrs classes whose attributes are KIS's lower-case wire names,
typed by the spec (``int``, ``Decimal``, ``date``, enums …), every one optional: a documented
field KIS leaves out is ``None``. The body a row came from stays on ``.raw``, so a field KIS adds
tomorrow is reachable today. Structuring goes through cattrs, with one structure function built
per class on first use and cached.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, ClassVar, Self, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from kis_async._convert import (
    KisEnum,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_enum,
    parse_int,
    parse_str,
    parse_time,
    to_wire,
)
from kis_async._errors import KisDecodeError

logger = logging.getLogger("kis_async")

_SCALAR_PARSERS: dict[type, Callable[[Any], Any]] = {
    str: parse_str,
    int: parse_int,
    Decimal: parse_decimal,
    dt.date: parse_date,
    dt.time: parse_time,
    dt.datetime: parse_datetime,
}


@attrs.frozen(kw_only=True)
class KisModel:
    """A structured KIS object (a row of ``output``/``output1``/…, or a whole response)."""

    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    """The JSON object this was built from, unchanged (undocumented keys included)."""

    @classmethod
    def from_dict(cls, body: Mapping[str, Any], *, strict: bool = True) -> Self:
        """Structure a raw KIS JSON object exactly as the client does.

        With ``strict=False`` a value that cannot be its documented type is kept as the wire
        string (and logged once per field at WARNING) instead of raising :class:`KisDecodeError`.
        """
        return structure(body, cls, strict=strict)

    def to_dict(self) -> dict[str, Any]:
        """The wire form: every documented field as the string KIS sends, plus undocumented keys."""
        documented = _attribute_names(type(self))
        wire: dict[str, Any] = {k: v for k, v in self.raw.items() if k.lower() not in documented}
        outputs = getattr(type(self), "__outputs__", ())
        for name in documented:
            value = getattr(self, name)
            if value is None and name in outputs:
                continue  # an output KIS left out stays out
            wire[name] = _value_to_wire(value)
        return wire


@attrs.frozen(kw_only=True)
class KisResponse(KisModel):
    """A whole response body: the ``rt_cd``/``msg_cd``/``msg1`` envelope and its outputs."""

    rt_cd: str | None = None
    """성공 실패 여부 ("0" = success)."""
    msg_cd: str | None = None
    """응답코드 (e.g. ``MCA00000``)."""
    msg1: str | None = None
    """응답메세지 (trailing padding removed)."""
    tr_cont: str | None = attrs.field(default=None, eq=False)
    """Response header 연속 거래 여부: ``F``/``M`` more pages follow, ``D``/``E`` last page."""

    #: Names of the output attributes (``output``, ``output1``, …), set by the generated class.
    __outputs__: ClassVar[tuple[str, ...]] = ()

    @property
    def has_next(self) -> bool:
        """Whether KIS said a next page exists (response header ``tr_cont`` is ``F`` or ``M``)."""
        return self.tr_cont in ("F", "M")


_ENVELOPE = frozenset({"raw", "tr_cont"})


_attribute_cache: dict[type, tuple[str, ...]] = {}


def _attribute_names(cls: type[KisModel]) -> tuple[str, ...]:
    names = _attribute_cache.get(cls)
    if names is None:
        names = _attribute_cache[cls] = tuple(a.name for a in attrs.fields(cls) if a.name not in _ENVELOPE)
    return names


def _value_to_wire(value: Any) -> Any:
    if isinstance(value, KisModel):
        return value.to_dict()
    if isinstance(value, list):
        return [_value_to_wire(item) for item in value]
    return to_wire(value)


def _normalise_keys(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """POST outputs come with UPPER-CASE keys (``ODNO``); attributes are always lower case."""
    for key in body:
        if not key.islower():
            return {k.lower(): v for k, v in body.items()}
    return body


def _make_converter(strict: bool) -> cattrs.Converter:
    converter = cattrs.Converter(detailed_validation=False)
    for cls, parse in _SCALAR_PARSERS.items():
        converter.register_structure_hook(cls, _scalar_hook(parse))
    # Enums are str subclasses: registered by class so dispatch prefers it over the str hook.
    converter.register_structure_hook(KisEnum, parse_enum)
    converter.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, KisModel),
        lambda cls: _row_hook(converter, cls, strict),
    )
    converter.register_structure_hook_factory(_is_row_list, lambda t: _row_list_hook(converter, t))
    return converter


def _scalar_hook(parse: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda value, _: parse(value)


def _lenient_hook(parse: Callable[[Any], Any], where: str) -> Callable[[Any, Any], Any]:
    """For ``strict=False``: a value that is not its type stays the wire string, warned once."""

    def lenient(value: Any, _: Any) -> Any:
        try:
            return parse(value)
        except (ValueError, TypeError):
            if where not in _warned:
                _warned.add(where)
                logger.warning(
                    "%s: kept wire value %r, which is not its documented type (strict=False)", where, value
                )
            return value

    return lenient


_warned: set[str] = set()


def _scalar_parser(field_type: Any) -> Callable[[Any], Any] | None:
    for candidate in get_args(field_type) or (field_type,):
        if candidate in _SCALAR_PARSERS:
            return _SCALAR_PARSERS[candidate]
    return None


def _is_row_list(t: Any) -> bool:
    if get_origin(t) is not list:
        return False
    (item,) = get_args(t) or (None,)
    return isinstance(item, type) and issubclass(item, KisModel)


def _row_hook(converter: cattrs.Converter, cls: type[KisModel], strict: bool) -> Callable[[Any, Any], Any]:
    attrs.resolve_types(cls)
    overrides: dict[str, Any] = {"raw": override(omit=True), "tr_cont": override(omit=True)}
    if not strict:
        for attribute in attrs.fields(cls):
            parse = _scalar_parser(attribute.type)
            if parse is not None and attribute.name not in overrides:
                overrides[attribute.name] = override(
                    struct_hook=_lenient_hook(parse, f"{cls.__name__}.{attribute.name}")
                )
    if issubclass(cls, KisResponse):
        overrides["msg1"] = override(struct_hook=lambda v, _: v.rstrip() if isinstance(v, str) else v)
    names = {a.name for a in attrs.fields(cls)}
    build = make_dict_structure_fn(
        cls, converter, _cattrs_forbid_extra_keys=False, **{k: v for k, v in overrides.items() if k in names}
    )

    def structure_row(body: Any, _: Any) -> Any:
        if isinstance(body, list):  # KIS sometimes wraps a single object in a list
            if not body:
                return None
            body = body[0]
        if not isinstance(body, Mapping):
            raise TypeError(f"expected a JSON object, got {type(body).__name__}")
        row = build(_normalise_keys(body), cls)
        object.__setattr__(row, "raw", body)
        return row

    return structure_row


def _row_list_hook(converter: cattrs.Converter, list_type: Any) -> Callable[[Any, Any], Any]:
    (row_cls,) = get_args(list_type)
    structure_row = converter.get_structure_hook(row_cls)

    def structure_rows(body: Any, _: Any) -> list[Any]:
        if body is None or body == "":
            return []
        if isinstance(body, Mapping):  # a list documented, one object sent
            return [structure_row(body, row_cls)]
        if not isinstance(body, list):
            raise TypeError(f"expected a JSON array, got {type(body).__name__}")
        return [structure_row(item, row_cls) for item in body]

    return structure_rows


_converters = {True: _make_converter(strict=True), False: _make_converter(strict=False)}


M = TypeVar("M", bound=KisModel)


def structure(body: Any, cls: type[M], *, strict: bool = True) -> M:
    """Structure ``body`` into ``cls``; a value of the wrong form raises :class:`KisDecodeError`
    naming the field (``output2[3].stck_prpr``) and the value."""
    if not isinstance(body, Mapping):
        raise KisDecodeError(f"{cls.__name__}: expected a JSON object, got {type(body).__name__}", body=body)
    try:
        return _converters[strict].structure(body, cls)
    except Exception as exc:  # any failure is located and re-raised with its path
        where, value, reason = _locate(cls, body)
        raise KisDecodeError(
            f"{cls.__name__}.{where}: cannot read {value!r}: {reason or exc}",
            body=body,
            field=where,
            value=value,
        ) from exc


def _locate(cls: type[KisModel], body: Mapping[str, Any]) -> tuple[str, Any, str]:
    """Find the first field of ``body`` that does not structure, for the error message."""
    converter = _converters[True]
    body = _normalise_keys(body)
    for attribute in attrs.fields(cls):
        if attribute.name in _ENVELOPE or attribute.name not in body:
            continue
        value = body[attribute.name]
        field_type = attribute.type
        rows = get_args(field_type)
        row_cls = next((t for t in rows if isinstance(t, type) and issubclass(t, KisModel)), None)
        item_cls = get_args(field_type)[0] if _is_row_list(field_type) else row_cls
        if item_cls is not None:
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                if not isinstance(item, Mapping):
                    return f"{attribute.name}[{index}]", item, "expected a JSON object"
                where, bad, reason = _locate(item_cls, item)
                if where:
                    label = f"{attribute.name}[{index}]" if isinstance(value, list) else attribute.name
                    return f"{label}.{where}", bad, reason
            continue
        try:
            converter.structure(value, field_type)
        except Exception as exc:
            return attribute.name, value, str(exc)
    return "", None, ""
