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

from kis_async._calendar import KST, sessions


class DayOrder(Protocol):
    """What the desks' orders share for ending at their day's end."""

    open_quantity: int
    expired: int
    ends: dt.datetime | None


#: The KRX sessions an order of each 주문구분 lives in (the others: the continuous market with its
#: auctions, ending with the closing auction at 15:30).
_KRX_DAY = frozenset({"opening_auction", "regular", "closing_auction"})
_KRX_BY_ORDER_TYPE = {
    "05": frozenset({"pre_close"}),  # 장전 시간외 종가
    "06": frozenset({"post_close"}),  # 장후 시간외 종가
    "07": frozenset({"single_price"}),  # 시간외 단일가
}
_NXT_DAY = frozenset({"pre_market", "regular", "after_market"})


def krx_day_end(day: dt.date, order_type: str, exchange: str) -> dt.datetime | None:
    """When a domestic stock order of ``day`` ends: the end of the last session of its 주문구분
    (the closing auction's 15:30 for a regular order, 18:00 for 시간외 단일가), or for an NXT
    order (``EXCG_ID_DVSN_CD`` NXT) NXT's after-market end (20:00). ``None`` when ``day`` has no
    such session (an order the sandbox does not end)."""
    market = "NXT" if exchange == "NXT" else "KRX"
    kinds = _NXT_DAY if market == "NXT" else _KRX_BY_ORDER_TYPE.get(order_type, _KRX_DAY)
    ends = [s.end for s in sessions(day, market) if s.kind in kinds]
    return max(ends) if ends else None


def abroad_day_end(day: dt.date, exchange: str, placed: dt.datetime) -> dt.datetime | None:
    """When an overseas order of the exchange's local ``day`` taken at ``placed`` ends: the end
    of that day's last regular session (the close; a half day's early close), in KST; an order
    taken after the close (an extended-hours order) with the day's last session."""
    day_sessions = sessions(day, exchange)
    ends = [s.end for s in day_sessions if s.kind == "regular"] or [s.end for s in day_sessions]
    if ends and placed >= max(ends):
        ends = [s.end for s in day_sessions]
    return max(ends) if ends and max(ends) > placed else None


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
