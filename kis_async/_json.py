"""JSON decoding of KIS bodies: ``orjson`` when installed (``pip install kis-async[fast]``, about
twice as fast on a ranking body), else the standard library; the values are the same either way.

What orjson refuses but the standard library reads (``NaN`` literals, lone surrogates) is read by
the standard library. One difference remains: orjson reads an integer *literal* beyond 64 bits as
a float where the standard library keeps it exact; KIS sends its numbers as strings, and no
documented body has such a literal.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson  # type: ignore[import-not-found,import-untyped,unused-ignore]
except ImportError:  # pragma: no cover - depends on the installed extras
    orjson = None  # type: ignore[assignment,unused-ignore]

#: Whether orjson is doing the decoding.
FAST = orjson is not None


def loads(raw: bytes) -> Any:
    """Parse ``raw``; raises :class:`ValueError` when it is not JSON or cannot be held: nesting
    beyond the parser's own limit (orjson: 1024 levels; the standard library: the recursion
    limit) and a body too large for memory raise ``RecursionError``/``MemoryError`` inside the
    parsers, turned into ``ValueError`` here (the client reports it as ``KisDecodeError``)."""
    try:
        return _parse(raw)
    except RecursionError:
        raise ValueError("JSON nested too deep to parse") from None
    except MemoryError:
        raise ValueError(f"JSON of {len(raw)} bytes too large to hold") from None


def _parse(raw: bytes) -> Any:
    if orjson is not None:
        try:
            return orjson.loads(raw)
        except ValueError:
            pass
    return json.loads(raw)
