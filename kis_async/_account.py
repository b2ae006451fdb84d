"""``kis.account`` and ``kis.quote()``: positions, cash and a quote in one line each.

Each answer wraps the typed rows of the endpoints it calls (``.row``, with ``.raw`` intact), so
nothing KIS sent is hidden behind the convenience.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import attrs

if TYPE_CHECKING:
    from kis_async._client import KisClient
    from kis_async.domestic_stock.trading import BalanceSummary
    from kis_async.overseas_stock.trading import OverseasStockBalanceSummary

OverseasExchangeCode = Literal["NASD", "NYSE", "AMEX", "SEHK", "SHAA", "SZAA", "TKSE", "HASE", "VNSE"]
"""Overseas exchanges as the balance and order endpoints name them (해외거래소코드): the codes of
the ``OverseasOrderExchange`` enum, as a ``Literal`` a type checker holds a bot's strings to.
(``OverseasExchange`` is the deprecated old name of the ``OverseasStockExchange`` enum.)"""
OverseasCurrency = Literal["USD", "HKD", "CNY", "JPY", "VND"]
_CURRENCY: dict[str, OverseasCurrency] = {
    "NASD": "USD",
    "NYSE": "USD",
    "AMEX": "USD",
    "SEHK": "HKD",
    "SHAA": "CNY",
    "SZAA": "CNY",
    "TKSE": "JPY",
    "HASE": "VND",
    "VNSE": "VND",
}
#: The US exchanges, for ``positions(overseas=US_EXCHANGES)``.
US_EXCHANGES: tuple[OverseasExchangeCode, ...] = ("NASD", "NYSE", "AMEX")


@attrs.frozen
class Position:
    """One holding, domestic or overseas, with its currency."""

    symbol: str
    name: str
    quantity: int
    orderable: int
    """주문가능수량: what a sell can use now (open sell orders already reserve the rest)."""
    average_price: Decimal | None
    currency: str
    """``KRW`` for domestic holdings; the trading currency (``USD`` …) for overseas ones."""
    market: str
    """``KRX`` or the overseas exchange code."""
    row: Any = attrs.field(repr=False)
    """The balance row KIS sent (``BalanceHolding`` / ``OverseasStockBalanceHolding``)."""


class Account:
    """The client's account (``kis.account``): positions and cash, domestic and overseas."""

    def __init__(self, client: KisClient) -> None:
        self._kis = client

    async def positions(self, *, overseas: Sequence[OverseasExchangeCode] = ()) -> list[Position]:
        """Domestic holdings (주식잔고조회, every page), then the holdings on each overseas
        exchange of ``overseas`` (e.g. ``US_EXCHANGES``; 해외주식 잔고), quantity above zero."""
        balance = await self._kis.domestic_stock.inquire_balance().all()
        positions = [
            Position(
                row.pdno or "",
                row.prdt_name or "",
                row.hldg_qty or 0,
                row.ord_psbl_qty or 0,
                row.pchs_avg_pric,
                "KRW",
                "KRX",
                row,
            )
            for row in balance.output1
            if row.hldg_qty
        ]
        for exchange in overseas:
            answer = await self._kis.overseas_stock.inquire_balance(
                exchange=exchange, currency=_CURRENCY[exchange]
            ).all()
            positions.extend(
                Position(
                    row.ovrs_pdno or "",
                    row.ovrs_item_name or "",
                    row.ovrs_cblc_qty or 0,
                    row.ord_psbl_qty or 0,
                    row.pchs_avg_pric,
                    str(row.tr_crcy_cd or _CURRENCY[exchange]),
                    str(row.ovrs_excg_cd or exchange),
                    row,
                )
                for row in answer.output1
                if row.ovrs_cblc_qty
            )
        return positions

    async def cash(self) -> BalanceSummary | None:
        """The domestic account's summary row (예수금 ``dnca_tot_amt``, D+2 ``prvs_rcdl_excc_amt``,
        총평가 ``tot_evlu_amt`` …) from 주식잔고조회."""
        balance = await self._kis.domestic_stock.inquire_balance()
        return balance.output2

    async def overseas_cash(
        self, exchange: OverseasExchangeCode = "NASD", currency: OverseasCurrency | None = None
    ) -> OverseasStockBalanceSummary | None:
        """The overseas balance summary row for ``exchange`` in ``currency`` (해외주식 잔고)."""
        answer = await self._kis.overseas_stock.inquire_balance(
            exchange=exchange, currency=currency or _CURRENCY[exchange]
        )
        return answer.output2
