"""Order inquiries and holdings answered from the order desk's book, not made up.

A bot whose order answer was lost (``KisOrderStateUnknownError``) must look the order up before
sending it again; so the sandbox's order inquiries (주식일별주문체결조회, 정정취소가능주문조회 …)
list exactly the orders the caller's app key placed for the account asked about, and its balances
(주식잔고조회 …) carry their fills. Nothing here names an endpoint: an inquiry is recognised by the
wire names of its rows (``odno`` + ``ord_qty`` + ``pdno``: orders; ``hldg_qty`` + ``pdno``:
holdings) and its request fields (``CANO``/``ACNT_PRDT_CD``, ``PDNO``, ``ODNO``,
``SLL_BUY_DVSN_CD``, ``CCLD_DVSN``, ``INQR_STRT_DT``/``INQR_END_DT``, ``INQR_DVSN``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Literal

from kis_async.sandbox._market import BY_CODE, Stock
from kis_async.sandbox._notices import BUY, DOMESTIC_STOCK_PATH, SELL, Fill, OpenOrder

Row = dict[str, Any]
BookKind = Literal["orders", "holdings"]

ORDER_TYPE_NAMES = {
    "00": "지정가",
    "01": "시장가",
    "02": "조건부지정가",
    "03": "최유리지정가",
    "04": "최우선지정가",
}
SIDE_NAMES = {SELL: "매도", BUY: "매수"}
_ORDER_KEYS = frozenset({"odno", "ord_qty", "pdno"})
_HOLDING_KEYS = frozenset({"hldg_qty", "pdno"})
_FILLED, _UNFILLED = "01", "02"


def book_kind(path: str, method: str, row_names: Iterable[str]) -> BookKind | None:
    """Whether a domestic stock inquiry lists orders or holdings, by its rows' wire names."""
    if method != "GET" or not path.startswith(DOMESTIC_STOCK_PATH):
        return None
    names = set(row_names)
    if names >= _ORDER_KEYS:
        return "orders"
    if names >= _HOLDING_KEYS:
        return "holdings"
    return None


def account_of(request: Mapping[str, str]) -> str:
    wire = {k.upper(): v for k, v in request.items()}
    return wire.get("CANO", "") + wire.get("ACNT_PRDT_CD", "")


def stock_of(symbol: str) -> Stock:
    return BY_CODE.get(symbol) or Stock(symbol, f"종목{symbol}", "KOSPI")


def order_rows(
    orders: list[OpenOrder],
    request: Mapping[str, str],
    today: dt.date,
    blank_row: Callable[[Stock], Row],
) -> list[Row]:
    """One row per booked order that the request's filters keep, newest first unless ``INQR_DVSN``
    asks for 정순 (01); every other field of the row comes from ``blank_row`` (made up)."""
    wire = {k.upper(): v.strip() for k, v in request.items()}
    if not _today_in_range(wire, today):
        return []
    rows = []
    for order in orders:
        if not _kept(order, wire):
            continue
        row = blank_row(stock_of(order.symbol))
        if "psbl_qty" in row and (order.open_quantity == 0 or order.kind == "cancel"):
            continue  # 정정취소가능: only orders with something left to change
        row.update({k: v for k, v in order_values(order, today).items() if k in row})
        rows.append(row)
    if wire.get("INQR_DVSN", "00") != "01":
        rows.reverse()
    return rows


def order_values(order: OpenOrder, today: dt.date) -> dict[str, str]:
    """An order's fields by KIS's wire names (inquiries use some of them, each its own)."""
    filled = min(order.filled, order.quantity)
    side = SIDE_NAMES.get(order.side, "매수")
    correction = {"revise": "정정", "cancel": "취소"}.get(order.kind, "")
    average = str(order.fill_price) if filled else "0"
    return {
        "odno": order.number,
        "orgn_odno": order.original,
        "ord_dt": today.strftime("%Y%m%d"),
        "ord_gno_brno": order.branch,
        "ord_orgno": order.branch,
        "sll_buy_dvsn_cd": order.side,
        "sll_buy_dvsn_cd_name": side,
        "sll_buy_dvsn_name": side,
        "trad_dvsn_name": side,
        "pdno": order.symbol,
        "prdt_name": stock_of(order.symbol).name,
        "ord_qty": str(order.quantity),
        "ord_unpr": str(order.price),
        "ord_tmd": order.hour,
        "tot_ccld_qty": str(filled),
        "tot_ccld_amt": str(filled * order.fill_price),
        "avg_prvs": average,
        "pchs_avg_pric": average,
        "rmn_qty": str(order.open_quantity),
        "nccs_qty": str(order.open_quantity),
        "psbl_qty": str(order.open_quantity),
        "cncl_yn": "Y" if order.kind == "cancel" else "N",
        "cnc_cfrm_qty": str(order.quantity if order.kind == "cancel" else 0),
        "rjct_qty": "0",
        "ord_dvsn_cd": order.order_type,
        "ord_dvsn_name": ORDER_TYPE_NAMES.get(order.order_type, "지정가"),
        "rvse_cncl_dvsn_name": correction,
        "rvse_cncl_dvsn_cd_name": correction,
        "ccld_cndt_name": "없음",
        "loan_dt": "",
    }


