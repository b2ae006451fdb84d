"""``kis.orders``: stock orders as handles you can amend, cancel, refresh and wait on, in Korea
(KRX) or, with ``exchange=``, abroad (NASDAQ, New York, Tokyo, Hong Kong …).

Thin over the generated endpoints: domestic ``order_cash``, ``order_rvsecncl`` and
``inquire_daily_ccld``; overseas ``overseas_stock.order``, ``order_rvsecncl`` and ``inquire_ccnl``
(주문체결내역, which both environments serve; 미체결내역 is real-only). They validate, rate-limit
and never resend an order; this layer never resends either. An order whose answer was lost raises
:class:`KisOrderStateUnknownError` as the endpoint does; ``await kis.orders.find(...)`` then looks
it up on the trading day (the recovery recipe in one call) before anything is sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

import attrs

from kis_async import _calendar
from kis_async._account import _CURRENCY, US_EXCHANGES, OverseasExchangeCode
from kis_async._errors import KisValidationError

if TYPE_CHECKING:
    from kis_async._client import KisClient
    from kis_async._endpoint import Env
    from kis_async._realtime import RealtimeSession, Subscription
    from kis_async.domestic_stock.trading import DailyCcldOrder
    from kis_async.overseas_stock.trading import OverseasStockInquireCcnlRow

Side = Literal["buy", "sell"]
OrderStatus = Literal["open", "partially_filled", "filled", "cancelled", "rejected", "expired"]
"""``Order.status``: what the day's inquiry last said about an order (``rejected``: abroad only;
``expired``: its day ended with shares unfilled, see :attr:`Order.status`)."""

#: 주문구분: 00 지정가 (limit), 01 시장가 (market).
_LIMIT: Literal["00"] = "00"
_MARKET: Literal["01"] = "01"

#: The overseas order exchanges (해외거래소코드), as the bot layer's ``OverseasExchangeCode`` names them.
_EXCHANGES: tuple[str, ...] = get_args(OverseasExchangeCode)


def _amends_on(exchange: str, env: Env) -> bool:
    """Whether KIS amends (정정) orders on ``exchange``: ``overseas_stock.order_rvsecncl``'s spec
    has a 정정 TR for it (상해·심천·하노이·호치민 have cancel TRs only)."""
    from kis_async.overseas_stock.trading.order_rvsecncl import ORDER_RVSECNCL

    table = ORDER_RVSECNCL.tr_id.real if env == "real" else ORDER_RVSECNCL.tr_id.paper
    return isinstance(table, Mapping) and f"{exchange}/01" in table


def _same_number(a: str | None, b: str | None) -> bool:
    """Order numbers as KIS writes them: zero-padded on the real server, unpadded on paper."""
    return a is not None and b is not None and a.lstrip("0") == b.lstrip("0") and bool(a.strip("0"))


#: 해외주식 주문체결내역's ``NASD``: 미국시장 전체 (나스닥, 뉴욕, 아멕스).
_US = frozenset(US_EXCHANGES)


def _listed_under(listed: str | None, exchange: str) -> bool:
    """Whether a 주문체결내역 row listed under ``listed`` answers a query for ``exchange``: the
    same exchange, a row without one, or any US market for ``NASD``."""
    return not listed or listed == exchange or (exchange == "NASD" and listed in _US)


def _exchange_day(at: dt.datetime, exchange: str) -> dt.date:
    """The exchange's own date at ``at``: KIS dates overseas orders by it (현지시각 기준)."""
    return at.astimezone(_calendar._exchange(exchange).zone).date()


def _day_end(
    day: dt.date, exchange: str | None, order_type: str, venue: str, taken: dt.datetime | None = None
) -> dt.datetime | None:
    """When an order of ``day`` ends unfilled (orders are day orders, 당일 유효): the rule the
    sandbox plays too (:func:`kis_async._calendar.order_day_end`): abroad the exchange's regular
    close of its local ``day`` (for an order ``taken`` after it, an extended-hours one, the day's
    last session's end, a US one at 07:00 KST); at home the end of the last session of its
    주문구분 (15:30, or 18:00 for 시간외 단일가), NXT's 20:00 for an NXT order, and an SOR order
    as a KRX one (15:30). ``None``: ``day`` has no such session."""
    if exchange is not None:
        return _calendar.order_day_end(day, exchange, placed=taken)
    return _calendar.order_day_end(day, venue if venue in ("NXT", "SOR") else "KRX", order_type=order_type)


