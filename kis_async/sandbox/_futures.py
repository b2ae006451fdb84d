"""Domestic index futures and options orders (국내선물옵션 주문) in the sandbox market.

The same rules as stocks, for KRX's derivatives market (``docs/sandbox.md``, "Futures and
options"):

- **Session**: orders are accepted on a KRX trading day from 08:45 to 15:45 KST (the day
  session; on the year's first trading day an hour later, as KRX opens late; an expiring contract
  until 15:20 on its last trading day); a night-TR order in KRX's night session, 18:00–06:00.
- **Contracts**: KOSPI200 futures, mini futures and options (:mod:`._contracts`) up to their last
  trading day; any other code, or a contract past its last trading day, is refused as unknown.
- **Price**: a limit price on the contract's tick grid and inside the day's band (futures ±8 %
  of the base price).
- **Margin** (a simple model): every account has a futures deposit (``Sandbox(futures_cash=...)``,
  예탁현금). Opening a futures position, or writing (selling to open) an option, holds
  :data:`MARGIN_RATE` of its notional (base price × multiplier, the strike for a written option)
  per contract; buying an option pays its premium (price × multiplier). An accepted order
  reserves what it would need at once (a market order at the upper limit); closing an existing
  position needs nothing. 주문가능현금 = deposit − margin of positions − reservations.
- **Fills** at the price path's current price, as for stocks (each acceptance and fill is sent on
  the 선물옵션 체결통보 feed, H0IFCNI0, or the night feeds for night orders): a market order, or a limit at or
  through the price, fills in full at once; other limits rest until amended or cancelled; IOC/FOK
  that cannot fill is cancelled. A futures fill that closes a position moves its profit or loss
  into the deposit at once; an option fill moves its premium. Positions are net per contract (a
  sell against a long closes it, beyond it opens a short).
- **Daily settlement** (일일정산, :meth:`FuturesDesk.settle`): at each trading day's end (15:45)
  open futures are marked to the day's settlement price (the contract's close), which becomes
  their average price; contracts at their last trading day are closed at the final settlement
  price (a future its close, an option its intrinsic value against the KOSPI200 level its price
  path is drawn around: 권리행사 when in the money, worthless otherwise). The day's 정산차금
  reaches the deposit on the next trading day.

The inquiries (잔고현황, 주문가능, 주문체결내역) answer from this desk in :mod:`._futures_book`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

import attrs

from kis_async._calendar import KST, is_trading_day, next_trading_day, previous_trading_day
from kis_async.sandbox._contracts import EXPIRY_CLOSE, UNDERLYING_POINTS, Contract, contract, listed, tick
from kis_async.sandbox._day_orders import end, end_day_orders, futures_day_end
from kis_async.sandbox._market import Quote
from kis_async.sandbox._refusals import Rule

FUTURES_ORDER_PATH = "/uapi/domestic-futureoption/v1/trading/order"
FUTURES_CHANGE_PATH = "/uapi/domestic-futureoption/v1/trading/order-rvsecncl"
FUTURES_TRADING_PATH = "/uapi/domestic-futureoption/v1/trading/"

#: 선물옵션 예탁현금 every account starts with (won).
DEFAULT_FUTURES_CASH = 50_000_000

#: The share of a position's notional held as margin (KRX sets KOSPI200 futures' 위탁증거금률 near
#: 8 %; the sandbox uses one round rate for futures and written options).
MARGIN_RATE = Decimal("0.10")

SELL, BUY = "01", "02"
#: ORD_DVSN_CD priced by the market (시장가, 최유리 and their IOC/FOK).
MARKET_TYPES = frozenset({"02", "04", "12", "13", "14", "15"})
#: ORD_DVSN_CD that fill at once or not at all (IOC/FOK).
IMMEDIATE_TYPES = frozenset({"10", "11", "12", "13", "14", "15"})
SESSION_START, SESSION_END = dt.time(8, 45), dt.time(15, 45)
NIGHT_START, NIGHT_END = dt.time(18, 0), dt.time(6, 0)
HUNDRED = Decimal(100)


@attrs.define
class FuturesPosition:
    quantity: int
    """Net contracts: positive long (매수), negative short (매도)."""
    average: Decimal
    """체결평균단가 of the open contracts (points)."""


@attrs.frozen
class DayRecord:
    """A trading day of a futures account as 잔고정산손익내역 shows it: per contract (전일잔고,
    신규, 전매환매, 잔고, 정산가격, 매매손익, 정산차금) and the day's totals."""

    rows: tuple[tuple[str, int, int, int, int, Decimal, Decimal, Decimal], ...]
    """(code, 전일잔고 signed, 신규, 전매환매, 잔고 signed, price (points), 매매손익, 평가손익)."""
    differences: tuple[Decimal, Decimal]
    """(당일차금, 갱신차금)."""
    cash: Decimal
    """예수금현금 after the day (what was paid in by then)."""
    next_cash: Decimal
    """익일예수금: with the day's 정산차금."""
    margin: Decimal
    """위탁증거금 the open positions hold at the day's settlement price."""
    option_bought: Decimal
    option_sold: Decimal
    option_value: Decimal
    """옵션청산평가금액: the option positions at the day's price (written ones negative)."""


