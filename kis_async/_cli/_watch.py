"""``kis-async watch FEED:KEY… [FEED:KEY…]``: print live ticks of several feeds in one session
(from KIS, or from a local sandbox).

FEED is a TR ID (``H0STCNT0``), a feed name (``domestic_stock.trade_krx``) or a name alone when
it says which feed (``trade_krx``; ``fill_notice`` is the domestic stock one); KEY is a symbol, or
the HTS id for execution notices. ``H0STCNT0:005930,000660`` gives several keys, and the older
form ``H0STCNT0 005930 000660`` still works. An execution-notice feed without a key takes
``--hts-id`` (or ``KIS_HTS_ID``). With ``--sandbox`` a local real-time sandbox is started and
watched, so the command works without credentials::

    kis-async watch H0STCNT0:005930 H0STASP0:005930 fill_notice --hts-id myid
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import attrs

from kis_async._cli._render import cell
from kis_async._client import KisClient
from kis_async._errors import KisError
from kis_async._feed import Feed, Tick, find_feed

#: The HTS id the ``--sandbox`` watcher's notices go to when none is given.
SANDBOX_HTS_ID = "sandbox-user"
#: Tokens that can only mean a feed (a TR ID, a dotted or snake_case name): never taken as a key.
_FEED_LIKE = re.compile(r"H[0-9A-Z]{7}|[a-z0-9_]*[._][a-z0-9_.]*", re.IGNORECASE)


class WatchTargetError(KisError):
    """A feed or key on the ``kis-async watch`` command line that does not resolve."""


@attrs.frozen
class Target:
    """One feed to watch and its keys."""

    feed: Feed[Any]
    keys: tuple[str, ...]


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
    parser.add_argument(
        "targets",
        nargs="+",
        metavar="FEED:KEY",
        help="feeds and their keys: H0STCNT0:005930 H0STASP0:005930,000660 fill_notice "
        "(FEED is a TR ID or feed name; FEED KEY KEY… also works)",
    )
    parser.add_argument("--sandbox", action="store_true", help="start a local sandbox and watch it")
    parser.add_argument("--count", type=_count, default=None, help="stop after this many ticks (all feeds)")
    parser.add_argument(
        "--fields",
        default="",
        help="comma-separated fields to show, where a feed has them (default: its first 6)",
    )
    parser.add_argument(
        "--hts-id",
        default=None,
        help="the key of execution-notice feeds given without one (default: $KIS_HTS_ID; "
        f"with --sandbox: {SANDBOX_HTS_ID})",
    )
    return parser


def resolve_feed(name: str) -> Feed[Any] | None:
    """The feed ``name`` means: a TR ID, a dotted name, or a name alone when only one feed has it
    (or one of them is the domestic stock feed: ``fill_notice``); ``None`` if it is no feed."""
    try:
        return find_feed(name)
    except KeyError:
        pass
    from kis_async.realtime._registry import FEEDS

    wanted = name.strip().lower()
    matches = [f"{module}.{attribute}" for module, attribute, _, _ in FEEDS if attribute == wanted]
    if len(matches) > 1:
        domestic = f"domestic_stock.{wanted}"
        if domestic not in matches:
            raise WatchTargetError(f"{name!r} is ambiguous: {', '.join(matches)}")
        matches = [domestic]
    return find_feed(matches[0]) if matches else None


def parse_targets(tokens: Sequence[str], hts_id: str | None) -> list[Target]:
    """``["H0STCNT0:005930", "H0STASP0", "005930", "fill_notice"]`` → one :class:`Target` per feed
    (keys in the order given, a feed named twice merged); ``hts_id`` keys notice feeds given none."""
    keys: dict[str, list[str]] = {}
    feeds: dict[str, Feed[Any]] = {}
    current: str | None = None
    for token in tokens:
        name, colon, listed = token.partition(":")
        feed = resolve_feed(name) if colon or _FEED_LIKE.fullmatch(token) else resolve_feed(token)
        if feed is None:
            if colon or _FEED_LIKE.fullmatch(token) or current is None:
                raise WatchTargetError(
                    f"{name if colon else token!r} is not a feed (see docs/realtime_feeds.md); "
                    "give each feed its keys: H0STCNT0:005930"
                )
            keys[current].append(token)
            continue
        current = feed.name
        feeds[current] = feed
        keys.setdefault(current, [])
        if colon:
            given = [key.strip() for key in listed.split(",") if key.strip()]
            if not given:
                raise WatchTargetError(f"{token!r}: no key after ':' (H0STCNT0:005930)")
            keys[current] += given
    targets = []
    for name, feed in feeds.items():
        wanted = list(dict.fromkeys(keys[name]))
        if not wanted and feed.tr_key == "hts_id":
            if not hts_id:
                raise WatchTargetError(
                    f"{name} ({feed.title}) is keyed by your HTS id: give --hts-id ID, set KIS_HTS_ID, "
                    f"or write {name}:ID"
                )
            wanted = [hts_id]
        if not wanted:
            raise WatchTargetError(f"{name} ({feed.title}) needs a {feed.tr_key}: {name}:005930")
        targets.append(Target(feed, tuple(wanted)))
    return targets


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
async def _client(
    sandbox: bool, client_kwargs: Mapping[str, Any] | None = None, hts_id: str = SANDBOX_HTS_ID
) -> AsyncIterator[KisClient]:
    """The sandbox's client, else ``KisClient(**client_kwargs)`` (what ``kis-async`` resolved from
    ``--env``, the environment and the config file), else ``KisClient.from_env()``."""
    if not sandbox:
        async with KisClient(**client_kwargs) if client_kwargs is not None else KisClient.from_env() as kis:
            yield kis
        return
    from kis_async.sandbox import Sandbox

    async with Sandbox(realtime_rate=5, hts_id=hts_id) as server, server.client() as kis:
        yield kis


def shown_fields(targets: Sequence[Target], fields: Sequence[str]) -> dict[str, list[str]]:
    """Per feed, the fields to print: those of ``fields`` it has (default: its first 6). A field
    no watched feed has raises :class:`WatchTargetError`."""
    unknown = [name for name in fields if not any(name in target.feed.fields for target in targets)]
    if unknown:
        watched = ", ".join(target.feed.name for target in targets)
        raise WatchTargetError(f"{watched} has no field(s) {', '.join(unknown)}")
    return {
        target.feed.name: [name for name in fields if name in target.feed.fields]
        or list(target.feed.fields[:6])
        for target in targets
    }


async def watch(
    targets: Sequence[Target],
    *,
    sandbox: bool,
    count: int | None,
    fields: Sequence[str],
    client_kwargs: Mapping[str, Any] | None = None,
    hts_id: str = SANDBOX_HTS_ID,
) -> int:
    """Subscribe every target in one session and print each tick as it arrives."""
    shown = shown_fields(targets, fields)
    seen = 0
    async with _client(sandbox, client_kwargs, hts_id) as kis, kis.realtime() as rt:
        for target in targets:
            await rt.subscribe(target.feed, *target.keys)
        async for tick in rt:
            print(format_tick(tick, shown.get(tick.feed.name) or list(tick.feed.fields[:6])), flush=True)
            seen += 1
            if count is not None and seen >= count:
                break
        print(f"-- {seen} tick(s); {rt.stats}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None, client_kwargs: Mapping[str, Any] | None = None) -> int:
    """``client_kwargs``: how ``kis-async watch`` passes the client settings it resolved (``--env``,
    ``--config``, the config file); without them the client comes from the environment."""
    args = build_parser().parse_args(argv)
    hts_id = args.hts_id or os.environ.get("KIS_HTS_ID") or (SANDBOX_HTS_ID if args.sandbox else None)
    fields = [f.strip().lower() for f in args.fields.split(",") if f.strip()]
    try:
        targets = parse_targets(args.targets, hts_id)
        shown_fields(targets, fields)
    except WatchTargetError as exc:
        print(f"kis-async watch: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(
            watch(
                targets,
                sandbox=args.sandbox,
                count=args.count,
                fields=fields,
                client_kwargs=client_kwargs,
                hts_id=hts_id or SANDBOX_HTS_ID,
            )
        )
    except KeyboardInterrupt:
        return 130
    except KisError as exc:
        print(f"kis-async watch: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
