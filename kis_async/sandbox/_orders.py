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

from kis_async._calendar import KST, next_trading_day, previous_trading_day
from kis_async.sandbox._futures import FUTURES_TRADING_PATH
from kis_async.sandbox._market import BY_CODE, Stock
from kis_async.sandbox._notices import BUY, DOMESTIC_STOCK_PATH, SELL, OpenOrder, OrderDesk
from kis_async.sandbox._overseas import DEFAULT_FOREIGN_CASH, EXCHANGES, decimal_of, local_day

Row = dict[str, Any]

#: The currencies of the overseas markets, in the order their rows are answered.
EXCHANGE_CURRENCIES = tuple(DEFAULT_FOREIGN_CASH)
_CURRENCY_NAMES = {
    "USD": "미국달러",
    "HKD": "홍콩달러",
    "CNY": "중국위안화",
    "JPY": "일본엔화",
    "VND": "베트남동",
}
BookKind = Literal[
    "orders",
    "holdings",
    "abroad_holdings",
    "abroad_orders",
    "abroad_cash",
    "abroad_present",
    "futures_orders",
    "futures_holdings",
    "futures_settlement",
]

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
_ABROAD_HOLDING_KEYS = frozenset({"ovrs_cblc_qty", "ovrs_pdno"})
_ABROAD_ORDER_KEYS = frozenset({"odno", "ft_ord_qty", "pdno"})
_ABROAD_CASH_KEYS = frozenset({"crcy_cd", "frcr_dncl_amt_2"})
_ABROAD_PRESENT_KEYS = frozenset({"cblc_qty13", "pdno"})
_FUTURES_HOLDING_KEYS = frozenset({"cblc_qty", "shtn_pdno"})
_FUTURES_SETTLEMENT_KEYS = frozenset({"bfdy_cblc_qty", "mnpl_rpch_qty", "cblc_qty"})
OVERSEAS_STOCK_PATH = "/uapi/overseas-stock/"
_FILLED, _UNFILLED = "01", "02"


def book_kind(path: str, method: str, row_names: Iterable[str]) -> BookKind | None:
    """Whether a stock inquiry lists orders or holdings, by its rows' wire names."""
    if method != "GET":
        return None
    names = set(row_names)
    if path.startswith(FUTURES_TRADING_PATH):
        if names >= _ORDER_KEYS:
            return "futures_orders"
        if names >= _FUTURES_SETTLEMENT_KEYS:
            return "futures_settlement"
        return "futures_holdings" if names >= _FUTURES_HOLDING_KEYS else None
    if path.startswith(OVERSEAS_STOCK_PATH):
        if names >= _ABROAD_ORDER_KEYS:
            return "abroad_orders"
        if names >= _ABROAD_CASH_KEYS:
            return "abroad_cash"
        if names >= _ABROAD_PRESENT_KEYS:
            return "abroad_present"
        return "abroad_holdings" if names >= _ABROAD_HOLDING_KEYS else None
    if not path.startswith(DOMESTIC_STOCK_PATH):
        return None
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
    """One row per booked order that the request's filters keep (its 주문일자 within
    ``INQR_STRT_DT``–``INQR_END_DT``), newest first unless ``INQR_DVSN`` asks for 정순 (01); every
    other field of the row comes from ``blank_row`` (made up)."""
    wire = {k.upper(): v.strip() for k, v in request.items()}
    rows = []
    for order in orders:
        day = order.day or today
        if not _today_in_range(wire, day):
            continue
        if not _kept(order, wire):
            continue
        row = blank_row(stock_of(order.symbol))
        if "psbl_qty" in row and (order.open_quantity == 0 or order.kind == "cancel"):
            continue  # 정정취소가능: only orders with something left to change
        row.update({k: v for k, v in order_values(order, day).items() if k in row})
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
        "rmn_qty": str(order.unfilled),
        "nccs_qty": str(order.unfilled),
        "psbl_qty": str(order.open_quantity),
        "cncl_yn": "Y" if order.kind == "cancel" else "N",
        "cnc_cfrm_qty": str(order.quantity if order.kind == "cancel" else 0),
        "rjct_qty": "0",
        "ord_dvsn_cd": order.order_type,
        "ord_dvsn_name": ORDER_TYPE_NAMES.get(order.order_type, "지정가"),
        "rvse_cncl_dvsn_name": correction,
        "rvse_cncl_dvsn_cd_name": correction,
        "ccld_cndt_name": "없음",
        "excg_id_dvsn_Cd": order.exchange,  # KIS spells this key so
        "excg_id_dvsn_cd": order.exchange,
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


