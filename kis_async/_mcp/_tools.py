"""The tools, independent of any MCP library: their definitions (name, description, JSON Schema,
hints) and what a call does. :mod:`kis_async._mcp._server` puts them on the wire.

Four generic tools reach every generated endpoint through its descriptor (``search_endpoints``,
``describe_endpoint``, ``call_endpoint``, ``more_rows``). The direct tools for the everyday calls
are thin: each is one generated endpoint with a few of its arguments (their schema still read
from the descriptor) — :data:`DIRECT` is the one place that names endpoints, so they can move onto
the bot author's layer (``kis.quote()``, ``kis.history``, ``kis.orders``), which they do not use yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from kis_async._endpoint import Endpoint, Param, today_kst
from kis_async._errors import KisError, KisUnsupportedError, KisValidationError
from kis_async._mcp import _catalog
from kis_async._mcp._orders import NOTE as _NOTE
from kis_async._mcp._orders import Budget, OrderDesk, OrderRefusedError, OrderStateUnknown
from kis_async._mcp._results import DEFAULT_ROWS, MAX_ROWS, ResultCache, check_fields, response_json
from kis_async._models import KisResponse
from kis_async._paging import collect_pages, iterate_pages

if TYPE_CHECKING:
    from kis_async._client import KisClient

logger = logging.getLogger("kis_async.mcp")

#: The generated endpoints behind the direct tools (the only endpoint names in this package).
DIRECT = {
    "quote": "domestic_stock.inquire_price",
    "daily_history": "domestic_stock.inquire_daily_itemchartprice",
    "balance": "domestic_stock.inquire_balance",
    "open_orders": "domestic_stock.inquire_psbl_rvsecncl",
    "open_orders_fallback": "domestic_stock.inquire_daily_ccld",
    "order": "domestic_stock.order_cash",
    "amend_cancel": "domestic_stock.order_rvsecncl",
}
MAX_PAGES = 10


@attrs.frozen
class Tool:
    name: str
    description: str
    input_schema: dict[str, Any]
    read_only: bool = True
    destructive: bool = False


@attrs.frozen
class Options:
    """What the server was started with."""

    environment: Literal["sandbox", "paper", "real"] = "sandbox"
    allow_orders: bool = False
    read_only: bool = False
    budget: Budget = attrs.field(factory=Budget)
    account: str | None = attrs.field(default=None, repr=lambda a: "'set'" if a else "None")


class ToolError(KisError):
    """A tool call that cannot be served (unknown tool)."""


class ReadOnlyModeError(KisValidationError):
    """An account read on a server started with ``--read-only`` (market data only)."""


@attrs.define
class Toolbox:
    """The tools of one server on one client: their definitions (:meth:`tools`) and calls
    (:meth:`call`); the order desk, the budget and the cut results live as long as it does."""

    kis: KisClient
    options: Options
    sandbox: Any = None
    """The embedded :class:`~kis_async.sandbox.Sandbox` when the environment is ``sandbox``."""
    cache: ResultCache = attrs.field(factory=ResultCache)
    desk: OrderDesk = attrs.field(init=False)
    calls: int = 0
    _tools: list[Tool] | None = attrs.field(default=None, init=False)
    warm_search: bool = False
    """Build the search index in a thread after the first tool call (it imports every generated
    module: seconds). Not before: on a busy machine it would delay that first answer threefold."""

    def __attrs_post_init__(self) -> None:
        account = None
        if self.options.account:
            from kis_async._config import parse_account

            account = parse_account(self.options.account)
        self.desk = OrderDesk(
            self.kis,
            self.options.budget,
            account,
            self.options.environment,
            open_orders_namespace=DIRECT["open_orders"].split(".", 1)[0],
        )

    @property
    def orders_enabled(self) -> bool:
        return self.options.allow_orders and not self.options.read_only

    # -- definitions -----------------------------------------------------------------------------

    def tools(self) -> list[Tool]:
        """The tools this server offers (they depend on its options only)."""
        if self._tools is None:
            self._tools = self._make_tools()
        return self._tools

    def _make_tools(self) -> list[Tool]:
        env = self.options.environment
        where = {
            "sandbox": "the local sandbox (made-up data, no account needed)",
            "paper": "KIS paper trading (모의투자)",
            "real": "the REAL KIS account (실전)",
        }[env]
        tools = [
            Tool(
                "search_endpoints",
                f"Find KIS Open API endpoints (한국투자증권, {len(_catalog.endpoint_names())} of them) by "
                "Korean or English words: titles, summaries, TR IDs, argument and response field names. "
                "Returns names for describe_endpoint and call_endpoint.",
                {
                    "type": "object",
                    "properties": {
                        "query": {
                            "type": "string",
                            "description": "e.g. 신용잔고, credit balance, FHKST01010100",
                        },
                        "limit": {"type": "integer", "minimum": 1, "maximum": 30, "default": 8},
                    },
                    "required": ["query"],
                    "additionalProperties": False,
                },
            ),
            Tool(
                "describe_endpoint",
                "An endpoint's arguments (JSON Schema: enum codes with names and 한글, ranges, dates) "
                "and response fields (name, 한글명, type).",
                {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "description": "e.g. domestic_stock.credit_balance"}
                    },
                    "required": ["name"],
                    "additionalProperties": False,
                },
            ),
            Tool(
                "call_endpoint",
                f"Call any read endpoint on {where}. Arguments as describe_endpoint gives them (enum "
                "codes or member names, dates YYYY-MM-DD); the account is the server's. Lists over "
                f"`limit` rows are cut (more_rows reads on). "
                + (
                    "An order endpoint is not sent: it returns a preview and a token for place_order."
                    if self.orders_enabled
                    else "Order endpoints are refused (the server was started without --allow-orders)."
                ),
                {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "description": "endpoint name from search_endpoints"},
                        "arguments": {"type": "object", "description": "argument name → value"},
                        "fields": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "only these response fields (fewer tokens)",
                        },
                        "limit": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_ROWS,
                            "default": DEFAULT_ROWS,
                        },
                        "all_pages": {
                            "type": "boolean",
                            "default": False,
                            "description": "follow KIS paging",
                        },
                        "korean": {
                            "type": "boolean",
                            "default": False,
                            "description": "add 한글 field labels",
                        },
                    },
                    "required": ["name"],
                    "additionalProperties": False,
                },
            ),
            Tool(
                "more_rows",
                "Read on in a list that a result cut (its `truncated.next` says what to pass).",
                {
                    "type": "object",
                    "properties": {
                        "result": {"type": "string"},
                        "output": {"type": "string"},
                        "offset": {"type": "integer", "minimum": 0},
                        "limit": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_ROWS,
                            "default": DEFAULT_ROWS,
                        },
                    },
                    "required": ["result", "output", "offset"],
                    "additionalProperties": False,
                },
            ),
            self._direct_tool(
                "quote",
                DIRECT["quote"],
                ["symbol"],
                "Current price of a Korean stock (주식현재가 시세): price, change, volume, limits.",
            ),
            self._direct_tool(
                "daily_history",
                DIRECT["daily_history"],
                ["symbol", "start_date", "end_date", "period"],
                "Daily (or weekly/monthly/yearly) OHLCV bars of a Korean stock, at most 100 per call "
                "(기간별시세). Dates default to the last 100 days.",
                optional=("start_date", "end_date"),
            ),
        ]
        if not self.options.read_only:
            tools.append(
                Tool(
                    "balance",
                    "The account's holdings and totals (주식잔고조회: quantity, average cost, value, P&L).",
                    {"type": "object", "properties": {}, "additionalProperties": False},
                )
            )
            tools.append(
                Tool(
                    "open_orders",
                    "The account's orders that can still be amended or cancelled (정정취소가능주문): "
                    "order number, symbol, side, quantity, price, filled quantity.",
                    {"type": "object", "properties": {}, "additionalProperties": False},
                )
            )
        if self.orders_enabled:
            tools += self._order_tools(where)
        return tools

    def _direct_tool(
        self,
        tool: str,
        endpoint_name: str,
        names: list[str],
        description: str,
        optional: tuple[str, ...] = (),
    ) -> Tool:
        endpoint = _catalog.load(endpoint_name)
        params = _direct_params(endpoint, names)
        schema = _catalog.input_schema(params, brief=True)
        schema["required"] = [n for n in schema.get("required", []) if n not in optional]
        return Tool(tool, f"{description} Endpoint {endpoint.name}.", schema)

    def _order_tools(self, where: str) -> list[Tool]:
        order = _catalog.load(DIRECT["order"])
        amend = _catalog.load(DIRECT["amend_cancel"])
        _direct_params(
            amend, ["order_org_no", "original_order_no", "action", "quantity", "price", "all_remaining"]
        )
        schema = _catalog.input_schema(
            _direct_params(order, ["symbol", "quantity", "price", "order_type"]), brief=True
        )
        schema["properties"] = {
            "action": {
                "type": "string",
                "enum": ["buy", "sell", "amend", "cancel"],
                "description": "buy/sell a new order; amend/cancel an open order (order_no)",
            },
            **schema["properties"],
            "order_no": {"type": "string", "description": "amend/cancel: the open order's number (odno)"},
        }
        schema["properties"]["quantity"]["description"] += "; amend/cancel: omit for all that is open"
        schema["required"] = ["action"]
        budget = self.options.budget
        cap = f"{budget.max_orders} orders" + (
            f", {budget.max_amount:,} won in total" if budget.max_amount is not None else ""
        )
        return [
            Tool(
                "preview_order",
                f"Step 1 of an order on {where}: validates it (nothing is sent) and returns a summary "
                f"and a one-time token for place_order. Domestic stocks, cash ({order.name}, "
                f"{amend.name}); other order endpoints preview through call_endpoint. Budget: {cap}.",
                schema,
                read_only=True,
            ),
            Tool(
                "place_order",
                "Step 2: send the previewed order, once (never retried). If the outcome is unknown, "
                "look it up with open_orders before anything else.",
                {
                    "type": "object",
                    "properties": {"token": {"type": "string", "description": "from preview_order"}},
                    "required": ["token"],
                    "additionalProperties": False,
                },
                read_only=False,
                destructive=True,
            ),
        ]

    # -- calls -----------------------------------------------------------------------------------

    async def call(self, name: str, arguments: Mapping[str, Any] | None) -> tuple[dict[str, Any], bool]:
        """Run one tool: (JSON result, is_error). Every :class:`KisError` becomes an error result
        with its message (the SDK's text, never a traceback); each call is logged at INFO."""
        args = dict(arguments or {})
        started = time.perf_counter()
        self.calls += 1
        outcome = "ok"
        note = _NOTE.set("")
        try:
            tool = next((t for t in self.tools() if t.name == name), None)
            if tool is None:
                raise ToolError(
                    f"unknown tool {name!r}; the server offers {', '.join(t.name for t in self.tools())}"
                )
            _check_arguments(tool, args)
            handler = getattr(self, f"_tool_{name}")
            result: dict[str, Any] = await handler(**args)
            return result, False
        except OrderStateUnknown as exc:
            outcome = "order-state-unknown"
            return {
                "error": "KisOrderStateUnknownError",
                "message": str(exc),
                "what_to_do": exc.advice(),
            }, True
        except KisError as exc:
            outcome = type(exc).__name__
            return {"error": type(exc).__name__, "message": str(exc)}, True
        except Exception as exc:  # a bug: the agent gets its kind, the server log the traceback
            outcome = f"unexpected {type(exc).__name__}"
            logger.exception("mcp tool=%s failed unexpectedly", name)
            return {
                "error": "InternalError",
                "message": f"{name}: unexpected {type(exc).__name__} in the server (its log has the details); "
                "nothing more is known about this call",
            }, True
        finally:
            logger.info(
                "mcp tool=%s%s outcome=%s %.0fms",
                _printable(name),
                _NOTE.get() or _endpoint_note(args),
                outcome,
                (time.perf_counter() - started) * 1000,
            )
            _NOTE.reset(note)
            if self.warm_search:
                self.warm_search = False
                asyncio.get_running_loop().run_in_executor(None, _catalog.warm)

    async def _tool_search_endpoints(self, query: str, limit: int = 8) -> dict[str, Any]:
        if not isinstance(limit, int) or not 1 <= limit <= 30:
            raise KisValidationError(f"search_endpoints: limit must be 1..30, got {limit!r}", field="limit")
        found = []
        # the first search builds the index (seconds): off the event loop, other calls go on
        ranked = await asyncio.to_thread(_catalog.search, str(query), limit=limit)
        for name, _ in ranked:
            endpoint = _catalog.load(name)
            summary = endpoint.summary
            found.append(
                {
                    "name": name,
                    "title": endpoint.title,
                    "tr_id": _catalog.tr_text(endpoint),
                    **({"summary": summary[:160] + ("…" if len(summary) > 160 else "")} if summary else {}),
                    **({"order": True} if not endpoint.retry_safe else {}),
                    **({"available": False} if not self._available(endpoint) else {}),
                }
            )
        return {"query": query, "endpoints": found}

    def _available(self, endpoint: Endpoint[Any]) -> bool:
        env = self.kis.env
        return (endpoint.tr_id.real if env == "real" else endpoint.tr_id.paper) is not None

    async def _tool_describe_endpoint(self, name: str) -> dict[str, Any]:
        endpoint = _catalog.load(name)
        described = _catalog.describe(endpoint)
        if not self._available(endpoint):
            described["available"] = f"no: KIS has no {self.kis.env} version of this endpoint"
        return described

    async def _tool_call_endpoint(
        self,
        name: str,
        arguments: Mapping[str, Any] | None = None,
        fields: list[str] | None = None,
        limit: int = DEFAULT_ROWS,
        all_pages: bool = False,
        korean: bool = False,
    ) -> dict[str, Any]:
        endpoint = _catalog.load(name)
        if isinstance(arguments, str):  # some agents send the object as JSON text
            with contextlib.suppress(ValueError):
                arguments = json.loads(arguments)
        if arguments is not None and not isinstance(arguments, Mapping):
            raise KisValidationError(
                f"call_endpoint: arguments must be an object of argument name → value, got {arguments!r}",
                endpoint=endpoint.name,
                field="arguments",
            )
        args = _catalog.coerce_arguments(endpoint, arguments or {})
        if not endpoint.retry_safe:
            return self._preview_generic(endpoint, args)
        if self.options.read_only and _catalog.uses_account(endpoint):
            raise ReadOnlyModeError(
                f"{endpoint.name} reads the account; the server runs with --read-only (market data only)",
                endpoint=endpoint.name,
            )
        selected = check_fields(endpoint, fields)
        return await self._read(
            endpoint, args, limit=limit, fields=selected, korean=korean, all_pages=all_pages
        )

    async def _read(
        self,
        endpoint: Endpoint[Any],
        args: Mapping[str, Any],
        *,
        limit: int = DEFAULT_ROWS,
        fields: frozenset[str] | None = None,
        korean: bool = False,
        all_pages: bool = False,
    ) -> dict[str, Any]:
        pages = 1
        response: KisResponse
        _NOTE.set(f" endpoint={endpoint.name} tr={endpoint.select_tr(self.kis.env, args)}")
        if all_pages and endpoint.paging:
            collected: list[KisResponse] = []

            async def counted() -> Any:
                async for page in iterate_pages(self.kis, endpoint, args, MAX_PAGES):
                    collected.append(page)
                    yield page

            response = await collect_pages(counted(), endpoint)
            pages = len(collected)
        else:
            response = await self.kis.request(endpoint, args)
        return response_json(
            endpoint, response, cache=self.cache, limit=limit, fields=fields, korean=korean, pages=pages
        )

    def _preview_generic(self, endpoint: Endpoint[Any], args: Mapping[str, Any]) -> dict[str, Any]:
        if not self.orders_enabled:
            mode = "--read-only" if self.options.read_only else "without --allow-orders"
            raise OrderRefusedError(
                f"{endpoint.name} ({endpoint.title}) sends an order; this server was started {mode}, "
                "so it sends none",
                endpoint=endpoint.name,
            )
        cancel = _is_cancel(endpoint, args)
        amount = None if cancel else _amount(endpoint, args)
        shown = ", ".join(f"{k}={_text(v)}" for k, v in args.items())
        return self.desk.preview(
            endpoint, args, amount=amount, cancel=cancel, summary=f"{endpoint.name}({shown})"
        )

    async def _tool_more_rows(
        self, result: str, output: str, offset: int, limit: int = DEFAULT_ROWS
    ) -> dict[str, Any]:
        return self.cache.page(result, output, offset, limit)

    async def _tool_quote(self, symbol: str) -> dict[str, Any]:
        endpoint = _catalog.load(DIRECT["quote"])
        return await self._read(endpoint, {"symbol": symbol})

    async def _tool_daily_history(
        self,
        symbol: str,
        start_date: str | None = None,
        end_date: str | None = None,
        period_code: str | None = None,
    ) -> dict[str, Any]:
        endpoint = _catalog.load(DIRECT["daily_history"])
        end = end_date or self._today().isoformat()
        start = start_date or (self._today() - dt.timedelta(days=100)).isoformat()
        given: dict[str, Any] = {"symbol": symbol, "start_date": start, "end_date": end}
        if period_code is not None:
            given["period"] = period_code
        return await self._read(endpoint, _catalog.coerce_arguments(endpoint, given), limit=100)

    def _today(self) -> dt.date:
        """KIS's today (KST); the embedded sandbox's trading day, which it keeps on a weekday."""
        if self.sandbox is not None:
            day: dt.date = self.sandbox.data.today
            return day
        return today_kst()

    async def _tool_balance(self) -> dict[str, Any]:
        endpoint = _catalog.load(DIRECT["balance"])
        return await self._read(endpoint, {}, all_pages=True, limit=50)

    async def _tool_open_orders(self) -> dict[str, Any]:
        rows, source = await self._open_orders()
        return {"endpoint": source, "open_orders": rows, "count": len(rows)}

    async def _open_orders(self) -> tuple[list[dict[str, Any]], str]:
        """Open orders as plain rows: the amend/cancel inquiry where KIS has it, else (paper) the
        day's orders with nothing left to fill filtered out."""
        from kis_async._mcp._results import plain

        endpoint = _catalog.load(DIRECT["open_orders"])
        defaults = _enum_defaults(endpoint)
        try:
            endpoint.select_tr(self.kis.env, defaults)
        except KisUnsupportedError:
            fallback = _catalog.load(DIRECT["open_orders_fallback"])
            today = self._today()
            args = {"start_date": today, "end_date": today}
            response = await collect_pages(iterate_pages(self.kis, fallback, args, MAX_PAGES), fallback)
            main = next(o.key for o in fallback.outputs if o.shape == "list")
            rows = [r for r in plain(getattr(response, main)) if r.get("rmn_qty", 1)]
            return rows, fallback.name
        response = await collect_pages(iterate_pages(self.kis, endpoint, defaults, MAX_PAGES), endpoint)
        main = next(o.key for o in endpoint.outputs if o.shape == "list")
        return plain(getattr(response, main)), endpoint.name

    async def _tool_preview_order(
        self,
        action: str,
        symbol: str | None = None,
        quantity: int | None = None,
        price: int | None = None,
        order_type: str | None = None,
        order_no: str | None = None,
    ) -> dict[str, Any]:
        action = str(action).lower()
        if action in ("buy", "sell"):
            return await self._preview_new(action, symbol, quantity, price, order_type)
        if action in ("amend", "cancel"):
            return await self._preview_amend_cancel(action, order_no, quantity, price, order_type)
        raise KisValidationError(
            f"preview_order: action must be buy, sell, amend or cancel, got {action!r}",
            field="action",
            value=action,
        )

    async def _preview_new(
        self,
        side: str,
        symbol: str | None,
        quantity: int | None,
        price: int | None,
        order_type: str | None,
    ) -> dict[str, Any]:
        endpoint = _catalog.load(DIRECT["order"])
        args: dict[str, Any] = {"side": side, "symbol": symbol, "quantity": quantity, "price": price}
        if order_type is not None:
            args["order_type"] = order_type
        args = {k: v for k, v in args.items() if v is not None}
        endpoint.build_request(
            args, self.desk.account or ("00000000", "00"), self.kis.env
        )  # the SDK's checks first
        assert symbol is not None and quantity is not None and price is not None
        estimated = ""
        unit = price
        if price == 0:  # a market-type order: the worst case is the day's limit price
            quote = await self.kis.request(_catalog.load(DIRECT["quote"]), {"symbol": symbol})
            row = getattr(quote, "output", None)
            limit_price = getattr(row, "stck_mxpr" if side == "buy" else "stck_prpr", None)
            unit = int(limit_price or getattr(row, "stck_prpr", 0) or 0) or None  # type: ignore[assignment]
            estimated = (
                " (estimated at the day's upper limit)" if side == "buy" else " (estimated at the last price)"
            )
        amount = quantity * unit if unit else None
        kind = order_type or _param(endpoint, "order_type").default or ""
        summary = (
            f"{side.upper()} {quantity:,} × {symbol} "
            + (f"at {price:,}" if price else "with no price (a market-type order)")
            + f" (order_type {kind}{_member(endpoint, 'order_type', kind)})"
            + (f" = {amount:,}{estimated}" if amount is not None else "")
        )
        return self.desk.preview(endpoint, args, amount=amount, summary=summary)

    async def _preview_amend_cancel(
        self,
        action: str,
        order_no: str | None,
        quantity: int | None,
        price: int | None,
        order_type: str | None,
    ) -> dict[str, Any]:
        endpoint = _catalog.load(DIRECT["amend_cancel"])
        if not order_no:
            raise KisValidationError(
                f"preview_order: {action} needs order_no (odno from open_orders)", field="order_no"
            )
        rows, _ = await self._open_orders()
        wanted = str(order_no).lstrip("0")
        found = next((r for r in rows if str(r.get("odno", "")).lstrip("0") == wanted), None)
        if found is None:
            raise KisValidationError(
                f"preview_order: no open order {order_no!r} (open_orders lists {len(rows)}: "
                f"{', '.join(str(r.get('odno')) for r in rows[:10]) or 'none'})",
                field="order_no",
                value=order_no,
            )
        open_qty = int(found.get("psbl_qty") or found.get("rmn_qty") or found.get("ord_qty") or 0)
        whole = quantity is None or quantity == open_qty
        cancel = action == "cancel"
        if not cancel and price is None:
            raise KisValidationError("preview_order: amend needs the new price", field="price")
        args: dict[str, Any] = {
            "order_org_no": found.get("ord_gno_brno") or found.get("krx_fwdg_ord_orgno") or "",
            "original_order_no": found.get("odno"),
            "action": "CANCEL" if cancel else "AMEND",
            "quantity": 0 if whole else quantity,
            "price": 0 if cancel else price,
            "all_remaining": whole,
        }
        if order_type is not None:
            args["order_type"] = order_type
        qty = open_qty if whole else int(quantity or 0)
        amount = None if cancel else qty * int(price or 0)
        symbol = found.get("pdno", "?")
        summary = (
            f"CANCEL order {found.get('odno')} ({symbol}, {qty:,} of {open_qty:,} open)"
            if cancel
            else f"AMEND order {found.get('odno')} ({symbol}) to {qty:,} at {int(price or 0):,} = {amount:,}"
        )
        return self.desk.preview(endpoint, args, amount=amount, summary=summary, cancel=cancel)

    async def _tool_place_order(self, token: str) -> dict[str, Any]:
        return await self.desk.place(token)


def _direct_params(endpoint: Endpoint[Any], names: list[str]) -> list[Param]:
    """The named arguments of a direct tool's endpoint, in the tool's order; a name the endpoint
    no longer has (a spec renamed it) fails loudly instead of leaving the argument out."""
    by_name = {p.name: p for p in _catalog.arguments(endpoint)}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise ToolError(
            f"the direct tools expect {endpoint.name} to take {', '.join(missing)}; it takes "
            f"{', '.join(by_name)} (update DIRECT's argument names in kis_async/_mcp/_tools.py)"
        )
    return [by_name[n] for n in names]


def _param(endpoint: Endpoint[Any], name: str) -> Param:
    return next(p for p in endpoint.params if p.name == name)


def _member(endpoint: Endpoint[Any], name: str, code: str) -> str:
    enum = _param(endpoint, name).enum
    member = enum._value2member_map_.get(code) if enum is not None else None
    return f" {member.name}" if member is not None else ""


def _enum_defaults(endpoint: Endpoint[Any]) -> dict[str, Any]:
    """Arguments an inquiry requires without a default: the first code of each enum ("all")."""
    args: dict[str, Any] = {}
    for param in _catalog.arguments(endpoint):
        if _catalog.is_required(param) and param.enum is not None:
            args[param.name] = next(iter(param.enum)).value
    return args


def _is_cancel(endpoint: Endpoint[Any], args: Mapping[str, Any]) -> bool:
    """A cancel: an endpoint that only cancels (its title ends in 취소 without 정정:
    예약주문접수취소), or an order argument whose enum has a ``CANCEL`` member, given as it."""
    if endpoint.title.rstrip().endswith("취소") and "정정" not in endpoint.title:
        return True
    for param in endpoint.params:
        if param.enum is not None and "CANCEL" in param.enum.__members__ and param.name in args:
            value = args[param.name]
            member = param.enum.__members__["CANCEL"]
            if value == member.value or str(value).upper() == "CANCEL":
                return True
    return False


#: Where quantity × price is the order's value in won: stock orders of the domestic market. For
#: futures (a multiplier), bonds (per face value) and overseas stocks (another currency) it is not,
#: so their orders are refused while an amount cap is set (the order count still applies).
AMOUNT_NAMESPACES = ("domestic_stock.",)


def _amount(endpoint: Endpoint[Any], args: Mapping[str, Any]) -> int | None:
    """quantity × price in won for a domestic stock order with a price (the house argument
    names, which ``tests/codegen/test_spec_names.py`` keeps the same in every spec)."""
    if not endpoint.name.startswith(AMOUNT_NAMESPACES):
        return None
    try:
        quantity = int(args["quantity"])
        price = float(args["price"])
    except (KeyError, TypeError, ValueError):
        return None
    if price <= 0 or quantity <= 0:  # a market order, or "all that is open": preview_order looks it up
        return None
    return int(quantity * price + 0.999999)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _endpoint_note(args: Mapping[str, Any]) -> str:
    name = args.get("name")
    return f" endpoint={_printable(name)}" if isinstance(name, str) else ""


def _printable(text: str) -> str:
    """Agent-given text for a log line: as is when printable, else escaped (no forged lines)."""
    text = str(text)[:200]
    return text if text.isprintable() else repr(text)


def _check_arguments(tool: Tool, args: Mapping[str, Any]) -> None:
    """Unknown and missing arguments by the tool's schema, named like the SDK names them."""
    properties = tool.input_schema.get("properties", {})
    for key in args:
        if key not in properties:
            raise KisValidationError(
                f"{tool.name}: unknown argument {key!r}; it takes {', '.join(properties) or 'none'}",
                field=key,
                value=args[key],
            )
    for key in tool.input_schema.get("required", []):
        if args.get(key) is None:
            raise KisValidationError(f"{tool.name}: {key} is required", field=key)
