"""History answers that honour the request: the dates asked, trading days only, newest first.

An endpoint answers history when its main list is a *series* (rows with a date and no code or
name of their own) about one instrument. What the request means is read off the descriptor's
parameters, never the endpoint's name:

- the instrument: the ``…ISCD``/``SYMB``/``PDNO`` argument (an exchange in ``EXCD`` for overseas);
- the range: ``…DATE_1``/``…DATE_2`` together (start, end), or one date alone (the end: 기준일자,
  or the day of a minute chart); without dates, back from the sandbox clock's day;
- the period: an enum argument whose members are ``DAY``/``WEEK``/``MONTH``/``YEAR``;
- minute bars when the row has a time field, up to ``…HOUR_1`` (a later time means now, as KIS
  answers), continuing into earlier days when ``…PW_DATA_INCU_YN`` (과거 데이터 포함) is ``Y``
  and the endpoint takes a date;
- at most ``endpoint.max_rows`` rows (the page's 최대 N건), else 30.

Rows come newest first from :mod:`._prices`, so paging back by moving the end date before the
oldest row returns older bars without repeats, and ends at the listing date with no rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from kis_async._calendar import KST
from kis_async._endpoint import Endpoint, Param
from kis_async.sandbox._market import market_of, path_key
from kis_async.sandbox._prices import Bar, PriceModel

#: Rows of a history answer when the spec gives no per-call maximum (KIS's usual 30).
DEFAULT_ROWS = 30

_PERIODS = (("DAY", "D"), ("WEEK", "W"), ("MONTH", "M"), ("YEAR", "Y"))


@attrs.frozen
class HistoryPlan:
    """How to read one endpoint's request as a history question (worked out once per endpoint)."""

    minute: bool
    symbol: str | None
    exchange: str | None
    start: str | None
    end: str | None
    hour: str | None
    period: Param | None
    include_past: str | None
    rows: int
    interval: str | None = None
    """The bar-length argument: ``…HOUR_CLS_CODE`` (seconds) or ``NMIN`` (minutes)."""
    count: str | None = None
    """The record-count argument (``NREC``), at most ``rows``."""
    resume: str | None = None
    """A ``YYYYMMDDHHMMSS`` continuation key (``KEYB``): bars up to that local instant."""


@attrs.frozen
class HistoryAnswer:
    key: str
    """The price path asked about (``005930``, ``0001``, ``NAS:AAPL`` …)."""
    bars: list[Bar]


def plan(endpoint: Endpoint[Any], has_time: bool) -> HistoryPlan | None:
    """The history plan of ``endpoint`` (its main list is a series); ``None`` when no argument
    names an instrument."""
    wires = {(p.wire or "").upper(): p for p in endpoint.params if p.wire and p.const is None}
    symbol = next(
        (
            w
            for w, p in wires.items()
            if p.kind != "enum" and ("ISCD" in w or w in ("SYMB", "PDNO", "SRS_CD", "SHT_CD"))
        ),
        None,
    )
    if symbol is None:
        return None
    dates = [w for w, p in wires.items() if p.kind == "date"]
    start = next((w for w in dates if w.endswith("_1") and w[:-2] + "_2" in wires), None)
    end = start[:-2] + "_2" if start else (dates[0] if len(dates) == 1 else None)
    period = next(
        (
            p
            for p in endpoint.params
            if p.enum is not None and {m.name for m in p.enum} >= {"DAY", "WEEK"} and p.wire
        ),
        None,
    )
    return HistoryPlan(
        minute=has_time,
        symbol=symbol,
        exchange=next((w for w in wires if w in ("EXCD", "OVRS_EXCG_CD")), None),
        start=start,
        end=end,
        hour=next((w for w in wires if "HOUR_1" in w), None),
        period=period,
        include_past=next((w for w in wires if "PW_DATA_INCU" in w or w == "PINC"), None),
        rows=endpoint.max_rows or DEFAULT_ROWS,
        interval=next((w for w in wires if "HOUR_CLS" in w or w == "NMIN"), None),
        count=next((w for w in wires if w == "NREC"), None),
        resume=next((w for w in wires if w == "KEYB"), None),
    )


