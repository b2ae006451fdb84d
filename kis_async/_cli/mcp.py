"""``kis-async mcp``: serve the endpoints to LLM agents (the server lives in :mod:`kis_async._mcp`)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any) -> None:
    from kis_async._cli._args import add_common
    from kis_async._mcp import add_arguments

    parser = commands.add_parser(
        "mcp",
        help="an MCP server for LLM agents: every endpoint as tools; sandbox unless --env names another",
    )
    add_common(
        parser,
        top=False,
        env_default="sandbox (KIS_ENV and the config file's env are not read: real or paper only when named here)",
    )
    add_arguments(parser)
    parser.set_defaults(run=_run)


def _run(namespace: argparse.Namespace) -> int:
    from kis_async._mcp import main

    return main(namespace)
