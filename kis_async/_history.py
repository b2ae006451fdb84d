"""``kis.history``: price history over any range, paged by date through the chart endpoints.

KIS answers at most 100 daily bars (30 to 120 minute bars) per call and has no continuation key
for charts: the way back is to ask again with an earlier end date. Every bot writes that loop, and
its off-by-one and duplicate bugs; here it is once. The rows are the endpoints' own typed rows
(``.raw`` intact), oldest first, each date (or minute) once; paging stops when the range is covered
or KIS has nothing older (the listing date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from kis_async._errors import KisValidationError

if TYPE_CHECKING:
    from kis_async._client import KisClient
    from kis_async.domestic_stock.quotations import ChartBar
    from kis_async.rows import MinuteBar

RowT = TypeVar("RowT")

Period = Literal["D", "W", "M", "Y"]

#: A runaway guard: no listed stock has more bars than this many calls' worth (100 a call).
_MAX_CALLS = 1_000


class History:
    """Charts over any range (``kis.history``): daily/weekly/monthly bars and a day's minutes."""

    def __init__(self, client: KisClient) -> None:
        self._kis = client

    async def daily(
        self,
        symbol: str,
        start: dt.date,
        end: dt.date | None = None,
        *,
        period: Period = "D",
        adjusted: bool = True,
    ) -> list[ChartBar]:
        """Bars of ``symbol`` from ``start`` to ``end`` (default: today, KST), oldest first.

        ``period``: ``D`` daily, ``W`` weekly, ``M`` monthly, ``Y`` yearly; ``adjusted``: 수정주가
        (``False``: 원주가). Calls ``domestic_stock.inquire_daily_itemchartprice`` (국내주식기간별시세)
        as many times as the range needs, within the client's rate limit.
        """
        bars: list[ChartBar] = []
        async for chunk in self.iter_daily(symbol, start, end, period=period, adjusted=adjusted):
            bars[:0] = chunk  # chunks come newest first; each is oldest first
        return bars

    async def iter_daily(
        self,
        symbol: str,
        start: dt.date,
        end: dt.date | None = None,
        *,
        period: Period = "D",
        adjusted: bool = True,
    ) -> AsyncIterator[list[ChartBar]]:
        """The same bars as :meth:`daily`, one call's worth at a time, newest chunk first (each
        chunk oldest first): for long ranges, or to stop early."""
        end = end or self._kis.market.today()
        _check_range(start, end)
        chart = self._kis.domestic_stock.inquire_daily_itemchartprice

        async def fetch(upper: dt.date) -> Sequence[ChartBar]:
            answer = await chart(
                symbol=symbol,
                start_date=start,
                end_date=upper,
                period=period,
                adjusted_price="0" if adjusted else "1",
            )
            return answer.output2

        async for chunk in _page_back(fetch, end, start, lambda row: row.stck_bsop_date):
            yield chunk

    async def minutes(self, symbol: str, day: dt.date | None = None) -> list[MinuteBar]:
        """The minute bars of ``symbol`` on ``day`` (default: today, KST), oldest first, session
        minutes only. Calls ``domestic_stock.inquire_time_dailychartprice`` (주식일별분봉조회), paging
        back by time."""
        day = day or self._kis.market.today()
        chart = self._kis.domestic_stock.inquire_time_dailychartprice
        bars: dict[dt.time, MinuteBar] = {}
        until = dt.time(23, 59, 59)
        for _ in range(_MAX_CALLS):
            answer = await chart(
                market_division="J", symbol=symbol, date=day, time=until.strftime("%H%M%S"), include_past="Y"
            )
            fresh = [
                row
                for row in answer.output2
                if row.stck_bsop_date == day
                and row.stck_cntg_hour is not None
                and row.stck_cntg_hour not in bars
            ]
            if not fresh:
                break
            for row in fresh:
                assert row.stck_cntg_hour is not None
                bars[row.stck_cntg_hour] = row
            earliest = min(bars)
            if earliest <= dt.time(0, 0):
                break
            until = (dt.datetime.combine(day, earliest) - dt.timedelta(seconds=1)).time()
        return [bars[moment] for moment in sorted(bars)]


async def _page_back(
    fetch: Callable[[dt.date], Awaitable[Sequence[RowT]]],
    end: dt.date,
    start: dt.date,
    date_of: Callable[[RowT], dt.date | None],
) -> AsyncIterator[list[RowT]]:
    """Ask for ``[start, upper]`` with ``upper`` moving back to the day before the oldest row
    seen, until a call brings nothing new or reaches ``start``."""
    upper = end
    seen: set[dt.date] = set()
    for _ in range(_MAX_CALLS):
        rows = await fetch(upper)
        chunk: dict[dt.date, RowT] = {}
        for row in rows:
            day = date_of(row)
            if day is not None and start <= day <= upper and day not in seen:
                chunk[day] = row
        if not chunk:
            return
        seen.update(chunk)
        yield [chunk[day] for day in sorted(chunk)]
        oldest = min(chunk)
        if oldest <= start:
            return
        upper = oldest - dt.timedelta(days=1)
    raise KisValidationError(f"history: more than {_MAX_CALLS} calls for one range; narrow it")


def _check_range(start: Any, end: Any) -> None:
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise KisValidationError(f"history: {name} must be a datetime.date, got {value!r}")
    if end < start:
        raise KisValidationError(f"history: end {end} is before start {start}")