def holding_rows(
    desk: OrderDesk,
    number: str,
    today: dt.date,
    blank_row: Callable[[Stock], Row],
    shown: slice = slice(None),
) -> list[Row]:
    """The account's holdings, one row each, symbols traded first (what a bot looks for after an
    order): 보유수량, 주문가능수량 (less open sells), 매입평균가격, 매입금액, 현재가 (the sandbox's
    current price) and today's and the previous trading day's bought and sold quantities.

    Only the rows in ``shown`` (the page asked for) are whole; the others carry just what the
    summary adds up (매입금액, 평가금액, 평가손익), so a long portfolio costs little per page."""
    account = desk.account(number)
    traded = list(dict.fromkeys(t.symbol for t in account.trades))
    order = [s for s in traded if s in account.positions] + [s for s in account.positions if s not in traded]
    before = previous_trading_day(today)
    wanted = set(range(len(order))[shown])
    template: Row | None = None
    rows = []
    for index, symbol in enumerate(order):
        position = account.positions[symbol]
        if index in wanted or template is None:
            row = blank_row(stock_of(symbol))
            template = template or row
        else:
            row = {key: "" for key in _SUMMED if key in template}
        values = {
            "pdno": symbol,
            "hldg_qty": position.quantity,
            "cblc_qty": position.quantity,
            "ord_psbl_qty": desk.orderable_quantity(number, symbol),
            "pchs_avg_pric": format(position.average, "f"),
            "pchs_amt": int(position.cost),
            "prpr": desk.price(symbol),
            "now_pric": desk.price(symbol),
            "thdt_buyqty": account.traded(today, symbol, BUY)[0],
            "thdt_sll_qty": account.traded(today, symbol, SELL)[0],
            "bfdy_buy_qty": account.traded(before, symbol, BUY)[0],
            "bfdy_sll_qty": account.traded(before, symbol, SELL)[0],
        }
        row.update({k: str(v) for k, v in values.items() if k in row})
        rows.append(row)
    return rows


#: The fields of a holding that a balance's summary adds up, and what they follow from.
_SUMMED = ("pdno", "hldg_qty", "pchs_avg_pric", "pchs_amt", "prpr", "evlu_amt", "evlu_pfls_amt")