def _code(value: object) -> str:
    """An enum's wire code (or the text KIS sent), ``""`` for none."""
    return str(getattr(value, "value", value) or "")


def _check_price(price: object, exchange: str | None, where: str) -> None:
    """A domestic price is whole won (an int); an overseas one a Decimal or an int, never a float
    (0.1 + 0.2 is not the price the bot meant); a limit price is above zero (a market order's is
    ``None``: KIS's 0 would be a limit nobody sells at, refused only after the order was sent)."""
    if isinstance(price, int | Decimal) and not isinstance(price, bool) and not price > 0:
        raise KisValidationError(
            f"{where}: a limit price is above zero, got {price!r}"
            + ("; give None for a market order" if exchange is None else ""),
            field="price",
            value=price,
        )
    if isinstance(price, float):
        raise KisValidationError(
            f"{where}: price {price!r} is a float; give a Decimal (Decimal('187.50')) or an int",
            field="price",
            value=price,
        )
    if exchange is None and isinstance(price, Decimal):
        raise KisValidationError(
            f"{where}: a domestic price is whole won (an int), got {price!r}; "
            "give exchange=... for an overseas order",
            field="price",
            value=price,
        )


def _check_exchange(exchange: str, where: str) -> None:
    if exchange not in _EXCHANGES:
        raise KisValidationError(
            f"{where}: exchange={exchange!r} is not an overseas order exchange; "
            f"give one of {', '.join(_EXCHANGES)} (omit it for a domestic order)",
            field="exchange",
            value=exchange,
        )


