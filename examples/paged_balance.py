"""A paged account balance: every holding of 주식잔고조회, page by page, then the account summary.

KIS sends at most 50 holdings per page on real (20 on paper) and says in the ``tr_cont`` header
whether more follow. ``inquire_balance()`` returns the call as a ``Paged`` value: iterating it
(here ``.pages(max_pages)``) sends the continuation keys back until the last page, and ``.all()``
would collect every row into one response. The account comes from
``KisClient(account="12345678-01")`` (``KIS_ACCOUNT`` for ``from_env``). With
``KIS_APP_KEY``/``KIS_APP_SECRET`` set it asks KIS; otherwise it starts the sandbox in this process.

    python examples/paged_balance.py [--max-pages N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import unicodedata
from collections.abc import AsyncIterator

from kis_async import KisClient, KisError
from kis_async.domestic_stock import BalanceHolding, BalanceSummary

SANDBOX_ACCOUNT = "50000000-01"


@contextlib.asynccontextmanager
async def connect() -> AsyncIterator[KisClient]:
    """KIS when credentials are set (KIS_ACCOUNT names the account), else an in-process sandbox."""
    if os.environ.get("KIS_APP_KEY") and os.environ.get("KIS_APP_SECRET"):
        async with KisClient.from_env() as kis:
            yield kis
        return
    from kis_async.sandbox import Sandbox

    async with Sandbox() as sandbox, sandbox.client(account=SANDBOX_ACCOUNT) as kis:
        print(f"sandbox at {sandbox.url} (set KIS_APP_KEY, KIS_APP_SECRET and KIS_ACCOUNT to ask KIS)")
        yield kis


def pad(text: str, cells: int) -> str:
    """Left-align in a terminal, where Hangul takes two columns."""
    return text + " " * max(0, cells - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text))


def holding_line(row: BalanceHolding) -> str:
    rate = f"{row.evlu_pfls_rt:+}%" if row.evlu_pfls_rt is not None else ""
    return (
        f"  {row.pdno or '':<8} {pad(row.prdt_name or '', 20)} {row.hldg_qty or 0:>8,}주 "
        f"avg {row.pchs_avg_pric or 0:>12,.2f}  now {row.prpr or 0:>10,}  {rate:>8}"
    )


def summary_lines(summary: BalanceSummary | None) -> list[str]:
    if summary is None:
        return ["no account summary"]
    return [
        f"예수금총금액 {summary.dnca_tot_amt or 0:>15,}원",
        f"총평가금액   {summary.tot_evlu_amt or 0:>15,}원",
        f"평가손익합계 {summary.evlu_pfls_smtl_amt or 0:>+15,}원",
    ]


async def run(max_pages: int | None) -> None:
    async with connect() as kis:
        holdings = 0
        summary: BalanceSummary | None = None
        page_number = 0
        async for page in kis.domestic_stock.inquire_balance().pages(max_pages):
            page_number += 1
            print(
                f"page {page_number}: {len(page.output1)} holding(s)"
                + (", more follow" if page.has_next else "")
            )
            for row in page.output1:
                print(holding_line(row))
            holdings += len(page.output1)
            summary = page.output2  # the summary of the last page is the account's
        print(f"{holdings} holding(s) on {page_number} page(s)")
        print("\n".join(summary_lines(summary)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print every holding of the account, page by page.")
    parser.add_argument("--max-pages", type=int, default=None, help="stop after N pages")
    args = parser.parse_args(argv)
    try:
        asyncio.run(run(args.max_pages))
    except KisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
