"""Plausible, deterministic response bodies for any endpoint descriptor.

Nothing here knows an endpoint by name. The body is built from the descriptor's outputs: each
row class's field table (``__fields__``, :mod:`kis_async._fields`) gives the type (``int``,
``Decimal``, ``date``, an enum …) and the KIS wire name gives the meaning, by KIS's own naming conventions (``prpr`` 현재가, ``vrss`` 대비,
``ctrt`` 대비율, ``vol`` 거래량, ``isnm`` 종목명, ``iscd`` 종목코드, ``rmnd`` 잔고, ``stcn`` 주수,
``amt`` 금액, ``rate`` 비율, ``inrt`` 증가율 …). Prices, differences, signs and rates of one stock
agree with each other and across endpoints (:mod:`._market`): every quote is the symbol's seeded
price path (:mod:`._prices`) at the sandbox clock. A series about one instrument (a chart, a daily
table) answers the dates the request asks for, trading days and session minutes only, newest first
(:mod:`._history`), and a market calendar (``opnd_yn`` rows) answers KIS's list of days. The same
request at the same clock always gives the same body for the same seed.

Forms that live servers send and the portal does not document (``real-data-notes.md``) appear
here too, so clients meet them in tests: signed values, ``"0"`` dates beside real ones in the
secondary list of a ranking, right-padded continuation keys and ``msg1``, UPPER-CASE keys in POST
outputs and a key no page lists (``SOR_ODNO``), zero-padded order numbers on the real server,
ratios with an explicit plus or a leading space.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
import random
import types
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Union, get_args, get_origin

import attrs

from kis_async._calendar import KST, is_trading_day, previous_trading_day
from kis_async._convert import KisEnum
from kis_async._endpoint import Endpoint, Output, Param
from kis_async._fields import fields_of, raw_prices
from kis_async.sandbox import _futures_book, _history, _overseas_futures
from kis_async.sandbox._contracts import Contract, contract, listed, listed_futures
from kis_async.sandbox._futures import FUTURES_TRADING_PATH
from kis_async.sandbox._market import (
    BY_CODE,
    SECTORS,
    Quote,
    Stock,
    market_of,
    quote,
    quote_of,
    seeded,
    stocks_in,
)
from kis_async.sandbox._notices import OrderDesk
from kis_async.sandbox._orders import (
    BookKind,
    abroad_cash_rows,
    abroad_order_rows,
    abroad_present_rows,
    abroad_rows,
    abroad_summary,
    account_of,
    account_summary,
    book_kind,
    holding_rows,
    order_rows,
    order_totals,
)
from kis_async.sandbox._overseas import OVERSEAS_SCALE
from kis_async.sandbox._prices import Bar, prices

#: Rows of the main list of an endpoint without paging (KIS rankings answer 30).
RANKING_ROWS = 30
#: Rows of a secondary list (e.g. credit-balance's ``output1``, 업종·기준일자).
SECONDARY_ROWS = 2

#: Quotation endpoints of domestic stocks: a symbol KRX does not list answers no data.
QUOTATIONS_PATH = "/uapi/domestic-stock/v1/quotations/"
FUTURES_QUOTATIONS_PATH = "/uapi/domestic-futureoption/v1/quotations/"
#: Account inquiries of domestic stocks: their summaries answer from the sandbox's account.
TRADING_PATH = "/uapi/domestic-stock/v1/trading/"
#: Account inquiries of overseas stocks: they answer from the account's foreign cash and positions.
ABROAD_PATH = "/uapi/overseas-stock/v1/trading/"

#: A key live servers add to order answers that no portal page lists.
UNDOCUMENTED_ORDER_KEY = "SOR_ODNO"

_ENVELOPE = frozenset({"raw", "tr_cont", "rt_cd", "msg_cd", "msg1"})

# Korean words of sort orders → the wire-name fragments KIS uses for them; weights break ties
# (증가상위 is about 증가율 before it is about 비율).
_SORT_VOCABULARY: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("융자", ("loan",), 1),
    ("대주", ("stln",), 1),
    ("잔고", ("rmnd",), 1),
    ("비율", ("rate",), 1),
    ("수량", ("stcn", "qty"), 1),
    ("금액", ("amt",), 1),
    ("증가", ("inrt",), 2),
    ("감소", ("inrt",), 2),
    ("거래량", ("vol",), 1),
    ("거래대금", ("tr_pbmn",), 2),
    ("시가총액", ("avls",), 2),
    ("등락", ("ctrt",), 2),
    ("상승", ("ctrt",), 1),
    ("하락", ("ctrt",), 1),
    ("현재가", ("prpr",), 1),
)
_ASCENDING_WORDS = ("하위", "감소", "하락")


@attrs.frozen
class FieldInfo:
    """One response attribute: its lower-case wire name and what type the row declares."""

    name: str
    kind: str
    """``str``, ``int``, ``decimal``, ``date``, ``time``, ``datetime`` or ``enum``."""
    enum: type[KisEnum] | None = None


_KINDS: dict[Any, str] = {
    str: "str",
    int: "int",
    Decimal: "decimal",
    dt.date: "date",
    dt.time: "time",
    dt.datetime: "datetime",
}


def row_fields(row: type[Any]) -> tuple[FieldInfo, ...]:
    """The fields of a row class: from its generated field table (``kis_async._fields``) when it
    has one, else its attrs fields classified by declared type."""
    table = fields_of(row)
    if table:
        return tuple(FieldInfo(f.name, f.kind, f.enum) for f in table)
    attrs.resolve_types(row)
    fields = []
    for attribute in attrs.fields(row):
        if attribute.name in _ENVELOPE:
            continue
        fields.append(_classify(attribute.name, attribute.type))
    return tuple(fields)


def _classify(name: str, annotation: Any) -> FieldInfo:
    candidates = [annotation]
    if get_origin(annotation) in (Union, types.UnionType):
        candidates = [a for a in get_args(annotation) if a is not type(None)]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return FieldInfo(name, "enum", candidate if issubclass(candidate, KisEnum) else None)
        # datetime before date: a datetime is a date
        if candidate is dt.datetime:
            return FieldInfo(name, "datetime")
        if candidate in _KINDS:
            return FieldInfo(name, _KINDS[candidate])
    return FieldInfo(name, "str")


@attrs.frozen
class Page:
    """One answer's body and whether more pages follow."""

    body: dict[str, Any]
    more: bool
    first: bool