def account_summary(
    desk: OrderDesk, request: Mapping[str, str], today: dt.date, row: Row, holdings: list[Row] | None
) -> None:
    """An object output that describes the account, filled from its state by wire names:
    주식잔고조회's summary (예수금 D+0/D+1/D+2, today's and yesterday's bought and sold amounts),
    매수가능조회 (주문가능현금, 최대매수수량 at the price asked, a market order's at the upper
    limit) and 매도가능수량조회 (보유수량, 주문가능수량 of the symbol asked)."""
    number = account_of(request)
    wire = {k.upper(): v.strip() for k, v in request.items()}
    keys = row.keys()
    if {"dnca_tot_amt", "prvs_rcdl_excc_amt"} <= keys:
        account = desk.account(number)
        before = previous_trading_day(today)
        values = {
            "dnca_tot_amt": account.deposit(today),
            "nxdy_excc_amt": account.deposit(next_trading_day(today)),
            "prvs_rcdl_excc_amt": account.settled_after_all(),
            "thdt_buy_amt": account.traded(today, None, BUY)[1],
            "thdt_sll_amt": account.traded(today, None, SELL)[1],
            "bfdy_buy_amt": account.traded(before, None, BUY)[1],
            "bfdy_sll_amt": account.traded(before, None, SELL)[1],
            "cma_evlu_amt": 0,
            "nxdy_auto_rdpt_amt": 0,
            "d2_auto_rdpt_amt": 0,
            "bfdy_tlex_amt": 0,
            "thdt_tlex_amt": 0,
            "tot_loan_amt": 0,
            "tot_stln_slng_chgs": 0,
        }
        row.update({k: str(v) for k, v in values.items() if k in row})
    elif {"ord_psbl_cash", "max_buy_qty"} <= keys:
        symbol = wire.get("PDNO", "")
        cash = desk.orderable_cash(number)
        price = _int(wire.get("ORD_UNPR", "0"))
        if symbol in BY_CODE:
            price = desk.buy_price(symbol, wire.get("ORD_DVSN") or "00", price) or desk.price(symbol)
        quantity = cash // price if price > 0 else 0
        values = {
            "ord_psbl_cash": cash,
            "ord_psbl_sbst": 0,
            "ruse_psbl_amt": 0,
            "fund_rpch_chgs": 0,
            "psbl_qty_calc_unpr": price,
            "nrcvb_buy_amt": cash,
            "nrcvb_buy_qty": quantity,
            "max_buy_amt": cash,
            "max_buy_qty": quantity,
            "cma_evlu_amt": 0,
            "ovrs_re_use_amt_wcrc": 0,
            "ord_psbl_frcr_amt_wcrc": 0,
        }
        row.update({k: str(v) for k, v in values.items() if k in row})
    elif {"ord_psbl_qty", "cblc_qty", "pdno"} <= keys:
        symbol = wire.get("PDNO", "")
        account = desk.account(number)
        position = account.positions.get(symbol)
        quantity = position.quantity if position else 0
        held: dict[str, object] = {
            "pdno": symbol,
            "cblc_qty": quantity,
            "nsvg_qty": quantity,
            "ord_psbl_qty": desk.orderable_quantity(number, symbol),
            "buy_qty": account.traded(today, symbol, BUY)[0],
            "sll_qty": account.traded(today, symbol, SELL)[0],
            "pchs_avg_pric": format(position.average if position else 0, "f"),
            "pchs_amt": int(position.cost) if position else 0,
            "now_pric": desk.price(symbol) if symbol in BY_CODE else 0,
        }
        row.update({k: str(v) for k, v in held.items() if k in row})
        if "evlu_amt" in row:
            value = quantity * int(row.get("now_pric") or 0)
            profit = value - int(row.get("pchs_amt") or 0)
            rate = (
                Decimal(profit) * 100 / int(row["pchs_amt"]) if int(row.get("pchs_amt") or 0) else Decimal(0)
            )
            row.update(
                evlu_amt=str(value),
                evlu_pfls_amt=str(profit),
                evlu_pfls_rt=format(rate.quantize(Decimal("0.01")), "f"),
            )
    if holdings is not None:
        holding_totals(holdings, row)  # after the cash: 총평가금액 = 유가평가금액 + D+2 예수금
        if "nass_amt" in row and "tot_evlu_amt" in row:
            row["nass_amt"] = row["tot_evlu_amt"]


