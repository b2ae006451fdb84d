"""``python -m benchmarks [--quick] [--output PATH] [--only PART,…]``: run every measurement, print one
table of ratios and (full runs only, unless ``--output`` is given) rewrite ``docs/benchmarks.md``;
``--only codegen`` (or structuring, frames, realtime) runs that part alone and only prints it."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import _server, codegen_time, frames, overhead, peer, ratelimit, startup, structuring
from benchmarks._report import Row, machine, markdown_table, text_table

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


def run(quick: bool) -> tuple[list[Row], list[str]]:
    """Every row, in the issue's order, and notes about the run."""
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kis-bench-") as scratch:
        codegen_rows, generated_root = codegen_time.measure(30 if quick else 300, Path(scratch))
        with _server.running(rate=None) as server:
            notes.append(_server_note(server))
            overhead_rows, _ = asyncio.run(
                overhead.measure(server, n=50 if quick else 100, rounds=3 if quick else 11)
            )
            startup_rows = startup.measure(server, generated_root, runs=2 if quick else 5)
            startup_rows += startup.first_calls(server, runs=2 if quick else 5)
            peer_rows = peer.measure(server, n=20 if quick else 200)
    with _server.running(rate=ratelimit.RATE) as server:
        ratelimit_rows = asyncio.run(ratelimit.measure(server, n=60 if quick else 600))
    # after the calls: its millions of short-lived objects left this process measurably slower
    # at the call-overhead rounds (about +60 µs a call) when it ran first
    structuring_rows = structuring.measure(budget=0.1 if quick else 1.0)
    structuring_rows += frames.measure(budget=0.1 if quick else 1.0)
    rows = overhead_rows + structuring_rows + ratelimit_rows + startup_rows + codegen_rows + peer_rows
    return rows + _realtime_rows(quick), notes


def _realtime_rows(quick: bool) -> list[Row]:
    """The real-time benchmarks (:mod:`benchmarks.realtime`) as rows of the same table."""
    from benchmarks import realtime

    parsed = realtime.parsing()
    latency = asyncio.run(realtime.latency(seconds=1.0 if quick else 3.0))
    ratio = parsed["ratio_vs_split"]
    return [
        Row(
            "realtime parsing, H0STCNT0 frames",
            f"{parsed['client_records_per_s']:,.0f} records/s",
            f"{parsed['split_records_per_s']:,.0f} records/s (str.split)",
            ratio,
            "≤ 3",
            ratio <= 3,
            f"reading every field of every tick: {parsed['read_all_fields_records_per_s']:,.0f} records/s",
        ),
        Row(
            f"realtime latency, sandbox → consumer at {latency['ticks_per_s']:,.0f} ticks/s",
            f"p50 {latency['p50_ms']:.2f} ms",
            f"p99 {latency['p99_ms']:.2f} ms",
            None,
            "-",
            None,
            f"{latency['ticks']:,.0f} ticks; benchmarks/realtime.py",
        ),
    ]


def _server_note(server: _server.Server) -> str:
    if server.kind == "sandbox":
        return "Server: the project's sandbox (kis_async.sandbox.Sandbox), in a child process."
    return (
        "Server: the benchmarks' stand-in (benchmarks/_server.py: tokenP + a canned 30-row credit-balance), "
        f"in a child process, because {server.note}."
    )


