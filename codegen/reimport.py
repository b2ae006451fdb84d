"""Re-importing a page over an existing spec without losing its review.

A spec under ``spec/`` holds judgement the page does not: argument names, enums and their member
names, types, ``const``/``default``/``fill``, corrected Korean names, comments and its
``reviewed:`` key. :func:`merge_into` keeps every line of the existing file and only *adds* what
the page has and the spec lacks (a request field, an output, a response field with
``reviewed: false``), and an ``importer_notes:`` entry saying what was added. Whatever else differs (a length, a
한글명, a TR ID, a field no longer on the page) is reported as a note and left as the spec has it.

``python -m codegen import PAGE --out spec/`` refuses to touch an existing spec (naming it) unless
``--force`` (write the merge, print its diff) or ``--diff`` (print the diff, write nothing).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

import attrs
import yaml

from codegen.fidelity import close_spellings
from codegen.importer import Imported, add_importer_note, dump_fragment, shared_request_blocks
from codegen.loader import request_field_mapping

_TOP_ORDER = ("request", "enums", "response")


@attrs.frozen
class Merge:
    text: str
    """The existing file with the additions (equal to it when the page adds nothing)."""
    added: list[str]
    notes: list[str]
    """Differences left as the spec has them."""

    def diff(self, before: str, name: str) -> str:
        return "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                self.text.splitlines(keepends=True),
                f"a/{name}",
                f"b/{name}",
            )
        )


def merge_into(
    existing_text: str, draft: Imported, distinct: Collection[frozenset[str]] = frozenset()
) -> Merge:
    """The existing spec with what ``draft`` (a fresh import of its page) adds to it.

    A page wire a letter away from one the spec sends (``FID_BLNC_CLS_CODE`` against the spec's
    ``FID_BLNG_CLS_CODE``) is the page's misspelling of it, already corrected: it is not added back,
    unless ``distinct`` (``spec/_fidelity.yaml``) lists the pair as two fields."""
    existing = yaml.safe_load(existing_text)
    if not isinstance(existing, dict):
        raise ValueError("the existing spec is not a YAML mapping")
    lines = existing_text.splitlines()
    added: list[str] = []
    notes: list[str] = []
    spec = draft.spec

    for key in ("title", "method", "path"):
        if key in existing and spec.get(key) and existing[key] != spec[key]:
            notes.append(f"{key}: the page says {spec[key]!r}, the spec {existing[key]!r} (kept)")
    page_trs, spec_trs = _tr_ids(spec.get("tr_id")), _tr_ids(existing.get("tr_id"))
    if page_trs != spec_trs:  # the choice names are the reviewer's; the TR IDs are the page's
        notes.append(f"tr_id: the page gives {sorted(page_trs)}, the spec {sorted(spec_trs)} (kept)")

    # request fields (a `- use: account` entry stands for its block's fields, on either side)
    have = {
        str(f.get("wire", "")).upper(): f for f in _expanded(existing.get("request") or []) if f.get("wire")
    }
    page_wires = set()
    new_fields = []
    for field in spec.get("request") or []:
        if "use" in field:
            wires = [str(f.wire).upper() for f in shared_request_blocks().get(str(field["use"]), [])]
            page_wires.update(wires)
            if not any(wire in have for wire in wires):
                new_fields.append(field)
            continue
        wire = str(field.get("wire") or "").upper()
        if not wire:
            continue
        corrected = next(
            (w for w in have if close_spellings(w, wire) and frozenset((w, wire)) not in distinct), None
        )
        if wire not in have and corrected is not None:
            notes.append(
                f"request {field['wire']}: the page's spelling of {corrected}, which the spec sends (kept)"
            )
            page_wires.add(corrected)
            continue
        page_wires.add(wire)
        if wire in have:
            _compare(f"request {field['wire']}", have[wire], field, notes)
        else:
            new_fields.append(field)
    for wire in have:
        if wire not in page_wires:
            notes.append(f"request {wire}: no longer on the page (kept)")
    if new_fields:
        _add_to_list(lines, "request", dump_fragment({"request": new_fields}))
        added += [f"request {f.get('wire') or 'use: ' + str(f['use'])}" for f in new_fields]
        enums = {f["enum"] for f in new_fields if f.get("enum")}
        local = {name: e for name, e in (spec.get("enums") or {}).items() if name in enums}
        missing = {name: e for name, e in local.items() if name not in (existing.get("enums") or {})}
        if missing:
            _add_to_mapping(lines, "enums", dump_fragment({"enums": missing}))
            added += [f"enum {name}" for name in missing]

    # response outputs and fields
    outputs = existing.get("response") or {}
    for key, output in (spec.get("response") or {}).items():
        if key not in outputs:
            _add_to_mapping(lines, "response", dump_fragment({"response": {key: output}}))
            added.append(f"output {key}")
            continue
        kept = {str(f.get("wire", "")).lower(): f for f in outputs[key].get("fields") or []}
        fresh = []
        for field in output["fields"]:
            wire = str(field["wire"]).lower()
            if wire in kept:
                _compare(f"{key}.{field['wire']}", kept[wire], field, notes)
            else:
                fresh.append(field)
        on_page = {str(f["wire"]).lower() for f in output["fields"]}
        notes += [f"{key}.{wire}: no longer on the page (kept)" for wire in kept if wire not in on_page]
        if fresh:
            fragment = dump_fragment({"response": {key: {"fields": fresh}}})
            _add_fields(lines, key, fragment)
            added += [f"{key}.{f['wire']} (reviewed: false)" for f in fresh]
    for key in outputs:
        if key not in (spec.get("response") or {}):
            notes.append(f"output {key}: no longer on the page (kept)")

    if added:
        source = Path(draft.source).name
        add_importer_note(lines, f"re-imported from {source}: added {', '.join(added)}; review them")
    text = "\n".join(lines) + "\n"
    return Merge(text if added else existing_text, added, notes)


def _expanded(request: list[Any]) -> list[Any]:
    """Request entries with each ``- use: <block>`` replaced by the block's fields."""
    result: list[Any] = []
    for entry in request:
        if isinstance(entry, dict) and "use" in entry:
            result += [request_field_mapping(f) for f in shared_request_blocks().get(str(entry["use"]), [])]
        else:
            result.append(entry)
    return result


