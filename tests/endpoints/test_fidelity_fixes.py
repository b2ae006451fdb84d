"""The endpoints issue 18 fixed, met as a bot meets them: through the client and the sandbox.

Each would have failed before: the member-firm tick trend had no method (its portal page says
WEBSOCKET), an index's point difference failed strict decoding, and two requests sent a wire name
KIS does not read (portal typos; KIS's sample code spells them FID_BLNG_CLS_CODE and
RSVN_ORD_RCIT_DT).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from kis_async import KisClient
from kis_async._drift import analyse
from kis_async.domestic_stock import InquireIndexPriceResponse
from kis_async.elw.quotations import NEWLY_LISTED
from kis_async.overseas_stock.trading import ORDER_RESV_CCNL
from kis_async.sandbox import Sandbox


async def test_a_bot_follows_member_firms_trades_tick_by_tick(kis_sandbox: KisClient) -> None:
    trend = await kis_sandbox.domestic_stock.frgnmem_trade_trend(symbol="005930", min_volume=1000)
    assert trend.output2, "the sandbox answers rows"
    row = trend.output2[0]
    assert isinstance(row.bsop_hour, dt.time) and isinstance(row.stck_prpr, int)
    assert isinstance(row.acml_ntby_qty, int)
    assert trend.output1 is not None and isinstance(trend.output1.total_seln_qty, int)


def test_an_index_low_below_the_previous_close_decodes_in_strict_mode() -> None:
    body = {
        "rt_cd": "0",
        "msg_cd": "MCA00000",
        "msg1": "정상처리 되었습니다.",
        "output": {
            "bstp_nmix_prpr": "2480.12",
            "prdy_clpr_vrss_lwpr": "-0.96",
            "prdy_clpr_vrss_lwpr_rate": "-0.04",
        },
    }
    index = InquireIndexPriceResponse.from_dict(body, strict=True)
    assert index.output is not None
    assert index.output.prdy_clpr_vrss_lwpr == Decimal("-0.96")


def test_the_elw_listing_and_the_reservation_cancel_send_what_kis_reads() -> None:
    listing = NEWLY_LISTED.build_request(
        {"call_put": "02", "issuer": "00003", "date": "20240410", "elw_type": "0"}
    )
    assert listing["FID_BLNG_CLS_CODE"] == "0" and "FID_BLNC_CLS_CODE" not in listing
    cancel = ORDER_RESV_CCNL.build_request(
        {"reservation_date": dt.date(2026, 11, 20), "reservation_order_no": "0030008244"}, ("12345678", "01")
    )
    assert cancel["RSVN_ORD_RCIT_DT"] == "20261120" and "RSYN_ORD_RCIT_DT" not in cancel


async def test_a_session_recorded_against_the_sandbox_shows_no_drift(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    # the sandbox answers from the same descriptors, so a drift finding here would be a false alarm
    async with sandbox.client(account="12345678-01", record=tmp_path / "session.jsonl") as kis:
        await kis.domestic_stock.inquire_price(symbol="005930")
        await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
        await kis.domestic_stock.inquire_balance()
        await kis.overseas_price.price(exchange="NAS", symbol="AAPL")
    report = analyse([tmp_path])
    assert report.exchanges == 4
    assert [f"{f.endpoint} {f.kind} {f.where}" for f in report.findings] == []
