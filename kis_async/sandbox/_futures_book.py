"""Futures and options inquiries answered from the futures desk (:mod:`._futures`), not made up.

선물옵션 잔고현황 (day and night: positions and 합계), 총자산현황, 주문가능 and 주문체결내역조회 read
the one futures account state: 예탁현금, the margin positions hold, what open orders reserve,
net positions with their P&L, and the caller's orders. Nothing here names an endpoint: the data
generator recognises the rows by their wire names (:func:`._orders.book_kind`) and an account
object by its fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from kis_async._calendar import KST
from kis_async.sandbox._contracts import Contract, contract, listed
from kis_async.sandbox._futures import (
    BUY,
    SELL,
    DayRecord,
    FuturesDesk,
    FuturesPosition,
    hundredths,
    order_type_of,
    points,
)
from kis_async.sandbox._market import Stock

Row = dict[str, Any]
_NAMES = {SELL: "매도", BUY: "매수"}
_QUOTE_TYPES = {"01": "지정가", "02": "시장가", "03": "조건부", "04": "최유리"}


def _won(value: Decimal) -> str:
    return str(int(value.to_integral_value()))


def _stock(item: Contract) -> Stock:
    return Stock(item.code[:6], item.name, "KOSPI")


def _evaluation(
    desk: FuturesDesk, item: Contract, position: FuturesPosition
) -> tuple[Decimal, Decimal, Decimal]:
    """(매입금액, 평가금액, 평가손익) of a position in won."""
    quantity = abs(position.quantity)
    bought = position.average * item.multiplier * quantity
    value = points(desk.quote(item.code).price) * item.multiplier * quantity
    profit = (value - bought) if position.quantity > 0 else (bought - value)
    return bought, value, profit


def balance_rows(
    desk: FuturesDesk, request: Mapping[str, str], blank_row: Callable[[Stock], Row], shown: slice
) -> list[Row]:
    """선물옵션 잔고현황: one row per open position (and per contract closed today, with its
    매매손익 and no quantity, as KIS lists a position closed the same day)."""
    number = _request_account(request)
    account = desk.account(number)
    codes = list(dict.fromkeys([*account.positions, *account.realized]))
    wanted = set(range(len(codes))[shown])
    rows = []
    for index, code in enumerate(codes):
        item = contract(code)
        if item is None:
            continue
        position = account.positions.get(code, FuturesPosition(0, Decimal(0)))
        bought, value, profit = _evaluation(desk, item, position)
        price = points(desk.quote(code).price)
        side = "" if not position.quantity else _NAMES[BUY if position.quantity > 0 else SELL]
        values: dict[str, object] = {
            "cano": number[:8],
            "acnt_prdt_cd": number[8:],
            "pdno": code,
            "shtn_pdno": code,
            "prdt_type_cd": "301",
            "prdt_name": item.name,
            "sll_buy_dvsn_name": side,
            "cblc_qty": abs(position.quantity),
            "excc_unpr": price,
            "ccld_avg_unpr1": position.average.quantize(Decimal("0.01")),
            "idx_clpr": price,
            "pchs_amt": _won(bought),
            "evlu_amt": _won(value),
            "evlu_pfls_amt": _won(profit),
            "trad_pfls_amt": _won(account.realized.get(code, Decimal(0))),
            "lqd_psbl_qty": desk.closable(number, code, SELL if position.quantity > 0 else BUY),
        }
        row = blank_row(_stock(item)) if index in wanted else {}
        row.update({k: str(v) for k, v in values.items() if k in row or index not in wanted})
        rows.append(row)
    return rows


def _inquiry_day(desk: FuturesDesk, request: Mapping[str, str]) -> dt.date:
    """``INQR_DT`` (YYYYMMDD), or the clock's KST date when blank or not a date."""
    wire = {k.upper(): v.strip() for k, v in request.items()}
    try:
        return dt.datetime.strptime(wire.get("INQR_DT", ""), "%Y%m%d").date()
    except ValueError:
        return desk.now().astimezone(KST).date()


