"""The sandbox exchange's order desk: what happens to an order after the sandbox accepts it.

KIS notifies every domestic stock order on the execution-notice feed (국내주식 실시간체결통보,
H0STCNI0 real / H0STCNI9 paper), keyed by the account's HTS id: first an acceptance (접수,
``CNTG_YN`` 1), then each fill (체결, ``CNTG_YN`` 2). The desk plays a simple exchange:

- a market order, or a limit order at or through the current price (a buy at or above it, a sell at
  or below it), fills in full at the current price: the last real-time tick's when the symbol is
  streaming, else the market model's quote (the price ``inquire_price`` answers);
- any other limit order stays open, and ``order_rvsecncl`` may revise (정정, a new order number
  whose notice carries the original in ``OODER_NO``) or cancel (취소) it; a revision to a
  marketable price fills.

The desk also keeps the book: every order it accepted, per app key and account (also those whose
answer a fault lost), with what filled, which the order inquiries and balances answer from
(:mod:`._orders`).

The desk recognises orders by their KIS wire fields (``PDNO``/``ORD_QTY``/``ORD_UNPR`` with an
``ODNO`` answered; ``ORGN_ODNO``/``RVSE_CNCL_DVSN_CD``), so any domestic stock order spec served
by the sandbox is notified without the desk naming an endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from kis_async._endpoint import Endpoint
from kis_async.sandbox._market import BY_CODE, quote

#: 국내주식 실시간체결통보 TR per environment.
NOTICE_TR = {"real": "H0STCNI0", "paper": "H0STCNI9"}
DOMESTIC_STOCK_PATH = "/uapi/domestic-stock/"
SELL, BUY = "01", "02"
MARKET_ORDER_TYPES = {"01", "03", "04", "13", "14", "15", "16"}
"""주문구분 codes that take the market price (시장가, 최유리, 최우선, IOC/FOK 시장가·최유리)."""


@attrs.define
class OpenOrder:
    """An accepted order the desk remembers (open or filled)."""

    number: str
    symbol: str
    side: str
    quantity: int
    price: int
    order_type: str
    branch: str
    account: str
    open_quantity: int
    app_key: str = ""
    """The app key that sent it: order inquiries answer each key's own orders."""
    hour: str = ""
    """주문시각 (HHMMSS), as answered."""
    filled: int = 0
    """체결수량 so far (never more than ``quantity``)."""
    fill_price: int = 0
    """체결단가 of the fills."""
    original: str = ""
    """원주문번호 of a revision or cancellation."""
    kind: str = "new"
    """``new``, ``revise`` (정정) or ``cancel`` (취소)."""


@attrs.frozen
class Fill:
    """One execution, for the account's holdings."""

    app_key: str
    account: str
    symbol: str
    side: str
    quantity: int
    price: int


