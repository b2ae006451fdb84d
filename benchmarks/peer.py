"""Peer: the same credit-balance request made with python-kis (PyPI ``python-kis``, sync
``requests``), pointed at the same server, versus ``KisClient``; sequential calls.

python-kis has no option for its REST domain: it joins every path onto the module constant
``pykis.kis.REAL_DOMAIN``, which this benchmark replaces. It has no credit-balance method either,
so the call goes through its generic ``PyKis.fetch(path, api=TR_ID, params=..., headers=...)``
(with the ``custtype`` header KIS requires, which python-kis sets only in its own API functions),
which returns an untyped ``KisDynamicDict``. Its client-side limiter (19/s) is replaced by an unlimited one, as
the kis-async side runs with ``rate_limit=None``: both sides measure the call, not the waiting.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from benchmarks._report import Row, skipped
from benchmarks._server import CREDIT_BALANCE_PATH, Server
from benchmarks.overhead import ARGS, client_for
from kis_async.domestic_stock.ranking.credit_balance import CREDIT_BALANCE

LABEL = "peer: python-kis, sequential credit-balance calls"


def _python_kis(server: Server) -> Any:
    import pykis.kis
    from pykis.utils.rate_limit import RateLimiter

    pykis.kis.REAL_DOMAIN = server.url  # no public option: see the module docstring
    kis = pykis.PyKis(
        id="bench",
        account="00000000-01",
        appkey=server.app_key,
        secretkey=server.app_secret,
        keep_token=False,
        use_websocket=False,
    )
    kis._rate_limiters["real"] = RateLimiter(10**9, 1)
    return kis


async def _ours(server: Server, n: int) -> float:
    async with client_for(server) as kis:
        await kis.domestic_stock.credit_balance(**ARGS)
        started = time.perf_counter()
        for _ in range(n):
            await kis.domestic_stock.credit_balance(**ARGS)
        return (time.perf_counter() - started) / n


def measure(server: Server, n: int) -> list[Row]:
    try:
        import pykis  # noqa: F401
    except ImportError:
        return [skipped(LABEL, "-", "python-kis not installed (pip install -e '.[bench]')")]
    try:
        kis = _python_kis(server)
        tr_id = CREDIT_BALANCE.select_tr("real", ARGS)
        fields = CREDIT_BALANCE.build_request(ARGS)

        def call() -> Any:
            return kis.fetch(
                CREDIT_BALANCE_PATH,
                api=tr_id,
                params=fields,
                headers={"custtype": "P"},  # KIS requires it; python-kis adds it only in its own APIs
                domain="real",
                verbose=False,
            )

        first = call()  # token issue and connection
        rows_sent = len(first.output2)
        started = time.perf_counter()
        for _ in range(n):
            call()
        theirs = (time.perf_counter() - started) / n
    except Exception as exc:  # python-kis refusing the setup is the finding, not a crash
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return [skipped(LABEL, "-", f"python-kis cannot be pointed at the server: {reason}")]
    ours = asyncio.run(_ours(server, n))
    return [
        Row(
            LABEL,
            f"{ours * 1e6:.0f} µs/call",
            f"{theirs * 1e6:.0f} µs/call (python-kis {_version()})",
            ours / theirs,
            "-",
            None,
            f"{n} calls, {rows_sent} rows; python-kis returns untyped dicts; its domain constant patched",
        )
    ]


def _version() -> str:
    from importlib import metadata

    return metadata.version("python-kis")
