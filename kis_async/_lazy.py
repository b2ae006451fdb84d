"""The one lazy-loading mechanism: every generated public name resolves through ``_registry``.

The package, each category (``kis_async.domestic_stock``), each group
(``kis_async.domestic_stock.ranking``) and ``kis_async.realtime`` install the ``__getattr__`` and
``__dir__`` this module builds for them. A name is imported from its own module the first time it
is read, so ``import kis_async`` costs the same however many endpoints are generated and the first
call of an endpoint imports that endpoint's module and nothing else. Type checkers read the real
imports each module emits under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any

PACKAGE = "kis_async"


def _shared(home: str) -> bool:
    """Whether ``home`` holds classes several categories use (``rows._order_receipt``,
    ``enums._sign``): every category and group re-exports them."""
    return home.startswith(("rows.", "enums."))


def _home(scope: str, name: str) -> str | None:
    """The module (relative to the package) that defines ``name`` as ``scope`` offers it, or None.

    ``scope`` is a module relative to the package: ``""`` (the package offers every name),
    ``domestic_stock`` (its own classes, its tick classes and the shared rows and enums),
    ``domestic_stock.ranking`` (its classes, endpoint descriptors and the shared rows and enums)
    or ``realtime``."""
    from kis_async._registry import ENDPOINTS, NAMES

    home = NAMES.get(name)
    if home is not None:
        if not scope or home.startswith(scope + ".") or home == scope:
            return home
        if _shared(home) or home.startswith(f"realtime.{scope}."):
            return home
        return None
    if scope.startswith("realtime."):  # a feed (``trade_krx``) of a real-time category
        from kis_async.realtime._registry import FEED_MODULES

        return FEED_MODULES.get(f"{scope.removeprefix('realtime.')}.{name}")
    if scope.count(".") == 1:  # a group offers its endpoints' descriptors (``CREDIT_BALANCE``)
        for module, constant, _ in ENDPOINTS:
            if constant == name and module.startswith(scope + "."):
                return module
    return None


def resolve(scope: str, name: str) -> Any:
    """The object ``name`` read from the module ``scope``; AttributeError if it offers none.

    A deprecated class name (``spec/_renames.yaml``) gives the new class with a DeprecationWarning,
    on every read."""
    home = _home(scope, name)
    if home is not None:
        return getattr(importlib.import_module(f"{PACKAGE}.{home}"), name)
    from kis_async._registry import RENAMED_CLASSES

    new = RENAMED_CLASSES.get(name)
    if new is not None and (home := _home(scope, new)) is not None:
        from kis_async._endpoint import deprecation

        where = f"{PACKAGE}.{scope}" if scope else PACKAGE
        warnings.warn(deprecation(f"{where}.{name}", new), DeprecationWarning, stacklevel=3)
        return getattr(importlib.import_module(f"{PACKAGE}.{home}"), new)
    raise AttributeError(f"module {f'{PACKAGE}.{scope}' if scope else PACKAGE!r} has no attribute {name!r}")


def names(scope: str) -> list[str]:
    """Every name ``scope`` offers through :func:`resolve` (deprecated aliases left out)."""
    from kis_async._registry import ENDPOINTS, NAMES

    found = {name for name in NAMES if _home(scope, name) is not None}
    if scope.startswith("realtime."):
        from kis_async.realtime._registry import FEED_MODULES

        category = scope.removeprefix("realtime.")
        found.update(f.partition(".")[2] for f in FEED_MODULES if f.startswith(category + "."))
    elif scope.count(".") == 1:
        found.update(const for module, const, _ in ENDPOINTS if module.startswith(scope + "."))
    return sorted(found)


def module_hooks(
    module: str,
    namespace: dict[str, Any],
    extra: Mapping[str, str] | None = None,
    submodules: tuple[str, ...] = (),
    *,
    generated: bool = True,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for the module named ``module``, whose globals are ``namespace``.

    ``extra`` maps hand-written lazy names (``Sandbox``) to the module that defines them;
    ``submodules`` are imported when read (``kis_async.realtime.domestic_stock``);
    ``generated=False`` for a hand-written package that offers ``extra`` only (``kis_async.sandbox``).
    A resolved name is kept in the module's globals, so the next read is an ordinary lookup."""
    scope = module.removeprefix(PACKAGE).removeprefix(".")
    hand = dict(extra or {})

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        if name in submodules:
            return importlib.import_module(f"{module}.{name}")
        if name in hand:
            value = getattr(importlib.import_module(hand[name]), name)
        elif not generated:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        else:
            value = resolve(scope, name)
            from kis_async._registry import RENAMED_CLASSES

            if name in RENAMED_CLASSES and name != getattr(value, "__name__", name):
                return value  # a deprecated alias warns on every read: not kept
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *hand, *submodules, *(names(scope) if generated else ())})

    return __getattr__, __dir__
