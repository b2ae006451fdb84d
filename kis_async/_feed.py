"""Real-time feed descriptors and the tick base class the generated feed modules build on.

A KIS data frame is ``E|TR_ID|NNN|v1^v2^…``: each record is a run of ``^``-separated strings in
the page's field order. A tick keeps its record's strings (``tick.raw``) and parses a field when
it is read, with the same parsers as REST rows (``""`` → ``None``, unknown codes →
``UNKNOWN_<code>`` enum pseudo-members). So the socket reader only splits strings, whatever
the feed rate, and a bot pays for the fields it reads.
"""

from __future__ import annotations

import decimal
import importlib
import logging
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar, overload

import attrs

from kis_async._convert import KisEnum, parse_decimal, parse_enum
from kis_async._errors import KisDecodeError, KisUnsupportedError

logger = logging.getLogger("kis_async")

T = TypeVar("T")
E = TypeVar("E", bound=KisEnum)
TickT = TypeVar("TickT", bound="Tick")


def enum_parser(enum: type[E]) -> Callable[[Any], E | None]:
    """The wire → member parser of one enum (unknown codes become pseudo-members)."""

    def parse(value: Any) -> E | None:
        return parse_enum(value, enum)  # type: ignore[return-value]

    parse.__name__ = f"parse_{enum.__name__}"
    parse.enum = enum  # type: ignore[attr-defined]  # the field's enum, for DataFrame categories
    return parse


class Wire(Generic[T]):
    """One field of a tick: its position in the record and its parser (read on access)."""

    __slots__ = ("index", "kind", "korean", "name", "parse")

    def __init__(self, index: int, parse: Callable[[Any], T | None], korean: str = "", kind: str = "str"):
        self.index = index
        self.parse = parse
        self.korean = korean
        self.kind = kind
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> Wire[T]: ...

    @overload
    def __get__(self, obj: Tick, owner: type) -> T | None: ...

    def __get__(self, obj: Tick | None, owner: type) -> Wire[T] | T | None:
        if obj is None:
            return self
        raw = obj.raw
        if self.index >= len(raw):
            return None
        value = raw[self.index]
        try:
            return self.parse(value)
        except (ValueError, TypeError) as exc:
            raise KisDecodeError(
                f"{type(obj).__name__}.{self.name}: cannot read {value!r} as {self.kind}: {exc}",
                body=raw,
                field=self.name,
                value=value,
            ) from None

    def __repr__(self) -> str:
        return f"Wire({self.index}, {self.name!r}, {self.kind})"


#: Exact arithmetic for placing an implied decimal point, whatever the caller's decimal context.
_PLACES_CONTEXT = decimal.Context(prec=60)
_TEN = Decimal(10)
#: (tick class, field, code) already warned about, so a stream of notices logs each once.
_unscaled: set[tuple[str, str, str]] = set()