def settlement_rows(
    desk: FuturesDesk, request: Mapping[str, str], blank_row: Callable[[Stock], Row]
) -> list[Row]:
    """선물옵션 잔고정산손익내역 of ``INQR_DT``: a row per contract held the day before, traded that
    day or held after it (전일잔고, 신규, 전매환매, 잔고, 잔고금액 and 평가금액 at the day's
    settlement price, 매매손익, 평가손익 = the contract's 정산차금); the running day at the current
    price."""
    number = _request_account(request)
    record = desk.record_of(number, _inquiry_day(desk, request))
    rows = []
    for code, before, opened, closed, quantity, price, realized, evaluation in record.rows if record else ():
        item = contract(code)
        if item is None:
            continue
        sign = quantity or before
        values: dict[str, object] = {
            "pdno": code,
            "prdt_name": item.name,
            "trad_dvsn_name": "" if not sign else _NAMES[BUY if sign > 0 else SELL],
            "bfdy_cblc_qty": abs(before),
            "new_qty": opened,
            "mnpl_rpch_qty": closed,
            "cblc_qty": abs(quantity),
            "cblc_amt": _won(price * item.multiplier * abs(quantity)),
            "trad_pfls_amt": _won(realized),
            "evlu_amt": _won(price * item.multiplier * abs(quantity)),
            "evlu_pfls_amt": _won(evaluation),
        }
        row = blank_row(_stock(item))
        row.update({k: str(v) for k, v in values.items() if k in row})
        rows.append(row)
    return rows


def order_rows(
    desk: FuturesDesk, app_key: str, request: Mapping[str, str], blank_row: Callable[[Stock], Row]
) -> list[Row]:
    """선물옵션 주문체결내역조회: the caller's orders for the account in ``STRT_ORD_DT``–``END_ORD_DT``
    (``SLL_BUY_DVSN_CD``, ``CCLD_NCCS_DVSN`` 01 체결 / 02 미체결, ``PDNO``), newest first unless
    ``SORT_SQN`` is ``AS``."""
    wire = {k.upper(): v.strip() for k, v in request.items()}
    number = _request_account(request)
    rows = []
    for order in desk.orders.values():
        if order.account != number or order.app_key != app_key:
            continue
        day = order.day.strftime("%Y%m%d")
        if not (wire.get("STRT_ORD_DT") or day) <= day <= (wire.get("END_ORD_DT") or day):
            continue
        if wire.get("PDNO") and wire["PDNO"] != order.symbol:
            continue
        if wire.get("SLL_BUY_DVSN_CD") in (SELL, BUY) and wire["SLL_BUY_DVSN_CD"] != order.side:
            continue
        status = wire.get("CCLD_NCCS_DVSN", "00")
        if (status == "01" and order.filled == 0) or (status == "02" and order.open_quantity == 0):
            continue
        item = contract(order.symbol)
        if item is None:
            continue
        quote_type = order.order_type if order.order_type in _QUOTE_TYPES else "01"
        correction = {"revise": "정정", "cancel": "취소"}.get(order.kind, "")
        values: dict[str, object] = {
            "cano": number[:8],
            "acnt_prdt_cd": number[8:],
            "csac_name": "샌드박스",
            "ord_dt": day,
            "odno": order.number,
            "orgn_odno": order.original,
            "sll_buy_dvsn_cd": order.side,
            "trad_dvsn_name": _NAMES[order.side] + correction,
            "nmpr_type_cd": quote_type,
            "nmpr_type_name": _QUOTE_TYPES[quote_type],
            "pdno": order.symbol,
            "prdt_name": item.name,
            "prdt_type_cd": "301",
            "ord_qty": order.quantity,
            "ord_idx": points(order.price),
            "qty": order.open_quantity + order.expired,
            "ord_tmd": order.hour,
            "tot_ccld_qty": order.filled,
            "avg_idx": points(order.fill_price),
            "tot_ccld_amt": _won(points(order.fill_price) * item.multiplier * order.filled),
            "rjct_qty": 0,
            "ingr_trad_rjct_rson_cd": "",
            "ingr_trad_rjct_rson_name": "",
            "sprd_item_yn": "N",
        }
        row = blank_row(_stock(item))
        row.update({k: str(v) for k, v in values.items() if k in row})
        rows.append(row)
    if wire.get("SORT_SQN", "DS") != "AS":
        rows.reverse()
    return rows


