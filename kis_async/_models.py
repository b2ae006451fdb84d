"""Base classes of the generated rows and responses, and the one converter that builds them.

Generated row classes are frozen attrs classes whose attributes are KIS's lower-case wire names,
typed by the spec (``int``, ``Decimal``, ``date``, enums …), every one optional: a documented
field KIS leaves out is ``None``. The body a row came from stays on ``.raw``, so a field KIS adds
tomorrow is reachable today. Structuring goes through one structure function per class, compiled
on first use and cached, that parses each documented key in place (:func:`_compile_row`); cattrs
serves only types the SDK does not parse itself, and is imported only when one is met.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import operator
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, TypeVar, get_args, get_origin

import attrs

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
from kis_async._errors import KisDecodeError, KisValidationError
from kis_async._fields import RowField, field_map

if TYPE_CHECKING:
    import cattrs
    import pandas  # type: ignore[import-not-found,import-untyped,unused-ignore]  # the [pandas] extra, maybe absent
    import polars  # type: ignore[import-not-found,import-untyped,unused-ignore]  # the [polars] extra, maybe absent

logger = logging.getLogger("kis_async")

_SCALAR_PARSERS: dict[type, Callable[[Any], Any]] = {
    str: parse_str,
    int: parse_int,
    Decimal: parse_decimal,
    dt.date: parse_date,
    dt.time: parse_time,
    dt.datetime: parse_datetime,
}


@attrs.frozen(kw_only=True, slots=False)
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

    def to_polars(self, *, korean: bool = False, enums: Literal["code", "name"] = "code") -> polars.DataFrame:
        """This row as a one-row polars DataFrame (``pip install 'kis-async[polars]'``); see
        :meth:`Rows.to_polars`."""
        return Rows((self,), row_class=self._frame_class()).to_polars(korean=korean, enums=enums)

    def to_pandas(
        self,
        *,
        korean: bool = False,
        enums: Literal["code", "name"] = "code",
        decimals: Literal["exact", "float"] = "exact",
    ) -> pandas.DataFrame:
        """This row as a one-row pandas DataFrame (``pip install 'kis-async[pandas]'``); see
        :meth:`Rows.to_pandas`."""
        rows = Rows((self,), row_class=self._frame_class())
        return rows.to_pandas(korean=korean, enums=enums, decimals=decimals)

    def _frame_class(self) -> type[KisModel]:
        return type(self)


@attrs.frozen(kw_only=True, slots=False)
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

    def _frame_class(self) -> type[KisModel]:
        outputs = ", ".join(f".{name}" for name in self.__outputs__) or "none"
        raise KisValidationError(
            f"{type(self).__name__} is a whole response (envelope and outputs), not a row: convert one "
            f"of its outputs instead, e.g. response.{(self.__outputs__ or ('output',))[-1]}.to_polars() "
            f"(outputs: {outputs})",
            field=type(self).__name__,
        )


RowT = TypeVar("RowT", bound=KisModel)


class Rows(list[RowT]):
    """A list output (``ranking.output2``): a plain ``list`` of rows that also converts to a
    DataFrame (:meth:`to_polars`, :meth:`to_pandas`) with the spec's column types.

    ``row_class`` is the row type, known even when the list is empty, so an empty ranking gives a
    frame with the right columns. A slice (``rows[:5]``) is a plain list: ``Rows(rows[:5])``
    converts it again.
    """

    __slots__ = ("row_class",)

    def __init__(self, rows: Iterable[RowT] = (), /, *, row_class: type[RowT] | None = None) -> None:
        super().__init__(rows)
        self.row_class = row_class

    def __reduce_ex__(self, protocol: Any) -> Any:
        return _rows_from, (list(self), self.row_class)

    def to_polars(self, *, korean: bool = False, enums: Literal["code", "name"] = "code") -> polars.DataFrame:
        """A polars DataFrame, one row per element (``pip install 'kis-async[polars]'``).

        Columns are the wire names in spec order (``korean=True``: the 한글명), typed by the spec:
        ``Int64``, ``Decimal(38, s)`` (exact, ``s`` the most decimals in the column), ``Date``,
        ``Time``, ``Datetime``, ``String``, and enums as ``pl.Enum`` of their codes (``enums="name"``:
        of their member names). A value ``strict=False`` kept as a wire string raises
        :class:`KisDecodeError` naming the field.
        """
        from kis_async import frames

        return frames.to_polars(self, korean=korean, enums=enums, row_class=self.row_class)

    def to_pandas(
        self,
        *,
        korean: bool = False,
        enums: Literal["code", "name"] = "code",
        decimals: Literal["exact", "float"] = "exact",
    ) -> pandas.DataFrame:
        """A pandas DataFrame (``pip install 'kis-async[pandas]'``: pandas and pyarrow).

        Integers are nullable ``Int64``, text ``string``, enums ``category`` (codes, or names
        with ``enums="name"``); decimals, dates and times are pyarrow-backed (``decimal128(38, s)``,
        ``date32``, ``time64[us]``), or with ``decimals="float"`` decimals are ``float64``.
        """
        from kis_async import frames

        return frames.to_pandas(self, korean=korean, enums=enums, decimals=decimals, row_class=self.row_class)


def _rows_from(items: list[Any], row_class: type[Any] | None) -> Rows[Any]:
    return Rows(items, row_class=row_class)


def as_rows(value: Iterable[Any]) -> Rows[Any]:
    """The converter of list outputs: a list given to a response's constructor (or
    ``attrs.evolve``) becomes :class:`Rows`; a :class:`Rows` is kept as it is."""
    if isinstance(value, Rows):
        return value
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise KisValidationError(f"a list output takes a list of rows, got {type(value).__name__}")
    return Rows(value)


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
    # One C-level pass: when lower-casing changes no key (every GET body), the body is kept as is.
    keys = "".join(body)
    return body if keys.lower() == keys else _lowered(body)


def _make_converter(strict: bool) -> cattrs.Converter:
    import cattrs  # only types the SDK does not parse itself, and error reports, need it

    converter = cattrs.Converter(detailed_validation=False)
    for cls, parse in _SCALAR_PARSERS.items():
        converter.register_structure_hook(cls, _scalar_hook(parse))
    # Enums are str subclasses: registered by class so dispatch prefers it over the str hook.
    converter.register_structure_hook(KisEnum, parse_enum)
    converter.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, KisModel),
        lambda cls: _two_args(_row_structurer(cls, strict)),
    )
    converter.register_structure_hook_factory(_is_row_list, lambda t: _two_args(_rows_structurer(t, strict)))
    return converter


def _scalar_hook(parse: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda value, _: parse(value)


def _two_args(structure_one: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    """A one-argument structurer as a cattrs hook ``(value, type)``."""
    return lambda value, _: structure_one(value)


def _lenient_hook(parse: Callable[[Any], Any], where: str) -> Callable[[Any], Any]:
    """For ``strict=False``: a value that is not its type stays the wire string, warned once."""

    def lenient(value: Any) -> Any:
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


def _enum_class(field_type: Any) -> type[KisEnum] | None:
    for candidate in get_args(field_type) or (field_type,):
        if isinstance(candidate, type) and issubclass(candidate, KisEnum):
            return candidate
    return None


#: The parser of each kind a field table (:mod:`kis_async._fields`) names.
_KIND_PARSERS: dict[str, Callable[[Any], Any]] = {
    "str": parse_str,
    "int": parse_int,
    "decimal": parse_decimal,
    "date": parse_date,
    "time": parse_time,
    "datetime": parse_datetime,
}


def _declared(cls: type[Any], attribute: Any) -> tuple[Callable[[Any], Any] | None, type[KisEnum] | None]:
    """What a field is parsed as, ``(scalar parser, enum class)``: from the class's generated field
    table when it has one (the spec's own word), from the annotation otherwise (a user's model)."""
    table = _tables.get(cls)
    if table is None:
        table = _tables[cls] = field_map(cls)
    field = table.get(attribute.name)
    if field is not None:
        if field.kind == "enum":
            return None, field.enum
        return _KIND_PARSERS[field.kind], None
    return _scalar_parser(attribute.type), _enum_class(attribute.type)


_tables: dict[type[Any], dict[str, RowField]] = {}


def _row_class(field_type: Any) -> type[KisModel] | None:
    """``Row | None`` (an object output) → ``Row``."""
    for candidate in get_args(field_type) or (field_type,):
        if isinstance(candidate, type) and issubclass(candidate, KisModel):
            return candidate
    return None


def _is_row_list(t: Any) -> bool:
    if get_origin(t) not in (list, Rows):
        return False
    (item,) = get_args(t) or (None,)
    return isinstance(item, type) and issubclass(item, KisModel)


def _enum_parser(enum: type[KisEnum]) -> Callable[[Any], Any]:
    """``parse_enum`` for one enum (its class on ``.enum``, for the in-line look-up)."""

    def parse(value: Any) -> Any:
        return parse_enum(value, enum)

    parse.enum = enum  # type: ignore[attr-defined]
    return parse


def _message(value: Any) -> Any:
    """``msg1`` without KIS's trailing padding."""
    return value.rstrip() if isinstance(value, str) else value


