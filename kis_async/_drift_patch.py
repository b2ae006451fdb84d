"""``kis-async drift --patch``: the drift report's findings as proposed spec edits (a unified diff).

The runtime never imports the generator, so the spec files are edited as text: a field's line is
found under its output (``response:`` → ``output2:`` → ``fields:``), a value changed in place or a
line added after the last one. Nothing is applied: the diff is for review (``git apply``).
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Callable
from pathlib import Path

from kis_async._drift import DriftError, DriftReport, member_name, report_endpoint_path


def propose_patch(report: DriftReport, spec_root: Path) -> str:
    """A unified diff of proposed spec edits (``git apply`` from the folder holding ``spec_root``):
    a type that failed becomes what the values parse as, a field KIS sent is added with
    ``reviewed: false``, an unknown code becomes an enum member named ``CODE_<code>``, an object
    sent as a list becomes ``shape: list``, and a documented field never seen gets a comment.
    Nothing is applied: the diff is for review."""
    if not spec_root.is_dir():
        raise DriftError(f"{spec_root}: no spec folder (run in a kis-async checkout, or pass --spec DIR)")
    sources = _spec_files(spec_root)
    edited: dict[Path, list[str]] = {}

    def lines_of(path: Path) -> list[str]:
        if path not in edited:
            edited[path] = path.read_text(encoding="utf-8").splitlines()
        return edited[path]

    for finding in report.findings:
        if not finding.proposal or finding.kind in ("tr_id", "live_check"):
            continue
        endpoint = report_endpoint_path(finding.endpoint)
        path = sources.get(endpoint) if endpoint else None
        if path is None:
            continue
        lines = lines_of(path)
        key, _, attribute = finding.where.partition(".")
        if finding.kind == "shape":
            _edit_output_key(lines, key, "shape", "list")
        elif finding.kind == "type":
            _edit_field(
                lines, key, attribute, functools.partial(_set_type, new=finding.proposal.split(": ")[1])
            )
        elif finding.kind == "never_seen":
            _edit_field(
                lines, key, attribute, functools.partial(_comment, rows=finding.count), last_line=True
            )
        elif finding.kind == "undocumented":
            _add_field(lines, key, attribute, finding.examples)
        elif finding.kind == "unknown_code":
            target = path if _has_enum(lines, finding.expected) else spec_root / "_shared.yaml"
            if target.exists():
                _add_members(lines_of(target), finding.expected, finding.examples)
    base = spec_root.resolve().parent
    diff: list[str] = []
    for path, lines in sorted(edited.items()):
        before = path.read_text(encoding="utf-8").splitlines()
        if before == lines:
            continue
        name = path.resolve().relative_to(base).as_posix()
        diff += difflib.unified_diff(
            [f"{line}\n" for line in before], [f"{line}\n" for line in lines], f"a/{name}", f"b/{name}"
        )
    return "".join(diff)


def _spec_files(spec_root: Path) -> dict[tuple[str, str], Path]:
    found: dict[tuple[str, str], Path] = {}
    for path in sorted(spec_root.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        method = re.search(r"^method:\s*(\S+)", text, re.MULTILINE)
        url = re.search(r"^path:\s*(\S+)", text, re.MULTILINE)
        if method and url:
            found[(method.group(1).strip("'\"").upper(), url.group(1).strip("'\""))] = path
    return found


def _block(lines: list[str], start: int) -> int:
    """The end (exclusive) of the block whose header is ``lines[start]``: the next line indented
    no deeper than the header (comments and blank lines belong to the block)."""
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines):
        text = lines[end]
        if text.strip() and not text.lstrip().startswith("#") and len(text) - len(text.lstrip()) <= indent:
            break
        end += 1
    return end


def _output_block(lines: list[str], key: str) -> tuple[int, int] | None:
    try:
        response = lines.index("response:")
    except ValueError:
        return None
    end = _block(lines, response)
    for index in range(response + 1, end):
        if re.match(rf"^\s+{re.escape(key)}:\s*$", lines[index]):
            return index, _block(lines, index)
    return None


def _field_span(lines: list[str], key: str, attribute: str) -> tuple[int, int] | None:
    block = _output_block(lines, key)
    if block is None:
        return None
    pattern = re.compile(rf"^\s*- \{{?\s*wire:\s*['\"]?{re.escape(attribute)}['\"]?\s*[,}}]?", re.IGNORECASE)
    for index in range(*block):
        if pattern.match(lines[index]):
            end = index + 1
            if "{" in lines[index]:
                while "}" not in lines[end - 1] and end < block[1]:
                    end += 1
            else:
                indent = len(lines[index]) - len(lines[index].lstrip())
                while end < block[1] and len(lines[end]) - len(lines[end].lstrip()) > indent:
                    end += 1
            return index, end
    return None


def _edit_field(
    lines: list[str], key: str, attribute: str, edit: Callable[[str], str], *, last_line: bool = False
) -> None:
    span = _field_span(lines, key, attribute)
    if span is None:
        return
    targets = [span[1] - 1] if last_line else range(*span)
    for index in targets:
        lines[index] = edit(lines[index])


def _comment(text: str, rows: int) -> str:
    return text if "# drift:" in text else f"{text}  # drift: absent from {rows} recorded row(s)"


def _set_type(text: str, new: str) -> str:
    return re.sub(r"\btype:\s*\w+", f"type: {new}", text) if "type:" in text else text


def _edit_output_key(lines: list[str], key: str, name: str, value: str) -> None:
    block = _output_block(lines, key)
    if block is None:
        return
    for index in range(*block):
        if re.match(rf"^\s+{name}:", lines[index]):
            lines[index] = re.sub(rf"{name}:.*$", f"{name}: {value}", lines[index])
            return


def _add_field(lines: list[str], key: str, attribute: str, examples: tuple[str, ...]) -> None:
    block = _output_block(lines, key)
    if block is None or _field_span(lines, key, attribute) is not None:
        return
    last = max(
        (i for i in range(*block) if lines[i].strip() and not lines[i].lstrip().startswith("#")), default=None
    )
    firsts = [i for i in range(*block) if re.match(r"^\s*- ", lines[i])]
    if last is None or not firsts:
        return
    indent = lines[firsts[0]][: len(lines[firsts[0]]) - len(lines[firsts[0]].lstrip())]
    seen = ", ".join(examples)
    note = json.dumps(f"seen in recordings: {seen}" if seen else "seen in recordings", ensure_ascii=False)
    lines.insert(
        last + 1,
        f'{indent}- {{wire: {attribute}, korean: "?", type: str, reviewed: false, description: {note}}}',
    )


def _has_enum(lines: list[str], enum: str) -> bool:
    return any(re.match(rf"^\s+{re.escape(enum)}:\s*$", line) for line in lines)


def _add_members(lines: list[str], enum: str, codes: tuple[str, ...]) -> None:
    start = next((i for i, line in enumerate(lines) if re.match(rf"^\s+{re.escape(enum)}:\s*$", line)), None)
    if start is None:
        return
    end = _block(lines, start)
    members = next((i for i in range(start, end) if lines[i].strip() == "members:"), None)
    if members is None:
        return
    member_lines = [i for i in range(members + 1, _block(lines, members)) if lines[i].strip()]
    if not member_lines:
        return
    indent = lines[member_lines[0]][: len(lines[member_lines[0]]) - len(lines[member_lines[0]].lstrip())]
    known = "\n".join(lines[start:end])
    at = member_lines[-1] + 1
    for code in codes:
        if re.search(rf"code:\s*['\"]?{re.escape(code)}['\"]?\s*[,}}]", known):
            continue  # a member with this code exists already
        lines.insert(
            at,
            f'{indent}{member_name(code)}: {{code: {json.dumps(code, ensure_ascii=False)}, korean: "?"}}  # drift',
        )
        at += 1
