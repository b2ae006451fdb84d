"""Overseas stock orders (해외주식 주문) in the sandbox market: exchange hours, currency cash, ticks.

The same rules as domestic stocks, per exchange (``OVRS_EXCG_CD``): an order is accepted on the
exchange's trading day inside its regular sessions (the calendar's hours, in KST with the
exchange's own daylight saving and half days; lunch breaks below); a limit price sits on the
exchange's tick table (:mod:`._abroad_ticks`); a buy needs the currency's orderable cash (cash
less open buys), a sell the orderable quantity (held less open sells). A limit buy at or above
the current price (a sell at or below) fills in full at once at the current price, the price the
overseas quotations answer (the market model's, in the currency's units, on the tick table);
other orders rest until amended or cancelled. A fill moves the position at once and the cash on
the market's settlement day (:func:`settlement_day`); unsettled sale proceeds buy at once where
the market allows it (:data:`REUSE_SALE_PROCEEDS`), and China's shares bought today cannot be
sold until tomorrow.

Each accepted order, amendment (정정) and cancellation (취소), and each fill, is notified on the
overseas execution-notice feed (해외주식 실시간체결통보, H0GSCNI0 real / H0GSCNI9 paper) keyed by
the account's HTS id, as domestic orders are on theirs: an acceptance (``CNTG_YN`` 1, the order
quantity in ``CNTG_QTY``) then the fill (``CNTG_YN`` 2).

Lunch breaks (Tokyo 11:30–12:30 JST, Hong Kong 12:00–13:00 HKT, Shanghai/Shenzhen 11:30–13:00
CST, Vietnam 11:30–13:00): an order on Tokyo, Hong Kong or Vietnam is refused as before the
afternoon session; one on Shanghai or Shenzhen is taken and waits, filling (when marketable) at
the afternoon session's opening price the first time the sandbox is asked anything after it
opens (:meth:`._notices.OrderDesk.wake_abroad`). ``CNTG_UNPR`` carries the price with the
decimal point left out, as KIS writes it: 4 implied decimals in the US, 3 in China and Hong
Kong, 1 in Japan, 0 in Vietnam (AAPL at 148.01: ``001480100``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import attrs

from kis_async._calendar import (
    MarketSession,
    _closed_days,
    _exchange,
    is_trading_day,
    next_trading_day,
    sessions,
)
from kis_async.sandbox._abroad_ticks import off_grid
from kis_async.sandbox._account import Position
from kis_async.sandbox._market import quote
from kis_async.sandbox._refusals import Rule

#: Overseas price paths run in cents (a one-cent grid): the currency unit is 100 of them, as in
#: the real-time ticks' hundredths, in every overseas endpoint.
OVERSEAS_SCALE = Decimal(100)

OVERSEAS_ORDER_PATH = "/uapi/overseas-stock/v1/trading/order"
OVERSEAS_CHANGE_PATH = "/uapi/overseas-stock/v1/trading/order-rvsecncl"


#: 해외주식 실시간체결통보 TR per environment.
OVERSEAS_NOTICE_TR = {"real": "H0GSCNI0", "paper": "H0GSCNI9"}


@attrs.frozen
class Exchange:
    order_code: str
    """``OVRS_EXCG_CD`` of orders (NASD, NYSE …)."""
    quote_code: str
    """``EXCD`` of quotations (NAS, NYS …): the market model's key."""
    currency: str
    notice_decimals: int
    """Implied decimals of a notice's ``CNTG_UNPR`` (the feed page: 미국 4 일본 1 중국 3 홍콩 3 베트남 0)."""
    notice_market: str
    """해외종목구분 (``ODER_COND``) of a notice: 6 NASDAQ, 7 NYSE, 8 AMEX, 4 홍콩, A 상해A, D 도쿄 …
    (the page lists no code for 심천A: blank)."""


