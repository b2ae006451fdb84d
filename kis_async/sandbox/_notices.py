"""The sandbox exchange's order desk: what happens to an order after the sandbox accepts it.

KIS notifies every domestic stock order on the execution-notice feed (국내주식 실시간체결통보,
H0STCNI0 real / H0STCNI9 paper), keyed by the account's HTS id: first an acceptance (접수,
``CNTG_YN`` 1), then each fill (체결, ``CNTG_YN`` 2). The desk plays a simple exchange:

- a market order, or a limit order at or through the current price (a buy at or above it, a sell at
  or below it), fills in full at the current price: the last real-time tick's when the symbol is
  streaming, else the market model's quote (the price ``inquire_price`` answers);
- any other limit order stays open, and ``order_rvsecncl`` may revise (정정, a new order number
  whose notice carries the original in ``OODER_NO``) or cancel (취소) it; a revision to a
  marketable price fills.

Before an order is accepted the desk checks it as KIS does (:meth:`OrderDesk.check`): the
sandbox clock's day and session for its 주문구분, a known symbol, a price on the tick grid and
inside the daily limits, orderable cash for a buy (a market order reserves at the upper limit)
and orderable quantity for a sell; an amend or cancel needs an order with something left to
change. A refusal answers KIS's code (:mod:`._refusals`) and books nothing.

The desk also keeps the book: every order it accepted, per app key and account (also those whose
answer a fault lost), with what filled, and each account's cash and holdings (:mod:`._account`),
which the order inquiries and balances answer from (:mod:`._orders`).

The desk recognises orders by their KIS wire fields (``PDNO``/``ORD_QTY``/``ORD_UNPR`` with an
``ODNO`` answered; ``ORGN_ODNO``/``RVSE_CNCL_DVSN_CD``), so any domestic stock order spec served
by the sandbox is notified without the desk naming an endpoint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, cast

import attrs

from kis_async._calendar import KST, is_trading_day, sessions
from kis_async._endpoint import Endpoint
from kis_async.sandbox._account import DEFAULT_CASH, AbroadTrade, Account, Position, start_positions
from kis_async.sandbox._contracts import contract
from kis_async.sandbox._day_orders import abroad_day_end, end, end_day_orders, krx_day_end
from kis_async.sandbox._futures import FUTURES_CHANGE_PATH, FUTURES_ORDER_PATH, FuturesDesk
from kis_async.sandbox._futures import notice_trs as futures_notice_trs
from kis_async.sandbox._market import BY_CODE, Quote, quote, tick
from kis_async.sandbox._overseas import (
    ALGORITHM_ORDER_TYPES,
    CLOSING_ORDER_TYPES,
    DAYTIME_PATHS,
    DEFAULT_FOREIGN_CASH,
    EXCHANGES,
    NO_SALE_BEFORE_SETTLEMENT,
    OPENING_ORDER_TYPES,
    OVERSEAS_NOTICE_TR,
    OVERSEAS_ORDER_PATHS,
    REUSE_SALE_PROCEEDS,
    AbroadOrder,
    abroad_notice,
    current_price,
    daytime_day,
    daytime_rule,
    daytime_window,
    decimal_of,
    local_day,
    notice_price,
    off_tick,
    order_type_taken,
    queued_until,
    session_rule,
    settlement_day,
    start_abroad,
    start_fx,
    tick_rule,
    to_won,
)
from kis_async.sandbox._prices import prices
from kis_async.sandbox._refusals import Refusal, Rule, refusal

#: 국내주식 실시간체결통보 TR per environment.
NOTICE_TR = {"real": "H0STCNI0", "paper": "H0STCNI9"}
DOMESTIC_STOCK_PATH = "/uapi/domestic-stock/"
SELL, BUY = "01", "02"
MARKET_ORDER_TYPES = {"01", "03", "04", "13", "14", "15", "16"}
"""주문구분 codes that take the market price (시장가, 최유리, 최우선, IOC/FOK 시장가·최유리)."""
IMMEDIATE_ORDER_TYPES = {"11", "12", "13", "14", "15", "16", "23", "24"}
"""IOC/FOK 주문구분: what does not fill at once is cancelled, never left open."""
UNPRICED_ORDER_TYPES = MARKET_ORDER_TYPES | {"05", "06", "21", "23", "24"}
"""주문구분 codes sent with price 0 (KIS prices them: market, 시간외 종가, 중간가)."""

#: The KRX sessions (``kis_async._calendar`` kinds) in which each 주문구분 is accepted; any code not
#: listed trades in the continuous sessions and their auctions.
_KRX_SESSIONS = frozenset({"opening_auction", "regular", "closing_auction"})
SESSIONS_BY_ORDER_TYPE: dict[str, frozenset[str]] = {
    "05": frozenset({"pre_close"}),
    "06": frozenset({"post_close"}),
    "07": frozenset({"single_price"}),
}


@attrs.define
class OpenOrder:
    """An accepted order the desk remembers (open or filled)."""

    number: str
    symbol: str
    side: str
    quantity: int
    price: int
    order_type: str
    branch: str
    account: str
    open_quantity: int
    app_key: str = ""
    """The app key that sent it: order inquiries answer each key's own orders."""
    hour: str = ""
    """주문시각 (HHMMSS), as answered."""
    filled: int = 0
    """체결수량 so far (never more than ``quantity``)."""
    fill_price: int = 0
    """체결단가 of the fills."""
    original: str = ""
    """원주문번호 of a revision or cancellation."""
    kind: str = "new"
    """``new``, ``revise`` (정정) or ``cancel`` (취소)."""
    day: dt.date | None = None
    """주문일자 (the sandbox clock's KST date when it was accepted)."""
    reserve_price: int = 0
    """What one open share of a buy reserves of the cash (the limit price, or the upper limit for a
    market-like order)."""
    exchange: str = "KRX"
    """거래소ID구분코드 it was sent to (``EXCG_ID_DVSN_CD``: KRX, NXT or SOR)."""
    ends: dt.datetime | None = None
    """When its day ends (:func:`._day_orders.krx_day_end`): what is open then is gone."""
    expired: int = 0
    """What was still open when its day ended (잔여수량 in the day's history, no longer open)."""

    @property
    def unfilled(self) -> int:
        """잔여수량: open, or left open when its day ended."""
        return self.open_quantity + self.expired


