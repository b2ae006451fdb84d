"""``kis-async watch FEED KEY…``: live real-time ticks (the command lives in :mod:`kis_async._watch`)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any) -> None:
    from kis_async._watch import build_parser

    parser = commands.add_parser("watch", help="print live real-time ticks (FEED is a TR ID or feed name)")
    build_parser(parser)
    parser.set_defaults(run=_run)


def _run(namespace: argparse.Namespace) -> int:
    from kis_async._watch import main

    argv = [namespace.feed, *namespace.keys]
    if namespace.sandbox or getattr(namespace, "env", None) == "sandbox":
        argv.append("--sandbox")
    if namespace.count is not None:
        argv += ["--count", str(namespace.count)]
    if namespace.fields:
        argv += ["--fields", namespace.fields]
    return main(argv)
