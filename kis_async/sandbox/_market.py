"""A make-believe stock market: Korean listed names and 6-digit codes, each with a consistent quote.

The universe is a fixed list of well-known KOSPI and KOSDAQ names topped up with invented ones,
so any ranking can fill 30 rows per market. A stock's quote (price, previous close, difference,
sign, rate, volume, listed shares) depends only on the seed and the code, so every endpoint of one
sandbox tells the same story about the same stock.
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
from decimal import Decimal
from typing import Literal

import attrs

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


def tick(price: float) -> int:
    """KRX tick size (호가단위) for a price."""
    for limit, size in ((2000, 1), (5000, 5), (20000, 10), (50000, 50), (200000, 100), (500000, 500)):
        if price < limit:
            return size
    return 1000


def round_tick(price: float) -> int:
    size = tick(price)
    return max(size, round(price / size) * size)


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


def _limits(prev_close: int) -> tuple[int, int]:
    """상한가 and 하한가: ±30% of the previous close, on the tick grid."""
    upper = round_tick(prev_close * 1.3 - tick(prev_close * 1.3) / 2)
    lower = round_tick(prev_close * 0.7 + tick(prev_close * 0.7) / 2)
    return upper, lower


def _day(prev_close: int, price: int, listed_shares: int, rng: random.Random) -> Quote:
    """A day closing (or trading) at ``price`` after ``prev_close``, with open/high/low around it."""
    upper, lower = _limits(prev_close)
    opened = min(upper, max(lower, round_tick(prev_close * (1 + rng.uniform(-0.015, 0.015)))))
    high = max(price, opened, round_tick(max(price, opened) * (1 + rng.uniform(0, 0.02))))
    low = min(price, opened, round_tick(min(price, opened) * (1 - rng.uniform(0, 0.02))))
    return Quote(
        price=price,
        prev_close=prev_close,
        open=opened,
        high=min(high, upper),
        low=max(low, lower),
        upper_limit=upper,
        lower_limit=lower,
        volume=int(math.exp(rng.uniform(math.log(8_000), math.log(40_000_000)))),
        listed_shares=listed_shares,
    )


@functools.lru_cache(maxsize=4096)
def quote(seed: int, code: str) -> Quote:
    """Today's quote of ``code``: the same in every endpoint of a sandbox with this seed."""
    rng = seeded(seed, "quote", code)
    prev_close = round_tick(math.exp(rng.uniform(math.log(1200), math.log(700_000))))
    upper, lower = _limits(prev_close)
    roll = rng.random()
    if roll < 0.03:
        price = upper
    elif roll < 0.05:
        price = lower
    elif roll < 0.12:
        price = prev_close
    else:
        change = max(-0.29, min(0.29, rng.gauss(0.0, 0.035)))
        price = min(upper, max(lower, round_tick(prev_close * (1 + change))))
    # 시가총액 (market cap) from 300억 to 400조 원, so listed shares fit the price
    listed_shares = int(math.exp(rng.uniform(math.log(3e10), math.log(4e14))) / prev_close)
    return _day(prev_close, price, listed_shares, rng)


@functools.lru_cache(maxsize=1024)
def history(seed: int, code: str, days: int) -> tuple[Quote, ...]:
    """The last ``days`` trading days of ``code``, today first; each day's previous close is the
    next (older) day's close, so a daily chart's differences and rates add up."""
    days_back = [quote(seed, code)]
    rng = seeded(seed, "history", code)
    while len(days_back) < days:
        close = days_back[-1].prev_close
        change = max(-0.2, min(0.2, rng.gauss(0.0, 0.025)))
        previous = round_tick(close / (1 + change))
        days_back.append(_day(previous, close, days_back[0].listed_shares, rng))
    return tuple(days_back)
