"""A local KIS server that speaks the KIS protocol, driven by the same endpoint descriptors.

    from kis_async.sandbox import Sandbox

    async with Sandbox() as sb, sb.client() as kis:
        ranking = await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")

Or from a shell: ``python -m kis_async.sandbox --port 8080`` prints its URL and serves until
stopped; point a client at it with ``KisClient(..., base_url=url)`` or ``KIS_BASE_URL``.

It issues and expires tokens, checks TR IDs, headers and fields, limits requests per app key,
pages with ``tr_cont``, and injects faults (:class:`Faults`) on demand. Data is made up but
plausible and deterministic for a seed. Nothing is imported until a name is used, so
``import kis_async`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kis_async.sandbox._faults import Fault, Faults
    from kis_async.sandbox._realtime import RealtimeSandbox
    from kis_async.sandbox._server import Sandbox
    from kis_async.sandbox._state import ReceivedOrder, SandboxStats

__all__ = ["Fault", "Faults", "RealtimeSandbox", "ReceivedOrder", "Sandbox", "SandboxStats"]

_WHERE = {
    "Sandbox": "kis_async.sandbox._server",
    "RealtimeSandbox": "kis_async.sandbox._realtime",
    "Fault": "kis_async.sandbox._faults",
    "Faults": "kis_async.sandbox._faults",
    "SandboxStats": "kis_async.sandbox._state",
    "ReceivedOrder": "kis_async.sandbox._state",
}

if not TYPE_CHECKING:
    from kis_async._lazy import module_hooks

    __getattr__, __dir__ = module_hooks(__name__, globals(), extra=_WHERE, generated=False)
    del module_hooks
