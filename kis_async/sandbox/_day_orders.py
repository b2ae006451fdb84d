"""Orders are day orders: an unfilled remainder ends with the session its order belongs to.

KRX orders are valid for their day (당일 유효): what has not filled when the order's session ends
is gone (the exchange drops it; nobody sends a 취소). KIS's overseas orders end with the
exchange's day (KIS's 해외주식 예약주문접수 page: "미국장 마감 후, 미체결주문은 자동취소"), and
KRX derivatives orders with their session. ``docs/sandbox.md`` ("Day orders") lists the sources.

Each desk stamps an accepted order with the instant its day ends (:func:`krx_day_end`,
:func:`abroad_day_end`, :func:`futures_day_end`); :func:`end_day_orders` then ends every open
order whose instant the clock has passed: lazily, whenever the desk is asked about its orders, so
a clock that jumps days ends each order at its own day's end, the same whenever it is asked.

An ended order keeps its place in the day's history with its filled and unfilled quantities
(``expired``: what was still open when the day ended, the 잔여수량 the day's inquiry shows); it
is no longer open (``open_quantity`` 0), so it reserves nothing, is not listed as 정정취소가능 or
미체결, and an amend or cancel of it is refused as of an order with nothing left to change. KIS
documents no execution notice for it (the 체결통보's 접수여부 lists 취소 only for FOK/IOC), and
the sandbox sends none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from kis_async._calendar import KST, order_day_end


class DayOrder(Protocol):
    """What the desks' orders share for ending at their day's end."""

    open_quantity: int
    expired: int
    ends: dt.datetime | None


def krx_day_end(day: dt.date, order_type: str, exchange: str) -> dt.datetime | None:
    """When a domestic stock order of ``day`` ends (:func:`kis_async._calendar.order_day_end`, the
    rule the bot layer reads too): 15:30 for a regular order, its session's end for 05/06/07,
    NXT's 20:00 for an NXT order; an SOR order as a KRX one. ``None`` when ``day`` has no such
    session (an order the sandbox does not end)."""
    return order_day_end(day, exchange or "KRX", order_type=order_type)


def abroad_day_end(day: dt.date, exchange: str, placed: dt.datetime) -> dt.datetime | None:
    """When an overseas order of the exchange's local ``day`` taken at ``placed`` ends
    (:func:`kis_async._calendar.order_day_end`): the regular close, in KST; an order taken after
    it (an extended-hours order) with the day's last session, a US one at 07:00 KST, when KIS
    stops taking US orders."""
    return order_day_end(day, exchange, placed=placed)


def futures_day_end(
    now: dt.datetime, night_start: dt.date | None, day_end: dt.time, night_end: dt.time
) -> dt.datetime:
    """When a futures/options order taken at ``now`` ends: its day session's end (15:45 KST), or
    for an order of the night session that started on ``night_start`` that session's end (06:00
    the next morning)."""
    if night_start is not None:
        return dt.datetime.combine(night_start + dt.timedelta(days=1), night_end, KST)
    return dt.datetime.combine(now.astimezone(KST).date(), day_end, KST)


def end(order: DayOrder) -> None:
    """End ``order``'s unfilled remainder: it stays in the history as 잔여수량, no longer open."""
    order.expired += order.open_quantity
    order.open_quantity = 0


def end_day_orders(orders: Iterable[DayOrder], now: dt.datetime) -> None:
    """End every open order whose day ended at or before ``now``."""
    for order in orders:
        if order.open_quantity > 0 and order.ends is not None and order.ends <= now:
            end(order)
