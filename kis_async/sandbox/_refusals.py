"""KIS's business refusals of domestic stock, overseas stock and futures/options orders, as the
sandbox answers them.

One :class:`Refusal` per rule and domain: live KIS answers the real domain with alphanumeric
``APBK…`` codes (several recorded with ``rt_cd`` "7", not "1") and the paper domain (모의투자) with
numeric ``40…0000`` codes and messages that start with "모의투자". Each code's public source is
listed in ``docs/sandbox.md``; a code no public record shows is a sandbox code (``SBX…``) whose
message says so, so nobody mistakes it for KIS's.
"""

from __future__ import annotations

from typing import Literal

import attrs

Rule = Literal[
    "cash",
    "quantity",
    "tick",
    "us_cents",
    "above_upper_limit",
    "below_lower_limit",
    "unknown_symbol",
    "closed_day",
    "before_session",
    "after_session",
    "nothing_to_change",
    "unknown_order",
    "more_than_open",
    "derivative_above_upper_limit",
    "derivative_below_lower_limit",
    "order_type",
    "algorithm_amend",
]


@attrs.frozen
class Refusal:
    """One refusal as it goes on the wire: ``{rt_cd, msg_cd, msg1}``."""

    msg_cd: str
    msg1: str
    rt_cd: str = "1"


_SANDBOX_NOTE = " (sandbox code: KIS publishes none for this refusal)"
_CODE_NOTE = " (sandbox code: KIS's code for this message is not public)"

#: rule → (real, paper).
REFUSALS: dict[Rule, tuple[Refusal, Refusal]] = {
    "cash": (
        Refusal("APBK0952", "주문가능금액을 초과 했습니다", "7"),
        Refusal("40250000", "모의투자 주문가능금액이 부족합니다."),
    ),
    "quantity": (
        Refusal("APBK0400", "주문 가능한 수량을 초과 했습니다", "7"),
        Refusal("40240000", "모의투자 잔고내역이 없습니다."),
    ),
    "tick": (
        Refusal("APBK0506", "호가단위 오류입니다", "7"),
        Refusal("40030000", "모의투자 주문처리가 안되었습니다(호가단위 오류)"),
    ),
    # a US limit price from $1 with more than two decimals (recorded live: TTTT1002U, limit 6.405);
    # the paper domain's answer is not public: its 호가단위 code, by analogy
    "us_cents": (
        Refusal("APTR0057", "주문 가격을 확인 하시기 바랍니다. 1$이상 소수점 2자리까지만 가능 합니다.", "7"),
        Refusal("40030000", "모의투자 주문처리가 안되었습니다(호가단위 오류)"),
    ),
    "above_upper_limit": (
        Refusal("APBK0406", "주문가격이 상한가를 초과합니다.", "7"),
        Refusal("SBX40001", "모의투자 주문가격이 상한가를 초과합니다." + _SANDBOX_NOTE),
    ),
    "below_lower_limit": (
        Refusal("SBXK0002", "주문가격이 하한가 미만입니다." + _SANDBOX_NOTE, "7"),
        Refusal("SBX40002", "모의투자 주문가격이 하한가 미만입니다." + _SANDBOX_NOTE),
    ),
    "unknown_symbol": (
        Refusal("APBK0656", "해당종목정보가 없습니다.", "7"),
        Refusal("40070000", "모의투자 주문처리가 안되었습니다(매매불가 종목)"),
    ),
    "closed_day": (
        Refusal("APBK0919", "장운영일자가 주문일과 상이합니다", "7"),
        Refusal("40100000", "모의투자 영업일이 아닙니다."),
    ),
    "before_session": (
        Refusal("APBK1058", "주문가능시간이 아닙니다", "7"),
        Refusal("40570000", "모의투자 장시작전 입니다."),
    ),
    "after_session": (
        Refusal("APBK1058", "주문가능시간이 아닙니다", "7"),
        Refusal("40580000", "모의투자 장종료 입니다."),
    ),
    "nothing_to_change": (
        Refusal("APBK0918", "정정/취소할 수량이 없습니다.", "7"),
        Refusal("40330000", "모의투자 정정/취소할 수량이 없습니다."),
    ),
    "unknown_order": (
        Refusal("APBK1663", "해당 주문번호가 없습니다", "7"),
        Refusal("40330000", "모의투자 정정/취소할 수량이 없습니다."),
    ),
    "more_than_open": (
        Refusal("SBXK0003", "취소수량이 취소가능수량을 초과합니다." + _SANDBOX_NOTE, "7"),
        Refusal("40430000", "모의투자 취소수량이 취소가능수량을 초과합니다."),
    ),
    # futures and options (선물옵션): the stock codes by analogy where the message is shared; the
    # paper domain's band refusal is recorded as "모의투자 상/하한가 오류" without its code
    "derivative_above_upper_limit": (
        Refusal("APBK0406", "주문가격이 상한가를 초과합니다.", "7"),
        Refusal("SBX40003", "모의투자 상/하한가 오류" + _CODE_NOTE),
    ),
    "derivative_below_lower_limit": (
        Refusal("SBXK0002", "주문가격이 하한가 미만입니다." + _SANDBOX_NOTE, "7"),
        Refusal("SBX40003", "모의투자 상/하한가 오류" + _CODE_NOTE),
    ),
    # an overseas 주문구분 the page does not list for that exchange and side (a MOO buy, a LOO in
    # Tokyo): no public record shows KIS's answer
    "order_type": (
        Refusal("SBXK0004", "주문구분을 확인하시기 바랍니다." + _SANDBOX_NOTE, "7"),
        Refusal("SBX40005", "모의투자 주문구분을 확인하시기 바랍니다." + _SANDBOX_NOTE),
    ),
    # a 정정 of a US TWAP/VWAP order (the 해외주식 주문 page: "※ TWAP, VWAP 주문은 정정 불가"; a
    # cancel is taken): no public record shows KIS's answer. Paper takes no TWAP/VWAP (00 only).
    "algorithm_amend": (
        Refusal("SBXK0005", "TWAP, VWAP 주문은 정정할 수 없습니다." + _SANDBOX_NOTE, "7"),
        Refusal("SBX40006", "모의투자 TWAP, VWAP 주문은 정정할 수 없습니다." + _SANDBOX_NOTE),
    ),
}


#: A request value the paper (모의투자) server does not accept (the spec's ``paper:``: an exchange
#: other than KRX, a filter paper cannot apply). The message is the one public records show the
#: paper domain answering for a service it does not provide ("모의투자에서는 해당업무가 제공되지
#: 않습니다."); no public record shows the code it answers for a refused value, so the code is the
#: sandbox's and the answer names the field, the value and what paper accepts.
PAPER_VALUE = Refusal("SBX40004", "모의투자에서는 해당업무가 제공되지 않습니다.")
PAPER_VALUE_NOTE = " (sandbox code: KIS's code for a value paper does not accept is not public)"


def refusal(rule: Rule, env: str) -> Refusal:
    real, paper = REFUSALS[rule]
    return paper if env == "paper" else real


def by_code(msg_cd: str, env: str) -> Refusal:
    """The refusal a ``Fault(refuse=msg_cd)`` answers: KIS's message when the sandbox knows the
    code, else a message naming the injected code."""
    for real, paper in REFUSALS.values():
        for known in (paper, real) if env == "paper" else (real, paper):
            if known.msg_cd == msg_cd:
                return known
    return Refusal(msg_cd, f"sandbox: refused with {msg_cd} (Fault(refuse=...))")
