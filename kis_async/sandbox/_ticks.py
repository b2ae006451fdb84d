"""Real-time ticks that continue the REST sandbox's price path at the sandbox clock's instant.

Each subscription key (a symbol, an index code …) has a :class:`Trading` that reads the symbol's
seeded path (:mod:`kis_async.sandbox._prices`, the one behind every REST quote and chart):

- while the key's market is in session at the sandbox clock, a record is the path at the clock's
  instant: its price is the price ``inquire_price`` answers at that moment and the latest minute
  bar's close; open, high, low and cumulative volume are the day's so far;
- outside every session (nights, weekends, holidays, when live KIS sends nothing) the feed stays
  alive so a bot can be exercised at any hour: every record carries the latest session's close
  (what ``inquire_price`` answers then), one more share traded, and a time one second after the
  previous record's, counting from the session's end. Set the sandbox clock inside a session
  (``Sandbox(now=...)``) for prices that move.

A feed's fields are filled by what their KIS names mean (``prpr`` 현재가, ``prdy_vrss`` 전일 대비,
``acml_vol`` 누적 거래량 …, and the overseas ``LAST``/``DIFF``/``RATE``/``TVOL``), so

- prices sit on the tick grid; ``prdy_vrss`` = price − previous close, with the matching
  ``prdy_vrss_sign`` and ``prdy_ctrt``; open ≤ high, low ≤ price ≤ high;
- cumulative volume and traded value only grow (each trade at least one share), and times never
  go back;
- fields with decimals (futures, indices, overseas) carry the same numbers in hundredths.

The plan for a feed (which value each field takes) is worked out once per feed, not per record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kis_async._calendar import KST, now_kst
from kis_async._feed import Feed
from kis_async.sandbox import _overseas_futures
from kis_async.sandbox._market import Quote, market_of, path_key, quote_of, seeded, tick
from kis_async.sandbox._prices import PriceModel, prices

#: Outside the sessions, each record's time is this much after the previous one.
CLOSED_STEP = dt.timedelta(seconds=1)


class Trading:
    """One key's trading, one record at a time, along its price path."""

    def __init__(
        self, key: str, model: PriceModel, now: Callable[[], dt.datetime], rng_seed: tuple[Any, ...]
    ) -> None:
        self.key = key
        self.path = path_key(key)
        self.market = market_of(key)
        self.model = model
        self.now = now
        self.rng = seeded(*rng_seed)
        self.records = 0
        self.at: dt.datetime | None = None
        """The path instant of the last record (KST)."""
        self._closed_from: dt.datetime | None = None
        self._closed_records = 0
        self.day = Quote(0, 0, 0, 0, 0, 0, 0, 0, 0)
        self.today = ""
        self.price = self.open = self.high = self.low = 0
        self.volume = self.value = self.last_volume = 0
        self._read(self._instant())
        self.at, self._closed_records = None, 0  # the first record starts the feed's times

    def _instant(self) -> dt.datetime:
        """The path instant of the next record: the clock's in session; outside, the latest
        session's end plus a second per record (the price stays the close)."""
        now = self.now().astimezone(KST)
        if self.model.in_session(self.path, now, self.market):
            self._closed_from = None
            at = now
        else:
            if self._closed_from is None:
                day = self.model.latest_day(self.path, now, self.market)
                end = self.model.session_end(day, self.market) if day is not None else None
                self._closed_from = end if end is not None else now
                self._closed_records = 0
            at = self._closed_from + CLOSED_STEP * self._closed_records
            self._closed_records += 1
        if self.at is not None and at < self.at:  # times never go back
            at = self.at
        return at

    def _read(self, at: dt.datetime) -> None:
        self.at = at
        bar = self.model.latest(self.path, at, self.market)
        shares = self.model.listed_shares(self.path)
        if bar is None:  # before the listing: the listing day's first price, nothing traded
            price = self.model.close(self.path, self.model.listing(self.path))
            self.day = Quote(price, price, price, price, price, price, price, 0, shares)
            self.today = at.strftime("%Y%m%d")
            self.price = self.open = self.high = self.low = price
            return
        self.day = quote_of(bar, shares, self.path)
        self.today = bar.day.strftime("%Y%m%d")
        self.price, self.open, self.high, self.low = bar.close, bar.open, bar.high, bar.low

    def step(self, trade: bool = True) -> None:
        """The next record: the path at the next instant; with ``trade``, a trade of at least one
        share (cumulative volume and value only grow). Feeds without trades only read the market."""
        self._read(self._instant())
        self.records += 1
        if not trade:
            return
        if not self.volume:  # the first trade: the day's volume and value so far
            self.volume = max(1, self.day.volume)
            self.last_volume = min(self.volume, 1 + self.rng.randrange(100))
            self.value = self.volume * self.price
            return
        total = max(self.day.volume, self.volume + 1)
        self.last_volume = total - self.volume
        self.volume = total
        self.value += self.last_volume * self.price

    @property
    def clock(self) -> str:
        at = self.at or self.now()
        return at.astimezone(KST).strftime("%H%M%S")

    @property
    def diff(self) -> int:
        return self.price - self.day.prev_close

    @property
    def rate(self) -> str:
        base = self.day.prev_close or 1
        return str((Decimal(self.diff) * 100 / Decimal(base)).quantize(Decimal("0.01")))

    @property
    def sign(self) -> str:
        """전일 대비 부호: 1 상한, 2 상승, 3 보합, 4 하한, 5 하락."""
        if self.diff == 0:
            return "3"
        if self.diff > 0:
            return "1" if self.price >= self.day.upper_limit else "2"
        return "4" if self.price <= self.day.lower_limit else "5"

    def vwap(self) -> int:
        size = tick(self.price)
        return max(size, round(self.value / max(1, self.volume) / size) * size)


