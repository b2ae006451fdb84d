"""A bot streams KIS real-time feeds from the sandbox: typed ticks, recovery, limits, notices."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

pytest.importorskip("cryptography")

from kis_async import KisClient, KisTransportError
from kis_async._feed import Tick, all_feeds
from kis_async._realtime import (
    MAX_REGISTRATIONS,
    AppKey,
    KisApprovalKeyError,
    KisQueueOverflowError,
    KisRealtimeError,
    KisSubscriptionLimitError,
    KisUnknownFeedError,
    RealtimeConfig,
    RealtimeSession,
    Reconnected,
)
from kis_async.realtime import domestic_stock as ds
from kis_async.sandbox._realtime import RealtimeSandbox

FAST = RealtimeConfig(
    stall_timeout=1.0, answer_timeout=2.0, request_interval=0.0, backoff_initial=0.01, backoff_max=0.05
)
HTS_ID = "bot0001"


pytestmark = pytest.mark.realtime_server(ping_interval=0.2, pong_timeout=0.3)


async def take(source: Any, count: int, timeout: float = 5.0) -> list[Any]:
    """The next ``count`` items of an async iterator, failing the test if they do not come."""

    async def collect() -> list[Any]:
        items = []
        async for item in source:
            items.append(item)
            if len(items) == count:
                break
        return items

    return await asyncio.wait_for(collect(), timeout)


async def until(condition: Any, timeout: float = 5.0) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


async def test_three_feeds_give_typed_ticks(kis_realtime: KisClient) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        await rt.subscribe("H0STASP0", "005930")  # a TR ID string works too
        await rt.subscribe(ds.program_trading_krx, "000660")
        ticks = await take(rt, 30)
    kinds = {type(t) for t in ticks}
    assert kinds == {
        ds.TradeKrxTick,
        ds.OrderbookKrxTick,
        ds.ProgramTradingTick,
    }
    trade = next(t for t in ticks if isinstance(t, ds.TradeKrxTick))
    assert trade.mksc_shrn_iscd == "005930"
    assert isinstance(trade.stck_prpr, int)
    assert trade.prdy_vrss_sign == "2" and trade.prdy_vrss_sign.name == "RISE"
    assert trade.feed is ds.trade_krx


async def test_a_frame_of_several_records_yields_each_in_order(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    realtime_server.rate = 0
    async with kis_realtime.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        values = "^".join(["005930", "090000", *(["1"] * 44)])
        records = [values.replace("^1^", f"^{n}^", 1) for n in (7, 8, 9, 10)]
        await realtime_server.send_raw("0|H0STCNT0|004|" + "^".join(records))
        ticks = await take(rt.stream(ds.trade_krx, "005930"), 4)
    assert [t.stck_prpr for t in ticks] == [7, 8, 9, 10]


async def test_dropped_connection_is_reconnected_and_reregistered_once(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    events: list[Reconnected] = []
    async with kis_realtime.realtime(config=FAST, on_reconnect=events.append) as rt:
        await rt.subscribe(ds.trade_krx, "005930", "000660")
        await take(rt, 5)
        await realtime_server.drop_connections()
        await until(lambda: events)
        after = await take(rt, 10)
    assert {t.key for t in after} == {"005930", "000660"}
    assert events[0].resubscribed == 2 and events[0].outage > 0
    assert rt.stats.reconnects == 1 and rt.stats.last_outage == events[0].outage
    per_connection = [(conn, tr, key) for conn, tr, key in realtime_server.stats.registrations]
    assert per_connection == [
        (1, "H0STCNT0", "005930"),
        (1, "H0STCNT0", "000660"),
        (2, "H0STCNT0", "005930"),
        (2, "H0STCNT0", "000660"),
    ]


async def test_already_in_subscribe_after_reconnect_counts_as_success() -> None:
    async with (
        RealtimeSandbox(rate=50, sticky=True) as sticky,
        KisClient("k", "s", base_url=sticky.base_url, ws_url=sticky.ws_url, token_cache=None) as client,
        client.realtime(config=FAST) as rt,
    ):
        await rt.subscribe(ds.trade_krx, "005930")
        await sticky.drop_connections()
        await until(lambda: rt.stats.reconnects == 1)
        ticks = await take(rt, 3)
    assert rt.stats.resubscribed == 1
    assert sticky.stats.registrations == [(1, "H0STCNT0", "005930")]  # the second answer was ALREADY
    assert all(t.key == "005930" for t in ticks)


async def test_unechoed_pingpong_makes_the_server_close_and_the_client_recovers(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        await until(lambda: rt.stats.pingpongs >= 1)
        realtime_server.lose_pongs = 1_000_000  # every echo is lost on the way
        await until(lambda: realtime_server.stats.closed_for_pong >= 1)
        realtime_server.lose_pongs = 0
        await until(lambda: rt.stats.reconnects >= 1)
        ticks = await take(rt, 3)
    assert ticks


async def test_a_stalled_connection_is_replaced(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    config = RealtimeConfig(stall_timeout=0.3, request_interval=0.0, backoff_initial=0.01, backoff_max=0.05)
    async with kis_realtime.realtime(config=config) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        await take(rt, 2)
        await realtime_server.stall(5.0)
        await until(lambda: rt.stats.reconnects == 1)
        ticks = await take(rt, 3)
    assert ticks and rt.reconnects[0].reason.startswith("stalled")


async def test_the_42nd_registration_is_refused_before_sending(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    realtime_server.rate = 0
    async with kis_realtime.realtime(config=FAST) as rt:
        symbols = [f"{n:06d}" for n in range(1, MAX_REGISTRATIONS + 2)]
        await rt.subscribe(ds.trade_krx, *symbols[:MAX_REGISTRATIONS])
        with pytest.raises(KisSubscriptionLimitError, match="41 registrations per connection"):
            await rt.subscribe(ds.trade_krx, symbols[-1])
    assert len(realtime_server.stats.registrations) == MAX_REGISTRATIONS
    assert realtime_server.stats.refusals == []


async def test_several_app_keys_spread_subscriptions_over_connections(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    realtime_server.rate = 0
    keys = [AppKey("app-key-1", "secret-1"), AppKey("app-key-2", "secret-2")]
    async with kis_realtime.realtime(keys, config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, *[f"{n:06d}" for n in range(1, 61)])
        assert realtime_server.connections == 2
    per_connection = {conn for conn, _, _ in realtime_server.stats.registrations}
    assert len(per_connection) == 2
    assert realtime_server.stats.approvals_issued == 2


async def test_refusal_by_kis_raises_a_typed_error(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await realtime_server.refuse_registrations(msg_cd="OPSP0011", msg1="INVALID APPROVAL KEY")
        with pytest.raises(KisApprovalKeyError, match="INVALID APPROVAL KEY"):
            await rt.subscribe(ds.trade_krx, "005930")
        await realtime_server.accept_registrations()
        with pytest.raises(KisUnknownFeedError, match="H0XXXXX0"):
            await rt.subscribe("H0XXXXX0", "005930")


async def test_an_orders_fill_notice_arrives_decrypted_and_typed(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await rt.subscribe(ds.fill_notice, HTS_ID)
        await realtime_server.notify_order(
            HTS_ID, order_no="0000117057", symbol="005930", side="02", quantity=10, price=71000
        )
        (notice,) = await take(rt.stream(ds.fill_notice, HTS_ID), 1)
    assert isinstance(notice, ds.FillNoticeTick)
    assert (notice.oder_no, notice.stck_shrn_iscd, notice.cntg_qty, notice.cntg_unpr) == (
        "0000117057",
        "005930",
        10,
        71000,
    )
    assert notice.cntg_yn == "2"


async def test_a_forged_plaintext_notice_is_dropped(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await rt.subscribe(ds.fill_notice, HTS_ID)
        await realtime_server.send_forged_notice(HTS_ID)
        await realtime_server.notify_order(
            HTS_ID, order_no="0000000002", symbol="005930", side="01", quantity=1, price=1
        )
        (notice,) = await take(rt.stream(ds.fill_notice, HTS_ID), 1)
    assert notice.oder_no == "0000000002"
    assert rt.stats.plaintext_dropped == 1


async def test_garbage_frames_are_counted_and_the_stream_goes_on(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        await realtime_server.send_garbage()
        ticks = await take(rt, 5)
    assert len(ticks) == 5
    assert rt.stats.malformed == 3  # the fourth is for a feed nobody subscribed
    assert rt.stats.unmatched == 1


async def test_a_slow_consumer_does_not_delay_another_subscription(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    config = RealtimeConfig(queue_size=5, request_interval=0.0, stall_timeout=2.0)
    async with kis_realtime.realtime(config=config) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        await rt.subscribe(ds.orderbook_krx, "005930")
        # nobody reads trade_krx; the order book stream keeps flowing
        book = await take(rt.stream(ds.orderbook_krx, "005930"), 40)
        slow = rt.subscriptions[0]
    assert len(book) == 40
    assert len(slow.queue) == 5 and slow.dropped > 0
    assert rt.stats.dropped_overflow == slow.dropped


async def test_overflow_policy_raise_tells_the_consumer(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    config = RealtimeConfig(queue_size=2, overflow="raise", request_interval=0.0)
    async with kis_realtime.realtime(config=config) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        await until(lambda: rt.stats.dropped_overflow > 0)
        with pytest.raises(KisQueueOverflowError, match="fell behind") as caught:
            await take(rt.stream(ds.trade_krx, "005930"), 10)
    assert caught.value.dropped > 0


async def test_unsubscribe_ends_the_stream(kis_realtime: KisClient) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        stream = rt.stream(ds.trade_krx, "005930")
        await take(stream, 1)
        await rt.unsubscribe(ds.trade_krx, "005930")
        rest = [t async for t in stream]
    assert all(isinstance(t, Tick) for t in rest)
    assert rt.subscriptions == []


async def test_secrets_never_reach_logs_or_reprs(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with kis_realtime.realtime(config=FAST) as rt:
        await rt.subscribe(ds.fill_notice, HTS_ID)
        await realtime_server.notify_order(
            HTS_ID, order_no="1", symbol="005930", side="02", quantity=1, price=1
        )
        await take(rt, 1)
        await realtime_server.drop_connections()
        await until(lambda: rt.stats.reconnects == 1)
        connection = rt._connections[0]
        approval = connection.last_approval
        aes_key, iv = connection.aes["H0STCNI0"]
        shown = repr(rt) + repr(connection) + repr(connection.aes) + repr(rt.subscriptions)
    logs = caplog.text + shown
    assert approval and approval not in logs
    assert aes_key.reveal() not in logs and iv.reveal() not in logs
    assert "secret-1" not in logs


async def test_session_type_is_exported(kis_realtime: KisClient) -> None:
    assert isinstance(kis_realtime.realtime(), RealtimeSession)


async def test_a_server_that_never_comes_back_ends_the_stream_with_an_error(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    config = RealtimeConfig(
        stall_timeout=1.0,
        request_interval=0.0,
        backoff_initial=0.01,
        backoff_max=0.02,
        max_reconnect_attempts=3,
    )
    async with kis_realtime.realtime(config=config) as rt:
        await rt.subscribe("domestic_stock.trade_krx", "005930")  # the dotted name works too
        await take(rt, 1)
        await realtime_server.close()
        with pytest.raises(KisTransportError, match="3 reconnect attempts failed"):
            await take(rt, 10_000)


async def test_subscribing_before_opening_says_how_to_open(kis_realtime: KisClient) -> None:
    rt = kis_realtime.realtime()
    with pytest.raises(KisRealtimeError, match=r"async with kis\.realtime"):
        await rt.subscribe(ds.trade_krx, "005930")


async def test_every_generated_feed_streams_typed_ticks_from_the_sandbox(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    feeds = all_feeds()
    keys = [AppKey("app-key-1", "secret-1"), AppKey("app-key-2", "secret-2")]
    async with kis_realtime.realtime(keys, config=FAST) as rt:
        for feed in feeds:
            await rt.subscribe(feed, HTS_ID if feed.tr_key == "hts_id" else "KEY0001")
        for feed in feeds:
            if feed.tr_key == "hts_id":
                await realtime_server.notify_execution(HTS_ID, {}, tr_ids=(feed.tr_id("real"),))
        seen: dict[str, Tick] = {}
        async for tick in rt:
            seen.setdefault(tick.feed.name, tick)
            if len(seen) == len(feeds):
                break
    for name, tick in seen.items():
        parsed = tick.to_dict()  # every field reads as its spec type
        assert len(parsed) == tick.feed.field_count, name


async def test_pingpong_is_echoed_so_the_server_keeps_the_connection(
    kis_realtime: KisClient, realtime_server: RealtimeSandbox
) -> None:
    async with kis_realtime.realtime(config=FAST) as rt:
        await rt.subscribe(ds.trade_krx, "005930")
        await until(lambda: rt.stats.pingpongs >= 3)  # pong_timeout is 0.3 s, pings every 0.2 s
    assert realtime_server.stats.closed_for_pong == 0
    assert rt.stats.disconnects == 0


def test_reconnect_backoff_grows_with_jitter_up_to_its_cap() -> None:
    config = RealtimeConfig(backoff_initial=0.5, backoff_max=4.0)
    for attempt, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (10, 4.0)):
        delays = {config.backoff(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered, so reconnecting clients do not stampede
