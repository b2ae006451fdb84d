"""DataFrames of rows and ticks, typed by the spec: polars (``pip install 'kis-async[polars]'``)
and pandas (``pip install 'kis-async[pandas]'``, which brings pyarrow).

Every list output is a :class:`~kis_async.Rows` (``ranking.output2.to_polars()``), every row
converts to a one-row frame (``quote.output.to_pandas()``), and real-time ticks collect into
:class:`Ticks` (:func:`collect_ticks`). The column types come from the tables the runtime
already reads: a row class's field table (``__fields__``, :mod:`kis_async._fields`: kind, enum
and 한글명, as structuring parses them) and a tick class's :class:`~kis_async.Feed` fields
(``Wire.kind``).

=============  ===========================  ==========================================================
spec type      polars                       pandas
=============  ===========================  ==========================================================
``int``        ``Int64``                    ``Int64`` (nullable)
``decimal``    ``Decimal(38, s)`` (exact)   ``decimal128(38, s)[pyarrow]``; ``decimals="float"``: ``float64``
``str``        ``String``                   ``string``
``date``       ``Date``                     ``date32[day][pyarrow]``
``time``       ``Time``                     ``time64[us][pyarrow]``
``datetime``   ``Datetime("us")``           ``datetime64[us]``
enum           ``Enum`` of the codes        ``category`` of the codes (``enums="name"``: member names)
=============  ===========================  ==========================================================

``s`` is the most decimals any value of the column has, so every value is kept exactly. A
missing value is null. A value that is not its column's type (what ``strict=False`` keeps as the
wire string) raises :class:`~kis_async.KisDecodeError` naming the field: a frame never holds a
silently wrong number. Nothing here imports polars, pandas or pyarrow until a frame is asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib
import operator
from collections.abc import AsyncIterable, Iterable, Sequence
from decimal import Decimal
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

import attrs

from kis_async._convert import (
    KisEnum,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    parse_str,
    parse_time,
)
from kis_async._errors import KisConfigError, KisDecodeError, KisValidationError
from kis_async._feed import Feed, Scaled, Tick
from kis_async._fields import field_map
from kis_async._models import KisModel, KisResponse, Rows, _enum_class, _scalar_parser

if TYPE_CHECKING:
    import pandas  # type: ignore[import-not-found,import-untyped,unused-ignore]  # the [pandas] extra, maybe absent
    import polars  # type: ignore[import-not-found,import-untyped,unused-ignore]  # the [polars] extra, maybe absent

__all__ = ["Column", "Rows", "Ticks", "collect_ticks", "columns_of", "to_pandas", "to_polars"]

Enums = Literal["code", "name"]
Decimals = Literal["exact", "float"]

_KINDS: dict[Any, str] = {
    parse_str: "str",
    parse_int: "int",
    parse_decimal: "decimal",
    parse_date: "date",
    parse_time: "time",
    parse_datetime: "datetime",
}
#: The Python type every non-null value of a column of that kind has.
_PYTHON_TYPES: dict[str, type] = {
    "str": str,
    "int": int,
    "decimal": Decimal,
    "date": dt.date,
    "time": dt.time,
    "datetime": dt.datetime,
}
#: Attributes of a row that are not KIS fields.
_ENVELOPE = frozenset({"raw", "tr_cont"})
#: Decimal columns are 38 digits wide (the widest Arrow decimal128).
PRECISION = 38


@attrs.frozen
class Column:
    """One column of a frame: a row attribute or a tick field, as the spec types it."""

    name: str
    """The wire name in lower case (``stck_prpr``)."""
    korean: str
    """한글명 from the spec (``주식 현재가``); empty when the spec has none."""
    kind: str
    """``str``, ``int``, ``decimal``, ``date``, ``time``, ``datetime``, ``enum``; ``object`` for
    anything else (a nested output)."""
    enum: type[KisEnum] | None = None


_row_columns: dict[type, tuple[Column, ...]] = {}
_tick_columns: dict[type, tuple[Column, ...]] = {}


def columns_of(cls: type[KisModel] | type[Tick]) -> tuple[Column, ...]:
    """The columns of a generated row class or tick class, in the spec's order."""
    if isinstance(cls, type) and issubclass(cls, Tick):
        return _columns_of_tick(cls)
    if not (isinstance(cls, type) and issubclass(cls, KisModel)) or issubclass(cls, KisResponse):
        raise KisValidationError(f"columns_of: expected a row or tick class, got {cls!r}")
    columns = _row_columns.get(cls)
    if columns is None:
        # a generated row's field table is the spec's word (kind, enum, 한글명); a field it does
        # not list (a user's own model) is read from its annotation
        table = field_map(cls)
        attrs.resolve_types(cls)
        found = []
        for attribute in attrs.fields(cls):
            if attribute.name in _ENVELOPE:
                continue
            field = table.get(attribute.name)
            if field is not None:
                found.append(Column(field.name, field.korean, field.kind, field.enum))
                continue
            enum = _enum_class(attribute.type)
            parser = _scalar_parser(attribute.type)
            kind = "enum" if enum is not None else _KINDS.get(parser, "object") if parser else "object"
            found.append(Column(attribute.name, "", kind, enum))
        columns = _row_columns[cls] = tuple(found)
    return columns


