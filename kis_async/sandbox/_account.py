"""The sandbox's accounts: cash, holdings and settlement, and the rules an order must pass.

One :class:`Account` per account number (``CANO`` + ``ACNT_PRDT_CD``), started from
``Sandbox(cash=, holdings=)`` (or a seeded portfolio) the first time the account is named. The
order desk (:mod:`._notices`) keeps the orders; an account's reservations are derived from its
open orders, never kept apart from them, so a balance, the orderable cash and the orderable
quantity cannot drift from the order book:

- 주문가능현금 = D+2 예수금 − what open buy orders reserve (a limit order its price × open
  quantity, a market-like order the upper limit price × open quantity, as KIS reserves it);
- 주문가능수량 = 보유수량 − the open quantity of sell orders.

A fill moves the holding (보유수량, 매입평균가격) at once and the cash on the second trading day
after it (D+2, 결제일): until then 예수금총금액 (D+0) is unchanged and 가수도정산금액
(``prvs_rcdl_excc_amt``, D+2) shows it. An overseas fill moves the currency's cash on its
market's settlement day (:func:`._overseas.settlement_day`). No commission or tax is charged.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import Decimal

import attrs

from kis_async._calendar import next_trading_day
from kis_async.sandbox._market import UNIVERSE, quote, round_tick

#: 예수금 of an account the test did not describe (won).
DEFAULT_CASH = 50_000_000


@attrs.define
class Trade:
    """One fill on the account."""

    day: dt.date
    symbol: str
    side: str
    """``01`` 매도, ``02`` 매수."""
    quantity: int
    price: int
    settles: dt.date
    """결제일 (D+2): the day the cash moves."""

    @property
    def amount(self) -> int:
        return self.quantity * self.price

    @property
    def cash(self) -> int:
        """What the trade does to the cash when it settles: minus for a buy, plus for a sale."""
        return -self.amount if self.side == "02" else self.amount


@attrs.define
class AbroadTrade:
    """One overseas fill: its cash moves on the settlement day."""

    key: str
    """``EXCHANGE:SYMBOL``."""
    currency: str
    side: str
    """``01`` 매도, ``02`` 매수."""
    quantity: int
    amount: Decimal
    day: dt.date
    """The trade date, in the exchange's local date."""
    settles: dt.date
    """The KST date the cash moves (국내 결제일)."""
    reusable: bool = True
    """A sale whose unsettled proceeds count toward buying at once (매도재사용)."""

    @property
    def cash(self) -> Decimal:
        return -self.amount if self.side == "02" else self.amount


@attrs.define
class Position:
    quantity: int
    cost: Decimal
    """매입금액 (보유수량 × 매입평균가격)."""

    @property
    def average(self) -> Decimal:
        if not self.quantity:
            return Decimal("0.0000")
        return (self.cost / self.quantity).quantize(Decimal("0.0001"))