def summary(desk: FuturesDesk, request: Mapping[str, str], row: Row, orders: list[Row] | None) -> None:
    """An object output about the futures account: 잔고현황's 합계 (day and night: 예탁현금, 증거금,
    주문가능현금, 손익), 총자산현황 (inquire_deposit), 주문가능 (주문가능수량, 청산가능수량 at the price
    asked) or 주문체결내역's 합계."""
    wire = {k.upper(): v.strip() for k, v in request.items()}
    number = _request_account(request)
    keys = row.keys()
    if {"ord_psbl_qty", "lqd_psbl_qty1"} <= keys:
        item = listed(wire.get("PDNO", ""), desk.now().astimezone(KST).date())
        if item is None:  # not a listed contract, or one past its last trading day
            row.update({k: "0" for k in ("tot_psbl_qty", "lqd_psbl_qty1", "ord_psbl_qty") if k in row})
            return
        side = wire.get("SLL_BUY_DVSN_CD", BUY)
        order_type = order_type_of(wire)
        need = desk.need_each(item, side, order_type, hundredths(wire.get("UNIT_PRICE", "0")) or 0)
        cash = desk.orderable_cash(number)
        opening = int(cash // need) if need > 0 else 0
        closing = desk.closable(number, item.code, side)
        values: dict[str, object] = {
            "ord_psbl_qty": opening,
            "lqd_psbl_qty1": closing,
            "tot_psbl_qty": opening + closing,
            "bass_idx": points(desk.quote(item.code).prev_close),
        }
        row.update({k: str(v) for k, v in values.items() if k in row})
    elif "ord_psbl_cash" in keys and ("dnca_cash" in keys or "dnca_tota" in keys):
        account = desk.account(number)
        held = desk.margin_held(number)
        orderable = desk.orderable_cash(number)
        totals = {"futures": [Decimal(0)] * 4, "option": [Decimal(0)] * 4}
        options_worth = Decimal(0)
        for code in dict.fromkeys([*account.positions, *account.realized]):
            item = contract(code)
            if item is None:
                continue
            position = account.positions.get(code, FuturesPosition(0, Decimal(0)))
            bought, value, profit = _evaluation(desk, item, position)
            group = totals["option" if item.option else "futures"]
            for i, amount in enumerate((bought, value, profit, account.realized.get(code, Decimal(0)))):
                group[i] += amount
            if item.option:  # a bought option is worth its value, a written one owes it
                options_worth += value if position.quantity > 0 else -value
        futures, option = totals["futures"], totals["option"]
        today_difference, renewed_difference = desk.day_differences(number)
        unpaid = account.unpaid()  # 정산차금 booked at a day's end, in the deposit next trading day
        assets = account.cash + unpaid + futures[2] + options_worth  # 추정예탁자산
        today = desk.now().astimezone(KST).date()
        traded = sum(
            (
                points(o.fill_price) * (contract(o.symbol) or _NONE).multiplier * o.filled
                for o in desk.orders.values()
                if o.account == number and o.day == today
            ),
            Decimal(0),
        )
        money: dict[str, Decimal] = {
            "dnca_cash": account.cash,
            "dnca_tota": account.cash,
            "tot_dncl_amt": account.cash,
            "brkg_mgna_cash": held,
            "futr_trad_pfls": futures[3],
            "trad_pfls_smtl": futures[3] + option[3],
            "evlu_pfls_smtl": futures[2] + option[2],
            "nxdy_dnca": account.cash + unpaid,
            "nxdy_dncl_amt": account.cash + unpaid,
            "excc_dfpa": unpaid,
            "thdt_dfpa": today_difference,
            "rnwl_dfpa": renewed_difference,
            "tot_ccld_amt": traded,
            "cash_mgna": held,
            "mgna_tota": held,
            "ord_psbl_cash": orderable,
            "ord_psbl_tota": orderable,
            "pprt_ord_psbl_cash": orderable,
            "wdrw_psbl_tot_amt": max(Decimal(0), account.cash + min(unpaid, Decimal(0)) - held),
            "prsm_dpast": assets,
            "prsm_dpast_amt": assets,
            "futr_trad_pfls_amt": futures[3],
            "opt_trad_pfls_amt": option[3],
            "futr_evlu_pfls_amt": futures[2],
            "opt_evlu_pfls_amt": option[2],
            "trad_pfls_amt_smtl": futures[3] + option[3],
            "evlu_pfls_amt_smtl": futures[2] + option[2],
            "pchs_amt_smtl": futures[0] + option[0],
            "evlu_amt_smtl": futures[1] + option[1],
        }
        zero = (
            *("frcr_dncl_amt", "dnca_sbst", "sbst_mgna", "opt_dfpa", "fee"),
            *("rcva", "scts_sbst_amt", "brkg_fee", "brkg_mgna_sbst", "frcr_evlu_amt"),
        )
        row.update({k: _won(v) for k, v in money.items() if k in row})
        row.update({k: "0" for k in (*zero, "add_mgna_cash", "add_mgna_tota", "ord_psbl_sbst") if k in row})
    elif {"thdt_dfpa", "rnwl_dfpa", "mmga_cash"} <= keys:  # 잔고정산손익내역's 합계
        day = _inquiry_day(desk, request)
        record = desk.record_of(number, day)
        if record is None:
            cash, next_cash = desk.idle_cash(number, day)
            record = DayRecord((), (Decimal(0), Decimal(0)), cash, next_cash, *[Decimal(0)] * 4)
        settled: dict[str, Decimal] = {
            "dnca_cash": record.cash,
            "nxdy_dnca": record.next_cash,
            "thdt_dfpa": record.differences[0],
            "rnwl_dfpa": record.differences[1],
            "brkg_mgna_cash": record.margin,
            "brkg_mgna_tota": record.margin,
            "opt_buy_chgs": record.option_bought,
            "opt_sll_chgs": record.option_sold,
            "opt_lqd_evlu_amt": record.option_value,
        }
        row.update({k: _won(v) for k, v in settled.items() if k in row})
        # 유지증거금 is not modelled (the sandbox's one margin is 위탁증거금); no fees or 대용
        row.update({k: "0" for k in ("mmga_cash", "mmga_tota", "dnca_sbst", "fee") if k in row})
    elif orders is not None and "tot_ord_qty" in keys:
        row["tot_ord_qty"] = str(sum(int(r.get("ord_qty") or 0) for r in orders))
        if "tot_ccld_qty_smtl" in row:
            row["tot_ccld_qty_smtl"] = str(sum(int(r.get("tot_ccld_qty") or 0) for r in orders))
        if "tot_ccld_amt_smtl" in row:
            row["tot_ccld_amt_smtl"] = str(sum(int(r.get("tot_ccld_amt") or 0) for r in orders))
        if "fee_smtl" in row:
            row["fee_smtl"] = "0"


_NONE = Contract("", "futures", "", 0)


def _request_account(request: Mapping[str, str]) -> str:
    wire = {k.upper(): v for k, v in request.items()}
    return wire.get("CANO", "") + wire.get("ACNT_PRDT_CD", "")
