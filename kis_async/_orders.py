"""``kis.orders``: domestic stock orders as handles you can amend, cancel, refresh and wait on.

Thin over the generated endpoints (``order_cash``, ``order_rvsecncl``, ``inquire_daily_ccld``):
they validate, rate-limit and never resend an order; this layer never resends either. An order
whose answer was lost raises :class:`KisOrderStateUnknownError` as the endpoint does;
``await kis.orders.find(...)`` then looks it up on the KST trading day (the recovery recipe in
one call) before anything is sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import attrs

from kis_async._errors import KisValidationError

if TYPE_CHECKING:
    from kis_async._client import KisClient
    from kis_async._realtime import RealtimeSession, Subscription
    from kis_async.domestic_stock.trading import DailyCcldOrder

Side = Literal["buy", "sell"]
Status = Literal["open", "partially_filled", "filled", "cancelled"]

#: 주문구분: 00 지정가 (limit), 01 시장가 (market).
_LIMIT: Literal["00"] = "00"
_MARKET: Literal["01"] = "01"


@attrs.define(eq=False)
class Order:
    """One order of today: its number and what it asked, and (after :meth:`refresh`) its state.

    ``number``/``branch`` are KIS's 주문번호 (ODNO) and 주문채번지점번호 (KRX_FWDG_ORD_ORGNO); an
    amendment gets a new number from KIS, which the handle follows (``numbers`` keeps them all).
    """

    _orders: Orders = attrs.field(repr=False)
    symbol: str
    side: Side
    quantity: int
    price: int | None
    """The limit price; ``None`` for a market order."""
    number: str
    branch: str
    day: dt.date
    """The KST trading day it was placed on (the day its inquiry is asked for)."""
    numbers: list[str] = attrs.field(factory=list)
    status: Status = "open"
    filled_quantity: int = 0
    average_price: Decimal | None = None
    """평균체결가, once something filled (from :meth:`refresh`)."""
    row: DailyCcldOrder | None = attrs.field(default=None, repr=False)
    """The order's row of the day's inquiry (주식일별주문체결조회), after :meth:`refresh`."""

    @property
    def open_quantity(self) -> int:
        """What can still fill (or be amended or cancelled): KIS's 잔여수량 after :meth:`refresh`."""
        if self.status in ("filled", "cancelled"):
            return 0
        if self.row is not None and self.row.rmn_qty is not None:
            return self.row.rmn_qty
        return max(self.quantity - self.filled_quantity, 0)

    @property
    def done(self) -> bool:
        return self.status in ("filled", "cancelled")

    async def modify(self, *, price: int | None = None, quantity: int | None = None) -> Order:
        """Change what is still open: ``quantity`` (fewer shares: the rest is cancelled, KIS's
        partial 취소) and/or a new limit ``price`` (KIS's 정정 of every open share; KIS gives it a
        new order number, which this handle follows, ``numbers`` keeping the old ones). After a
        price change the handle describes the amendment: shares that filled before it stay on the
        old number (``numbers[-1]``) and are not counted in ``filled_quantity``."""
        if price is None and quantity is None:
            raise KisValidationError("order.modify: give a new price, a new quantity or both")
        remaining = self.open_quantity
        if remaining == 0:
            raise KisValidationError(f"order {self.number}: nothing is open to amend ({self.status})")
        if quantity is not None:
            if not 0 < quantity <= remaining:
                raise KisValidationError(
                    f"order {self.number}: quantity must be 1..{remaining} (the open shares), got {quantity}"
                )
            if quantity < remaining:
                await self._change("02", remaining - quantity, 0)
            self.quantity -= remaining - quantity
            self.row = None
        if price is not None:
            receipt = await self._change("01", 0, price)
            if not receipt:
                raise KisValidationError(
                    f"order {self.number}: KIS answered the amendment without an order number"
                )
            self.numbers.append(self.number)
            self.number, self.branch = receipt
            self.price = price
            self.quantity = quantity or remaining
            self.filled_quantity = 0
            self.row = None
        return self

    async def cancel(self) -> Order:
        """Cancel every open share."""
        if self.open_quantity == 0:
            raise KisValidationError(f"order {self.number}: nothing is open to cancel ({self.status})")
        await self._change("02", 0, 0)
        self.status = "cancelled"
        return self

    async def _change(self, action: Literal["01", "02"], quantity: int, price: int) -> tuple[str, str] | None:
        """One 정정 (01) or 취소 (02) of ``quantity`` open shares (0: all of them)."""
        answer = await self._orders._kis.domestic_stock.order_rvsecncl(
            order_org_no=self.branch,
            original_order_no=self.number,
            action=action,
            all_remaining=quantity == 0,
            order_type=_LIMIT if action == "02" or self.price is not None or price else _MARKET,
            quantity=quantity,
            price=price,
        )
        receipt = answer.output
        if receipt is None or not receipt.odno:
            return None
        return receipt.odno, receipt.krx_fwdg_ord_orgno or self.branch

    async def refresh(self) -> Order:
        """Read the order's state from the day's inquiry: filled quantity, average price, status."""
        rows = await self._orders._rows(self.day, symbol=self.symbol)
        by_number = {row.odno: row for row in rows if row.odno}
        # follow amendments (정정) made since, here or elsewhere: the open shares moved to them
        while True:
            amended = next(
                (
                    r
                    for r in rows
                    if r.orgn_odno == self.number and (r.cncl_yn or "").upper() != "Y" and r.odno
                ),
                None,
            )
            if amended is None or amended.odno is None:
                break
            self.numbers.append(self.number)
            self.number = amended.odno
            self.branch = amended.ord_gno_brno or self.branch
            self.quantity = amended.ord_qty or self.quantity
        row = by_number.get(self.number)
        if row is not None:
            self._update(row)
        return self

    async def wait(
        self, timeout: float | None = None, *, every: float = 1.0, notices: RealtimeSession | None = None
    ) -> Order:
        """Until the order is filled or cancelled: :meth:`refresh` every ``every`` seconds (within
        the client's rate limit), and at once whenever an execution notice (체결통보) about it
        arrives on ``notices``, a real-time session subscribed to the notice feed (it watches the
        feed without taking ticks from the bot's own stream). ``TimeoutError`` after ``timeout``."""
        wake = asyncio.Event()
        watched = self._watch(notices, wake) if notices is not None else []
        try:
            async with asyncio.timeout(timeout):
                while True:
                    wake.clear()
                    await self.refresh()
                    if self.done:
                        return self
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(wake.wait(), every)
        finally:
            for subscription, observer in watched:
                subscription.observers.remove(observer)

    def _watch(self, notices: RealtimeSession, wake: asyncio.Event) -> list[tuple[Subscription[Any], Any]]:
        """Observe every notice subscription of ``notices`` (ticks that carry an order number)."""

        def observe(tick: Any) -> None:
            # 주문번호 or 원주문번호: an amendment's notice may arrive before its new number does
            mine = (self.number, *self.numbers)
            if getattr(tick, "oder_no", None) in mine or getattr(tick, "ooder_no", None) in mine:
                wake.set()

        watched = [(sub, observe) for sub in notices.subscriptions if "oder_no" in sub.feed.fields]
        if not watched:
            raise KisValidationError(
                "order.wait(notices=rt): the session has no execution-notice subscription; "
                "subscribe to the fill notice feed with your HTS id first"
            )
        for subscription, observer in watched:
            subscription.observers.append(observer)
        return watched

    def _update(self, row: DailyCcldOrder) -> None:
        self.row = row
        self.filled_quantity = row.tot_ccld_qty or 0
        self.average_price = row.avg_prvs if self.filled_quantity else None
        remaining = row.rmn_qty if row.rmn_qty is not None else self.quantity - self.filled_quantity
        if self.filled_quantity >= self.quantity:
            self.status = "filled"
        elif remaining <= 0:  # cancelled, or every open share amended into a new order
            self.status = "cancelled"
        else:
            self.status = "partially_filled" if self.filled_quantity else "open"


