"""A side is buy or sell, and the TR follows from the side and the exchange together: every
combination an overseas order can be given gets the TR the KIS page lists for it, or a
``KisValidationError`` before anything is sent.

The expected TRs are transcribed from the portal pages (해외주식 주문 v1_해외주식-001, 해외주식
정정취소주문 v1_해외주식-003), not read from the specs, so a spec mistake fails here.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from aioresponses import aioresponses

from kis_async import KisClient, KisValidationError, OrderSide, OverseasOrderExchange
from kis_async.overseas_stock.trading import ORDER, ORDER_RESV, ORDER_RVSECNCL

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


#: 해외주식 예약주문접수: order kind → (실전, 모의, the markets it is for)
RESERVATION_TRS = {
    "us_buy": ("TTTT3014U", "VTTT3014U", {US}),
    "us_sell": ("TTTT3016U", "VTTT3016U", {US}),
    "asia": ("TTTS3013U", "VTTS3013U", {JAPAN, SHANGHAI, HONG_KONG, SHENZHEN, VIETNAM}),
}


@pytest.mark.parametrize(
    ("env", "kind", "exchange"), list(itertools.product(ENVS, RESERVATION_TRS, OverseasOrderExchange))
)
def test_a_reservation_gets_its_kinds_tr_only_on_an_exchange_of_that_market(
    env: Any, kind: str, exchange: OverseasOrderExchange
) -> None:
    real, paper, markets = RESERVATION_TRS[kind]
    args = {"order_kind": kind, "exchange": exchange}
    if MARKET_OF_EXCHANGE[exchange.value] in markets:
        assert ORDER_RESV.select_tr(env, args) == (real if env == "real" else paper)
    else:
        with pytest.raises(
            KisValidationError, match=rf"order_kind='{kind}', exchange='{exchange.value}' has no TR ID"
        ):
            ORDER_RESV.select_tr(env, args)
