"""kis-async: an asyncio SDK for the Korea Investment & Securities (한국투자증권) Open API.

    from kis_async import KisClient

    async with KisClient.from_env() as kis:
        ranking = await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")

Generated classes (responses, rows, enums, ticks) and the bot layer's types (``Order``,
``Position``, ``Market``, ``SymbolBook`` …) are importable from here too; they are loaded on first
use, so importing the package stays fast however many endpoints exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kis_async._auth import TokenCache
from kis_async._calendar import KST, MarketSession, is_open, is_trading_day, next_open, today_kst
from kis_async._client import KisClient
from kis_async._config import Corporate, Timeout
from kis_async._convert import KisEnum
from kis_async._endpoint import Endpoint, Param
from kis_async._errors import (
    KisApiError,
    KisAuthError,
    KisClientClosedError,
    KisConfigError,
    KisDecodeError,
    KisError,
    KisOrderStateUnknownError,
    KisRateLimitError,
    KisTokenExpiredError,
    KisTransportError,
    KisUnsupportedError,
    KisValidationError,
)
from kis_async._models import KisModel, KisResponse, Rows

if TYPE_CHECKING:
    from kis_async._account import US_EXCHANGES, Account, OverseasCurrency, OverseasExchangeCode, Position
    from kis_async._feed import Feed, Tick
    from kis_async._fleet import FleetConfig
    from kis_async._history import History, HistoryPeriod
    from kis_async._market import Market
    from kis_async._orders import Order, Orders, OrderStatus
    from kis_async._paging import Paged
    from kis_async._public import *  # noqa: F403 - the generated names, typed (loaded lazily below)
    from kis_async._realtime import (
        AppKey,
        KisApprovalKeyError,
        KisFeedLostError,
        KisQueueOverflowError,
        KisRealtimeError,
        KisSubscriptionLimitError,
        KisUnknownFeedError,
        RealtimeConfig,
        RealtimeSession,
        RealtimeStats,
        Reconnected,
    )
    from kis_async._realtime_callbacks import FeedHandler, TickCallback
    from kis_async.sandbox import Sandbox
    from kis_async.symbols import Symbol, SymbolBook

__version__ = "0.1.0"

__all__ = [
    "KST",
    "US_EXCHANGES",
    "Account",
    "AppKey",
    "Corporate",
    "Endpoint",
    "Feed",
    "FeedHandler",
    "FleetConfig",
    "History",
    "HistoryPeriod",
    "KisApiError",
    "KisApprovalKeyError",
    "KisAuthError",
    "KisClient",
    "KisClientClosedError",
    "KisConfigError",
    "KisDecodeError",
    "KisEnum",
    "KisError",
    "KisFeedLostError",
    "KisModel",
    "KisOrderStateUnknownError",
    "KisQueueOverflowError",
    "KisRateLimitError",
    "KisRealtimeError",
    "KisResponse",
    "KisSubscriptionLimitError",
    "KisTokenExpiredError",
    "KisTransportError",
    "KisUnknownFeedError",
    "KisUnsupportedError",
    "KisValidationError",
    "Market",
    "MarketSession",
    "Order",
    "OrderStatus",
    "Orders",
    "OverseasCurrency",
    "OverseasExchangeCode",
    "Paged",
    "Param",
    "Position",
    "RealtimeConfig",
    "RealtimeSession",
    "RealtimeStats",
    "Reconnected",
    "Rows",
    "Sandbox",
    "Symbol",
    "SymbolBook",
    "Tick",
    "TickCallback",
    "Timeout",
    "TokenCache",
    "is_open",
    "is_trading_day",
    "next_open",
    "today_kst",
]


#: Hand-written names imported on first use (the bot layer, real-time, fleet, sandbox); every generated name
#: (``CreditBalanceRow``, ``Sign``, ``DomesticStock`` …) resolves through ``_registry.NAMES``.
_LAZY = {
    "Sandbox": "kis_async.sandbox",
    # the bot author's layer (kis.orders, kis.account, kis.market, kis.history, rt.on, kis.symbols())
    **dict.fromkeys(("Order", "OrderStatus", "Orders"), "kis_async._orders"),
    **dict.fromkeys(
        ("Account", "OverseasCurrency", "OverseasExchangeCode", "Position", "US_EXCHANGES"),
        "kis_async._account",
    ),
    **dict.fromkeys(("History", "HistoryPeriod"), "kis_async._history"),
    "Market": "kis_async._market",
    **dict.fromkeys(("FeedHandler", "TickCallback"), "kis_async._realtime_callbacks"),
    **dict.fromkeys(("Symbol", "SymbolBook"), "kis_async.symbols"),
    "FleetConfig": "kis_async._fleet",  # the Redis fleet support loads only when asked for
    "Paged": "kis_async._paging",
    "Feed": "kis_async._feed",
    "Tick": "kis_async._feed",
    **{
        name: "kis_async._realtime"
        for name in (
            "AppKey",
            "KisApprovalKeyError",
            "KisFeedLostError",
            "KisQueueOverflowError",
            "KisRealtimeError",
            "KisSubscriptionLimitError",
            "KisUnknownFeedError",
            "RealtimeConfig",
            "RealtimeSession",
            "RealtimeStats",
            "Reconnected",
        )
    },
}

if not TYPE_CHECKING:
    from kis_async._lazy import module_hooks

    __getattr__, __dir__ = module_hooks(__name__, globals(), extra=_LAZY)