def _columns_of_tick(cls: type[Tick]) -> tuple[Column, ...]:
    columns = _tick_columns.get(cls)
    if columns is None:
        found = []
        for name in cls.__wire_fields__:
            wire = getattr(cls, name)
            enum = getattr(wire.parse, "enum", None)
            found.append(Column(name, wire.korean, "enum" if enum is not None else wire.kind, enum))
        columns = _tick_columns[cls] = tuple(found)
    return columns


def to_polars(
    items: Iterable[KisModel] | Iterable[Tick],
    *,
    korean: bool = False,
    enums: Enums = "code",
    row_class: type[Any] | None = None,
) -> polars.DataFrame:
    """A polars DataFrame of rows (one generated row class) or ticks (one tick class).

    ``row_class`` gives the columns of an empty list; otherwise it is the elements' class.
    """
    _check_options(enums=enums)
    cls, items = _one_class(items, row_class)
    columns, values = _table(cls, items)
    return _polars_frame(columns, values, korean=korean, enums=enums, cls=cls)


def to_pandas(
    items: Iterable[KisModel] | Iterable[Tick],
    *,
    korean: bool = False,
    enums: Enums = "code",
    decimals: Decimals = "exact",
    row_class: type[Any] | None = None,
) -> pandas.DataFrame:
    """A pandas DataFrame of rows or ticks; see the module's table for the column types."""
    _check_options(enums=enums, decimals=decimals)
    cls, items = _one_class(items, row_class)
    columns, values = _table(cls, items)
    return _pandas_frame(columns, values, korean=korean, enums=enums, decimals=decimals, cls=cls)


class Ticks(list[Tick]):
    """Real-time ticks collected for a frame: a plain ``list`` (``ticks.append(tick)`` in your
    ``async for`` loop, or :func:`collect_ticks`) with :meth:`to_polars` and :meth:`to_pandas`.

    A frame holds the ticks of one feed: a feed's fields are its columns, and feeds that share a
    tick class (``trade_nxt`` and ``trade_unified``) would otherwise mix without a trace.
    :meth:`of` picks one feed's ticks from a mixed list; ``feed`` (set by :meth:`of` and by
    :func:`collect_ticks` with ``feed=``) gives an empty list its columns.
    """

    __slots__ = ("feed",)

    def __init__(self, ticks: Iterable[Tick] = (), /, *, feed: Feed[Any] | None = None) -> None:
        super().__init__(ticks)
        self.feed = feed

    def __reduce_ex__(self, protocol: Any) -> Any:
        return _ticks_from, (list(self), self.feed)

    def of(self, feed: Feed[Any] | str) -> Ticks:
        """The ticks of ``feed`` (a generated feed, its name or a TR ID), in arrival order."""
        resolved = _feed(feed)
        return Ticks((tick for tick in self if tick.feed.name == resolved.name), feed=resolved)

    def to_polars(self, *, korean: bool = False, enums: Enums = "code") -> polars.DataFrame:
        """One row per tick, columns the feed's fields typed as for REST rows."""
        return to_polars(self, korean=korean, enums=enums, row_class=self._tick_class())

    def to_pandas(
        self, *, korean: bool = False, enums: Enums = "code", decimals: Decimals = "exact"
    ) -> pandas.DataFrame:
        """One row per tick, columns the feed's fields typed as for REST rows."""
        return to_pandas(self, korean=korean, enums=enums, decimals=decimals, row_class=self._tick_class())

    def _tick_class(self) -> type[Tick] | None:
        feeds = {tick.feed.name for tick in self} | ({self.feed.name} if self.feed is not None else set())
        if len(feeds) > 1:
            raise KisValidationError(
                f"a frame holds the ticks of one feed, got {', '.join(sorted(feeds))}: "
                "Ticks.of(feed) picks one feed's ticks",
                field="ticks",
            )
        return self.feed.tick if self.feed is not None else None


