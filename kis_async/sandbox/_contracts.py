"""The domestic index futures and options the sandbox market lists (국내 지수선물·옵션), by code.

Pure facts about a contract code, without the price path (:mod:`._prices` reads them to put a
futures or options path on its own grid and level):

| code | contract | 거래승수 (won per point) | 호가단위 |
|---|---|---|---|
| ``101…``/``A01…`` (6) | KOSPI200 선물 | 250,000 | 0.05 pt |
| ``105…``/``A05…`` (6) | 미니 KOSPI200 선물 | 50,000 | 0.02 pt |
| ``201…``/``B01…`` (9) | KOSPI200 콜옵션 | 250,000 | 0.01 pt below 10 pt, 0.05 pt from 10 pt |
| ``301…``/``C01…`` (9) | KOSPI200 풋옵션 | 250,000 | as calls |

Sources (``docs/sandbox.md`` cites them): KRX's product specifications as brokers publish them
(Daishin's guide: 거래승수 250,000 [미니 50,000], 호가가격단위 0.05pt [미니 0.02pt], 08:45–15:45;
Korean Wikipedia's KOSPI200 futures specification: ±8/15/20 % price limits on the 기준가격); the
multiplier was halved from 500,000 on 2017-03-27 (Hankyung, 2017-03-13). An option's last three
digits are its strike (행사가격) in points, ``…352`` meaning 352.5 (KOSPI200 strikes are 2.5 points
apart).

The three characters after the product are the series (월물): a year character and the month
(``W12`` is December 2025, ``603`` March 2026: the KIS portal's order page gives ``A01603`` and
``B01603955`` as examples). KRX's year characters cycle every 30 years through
``6789012345ABCDEFGHJKLMNPQRSTVW`` (CQG's KRX symbology page: 1996 is ``6``, 2025 ``W``, 2026 ``6``
again); the old ``1``/``2``/``3`` prefixes name the cycle 1996–2025 and KRX's ``A``/``B``/``C``
prefixes the cycle from 2026. A contract's last trading day (최종거래일) is the second Thursday of
its month, the trading day before when that is a holiday (KRX's KOSPI200 futures and options
specification); it trades until 15:20 that day.

Prices inside the sandbox are in hundredths of a point (the path's unit): ``35005`` is 350.05 pt.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from decimal import Decimal
from typing import Literal

import attrs

from kis_async._calendar import is_trading_day

Kind = Literal["futures", "call", "put"]

#: KOSPI200's level the sandbox's derivatives are priced around (points).
UNDERLYING_POINTS = 350

#: How far an option's price may move from its base price in a day (hundredths): 8 % of the
#: underlying's level, a simplification of KRX's band (the theoretical price at ±8 % of KOSPI200).
OPTION_BAND = UNDERLYING_POINTS * 8

#: KRX's year characters, a 30-year cycle (1996 is ``6``, 2025 ``W``; I, O, U, X, Y, Z unused).
YEARS = "6789012345ABCDEFGHJKLMNPQRSTVW"

#: When an expiring contract stops trading on its last trading day (KST).
EXPIRY_CLOSE = dt.time(15, 20)


@attrs.frozen
class Contract:
    code: str
    kind: Kind
    name: str
    """상품명 as the sandbox shows it (``KOSPI200 F 101W12``)."""
    multiplier: int
    """거래승수: won per point."""
    futures_tick: int = 5
    """Futures 호가단위 in hundredths of a point (options: :func:`tick`)."""
    strike: Decimal | None = None
    """행사가격 (points) of an option."""
    expiry: dt.date = dt.date.max
    """최종거래일: the last day it trades (until :data:`EXPIRY_CLOSE`); after it the contract is no
    longer listed."""

    @property
    def option(self) -> bool:
        return self.kind != "futures"


_PATTERN = re.compile(
    r"^(?:(?P<old>[123]0[15])|(?P<new>[ABC]0[15]))(?P<series>[0-9A-Z]{3})(?P<strike>[0-9]{3})?$"
)
_KINDS: dict[str, Kind] = {"1": "futures", "2": "call", "3": "put", "A": "futures", "B": "call", "C": "put"}


@functools.lru_cache(maxsize=1024)
def contract(code: str) -> Contract | None:
    """The contract ``code`` names (``101W12``, ``A01606``, ``201W12350``), or ``None`` when the
    sandbox does not list it (KOSDAQ150, stock futures, mini or weekly options …)."""
    found = _PATTERN.match(code)
    if found is None:
        return None
    prefix = found["old"] or found["new"]
    expiry = _expiry(found["series"], 1996 if found["old"] else 2026)
    if expiry is None:
        return None  # not a series KRX could list (an unused year character, a month beyond 12)
    kind = _KINDS[prefix[0]]
    mini = prefix[2] == "5"
    strike_digits = found["strike"]
    if (kind == "futures") != (strike_digits is None) or (mini and kind != "futures"):
        return None  # futures are 6 characters, options 9; mini options are not listed
    if kind == "futures":
        name = f"{'미니' if mini else ''}KOSPI200 F {code}"
        return Contract(code, kind, name, 50_000 if mini else 250_000, 2 if mini else 5, expiry=expiry)
    assert strike_digits is not None
    strike = Decimal(strike_digits) + (Decimal("0.5") if strike_digits[-1] in "27" else 0)
    name = f"KOSPI200 {'C' if kind == 'call' else 'P'} {code[3:6]} {strike}"
    return Contract(code, kind, name, 250_000, strike=strike, expiry=expiry)


def _expiry(series: str, first_year: int) -> dt.date | None:
    """The last trading day of a series (``W12``: December 2025), or ``None`` for no series."""
    year_index = YEARS.find(series[0])
    if year_index < 0 or not series[1:].isdigit() or not 1 <= int(series[1:]) <= 12:
        return None
    return last_trading_day(first_year + year_index, int(series[1:]))


@functools.lru_cache(maxsize=256)
def last_trading_day(year: int, month: int) -> dt.date:
    """최종거래일 of a KOSPI200 futures/options month: the second Thursday, or the trading day
    before it when KRX is closed that day."""
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 7)
    while not is_trading_day(day):
        day -= dt.timedelta(days=1)
    return day


def series_code(product: str, year: int, month: int) -> str:
    """The code of a futures series: ``product`` ``"01"`` (KOSPI200) or ``"05"`` (mini), the old
    ``1…`` prefix for a month before 2026 and KRX's ``A…`` prefix from 2026."""
    if year >= 2026:
        return f"A{product}{YEARS[(year - 2026) % 30]}{month:02d}"
    return f"1{product}{YEARS[(year - 1996) % 30]}{month:02d}"