class Orders:
    """Domestic stock orders as handles (``kis.orders``)."""

    def __init__(self, client: KisClient) -> None:
        self._kis = client

    async def buy(self, symbol: str, quantity: int, price: int | None = None) -> Order:
        """Buy ``quantity`` of ``symbol`` at the limit ``price`` (``None``: at the market)."""
        return await self._place("buy", symbol, quantity, price)

    async def sell(self, symbol: str, quantity: int, price: int | None = None) -> Order:
        """Sell ``quantity`` of ``symbol`` at the limit ``price`` (``None``: at the market)."""
        return await self._place("sell", symbol, quantity, price)

    async def _place(self, side: Side, symbol: str, quantity: int, price: int | None) -> Order:
        day = self._kis.market.today()
        answer = await self._kis.domestic_stock.order_cash(
            side=side,
            symbol=symbol,
            quantity=quantity,
            price=0 if price is None else price,
            order_type=_MARKET if price is None else _LIMIT,
        )
        receipt = answer.output
        if receipt is None or not receipt.odno:  # the endpoint raises before this; a guard for mypy
            raise KisValidationError(f"orders.{side}: KIS answered without an order number")
        return Order(
            self,
            symbol,
            side,
            quantity,
            price,
            receipt.odno,
            receipt.krx_fwdg_ord_orgno or "",
            day,
        )

    async def open(self) -> list[Order]:
        """Today's orders (KST) with something still open, oldest first."""
        day = self._kis.market.today()
        rows = [row for row in await self._rows(day) if (row.cncl_yn or "").upper() != "Y"]
        orders = [self._from_row(row, day) for row in rows]
        return [order for order in orders if order.open_quantity and not order.done]

    async def find(
        self,
        symbol: str,
        side: Side,
        quantity: int,
        price: int | None = None,
        *,
        since: dt.datetime | None = None,
    ) -> Order | None:
        """The order that matches on the KST trading day (today, or the last trading day when
        today is not one), if it reached KIS: after :class:`KisOrderStateUnknownError`, call this
        before sending the order again. ``since`` (default: any time that day) bounds the order
        time and chooses the day."""
        now = self._kis.now()
        since_kst = since.astimezone(now.tzinfo) if since is not None else None
        day = (since_kst or now).date()
        if not self._kis.market.is_trading_day(day):  # a weekend's lookup is about the last session
            day = self._kis.market.previous_trading_day(day)
        code = "02" if side == "buy" else "01"
        for row in reversed(await self._rows(day)):  # the newest match first
            if (
                row.pdno == symbol
                and (row.sll_buy_dvsn_cd or "") == code
                and row.ord_qty == quantity
                and (price is None or row.ord_unpr == price)
                and (
                    since_kst is None
                    or since_kst.date() != day
                    or row.ord_tmd is None
                    or row.ord_tmd >= since_kst.time()
                )
                and not row.orgn_odno  # an original order, not an amendment of one
            ):
                return self._from_row(row, day)
        return None

    async def _rows(self, day: dt.date, *, symbol: str | None = None) -> list[DailyCcldOrder]:
        """The day's orders (of ``symbol``), oldest first, every page."""
        answer = await self._kis.domestic_stock.inquire_daily_ccld(
            start_date=day, end_date=day, sort_order="01", symbol=symbol
        ).all()
        return list(answer.output1)

    def _from_row(self, row: DailyCcldOrder, day: dt.date) -> Order:
        order = Order(
            self,
            row.pdno or "",
            "buy" if (row.sll_buy_dvsn_cd or "") == "02" else "sell",
            row.ord_qty or 0,
            row.ord_unpr or None,
            row.odno or "",
            row.ord_gno_brno or "",
            day,
        )
        order._update(row)
        return order