class _RowsForObject(Exception):
    """An object output arrived as a list of several rows (strict mode): never read as its first."""

    def __init__(self, where: str, rows: list[Any]) -> None:
        super().__init__(where, len(rows))
        self.where = where
        self.rows = rows


def _object_output(structure_row: Callable[[Any], Any], where: str, strict: bool) -> Callable[[Any], Any]:
    """The parser of an output documented as one object (``where`` is ``Response.output``).

    KIS sometimes wraps that object in a list (one element: it is unwrapped). A list of several
    rows is never read as its first row, which would drop the others without a word: strict mode
    refuses it (:class:`KisDecodeError` naming the output and the count), lenient mode keeps every
    row (the attribute then holds the list) and warns once per output.
    """

    def structure_object(value: Any) -> Any:
        if value is None:
            return None
        if value.__class__ is list and len(value) > 1:
            if strict:
                raise _RowsForObject(where, value)
            if where not in _warned:
                _warned.add(where)
                logger.warning(
                    "%s is documented as one object but KIS sent a list of %d rows: every row is kept "
                    "and the attribute holds the list (strict=False)",
                    where,
                    len(value),
                )
            return [structure_row(item) for item in value]
        return structure_row(value)

    return structure_object


_rows: dict[tuple[type, bool], Callable[[Any], Any]] = {}