EXCHANGES: dict[str, Exchange] = {
    e.order_code: e
    for e in (
        Exchange("NASD", "NAS", "USD", 4, "6"),
        Exchange("NYSE", "NYS", "USD", 4, "7"),
        Exchange("AMEX", "AMS", "USD", 4, "8"),
        Exchange("SEHK", "HKS", "HKD", 3, "4"),
        Exchange("SHAA", "SHS", "CNY", 3, "A"),
        Exchange("SZAA", "SZS", "CNY", 3, ""),
        Exchange("TKSE", "TSE", "JPY", 1, "D"),
        Exchange("HASE", "HNX", "VND", 0, "E"),
        Exchange("VNSE", "HSX", "VND", 0, "F"),
    )
}

#: 외화 예수금 every account starts with, per currency.
DEFAULT_FOREIGN_CASH: dict[str, Decimal] = {
    "USD": Decimal(100_000),
    "HKD": Decimal(800_000),
    "CNY": Decimal(700_000),
    "JPY": Decimal(15_000_000),
    "VND": Decimal(2_500_000_000),
}

#: US names of the seeded overseas portfolio.
US_NAMES = [
    "AAPL",
    "MSFT",
    "NVDA",
    "AMZN",
    "GOOGL",
    "META",
    "TSLA",
    "AVGO",
    "COST",
    "NFLX",
    "AMD",
    "ADBE",
    "PEP",
    "CSCO",
    "INTC",
    "QCOM",
    "TXN",
    "AMAT",
    "INTU",
    "ISRG",
    "BKNG",
    "SBUX",
    "MDLZ",
    "GILD",
    "ADI",
    "LRCX",
    "REGN",
    "VRTX",
    "PANW",
    "MU",
    "KLAC",
    "SNPS",
    "CDNS",
    "MAR",
    "ORLY",
    "CTAS",
    "ABNB",
    "PYPL",
    "MRVL",
    "CRWD",
    "FTNT",
    "ADSK",
    "PCAR",
    "MNST",
    "ROST",
    "WDAY",
    "PAYX",
    "KDP",
    "ODFL",
    "DDOG",
]


def current_price(seed: int, exchange: str, symbol: str, at: dt.datetime) -> Decimal:
    """Where ``symbol`` trades on ``exchange`` at ``at`` (in the exchange's currency, cents)."""
    code = EXCHANGES[exchange].quote_code if exchange in EXCHANGES else exchange
    return (Decimal(quote(seed, f"{code}:{symbol}", at).price) / OVERSEAS_SCALE).quantize(Decimal("0.01"))


def off_tick(exchange: str, price: Decimal) -> bool:
    """Whether a limit price breaks the exchange's tick table (:mod:`._abroad_ticks`: US $0.01
    from $1; HKEX's spread table; TSE's general table; China 0.01; HOSE 10/50/100 VND; HNX 100)."""
    return off_grid(exchange, price)


def tick_rule(exchange: str, price: Decimal) -> Rule:
    """The refusal of an off-tick limit price: a US price from $1 with more than two decimals gets
    KIS's recorded answer (``APTR0057``, "1$이상 소수점 2자리까지만 가능"); any other the domestic
    호가단위 code, by analogy."""
    us = EXCHANGES[exchange].currency == "USD" if exchange in EXCHANGES else False
    return "us_cents" if us and price >= 1 else "tick"


def local_day(now: dt.datetime, exchange: str) -> dt.date:
    """The exchange's own date at ``now``: KIS dates overseas orders by it (현지시각 기준)."""
    return now.astimezone(_exchange(exchange).zone).date()


#: Exchanges whose lunch break takes orders (queued for the afternoon session): KIS's 해외주식
#: 주문 page gives 상해 one span, 10:30–16:00 KST, while it lists 일본 and 홍콩 as two sessions
#: (orders outside them are refused); its 예약주문 page sends China's orders at 14:00 KST.
QUEUE_IN_LUNCH_BREAK = frozenset({"SHAA", "SZAA"})


