"""Market time: KST, exchange trading days and trading sessions.

KIS dates and times are Korea Standard Time (UTC+9, no daylight saving). A bot on a UTC machine
that takes ``date.today()`` before 09:00 KST asks for yesterday; :func:`today_kst` is the date
KIS means. Trading days come from the ``holidays`` package's exchange calendars (KRX, NYSE,
NASDAQ, HKEX, JPX, SSE, SZSE: public holidays, substitute days, election days and KRX's Dec 31
close, none of them hand-kept here); it is an optional extra (``kis-async[calendar]``) imported
on first use. Sessions are the exchanges' published hours, given in KST with each exchange's own
daylight saving (``zoneinfo``).

Markets are named as KIS names them: ``KRX`` and ``NXT`` (넥스트레이드) for domestic stocks, and
the overseas exchange codes of the quotation endpoints (``NAS``, ``NYS``, ``AMS``, ``HKS``,
``TSE``, ``SHS``, ``SZS``, ``HSX``, ``HNX``) or of the order endpoints (``NASD``, ``NYSE``,
``AMEX``, ``SEHK``, ``TKSE``, ``SHAA``, ``SZAA``, ``VNSE``, ``HASE``).

Half days come from the same library (its ``half_day`` category, computed by each exchange's
rule): NYSE and NASDAQ close at 13:00 New York time on the day before Independence Day (when July
4 falls on Tuesday to Friday), the day after Thanksgiving and Christmas Eve (when Christmas falls
on Tuesday to Friday), their after-hours session then running 13:00–17:00; HKEX has no afternoon
session on Christmas Eve, New Year's Eve and Lunar New Year's Eve. :func:`early_close` says when
such a day's regular trading ends.

Not modelled: KRX's late opening on the college entrance exam day (수능) and unscheduled closures
announced late; the first KRX trading day of a year opening at 10:00 is.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from kis_async._errors import KisConfigError, KisValidationError

KST: Final = dt.timezone(dt.timedelta(hours=9), "KST")
"""Korea Standard Time, the zone of every KIS date and time."""

#: The longest stretch without a trading day that a search walks before giving up (a calendar
#: library gap, not a market: no exchange closes for a month).
_MAX_CLOSED_DAYS = 31


def now_kst() -> dt.datetime:
    """The current instant in KST (timezone-aware)."""
    return dt.datetime.now(KST)


def today_kst(at: dt.datetime | None = None) -> dt.date:
    """The KST calendar date of ``at`` (default: now): the date KIS means by "today".

    Use it for every date a request carries (the day's order inquiry, a chart's end date): at
    08:30 KST a UTC machine's ``date.today()`` is still yesterday.
    """
    return _to_kst(at, "at").date() if at is not None else now_kst().date()


@attrs.frozen
class MarketSession:
    """One trading session of one day, with its bounds in KST."""

    market: str
    """The market it belongs to, as asked (``KRX``, ``NXT``, ``NAS`` …)."""
    kind: str
    """``pre_market``, ``opening_auction``, ``regular``, ``closing_auction``, ``after_market``,
    ``pre_close`` (장전 시간외 종가), ``post_close`` (장후 시간외 종가), ``single_price`` (시간외 단일가)."""
    korean: str
    """The session's Korean name as KRX and KIS use it."""
    start: dt.datetime
    """First instant of the session (KST, inclusive)."""
    end: dt.datetime
    """End of the session (KST, exclusive)."""

    def __contains__(self, at: object) -> bool:
        return isinstance(at, dt.datetime) and self.start <= _to_kst(at, "at") < self.end


@attrs.frozen
class _Exchange:
    holidays: tuple[str, str]
    """(``financial``, MIC) or (``country``, ISO code) for the ``holidays`` package."""
    zone: dt.tzinfo
    sessions: tuple[tuple[str, str, dt.time, dt.time], ...]
    """(kind, 한글명, start, end) in the exchange's local time."""
    half_day: tuple[tuple[str, str, dt.time, dt.time], ...] | None = None
    """The sessions of a half day (the library's ``half_day`` category); ``None``: the exchange
    has none."""


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


