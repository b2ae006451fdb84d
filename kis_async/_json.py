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
    """Parse ``raw``; raises :class:`ValueError` when it is not JSON."""
    if orjson is not None:
        try:
            return orjson.loads(raw)
        except ValueError:
            pass
    return json.loads(raw)