def order_totals(rows: list[Row], total: Row) -> None:
    """The summary object of an order inquiry (총주문수량, 총체결수량, 총체결금액) from its rows."""
    for key, source in (
        ("tot_ord_qty", "ord_qty"),
        ("tot_ccld_qty", "tot_ccld_qty"),
        ("tot_ccld_amt", "tot_ccld_amt"),
    ):
        if key in total:
            total[key] = str(sum(int(row.get(source) or 0) for row in rows))
    if "pchs_avg_pric" in total:
        quantity = sum(int(row.get("tot_ccld_qty") or 0) for row in rows)
        amount = sum(int(row.get("tot_ccld_amt") or 0) for row in rows)
        average = Decimal(amount) / quantity if quantity else Decimal(0)
        total["pchs_avg_pric"] = format(average.quantize(Decimal("0.0001")), "f")


#: Summary fields of a balance (주식잔고조회 ``output2``) → the holding field they add up.
_HOLDING_SUMS = {
    "pchs_amt_smtl_amt": "pchs_amt",
    "evlu_amt_smtl_amt": "evlu_amt",
    "scts_evlu_amt": "evlu_amt",
    "evlu_pfls_smtl_amt": "evlu_pfls_amt",
}


def holding_totals(rows: list[Row], total: Row) -> None:
    """A balance's summary from its holdings: 매입금액합계, 평가금액합계 (= 유가평가금액), 평가손익합계,
    and 총평가금액 = 유가평가금액 + D+2 예수금."""
    for key, source in _HOLDING_SUMS.items():
        if key in total and all(source in row for row in rows):
            total[key] = str(sum(int(row[source] or 0) for row in rows))
    if {"tot_evlu_amt", "scts_evlu_amt", "prvs_rcdl_excc_amt"} <= total.keys():
        total["tot_evlu_amt"] = str(int(total["scts_evlu_amt"]) + int(total["prvs_rcdl_excc_amt"] or 0))


def _today_in_range(wire: Mapping[str, str], today: dt.date) -> bool:
    day = today.strftime("%Y%m%d")
    start, end = wire.get("INQR_STRT_DT", ""), wire.get("INQR_END_DT", "")
    return (not start or start <= day) and (not end or day <= end)


def _kept(order: OpenOrder, wire: Mapping[str, str]) -> bool:
    symbol, number = wire.get("PDNO", ""), wire.get("ODNO", "")
    if symbol and symbol != order.symbol:
        return False
    if number and number.lstrip("0") != order.number.lstrip("0"):
        return False
    if wire.get("SLL_BUY_DVSN_CD", "00") in (SELL, BUY) and wire["SLL_BUY_DVSN_CD"] != order.side:
        return False
    status = wire.get("CCLD_DVSN", "00")
    if status == _FILLED and order.filled == 0:
        return False
    return not (status == _UNFILLED and order.open_quantity == 0)


def apply_fills(rows: list[Row], fills: list[Fill], blank_row: Callable[[Stock], Row]) -> list[Row]:
    """Holdings after the account's fills: bought shares added at their price, sold ones taken off
    at the average cost; a symbol bought for the first time gets a row of its own, and one sold out
    disappears. Touched rows come first (they are what a bot looks for)."""
    if not fills:
        return rows
    by_symbol = {row.get("pdno"): row for row in rows}
    touched: list[Row] = []
    for fill in fills:
        row = by_symbol.get(fill.symbol)
        if row is None:
            row = blank_row(stock_of(fill.symbol))
            row.update(hldg_qty="0", pchs_avg_pric="0", pchs_amt="0", thdt_buyqty="0", thdt_sll_qty="0")
            by_symbol[fill.symbol] = row
            rows.append(row)
        if not any(row is seen for seen in touched):
            touched.append(row)
        quantity = int(row.get("hldg_qty") or 0)
        cost = Decimal(quantity) * Decimal(row.get("pchs_avg_pric") or 0)
        if fill.side == BUY:
            quantity, cost = quantity + fill.quantity, cost + fill.quantity * fill.price
            _add(row, "thdt_buyqty", fill.quantity)
        else:
            sold = min(fill.quantity, quantity)
            cost = cost * (quantity - sold) / quantity if quantity else Decimal(0)
            quantity -= sold
            _add(row, "thdt_sll_qty", sold)
        average = (cost / quantity).quantize(Decimal("0.0001")) if quantity else Decimal("0.0000")
        row.update(hldg_qty=str(quantity), pchs_avg_pric=format(average, "f"))
        if "ord_psbl_qty" in row:
            row["ord_psbl_qty"] = str(quantity)
    rest = [row for row in rows if not any(row is seen for seen in touched)]
    return [row for row in (*touched, *rest) if int(row.get("hldg_qty") or 0) > 0]


def _add(row: Row, key: str, amount: int) -> None:
    if key in row:
        row[key] = str(int(row[key] or 0) + amount)
