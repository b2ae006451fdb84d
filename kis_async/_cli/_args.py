"""Command-line parsing: the fixed commands, and one parser per endpoint built from its descriptor.

``kis-async call NAME --market 0000 --period 5 --sort LOAN_RATE``: the options after ``NAME`` are
the endpoint's python argument names (``--some_name`` or ``--some-name``); values are passed to the
SDK as text, which accepts KIS codes or enum member names (any case), ``5`` for ints,
``YYYYMMDD`` (or ``YYYY-MM-DD``) for dates.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Sequence
from typing import Any, NoReturn

from kis_async._cli import _catalog
from kis_async._cli._settings import ENVIRONMENTS
from kis_async._endpoint import Endpoint, Param

PROG = "kis-async"

#: Options of ``call`` itself; an endpoint argument with one of these names is ``--param-<name>``.
RESERVED = frozenset(
    {"json", "csv", "output", "fields", "all", "max_pages", "yes", "lenient", "plain"}
    | {"env", "config", "debug", "help", "version"}
)


class CliUsageError(Exception):
    """Wrong command line: printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (raised, so ``main`` prints them)."""

    def error(self, message: str) -> NoReturn:
        raise CliUsageError(f"{message}{self._suggestion(message)} (see `{self.prog} --help`)")

    def _suggestion(self, message: str) -> str:
        """``; did you mean --market_division?`` for an option this parser does not have (with
        ``allow_abbrev=False`` a prefix is not taken for the option it starts)."""
        if not message.startswith("unrecognized arguments: "):
            return ""
        known = [name for action in self._actions for name in action.option_strings]
        guesses: list[str] = []
        for word in message.removeprefix("unrecognized arguments: ").split():
            option = word.split("=", 1)[0]
            if not option.startswith("--"):
                continue
            starting = [name for name in known if name.startswith(option) and "_" not in name[2:]]
            for guess in starting or difflib.get_close_matches(option, known, n=1, cutoff=0.6):
                if guess not in guesses:
                    guesses.append(guess)
        return f"; did you mean {' or '.join(guesses)}?" if guesses else ""


def add_common(
    parser: argparse.ArgumentParser,
    *,
    top: bool,
    env_default: str = "KIS_ENV, the config file's env, else real",
) -> None:
    """Options accepted before or after the command (``kis-async --env sandbox call …`` or
    ``kis-async call … --env sandbox``); ``env_default`` says what ``--env`` falls back to for
    this command (the MCP server's is the sandbox, whatever KIS_ENV says)."""
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--env",
        choices=ENVIRONMENTS,
        default=default,
        help="real (실전), paper (모의투자) or sandbox (a local fake KIS started for this command); "
        f"default: {env_default}",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="config file (default: KIS_CONFIG, else ~/.config/kis-async/config.toml)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="log every request (method, path, TR ID, status, ms, retries) to stderr; show tracebacks",
    )


