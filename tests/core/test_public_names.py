"""Everything a bot author meets is importable from ``kis_async``: the handles ``kis.orders``
returns, the rows ``kis.account`` builds, the calendar ``kis.market`` is, the handler ``rt.on``
gives back. A bot annotates ``order: Order`` with ``from kis_async import Order``, never with a
private module that may move.

The test walks the bot layer's public signatures (and ``attrs`` fields) from ``KisClient``'s
conveniences and ``rt.on``, and fails on any class defined in ``kis_async`` that the package does
not export, naming it.
"""

from __future__ import annotations

import inspect
import typing
from functools import cached_property
from typing import Any

import attrs

import kis_async
from kis_async._layer import KisConveniences
from kis_async._realtime import RealtimeSession

#: The hand-written modules of the bot layer: their classes are walked (generated classes are
#: only checked to be importable; the registry test covers them).
BOT_LAYER = (
    "kis_async._layer",
    "kis_async._orders",
    "kis_async._account",
    "kis_async._market",
    "kis_async._history",
    "kis_async._realtime_callbacks",
    "kis_async._calendar",
    "kis_async.symbols",
)

#: Type aliases (``Literal``s) a bot annotates with; ``get_type_hints`` expands them, so they are
#: named here.
ALIASES = {
    "OrderStatus": "kis_async._orders",
    "OverseasExchangeCode": "kis_async._account",
    "OverseasCurrency": "kis_async._account",
    "HistoryPeriod": "kis_async._history",
    "TickCallback": "kis_async._realtime_callbacks",
}


class _FromPackage(dict[str, Any]):
    """Names a module imports only for type checkers resolve from the package (or fail)."""

    def __missing__(self, name: str) -> Any:
        try:
            return getattr(kis_async, name)
        except AttributeError:
            raise KeyError(name) from None


def _hints(function: Any) -> dict[str, Any]:
    return typing.get_type_hints(function, localns=_FromPackage())


def _classes(hint: Any) -> set[type]:
    found: set[type] = set()
    if isinstance(hint, type) and not typing.get_args(hint):
        found.add(hint)
    origin = typing.get_origin(hint)
    if isinstance(origin, type):
        found.add(origin)
    for argument in typing.get_args(hint):
        found |= _classes(argument)
    return found


def _members(cls: type) -> list[Any]:
    members: list[Any] = []
    for name, value in vars(cls).items():
        if name.startswith("_") and name != "__init__":
            continue
        if isinstance(value, cached_property):
            members.append(value.func)
        elif isinstance(value, property) and value.fget is not None:
            members.append(value.fget)
        elif inspect.isfunction(value):
            members.append(value)
    return members


def _reached() -> dict[type, str]:
    """Every class of ``kis_async`` the bot layer's public signatures name → where it was met."""
    seen: dict[type, str] = {}
    queue: list[type] = [KisConveniences]

    def meet(hint: Any, where: str) -> None:
        for cls in _classes(hint):
            if cls.__module__.startswith("kis_async") and cls not in seen:
                seen[cls] = where
                if cls.__module__ in BOT_LAYER:
                    queue.append(cls)

    for name, hint in _hints(RealtimeSession.on).items():
        meet(hint, f"rt.on ({name})")
    while queue:
        cls = queue.pop()
        for function in _members(cls):
            for name, hint in _hints(function).items():
                meet(hint, f"{function.__qualname__} ({name})")
        if attrs.has(cls):
            hints = typing.get_type_hints(cls, localns=_FromPackage())
            for field in attrs.fields(cls):
                if not field.name.startswith("_"):
                    meet(hints[field.name], f"{cls.__name__}.{field.name}")
    return seen


def test_every_type_the_bot_layer_returns_or_takes_is_importable_from_kis_async() -> None:
    reached = _reached()
    missing = [
        f"{cls.__module__}.{cls.__name__} (met in {where})"
        for cls, where in reached.items()
        if getattr(kis_async, cls.__name__, None) is not cls
    ]
    assert not missing, "not exported from kis_async: " + ", ".join(missing)
    names = {cls.__name__ for cls in reached}
    assert {
        "Order",
        "Orders",
        "Account",
        "Position",
        "Market",
        "History",
        "FeedHandler",
        "SymbolBook",
    } <= names


def test_the_bot_layers_type_aliases_are_importable_and_listed() -> None:
    import importlib

    for name, module in ALIASES.items():
        assert getattr(kis_async, name) is getattr(importlib.import_module(module), name)
        assert name in kis_async.__all__


def test_every_listed_name_resolves_and_shows_in_dir() -> None:
    listed = set(kis_async.__all__)
    assert listed <= set(dir(kis_async))
    assert all(getattr(kis_async, name) is not None for name in sorted(listed))
    bot_layer = {"Order", "Orders", "OrderStatus", "Account", "Position", "Market", "History", "FeedHandler"}
    assert bot_layer <= listed


def test_no_hand_written_name_shadows_a_generated_or_deprecated_one() -> None:
    """``kis_async.OverseasExchange`` is the deprecated alias of ``OverseasStockExchange`` until
    0.3.0: a hand-written name of the same spelling would silently replace it."""
    from kis_async._registry import NAMES, RENAMED_CLASSES

    assert not [name for name in kis_async.__all__ if name in NAMES or name in RENAMED_CLASSES]
