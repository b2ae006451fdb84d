"""One seeded price path per symbol: daily bars, minute bars and the quote at any instant agree.

A symbol's daily close is ``exp(level + walk(day))`` on the KRX tick grid, where ``walk`` is a sum
of value noise at scales of 1, 4, 16 … 1024 days (each scale's amplitude grows with the square
root of its length, as a random walk's does). Every term is a hash of (seed, symbol, scale, index),
so any day is evaluated on its own, in constant time, without generating the days before it: a
chart of 2016 costs what a chart of last week costs, and the same seed always tells the same story.

- **Days.** Only trading days of the symbol's market (:mod:`kis_async._calendar`) have bars. A
  day's previous close is the close of the previous trading day, so differences, signs and rates
  of consecutive bars add up, and every close stays inside the ±30 % band of the previous one.
  Open, high, low and volume are drawn around the close; the high and the low are reached in the
  day's minutes.
- **Minutes.** The day's session minutes (:func:`kis_async._calendar.sessions`: KRX's regular
  session minute by minute plus the closing auction as one bar labelled 15:30) carry a bridge
  from the open to the close that touches the day's high and low once each; each minute bar's
  open is the previous bar's close. Volume is spread over the minutes (more at the open and the
  close) and adds up to the day's.
- **Instants.** :meth:`PriceModel.quote_at` is the latest bar at an instant: during a session the
  price is interpolated inside the running minute (so real-time ticks move between minute bars),
  the day's high/low/volume are those so far; before the first session of a trading day the
  latest bar is the previous trading day's, complete.
- **Listing.** Each symbol has a listing date (older codes were listed earlier, as on KRX); no bar
  exists before it, so paging a chart back ends there with no rows.

Indices, futures and overseas symbols use the same path under their own key and market calendar.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import math
from collections.abc import Callable, Iterator, Sequence

import attrs

from kis_async._calendar import KST, is_trading_day, previous_trading_day, sessions
from kis_async.sandbox import _contracts
from kis_async.sandbox._abroad_ticks import tick_cents

__all__ = ["Bar", "PriceModel", "prices"]

_MASK = (1 << 64) - 1
#: Scales (days) of the walk's terms and the daily volatility they add up to.
_SCALES = (1, 4, 16, 64, 256, 1024)
_DAILY_VOL = 0.016
#: Minute scales of the intraday bridge.
_MINUTE_SCALES = ((1, 0.35), (5, 0.35), (30, 0.6))
#: How far back :meth:`PriceModel.latest_day` looks for a trading day (no exchange closes longer).
_LOOKBACK_DAYS = 40
_MINUTE = dt.timedelta(minutes=1)
#: Sessions whose minutes are bars: the regular ones (pre- and after-market trading, KRX's off-hours
#: closing-price sessions and US extended hours are not modelled).
_BAR_SESSIONS = frozenset({"regular"})


def tick(price: float) -> int:
    """KRX tick size (호가단위) for a price (KOSPI and KOSDAQ stocks since 2023)."""
    for limit, size in ((2000, 1), (5000, 5), (20000, 10), (50000, 50), (200000, 100), (500000, 500)):
        if price < limit:
            return size
    return 1000


def round_tick(price: float) -> int:
    size = tick(price)
    return max(size, round(price / size) * size)


def limits(prev_close: int) -> tuple[int, int]:
    """상한가 and 하한가: ±30 % of the previous close, the upper rounded down and the lower up to the
    tick grid (KRX 가격제한폭)."""
    top, bottom = prev_close * 1.3, prev_close * 0.7
    upper = int(top // tick(top) * tick(top))
    lower = int(-(-bottom // tick(bottom)) * tick(bottom))
    return upper, max(lower, 1)


@attrs.frozen
class Bar:
    """One bar of the path: a day (``time`` is ``None``), a week, a month or a minute."""

    day: dt.date
    """The bar's date (for weeks, months and years: its first trading day in the range)."""
    time: dt.time | None
    """The minute bar's time in KST (``None`` for daily and longer bars)."""
    open: int
    high: int
    low: int
    close: int
    prev_close: int
    """The close before this bar (the previous trading day's, week's …; for minutes, the
    previous trading day's close, the 전일 종가 every minute row compares with)."""
    volume: int
    """Shares traded in the bar (for a day so far: the day's cumulative volume)."""
    value: int
    """Won traded in the bar (거래대금)."""
    cum_volume: int = 0
    """Minute bars: the day's volume up to the end of this bar (누적 거래량)."""
    cum_value: int = 0
    """Minute bars: the day's traded value up to the end of this bar (누적 거래대금)."""
    at: dt.datetime | None = None
    """Minute bars: the bar's start (KST), for local times of overseas exchanges."""


