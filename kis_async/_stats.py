"""Counters of what a client did, for dashboards, benchmarks and the fault-injection summary."""

from __future__ import annotations

import attrs


@attrs.define
class ClientStats:
    calls: int = 0
    """Endpoint calls started (after validation)."""
    requests: int = 0
    """HTTP requests sent to endpoints (first attempts and retries; token issues excluded)."""
    retries: int = 0
    """Requests sent again after a transient failure."""
    token_renewals: int = 0
    """Calls that met an expired or invalid token and asked for a fresh one."""
    token_requests: int = 0
    """Requests to ``/oauth2/tokenP``."""
    errors: int = 0
    """Calls that ended in a :class:`~kis_async.KisError`."""
    unknown_outcomes: int = 0
    """Orders whose outcome is unknown (:class:`~kis_async.KisOrderStateUnknownError`)."""
    redis_fallbacks: int = 0
    """Times Redis (``redis_url``) became unreachable and the client fell back to its local limits."""
    redis_recoveries: int = 0
    """Times Redis came back and the client returned to the fleet's shared limits."""
    tokens_restored: int = 0
    """Times Redis came back without the fleet's token and this client put its own back."""
