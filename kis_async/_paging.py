"""``tr_cont`` continuation paging.

The first request carries header ``tr_cont: ""``; while the response header says ``F``/``M``
(more data), the next request carries ``tr_cont: N`` and sends back the continuation keys the
body returned (``ctx_area_fk100``/``ctx_area_nk100`` → ``CTX_AREA_FK100``/``CTX_AREA_NK100``),
exactly as received: KIS pads them with spaces and expects them back unchanged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from kis_async._endpoint import Endpoint, R
from kis_async._errors import KisDecodeError
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
        raise ValueError(f"max_pages must be at least 1, got {max_pages}")
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