@attrs.define(eq=False)
class Order:
    """One order of the day: its number and what it asked, and (after :meth:`refresh`) its state.

    ``number``/``branch`` are KIS's 주문번호 (ODNO) and 주문채번지점번호 (KRX_FWDG_ORD_ORGNO); an
    amendment gets a new number from KIS, which the handle follows (``numbers`` keeps them all).
    ``exchange`` is ``None`` for a domestic order, else the overseas exchange (``NASD`` …): then
    prices are :class:`~decimal.Decimal` in the exchange's currency (``currency``) and ``day`` is
    the exchange's own date.
    """

    _orders: Orders = attrs.field(repr=False)
    symbol: str
    side: Side
    quantity: int
    price: int | Decimal | None
    """The limit price (won, or the exchange's currency abroad); ``None`` for a market order."""
    number: str
    branch: str
    day: dt.date
    """The trading day it was placed on (the day its inquiry is asked for): the KST date at home,
    the exchange's local date abroad (KIS dates overseas orders 현지시각 기준)."""
    exchange: OverseasExchangeCode | None = None
    """The overseas exchange (해외거래소코드 ``NASD``, ``NYSE``, ``TKSE`` …); ``None``: KRX."""
    numbers: list[str] = attrs.field(factory=list)
    status: OrderStatus = "open"
    """``open``, ``partially_filled``, ``filled``, ``cancelled``, (abroad) ``rejected``: the
    exchange refused it after KIS accepted it (거부; ``row.rjct_rson_name`` says why), or
    ``expired``: its day ended with shares unfilled. Orders are day orders (당일 유효): what has
    not filled when the order's session ends (15:30 at KRX, 18:00 for 시간외 단일가, 20:00 on
    NXT, the exchange's close abroad) is gone, nobody cancelled it, and the day's inquiry still
    shows it with its 잔여수량 (``row.rmn_qty``; abroad ``row.nccs_qty``);
    ``filled_quantity`` says what filled before."""
    filled_quantity: int = 0
    average_price: Decimal | None = None
    """평균체결가 (abroad: FT체결단가), once something filled (from :meth:`refresh`)."""
    row: DailyCcldOrder | OverseasStockInquireCcnlRow | None = attrs.field(default=None, repr=False)
    """The order's row of the day's inquiry (주식일별주문체결조회; abroad 해외주식 주문체결내역),
    after :meth:`refresh`."""

    @property
    def currency(self) -> str:
        """``KRW`` at home; abroad the exchange's trading currency (``USD``, ``JPY`` …)."""
        return "KRW" if self.exchange is None else _CURRENCY[self.exchange]

    @property
    def open_quantity(self) -> int:
        """What can still fill (or be amended or cancelled): KIS's 잔여수량 (abroad 미체결수량)
        after :meth:`refresh`."""
        if self.done:
            return 0
        remaining = self._row_remaining()
        if remaining is not None:
            return remaining
        return max(self.quantity - self.filled_quantity, 0)

    @property
    def done(self) -> bool:
        return self.status in ("filled", "cancelled", "rejected", "expired")

    def _day_over(self) -> bool:
        """Whether the order's day has ended (its session is over: it cannot fill any more)."""
        row = self.row
        order_type = _code(getattr(row, "ord_dvsn_cd", None)) if row is not None else ""
        venue = _code(getattr(row, "excg_id_dvsn_cd", None)) if row is not None else ""
        ends = _day_end(self.day, self.exchange, order_type, venue or "KRX", _taken(row))
        return ends is not None and self._orders._kis.now() >= ends

    def _row_remaining(self) -> int | None:
        row = self.row
        if row is None:
            return None
        return row.nccs_qty if self.exchange is not None else row.rmn_qty  # type: ignore[union-attr]

    async def modify(self, *, price: int | Decimal | None = None, quantity: int | None = None) -> Order:
        """Change what is still open: ``quantity`` (fewer shares: the rest is cancelled, KIS's
        partial 취소) and/or a new limit ``price`` (KIS's 정정 of every open share; KIS gives it a
        new order number, which this handle follows, ``numbers`` keeping the old ones). After a
        price change the handle describes the amendment: shares that filled before it stay on the
        old number (``numbers[-1]``) and are not counted in ``filled_quantity``.

        Abroad, the order is refreshed first (KIS's overseas 정정취소 takes the exact number of
        shares, so the open quantity must be current), and a new price is refused before anything
        is sent on 상해·심천·하노이·호치민 (SHAA, SZAA, HASE, VNSE), where KIS takes cancels
        only: cancel and place a new order there."""
        if price is None and quantity is None:
            raise KisValidationError("order.modify: give a new price, a new quantity or both")
        if price is not None:
            _check_price(price, self.exchange, f"order {self.number}: modify")
        kis = self._orders._kis
        if price is not None and self.exchange is not None and not _amends_on(self.exchange, kis.env):
            raise KisValidationError(
                f"order {self.number}: KIS does not amend (정정) orders on {self.exchange}, only "
                "cancels them (취소); cancel it and place a new order at the new price",
                field="price",
                value=price,
            )
        if self.exchange is not None or (not self.done and self._day_over()):
            await self.refresh()
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
            kept = quantity or remaining
            receipt = await self._change("01", 0 if self.exchange is None else kept, price)
            if not receipt:
                raise KisValidationError(
                    f"order {self.number}: KIS answered the amendment without an order number"
                )
            self.numbers.append(self.number)
            self.number, self.branch = receipt
            self.price = price
            self.quantity = kept
            self.filled_quantity = 0
            self.average_price = None
            self.row = None
        return self

    async def cancel(self) -> Order:
        """Cancel every open share (abroad: refreshed first, to cancel exactly the open shares)."""
        if not self.done and (self.exchange is not None or self._day_over()):
            await self.refresh()  # abroad: the exact open shares; at home: whether its day ended
        remaining = self.open_quantity
        if remaining == 0:
            raise KisValidationError(f"order {self.number}: nothing is open to cancel ({self.status})")
        await self._change("02", 0 if self.exchange is None else remaining, 0)
        self.status = "cancelled"
        return self

    async def _change(
        self, action: Literal["01", "02"], quantity: int, price: int | Decimal
    ) -> tuple[str, str] | None:
        """One 정정 (01) or 취소 (02) of ``quantity`` open shares (domestic 0: all of them)."""
        kis = self._orders._kis
        if self.exchange is not None:
            abroad = await kis.overseas_stock.order_rvsecncl(
                exchange=self.exchange,
                symbol=self.symbol,
                original_order_no=self.number,
                action=action,
                quantity=quantity,
                price=price,
            )
            receipt = abroad.output
        else:
            assert not isinstance(price, Decimal)  # a domestic handle's prices are won
            answer = await kis.domestic_stock.order_rvsecncl(
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
        if self.exchange is not None:
            return await self._refresh_abroad(self.exchange)
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
            self.price = amended.ord_unpr or self.price  # 0: a market amendment's row, no price
        row = by_number.get(self.number)
        if row is not None:
            self._update(row)
        return self

    async def _refresh_abroad(self, exchange: OverseasExchangeCode) -> Order:
        rows = [r for r in await self._orders._abroad_rows(self.day, exchange) if r.pdno == self.symbol]
        while True:  # follow amendments (정정, 정정취소구분 01), here or elsewhere
            amended = next(
                (r for r in rows if _same_number(r.orgn_odno, self.number) and r.rvse_cncl_dvsn == "01"),
                None,
            )
            if amended is None or amended.odno is None:
                break
            self.numbers.append(self.number)
            self.number = amended.odno
            self.branch = amended.ord_gno_brno or self.branch
            self.quantity = amended.ft_ord_qty or self.quantity
            self.price = amended.ft_ord_unpr3 if amended.ft_ord_unpr3 is not None else self.price
        row = next((r for r in rows if _same_number(r.odno, self.number)), None)
        if row is not None:
            self._update_abroad(row)
        return self

    async def wait(
        self, timeout: float | None = None, *, every: float = 1.0, notices: RealtimeSession | None = None
    ) -> Order:
        """Until the order is filled, cancelled, rejected or expired (its day ended, KIS sending
        no notice for that): :meth:`refresh` every ``every`` seconds (within the client's rate
        limit), and at once whenever an execution notice
        (체결통보) about it arrives on ``notices``, a real-time session subscribed to the notice
        feed (domestic ``realtime.domestic_stock.fill_notice``, overseas
        ``realtime.overseas_stock.fill_notice``; it watches the feed without taking ticks from the
        bot's own stream). ``TimeoutError`` after ``timeout``."""
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
            numbers = (getattr(tick, "oder_no", None), getattr(tick, "ooder_no", None))
            if any(_same_number(n, m) for n in numbers for m in mine):
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
        self._settle(remaining)

    def _update_abroad(self, row: OverseasStockInquireCcnlRow) -> None:
        self.row = row
        self.filled_quantity = row.ft_ccld_qty or 0
        self.average_price = row.ft_ccld_unpr3 if self.filled_quantity else None
        remaining = row.nccs_qty if row.nccs_qty is not None else self.quantity - self.filled_quantity
        if remaining <= 0 and self.filled_quantity < self.quantity and _rejected(row):
            self.status = "rejected"
            return
        self._settle(remaining)

    def _settle(self, remaining: int) -> None:
        if self.filled_quantity >= self.quantity:
            self.status = "filled"
        elif remaining <= 0:  # cancelled, or every open share amended into a new order
            self.status = "cancelled"
        elif self._day_over():  # a day order: what did not fill by its session's end is gone
            self.status = "expired"
        else:
            self.status = "partially_filled" if self.filled_quantity else "open"


def _placed(row: OverseasStockInquireCcnlRow, day: dt.date) -> tuple[dt.date, int]:
    """The order of placement of overseas orders: day, then order number (KIS numbers a day's
    orders in sequence; 주문시각 is no key, a US session spans midnight in Korea)."""
    number = (row.odno or "").strip()
    return row.ord_dt or day, int(number) if number.isdigit() else 0


def _taken(row: object) -> dt.datetime | None:
    """When KIS took an overseas order (국내주문일자 + 당사주문시각, KST), if its row says."""
    day, time = getattr(row, "dmst_ord_dt", None), getattr(row, "thco_ord_tmd", None)
    if isinstance(day, dt.date) and isinstance(time, dt.time):
        return dt.datetime.combine(day, time, _calendar.KST)
    return None


def _since_kst(since: dt.datetime | None) -> dt.datetime | None:
    """``find``'s ``since`` in KST; a naive datetime is refused (which clock it reads is a guess:
    the machine's zone on a UTC server is nine hours from the KST the bot may have meant)."""
    return None if since is None else _calendar._to_kst(since, "orders.find: since")


def _rejected(row: OverseasStockInquireCcnlRow) -> bool:
    """An overseas order the exchange refused after KIS took it (처리상태 거부, a 거부사유)."""
    return "거부" in (row.prcs_stat_name or "") or bool((row.rjct_rson or "").strip())


class Orders:
    """Stock orders as handles (``kis.orders``): domestic, or overseas with ``exchange=``.

    A handle is ``expired`` once its day ends (:func:`kis_async._calendar.order_day_end`, the rule
    the sandbox plays: 15:30 for a KRX or SOR order, 20:00 for NXT, the exchange's close abroad,
    07:00 KST for a US order taken after the close). Not modelled: 미국주간거래 orders
    (``overseas_stock.daytime_order``): these handles cannot place them, and ``find``/``open``
    do not see them (a daytime order is dated the US trading day its session belongs to, not the
    exchange's date these look up); use ``overseas_stock.inquire_nccs``/``inquire_ccnl`` and
    ``daytime_order_rvsecncl`` for them. Such an order ends with its daytime session."""

    def __init__(self, client: KisClient) -> None:
        self._kis = client

    async def buy(
        self,
        symbol: str,
        quantity: int,
        price: int | Decimal | None = None,
        *,
        exchange: OverseasExchangeCode | None = None,
    ) -> Order:
        """Buy ``quantity`` of ``symbol`` at the limit ``price`` (``None``: at the market).

        With ``exchange`` (``NASD``, ``NYSE``, ``AMEX``, ``SEHK``, ``SHAA``, ``SZAA``, ``TKSE``,
        ``HASE``, ``VNSE``) the order goes abroad (해외주식 주문): ``price`` is a limit in the
        exchange's currency, a :class:`~decimal.Decimal` (``Decimal("187.50")``) on its tick grid,
        and is required (KIS's overseas 주문 has no market order for a buy)."""
        return await self._place("buy", symbol, quantity, price, exchange)

    async def sell(
        self,
        symbol: str,
        quantity: int,
        price: int | Decimal | None = None,
        *,
        exchange: OverseasExchangeCode | None = None,
    ) -> Order:
        """Sell ``quantity`` of ``symbol`` at the limit ``price`` (``None``: at the market); with
        ``exchange``, abroad at a limit in the exchange's currency (see :meth:`buy`)."""
        return await self._place("sell", symbol, quantity, price, exchange)

    async def _place(
        self,
        side: Side,
        symbol: str,
        quantity: int,
        price: int | Decimal | None,
        exchange: OverseasExchangeCode | None,
    ) -> Order:
        if exchange is not None:
            return await self._place_abroad(side, symbol, quantity, price, exchange)
        _check_price(price, None, f"orders.{side}")
        won = cast(int | None, price)  # _check_price refused a Decimal
        day = self._kis.market.today()
        answer = await self._kis.domestic_stock.order_cash(
            side=side,
            symbol=symbol,
            quantity=quantity,
            price=0 if won is None else won,
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

    async def _place_abroad(
        self,
        side: Side,
        symbol: str,
        quantity: int,
        price: int | Decimal | None,
        exchange: OverseasExchangeCode,
    ) -> Order:
        where = f"orders.{side}"
        _check_exchange(exchange, where)
        if price is None:
            raise KisValidationError(
                f"{where}: an overseas order needs a limit price in {exchange}'s currency "
                "(KIS's overseas 주문 takes 지정가 here); give price=Decimal(...)",
                field="price",
            )
        _check_price(price, exchange, where)
        day = _exchange_day(self._kis.now(), exchange)
        answer = await self._kis.overseas_stock.order(
            side=side,
            exchange=exchange,
            symbol=symbol,
            quantity=quantity,
            price=price,
            sell_type="00" if side == "sell" else None,  # 판매유형: 00 on sells, blank on buys
        )
        receipt = answer.output
        if receipt is None or not receipt.odno:  # the endpoint raises before this; a guard for mypy
            raise KisValidationError(f"{where}: KIS answered without an order number")
        return Order(
            self,
            symbol,
            side,
            quantity,
            Decimal(price),
            receipt.odno,
            receipt.krx_fwdg_ord_orgno or "",
            day,
            exchange,
        )

    async def open(self, *, exchange: OverseasExchangeCode | None = None) -> list[Order]:
        """Today's orders with something still open, oldest first: domestic (the KST day), or
        with ``exchange`` the orders on that exchange of its own trading day."""
        if exchange is not None:
            _check_exchange(exchange, "orders.open")
            local = _exchange_day(self._kis.now(), exchange)
            rows = [
                r
                for r in await self._abroad_rows(local, exchange)
                if r.rvse_cncl_dvsn != "02" and r.ovrs_excg_cd in (None, "", exchange)
            ]
            found = [self._from_abroad_row(row, local, exchange) for row in rows]
            return [order for order in found if order.open_quantity and not order.done]
        day = self._kis.market.today()
        domestic = [row for row in await self._rows(day) if (row.cncl_yn or "").upper() != "Y"]
        orders = [self._from_row(row, day) for row in domestic]
        return [order for order in orders if order.open_quantity and not order.done]

    async def find(
        self,
        symbol: str,
        side: Side,
        quantity: int,
        price: int | Decimal | None = None,
        *,
        since: dt.datetime | None = None,
        exchange: OverseasExchangeCode | None = None,
    ) -> Order | None:
        """The order that matches on the trading day (today, or the last trading day when today
        is not one), if it reached KIS: after :class:`KisOrderStateUnknownError`, call this
        before sending the order again. ``since`` (default: any time that day), an aware datetime
        (a naive one is refused), bounds the order time and chooses the day.

        With ``exchange``, the overseas order on that exchange of its own trading day (the
        exchange's date at ``since`` or now); ``since`` bounds KIS's 국내주문일자 and 당사주문시각
        (``dmst_ord_dt``, ``thco_ord_tmd``: when KIS took it, in KST) where the row has them. The
        newest match is returned."""
        if exchange is not None:
            return await self._find_abroad(symbol, side, quantity, price, since, exchange)
        now = self._kis.now()
        since_kst = _since_kst(since)
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

    async def _find_abroad(
        self,
        symbol: str,
        side: Side,
        quantity: int,
        price: int | Decimal | None,
        since: dt.datetime | None,
        exchange: OverseasExchangeCode,
    ) -> Order | None:
        _check_exchange(exchange, "orders.find")
        since_kst = _since_kst(since)
        day = _exchange_day(since_kst or self._kis.now(), exchange)
        if not _calendar.is_trading_day(day, exchange):  # its weekend: the last session
            day = _calendar.previous_trading_day(day, exchange)
        code = "02" if side == "buy" else "01"
        for row in reversed(await self._abroad_rows(day, exchange)):  # the newest match first
            taken = _taken(row)
            if (
                row.pdno == symbol
                and (row.sll_buy_dvsn_cd or "") == code
                and row.ft_ord_qty == quantity
                and (price is None or row.ft_ord_unpr3 == price)
                and row.ovrs_excg_cd in (None, "", exchange)
                and not (row.orgn_odno or "").strip("0")  # an original order, not an amendment
                and (since_kst is None or taken is None or taken >= since_kst.replace(microsecond=0))
            ):
                return self._from_abroad_row(row, day, exchange)
        return None

    async def _rows(self, day: dt.date, *, symbol: str | None = None) -> list[DailyCcldOrder]:
        """The day's orders (of ``symbol``), oldest first, every page."""
        answer = await self._kis.domestic_stock.inquire_daily_ccld(
            start_date=day, end_date=day, sort_order="01", symbol=symbol
        ).all()
        return list(answer.output1)

    async def _abroad_rows(
        self, day: dt.date, exchange: OverseasExchangeCode
    ) -> list[OverseasStockInquireCcnlRow]:
        """The exchange day's overseas orders (해외주식 주문체결내역, every page), oldest first
        (sorted here by order number: the two environments sort differently).

        Paper (모의투자) takes no exchange (only "" 전체, as for the symbol and sort; side and
        fill status only "00"): there every exchange's orders come back and the rows are kept
        here as the real server's query would keep them (``NASD`` is every US market)."""
        if self._kis.env == "paper":
            answer = await self._kis.overseas_stock.inquire_ccnl(
                start_date=day, end_date=day, side="00", fill_status="00"
            ).all()
            rows = [row for row in answer.output if _listed_under(row.ovrs_excg_cd, exchange)]
        else:
            answer = await self._kis.overseas_stock.inquire_ccnl(
                start_date=day, end_date=day, side="00", fill_status="00", exchange=exchange
            ).all()
            rows = list(answer.output)
        return sorted(rows, key=lambda row: _placed(row, day))

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

    def _from_abroad_row(
        self, row: OverseasStockInquireCcnlRow, day: dt.date, exchange: OverseasExchangeCode
    ) -> Order:
        order = Order(
            self,
            row.pdno or "",
            "buy" if (row.sll_buy_dvsn_cd or "") == "02" else "sell",
            row.ft_ord_qty or 0,
            row.ft_ord_unpr3,
            row.odno or "",
            row.ord_gno_brno or "",
            day,
            exchange,
        )
        order._update_abroad(row)
        return order
