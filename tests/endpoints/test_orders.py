"""A bot places, amends and cancels orders: readable arguments, the side picks the TR, the body is
JSON with UPPER-CASE keys, the answer's UPPER-CASE keys become attributes, and an optional hashkey."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest
from aioresponses import aioresponses

from kis_async import KisClient, KisDecodeError, KisOrderStateUnknownError, KisValidationError
from kis_async.domestic_stock import AmendOrCancel, SellType
from kis_async.domestic_stock.trading import ORDER_CREDIT
from kis_async.enums import OrderSide, OrderType
from tests.endpoints.conftest import BASE, envelope, sent, url
from tests.fakes import APP_KEY

ORDER_PATH = "/uapi/domestic-stock/v1/trading/order-cash"
AMEND_PATH = "/uapi/domestic-stock/v1/trading/order-rvsecncl"
HASH_PATH = "/uapi/hashkey"

REAL_ACCEPTED = envelope(
    msg_cd="APBK0013",
    msg1="주문 전송 완료 되었습니다.",
    output={"KRX_FWDG_ORD_ORGNO": "91252", "ODNO": "0000117057", "ORD_TMD": "121052", "SOR_ODNO": ""},
)


async def test_a_limit_buy_sends_an_upper_case_json_body(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.post(url(ORDER_PATH), payload=REAL_ACCEPTED)

    result = await kis_mocked.domestic_stock.order_cash(side="buy", symbol="005930", quantity=10, price=70000)

    (request,) = sent(mocked, ORDER_PATH)
    assert request.method == "POST"
    assert request.tr_id == "TTTC0012U"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert "hashkey" not in request.headers
    assert request.params == {}
    assert request.body == {
        "CANO": "12345678",
        "ACNT_PRDT_CD": "01",
        "PDNO": "005930",
        "SLL_TYPE": "",
        "ORD_DVSN": "00",  # limit unless told otherwise
        "ORD_QTY": "10",  # every value a string
        "ORD_UNPR": "70000",
        "CNDT_PRIC": "",
        "EXCG_ID_DVSN_CD": "KRX",
    }
    assert result.output is not None
    assert result.output.odno == "0000117057"  # from the upper-case key ODNO
    assert result.output.krx_fwdg_ord_orgno == "91252"
    assert result.output.ord_tmd == dt.time(12, 10, 52)
    assert result.output.raw["SOR_ODNO"] == ""
    assert result.msg_cd == "APBK0013"


@pytest.mark.parametrize(
    ("env", "side", "tr_id"),
    [
        ("real", "buy", "TTTC0012U"),
        ("real", "sell", "TTTC0011U"),
        ("paper", OrderSide.BUY, "VTTC0012U"),
        ("paper", OrderSide.SELL, "VTTC0011U"),
    ],
)
async def test_the_side_and_environment_pick_the_tr(
    mocked: aioresponses, env: str, side: str, tr_id: str, make_client: Callable[..., KisClient]
) -> None:
    mocked.post(
        url(ORDER_PATH),
        payload=envelope(
            msg_cd="40600000",
            msg1="모의투자 매수주문이 완료 되었습니다.",
            output={"KRX_FWDG_ORD_ORGNO": "00950", "ODNO": "47589", "ORD_TMD": "134354"},
        ),
    )

    async with make_client(env=env) as kis:
        result = await kis.domestic_stock.order_cash(side=side, symbol="005930", quantity=1, price=0)

    (request,) = sent(mocked, ORDER_PATH)
    assert request.tr_id == tr_id
    assert result.output is not None and result.output.odno == "47589"  # unpadded on paper


async def test_a_market_sell_with_a_sell_type(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.post(url(ORDER_PATH), payload=REAL_ACCEPTED)

    await kis_mocked.domestic_stock.order_cash(
        side="sell",
        symbol="005930",
        quantity=3,
        price=0,
        order_type=OrderType.MARKET,
        sell_type=SellType.NORMAL,
        exchange="SOR",
    )

    (request,) = sent(mocked, ORDER_PATH)
    assert request.tr_id == "TTTC0011U"
    assert request.body["ORD_DVSN"] == "01"
    assert request.body["SLL_TYPE"] == "01"
    assert request.body["EXCG_ID_DVSN_CD"] == "SOR"
    assert request.body["ORD_UNPR"] == "0"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"side": "hold", "quantity": 1},
            r"side \(매수/매도; chooses the TR ID\): got 'hold', expected one of 'buy' \(BUY\)",
        ),
        ({"side": "buy", "quantity": 0}, r"quantity \(ORD_QTY, 주문수량\): got 0, expected 1\.\.9999999999"),
        ({"side": "buy", "quantity": -5}, r"quantity .*got -5"),
        ({"side": "buy", "quantity": 1.5}, r"quantity .*got 1\.5, expected an integer"),
        ({"side": "buy", "quantity": True}, r"quantity .*got True, expected an integer"),
    ],
)
async def test_a_bad_order_is_refused_before_anything_is_sent(
    kis_mocked: KisClient, mocked: aioresponses, arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(KisValidationError, match=message):
        await kis_mocked.domestic_stock.order_cash(symbol="005930", price=70000, **arguments)  # type: ignore[arg-type]
    assert sent(mocked, ORDER_PATH) == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"account": "1234567"},
            r"account \(CANO, 종합계좌번호\): got '1234567', .*\^\[0-9\]\{8\}\$",
        ),
        ({"account": "1234-5678"}, r"account \(CANO.*\^\[0-9\]\{8\}\$"),
        (
            {"account_product": "1"},
            r"account_product \(ACNT_PRDT_CD, 계좌상품코드\): got '1', .*\^\[0-9\]\{2\}\$",
        ),
        (
            {"symbol": "5930"},
            r"symbol \(PDNO, 상품번호\): got '5930', expected a string matching \^Q\?\[0-9A-Z\]\{6\}\$",
        ),
        ({"symbol": "005930 "}, r"symbol \(PDNO.*got '005930 '"),
    ],
)
async def test_a_malformed_account_or_symbol_is_refused_naming_the_pattern(
    kis_mocked: KisClient, mocked: aioresponses, arguments: dict[str, str], message: str
) -> None:
    order = {"side": "buy", "symbol": "005930", "quantity": 1, "price": 70000, **arguments}
    with pytest.raises(KisValidationError, match=message):
        await kis_mocked.domestic_stock.order_cash(**order)  # type: ignore[arg-type]
    assert sent(mocked, ORDER_PATH) == []


async def test_an_etn_symbol_with_its_q_and_an_explicit_account_are_accepted(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.post(url(ORDER_PATH), payload=REAL_ACCEPTED)

    await kis_mocked.domestic_stock.order_cash(
        side="buy", symbol="Q500001", quantity=1, price=10000, account="87654321", account_product="22"
    )

    (request,) = sent(mocked, ORDER_PATH)
    assert (request.body["CANO"], request.body["ACNT_PRDT_CD"], request.body["PDNO"]) == (
        "87654321",
        "22",
        "Q500001",
    )


def test_a_credit_order_takes_a_six_digit_symbol() -> None:
    """The portal gives PDNO of 주식주문(신용) length 5; the spec had copied it and refused 005930."""
    (symbol,) = (p for p in ORDER_CREDIT.params if p.wire == "PDNO")

    assert symbol.to_wire("005930", ORDER_CREDIT.name) == "005930"
    assert symbol.to_wire("Q500001", ORDER_CREDIT.name) == "Q500001"


async def test_an_order_is_not_resent_when_the_answer_is_lost(
    mocked: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    mocked.post(url(ORDER_PATH), exception=TimeoutError())
    mocked.post(url(ORDER_PATH), payload=REAL_ACCEPTED)

    async with make_client(max_retries=3) as kis:  # reads would be retried; orders are not
        with pytest.raises(KisOrderStateUnknownError, match="NOT resent"):
            await kis.domestic_stock.order_cash(side="buy", symbol="005930", quantity=1, price=70000)

    assert len(sent(mocked, ORDER_PATH)) == 1


async def test_with_hashkey_the_order_carries_the_hash_of_its_body(
    mocked: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    mocked.post(f"{BASE}{HASH_PATH}", payload={"JsonBody": {}, "HASH": "8f1c0e1d2a"})
    mocked.post(url(ORDER_PATH), payload=REAL_ACCEPTED)

    async with make_client(hashkey=True) as kis:
        await kis.domestic_stock.order_cash(side="buy", symbol="005930", quantity=10, price=70000)

    (hashed,) = sent(mocked, HASH_PATH)
    (order,) = sent(mocked, ORDER_PATH)
    assert hashed.body == order.body  # the hash is of exactly the body that was sent
    assert hashed.headers["appkey"] == APP_KEY
    assert "authorization" not in hashed.headers
    assert order.headers["hashkey"] == "8f1c0e1d2a"


async def test_hashkey_is_only_for_posts(mocked: aioresponses, make_client: Callable[..., KisClient]) -> None:
    mocked.get(url("/uapi/domestic-stock/v1/trading/inquire-psbl-order"), payload=envelope(output={}))

    async with make_client(hashkey=True) as kis:
        await kis.domestic_stock.inquire_psbl_order()

    assert sent(mocked, HASH_PATH) == []


async def test_a_failed_hashkey_stops_the_order(
    mocked: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    mocked.post(f"{BASE}{HASH_PATH}", status=500, body="gateway error")

    async with make_client(hashkey=True) as kis:
        with pytest.raises(
            KisDecodeError, match=r"hashkey: HTTP 500 without a HASH.*the request was not sent"
        ):
            await kis.domestic_stock.order_cash(side="buy", symbol="005930", quantity=1, price=70000)

    assert sent(mocked, ORDER_PATH) == []


async def test_cancel_the_whole_remaining_quantity(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.post(
        url(AMEND_PATH),
        payload=envelope(
            msg_cd="APBK0013",
            msg1="주문 전송 완료 되었습니다.",
            output={"KRX_FWDG_ORD_ORGNO": "91252", "ODNO": "0000117098", "ORD_TMD": "121611"},
        ),
    )

    result = await kis_mocked.domestic_stock.order_rvsecncl(
        action="cancel", order_org_no="91252", original_order_no="0000117057", all_remaining=True
    )

    (request,) = sent(mocked, AMEND_PATH)
    assert request.tr_id == "TTTC0013U"
    assert request.body == {
        "CANO": "12345678",
        "ACNT_PRDT_CD": "01",
        "KRX_FWDG_ORD_ORGNO": "91252",
        "ORGN_ODNO": "0000117057",
        "ORD_DVSN": "00",
        "RVSE_CNCL_DVSN_CD": "02",
        "ORD_QTY": "0",
        "ORD_UNPR": "0",
        "QTY_ALL_ORD_YN": "Y",
        "CNDT_PRIC": "",
        "EXCG_ID_DVSN_CD": "KRX",
    }
    assert result.output is not None and result.output.odno == "0000117098"


@pytest.mark.kis_mocked(env="paper")
async def test_amend_part_of_an_order_on_paper(kis_mocked: KisClient, mocked: aioresponses) -> None:
    mocked.post(
        url(AMEND_PATH),
        payload=envelope(
            msg_cd="40670000",
            msg1="모의투자 정정주문이 완료 되었습니다.",
            output={"krx_fwdg_ord_orgno": "00950", "odno": "47601", "ord_tmd": "134512"},
        ),
    )

    result = await kis_mocked.domestic_stock.order_rvsecncl(
        action=AmendOrCancel.AMEND,
        order_org_no="00950",
        original_order_no="47589",
        quantity=4,
        price=69500,
        all_remaining=False,
    )

    (request,) = sent(mocked, AMEND_PATH)
    assert request.tr_id == "VTTC0013U"
    assert (request.body["RVSE_CNCL_DVSN_CD"], request.body["ORD_QTY"], request.body["ORD_UNPR"]) == (
        "01",
        "4",
        "69500",
    )
    assert request.body["QTY_ALL_ORD_YN"] == "N"
    assert result.output is not None and result.output.odno == "47601"  # an amend gets a new number


async def test_amend_needs_to_know_whether_it_is_the_whole_quantity(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    with pytest.raises(
        KisValidationError, match=r"all_remaining \(QTY_ALL_ORD_YN, 잔량전부주문여부\) is required"
    ):
        await kis_mocked.domestic_stock.order_rvsecncl(
            action="amend",
            order_org_no="91252",
            original_order_no="0000117057",
            quantity=3,
            price=70100,
            all_remaining=None,  # type: ignore[arg-type]
        )
    assert sent(mocked, AMEND_PATH) == []


async def test_an_unreachable_hashkey_stops_the_order(
    mocked: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    from kis_async import KisTransportError

    mocked.post(f"{BASE}{HASH_PATH}", exception=TimeoutError())

    async with make_client(hashkey=True) as kis:
        with pytest.raises(KisTransportError, match=r"hashkey: TimeoutError.*the request was not sent"):
            await kis.domestic_stock.order_cash(side="sell", symbol="005930", quantity=1, price=70000)

    assert sent(mocked, ORDER_PATH) == []


# Never silent: an order KIS accepted (rt_cd "0") never ends in a plain decode error a bot could
# take for "not placed" and resend.


def accepted(**output: Any) -> dict[str, Any]:
    return envelope(msg_cd="APBK0013", msg1="주문 전송 완료 되었습니다.", output=output)


async def test_an_accepted_order_with_an_unreadable_field_is_returned_with_a_warning(
    kis_mocked: KisClient, mocked: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    mocked.post(
        url(ORDER_PATH), payload=accepted(KRX_FWDG_ORD_ORGNO="91252", ODNO="0000117057", ORD_TMD="12:10")
    )

    with caplog.at_level(logging.WARNING, logger="kis_async"):
        result = await kis_mocked.domestic_stock.order_cash(
            side="buy", symbol="005930", quantity=10, price=70000
        )

    assert result.output is not None
    assert result.output.odno == "0000117057"  # the bot knows which order it placed
    assert result.output.ord_tmd == "12:10"  # not a time: kept as the wire string
    assert result.raw["output"]["ORD_TMD"] == "12:10"
    warning = next(r.getMessage() for r in caplog.records if "accepted the order" in r.getMessage())
    assert "domestic_stock.order_cash (TTTC0012U)" in warning and "output.ord_tmd" in warning
    assert len(sent(mocked, ORDER_PATH)) == 1


async def test_an_accepted_order_whose_output_cannot_be_read_at_all_is_of_unknown_state(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    body = envelope(msg_cd="APBK0013", msg1="주문 전송 완료 되었습니다.", output="0000117057")
    mocked.post(url(ORDER_PATH), payload=body)

    with pytest.raises(
        KisOrderStateUnknownError, match=r"rt_cd=0.*no readable order number \(output\.odno\)"
    ):
        await kis_mocked.domestic_stock.order_cash(side="buy", symbol="005930", quantity=10, price=70000)

    assert kis_mocked.stats.unknown_outcomes == 1
    assert len(sent(mocked, ORDER_PATH)) == 1  # never resent


async def test_an_accepted_order_without_its_order_number_is_of_unknown_state_and_carries_the_body(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    body = accepted(KRX_FWDG_ORD_ORGNO="91252", ODNO="", ORD_TMD="121052")
    mocked.post(url(ORDER_PATH), payload=body)

    with pytest.raises(KisOrderStateUnknownError) as caught:
        await kis_mocked.domestic_stock.order_cash(side="buy", symbol="005930", quantity=10, price=70000)

    assert caught.value.body == body
    assert "inquire_daily_ccld" in str(caught.value)


async def test_a_garbled_answer_to_an_order_is_of_unknown_state_not_a_decode_error(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    mocked.post(url(ORDER_PATH), body='{"rt_cd": "0", "output": {"ODNO": "00001', status=200)

    with pytest.raises(KisOrderStateUnknownError) as caught:
        await kis_mocked.domestic_stock.order_cash(side="buy", symbol="005930", quantity=10, price=70000)

    assert not isinstance(caught.value, KisDecodeError)
    assert caught.value.body == '{"rt_cd": "0", "output": {"ODNO": "00001'


async def test_an_accepted_order_answered_with_several_receipts_keeps_them_all(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    receipts = [
        {"KRX_FWDG_ORD_ORGNO": "91252", "ODNO": "0000117057", "ORD_TMD": "121052"},
        {"KRX_FWDG_ORD_ORGNO": "91252", "ODNO": "0000117058", "ORD_TMD": "121053"},
    ]
    mocked.post(url(ORDER_PATH), payload=envelope(output=receipts))

    result = await kis_mocked.domestic_stock.order_cash(side="buy", symbol="005930", quantity=10, price=70000)

    assert isinstance(result.output, list)
    assert [r.odno for r in result.output] == ["0000117057", "0000117058"]


async def test_a_read_with_an_unreadable_field_still_raises_a_decode_error(
    kis_mocked: KisClient, mocked: aioresponses
) -> None:
    # reads are not orders: strict decoding is unchanged for them
    path = "/uapi/domestic-stock/v1/trading/inquire-psbl-order"
    mocked.get(url(path), payload=envelope(output={"ord_psbl_cash": "12.3a"}))
    with pytest.raises(KisDecodeError, match="ord_psbl_cash"):
        await kis_mocked.domestic_stock.inquire_psbl_order(symbol="005930", price=70000, order_type="00")
