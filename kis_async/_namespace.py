"""Bases of the generated category classes (``kis.domestic_stock`` …) and paged endpoints."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import AsyncIterator
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic

from kis_async._endpoint import Endpoint, R, deprecation
from kis_async._paging import collect_pages, iterate_pages

if TYPE_CHECKING:
    from kis_async._client import KisClient


class LazyGroup:
    """A group module of a category (``kis_async.domestic_stock.quotations``), imported on the
    first attribute read, so a category class costs only its own module until a method runs."""

    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<LazyGroup {self._name}{'' if self._module is None else ' (loaded)'}>"


def renamed_class(module: str, old: str, new: str, home: str) -> Any:
    """A deprecated class name read from ``module``: the new class, with a DeprecationWarning."""
    warnings.warn(deprecation(f"{module}.{old}", new), DeprecationWarning, stacklevel=3)
    return getattr(importlib.import_module(home), new)


class Namespace:
    """One KIS category; its generated subclass has one async method per endpoint."""

    __slots__ = ("_client",)

    def __init__(self, client: KisClient) -> None:
        self._client = client

    async def _call(self, endpoint: Endpoint[R], **args: Any) -> R:
        return await self._client.request(endpoint, endpoint.current_args(args, stacklevel=3))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} endpoints of {self._client!r}>"


class PagedCall(Generic[R]):
    """An endpoint with ``tr_cont`` paging: call it for the first page, ``.pages(...)`` to iterate,
    ``.all(...)`` for every row in one response."""

    __slots__ = ("_client", "endpoint")

    def __init__(self, client: KisClient, endpoint: Endpoint[R]) -> None:
        self._client = client
        self.endpoint = endpoint

    def __repr__(self) -> str:
        return f"<paged call {self.endpoint.name} ({self.endpoint.title}): await it, .pages() or .all()>"

    async def _first(self, args: dict[str, Any]) -> R:
        return await self._client.request(self.endpoint, self.endpoint.current_args(args, stacklevel=3))

    def _pages(self, args: dict[str, Any], max_pages: int | None, stacklevel: int = 3) -> AsyncIterator[R]:
        current = self.endpoint.current_args(args, stacklevel=stacklevel)
        return iterate_pages(self._client, self.endpoint, current, max_pages)

    async def _all(self, args: dict[str, Any], max_pages: int | None) -> R:
        return await collect_pages(self._pages(args, max_pages, stacklevel=4), self.endpoint)
