"""Callbacks on real-time feeds, for bots that think in handlers: ``rt.on(feed, key, callback)``.

Each handler is a task reading its subscription's stream (the same bounded queue as
``rt.stream``) and calling the callback, sync or async, once per tick in arrival order. Nothing
is swallowed: a callback that raises ends its handler, and ``await rt.run()`` (or awaiting the
handler) raises that exception, as does a feed that is lost or a session that fails.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Generic, TypeVar

TickT = TypeVar("TickT")

TickCallback = Callable[[TickT], Awaitable[object] | object]


class FeedHandler(Generic[TickT]):
    """One ``rt.on(...)`` registration: ``cancel()`` stops it; awaiting it waits for its end and
    raises what ended it (the callback's exception, a lost feed, a failed session)."""

    def __init__(
        self, name: str, key: str, ticks: AsyncIterator[TickT], callback: TickCallback[TickT]
    ) -> None:
        self.name = name
        self.key = key
        self.calls = 0
        """Ticks handed to the callback so far."""
        self._task = asyncio.create_task(self._run(ticks, callback), name=f"kis-realtime-on-{name}-{key}")

    async def _run(self, ticks: AsyncIterator[TickT], callback: TickCallback[TickT]) -> None:
        async for tick in ticks:
            result = callback(tick)
            if inspect.isawaitable(result):
                await result
            self.calls += 1

    @property
    def done(self) -> bool:
        return self._task.done()

    def cancel(self) -> None:
        """Stop calling the callback (the subscription stays; ``rt.unsubscribe`` releases it)."""
        self._task.cancel()

    def __await__(self) -> Any:
        return self._wait().__await__()

    async def _wait(self) -> None:
        try:
            await asyncio.shield(self._task)  # a waiter cancelled leaves the handler running
        except asyncio.CancelledError:
            if not self._task.cancelled():
                raise

    def __repr__(self) -> str:
        state = "done" if self.done else "running"
        return f"FeedHandler({self.name}, key={self.key!r}, calls={self.calls}, {state})"


async def run_handlers(handlers: list[FeedHandler[Any]]) -> None:
    """Wait until every handler ends; the first that fails cancels the others and is raised."""
    pending = {asyncio.ensure_future(handler._wait()): handler for handler in handlers}
    try:
        while pending:
            done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for future in done:
                pending.pop(future)
                future.result()  # raises the handler's error
    finally:
        for future, handler in pending.items():
            handler.cancel()
            future.cancel()