def listed_futures(day: dt.date, mini: bool = False) -> list[str]:
    """The KOSPI200 futures series listed on ``day``, nearest first: the nearest March and
    September, the two nearest Junes and the three nearest Decembers (KRX: 3년 이내 7개 결제월,
    "3,9월 : 각 1개, 6월 : 2개, 12월 : 3개"); mini futures the six nearest months (consecutive
    contract months)."""
    wanted = {month: 1 for month in range(1, 13)} if mini else {3: 1, 6: 2, 9: 1, 12: 3}
    found: list[tuple[dt.date, str]] = []
    year, month = day.year, day.month
    while sum(wanted.values()):
        if wanted.get(month) and day <= last_trading_day(year, month):
            wanted[month] -= 1
            found.append((last_trading_day(year, month), series_code("05" if mini else "01", year, month)))
            if mini and len(found) == 6:
                break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [code for _, code in sorted(found)]


def listed(code: str, day: dt.date) -> Contract | None:
    """The contract ``code`` names when it is still listed on ``day`` (not past its last trading
    day), else ``None``."""
    item = contract(code)
    return item if item is not None and day <= item.expiry else None


def tick(item: Contract, price: float) -> int:
    """호가단위 (hundredths of a point) at ``price`` (hundredths)."""
    if not item.option:
        return item.futures_tick
    return 1 if price < 1000 else 5


def on_grid(item: Contract, price: float) -> int:
    """``price`` (hundredths) on the contract's tick grid, at least one tick."""
    size = tick(item, price)
    return max(size, round(price / size) * size)


def limits(item: Contract, base: int) -> tuple[int, int]:
    """상한가 and 하한가 (hundredths) around the base price (기준가): futures ±8 % (KRX's first
    stage; the 15 % and 20 % stages are not modelled), options ``OPTION_BAND``; the upper rounded
    down and the lower up to the grid."""
    top: float
    bottom: float
    if item.option:
        top, bottom = base + OPTION_BAND, base - OPTION_BAND
    else:
        top, bottom = base * 1.08, base * 0.92
    upper = int(top // tick(item, top) * tick(item, top))
    lower = int(-(-bottom // tick(item, bottom)) * tick(item, bottom))
    return upper, max(lower, tick(item, 0))


def level(item: Contract, u: float) -> float:
    """The log level of the contract's price path (hundredths) for a unit draw ``u`` in [0, 1):
    futures near KOSPI200's level, an option near its intrinsic value plus a few points of time
    value, so a bot's margin and premium figures look like KRX's."""
    if not item.option:
        return math.log(UNDERLYING_POINTS * 100) + 0.1 * (2 * u - 1)
    assert item.strike is not None
    distance = float(item.strike) - UNDERLYING_POINTS
    intrinsic = max(0.0, -distance if item.kind == "call" else distance)
    return math.log((intrinsic + 1.0 + 6.0 * u) * 100)
