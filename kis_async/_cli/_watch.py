"""``kis-async watch FEED KEY…``: print live ticks (from KIS, or from a local sandbox).

FEED is a TR ID (``H0STCNT0``) or a feed name (``domestic_stock.trade_krx``); KEY is a symbol, or
the HTS id for execution notices. With ``--sandbox`` a local real-time sandbox is started and
watched, so the command works without credentials.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from kis_async._cli._render import cell
from kis_async._client import KisClient
from kis_async._errors import KisError
from kis_async._feed import Feed, Tick, find_feed


def _count(text: str) -> int:
    """``--count``: 0 or less used to print one tick anyway."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of ticks, at least 1, got {text!r}")
    return number


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    parser = parser or argparse.ArgumentParser(prog="kis-async watch", description=__doc__.splitlines()[0])
    parser.add_argument("feed", help="TR ID (H0STCNT0) or feed name (domestic_stock.trade_krx)")
    parser.add_argument("keys", nargs="+", help="symbols, or the HTS id for execution notices")
    parser.add_argument("--sandbox", action="store_true", help="start a local sandbox and watch it")
    parser.add_argument("--count", type=_count, default=None, help="stop after this many ticks")
    parser.add_argument("--fields", default="", help="comma-separated fields to show (default: the first 6)")
    return parser


def format_tick(tick: Tick, fields: Sequence[str]) -> str:
    """One line per tick, values as ``kis-async call`` shows them (enum members by name)."""
    shown = []
    for name in fields:
        try:
            value = cell(getattr(tick, name))
        except KisError:
            value = "?"
        shown.append(f"{name}={value}")
    return f"{tick.feed.name} {tick.key}: " + " ".join(shown)


@contextlib.asynccontextmanager
async def _client(sandbox: bool, client_kwargs: Mapping[str, Any] | None = None) -> AsyncIterator[KisClient]:
    """The sandbox's client, else ``KisClient(**client_kwargs)`` (what ``kis-async`` resolved from
    ``--env``, the environment and the config file), else ``KisClient.from_env()``."""
    if not sandbox:
        async with KisClient(**client_kwargs) if client_kwargs is not None else KisClient.from_env() as kis:
            yield kis
        return
    from kis_async.sandbox import Sandbox

    async with Sandbox(realtime_rate=5) as server, server.client() as kis:
        yield kis


async def watch(
    feed: Feed[Any],
    keys: Sequence[str],
    *,
    sandbox: bool,
    count: int | None,
    fields: Sequence[str],
    client_kwargs: Mapping[str, Any] | None = None,
) -> int:
    shown = list(fields) or list(feed.fields[:6])
    unknown = [name for name in shown if name not in feed.fields]
    if unknown:
        print(f"kis-async watch: {feed.name} has no field(s) {', '.join(unknown)}", file=sys.stderr)
        return 2
    seen = 0
    async with _client(sandbox, client_kwargs) as kis, kis.realtime() as rt:
        await rt.subscribe(feed, *keys)
        async for tick in rt:
            print(format_tick(tick, shown), flush=True)
            seen += 1
            if count is not None and seen >= count:
                break
        print(f"-- {seen} tick(s); {rt.stats}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None, client_kwargs: Mapping[str, Any] | None = None) -> int:
    """``client_kwargs``: how ``kis-async watch`` passes the client settings it resolved (``--env``,
    ``--config``, the config file); without them the client comes from the environment."""
    args = build_parser().parse_args(argv)
    try:
        feed = find_feed(args.feed)
    except KeyError:
        print(f"kis-async watch: {args.feed!r} is not a feed (see docs/realtime_feeds.md)", file=sys.stderr)
        return 2
    fields = [f.strip().lower() for f in args.fields.split(",") if f.strip()]
    try:
        return asyncio.run(
            watch(
                feed,
                args.keys,
                sandbox=args.sandbox,
                count=args.count,
                fields=fields,
                client_kwargs=client_kwargs,
            )
        )
    except KeyboardInterrupt:
        return 130
    except KisError as exc:
        print(f"kis-async watch: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