@attrs.define
class FuturesAccount:
    cash: Decimal
    """예탁현금 (won): the start, plus closed futures P&L, option premiums and the daily
    settlements paid so far."""
    settled_through: dt.date
    """The last trading day whose end-of-day settlement is booked."""
    positions: dict[str, FuturesPosition] = attrs.field(factory=dict)
    realized: dict[str, Decimal] = attrs.field(factory=dict)
    """매매손익 per contract (won), of the trading day :attr:`realized_on` only."""
    realized_on: dt.date | None = None
    """The KST date :attr:`realized` belongs to (cleared when the clock's date moves on)."""
    pending: list[tuple[dt.date, Decimal]] = attrs.field(factory=list)
    """정산차금 booked at a day's end and not yet in the deposit: (the day it is paid, won)."""
    carried: dict[str, tuple[int, Decimal]] = attrs.field(factory=dict)
    """The futures positions the last day's end left open: (signed quantity, 정산가격)."""
    differences: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))
    """(당일차금, 갱신차금) of the last day's end."""
    held: dict[str, int] = attrs.field(factory=dict)
    """Every position the last day's end left open (signed quantity): 전일잔고."""
    days: dict[dt.date, DayRecord] = attrs.field(factory=dict)
    """What each booked day's end settled (잔고정산손익내역), by trading day."""

    def unpaid(self) -> Decimal:
        return sum((amount for _, amount in self.pending), Decimal(0))


@attrs.define
class FuturesOrder:
    number: str
    account: str
    app_key: str
    symbol: str
    side: str
    quantity: int
    open_quantity: int
    price: int
    """주문가격 in hundredths of a point (0 for a market order)."""
    order_type: str
    day: dt.date
    hour: str
    closing: int = 0
    """How many of the open contracts close a position (they need nothing); the others open one
    and reserve ``reserve_each`` while they rest."""
    reserve_each: Decimal = Decimal(0)
    """What one opening contract holds back of the deposit while the order rests."""
    filled: int = 0
    fill_price: int = 0
    original: str = ""
    kind: str = "new"
    ends: dt.datetime | None = None
    """When its session ends (15:45, or a night order's 06:00): what is open then is gone."""
    expired: int = 0
    """What was still open when its session ended (잔량 in the day's history, no longer open)."""

    @property
    def opening(self) -> int:
        """Open contracts that would open a position."""
        return max(0, self.open_quantity - self.closing)

    @property
    def reserved(self) -> Decimal:
        return self.opening * self.reserve_each

    def take(self, quantity: int) -> int:
        """Take ``quantity`` of the open contracts away (an amend or cancel takes the opening ones
        first); returns how many of them were closing."""
        closing = max(0, quantity - self.opening)
        self.open_quantity -= quantity
        self.closing -= closing
        return closing


def points(hundredths: int) -> Decimal:
    return Decimal(hundredths) / HUNDRED


def hundredths(text: str) -> int | None:
    """A wire price in points (``"350.05"``) in hundredths; ``None`` off the 0.01 grid."""
    try:
        value = Decimal(text or "0") * HUNDRED
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.to_integral_value():
        return None
    return int(value)