class Scaled(Wire[Decimal]):
    """A number KIS sends without its decimal point, whose implied decimals depend on a code in
    another field of the same record (spec ``scale:``). 해외주식 실시간체결통보 writes AAPL's
    148.01 as ``001480100``: 4 implied decimals when 해외종목구분 (``ODER_COND``) is a US market,
    1 in Tokyo, 3 in Hong Kong and China, 0 in Vietnam.

    Reading the attribute gives the real number (``Decimal("148.01")``); ``tick.raw[index]``
    keeps the wire text. A value written with a point is read as written. A code the spec gives
    no decimals for is never guessed: the value is ``None`` and a WARNING names the field and
    the code (once per code)."""

    __slots__ = ("by", "by_name", "places")

    def __init__(
        self, index: int, by: int, places: Mapping[str, int], korean: str = "", by_name: str = ""
    ) -> None:
        super().__init__(index, parse_decimal, korean, "decimal")
        self.by = by
        self.by_name = by_name
        self.places = dict(places)

    @overload
    def __get__(self, obj: None, owner: type) -> Scaled: ...

    @overload
    def __get__(self, obj: Tick, owner: type) -> Decimal | None: ...

    def __get__(self, obj: Tick | None, owner: type) -> Scaled | Decimal | None:
        if obj is None:
            return self
        return self.read(obj.raw, type(obj).__name__)

    def read(self, raw: Sequence[str], owner: str) -> Decimal | None:
        """The value of this field in the record ``raw`` (of a ``owner`` tick)."""
        if self.index >= len(raw):
            return None
        value = raw[self.index]
        try:
            number = parse_decimal(value)
        except (ValueError, TypeError) as exc:
            raise KisDecodeError(
                f"{owner}.{self.name}: cannot read {value!r} as decimal: {exc}",
                body=raw,
                field=self.name,
                value=value,
            ) from None
        if number is None or not number or "." in value:
            return number  # nothing, zero in any scale, or a point written out: as sent
        code = raw[self.by].strip() if self.by < len(raw) else ""
        places = self.places.get(code)
        if places is None:
            if (owner, self.name, code) not in _unscaled:
                _unscaled.add((owner, self.name, code))
                logger.warning(
                    "%s.%s: %r has no decimal point and %s is %r, a code with no known decimals "
                    "(known: %s); the value is None, not a guess (the wire text stays in tick.raw[%d])",
                    owner,
                    self.name,
                    value,
                    self.by_name or f"field {self.by}",
                    code,
                    ", ".join(self.places),
                    self.index,
                )
            return None
        return _PLACES_CONTEXT.divide(number, _TEN**places) if places else number

    def __repr__(self) -> str:
        return f"Scaled({self.index}, {self.name!r}, by {self.by_name or self.by})"


def _only_feed(tick: Tick) -> Feed[Any]:
    """``Tick(raw)`` without ``feed=``: the class's feed, when it is the tick of exactly one."""
    feeds = type(tick).feeds
    if len(feeds) != 1:
        names = ", ".join(feed.name for feed in feeds) or "none"
        raise TypeError(
            f"{type(tick).__name__} is the tick of several feeds ({names}): pass feed= to say which"
        )
    return feeds[0]


@attrs.frozen(repr=False)
class Tick:
    """One record of a real-time feed. Attributes are the KIS wire names in lower case
    (``STCK_PRPR`` → ``tick.stck_prpr``), typed like REST rows and read from ``raw`` on access.

    Feeds with the same fields share one tick class (``TradeTick`` for the NXT and
    통합 체결가 and 예상체결 feeds); ``tick.feed`` is the feed this record came from."""

    raw: tuple[str, ...]
    """The record's wire strings, in the feed's field order (fields KIS adds are kept at the end)."""
    feed: Feed[Any] = attrs.field(default=attrs.Factory(_only_feed, takes_self=True))
    """The feed this record came from (``tick.feed.name``: ``domestic_stock.trade_nxt``)."""

    #: Attribute names in wire order (set by the generated class).
    __wire_fields__: ClassVar[tuple[str, ...]] = ()
    #: Prices sent without their decimal point (spec ``unit: sCalcDesz``): the overseas futures and
    #: options feeds; :meth:`kis_async.symbols.SymbolBook.prices` places them.
    __raw_prices__: ClassVar[tuple[str, ...]] = ()
    #: Every feed whose records this class reads (set by the generated module).
    feeds: ClassVar[tuple[Feed[Any], ...]] = ()

    @classmethod
    def fields(cls) -> tuple[str, ...]:
        """The attribute names, in wire order."""
        return cls.__wire_fields__

    @property
    def key(self) -> str:
        """The record's first field: the symbol (or the HTS id on execution notices)."""
        return self.raw[0] if self.raw else ""

    def to_dict(self) -> dict[str, Any]:
        """Every documented field, parsed (raises :class:`KisDecodeError` on a malformed value)."""
        return {name: getattr(self, name) for name in self.__wire_fields__}

    def __repr__(self) -> str:
        shown = []
        for name in self.__wire_fields__:
            try:
                value = getattr(self, name)
            except KisDecodeError:
                value = self.raw[getattr(type(self), name).index]
            if value is not None:
                shown.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"


_new = object.__new__
_set_raw = Tick.__dict__["raw"].__set__
_set_feed = Tick.__dict__["feed"].__set__


