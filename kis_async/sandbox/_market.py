"""A make-believe stock market: Korean listed names and 6-digit codes, each with a consistent quote.

The universe is a fixed list of well-known KOSPI and KOSDAQ names topped up with invented ones,
so any ranking can fill 30 rows per market. A stock's quote (price, previous close, difference,
sign, rate, volume, listed shares) is its seeded price path (:mod:`._prices`) at an instant, so
every endpoint of one sandbox tells the same story about the same stock at the same clock, and
its charts, minute bars and real-time ticks continue it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import random
from decimal import Decimal
from typing import Literal

import attrs

from kis_async._calendar import MARKETS, now_kst
from kis_async.sandbox._contracts import contract
from kis_async.sandbox._contracts import limits as derivative_limits
from kis_async.sandbox._prices import Bar, abroad_limits, limits, prices, round_tick, tick

__all__ = ["round_tick", "tick"]

MarketName = Literal["KOSPI", "KOSDAQ"]


@attrs.frozen
class Stock:
    code: str
    """단축 종목코드 (6 characters)."""
    name: str
    """HTS 한글 종목명."""
    market: MarketName
    kospi200: bool = False


_KOSPI = """
005930 삼성전자 *|000660 SK하이닉스 *|373220 LG에너지솔루션 *|207940 삼성바이오로직스 *|005380 현대차 *
000270 기아 *|068270 셀트리온 *|005490 POSCO홀딩스 *|035420 NAVER *|035720 카카오 *|051910 LG화학 *
006400 삼성SDI *|105560 KB금융 *|055550 신한지주 *|012330 현대모비스 *|028260 삼성물산 *|066570 LG전자 *
003550 LG *|096770 SK이노베이션 *|034730 SK *|015760 한국전력 *|017670 SK텔레콤 *|030200 KT *
032830 삼성생명 *|086790 하나금융지주 *|316140 우리금융지주 *|010130 고려아연 *|009150 삼성전기 *
018260 삼성에스디에스 *|011200 HMM *|003670 포스코퓨처엠 *|010950 S-Oil *|024110 기업은행 *
000810 삼성화재 *|033780 KT&G *|011170 롯데케미칼 *|004020 현대제철 *|010140 삼성중공업 *
009540 HD한국조선해양 *|042660 한화오션 *|012450 한화에어로스페이스 *|047810 한국항공우주 *
064350 현대로템 *|000100 유한양행 *|128940 한미약품 *|302440 SK바이오사이언스|326030 SK바이오팜 *
377300 카카오페이|323410 카카오뱅크 *|039490 키움증권|006800 미래에셋증권 *|016360 삼성증권 *
071050 한국금융지주 *|097950 CJ제일제당 *|004370 농심 *|271560 오리온 *|139480 이마트 *
023530 롯데쇼핑|282330 BGF리테일 *|090430 아모레퍼시픽 *|051900 LG생활건강 *|011780 금호석유 *
161390 한국타이어앤테크놀로지 *|078930 GS *|267250 HD현대 *|034020 두산에너빌리티 *|000880 한화 *
009830 한화솔루션 *|036460 한국가스공사 *|021240 코웨이 *|042700 한미반도체 *|454910 두산로보틱스
005935 삼성전자우|001040 CJ|002790 아모레G|004170 신세계|008770 호텔신라 *|010620 HD현대미포
"""

_KOSDAQ = """
247540 에코프로비엠|086520 에코프로|028300 HLB|196170 알테오젠|263750 펄어비스|293490 카카오게임즈
041510 에스엠|035900 JYP Ent.|122870 와이지엔터테인먼트|145020 휴젤|214150 클래시스|240810 원익IPS
058470 리노공업|039030 이오테크닉스|357780 솔브레인|112040 위메이드|095660 네오위즈|068760 셀트리온제약
085660 차바이오텍|141080 리가켐바이오|277810 레인보우로보틱스|403870 HPSP|067310 하나마이크론
036930 주성엔지니어링|066970 엘앤에프|091990 셀트리온헬스케어|253450 스튜디오드래곤|060250 NHN KCP
048410 현대바이오|950130 엑세스바이오|078600 대주전자재료|222800 심텍|080220 제주반도체
"""

# Invented names top the lists up (any ranking of any market can fill its rows).
_PREFIXES = ("대한", "한국", "동양", "삼화", "신성", "태평양", "우진", "세원", "동일", "한일", "대성", "금양")
_SUFFIXES = (
    "전자",
    "화학",
    "제약",
    "바이오",
    "정밀",
    "산업",
    "테크",
    "에너지",
    "중공업",
    "건설",
    "식품",
    "소재",
)


def _parse(table: str, market: MarketName) -> list[Stock]:
    stocks = []
    for entry in table.replace("\n", "|").split("|"):
        entry = entry.strip()
        if not entry:
            continue
        code, _, rest = entry.partition(" ")
        big = rest.endswith(" *")
        stocks.append(Stock(code, rest.removesuffix(" *"), market, kospi200=big))
    return stocks


def _invented(count: int) -> list[Stock]:
    rng = random.Random("kis-async sandbox universe")
    taken: set[str] = set()
    stocks = []
    for index in range(count):
        while True:
            name = rng.choice(_PREFIXES) + rng.choice(_SUFFIXES)
            code = f"{rng.randrange(1, 4000) * 100 + rng.choice((0, 10, 30, 40, 60, 70, 80, 90)):06d}"[:6]
            if name not in taken and code not in taken:
                break
        taken.update((name, code))
        market: MarketName = "KOSPI" if index % 2 == 0 else "KOSDAQ"
        stocks.append(Stock(code, name, market))
    return stocks


def _build_universe() -> tuple[Stock, ...]:
    known = _parse(_KOSPI, "KOSPI") + _parse(_KOSDAQ, "KOSDAQ")
    used = {s.code for s in known} | {s.name for s in known}
    extra = [s for s in _invented(140) if s.code not in used and s.name not in used]
    return tuple(known + extra)


UNIVERSE: tuple[Stock, ...] = _build_universe()
BY_CODE: dict[str, Stock] = {stock.code: stock for stock in UNIVERSE}

#: 업종 (sector) codes and names, for rows that describe a sector rather than a stock.
SECTORS: tuple[tuple[str, str], ...] = (
    ("0001", "종합"),
    ("1001", "코스닥"),
    ("2001", "코스피200"),
    ("0013", "전기전자"),
    ("0008", "화학"),
    ("0009", "의약품"),
    ("0021", "금융업"),
)

#: Codes of ``FID_INPUT_ISCD``-style market filters (0000 = every market).
MARKET_FILTERS = {"0001": "KOSPI", "1001": "KOSDAQ", "2001": "KOSPI200"}


def stocks_in(market_filter: str | None) -> tuple[Stock, ...]:
    kind = MARKET_FILTERS.get(market_filter or "")
    if kind is None:
        return UNIVERSE
    if kind == "KOSPI200":
        return tuple(s for s in UNIVERSE if s.kospi200)
    return tuple(s for s in UNIVERSE if s.market == kind)


@attrs.frozen
class Quote:
    """One stock's day: every price field of every endpoint is derived from these."""

    price: int
    """주식 현재가."""
    prev_close: int
    """전일 종가 (기준가)."""
    open: int
    high: int
    low: int
    upper_limit: int
    lower_limit: int
    volume: int
    listed_shares: int

    @property
    def diff(self) -> int:
        """전일 대비, signed."""
        return self.price - self.prev_close

    @property
    def sign(self) -> str:
        """전일 대비 부호: 1 상한, 2 상승, 3 보합, 4 하한, 5 하락."""
        if self.diff == 0:
            return "3"
        if self.diff > 0:
            return "1" if self.price >= self.upper_limit else "2"
        return "4" if self.price <= self.lower_limit else "5"

    @property
    def rate(self) -> Decimal:
        """전일 대비율 (%), two decimals, signed like the difference."""
        return (Decimal(self.diff) * 100 / Decimal(self.prev_close)).quantize(Decimal("0.01"))