def _row_structurer(cls: type[KisModel], strict: bool) -> Callable[[Any], Any]:
    """The structure function of ``cls``, compiled on first use and kept."""
    structure_row = _rows.get((cls, strict))
    if structure_row is None:
        structure_row = _rows[(cls, strict)] = _compile_row(cls, strict)
    return structure_row


def _compile_row(cls: type[KisModel], strict: bool) -> Callable[[Any], Any]:
    """One function per class that reads each documented key and parses it right there (no
    per-value dispatch), then fills the instance.

    A key the body lacks gives the attribute's default: every parser maps ``None`` to ``None``
    and a missing list output to ``[]``. The wire form of the common types (a non-blank string)
    is parsed in line, the fields of one type together when there are several
    (:func:`_group_lines`: a quote has 33 integers, read and converted by one C-level ``map``);
    any other value, and any string the in-line parse refuses, goes to the field's full parser,
    which decides exactly as it always did. Types the SDK does not parse itself go through the
    cattrs converter, only when their key is present. Generated rows keep their attributes in
    ``__dict__`` (``slots=False``), so an instance is filled with one dictionary instead of one
    ``object.__setattr__`` per field; a class that needs its ``__init__`` gets it called.
    """
    attrs.resolve_types(cls)
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_new": object.__new__,
        "_set": object.__setattr__,
        "_Decimal": Decimal,
        "_InvalidOperation": InvalidOperation,
        "_as_object": _as_object,
        "_lowered": _lowered,
        **_GROUP_NAMESPACE,
    }
    body_lines: list[str] = []
    grouped: dict[Callable[[Any], Any], list[tuple[int, str]]] = {}
    values = ["'raw': raw"]
    envelope = []
    fallback = []
    direct = _fills_dict(cls)
    for index, attribute in enumerate(attrs.fields(cls)):
        name = attribute.name
        if name == "raw":
            continue
        if name in _ENVELOPE:
            if isinstance(attribute.default, attrs.Factory):  # type: ignore[arg-type]
                direct = False
            else:
                namespace[f"_default{index}"] = attribute.default
                envelope.append(f"{name!r}: _default{index}")
            continue
        parser, local = f"_parse{index}", f"f{index}"
        parse = _field_parser(cls, attribute, strict)
        if parse is None:
            namespace[parser] = _converter(strict).get_structure_hook(attribute.type)
            namespace[f"_type{index}"] = attribute.type
            fallback.append(
                f"    if {name!r} in body: extra[{name!r}] = {parser}(body[{name!r}], _type{index})"
            )
            continue
        namespace[parser] = parse
        enum = getattr(parse, "enum", None)
        if enum is not None:
            namespace[f"_members{index}"] = enum._value2member_map_
        # what the value is read as: the strict parser of its type (a lenient parser differs
        # only where it refuses a value), or the field's own parser (msg1, enums, nested rows)
        kind = parse if parse is _message else _declared(cls, attribute)[0] or parse
        if kind in _GROUPED:
            grouped.setdefault(kind, []).append((index, name))
        else:
            body_lines += _parse_lines(kind, parser, local, name, index)
        values.append(f"{name!r}: {local}")
    for group, (kind, members) in enumerate(grouped.items()):
        if len(members) < _GROUP_MIN:
            for index, name in members:
                body_lines += _parse_lines(kind, f"_parse{index}", f"f{index}", name, index)
            continue
        namespace[f"_names{group}"] = tuple(name for _, name in members)
        namespace[f"_parsers{group}"] = tuple(namespace[f"_parse{index}"] for index, _ in members)
        body_lines += _group_lines(kind, group, [f"f{index}" for index, _ in members])
    lines = [
        f"def structure_{cls.__name__}(body):",
        "    if body.__class__ is not dict:",
        "        body = _as_object(body)",
        "        if body is None: return None",
        "    raw = body",
        "    keys = ''.join(body)",  # see _normalise_keys: kept when lower-casing changes no key
        "    if keys.lower() != keys: body = _lowered(body)",
        "    get = body.get",
        *body_lines,
    ]
    if fallback:
        direct = False
        lines += ["    extra = {}", *fallback]
        values.append("**extra")
    if direct:
        fields = ", ".join(values + envelope)
        lines += ["    row = _new(_cls)", f"    _set(row, '__dict__', {{{fields}}})", "    return row"]
    else:
        lines.append(f"    return _cls(**{{{', '.join(values)}}})")
    exec(compile("\n".join(lines), f"<kis_async structure {cls.__qualname__}>", "exec"), namespace)
    structure_row: Callable[[Any], Any] = namespace[f"structure_{cls.__name__}"]
    return structure_row