def _tr_ids(value: Any) -> set[str]:
    """Every TR ID a ``tr_id:`` value names (``unsupported`` and choice names left out)."""
    if isinstance(value, str):
        return set() if value == "unsupported" else {value}
    if isinstance(value, dict):
        found: set[str] = set()
        for key in ("real", "paper"):
            item = value.get(key)
            if isinstance(item, dict):
                found |= {str(tr) for tr in item.values() if tr != "unsupported"}
            else:
                found |= _tr_ids(item)
        return found
    return set()


def _compare(label: str, kept: dict[str, Any], page: dict[str, Any], notes: list[str]) -> None:
    for key in ("length", "korean"):
        if key in page and key in kept and kept[key] != page[key]:
            notes.append(f"{label}: {key} {page[key]!r} on the page, {kept[key]!r} in the spec (kept)")


def _top_block(lines: list[str], key: str) -> tuple[int, int] | None:
    for index, line in enumerate(lines):
        if line.rstrip() == f"{key}:":
            end = index + 1
            while end < len(lines) and (not lines[end].strip() or lines[end][0] in " -#"):
                end += 1
            while end > index + 1 and not lines[end - 1].strip():
                end -= 1
            return index, end
    return None


def _fragment_body(fragment: str) -> list[str]:
    """The lines under the fragment's top key (``request:`` → its items)."""
    return fragment.splitlines()[1:]


def _add_to_list(lines: list[str], key: str, fragment: str) -> None:
    block = _top_block(lines, key)
    body = _fragment_body(fragment)
    if block is None:
        _insert_top(lines, key, fragment)
        return
    items = [line for line in lines[block[0] + 1 : block[1]] if line.lstrip().startswith("- ")]
    indent = (len(items[0]) - len(items[0].lstrip())) if items else 0
    lines[block[1] : block[1]] = [(" " * indent + line) if line else line for line in body]


def _add_to_mapping(lines: list[str], key: str, fragment: str) -> None:
    block = _top_block(lines, key)
    if block is None:
        _insert_top(lines, key, fragment)
        return
    lines[block[1] : block[1]] = _fragment_body(fragment)


def _insert_top(lines: list[str], key: str, fragment: str) -> None:
    """A new top-level block, before the blocks that follow it in spec order."""
    after = _TOP_ORDER[_TOP_ORDER.index(key) + 1 :] if key in _TOP_ORDER else ()
    at = len(lines)
    for later in after:
        block = _top_block(lines, later)
        if block is not None:
            at = min(at, block[0])
    lines[at:at] = fragment.splitlines()


def _add_fields(lines: list[str], key: str, fragment: str) -> None:
    response = _top_block(lines, "response")
    if response is None:
        return
    start = next(
        (i for i in range(response[0] + 1, response[1]) if re.match(rf"^\s+{re.escape(key)}:\s*$", lines[i])),
        None,
    )
    if start is None:
        return
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < response[1] and (
        not lines[end].strip()
        or len(lines[end]) - len(lines[end].lstrip()) > indent
        or lines[end].lstrip()[0] == "-"
    ):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    items = [line for line in lines[start:end] if line.lstrip().startswith("- ")]
    new = [line.strip() for line in fragment.splitlines() if line.lstrip().startswith("- {")]
    item_indent = " " * ((len(items[0]) - len(items[0].lstrip())) if items else indent + 2)
    lines[end:end] = [item_indent + line for line in new]