@attrs.define
class FuturesDesk:
    """Checks, books and fills futures/options orders and keeps each account's futures side."""

    quote: Callable[[str], Quote]
    """The contract's day now (base price, band, current price) from the price path."""
    now: Callable[[], dt.datetime]
    close: Callable[[str, dt.date], int]
    """A contract's close (hundredths) on a trading day: its settlement price (정산가격)."""
    cash: int | None = None
    orders: dict[str, FuturesOrder] = attrs.field(factory=dict)
    accounts: dict[str, FuturesAccount] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if self.cash is not None and (not isinstance(self.cash, int) or self.cash < 0):
            raise ValueError(f"Sandbox(futures_cash=...) must be whole won >= 0, got {self.cash!r}")

    # -- the account ----------------------------------------------------------------------------

    def account(self, number: str) -> FuturesAccount:
        """The account ``number``, started on first use, settled up to the clock."""
        found = self.accounts.get(number)
        if found is None:
            start = DEFAULT_FUTURES_CASH if self.cash is None else self.cash
            found = self.accounts[number] = FuturesAccount(Decimal(start), self._last_settled_day())
        self.settle(number, found)
        return found

    def _last_settled_day(self) -> dt.date:
        """The latest trading day whose end (15:45 KST) the clock has passed."""
        now = self.now().astimezone(KST)
        day = now.date()
        if not is_trading_day(day) or now.time() < SESSION_END:
            day = previous_trading_day(day)
        return day

    def settle(self, number: str, account: FuturesAccount) -> None:
        """Books every day's end the clock has passed since the last one (일일정산 and expiry),
        then pays what is due by today: lazily, so a clock that jumps weeks settles each trading
        day in turn, the same whenever it is asked."""
        today = self.now().astimezone(KST).date()
        last = self._last_settled_day()
        idle = not account.positions and not account.carried and account.settled_through < last
        if idle and not any(
            o.account == number and (o.open_quantity or o.day > account.settled_through)
            for o in self.orders.values()
        ):  # nothing held, open or traded since: the days in between settle nothing
            account.settled_through, account.differences = last, (Decimal(0), Decimal(0))
        while account.settled_through < last:
            day = next_trading_day(account.settled_through)
            self._day_end(number, account, day, today)
            account.settled_through = day
        due = [(when, amount) for when, amount in account.pending if when <= today]
        for entry in due:
            account.pending.remove(entry)
            account.cash += entry[1]
        if account.realized_on != today:
            account.realized.clear()  # 매매손익 is the day's: yesterday's trades are not listed
            account.realized_on = today

    def _day_end(self, number: str, account: FuturesAccount, day: dt.date, today: dt.date) -> None:
        """The end of trading day ``day``: futures marked to the day's settlement price, expiring
        contracts settled at their final price (realised P&L booked), their open orders ended;
        the sum is paid on the next trading day."""
        if account.realized_on != day:
            account.realized.clear()  # the 매매손익 of an earlier day is in its record
            account.realized_on = day
        account.differences = self._differences(
            number, account, day, lambda code: points(self.close(code, day))
        )
        amount = Decimal(0)
        moved: dict[str, Decimal] = {}
        for code, position in list(account.positions.items()):
            item = contract(code)
            if item is None:
                continue
            if item.expiry <= day:
                final = self.final_price(item, item.expiry)
                worth = final * item.multiplier * position.quantity
                profit = (final - position.average) * item.multiplier * position.quantity
                # a future's 정산차금 is its move from the last settlement; an option pays (or a
                # written one owes) its intrinsic value, its premium having moved at the fill
                amount += worth if item.option else profit
                moved[code] = profit
                account.realized[code] = account.realized.get(code, Decimal(0)) + profit
                del account.positions[code]
            elif not item.option:
                price = points(self.close(code, day))
                moved[code] = (price - position.average) * item.multiplier * position.quantity
                amount += moved[code]
                position.average = price
        for order in self.orders.values():
            item = contract(order.symbol)
            if order.account == number and item is not None and item.expiry <= day:
                end(order)  # an expired contract's resting orders end with it
        if amount:
            account.pending.append((next_trading_day(day), amount))
        account.days[day] = self.day_record(number, account, day, moved)
        account.held = {code: position.quantity for code, position in account.positions.items()}
        account.carried = {
            code: (position.quantity, position.average)
            for code, position in account.positions.items()
            if not (item := contract(code)) or not item.option
        }

    def _differences(
        self, number: str, account: FuturesAccount, day: dt.date, price: Callable[[str], Decimal]
    ) -> tuple[Decimal, Decimal]:
        """(당일차금, 갱신차금) of futures on trading day ``day`` at ``price`` per contract, as KIS's
        잔고현황 defines them: today's fills (매수 quantity × (price − fill), 매도 quantity × (fill −
        price)) and the positions the previous day left open (quantity × (price − previous
        정산가격)), × 거래승수. Their sum is the day's realised futures P&L plus its 정산차금."""
        today = Decimal(0)
        for order in self.orders.values():
            item = contract(order.symbol)
            if order.account != number or order.day != day or not order.filled or item is None or item.option:
                continue
            signed = order.filled if order.side == BUY else -order.filled
            today += (price(order.symbol) - points(order.fill_price)) * item.multiplier * signed
        renewed = Decimal(0)
        for code, (quantity, settled) in account.carried.items():
            item = contract(code)
            if item is not None:
                renewed += (price(code) - settled) * item.multiplier * quantity
        return today, renewed

    def day_record(
        self, number: str, account: FuturesAccount, day: dt.date, moved: dict[str, Decimal] | None = None
    ) -> DayRecord:
        """Trading day ``day`` of the account: at its end (``moved``: each contract's 정산차금 or
        final settlement) from the day's settlement prices, else (the day running) at the
        current prices with each position's move from its average."""
        settled = moved is not None

        def price(code: str, item: Contract) -> Decimal:
            if settled:
                return self.final_price(item, day) if item.expiry <= day else points(self.close(code, day))
            return points(self.quote(code).price)

        opened: dict[str, int] = {}
        closed: dict[str, int] = {}
        bought = sold = Decimal(0)
        for order in self.orders.values():
            item = contract(order.symbol)
            if order.account != number or order.day != day or not order.filled or item is None:
                continue
            closing = min(order.filled, order.closing)
            opened[order.symbol] = opened.get(order.symbol, 0) + order.filled - closing
            closed[order.symbol] = closed.get(order.symbol, 0) + closing
            if item.option:
                premium = points(order.fill_price) * item.multiplier * order.filled
                bought, sold = (bought + premium, sold) if order.side == BUY else (bought, sold + premium)
        rows = []
        margin = option_value = Decimal(0)
        codes = dict.fromkeys([*account.held, *opened, *closed, *account.positions, *account.realized])
        for code in codes:
            item = contract(code)
            if item is None:
                continue
            position = account.positions.get(code, FuturesPosition(0, Decimal(0)))
            now = price(code, item)
            if settled:
                assert moved is not None
                evaluation = moved.get(code, Decimal(0)) if not item.option else Decimal(0)
            else:
                evaluation = (now - position.average) * item.multiplier * position.quantity
            quantity = position.quantity
            if item.option:
                option_value += now * item.multiplier * quantity
                if quantity < 0:
                    assert item.strike is not None
                    margin += item.strike * item.multiplier * MARGIN_RATE * -quantity
            else:
                margin += now * item.multiplier * MARGIN_RATE * abs(quantity)
            rows.append(
                (
                    code,
                    account.held.get(code, 0),
                    opened.get(code, 0),
                    closed.get(code, 0),
                    quantity,
                    now,
                    account.realized.get(code, Decimal(0)),
                    evaluation,
                )
            )
        return DayRecord(
            rows=tuple(rows),
            differences=account.differences
            if settled
            else self._differences(number, account, day, lambda code: points(self.quote(code).price)),
            cash=account.cash,
            next_cash=account.cash + account.unpaid(),
            margin=margin,
            option_bought=bought,
            option_sold=sold,
            option_value=option_value,
        )

    def record_of(self, number: str, day: dt.date) -> DayRecord | None:
        """잔고정산손익내역 of ``day``: the booked end of a past trading day, the running day's
        figures now, ``None`` for a day not traded (a holiday, the future, before the account)."""
        account = self.account(number)
        if day in account.days:
            return account.days[day]
        now = self.now().astimezone(KST)
        if day == now.date() and is_trading_day(day) and day > account.settled_through:
            return self.day_record(number, account, day)
        return None

    def idle_cash(self, number: str, day: dt.date) -> tuple[Decimal, Decimal]:
        """(예수금, 익일예수금) on a day without a record: nothing was held or traded, so the cash
        is what the last booked day before it left (the start before any), or today's after."""
        account = self.account(number)
        if day >= self.now().astimezone(KST).date():
            return account.cash, account.cash + account.unpaid()
        earlier = [d for d in account.days if d < day]
        if earlier:
            left = account.days[max(earlier)].next_cash
            return left, left
        start = Decimal(DEFAULT_FUTURES_CASH if self.cash is None else self.cash)
        return start, start

    def day_differences(self, number: str) -> tuple[Decimal, Decimal]:
        """(당일차금, 갱신차금) now: during a trading day's session at the current price, after its
        end (and until the next one) the figures its settlement booked."""
        account = self.account(number)
        now = self.now().astimezone(KST)
        if is_trading_day(now.date()) and now.time() < SESSION_END:
            return self._differences(number, account, now.date(), lambda code: points(self.quote(code).price))
        return account.differences

    def final_price(self, item: Contract, day: dt.date) -> Decimal:
        """최종결제가격 (points) on the last trading day ``day``: a future's close (KRX settles at
        KOSPI200's close, which the sandbox's future stands for); an option's intrinsic value
        against :data:`._contracts.UNDERLYING_POINTS`, the KOSPI200 level its price path is drawn
        around (권리행사 in the money, nothing out of it), so expiry pays what its quote showed
        less the time value."""
        if not item.option:
            return points(self.close(item.code, day))
        assert item.strike is not None
        underlying = Decimal(UNDERLYING_POINTS)
        intrinsic = underlying - item.strike if item.kind == "call" else item.strike - underlying
        return max(Decimal(0), intrinsic)

    def margin_each(self, item: Contract, side: str) -> Decimal:
        """Margin one open contract holds: futures the base price's notional × rate (either side),
        a written option its strike's notional × rate, a bought option nothing (paid in full)."""
        if not item.option:
            return points(self.quote(item.code).prev_close) * item.multiplier * MARGIN_RATE
        if side == SELL:
            assert item.strike is not None
            return item.strike * item.multiplier * MARGIN_RATE
        return Decimal(0)

    def margin_held(self, number: str) -> Decimal:
        """증거금: what the account's positions hold."""
        total = Decimal(0)
        for code, position in self.account(number).positions.items():
            item = contract(code)
            if item is not None and position.quantity:
                side = BUY if position.quantity > 0 else SELL
                total += abs(position.quantity) * self.margin_each(item, side)
        return total

    def reserved(self, number: str) -> Decimal:
        return sum((o.reserved for o in self._open(number)), Decimal(0))

    def orderable_cash(self, number: str) -> Decimal:
        """주문가능현금: the deposit (with the 정산차금 due on the next trading day) less the
        positions' margin and the open orders' reservations."""
        account = self.account(number)
        free = account.cash + account.unpaid() - self.margin_held(number) - self.reserved(number)
        return max(Decimal(0), free)

    def closable(self, number: str, symbol: str, side: str) -> int:
        """청산가능수량 for an order on ``side``: the opposite position less what open orders on
        that side already close."""
        position = self.account(number).positions.get(symbol)
        held = position.quantity if position else 0
        opposite = -held if side == BUY else held
        closing = sum(
            min(o.open_quantity, o.closing)
            for o in self._open(number)
            if o.symbol == symbol and o.side == side
        )
        return max(0, opposite - closing)

    def need_each(self, item: Contract, side: str, order_type: str, price: int) -> Decimal:
        """What one opening contract of this order reserves: margin, or a bought option's premium
        at its price (a market order's at the upper limit)."""
        if item.option and side == BUY:
            unit = self.quote(item.code).upper_limit if order_type in MARKET_TYPES or not price else price
            return points(unit) * item.multiplier
        return self.margin_each(item, side)

    def end_days(self) -> None:
        """Ends every order whose session the clock has passed (:mod:`._day_orders`)."""
        end_day_orders(self.orders.values(), self.now())

    def _open(self, number: str) -> list[FuturesOrder]:
        self.end_days()
        return [o for o in self.orders.values() if o.account == number and o.open_quantity > 0]

    # -- the rules ------------------------------------------------------------------------------

    def session_rule(self, night: bool = False) -> Rule | None:
        """Whether KRX's derivatives market takes this order now: the day session 08:45–15:45 KST
        on a trading day (an hour later on the year's first trading day), or with a night TR the
        night session 18:00–06:00 that starts on a trading day."""
        now = self.now().astimezone(KST)
        if night:
            start_day = self.night_start_day(now)
            if start_day is None:
                return "before_session" if is_trading_day(now.date()) else "closed_day"
            return None if is_trading_day(start_day) else "closed_day"
        if not is_trading_day(now.date()):
            return "closed_day"
        late = dt.timedelta(hours=1) if _first_trading_day(now.date()) else dt.timedelta(0)
        start = dt.datetime.combine(now.date(), SESSION_START, KST) + late
        end = dt.datetime.combine(now.date(), SESSION_END, KST)
        if now < start:
            return "before_session"
        return "after_session" if now >= end else None

    @staticmethod
    def night_start_day(now: dt.datetime) -> dt.date | None:
        """The day whose night session (18:00–06:00) ``now`` falls in, or ``None`` in daytime."""
        if now.time() >= NIGHT_START:
            return now.date()
        if now.time() < NIGHT_END:
            return now.date() - dt.timedelta(days=1)
        return None

    def trading_day(self, night: bool) -> dt.date:
        """주문일자: the clock's KST date, or for a night order the trading day after the night's
        start (KRX counts a night session as the next regular trading day)."""
        now = self.now().astimezone(KST)
        start_day = self.night_start_day(now) if night else None
        return next_trading_day(start_day) if start_day is not None else now.date()

    def expiry_rule(self, item: Contract, night: bool) -> Rule | None:
        """An expiring contract trades until 15:20 on its last trading day (KRX), not in that
        evening's night session: after it, "after the session"."""
        now = self.now().astimezone(KST)
        if night:
            return "after_session" if self.trading_day(night) > item.expiry else None
        return "after_session" if now.date() == item.expiry and now.time() >= EXPIRY_CLOSE else None

    def price_rule(self, item: Contract, order_type: str, price: int | None) -> Rule | None:
        if order_type in MARKET_TYPES:
            return None
        if price is None or price <= 0 or price % tick(item, price):
            return "tick"
        day = self.quote(item.code)
        if price > day.upper_limit:
            return "derivative_above_upper_limit"
        if price < day.lower_limit:
            return "derivative_below_lower_limit"
        return None

    def check(self, wire: Mapping[str, str], app_key: str, change: bool, night: bool = False) -> Rule | None:
        """The refusal KIS would answer to this futures/options order or amend/cancel (``night``:
        sent with a night-session TR), or ``None``."""
        self.end_days()
        rule = self.session_rule(night)
        if rule is not None:
            return rule
        number = _account_of(wire)
        if change:
            return self._check_change(wire, app_key, number, night)
        item = listed(wire.get("SHTN_PDNO", ""), self.trading_day(night))
        if item is None:
            return "unknown_symbol"  # KIS lists no such contract, or no longer: it has expired
        problem = self.expiry_rule(item, night)
        if problem is not None:
            return problem
        side = wire.get("SLL_BUY_DVSN_CD", BUY)
        order_type = order_type_of(wire)
        price = hundredths(wire.get("UNIT_PRICE", "0"))
        problem = self.price_rule(item, order_type, price)
        if problem is not None:
            return problem
        quantity = _int(wire.get("ORD_QTY", "0"))
        opening = max(0, quantity - self.closable(number, item.code, side))
        needed = opening * self.need_each(item, side, order_type, price or 0)
        return "cash" if needed > self.orderable_cash(number) else None

    def _check_change(self, wire: Mapping[str, str], app_key: str, number: str, night: bool) -> Rule | None:
        original = self._find(wire.get("ORGN_ODNO", ""))
        if original is None or original.app_key != app_key or original.account != number:
            return "unknown_order"
        if original.open_quantity == 0:
            return "nothing_to_change"
        quantity = _change_quantity(wire, original)
        if quantity > original.open_quantity or quantity <= 0:
            return "more_than_open"
        item = contract(original.symbol)
        assert item is not None
        expiring = self.expiry_rule(item, night)
        if expiring is not None:
            return expiring
        if wire.get("RVSE_CNCL_DVSN_CD") == "02":
            return None
        order_type = order_type_of(wire) or original.order_type
        price = hundredths(wire.get("UNIT_PRICE", "0"))
        problem = self.price_rule(item, order_type, price)
        if problem is not None:
            return problem
        opening = min(quantity, original.opening)  # an amend takes the opening contracts first
        freed = opening * original.reserve_each
        needed = opening * self.need_each(item, original.side, order_type, price or 0)
        return "cash" if needed > self.orderable_cash(number) + freed else None

    def _find(self, number: str) -> FuturesOrder | None:
        bare = number.lstrip("0")
        return self.orders.get(number) or next(
            (o for o in self.orders.values() if o.number.lstrip("0") == bare), None
        )

    # -- booking and fills ----------------------------------------------------------------------

    def book(
        self,
        wire: Mapping[str, str],
        answer: Mapping[str, str],
        app_key: str,
        change: bool,
        night: bool = False,
    ) -> list[dict[str, str]]:
        """Books an accepted order (or amend/cancel), fills it if it is marketable, and returns
        its execution notices (선물옵션 체결통보 fields by wire name: the acceptance, then the fill)."""
        number = answer.get("ODNO", "")
        if not number:
            return []
        self.end_days()
        if change:
            return self._change(wire, answer, number, self.trading_day(night), self._ends(night))
        item = contract(wire.get("SHTN_PDNO", ""))
        if item is None:
            return []
        side = wire.get("SLL_BUY_DVSN_CD", BUY)
        order_type = order_type_of(wire)
        price = hundredths(wire.get("UNIT_PRICE", "0")) or 0
        quantity = _int(wire.get("ORD_QTY", "0"))
        account = _account_of(wire)
        closing = min(quantity, self.closable(account, item.code, side))
        order = FuturesOrder(
            number=number,
            account=account,
            app_key=app_key,
            symbol=item.code,
            side=side,
            quantity=quantity,
            open_quantity=quantity,
            price=0 if order_type in MARKET_TYPES else price,
            order_type=order_type,
            day=self.trading_day(night),
            hour=answer.get("ORD_TMD", ""),
            closing=closing,
            reserve_each=self.need_each(item, side, order_type, price),
            ends=self._ends(night),
        )
        self.orders[number] = order
        return [_accepted(order, item), *self._fill_if_marketable(order, item)]

    def _ends(self, night: bool) -> dt.datetime:
        """When an order taken now ends: the day session's end, or the night session's."""
        now = self.now()
        return futures_day_end(now, self.night_start_day(now) if night else None, SESSION_END, NIGHT_END)

    def _change(
        self,
        wire: Mapping[str, str],
        answer: Mapping[str, str],
        number: str,
        day: dt.date,
        ends: dt.datetime,
    ) -> list[dict[str, str]]:
        original = self._find(wire.get("ORGN_ODNO", ""))
        if original is None or original.open_quantity == 0:
            return []
        quantity = min(_change_quantity(wire, original), original.open_quantity)
        closing = original.take(quantity)
        cancel = wire.get("RVSE_CNCL_DVSN_CD") == "02"
        item = contract(original.symbol)
        assert item is not None
        order_type = original.order_type if cancel else (order_type_of(wire) or original.order_type)
        price = original.price if cancel else (hundredths(wire.get("UNIT_PRICE", "0")) or 0)
        changed = attrs.evolve(
            original,
            number=number,
            quantity=quantity,
            open_quantity=0 if cancel else quantity,
            price=0 if order_type in MARKET_TYPES else price,
            order_type=order_type,
            day=day,
            hour=answer.get("ORD_TMD", ""),
            closing=closing,
            reserve_each=original.reserve_each
            if cancel
            else self.need_each(item, original.side, order_type, price),
            filled=0,
            fill_price=0,
            original=original.number,
            kind="cancel" if cancel else "revise",
            ends=ends,
        )
        self.orders[number] = changed
        fills = [] if cancel else self._fill_if_marketable(changed, item)
        return [_accepted(changed, item), *fills]

    def _fill_if_marketable(self, order: FuturesOrder, item: Contract) -> list[dict[str, str]]:
        market = self.quote(item.code).price
        marketable = (
            order.order_type in MARKET_TYPES
            or (order.side == BUY and order.price >= market)
            or (order.side == SELL and order.price <= market)
        )
        if not marketable:
            if order.order_type in IMMEDIATE_TYPES:
                order.open_quantity = 0  # IOC/FOK: what does not fill at once is cancelled
            return []
        filled, order.open_quantity = order.open_quantity, 0
        order.filled += filled
        order.fill_price = market
        self._move(self.account(order.account), item, order.side, filled, points(market))
        fill = {"ODER_KIND2": "0", "CNTG_YN": "2", "ACPT_YN": "2", "CNTG_QTY": str(filled)}
        return [_notice(order, item, CNTG_UNPR=str(points(market)), **fill)]

    def _move(
        self, account: FuturesAccount, item: Contract, side: str, quantity: int, price: Decimal
    ) -> None:
        """A fill: the net position, the realised P&L and the deposit move at once."""
        position = account.positions.setdefault(item.code, FuturesPosition(0, Decimal(0)))
        signed = quantity if side == BUY else -quantity
        if item.option:  # a premium is paid or received in full
            account.cash += (
                -price * item.multiplier * quantity if side == BUY else price * item.multiplier * quantity
            )
        if position.quantity and (position.quantity > 0) != (signed > 0):
            closed = min(abs(signed), abs(position.quantity))
            direction = 1 if position.quantity > 0 else -1
            profit = (price - position.average) * item.multiplier * closed * direction
            account.realized[item.code] = account.realized.get(item.code, Decimal(0)) + profit
            if not item.option:
                account.cash += profit  # futures: the P&L of the closed contracts, at once
            position.quantity += closed * -direction
            signed += closed * direction
        if signed:
            total = position.average * abs(position.quantity) + price * abs(signed)
            position.quantity += signed
            position.average = total / abs(position.quantity)
        if position.quantity == 0:
            del account.positions[item.code]