def abroad_rows(
    desk: OrderDesk, request: Mapping[str, str], blank_row: Callable[[Stock], Row], shown: slice = slice(None)
) -> list[Row]:
    """The account's overseas positions in the currency asked (``TR_CRCY_CD``; every one without
    it), one row each: 해외잔고수량, 주문가능수량, 매입평균가격, 외화매입금액, 현재가, 평가금액, 평가손익."""
    wire = {k.upper(): v.strip() for k, v in request.items()}
    number = account_of(request)
    account = desk.account(number)
    currency = wire.get("TR_CRCY_CD", "")
    keys = [k for k in account.abroad if not currency or EXCHANGES[k.split(":")[0]].currency == currency]
    wanted = set(range(len(keys))[shown])
    rows = []
    for index, key in enumerate(keys):
        exchange, _, symbol = key.partition(":")
        position = account.abroad[key]
        row = blank_row(Stock(symbol[:6].ljust(6, "0"), symbol, "KOSPI")) if index in wanted else {}
        price = desk.abroad_price(exchange, symbol)
        value = price * position.quantity
        profit = value - position.cost
        rate = profit * 100 / position.cost if position.cost else Decimal(0)
        values: dict[str, object] = {
            "ovrs_pdno": symbol,
            "ovrs_item_name": symbol,
            "ovrs_cblc_qty": position.quantity,
            "ord_psbl_qty": desk.orderable_abroad(number, key),
            "pchs_avg_pric": format((position.cost / position.quantity).quantize(Decimal("0.0001")), "f"),
            "frcr_pchs_amt1": format(position.cost.quantize(Decimal("0.01")), "f"),
            "now_pric2": format(price, "f"),
            "ovrs_stck_evlu_amt": format(value.quantize(Decimal("0.01")), "f"),
            "frcr_evlu_pfls_amt": format(profit.quantize(Decimal("0.01")), "f"),
            "evlu_pfls_rt": format(rate.quantize(Decimal("0.01")), "f"),
            "tr_crcy_cd": EXCHANGES[exchange].currency,
            "ovrs_excg_cd": exchange,
        }
        if index in wanted:
            row.update({k: str(v) for k, v in values.items() if k in row})
        else:
            row = {k: str(values[k]) for k in ("frcr_pchs_amt1", "frcr_evlu_pfls_amt")}
        rows.append(row)
    return rows


def _us_wide(asked: str, listed: str) -> bool:
    """Both inquiries' pages: "NASD 인 경우만 미국전체로 조회" (NASD lists New York's and AMEX's
    orders too); every other code lists its own exchange."""
    return asked == "NASD" and listed in ("NYSE", "AMEX")


def abroad_cash_rows(
    desk: OrderDesk, request: Mapping[str, str], blank_row: Callable[[Stock], Row]
) -> list[Row]:
    """체결기준현재잔고's per-currency rows (``output2``): 외화사용가능금액 (settled cash less
    unsettled buys plus re-usable unsettled sale proceeds), 외화출금가능금액 today and tomorrow
    (settled cash less unsettled buys: a sale's proceeds are withdrawable once settled),
    매수증거금 (what open buys hold back), and as 외화매수/매도금액합계 the unsettled buys and
    sales (the sandbox's reading of those fields)."""
    number = account_of(request)
    account = desk.account(number)
    today = desk.now().astimezone(KST).date()
    tomorrow = today + dt.timedelta(days=1)
    rows = []
    for currency in EXCHANGE_CURRENCIES:
        row = blank_row(Stock("000000", currency, "KOSPI"))
        row["crcy_cd"] = currency
        if "crcy_cd_name" in row:
            row["crcy_cd_name"] = _CURRENCY_NAMES[currency]
        values = {
            "frcr_buy_amt_smtl": account.foreign_unsettled(currency, today, BUY),
            "frcr_sll_amt_smtl": account.foreign_unsettled(currency, today, SELL),
            "frcr_etc_mgna": Decimal(0),
            "frcr_dncl_amt_2": desk.usable_foreign_cash(number, currency),
            "frcr_drwg_psbl_amt_1": max(
                Decimal(0),
                account.foreign_settled(currency, today) - account.foreign_unsettled(currency, today, BUY),
            ),
            "nxdy_frcr_drwg_psbl_amt": max(
                Decimal(0),
                account.foreign_settled(currency, tomorrow)
                - account.foreign_unsettled(currency, tomorrow, BUY),
            ),
            "frcr_buy_mgn_amt": desk.reserved_foreign(number, currency),
        }
        row.update({k: format(v.quantize(Decimal("0.01")), "f") for k, v in values.items() if k in row})
        won = {
            "frst_bltn_exrt": format(desk.rates[currency], "f"),  # 최초고시환율: the sandbox's one rate
            "frcr_evlu_amt2": format(
                desk.won(values["frcr_drwg_psbl_amt_1"], currency), "f"
            ),  # 출금가능원화금액
        }
        row.update({k: v for k, v in won.items() if k in row})
        rows.append(row)
    return rows