def _ticks_from(ticks: list[Tick], feed: Feed[Any] | None) -> Ticks:
    return Ticks(ticks, feed=feed)


async def collect_ticks(
    ticks: AsyncIterable[Tick],
    *,
    count: int | None = None,
    seconds: float | None = None,
    feed: Feed[Any] | str | None = None,
) -> Ticks:
    """Collect ticks from a real-time session (``rt``, or any async iterable of ticks) until
    ``count`` were kept or ``seconds`` passed, whichever comes first; give at least one bound.

    With ``feed`` only that feed's ticks are kept (the others are read and dropped).

        async with kis.realtime() as rt:
            await rt.subscribe(trade_krx, "005930")
            frame = (await collect_ticks(rt, count=500)).to_polars()
    """
    if count is None and seconds is None:
        raise KisValidationError(
            "collect_ticks: give count= or seconds= (a feed never ends by itself)", field="count"
        )
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise KisValidationError(f"collect_ticks: count must be at least 1, got {count!r}", field="count")
    if seconds is not None and not seconds > 0:
        raise KisValidationError(f"collect_ticks: seconds must be positive, got {seconds!r}", field="seconds")
    wanted = None if feed is None else _feed(feed)
    collected = Ticks(feed=wanted)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            async for tick in ticks:
                if wanted is not None and tick.feed.name != wanted.name:
                    continue
                collected.append(tick)
                if count is not None and len(collected) >= count:
                    break
    return collected


def _feed(feed: Feed[Any] | str) -> Feed[Any]:
    if isinstance(feed, Feed):
        return feed
    from kis_async._feed import find_feed

    try:
        return find_feed(feed)
    except KeyError:
        raise KisValidationError(
            f"{feed!r} is not a feed (a TR ID such as H0STCNT0 or a name such as domestic_stock.trade_krx)",
            field="feed",
            value=feed,
        ) from None


# what the frame builders read


def _check_options(*, enums: str, decimals: str = "exact") -> None:
    if enums not in ("code", "name"):
        raise KisValidationError(f"enums must be 'code' or 'name', got {enums!r}", field="enums", value=enums)
    if decimals not in ("exact", "float"):
        raise KisValidationError(
            f"decimals must be 'exact' or 'float', got {decimals!r}", field="decimals", value=decimals
        )


def _one_class(items: Iterable[Any], row_class: type[Any] | None) -> tuple[type[Any], list[Any]]:
    """The elements as a list and their one class (a mixed list is refused, naming the classes)."""
    items = items if isinstance(items, list) else list(items)
    classes = set(map(type, items))
    if row_class is not None:
        classes.add(row_class)
    if len(classes) > 1:
        names = ", ".join(sorted(c.__name__ for c in classes))
        raise KisValidationError(
            f"a frame holds rows of one class, got {names}"
            + (
                "; Ticks.of(feed) picks one feed's ticks" if any(issubclass(c, Tick) for c in classes) else ""
            ),
            field="rows",
        )
    if not classes:
        raise KisValidationError(
            "an empty list without its row class has no columns: convert the output itself "
            "(response.output2.to_polars()), which knows its row class",
            field="rows",
        )
    (cls,) = classes
    if issubclass(cls, KisResponse):
        raise KisValidationError(
            f"{cls.__name__} is a whole response, not a row: convert one of its outputs "
            f"({', '.join('.' + o for o in cls.__outputs__) or 'none'})",
            field=cls.__name__,
        )
    if not (issubclass(cls, KisModel) or issubclass(cls, Tick)):
        raise KisValidationError(
            f"a frame is built from generated rows or ticks, got {cls.__name__}", field="rows"
        )
    return cls, items


def _table(cls: type[Any], items: list[Any]) -> tuple[tuple[Column, ...], list[Sequence[Any]]]:
    """The columns of ``cls`` and, per column, the values of every element."""
    columns = columns_of(cls)
    if not columns:
        return columns, []
    if issubclass(cls, Tick):
        return columns, _tick_values(cls, columns, items)
    names = [column.name for column in columns]
    if not items:
        return columns, [() for _ in columns]
    if len(names) == 1:
        return columns, [[getattr(item, names[0]) for item in items]]
    return columns, list(zip(*map(operator.attrgetter(*names), items), strict=True))