def new_tick(cls: type[TickT], raw: tuple[str, ...], feed: Feed[Any]) -> TickT:
    """``cls(raw, feed)`` without the generic attrs ``__init__`` (the reader builds one per record)."""
    tick: TickT = _new(cls)
    _set_raw(tick, raw)
    _set_feed(tick, feed)
    return tick


@attrs.frozen
class Feed(Generic[TickT]):
    """A real-time feed: what ``rt.subscribe(feed, key)`` registers and how its records read.

    Generated per spec, e.g. ``kis_async.realtime.domestic_stock.trade_krx`` (H0STCNT0).
    """

    name: str
    """Dotted public name, ``domestic_stock.trade_krx``."""
    title: str
    """Korean title of the page (국내주식 실시간체결가 (KRX))."""
    tr_real: str | None
    """TR ID on the real (실전) server; ``None`` if unsupported."""
    tr_paper: str | None
    """TR ID on the paper (모의투자) server; ``None`` if unsupported."""
    tr_key: str
    """What the subscription key means: ``symbol`` or ``hts_id`` (HTS user id, for notices)."""
    tr_key_korean: str
    encrypted: bool
    """Records arrive AES-256-CBC encrypted (execution notices); plaintext ones are dropped."""
    tick: type[TickT] = attrs.field(repr=False)
    doc_id: str = ""

    @property
    def fields(self) -> tuple[str, ...]:
        return self.tick.__wire_fields__

    @property
    def field_count(self) -> int:
        return len(self.tick.__wire_fields__)

    def tr_id(self, env: str) -> str:
        """The TR ID for ``env`` (``real``/``paper``); :class:`KisUnsupportedError` if none."""
        tr = self.tr_real if env == "real" else self.tr_paper
        if tr is None:
            raise KisUnsupportedError(f"realtime feed {self.name} ({self.title}) is not available on {env}")
        return tr

    def __repr__(self) -> str:
        return f"Feed({self.name}, real={self.tr_real}, paper={self.tr_paper})"

    def __reduce_ex__(self, protocol: Any) -> Any:
        """A generated feed pickles as its name, so a tick sent to another process (a
        ``multiprocessing`` queue) still has ``tick.feed is domestic_stock.trade_nxt``."""
        if _generated_feed(self.name) is self:
            return _generated_feed, (self.name,)
        return object.__reduce_ex__(self, protocol)


def _generated_feed(name: str) -> Feed[Any] | None:
    """The generated feed called ``name`` (``domestic_stock.trade_nxt``), ``None`` if none is."""
    category, _, attribute = name.partition(".")
    try:
        feed = getattr(importlib.import_module(f"kis_async.realtime.{category}"), attribute, None)
    except ImportError:
        return None
    return feed if isinstance(feed, Feed) else None


def feed_for(tr_id: str) -> Feed[Any]:
    """The generated feed whose real or paper TR ID is ``tr_id`` (``"H0STCNT0"``)."""
    from kis_async.realtime._registry import FEEDS

    for module, attribute, real, paper in FEEDS:
        if tr_id in (real, paper):
            feed: Feed[Any] = getattr(importlib.import_module(f"kis_async.realtime.{module}"), attribute)
            return feed
    raise KeyError(tr_id)


def all_feeds() -> list[Feed[Any]]:
    """Every generated feed, in registry order."""
    from kis_async.realtime._registry import FEEDS

    return [getattr(importlib.import_module(f"kis_async.realtime.{m}"), a) for m, a, _, _ in FEEDS]


def find_feed(name: str) -> Feed[Any]:
    """A feed by TR ID (``H0STCNT0``) or dotted name (``domestic_stock.trade_krx``)."""
    from kis_async.realtime._registry import FEEDS

    text = name.strip()
    for module, attribute, real, paper in FEEDS:
        if text in (f"{module}.{attribute}", real, paper) or text.upper() in (real, paper):
            feed: Feed[Any] = getattr(importlib.import_module(f"kis_async.realtime.{module}"), attribute)
            return feed
    raise KeyError(name)