_columns: dict[tuple[type, bool], Callable[[list[Any]], list[Any]] | None] = {}
#: Shorter lists are read row by row: below this a column costs more than it saves.
_COLUMNS_FROM = 4


def _columns_structurer(cls: type[KisModel], strict: bool) -> Callable[[list[Any]], list[Any]] | None:
    """The column-wise structure function of a list of ``cls`` rows (:func:`_compile_columns`),
    ``None`` for a class whose rows it cannot build."""
    key = (cls, strict)
    if key not in _columns:
        _columns[key] = _compile_columns(cls, strict)
    return _columns[key]


def _compile_columns(cls: type[KisModel], strict: bool) -> Callable[[list[Any]], list[Any]] | None:
    """One function per row class that structures a whole list of rows a column at a time.

    A ranking is 30 rows of the same keys, so each documented key is read from every row at once
    (``operator.itemgetter``) and each column converted with one C-level ``map`` (see
    :func:`_many_lines`) instead of one Python-level decision per value. A column
    that is not all non-blank wire strings of its type (a blank, a JSON number, an unknown code)
    is parsed value by value with the field's own parser; anything else the fast path does not
    expect (a row that is not an object, a documented key missing, upper-case keys, a nested
    output) raises, and :func:`_rows_structurer` then structures the rows one by one with
    :func:`_compile_row`'s function, which decides exactly as the parsers do. When this function
    returns, its rows equal what that row-by-row path gives
    (``tests/core/test_structuring_paths.py`` checks it on generated bodies).
    """
    if not _fills_dict(cls):
        return None
    attrs.resolve_types(cls)
    fields = [a for a in attrs.fields(cls) if a.name != "raw"]
    if len(fields) < 2 or any(a.name in _ENVELOPE for a in fields):
        return None
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_new": object.__new__,
        "_set": object.__setattr__,
        "_chain": itertools.chain.from_iterable,
        "_Rows": Rows,
        "_Decimal": Decimal,
        **_GROUP_NAMESPACE,
        "_columns": operator.itemgetter(*(a.name for a in fields)),
    }
    lines = [
        f"def structure_{cls.__name__}_columns(items):",
        "    keys = _join(_chain(items))",  # every row an object whose keys are all lower case
        "    if keys.lower() != keys: raise KeyError('upper-case keys')",
        f"    {', '.join(f'c{i}' for i in range(len(fields)))}, = zip(*_map(_columns, items))",
    ]
    for index, attribute in enumerate(fields):
        parse = _field_parser(cls, attribute, strict)
        scalar, enum = _declared(cls, attribute)
        kind = scalar or enum
        if parse is None or kind is None:
            return None  # nested outputs and cattrs-parsed types: the row-by-row path
        namespace[f"_parse{index}"] = parse
        members = ""
        if enum is not None:
            members = f"_members{index}"
            namespace[members] = enum._value2member_map_
        column, each = f"c{index}", f"_list(_map(_parse{index}, c{index}))"
        lines += _many_lines(kind, column, f"p{index}", each, members)
    names = ", ".join(f"v{i}" for i in range(len(fields)))
    values = ", ".join(["'raw': raw"] + [f"{a.name!r}: v{i}" for i, a in enumerate(fields)])
    lines += [
        "    rows = _Rows(row_class=_cls)",
        "    append = rows.append",
        f"    for raw, {names} in zip(items, {', '.join(f'p{i}' for i in range(len(fields)))}):",
        "        row = _new(_cls)",
        f"        _set(row, '__dict__', {{{values}}})",
        "        append(row)",
        "    return rows",
    ]
    exec(compile("\n".join(lines), f"<kis_async columns {cls.__qualname__}>", "exec"), namespace)
    by_columns: Callable[[list[Any]], list[Any]] = namespace[f"structure_{cls.__name__}_columns"]
    return by_columns