Value = Callable[[Trading], str]

#: A feed with one of these (the volume of the last trade) reports trades; others (order books,
#: market status) only read the market.
TRADE_VOLUME_FIELDS = frozenset({"cntg_vol", "evol", "last_cnqn", "last_qntt", "pcas_vol"})


def _compare(a: int, b: int) -> str:
    return "2" if a > b else "5" if a < b else "3"


def _number(read: Callable[[Trading], int], decimal: bool) -> Value:
    """An amount in won (int fields) or in hundredths (decimal fields)."""
    if decimal:
        return lambda t: str(Decimal(read(t)).scaleb(-2))
    return lambda t: str(read(t))


_LEVEL = re.compile(r"(askp|bidp|pask|pbid)(\d*)$")

# Meaning of a field by its (lower-case) KIS name: exact names first, then name endings.
_EXACT: dict[str, Callable[[Trading], int]] = {
    "last": lambda t: t.price,
    "open": lambda t: t.open,
    "high": lambda t: t.high,
    "low": lambda t: t.low,
    "diff": lambda t: t.diff,
    "base": lambda t: t.day.prev_close,
    "evol": lambda t: t.last_volume,
    "tvol": lambda t: t.volume,
    "vol": lambda t: t.volume,
    "tamt": lambda t: t.value,
    "cntg_vol": lambda t: t.last_volume,
    "last_cnqn": lambda t: t.last_volume,
    "last_qntt": lambda t: t.last_volume,
    "pcas_vol": lambda t: t.last_volume,
    "acml_vol": lambda t: t.volume,
    "acml_tr_pbmn": lambda t: t.value,
}
_ENDINGS: tuple[tuple[str, Callable[[Trading], int]], ...] = (
    ("oprc_vrss_prpr", lambda t: t.price - t.open),
    ("oprc_vrss_nmix_prpr", lambda t: t.price - t.open),
    ("hgpr_vrss_prpr", lambda t: t.price - t.high),
    ("hgpr_vrss_nmix_prpr", lambda t: t.price - t.high),
    ("lwpr_vrss_prpr", lambda t: t.price - t.low),
    ("lwpr_vrss_nmix_prpr", lambda t: t.price - t.low),
    ("prdy_vrss", lambda t: t.diff),
    ("prev_diff_price", lambda t: t.diff),
    ("antc_cntg_vrss", lambda t: t.diff),
    ("prpr", lambda t: t.price),
    ("prpr_nmix", lambda t: t.price),
    ("antc_cnpr", lambda t: t.price),
    ("last_price", lambda t: t.price),
    ("oprc", lambda t: t.open),
    ("oprc_nmix", lambda t: t.open),
    ("open_price", lambda t: t.open),
    ("hgpr", lambda t: t.high),
    ("high_price", lambda t: t.high),
    ("lwpr", lambda t: t.low),
    ("low_price", lambda t: t.low),
    ("sdpr", lambda t: t.day.prev_close),
    ("prdy_clpr", lambda t: t.day.prev_close),
    ("prev_price", lambda t: t.day.prev_close),
    ("mxpr", lambda t: t.day.upper_limit),
    ("llam", lambda t: t.day.lower_limit),
)
_SIGN_AGAINST: tuple[tuple[str, Callable[[Trading], str]], ...] = (
    ("oprc_vrss", lambda t: _compare(t.price, t.open)),
    ("hgpr_vrss", lambda t: _compare(t.price, t.high)),
    ("lwpr_vrss", lambda t: _compare(t.price, t.low)),
)


