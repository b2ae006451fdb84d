"""Orders from an agent: preview, then confirm with a one-time token, within a budget, sent once.

Every order goes through :meth:`OrderDesk.preview`, which validates it completely (the SDK's own
argument checks and TR choice, nothing sent), checks the budget and returns a summary with a
token; :meth:`OrderDesk.place` sends exactly that order once. A token is used up by its first
``place`` whatever happens, expires after :attr:`OrderDesk.ttl` seconds, and an order is never
retried: when it may have reached KIS without an answer the agent is told what to look up.
"""

from __future__ import annotations

import contextvars
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from kis_async._endpoint import Endpoint
from kis_async._errors import (
    KisApiError,
    KisConfigError,
    KisOrderStateUnknownError,
    KisUnsupportedError,
    KisValidationError,
)
from kis_async._mcp import _catalog
from kis_async._mcp._results import plain

if TYPE_CHECKING:
    from kis_async._client import KisClient

logger = logging.getLogger("kis_async.mcp")

#: A placeholder account for validating an order's other arguments when none is configured.
_NO_ACCOUNT = ("00000000", "00")


class OrderRefusedError(KisValidationError):
    """The server will not send this order (no consent, budget spent, unknown or used token)."""


@attrs.frozen
class Budget:
    """Per server run: at most ``max_orders`` orders and ``max_amount`` won in total (quantity ×
    price of domestic stock orders; ``None`` = no amount cap, the only way to send orders whose
    value in won cannot be told: overseas, futures, bonds). Cancels are always allowed and count
    for neither: an agent must always be able to take an order back."""

    max_orders: int = 5
    max_amount: int | None = 1_000_000

    def __attrs_post_init__(self) -> None:
        if self.max_orders < 0 or (self.max_amount is not None and self.max_amount < 0):
            raise KisConfigError("the order budget must not be negative")


@attrs.frozen
class Pending:
    token: str
    endpoint: Endpoint[Any]
    args: Mapping[str, Any]
    amount: int | None
    cancel: bool
    summary: str
    expires: float


@attrs.define
class OrderDesk:
    kis: KisClient
    budget: Budget
    account: tuple[str, str] | None
    environment: str = "sandbox"
    open_orders_namespace: str = ""
    """The category the ``open_orders`` tool lists (named in the advice after an unknown outcome)."""
    ttl: float = 120.0
    clock: Callable[[], float] = time.monotonic
    orders_sent: int = 0
    amount_used: int = 0
    _pending: dict[str, Pending] = attrs.field(factory=dict)

    def remaining(self) -> dict[str, Any]:
        left: dict[str, Any] = {"orders_left": self.budget.max_orders - self.orders_sent}
        if self.budget.max_amount is not None:
            left["amount_left"] = self.budget.max_amount - self.amount_used
        return left

    def _check_budget(self, endpoint: Endpoint[Any], amount: int | None, cancel: bool) -> None:
        if cancel:
            return
        if self.orders_sent >= self.budget.max_orders:
            raise OrderRefusedError(
                f"{endpoint.name}: the session's order budget is spent ({self.budget.max_orders} orders); "
                "restart the server with a larger --max-orders to send more",
                endpoint=endpoint.name,
            )
        if self.budget.max_amount is None:
            return
        if amount is None:
            raise OrderRefusedError(
                f"{endpoint.name}: cannot tell this order's value in won (the amount budget counts "
                "domestic stock orders with a price: quantity × price), so the amount budget "
                f"({self.budget.max_amount:,}) cannot be checked; use preview_order (it prices market "
                "orders and looks up amends), give a price, or start the server with "
                "--max-order-amount none (the order count still applies)",
                endpoint=endpoint.name,
            )
        if self.amount_used + amount > self.budget.max_amount:
            raise OrderRefusedError(
                f"{endpoint.name}: amount {amount:,} exceeds what is left of the session's amount budget "
                f"({self.budget.max_amount - self.amount_used:,} of {self.budget.max_amount:,})",
                endpoint=endpoint.name,
                field="quantity",
                value=amount,
            )

    def preview(
        self,
        endpoint: Endpoint[Any],
        args: Mapping[str, Any],
        *,
        amount: int | None,
        summary: str,
        cancel: bool = False,
    ) -> dict[str, Any]:
        """Validate the order as the client would (nothing is sent) and hold it under a new token."""
        if endpoint.retry_safe:
            raise OrderRefusedError(f"{endpoint.name} is not an order; call it with call_endpoint")
        tr_id = endpoint.select_tr(self.kis.env, args)
        _note(f" endpoint={endpoint.name} tr={tr_id}")
        endpoint.build_request(args, self.account or _NO_ACCOUNT, self.kis.env)
        if self.account is None and _catalog.uses_account(endpoint):
            raise KisConfigError(
                f"{endpoint.name} needs an account: set KIS_ACCOUNT (or account in the config file) "
                "before starting the MCP server"
            )
        self._check_budget(endpoint, amount, cancel)
        now = self.clock()
        self._pending = {k: p for k, p in self._pending.items() if p.expires > now}
        token = secrets.token_urlsafe(9)
        self._pending[token] = Pending(token, endpoint, dict(args), amount, cancel, summary, now + self.ttl)
        logger.info("mcp order preview endpoint=%s tr=%s %s", endpoint.name, tr_id, summary)
        body: dict[str, Any] = {
            "preview": summary,
            "endpoint": endpoint.name,
            "title": endpoint.title,
            "tr_id": tr_id,
            "environment": self.environment,
            "arguments": plain_args(args),
            "token": token,
            "expires_in_seconds": int(self.ttl),
            "to_send": "call place_order with this token; it sends this exact order once",
        }
        if amount is not None:
            body["amount"] = amount
        body["budget_after"] = self._after(amount, cancel)
        return body

    def _after(self, amount: int | None, cancel: bool) -> dict[str, Any]:
        left = self.remaining()
        if cancel:
            return left
        left["orders_left"] -= 1
        if "amount_left" in left and amount is not None:
            left["amount_left"] -= amount
        return left

    async def place(self, token: str) -> dict[str, Any]:
        """Send the previewed order once. The token is used up whatever the outcome."""
        pending = self._pending.pop(str(token), None)
        if pending is None:
            raise OrderRefusedError(
                "place_order: unknown or already used token; preview the order again (a token sends "
                "one order, once)",
                field="token",
                value=token,
            )
        endpoint = pending.endpoint
        if pending.expires <= self.clock():
            raise OrderRefusedError(
                f"place_order: the preview of {endpoint.name} expired ({int(self.ttl)} s); preview it again",
                field="token",
                value=token,
            )
        self._check_budget(endpoint, pending.amount, pending.cancel)
        if not pending.cancel:
            self.orders_sent += 1
            self.amount_used += pending.amount or 0
        _note(f" endpoint={endpoint.name} tr={endpoint.select_tr(self.kis.env, pending.args)}")
        try:
            response = await self.kis.request(endpoint, pending.args)
        except (KisApiError, KisValidationError, KisUnsupportedError, KisConfigError):
            # refused by KIS or before sending: no order exists, so it does not use the budget
            if not pending.cancel:
                self.orders_sent -= 1
                self.amount_used -= pending.amount or 0
            raise
        except KisOrderStateUnknownError as exc:
            raise OrderStateUnknown(
                str(exc), lookup=lookup_hint(endpoint, self.open_orders_namespace), summary=pending.summary
            ) from exc
        logger.info("mcp order sent endpoint=%s %s", endpoint.name, pending.summary)
        result: dict[str, Any] = {
            "sent": pending.summary,
            "endpoint": endpoint.name,
            "msg": f"{response.msg_cd or ''} {response.msg1 or ''}".strip(),
        }
        for output in endpoint.outputs:
            value = getattr(response, output.key, None)
            if value is not None:
                result[output.key] = plain(value)
        result["budget"] = self.remaining()
        return result


