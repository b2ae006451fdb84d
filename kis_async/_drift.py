"""What live KIS sent that the specs do not say: ``kis-async drift RECORDING.jsonl…``.

A recording (``KisClient(record="session.jsonl")``, :mod:`kis_async._record`) holds every body KIS
answered. Read against the generated descriptors (the specs as the SDK knows them), it shows per
endpoint where the specs and the live servers part:

- ``undocumented``: a key KIS sent that the spec lacks (kept on ``.raw`` today, typed tomorrow);
- ``never_seen``: a documented field no recorded row carried;
- ``type``: a value that failed its type (``int`` field, ``"-0.96"``), with the value;
- ``unknown_code``: a code no enum knows (it became an ``UNKNOWN_<code>`` pseudo-member);
- ``shape``: an object output sent as a list of several rows, or a list output sent as an object;
- ``tr_id`` / ``msg_cd``: a TR ID the spec does not list, a message code the SDK never met;
- ``unknown_path``: a path no spec has;
- ``live_check``: what the recording shows about a request spelling only a live call can settle
  (``spec/_fidelity.yaml``; ``docs/coverage.md``, *Needs a live check*).

:func:`analyse` gives a :class:`DriftReport`; :func:`render_table`, :func:`render_json` and
:func:`kis_async._drift_patch.propose_patch` (a unified diff of proposed spec edits, for review:
nothing is applied) print it. The runtime never imports the generator.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
import typing
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from kis_async._convert import (
    KisEnum,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    parse_time,
)
from kis_async._errors import AUTH_CODES, RATE_LIMIT_CODES, TOKEN_CODES, KisError
from kis_async._fields import field_map

#: Message codes the SDK has met (``endpoints-notes.md``, appendix B, and the error classes).
KNOWN_MSG_CODES = frozenset(
    {"MCA00000", "40600000", "APBK0013", "MCA05918", "EGW00133", "IGW00007"}
    | RATE_LIMIT_CODES
    | TOKEN_CODES
    | AUTH_CODES
)

#: Finding kinds, in report order, with what each means.
KINDS: dict[str, str] = {
    "unknown_path": "a path no spec has",
    "tr_id": "a TR ID the spec does not list",
    "msg_cd": "a msg_cd the SDK never met",
    "shape": "an object sent as a list, or a list sent as an object",
    "type": "values that failed their type",
    "unknown_code": "codes no enum knows",
    "undocumented": "fields KIS sent that the spec lacks",
    "never_seen": "documented fields never seen",
    "live_check": "a request spelling that needs a live check",
}

_ENVELOPE = frozenset({"rt_cd", "msg_cd", "msg1"})
_EXAMPLES = 3
#: Names listed in the table's one line of never-seen fields of an output.
_LISTED = 6


class DriftError(KisError):
    """A recording that cannot be read, or a patch that cannot be written (names the file)."""


@attrs.frozen
class LiveCheck:
    """A request wire spelling only a live call can settle (generated from ``spec/_fidelity.yaml``)."""

    endpoint: str
    wire: str
    alternatives: tuple[str, ...]
    evidence: str


@attrs.frozen
class Finding:
    """One way a recording parts from the spec."""

    endpoint: str
    """``domestic_stock.inquire_index_price`` (or ``GET /uapi/…`` for an unknown path)."""
    kind: str
    """A key of :data:`KINDS`."""
    where: str
    """``output.prdy_clpr_vrss_lwpr``, ``output2``, ``tr_id`` …"""
    detail: str
    """What was seen against what the spec says, in words."""
    count: int
    """How many times (rows, values, exchanges)."""
    examples: tuple[str, ...] = ()
    """Up to three distinct values as KIS sent them."""
    expected: str = ""
    """The spec's type, enum, shape or TR IDs."""
    proposal: str = ""
    """What ``--patch`` would write (``type: decimal``, a new field line, an enum member), if anything."""

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class DriftReport:
    files: tuple[str, ...]
    exchanges: int
    """Exchanges with a body (recorded errors without one are skipped)."""
    endpoints: Mapping[str, int]
    """Exchanges per endpoint."""
    findings: tuple[Finding, ...]
    skipped: tuple[str, ...] = ()
    """JSON files found in the folders named that are neither a recording nor a corpus file."""

    def by_endpoint(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            grouped[finding.endpoint].append(finding)
        return dict(grouped)


# --- reading recordings -----------------------------------------------------------------------


def recording_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """The files named, and the ``*.jsonl`` recordings and ``*.json`` corpus files found
    (recursively, sorted) in the folders named; second, the ``*.json`` files of those folders
    that are no corpus file (a folder may hold other JSON), which are skipped. A file named
    outright must be one or the other."""
    found: list[Path] = []
    skipped: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            for candidate in sorted(path.rglob("*.json*")):
                if not candidate.is_file() or candidate.suffix not in (".jsonl", ".json"):
                    continue
                if candidate.suffix == ".json" and not _is_corpus(candidate):
                    skipped.append(candidate)
                else:
                    found.append(candidate)
        elif path.is_file():
            found.append(path)
        else:
            raise DriftError(f"{path}: no such file or folder")
    if not found:
        raise DriftError("no recordings (*.jsonl) found in " + ", ".join(str(p) for p in paths))
    return found, skipped


def _is_corpus(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "endpoint" in data and isinstance(data.get("cases"), list)


def read_exchanges(path: Path) -> Iterator[dict[str, Any]]:
    """The exchanges of a recording (JSON Lines), or of a corpus file of real bodies
    (``tests/fixtures/real/*.json``: ``{"endpoint": …, "cases": [{"body": …}, …]}``)."""
    if path.suffix == ".json":
        yield from _corpus_exchanges(path)
        return
    try:
        with path.open(encoding="utf-8") as file:
            for number, text in enumerate(file, 1):
                if not text.strip():
                    continue
                try:
                    line = json.loads(text)
                except ValueError as exc:
                    raise DriftError(f"{path}:{number}: not a JSON line ({exc})") from None
                if not isinstance(line, dict) or not {"method", "path"} <= line.keys():
                    raise DriftError(f"{path}:{number}: not a recorded exchange (needs method and path)")
                yield line
    except OSError as exc:
        raise DriftError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise DriftError(f"{path}: not UTF-8 text") from None


def _corpus_exchanges(path: Path) -> Iterator[dict[str, Any]]:
    try:
        corpus = json.loads(path.read_text(encoding="utf-8"))
        name, cases = corpus["endpoint"], corpus["cases"]
    except OSError as exc:
        raise DriftError(f"{path}: cannot read: {exc.strerror}") from None
    except (ValueError, KeyError, TypeError):
        raise DriftError(f"{path}: not a corpus file (needs endpoint and cases) nor a recording") from None
    located = report_endpoint_path(str(name))
    if located is None:
        raise DriftError(f"{path}: endpoint {name!r} is no generated endpoint")
    method, url = located
    for case in cases:
        if isinstance(case, dict) and "body" in case:
            yield {"method": method, "path": url, "tr_id": "", "status": 200, "response": case["body"]}


# --- the descriptors as drift reads them ------------------------------------------------------


@attrs.frozen
class _FieldType:
    name: str
    """``int``, ``Decimal``, ``date`` …, or the enum's class name."""
    parse: Callable[[Any], Any] | None
    enum: type[KisEnum] | None = None


_PARSERS: dict[Any, tuple[str, Callable[[Any], Any]]] = {
    int: ("int", parse_int),
    Decimal: ("decimal", parse_decimal),
}


def _field_types(row: type[Any]) -> dict[str, _FieldType]:
    """Each field's documented type: from the row's generated field table (``kis_async._fields``),
    from its annotations for a class without one."""
    import datetime as dt

    parsers = {**_PARSERS, dt.date: ("date", parse_date), dt.time: ("time", parse_time)}
    parsers[dt.datetime] = ("datetime", parse_datetime)
    by_kind = {name: (name, parse) for name, parse in parsers.values()}
    table = field_map(row)
    hints = {} if table else typing.get_type_hints(row)
    types: dict[str, _FieldType] = {}
    for field in attrs.fields(row):
        if field.name in ("raw", "tr_cont"):
            continue
        declared = table.get(field.name)
        if declared is not None:
            if declared.enum is not None:
                types[field.name] = _FieldType(declared.enum.__name__, None, declared.enum)
            elif declared.kind in by_kind:
                name, parse = by_kind[declared.kind]
                types[field.name] = _FieldType(name, parse)
            else:
                types[field.name] = _FieldType("str", None)
            continue
        hint = hints.get(field.name)
        args = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
        kind = args[0]
        if isinstance(kind, type) and issubclass(kind, KisEnum):
            types[field.name] = _FieldType(kind.__name__, None, kind)
        elif kind in parsers:
            name, parse = parsers[kind]
            types[field.name] = _FieldType(name, parse)
        else:
            types[field.name] = _FieldType("str", None)
    return types


@attrs.frozen
class _Known:
    endpoint: Any
    outputs: dict[str, tuple[str, dict[str, _FieldType]]]
    """Body key → (shape, attribute → type)."""
    tr_ids: frozenset[str]


@functools.cache
def _descriptors() -> dict[tuple[str, str], _Known]:
    """Every endpoint by (method, path), built once per process (it imports every group module)."""
    from kis_async._registry import ENDPOINTS

    known: dict[tuple[str, str], _Known] = {}
    for module, const, _ in ENDPOINTS:
        endpoint = getattr(importlib.import_module(f"kis_async.{module}"), const)
        outputs = {o.key: (o.shape, _field_types(o.row)) for o in endpoint.outputs}
        tr_ids: set[str] = set()
        for table in (endpoint.tr_id.real, endpoint.tr_id.paper):
            if isinstance(table, str):
                tr_ids.add(table)
            elif table:
                tr_ids.update(table.values())
        known[(endpoint.method.upper(), endpoint.path)] = _Known(endpoint, outputs, frozenset(tr_ids))
    return known


def _live_checks() -> dict[str, list[LiveCheck]]:
    from kis_async._live_checks import LIVE_CHECKS

    checks: dict[str, list[LiveCheck]] = defaultdict(list)
    for check in LIVE_CHECKS:
        checks[check.endpoint].append(check)
    return checks


# --- analysis ---------------------------------------------------------------------------------


class _Tally:
    """Counts and up to three distinct examples per key."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, ...], int] = defaultdict(int)
        self.examples: dict[tuple[str, ...], list[str]] = defaultdict(list)

    def add(self, key: tuple[str, ...], example: Any = None) -> None:
        self.counts[key] += 1
        if example is not None:
            text = example if isinstance(example, str) else json.dumps(example, ensure_ascii=False)
            seen = self.examples[key]
            if text not in seen and len(seen) < _EXAMPLES:
                seen.append(text)


@attrs.define
class _Analysis:
    known: dict[tuple[str, str], _Known]
    checks: dict[str, list[LiveCheck]]
    exchanges: int = 0
    per_endpoint: dict[str, int] = attrs.Factory(lambda: defaultdict(int))
    unknown_paths: _Tally = attrs.Factory(_Tally)
    tr_ids: _Tally = attrs.Factory(_Tally)
    msg_cds: _Tally = attrs.Factory(_Tally)
    shapes: _Tally = attrs.Factory(_Tally)
    types: _Tally = attrs.Factory(_Tally)
    codes: _Tally = attrs.Factory(_Tally)
    extra: _Tally = attrs.Factory(_Tally)
    rows: _Tally = attrs.Factory(_Tally)
    present: _Tally = attrs.Factory(_Tally)
    live: dict[tuple[str, str], list[_LiveOutcome]] = attrs.Factory(lambda: defaultdict(list))

    def exchange(self, line: Mapping[str, Any]) -> None:
        body = line.get("response")
        if not isinstance(body, dict):
            return  # no answer (connection reset): nothing KIS said
        self.exchanges += 1
        method, path = str(line["method"]).upper(), str(line["path"])
        known = self.known.get((method, path))
        if known is None:
            self.unknown_paths.add((f"{method} {path}",), line.get("tr_id"))
            return
        name = known.endpoint.name
        self.per_endpoint[name] += 1
        tr_id = str(line.get("tr_id") or "")
        if tr_id and tr_id not in known.tr_ids:
            self.tr_ids.add((name, tr_id))
        msg_cd = str(body.get("msg_cd") or body.get("error_code") or "").strip()
        if msg_cd and msg_cd not in KNOWN_MSG_CODES:
            self.msg_cds.add(
                (name, msg_cd), str(body.get("msg1") or body.get("error_description") or "").strip()
            )
        request = line.get("query") if "query" in line else line.get("body")
        for check in self.checks.get(name, []):
            self._live(check, request if isinstance(request, dict) else {}, body)
        if str(body.get("rt_cd", "0")).strip() not in ("0", ""):
            return  # an error body has no outputs to compare
        continuation = {key.lower() for key in (known.endpoint.paging or {}).values()}
        for key, value in body.items():
            lowered = key.lower()
            if lowered in _ENVELOPE or lowered in known.outputs or lowered in continuation:
                continue
            self.extra.add((name, "body", lowered), value)
        for key, (shape, fields) in known.outputs.items():
            value = _output(body, key)
            if value is None:
                continue
            rows = self._rows(name, key, shape, value)
            for row in rows:
                self._row(name, key, fields, row)

    def _rows(self, name: str, key: str, shape: str, value: Any) -> list[Mapping[str, Any]]:
        if isinstance(value, list):
            if shape == "object" and len(value) > 1:
                self.shapes.add((name, key, "object sent as a list"), f"{len(value)} rows")
            elif shape == "object":
                # real-data-notes.md: KIS sends some objects as [] or [{…}]; the SDK reads those
                # as the object (or None), so the spec need not change: reported, not proposed
                self.shapes.add((name, key, f"object sent as a list of {len(value)} (read as the object)"))
            rows: list[Mapping[str, Any]] = [row for row in value if isinstance(row, dict)]
            if len(rows) < len(value):
                stray = next(item for item in value if not isinstance(item, dict))
                self.shapes.add((name, key, "list items that are not objects"), stray)
            return rows
        if isinstance(value, dict):
            if shape == "list":
                self.shapes.add((name, key, "list sent as an object"))
            return [value]
        self.shapes.add((name, key, f"{type(value).__name__} where an {shape} belongs"), value)
        return []

    def _row(self, name: str, key: str, fields: dict[str, _FieldType], row: Mapping[str, Any]) -> None:
        self.rows.add((name, key))
        for wire, value in row.items():
            attribute = wire.lower()
            field = fields.get(attribute)
            if field is None:
                self.extra.add((name, key, attribute), value)
                continue
            self.present.add((name, key, attribute))
            if field.enum is not None:
                if isinstance(value, str) and value.strip() and value not in field.enum._value2member_map_:
                    self.codes.add((name, key, attribute, field.name), value)
            elif field.parse is not None:
                try:
                    field.parse(value)
                except (ValueError, ArithmeticError, TypeError):
                    self.types.add((name, key, attribute, field.name), value)

    def _live(self, check: LiveCheck, request: Mapping[str, Any], body: Mapping[str, Any]) -> None:
        spellings = (check.wire, *check.alternatives)
        keys = {str(key).upper() for key in request}
        message = str(body.get("msg1") or "").strip()
        self.live[(check.endpoint, check.wire)].append(
            _LiveOutcome(
                sent=tuple(s for s in spellings if s.upper() in keys),
                rt_cd=str(body.get("rt_cd", "")).strip(),
                named=tuple(
                    s for s in spellings if re.search(rf"\b{re.escape(s)}\b", message, re.IGNORECASE)
                ),
                message=message,
            )
        )

    def report(self, files: list[Path]) -> DriftReport:
        findings: list[Finding] = []
        for (label,), count in self.unknown_paths.counts.items():
            findings.append(
                Finding(
                    label,
                    "unknown_path",
                    "path",
                    "no spec has this path",
                    count,
                    tuple(self.unknown_paths.examples[(label,)]),
                )
            )
        known_by_name = {k.endpoint.name: k for k in self.known.values()}
        for (name, tr_id), count in self.tr_ids.counts.items():
            expected = ", ".join(sorted(known_by_name[name].tr_ids))
            findings.append(
                Finding(
                    name,
                    "tr_id",
                    "tr_id",
                    f"{tr_id} is not a TR ID of this spec",
                    count,
                    (tr_id,),
                    expected,
                    f"tr_id: add {tr_id} if KIS documents it",
                )
            )
        for (name, code), count in self.msg_cds.counts.items():
            examples = tuple(self.msg_cds.examples[(name, code)])
            findings.append(
                Finding(
                    name,
                    "msg_cd",
                    "msg_cd",
                    f"{code} is a message code the SDK never met",
                    count,
                    (code, *examples),
                )
            )
        for (name, key, what), count in self.shapes.counts.items():
            proposal = "shape: list" if what == "object sent as a list" else ""
            findings.append(
                Finding(
                    name,
                    "shape",
                    key,
                    what,
                    count,
                    tuple(self.shapes.examples[(name, key, what)]),
                    known_by_name[name].outputs[key][0],
                    proposal,
                )
            )
        for (name, key, attribute, type_name), count in self.types.counts.items():
            examples = tuple(self.types.examples[(name, key, attribute, type_name)])
            suggestion = _suggest_type(examples)
            findings.append(
                Finding(
                    name,
                    "type",
                    f"{key}.{attribute}",
                    f"{count} value(s) are not {type_name}: {', '.join(repr(e) for e in examples)}",
                    count,
                    examples,
                    type_name,
                    f"type: {suggestion}",
                )
            )
        for (name, key, attribute, enum), count in self.codes.counts.items():
            examples = tuple(self.codes.examples[(name, key, attribute, enum)])
            findings.append(
                Finding(
                    name,
                    "unknown_code",
                    f"{key}.{attribute}",
                    f"{enum} has no code {', '.join(repr(e) for e in examples)}",
                    count,
                    examples,
                    enum,
                    "enum members: " + ", ".join(f"{member_name(e)}: {{code: {e!r}}}" for e in examples),
                )
            )
        for (name, key, attribute), count in self.extra.counts.items():
            examples = tuple(self.extra.examples[(name, key, attribute)])
            where = attribute if key == "body" else f"{key}.{attribute}"
            findings.append(
                Finding(
                    name,
                    "undocumented",
                    where,
                    f"sent {count} time(s), not in the spec",
                    count,
                    examples,
                    proposal="" if key == "body" else f"field {attribute} (reviewed: false)",
                )
            )
        for (name, key), rows in self.rows.counts.items():
            for attribute in known_by_name[name].outputs[key][1]:
                if (name, key, attribute) not in self.present.counts:
                    findings.append(
                        Finding(
                            name,
                            "never_seen",
                            f"{key}.{attribute}",
                            f"absent from all {rows} recorded row(s)",
                            rows,
                            proposal="comment: never seen",
                        )
                    )
        for (endpoint, wire), outcomes in self.live.items():
            check = next(c for c in self.checks[endpoint] if c.wire == wire)
            findings.append(
                Finding(
                    endpoint,
                    "live_check",
                    wire,
                    _live_verdict(check, outcomes),
                    len(outcomes),
                    tuple(dict.fromkeys(str(o) for o in outcomes))[:_EXAMPLES],
                    " / ".join((check.wire, *check.alternatives)),
                )
            )
        order = list(KINDS)
        findings.sort(key=lambda f: (f.endpoint, order.index(f.kind), f.where))
        return DriftReport(
            tuple(str(f) for f in files), self.exchanges, dict(self.per_endpoint), tuple(findings)
        )


def _output(body: Mapping[str, Any], key: str) -> Any:
    if key in body:
        return body[key]
    for name, value in body.items():
        if name.lower() == key:
            return value
    return None


def _suggest_type(examples: Iterable[str]) -> str:
    """``decimal`` when every failed value is a number (``-0.96`` in an ``int``), else ``str``."""
    try:
        for example in examples:
            parse_decimal(example)
    except (ValueError, ArithmeticError, TypeError):
        return "str"
    return "decimal"


def member_name(code: str) -> str:
    return "CODE_" + re.sub(r"[^0-9A-Za-z]+", "_", code.strip()).upper().strip("_")


@attrs.frozen
class _LiveOutcome:
    """One recorded call of a live-check endpoint: which spellings it sent, and KIS's answer."""

    sent: tuple[str, ...]
    rt_cd: str
    named: tuple[str, ...]
    """The spellings KIS's ``msg1`` names."""
    message: str

    def __str__(self) -> str:
        text = f"sent {'+'.join(self.sent) or 'neither'}: rt_cd {self.rt_cd or '?'}"
        return f"{text}, msg1 names {'/'.join(self.named)}: {self.message}" if self.named else text


def _live_verdict(check: LiveCheck, outcomes: list[_LiveOutcome]) -> str:
    named = [o for o in outcomes if o.named]
    if named:
        return f"answered: KIS's message names the field ({named[0]})"
    sent = {s for o in outcomes for s in o.sent}
    spellings = [s for s in (check.wire, *check.alternatives) if s in sent]
    if len(spellings) > 1:
        return f"both {' and '.join(spellings)} were sent and answered: compare their rows to see which KIS reads"
    alone = spellings[0] if spellings else check.wire
    return (
        f"{len(outcomes)} call(s) sent {alone} only; KIS answers without naming it, which does not say "
        f"whether it reads it: record one call with {' or '.join(check.alternatives)} and compare the rows"
    )


def analyse(paths: Iterable[str | Path]) -> DriftReport:
    """Read the recordings (files, or folders of ``*.jsonl`` and corpus ``*.json``) and compare
    them with the specs."""
    files, skipped = recording_files(paths)
    analysis = _Analysis(_descriptors(), _live_checks())
    for path in files:
        for line in read_exchanges(path):
            analysis.exchange(line)
    return attrs.evolve(analysis.report(files), skipped=tuple(str(p) for p in skipped))


# --- output -----------------------------------------------------------------------------------


def render_table(report: DriftReport) -> str:
    """A readable report: one section per endpoint, one line per finding; the documented fields
    never seen are one line per output (``--json`` lists each)."""
    lines = [
        f"{report.exchanges} recorded exchange(s) with a body in {len(report.files)} file(s), "
        f"{len(report.endpoints)} endpoint(s); {len(report.findings)} finding(s)"
    ]
    if report.skipped:
        lines.append(f"skipped (neither a recording nor a corpus file): {', '.join(report.skipped)}")
    for endpoint, findings in report.by_endpoint().items():
        calls = report.endpoints.get(endpoint)
        lines += ["", f"{endpoint}" + (f" ({calls} exchange(s))" if calls else "")]
        rows = [(f.kind, f.where, f.detail) for f in findings if f.kind != "never_seen"]
        unseen: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            if finding.kind == "never_seen":
                unseen[finding.where.partition(".")[0]].append(finding)
        for output, absent in unseen.items():
            names = [f.where.partition(".")[2] for f in absent]
            shown = ", ".join(names[:_LISTED]) + (
                f" (+{len(names) - _LISTED} more)" if len(names) > _LISTED else ""
            )
            rows.append(
                (
                    "never_seen",
                    output,
                    f"{len(names)} field(s) absent from all {absent[0].count} row(s): {shown}",
                )
            )
        width = max(len(where) for _, where, _ in rows)
        lines += [f"  {kind:<12} {where:<{width}}  {detail}" for kind, where, detail in rows]
    if not report.findings:
        lines.append("no drift: every recorded body matches its spec")
    return "\n".join(lines) + "\n"


def render_json(report: DriftReport) -> str:
    return json.dumps(
        {
            "files": list(report.files),
            "skipped": list(report.skipped),
            "exchanges": report.exchanges,
            "endpoints": dict(sorted(report.endpoints.items())),
            "kinds": KINDS,
            "findings": [f.to_json() for f in report.findings],
        },
        ensure_ascii=False,
        indent=1,
    )


def report_endpoint_path(name: str) -> tuple[str, str] | None:
    """``domestic_stock.inquire_price`` → ``("GET", "/uapi/…/inquire-price")``."""
    from kis_async._registry import ENDPOINTS

    for module, const, public in ENDPOINTS:
        if public == name:
            endpoint = getattr(importlib.import_module(f"kis_async.{module}"), const)
            return endpoint.method.upper(), endpoint.path
    return None
