"""KIS WebSocket feed page (portal ``*실시간*/*.md``) → ``kind: realtime`` spec YAML.

The page gives the title, TR IDs, what ``tr_key`` is and the record's fields in wire order (the
response Body table). It does not give usable types (every length is nonsense and execution
notices call quantities ``String``), so types are inferred from the KIS naming conventions the
REST importer also uses; the draft's ``importer_notes:`` list what the importer could not
decide or corrected (the first: which page, types inferred by name). Output path and feed name follow the rule in ``spec/README.md``:
``spec/<category>/realtime/<name>.yaml`` with ``<name>`` = subject + what + venue.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Any

import attrs
import yaml

from codegen.fidelity import numeric_scope
from codegen.importer import add_importer_note, draft_head
from codegen.loader import KnownClass, field_mapping, known_classes
from codegen.model import RAW_PRICE_UNIT, ResponseField, class_name, class_prefix

#: Portal folder prefix → spec category.
CATEGORIES = {
    "[국내주식]": "domestic_stock",
    "[국내선물옵션]": "domestic_futureoption",
    "[장내채권]": "domestic_bond",
    "[해외주식]": "overseas_stock",
    "[해외선물옵션]": "overseas_futureoption",
}

#: What the feed is about (the title's first word); "" when the category already says it.
SUBJECTS = (
    ("KRX야간선물", "night_futures"),
    ("KRX야간옵션", "night_option"),
    ("상품선물", "commodity_futures"),
    ("주식선물", "stock_futures"),
    ("주식옵션", "stock_option"),
    ("지수선물", "index_futures"),
    ("지수옵션", "index_option"),
    ("선물옵션", ""),
    ("국내ETF", "etf"),
    ("국내지수", "index"),
    ("국내주식", ""),
    ("ELW", "elw"),
    ("일반채권", "bond"),
    ("채권지수", "bond_index"),
    ("해외선물옵션", ""),
    ("해외주식", ""),
)

#: What the feed sends, longest Korean phrase first.
KINDS = (
    ("실시간주문내역통보", "order_notice"),
    ("실시간체결내역통보", "fill_notice"),
    ("실시간프로그램매매", "program_trading"),
    ("실시간지연체결가", "delayed_trade"),
    ("실시간예상체결", "expected_trade"),
    ("실시간체결통보", "fill_notice"),
    ("실시간종목체결", "trade"),
    ("실시간체결가", "trade"),
    ("실시간회원사", "brokers"),
    ("실시간호가", "orderbook"),
    ("실시간체결", "trade"),
    ("장운영정보", "market_status"),
    ("지연호가", "delayed_orderbook"),
    ("NAV추이", "nav"),
)

VENUES = {"KRX": "krx", "NXT": "nxt", "통합": "unified", "아시아": "asia"}

_TITLE = re.compile(r"^#\s*\[(?P<title>.+?)\s*(?:\[(?P<doc>실시간-\d+)\])?\]\((?P<url>[^)]*)\)\s*$")
_URL_TR = re.compile(r"/tryitout/([A-Z0-9]+)")
_ROW = re.compile(r"^\|(.+)\|\s*$")

#: Name tokens that make a number an integer (counts, quantities, volumes, digits).
INT_TOKENS = frozenset(
    {"VOL", "QTY", "RSQN", "CNT", "CSNU", "CNQN", "NUM", "QNTT", "TVOL", "HVOL", "AVOL", "BVOL", "EVOL"}
    | {"ASVL", "BIVL", "BDVL", "ADVL", "LRQN", "REMQ", "SMTN", "SMTM", "HLDN", "VBID", "VASK", "DBID"}
    | {"DASK", "ZDIV", "CCNT", "QT"}
)
#: Tokens that always make a number a decimal (rates, ratios, index levels, greeks).
DECIMAL_TOKENS = frozenset(
    {"RATE", "CTRT", "RT", "ERT", "CTTR", "TNRT", "NMIX", "RAT", "YTM", "DELTA", "GAMA", "THETA", "VEGA"}
    | {"RHO", "BASIS", "VLTL", "DPRT", "LVRG", "GEAR", "NAV", "DRTN", "CNVX", "PRMM", "INTS", "ERNN"}
    | {"ESDG", "STRN", "RLIM", "INVL", "PRIT", "CFP", "TMVL", "UV", "FEE", "WGHN"}
)
#: Tokens of values that are numbers even where the page calls every field ``String``.
NUMERIC_TOKENS = (
    INT_TOKENS
    | DECIMAL_TOKENS
    | {"PRPR", "PRC", "OPRC", "HGPR", "LWPR", "CLPR", "VRSS", "PBMN", "ASKP", "BIDP", "PRICE", "AMT"}
    | {"UNPR", "THPR", "ICDC", "MXPR", "LLAM", "SDPR", "PRIC", "OPEN", "HIGH", "LOW", "LAST", "DIFF"}
    | {"PBID", "PASK", "TAMT", "CNPR", "STPL"}
)
#: Tokens of codes, names and flags: text whatever else the name says.
TEXT_TOKENS = frozenset(
    {"CODE", "CLS", "YN", "ISCD", "ISNM", "NAME", "NM", "NO", "ID", "DVSN", "GB", "TYPE", "CD", "KIND"}
    | {"COND", "SYMB", "RSYM", "FILLER", "CNTT", "REAS", "TP", "FLAG", "CRCY", "DTIME", "MTYP", "SIGN"}
)


@attrs.frozen
class ImportedFeed:
    category: str
    name: str
    yaml: str
    notes: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"{self.category}/realtime/{self.name}.yaml"


class PageError(Exception):
    """The page is not a WebSocket feed page this importer understands."""


def _cells(line: str) -> list[str]:
    match = _ROW.match(line.strip())
    return [c.strip() for c in match.group(1).split("|")] if match else []


def _table_after(lines: list[str], *headings: str) -> list[dict[str, str]]:
    """The markdown table under the given headings (in order), as dicts by column name."""
    index = 0
    for heading in headings:
        while index < len(lines) and lines[index].strip() != heading:
            index += 1
        index += 1
    rows: list[dict[str, str]] = []
    columns: list[str] = []
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if line.startswith("#"):
            break
        cells = _cells(line)
        if not cells:
            if rows or columns:
                break
            continue
        if not columns:
            columns = cells
        elif set("".join(cells)) <= set("-: "):
            continue
        else:
            rows.append(dict(zip(columns, cells, strict=False)))
    return rows


def category_of(path: Path) -> str:
    folder = path.parent.name
    for prefix, category in CATEGORIES.items():
        if folder.startswith(prefix):
            return category
    raise PageError(f"{path}: folder {folder!r} is not a known KIS real-time category")


def feed_name(title: str) -> str:
    """``국내주식 실시간체결가 (KRX)`` → ``trade_krx``; the naming rule of ``spec/README.md``."""
    compact = title.replace(" ", "")
    subject = ""
    for korean, english in SUBJECTS:
        if compact.startswith(korean):
            subject, compact = english, compact[len(korean) :]
            break
    after_hours = "시간외" in compact
    compact = compact.replace("시간외", "")
    kind = next((english for korean, english in KINDS if korean in compact), None)
    if kind is None:
        raise PageError(f"cannot name the feed {title!r}: no known kind (체결가, 호가, …) in it")
    venue = next((english for korean, english in VENUES.items() if f"({korean})" in compact), "")
    parts = [subject, "after_hours" if after_hours else "", kind, venue]
    return "_".join(p for p in parts if p)


def infer_type(wire: str, korean: str, page_type: str, description: str, category: str) -> dict[str, str]:
    """The spec's ``type``/``enum`` for one record field, from KIS naming conventions (the pages'
    ``Number``/``String`` is only a hint: most feed pages call every field ``String``)."""
    name = wire.upper()
    tokens = [re.sub(r"\d+$", "", t) for t in name.split("_") if t]
    token_set = set(tokens)
    last = tokens[-1] if tokens else ""
    if last.endswith("SIGN") and (not description or "상승" in description or "상한" in description):
        return {"enum": "Sign"}
    if page_type != "Number":
        if last in ("HOUR", "TIME", "TM") or name in ("XHMS", "KHMS"):
            return {"type": "time"}
        if last in ("DATE", "DT") or name.endswith("YMD"):
            return {"type": "date"}
    numeric = page_type == "Number" or bool(token_set & NUMERIC_TOKENS)
    text = last in TEXT_TOKENS or bool(token_set & {"ISCD", "ISNM", "NAME", "YN", "ID", "CODE", "NO"})
    if not numeric or text:
        return {}
    if token_set & DECIMAL_TOKENS:
        return {"type": "decimal"}
    if token_set & INT_TOKENS:
        return {"type": "int"}
    if category == "domestic_stock":  # whole won: prices, amounts
        return {"type": "int"}
    return {"type": "decimal"}


def _clean(text: str) -> str:
    text = html.unescape(text).replace("<br>", " ").replace("\\_", "_")  # markdown-escaped _
    return " ".join(text.split()).strip("'\" ")


def _summary(lines: list[str]) -> str:
    out: list[str] = []
    capture = False
    for line in lines:
        stripped = line.strip()
        if stripped == "## 개요":
            capture = True
            continue
        if capture:
            if stripped.startswith("#") or stripped.startswith("[참고자료]") or stripped.startswith("[호출"):
                break
            if stripped and not stripped.startswith("http"):
                out.append(html.unescape(stripped))
    return "\n".join(out)


def _scalar(value: str) -> str:
    """A YAML scalar: JSON quoting is valid YAML and keeps codes as text."""
    return json.dumps(value, ensure_ascii=False)


def import_page(path: Path) -> ImportedFeed:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    match = _TITLE.match(lines[0]) if lines else None
    if match is None:
        raise PageError(f"{path}: the first line is not '# [title [실시간-NNN]](url)'")
    title, doc_id, url = match.group("title").strip(), match.group("doc") or "", match.group("url")
    meta = {}
    for line in lines[1:12]:
        if line.startswith("- ") and ":" in line:
            key, _, value = line[2:].partition(":")
            meta[key.strip()] = value.strip()
    notes: list[str] = []
    if meta.get("URL", "").strip("` ").startswith("/uapi/"):
        raise PageError(
            f"{path}: a REST call (URL {meta['URL'].strip('` ')}), whatever its Type line says: "
            "import it with `python -m codegen import`"
        )
    if meta.get("Type") != "WEBSOCKET":
        if not meta.get("실전 DOMAIN", "").startswith("ws://"):
            raise PageError(f"{path}: not a WebSocket page (Type: {meta.get('Type')!r})")
        notes.append(f"the page says Type {meta.get('Type')} but its domain is a WebSocket one")
    category = category_of(path)
    real = meta.get("실전 TR ID", "").strip()
    paper = meta.get("모의 TR ID", "").strip()
    url_match = _URL_TR.search(url) or _URL_TR.search(meta.get("URL", ""))
    url_tr = url_match.group(1) if url_match else ""
    if url_tr and real and url_tr != real:
        notes.append(f"the page's 실전 TR ID {real} differs from its URL's {url_tr}; used {url_tr}")
        if paper == real:
            paper = url_tr
        real = url_tr
    if not paper or "미지원" in paper:
        paper = "unsupported"

    request = _table_after(lines, "## 요청", "### Body")
    key_row = next((r for r in request if r.get("Element") == "tr_key"), {})
    key_text = f"{key_row.get('한글명', '')} {key_row.get('Description', '')}"
    is_notice = "통보" in title
    meaning = "hts_id" if is_notice or "HTS" in key_text.upper() else "symbol"
    if is_notice and "HTS" not in key_text.upper():
        notes.append(f"tr_key described as {_clean(key_text)!r}; execution notices take the HTS id")

    fields = _table_after(lines, "## 응답", "### Body")
    if not fields:
        raise PageError(f"{path}: no response Body table")
    name = feed_name(title)
    notes.insert(0, f"imported from portal/{path.parent.name}/{path.name}; types inferred by name")
    out = [
        "kind: realtime",
        f"title: {_scalar(title)}",
    ]
    if doc_id:
        out.append(f"doc_id: {_scalar(doc_id)}")
    summary = _summary(lines)
    if summary:
        out.append("summary: |")
        out += [f"  {line}" for line in summary.splitlines()]
    out.append(f"tr_id: {{real: {_scalar(real)}, paper: {_scalar(paper)}}}")
    key_korean = _clean(key_row.get("Description", "") or key_row.get("한글명", ""))
    if meaning == "hts_id" and "HTS" not in key_korean.upper():
        key_korean = "HTS ID"  # the page's text (a symbol example) describes another feed's key
    out.append(f"tr_key: {{meaning: {meaning}, korean: {_scalar(key_korean[:120])}}}")
    if is_notice:
        out.append("encrypted: true")
    out.append("fields:")
    seen: set[str] = set()
    for row in fields:
        wire = row.get("Element", "").strip()
        if not wire:
            notes.append("a field without a name was skipped")
            continue
        korean = _clean(row.get("한글명", ""))
        description = _clean(row.get("Description", ""))
        if wire.lower() in seen:  # keep the position: later fields must not shift
            notes.append(f"{wire} is listed twice; the second one is {wire}_REPEAT")
            description = f"the page lists {wire} twice; this is the second one, kept so later fields keep their position"
            wire = f"{wire}_REPEAT"
        seen.add(wire.lower())
        if description.startswith("각 항목사이에는"):
            description = ""
        inferred = infer_type(wire, korean, row.get("Type", ""), description, category)
        if inferred.get("type") == "int" and numeric_scope(
            category, f"{title} {name}_", ResponseField(wire, korean, "int")
        ):
            inferred["type"] = "decimal"  # an index/futures/foreign price or a rate (codegen/fidelity.py)
        if RAW_PRICE_UNIT.lower() in description.lower():  # placed by the master file's sCalcDesz
            inferred = {"type": "decimal", "unit": RAW_PRICE_UNIT}
        parts = [f"wire: {wire}", f"korean: {_scalar(korean)}"]
        parts += [f"{k}: {v}" for k, v in inferred.items()]
        if description and description != korean:
            parts.append(f"description: {_scalar(description)}")
        out.append(f"  - {{{', '.join(parts)}}}")
    return ImportedFeed(category, name, _with_head(out, notes), tuple(notes))


def _with_head(body: list[str], notes: list[str] | tuple[str, ...]) -> str:
    """The draft's text: :func:`codegen.importer.draft_head` (its notes as ``importer_notes:``),
    then ``body`` (from ``kind: realtime`` on)."""
    source = next(
        (n.split(";")[0].removeprefix("imported from ") for n in notes if n.startswith("imported from ")), ""
    )
    head = draft_head(source or "its page", "import-realtime", notes, "portal, realtime-notes", flagged=False)
    return "\n".join([*head, *body]) + "\n"


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _scalar(value) if isinstance(value, str) else str(value)


def _field_line(field: ResponseField) -> str:
    parts = [f"{key}: {_yaml_value(value)}" for key, value in field_mapping(field).items()]
    return f"  - {{{', '.join(parts)}}}"


def _fields_key(fields: list[dict[str, Any]]) -> tuple[tuple[str, str, str | None], ...]:
    return tuple(
        (str(f["wire"]).lower(), "enum" if f.get("enum") else f.get("type", "str"), f.get("enum"))
        for f in fields
    )


def reuse_tick(feed: ImportedFeed, known: dict[Any, KnownClass]) -> ImportedFeed:
    """A draft whose fields (attribute, type, enum) are an existing feed's of the same category
    takes that feed's tick class (``tick:``) and field lines, since the loader requires one class
    for one field list; a note says so. The draft's own tick joins ``known`` otherwise."""
    fields = yaml.safe_load(feed.yaml).get("fields") or []
    key = (feed.category, _fields_key(fields))
    found = known.get(key)
    if found is None:
        tick = class_name(class_prefix(feed.category), *feed.name.split("_"), "Tick")
        known[key] = KnownClass(tick, feed.path, [ResponseField(**f) for f in fields])
        return feed
    note = (
        f"the same fields as {found.name} of {found.source}: uses that tick class and its field "
        "lines (check them against this page; rename the tick in every feed naming it if the name "
        "no longer fits)"
    )
    lines = feed.yaml.splitlines()
    lines = lines[lines.index("kind: realtime") :]
    start = lines.index("fields:")
    lines[start:] = [f"tick: {found.name}", "fields:", *(_field_line(f) for f in found.fields)]
    notes = (*feed.notes, note)
    return attrs.evolve(feed, yaml=_with_head(lines, notes), notes=notes)