#: 체결기준현재잔고's ``NATN_CD`` (국가코드) → the currency of its markets; ``000`` is every one.
_COUNTRY_CURRENCY = {"840": "USD", "344": "HKD", "156": "CNY", "392": "JPY", "704": "VND"}
#: 거래시장명 and 국가한글명 of a position's row, per exchange.
_MARKET_NAMES = {
    "NASD": ("나스닥", "미국"),
    "NYSE": ("뉴욕거래소", "미국"),
    "AMEX": ("아멕스", "미국"),
    "SEHK": ("홍콩", "홍콩"),
    "SHAA": ("상해A", "중화인민공화국"),
    "SZAA": ("심천A", "중화인민공화국"),
    "TKSE": ("일본", "일본"),
    "HASE": ("하노이", "베트남"),
    "VNSE": ("호치민", "베트남"),
}


#: 상품유형코드 per exchange, as KIS's example answer of 체결기준현재잔고 shows them (512 NASDAQ,
#: 513 NYSE, 529 AMEX, 515 Tokyo, 552 Shenzhen); blank where no public answer shows one.
_PRODUCT_TYPES = {"NASD": "512", "NYSE": "513", "AMEX": "529", "TKSE": "515", "SZAA": "552"}


def abroad_present_rows(
    desk: OrderDesk, request: Mapping[str, str], blank_row: Callable[[Stock], Row]
) -> list[Row]:
    """체결기준현재잔고's positions (``output1``), one row per overseas position of the country
    asked (``NATN_CD``; ``000`` every one): 체결기준 quantity (``ccld_qty_smtl1``), settled
    quantity (``cblc_qty13``: less today's unsettled buys, plus unsettled sales), today's buys and
    sells, and the money fields in the currency (``WCRC_FRCR_DVSN_CD`` 02) or in won at the
    sandbox's rate (01: KIS's own example answer gives ``frcr_pchs_amt``, ``frcr_evlu_amt2``,
    ``evlu_pfls_amt2``, ``ovrs_now_pric1`` and ``avg_unpr3`` in won then). ``bass_exrt`` and
    ``pchs_rmnd_wcrc_amt`` (매입잔액원화금액) are the rate and the cost in won either way."""
    rows = []
    for values in _present_positions(desk, request):
        row = blank_row(Stock(str(values["pdno"])[:6].ljust(6, "0"), str(values["pdno"]), "KOSPI"))
        row.update({k: str(v) for k, v in values.items() if k in row})
        rows.append(row)
    return rows


