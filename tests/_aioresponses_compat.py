"""Compatibility shim: aioresponses 0.7.9 on aiohttp >= 3.14.

aiohttp 3.14 made ``ClientResponse.__init__`` require a keyword ``stream_writer`` (it reads
``stream_writer.output_size`` when ``writer`` is None, which is how aioresponses builds its fake
responses), so every mocked request fails with ``ClientResponse.__init__() missing 1 required
keyword-only argument: 'stream_writer'`` (aioresponses issue 289; fixed upstream, unreleased).
We give aioresponses a ``ClientResponse`` subclass that supplies a stand-in writer.

Remove this file (and its import in conftest.py) once an aioresponses release includes the fix.
"""

from __future__ import annotations

import inspect
from typing import Any

import aiohttp
import aioresponses.core


class _NoStreamWriter:
    """What ClientResponse reads from a writer when the request was 'already sent'."""

    output_size = 0


class _CompatClientResponse(aiohttp.ClientResponse):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", _NoStreamWriter())
        super().__init__(*args, **kwargs)


def install() -> None:
    needs_writer = "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters
    if needs_writer and aioresponses.core.ClientResponse is aiohttp.ClientResponse:
        aioresponses.core.ClientResponse = _CompatClientResponse  # type: ignore[misc]
