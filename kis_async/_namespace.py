"""Base of the generated category classes (``kis.domestic_stock`` …).

Each endpoint's method is defined in its own generated module
(``kis_async/domestic_stock/quotations/inquire_price.py``), on a class named like its category
that type checkers see as a base of the category class (so mypy's messages name the method);
the module's ``inquire_price`` is that function. At run time a category class holds one
:class:`EndpointMethod` per endpoint, installed from ``_registry.ENDPOINTS`` when the class is
created; the endpoint's module is imported the first time the method is read, so the first call
of an endpoint costs its own module and nothing else.
"""

from __future__ import annotations

import functools
import importlib
import sys
import warnings
from collections.abc import AsyncIterator, Callable, Mapping
from types import MethodType
from typing import TYPE_CHECKING, Any

from kis_async._endpoint import Endpoint, R
from kis_async._paging import Paged

if TYPE_CHECKING:
    from kis_async._client import KisClient


class Namespace:
    """One KIS category; its generated subclass (``class DomesticStock(Namespace,
    category="domestic_stock")``) gets one method per endpoint of the category."""

    __slots__ = ("__dict__", "_client")

    def __init__(self, client: KisClient) -> None:
        self._client = client

    def __init_subclass__(cls, category: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not category:
            return
        from kis_async._registry import ENDPOINTS, PAGED

        for module, _, dotted in ENDPOINTS:
            namespace, _, name = dotted.partition(".")
            if namespace == category:
                setattr(cls, name, EndpointMethod(f"kis_async.{module}", name, dotted in PAGED))

    async def _call(self, endpoint: Endpoint[R], **args: Any) -> R:
        return await self._client.request(endpoint, endpoint.current_args(args, stacklevel=3))

    def _paged(self, endpoint: Endpoint[R], args: Mapping[str, Any]) -> Paged[R]:
        return Paged(self._client, endpoint, endpoint.current_args(args, stacklevel=3))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} endpoints of {self._client!r}>"


class EndpointMethod:
    """A category's method, loaded from the endpoint's module on first read.

    Read from the class (``DomesticStock.inquire_price``) it is the generated function itself, so
    ``help``, ``inspect.signature`` and ``typing.get_type_hints`` see its real signature; read
    from a category object it is bound to it (and kept in the object's ``__dict__``)."""

    __slots__ = ("_function", "module", "name", "paged")

    def __init__(self, module: str, name: str, paged: bool) -> None:
        self.module = module
        self.name = name
        self.paged = paged
        self._function: Callable[..., Any] | None = None

    def function(self) -> Callable[..., Any]:
        function = self._function
        if function is None:
            function = self._function = getattr(importlib.import_module(self.module), self.name)
        return function

    def __get__(self, instance: Namespace | None, owner: type | None = None) -> Any:
        function = self.function()
        if instance is None:
            return function
        bound: Any = PagedMethod(function, instance) if self.paged else MethodType(function, instance)
        instance.__dict__[self.name] = bound
        return bound

    def __repr__(self) -> str:
        return f"<endpoint method {self.module}.{self.name}>"


class PagedMethod(functools.partial[Any]):
    """A paged endpoint's method bound to its category: calling it returns a :class:`Paged`.

    ``.pages(**args, max_pages=…)`` and ``.all(**args, max_pages=…)`` are the deprecated spellings
    of ``method(**args).pages(max_pages)`` and ``method(**args).all(max_pages)``."""

    def __repr__(self) -> str:
        module = sys.modules[self.func.__module__]
        endpoint: Endpoint[Any] = getattr(module, self.func.__name__.upper())
        return (
            f"<paged call {endpoint.name} ({endpoint.title}): call it for a Paged, then await it for the "
            "first page, async for page in it, or await .all()>"
        )

    def pages(self, *, max_pages: int | None = None, **args: Any) -> AsyncIterator[Any]:
        warnings.warn(_paged_deprecation(self, "pages"), DeprecationWarning, stacklevel=2)
        paged: Paged[Any] = self(**args)
        return paged.pages(max_pages)

    async def all(self, *, max_pages: int | None = None, **args: Any) -> Any:
        warnings.warn(_paged_deprecation(self, "all"), DeprecationWarning, stacklevel=2)
        paged: Paged[Any] = self(**args)
        return await paged.all(max_pages)


def _paged_deprecation(method: PagedMethod, what: str) -> str:
    from kis_async._endpoint import deprecation

    name = getattr(method.func, "__name__", "call")
    return deprecation(f"{name}.{what}(...)", f"{name}(...).{what}(max_pages)")
