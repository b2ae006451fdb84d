"""Responses and endpoint descriptions as tables (rich when installed, plain text otherwise), CSV, JSON.

A :class:`Table` is built once from the descriptors and the typed response; :func:`print_tables`
draws it with rich on a terminal (``pip install 'kis-async[cli]'``) or as aligned plain text when
rich is absent or the output is piped. Column widths count Korean characters as two cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import IO, Any

import attrs

from kis_async._cli import _catalog
from kis_async._convert import KisEnum
from kis_async._endpoint import Endpoint, Output
from kis_async._errors import KisError
from kis_async._models import KisModel, KisResponse


@attrs.frozen
class Table:
    title: str
    headers: Sequence[str]
    subheaders: Sequence[str] = ()
    """A second header line (the Korean names); empty for none."""
    rows: Sequence[Sequence[str]] = ()
    right: Sequence[bool] = ()
    """Right-align this column (numbers)."""
    note: str = ""
    """Printed instead of the rows when there are none."""


# -- values ------------------------------------------------------------------------------------


def cell(value: Any) -> str:
    """A value for people: enum members by name, thousands separators, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, KisEnum):
        return value.name if value.known else str.__str__(value)
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def csv_value(value: Any) -> str:
    """A value for machines: enum codes as KIS sends them, plain numbers, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, str):  # KisEnum members too: their code
        return str.__str__(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


# -- responses -----------------------------------------------------------------------------------


def main_output(endpoint: Endpoint[Any]) -> Output:
    """The output ``--csv`` writes: the list output with the most fields (the ranking, the
    holdings), else the first output."""
    lists = [o for o in endpoint.outputs if o.shape == "list"]
    if not lists:
        if not endpoint.outputs:
            raise KisError(f"{endpoint.name} has no outputs to print")
        return endpoint.outputs[0]
    return max(lists, key=lambda o: len(_catalog.field_names(o.row)))


def select_output(endpoint: Endpoint[Any], key: str | None) -> Output:
    if key is None:
        return main_output(endpoint)
    for output in endpoint.outputs:
        if output.key == key:
            return output
    keys = ", ".join(o.key for o in endpoint.outputs)
    raise KisError(f"{endpoint.name} has no output {key!r}; its outputs are {keys}")


def check_selection(endpoint: Endpoint[Any], only: str | None, fields: Sequence[str] | None) -> None:
    """Raise now the error ``--output``/``--fields`` would raise when printing, so that a typo is
    reported before anything is sent (an order must not be sent and then reported as an error)."""
    if fields and not only:
        only = main_output(endpoint).key
    if only:
        _columns(select_output(endpoint, only), fields)


def _columns(output: Output, wanted: Sequence[str] | None) -> list[_catalog.FieldInfo]:
    known = _catalog.fields(output.row)
    if not wanted:
        return known
    by_name = {f.name: f for f in known}
    unknown = [name for name in wanted if name not in by_name]
    if unknown:
        raise KisError(
            f"{output.key} has no field {', '.join(map(repr, unknown))}; its fields are {', '.join(by_name)}"
        )
    return [by_name[name] for name in wanted]


def response_tables(
    endpoint: Endpoint[Any],
    response: KisResponse,
    *,
    only: str | None = None,
    fields: Sequence[str] | None = None,
) -> list[Table]:
    """One table per output: rows of a list output, field/value pairs of an object output.
    ``fields`` picks the columns of ``only`` (default: the main output, see :func:`main_output`)."""
    if fields and not only:
        only = main_output(endpoint).key
    outputs = [select_output(endpoint, only)] if only else list(endpoint.outputs)
    tables = []
    for output in outputs:
        value = getattr(response, output.key)
        columns = _columns(output, fields)
        label = f"{output.key} — {output.korean}" if output.korean else output.key
        # an object output KIS sent as several rows (kept as a list with --lenient) is a list too
        if output.shape == "list" or isinstance(value, list):
            rows: list[KisModel] = list(value or [])
            tables.append(
                Table(
                    title=f"{label} ({len(rows)} row{'' if len(rows) == 1 else 's'})",
                    headers=[c.name for c in columns],
                    subheaders=[c.short for c in columns],
                    rows=[[cell(getattr(row, c.name)) for c in columns] for row in rows],
                    right=[
                        any(_is_number(getattr(row, c.name)) for row in rows) or c.type in ("int", "Decimal")
                        for c in columns
                    ],
                    note="(no rows)",
                )
            )
        else:
            tables.append(
                Table(
                    title=label,
                    headers=["field", "한글명", "value"],
                    rows=[
                        [c.name, c.short, cell(getattr(value, c.name) if value is not None else None)]
                        for c in columns
                    ],
                    note="(empty)",
                )
            )
    return tables


def write_csv(
    stream: IO[str],
    endpoint: Endpoint[Any],
    responses: Sequence[KisResponse],
    *,
    only: str | None = None,
    fields: Sequence[str] | None = None,
) -> None:
    """The main list output (or ``--output``) as CSV with the wire names as header."""
    output = select_output(endpoint, only)
    columns = _columns(output, fields)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    for response in responses:
        value = getattr(response, output.key)
        rows = value if isinstance(value, list) else [value] if value is not None else []
        for row in rows:
            writer.writerow([csv_value(getattr(row, c.name)) for c in columns])


def write_json(stream: IO[str], responses: Sequence[KisResponse]) -> None:
    """The bodies exactly as KIS sent them: one object, or an array of pages."""
    bodies = [dict(r.raw) for r in responses]
    document: Any = bodies[0] if len(bodies) == 1 else bodies
    stream.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


# -- drawing ---------------------------------------------------------------------------------------


def print_tables(stream: IO[str], tables: Sequence[Table], *, fancy: bool) -> None:
    """Draw with rich when ``fancy`` and rich is importable, else as plain text."""
    if fancy:
        try:
            import rich  # noqa: F401
        except ImportError:
            fancy = False
    if fancy:
        _print_rich(stream, tables)
        return
    for index, table in enumerate(tables):
        if index:
            stream.write("\n")
        stream.write(plain_table(table))


def plain_table(table: Table) -> str:
    headers = list(table.headers)
    lines = [table.title] if table.title else []
    if not table.rows:
        return "\n".join([*lines, table.note]) + "\n"
    grid = [headers]
    if table.subheaders and any(table.subheaders):
        grid.append(list(table.subheaders))
    # a cell may hold several lines (a wrapped list of codes): the row takes as many
    widths = [
        max(width(part) for row in [*grid, *table.rows] for part in row[i].split("\n"))
        for i in range(len(headers))
    ]
    right = list(table.right) or [False] * len(headers)

    def line(cells: Sequence[str], align: bool) -> list[str]:
        split = [cell.split("\n") for cell in cells]
        out = []
        for index in range(max(len(parts) for parts in split)):
            cut = [parts[index] if index < len(parts) else "" for parts in split]
            out.append(
                "  ".join(
                    pad(c, w, right=align and r) for c, w, r in zip(cut, widths, right, strict=True)
                ).rstrip()
            )
        return out

    for header_row in grid:
        lines += line(header_row, align=False)
    lines.append("  ".join("-" * w for w in widths))
    for body_row in table.rows:
        lines += line(body_row, align=True)
    return "\n".join(lines) + "\n"


def wrap_items(items: Sequence[str], cells: int = 40) -> str:
    """``items`` joined with ``, ``, broken into lines of at most ``cells`` terminal cells
    between items (an item longer than that has a line of its own)."""
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}, {item}" if current else item
        if current and width(candidate) + 1 > cells:
            lines.append(current + ",")
            current = item
        else:
            current = candidate
    if current:
        lines.append(current)
    return "\n".join(lines)


def width(text: str) -> int:
    """Terminal cells: East Asian wide and full-width characters (Hangul) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cells: int, *, right: bool = False) -> str:
    gap = " " * (cells - width(text))
    return gap + text if right else text + gap


def _print_rich(stream: IO[str], tables: Sequence[Table]) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    console = Console(file=stream, highlight=False)
    for table in tables:
        if not table.rows:
            console.print(f"[bold]{table.title}[/bold]\n{table.note}")
            continue
        grid = RichTable(title=table.title, title_justify="left", header_style="bold")
        right = list(table.right) or [False] * len(table.headers)
        subheaders = list(table.subheaders) or [""] * len(table.headers)
        for header, korean, align in zip(table.headers, subheaders, right, strict=True):
            label = f"{_escape(header)}\n[dim]{_escape(korean)}[/dim]" if korean else _escape(header)
            grid.add_column(label, justify="right" if align else "left")
        for row in table.rows:
            grid.add_row(*(_escape(value) for value in row))
        console.print(grid)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
