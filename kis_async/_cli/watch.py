"""``kis-async watch FEED:KEY…``: live real-time ticks of one or more feeds (the command lives in
:mod:`kis_async._cli._watch`)."""

from __future__ import annotations

import argparse
import os
from typing import Any


def add_parser(commands: Any) -> None:
    from kis_async._cli._watch import build_parser

    parser = commands.add_parser(
        "watch",
        help="print live real-time ticks of one or more feeds (FEED:KEY: H0STCNT0:005930 fill_notice)",
    )
    build_parser(parser)
    parser.set_defaults(run=_run)


def _run(namespace: argparse.Namespace) -> int:
    from kis_async._cli._watch import main

    argv = list(namespace.targets)
    client_kwargs: dict[str, Any] | None = None
    if namespace.sandbox or getattr(namespace, "env", None) == "sandbox":
        argv.append("--sandbox")
    else:
        # the same settings as `kis-async call`: --env, --config and the config file, not only the
        # KIS_* variables (watch used to ignore `--env paper` and the config file's credentials)
        client_kwargs = _client_kwargs(namespace)
    if namespace.count is not None:
        argv += ["--count", str(namespace.count)]
    if namespace.fields:
        argv += ["--fields", namespace.fields]
    if namespace.hts_id:
        argv += ["--hts-id", namespace.hts_id]
    return main(argv, client_kwargs)


def _client_kwargs(namespace: argparse.Namespace) -> dict[str, Any]:
    from kis_async._cli._settings import load_settings

    kwargs = load_settings(
        getattr(namespace, "env", None), getattr(namespace, "config", None)
    ).client_kwargs()
    ws_url = os.environ.get("KIS_WS_URL")
    if ws_url:
        kwargs["ws_url"] = ws_url
    return kwargs