@attrs.define
class OrderDesk:
    """Turns accepted orders into execution notices (wire-name → value mappings)."""

    seed: int
    live_price: Callable[[str], int | None] = lambda symbol: None
    """The symbol's last real-time price, if it is streaming."""
    orders: dict[str, OpenOrder] = attrs.field(factory=dict)
    fills: list[Fill] = attrs.field(factory=list)

    def book(self, app_key: str, account: str) -> list[OpenOrder]:
        """Every order ``app_key`` placed for ``account`` (8+2 digits), in arrival order, including
        orders whose answer never reached the caller."""
        return [o for o in self.orders.values() if o.app_key == app_key and o.account == account]

    def fills_of(self, app_key: str, account: str) -> list[Fill]:
        return [f for f in self.fills if f.app_key == app_key and f.account == account]

    def price(self, symbol: str) -> int:
        """Where the symbol trades now."""
        live = self.live_price(symbol)
        return live if live is not None else quote(self.seed, symbol).price

    def notices(
        self,
        endpoint: Endpoint[Any],
        tr_id: str,
        fields: Mapping[str, Any],
        output: Mapping[str, Any],
        app_key: str = "",
    ) -> list[dict[str, str]]:
        """Books an accepted order and returns the notices it produces, in the order KIS sends them
        (none for an order the desk does not recognise, or one outside domestic stock)."""
        if not endpoint.path.startswith(DOMESTIC_STOCK_PATH):
            return []
        wire = {k.upper(): str(v) for k, v in fields.items()}
        answer = {k.upper(): str(v) for k, v in output.items()}
        number = answer.get("ODNO", "")
        if not number:
            return []
        if "ORGN_ODNO" in wire and "RVSE_CNCL_DVSN_CD" in wire:
            return self._revise_or_cancel(wire, answer, app_key)
        if {"PDNO", "ORD_QTY", "ORD_UNPR"} <= wire.keys():
            return self._place(_side(endpoint, tr_id, wire), wire, answer, app_key)
        return []

    def _place(
        self, side: str, wire: dict[str, str], answer: dict[str, str], app_key: str
    ) -> list[dict[str, str]]:
        order = OpenOrder(
            number=answer["ODNO"],
            symbol=wire["PDNO"],
            side=side,
            quantity=_int(wire["ORD_QTY"]),
            price=_int(wire["ORD_UNPR"]),
            order_type=wire.get("ORD_DVSN") or "00",
            branch=answer.get("KRX_FWDG_ORD_ORGNO", ""),
            account=wire.get("CANO", "") + wire.get("ACNT_PRDT_CD", ""),
            open_quantity=_int(wire["ORD_QTY"]),
            app_key=app_key,
            hour=answer.get("ORD_TMD", ""),
        )
        self.orders[order.number] = order
        hour = order.hour
        return [self._accepted(order, hour, correction="0"), *self._fill_if_marketable(order, hour)]

    def _revise_or_cancel(
        self, wire: dict[str, str], answer: dict[str, str], app_key: str
    ) -> list[dict[str, str]]:
        original = self.orders.get(wire["ORGN_ODNO"])
        if original is None or original.open_quantity == 0 or original.app_key != app_key:
            return []  # not an order of this sandbox, or already filled: nothing is left to change
        everything = wire.get("QTY_ALL_ORD_YN", "Y") == "Y"
        quantity = (
            original.open_quantity if everything else min(_int(wire["ORD_QTY"]), original.open_quantity)
        )
        hour = answer.get("ORD_TMD", "")
        cancel = wire["RVSE_CNCL_DVSN_CD"] == "02"
        original.open_quantity -= quantity
        if cancel:
            cancelled = attrs.evolve(
                original,
                number=answer["ODNO"],
                quantity=quantity,
                open_quantity=0,
                hour=hour,
                filled=0,
                fill_price=0,
                original=original.number,
                kind="cancel",
            )
            self.orders[cancelled.number] = cancelled
            return [self._accepted(cancelled, hour, correction="2", original=original.number)]
        revised = attrs.evolve(
            original,
            number=answer["ODNO"],
            quantity=quantity,
            open_quantity=quantity,
            price=_int(wire["ORD_UNPR"]) or original.price,
            order_type=wire.get("ORD_DVSN") or original.order_type,
            hour=hour,
            filled=0,
            fill_price=0,
            original=original.number,
            kind="revise",
        )
        self.orders[revised.number] = revised
        accepted = self._accepted(revised, hour, correction="1", original=original.number)
        return [accepted, *self._fill_if_marketable(revised, hour, original=original.number)]

    def _fill_if_marketable(self, order: OpenOrder, hour: str, original: str = "") -> list[dict[str, str]]:
        market = self.price(order.symbol)
        marketable = (
            order.order_type in MARKET_ORDER_TYPES
            or order.price == 0
            or (order.side == BUY and order.price >= market)
            or (order.side == SELL and order.price <= market)
        )
        if not marketable:
            return []
        filled = order.open_quantity
        order.open_quantity = 0
        order.filled += filled
        order.fill_price = market
        self.fills.append(Fill(order.app_key, order.account, order.symbol, order.side, filled, market))
        return [
            self._notice(
                order,
                hour,
                CNTG_YN="2",
                ACPT_YN="2",
                CNTG_QTY=str(filled),
                CNTG_UNPR=str(market),
                RCTF_CLS="0",
                OODER_NO=original,
            )
        ]

    def _accepted(
        self, order: OpenOrder, hour: str, *, correction: str, original: str = ""
    ) -> dict[str, str]:
        return self._notice(
            order,
            hour,
            CNTG_YN="1",
            ACPT_YN="1",
            CNTG_QTY="0",
            CNTG_UNPR="0",
            RCTF_CLS=correction,
            OODER_NO=original,
        )

    def _notice(self, order: OpenOrder, hour: str, **values: str) -> dict[str, str]:
        stock = BY_CODE.get(order.symbol)
        return {
            "ACNT_NO": order.account,
            "ODER_NO": order.number,
            "SELN_BYOV_CLS": order.side,
            "ODER_KIND": order.order_type,
            "ODER_COND": "0",
            "STCK_SHRN_ISCD": order.symbol,
            "STCK_CNTG_HOUR": hour,
            "RFUS_YN": "0",
            "BRNC_NO": order.branch,
            "ODER_QTY": str(order.quantity),
            "ACNT_NAME": "샌드박스",
            "ORD_EXG_GB": "1",
            "POPUP_YN": "Y",
            "CNTG_ISNM40": stock.name if stock else order.symbol,
            "ODER_PRC": str(order.price),
            **values,
        }


def _side(endpoint: Endpoint[Any], tr_id: str, wire: Mapping[str, str]) -> str:
    """매도(01)/매수(02): from ``SLL_BUY_DVSN_CD`` when the order carries it, else from the TR the
    order was sent with (``order_cash`` picks its TR by side)."""
    if wire.get("SLL_BUY_DVSN_CD") in (SELL, BUY):
        return wire["SLL_BUY_DVSN_CD"]
    for table in (endpoint.tr_id.real, endpoint.tr_id.paper):
        if isinstance(table, Mapping):
            for choice, tr in table.items():
                if tr == tr_id:  # a combined choice (``sell/NASD``, ``us_sell/NYSE``) starts with the side
                    side = choice.split("/")[0]
                    return SELL if side in ("sell", SELL) or side.endswith("_sell") else BUY
    return BUY


def _int(text: str) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0
