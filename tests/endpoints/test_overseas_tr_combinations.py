"""A side is buy or sell, and the TR follows from the side and the exchange together: every
combination an overseas order can be given gets the TR the KIS page lists for it, or a
``KisValidationError`` before anything is sent.

The expected TRs are transcribed from the portal pages (해외주식 주문 v1_해외주식-001, 해외주식
정정취소주문 v1_해외주식-003, 예약주문접수 v1_해외주식-002, 예약주문조회 v1_해외주식-013), not read
from the specs, so a spec mistake fails here. A reservation's side and exchange choose its TR as an
order's do; its reservation list's region follows from the exchange, and one that disagrees is
refused before anything is sent.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from aioresponses import aioresponses

from kis_async import KisClient, KisValidationError, OrderSide, OverseasOrderExchange
from kis_async.overseas_stock.trading import ORDER, ORDER_RESV, ORDER_RESV_LIST, ORDER_RVSECNCL
from tests.endpoints.conftest import envelope, sent, url

US, JAPAN, SHANGHAI, HONG_KONG, SHENZHEN, VIETNAM = (
    "us",
    "japan",
    "shanghai",
    "hong_kong",
    "shenzhen",
    "vietnam",
)
MARKET_OF_EXCHANGE = {
    "NASD": US,
    "NYSE": US,
    "AMEX": US,
    "TKSE": JAPAN,
    "SHAA": SHANGHAI,
    "SEHK": HONG_KONG,
    "SZAA": SHENZHEN,
    "HASE": VIETNAM,
    "VNSE": VIETNAM,
}
#: 해외주식 주문: (market, side) → (실전, 모의)
ORDER_TRS = {
    (US, "buy"): ("TTTT1002U", "VTTT1002U"),
    (US, "sell"): ("TTTT1006U", "VTTT1001U"),
    (JAPAN, "buy"): ("TTTS0308U", "VTTS0308U"),
    (JAPAN, "sell"): ("TTTS0307U", "VTTS0307U"),
    (SHANGHAI, "buy"): ("TTTS0202U", "VTTS0202U"),
    (SHANGHAI, "sell"): ("TTTS1005U", "VTTS1005U"),
    (HONG_KONG, "buy"): ("TTTS1002U", "VTTS1002U"),
    (HONG_KONG, "sell"): ("TTTS1001U", "VTTS1001U"),
    (SHENZHEN, "buy"): ("TTTS0305U", "VTTS0305U"),
    (SHENZHEN, "sell"): ("TTTS0304U", "VTTS0304U"),
    (VIETNAM, "buy"): ("TTTS0311U", "VTTS0311U"),
    (VIETNAM, "sell"): ("TTTS0310U", "VTTS0310U"),
}
#: 해외주식 정정취소주문: market → (실전, 모의, amend allowed); 상해·심천·베트남 are "취소 주문" only
AMEND_CANCEL_TRS = {
    US: ("TTTT1004U", "VTTT1004U", True),
    HONG_KONG: ("TTTS1003U", "VTTS1003U", True),
    JAPAN: ("TTTS0309U", "VTTS0309U", True),
    SHANGHAI: ("TTTS0302U", "VTTS0302U", False),
    SHENZHEN: ("TTTS0306U", "VTTS0306U", False),
    VIETNAM: ("TTTS0312U", "VTTS0312U", False),
}
ENVS = ("real", "paper")


@pytest.mark.parametrize(
    ("env", "side", "exchange"), list(itertools.product(ENVS, OrderSide, OverseasOrderExchange))
)
def test_an_overseas_order_gets_the_tr_of_its_side_and_its_exchanges_market(
    env: Any, side: OrderSide, exchange: OverseasOrderExchange
) -> None:
    real, paper = ORDER_TRS[(MARKET_OF_EXCHANGE[exchange.value], side.value)]
    assert ORDER.select_tr(env, {"side": side, "exchange": exchange}) == (real if env == "real" else paper)


def test_the_order_side_is_buy_or_sell_and_takes_its_code_or_member() -> None:
    assert ORDER.select_tr("real", {"side": "sell", "exchange": "TKSE"}) == "TTTS0307U"
    assert ORDER.select_tr("real", {"side": OrderSide.BUY, "exchange": "SEHK"}) == "TTTS1002U"


@pytest.mark.parametrize("old", ["us_buy", "japan_sell", "hong_kong_buy"])
def test_an_old_market_and_side_code_is_refused_naming_the_sides(old: str) -> None:
    with pytest.raises(
        KisValidationError, match=r"overseas_stock.order: side .*got '" + old + r"', expected one of 'buy'"
    ):
        ORDER.select_tr("real", {"side": old, "exchange": "NASD"})


@pytest.mark.parametrize(
    ("env", "exchange", "action"), list(itertools.product(ENVS, OverseasOrderExchange, ("01", "02")))
)
def test_an_amend_or_cancel_gets_its_markets_tr_or_is_refused_where_kis_only_cancels(
    env: Any, exchange: OverseasOrderExchange, action: str
) -> None:
    real, paper, amend_allowed = AMEND_CANCEL_TRS[MARKET_OF_EXCHANGE[exchange.value]]
    args = {"exchange": exchange, "action": action}
    if action == "01" and not amend_allowed:
        with pytest.raises(
            KisValidationError,
            match=rf"exchange='{exchange.value}', action='01' has no TR ID in {env}; "
            rf"with exchange='{exchange.value}' action is one of \['02'\]",
        ):
            ORDER_RVSECNCL.select_tr(env, args)
    else:
        assert ORDER_RVSECNCL.select_tr(env, args) == (real if env == "real" else paper)


async def test_an_amend_on_shanghai_is_refused_before_anything_is_sent(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    with pytest.raises(KisValidationError, match="action is one of"):
        await kis_mocked.overseas_stock.order_rvsecncl(
            exchange="SHAA", symbol="600519", original_order_no="0000012345", action="01", quantity=1, price=1
        )
    assert mocked.requests == {}


#: 해외주식 예약주문접수 (v1_해외주식-002): (market, side) → (실전, 모의); one TR for every Asian
#: reservation, its side on the wire (SLL_BUY_DVSN_CD)
RESERVATION_TRS = {
    (US, "buy"): ("TTTT3014U", "VTTT3014U"),
    (US, "sell"): ("TTTT3016U", "VTTT3016U"),
    **{
        (market, side): ("TTTS3013U", "VTTS3013U")
        for market in (JAPAN, SHANGHAI, HONG_KONG, SHENZHEN, VIETNAM)
        for side in ("buy", "sell")
    },
}


@pytest.mark.parametrize(
    ("env", "side", "exchange"), list(itertools.product(ENVS, ("buy", "sell"), OverseasOrderExchange))
)
def test_a_reservation_gets_the_tr_of_its_side_and_its_exchanges_market(
    env: Any, side: str, exchange: OverseasOrderExchange
) -> None:
    real, paper = RESERVATION_TRS[(MARKET_OF_EXCHANGE[exchange.value], side)]
    assert ORDER_RESV.select_tr(env, {"side": side, "exchange": exchange}) == (
        real if env == "real" else paper
    )
    wire = "02" if side == "buy" else "01"  # the same side as SellOrBuy's code or member
    assert ORDER_RESV.select_tr(env, {"side": wire, "exchange": exchange}) == (
        real if env == "real" else paper
    )


async def test_a_us_reservation_sends_its_side_and_gets_the_tr_of_it(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.post(
        url("/uapi/overseas-stock/v1/trading/order-resv"), payload=envelope(output={"ODNO": "0030000001"})
    )
    await kis_mocked.overseas_stock.order_resv(
        side="sell", exchange="NYSE", symbol="BA", quantity=3, price=Decimal("150")
    )
    (request,) = sent(mocked, "/uapi/overseas-stock/v1/trading/order-resv")
    assert request.tr_id == "TTTT3016U"
    assert (request.body["SLL_BUY_DVSN_CD"], request.body["OVRS_EXCG_CD"], request.body["FT_ORD_QTY"]) == (
        "01",
        "NYSE",
        "3",
    )


async def test_the_old_order_kind_still_places_a_reservation_and_warns(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.post(
        url("/uapi/overseas-stock/v1/trading/order-resv"), payload=envelope(output={"ODNO": "0030000002"})
    )
    with pytest.warns(
        DeprecationWarning, match=r"argument 'order_kind' is replaced by 'exchange' and 'side'"
    ):
        await kis_mocked.overseas_stock.order_resv(
            order_kind="us_buy", exchange="NASD", symbol="AAPL", quantity=1, price=Decimal("180")
        )
    (request,) = sent(mocked, "/uapi/overseas-stock/v1/trading/order-resv")
    assert (request.tr_id, request.body["SLL_BUY_DVSN_CD"]) == ("TTTT3014U", "02")


@pytest.mark.parametrize(
    ("old", "match"),
    [
        (
            {"order_kind": "us_buy", "exchange": "SEHK"},
            r"order_kind='us_buy' means exchange 'NASD' or 'NYSE' or 'AMEX', but exchange='SEHK'",
        ),
        (
            {"order_kind": "asia", "side": "02", "exchange": "NASD"},
            r"order_kind='asia' means exchange 'SEHK' or",
        ),
        (
            {"order_kind": "us_sell", "side": "buy", "exchange": "NASD"},
            r"order_kind='us_sell' means side 'sell', but side='buy'",
        ),
        (
            {"order_kind": "japan_buy", "side": "buy", "exchange": "TKSE"},
            r"order_kind='japan_buy' is not one of",
        ),
    ],
)
async def test_an_old_order_kind_that_disagrees_is_refused_before_anything_is_sent(
    kis_mocked: KisClient, mocked: aioresponses, old: dict[str, Any], match: str
) -> None:
    with pytest.warns(DeprecationWarning), pytest.raises(KisValidationError, match=match):
        await kis_mocked.overseas_stock.order_resv(symbol="AAPL", quantity=1, price=Decimal("180"), **old)
    assert mocked.requests == {}


def test_a_reservation_without_a_side_is_refused() -> None:
    with pytest.raises(KisValidationError, match=r"side \(SLL_BUY_DVSN_CD, 매도매수구분코드\) is required"):
        ORDER_RESV.build_request(
            {"exchange": "NASD", "symbol": "AAPL", "quantity": 1, "price": 1}, ("12345678", "01")
        )


#: 해외주식 예약주문조회 (v1_해외주식-013): 미국 TTTT3039R, 아시아 TTTS3014R (real only)
@pytest.mark.parametrize("exchange", list(OverseasOrderExchange))
def test_a_reservation_list_takes_its_region_from_the_exchange(exchange: OverseasOrderExchange) -> None:
    us = MARKET_OF_EXCHANGE[exchange.value] == US
    region = "us" if us else "asia"
    expected = "TTTT3039R" if us else "TTTS3014R"
    assert ORDER_RESV_LIST.select_tr("real", {"exchange": exchange}) == expected
    assert ORDER_RESV_LIST.select_tr("real", {"exchange": exchange, "region": region}) == expected
    other = "asia" if us else "us"
    with pytest.raises(
        KisValidationError, match=rf"region='{other}', exchange='{exchange.value}' has no TR ID in real"
    ):
        ORDER_RESV_LIST.select_tr("real", {"exchange": exchange, "region": other})


def test_a_reservation_list_of_a_whole_region_or_of_nothing() -> None:
    assert ORDER_RESV_LIST.select_tr("real", {"region": "us"}) == "TTTT3039R"
    assert ORDER_RESV_LIST.select_tr("real", {"region": "asia"}) == "TTTS3014R"
    with pytest.raises(KisValidationError, match=r"region omitted, exchange omitted has no TR ID"):
        ORDER_RESV_LIST.select_tr("real", {})


async def test_a_reservation_list_that_disagrees_is_refused_before_anything_is_sent(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    with pytest.raises(
        KisValidationError,
        match=r"with region='us' exchange is one of \['AMEX', 'NASD', 'NYSE', '\(omitted\)'\]",
    ):
        await kis_mocked.overseas_stock.order_resv_list(
            region="us",
            exchange="TKSE",
            start_date=dt.date(2026, 12, 1),
            end_date=dt.date(2026, 12, 4),
            stock_kind="00",
        )
    assert mocked.requests == {}