def _as_object(body: Any) -> Mapping[str, Any] | None:
    """A row body that is not a plain dict: a list wraps it (KIS does that) or it is refused."""
    if isinstance(body, list):  # KIS sometimes wraps a single object in a list
        if not body:
            return None
        body = body[0]
    if not isinstance(body, Mapping):
        raise TypeError(f"expected a JSON object, got {type(body).__name__}")
    return body


def _lowered(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k.lower(): v for k, v in body.items()}


#: Types whose fields are parsed together (:func:`_group_lines`), from this many fields on.
_GROUPED = (parse_str, parse_int, parse_decimal, parse_date)
_GROUP_MIN = 3
_GROUP_NAMESPACE: dict[str, Any] = {
    "_join": "".join,
    "_list": list,
    "_map": map,
    "_all": all,
    "_any": any,
    "_call": operator.call,
    "_int": int,
    "_finite": Decimal.is_finite,
    "_isspace": str.isspace,
    "_fromisoformat": dt.date.fromisoformat,
}


def _group_lines(kind: Callable[[Any], Any], group: int, locals_: list[str]) -> list[str]:
    """Statements that set ``locals_`` from the body keys ``_names<group>``, all of type ``kind``:
    the values are read with one ``map``, then converted together (:func:`_many_lines`); when
    one is refused, every value of the group goes through its field's own parser."""
    wire, parsed = f"w{group}", f"g{group}"
    return [
        f"    {wire} = _list(_map(get, _names{group}))",
        *_many_lines(kind, wire, parsed, f"_list(_map(_call, _parsers{group}, {wire}))"),
        f"    {', '.join(locals_)}, = {parsed}",
    ]


