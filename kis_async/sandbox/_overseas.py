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

US extended hours: the real domain takes a US order through 해외주식 주문 in New York's
pre-market and after-market too (:func:`order_windows`: from 18:00 KST, 17:00 in summer, to
07:00 KST, as KIS's page says); a limit order trades there at once, an opening-auction order
(MOO/LOO) waits for the open and a closing-auction one (MOC/LOC) for the close. 미국주간거래
(``daytime_order``) is taken in its own session, 20:00–04:00 New York time (:func:`daytime_window`).
The won fields of the balances convert at :data:`DEFAULT_FX` or ``Sandbox(fx=...)``.

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
    KIS_US_AFTER_MARKET_END,
    KST,
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
OVERSEAS_DAYTIME_ORDER_PATH = "/uapi/overseas-stock/v1/trading/daytime-order"
OVERSEAS_DAYTIME_CHANGE_PATH = "/uapi/overseas-stock/v1/trading/daytime-order-rvsecncl"
#: Every overseas stock order path: 해외주식 주문/정정취소 and 미국주간주문/정정취소.
OVERSEAS_ORDER_PATHS = frozenset(
    {OVERSEAS_ORDER_PATH, OVERSEAS_CHANGE_PATH, OVERSEAS_DAYTIME_ORDER_PATH, OVERSEAS_DAYTIME_CHANGE_PATH}
)
DAYTIME_PATHS = frozenset({OVERSEAS_DAYTIME_ORDER_PATH, OVERSEAS_DAYTIME_CHANGE_PATH})


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

#: 기준환율 every answer uses, per currency, as KIS writes ``bass_exrt``/``exrt``: won per US
#: dollar, Hong Kong dollar and yuan, won **per 100** yen and dong (KIS's own example answer of
#: 체결기준현재잔고 quotes JPY at 981.11 next to USD 1212.60 and CNY 190.30). Fixed for the
#: sandbox's whole run, so every answer converts alike; ``Sandbox(fx={"USD": 1450})`` sets them.
DEFAULT_FX: dict[str, Decimal] = {
    "USD": Decimal("1380.00"),
    "HKD": Decimal("177.50"),
    "CNY": Decimal("190.30"),
    "JPY": Decimal("920.00"),
    "VND": Decimal("5.45"),
}

#: How many units of the currency one quoted rate is for (yen and dong per 100).
FX_UNIT: dict[str, int] = {"USD": 1, "HKD": 1, "CNY": 1, "JPY": 100, "VND": 100}


def start_fx(fx: Mapping[str, Decimal | int | float | str] | None) -> dict[str, Decimal]:
    """The sandbox's rates: :data:`DEFAULT_FX` with ``Sandbox(fx=...)`` laid over it."""
    rates = dict(DEFAULT_FX)
    for currency, rate in (fx or {}).items():
        try:
            value = Decimal(str(rate))
        except InvalidOperation:
            value = Decimal(0)
        if currency not in DEFAULT_FX or not value.is_finite() or value <= 0:
            raise ValueError(
                f"Sandbox(fx=...): {currency!r}: {rate!r} must be one of {', '.join(DEFAULT_FX)} with a "
                "rate > 0 (won per unit; per 100 for JPY and VND)"
            )
        rates[currency] = value
    return rates


def to_won(amount: Decimal, currency: str, rates: Mapping[str, Decimal], places: str = "1") -> Decimal:
    """``amount`` of ``currency`` in won at ``rates``: an amount to the whole won, a per-share
    price to ``places`` (KIS's example answers: "6411629.00000" and "212277.75600")."""
    return (amount * rates[currency] / FX_UNIT[currency]).quantize(Decimal(places))


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


#: KIS takes a US order through ``order`` in New York's pre-market and after-market too (the
#: 해외주식 주문 page: "프리마켓(18:00 ~ 23:30, Summer Time : 17:00 ~ 22:30), 애프터마켓(06:00 ~
#: 07:00, Summer Time : 05:00 ~ 07:00) 시간대에도 주문 가능"): its after-market window ends at
#: 07:00 KST whatever the season (New York's own after-hours run to 20:00 there).
US_AFTER_MARKET_END = KIS_US_AFTER_MARKET_END  # one constant with the day-end rule

#: US 주문구분 for the opening auction: 31 MOO (장개시시장가), 32 LOO (장개시지정가). Taken from
#: the pre-market's start until the regular open and filled at the opening price.
OPENING_ORDER_TYPES = frozenset({"31", "32"})
#: US 주문구분 for the closing auction: 33 MOC (장마감시장가), 34 LOC (장마감지정가). Taken from
#: the pre-market's start until the regular close and filled at the closing price.
CLOSING_ORDER_TYPES = frozenset({"33", "34"})
#: US algorithmic 주문구분 (35 TWAP, 36 VWAP): the page limits their times to the regular session
#: ("정규장 종료 5분전까지"); the sandbox takes them in the regular session as limit orders.
ALGORITHM_ORDER_TYPES = frozenset({"35", "36"})

Window = tuple[dt.datetime, dt.datetime]

#: 주문구분 (``ORD_DVSN``) KIS takes per exchange and side (the 해외주식 주문 page, TR by TR): a
#: US buy 00, 32 LOO, 34 LOC, 35 TWAP, 36 VWAP; a US sell also 31 MOO and 33 MOC; a Hong Kong
#: sell 00 and 50 단주지정가 (odd lot, played as a limit order); any other order 00.
_US_BUY_ORDER_TYPES = frozenset({"00", "32", "34", "35", "36"})
_US_SELL_ORDER_TYPES = _US_BUY_ORDER_TYPES | {"31", "33"}


def order_type_taken(exchange: str, sell: bool, order_type: str) -> bool:
    """Whether KIS's 해외주식 주문 takes 주문구분 ``order_type`` for this exchange and side."""
    if is_us(exchange):
        return order_type in (_US_SELL_ORDER_TYPES if sell else _US_BUY_ORDER_TYPES)
    if exchange == "SEHK" and sell:
        return order_type in ("00", "50")
    return order_type == "00"


def is_us(exchange: str) -> bool:
    return exchange in EXCHANGES and EXCHANGES[exchange].currency == "USD"


def order_windows(
    now: dt.datetime, exchange: str, order_type: str = "00", *, extended: bool = False
) -> list[Window] | None:
    """When an order of ``order_type`` on ``exchange`` is taken on the exchange's local day at
    ``now`` (KST bounds, end exclusive); ``None`` on a closed day. The regular session(s), or with
    ``extended`` (the real domain) on a US exchange KIS's pre- and after-market windows too:
    a limit order from the pre-market's start to 07:00 KST after the close, an opening-auction
    order until the open, a closing-auction order until the close."""
    day = local_day(now, exchange)
    if not is_trading_day(day, exchange):
        return None
    every = sessions(day, exchange)
    regular = [(s.start, s.end) for s in every if s.kind == "regular"]
    if not extended or not is_us(exchange) or order_type in ALGORITHM_ORDER_TYPES:
        return regular or None
    pre = next(s for s in every if s.kind == "pre_market")
    after = next(s for s in every if s.kind == "after_market")
    if order_type in OPENING_ORDER_TYPES:
        return [(pre.start, regular[0][0])]
    if order_type in CLOSING_ORDER_TYPES:
        return [(pre.start, regular[-1][1])]
    cap = dt.datetime.combine(after.start.astimezone(KST).date(), US_AFTER_MARKET_END, KST)
    return [(pre.start, pre.end), *regular, (after.start, min(after.end, cap))]


def session_rule(
    now: dt.datetime, exchange: str, order_type: str = "00", *, extended: bool = False
) -> str | None:
    """``closed_day``, ``before_session``, ``after_session`` or ``None`` (accepted) for an order
    on ``exchange`` at ``now``: its windows of the exchange's local day (:func:`order_windows`).
    In a lunch break an order is refused as before the afternoon session, except on the
    exchanges of :data:`QUEUE_IN_LUNCH_BREAK`, where it is taken and waits for the afternoon
    (:func:`queued_until`)."""
    windows = order_windows(now, exchange, order_type, extended=extended)
    if windows is None:
        return "closed_day"
    if now < windows[0][0]:
        return "before_session"
    if now >= windows[-1][1]:
        return "after_session"
    if any(start <= now < end for start, end in windows) or exchange in QUEUE_IN_LUNCH_BREAK:
        return None
    return "before_session"


def queued_until(now: dt.datetime, exchange: str, order_type: str = "00") -> dt.datetime | None:
    """When an order taken at ``now`` can first fill: the regular open for a US opening-auction
    order (MOO/LOO), the regular close for a closing-auction one (MOC/LOC), the afternoon
    session's start for an order taken in a lunch break (:data:`QUEUE_IN_LUNCH_BREAK`), else
    ``None`` (at once)."""
    regular = _regular(now, exchange) or []
    if is_us(exchange):  # a limit order trades in the pre- and after-market at once
        if regular and order_type in OPENING_ORDER_TYPES:
            return regular[0].start
        if regular and order_type in CLOSING_ORDER_TYPES:
            return regular[-1].end
        return None
    if not regular or any(now in s for s in regular):
        return None
    return next((s.start for s in regular if s.start > now), None)


#: 미국주간거래 (US daytime trading, KIS's ``daytime_order``): 20:00–04:00 New York time, the
#: evening before the US trading day it belongs to; 10:00–18:00 KST in winter (KIS's 미국주간주문
#: page: "주간거래(장전거래)(한국시간 기준) : 10:00 ~ 18:00"), 09:00–17:00 KST in summer (the
#: brokers' joint notice of the 2024 time change, Investing.com Korea article 1239629: "주간거래
#: 시작시간은 오전 9시에서 10시, 마감 시간은 17시에서 18시로 … 1시간씩 밀린다").
DAYTIME_START = dt.time(20, 0)
DAYTIME_END = dt.time(4, 0)


def daytime_day(now: dt.datetime) -> dt.date:
    """The US trading day a daytime order at ``now`` belongs to: the KST date (the session runs
    on that day's morning and afternoon in Seoul)."""
    return now.astimezone(KST).date()


def daytime_window(now: dt.datetime) -> Window | None:
    """The 미국주간거래 session of the KST day at ``now`` (KST bounds); ``None`` when that day is
    not a US trading day (New York's calendar)."""
    day = daytime_day(now)
    if not is_trading_day(day, "NYSE"):
        return None
    zone = _exchange("NYSE").zone
    start = dt.datetime.combine(day - dt.timedelta(days=1), DAYTIME_START, zone)
    end = dt.datetime.combine(day, DAYTIME_END, zone)
    return start.astimezone(KST), end.astimezone(KST)


def daytime_rule(now: dt.datetime) -> str | None:
    """``closed_day``, ``before_session``, ``after_session`` or ``None`` for a daytime order."""
    window = daytime_window(now)
    if window is None:
        return "closed_day"
    if now < window[0]:
        return "before_session"
    if now >= window[1]:
        return "after_session"
    return None


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
    (KST); a US auction order (MOO/LOO, MOC/LOC): the regular open or close."""
    daytime: bool = False
    """Taken through 미국주간주문 (``daytime_order``): dated and settled as the US trading day its
    session belongs to."""
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


#: 주문종류2 (``ODER_KIND2``) of a notice per 주문구분, as the feed page lists it ("1:시장가
#: 2:지정자 6:단주시장가 7:단주지정가 A:MOO B:LOO C:MOC D:LOC"); any other order (00 지정가, and
#: TWAP/VWAP, which the page does not list and the sandbox plays as limit orders) is 2.
NOTICE_ORDER_KINDS = {"31": "A", "32": "B", "33": "C", "34": "D", "50": "7"}


def abroad_notice(order: AbroadOrder, **values: str) -> dict[str, str]:
    """An execution notice (해외주식 실시간체결통보) about ``order``, by wire name; ``values``
    say what happened (``CNTG_YN``, ``CNTG_QTY``, ``CNTG_UNPR``, ``RCTF_CLS`` …)."""
    return {
        "ACNT_NO": order.account,
        "ODER_NO": order.number,
        "OODER_NO": order.original,
        "SELN_BYOV_CLS": order.side,
        "RCTF_CLS": {"revise": "1", "cancel": "2"}.get(order.kind, "0"),
        "ODER_KIND2": NOTICE_ORDER_KINDS.get(order.order_type, "2"),
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