def _notice(order: FuturesOrder, item: Contract, **values: str) -> dict[str, str]:
    """A 선물옵션 체결통보 record (H0IFCNI0) about ``order`` by wire name."""
    return {
        "ACNT_NO": order.account,
        "ODER_NO": order.number,
        "OODER_NO": order.original,
        "SELN_BYOV_CLS": order.side,
        "RCTF_CLS": {"revise": "1", "cancel": "2"}.get(order.kind, "0"),
        "STCK_SHRN_ISCD": order.symbol,
        "STCK_CNTG_HOUR": order.hour,
        "RFUS_YN": "0",
        "ODER_QTY": str(order.quantity),
        "ACNT_NAME": "샌드박스",
        "CNTG_ISNM": item.name,
        "ODER_COND": "0",
        "ORDER_PRC": str(points(order.price)),
        **values,
    }


def _accepted(order: FuturesOrder, item: Contract) -> dict[str, str]:
    """The acceptance notice (주문·정정·취소 접수: ``ODER_KIND2`` L, ``CNTG_YN`` 1)."""
    return _notice(order, item, ODER_KIND2="L", CNTG_YN="1", ACPT_YN="1", CNTG_QTY="0", CNTG_UNPR="0")


def notice_trs(env: str, night: bool, option: bool) -> tuple[str, ...]:
    """The feed a futures/options notice goes out on: 선물옵션 체결통보 (H0IFCNI0, paper H0IFCNI9)
    by day; at night 야간선물 (H0MFCNI0) or 야간옵션 (H0EUCNI0) 체결통보 (real only)."""
    if night:
        return ("H0EUCNI0",) if option else ("H0MFCNI0",)
    return ("H0IFCNI9",) if env == "paper" else ("H0IFCNI0",)


def _first_trading_day(day: dt.date) -> bool:
    first = dt.date(day.year, 1, 1)
    while not is_trading_day(first):
        first += dt.timedelta(days=1)
    return day == first


def order_type_of(wire: Mapping[str, str]) -> str:
    """ORD_DVSN_CD, else the 호가유형 (NMPR_TYPE_CD 02 시장가 / 04 최유리 are market-priced)."""
    return wire.get("ORD_DVSN_CD") or wire.get("NMPR_TYPE_CD") or "01"


def _change_quantity(wire: Mapping[str, str], original: FuturesOrder) -> int:
    """An amend/cancel's quantity: everything left (RMN_QTY_YN Y, or ORD_QTY 0) or ORD_QTY."""
    if wire.get("RMN_QTY_YN", "Y") != "N":
        return original.open_quantity
    return _int(wire.get("ORD_QTY", "0")) or original.open_quantity


def _account_of(wire: Mapping[str, str]) -> str:
    return wire.get("CANO", "") + wire.get("ACNT_PRDT_CD", "")


def _int(text: str) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0