def _many_lines(kind: Any, wire: str, parsed: str, each: str, members: str = "") -> list[str]:
    """Statements that set ``parsed`` to the values of the list ``wire``, all of type ``kind``.

    One ``join`` checks that they are all text (it refuses anything else, ``None`` included) and
    one C-level ``map`` converts them (``int``, ``Decimal``, ``date.fromisoformat`` on all-digit
    text, which takes exactly ``YYYYMMDD``; an enum's code table ``members``). When any value is
    refused (a blank, a JSON number, a missing key, ``00000000``, an unknown code …) ``parsed``
    is ``each`` instead: the fields' own parsers, which decide exactly as they always did.
    """
    if kind is parse_str:  # non-blank text is kept as it is
        convert = [
            f"_join({wire})",
            f"if not _all({wire}) or _any(_map(_isspace, {wire})): raise ValueError('blank')",
            f"{parsed} = {wire}",
        ]
        refused = "TypeError, ValueError"
    elif kind is parse_int:  # int() takes signs and spaces, refuses blanks, "12.3" and "1,000"
        convert = [f"_join({wire})", f"{parsed} = _list(_map(_int, {wire}))"]
        refused = "TypeError, ValueError"
    elif kind is parse_decimal:  # no exponent: "1e999999999" would be a billion digits in to_dict
        convert = [
            f"j = _join({wire})",
            "if 'e' in j or 'E' in j: raise ValueError('exponent')",
            f"{parsed} = _list(_map(_Decimal, {wire}))",
            f"if not _all(_map(_finite, {parsed})): raise ValueError('not finite')",
        ]
        refused = "TypeError, ValueError, ArithmeticError"
    elif kind is parse_date:  # only all-digit text: fromisoformat would take "2024-W01" too
        convert = [
            f"if not _join({wire}).isdigit(): raise ValueError('not YYYYMMDD')",
            f"{parsed} = _list(_map(_fromisoformat, {wire}))",
        ]
        refused = "TypeError, ValueError"
    elif members:
        convert = [f"{parsed} = _list(_map({members}.__getitem__, {wire}))"]
        refused = "KeyError, TypeError"
    else:
        return [f"    {parsed} = {each}"]
    return [
        "    try:",
        *(f"        {line}" for line in convert),
        f"    except ({refused}):",
        f"        {parsed} = {each}",
    ]


def _parse_lines(parse: Callable[[Any], Any], parser: str, local: str, name: str, index: int) -> list[str]:
    """Statements that set ``local`` from body key ``name``; see :func:`_compile_row`. ``parse``
    is the strict parser of the field's type: what the in-line code stands for when it accepts a
    value (a lenient parser differs only where it refuses one)."""
    read = f"    v = get({name!r})"
    if parse is parse_str:
        return [read, f"    {local} = v if v.__class__ is str and v and not v.isspace() else {parser}(v)"]
    if parse is parse_int:  # int() takes signs and spaces, refuses blanks, "12.3" and "1,000"
        return [
            read,
            "    if v.__class__ is str:",
            f"        try: {local} = int(v)",
            f"        except ValueError: {local} = {parser}(v)",
            f"    else: {local} = {parser}(v)",
        ]
    if parse is parse_decimal:
        return [
            read,
            "    if v.__class__ is str and 'e' not in v and 'E' not in v:",
            f"        try: {local} = _Decimal(v)",
            f"        except _InvalidOperation: {local} = {parser}(v)",
            "        else:",
            f"            if not {local}.is_finite(): {local} = {parser}(v)",
            f"    else: {local} = {parser}(v)",
        ]
    if parse is parse_date:  # YYYYMMDD; "00000000", dashes, spaces … are the parser's to decide
        return [
            read,
            "    if v.__class__ is str and len(v) == 8 and v.isdigit():",
            f"        try: {local} = _fromisoformat(v)",
            f"        except ValueError: {local} = {parser}(v)",
            f"    else: {local} = {parser}(v)",
        ]
    if getattr(parse, "enum", None) is not None:
        return [
            read,
            f"    {local} = _members{index}.get(v) if v.__class__ is str else None",
            f"    if {local} is None: {local} = {parser}(v)",
        ]
    return [f"    {local} = {parser}(get({name!r}))"]


