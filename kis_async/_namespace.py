"""Bases of the generated category classes (``kis.domestic_stock`` …) and paged endpoints."""

from __future__ import annotations

import importlib
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic

from kis_async._endpoint import Endpoint, R
from kis_async._paging import collect_pages, iterate_pages

if TYPE_CHECKING:
    from kis_async._client import KisClient


_endpoints: dict[tuple[str, str], Endpoint[Any]] = {}


def load_endpoint(module: str, name: str) -> Endpoint[Any]:
    """The generated descriptor ``module.name``, its module imported on first use."""
    endpoint = _endpoints.get((module, name))
    if endpoint is None:
        endpoint = _endpoints[(module, name)] = getattr(importlib.import_module(module), name)
    return endpoint


def lazy_names(module_name: str, sources: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__``: a re-exported generated name is imported from ``sources[name]``
    on first access (and kept on the module)."""
    module = sys.modules[module_name]

    def __getattr__(name: str) -> Any:
        source = sources.get(name)
        if source is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source), name)
        setattr(module, name, value)
        return value

    return __getattr__


class Namespace:
    """One KIS category; its generated subclass has one async method per endpoint."""

    __slots__ = ("_client",)

    def __init__(self, client: KisClient) -> None:
        self._client = client

    async def _call(self, endpoint: Endpoint[R], **args: Any) -> R:
        return await self._client.request(endpoint, args)


class PagedCall(Generic[R]):
    """An endpoint with ``tr_cont`` paging: call it for the first page, ``.pages(...)`` to iterate,
    ``.all(...)`` for every row in one response."""

    __slots__ = ("_client", "endpoint")

    def __init__(self, client: KisClient, endpoint: Endpoint[R]) -> None:
        self._client = client
        self.endpoint = endpoint

    async def _first(self, args: dict[str, Any]) -> R:
        return await self._client.request(self.endpoint, args)

    def _pages(self, args: dict[str, Any], max_pages: int | None) -> AsyncIterator[R]:
        return iterate_pages(self._client, self.endpoint, args, max_pages)

    async def _all(self, args: dict[str, Any], max_pages: int | None) -> R:
        return await collect_pages(self._pages(args, max_pages), self.endpoint)