def answer(
    history: HistoryPlan, model: PriceModel, request: Mapping[str, str], at: dt.datetime
) -> HistoryAnswer:
    """The bars ``request`` asks for, as of the sandbox instant ``at``, newest first."""
    wire = {k.upper(): v.strip() for k, v in request.items()}
    code = wire.get(history.symbol or "", "")
    exchange = wire.get(history.exchange or "", "")[:3]
    key = path_key(f"{exchange}:{code}" if exchange else code)
    market = market_of(key)
    at = at.astimezone(KST)
    if history.minute:
        return HistoryAnswer(key, _minutes(history, model, key, market, wire, at))
    start = _date(wire.get(history.start or "")) or dt.date(1900, 1, 1)
    end = _date(wire.get(history.end or "")) or at.date()
    period = "D"
    if history.period is not None and history.period.wire:
        member = history.period.enum._value2member_map_.get(wire.get(history.period.wire.upper(), ""))  # type: ignore[union-attr]
        name = getattr(member, "name", "DAY")
        period = next((code for prefix, code in _PERIODS if name.startswith(prefix)), "D")
    if end < start:
        return HistoryAnswer(key, [])
    return HistoryAnswer(key, model.bars(key, start, end, at, market, period, limit=history.rows))


#: Bar lengths (seconds) a minute chart's interval code may ask for (30 s bars are 1-minute ones).
_INTERVAL_CODES = frozenset({"30", "60", "120", "180", "300", "600", "1800", "3600"})


def _minutes(
    history: HistoryPlan, model: PriceModel, key: str, market: str, wire: Mapping[str, str], at: dt.datetime
) -> list[Bar]:
    rows = history.rows
    count = wire.get(history.count or "", "")
    if count.isdigit() and int(count) > 0:
        rows = min(rows, int(count))
    minutes = _interval_minutes(history, wire)
    asked = _date(wire.get(history.end or "")) if history.end else None
    day = asked if asked is not None else model.latest_day(key, at, market)
    if day is None:
        return []
    hour = _time(wire.get(history.hour or ""))
    until = dt.datetime.combine(day, hour, KST) if hour is not None else at
    resume = _instant(wire.get(history.resume or ""), market)
    if resume is not None:  # the next page: bars up to the key's instant, whatever day it is
        until = resume
        day = model.latest_day(key, resume, market) or day
    past = wire.get(history.include_past or "", "").upper() in ("Y", "1") and (
        history.end is not None or history.include_past == "PINC"
    )
    wanted = rows * minutes
    bars: list[Bar] = []
    listing = model.listing(key)
    while day >= listing:
        bars += model.minute_bars(key, day, until, at, market, limit=wanted - len(bars))
        if len(bars) >= wanted or not past:
            break
        day -= dt.timedelta(days=1)
        until = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(23, 59, 59), KST)
    if minutes > 1:
        bars = _grouped(bars, minutes)
    return bars[:rows]