def build_parser() -> Parser:
    from kis_async import __version__

    parser = Parser(
        prog=PROG,
        description="Call the KIS Open API (한국투자증권) from the shell: list, describe and call endpoints.",
        epilog="Credentials: KIS_APP_KEY / KIS_APP_SECRET (and KIS_ACCOUNT), or the config file. "
        "Try: kis-async --env sandbox call domestic_stock.credit_balance --market 0000 --period 5 --sort 0",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_common(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True

    listing = commands.add_parser("list", help="endpoints with their Korean names and TR IDs")
    listing.add_argument(
        "pattern",
        nargs="?",
        help="only endpoints whose name, 한글명, path or TR ID has every word of this; common words "
        "find KIS's own (차트 → 기간별시세, 분봉; 잔고 → balance)",
    )
    add_common(listing, top=False)

    describe = commands.add_parser("describe", help="an endpoint's arguments and response fields")
    describe.add_argument("name", help="e.g. domestic_stock.credit_balance")
    add_common(describe, top=False)

    config = commands.add_parser(
        "config", help="the settings in effect (environment, credentials, account) and where each came from"
    )
    add_common(config, top=False)

    call = commands.add_parser(
        "call",
        add_help=False,
        help="call an endpoint: kis-async call NAME --arg value … (NAME --help lists its arguments)",
    )
    call.add_argument("name", nargs="?")
    add_common(call, top=False)

    # listed for --help; main() hands everything after `sandbox` to `python -m kis_async.sandbox`
    commands.add_parser(
        "sandbox", add_help=False, help="run the local sandbox KIS server (options: see `sandbox --help`)"
    )

    _add_plugins(commands)
    return parser


def _add_plugins(commands: Any) -> None:
    """Commands contributed by optional modules (``kis-async watch`` from the realtime package):
    a module ``kis_async._cli.<name>`` with ``add_parser(commands)`` registering its subparser and
    a ``run(namespace) -> int`` default."""
    import importlib
    import importlib.util

    for module_name in ("kis_async._cli.watch", "kis_async._cli.drift", "kis_async._cli.mcp"):
        if importlib.util.find_spec(module_name) is not None:
            importlib.import_module(module_name).add_parser(commands)


# -- per-endpoint arguments ------------------------------------------------------------------------


def option_names(param: Param) -> list[str]:
    if param.name in RESERVED:
        return [f"--param-{param.name.replace('_', '-')}"]
    names = [f"--{param.name}"]
    if "_" in param.name:
        names.append(f"--{param.name.replace('_', '-')}")
    return names


def _help(param: Param) -> str:
    parts = [f"{param.korean} ({param.wire or 'chooses the TR ID'})"]
    if param.enum is not None:
        parts.append(f"{param.enum.__name__}: {_catalog.enum_choices(param)}")
    elif param.range is not None:
        parts.append(f"{param.kind} {param.range[0]}..{param.range[1]}")
    else:
        parts.append(_catalog.param_type(param))
    if param.fill:
        parts.append("default: your account (KIS_ACCOUNT / config account)")
    elif param.default is not None:
        parts.append(f"default {param.default!r}")
    elif param.required:
        parts.append("required")
    if param.paper_only is not None:
        parts.append(f"모의투자: {param.describe_paper()}")
    return "; ".join(parts).replace("%", "%%")


def _metavar(param: Param) -> str:
    if param.enum is not None:
        return "CODE|NAME"
    return {"int": "N", "decimal": "NUMBER", "date": "YYYYMMDD", "time": "HHMMSS", "bool": "Y|N"}.get(
        param.kind, "TEXT"
    )


def endpoint_parser(endpoint: Endpoint[Any]) -> Parser:
    paged = " Paged: --all fetches every page." if endpoint.paging else ""
    order = "" if endpoint.retry_safe else " Sends an ORDER: needs --yes outside the sandbox; never retried."
    parser = Parser(
        prog=f"{PROG} call {endpoint.name}",
        # `--market` must not silently become `--market_division` (and argparse would call it
        # ambiguous between that option's two spellings): exact names only, with a suggestion
        allow_abbrev=False,
        description=f"{endpoint.title} — {endpoint.method} {endpoint.path} — TR "
        f"{_catalog.tr_summary(endpoint)}.{paged}{order}".replace("%", "%%"),
    )
    group = parser.add_argument_group("arguments of the endpoint (KIS codes or enum member names)")
    for param in _catalog.arguments(endpoint):
        group.add_argument(
            *option_names(param), dest=f"param:{param.name}", metavar=_metavar(param), help=_help(param)
        )
    out = parser.add_argument_group("output")
    formats = out.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="print the JSON body as KIS sent it")
    formats.add_argument("--csv", action="store_true", help="print the main list output as CSV")
    out.add_argument("--output", metavar="KEY", help="only this output (output1, output2, …)")
    out.add_argument("--fields", metavar="A,B", help="only these fields (columns), in this order")
    out.add_argument("--plain", action="store_true", help="plain-text tables even on a terminal")
    run = parser.add_argument_group("call")
    if endpoint.paging:
        run.add_argument("--all", action="store_true", help="fetch every page (tr_cont paging)")
        run.add_argument("--max-pages", type=_at_least_one, metavar="N", help="fetch at most N pages")
    run.add_argument("--lenient", action="store_true", help="keep values of an unexpected form as text")
    if not endpoint.retry_safe:
        run.add_argument("--yes", action="store_true", help="really send this order (real or paper)")
    add_common(parser, top=False)
    return parser


def _at_least_one(text: str) -> int:
    """``--max-pages``: 0 used to mean "not given" (one page) and -1 was a traceback."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of pages, at least 1, got {text!r}")
    return number


def collect_args(endpoint: Endpoint[Any], namespace: argparse.Namespace) -> dict[str, Any]:
    """The endpoint arguments given on the command line, by python name, as the SDK takes them."""
    args: dict[str, Any] = {}
    for param in _catalog.arguments(endpoint):
        value = getattr(namespace, f"param:{param.name}", None)
        if value is None:
            continue
        if param.kind == "date" and len(value) == 10 and value[4] == value[7] == "-":
            value = value.replace("-", "")
        args[param.name] = value
    return args


def split_fields(text: str | None) -> list[str] | None:
    if not text:
        return None
    return [name.strip().lower() for name in text.split(",") if name.strip()]


def parse_call(endpoint: Endpoint[Any], argv: Sequence[str]) -> argparse.Namespace:
    return endpoint_parser(endpoint).parse_args(list(argv))