def _regular(now: dt.datetime, exchange: str) -> list[MarketSession] | None:
    day = local_day(now, exchange)
    if not is_trading_day(day, exchange):
        return None
    return [s for s in sessions(day, exchange) if s.kind == "regular"] or None


def session_rule(now: dt.datetime, exchange: str) -> str | None:
    """``closed_day``, ``before_session``, ``after_session`` or ``None`` (accepted) for an order
    on ``exchange`` at ``now``: its regular session(s) of the exchange's local day. In a lunch
    break an order is refused as before the afternoon session, except on the exchanges of
    :data:`QUEUE_IN_LUNCH_BREAK`, where it is taken and waits for the afternoon
    (:func:`queued_until`)."""
    regular = _regular(now, exchange)
    if regular is None:
        return "closed_day"
    if now < regular[0].start:
        return "before_session"
    if now >= regular[-1].end:
        return "after_session"
    if any(now in s for s in regular) or exchange in QUEUE_IN_LUNCH_BREAK:
        return None
    return "before_session"


def queued_until(now: dt.datetime, exchange: str) -> dt.datetime | None:
    """When an order taken at ``now`` can first fill: the afternoon session's start for an order
    taken in a lunch break (:data:`QUEUE_IN_LUNCH_BREAK`), else ``None`` (at once)."""
    regular = _regular(now, exchange) or []
    if not regular or any(now in s for s in regular):
        return None
    return next((s.start for s in regular if s.start > now), None)


#: Settlement cycle (trading days of the exchange after the trade date) per currency's market:
#: US T+1 (SEC, from 2024-05-28), Hong Kong T+2, Tokyo T+2, China A via 후강퉁/선강퉁 T+1 for the
#: cash (shares T+0), Vietnam T+2.
SETTLEMENT_DAYS: dict[str, int] = {"USD": 1, "HKD": 2, "JPY": 2, "CNY": 1, "VND": 2}

#: Markets whose unsettled sale proceeds can buy at once (매도 결제전 재매수, 재매매 가능): US,
#: Hong Kong, Japan, China. Vietnam's cannot (brokers list 재매매 불가능 there).
REUSE_SALE_PROCEEDS = frozenset({"USD", "HKD", "JPY", "CNY"})

#: Markets where shares bought today cannot be sold before they settle (China A: 매수 결제전
#: 매도불가, the A-share T+1 rule).
NO_SALE_BEFORE_SETTLEMENT = frozenset({"SHAA", "SZAA"})


def settlement_day(exchange: str, trade_day: dt.date) -> dt.date:
    """The KST date the cash of a fill on ``trade_day`` (the exchange's local date) moves: the
    market's settlement cycle in the exchange's trading days, then (the US settling overnight
    for Korea) the next day for a US trade, and no earlier than a Korean business day (the
    Korea Securities Depository settles on its own business days)."""
    day = trade_day
    for _ in range(SETTLEMENT_DAYS[EXCHANGES[exchange].currency]):
        day = next_trading_day(day, exchange)
    if EXCHANGES[exchange].currency == "USD":
        day += dt.timedelta(days=1)
    while not _korean_business_day(day):
        day += dt.timedelta(days=1)
    return day


def _korean_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(("country", "KR"), day.year)


def decimal_of(text: str) -> Decimal:
    try:
        return Decimal(text or "0")
    except InvalidOperation:
        return Decimal(0)


