"""The one way the SDK opens an HTTP session: redirects are never followed.

aiohttp strips only ``Authorization`` when it follows a redirect to another origin; KIS's
``appkey``/``appsecret`` are custom headers, a 307 re-POSTs the body (the app secret of a token
request, an order), and the answer of wherever the redirect led would be taken for KIS's. KIS
never redirects its API, so every 3xx, from any host, is refused before anything is sent again:
a session-wide middleware sees each response first (``ws_connect`` included, which has no
``allow_redirects`` of its own). A caller's own session (``KisClient(session=...)``) is sent
through with ``allow_redirects=False``, and :func:`read_body` refuses the 3xx.
"""

from __future__ import annotations

from typing import Any

import aiohttp


class RedirectRefusedError(aiohttp.ClientError):
    """A server answered with a 3xx; it was not followed. The pipelines turn it into a
    :class:`~kis_async.KisTransportError` (an order: ``KisOrderStateUnknownError``)."""

    def __init__(self, status: int, location: str) -> None:
        self.status = status
        self.location = location
        shown = location if len(location) <= 200 else location[:200] + "…"
        super().__init__(
            f"HTTP {status} redirect to {shown!r} refused: kis-async never follows redirects "
            "(app key, secret and orders go to the configured KIS host only)"
        )


async def refuse_redirects(
    request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
) -> aiohttp.ClientResponse:
    response = await handler(request)
    if 300 <= response.status < 400:
        status, location = response.status, response.headers.get("Location", "")
        response.release()
        raise RedirectRefusedError(status, location)
    return response


def new_session(**options: Any) -> aiohttp.ClientSession:
    """``aiohttp.ClientSession(**options)`` that refuses every redirect."""
    return aiohttp.ClientSession(middlewares=(refuse_redirects,), **options)


#: Default of ``KisClient(max_body_size=...)``: KIS's largest answers (100-row pages of
#: 80-field rows) are well under 1 MiB, so 16 MiB only stops a body meant to exhaust memory.
MAX_BODY_SIZE = 16 * 1024 * 1024


class BodyTooLargeError(aiohttp.ClientError):
    """An answer longer than the client's ``max_body_size``: reading stopped there."""

    def __init__(self, size: int, limit: int, declared: bool) -> None:
        self.size = size
        self.limit = limit
        what = f"declares {size} bytes" if declared else f"exceeded {limit} bytes"
        super().__init__(f"the answer {what}, over max_body_size={limit}: not read")


async def read_body(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The body, refused (:class:`BodyTooLargeError`) as soon as it is longer than ``limit``
    (by its Content-Length, or while reading a chunked one), so memory stays bounded.

    A 3xx is refused here too (:class:`RedirectRefusedError`): a caller's own session
    (``KisClient(session=...)``) has no :func:`refuse_redirects` middleware, so the client sends
    through it with ``allow_redirects=False`` and this is where the redirect stops."""
    if 300 <= response.status < 400:
        status, location = response.status, response.headers.get("Location", "")
        response.release()
        raise RedirectRefusedError(status, location)
    declared = response.content_length
    if declared is not None and declared > limit:
        response.release()
        raise BodyTooLargeError(declared, limit, declared=True)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > limit:
            response.close()
            raise BodyTooLargeError(size, limit, declared=False)
        chunks.append(chunk)
    return b"".join(chunks)
