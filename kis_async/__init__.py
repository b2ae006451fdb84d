"""kis-async: an asyncio SDK for the Korea Investment & Securities (한국투자증권) Open API.

    from kis_async import KisClient

    async with KisClient.from_env() as kis:
        ranking = await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")

Generated classes (responses, rows, enums) are importable from here too; they are loaded on
first use, so importing the package stays fast however many endpoints exist.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
    from kis_async._feed import Feed, Tick
    from kis_async._fleet import FleetConfig
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
    from kis_async.sandbox import Sandbox

__version__ = "0.1.0"

__all__ = [
    "KST",
    "AppKey",
    "Corporate",
    "Endpoint",
    "Feed",
    "FleetConfig",
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
    "MarketSession",
    "Param",
    "RealtimeConfig",
    "RealtimeSession",
    "RealtimeStats",
    "Reconnected",
    "Rows",
    "Sandbox",
    "Tick",
    "Timeout",
    "TokenCache",
    "is_open",
    "is_trading_day",
    "next_open",
    "today_kst",
]


#: Real-time (WebSocket) names, imported on first use.
_REALTIME_NAMES = frozenset(
    {
        "AppKey",
        "Feed",
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
        "Tick",
    }
)


def __getattr__(name: str) -> Any:
    """Generated names (``CreditBalanceRow``, ``Sign``, ``DomesticStock`` …), ``Sandbox`` and the
    real-time names, lazily."""
    if name == "Sandbox":
        from kis_async.sandbox import Sandbox

        return Sandbox
    if name == "FleetConfig":  # the Redis fleet support loads only when asked for
        from kis_async._fleet import FleetConfig

        return FleetConfig
    if name in _REALTIME_NAMES:
        module_name = "kis_async._feed" if name in ("Feed", "Tick") else "kis_async._realtime"
        return getattr(importlib.import_module(module_name), name)
    # the registry (every generated name → its module) is read on the first such lookup, so
    # importing the package costs the same however many endpoints are generated
    from kis_async._registry import NAMES, NAMESPACES, RENAMED_CLASSES

    module = NAMES.get(name)
    if module is None and name in NAMESPACES.values():
        module = next(ns for ns, cls in NAMESPACES.items() if cls == name)
    if module is None and name in RENAMED_CLASSES:  # a deprecated alias: warn on every read
        from kis_async._namespace import renamed_class

        new = RENAMED_CLASSES[name]
        return renamed_class("kis_async", name, new, f"kis_async.{NAMES[new]}")
    if module is None:
        raise AttributeError(f"module 'kis_async' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"kis_async.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    from kis_async._registry import NAMES, NAMESPACES

    return sorted(set(__all__) | set(NAMES) | set(NAMESPACES.values()) | _REALTIME_NAMES)