@attrs.define
class Account:
    """An account's cash, positions and fills."""

    cash: int
    """예수금 at the start (settled)."""
    positions: dict[str, Position]
    trades: list[Trade] = attrs.field(factory=list)
    foreign_cash: dict[str, Decimal] = attrs.field(factory=dict)
    """외화 예수금 per currency at the start (settled); fills move it on their settlement day."""
    abroad: dict[str, Position] = attrs.field(factory=dict)
    """Overseas positions by ``EXCHANGE:SYMBOL`` (``NASD:AAPL``)."""
    abroad_trades: list[AbroadTrade] = attrs.field(factory=list)

    def fill_abroad(self, trade: AbroadTrade) -> None:
        """Book an overseas fill: the position moves at once, the cash on ``trade.settles``."""
        self.abroad_trades.append(trade)
        key, side, quantity, amount = trade.key, trade.side, trade.quantity, trade.amount
        position = self.abroad.setdefault(key, Position(0, Decimal(0)))
        if side == "02":
            position.quantity += quantity
            position.cost += amount
        else:
            sold = min(quantity, position.quantity)
            if position.quantity:
                position.cost -= position.cost * sold / position.quantity
            position.quantity -= sold
        if position.quantity == 0:
            del self.abroad[key]

    def foreign_settled(self, currency: str, today: dt.date) -> Decimal:
        """외화 예수금 settled by the KST date ``today``."""
        return self.foreign_cash.get(currency, Decimal(0)) + sum(
            (t.cash for t in self.abroad_trades if t.currency == currency and t.settles <= today), Decimal(0)
        )

    def foreign_unsettled(self, currency: str, today: dt.date, side: str) -> Decimal:
        """The amount of ``side``'s (``01`` sells, ``02`` buys) fills in ``currency`` not settled by
        ``today`` (미결제매도/매수금액)."""
        return sum(
            (
                t.amount
                for t in self.abroad_trades
                if t.currency == currency and t.side == side and t.settles > today
            ),
            Decimal(0),
        )

    def foreign_reusable(self, currency: str, today: dt.date) -> Decimal:
        """Unsettled sale proceeds that count toward buying now (매도재사용가능금액)."""
        return sum(
            (
                t.amount
                for t in self.abroad_trades
                if t.currency == currency and t.side == "01" and t.settles > today and t.reusable
            ),
            Decimal(0),
        )

    def bought_abroad_on(self, key: str, day: dt.date) -> int:
        """Shares of ``key`` bought on the local trade date ``day``."""
        return sum(t.quantity for t in self.abroad_trades if t.key == key and t.side == "02" and t.day == day)

    def deposit(self, on: dt.date) -> int:
        """예수금 settled by ``on`` (D+0 on the trading day ``on``)."""
        return self.cash + sum(t.cash for t in self.trades if t.settles <= on)

    def settled_after_all(self) -> int:
        """D+2 예수금: every fill so far settled."""
        return self.cash + sum(t.cash for t in self.trades)

    def held(self, symbol: str) -> int:
        position = self.positions.get(symbol)
        return position.quantity if position else 0

    def traded(self, day: dt.date, symbol: str | None, side: str) -> tuple[int, int]:
        """(quantity, amount) bought (``02``) or sold (``01``) on ``day``."""
        chosen = [t for t in self.trades if t.day == day and t.side == side and symbol in (None, t.symbol)]
        return sum(t.quantity for t in chosen), sum(t.amount for t in chosen)

    def fill(self, day: dt.date, symbol: str, side: str, quantity: int, price: int) -> None:
        """Book a fill: the holding moves now, the cash on D+2."""
        settles = next_trading_day(next_trading_day(day))
        self.trades.append(Trade(day, symbol, side, quantity, price, settles))
        position = self.positions.setdefault(symbol, Position(0, Decimal(0)))
        if side == "02":
            position.quantity += quantity
            position.cost += quantity * price
        else:
            sold = min(quantity, position.quantity)
            if position.quantity:
                position.cost -= position.cost * sold / position.quantity
            position.quantity -= sold
        if position.quantity == 0:
            del self.positions[symbol]


def seeded_portfolio(seed: int, size: int, at: dt.datetime) -> dict[str, Position]:
    """The portfolio of an account nobody described: ``size`` stocks from the seed, each with a
    quantity and an average cost near its previous close."""
    rng = random.Random(f"kis-async sandbox portfolio {seed}")
    stocks = rng.sample(list(UNIVERSE), min(size, len(UNIVERSE)))
    positions = {}
    for stock in stocks:
        quantity = rng.randrange(1, 1000)
        average = Decimal(round_tick(quote(seed, stock.code, at).prev_close * rng.uniform(0.8, 1.2)))
        positions[stock.code] = Position(quantity, average * quantity)
    return positions


def start_positions(
    seed: int, holdings: Mapping[str, int | tuple[int, int]] | None, size: int, at: dt.datetime
) -> dict[str, Position]:
    """Domestic positions from ``Sandbox(holdings=...)``: ``{"005930": 10}`` (bought at the
    previous close) or ``{"005930": (10, 70000)}`` (quantity, average price); ``None``: a seeded
    portfolio. Overseas keys (``NASD:AAPL``) are :func:`._overseas.start_abroad`'s."""
    if holdings is None:
        return seeded_portfolio(seed, size, at)
    positions = {}
    for symbol, held in holdings.items():
        if isinstance(symbol, str) and ":" in symbol:
            continue  # an overseas holding (EXCHANGE:SYMBOL)
        quantity, price = held if isinstance(held, tuple) else (held, quote(seed, symbol, at).prev_close)
        if not isinstance(symbol, str) or len(symbol) != 6:
            raise ValueError(f"Sandbox(holdings=...): {symbol!r} is not a 6-character stock code")
        if not isinstance(quantity, int) or quantity < 0 or not isinstance(price, int) or price <= 0:
            raise ValueError(
                f"Sandbox(holdings=...): {symbol} needs a quantity >= 0 and a price > 0 (whole won), "
                f"got {held!r}"
            )
        if quantity:
            positions[symbol] = Position(quantity, Decimal(price * quantity))
    return positions