def seeded(*parts: object) -> random.Random:
    """A random generator fixed by ``parts`` (stable across runs and python processes)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def quote_of(bar: Bar, listed_shares: int, key: str = "") -> Quote:
    """The quote a bar shows: its close as the price, the band around its previous close (a listed
    future's or option's own band when ``key`` names one)."""
    item = contract(key) if key else None
    if item is not None:
        upper, lower = derivative_limits(item, bar.prev_close)
    elif ":" in key:  # an overseas symbol: the band's ends on its exchange's tick table
        upper, lower = abroad_limits(key.partition(":")[0], bar.prev_close)
    else:
        upper, lower = limits(bar.prev_close)
    return Quote(
        price=bar.close,
        prev_close=bar.prev_close,
        open=bar.open,
        high=bar.high,
        low=bar.low,
        upper_limit=upper,
        lower_limit=lower,
        volume=bar.volume,
        listed_shares=listed_shares,
    )


def market_of(key: str) -> str:
    """The calendar market of a path key: an overseas exchange for ``NAS:AAPL`` or a real-time
    key ``DNASAAPL``/``RBAQAAPL``, else KRX (stocks, indices, futures)."""
    exchange = key.partition(":")[0] if ":" in key else key[1:4] if key[:1] in ("D", "R") else ""
    return exchange if len(exchange) == 3 and exchange in MARKETS else "KRX"


def path_key(key: str) -> str:
    """The price path a key reads: ``DNASAAPL`` (a real-time key) reads ``NAS:AAPL``, as REST does."""
    if ":" not in key and key[:1] in ("D", "R") and market_of(key) != "KRX":
        return f"{key[1:4]}:{key[4:]}"
    return key


def quote(seed: int, code: str, at: dt.datetime | None = None) -> Quote:
    """``code``'s quote at ``at`` (default: now): the latest bar of its price path, the same in
    every endpoint of a sandbox with this seed at the same clock (to the second)."""
    return _quote(seed, code, (at or now_kst()).replace(microsecond=0))


@functools.lru_cache(maxsize=8192)
def _quote(seed: int, code: str, at: dt.datetime) -> Quote:
    model = prices(seed)
    key = path_key(code)
    market = market_of(key)
    bar = model.latest(key, at, market)
    if bar is None:  # not listed yet: its first price, nothing traded
        price = model.close(key, model.listing(key))
        bar = Bar(model.listing(key), None, price, price, price, price, price, 0, 0)
    return quote_of(bar, model.listed_shares(key), key)
