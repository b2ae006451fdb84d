"""``kis-async drift RECORDING.jsonl…``: what live KIS sent that the specs do not say
(the report lives in :mod:`kis_async._drift`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "drift",
        help="compare recordings of live calls (KisClient(record=...)) with the specs: fields, types, "
        "codes, shapes, TR IDs and msg_cds the specs do not know",
    )
    parser.add_argument(
        "recordings",
        nargs="+",
        metavar="RECORDING",
        help="recordings (*.jsonl, from KisClient(record=...)) or corpus files (*.json), or folders of them",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="the findings as JSON")
    output.add_argument(
        "--patch",
        metavar="FILE",
        type=Path,
        help="write proposed spec edits as a unified diff to FILE (review it, then `git apply FILE`); "
        "nothing is applied",
    )
    parser.add_argument(
        "--spec",
        metavar="DIR",
        type=Path,
        default=Path("spec"),
        help="the spec folder for --patch (default: spec)",
    )
    parser.set_defaults(run=_run)


def _run(namespace: argparse.Namespace) -> int:
    from kis_async._drift import DriftError, analyse, render_json, render_table
    from kis_async._drift_patch import propose_patch

    report = analyse(namespace.recordings)
    out = sys.stdout
    if namespace.json:
        out.write(render_json(report) + "\n")
        return 0
    out.write(render_table(report))
    if namespace.patch is not None:
        patch = propose_patch(report, namespace.spec)
        if not patch:
            out.write(f"\nno spec edit to propose; {namespace.patch} not written\n")
            return 0
        try:
            namespace.patch.write_text(patch, encoding="utf-8")
        except OSError as exc:
            raise DriftError(f"{namespace.patch}: cannot write: {exc.strerror}") from None
        files = sum(1 for line in patch.splitlines() if line.startswith("+++ "))
        out.write(
            f"\nproposed edits to {files} spec file(s) written to {namespace.patch}: review them, then "
            f"`git apply {namespace.patch}` and `make gen`\n"
        )
    return 0
