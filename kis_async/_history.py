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
from kis_async._models import KisModel, Rows

if TYPE_CHECKING:
    from kis_async._client import KisClient
    from kis_async.domestic_futureoption.quotations import DomesticFutureoptionInquireDailyFuopchartpriceRow
    from kis_async.domestic_stock.quotations import ChartBar, InquireDailyIndexchartpriceRow
    from kis_async.overseas_price.quotations import OverseasPriceDailypriceRow
    from kis_async.rows import MinuteBar

RowT = TypeVar("RowT", bound=KisModel)

HistoryPeriod = Literal["D", "W", "M", "Y"]
"""Bar length of ``kis.history``: ``D`` daily, ``W`` weekly, ``M`` monthly, ``Y`` yearly."""

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
        period: HistoryPeriod = "D",
        adjusted: bool = True,
    ) -> Rows[ChartBar]:
        """Bars of ``symbol`` from ``start`` to ``end`` (default: today, KST), oldest first.

        ``period``: ``D`` daily, ``W`` weekly, ``M`` monthly, ``Y`` yearly; ``adjusted``: 수정주가
        (``False``: 원주가). Calls ``domestic_stock.inquire_daily_itemchartprice`` (국내주식기간별시세)
        as many times as the range needs, within the client's rate limit. The result is the
        endpoint's own rows (``.to_polars()`` works on it).
        """
        return await _collect(self.iter_daily(symbol, start, end, period=period, adjusted=adjusted))

    async def iter_daily(
        self,
        symbol: str,
        start: dt.date,
        end: dt.date | None = None,
        *,
        period: HistoryPeriod = "D",
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

    async def index_daily(
        self, index: str, start: dt.date, end: dt.date | None = None, *, period: HistoryPeriod = "D"
    ) -> Rows[InquireDailyIndexchartpriceRow]:
        """Bars of the index ``index`` (업종코드: ``0001`` 코스피, ``1001`` 코스닥, ``2001``
        코스피200), oldest first, through ``domestic_stock.inquire_daily_indexchartprice``
        (국내주식업종기간별시세), paged by date like :meth:`daily`."""
        end = end or self._kis.market.today()
        _check_range(start, end)
        chart = self._kis.domestic_stock.inquire_daily_indexchartprice

        async def fetch(upper: dt.date) -> Sequence[InquireDailyIndexchartpriceRow]:
            answer = await chart(
                market_division="U", symbol=index, start_date=start, end_date=upper, period=period
            )
            return answer.output2

        return await _collect(_page_back(fetch, end, start, lambda row: row.stck_bsop_date))

    async def futures_daily(
        self,
        code: str,
        start: dt.date,
        end: dt.date | None = None,
        *,
        period: HistoryPeriod = "D",
        market: Literal["F", "O", "JF", "JO", "CF", "CM", "EU"] = "F",
    ) -> Rows[DomesticFutureoptionInquireDailyFuopchartpriceRow]:
        """Bars of the futures or option ``code`` (``market``: ``F`` 지수선물, ``O`` 지수옵션 …),
        oldest first, through ``domestic_futureoption.inquire_daily_fuopchartprice``
        (선물옵션기간별시세), paged by date like :meth:`daily`."""
        end = end or self._kis.market.today()
        _check_range(start, end)
        chart = self._kis.domestic_futureoption.inquire_daily_fuopchartprice

        async def fetch(upper: dt.date) -> Sequence[DomesticFutureoptionInquireDailyFuopchartpriceRow]:
            answer = await chart(
                market_division=market, symbol=code, start_date=start, end_date=upper, period=period
            )
            return answer.output2

        return await _collect(_page_back(fetch, end, start, lambda row: row.stck_bsop_date))

    async def overseas_daily(
        self,
        symbol: str,
        exchange: Literal["NAS", "NYS", "AMS", "HKS", "TSE", "SHS", "SZS", "HSX", "HNX"],
        start: dt.date,
        end: dt.date | None = None,
        *,
        adjusted: bool = True,
    ) -> Rows[OverseasPriceDailypriceRow]:
        """Daily bars of an overseas stock, oldest first, through ``overseas_price.dailyprice``
        (해외주식 기간별시세; dates are the exchange's local dates), paged back by its 기준일자."""
        end = end or self._kis.market.today()
        _check_range(start, end)
        chart = self._kis.overseas_price.dailyprice

        async def fetch(upper: dt.date) -> Sequence[OverseasPriceDailypriceRow]:
            answer = await chart(
                exchange=exchange, symbol=symbol, period="0", adjusted="1" if adjusted else "0", date=upper
            )
            return answer.output2

        return await _collect(_page_back(fetch, end, start, lambda row: row.xymd))

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


async def _collect(chunks: AsyncIterator[list[RowT]]) -> Rows[RowT]:
    """Chunks come newest first, each oldest first: the rows oldest first, in one ``Rows``."""
    collected: list[list[RowT]] = [chunk async for chunk in chunks]
    rows: Rows[RowT] = Rows(row for chunk in reversed(collected) for row in chunk)
    if rows:
        rows.row_class = type(rows[0])
    return rows


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