_NEW_YORK = ZoneInfo("America/New_York")
_US = _Exchange(
    ("financial", "XNYS"),
    _NEW_YORK,
    (
        ("pre_market", "프리마켓", _t("04:00"), _t("09:30")),
        ("regular", "정규장", _t("09:30"), _t("16:00")),
        ("after_market", "애프터마켓", _t("16:00"), _t("20:00")),
    ),
    # early close (NYSE: "Each market will close early at 1:00 p.m."); after-hours until 17:00
    (
        ("pre_market", "프리마켓", _t("04:00"), _t("09:30")),
        ("regular", "정규장", _t("09:30"), _t("13:00")),
        ("after_market", "애프터마켓", _t("13:00"), _t("17:00")),
    ),
)
_LUNCH_BREAK = ("regular", "정규장")

_EXCHANGES: Final[dict[str, _Exchange]] = {
    # KRX 유가증권·코스닥 (KST): market-rules; KRX 매매제도 안내.
    "KRX": _Exchange(
        ("financial", "XKRX"),
        KST,
        (
            ("pre_close", "장전 시간외 종가", _t("08:30"), _t("08:40")),
            ("opening_auction", "장개시 동시호가", _t("08:30"), _t("09:00")),
            ("regular", "정규장", _t("09:00"), _t("15:20")),
            ("closing_auction", "장마감 동시호가", _t("15:20"), _t("15:30")),
            ("post_close", "장후 시간외 종가", _t("15:40"), _t("16:00")),
            ("single_price", "시간외 단일가", _t("16:00"), _t("18:00")),
        ),
    ),
    # 넥스트레이드 (KST): 프리마켓 08:00–08:50, 메인마켓 09:00:30–15:20, 애프터마켓 15:30–20:00.
    "NXT": _Exchange(
        ("financial", "XKRX"),
        KST,
        (
            ("pre_market", "프리마켓", _t("08:00"), _t("08:50")),
            ("regular", "메인마켓", _t("09:00:30"), _t("15:20")),
            ("after_market", "애프터마켓", _t("15:30"), _t("20:00")),
        ),
    ),
    "NYSE": _US,
    "NASDAQ": attrs.evolve(_US, holidays=("financial", "XNAS")),
    "HKEX": _Exchange(
        ("financial", "XHKG"),
        ZoneInfo("Asia/Hong_Kong"),
        (("regular", "오전장", _t("09:30"), _t("12:00")), ("regular", "오후장", _t("13:00"), _t("16:00"))),
        # HKEX half days (Christmas Eve, New Year's Eve, Lunar New Year's Eve): the morning only
        (("regular", "오전장", _t("09:30"), _t("12:00")),),
    ),
    "JPX": _Exchange(
        ("financial", "XJPX"),
        ZoneInfo("Asia/Tokyo"),
        (("regular", "전장", _t("09:00"), _t("11:30")), ("regular", "후장", _t("12:30"), _t("15:30"))),
    ),
    "SSE": _Exchange(
        ("financial", "XSHG"),
        ZoneInfo("Asia/Shanghai"),
        (("regular", "오전장", _t("09:30"), _t("11:30")), ("regular", "오후장", _t("13:00"), _t("15:00"))),
    ),
    "SZSE": _Exchange(
        ("financial", "XSHE"),
        ZoneInfo("Asia/Shanghai"),
        (("regular", "오전장", _t("09:30"), _t("11:30")), ("regular", "오후장", _t("13:00"), _t("15:00"))),
    ),
    # Vietnam: the library has no exchange calendar; the country's public holidays stand in.
    "HOSE": _Exchange(
        ("country", "VN"),
        ZoneInfo("Asia/Ho_Chi_Minh"),
        (("regular", "오전장", _t("09:00"), _t("11:30")), ("regular", "오후장", _t("13:00"), _t("14:45"))),
    ),
}

