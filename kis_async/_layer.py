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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kis_async._market import Market
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

        return Market(self.now)

    async def symbols(
        self,
        markets: Sequence[str] = ("KOSPI", "KOSDAQ"),
        *,
        cache_dir: str | Path | None = None,
        max_age: dt.timedelta = dt.timedelta(days=1),
    ) -> SymbolBook:
        """The stock master files of ``markets`` (KIS's, or a sandbox's own), downloaded at most
        once per ``max_age`` into the cache folder; search with ``.search("삼성")``."""
        from kis_async import symbols

        return await symbols.load(
            markets, base_url=symbols.master_url(self.base_url), cache_dir=cache_dir, max_age=max_age
        )