def _known_code(parse: Callable[[str], Any]) -> str:
    """A code the field's enum knows (its parser turns unknown ones into ``UNKNOWN_`` members)."""
    for code in ("0", "1", "01", "00", "A", "Y", "N"):
        try:
            member = parse(code)
        except (ValueError, TypeError):
            continue
        if member is not None and not str(getattr(member, "name", "")).startswith("UNKNOWN_"):
            return code
    return "1"


def _field_value(name: str, kind: str, parse: Callable[[str], Any]) -> Value:
    """How the field ``name`` (lower case) of ``kind`` reads off a trading day."""
    decimal = kind == "decimal"
    if name == "zdiv":  # 소수점자리수 of the overseas prices: the hundredths below
        return lambda t: "2"
    if name == "symb":  # 종목코드 inside the overseas key (DNASAAPL → AAPL)
        return lambda t: t.key[4:] or t.key
    if kind == "time":
        return lambda t: t.clock
    if kind == "date":
        return lambda t: t.today
    if kind == "datetime":
        return lambda t: t.today + t.clock
    if kind == "enum":
        if name.endswith("sign"):
            for prefix, against in _SIGN_AGAINST:
                if name.startswith(prefix):
                    return against
            return lambda t: t.sign
        code = _known_code(parse)
        return lambda t: code
    if name == "wghn_avrg_stck_prc":  # 가중 평균 주식 가격: won, with decimals on the wire
        return (lambda t: f"{t.value / max(1, t.volume):.2f}") if decimal else (lambda t: str(t.vwap()))
    if kind in ("int", "decimal"):
        if name in ("rate", "prev_diff_rate") or name.endswith(("prdy_ctrt", "antc_cntg_prdy_ctrt")):
            return lambda t: t.rate
        if name in _EXACT:
            return _number(_EXACT[name], decimal)
        for ending, read in _ENDINGS:
            if name.endswith(ending):
                return _number(read, decimal)
        level = _LEVEL.search(name)
        if level is not None:
            depth = int(level.group(2) or 1)
            if level.group(1) in ("askp", "pask"):
                return _number(lambda t: t.price + depth * tick(t.price), decimal)
            return _number(lambda t: max(tick(t.price), t.price - (depth - 1) * tick(t.price)), decimal)
        if "rsqn" in name:
            return lambda t: str(t.rng.randint(1, 5000))
        if decimal:
            return lambda t: f"{t.rng.uniform(0, 200):.2f}"
        return lambda t: str(t.rng.randint(1, 100_000))
    if name.endswith("_yn"):
        return lambda t: "N"
    return lambda t: "X"


class TickMaker:
    """Records for any feed and key, consistent per key across feeds and frames, read off the
    price path at ``now()`` (the sandbox clock)."""

    def __init__(self, seed: int, now: Callable[[], dt.datetime] = now_kst) -> None:
        self.seed = seed
        self.now = now
        self.model = prices(seed)
        self._days: dict[str, Trading] = {}
        self._plans: dict[str, list[Value]] = {}
        self._trades: dict[str, bool] = {}

    def trading(self, key: str) -> Trading:
        """``key``'s trading (started at the clock's instant on first use)."""
        day = self._days.get(key)
        if day is None:
            day = self._days[key] = Trading(key, self.model, self.now, (self.seed, "ticks", key))
        return day

    def last_price(self, key: str) -> int | None:
        """``key``'s price after its last record (``None`` before any was sent)."""
        day = self._days.get(key)
        return day.price if day is not None and day.records else None

    def record(self, feed: Feed[Any], key: str) -> list[str]:
        """The next record of ``feed`` for ``key`` (first field = the key)."""
        plan = self._plans.get(feed.name)
        if plan is None:
            tick_class = feed.tick
            plan = self._plans[feed.name] = [
                _field_value(name, wire.kind, wire.parse)
                for name in feed.fields
                for wire in (getattr(tick_class, name),)
            ]
            self._trades[feed.name] = bool(TRADE_VOLUME_FIELDS & set(feed.fields))
        day = self.trading(key)
        day.step(trade=self._trades[feed.name])
        record = [key, *(value(day) for value in plan[1:])]
        raw_prices = feed.tick.__raw_prices__
        if raw_prices and _overseas_futures.product(key) is not None:
            # overseas futures/options: KIS sends prices without their point (sCalcDesz)
            for index, name in enumerate(feed.fields):
                if name in raw_prices:
                    record[index] = _overseas_futures.tick_value(
                        key, name, record[index], day.price, day.day.prev_close
                    )
        return record
