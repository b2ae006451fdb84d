"""A polling bot: watch 융자 잔고비율 (loan balance rate) in the credit-balance ranking change.

Every ``--interval`` seconds it asks for 국내주식 신용잔고 상위 sorted by loan balance rate and
prints what changed since the previous poll: rates that moved, symbols that entered the ranking
and symbols that left it. With ``KIS_APP_KEY``/``KIS_APP_SECRET`` set it asks KIS
(``KisClient.from_env()``); otherwise it starts the sandbox in this process.

    python examples/poll_loan_rate.py                          # 3 polls, 1 s apart (make examples)
    python examples/poll_loan_rate.py --iterations 0 --interval 60 --market KOSDAQ   # a real bot

A bot that runs for weeks must survive a bad minute: the client already retries reads on rate
limits, 5xx and dropped connections; a poll that still fails is logged and the next one is tried.
Mistakes that no retry fixes (bad arguments, credentials, an endpoint missing on paper) stop it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import AsyncIterator
from decimal import Decimal

from kis_async import KisApiError, KisClient, KisDecodeError, KisError, KisTransportError
from kis_async.domestic_stock import CreditBalanceMarket, CreditBalanceResponse, CreditBalanceSort

logger = logging.getLogger("poll_loan_rate")

#: symbol → (종목명, 전체 융자 잔고 비율 %)
Snapshot = dict[str, tuple[str, Decimal | None]]


@contextlib.asynccontextmanager
async def connect() -> AsyncIterator[KisClient]:
    """KIS when credentials are set, else an in-process sandbox."""
    if os.environ.get("KIS_APP_KEY") and os.environ.get("KIS_APP_SECRET"):
        async with KisClient.from_env() as kis:
            yield kis
        return
    from kis_async.sandbox import Sandbox

    async with Sandbox() as sandbox, sandbox.client() as kis:
        print(f"sandbox at {sandbox.url} (set KIS_APP_KEY and KIS_APP_SECRET to ask KIS)")
        yield kis


def snapshot(ranking: CreditBalanceResponse) -> Snapshot:
    return {
        row.mksc_shrn_iscd: (row.hts_kor_isnm or "", row.whol_loan_rmnd_rate)
        for row in ranking.output2
        if row.mksc_shrn_iscd
    }


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """Human-readable differences between two polls, in the new ranking's order."""
    lines = []
    for symbol, (name, rate) in after.items():
        if symbol not in before:
            lines.append(f"  + {symbol} {name}: entered at {rate}%")
        elif before[symbol][1] != rate:
            old = before[symbol][1]
            delta = f" ({rate - old:+}%p)" if rate is not None and old is not None else ""
            lines.append(f"  ~ {symbol} {name}: {old}% → {rate}%{delta}")
    lines += [
        f"  - {symbol} {name}: left the ranking"
        for symbol, (name, _) in before.items()
        if symbol not in after
    ]
    return lines


async def poll(kis: KisClient, args: argparse.Namespace) -> None:
    previous: Snapshot | None = None
    poll_number = 0
    while args.iterations == 0 or poll_number < args.iterations:
        if poll_number:
            await asyncio.sleep(args.interval)
        poll_number += 1
        try:
            ranking = await kis.domestic_stock.credit_balance(
                market=args.market, period=args.period, sort=CreditBalanceSort.LOAN_RATE
            )
        except (KisTransportError, KisDecodeError, KisApiError) as exc:
            # transient after the client's own retries (or a KIS-side hiccup): skip this poll
            logger.warning("poll %d failed, trying again in %ss: %s", poll_number, args.interval, exc)
            continue
        current = snapshot(ranking)
        if previous is None:
            print(f"poll {poll_number}: {len(current)} symbols by loan balance rate")
            for symbol, (name, rate) in list(current.items())[: args.top]:
                print(f"  {symbol} {name}: {rate}%")
        else:
            diff = changes(previous, current)
            print(f"poll {poll_number}: " + (f"{len(diff)} change(s)" if diff else "no change"))
            for line in diff[: args.top]:
                print(line)
        previous = current


def market(text: str) -> CreditBalanceMarket:
    """``KOSDAQ`` or its code ``1001``."""
    member = CreditBalanceMarket.__members__.get(text.upper())
    if member is None and text in CreditBalanceMarket._value2member_map_:
        member = CreditBalanceMarket(text)
    if member is None:
        raise argparse.ArgumentTypeError(f"choose one of {', '.join(CreditBalanceMarket.__members__)}")
    return member


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Print loan-balance-rate changes in the credit-balance ranking."
    )
    parser.add_argument(
        "--market", type=market, default=CreditBalanceMarket.ALL, help="ALL, KOSPI, KOSDAQ or KOSPI200"
    )
    parser.add_argument("--period", type=int, default=5, help="증가율기간 in days (2..999)")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    parser.add_argument("--iterations", type=int, default=3, help="polls before stopping; 0 = forever")
    parser.add_argument("--top", type=int, default=10, help="lines to print per poll")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    async def run() -> None:
        async with connect() as kis:
            await poll(kis, args)

    try:
        asyncio.run(run())
    except KisError as exc:  # not transient: bad arguments, credentials, unsupported environment
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
