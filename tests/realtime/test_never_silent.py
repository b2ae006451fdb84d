"""Never silent, real-time: a feed is never dropped with only a log line.

A bot streams from the sandbox while KIS forgets its approval key (a restart), refuses a feed for
good, or refuses the key a new process found in its token cache: the SDK asks for a fresh key once
and registers again, and whatever still cannot be registered ends its stream with a typed error
that names the feed and KIS's code, and is listed in the ``Reconnected`` event.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("cryptography")

from kis_async import KisClient, TokenCache
from kis_async._auth import Secret, Token
from kis_async._realtime import (
    KisApprovalKeyError,
    KisFeedLostError,
    RealtimeConfig,
    Reconnected,
)
from kis_async._realtime_wire import refuses_approval
from kis_async.realtime import domestic_stock as ds
from kis_async.sandbox._realtime import RealtimeSandbox
from tests.realtime.test_session import take, until

FAST = RealtimeConfig(
    stall_timeout=1.0, answer_timeout=2.0, request_interval=0.0, backoff_initial=0.01, backoff_max=0.05
)
SYMBOLS = ("005930", "000660", "035420", "051910", "006400")


pytestmark = pytest.mark.realtime_server(multi_record_every=0)


async def restart(sandbox: RealtimeSandbox) -> None:
    """What a KIS (or sandbox) restart looks like to a client: connections cut, keys forgotten."""
    await sandbox.forget_approval_keys()
    await sandbox.drop_connections()


async def test_after_a_restart_that_forgot_the_approval_key_every_feed_comes_back(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    events: list[Reconnected] = []
    async with kis_realtime.realtime(config=FAST, on_reconnect=events.append) as rt:
        await rt.subscribe(ds.trade_krx, *SYMBOLS)
        await restart(realtime_server)
        await until(lambda: events)
        ticks = await take(rt.stream(ds.trade_krx, "005930"), 3)  # the first one ticks again
    (event,) = events
    assert event.restored == tuple(("H0STCNT0", s) for s in SYMBOLS)
    assert event.lost == () and event.resubscribed == 5
    assert rt.stats.approval_renewals == 1 and rt.stats.feeds_lost == 0
    assert realtime_server.stats.approvals_issued == 2  # one fresh key for the whole episode
    assert [t.mksc_shrn_iscd for t in ticks] == ["005930"] * 3


async def test_a_stale_approval_key_in_the_token_cache_is_replaced_at_the_first_subscribe(
    realtime_server: RealtimeSandbox, tmp_path: Path
) -> None:
    cache = TokenCache(tmp_path / "tokens.json")
    approval_key = TokenCache.key("app-key-1", "real/approval", realtime_server.base_url)
    now = time.time()
    cache.store(approval_key, Token(Secret("approval-key-of-yesterday"), now + 80_000, now - 6_000))
    async with (
        KisClient(
            "app-key-1",
            "secret-1",
            base_url=realtime_server.base_url,
            ws_url=realtime_server.ws_url,
            token_cache=cache,
        ) as kis,
        kis.realtime(config=FAST) as rt,
    ):
        await rt.subscribe(ds.trade_krx, "005930")
        (tick,) = await take(rt, 1)
    assert tick.mksc_shrn_iscd == "005930"
    assert rt.stats.approval_renewals == 1
    assert realtime_server.stats.approvals_issued == 1
    fresh = cache.load(approval_key)
    assert (
        fresh is not None and fresh.value.reveal() != "approval-key-of-yesterday"
    )  # the next process reuses it


async def test_a_feed_refused_after_a_reconnect_ends_its_stream_with_an_error_naming_it(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    events: list[Reconnected] = []
    async with kis_realtime.realtime(config=FAST, on_reconnect=events.append) as rt:
        await rt.subscribe(ds.trade_krx, "005930", "000660")
        await realtime_server.refuse_registrations(
            ds.trade_krx, "000660", msg_cd="OPSP0009", msg1="SUBSCRIBE ERROR"
        )
        await realtime_server.drop_connections()
        await until(lambda: events)
        with pytest.raises(KisFeedLostError, match=r"trade_krx \(H0STCNT0\) '000660'.*OPSP0009") as caught:
            await take(rt.stream(ds.trade_krx, "000660"), 10_000)
        still = await take(rt.stream(ds.trade_krx, "005930"), 3)
    (event,) = events
    assert event.restored == (("H0STCNT0", "005930"),)
    assert [(e.feed, e.tr_key, e.msg_cd) for e in event.lost] == [
        ("domestic_stock.trade_krx", "000660", "OPSP0009")
    ]
    assert caught.value is event.lost[0]
    assert rt.stats.feeds_lost == 1
    assert [t.mksc_shrn_iscd for t in still] == ["005930"] * 3
    assert [s.key for s in rt.subscriptions] == ["005930"]


async def test_the_merged_stream_raises_a_lost_feed_once_and_goes_on(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930", "000660")
        await realtime_server.refuse_registrations("H0STCNT0", "000660")
        await realtime_server.drop_connections()
        with pytest.raises(KisFeedLostError, match="000660") as caught:
            await take(rt, 10_000)
        after = await take(rt, 5)  # the bot was told; iterating again goes on with the rest
    assert caught.value.msg_cd == "OPSP0009"
    assert {t.mksc_shrn_iscd for t in after} == {"005930"}


async def test_an_approval_key_refused_again_after_renewal_is_lost_not_renewed_in_a_loop(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    events: list[Reconnected] = []
    async with kis_realtime.realtime(config=FAST, on_reconnect=events.append) as rt:
        await rt.subscribe(ds.trade_krx, *SYMBOLS[:3])
        await realtime_server.refuse_registrations(msg_cd="OPSP0011", msg1="invalid approval : NOT FOUND")
        await realtime_server.drop_connections()
        await until(lambda: events)
    (event,) = events
    assert event.restored == ()
    assert [e.tr_key for e in event.lost] == list(SYMBOLS[:3])
    assert all(isinstance(e.__cause__, KisApprovalKeyError) for e in event.lost)
    assert rt.stats.approval_renewals == 1 and rt.stats.feeds_lost == 3
    assert realtime_server.stats.approvals_issued == 2


async def test_a_first_subscribe_refused_with_a_fresh_key_too_raises_after_one_renewal(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await realtime_server.refuse_registrations(msg_cd="OPSP0011", msg1="INVALID APPROVAL KEY")
        with pytest.raises(KisApprovalKeyError, match="fresh approval key") as caught:
            await rt.subscribe(ds.trade_krx, "005930")
    assert caught.value.msg_cd == "OPSP0011" and caught.value.tr_key == "005930"
    assert realtime_server.stats.approvals_issued == 2 and rt.subscriptions == []


async def test_a_registration_refused_once_for_its_key_succeeds_with_a_fresh_one(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await realtime_server.refuse_registrations(msg_cd="OPSP0011", msg1="INVALID APPROVAL KEY", times=1)
        await rt.subscribe(ds.trade_krx, "005930")
        (tick,) = await take(rt, 1)
    assert tick.mksc_shrn_iscd == "005930" and rt.stats.approval_renewals == 1


@pytest.mark.parametrize(
    ("msg_cd", "msg1", "approval"),
    [
        ("OPSP0011", "invalid approval : NOT FOUND", True),  # live servers' wording
        ("OPSP0011", "INVALID APPROVAL KEY", True),  # the portal's
        ("", "INVALID APPROVAL KEY", True),
        ("OPSP0008", "MAX SUBSCRIBE OVER", False),
        ("OPSP0007", "INVALID TR_ID", False),
    ],
)
def test_approval_refusals_are_recognised_in_every_wording(msg_cd: str, msg1: str, approval: bool) -> None:
    assert refuses_approval(msg_cd, msg1) is approval


async def test_the_sandbox_controls_are_all_awaitable(realtime_server: RealtimeSandbox) -> None:
    controls: list[Any] = [
        realtime_server.drop_connections(),
        realtime_server.stall(0.01),
        realtime_server.forget_approval_keys(),
        realtime_server.refuse_registrations("domestic_stock.trade_krx"),
        realtime_server.accept_registrations(),
        realtime_server.send_raw("x"),
        realtime_server.send_garbage(),
    ]
    assert all(asyncio.iscoroutine(c) for c in controls)
    for control in controls:
        await control
    with pytest.raises(ValueError, match="H0NOPE00"):
        await realtime_server.refuse_registrations("H0NOPE00")


async def test_a_lost_feed_subscribed_again_streams_again(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    events: list[Reconnected] = []
    async with kis_realtime.realtime(config=FAST, on_reconnect=events.append) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        await realtime_server.refuse_registrations(ds.trade_krx, "005930", times=1)
        await realtime_server.drop_connections()
        await until(lambda: events)
        assert [e.tr_key for e in events[0].lost] == ["005930"]
        await rt.subscribe(ds.trade_krx, "005930")  # the refusal was passing: it is back
        ticks = await take(rt.stream(ds.trade_krx, "005930"), 2)
        more = await take(rt, 2)  # the merged stream does not raise the handled loss
    assert [t.mksc_shrn_iscd for t in ticks + more] == ["005930"] * 4


async def test_an_unsubscribed_lost_feed_is_not_raised_again(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    events: list[Reconnected] = []
    async with kis_realtime.realtime(config=FAST, on_reconnect=events.append) as rt:
        await rt.subscribe(ds.trade_krx, "005930", "000660")
        await realtime_server.refuse_registrations(ds.trade_krx, "000660")
        await realtime_server.drop_connections()
        await until(lambda: events)
        await rt.unsubscribe(ds.trade_krx, "000660")  # the bot read the event and gave it up
        ticks = await take(rt, 3)
    assert {t.mksc_shrn_iscd for t in ticks} == {"005930"}