class DataGenerator:
    """Builds bodies for endpoints, fixed by ``seed`` and the request's fields."""

    def __init__(
        self,
        *,
        seed: int,
        today: dt.date,
        env: str,
        page_size: int,
        paged_rows: int,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.seed = seed
        self.now = now if now is not None else lambda: dt.datetime.combine(today, dt.time(23, 59), KST)
        """The sandbox clock: quotes and history answer as of its instant."""
        self.prices = prices(seed)
        self._at = self.now()
        self._histories: dict[str, _history.HistoryPlan | None] = {}
        self.today = _business_day(today)
        self.env = env
        self.page_size = page_size
        self.paged_rows = paged_rows
        self._order_numbers = itertools.count(1)
        self._orders_issued = 0
        self._fields: dict[type[Any], tuple[FieldInfo, ...]] = {}
        self.book: OrderDesk | None = None
        """The sandbox's order desk: order inquiries and holdings answer from its book."""

    def clock_day(self) -> dt.date:
        """The sandbox clock's KST date: the account's day and order dates."""
        return self.now().astimezone(KST).date()

    def fields(self, row: type[Any]) -> tuple[FieldInfo, ...]:
        found = self._fields.get(row)
        if found is None:
            found = self._fields[row] = row_fields(row)
        return found

    # -- a whole answer -------------------------------------------------------------------------

    def page(
        self, endpoint: Endpoint[Any], request: Mapping[str, str], offset: int, *, app_key: str = ""
    ) -> Page:
        """The body for ``request`` (wire fields), starting ``offset`` rows into a paged result;
        ``app_key`` picks whose orders an order inquiry lists."""
        paging = endpoint.paging or {}
        identity = sorted((k, v) for k, v in request.items() if k not in paging)
        rng = seeded(self.seed, endpoint.name, identity)
        main = _main_output(endpoint)
        self._at = self.now()
        if main is not None and _history.is_calendar([f.name for f in self.fields(main.row)]):
            return self._calendar(endpoint, main, request, offset)
        history = self._history(endpoint, main)
        answer = _history.answer(history, self.prices, request, self._at) if history is not None else None
        focus = _focus_stock(endpoint, request)
        if answer is not None and focus is None and answer.key:
            focus = _stock_of(answer.key)
        unlisted = focus is not None and len(focus.code) == 6 and focus.code not in BY_CODE  # not an index
        if unlisted and endpoint.path.startswith(QUOTATIONS_PATH):
            return self._nothing_listed(endpoint)
        if (
            focus is not None
            and endpoint.path.startswith(FUTURES_QUOTATIONS_PATH)
            and _expired(focus.code, self._at)
        ):
            return self._nothing_listed(endpoint)  # an expired contract is no longer listed
        pool = list(stocks_in(_market_filter(endpoint, request)))
        total = self.paged_rows if endpoint.paging else RANKING_ROWS
        board = self._futures_board(endpoint, main, request) if focus is None else None
        body: dict[str, Any] = {}
        more = False
        orders: list[dict[str, Any]] | None = None
        holdings: list[dict[str, Any]] | None = None
        for output in endpoint.outputs:
            if output.shape == "object":
                body[output.key] = self._row(
                    output,
                    focus or rng.choice(pool),
                    rng,
                    0,
                    secondary=False,
                    order=endpoint.method == "POST",
                )
                continue
            if output is not main:
                kind, booked = self._from_book(endpoint, output, request, app_key, rng, slice(None))
                if kind == "abroad_cash" and booked is not None:  # 체결기준현재잔고's per-currency cash
                    body[output.key] = booked
                    continue
                rows = [
                    self._row(output, focus or rng.choice(pool), rng, i, secondary=True)
                    for i in range(SECONDARY_ROWS)
                ]
                body[output.key] = rows
                continue
            if answer is not None and focus is not None:
                kinds = [(f.name, f.kind) for f in self.fields(output.row)]
                minute = history.minute if history is not None else False
                overseas = ":" in answer.key
                zone = _history.local_zone(market_of(answer.key))
                rows = []
                for i, bar in enumerate(answer.bars):
                    row = self._row(output, focus, rng, i, secondary=False, bar=bar)
                    row.update(_history.bar_values(kinds, bar, minute, overseas, zone))
                    rows.append(row)
                body[output.key] = rows
                continue
            shown = slice(offset, offset + self.page_size) if endpoint.paging else slice(None)
            kind, booked = self._from_book(endpoint, output, request, app_key, rng, shown)
            if booked is not None:
                rows = booked
            else:
                stocks = board if board is not None else _pick(pool, total, rng, focus)
                rows = [self._row(output, stock, rng, i, secondary=False) for i, stock in enumerate(stocks)]
                self._sort(endpoint, output, rows, request)
            if kind in ("orders", "futures_orders"):
                orders = booked
            elif kind == "abroad_holdings":
                holdings = booked
            elif kind == "holdings" and booked is not None:
                holdings = booked
                for row in holdings:
                    _agree_holding(row)  # every page's rows, before the summary adds them up
            if endpoint.paging:
                more = offset + self.page_size < len(rows)
                rows = rows[offset : offset + self.page_size]
            body[output.key] = rows
        about_account = (
            self.book is not None
            and endpoint.method == "GET"
            and (holdings is not None or endpoint.path.startswith(TRADING_PATH))
        )
        abroad = self.book is not None and endpoint.method == "GET" and endpoint.path.startswith(ABROAD_PATH)
        derivatives = (
            self.book is not None
            and endpoint.method == "GET"
            and endpoint.path.startswith(FUTURES_TRADING_PATH)
        )
        raw_prices = _raw_prices(endpoint)
        for key, value in body.items():
            for index, row in enumerate(value if isinstance(value, list) else [value]):
                if key in raw_prices:  # overseas futures/options: prices without their point
                    _overseas_futures.agree_quote(row, raw_prices[key], request, self.seed, self._at, index)
                if derivatives and isinstance(value, dict):
                    assert self.book is not None
                    _futures_book.summary(self.book.futures, request, row, orders)
                elif orders is not None and isinstance(value, dict):
                    order_totals(orders, row)
                if abroad and isinstance(value, dict):
                    assert self.book is not None
                    abroad_summary(self.book, request, row, holdings)
                elif about_account and isinstance(value, dict):
                    assert self.book is not None
                    account_summary(self.book, request, self.clock_day(), row, holdings)
                agree(row, request, self.seed, self._at)
        if endpoint.method == "POST":
            body = {key: _upper_keys(value) for key, value in body.items()}
            for value in body.values():
                if isinstance(value, dict):
                    value.setdefault(UNDOCUMENTED_ORDER_KEY, "")  # live order answers carry it
        if endpoint.paging:
            body.update(continuation_keys(endpoint, offset + self.page_size if more else offset))
        return Page(body, more, offset == 0)

    def _futures_board(
        self, endpoint: Endpoint[Any], main: Output | None, request: Mapping[str, str]
    ) -> list[Stock] | None:
        """The rows of a futures board (선물옵션 전광판, rows of ``futs_shrn_iscd`` chosen by
        ``FID_COND_MRKT_CLS_CODE``): the KOSPI200 (blank) or mini (``MKI``) series listed at the
        clock, rolling to the next months as each expires; none for the classes the sandbox does
        not list (weekly, KOSDAQ150). ``None`` for any other endpoint."""
        if main is None or not endpoint.path.startswith(FUTURES_QUOTATIONS_PATH):
            return None
        if "FID_COND_MRKT_CLS_CODE" not in {p.wire for p in endpoint.params}:
            return None
        if "futs_shrn_iscd" not in {f.name for f in self.fields(main.row)}:
            return None
        market = request.get("FID_COND_MRKT_CLS_CODE", "").strip()
        if market not in ("", "MKI"):
            return []
        day = self._at.astimezone(KST).date()
        codes = listed_futures(day, mini=market == "MKI")
        return [Stock(code, (contract(code) or _NO_CONTRACT).name, "KOSPI") for code in codes]

    def _calendar(
        self, endpoint: Endpoint[Any], main: Output, request: Mapping[str, str], offset: int
    ) -> Page:
        names = [f.name for f in self.fields(main.row)]
        body, more = _history.calendar_page(endpoint, names, request, self._at)
        rows = body.pop("rows")
        return Page({main.key: rows, **body}, more, offset == 0)

    def _nothing_listed(self, endpoint: Endpoint[Any]) -> Page:
        """KIS's answer about a symbol it does not list: ``rt_cd`` "0" with no rows, and every field
        of an object blank (a bot must check, not trust, that a quote came back)."""
        body: dict[str, Any] = {}
        for output in endpoint.outputs:
            if output.shape == "list":
                body[output.key] = []
            else:
                body[output.key] = {f.name: "" for f in self.fields(output.row)}
        if endpoint.paging:
            body.update(continuation_keys(endpoint, 0))
        return Page(body, False, True)

    def _from_book(
        self,
        endpoint: Endpoint[Any],
        output: Output,
        request: Mapping[str, str],
        app_key: str,
        rng: random.Random,
        shown: slice,
    ) -> tuple[BookKind | None, list[dict[str, Any]] | None]:
        """Rows of an order inquiry (the caller's booked orders) or of holdings (with the caller's
        fills); ``(None, None)`` for any other list."""
        if self.book is None:
            return None, None
        kind = book_kind(endpoint.path, endpoint.method, (f.name for f in self.fields(output.row)))
        if kind is None:
            return None, None

        def blank(stock: Stock) -> dict[str, Any]:
            return self._row(output, stock, rng, 0, secondary=False)

        account = account_of(request)
        if kind == "orders":
            return kind, order_rows(self.book.book(app_key, account), request, self.clock_day(), blank)
        if kind == "abroad_holdings":
            return kind, abroad_rows(self.book, request, blank, shown)
        if kind == "abroad_orders":
            return kind, abroad_order_rows(self.book, app_key, request, blank)
        if kind == "abroad_cash":
            return kind, abroad_cash_rows(self.book, request, blank)
        if kind == "abroad_present":
            return kind, abroad_present_rows(self.book, request, blank)
        if kind == "futures_orders":
            return kind, _futures_book.order_rows(self.book.futures, app_key, request, blank)
        if kind == "futures_holdings":
            return kind, _futures_book.balance_rows(self.book.futures, request, blank, shown)
        if kind == "futures_settlement":
            return kind, _futures_book.settlement_rows(self.book.futures, request, blank)
        return kind, holding_rows(self.book, account, self.clock_day(), blank, shown)

    def _sort(
        self, endpoint: Endpoint[Any], output: Output, rows: list[dict[str, Any]], request: Mapping[str, str]
    ) -> None:
        plan = sort_plan(endpoint, output, request, self.fields(output.row))
        if plan is None:
            return
        key, descending = plan
        rows.sort(key=lambda row: Decimal(row[key] or "0"), reverse=descending)
        for index, row in enumerate(rows, 1):
            if "data_rank" in row:
                row["data_rank"] = str(index)

    # -- one row --------------------------------------------------------------------------------

    def _row(
        self,
        output: Output,
        stock: Stock,
        rng: random.Random,
        index: int,
        *,
        secondary: bool,
        order: bool = False,
        bar: Bar | None = None,
    ) -> dict[str, Any]:
        fields = self.fields(output.row)
        names = {f.name for f in fields}
        about_sector = any("bstp" in n for n in names) and not any(_is_code(n) for n in names)
        day = self.today
        if bar is not None:
            day_quote: Quote = quote_of(bar, self.prices.listed_shares(stock.code), stock.code)
            day = bar.day
        elif _is_series(fields):  # a series without a history plan: the trading days back from today
            day = self._trading_day_back(index)
            if day >= self.prices.listing(stock.code):
                day_quote = quote_of(
                    self.prices.day(stock.code, day), self.prices.listed_shares(stock.code), stock.code
                )
            else:
                day_quote = quote(self.seed, stock.code, self._at)
        else:
            day_quote = quote(self.seed, stock.code, self._at)
        context = _RowContext(
            stock=stock,
            quote=day_quote,
            rng=rng,
            index=index,
            sector=SECTORS[index % len(SECTORS)] if about_sector else None,
            date=day,
            blank_dates=secondary and index == SECONDARY_ROWS - 1,
            order=order,
        )
        row: dict[str, Any] = {}
        groups = _balance_groups(names)
        for info in fields:
            if info.name in row:
                continue
            group = groups.get(info.name)
            if group is not None:
                row.update(self._balance(group, context))
                if info.name in row:
                    continue
            row[info.name] = self._value(info, context)
        return row

    def _history(self, endpoint: Endpoint[Any], main: Output | None) -> _history.HistoryPlan | None:
        """The endpoint's history plan when its main list is a series about one instrument."""
        if endpoint.name in self._histories:
            return self._histories[endpoint.name]
        found = None
        if main is not None and endpoint.paging is None and endpoint.method == "GET":
            fields = self.fields(main.row)
            if _is_series(fields):
                has_time = any(
                    f.kind == "time" or f.name.endswith(("_hour", "xhms")) or f.name == "stck_cntg_hour"
                    for f in fields
                )
                found = _history.plan(endpoint, has_time)
        self._histories[endpoint.name] = found
        return found

    def _trading_day_back(self, index: int) -> dt.date:
        day = self._at.date()
        if not is_trading_day(day):
            day = previous_trading_day(day)
        for _ in range(index):
            day = previous_trading_day(day)
        return day

    def _balance(self, group: _BalanceGroup, context: _RowContext) -> dict[str, str]:
        """잔고 주수 / 금액 / 비율 of one prefix, consistent with each other and the quote."""
        short = "stln" in group.prefix
        # 신용잔고율 runs high on small caps and stays low on large ones, as on the real market.
        cap = context.quote.listed_shares * context.quote.price
        damping = min(1.0, (1e12 / cap) ** 0.5) if cap else 1.0
        ceiling = (1.2 if short else 12.0) * damping
        rate = Decimal(context.rng.uniform(0.0, ceiling)).quantize(Decimal("0.01"))
        shares = int(context.quote.listed_shares * rate / 100)
        values: dict[str, str] = {}
        if group.shares:
            values[group.shares] = str(shares)
        if group.amount:
            values[group.amount] = str(shares * context.quote.price // 10_000)
        if group.rate:
            values[group.rate] = format(rate, "f")
        return values

    def _value(self, info: FieldInfo, context: _RowContext) -> str:
        producer = _PRODUCERS[info.kind]
        return producer(self, info, context)

    def order_time(self) -> str:
        """주문시각 of the latest order: the sandbox clock's (without one: later for each order, so
        the book's times keep its order)."""
        if self.now is not None:
            return self.now().strftime("%H%M%S")
        issued = self._orders_issued
        seconds = 9 * 3600 + (issued * 37) % (6 * 3600 + 30 * 60)
        return f"{seconds // 3600:02d}{seconds // 60 % 60:02d}{seconds % 60:02d}"

    def order_number(self) -> str:
        """주문번호: zero-padded to 10 digits on the real server, unpadded on paper."""
        number = next(self._order_numbers) + 1000
        self._orders_issued = number - 1000
        return f"{number:010d}" if self.env == "real" else str(number)


@attrs.frozen
class _RowContext:
    stock: Stock
    quote: Quote
    rng: random.Random
    index: int
    sector: tuple[str, str] | None
    date: dt.date
    blank_dates: bool
    order: bool
    """An answer to an order (POST): order numbers are new; in inquiries they come from the seed."""


@attrs.frozen
class _BalanceGroup:
    prefix: str
    shares: str | None
    amount: str | None
    rate: str | None


def _balance_groups(names: set[str]) -> dict[str, _BalanceGroup]:
    """Fields ``<prefix>_rmnd_stcn/amt/rate`` (잔고 주수/금액/비율) that must agree."""
    groups: dict[str, _BalanceGroup] = {}
    prefixes = {n.rsplit("_", 1)[0] for n in names if "_rmnd_" in n}
    for prefix in prefixes:
        shares = next((f"{prefix}_{s}" for s in ("stcn", "qty") if f"{prefix}_{s}" in names), None)
        amount = f"{prefix}_amt" if f"{prefix}_amt" in names else None
        rate = f"{prefix}_rate" if f"{prefix}_rate" in names else None
        group = _BalanceGroup(prefix, shares, amount, rate)
        for name in (shares, amount, rate):
            if name:
                groups[name] = group
    return groups


#: ``*_name`` fields that hold the instrument's own name (상품명, 종목명 …); other names are labels.
_INSTRUMENT_NAMES = (
    "prdt_name",
    "prdt_abrv_name",
    "item_name",
    "symb_name",
    "isin_name",
    "item_shtn_name",
    "item_kor_nm",
    "item_nm",
)

#: Plausible labels of ``*_name`` fields that are not the instrument's name, by wire-name fragment.
_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sll_buy", ("매수", "매도")),
    ("trad_dvsn", ("현금",)),
    ("ord_dvsn", ("지정가", "시장가")),
    ("rvse_cncl", ("정정", "취소")),
    ("mgna_rt", ("증거금40%", "증거금20%")),
    ("grta_rt", ("보증금40%", "보증금20%")),
    ("ccld_cndt", ("없음",)),
    ("excg", ("KRX",)),
    ("mket", ("KOSPI", "KOSDAQ")),
    ("mrkt", ("KOSPI", "KOSDAQ")),
    ("natn", ("대한민국",)),
    ("crcy", ("원화",)),
    ("mbcr", ("한국투자증권", "미래에셋증권", "키움증권", "삼성증권")),
    ("rjct", ("정상",)),
    ("warn", ("정상",)),
    ("loan", ("현금", "유통융자")),
    ("stat", ("완료", "접수")),
    ("mdia", ("OpenAPI",)),
)


def _is_instrument_name(name: str) -> bool:
    bare = name.rstrip("0123456789")
    return (
        "isnm" in bare
        or bare in ("name", "ename", "kor_name")
        or bare.endswith(_INSTRUMENT_NAMES)
        or ("prdt" in bare and "eng" in bare and bare.endswith("name"))
    )


def _is_label(name: str) -> bool:
    return name.rstrip("0123456789").endswith(("_name", "_nm"))


def _label(name: str, c: _RowContext) -> str:
    if "bstp" in name or "bztp" in name or "idst" in name:
        return (c.sector or SECTORS[0])[1]
    for fragment, labels in _LABELS:
        if fragment in name:
            return labels[c.index % len(labels)]
    return "일반"


def _is_code(name: str) -> bool:
    return "iscd" in name or name in ("pdno", "stck_shrn_iscd", "symb")


def _str_value(gen: DataGenerator, info: FieldInfo, c: _RowContext) -> str:
    name = info.name
    if "bstp" in name and ("code" in name or "cd" in name):
        return (c.sector or SECTORS[0])[0]
    if _is_code(name):
        return c.stock.code
    if _is_instrument_name(name):
        return c.sector[1] if c.sector else c.stock.name
    if _is_label(name):
        return _label(name, c)
    if name.endswith("_yn"):
        return c.rng.choice(("Y", "N"))
    if name.endswith("odno"):
        if c.order:
            return gen.order_number()
        number = c.rng.randrange(1, 99_999)
        return f"{number:010d}" if gen.env == "real" else str(number)
    if name.endswith("orgno"):
        return "91252"
    if name == "cano":
        return "50012345"
    if name == "acnt_prdt_cd":
        return "01"
    if any(part in name for part in ("tmd", "hour", "time")):
        return _time_value(gen, info, c)
    if "date" in name or name.endswith("_dt"):
        return _date_value(gen, info, c)
    if name.endswith(("_cd", "code", "dvsn", "_cls")):
        return "00"
    return f"{c.rng.randrange(100):02d}"


def _int_value(gen: DataGenerator, info: FieldInfo, c: _RowContext) -> str:
    name, q = info.name, c.quote
    if "rank" in name:
        return str(c.index + 1)
    if "vrss" in name:
        if name.startswith("prdy_vrss") and "vol" not in name:
            return str(q.diff)
        return str(int(c.rng.gauss(0, q.price * 0.05)))
    if "lstn_stcn" in name:
        return str(q.listed_shares)
    for part, value in (
        ("mxpr", q.upper_limit),
        ("llam", q.lower_limit),
        ("oprc", q.open),
        ("hgpr", q.high),
        ("lwpr", q.low),
        ("sdpr", q.prev_close),  # 기준가
        ("prdy_clpr", q.prev_close),  # 전일 종가
        ("clpr", q.price),  # 종가 (of the row's day)
        ("prpr", q.price),
        ("pric", q.price),
        ("prc", q.price),
        ("unpr", q.price),
    ):
        if part in name:
            return str(value)
    if "tr_pbmn" in name:
        return str(q.volume * q.price)
    if "vol" in name:
        return str(q.volume if "acml" in name else int(q.volume * c.rng.uniform(0.3, 1.5)))
    if "avls" in name:  # 시가총액 (억원)
        return str(q.listed_shares * q.price // 100_000_000)
    if "amt" in name:
        return str(int(c.rng.uniform(1, 500)) * q.price)
    if any(part in name for part in ("qty", "stcn", "cnt")):
        return str(int(c.rng.uniform(1, 1000)))
    return str(c.rng.randrange(0, 100_000))


def _decimal_value(gen: DataGenerator, info: FieldInfo, c: _RowContext) -> str:
    name, q, rng = info.name, c.quote, c.rng
    if "ctrt" in name:
        value = q.rate if name.startswith("prdy_ctrt") else Decimal(rng.gauss(0, 4))
    elif "inrt" in name:
        value = Decimal(rng.uniform(-30, 80))
    elif any(part in name for part in ("rate", "_rt", "ratio", "rlim")):
        value = Decimal(rng.uniform(0, 100))
    elif any(part in name for part in ("pric", "prpr", "unpr")):
        price = Decimal(q.price) * Decimal(rng.uniform(0.8, 1.2)) if "avg" in name else Decimal(q.price)
        if _in_points(name):  # an index or a futures/options price: points, the path's hundredths
            price = price.scaleb(-2)
        return format(price.quantize(Decimal("0.0001")), "f")
    elif "vrss" in name:
        return format(Decimal(q.diff).scaleb(-2), "f") if _in_points(name) else str(q.diff)
    elif _in_points(name) and (day_price := _day_price(name, q)) is not None:
        return format(Decimal(day_price).scaleb(-2).quantize(Decimal("0.0001")), "f")
    else:
        value = Decimal(rng.uniform(0, 1000))
    return _live_rate(value.quantize(Decimal("0.01")), c.index)


def _day_price(name: str, q: Quote) -> int | None:
    """The quote's price a decimal point field names (상한가, 하한가, 시가, 고가, 저가, 기준가, 전일종가)."""
    for part, value in (
        ("mxpr", q.upper_limit),
        ("llam", q.lower_limit),
        ("oprc", q.open),
        ("hgpr", q.high),
        ("lwpr", q.low),
        ("sdpr", q.prev_close),
        ("prdy_clpr", q.prev_close),
    ):
        if part in name:
            return value
    return None


@functools.lru_cache(maxsize=4096)
def _in_points(name: str) -> bool:
    """A decimal price in index or derivative points (지수, 선물, 옵션), which real-time ticks
    carry as the path's hundredths."""
    return any(part in name for part in ("nmix", "futs", "optn", "fuop"))


def _live_rate(value: Decimal, index: int) -> str:
    """A ratio as live servers write it: now and then with an explicit plus (``+1.44``), and zero
    with a leading space (`` 0.00``) — forms the portal pages do not show."""
    text = format(value, "f")
    if value.is_zero():
        return f" {format(abs(value), 'f')}" if index % 2 else text
    if value > 0 and index % 3 == 1:
        return f"+{text}"
    return text


def _date_value(gen: DataGenerator, info: FieldInfo, c: _RowContext) -> str:
    if c.blank_dates:
        return "0"
    if "lstg" in info.name:  # 상장일자: the listing date, where the instrument's history starts
        other_market = ("kosdaq" in info.name) != (c.stock.market == "KOSDAQ") and (
            "kosdaq" in info.name or "scts" in info.name
        )
        if "abol" in info.name or other_market:  # 상장폐지일자, or the other market's listing: none
            return ""
        return gen.prices.listing(c.stock.code).strftime("%Y%m%d")
    return c.date.strftime("%Y%m%d")


def _time_value(gen: DataGenerator, info: FieldInfo, c: _RowContext) -> str:
    if c.order and info.name.endswith("ord_tmd"):
        return gen.order_time()
    seconds = c.rng.randrange(9 * 3600, 15 * 3600 + 30 * 60)
    return f"{seconds // 3600:02d}{seconds // 60 % 60:02d}{seconds % 60:02d}"


def _datetime_value(gen: DataGenerator, info: FieldInfo, c: _RowContext) -> str:
    return c.date.strftime("%Y%m%d") + _time_value(gen, info, c)


def _enum_value(gen: DataGenerator, info: FieldInfo, c: _RowContext) -> str:
    if info.name.endswith("sign"):
        return c.quote.sign
    if info.enum is None or not list(info.enum):
        return ""
    return str.__str__(c.rng.choice(list(info.enum)))


_PRODUCERS: dict[str, Callable[[DataGenerator, FieldInfo, _RowContext], str]] = {
    "str": _str_value,
    "int": _int_value,
    "decimal": _decimal_value,
    "date": _date_value,
    "time": _time_value,
    "datetime": _datetime_value,
    "enum": _enum_value,
}


def _business_day(day: dt.date, back: int = 0) -> dt.date:
    """The business day ``back`` trading days before ``day`` (weekends skipped)."""
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    for _ in range(back):
        day -= dt.timedelta(days=1)
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
    return day


def _is_series(fields: Sequence[FieldInfo]) -> bool:
    """Rows with a date and no code or name of their own: one instrument's days or minutes."""
    names = [f.name for f in fields]
    return not any(_is_code(n) or "isnm" in n for n in names) and any(f.kind == "date" for f in fields)


def _stock_of(key: str) -> Stock:
    """The instrument of a history key: a listed name, a sector (업종) code or a made-up name."""
    known = BY_CODE.get(key)
    if known is not None:
        return known
    sector = next((name for code, name in SECTORS if code == key), None)
    return Stock(key, sector or f"종목{key}", "KOSPI")


def _raw_prices(endpoint: Endpoint[Any]) -> dict[str, tuple[str, ...]]:
    """Output key → its raw prices (spec ``unit: sCalcDesz``), for the overseas futures/options
    quotations (:mod:`._overseas_futures`)."""
    if not endpoint.path.startswith(_overseas_futures.QUOTATIONS_PATH):
        return {}
    found = {output.key: raw_prices(output.row) for output in endpoint.outputs}
    return {key: names for key, names in found.items() if names}


def _main_output(endpoint: Endpoint[Any]) -> Output | None:
    """The list output holding the result rows: the list with the most fields (last on ties)."""
    lists = [o for o in endpoint.outputs if o.shape == "list"]
    if not lists:
        return None
    return max(reversed(lists), key=lambda o: len(attrs.fields(o.row)))


_NO_CONTRACT = Contract("", "futures", "", 0)


def _expired(code: str, at: dt.datetime) -> bool:
    """Whether ``code`` names a futures/options contract past its last trading day at ``at``."""
    return contract(code) is not None and listed(code, at.astimezone(KST).date()) is None


def _focus_stock(endpoint: Endpoint[Any], request: Mapping[str, str]) -> Stock | None:
    """The stock a request is about (a 6-character code in a ``…ISCD``/``PDNO`` field), or the
    index (업종) a request with market division ``U`` names by its 4-digit code."""
    index = any("MRKT_DIV" in key.upper() and value.strip() == "U" for key, value in request.items())
    for param in endpoint.params:
        wire = param.wire or ""
        if param.kind == "enum" or not ("ISCD" in wire.upper() or wire.upper() == "PDNO"):
            continue
        code = request.get(wire, "").strip()
        if (len(code) == 6 and code.isalnum()) or contract(code) is not None:
            return BY_CODE.get(code) or Stock(code, f"종목{code}", "KOSPI")
        if index and len(code) == 4 and code.isdigit():
            return _stock_of(code)
    return None


def _market_filter(endpoint: Endpoint[Any], request: Mapping[str, str]) -> str | None:
    for param in endpoint.params:
        if param.wire and "ISCD" in param.wire.upper() and param.kind == "enum":
            return request.get(param.wire)
    return None


def _pick(pool: Sequence[Stock], count: int, rng: random.Random, focus: Stock | None) -> list[Stock]:
    if focus is not None:
        return [focus] * count
    if count <= len(pool):
        return rng.sample(list(pool), count)
    return [rng.choice(pool) for _ in range(count)]


def sort_plan(
    endpoint: Endpoint[Any], output: Output, request: Mapping[str, str], fields: Sequence[FieldInfo]
) -> tuple[str, bool] | None:
    """(field, descending) a ranking is sorted by, from its sort argument's Korean meaning."""
    numeric = [f.name for f in fields if f.kind in ("int", "decimal")]
    for param in endpoint.params:
        if param.enum is None or param.wire is None or not _is_sort_param(param):
            continue
        code = request.get(param.wire)
        member = param.enum._value2member_map_.get(code or "")
        if member is None:
            continue
        meaning = getattr(param.enum, "__korean__", {}).get(member.name, "")
        best, best_score = None, 0
        for name in numeric:
            score = sum(
                weight
                for word, fragments, weight in _SORT_VOCABULARY
                if word in meaning and any(fragment in name for fragment in fragments)
            )
            if score > best_score:
                best, best_score = name, score
        if best is not None:
            return best, not any(word in meaning for word in _ASCENDING_WORDS)
    return None


def _is_sort_param(param: Param) -> bool:
    wire = (param.wire or "").upper()
    return "SORT" in wire or "RANK" in wire or param.name in ("sort", "order", "rank")


def _upper_keys(value: Any) -> Any:
    if isinstance(value, list):
        return [_upper_keys(v) for v in value]
    if isinstance(value, dict):
        return {k.upper(): v for k, v in value.items()}
    return value


def _key_length(endpoint: Endpoint[Any], wire: str) -> int:
    """The key's documented length (``CTX_AREA_FK100``: 100), from its spec or its name."""
    param = next((p for p in endpoint.params if p.wire == wire), None)
    if param is not None and param.max_length:
        return param.max_length
    digits = "".join(ch for ch in wire if ch.isdigit())
    return int(digits) if digits else 20


def continuation_keys(endpoint: Endpoint[Any], offset: int) -> dict[str, str]:
    """Body keys that carry the next page's position, right-padded to their full length.

    The first key holds the endpoint and the next row offset (``holdings!^20``), the others the
    offset alone (``00000020^``); the sandbox reads the offset back from whichever the client returns.
    """
    assert endpoint.paging is not None
    keys: dict[str, str] = {}
    for index, (wire, body_key) in enumerate(endpoint.paging.items()):
        text = f"{endpoint.name.rsplit('.', 1)[-1]}!^{offset}" if index == 0 else f"{offset:08d}^"
        keys[body_key] = text.ljust(_key_length(endpoint, wire))
    return keys


def offset_from(endpoint: Endpoint[Any], request: Mapping[str, str]) -> int | None:
    """The row offset a continuation request asks for; ``None`` when its keys are not ours."""
    assert endpoint.paging is not None
    for index, wire in enumerate(endpoint.paging):
        text = request.get(wire, "").strip()
        if not text:
            continue
        number = text.rsplit("!^", 1)[-1] if index == 0 else text.rstrip("^")
        if number.isdigit():
            return int(number)
        return None
    return None


# -- relations between the fields of one row ----------------------------------------------------


def agree(row: dict[str, Any], request: Mapping[str, str], seed: int, at: dt.datetime | None = None) -> None:
    """Make the fields of one row tell one story, by KIS's wire names: a holding's 매입금액,
    평가금액 and 평가손익 follow from its quantity, average cost and current price; an overseas
    quote's 현재가, 전일종가, 대비, 등락율 and 부호 agree; ``rsym`` is D + exchange + symbol."""
    _agree_holding(row)
    _agree_overseas_quote(row, request, seed, at)


def _agree_holding(row: dict[str, Any]) -> None:
    """보유수량 × 매입평균가격 = 매입금액; 보유수량 × 현재가 = 평가금액; 평가금액 − 매입금액 = 평가손익;
    평가손익 / 매입금액 × 100 = 평가손익율."""
    if not {"hldg_qty", "pchs_avg_pric"} <= row.keys():
        return
    quantity = int(row["hldg_qty"] or 0)
    bought = int(quantity * Decimal(row["pchs_avg_pric"] or 0))
    if "ord_psbl_qty" in row and int(row["ord_psbl_qty"] or 0) > quantity:
        row["ord_psbl_qty"] = str(quantity)
    if "pchs_amt" in row:
        row["pchs_amt"] = str(bought)
    if "prpr" not in row or "evlu_amt" not in row:
        return
    value = quantity * int(row["prpr"] or 0)
    row["evlu_amt"] = str(value)
    profit = value - bought
    if "evlu_pfls_amt" in row:
        row["evlu_pfls_amt"] = str(profit)
    if "evlu_pfls_rt" in row:
        rate = Decimal(profit) * 100 / bought if bought else Decimal(0)
        row["evlu_pfls_rt"] = format(rate.quantize(Decimal("0.01")), "f")


#: Overseas quotes are in the currency's units with 4 decimals (소수점자리수 ``zdiv``).
OVERSEAS_DECIMALS = 4


def _agree_overseas_quote(
    row: dict[str, Any], request: Mapping[str, str], seed: int, at: dt.datetime | None
) -> None:
    wire = {k.upper(): v.strip() for k, v in request.items()}
    symbol = wire.get("SYMB") or str(row.get("symb") or "") or "AAPL"
    exchange = (wire.get("EXCD") or "NAS")[:3]
    if "rsym" in row:
        row["rsym"] = f"D{exchange}{symbol}"
    if "zdiv" in row:
        row["zdiv"] = str(OVERSEAS_DECIMALS)
    if not {"last", "base"} <= row.keys():
        return
    # the market model's day for this symbol, scaled from won to a dollar-like currency (cents):
    # the same story in every overseas endpoint
    q = quote(seed, f"{exchange}:{symbol}", at)

    def scaled(value: int) -> Decimal:
        return (Decimal(value) / OVERSEAS_SCALE).quantize(Decimal("0.01"))

    def text(value: Decimal) -> str:
        return format(value.quantize(Decimal(1).scaleb(-OVERSEAS_DECIMALS)), "f")

    last, base = scaled(q.price), scaled(q.prev_close)
    diff = last - base
    row["last"], row["base"] = text(last), text(base)
    for key, value in (
        ("open", q.open),
        ("high", q.high),
        ("low", q.low),
        ("uplp", q.upper_limit),
        ("dnlp", q.lower_limit),
    ):
        if key in row:
            row[key] = text(scaled(value))
    if "diff" in row:
        row["diff"] = text(abs(diff))
    if "rate" in row:
        rate = (diff * 100 / base).quantize(Decimal("0.01")) if base else Decimal("0.00")
        row["rate"] = f"+{rate}" if rate > 0 else format(rate, "f")
    if "sign" in row:
        row["sign"] = "2" if diff > 0 else "5" if diff < 0 else "3"
    if "tvol" in row:  # the day's volume so far, as the symbol's daily bar shows it
        row["tvol"] = str(q.volume)
    if "tamt" in row and "tvol" in row:
        row["tamt"] = text(int(row["tvol"] or 0) * last)