def _interval_minutes(history: HistoryPlan, wire: Mapping[str, str]) -> int:
    """Minutes per bar asked: ``NMIN`` in minutes, ``…HOUR_CLS_CODE`` (or an index chart's
    ``…HOUR_1`` holding such a code) in seconds; 1 when not asked."""
    if history.interval is not None:
        text = wire.get(history.interval, "")
        if text.isdigit() and int(text) > 0:
            return max(1, int(text) if history.interval == "NMIN" else int(text) // 60)
    text = wire.get(history.hour or "", "")
    if text in _INTERVAL_CODES:
        return max(1, int(text) // 60)
    return 1


def _grouped(newest_first: list[Bar], minutes: int) -> list[Bar]:
    """Minute bars merged into ``minutes``-long bars by time of day (KST), newest first."""
    groups: dict[tuple[dt.date, int], list[Bar]] = {}
    for bar in newest_first:
        moment = bar.time or dt.time(0)
        slot = (moment.hour * 60 + moment.minute) // minutes
        groups.setdefault((bar.day, slot), []).append(bar)
    merged = []
    for (_, slot), group in groups.items():
        first, last = group[-1], group[0]
        start = slot * minutes
        merged.append(
            attrs.evolve(
                last,
                # labelled by its first minute, in KST (``time``) and as an instant (``at``, the
                # local 현지 fields): a slot the session opens inside (New York's 09:30 in a
                # 60-minute slot) is 09:30 local and 23:30 KST, not 23:00 KST beside 09:30 local
                time=first.time if first.time is not None else dt.time(start // 60, start % 60),
                open=first.open,
                high=max(b.high for b in group),
                low=min(b.low for b in group),
                volume=sum(b.volume for b in group),
                value=sum(b.value for b in group),
                at=first.at,
            )
        )
    return merged


def local_zone(market: str) -> dt.tzinfo:
    """The time zone of ``market``'s exchange (KST for KRX and NXT)."""
    from kis_async._calendar import _exchange

    return _exchange(market).zone


def _instant(text: str | None, market: str) -> dt.datetime | None:
    """A ``YYYYMMDDHHMMSS`` key in the exchange's local time, as a KST instant."""
    if not text or len(text) != 14 or not text.isdigit():
        return None
    day, time = _date(text[:8]), _time(text[8:])
    if day is None or time is None:
        return None
    return dt.datetime.combine(day, time, local_zone(market)).astimezone(KST)


def _date(text: str | None) -> dt.date | None:
    if not text or len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _time(text: str | None) -> dt.time | None:
    if not text or len(text) != 6 or not text.isdigit():
        return None
    hours, minutes, seconds = int(text[:2]), int(text[2:4]), int(text[4:])
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return dt.time(hours, minutes, seconds)


def _clock(bar: Bar, name: str, zone: dt.tzinfo) -> dt.time:
    """A minute bar's time: local (현지, ``x…``) in the exchange's zone, else KST."""
    if bar.at is not None and name.startswith("x"):
        return bar.at.astimezone(zone).time().replace(second=0, microsecond=0, tzinfo=None)
    return bar.time or dt.time(0)


def _clock_day(bar: Bar, name: str, zone: dt.tzinfo) -> dt.date:
    if bar.at is None:
        return bar.day
    return bar.at.astimezone(zone if name.startswith("x") else KST).date()


def bar_values(
    fields: Sequence[tuple[str, str]], bar: Bar, minute: bool, overseas: bool = False, zone: dt.tzinfo = KST
) -> dict[str, str]:
    """The fields of a bar row that the bar itself decides, by their KIS names and kinds
    (``(name, kind)``): prices, the difference and rate against the previous close, the time, the
    bar's and the day's volumes and traded values. Decimal prices of an overseas symbol are in the
    sandbox's dollar-like currency, as its quotes are."""

    def money(value: int, kind: str, name: str) -> str:
        if kind != "decimal":
            return str(value)
        if overseas:  # the path runs in cents: the quote's currency with 4 decimals
            return format(Decimal(value).scaleb(-2).quantize(Decimal("0.0001")), "f")
        if any(part in name for part in ("nmix", "futs", "optn", "fuop")):  # points: hundredths
            return format(Decimal(value).scaleb(-2), "f")
        return format(Decimal(value).quantize(Decimal("0.01")), "f")

    diff = bar.close - bar.prev_close
    rate = (Decimal(diff) * 100 / bar.prev_close).quantize(Decimal("0.01")) if bar.prev_close else Decimal(0)
    values: dict[str, str] = {}
    for name, kind in fields:
        if (
            minute
            and kind in ("time", "str")
            and any(part in name for part in ("hour", "tmd", "time", "hms"))
        ):
            values[name] = _clock(bar, name, zone).strftime("%H%M%S")
        elif minute and kind == "date" and name in ("xymd", "kymd"):
            values[name] = _clock_day(bar, name, zone).strftime("%Y%m%d")
        elif name in ("cntg_vol", "evol", "last_qntt"):
            values[name] = str(bar.volume)
        elif name in ("acml_vol", "tvol"):
            values[name] = str(bar.cum_volume if minute else bar.volume)
        elif name == "eamt":  # 체결대금: the bar's own traded value
            values[name] = money(bar.value, kind, name)
        elif name in ("acml_tr_pbmn", "tamt"):
            values[name] = money(bar.cum_value if minute else bar.value, kind, name)
        elif kind not in ("int", "decimal") or "vol" in name or "sign" in name:
            continue
        elif "prdy_clpr" in name or "sdpr" in name or name == "base":
            values[name] = money(bar.prev_close, kind, name)
        elif "ctrt" in name or name == "rate":
            values[name] = format(rate, "f")
        elif "prdy_vrss" in name or name == "diff":
            # overseas differences are unsigned, the direction is in ``sign`` (real-data-notes.md)
            values[name] = money(abs(diff), kind, name) if overseas else money(diff, kind, name)
        elif "oprc" in name or name == "open":
            values[name] = money(bar.open, kind, name)
        elif "hgpr" in name or name == "high":
            values[name] = money(bar.high, kind, name)
        elif "lwpr" in name or name == "low":
            values[name] = money(bar.low, kind, name)
        elif name.endswith(("clpr", "prpr")) or name in ("clos", "last"):
            values[name] = money(bar.close, kind, name)
    return values


# -- the market calendar (국내휴장일조회) ----------------------------------------------------------

#: Days per page of a calendar answer: live KIS answers 23 days from the asked date (two users'
#: recorded answers: BASS_DT 20260910 → 20260910…20261002, ctx_area_nk 20261003).
CALENDAR_DAYS = 23
#: What live KIS says on a calendar page after which more days follow.
CALENDAR_MORE = ("KIOK0500", "조회가 계속됩니다..다음버튼을 Click 하십시오.")


def is_calendar(names: Sequence[str]) -> bool:
    """Rows that say, per day, whether the market opens (개장일여부 ``opnd_yn``)."""
    return "opnd_yn" in names and any(n.endswith("_dt") or "date" in n for n in names)


def calendar_page(
    endpoint: Endpoint[Any], names: Sequence[str], request: Mapping[str, str], at: dt.datetime
) -> tuple[dict[str, Any], bool]:
    """One page of the market calendar from the asked date (or the continuation key's), one row
    per calendar day, and whether more pages follow (until the end of next year, as far as the
    calendar library knows the holidays)."""
    from kis_async._calendar import _closed_days, is_trading_day

    wire = {k.upper(): v.strip() for k, v in request.items()}
    paging = list(endpoint.paging or {})
    asked = next((p.wire.upper() for p in endpoint.params if p.kind == "date" and p.wire), "")
    base = _date(wire.get(asked)) or at.astimezone(KST).date()
    start = (_date(wire.get(paging[0].upper())) if paging else None) or base
    last_day = dt.date(at.astimezone(KST).year + 1, 12, 31)
    rows: list[dict[str, str]] = []
    day = start
    date_field = next(n for n in names if n.endswith("_dt") or "date" in n)
    while len(rows) < CALENDAR_DAYS and day <= last_day:
        bank = day.weekday() < 5 and day not in _closed_days(("country", "KR"), day.year)
        values = {
            date_field: day.strftime("%Y%m%d"),
            "wday_dvsn_cd": f"{day.isoweekday() % 7 + 1:02d}",  # 01 일요일 … 07 토요일
            "bzdy_yn": "Y" if bank else "N",
            "tr_day_yn": "Y",  # "Y" on every day, weekends and holidays too, in the recordings
            "opnd_yn": "Y" if is_trading_day(day, "KRX") else "N",
            "sttl_day_yn": "Y" if bank else "N",
        }
        rows.append({name: values.get(name, "") for name in names})
        day += dt.timedelta(days=1)
    more = day <= last_day
    body: dict[str, Any] = {}
    keys = list((endpoint.paging or {}).values())
    if len(keys) >= 2:
        body[keys[0]] = (day.strftime("%Y%m%d") if more else "").ljust(20)
        body[keys[1]] = base.strftime("%Y%m%d").ljust(20)
    if more:
        body["msg_cd"], body["msg1"] = CALENDAR_MORE
    return body | {"rows": rows}, more