#: What profiling found and what changed for issue 6; numbers from runs on the machine above
#: (credit-balance, 30 rows, local stand-in server), before and after.
FINDINGS = """\
## What the numbers led to (issue 6)

Measured before the changes on this machine: structuring a 30-row credit-balance body cost
408 µs on top of a 64 µs `json.loads` (ratio 7.4); a call through `KisClient` cost 2.3x
(sequential) and 3.4x (concurrent) a bare aiohttp call. Profiling showed cattrs' per-field
`Optional` dispatch, a wrapper lambda per value, a chain of `isinstance`/`isspace` checks in
every parser, one `object.__setattr__` per attribute and a per-key `islower()` scan per row.

- **One compiled structure function per row class** (`kis_async/_models.py: _compile_row`):
  the wire form of `str`/`int`/`Decimal`/`date`/enum values (a non-blank string) is parsed in
  line; every other value goes to the field's full parser, so each decision is the one the
  parsers always made (a differential run over the 15 response classes, 9,000 bodies with
  blanks, signs, numbers, NaN, upper-case keys, wrong shapes, strict and lenient, gave identical
  values, reprs, `to_dict()` and errors). Rows are `slots=False` attrs classes filled with one
  `__dict__` (about 30 µs of the gain; the price is memory: 36.7 KB instead of 25.9 KB of typed
  objects per 30-row response, besides the body kept on `.raw`). The key-case check is one
  `lower()` of the joined keys. 408 µs → about 100 µs.
- **A list of rows is read a column at a time** (`_compile_columns`), and the fields of one
  type of an object together (`_group_lines`): each documented key is read from all 30 rows with
  one `operator.itemgetter` map, each column converted with one C-level `map` (`int`,
  `Decimal`, `date.fromisoformat` on all-digit text, the enum's code table), and a column or
  group that is not all well-formed text goes through the fields' own parsers value by value.
  Anything else the fast path does not expect (a row that is not an object, a missing or
  upper-case key) falls back to the row-by-row function; `tests/core/test_structuring_paths.py`
  compares every path with each field's parser on generated bodies. Lists shorter than 4 rows
  stay row by row (a column costs more than it saves there). Credit-balance 102 µs → 85 µs,
  inquire-price 21 µs → 17 µs.
- **orjson when installed** (`pip install 'kis-async[fast]'`, `kis_async/_json.py`), with the
  standard library as fallback for anything orjson refuses: 64 µs → 25 µs per body. (orjson
  reads integer literals beyond 64 bits as floats; KIS sends numbers as strings.)
- **No error object per success**: the client built a `KisApiError` for every successful body
  to test its class; it now compares `msg_cd` with the codes the pipeline handles itself
  (rate-limit and token refusals) and builds an error only for those.
- **cattrs imported only when needed** (types the SDK does not parse, error reports): less
  start-up work.
- **A category loads its groups on first use** (done on `main` in parallel; the benchmark row
  "first use of kis.domestic_stock" measured the need): with every REST page generated (130
  endpoints in `domestic_stock`), the first call into `kis.domestic_stock` imported every group
  module of the category, and attrs compiles each row class's methods at class creation (about
  1 ms a class): process start to first call result was 636 ms against 199 ms for bare aiohttp;
  with lazy group modules about 330 ms.
- **One module per endpoint** (issue 20): a group module still held up to 179 classes
  (`domestic_stock/quotations.py`, 8,261 lines), so `inquire_price`'s first call cost 1.92× a bare
  aiohttp call from process start. Each endpoint now is its own module (and each shared enum,
  and each tick class with its feeds): the first call imports that module only, 1.0-1.18× across
  five groups ("first call from process start" rows). These rows run with bytecode, as an
  installed package does (the sessions' `PYTHONDONTWRITEBYTECODE` made every SDK run compile its
  modules from source while aiohttp's bytecode came from site-packages).
- **Codegen parses each spec once, with libyaml**: after realtime specs arrived, the loader
  parsed every file twice (once for its `kind:`) with the pure-Python YAML loader; 300 specs
  took 15-19 s. One parse with PyYAML's `CSafeLoader` (when built with libyaml) brought that to
  about 1.2 s.
- **Codegen back near its cost before one module per endpoint** (issue 20): 300 specs now make
  ~400 files instead of ~30, and `make gen` had grown from ~1.1 s to 2.85 s. Profiling found:
  the fidelity warnings loaded every spec a second time after writing (~0.45 s); ruff's scratch
  copy of the generated modules written to disk and read back (~0.3 s of small-file I/O on this
  machine; the copy now goes to `/dev/shm` when `pyproject.toml` names ruff's configuration);
  Jinja compiling the templates on every run (~0.2 s; now its bytecode cache, in a 0700 folder of
  the temp directory, checked against each template's source); PyYAML's constructor building
  each value through a generator per node (0.32 → 0.16 s for 300 specs: `codegen/_yaml.py` builds
  mappings, sequences and scalars straight from libyaml's events, with PyYAML's own resolver and
  constructors, and leaves anything else, errors included, to PyYAML's loader); docstring
  escaping one character at a time; and the benchmark's root held the repository's own ~360
  generated modules, which every timed run deleted. Output byte-identical (`diff -r` of the
  300-spec tree, `codegen gen` on the repository writes nothing). Same harness, the two
  generators taking turns (load 2.6): 2.86 s → 1.42 s best, CPU 2.61 s → 1.34 s; the table's row
  is the new harness (`python -m benchmarks --only codegen`). `make gen` on this repository's
  specs with nothing to write: 2.26 s → 0.98 s (best of 3, load 1.4). The first `make gen` after
  a template edit compiles that template again (all of them: about 0.2 s).
- **Structuring functions stay compiled at first use** (`exec` in `kis_async/_models.py`; issue
  20 asked whether to emit them as source): what the first call of an endpoint compiles
  (response, rows, and the column path of list outputs) costs a median 1.1 ms of CPU across
  the 272 endpoints (p90 1.9 ms; the widest, `comp_program_trade_daily`, 7.3 ms; best of 3),
  about 0.5% of a first call from process start (220-290 ms); structuring speed itself would not
  change (the same functions).
  As source, both modes (strict and lenient) of the row and column functions would add up to
  ~770 lines to an endpoint module (8 modules past 1,500 lines: `intgr_margin` 476 → 2,044) and
  27 KiB of bytecode to the median one, and the generator would have to carry the runtime's
  parsing decisions (which parser per mode, the in-line wire forms, the column fast path) that
  `tests/core/test_structuring_paths.py` checks against the parsers in one place today.

What stays above target, and why:

- *Structuring ≤ 2.0x json.loads*, with the standard library's decoder: the row "structuring
  floor" builds the very same objects by hand with no checks at all (no blanks, signs, unknown
  codes or errors): it alone costs about 2.1x `json.loads`. Typed values (`int`, `Decimal`, enum
  members, attrs instances) cost more to create in CPython than the C decoder spends on the
  strings, so 2.0 with the stdlib decoder is out of reach for any eagerly typed result (the SDK
  is about 1.25x that floor). With the decoder the SDK uses when the `fast` extra is installed
  (orjson), decode + structure is about 1.7-1.85x `json.loads`: within the target. Parsing each
  field only when it is read (as real-time ticks do) would meet it without orjson, but a value
  KIS sends in a form the spec does not allow would then raise where the bot reads it instead of
  at the call; REST responses keep failing at the call.
- *Call overhead ≤ 1.15*: the SDK's extra time per call is its structuring (with structuring
  stubbed out the SDK call measured 1.00x the bare one: orjson's faster decode pays for the
  rest); about 100-150 µs of CPU per 30-row call, in a call that takes 1.5-2.5 ms against the
  sandbox. Rounds are paired (each SDK batch timed next to a bare batch, taking turns at going
  first) and the ratio is the median of the pairs' ratios, so the machine's load swings no longer
  decide the result: 1.08-1.12 sequential over several runs.
- *Rate-limit refusals*: the first limiter planned send slots ahead and lost its 20 ms margin
  when the event loop or the server ran late on a busy machine (50-100 `EGW00201` in 600 calls
  against the child-process sandbox). The send-time limiter from the `reliability` branch, now
  merged, measured 0 refusals at 0.96 utilisation in the same benchmark, at a load average of 8.
"""


