"""``kis.market``: the trading calendar and sessions, so a bot sleeps through holidays and nights.

Everything is in KST and comes from :mod:`kis_async._calendar` (exchange holiday tables of the
``holidays`` package, the exchanges' published hours); "now" is the client's clock (the real
time, or a sandbox's clock when the client came from ``Sandbox.client()``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from kis_async import _calendar
from kis_async._calendar import MarketSession
from kis_async._errors import KisConfigError

if TYPE_CHECKING:
    from kis_async.domestic_stock.quotations import ChkHolidayResponse


class Market:
    """The trading calendar of KRX, NXT and the overseas exchanges KIS trades (``kis.market``).

    ``market`` takes KIS's names: ``KRX`` (default), ``NXT``, or an overseas exchange code
    (``NAS``/``NASD``, ``NYS``/``NYSE``, ``AMS``/``AMEX``, ``HKS``, ``TSE``, ``SHS``, ``SZS`` …).
    """

    def __init__(
        self,
        now: Callable[[], dt.datetime],
        chk_holiday: Callable[[dt.date], Awaitable[ChkHolidayResponse]] | None = None,
    ) -> None:
        self._now = now
        self._chk_holiday = chk_holiday

    def now(self) -> dt.datetime:
        """The current instant in KST, by the client's clock."""
        return self._now().astimezone(_calendar.KST)

    def today(self) -> dt.date:
        """Today's date in KST, by the client's clock (the date KIS means)."""
        return self.now().date()

    def is_open(self, at: dt.datetime | None = None, market: str = "KRX", *, extended: bool = False) -> bool:
        """Whether ``market`` trades at ``at`` (default: now): the regular session and its
        auctions, or with ``extended=True`` any session (pre-market, after-hours, NXT's)."""
        return _calendar.is_open(at or self.now(), market, extended=extended)

    def next_open(self, after: dt.datetime | None = None, market: str = "KRX") -> dt.datetime:
        """When ``market``'s next regular session starts after ``after`` (default: now), in KST."""
        return _calendar.next_open(after or self.now(), market)

    def sessions(self, day: dt.date | None = None, market: str = "KRX") -> tuple[MarketSession, ...]:
        """The sessions of ``day`` (default: today) with KST bounds; empty on a closed day."""
        return _calendar.sessions(day or self.today(), market)

    def early_close(self, day: dt.date | None = None, market: str = "KRX") -> dt.datetime | None:
        """When ``market``'s regular trading ends early on ``day`` (default: today), in KST: a US
        half day closes at 13:00 New York time (the day after Thanksgiving, Christmas Eve, the
        day before Independence Day), an HKEX half day at 12:00 (no afternoon session); ``None``
        on a full or closed day."""
        return _calendar.early_close(day or self.today(), market)

    def is_trading_day(self, day: dt.date | None = None, market: str = "KRX") -> bool:
        """Whether ``market`` trades on ``day`` (default: today)."""
        return _calendar.is_trading_day(day or self.today(), market)

    def trading_days(self, start: dt.date, end: dt.date, market: str = "KRX") -> list[dt.date]:
        """The trading days from ``start`` to ``end`` (both included), oldest first."""
        return _calendar.trading_days(start, end, market)

    def next_trading_day(self, day: dt.date | None = None, market: str = "KRX") -> dt.date:
        """The first trading day after ``day`` (default: today)."""
        return _calendar.next_trading_day(day or self.today(), market)

    def previous_trading_day(self, day: dt.date | None = None, market: str = "KRX") -> dt.date:
        """The last trading day before ``day`` (default: today)."""
        return _calendar.previous_trading_day(day or self.today(), market)

    async def kis_open_days(self, start: dt.date | None = None) -> dict[dt.date, bool]:
        """KIS's own word on KRX open days (국내휴장일조회, ``domestic_stock.chk_holiday``, real
        accounts only; KIS asks for at most one call a day): each day of its list from ``start``
        (default: today) → 개장일여부. Use it to confirm the calendar library around an unusual
        closure announced late."""
        if self._chk_holiday is None:
            raise KisConfigError("kis.market.kis_open_days() needs a client (kis.market, not Market())")
        answer = await self._chk_holiday(start or self.today())
        return {row.bass_dt: row.opnd_yn == "Y" for row in answer.output if row.bass_dt is not None}

    def __repr__(self) -> str:
        return f"Market(now={self.now().isoformat(timespec='seconds')})"