@attrs.define
class AbroadOrder:
    """An accepted overseas order."""

    number: str
    account: str
    app_key: str
    exchange: str
    symbol: str
    side: str
    quantity: int
    open_quantity: int
    price: Decimal
    order_type: str
    day: dt.date
    """주문일자 in the exchange's local date (현지시각 기준), as KIS dates overseas orders."""
    filled: int = 0
    fill_price: Decimal = Decimal(0)
    original: str = ""
    kind: str = "new"
    hour: str = ""
    """주문시각 (HHMMSS), as answered."""
    placed: dt.datetime | None = None
    """When the sandbox accepted it (KST): the rows' 국내주문일자 and 당사주문시각."""
    queued_until: dt.datetime | None = None
    """Taken in a lunch break: it cannot fill before this instant, the afternoon session's start
    (KST)."""
    ends: dt.datetime | None = None
    """When its day ends (:func:`._day_orders.abroad_day_end`, the close): what is open then is
    gone."""
    expired: int = 0
    """What was still open when its day ended (미체결수량 in the day's history, no longer open)."""

    @property
    def key(self) -> str:
        return f"{self.exchange}:{self.symbol}"

    @property
    def currency(self) -> str:
        return EXCHANGES[self.exchange].currency


def notice_price(exchange: str, price: Decimal) -> str:
    """A price as an overseas notice's ``CNTG_UNPR`` writes it: the exchange's implied decimals,
    no point, zero-padded to nine digits (148.01 in the US: ``001480100``)."""
    scaled = int((price * (10 ** EXCHANGES[exchange].notice_decimals)).to_integral_value())
    return f"{scaled:09d}"


def abroad_notice(order: AbroadOrder, **values: str) -> dict[str, str]:
    """An execution notice (해외주식 실시간체결통보) about ``order``, by wire name; ``values``
    say what happened (``CNTG_YN``, ``CNTG_QTY``, ``CNTG_UNPR``, ``RCTF_CLS`` …)."""
    return {
        "ACNT_NO": order.account,
        "ODER_NO": order.number,
        "OODER_NO": order.original,
        "SELN_BYOV_CLS": order.side,
        "RCTF_CLS": {"revise": "1", "cancel": "2"}.get(order.kind, "0"),
        "ODER_KIND2": "2",  # 지정가
        "STCK_SHRN_ISCD": order.symbol,
        "STCK_CNTG_HOUR": order.hour,
        "RFUS_YN": "0",
        "ACPT_YN": "1",
        "ACNT_NAME": "샌드박스",
        "CNTG_ISNM": order.symbol,
        "ODER_COND": EXCHANGES[order.exchange].notice_market,
        "DEBT_GB": "10",
        **values,
    }


def seeded_abroad(seed: int, size: int, at: dt.datetime) -> dict[str, Position]:
    """The overseas portfolio of an account nobody described: ``size`` NASDAQ names (key
    ``NASD:<symbol>``) with quantities and average prices near the current price."""
    rng = random.Random(f"kis-async sandbox overseas portfolio {seed}")
    positions = {}
    for symbol in rng.sample(US_NAMES, min(size, len(US_NAMES))):
        quantity = rng.randrange(1, 100)
        average = (current_price(seed, "NASD", symbol, at) * Decimal(rng.uniform(0.8, 1.2))).quantize(
            Decimal("0.01")
        )
        positions[f"NASD:{symbol}"] = Position(quantity, average * quantity)
    return positions


def start_abroad(
    seed: int, holdings: Mapping[str, int | tuple[int, int]] | None, size: int, at: dt.datetime
) -> dict[str, Position]:
    """Overseas positions from ``Sandbox(holdings={"NASD:AAPL": 10})`` (bought at the current
    price) or ``{"NASD:AAPL": (10, 180)}``; ``None``: a seeded NASDAQ portfolio."""
    if holdings is None:
        return seeded_abroad(seed, size, at)
    positions = {}
    for key, held in holdings.items():
        if ":" not in key:
            continue
        exchange, _, symbol = key.partition(":")
        if exchange not in EXCHANGES or not symbol:
            raise ValueError(
                f"Sandbox(holdings=...): {key!r} is not EXCHANGE:SYMBOL with one of {', '.join(EXCHANGES)}"
            )
        quantity, price = (
            held if isinstance(held, tuple) else (held, current_price(seed, exchange, symbol, at))
        )
        if quantity:
            positions[key] = Position(int(quantity), Decimal(price) * int(quantity))
    return positions