def _present_positions(desk: OrderDesk, request: Mapping[str, str]) -> list[dict[str, object]]:
    wire = {k.upper(): v.strip() for k, v in request.items()}
    number = account_of(request)
    account = desk.account(number)
    in_won = wire.get("WCRC_FRCR_DVSN_CD", "02") == "01"
    wanted = _COUNTRY_CURRENCY.get(wire.get("NATN_CD", "000"))
    today = desk.now().astimezone(KST).date()
    rows: list[dict[str, object]] = []
    for key, position in account.abroad.items():
        exchange, _, symbol = key.partition(":")
        currency = EXCHANGES[exchange].currency
        if position.quantity <= 0 or (wanted is not None and currency != wanted):
            continue
        trades = [t for t in account.abroad_trades if t.key == key]
        local = local_day(desk.now(), exchange)
        bought = sum(t.quantity for t in trades if t.side == BUY and t.day == local)
        sold = sum(t.quantity for t in trades if t.side == SELL and t.day == local)
        unsettled = sum((t.quantity if t.side == BUY else -t.quantity) for t in trades if t.settles > today)
        price = desk.abroad_price(exchange, symbol)
        cost, value = position.cost, price * position.quantity
        average = position.cost / position.quantity

        def money(amount: Decimal, currency: str = currency) -> str:
            shown = desk.won(amount, currency) if in_won else amount.quantize(Decimal("0.01"))
            return format(shown, "f")

        def per_share(amount: Decimal, places: str, currency: str = currency) -> str:
            return format(
                desk.won(amount, currency, places) if in_won else amount.quantize(Decimal(places)), "f"
            )

        profit_won = desk.won(value, currency) - desk.won(cost, currency)
        rate = (value - cost) * 100 / cost if cost else Decimal(0)
        market, country = _MARKET_NAMES[exchange]
        rows.append(
            {
                "prdt_name": symbol,
                "cblc_qty13": position.quantity - unsettled,
                "thdt_buy_ccld_qty1": bought,
                "thdt_sll_ccld_qty1": sold,
                "ccld_qty_smtl1": position.quantity,
                "ord_psbl_qty1": desk.orderable_abroad(number, key),
                "frcr_pchs_amt": money(cost),
                "frcr_evlu_amt2": money(value),
                "evlu_pfls_amt2": format(profit_won, "f") if in_won else money(value - cost),
                "evlu_pfls_rt1": format(rate.quantize(Decimal("0.01")), "f"),
                "pdno": symbol,
                "bass_exrt": format(desk.rates[currency], "f"),
                "buy_crcy_cd": currency,
                "ovrs_now_pric1": per_share(price, "0.001"),
                "avg_unpr3": per_share(average, "0.0001"),
                "tr_mket_name": market,
                "natn_kor_name": country,
                "pchs_rmnd_wcrc_amt": format(desk.won(cost, currency), "f"),
                "thdt_buy_ccld_frcr_amt": format(
                    sum((t.amount for t in trades if t.side == BUY and t.day == local), Decimal(0)), "f"
                ),
                "thdt_sll_ccld_frcr_amt": format(
                    sum((t.amount for t in trades if t.side == SELL and t.day == local), Decimal(0)), "f"
                ),
                "unit_amt": "1",
                "std_pdno": "",  # the ISIN: the sandbox has none
                "prdt_type_cd": _PRODUCT_TYPES.get(exchange, ""),
                "scts_dvsn_name": "현금",
                "loan_rmnd": "0",
                "loan_dt": "",
                "loan_expd_dt": "",
                "ovrs_excg_cd": exchange,
                "item_lnkg_excg_cd": EXCHANGES[exchange].quote_code,
                "_won_cost": desk.won(cost, currency),
                "_won_value": desk.won(value, currency),
            }
        )
    return rows


def abroad_present_total(desk: OrderDesk, request: Mapping[str, str], row: Row) -> None:
    """체결기준현재잔고's won summary (``output3``), from the same positions and cash as its rows:
    매입/평가금액합계 and 평가손익 (the page: "원화 환산 금액") as the sums of the positions' won
    amounts at the sandbox's rates, 외화사용가능금액, 미결제 매수/매도 and 매수증거금 over every
    currency in won, 외화평가총액 the foreign cash (외화예수금) in won, 예수금액 the account's won
    예수금, 총자산금액 = 평가금액 + 외화평가총액 + 예수금액. No CMA, loans or other margin: 0."""
    number = account_of(request)
    account = desk.account(number)
    today = desk.now().astimezone(KST).date()
    positions = _present_positions(desk, {**request, "NATN_CD": "000"})
    cost = sum((_decimal(p["_won_cost"]) for p in positions), Decimal(0))
    value = sum((_decimal(p["_won_value"]) for p in positions), Decimal(0))

    def over_currencies(amount: Callable[[str], Decimal]) -> Decimal:
        return sum((desk.won(amount(c), c) for c in EXCHANGE_CURRENCIES), Decimal(0))

    foreign = over_currencies(lambda c: account.foreign_settled(c, today))
    deposit = Decimal(account.deposit(today))
    totals = {
        "pchs_amt_smtl": cost,
        "evlu_amt_smtl": value,
        "evlu_pfls_amt_smtl": value - cost,
        "pchs_amt_smtl_amt": cost,
        "evlu_amt_smtl_amt": value,
        "tot_evlu_pfls_amt": value - cost,
        "evlu_erng_rt1": ((value - cost) * 100 / cost).quantize(Decimal("0.01")) if cost else Decimal(0),
        "frcr_use_psbl_amt": over_currencies(lambda c: desk.usable_foreign_cash(number, c)),
        "ustl_buy_amt_smtl": over_currencies(lambda c: account.foreign_unsettled(c, today, BUY)),
        "ustl_sll_amt_smtl": over_currencies(lambda c: account.foreign_unsettled(c, today, SELL)),
        "buy_mgn_amt": over_currencies(lambda c: desk.reserved_foreign(number, c)),
        "frcr_evlu_tota": foreign,
        "tot_frcr_cblc_smtl": foreign,
        "dncl_amt": deposit,
        "tot_dncl_amt": deposit,
        "tot_asst_amt": value + foreign + deposit,
        "cma_evlu_amt": Decimal(0),
        "etc_mgna": Decimal(0),
        "mgna_tota": Decimal(0),
        "tot_loan_amt": Decimal(0),
        "wdrw_psbl_tot_amt": Decimal(0),
    }
    row.update({k: format(v, "f") for k, v in totals.items() if k in row})