def import_realtime_main(
    pages: list[Path], out: Path | None, *, force: bool = False, diff: bool = False
) -> int:
    """``python -m codegen import-realtime PAGE… [--out spec/] [--diff | --force]``: write or print
    drafts. An existing feed spec is refused (named) unless ``--diff`` or ``--force``; a re-import
    only appends the fields the page added at the end of the record (a field's position is its
    index on the wire), keeping every line of the spec; any other change is refused for review."""
    if (force or diff) and out is None:
        print("codegen: --force and --diff need --out (the spec root to compare with)")
        return 2
    failed = 0
    names: dict[str, Path] = {}
    known = known_classes(out)[1] if out is not None and out.is_dir() else {}
    for page in pages:
        try:
            feed = import_page(page)
        except (PageError, OSError) as exc:
            print(f"codegen: {exc}")
            failed += 1
            continue
        if out is not None:
            feed = reuse_tick(feed, known)
            for note in feed.notes:
                if note.startswith("the same fields as "):
                    print(f"codegen: {page}: review: {note}")
        if feed.path in names:
            print(f"codegen: {page}: feed name {feed.path} is also produced by {names[feed.path]}")
            failed += 1
            continue
        names[feed.path] = page
        if out is None:
            print(f"--- {feed.path}\n{feed.yaml}")
            continue
        target = out / feed.path
        if target.exists():
            failed += _reimport_feed(page, feed, target, force=force, diff=diff)
            continue
        if diff:
            print(f"codegen: {page}: would write a new feed spec {target}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(feed.yaml, encoding="utf-8")
        print(f"codegen: wrote {target}" + (f" ({len(feed.notes)} note(s))" if feed.notes else ""))
    return 1 if failed else 0


def _reimport_feed(page: Path, feed: ImportedFeed, target: Path, *, force: bool, diff: bool) -> int:
    """A page whose feed spec exists: refuse, or show (``diff``) or write (``force``) the fields
    the page appended; 1 when refused."""
    import difflib

    if not force and not diff:
        print(
            f"codegen: {target} exists; not overwritten (its review would be lost): --diff shows what a "
            "re-import adds, --force writes it (every line of the spec is kept)"
        )
        return 1
    before = target.read_text(encoding="utf-8")
    old = [str(f.get("wire", "")).lower() for f in (yaml.safe_load(before) or {}).get("fields") or []]
    fresh_fields = (yaml.safe_load(feed.yaml) or {}).get("fields") or []
    new = [str(f.get("wire", "")).lower() for f in fresh_fields]
    if new[: len(old)] != old:
        print(
            f"codegen: {target}: the page's record differs from the spec's before its end (fields "
            "moved, renamed or removed): not merged; compare the page with the spec by hand"
        )
        return 1
    lines = before.rstrip("\n").splitlines()
    draft_lines = [line for line in feed.yaml.splitlines() if line.lstrip().startswith("- {wire:")]
    appended = draft_lines[len(old) :]
    if not appended:
        print(f"codegen: {target}: the page adds nothing to it")
        return 0
    indent = next(
        line[: len(line) - len(line.lstrip())] for line in lines if line.lstrip().startswith("- {wire:")
    )
    added = [str(f.get("wire")) for f in fresh_fields[len(old) :]]
    merged = [*lines, *(indent + line.lstrip() for line in appended)]
    add_importer_note(
        merged, f"re-imported from {page.name}: added {', '.join(added)} at the end; review them"
    )
    text = "\n".join(merged) + "\n"
    name = target.as_posix().lstrip("/")
    sys.stdout.write(
        "".join(
            difflib.unified_diff(before.splitlines(True), text.splitlines(True), f"a/{name}", f"b/{name}")
        )
    )
    if force:
        target.write_text(text, encoding="utf-8")
        print(f"codegen: {page} -> {target} (added {', '.join(added)})")
    return 0
