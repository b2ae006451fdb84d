"""``kis-async``: list, describe and call KIS endpoints from the shell (also ``python -m kis_async``).

Split by job: :mod:`._settings` (credentials, environment, config file), :mod:`._args` (parsing,
per-endpoint options from the descriptors), :mod:`._commands` (what each command does),
:mod:`._render` (tables, CSV, JSON), :mod:`._catalog` (the generated endpoints).

Every failure is one line on stderr and a non-zero exit status: 2 for a wrong command line or
arguments the SDK rejects, 1 for anything else (KIS errors, network, configuration).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Sequence

from kis_async._cli._args import CliUsageError, build_parser
from kis_async._cli._catalog import UnknownEndpointError
from kis_async._errors import KisError, KisValidationError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (the console script passes it to ``sys.exit``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        return _dispatch(args)
    except (CliUsageError, UnknownEndpointError, KisValidationError) as exc:
        return _fail(exc, 2, debug)
    except KisError as exc:
        return _fail(exc, 1, debug)
    except BrokenPipeError:  # `kis-async list | head`
        return 0
    except OSError as exc:
        return _fail(exc, 1, debug)
    except KeyboardInterrupt:
        return 130


def _fail(exc: BaseException, status: int, debug: bool) -> int:
    if debug:
        traceback.print_exc(file=sys.stderr)
    message = " ".join(str(exc).split()) or type(exc).__name__
    print(f"kis-async: error: {message}", file=sys.stderr)
    return status


def _dispatch(argv: list[str]) -> int:
    from kis_async._cli import _commands
    from kis_async._cli._settings import load_settings

    command_at = _command_index(argv)
    if command_at is not None and argv[command_at] == "sandbox":
        # everything after it belongs to `python -m kis_async.sandbox`, options included
        return _commands.run_sandbox(argv[command_at + 1 :])
    parser = build_parser()
    namespace, extra = parser.parse_known_args(argv)
    if namespace.command != "call" and extra:
        raise CliUsageError(f"unrecognized arguments: {' '.join(extra)} (see `kis-async --help`)")
    out = sys.stdout
    if namespace.command == "list":
        return _commands.run_list(namespace.pattern, out)
    if namespace.command == "describe":
        return _commands.run_describe(namespace.name, out)
    if namespace.command == "config":
        return _commands.run_config(load_settings(namespace.env, namespace.config), out)
    if namespace.command == "call":
        endpoint, options = _commands.prepare_call(namespace.name, extra, out)
        _configure_logging(bool(namespace.debug or getattr(options, "debug", False)))
        settings = load_settings(
            getattr(options, "env", None) or namespace.env,
            getattr(options, "config", None) or namespace.config,
        )
        return asyncio.run(_commands.run_call(endpoint, options, settings, out))
    run = getattr(namespace, "run", None)  # commands added by plugins (kis-async watch)
    if run is None:
        raise CliUsageError(f"unknown command {namespace.command!r}")
    _configure_logging(bool(namespace.debug))
    status: int = run(namespace)
    return status


def _command_index(argv: list[str]) -> int | None:
    """Where the command word is, skipping the global options before it."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word in ("--env", "--config"):
            index += 2
        elif word.startswith("-"):
            index += 1
        else:
            return index
    return None


def _configure_logging(debug: bool) -> None:
    """Warnings from the SDK on stderr; with ``--debug`` one line per request too."""
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(name)s %(levelname)s: %(message)s"
    )
    if debug:
        logging.getLogger("kis_async").setLevel(logging.DEBUG)