@attrs.frozen
class _Intraday:
    """One trading day's minutes: bar starts (KST), lengths, boundary prices, cumulative volume."""

    starts: tuple[dt.datetime, ...]
    ends: tuple[dt.datetime, ...]
    stamps: tuple[float, ...]
    """``starts`` as POSIX timestamps (fast to search)."""
    labels: tuple[dt.time, ...]
    prices: tuple[int, ...]
    """``len(starts) + 1`` boundary prices: ``prices[i]`` opens bar ``i``, ``prices[i+1]`` closes it."""
    highs: tuple[int, ...]
    """Running high up to and including boundary ``i``."""
    lows: tuple[int, ...]
    cum_volume: tuple[int, ...]
    """Volume traded up to boundary ``i`` (``cum_volume[-1]`` is the day's)."""
    cum_value: tuple[int, ...]
    """Won traded up to boundary ``i``: each bar's volume at the mean of its boundary prices."""
    grid: Callable[[float], int] = round_tick
    """The symbol's price grid (a price inside a running minute lands on it)."""


def _mix(z: int) -> int:
    """SplitMix64's finaliser: a well-spread 64-bit hash of ``z``."""
    z = (z + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


class _Path:
    """One symbol's path (its hash, level, volume and listing)."""

    def __init__(self, seed: int, key: str) -> None:
        digest = hashlib.blake2b(f"kis-async sandbox|{seed}|{key}".encode(), digest_size=8).digest()
        self.hash = int.from_bytes(digest, "big")
        self.level = math.log(1200) + self.unit("level", 0, positive=True) * math.log(700_000 / 1200)
        self.base_volume = math.exp(math.log(8_000) + self.unit("volume", 0, positive=True) * math.log(5000))
        cap = math.exp(math.log(3e10) + self.unit("cap", 0, positive=True) * math.log(4e14 / 3e10))
        self.listed_shares = int(cap / math.exp(self.level))
        self.listing = _listing(key, self.unit("listing", 0, positive=True))
        self.cents = ":" in key
        """An overseas symbol (``NAS:AAPL``): prices in hundredths of the currency on the
        exchange's own tick table (:mod:`._abroad_ticks`), not KRX's."""
        self.exchange = key.partition(":")[0] if self.cents else ""
        if self.exchange in _DONG:  # 1,200-700,000 dong, where Vietnamese shares trade, not 12-7,000
            self.level += math.log(100)
        self.contract = _contracts.contract(key)
        """A listed index future or option (hundredths of a point on its own grid and band)."""
        self.swing = 1.0
        """How far the walk moves (a futures index moves half as much as a stock, so its ±8 % band
        is rarely reached)."""
        if self.contract is not None:
            self.level = _contracts.level(self.contract, self.unit("level", 0, positive=True))
            self.swing = 1.0 if self.contract.option else 0.5

    def grid(self, price: float) -> int:
        """``price`` on the symbol's price grid: KRX's tick sizes, the exchange's tick table
        overseas, or a derivative's own tick grid."""
        if self.contract is not None:
            return _contracts.on_grid(self.contract, price)
        if self.cents:
            step = tick_cents(self.exchange, price)
            return max(step, round(price / step) * step)
        return round_tick(price)

    def limits(self, prev_close: int) -> tuple[int, int]:
        """The day's price band around ``prev_close``: KRX's ±30 %, or a derivative's own."""
        if self.contract is not None:
            return _contracts.limits(self.contract, prev_close)
        return abroad_limits(self.exchange, prev_close) if self.cents else limits(prev_close)

    def unit(self, salt: str, index: int, *, positive: bool = False) -> float:
        """A number in [-1, 1) (or [0, 1) with ``positive``) fixed by the path, ``salt`` and ``index``."""
        salt_hash = _SALTS.get(salt)
        if salt_hash is None:
            salt_hash = _SALTS[salt] = int.from_bytes(hashlib.blake2b(salt.encode(), digest_size=8).digest())
        value = _mix(self.hash ^ _mix((salt_hash + index) & _MASK)) / 2.0**64
        return value if positive else 2 * value - 1

    def walk(self, x: int) -> float:
        total = 0.0
        for scale in _SCALES:
            index, rest = divmod(x, scale)
            a = self.unit(_SCALE_SALTS[scale], index)
            if rest:
                b = self.unit(_SCALE_SALTS[scale], index + 1)
                f = rest / scale
                f = f * f * (3 - 2 * f)
                a += (b - a) * f
            total += a * _DAILY_VOL * math.sqrt(scale) * 1.2
        return total


_SALTS: dict[str, int] = {}
_SCALE_SALTS = {scale: f"walk{scale}" for scale in _SCALES}
_MINUTE_SALTS = {scale: f"minute{scale}" for scale, _ in _MINUTE_SCALES}


def _listing(key: str, u: float) -> dt.date:
    """A listing date: KRX codes grew over time, so a higher 6-digit code was listed later."""
    if len(key) == 6 and key.isdigit():
        number = int(key)
        first, last = (
            (1975, 1999)
            if number < 100_000
            else (2000, 2015)
            if number < 300_000
            else (2016, 2021)
            if number < 400_000
            else (2021, 2024)
        )
    elif len(key) == 4 and key.isdigit():  # an index (업종): long history
        first, last = 1980, 1980
    else:
        first, last = 1995, 2015
    start = dt.date(first, 1, 1).toordinal()
    span = dt.date(last, 12, 31).toordinal() - start
    day = dt.date.fromordinal(start + int(u * span))
    while day.weekday() >= 5 or (day.year >= 2000 and not is_trading_day(day, "KRX")):
        day += dt.timedelta(days=1)  # listed on a trading day (the calendar library starts in 2000)
    return day


class PriceModel:
    """Every symbol's path for one seed; days and minutes are cached as they are asked for."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._paths: dict[str, _Path] = {}

    def _path(self, key: str) -> _Path:
        path = self._paths.get(key)
        if path is None:
            path = self._paths[key] = _Path(self.seed, key)
        return path

    def listing(self, key: str) -> dt.date:
        """The day ``key`` was listed: its first bar."""
        return self._path(key).listing

    def listed_shares(self, key: str) -> int:
        return self._path(key).listed_shares

    # -- days -----------------------------------------------------------------------------------

    def close(self, key: str, day: dt.date) -> int:
        """The close of ``day`` (any day: the path exists between trading days too)."""
        return _close(self, key, day.toordinal())

    def day(self, key: str, day: dt.date, market: str = "KRX") -> Bar:
        """The complete daily bar of trading day ``day``."""
        return _day(self, key, day, market)

    def latest_day(self, key: str, at: dt.datetime, market: str = "KRX") -> dt.date | None:
        """The latest trading day whose first bar started at or before ``at`` (None before listing)."""
        day = _latest_day(market, at)
        return day if day is not None and day >= self.listing(key) else None

    def session_start(self, day: dt.date, market: str = "KRX") -> dt.datetime | None:
        """The start of ``day``'s first bar (KST); ``None`` on a closed day."""
        bounds = _bounds(day, market)
        return bounds[0] if bounds is not None else None

    def session_end(self, day: dt.date, market: str = "KRX") -> dt.datetime | None:
        """The end of ``day``'s last bar (KST); ``None`` on a closed day."""
        bounds = _bounds(day, market)
        return bounds[1] if bounds is not None else None

    def in_session(self, key: str, at: dt.datetime, market: str = "KRX") -> bool:
        """Whether ``key`` trades at ``at``: inside its latest trading day's bars, listed."""
        day = self.latest_day(key, at, market)
        bounds = _bounds(day, market) if day is not None else None
        return bounds is not None and at < bounds[1]

    def trading_days(self, key: str, start: dt.date, end: dt.date, market: str = "KRX") -> Iterator[dt.date]:
        """Trading days of ``key`` from ``end`` back to ``start`` (both included, not before the
        listing), newest first, as they are consumed (a chart stops at its row limit)."""
        start = max(start, self.listing(key))
        day = end
        while day >= start:
            if is_trading_day(day, market):
                yield day
            day -= dt.timedelta(days=1)

    def bar_as_of(self, key: str, day: dt.date, at: dt.datetime, market: str = "KRX") -> Bar | None:
        """``day``'s bar as it stands at ``at``: complete after its last minute, the part so far
        during the session, ``None`` before it starts (or on a closed day)."""
        bounds = _bounds(day, market)
        if bounds is None or day < self.listing(key) or at < bounds[0]:
            return None
        full = self.day(key, day, market)
        if at >= bounds[1]:
            return full
        price, high, low, volume = _running(self.intraday(key, day, market), at)
        return Bar(day, None, full.open, high, low, price, full.prev_close, volume, volume * price)

    def bars(
        self,
        key: str,
        start: dt.date,
        end: dt.date,
        at: dt.datetime,
        market: str = "KRX",
        period: str = "D",
        limit: int | None = None,
    ) -> list[Bar]:
        """Bars of ``period`` (``D``, ``W``, ``M``, ``Y``) covering trading days from ``start`` to
        ``end`` as of ``at``, newest first, at most ``limit``. A week's (month's, year's) bar
        starts at its first trading day inside the range and compares with the close before it."""
        at = at.astimezone(KST)
        end = min(end, at.date() + dt.timedelta(days=1))
        bars: list[Bar] = []
        group: list[Bar] = []
        group_key: tuple[int, int] | None = None
        for day in self.trading_days(key, start, end, market):
            bar = self.bar_as_of(key, day, at, market)
            if bar is None:
                continue
            if period == "D":
                bars.append(bar)
                if limit is not None and len(bars) >= limit:
                    return bars
                continue
            this = _period_key(day, period)
            if group and this != group_key:
                bars.append(_merge(group))
                if limit is not None and len(bars) >= limit:
                    return bars
                group = []
            group_key = this
            group.append(bar)
        if group:
            bars.append(_merge(group))
        return bars[:limit] if limit is not None else bars

    # -- minutes --------------------------------------------------------------------------------

    def intraday(self, key: str, day: dt.date, market: str = "KRX") -> _Intraday:
        return _intraday(self, key, day, market)

    def minute_bars(
        self,
        key: str,
        day: dt.date,
        until: dt.datetime,
        at: dt.datetime,
        market: str = "KRX",
        limit: int | None = None,
    ) -> list[Bar]:
        """Minute bars of ``day`` that started at or before ``until`` and before ``at`` (the clock),
        newest first, at most ``limit``; the running minute shows its price so far."""
        if not is_trading_day(day, market) or day < self.listing(key):
            return []
        intraday = self.intraday(key, day, market)
        full = self.day(key, day, market)
        last = min(until, at)
        count = bisect.bisect_right(intraday.starts, last)
        bars: list[Bar] = []
        for i in range(count - 1, -1, -1):
            opened = intraday.prices[i]
            closed = intraday.prices[i + 1]
            cum_before, cum_after = intraday.cum_volume[i], intraday.cum_volume[i + 1]
            if at < intraday.ends[i]:  # the running minute, as it stands
                closed, _, _, cum_after = _running(intraday, at)
            volume = cum_after - cum_before
            bars.append(
                Bar(
                    day=day,
                    time=intraday.labels[i],
                    open=opened,
                    high=max(opened, closed),
                    low=min(opened, closed),
                    close=closed,
                    prev_close=full.prev_close,
                    volume=volume,
                    value=volume * closed,
                    cum_volume=cum_after,
                    cum_value=intraday.cum_value[i] + volume * (opened + closed) // 2,
                    at=intraday.starts[i],
                )
            )
            if limit is not None and len(bars) >= limit:
                break
        return bars

    # -- the quote ------------------------------------------------------------------------------

    def latest(self, key: str, at: dt.datetime, market: str = "KRX") -> Bar | None:
        """The latest daily bar at ``at`` (the running day's so far): what a quote shows."""
        day = self.latest_day(key, at, market)
        return self.bar_as_of(key, day, at, market) if day is not None else None

    def price_at(self, key: str, at: dt.datetime, market: str = "KRX") -> int:
        """The price at ``at``: the latest bar's close (the listing day's open before listing)."""
        bar = self.latest(key, at, market)
        if bar is None:
            return self.close(key, self.listing(key))
        return bar.close


def _period_key(day: dt.date, period: str) -> tuple[int, int]:
    if period == "W":
        iso = day.isocalendar()
        return iso[0], iso[1]
    if period == "M":
        return day.year, day.month
    return day.year, 0


def _merge(newest_first: Sequence[Bar]) -> Bar:
    first, last = newest_first[-1], newest_first[0]
    return Bar(
        day=first.day,
        time=None,
        open=first.open,
        high=max(b.high for b in newest_first),
        low=min(b.low for b in newest_first),
        close=last.close,
        prev_close=first.prev_close,
        volume=sum(b.volume for b in newest_first),
        value=sum(b.value for b in newest_first),
    )


#: Vietnamese exchanges (quotation codes): their paths sit a hundred times higher.
_DONG = frozenset({"HSX", "HNX"})


def abroad_limits(exchange: str, prev_close: int) -> tuple[int, int]:
    """An overseas symbol's ±30 % band (in hundredths) with its ends on the exchange's tick
    table: the upper rounded down, the lower up."""
    upper, lower = limits(prev_close)
    up, low = tick_cents(exchange, upper), tick_cents(exchange, lower)
    return upper // up * up, max(low, -(-lower // low) * low)


@functools.lru_cache(maxsize=65536)
def _close(model: PriceModel, key: str, x: int) -> int:
    path = model._path(key)
    return path.grid(math.exp(path.level + path.walk(x) * path.swing))


@functools.lru_cache(maxsize=16384)
def _day(model: PriceModel, key: str, day: dt.date, market: str) -> Bar:
    path = model._path(key)
    x = day.toordinal()
    close = _close(model, key, x)
    previous = previous_trading_day(day, market)
    prev_close = _close(model, key, previous.toordinal())
    upper, lower = path.limits(prev_close)
    # no clamp on the close: the walk moves far less than the ±30 % band between trading days
    opened = min(upper, max(lower, path.grid(prev_close * (1 + 0.012 * path.unit("open", x)))))
    # the high and the low hold the close (a futures close may, rarely, cross its narrower band)
    high = max(
        close,
        min(
            upper,
            max(
                opened, close, path.grid(max(opened, close) * (1 + 0.02 * path.unit("hi", x, positive=True)))
            ),
        ),
    )
    low = min(
        close,
        max(
            lower,
            min(
                opened, close, path.grid(min(opened, close) * (1 - 0.02 * path.unit("lo", x, positive=True)))
            ),
        ),
    )
    volume = int(path.base_volume * math.exp(0.6 * path.unit("vol", x)))
    return Bar(
        day=day,
        time=None,
        open=opened,
        high=high,
        low=low,
        close=close,
        prev_close=prev_close,
        volume=volume,
        value=volume * (opened + high + low + close) // 4,
    )


def _minutes(day: dt.date, market: str) -> tuple[list[dt.datetime], list[dt.datetime], list[dt.time]]:
    """Bar starts, ends and labels of ``day``'s sessions: a bar per minute of the continuous
    sessions, one bar for a closing auction (labelled at its end, when its price is set)."""
    starts: list[dt.datetime] = []
    ends: list[dt.datetime] = []
    labels: list[dt.time] = []
    for session in sessions(day, market):
        if session.kind == "closing_auction":
            starts.append(session.start)
            ends.append(session.end)
            labels.append(session.end.astimezone(KST).time().replace(tzinfo=None))
            continue
        if session.kind not in _BAR_SESSIONS:
            continue
        minute = session.start.replace(second=0, microsecond=0)
        while minute < session.end:
            starts.append(max(minute, session.start))
            ends.append(min(minute + _MINUTE, session.end))
            labels.append(minute.astimezone(KST).time().replace(tzinfo=None))
            minute += _MINUTE
    return starts, ends, labels


@functools.lru_cache(maxsize=2048)
def _intraday(model: PriceModel, key: str, day: dt.date, market: str) -> _Intraday:
    path = model._path(key)
    starts, ends, labels = _minutes(day, market)
    count = len(starts)
    if count == 0:
        return _Intraday((), (), (), (), (), (), (), (), ())
    bar = _day(model, key, day, market)
    x = day.toordinal() * 2048
    prices = [bar.open]
    swing = (bar.high - bar.low) / 2
    # value noise per scale: one draw per grid point, interpolated between them
    grids = [
        (scale, weight, [path.unit(_MINUTE_SALTS[scale], x + k) for k in range(count // scale + 2)])
        for scale, weight in _MINUTE_SCALES
    ]
    slope = bar.close - bar.open
    for i in range(1, count):
        f = i / count
        noise = 0.0
        for scale, weight, grid in grids:
            index, rest = divmod(i, scale)
            a = grid[index]
            if rest:
                a += (grid[index + 1] - a) * rest / scale
            noise += a * weight
        raw = bar.open + slope * f + swing * math.sin(math.pi * f) * noise
        prices.append(min(bar.high, max(bar.low, path.grid(raw))))
    prices.append(bar.close)
    if count >= 3:  # the day's high and low are traded once each
        first = 1 + int(path.unit("ihi", x, positive=True) * (count - 1))
        second = 1 + int(path.unit("ilo", x, positive=True) * (count - 2))
        second += second >= first
        prices[first], prices[second] = bar.high, bar.low
    highs, lows = [prices[0]], [prices[0]]
    for price in prices[1:]:
        highs.append(max(highs[-1], price))
        lows.append(min(lows[-1], price))
    # volume: U-shaped over the day, with noise; adds up to the day's volume exactly
    weights = [
        (1.0 + 3.0 * (2 * i / max(1, count - 1) - 1) ** 4) * (1.2 + path.unit("mv", x + i))
        for i in range(count)
    ]
    total = sum(weights)
    cum = [0]
    running = 0.0
    for w in weights:
        running += w
        cum.append(int(bar.volume * running / total))
    cum[-1] = bar.volume
    values = [0]
    for i in range(count):
        values.append(values[-1] + (cum[i + 1] - cum[i]) * (prices[i] + prices[i + 1]) // 2)
    return _Intraday(
        tuple(starts),
        tuple(ends),
        tuple(start.timestamp() for start in starts),
        tuple(labels),
        tuple(prices),
        tuple(highs),
        tuple(lows),
        tuple(cum),
        tuple(values),
        path.grid,
    )


def _latest_day(market: str, at: dt.datetime) -> dt.date | None:
    """The latest trading day of ``market`` whose first bar started at or before ``at``."""
    at = at.astimezone(KST)
    day = at.date() + dt.timedelta(days=1)  # a US session of a local date may start the KST day before
    for _ in range(_LOOKBACK_DAYS):
        bounds = _bounds(day, market)
        if bounds is not None and bounds[0] <= at:
            return day
        day -= dt.timedelta(days=1)
    return None


@functools.lru_cache(maxsize=4096)
def _bounds(day: dt.date, market: str) -> tuple[dt.datetime, dt.datetime] | None:
    """(first bar's start, last bar's end) of ``day`` in KST; ``None`` on a closed day."""
    chosen = [s for s in sessions(day, market) if s.kind in _BAR_SESSIONS or s.kind == "closing_auction"]
    if not chosen:
        return None
    return min(s.start for s in chosen), max(s.end for s in chosen)


def _running(intraday: _Intraday, at: dt.datetime) -> tuple[int, int, int, int]:
    """(price, high so far, low so far, volume so far) at ``at`` inside the day's bars; the same
    for every instant of one second (a quote and a tick read in the same second agree)."""
    stamp = float(int(at.timestamp()))
    i = max(0, bisect.bisect_right(intraday.stamps, stamp) - 1)
    start, end = intraday.stamps[i], intraday.ends[i].timestamp()
    f = min(1.0, max(0.0, (stamp - start) / (end - start))) if end > start else 1.0
    a, b = intraday.prices[i], intraday.prices[i + 1]
    price = intraday.grid(a + (b - a) * f) if a != b else a
    price = min(max(price, min(a, b)), max(a, b))
    volume = intraday.cum_volume[i] + int((intraday.cum_volume[i + 1] - intraday.cum_volume[i]) * f)
    return price, max(intraday.highs[i], price), min(intraday.lows[i], price), volume


@functools.lru_cache(maxsize=64)
def prices(seed: int) -> PriceModel:
    """The price model of a seed (one per sandbox seed, shared by REST and real-time answers)."""
    return PriceModel(seed)
