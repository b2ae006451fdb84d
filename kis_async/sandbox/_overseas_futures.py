"""The sandbox's overseas futures and options (해외선물옵션): its master files and raw quotes.

KIS sends every overseas futures/options price without its decimal point, to be placed by the
product's 계산 소수점 (``sCalcDesz``) in its master file (``ffcode.mst``, ``focode.mst``,
``fostkcode.mst``; :mod:`kis_async.symbols`). The sandbox plays it the same way, with a few
products whose sCalcDesz match the portal's examples (6A -4: 6882.5 is 0.68825; GC -1: 19225 is
1922.5; OES -2: 7525 is 75.25; O6E -4: 54.0 is 0.0054):

- ``GET /common/master/ffcode.mst.zip`` (and ``focode.mst.zip``, ``fostkcode.mst.zip``) answers
  their lines in KIS's fixed-width layout;
- the overseas futures/options quotations answer these series' prices raw: the series' seeded
  price path (:mod:`._prices`) moves its reference price (yesterday's close, on the product's tick
  grid), and each raw field (spec ``unit: sCalcDesz``) is that real price × 10^-sCalcDesz;
- the real-time 체결가/호가 feeds (HDFFF020/HDFFF010) send the same raw numbers.

A series the sandbox does not list answers as any other unknown code does.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from kis_async.sandbox._market import Quote, quote


@attrs.frozen
class Product:
    """One listed series of an overseas future or option, as its master file line says."""

    code: str
    """종목코드 (``6AZ26``, ``OESZ26 C5500``): what the endpoints' ``symbol`` and the feeds' key take."""
    name: str
    exchange: str
    """거래소코드."""
    product: str
    """품목코드 (``6A``)."""
    calc_desz: int
    """계산 소수점 (sCalcDesz): the real price is the raw one × 10^calc_desz."""
    tick_size: Decimal
    """The real price grid."""
    tick_value: Decimal
    reference: Decimal
    """Yesterday's close, real: every quote of the day is this moved by the series' price path."""
    currency: str = "USD"
    option_type: str = ""
    """``C``/``P`` for an option."""
    strike: Decimal | None = None

    def raw(self, real: Decimal) -> Decimal:
        """The real price as KIS sends it: without its point (6A's 0.68825 → 6882.5)."""
        return real.scaleb(-self.calc_desz).normalize()

    def real(self, moved: int | Decimal, base: int) -> Decimal:
        """The reference price moved as the path moved from ``base`` to ``moved``, on the tick grid."""
        if base <= 0:
            return self.reference
        ticks = (self.reference * Decimal(moved) / Decimal(base) / self.tick_size).to_integral_value(
            ROUND_HALF_EVEN
        )
        return max(self.tick_size, ticks * self.tick_size)


FUTURES: tuple[Product, ...] = (
    Product(
        "6AZ26", "호주달러 2026.12", "CME", "6A", -4, Decimal("0.00005"), Decimal("5"), Decimal("0.68825")
    ),
    Product("GCZ26", "금 2026.12", "COMEX", "GC", -1, Decimal("0.1"), Decimal("10"), Decimal("1922.5")),
    Product(
        "ESZ26",
        "E-mini S&P500 2026.12",
        "CME",
        "ES",
        -2,
        Decimal("0.25"),
        Decimal("12.5"),
        Decimal("5500.25"),
    ),
    Product(
        "NQZ26",
        "E-mini 나스닥100 2026.12",
        "CME",
        "NQ",
        -2,
        Decimal("0.25"),
        Decimal("5"),
        Decimal("19000.5"),
    ),
    Product("CLF27", "WTI 원유 2027.01", "NYMEX", "CL", -2, Decimal("0.01"), Decimal("10"), Decimal("70.53")),
)
OPTIONS: tuple[Product, ...] = (
    Product(
        "OESZ26 C5500",
        "E-mini S&P500 옵션 2026.12 콜 5500",
        "CME",
        "OES",
        -2,
        Decimal("0.05"),
        Decimal("2.5"),
        Decimal("75.25"),
        option_type="C",
        strike=Decimal("5500"),
    ),
    Product(
        "O6EZ26 P1150",
        "유로FX 옵션 2026.12 풋 1.150",
        "CME",
        "O6E",
        -4,
        Decimal("0.0001"),
        Decimal("12.5"),
        Decimal("0.0054"),
        option_type="P",
        strike=Decimal("1.150"),
    ),
)
BY_CODE: dict[str, Product] = {p.code: p for p in (*FUTURES, *OPTIONS)}

#: The quotation endpoints whose prices are raw.
QUOTATIONS_PATH = "/uapi/overseas-futureoption/v1/quotations/"


def product(code: str) -> Product | None:
    """The sandbox's series ``code`` (``6AZ26``), or ``None``."""
    return BY_CODE.get(code.strip())


# -- master files ---------------------------------------------------------------------------------


def master_text(stem: str) -> bytes | None:
    """The lines of ``ffcode.mst`` / ``focode.mst`` (``fostkcode.mst`` lists no series here), in
    KIS's layout (``stocks_info/해외선물정보.h``, ``해외옵션정보.h``); ``None`` for other files."""
    if stem == "ffcode.mst":
        return b"".join(_futures_line(p) for p in FUTURES)
    if stem == "focode.mst":
        return b"".join(_option_line(p) for p in OPTIONS)
    if stem == "fostkcode.mst":
        return b""
    return None


def _cells(values: Sequence[tuple[str, int]]) -> bytes:
    out = b""
    for text, width in values:
        data = text.encode("cp949")
        assert len(data) <= width, (text, width)
        out += data.ljust(width, b" ")
    return out


def _tail(p: Product) -> list[tuple[str, int]]:
    return [
        (p.exchange, 10),
        (p.product, 10),
        ("001", 3),
        (str(-p.calc_desz), 5),  # 출력 소수점
        (str(p.calc_desz), 5),
        (format(p.tick_size, "f"), 14),
        (format(p.tick_value, "f"), 14),
        ("1", 10),  # 계약크기
        ("10", 4),  # 가격표시진법
        ("1", 10),  # 환산승수
    ]


def _futures_line(p: Product) -> bytes:
    head = [(p.code, 32), ("Y", 1), ("N", 1), ("N", 1), ("", 47), (p.name, 50)]
    flags = [("1", 1), ("1", 1), ("N", 1), ("N", 1), ("", 2)]
    return _cells([*head, *_tail(p), *flags]) + b"\r\n"


def _option_line(p: Product) -> bytes:
    head = [(p.code, 32), ("Y", 1), ("N", 1), ("N", 1), ("50", 2), ("", 45), (p.name, 50)]
    underlying = p.product[1:]
    rest = [
        (p.option_type, 1),
        (format(p.strike or 0, "f"), 20),
        (underlying, 10),
        (f"{underlying}Z26", 32),
        (f"{underlying}Z26", 32),
        ("", 19),
        ("", 5),
        ("202612", 6),
        ("O", 1),
        ("1", 1),
    ]
    return _cells([*head, *_tail(p), *rest]) + b"\r\n"


# -- raw quotes ---------------------------------------------------------------------------------


def agree_quote(
    row: dict[str, Any],
    raw_names: Sequence[str],
    request: Mapping[str, str],
    seed: int,
    at: dt.datetime | None,
    index: int = 0,
) -> None:
    """Fill a quotation row's raw prices (``raw_names``, spec ``unit: sCalcDesz``) for the series
    the request names, from its price path: row ``index`` of a list steps back one tick per row."""
    wire = {k.upper(): v for k, v in request.items()}
    item = product(wire.get("SRS_CD", "") or wire.get("SERIES_CD", ""))
    if item is None or not raw_names:
        return
    day = _day(seed, item.code, at)
    shift = item.tick_size * index
    real = {
        "last": item.real(day.price, day.prev_close) - shift,
        "prev": item.reference,
        "open": item.real(day.open, day.prev_close),
        "high": item.real(day.high, day.prev_close),
        "low": item.real(day.low, day.prev_close) - shift,
    }
    real["high"] = max(real["high"], real["last"], real["open"])
    real["low"] = max(item.tick_size, min(real["low"], real["last"], real["open"]))
    for name in raw_names:
        if name not in row:
            continue
        row[name] = _text(item.raw(_real_of(name, real, item)))
    if "exch_cd" in row:
        row["exch_cd"] = item.exchange
    if "crc_cd" in row:
        row["crc_cd"] = item.currency
    if "prev_diff_flag" in row:
        diff = real["last"] - real["prev"]
        row["prev_diff_flag"] = "2" if diff > 0 else "5" if diff < 0 else "3"


def _real_of(name: str, real: Mapping[str, Decimal], item: Product) -> Decimal:
    if "diff" in name:
        return abs(real["last"] - real["prev"])
    if name.startswith(("prev", "sttl", "psttl")):
        return real["prev"]
    for key in ("open", "high", "low"):
        if name.startswith(key):
            return real[key]
    if name.startswith("bid"):
        depth = int(name.rsplit("_", 1)[-1]) if name[-1].isdigit() else 1
        return max(item.tick_size, real["last"] - item.tick_size * depth)
    if name.startswith("ask"):
        depth = int(name.rsplit("_", 1)[-1]) if name[-1].isdigit() else 1
        return real["last"] + item.tick_size * depth
    return real["last"]


def tick_value(key: str, name: str, hundredths: str, price: int, prev_close: int) -> str:
    """A feed record's raw price for the sandbox's series ``key``: the tick maker's value (the path
    in hundredths of won; the path's ``price`` and ``prev_close`` in won) moved onto the series'
    reference price and tick grid, without its point. Order book levels (``bid_price_3``) sit one
    tick per level either side of the price. The text as is for an unknown key."""
    item = product(key)
    if item is None:
        return hundredths
    last = item.real(price, prev_close)
    if "diff" in name:
        real = abs(last - item.reference)
    elif name.startswith(("prev", "sttl", "psttl")):
        real = item.reference
    elif name.startswith(("bid", "ask")):
        depth = int(name.rsplit("_", 1)[-1]) if name[-1].isdigit() else 1
        step = item.tick_size * depth
        real = last + step if name.startswith("ask") else max(item.tick_size, last - step)
    else:
        real = item.real(Decimal(hundredths).scaleb(2), prev_close)
    return _text(item.raw(real))


@functools.lru_cache(maxsize=256)
def _day(seed: int, code: str, at: dt.datetime | None) -> Quote:
    return quote(seed, code, at)


def _text(value: Decimal) -> str:
    return format(value, "f")
