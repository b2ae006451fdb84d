"""국내주식 신용잔고 상위 (credit-balance ranking) as a table: the README's first run.

With ``KIS_APP_KEY`` and ``KIS_APP_SECRET`` set it asks KIS itself (``KisClient.from_env()``, so
``KIS_ENV``/``KIS_BASE_URL`` apply too); otherwise it starts the sandbox in this process and asks
it, so it runs anywhere with no account. ``make demo`` runs it.

    python examples/credit_balance.py [--market KOSDAQ] [--sort LOAN_AMOUNT] [--period 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from kis_async import KisClient, KisError
from kis_async.domestic_stock.ranking import CreditBalanceMarket, CreditBalanceResponse, CreditBalanceSort
from kis_async.enums import Sign

ARROWS = {Sign.UPPER_LIMIT: "↑", Sign.RISE: "▲", Sign.FLAT: " ", Sign.LOWER_LIMIT: "↓", Sign.FALL: "▼"}


async def fetch(kis: KisClient, args: argparse.Namespace) -> CreditBalanceResponse:
    return await kis.domestic_stock.credit_balance(market=args.market, period=args.period, sort=args.sort)


async def run(args: argparse.Namespace) -> CreditBalanceResponse:
    if os.environ.get("KIS_APP_KEY") and os.environ.get("KIS_APP_SECRET"):
        async with KisClient.from_env() as kis:
            print(f"KIS at {kis.base_url}")
            return await fetch(kis, args)
    from kis_async.sandbox import Sandbox

    async with Sandbox() as sandbox, sandbox.client() as kis:
        print(f"sandbox at {sandbox.url} (set KIS_APP_KEY and KIS_APP_SECRET to ask KIS itself)")
        return await fetch(kis, args)


def width(text: str) -> int:
    """Columns a string takes in a terminal (Hangul is two wide)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell(text: str, size: int, *, right: bool = False) -> str:
    pad = " " * max(0, size - width(text))
    return pad + text if right else text + pad


def number(value: int | Decimal | None, places: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{places}f}" if places else f"{value:,}"


def table(ranking: CreditBalanceResponse, args: argparse.Namespace) -> str:
    columns: tuple[tuple[str, int], ...] = (
        ("순위", 4),
        ("종목코드", 8),
        ("종목명", 22),
        ("현재가", 10),
        ("전일대비", 11),
        ("등락률", 8),
        ("융자잔고율", 10),
        ("융자잔고(억원)", 14),
        (f"{args.period}일증가율", 10),
    )
    header = " ".join(cell(name, size, right=i >= 3) for i, (name, size) in enumerate(columns))
    lines = [header, "-" * width(header)]
    for rank, row in enumerate(ranking.output2, 1):
        arrow = ARROWS.get(row.prdy_vrss_sign, "?") if row.prdy_vrss_sign else " "
        loan_eok = None if row.whol_loan_rmnd_amt is None else Decimal(row.whol_loan_rmnd_amt) / 10_000
        values = (
            str(rank),
            row.mksc_shrn_iscd or "",
            row.hts_kor_isnm or "",
            number(row.stck_prpr),
            f"{arrow}{number(abs(row.prdy_vrss) if row.prdy_vrss is not None else None)}",
            f"{number(row.prdy_ctrt, 2)}%",
            f"{number(row.whol_loan_rmnd_rate, 2)}%",
            number(loan_eok, 1),
            f"{number(row.nday_vrss_loan_rmnd_inrt, 2)}%",
        )
        lines.append(
            " ".join(
                cell(v, size, right=i >= 3)
                for i, (v, (_, size)) in enumerate(zip(values, columns, strict=True))
            )
        )
    dates = next((r for r in ranking.output1 if r.stnd_date2), None)
    market = CreditBalanceMarket(args.market)
    sort = CreditBalanceSort(args.sort)
    title = f"국내주식 신용잔고 상위 — {market.korean}, {sort.korean}"
    if dates is not None:
        title += f" (기준일 {dates.stnd_date2})"
    return "\n".join([title, *lines, f"{len(ranking.output2)} rows"])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--market", default="0000", type=_code(CreditBalanceMarket), help="ALL, KOSPI, KOSDAQ, KOSPI200"
    )
    parser.add_argument(
        "--sort", default="0", type=_code(CreditBalanceSort), help="LOAN_RATE, LOAN_AMOUNT, … (or the code)"
    )
    parser.add_argument("--period", default=5, type=int, help="증가율기간 in days, 2..999")
    return parser.parse_args(argv)


def _code(enum: type[CreditBalanceMarket] | type[CreditBalanceSort]) -> Callable[[str], str]:
    def convert(text: str) -> str:
        member = enum.__members__.get(text.upper())
        if member is not None:
            return str(member.value)
        if text in enum._value2member_map_:
            return text
        raise argparse.ArgumentTypeError(f"choose one of {', '.join(enum.__members__)}")

    return convert


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        ranking = asyncio.run(run(args))
    except KisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(table(ranking, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