@attrs.frozen
class Fill:
    """One execution, for the account's holdings."""

    app_key: str
    account: str
    symbol: str
    side: str
    quantity: int
    price: int


@attrs.define
class OrderDesk:
    """Checks orders, books the accepted ones into accounts, and turns them into execution notices
    (wire-name → value mappings)."""

    seed: int
    live_price: Callable[[str], int | None] = lambda symbol: None
    """The symbol's last real-time price, if it is streaming."""
    env: str = "real"
    """Which family of refusal codes to answer (``real`` or ``paper``)."""
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(KST)
    """The sandbox clock (KST): the day and session an order arrives in."""
    cash: int | None = None
    """예수금 every account starts with (``None``: :data:`DEFAULT_CASH`)."""
    holdings: Mapping[str, int | tuple[int, int]] | None = None
    """Holdings every account starts with (``None``: a seeded portfolio of ``portfolio_size``)."""
    portfolio_size: int = 20
    foreign_cash: Mapping[str, Decimal | int] | None = None
    """외화 예수금 every account starts with, per currency (``None``: :data:`DEFAULT_FOREIGN_CASH`)."""
    fx: Mapping[str, Decimal | int | float | str] | None = None
    """기준환율 per currency (``None``: :data:`DEFAULT_FX`): the won fields of overseas answers."""
    futures_cash: int | None = None
    """선물옵션 예탁현금 every account starts with (``None``: :data:`._futures.DEFAULT_FUTURES_CASH`)."""
    orders: dict[str, OpenOrder] = attrs.field(factory=dict)
    fills: list[Fill] = attrs.field(factory=list)
    accounts: dict[str, Account] = attrs.field(factory=dict)
    abroad_orders: dict[str, AbroadOrder] = attrs.field(factory=dict)
    """Accepted overseas orders by order number."""
    _start: dict[str, Position] = attrs.field(factory=dict, init=False)
    _abroad_start: dict[str, Position] = attrs.field(factory=dict, init=False)
    _foreign_start: dict[str, Decimal] = attrs.field(factory=dict, init=False)
    rates: dict[str, Decimal] = attrs.field(factory=dict, init=False)
    """The 기준환율 every overseas answer converts with (won per unit; per 100 JPY and VND)."""
    futures: FuturesDesk = attrs.field(init=False)
    """Futures and options orders, positions and deposits (:mod:`._futures`)."""

    def __attrs_post_init__(self) -> None:
        self.futures = FuturesDesk(
            quote=self.quote, now=self.now, close=self.settlement_price, cash=self.futures_cash
        )
        if self.cash is not None and (not isinstance(self.cash, int) or self.cash < 0):
            raise ValueError(f"Sandbox(cash=...) must be whole won >= 0, got {self.cash!r}")
        self._start = start_positions(self.seed, self.holdings, self.portfolio_size, self.now())
        self._abroad_start = start_abroad(self.seed, self.holdings, self.portfolio_size, self.now())
        foreign = dict(DEFAULT_FOREIGN_CASH)
        for currency, amount in (self.foreign_cash or {}).items():
            if currency not in DEFAULT_FOREIGN_CASH or Decimal(amount) < 0:
                raise ValueError(
                    f"Sandbox(foreign_cash=...): {currency!r}: {amount!r} must be one of "
                    f"{', '.join(DEFAULT_FOREIGN_CASH)} with an amount >= 0"
                )
            foreign[currency] = Decimal(amount)
        self._foreign_start = foreign
        self.rates = start_fx(self.fx)

    def won(self, amount: Decimal, currency: str, places: str = "1") -> Decimal:
        """``amount`` of ``currency`` in won at the sandbox's rate (:func:`to_won`)."""
        return to_won(amount, currency, self.rates, places)

    def book(self, app_key: str, account: str) -> list[OpenOrder]:
        """Every order ``app_key`` placed for ``account`` (8+2 digits), in arrival order, including
        orders whose answer never reached the caller."""
        return [o for o in self.orders.values() if o.app_key == app_key and o.account == account]

    def fills_of(self, app_key: str, account: str) -> list[Fill]:
        return [f for f in self.fills if f.app_key == app_key and f.account == account]

    def price(self, symbol: str) -> int:
        """Where the symbol trades now: the sandbox's one current price (fills and balances use it)."""
        live = self.live_price(symbol)
        return live if live is not None else self.quote(symbol).price

    def quote(self, symbol: str) -> Quote:
        """The symbol's day as the sandbox's quotations show it now (base price, limits): every
        rule that needs the day's prices reads it here."""
        return quote(self.seed, symbol, self.now())

    def settlement_price(self, symbol: str, day: dt.date) -> int:
        """A futures/options contract's close on trading day ``day`` (its 정산가격), off the path."""
        return prices(self.seed).day(symbol, day).close

    # -- accounts -------------------------------------------------------------------------------

    def account(self, number: str) -> Account:
        """The account ``number`` (CANO + ACNT_PRDT_CD), started on first use."""
        found = self.accounts.get(number)
        if found is None:
            positions = {s: Position(p.quantity, p.cost) for s, p in self._start.items()}
            found = self.accounts[number] = Account(
                DEFAULT_CASH if self.cash is None else self.cash,
                positions,
                foreign_cash=dict(self._foreign_start),
                abroad={k: Position(p.quantity, p.cost) for k, p in self._abroad_start.items()},
            )
        return found

    def end_days(self) -> None:
        """Ends every order whose day the clock has passed (:mod:`._day_orders`): domestic,
        overseas and futures/options alike."""
        now = self.now()
        end_day_orders(self.orders.values(), now)
        end_day_orders(self.abroad_orders.values(), now)
        self.futures.end_days()

    def open_orders(self, number: str) -> list[OpenOrder]:
        self.end_days()
        return [o for o in self.orders.values() if o.account == number and o.open_quantity > 0]

    def reserved_cash(self, number: str) -> int:
        """What the account's open buy orders hold back of its cash."""
        return sum(o.open_quantity * o.reserve_price for o in self.open_orders(number) if o.side == BUY)

    def orderable_cash(self, number: str) -> int:
        """주문가능현금: D+2 예수금 less the open buy orders' reservations."""
        return max(0, self.account(number).settled_after_all() - self.reserved_cash(number))

    def orderable_quantity(self, number: str, symbol: str) -> int:
        """주문가능수량: the holding less the open quantity of sell orders."""
        selling = sum(
            o.open_quantity for o in self.open_orders(number) if o.side == SELL and o.symbol == symbol
        )
        return max(0, self.account(number).held(symbol) - selling)

    def buy_price(self, symbol: str, order_type: str, price: int) -> int:
        """The price a buy reserves per share: a market-like order the upper limit (KIS checks a
        market buy against the upper limit price), 장전 시간외 the previous close, 장후 시간외 the
        current price, any other its own price."""
        day = self.quote(symbol)
        if order_type in MARKET_ORDER_TYPES or order_type in ("21", "23", "24"):
            return day.upper_limit
        if order_type == "05":
            return day.prev_close
        if order_type == "06":
            return self.price(symbol)
        return price

    def notice_trs(self, endpoint: Endpoint[Any], tr_id: str, notice: Mapping[str, str]) -> tuple[str, ...]:
        """The execution-notice feed(s) a notice of this order goes out on."""
        if endpoint.path in OVERSEAS_ORDER_PATHS:
            return (OVERSEAS_NOTICE_TR.get(self.env, OVERSEAS_NOTICE_TR["real"]),)
        if endpoint.path in (FUTURES_ORDER_PATH, FUTURES_CHANGE_PATH):
            item = contract(notice.get("STCK_SHRN_ISCD", ""))
            return futures_notice_trs(self.env, _night(endpoint, tr_id), item is not None and item.option)
        return (NOTICE_TR.get(self.env, NOTICE_TR["real"]),)

    # -- the rules ------------------------------------------------------------------------------

    def check(
        self, endpoint: Endpoint[Any], tr_id: str, fields: Mapping[str, Any], app_key: str = ""
    ) -> Refusal | None:
        """The refusal KIS would answer to this domestic or overseas stock order, or ``None`` to
        accept it."""
        self.end_days()
        wire = {k.upper(): str(v).strip() for k, v in fields.items()}
        rule: Rule | None
        if endpoint.path in OVERSEAS_ORDER_PATHS:
            rule = self._check_abroad(endpoint, tr_id, wire, app_key)
            return refusal(rule, self.env) if rule is not None else None
        if endpoint.path in (FUTURES_ORDER_PATH, FUTURES_CHANGE_PATH):
            rule = self.futures.check(
                wire, app_key, change=endpoint.path == FUTURES_CHANGE_PATH, night=_night(endpoint, tr_id)
            )
            return refusal(rule, self.env) if rule is not None else None
        if not endpoint.path.startswith(DOMESTIC_STOCK_PATH):
            return None
        if "RSVN_ORD_END_DT" in wire:
            return None  # 예약주문: accepted outside sessions, executed later (not modelled)
        if "ORGN_ODNO" in wire and "RVSE_CNCL_DVSN_CD" in wire:
            rule = self._check_change(wire, app_key)
        elif {"PDNO", "ORD_QTY", "ORD_UNPR"} <= wire.keys():
            rule = self._check_new(_side(endpoint, tr_id, wire), wire)
        else:
            return None
        return refusal(rule, self.env) if rule is not None else None

    def _check_session(self, order_type: str, exchange: str) -> Rule | None:
        now = self.now()
        market = "NXT" if exchange == "NXT" else "KRX"
        if not is_trading_day(now.date(), market):
            return "closed_day"
        kinds = SESSIONS_BY_ORDER_TYPE.get(order_type, _KRX_SESSIONS)
        if market == "NXT":
            kinds = frozenset({"pre_market", "regular", "after_market"})
        day_sessions = [s for s in sessions(now.date(), market) if s.kind in kinds]
        if any(s.start <= now < s.end for s in day_sessions):
            return None
        return "before_session" if any(now < s.start for s in day_sessions) else "after_session"

    def _check_price(self, symbol: str, order_type: str, price: int) -> Rule | None:
        if order_type in UNPRICED_ORDER_TYPES:
            return None
        if price <= 0 or price % tick(price):
            return "tick"
        day = self.quote(symbol)
        if price > day.upper_limit:
            return "above_upper_limit"
        if price < day.lower_limit:
            return "below_lower_limit"
        return None

    def _check_new(self, side: str, wire: Mapping[str, str]) -> Rule | None:
        order_type = wire.get("ORD_DVSN") or "00"
        symbol = wire["PDNO"]
        return (
            self._check_session(order_type, wire.get("EXCG_ID_DVSN_CD") or "KRX")
            or (None if symbol in BY_CODE else "unknown_symbol")
            or self._check_price(symbol, order_type, _int(wire["ORD_UNPR"]))
            or self._check_funds(side, wire, symbol, order_type)
        )

    def _check_funds(self, side: str, wire: Mapping[str, str], symbol: str, order_type: str) -> Rule | None:
        if "CRDT_TYPE" in wire:
            return None  # 신용주문: borrowed money and shares are not modelled
        number = _account_of(wire)
        quantity = _int(wire["ORD_QTY"])
        if side == SELL:
            return "quantity" if quantity > self.orderable_quantity(number, symbol) else None
        needed = quantity * self.buy_price(symbol, order_type, _int(wire["ORD_UNPR"]))
        return "cash" if needed > self.orderable_cash(number) else None

    def _check_change(self, wire: Mapping[str, str], app_key: str) -> Rule | None:
        original = self.orders.get(wire["ORGN_ODNO"]) or self._by_number(wire["ORGN_ODNO"])
        order_type = wire.get("ORD_DVSN") or (original.order_type if original else "00")
        session = self._check_session(order_type, wire.get("EXCG_ID_DVSN_CD") or "KRX")
        if session is not None:
            return session
        if original is None or original.app_key != app_key or original.account != _account_of(wire):
            return "unknown_order"
        if original.open_quantity == 0:
            return "nothing_to_change"
        everything = wire.get("QTY_ALL_ORD_YN", "Y") != "N"
        quantity = original.open_quantity if everything else _int(wire.get("ORD_QTY", "0"))
        if quantity > original.open_quantity or quantity <= 0:
            return "more_than_open"
        if wire["RVSE_CNCL_DVSN_CD"] == "02":
            return None
        price = _int(wire.get("ORD_UNPR", "0")) or original.price
        problem = self._check_price(original.symbol, order_type, price)
        if problem is not None or original.side == SELL:
            return problem
        freed = quantity * original.reserve_price
        needed = quantity * self.buy_price(original.symbol, order_type, price)
        return "cash" if needed > self.orderable_cash(original.account) + freed else None

    def _by_number(self, number: str) -> OpenOrder | None:
        """An order by its number however it is padded (``0000001001`` or ``1001``)."""
        bare = number.lstrip("0")
        return next((o for o in self.orders.values() if o.number.lstrip("0") == bare), None)

    # -- booking --------------------------------------------------------------------------------

    def notices(
        self,
        endpoint: Endpoint[Any],
        tr_id: str,
        fields: Mapping[str, Any],
        output: Mapping[str, Any],
        app_key: str = "",
    ) -> list[dict[str, str]]:
        """Books an accepted order and returns the notices it produces, in the order KIS sends them
        (none for an order the desk does not recognise; overseas and futures/options notices go
        out on their own feeds, :meth:`notice_trs`)."""
        self.end_days()
        if endpoint.path in OVERSEAS_ORDER_PATHS:
            return self._book_abroad(endpoint, tr_id, fields, output, app_key)
        if endpoint.path in (FUTURES_ORDER_PATH, FUTURES_CHANGE_PATH):
            return self.futures.book(
                {k.upper(): str(v).strip() for k, v in fields.items()},
                {k.upper(): str(v) for k, v in output.items()},
                app_key,
                change=endpoint.path == FUTURES_CHANGE_PATH,
                night=_night(endpoint, tr_id),
            )
        if not endpoint.path.startswith(DOMESTIC_STOCK_PATH):
            return []
        wire = {k.upper(): str(v).strip() for k, v in fields.items()}
        answer = {k.upper(): str(v) for k, v in output.items()}
        number = answer.get("ODNO", "")
        if not number:
            return []
        if "ORGN_ODNO" in wire and "RVSE_CNCL_DVSN_CD" in wire:
            return self._revise_or_cancel(wire, answer, app_key)
        if {"PDNO", "ORD_QTY", "ORD_UNPR"} <= wire.keys():
            return self._place(_side(endpoint, tr_id, wire), wire, answer, app_key)
        return []

    def _place(
        self, side: str, wire: dict[str, str], answer: dict[str, str], app_key: str
    ) -> list[dict[str, str]]:
        order_type = wire.get("ORD_DVSN") or "00"
        price = _int(wire["ORD_UNPR"])
        order = OpenOrder(
            number=answer["ODNO"],
            symbol=wire["PDNO"],
            side=side,
            quantity=_int(wire["ORD_QTY"]),
            price=price,
            order_type=order_type,
            branch=answer.get("KRX_FWDG_ORD_ORGNO", ""),
            account=_account_of(wire),
            open_quantity=_int(wire["ORD_QTY"]),
            app_key=app_key,
            hour=answer.get("ORD_TMD", ""),
            day=self.now().date(),
            reserve_price=self.buy_price(wire["PDNO"], order_type, price) if side == BUY else 0,
            exchange=wire.get("EXCG_ID_DVSN_CD") or "KRX",
            ends=krx_day_end(self.now().date(), order_type, wire.get("EXCG_ID_DVSN_CD") or "KRX"),
        )
        self.orders[order.number] = order
        hour = order.hour
        return [self._accepted(order, hour, correction="0"), *self._fill_if_marketable(order, hour)]

    def _revise_or_cancel(
        self, wire: dict[str, str], answer: dict[str, str], app_key: str
    ) -> list[dict[str, str]]:
        original = self.orders.get(wire["ORGN_ODNO"]) or self._by_number(wire["ORGN_ODNO"])
        if original is None or original.open_quantity == 0 or original.app_key != app_key:
            return []  # not an order of this sandbox, or already filled: nothing is left to change
        everything = wire.get("QTY_ALL_ORD_YN", "Y") != "N"
        quantity = (
            original.open_quantity if everything else min(_int(wire["ORD_QTY"]), original.open_quantity)
        )
        hour = answer.get("ORD_TMD", "")
        cancel = wire["RVSE_CNCL_DVSN_CD"] == "02"
        original.open_quantity -= quantity
        if cancel:
            cancelled = attrs.evolve(
                original,
                number=answer["ODNO"],
                quantity=quantity,
                open_quantity=0,
                hour=hour,
                filled=0,
                fill_price=0,
                original=original.number,
                kind="cancel",
                day=self.now().date(),
            )
            self.orders[cancelled.number] = cancelled
            return [self._accepted(cancelled, hour, correction="2", original=original.number)]
        order_type = wire.get("ORD_DVSN") or original.order_type
        price = _int(wire.get("ORD_UNPR", "0")) or original.price
        revised = attrs.evolve(
            original,
            number=answer["ODNO"],
            quantity=quantity,
            open_quantity=quantity,
            price=price,
            order_type=order_type,
            hour=hour,
            filled=0,
            fill_price=0,
            original=original.number,
            kind="revise",
            day=self.now().date(),
            reserve_price=self.buy_price(original.symbol, order_type, price) if original.side == BUY else 0,
            ends=krx_day_end(self.now().date(), order_type, original.exchange),
        )
        self.orders[revised.number] = revised
        accepted = self._accepted(revised, hour, correction="1", original=original.number)
        return [accepted, *self._fill_if_marketable(revised, hour, original=original.number)]

    def _fill_price(self, order: OpenOrder) -> int | None:
        """Where ``order`` fills now, or ``None`` when it rests: market-like orders and limit
        orders at or through the current price fill at the current price; 장전 시간외 at the previous
        close."""
        market = self.price(order.symbol)
        if order.order_type == "05":
            return self.quote(order.symbol).prev_close
        if order.order_type in UNPRICED_ORDER_TYPES or order.price == 0:
            return market
        if (order.side == BUY and order.price >= market) or (order.side == SELL and order.price <= market):
            return market
        return None

    def _fill_if_marketable(self, order: OpenOrder, hour: str, original: str = "") -> list[dict[str, str]]:
        price = self._fill_price(order)
        if price is None:
            if order.order_type in IMMEDIATE_ORDER_TYPES:
                order.open_quantity = 0  # IOC/FOK: what does not fill at once is cancelled
            return []
        filled = order.open_quantity
        order.open_quantity = 0
        order.filled += filled
        order.fill_price = price
        self.fills.append(Fill(order.app_key, order.account, order.symbol, order.side, filled, price))
        self.account(order.account).fill(
            order.day or self.now().date(), order.symbol, order.side, filled, price
        )
        return [
            self._notice(
                order,
                hour,
                CNTG_YN="2",
                ACPT_YN="2",
                CNTG_QTY=str(filled),
                CNTG_UNPR=str(price),
                RCTF_CLS="0",
                OODER_NO=original,
            )
        ]

    # -- overseas -------------------------------------------------------------------------------

    def abroad_price(self, exchange: str, symbol: str) -> Decimal:
        """Where ``symbol`` trades on ``exchange`` now: the price the overseas quotations answer."""
        return current_price(self.seed, exchange, symbol, self.now())

    def orderable_foreign_cash(self, number: str, currency: str) -> Decimal:
        """주문가능외화: the currency's settled cash, less unsettled buys, plus unsettled sale
        proceeds where the market re-uses them (매도재사용), less what open buys reserve."""
        return max(
            Decimal(0), self.usable_foreign_cash(number, currency) - self.reserved_foreign(number, currency)
        )

    def usable_foreign_cash(self, number: str, currency: str) -> Decimal:
        """외화사용가능금액 before open orders: settled cash, less unsettled buys, plus the unsettled
        sale proceeds the market re-uses."""
        account, today = self.account(number), self.now().astimezone(KST).date()
        return (
            account.foreign_settled(currency, today)
            - account.foreign_unsettled(currency, today, BUY)
            + account.foreign_reusable(currency, today)
        )

    def reserved_foreign(self, number: str, currency: str) -> Decimal:
        """What the account's open overseas buys in ``currency`` hold back (매수증거금)."""
        return sum(
            (
                o.price * o.open_quantity
                for o in self._open_abroad(number)
                if o.side == BUY and o.currency == currency
            ),
            Decimal(0),
        )

    def orderable_abroad(self, number: str, key: str) -> int:
        """Overseas 주문가능수량: the position less open sells (and, in China, less today's buys:
        매수 결제전 매도불가)."""
        account = self.account(number)
        position = account.abroad.get(key)
        selling = sum(o.open_quantity for o in self._open_abroad(number) if o.side == SELL and o.key == key)
        exchange = key.partition(":")[0]
        unsettled = (
            account.bought_abroad_on(key, local_day(self.now(), exchange))
            if exchange in NO_SALE_BEFORE_SETTLEMENT
            else 0
        )
        return max(0, (position.quantity if position else 0) - selling - unsettled)

    def _abroad_by_number(self, number: str) -> AbroadOrder | None:
        """The overseas order ``number`` names, zero-padded (real) or not (paper)."""
        return self.abroad_orders.get(number) or next(
            (o for o in self.abroad_orders.values() if o.number.lstrip("0") == number.lstrip("0")), None
        )

    def _open_abroad(self, number: str) -> list[AbroadOrder]:
        self.end_days()
        return [o for o in self.abroad_orders.values() if o.account == number and o.open_quantity > 0]

    def _check_abroad(
        self, endpoint: Endpoint[Any], tr_id: str, wire: Mapping[str, str], app_key: str
    ) -> Rule | None:
        exchange = wire.get("OVRS_EXCG_CD", "")
        if exchange not in EXCHANGES:
            return None  # the field check already refused an unknown code
        new_type = wire.get("ORD_DVSN") or "00"
        if "ORGN_ODNO" not in wire and not order_type_taken(
            exchange, _abroad_side(endpoint, tr_id) == SELL, new_type
        ):
            return "order_type"
        if endpoint.path in DAYTIME_PATHS:
            session = daytime_rule(self.now())
        else:
            order_type = "00" if "ORGN_ODNO" in wire else new_type
            session = session_rule(self.now(), exchange, order_type, extended=self.env != "paper")
        if session is not None:
            return cast(Rule, session)
        number = _account_of(wire)
        if "ORGN_ODNO" in wire:
            original = self._abroad_by_number(wire["ORGN_ODNO"])
            if original is None or original.app_key != app_key or original.account != number:
                return "unknown_order"
            if original.open_quantity == 0:
                return "nothing_to_change"
            quantity = _int(wire.get("ORD_QTY", "0")) or original.open_quantity
            if quantity > original.open_quantity:
                return "more_than_open"
            if wire.get("RVSE_CNCL_DVSN_CD") == "02":
                return None
            if original.order_type in ALGORITHM_ORDER_TYPES:
                return "algorithm_amend"  # the order page: "※ TWAP, VWAP 주문은 정정 불가"
            price = decimal_of(wire.get("OVRS_ORD_UNPR", "0")) or original.price
            if off_tick(exchange, price):
                return tick_rule(exchange, price)
            if original.side == BUY:
                freed = original.price * quantity
                if price * quantity > self.orderable_foreign_cash(number, original.currency) + freed:
                    return "cash"
            return None
        side = _abroad_side(endpoint, tr_id)
        order_type = wire.get("ORD_DVSN") or "00"
        price = decimal_of(wire.get("OVRS_ORD_UNPR", "0"))
        quantity = _int(wire.get("ORD_QTY", "0"))
        unpriced = order_type in _ABROAD_UNPRICED
        if not unpriced and off_tick(exchange, price):
            return tick_rule(exchange, price)
        key = f"{exchange}:{wire.get('PDNO', '')}"
        if side == SELL:
            return "quantity" if quantity > self.orderable_abroad(number, key) else None
        if unpriced:
            price = self.abroad_price(exchange, wire.get("PDNO", ""))
        currency = EXCHANGES[exchange].currency
        return "cash" if price * quantity > self.orderable_foreign_cash(number, currency) else None

    def _book_abroad(
        self,
        endpoint: Endpoint[Any],
        tr_id: str,
        fields: Mapping[str, Any],
        output: Mapping[str, Any],
        app_key: str,
    ) -> list[dict[str, str]]:
        wire = {k.upper(): str(v).strip() for k, v in fields.items()}
        answer = {k.upper(): str(v) for k, v in output.items()}
        number = answer.get("ODNO", "")
        exchange = wire.get("OVRS_EXCG_CD", "")
        if not number or exchange not in EXCHANGES:
            return []
        if "ORGN_ODNO" in wire:
            original = self._abroad_by_number(wire["ORGN_ODNO"])
            if original is None or original.open_quantity == 0:
                return []
            quantity = min(_int(wire.get("ORD_QTY", "0")) or original.open_quantity, original.open_quantity)
            original.open_quantity -= quantity
            cancel = wire.get("RVSE_CNCL_DVSN_CD") == "02"
            changed = attrs.evolve(
                original,
                number=number,
                quantity=quantity,
                open_quantity=0 if cancel else quantity,
                price=original.price
                if cancel
                else (decimal_of(wire.get("OVRS_ORD_UNPR", "0")) or original.price),
                day=self._abroad_day(endpoint, exchange),
                filled=0,
                fill_price=Decimal(0),
                original=original.number,
                kind="cancel" if cancel else "revise",
                hour=answer.get("ORD_TMD", ""),
                placed=self.now(),
                queued_until=None
                if endpoint.path in DAYTIME_PATHS
                else queued_until(self.now(), exchange, original.order_type),
                ends=self._abroad_day_end(endpoint.path, exchange),
            )
            self.abroad_orders[number] = changed
            accepted = abroad_notice(
                changed,
                CNTG_YN="1",
                CNTG_QTY=str(quantity),
                CNTG_UNPR=notice_price(exchange, changed.price),
            )
            return [accepted, *([] if cancel else self._fill_abroad(changed))]
        order_type = wire.get("ORD_DVSN") or "00"
        order = AbroadOrder(
            number=number,
            account=_account_of(wire),
            app_key=app_key,
            exchange=exchange,
            symbol=wire.get("PDNO", ""),
            side=_abroad_side(endpoint, tr_id),
            quantity=_int(wire.get("ORD_QTY", "0")),
            open_quantity=_int(wire.get("ORD_QTY", "0")),
            price=decimal_of(wire.get("OVRS_ORD_UNPR", "0")),
            order_type=order_type,
            day=self._abroad_day(endpoint, exchange),
            hour=answer.get("ORD_TMD", ""),
            placed=self.now(),
            queued_until=None
            if endpoint.path in DAYTIME_PATHS
            else queued_until(self.now(), exchange, order_type),
            daytime=endpoint.path in DAYTIME_PATHS,
            ends=self._abroad_day_end(endpoint.path, exchange),
        )
        self.abroad_orders[number] = order
        accepted = abroad_notice(
            order, CNTG_YN="1", CNTG_QTY=str(order.quantity), CNTG_UNPR=notice_price(exchange, order.price)
        )
        return [accepted, *self._fill_abroad(order)]

    def _abroad_day(self, endpoint: Endpoint[Any], exchange: str) -> dt.date:
        """주문일자 of an overseas order taken now: the exchange's local date, or for a 미국주간거래
        order the US trading day its session belongs to (:func:`daytime_day`)."""
        if endpoint.path in DAYTIME_PATHS:
            return daytime_day(self.now())
        return local_day(self.now(), exchange)

    def _abroad_day_end(self, path: str, exchange: str) -> dt.datetime | None:
        """When an overseas order taken now ends (a day order): the exchange's close
        (:func:`abroad_day_end`), or for a 미국주간거래 order the end of its daytime session (no
        public source says a daytime remainder carries into the regular session)."""
        now = self.now()
        if path in DAYTIME_PATHS:
            window = daytime_window(now)
            return window[1] if window is not None else None
        return abroad_day_end(local_day(now, exchange), exchange, now)

    def wake_abroad(self) -> list[dict[str, str]]:
        """Fills the orders taken in a lunch break whose afternoon session has opened (when
        marketable at its opening price); their fill notices. The server calls it before it
        answers any request, so a bot sees the fill the first time it looks."""
        now = self.now()
        notices = []
        for order in self.abroad_orders.values():
            if order.queued_until is not None and order.queued_until <= now and order.open_quantity > 0:
                opening = order.queued_until
                order.queued_until = None
                notices += self._fill_abroad(order, at=opening)
                if order.open_quantity and order.order_type in AUCTION_ORDER_TYPES:
                    end(order)  # an LOO/LOC the auction did not fill ends with it, as a day order
        return notices

    def _fill_abroad(self, order: AbroadOrder, at: dt.datetime | None = None) -> list[dict[str, str]]:
        """Fills ``order`` in full at the price at ``at`` (default: now) when it is marketable; its
        fill notice. An order waiting for the afternoon session (taken in a lunch break) does not
        fill before it."""
        if order.queued_until is not None and self.now() < order.queued_until:
            return []
        market = current_price(self.seed, order.exchange, order.symbol, at or self.now())
        marketable = (
            order.order_type in _ABROAD_UNPRICED
            or (order.side == BUY and order.price >= market)
            or (order.side == SELL and order.price <= market)
        )
        if not marketable:
            return []
        filled, order.open_quantity = order.open_quantity, 0
        order.filled += filled
        order.fill_price = market
        traded = order.day if order.daytime else local_day(at or self.now(), order.exchange)
        self.account(order.account).fill_abroad(
            AbroadTrade(
                order.key,
                order.currency,
                order.side,
                filled,
                market * filled,
                traded,
                settlement_day(order.exchange, traded),
                reusable=order.currency in REUSE_SALE_PROCEEDS,
            )
        )
        return [
            abroad_notice(
                order,
                CNTG_YN="2",
                ACPT_YN="2",
                RCTF_CLS="0",
                CNTG_QTY=str(filled),
                CNTG_UNPR=notice_price(order.exchange, market),
                ODER_QTY=str(order.quantity),
                # 체결시간: when it filled (the open, for an order that waited for it), in KST as
                # the order's ORD_TMD; not when it was taken
                STCK_CNTG_HOUR=(at or self.now()).astimezone(KST).strftime("%H%M%S"),
            )
        ]

    def _accepted(
        self, order: OpenOrder, hour: str, *, correction: str, original: str = ""
    ) -> dict[str, str]:
        return self._notice(
            order,
            hour,
            CNTG_YN="1",
            ACPT_YN="1",
            CNTG_QTY="0",
            CNTG_UNPR="0",
            RCTF_CLS=correction,
            OODER_NO=original,
        )

    def _notice(self, order: OpenOrder, hour: str, **values: str) -> dict[str, str]:
        stock = BY_CODE.get(order.symbol)
        return {
            "ACNT_NO": order.account,
            "ODER_NO": order.number,
            "SELN_BYOV_CLS": order.side,
            "ODER_KIND": order.order_type,
            "ODER_COND": "0",
            "STCK_SHRN_ISCD": order.symbol,
            "STCK_CNTG_HOUR": hour,
            "RFUS_YN": "0",
            "BRNC_NO": order.branch,
            "ODER_QTY": str(order.quantity),
            "ACNT_NAME": "샌드박스",
            "ORD_EXG_GB": "1",
            "POPUP_YN": "Y",
            "CNTG_ISNM40": stock.name if stock else order.symbol,
            "ODER_PRC": str(order.price),
            **values,
        }


