"""The commands: ``list``, ``describe``, ``call`` and ``sandbox``."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
from collections.abc import AsyncIterator, Sequence
from typing import IO, Any

from kis_async._cli import _catalog
from kis_async._cli._args import CliUsageError, collect_args, endpoint_parser, split_fields
from kis_async._cli._render import (
    Table,
    check_selection,
    print_tables,
    response_tables,
    wrap_items,
    write_csv,
    write_json,
)
from kis_async._cli._settings import Settings, default_config_path
from kis_async._client import KisClient
from kis_async._endpoint import Endpoint
from kis_async._errors import KisConfigError, KisError
from kis_async._models import KisResponse
from kis_async._paging import iterate_pages

#: The account the sandbox client uses when none is configured (the sandbox accepts any).
SANDBOX_ACCOUNT = "50000000-01"


def fancy(stream: IO[str], plain: bool = False) -> bool:
    """Rich tables only on a terminal; pipes and files get plain text."""
    return not plain and stream.isatty()


# -- list, describe ------------------------------------------------------------------------------


def run_list(pattern: str | None, out: IO[str]) -> int:
    needle = (pattern or "").strip()
    rows = []
    for endpoint in _catalog.load_all():
        if needle and not _catalog.matches(endpoint, needle):
            continue
        tr = _catalog.tr_summary(endpoint, brief=True)
        notes = ", ".join(
            n for n, on in (("paged", bool(endpoint.paging)), ("order", not endpoint.retry_safe)) if on
        )
        rows.append([endpoint.name, endpoint.title, tr, notes])
    if not rows and needle:
        raise CliUsageError(f"no endpoint matches {pattern!r} (`kis-async list` shows them all)")
    table = Table(
        title=f"{len(rows)} endpoint{'' if len(rows) == 1 else 's'}",
        headers=["call", "한글명", "TR (real / paper)", "notes"],
        rows=rows,
    )
    print_tables(out, [table], fancy=fancy(out))
    return 0


def describe_tables(endpoint: Endpoint[Any]) -> list[Table]:
    params = [
        [
            "/".join(n.removeprefix("--") for n in _option_names(p)),
            p.wire or "(TR ID)",
            p.korean,
            _catalog.param_type(p),
            _requirement(p),
            _allowed(p),
        ]
        for p in _catalog.arguments(endpoint)
    ]
    tables = [
        Table(
            title="arguments",
            headers=["argument", "wire", "한글명", "type", "required", "allowed"],
            rows=params,
            note="(no arguments)",
        )
    ]
    enums = {p.enum.__name__: p.enum for p in _catalog.arguments(endpoint) if p.enum is not None}
    for name, enum in enums.items():
        korean: dict[str, str] = getattr(enum, "__korean__", {})
        doc = (enum.__doc__ or "").strip().splitlines()
        tables.append(
            Table(
                title=f"{name}" + (f" ({doc[0]})" if doc else ""),
                headers=["code", "name", "한글"],
                rows=[[m.value, m.name, korean.get(m.name, "")] for m in enum],
            )
        )
    for output in endpoint.outputs:
        shape = "list of" if output.shape == "list" else "one"
        title = f"{output.key} — {shape} {output.row.__name__}" + (
            f" ({output.korean})" if output.korean else ""
        )
        tables.append(
            Table(
                title=title,
                headers=["field", "한글명", "type"],
                rows=[[f.name, f.korean, f.type] for f in _catalog.fields(output.row)],
                note="(no documented fields)",
            )
        )
    return tables


def _option_names(param: Any) -> list[str]:
    from kis_async._cli._args import option_names

    return option_names(param)[:1]


def _allowed(param: Any) -> str:
    allowed = _allowed_values(param)
    if param.paper_only is not None:  # what the 모의투자 server accepts, where it is less
        allowed += ("\n" if allowed else "") + f"모의투자: {param.describe_paper()}"
    return allowed


def _allowed_values(param: Any) -> str:
    if param.enum is not None:  # wrapped: a 20-code enum no longer widens the whole table
        return wrap_items([f"{m.value} {m.name}" for m in param.enum])
    if param.range is not None:
        return f"{param.range[0]}..{param.range[1]}"
    if param.max_length and param.kind == "str":
        return f"≤ {param.max_length} chars"
    return ""


def _requirement(param: Any) -> str:
    if param.fill:
        return "account"
    if param.default is not None:
        return f"default {param.default}"
    return "yes" if param.required else "no"


def run_describe(name: str, out: IO[str]) -> int:
    endpoint = _catalog.load(name)
    lines = [
        f"{endpoint.name} — {endpoint.title}" + (f" [{endpoint.doc_id}]" if endpoint.doc_id else ""),
        f"{endpoint.method} {endpoint.path}",
        f"TR {_catalog.tr_summary(endpoint)}",
    ]
    if endpoint.paging:
        lines.append(
            "paged (tr_cont): `kis-async call … --all`; in python: async for page in kis.<category>.<method>(…)"
        )
    if not endpoint.retry_safe:
        lines.append("sends an order: never retried once it may have reached KIS")
    if endpoint.rate_limit:
        lines.append(f"rate limit: {endpoint.rate_limit:g} requests/s for this TR")
    out.write("\n".join(lines) + "\n\n")
    print_tables(out, describe_tables(endpoint), fancy=fancy(out))
    return 0


def run_config(settings: Settings, out: IO[str]) -> int:
    path = settings.config_path or default_config_path()
    state = "read" if settings.config_path else "not found"
    out.write(f"config file: {path} ({state})\n\n")
    table = Table(title="", headers=["setting", "value", "from"], rows=[list(r) for r in settings.describe()])
    print_tables(out, [table], fancy=fancy(out))
    return 0


# -- call -------------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def open_client(settings: Settings, **options: Any) -> AsyncIterator[KisClient]:
    """A client for the settings' environment; ``sandbox`` starts a local sandbox for the duration."""
    if settings.env != "sandbox" or settings.base_url:  # a sandbox at KIS_BASE_URL: talk to it
        async with KisClient(**settings.client_kwargs(), **options) as kis:
            yield kis
        return
    if importlib.util.find_spec("kis_async.sandbox") is None:
        raise KisConfigError("--env sandbox: the sandbox (kis_async.sandbox) is not in this installation")
    from kis_async.sandbox import Sandbox

    options["account"] = settings.account or SANDBOX_ACCOUNT
    async with Sandbox() as sandbox, sandbox.client(**options) as kis:
        yield kis