def _tick_values(cls: type[Tick], columns: tuple[Column, ...], ticks: list[Tick]) -> list[Sequence[Any]]:
    raws = [tick.raw for tick in ticks]
    values: list[Sequence[Any]] = []
    for index, column in enumerate(columns):
        descriptor = getattr(cls, column.name)
        if isinstance(descriptor, Scaled):  # its decimal point depends on another field of the record
            values.append([descriptor.read(raw, cls.__name__) for raw in raws])
            continue
        parse = descriptor.parse
        wire = [raw[index] if index < len(raw) else None for raw in raws]
        try:
            values.append(list(map(parse, wire)))
        except (ValueError, TypeError) as exc:
            bad = next(v for v in wire if _refused(parse, v))
            raise KisDecodeError(
                f"{cls.__name__}.{column.name}: cannot read {bad!r} as {column.kind}: {exc}",
                field=column.name,
                value=bad,
            ) from None
    return values


def _refused(parse: Any, value: Any) -> bool:
    try:
        parse(value)
    except (ValueError, TypeError):
        return True
    return False


def _headers(columns: Sequence[Column], korean: bool) -> list[str]:
    """Column names: the wire names, or the 한글명 (with the wire name where two fields share
    one, or where the spec has none)."""
    if not korean:
        return [column.name for column in columns]
    counts: dict[str, int] = {}
    for column in columns:
        counts[column.korean] = counts.get(column.korean, 0) + 1
    return [
        column.korean
        if column.korean and counts[column.korean] == 1
        else f"{column.korean} ({column.name})".lstrip()
        for column in columns
    ]


def _checked(cls: type[Any], column: Column, values: Sequence[Any]) -> None:
    """Refuse a value that is not its column's type (``strict=False`` keeps wire strings)."""
    expected: type | None = column.enum if column.kind == "enum" else _PYTHON_TYPES.get(column.kind)
    if expected is None:
        return
    types = set(map(type, values))
    types.discard(type(None))
    if types <= {expected}:
        return
    for value in values:
        if value is None or type(value) is expected:
            continue
        # a bool is an int and a datetime a date to isinstance, but neither belongs in the column
        if isinstance(value, expected) and not isinstance(value, (bool, dt.datetime)):
            continue
        raise KisDecodeError(
            f"{cls.__name__}.{column.name}: {value!r} is not {column.kind} (a value strict=False kept "
            "as the wire string?); a frame column holds only its documented type",
            field=column.name,
            value=value,
        )


def _scale(values: Sequence[Any]) -> int:
    """The most decimals of a column of Decimals (0 for none); read from their text, twice as
    fast as ``as_tuple()``, except for the exponent forms (``1E-7``)."""
    texts = [str(value) for value in values if value is not None]
    if any("E" in text for text in texts):
        exponents = [value.as_tuple().exponent for value in values if value is not None]
        return max(0, -min(exponents, default=0))  # type: ignore[type-var,operator,unused-ignore]
    return max([len(text) - text.find(".") - 1 if "." in text else 0 for text in texts], default=0)


def _arrow_decimals(pa: ModuleType, values: Sequence[Any]) -> Any:
    """A pyarrow ``decimal128(38, s)`` array of ``values``, built from their text: ``str()`` of a
    Decimal is C-fast, and pyarrow finds the scale and parses the digits in bulk (about 2.5x
    faster than polars reading the Decimals one by one). Exact: the scale is the longest fraction."""
    compute = importlib.import_module("pyarrow.compute")
    texts = pa.array([None if value is None else str(value) for value in values], type=pa.string())
    if compute.any(compute.match_substring(texts, "E")).as_py():  # exponent forms: 1E-7
        return pa.array(values, type=pa.decimal128(PRECISION, _scale(values)))
    dot = compute.find_substring(texts, ".")
    fraction = compute.subtract(compute.subtract(compute.utf8_length(texts), dot), 1)
    scale = compute.max(compute.if_else(compute.greater_equal(dot, 0), fraction, 0)).as_py() or 0
    return texts.cast(pa.decimal128(PRECISION, scale))


def _enum_values(column: Column, values: Sequence[Any], enums: Enums) -> tuple[list[Any], list[str]]:
    """The codes (or member names) of an enum column, and its categories: every member the spec
    knows, in the spec's order, then codes the spec does not know yet, as they appear."""
    assert column.enum is not None
    attribute = "_value_" if enums == "code" else "_name_"
    categories = [getattr(member, attribute) for member in column.enum]
    labels = [None if value is None else getattr(value, attribute) for value in values]
    known = set(categories)
    for label in labels:
        if label is not None and label not in known:
            known.add(label)
            categories.append(label)
    return labels, categories