class OrderStateUnknown(KisOrderStateUnknownError):
    """An order whose outcome is unknown, with what the agent must look up before anything else."""

    def __init__(self, message: str, *, lookup: str, summary: str) -> None:
        super().__init__(message)
        self.lookup = lookup
        self.summary = summary

    def advice(self) -> str:
        return (
            f"The order ({self.summary}) may or may not have reached KIS: no answer came back. It was "
            "NOT sent again and must not be placed again before checking. "
            f"Look for it with {self.lookup}: same symbol, side, quantity and price, ordered just now; "
            "only if it is not there, preview a new order."
        )


def lookup_hint(endpoint: Endpoint[Any], open_orders_namespace: str = "") -> str:
    """What lists the orders of ``endpoint``'s category, by the descriptors: the ``open_orders``
    tool where it covers the category, and the best inquiry of the same namespace (the daily
    orders ``…inquire_daily_ccld``, else open orders ``…nccs``, else fills ``…ccnl``/``…ccld``)."""
    namespace = endpoint.name.split(".", 1)[0]
    candidates = [
        name
        for name in _catalog.endpoint_names()
        if name.startswith(namespace + ".")
        and any(word in name for word in ("ccld", "ccnl", "nccs"))
        and _catalog.load(name).retry_safe
    ]

    def rank(name: str) -> tuple[int, int, str]:
        method = name.split(".", 1)[1]
        order = 0 if method == "inquire_daily_ccld" else 1 if "nccs" in method else 2
        return order, len(method), name

    steps = ["open_orders"] if namespace == open_orders_namespace else []
    if candidates:
        steps.append(f"call_endpoint {min(candidates, key=rank)} (today's orders)")
    return " or ".join(steps) or "the account's orders in KIS's HTS or MTS"


def plain_args(args: Mapping[str, Any]) -> dict[str, Any]:
    return {name: plain(value) for name, value in args.items() if value is not None}


#: What the INFO line of the running tool call adds (`` endpoint=… tr=…``), set where the TR is known.
NOTE: contextvars.ContextVar[str] = contextvars.ContextVar("kis_async_mcp_note", default="")


def _note(text: str) -> None:
    NOTE.set(text)