def document(rows: list[Row], notes: list[str], seconds: float, quick: bool) -> str:
    facts = machine()
    lines = [
        "# Benchmarks",
        "",
        "Regenerated by `make bench` (`python -m benchmarks`); every ratio compares two numbers measured "
        "in the same run on the same machine. Lower ratios are better except for rate-limit utilisation.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in facts.items()),
        "",
        "## Results",
        "",
        markdown_table(rows),
        "",
        f"Run took {seconds:.0f} s{' (--quick: smaller sizes, not the official numbers)' if quick else ''}.",
        "",
        "## How each number is measured",
        "",
        *(f"- {note}" for note in notes),
        "- **Call overhead**: `kis.domestic_stock.credit_balance(...)` (validation, headers, token, "
        "JSON decode, error mapping, structuring 30 typed rows) against a bare `aiohttp.ClientSession` "
        "GET with the same headers and query + `json.loads`, one session each, rate limiting off, "
        "paired rounds (the sides take turns at going first), median of the rounds' ratios. "
        "`benchmarks/overhead.py`.",
        "- **Structuring**: `structure(json.loads(body), Response)` against `json.loads(body)` alone, "
        "`timeit` best of 5. The inquire-price body is built from the generated `InquirePriceResponse` "
        "with every field filled. `benchmarks/structuring.py`.",
        '- **DataFrames**: `rows.to_polars()`, `rows.to_pandas()` and `rows.to_pandas(decimals="float")` '
        "of a 1,000-row credit-balance output, against structuring that body (`json.loads` + `structure`); "
        "`timeit` best of several, the four taking turns, imports and first-use caches outside the timing. "
        "`benchmarks/frames.py`.",
        "- **Rate-limit utilisation**: server limit 20/s per app key, the calls issued at once through "
        "a client at its default real rate with retries off (every `EGW00201` counts). Steady rate = "
        "calls after the first second's burst / time between first and last answer. "
        "`benchmarks/ratelimit.py`.",
        "- **Start-up**: wall time of whole `python -c ...` processes, best of several. The 300-endpoint "
        "package is the one the codegen benchmark generated. `benchmarks/startup.py`.",
        "- **Codegen**: 300 specs cloned from the seed spec (other paths, names and classes) in a "
        "temporary folder; `python -m codegen gen --spec TMP --root TMPROOT` wall time and peak RSS "
        "(`getrusage(RUSAGE_CHILDREN)`), on a root holding the hand-written core only, after an untimed "
        "three-spec run (bytecode and compiled templates as every run after the first has them). "
        "`benchmarks/codegen_time.py`; alone: `python -m benchmarks --only codegen`.",
        "- **Peer**: python-kis (`PyKis.fetch`, sync `requests`) against the same server. "
        "`benchmarks/peer.py` explains how it is pointed at a local URL.",
        "- **Real time**: record parsing against bare `str.split`, and sandbox → consumer latency. "
        "`benchmarks/realtime.py` (also runnable alone: `python -m benchmarks.realtime`).",
        "- Not in this table, to keep `make bench` under two minutes: `python -m benchmarks.rate_limit` "
        "(500 calls through one client and 300 through four clients of one app key, sandbox in process).",
        "- The machine may be shared with other work (see the load average): absolute times vary "
        "between runs, which is why every ratio comes from the two sides measured in turns.",
        "",
        FINDINGS,
    ]
    return "\n".join(lines)


