"""What the paper (모의투자) server does not accept is refused by the client before anything is
sent (the spec's ``paper:``), and a value the SDK fills itself takes what paper accepts; the real
environment is unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from aioresponses import aioresponses

from kis_async import KisClient, KisValidationError
from tests.endpoints.conftest import envelope, sent, url

CCNL = "/uapi/overseas-stock/v1/trading/inquire-ccnl"
DAY = dt.date(2026, 12, 7)
ALL_ORDERS: dict[str, Any] = {"start_date": DAY, "end_date": DAY, "side": "00", "fill_status": "00"}


@pytest.mark.kis_mocked(env="paper")
@pytest.mark.parametrize(
    ("argument", "value", "wire", "accepted"),
    [
        ("side", "02", "SLL_BUY_DVSN", "'00' (ALL) only"),
        ("fill_status", "02", "CCLD_NCCS_DVSN", "'00' (ALL) only"),
        ("exchange", "NASD", "OVRS_EXCG_CD", "no value: leave it out"),
        ("exchange", "%", "OVRS_EXCG_CD", "no value: leave it out"),
        ("symbol", "%", "PDNO", "no value: leave it out"),
        ("sort", "AS", "SORT_SQN", "no value: leave it out"),
    ],
)
async def test_a_paper_bot_is_told_what_the_order_inquiry_accepts_before_anything_is_sent(
    kis_mocked: KisClient, mocked: aioresponses, argument: str, value: str, wire: str, accepted: str
) -> None:
    with pytest.raises(KisValidationError) as refused:
        await kis_mocked.overseas_stock.inquire_ccnl(**{**ALL_ORDERS, argument: value})
    message = str(refused.value)
    assert message.startswith(f"overseas_stock.inquire_ccnl: {argument} ({wire}, ")
    assert f"{value!r} is not accepted on 모의투자 (paper); paper accepts {accepted}" in message
    assert (refused.value.endpoint, refused.value.field, refused.value.value) == (
        "overseas_stock.inquire_ccnl",
        argument,
        value,
    )
    assert sent(mocked, CCNL) == []


@pytest.mark.kis_mocked(env="paper")
async def test_on_paper_the_order_inquiry_asks_for_every_exchange_with_a_blank(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.get(url(CCNL), payload=envelope(output=[]))
    await kis_mocked.overseas_stock.inquire_ccnl(**ALL_ORDERS)
    (call,) = sent(mocked, CCNL)
    assert call.tr_id == "VTTS3035R"
    assert {
        k: call.params[k] for k in ("PDNO", "SLL_BUY_DVSN", "CCLD_NCCS_DVSN", "OVRS_EXCG_CD", "SORT_SQN")
    } == {
        "PDNO": "",
        "SLL_BUY_DVSN": "00",
        "CCLD_NCCS_DVSN": "00",
        "OVRS_EXCG_CD": "",  # the spec's default "%" is the real server's 전체; paper's is blank
        "SORT_SQN": "",
    }


async def test_on_the_real_server_the_order_inquiry_still_filters_by_exchange(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.get(url(CCNL), payload=envelope(output=[]), repeat=True)
    await kis_mocked.overseas_stock.inquire_ccnl(**ALL_ORDERS)  # no exchange: 전체 is "%" here
    await kis_mocked.overseas_stock.inquire_ccnl(
        **{**ALL_ORDERS, "side": "02", "exchange": "NYSE", "sort": "AS"}
    )
    first, second = sent(mocked, CCNL)
    assert first.tr_id == "TTTS3035R" and first.params["OVRS_EXCG_CD"] == "%"
    assert (second.params["SLL_BUY_DVSN"], second.params["OVRS_EXCG_CD"], second.params["SORT_SQN"]) == (
        "02",
        "NYSE",
        "AS",
    )


@pytest.mark.kis_mocked(env="paper")
async def test_a_paper_domestic_order_on_nxt_is_refused_and_the_default_krx_goes_out(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    path = "/uapi/domestic-stock/v1/trading/order-cash"
    order = {"side": "buy", "symbol": "005930", "quantity": 1, "price": 70_000, "order_type": "00"}
    with pytest.raises(KisValidationError, match=r"exchange \(EXCG_ID_DVSN_CD.*'NXT'.*'KRX' \(KRX\) only"):
        await kis_mocked.domestic_stock.order_cash(**order, exchange="NXT")
    assert sent(mocked, path) == []
    mocked.post(
        url(path), payload=envelope(output={"ODNO": "1", "KRX_FWDG_ORD_ORGNO": "00950", "ORD_TMD": "100000"})
    )
    await kis_mocked.domestic_stock.order_cash(**order)
    (call,) = sent(mocked, path)
    assert (call.tr_id, call.body["EXCG_ID_DVSN_CD"]) == ("VTTC0012U", "KRX")


@pytest.mark.kis_mocked(env="paper")
async def test_a_paper_overseas_order_takes_the_limit_type_only(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    with pytest.raises(KisValidationError, match=r"order_type \(ORD_DVSN.*'32'.*'00' \(LIMIT\) only"):
        await kis_mocked.overseas_stock.order(
            side="buy", exchange="NASD", symbol="AAPL", quantity=1, price=Decimal("180.00"), order_type="32"
        )
    assert sent(mocked, "/uapi/overseas-stock/v1/trading/order") == []


@pytest.mark.kis_mocked(env="paper")
async def test_a_paper_balance_takes_nasd_not_the_real_servers_nas(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    with pytest.raises(KisValidationError, match=r"exchange \(OVRS_EXCG_CD.*'NAS'.*'NASD' \(US\), 'NYSE'"):
        await kis_mocked.overseas_stock.inquire_balance(exchange="NAS", currency="USD")
    assert sent(mocked, "/uapi/overseas-stock/v1/trading/inquire-balance") == []


@pytest.mark.kis_mocked(env="paper")
async def test_a_paper_night_futures_order_is_refused_by_the_tr_table_before_sending(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    """야간 모의투자 미제공 is the TR table's fact (paper has the day TR only), not a paper: rule."""
    with pytest.raises(
        KisValidationError, match=r"session='night' has no TR ID in paper; choose one of \['day'\]"
    ):
        await kis_mocked.domestic_futureoption.order(
            session="night", side="02", symbol="101S03", quantity=1, price=Decimal("350.00"), order_type="01"
        )
    assert sent(mocked, "/uapi/domestic-futureoption/v1/trading/order") == []