def _decimal(value: object) -> Decimal:
    assert isinstance(value, Decimal)
    return value


def abroad_order_rows(
    desk: OrderDesk, app_key: str, request: Mapping[str, str], blank_row: Callable[[Stock], Row]
) -> list[Row]:
    """The caller's overseas orders for the account: 주문체결내역 (``ORD_STRT_DT``–``ORD_END_DT``,
    ``PDNO``, ``SLL_BUY_DVSN``, ``CCLD_NCCS_DVSN``, ``OVRS_EXCG_CD``, ``ODNO``) or, without a date
    range, 미체결내역 (open orders only); newest first unless ``SORT_SQN`` is ``AS``."""
    wire = {k.upper(): v.strip() for k, v in request.items()}
    number = account_of(request)
    open_only = "ORD_STRT_DT" not in wire
    rows = []
    for order in desk.abroad_orders.values():
        if order.account != number or order.app_key != app_key:
            continue
        day = order.day.strftime("%Y%m%d")
        if not (wire.get("ORD_STRT_DT", "") or day) <= day <= (wire.get("ORD_END_DT", "") or day):
            continue
        if open_only and (order.open_quantity == 0 or order.kind == "cancel"):
            continue
        exchange = wire.get("OVRS_EXCG_CD", "")
        if (
            exchange not in ("", "%")
            and exchange != order.exchange
            and not _us_wide(exchange, order.exchange)
        ):
            continue
        symbol, odno = wire.get("PDNO", ""), wire.get("ODNO", "")
        if symbol not in ("", "%") and symbol != order.symbol:
            continue
        if odno and odno.lstrip("0") != order.number.lstrip("0"):
            continue
        side = wire.get("SLL_BUY_DVSN", "00")
        if side in (SELL, BUY) and side != order.side:
            continue
        status = wire.get("CCLD_NCCS_DVSN", "00")
        if (status == "01" and order.filled == 0) or (status == "02" and order.open_quantity == 0):
            continue
        row = blank_row(Stock(order.symbol[:6].ljust(6, "0"), order.symbol, "KOSPI"))
        correction = {"revise": "01", "cancel": "02"}.get(order.kind, "00")
        values: dict[str, object] = {
            "ord_dt": day,
            "odno": order.number,
            "orgn_odno": order.original,
            "pdno": order.symbol,
            "prdt_name": order.symbol,
            "sll_buy_dvsn_cd": order.side,
            "sll_buy_dvsn_cd_name": SIDE_NAMES.get(order.side, "매수"),
            "rvse_cncl_dvsn": correction,
            "rvse_cncl_dvsn_cd": correction,
            "rvse_cncl_dvsn_name": {"01": "정정", "02": "취소"}.get(correction, ""),
            "rvse_cncl_dvsn_cd_name": {"01": "정정", "02": "취소"}.get(correction, ""),
            "ft_ord_qty": order.quantity,
            "ft_ord_unpr3": format(order.price, "f"),
            "ft_ccld_qty": order.filled,
            "ft_ccld_unpr3": format(order.fill_price, "f"),
            "ft_ccld_amt3": format((order.fill_price * order.filled).quantize(Decimal("0.01")), "f"),
            "nccs_qty": order.open_quantity + order.expired,
            "ord_tmd": order.hour,
            # 국내주문일자 / 당사주문시각: when KIS took it, in KST
            "dmst_ord_dt": order.placed.astimezone(KST).strftime("%Y%m%d") if order.placed else day,
            "thco_ord_tmd": order.placed.astimezone(KST).strftime("%H%M%S") if order.placed else order.hour,
            "tr_crcy_cd": order.currency,
            "ovrs_excg_cd": order.exchange,
            "prcs_stat_name": "완료" if order.open_quantity == 0 else "접수",
            "rjct_rson": "",
            "rjct_rson_name": "",
        }
        row.update({k: str(v) for k, v in values.items() if k in row})
        rows.append(row)
    if wire.get("SORT_SQN", "DS") != "AS":
        rows.reverse()
    return rows


