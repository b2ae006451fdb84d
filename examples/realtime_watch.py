"""Watch live ticks and your own fills from the local sandbox (no credentials needed).

    python examples/realtime_watch.py

One sandbox serves REST and the WebSocket: the order placed below with ``order_cash`` comes back
on the encrypted execution-notice feed, first accepted, then filled. Against KIS, drop the sandbox
and use ``KisClient.from_env()`` (KIS_APP_KEY, KIS_APP_SECRET, KIS_ENV, KIS_ACCOUNT; KIS_WS_URL
to override the WebSocket endpoint) and your HTS id for the notices.
"""

from __future__ import annotations

import asyncio

from kis_async import Reconnected, next_open
from kis_async.enums import NoticeKind
from kis_async.realtime import domestic_stock
from kis_async.sandbox import Sandbox

HTS_ID = "myhtsid"


def on_reconnect(event: Reconnected) -> None:
    print(f"!! reconnected after {event.outage:.3f}s; {len(event.restored)} subscriptions re-registered")
    for lost in event.lost:  # never only a log line: the feed's stream ends with this error too
        print(f"!! LOST {lost.feed} {lost.tr_key!r}: {lost.msg_cd} {lost.msg1}")


async def main() -> None:
    async with (
        # the sandbox's clock starts at the next KRX open: its market order is accepted on any day
        # (at the real time, an order on a weekend or at night is refused as KIS refuses it)
        Sandbox(hts_id=HTS_ID, realtime_rate=4, now=next_open()) as sandbox,
        sandbox.client(account="12345678-01") as kis,
        kis.realtime(on_reconnect=on_reconnect) as rt,
    ):
        await rt.subscribe(domestic_stock.trade_krx, "005930", "000660")  # 실시간체결가 (KRX)
        await rt.subscribe(domestic_stock.orderbook_krx, "005930")  # 실시간호가 (KRX)
        await rt.subscribe(domestic_stock.fill_notice, HTS_ID)  # 실시간체결통보 (encrypted)

        seen = 0
        async for tick in rt:
            seen += 1
            if isinstance(tick, domestic_stock.TradeKrxTick):
                print(
                    f"trade  {tick.mksc_shrn_iscd} {tick.stck_cntg_hour} price={tick.stck_prpr}"
                    f" ({tick.prdy_vrss:+} {tick.prdy_ctrt}%) vol={tick.cntg_vol}"
                )
            elif isinstance(tick, domestic_stock.OrderbookKrxTick):
                print(f"book   {tick.mksc_shrn_iscd} ask1={tick.askp1} bid1={tick.bidp1}")
            elif isinstance(tick, domestic_stock.FillNoticeTick):
                what = "FILL  " if tick.cntg_yn is NoticeKind.FILL else "ORDER "
                print(f"{what} order {tick.oder_no} {tick.stck_shrn_iscd} {tick.cntg_qty} @ {tick.cntg_unpr}")
            if seen == 6:  # buy 10 at the market price: accepted, then filled
                await kis.domestic_stock.order_cash(
                    side="buy", symbol="005930", quantity=10, price=0, order_type="01"
                )
            if seen == 12:
                await sandbox.realtime.drop_connections()  # the client reconnects and re-registers
            if seen == 22:
                break
        print(rt.stats)


if __name__ == "__main__":
    asyncio.run(main())