#: KIS's spellings (quotation codes, order codes) and MICs → the exchange above.
_ALIASES: Final[dict[str, str]] = {
    "KRX": "KRX",
    "XKRX": "KRX",
    "KOSPI": "KRX",
    "KOSDAQ": "KRX",
    "NXT": "NXT",
    "NAS": "NASDAQ",
    "NASD": "NASDAQ",
    "NASDAQ": "NASDAQ",
    "XNAS": "NASDAQ",
    "NYS": "NYSE",
    "NYSE": "NYSE",
    "XNYS": "NYSE",
    "AMS": "NYSE",
    "AMEX": "NYSE",
    "HKS": "HKEX",
    "SEHK": "HKEX",
    "HKEX": "HKEX",
    "XHKG": "HKEX",
    "TSE": "JPX",
    "TKSE": "JPX",
    "JPX": "JPX",
    "XJPX": "JPX",
    "SHS": "SSE",
    "SHAA": "SSE",
    "SSE": "SSE",
    "XSHG": "SSE",
    "SZS": "SZSE",
    "SZAA": "SZSE",
    "SZSE": "SZSE",
    "XSHE": "SZSE",
    "HSX": "HOSE",
    "VNSE": "HOSE",
    "HNX": "HOSE",
    "HASE": "HOSE",
    "HOSE": "HOSE",
}

MARKETS: Final = tuple(sorted(_ALIASES))
"""Every market name the calendar accepts."""


def is_trading_day(day: dt.date, market: str = "KRX") -> bool:
    """Whether ``market`` trades on ``day`` (its own local date): not a weekend, not a holiday."""
    exchange = _exchange(market)
    _check_date(day)
    return day.weekday() < 5 and day not in _closed_days(exchange.holidays, day.year)


def trading_days(start: dt.date, end: dt.date, market: str = "KRX") -> list[dt.date]:
    """The trading days from ``start`` to ``end`` (both included), oldest first."""
    _check_date(start)
    _check_date(end)
    if end < start:
        raise KisValidationError(f"trading_days: end {end} is before start {start}")
    return [day for day in _days(start, end) if is_trading_day(day, market)]


def next_trading_day(day: dt.date, market: str = "KRX") -> dt.date:
    """The first trading day strictly after ``day``."""
    return _walk(day, market, 1)


def previous_trading_day(day: dt.date, market: str = "KRX") -> dt.date:
    """The last trading day strictly before ``day``."""
    return _walk(day, market, -1)


def sessions(day: dt.date, market: str = "KRX") -> tuple[MarketSession, ...]:
    """The sessions of ``day`` (the exchange's local date), in order of start, with KST bounds;
    empty on a day the market is closed."""
    exchange = _exchange(market)
    if not is_trading_day(day, market):
        return ()
    # KRX opens an hour late on the year's first trading day (개장일 10:00): the sessions before
    # the open move by an hour, the close does not
    late = exchange is _EXCHANGES["KRX"] and day == _first_trading_day(day.year)
    result = []
    hours = exchange.half_day if exchange.half_day and _is_half_day(exchange, day) else exchange.sessions
    for kind, korean, start, end in hours:
        begin = dt.datetime.combine(day, start, exchange.zone)
        finish = dt.datetime.combine(day, end, exchange.zone)
        if late and start < _t("10:00"):
            begin += _AN_HOUR
            finish += _AN_HOUR if end <= _t("09:00") else dt.timedelta()
        result.append(MarketSession(market, kind, korean, begin.astimezone(KST), finish.astimezone(KST)))
    return tuple(sorted(result, key=lambda s: (s.start, s.end)))