def _require(module: str, extra: str) -> ModuleType:
    """Import an optional dependency, or say which extra brings it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise KisConfigError(
            f"DataFrames need the optional package {module!r}: pip install 'kis-async[{extra}]' "
            f"(from a checkout: pip install -e '.[{extra}]')"
        ) from None


def _polars_frame(
    columns: tuple[Column, ...], values: list[Sequence[Any]], *, korean: bool, enums: Enums, cls: type[Any]
) -> polars.DataFrame:
    pl = _require("polars", "polars")
    try:  # not a dependency of the polars extra: used for decimal columns when present
        pa: ModuleType | None = importlib.import_module("pyarrow")
    except ImportError:
        pa = None
    series = []
    for name, column, column_values in zip(_headers(columns, korean), columns, values, strict=True):
        _checked(cls, column, column_values)
        kind = column.kind
        data: Sequence[Any] = column_values
        if kind == "enum":
            data, categories = _enum_values(column, column_values, enums)
            dtype = pl.Enum(categories)
        elif kind == "decimal":
            dtype = None  # polars reads Decimals as Decimal(38, the most decimals), exactly
        else:
            dtype = {
                "str": pl.String,
                "int": pl.Int64,
                "date": pl.Date,
                "time": pl.Time,
                "datetime": pl.Datetime("us"),
            }.get(kind, pl.Object)
        try:
            if kind == "decimal" and pa is not None:  # through Arrow where pyarrow is installed
                one = pl.Series(name, _arrow_decimals(pa, column_values))
            else:
                one = pl.Series(name, data, dtype=dtype, strict=True)
            if kind == "decimal":  # all null: no scale to read; always 38 digits wide
                scale = one.dtype.scale if isinstance(one.dtype, pl.Decimal) else 0
                if one.dtype != pl.Decimal(PRECISION, scale):
                    one = one.cast(pl.Decimal(PRECISION, scale))
            series.append(one)
        except Exception as exc:  # overflow, precision: name the field
            raise _unfit(cls, column, column_values, exc) from exc
    frame: polars.DataFrame = pl.DataFrame(series)
    return frame


def _pandas_frame(
    columns: tuple[Column, ...],
    values: list[Sequence[Any]],
    *,
    korean: bool,
    enums: Enums,
    decimals: Decimals,
    cls: type[Any],
) -> pandas.DataFrame:
    pd = _require("pandas", "pandas")
    pa = _require("pyarrow", "pandas")
    arrow = pd.arrays.ArrowExtensionArray
    data: dict[str, Any] = {}
    for name, column, column_values in zip(_headers(columns, korean), columns, values, strict=True):
        _checked(cls, column, column_values)
        kind = column.kind
        try:
            if kind == "enum":
                labels, categories = _enum_values(column, column_values, enums)
                data[name] = pd.Categorical(labels, categories=categories)
            elif kind == "int":
                data[name] = pd.array(list(column_values), dtype="Int64")
            elif kind == "str":
                data[name] = pd.array(list(column_values), dtype=pd.StringDtype())
            elif kind == "decimal" and decimals == "float":
                data[name] = pd.array(
                    [None if v is None else float(v) for v in column_values], dtype="float64"
                )
            elif kind == "decimal":
                data[name] = arrow(_arrow_decimals(pa, column_values))
            elif kind == "date":
                data[name] = arrow(pa.array(column_values, type=pa.date32()))
            elif kind == "time":
                data[name] = arrow(pa.array(column_values, type=pa.time64("us")))
            elif kind == "datetime":
                data[name] = pd.array(list(column_values), dtype="datetime64[us]")
            else:
                data[name] = pd.array(list(column_values), dtype=object)
        except Exception as exc:  # overflow, precision: name the field
            raise _unfit(cls, column, column_values, exc) from exc
    frame: pandas.DataFrame = pd.DataFrame(data, index=pd.RangeIndex(len(values[0]) if values else 0))
    return frame


def _unfit(cls: type[Any], column: Column, values: Sequence[Any], exc: Exception) -> KisDecodeError:
    return KisDecodeError(
        f"{cls.__name__}.{column.name}: a {column.kind} column cannot hold these values "
        f"({type(exc).__name__}: {exc}); the widest is {max(values, key=lambda v: len(str(v)), default=None)!r}",
        field=column.name,
    )
