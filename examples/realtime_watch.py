"""Watch live ticks and your own fills from the local sandbox (no credentials needed).

    python examples/realtime_watch.py

Against KIS, drop the sandbox and use ``KisClient.from_env()`` (KIS_APP_KEY, KIS_APP_SECRET,
KIS_ENV; KIS_WS_URL to override the WebSocket endpoint) and your HTS id for the notices.
"""

from __future__ import annotations

import asyncio

from kis_async import KisClient, Reconnected
from kis_async.realtime import domestic_stock
from kis_async.sandbox._realtime import RealtimeSandbox

HTS_ID = "myhtsid"


def on_reconnect(event: Reconnected) -> None:
    print(f"!! reconnected after {event.outage:.3f}s; {event.resubscribed} subscriptions re-registered")


async def main() -> None:
    async with (
        RealtimeSandbox(rate=4) as sandbox,
        KisClient(
            "app-key", "app-secret", base_url=sandbox.base_url, ws_url=sandbox.ws_url, token_cache=None
        ) as kis,
        kis.realtime(on_reconnect=on_reconnect) as rt,
    ):
        await rt.subscribe(domestic_stock.trade_krx, "005930", "000660")  # 실시간체결가 (KRX)
        await rt.subscribe(domestic_stock.orderbook_krx, "005930")  # 실시간호가 (KRX)
        await rt.subscribe(domestic_stock.fill_notice, HTS_ID)  # 실시간체결통보 (encrypted)

        seen = 0
        async for tick in rt:
            seen += 1
            if isinstance(tick, domestic_stock.DomesticStockTradeKrxTick):
                print(
                    f"trade  {tick.mksc_shrn_iscd} {tick.stck_cntg_hour} price={tick.stck_prpr} vol={tick.cntg_vol}"
                )
            elif isinstance(tick, domestic_stock.DomesticStockOrderbookKrxTick):
                print(f"book   {tick.mksc_shrn_iscd} ask1={tick.askp1} bid1={tick.bidp1}")
            elif isinstance(tick, domestic_stock.DomesticStockFillNoticeTick):
                print(f"FILL   order {tick.oder_no} {tick.stck_shrn_iscd} {tick.cntg_qty} @ {tick.cntg_unpr}")
            if seen == 6:  # what the REST sandbox does when an order_cash fills
                await sandbox.notify_order(
                    HTS_ID, order_no="0000117057", symbol="005930", side="02", quantity=10, price=71000
                )
            if seen == 10:
                await sandbox.drop_connections()  # the client reconnects and re-registers
            if seen == 20:
                break
        print(rt.stats)


if __name__ == "__main__":
    asyncio.run(main())
