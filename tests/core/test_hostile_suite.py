"""The hostile-input suite in one run, with its figure line (printed with the fault-injection
summary): specs carrying code, redirects fishing for secrets, bodies built to crash or exhaust,
servers that never answer. Every figure must be 0.

    hostile input: spec_payloads_executed=0 secrets_after_redirect=0 untyped_errors=0 hangs=0
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from kis_async import KisClient, KisError, Timeout
from kis_async._realtime import APPROVAL_PATH, RealtimeConfig
from tests.codegen.test_hostile_specs import accepted_places, generate_with_payloads
from tests.conftest import FAULT_SUMMARY
from tests.fakes import APP_KEY, APP_SECRET, CREDIT_BALANCE_PATH, ORDER, ORDER_ARGS, ORDER_PATH, FakeKis

ARGS = {"market": "0000", "period": 5, "sort": "0"}
#: Longer than any of these calls needs when the SDK bounds it; reaching it counts as a hang.
HANG = 20.0


def respond(raw: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(body=raw, status=status, headers=headers, content_type="application/json")

    return handler


async def never(request: web.Request) -> web.StreamResponse:
    await asyncio.sleep(3600)
    raise AssertionError("unreachable")


async def trickle(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    response.enable_chunked_encoding()
    await response.prepare(request)
    for _ in range(3600):
        await response.write(b" ")
        await asyncio.sleep(1)
    return response


async def approval_ok(request: web.Request) -> web.StreamResponse:
    return web.json_response({"approval_key": "approval-key-0001"})


def client(kis_url: str, tmp_path: Path, **options: Any) -> KisClient:
    options.setdefault("account", "12345678-01")
    return KisClient(
        APP_KEY,
        APP_SECRET,
        base_url=kis_url,
        ws_url=kis_url + "/ws",
        token_cache=tmp_path / "tokens.json",
        rate_limit=None,
        min_token_interval=0.0,
        **options,
    )


async def quote(kis: KisClient) -> Any:
    return await kis.domestic_stock.credit_balance(**ARGS)


async def order(kis: KisClient) -> Any:
    return await kis.request(ORDER, dict(ORDER_ARGS))


async def realtime(kis: KisClient) -> Any:
    config = RealtimeConfig(handshake_timeout=0.5, backoff_initial=0.01, backoff_max=0.02)
    async with kis.realtime(config=config):
        return None


Call = Callable[[KisClient], Awaitable[Any]]


async def run(fake_kis: FakeKis, tmp_path: Path, call: Call, **options: Any) -> str:
    """``"kis"`` (a KisError), ``"ok"``, ``"untyped"`` (anything else) or ``"hang"``."""
    try:
        async with client(fake_kis.url, tmp_path, **options) as kis:
            await asyncio.wait_for(call(kis), HANG)
    except TimeoutError:
        return "hang"
    except KisError:
        return "kis"
    except Exception:
        return "untyped"
    return "ok"


HOSTILE_ROUTES: list[tuple[str, Any, Call, dict[str, Any]]] = [
    (CREDIT_BALANCE_PATH, respond(b"[" * 100_000 + b"]" * 100_000), quote, {}),
    (CREDIT_BALANCE_PATH, respond(b'{"a":' * 5000 + b"1" + b"}" * 5000), quote, {}),
    (
        CREDIT_BALANCE_PATH,
        respond(b'{"rt_cd": "0", "output2": [{"stck_prpr": "' + b"9" * 5000 + b'"}]}'),
        quote,
        {},
    ),
    (CREDIT_BALANCE_PATH, respond(b'{"rt_cd": "0", "output2": [{"prdy_ctrt": "1e999999999"}]}'), quote, {}),
    (CREDIT_BALANCE_PATH, respond(b'{"rt_cd": "0", "output2": [{"prdy_ctrt": 1e999}]}'), quote, {}),
    (CREDIT_BALANCE_PATH, respond(b'{"rt_cd": "0", "output2": "\\ud800"}'), quote, {}),
    (CREDIT_BALANCE_PATH, respond(b"\xff\xfe not json"), quote, {}),
    (CREDIT_BALANCE_PATH, respond(b" " * 200_000), quote, {"max_body_size": 4096}),
    (CREDIT_BALANCE_PATH, trickle, quote, {"timeout": Timeout(connect=1, total=1), "max_retries": 0}),
    (ORDER_PATH, respond(b"[" * 100_000), order, {}),
    (ORDER_PATH, respond(b" " * 200_000), order, {"max_body_size": 4096}),
    ("/oauth2/tokenP", respond(b'{"access_token": "a\\r\\nb", "expires_in": 86400}'), quote, {}),
    ("/oauth2/tokenP", respond(b'{"access_token": ' + b"[" * 100_000 + b"}"), quote, {}),
    ("/uapi/hashkey", respond(b'{"HASH": "a\\r\\nb"}'), order, {"hashkey": True}),
    (APPROVAL_PATH, never, realtime, {}),
    (APPROVAL_PATH, trickle, realtime, {}),
    (APPROVAL_PATH, respond(b"[" * 100_000), realtime, {}),
    ("/ws", never, realtime, {}),
]


async def test_the_hostile_input_suite_ends_with_zero_figures(tmp_path: Path) -> None:
    # 1. specs: every free-text payload at once, generated and imported
    result, _ = generate_with_payloads(accepted_places(), tmp_path / "specs")
    markers = json.loads(result.stdout)["markers"] if result.returncode == 0 else ["import failed"]
    executed = len(markers) + len(list((tmp_path / "specs").rglob("PWNED*")))

    # 2. redirects: KIS answers 307 to another host on every kind of request
    leaked = 0
    outcomes: list[str] = []
    for path, call, options in (
        ("/oauth2/tokenP", quote, {}),
        (CREDIT_BALANCE_PATH, quote, {}),
        (ORDER_PATH, order, {}),
        ("/uapi/hashkey", order, {"hashkey": True}),
        (APPROVAL_PATH, realtime, {}),
        ("/ws", realtime, {}),
    ):
        kis_side, elsewhere = FakeKis(), FakeKis()
        await kis_side.start()
        await elsewhere.start()
        try:
            kis_side.routes[APPROVAL_PATH] = approval_ok
            kis_side.routes[path] = respond(b"", 307, {"Location": elsewhere.url + path})
            outcomes.append(await run(kis_side, tmp_path, call, **options))
            leaked += sum(
                1
                for seen in elsewhere.seen
                for secret in (APP_KEY, APP_SECRET)
                if secret in repr(seen.headers) or secret.encode() in seen.body
            ) + len(elsewhere.seen)
        finally:
            await kis_side.stop()
            await elsewhere.stop()

    # 3. bodies and servers built to crash, exhaust or hang
    for path, handler, call, options in HOSTILE_ROUTES:
        server = FakeKis()
        await server.start()
        try:
            server.routes[APPROVAL_PATH] = approval_ok
            server.routes[path] = handler
            outcomes.append(await run(server, tmp_path, call, **options))
        finally:
            await server.stop()
    untyped, hangs = outcomes.count("untyped"), outcomes.count("hang")

    FAULT_SUMMARY.append(
        f"hostile input: spec_payloads_executed={executed} secrets_after_redirect={leaked} "
        f"untyped_errors={untyped} hangs={hangs}"
    )
    assert (executed, leaked, untyped, hangs) == (0, 0, 0, 0), outcomes
    assert outcomes.count("kis") == len(outcomes)  # every hostile answer is refused, none accepted