def _fills_dict(cls: type[KisModel]) -> bool:
    """Whether an instance can be filled through its ``__dict__``: no slots anywhere in its
    classes, no validators, converters or post-init hook that ``__init__`` would run."""
    if any(vars(k).get("__slots__") for k in cls.__mro__ if k is not object):
        return False
    if hasattr(cls, "__attrs_post_init__") or hasattr(cls, "__attrs_pre_init__"):
        return False
    return not any(a.validator or a.converter or a.alias != a.name for a in attrs.fields(cls))


def _field_parser(cls: type[KisModel], attribute: Any, strict: bool) -> Callable[[Any], Any] | None:
    """The one-argument parser of a documented attribute, ``None`` for types left to cattrs."""
    field_type = attribute.type
    if attribute.name == "msg1" and issubclass(cls, KisResponse):
        return _message
    scalar, enum = _declared(cls, attribute)
    if scalar is not None:
        return scalar if strict else _lenient_hook(scalar, f"{cls.__name__}.{attribute.name}")
    if enum is not None:
        return _enum_parser(enum)
    if _is_row_list(field_type):
        return _rows_structurer(field_type, strict)
    row = _row_class(field_type)
    if row is not None:
        return _object_output(_row_structurer(row, strict), f"{cls.__name__}.{attribute.name}", strict)
    return None


def _rows_structurer(list_type: Any, strict: bool) -> Callable[[Any], Rows[Any]]:
    (row_cls,) = get_args(list_type)
    structure_row = _row_structurer(row_cls, strict)
    by_columns = _columns_structurer(row_cls, strict)

    def structure_rows(body: Any) -> Rows[Any]:
        if body.__class__ is list:
            if by_columns is not None and len(body) >= _COLUMNS_FROM:
                try:
                    return by_columns(body)  # type: ignore[return-value]
                except Exception:
                    pass
            return Rows(map(structure_row, body), row_class=row_cls)
        if body is None or body == "":
            return Rows(row_class=row_cls)
        if isinstance(body, Mapping):  # a list documented, one object sent
            return Rows((structure_row(body),), row_class=row_cls)
        if not isinstance(body, list):
            raise TypeError(f"expected a JSON array, got {type(body).__name__}")
        return Rows(map(structure_row, body), row_class=row_cls)

    return structure_rows


_converters: dict[bool, cattrs.Converter] = {}


def _converter(strict: bool) -> cattrs.Converter:
    """The cattrs converter for ``strict``, built on first use (importing cattrs costs start-up time
    that a program whose responses hold only SDK-parsed types never needs to pay)."""
    converter = _converters.get(strict)
    if converter is None:
        converter = _converters[strict] = _make_converter(strict)
    return converter


M = TypeVar("M", bound=KisModel)


def structure(body: Any, cls: type[M], *, strict: bool = True) -> M:
    """Structure ``body`` into ``cls``; a value of the wrong form raises :class:`KisDecodeError`
    naming the field (``output2[3].stck_prpr``) and the value."""
    if not isinstance(body, Mapping):
        raise KisDecodeError(f"{cls.__name__}: expected a JSON object, got {type(body).__name__}", body=body)
    try:
        structure_response = _rows.get((cls, strict)) or _row_structurer(cls, strict)
        return structure_response(body)  # type: ignore[no-any-return]
    except _RowsForObject as exc:
        where = exc.where.partition(".")[2] if exc.where.startswith(f"{cls.__name__}.") else exc.where
        raise KisDecodeError(
            f"{exc.where}: documented as one object, but KIS sent a list of {len(exc.rows)} rows; "
            "reading only the first would drop the others (strict=False keeps them all as a list)",
            body=body,
            field=where,
            value=exc.rows,
        ) from None
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
    converter = _converter(True)
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
