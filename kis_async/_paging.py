"""``tr_cont`` continuation paging.

The first request carries header ``tr_cont: ""``; while the response header says ``F``/``M``
(more data), the next request carries ``tr_cont: N`` and sends back the continuation keys the
body returned (``ctx_area_fk100``/``ctx_area_nk100`` → ``CTX_AREA_FK100``/``CTX_AREA_NK100``),
exactly as received: KIS pads them with spaces and expects them back unchanged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine, Generator, Mapping
from typing import TYPE_CHECKING, Any, Generic

import attrs

from kis_async._endpoint import Endpoint, R
from kis_async._errors import KisDecodeError, KisValidationError
from kis_async._models import Rows

if TYPE_CHECKING:
    from kis_async._client import KisClient


def _continuation(endpoint: Endpoint[Any], body: Mapping[str, Any]) -> dict[str, str]:
    assert endpoint.paging is not None
    lowered = {key.lower(): value for key, value in body.items()}
    return {wire: str(lowered.get(body_key.lower()) or "") for wire, body_key in endpoint.paging.items()}


async def iterate_pages(
    client: KisClient, endpoint: Endpoint[R], args: Mapping[str, Any], max_pages: int | None = None
) -> AsyncIterator[R]:
    """Yield pages until KIS says the last one was sent, or ``max_pages`` were yielded."""
    if max_pages is not None and max_pages < 1:
        raise KisValidationError(
            f"{endpoint.name}: max_pages must be at least 1, got {max_pages}",
            endpoint=endpoint.name,
            field="max_pages",
            value=max_pages,
        )
    page = await client.request(endpoint, args)
    count = 1
    yield page
    seen: set[tuple[str, ...]] = set()
    while page.has_next and endpoint.paging and (max_pages is None or count < max_pages):
        keys = _continuation(endpoint, page.raw)
        marker = tuple(keys.values())
        if marker in seen:
            raise KisDecodeError(
                f"{endpoint.name}: KIS announced another page but repeated continuation keys {keys}; "
                "stopping instead of looping",
                body=page.raw,
                endpoint=endpoint.name,
            )
        seen.add(marker)
        page = await client.request(endpoint, args, tr_cont="N", continuation=keys)
        count += 1
        yield page


async def collect_pages(pages: AsyncIterator[R], endpoint: Endpoint[R]) -> R:
    """One response holding every page's rows (list outputs concatenated; single objects and the
    envelope from the last page)."""
    rows: dict[str, Rows[Any]] = {o.key: Rows(row_class=o.row) for o in endpoint.outputs if o.shape == "list"}
    last: R | None = None
    async for page in pages:
        last = page
        for key, collected in rows.items():
            collected.extend(getattr(page, key))
    assert last is not None
    return attrs.evolve(last, **rows)  # type: ignore[arg-type]


class Paged(Generic[R]):
    """A paged endpoint's call as a value: ``await`` it for the first page, ``async for page in``
    it for every page in order, ``await ….all()`` for one response with every page's rows.

    Nothing is sent until it is awaited or iterated; each await or iteration asks KIS again (a
    paged endpoint is an inquiry, never an order)."""

    __slots__ = ("_args", "_client", "endpoint")

    def __init__(self, client: KisClient, endpoint: Endpoint[R], args: Mapping[str, Any]) -> None:
        self._client = client
        self.endpoint = endpoint
        self._args = args

    def __repr__(self) -> str:
        return (
            f"<paged call {self.endpoint.name} ({self.endpoint.title}): await it (or .first(), a "
            "coroutine for asyncio.create_task) for the first page, async for page in it, or await .all()>"
        )

    def __await__(self) -> Generator[Any, None, R]:
        return self._client.request(self.endpoint, self._args).__await__()

    def first(self) -> Coroutine[Any, Any, R]:
        """The first page as a coroutine, for what takes coroutines only (``asyncio.create_task``,
        ``TaskGroup.create_task``); ``await call`` is the same request."""
        return self._client.request(self.endpoint, self._args)

    def __aiter__(self) -> AsyncIterator[R]:
        return iterate_pages(self._client, self.endpoint, self._args)

    def pages(self, max_pages: int | None = None) -> AsyncIterator[R]:
        """Every page in order (``async for page in call.pages(max_pages=3)``), at most ``max_pages``."""
        return iterate_pages(self._client, self.endpoint, self._args, max_pages)

    async def all(self, max_pages: int | None = None) -> R:
        """One response with the rows of every page (single-object outputs from the last page),
        reading at most ``max_pages`` pages."""
        return await collect_pages(self.pages(max_pages), self.endpoint)
