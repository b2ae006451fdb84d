"""Overseas tick tables (호가단위 per exchange): the one table the sandbox's overseas price paths
and its order checks both read.

- US (NASDAQ, NYSE, AMEX): $0.01 from $1, $0.0001 below (SEC Regulation NMS Rule 612).
- Hong Kong (HKEX spread table, Part A, with the minimum-spread reduction's Phase 1 in force
  since August 2025: HK$10–20 0.01, HK$20–50 0.02). Phase 2 (HK$0.50–10 from 0.01 to 0.005,
  planned for mid-2026) is not applied: 0.01 prices stay valid after it.
- Tokyo (TSE 呼値の単位 for "その他の銘柄"; TOPIX500 constituents use a finer one, not modelled).
- Shanghai and Shenzhen A shares: CNY 0.01.
- Vietnam: HOSE 10 VND below 10,000, 50 VND to 49,950, 100 VND from 50,000; HNX 100 VND.

Each band is (upper bound, tick): a price up to and including the bound uses the tick, except
Vietnam's HOSE bands, whose bounds are exclusive (``below 10,000``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

_D = Decimal
_INF: Final = _D("Infinity")

_HONG_KONG: Final = (
    (_D("0.25"), _D("0.001")),
    (_D("0.50"), _D("0.005")),
    (_D("20.00"), _D("0.01")),
    (_D("50.00"), _D("0.02")),
    (_D("100.00"), _D("0.05")),
    (_D("200.00"), _D("0.10")),
    (_D("500.00"), _D("0.20")),
    (_D("1000.00"), _D("0.50")),
    (_D("2000.00"), _D("1")),
    (_D("5000.00"), _D("2")),
    (_INF, _D("5")),
)
_TOKYO: Final = (
    (_D(3_000), _D(1)),
    (_D(5_000), _D(5)),
    (_D(30_000), _D(10)),
    (_D(50_000), _D(50)),
    (_D(300_000), _D(100)),
    (_D(500_000), _D(500)),
    (_D(3_000_000), _D(1_000)),
    (_D(5_000_000), _D(5_000)),
    (_D(30_000_000), _D(10_000)),
    (_D(50_000_000), _D(50_000)),
    (_INF, _D(100_000)),
)
_HOSE: Final = ((_D(10_000), _D(10)), (_D(50_000), _D(50)), (_INF, _D(100)))

#: Exchange (order code and quotation code) → its market.
_MARKET: Final = {
    "NASD": "US",
    "NYSE": "US",
    "AMEX": "US",
    "NAS": "US",
    "NYS": "US",
    "AMS": "US",
    "SEHK": "HK",
    "HKS": "HK",
    "TKSE": "JP",
    "TSE": "JP",
    "SHAA": "CN",
    "SZAA": "CN",
    "SHS": "CN",
    "SZS": "CN",
    "VNSE": "HOSE",
    "HSX": "HOSE",
    "HASE": "HNX",
    "HNX": "HNX",
}


def tick_size(exchange: str, price: Decimal) -> Decimal:
    """The tick of ``exchange`` (``NASD``/``NAS``, ``SEHK``/``HKS`` …) at ``price`` (currency units);
    an exchange the table does not know uses 0.01."""
    market = _MARKET.get(exchange.upper())
    if market == "US":
        return _D("0.01") if price >= 1 else _D("0.0001")
    if market == "HK":
        return next(size for bound, size in _HONG_KONG if price <= bound)
    if market == "JP":
        return next(size for bound, size in _TOKYO if price <= bound)
    if market == "HOSE":
        return next(size for bound, size in _HOSE if price < bound)
    if market == "HNX":
        return _D(100)
    return _D("0.01")


def off_grid(exchange: str, price: Decimal) -> bool:
    """Whether a limit price is not positive or breaks the exchange's tick table."""
    return price <= 0 or price % tick_size(exchange, price) != 0


def tick_cents(exchange: str, cents: float) -> int:
    """The tick in hundredths of the currency (the price paths' unit) at ``cents``, at least one:
    a tick finer than a hundredth (Hong Kong below HK$0.50, US below $1) keeps the one-hundredth
    grid, which is on the finer one."""
    return max(1, int(tick_size(exchange, _D(repr(float(cents))) / 100) * 100))
