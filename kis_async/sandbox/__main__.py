"""``python -m kis_async.sandbox``: run the KIS sandbox until interrupted (Ctrl-C)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import ipaddress
import signal
import sys
from typing import Literal

from kis_async._calendar import KST, next_open
from kis_async.sandbox._server import Sandbox


def _rate(text: str) -> float | Literal["default"] | None:
    """``default`` (KIS's: real 20, paper 2), ``off``, or requests/s."""
    if text == "default":
        return "default"
    if text.lower() in ("none", "off", "0"):
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of requests/s, 'default' or 'off', got {text!r}"
        ) from None


def _port(text: str) -> int:
    """A TCP port, 0 for a free one."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port 0..65535 (0: a free one), got {text!r}")
    return port


def _instant(text: str) -> dt.datetime:
    """``2026-12-07T10:00`` (KST when no offset is given), ``2026-12-07T10:00+09:00`` or
    ``next-open`` (the next KRX regular session's start)."""
    if text == "next-open":
        return next_open()
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO date-time such as 2026-12-07T10:00 (KST) or 'next-open', got {text!r}"
        ) from None
    return at if at.tzinfo is not None else at.replace(tzinfo=KST)


def _won(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected whole won >= 0, got {text!r}")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m kis_async.sandbox",
        description="A local KIS Open API server (tokens, TR IDs, validation, rate limits, paging, faults).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    parser.add_argument("--port", type=_port, default=0, help="port (default 0: a free one)")
    parser.add_argument("--env", choices=("real", "paper"), default="real", help="which KIS domain to play")
    parser.add_argument("--seed", type=int, default=0, help="fixes the generated data")
    parser.add_argument(
        "--rate-limit",
        type=_rate,
        default="default",
        help="requests/s per app key (default: KIS's, real 20 / paper 2); 'off' disables",
    )
    parser.add_argument(
        "--hts-id",
        default="sandbox-user",
        help="HTS id execution notices are keyed by (default: sandbox-user)",
    )
    parser.add_argument(
        "--now",
        type=_instant,
        default=None,
        help="start the sandbox clock here (ISO date-time, KST unless an offset is given, or "
        "'next-open'); default: the real time, when orders at night or on weekends are refused",
    )
    parser.add_argument("--cash", type=_won, default=None, help="예수금 every account starts with (won)")
    parser.add_argument(
        "--futures-cash",
        type=_won,
        default=None,
        help="선물옵션 예탁현금 every account starts with (won; futures margin and option premiums)",
    )
    parser.add_argument("--token-lifetime", type=float, default=86400.0, help="seconds a token lives")
    parser.add_argument(
        "--min-token-interval", type=float, default=60.0, help="seconds between token issues per app key"
    )
    parser.add_argument(
        "--replay",
        metavar="FILE",
        help="answer requests recorded in FILE (KisClient(record=FILE)) with the recorded answers, in order",
    )
    parser.add_argument(
        "--strict-replay",
        action="store_true",
        help="with --replay: answer a request that was not recorded with an error naming it",
    )
    args = parser.parse_args(argv)
    if args.strict_replay and not args.replay:
        parser.error("--strict-replay needs --replay FILE")
    return args


def _loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


async def serve(args: argparse.Namespace) -> None:
    sandbox = Sandbox(
        host=args.host,
        port=args.port,
        env=args.env,
        seed=args.seed,
        rate_limit=args.rate_limit,
        token_lifetime=args.token_lifetime,
        min_token_interval=args.min_token_interval,
        replay=args.replay,
        strict_replay=args.strict_replay,
        hts_id=args.hts_id,
        now=args.now,
        cash=args.cash,
        futures_cash=args.futures_cash,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows
            loop.add_signal_handler(sig, stop.set)
    if not _loopback(args.host):
        print(
            f"warning: the sandbox listens on {args.host}, not only on this machine: it accepts any "
            "app key and secret and serves fake account data to whoever can reach it",
            file=sys.stderr,
            flush=True,
        )
    async with sandbox:
        print(sandbox.url, flush=True)
        print(sandbox.ws_url, flush=True)  # KIS_WS_URL: real-time feeds on the same port
        if sandbox.replay is not None:
            print(f"Replaying {sandbox.replay.total} recorded answer(s) from {args.replay}.", file=sys.stderr)
        print(
            f"KIS sandbox ({sandbox.env}) serving {len(sandbox.endpoints)} endpoint(s) and real-time feeds"
            f" (notices for HTS id {sandbox.hts_id!r}); Ctrl-C stops it.",
            file=sys.stderr,
            flush=True,
        )
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted; 1 with one line on stderr when it cannot start (port in use, a
    replay file that is missing or malformed)."""
    args = parse_args(argv)
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass
    except (OSError, ValueError) as exc:
        print(f"python -m kis_async.sandbox: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