def early_close(day: dt.date, market: str = "KRX") -> dt.datetime | None:
    """When ``market``'s regular trading ends on ``day`` (its local date, in KST) if that day is a
    half day (NYSE/NASDAQ 13:00 New York time, HKEX 12:00 Hong Kong time); ``None`` on a full day
    or a closed one."""
    exchange = _exchange(market)
    if exchange.half_day is None or not is_trading_day(day, market) or not _is_half_day(exchange, day):
        return None
    return max(s.end for s in sessions(day, market) if s.kind == "regular")


def sessions_at(at: dt.datetime, market: str = "KRX") -> tuple[MarketSession, ...]:
    """The sessions running at the instant ``at`` (several overlap at KRX 08:30–08:40)."""
    at = _to_kst(at, "at")
    exchange = _exchange(market)
    local = at.astimezone(exchange.zone).date()
    # a US session of one local day runs into the next KST day: look at both neighbours
    candidates = (*sessions(local - dt.timedelta(days=1), market), *sessions(local, market))
    return tuple(s for s in candidates if s.start <= at < s.end)


def is_open(at: dt.datetime | None = None, market: str = "KRX", *, extended: bool = False) -> bool:
    """Whether ``market`` trades at ``at`` (default: now): its regular session and auctions, or
    with ``extended=True`` any session (pre-market, after-hours, NXT's)."""
    kinds = None if extended else _REGULAR_KINDS
    return any(kinds is None or s.kind in kinds for s in sessions_at(at or now_kst(), market))


def next_open(after: dt.datetime | None = None, market: str = "KRX") -> dt.datetime:
    """The next start of ``market``'s regular session after ``after`` (default: now), in KST."""
    after = _to_kst(after or now_kst(), "after")
    day = after.astimezone(_exchange(market).zone).date()
    for _ in range(_MAX_CLOSED_DAYS + 2):
        for session in sessions(day, market):
            if session.kind == "regular" and session.start > after:
                return session.start
        day += dt.timedelta(days=1)
    raise KisConfigError(f"{market}: no trading day within {_MAX_CLOSED_DAYS} days after {after}")


_AN_HOUR: Final = dt.timedelta(hours=1)
_REGULAR_KINDS: Final = frozenset({"opening_auction", "regular", "closing_auction"})


def _exchange(market: str) -> _Exchange:
    key = _ALIASES.get(market.upper()) if isinstance(market, str) else None
    if key is None:
        raise KisValidationError(f"market {market!r} is not known; expected one of {', '.join(MARKETS)}")
    return _EXCHANGES[key]


def _check_date(day: object) -> None:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise KisValidationError(f"expected a datetime.date, got {day!r}")


def _to_kst(at: dt.datetime, what: str) -> dt.datetime:
    if not isinstance(at, dt.datetime):
        raise KisValidationError(f"{what}: expected a datetime, got {at!r}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise KisValidationError(
            f"{what}: {at.isoformat()} has no time zone; give an aware datetime "
            "(e.g. datetime.now(kis_async.KST)), since KIS times are KST"
        )
    return at.astimezone(KST)


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _walk(day: dt.date, market: str, step: int) -> dt.date:
    _check_date(day)
    for offset in range(1, _MAX_CLOSED_DAYS + 1):
        candidate = day + dt.timedelta(days=offset * step)
        if is_trading_day(candidate, market):
            return candidate
    raise KisConfigError(f"{market}: no trading day within {_MAX_CLOSED_DAYS} days of {day}")


@functools.cache
def _first_trading_day(year: int) -> dt.date:
    return next_trading_day(dt.date(year, 1, 1) - dt.timedelta(days=1), "KRX")


@functools.cache
def _closed_days(source: tuple[str, str], year: int) -> frozenset[dt.date]:
    kind, code = source
    library = _holidays()
    table = (
        library.financial_holidays(code, years=year)
        if kind == "financial"
        else library.country_holidays(code, years=year)
    )
    return frozenset(table)


def _is_half_day(exchange: _Exchange, day: dt.date) -> bool:
    return day in _half_days(exchange.holidays, day.year)