def _side(endpoint: Endpoint[Any], tr_id: str, wire: Mapping[str, str]) -> str:
    """매도(01)/매수(02): from ``SLL_BUY_DVSN_CD`` when the order carries it, else from the TR the
    order was sent with (``order_cash`` picks its TR by side)."""
    if wire.get("SLL_BUY_DVSN_CD") in (SELL, BUY):
        return wire["SLL_BUY_DVSN_CD"]
    for table in (endpoint.tr_id.real, endpoint.tr_id.paper):
        if isinstance(table, Mapping):
            for choice, tr in table.items():
                if tr == tr_id:  # a combined choice (``sell/NASD``, ``us_sell/NYSE``) starts with the side
                    side = choice.split("/")[0]
                    return SELL if side in ("sell", SELL) or side.endswith("_sell") else BUY
    return BUY


#: Overseas 주문구분 without a price: MOO (31) and MOC (33), market-on-open/close sells.
_ABROAD_UNPRICED = frozenset({"31", "33"})
#: US auction 주문구분: what the auction does not fill expires (MOO/MOC always fill).
AUCTION_ORDER_TYPES = OPENING_ORDER_TYPES | CLOSING_ORDER_TYPES


def _abroad_side(endpoint: Endpoint[Any], tr_id: str) -> str:
    """매도/매수 of an overseas order, from the TR it was sent with: the side leads a combined
    choice (``sell/NASD``)."""
    for table in (endpoint.tr_id.real, endpoint.tr_id.paper):
        if isinstance(table, Mapping):
            for choice, tr in table.items():
                if tr == tr_id:
                    side = str(choice).partition("/")[0]
                    return SELL if side == "sell" or side.endswith("_sell") else BUY
    return BUY


def _night(endpoint: Endpoint[Any], tr_id: str) -> bool:
    """Whether a futures/options order was sent with its night-session TR (야간, STTN…)."""
    table = endpoint.tr_id.real
    return isinstance(table, Mapping) and table.get("night") == tr_id


def _account_of(wire: Mapping[str, str]) -> str:
    return wire.get("CANO", "") + wire.get("ACNT_PRDT_CD", "")


def _int(text: str) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0
