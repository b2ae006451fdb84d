"""The bot author's conveniences on :class:`KisClient`, thin and typed over the generated endpoints.

``kis.market`` (calendar and sessions), ``kis.symbols()`` (master files), ``kis.history``
(charts over any range), ``kis.orders`` (orders as handles), ``kis.account`` (positions and
cash) and ``kis.quote()``. None of them holds endpoint logic of its own or a second HTTP path:
each calls the generated methods, so validation, rate limits, retries, order safety and typed rows
are the endpoints' own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from kis_async._account import Account
    from kis_async._history import History
    from kis_async._market import Market
    from kis_async._orders import Orders
    from kis_async.domestic_stock.quotations import StockQuote
    from kis_async.overseas_price.quotations import OverseasPriceQuote
    from kis_async.symbols import SymbolBook


class KisConveniences:
    """Mixed into KisClient: the bot author's layer (each part imported on first use)."""

    _clock: Callable[[], dt.datetime]
    base_url: str

    def now(self) -> dt.datetime:
        """The current instant in KST by this client's clock (a sandbox client: the sandbox's)."""
        from kis_async._calendar import KST

        return self._clock().astimezone(KST)

    @cached_property
    def market(self) -> Market:
        """The trading calendar and sessions of KRX, NXT and overseas exchanges, in KST."""
        from kis_async._market import Market

        async def chk_holiday(day: dt.date) -> Any:
            return await self.domestic_stock.chk_holiday(date=day)  # type: ignore[attr-defined]

        return Market(self.now, chk_holiday)

    @cached_property
    def history(self) -> History:
        """Charts over any range: ``await kis.history.daily("005930", start, end)``."""
        from kis_async._history import History

        return History(self)  # type: ignore[arg-type]

    @cached_property
    def orders(self) -> Orders:
        """Stock orders as handles: ``order = await kis.orders.buy("005930", 10, 70000)``, abroad
        ``await kis.orders.buy("AAPL", 5, Decimal("187.50"), exchange="NASD")``."""
        from kis_async._orders import Orders

        return Orders(self)  # type: ignore[arg-type]

    @cached_property
    def account(self) -> Account:
        """Positions and cash: ``await kis.account.positions()``, ``await kis.account.cash()``."""
        from kis_async._account import Account

        return Account(self)  # type: ignore[arg-type]

    @overload
    async def quote(self, symbol: str) -> StockQuote | None: ...
    @overload
    async def quote(self, symbol: str, exchange: str) -> OverseasPriceQuote | None: ...
    async def quote(self, symbol: str, exchange: str | None = None) -> StockQuote | OverseasPriceQuote | None:
        """The current quote: a domestic stock (주식현재가 시세, ``domestic_stock.inquire_price``) or,
        with ``exchange`` (``NAS``, ``NYS``, ``AMS``, ``HKS``, ``TSE`` …), an overseas one
        (해외주식 현재체결가, ``overseas_price.price``). ``None`` when KIS sends no quote."""
        if exchange is None:
            return (await self.domestic_stock.inquire_price(symbol=symbol)).output  # type: ignore[attr-defined,no-any-return]
        return (await self.overseas_price.price(exchange=exchange, symbol=symbol)).output  # type: ignore[attr-defined,no-any-return]

    async def symbols(
        self,
        markets: Sequence[str] = ("KOSPI", "KOSDAQ"),
        *,
        cache_dir: str | Path | None = None,
        max_age: dt.timedelta = dt.timedelta(days=1),
    ) -> SymbolBook:
        """The master files of ``markets`` (KIS's, or a sandbox's own), downloaded at most once per
        ``max_age`` into the cache folder; search with ``.search("삼성")``. The overseas
        derivatives (``OVERSEAS_FUTURES``, ``OVERSEAS_OPTIONS``, ``OVERSEAS_STOCK_OPTIONS``) give
        each series' 계산 소수점: ``book.price("6AZ26", quote.last_price)`` is the real price."""
        from kis_async import symbols

        return await symbols.load(
            markets, base_url=symbols.master_url(self.base_url), cache_dir=cache_dir, max_age=max_age
        )