@functools.cache
def _half_days(source: tuple[str, str], year: int) -> frozenset[dt.date]:
    """The exchange's half days of ``year`` (the library's ``half_day`` category, by rule)."""
    kind, code = source
    if kind != "financial":
        return frozenset()
    return frozenset(_holidays().financial_holidays(code, years=year, categories=("half_day",)))


@functools.cache
def _holidays() -> Any:
    try:
        import holidays  # type: ignore[import-not-found,unused-ignore]  # the optional [calendar] extra
    except ImportError as exc:  # pragma: no cover - exercised by the extra-less install test
        raise KisConfigError(
            "the market calendar needs the 'holidays' package: pip install 'kis-async[calendar]'"
        ) from exc
    return holidays


#: KIS takes a US order in New York's after-market only until 07:00 KST whatever the season (its
#: 해외주식 주문 page: "애프터마켓(06:00 ~ 07:00, Summer Time : 05:00 ~ 07:00) 시간대에도 주문
#: 가능"), although New York's after-hours run to 20:00 there.
KIS_US_AFTER_MARKET_END: Final = dt.time(7, 0)

#: The KRX sessions a domestic order of each 주문구분 lives in; any other code: the continuous
#: market with its auctions (until the closing auction's end, 15:30).
_KRX_DAY: Final = frozenset({"opening_auction", "regular", "closing_auction"})
_KRX_BY_ORDER_TYPE: Final = {
    "05": frozenset({"pre_close"}),  # 장전 시간외 종가
    "06": frozenset({"post_close"}),  # 장후 시간외 종가
    "07": frozenset({"single_price"}),  # 시간외 단일가
}


def order_day_end(
    day: dt.date, market: str, *, order_type: str = "", placed: dt.datetime | None = None
) -> dt.datetime | None:
    """When a day order (당일 유효) of ``day`` ends unfilled: what has not filled then is gone.
    The one rule the sandbox plays and the bot layer's ``Order`` reads (docs/sandbox.md, "Day
    orders").

    ``market`` is a domestic order's 거래소 (``EXCG_ID_DVSN_CD``: ``KRX``, ``NXT``, ``SOR``) or an
    overseas order's exchange code; ``day`` the order's 주문일자 (abroad the exchange's local
    date); ``order_type`` its 주문구분; ``placed`` when KIS took it.

    - KRX, and SOR (played as KRX, as its session check is): the end of the last session of its
      주문구분: 15:30 (the closing auction), 08:40 / 16:00 / 18:00 for 05 / 06 / 07;
    - NXT: NXT's after-market end, 20:00;
    - abroad: the exchange's regular close of ``day`` (a half day's early close); an order
      ``placed`` at or after it (an extended-hours order) the end of the day's last session, for
      a US exchange capped at :data:`KIS_US_AFTER_MARKET_END` (07:00 KST).

    ``None`` when ``day`` has no such session, or the order was ``placed`` after its day's end
    (an order the rule does not end)."""
    if market in ("KRX", "NXT", "SOR"):
        venue = "NXT" if market == "NXT" else "KRX"
        kinds = _KRX_BY_ORDER_TYPE.get(order_type, _KRX_DAY) if venue == "KRX" else None
        ends = [s.end for s in sessions(day, venue) if kinds is None or s.kind in kinds]
    else:
        day_sessions = sessions(day, market)
        ends = [s.end for s in day_sessions if s.kind == "regular"] or [s.end for s in day_sessions]
        if ends and placed is not None and placed >= max(ends):
            close = max(ends)
            ends = [s.end for s in day_sessions]
            if _exchange(market).zone is _NEW_YORK:
                cutoff = dt.datetime.combine(close.astimezone(KST).date(), KIS_US_AFTER_MARKET_END, KST)
                ends = [min(max(ends), cutoff)]
    if not ends or (placed is not None and max(ends) <= placed):
        return None
    return max(ends)