def prepare_call(
    name: str | None, argv: Sequence[str], out: IO[str]
) -> tuple[Endpoint[Any], argparse.Namespace]:
    if name is None or name.startswith("-"):
        if name in ("-h", "--help") or any(a in ("-h", "--help") for a in argv):
            out.write(
                "usage: kis-async call NAME [--ARGUMENT VALUE ...] [--json | --csv] [--all]\n"
                "`kis-async list` shows the endpoints; `kis-async call NAME --help` their arguments.\n"
            )
            raise SystemExit(0)
        raise CliUsageError(
            "call needs an endpoint name, e.g. `kis-async call domestic_stock.credit_balance`"
        )
    endpoint = _catalog.load(name)
    return endpoint, endpoint_parser(endpoint).parse_args(list(argv))


async def run_call(
    endpoint: Endpoint[Any], options: argparse.Namespace, settings: Settings, out: IO[str]
) -> int:
    args = collect_args(endpoint, options)
    if not endpoint.retry_safe and settings.env != "sandbox" and not getattr(options, "yes", False):
        raise CliUsageError(
            f"{endpoint.name} ({endpoint.title}) sends an order to the {settings.env} environment; "
            "add --yes to send it"
        )
    all_pages = getattr(options, "all", False)
    max_pages = getattr(options, "max_pages", None)
    fields = split_fields(options.fields)
    try:
        check_selection(endpoint, options.output, fields)
    except KisError as exc:
        raise CliUsageError(str(exc)) from exc
    async with open_client(settings, strict=not options.lenient) as kis:
        if all_pages or max_pages:
            responses: list[KisResponse] = [
                page async for page in iterate_pages(kis, endpoint, args, None if all_pages else max_pages)
            ]
        else:
            responses = [await kis.request(endpoint, args)]
    if options.json:
        write_json(out, responses)
    elif options.csv:
        write_csv(out, endpoint, responses, only=options.output, fields=fields)
    else:
        for index, response in enumerate(responses):
            if len(responses) > 1:
                out.write(f"{'' if index == 0 else chr(10)}page {index + 1}\n")
            print_tables(
                out,
                response_tables(endpoint, response, only=options.output, fields=fields),
                fancy=fancy(out, options.plain),
            )
        last = responses[-1]
        if last.msg1 or last.msg_cd:
            out.write(f"{last.msg_cd or ''} {last.msg1 or ''}".strip() + "\n")
    return 0


# -- sandbox ----------------------------------------------------------------------------------------


def run_sandbox(argv: Sequence[str]) -> int:
    """``python -m kis_async.sandbox`` with the remaining arguments (``--host``, ``--port`` …)."""
    if importlib.util.find_spec("kis_async.sandbox") is None:
        raise KisConfigError("the sandbox (kis_async.sandbox) is not in this installation")
    entry = importlib.import_module("kis_async.sandbox.__main__")
    status = entry.main(list(argv))
    return int(status or 0)