#: Parts ``--only`` can run alone, each timing what it always does (none needs the server).
PARTS = ("codegen", "structuring", "frames", "realtime")


def run_parts(parts: set[str], quick: bool) -> list[Row]:
    """The rows of the named parts alone, in the table's order."""
    rows: list[Row] = []
    if "structuring" in parts:
        rows += structuring.measure(budget=0.1 if quick else 1.0)
    if "frames" in parts:
        rows += frames.measure(budget=0.1 if quick else 1.0)
    if "codegen" in parts:
        with tempfile.TemporaryDirectory(prefix="kis-bench-") as scratch:
            rows += codegen_time.measure(30 if quick else 300, Path(scratch))[0]
    if "realtime" in parts:
        rows += _realtime_rows(quick)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; a smoke run (seconds)")
    parser.add_argument(
        "--output", type=Path, default=None, help=f"markdown report (default: {DOC} on full runs)"
    )
    parser.add_argument(
        "--only",
        default="",
        metavar="PART[,PART]",
        help=f"run these parts alone ({', '.join(PARTS)}) and print their rows; docs/benchmarks.md "
        "is left as it is (a partial table would replace the full one)",
    )
    args = parser.parse_args(argv)
    only = {part.strip() for part in args.only.split(",") if part.strip()}
    unknown = sorted(only - set(PARTS))
    if unknown:
        parser.error(f"--only: unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    started = time.perf_counter()
    if only:
        rows = run_parts(only, args.quick)
        print(text_table(rows))
        print(
            f"{time.perf_counter() - started:.0f} s; " + "; ".join(f"{k} {v}" for k, v in machine().items())
        )
        return 0
    rows, notes = run(args.quick)
    seconds = time.perf_counter() - started
    print(text_table(rows))
    for note in notes:
        print(note)
    facts = machine()
    print(
        f"{facts['cpu']}, {facts['cores']} cores, Python {facts['python']}, aiohttp {facts['aiohttp']}; {seconds:.0f} s"
    )
    output = args.output or (None if args.quick else DOC)
    if output is not None:
        output.write_text(document(rows, notes, seconds, args.quick), encoding="utf-8")
        print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