def abroad_summary(desk: OrderDesk, request: Mapping[str, str], row: Row, holdings: list[Row] | None) -> None:
    """An overseas account object: 매수가능금액조회 (주문가능외화, 최대주문가능수량 at the price asked)
    or a balance's summary (매입금액, 평가손익 and 수익률 added up from the holdings)."""
    wire = {k.upper(): v.strip() for k, v in request.items()}
    number = account_of(request)
    if {"ord_psbl_frcr_amt", "max_ord_psbl_qty"} <= row.keys():
        exchange = wire.get("OVRS_EXCG_CD", "")
        if exchange not in EXCHANGES:
            return
        cash = desk.orderable_foreign_cash(number, EXCHANGES[exchange].currency)
        price = decimal_of(wire.get("OVRS_ORD_UNPR", "0")) or desk.abroad_price(
            exchange, wire.get("ITEM_CD", "")
        )
        quantity = int(cash // price) if price > 0 else 0
        values: dict[str, object] = {
            "tr_crcy_cd": EXCHANGES[exchange].currency,
            "ord_psbl_frcr_amt": format(cash.quantize(Decimal("0.01")), "f"),
            "sll_ruse_psbl_amt": format(
                desk.account(number)
                .foreign_reusable(EXCHANGES[exchange].currency, desk.now().astimezone(KST).date())
                .quantize(Decimal("0.01")),
                "f",
            ),
            "ovrs_ord_psbl_amt": format(cash.quantize(Decimal("0.01")), "f"),
            "max_ord_psbl_qty": quantity,
            "echm_af_ord_psbl_amt": "0",
            "echm_af_ord_psbl_qty": 0,
            "ord_psbl_qty": quantity,
            "frcr_ord_psbl_amt1": format(cash.quantize(Decimal("0.01")), "f"),
            "ovrs_max_ord_psbl_qty": quantity,
            "exrt": format(desk.rates[EXCHANGES[exchange].currency], "f"),
        }
        row.update({k: str(v) for k, v in values.items() if k in row})
    elif {"pchs_amt_smtl", "evlu_amt_smtl", "tot_asst_amt"} <= row.keys():
        abroad_present_total(desk, request, row)
    elif holdings is not None:
        cost = sum((Decimal(h.get("frcr_pchs_amt1") or 0) for h in holdings), Decimal(0))
        profit = sum((Decimal(h.get("frcr_evlu_pfls_amt") or 0) for h in holdings), Decimal(0))
        rate = profit * 100 / cost if cost else Decimal(0)
        totals = {
            "frcr_pchs_amt1": cost,
            "tot_evlu_pfls_amt": profit,
            "ovrs_tot_pfls": profit,
            "tot_pftrt": rate,
            "ovrs_rlzt_pfls_amt": Decimal(0),
            "ovrs_rlzt_pfls_amt2": Decimal(0),
            "rlzt_erng_rt": Decimal(0),
        }
        row.update({k: format(v.quantize(Decimal("0.01")), "f") for k, v in totals.items() if k in row})


def _int(text: str) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0
