"""A KIS portal page → a draft spec (``python -m codegen import PAGE.md [--out spec/]``).

:mod:`codegen.portal` reads the page; this module decides what it means, by KIS conventions:

- **Names** from the path (``/uapi/domestic-stock/v1/ranking/credit-balance`` →
  ``domestic_stock.credit_balance``); argument names from :data:`codegen.glossary.ARGUMENT_NAMES`,
  else the wire name in lower case.
- **Request fields**: ``Unique key(11701)`` or one fixed value (``시장구분코드 (주식 J)``) →
  ``const``; a closed list of codes (``0000:전체, 0001:거래소``, ``'00 전체 01 체결'``,
  ``0(전체), 1(콜)``, ``코스피(0001)``) → a local enum named ``<Method><Argument>``; ``2~999`` →
  ``int`` with ``range``; ``N : 기본값`` → ``default``; an open list (``…``, ``참조``, ``ex)``)
  stays ``str``.
- **TR IDs**: ``모의투자 미지원`` → unsupported; several labelled TR IDs (``(매도) … (매수) …``) →
  ``select`` by a TR-only argument; ``(구) … (신) …`` → the new one.
- **Paging**: ``CTX_AREA_*`` request fields → ``paging.keys`` (request wire ← lower-case body key).
- **Response**: ``Object`` → ``shape: object``; ``Object Array``/``Array`` → ``list``, except
  ``Object Array`` described ``single`` (→ object). The main list's row class is
  ``<Method>Row`` (the only list output, else the list with the most fields, first on a tie);
  every other output's is ``<Method><Key>`` (``CreditBalanceOutput1``).
- **Types** (every response field gets ``reviewed: false``): see :func:`infer_type`.

What it cannot decide goes into the draft's ``importer_notes:`` (a key the loader reads and the
spec keeps), so a reviewer knows where to look; the draft has no ``reviewed:`` until someone
reviews it. The output is deterministic.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import yaml

from codegen.fidelity import numeric_scope
from codegen.glossary import (
    ACCOUNT_FILLS,
    ARGUMENT_NAMES,
    BLANK_UNLESS_GIVEN,
    KOREAN_ARGUMENT_HINTS,
    KOREAN_WORDS,
    LABEL_NAMES,
    NUMBERED_ARGUMENT_NAMES,
    PAIRED_ARGUMENT_NAMES,
    SHARED_SELECTOR_ENUMS,
    TR_CHOICE_WORDS,
    TR_SELECTORS,
)
from codegen.loader import (
    KnownClass,
    SpecError,
    field_mapping,
    known_classes,
    load_endpoint,
    load_shared,
    load_specs,
    request_field_mapping,
)
from codegen.model import (
    CORPORATE_HEADERS,
    RAW_PRICE_UNIT,
    STANDARD_HEADERS,
    RequestField,
    ResponseField,
    class_name,
    class_prefix,
    order_range,
)
from codegen.portal import Page, PageError, Row, read_page

DEFAULT_SPEC_ROOT = Path(__file__).resolve().parent.parent / "spec"
_PATH = re.compile(r"^/uapi/([a-z0-9-]+)/(v\d+)/([a-z0-9-]+)/([a-z0-9/-]+)$")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_TR_ID = re.compile(r"[A-Z][A-Z0-9]{6,}")
_ENVELOPE = ("rt_cd", "msg_cd", "msg1")
_RESERVED = frozenset({"raw", "from_dict", "to_dict", "tr_cont", "has_next", "known"})


class ImportProblem(PageError):
    """The page was read but cannot become a spec (e.g. an OAuth or WebSocket page)."""


@attrs.frozen
class Imported:
    """A draft spec: the data the loader reads, where it goes, and what is left to decide."""

    spec: dict[str, Any]
    relative_path: str  # e.g. domestic_stock/ranking/credit_balance.yaml
    undecided: list[str]
    source: str

    def to_yaml(self) -> str:
        return render_yaml(self)


def import_page(page: Page) -> Imported:
    """Turn a REST :class:`Page` into a draft spec (:class:`ImportProblem` if it cannot)."""
    return _Importer(page).run()


# --- the importer -----------------------------------------------------------------------------


class _Importer:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.undecided: list[str] = []
        self.enums: dict[str, dict[str, Any]] = {}
        self.request_wires: frozenset[str] = frozenset()  # upper case, for names that pair up

    def note(self, text: str) -> None:
        if text not in self.undecided:
            self.undecided.append(text)

    def run(self) -> Imported:
        page = self.page
        if page.kind != "REST":
            raise ImportProblem(f"{page.source}: a {page.kind} page; only REST pages become REST specs")
        match = _PATH.match(page.path)
        if not match:
            raise ImportProblem(
                f"{page.source}: path {page.path!r} is not /uapi/<category>/v<N>/<group>/<name> "
                "(OAuth and hashkey pages are part of the client core, not specs)"
            )
        category, _, group, rest = match.groups()
        self.namespace = category.replace("-", "_")
        self.group = group.replace("-", "_")
        self.method_name = "_".join(rest.split("/")).replace("-", "_")
        self.camel = class_prefix(self.namespace) + _camel(self.method_name)  # unique across categories
        if not _IDENTIFIER.match(self.method_name):
            raise ImportProblem(f"{page.source}: method name {self.method_name!r} is not a python identifier")

        spec: dict[str, Any] = {"title": page.title or self.method_name}
        if page.doc_id:
            spec["doc_id"] = page.doc_id
        summary = _summary(page.overview)
        if summary and "_" in page.title:  # the overview repeats the title with its emphasis marks
            summary = summary.replace(page.title.replace("_", "*"), page.title)
        if summary:
            spec["summary"] = summary
        spec["method"] = page.method
        spec["path"] = page.path
        requests = self.request_fields()
        spec["tr_id"] = self.tr_ids(requests)
        paging = self.paging(requests)
        if paging:
            spec["paging"] = {"keys": paging}
        headers = self.headers()
        if headers:
            spec["headers"] = headers
        if requests:
            spec["request"] = self.use_blocks(requests)
        response = self.response(set(paging.values()))
        if page.method == "POST":  # an order: where its answer holds the order number
            numbers = [
                f"{key}.{field['wire']}"
                for key, output in response.items()
                for field in output.get("fields", ())
                if str(field.get("wire", "")).upper() == "ODNO"
            ]
            if numbers:
                spec["order_number"] = numbers
            else:
                self.note(
                    "an order without an ODNO field: say where its answer holds the order number (order_number:)"
                )
        if self.enums:
            spec["enums"] = dict(self.enums)
        spec["response"] = response
        relative = f"{self.namespace}/{self.group}/{self.method_name}.yaml"
        return Imported(spec, relative, list(self.undecided), page.source)

    # --- TR IDs -------------------------------------------------------------------------------

    def tr_ids(self, requests: list[dict[str, Any]]) -> dict[str, Any]:
        real = _tr_choices(self.page.real_tr)
        paper = _tr_choices(self.page.paper_tr)
        for env, text in (("real", self.page.real_tr), ("paper", self.page.paper_tr)):
            ids = list(_TR_ID.finditer(text))
            tail = text[ids[-1].end() :].strip() if ids else ""
            if tail.startswith("(") and not re.match(r"^\s*[A-Z][A-Z0-9]{6,}", text):
                self.note(f"{env} TR ID text also says {tail}")
        if not real and not paper:
            raise ImportProblem(f"{self.page.source}: the page names no TR ID (실전 TR ID / 모의 TR ID)")
        if len(real) <= 1 and len(paper) <= 1:
            for env, choices in (("real", real), ("paper", paper)):
                if choices and choices[0][0]:
                    self.note(f"{env} TR {choices[0][1]} is labelled ({choices[0][0]}); check it applies")
            return {
                "real": real[0][1] if real else "unsupported",
                "paper": paper[0][1] if paper else "unsupported",
            }
        # several TR IDs: an argument chooses
        codes: dict[str, str] = {}  # normalized label -> code
        members: dict[str, dict[str, str]] = {}
        guessed = False
        for label, _ in real + paper:
            key = _label_key(label)
            if key in codes:
                continue
            code = _tr_choice_code(key)
            if code is None or code in codes.values():
                code = f"tr{len(codes) + 1}"
                guessed = True
            codes[key] = code
            members[code] = {"code": code, "korean": label or "(no label)"}
        taken = {field.get("name") or str(field.get("wire", "")).lower() for field in requests}
        selector = TR_SELECTORS.get(frozenset(codes.values()), "tr_choice")
        if selector in taken:
            selector = "tr_choice"
        enum_name = SHARED_SELECTOR_ENUMS.get(frozenset(codes.values()))
        if enum_name is None:  # no shared enum (spec/_shared.yaml) fits: one of this endpoint's own
            enum_name = self.enum_name(selector)
            self.enums[enum_name] = {
                "korean": "TR 선택: " + " / ".join(label for label, _ in real or paper),
                "members": {code.upper(): member for code, member in members.items()},
            }
        requests.insert(
            0, {"name": selector, "korean": "TR 선택 (" + ", ".join(codes) + ")", "enum": enum_name}
        )
        self.note(
            f"TR ID chosen by `{selector}` ({', '.join(codes.values())})"
            + ("; choice codes guessed from labels" if guessed else "")
            + "; check whether a request field should select it instead"
        )
        return {
            "select": selector,
            "real": {codes[_label_key(label)]: tr for label, tr in real} if real else "unsupported",
            "paper": {codes[_label_key(label)]: tr for label, tr in paper} if paper else "unsupported",
        }

    # --- headers and request ------------------------------------------------------------------

    def headers(self) -> list[dict[str, Any]]:
        known = {*STANDARD_HEADERS, *CORPORATE_HEADERS}
        result = []
        for row in self.page.request_headers:
            wire = row.element.strip()
            if wire.lower() in known or not wire:
                continue
            header: dict[str, Any] = {"wire": wire, "korean": row.korean or wire}
            length = _int(row.length)
            if length is not None:
                header["length"] = length
            if row.required:
                header["required"] = True
            if row.description:
                header["description"] = row.description
            result.append(header)
        return result

    def request_fields(self) -> list[dict[str, Any]]:
        fields: list[dict[str, Any]] = []
        seen_wire: set[str] = set()
        seen_names: set[str] = set()
        rows = _expand_ranges(self.page.request_body, self.note)
        self.request_wires = frozenset(row.element.strip().upper() for row in rows)
        for row in rows:
            wire = row.element.strip()
            if not re.fullmatch(r"[A-Za-z0-9_]+", wire):
                self.note(f"request field {wire!r} skipped (not a key name)")
                continue
            if wire in seen_wire:
                self.note(f"request field {wire} is listed twice; the first is kept")
                continue
            seen_wire.add(wire)
            fields.append(self.request_field(row, wire, seen_names))
        return fields

    def use_blocks(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The request with the fields of a ``_shared.yaml`` block (``CANO``, ``ACNT_PRDT_CD``) as
        ``- use: account`` where the page lists them together and in the block's order; apart, each
        keeps its own line with the block's values (the loader refuses any other). A page's own
        remark on such a field is a review note, not a description (the block words it once)."""
        result = list(requests)
        for block, fields in shared_request_blocks().items():
            by_wire = {str(f.wire).upper(): f for f in fields}
            wires = [str(f.wire).upper() for f in fields]
            at = [i for i, f in enumerate(result) if str(f.get("wire", "")).upper() in by_wire]
            for i in at:
                page = result[i]
                shared = by_wire[str(page["wire"]).upper()]
                remark = str(page.get("description", ""))
                result[i] = request_field_mapping(shared)
                if remark and remark not in (shared.description, shared.korean, page.get("korean"), "-"):
                    result[i]["description"] = remark
                    self.note(
                        f"{shared.wire}: the page says {remark!r}; the shared `{block}` block says "
                        f"{shared.description!r} (keep the page's remark only if it matters: "
                        f"`description: {{{shared.python_name}: …}}` under `use: {block}`)"
                    )
            together = [str(result[i]["wire"]).upper() for i in at] == wires
            if at and together and at == list(range(at[0], at[0] + len(at))):
                result[at[0] : at[0] + len(at)] = [{"use": block}]
        return result

    def request_field(self, row: Row, wire: str, seen_names: set[str]) -> dict[str, Any]:
        upper = wire.upper()
        field: dict[str, Any] = {"wire": wire, "korean": row.korean or wire}
        description = _unquote(row.description)
        if description:
            field["description"] = description
        if "모의" in description:  # ※ 모의투자는 KRX만 가능, 모의투자계좌의 경우 "00"만 가능 …
            self.note(f"{wire}: the page limits what 모의투자 accepts; say it in `paper:` (spec/README.md)")
        length = _int(row.length)
        if length is not None:
            field["length"] = length
        if row.required is False:
            field["required"] = False

        const = _const(description)
        codes = None if const is not None else _codes(description, length)
        default = next((code for code, label in codes or () if "기본값" in label), None)
        if default is not None:
            field["default"] = default  # "N : 기본값": sent when the caller gives nothing
            if all(code == default for code, _ in codes or ()):
                codes = None
        if codes is not None and len(codes) == 1:
            if _is_single_value(description) and not _CONDITIONAL.search(description):
                const = codes[0][0]
                self.note(f"{wire}: const {const!r} taken from its only documented value")
            elif re.search(r"[A-Za-z0-9]{1,6}\s*:", description):
                self.note(f"{wire}: one code found in a longer description; kept str")
            codes = None
        if const is not None and length is not None and len(const) > length:
            const = None
        if const is not None:
            field["const"] = const
            return field

        name = self.argument_name(upper, row, codes)
        if name in seen_names:
            self.note(f"{wire}: {name!r} is taken by another argument; kept the wire name, rename it")
            name = _python(wire)
        while name in seen_names:
            name += "_"
        seen_names.add(name)
        if name != wire.lower():
            field["name"] = name
        if upper in ACCOUNT_FILLS:
            field["fill"] = ACCOUNT_FILLS[upper]
        if upper.startswith("CTX_AREA_") or upper in BLANK_UNLESS_GIVEN:
            field["required"] = False  # sent as "" unless given
            return field

        if codes:
            field["enum"] = self.add_enum(name, row, codes)
            return field
        return self.typed(field, wire, upper, length, description)

    def typed(
        self, field: dict[str, Any], wire: str, upper: str, length: int | None, description: str
    ) -> dict[str, Any]:
        """A field that is neither const nor enum: a range, a blank filler or a typed value."""
        if _CODE_LIST.search(description) and _is_open(description):
            self.note(f"{wire}: codes in its description look like examples (open list); kept str")
        value_range = _range(description)
        if value_range is not None:
            field["type"] = "int"
            field["range"] = list(value_range)
            return field
        if _is_blank_filler(description):
            field["required"] = False
            field["default"] = ""
            return field
        kind = _request_type(upper, length, description, self.namespace)
        if kind != "str":
            field["type"] = kind
        if kind in ("int", "decimal") and self.page.method == "POST":
            # an order's number without a range would be sent as -5 or 1E+30: draft one to review
            field["range"] = list(order_range(wire, self.page.path, length))
            self.note(f"{wire}: range {field['range']} drafted for an order's number; check it")
        if kind == "date" and length is not None and length < 8:  # a YYYYMMDD cannot be shorter
            field["length"] = 8
            self.note(f"{wire}: length {length} on the page, but a date is YYYYMMDD; length 8")
        return field

    def argument_name(self, upper: str, row: Row, codes: list[tuple[str, str]] | None) -> str:
        for pattern, numbered in NUMBERED_ARGUMENT_NAMES:  # 시장 1, 종목 1, … 시장 30, 종목 30
            match = re.fullmatch(pattern, upper)
            partners = {p for p, _ in NUMBERED_ARGUMENT_NAMES if p != pattern}
            if match and any(re.fullmatch(p, w) for p in partners for w in self.request_wires):
                return numbered.format(match.group(1))
        text = f"{row.korean} {row.description}"
        for word, name in KOREAN_ARGUMENT_HINTS.get(upper, ()):
            if word in text:
                return name
        if upper == "FID_INPUT_ISCD" and codes and all(re.fullmatch(r"\d{4}", c) for c, _ in codes):
            return "market"
        if upper == "FID_INPUT_HOUR_1" and codes:  # 60(1분), 600(10분): a bar interval
            return "interval"
        if upper in PAIRED_ARGUMENT_NAMES:
            partner, with_partner, alone = PAIRED_ARGUMENT_NAMES[upper]
            return with_partner if partner in self.request_wires else alone
        if upper in ARGUMENT_NAMES:
            return ARGUMENT_NAMES[upper]
        suffixed = re.fullmatch(r"(.+)_(\d+)", upper)  # SRS_CD_01 → symbol_01
        if suffixed and suffixed.group(1) in ARGUMENT_NAMES:
            return f"{ARGUMENT_NAMES[suffixed.group(1)]}_{suffixed.group(2)}"
        return _python(row.element)

    def enum_name(self, argument: str) -> str:
        base = class_name(self.camel, _camel(argument))
        name, n = base, 2
        while name in self.enums or name in _shared_enum_names():
            name, n = f"{base}{n}", n + 1
        return name

    def add_enum(self, argument: str, row: Row, codes: list[tuple[str, str]]) -> str:
        name = self.enum_name(argument)
        members: dict[str, dict[str, str]] = {}
        fallback: list[str] = []
        for code, label in codes:
            member = _member_name(label)
            if member is None:
                member = "CODE_" + (re.sub(r"[^A-Z0-9]", "_", code.upper()) or "BLANK")
                fallback.append(code or '""')
            if member in members:
                member = f"{member}_{re.sub(r'[^A-Z0-9]', '_', code.upper()) or 'BLANK'}"
            while member in members:
                member += "_"
            members[member] = {"code": code, "korean": label}
        if fallback:
            self.note(f"{name} member names guessed for codes {', '.join(fallback)}")
        self.enums[name] = {"korean": row.korean, "members": members}
        same = _shared_enum_with(frozenset(codes))
        if same is not None:  # tests/codegen/test_spec_names.py refuses a local copy of a shared enum
            self.note(f"{name} has the members of the shared enum {same}; use `enum: {same}`")
        return name

    def paging(self, requests: list[dict[str, Any]]) -> dict[str, str]:
        keys = {
            field["wire"]: field["wire"].lower()
            for field in requests
            if field.get("wire") and re.fullmatch(r"CTX_AREA_[A-Z]*\d*", field["wire"].upper())
        }
        if not keys:
            mentions = " ".join(
                row.description for row in self.page.response_headers if row.element == "tr_cont"
            )
            if re.search(r"F\s*(?:or|/|,)\s*M", mentions):
                self.note(
                    "tr_cont paging documented but continuation keys not recognized (KEYB/CTS/INDEX_KEY?)"
                )
        return keys

    # --- response -----------------------------------------------------------------------------

    def response(self, paging_keys: set[str]) -> dict[str, Any]:
        page = self.page
        containers = [row for row in page.response_body if row.is_container]
        for row in page.response_body:
            if row.parent is None and not row.is_container:
                name = row.element.lower()
                if name not in _ENVELOPE and name not in paging_keys:
                    self.note(f"top-level body field {row.element} is in no output (kept only in .raw)")
        outputs: dict[str, dict[str, Any]] = {}
        for container in containers:
            key = container.element.lower()
            if key in outputs:
                self.note(f"response {container.element} listed twice; the first is kept")
                continue
            fields = self.output_fields(container)
            if not fields:
                self.note(f"response {container.element} lists no fields (kept only in .raw)")
                continue
            shape = _shape(container)
            output: dict[str, Any] = {"korean": container.korean or key, "shape": shape, "row": ""}
            output["fields"] = fields
            outputs[key] = output
        if not outputs:
            raise ImportProblem(
                f"{page.source}: the response lists no Object/Object Array output with fields"
            )
        lists = [key for key, output in outputs.items() if output["shape"] == "list"]
        main = max(lists, key=lambda k: len(outputs[k]["fields"])) if lists else None
        for key, output in outputs.items():
            output["row"] = f"{self.camel}Row" if key == main else self.camel + _camel(key)
        if len(lists) > 1:
            self.note(f"several list outputs; {main} taken as the main list ({self.camel}Row)")
        return outputs

    def output_fields(self, container: Row) -> list[dict[str, Any]]:
        fields: list[dict[str, Any]] = []
        seen: set[str] = set()
        for row in self.page.response_children(container.element):
            wire = row.element.strip().lstrip("-")
            attr = wire.lower()
            if not _IDENTIFIER.match(attr) or attr in _RESERVED:
                self.note(f"response field {container.element}.{wire} skipped (no python attribute)")
                continue
            if attr in seen:
                self.note(f"response field {container.element}.{wire} listed twice; the first is kept")
                continue
            seen.add(attr)
            length = _int(row.length)
            kind = infer_type(attr, row.korean, length, self.namespace)
            scope = f"{self.page.path} {self.page.title}"
            if kind == "int" and numeric_scope(self.namespace, scope, ResponseField(wire, row.korean, "int")):
                kind = "decimal"  # an index/futures/foreign price or a rate (codegen/fidelity.py)
            field: dict[str, Any] = {"wire": wire, "korean": row.korean or wire}
            if length is not None:
                field["length"] = length
            if kind == "Sign":
                field["type"] = "enum"
                field["enum"] = "Sign"
            else:
                field["type"] = kind
            if kind == "decimal" and _is_rate(attr, row.korean):
                field["unit"] = "%"
            if RAW_PRICE_UNIT.lower() in (row.description or "").lower():
                # the page says to place it by the master file's sCalcDesz: a raw price
                field["type"], field["unit"] = "decimal", RAW_PRICE_UNIT
            if row.description:
                field["description"] = row.description
            field["reviewed"] = False
            fields.append(field)
        return fields


# --- TR ID text -------------------------------------------------------------------------------


def _tr_choices(text: str) -> list[tuple[str, str]]:
    """``(매도) TTTC0011U (매수) TTTC0012U`` → [(매도, TTTC0011U), (매수, TTTC0012U)].

    ``(구) X (신) Y`` keeps Y; labels after a TR ID (``TTTC2201R(기존 KRX만 가능)``) belong to it
    when the text starts with a TR ID.
    """
    if not _TR_ID.search(text):
        return []
    tokens = re.findall(r"\(([^()]*)\)|([A-Z][A-Z0-9]{6,})", text)
    labels_after = bool(re.match(r"^\s*[A-Z][A-Z0-9]{6,}", text))
    choices: list[tuple[str, str]] = []
    pending: list[str] = []
    old = False
    for label, tr in tokens:
        if label:
            word = label.strip()
            if word == "구":
                old = True
            elif word == "신":
                old = False
            elif labels_after and choices:
                previous_label, previous_tr = choices[-1]
                choices[-1] = ((previous_label + " " + word).strip(), previous_tr)
            else:
                pending.append(word)
            continue
        if old:
            old = False
            continue
        choices.append((" ".join(pending), tr))
        pending = []
    return choices


def _tr_choice_code(label: str) -> str | None:
    """``매도`` → ``sell``; ``주간 매수/매도`` → ``day``; ``일본/중국/홍콩/베트남`` → ``asia``."""
    compact = label.replace(" ", "")
    if compact in TR_CHOICE_WORDS:
        return TR_CHOICE_WORDS[compact]
    first = label.split(" ")[0] if label else ""
    if first in TR_CHOICE_WORDS and first != label:
        return TR_CHOICE_WORDS[first]
    if "미국" not in label and re.search(r"중국|홍콩|일본|베트남|아시아", label):
        return "asia"
    return None


def _label_key(label: str) -> str:
    return re.sub(r"모의투자|\(|\)", "", label).strip()


# --- request descriptions ---------------------------------------------------------------------

#: Words that say a list of codes is only examples (``… 포탈 참조``, ``ex) 005930``).
_OPEN_MARKERS = re.compile(
    r"\.\.\.|…|참조|참고|기타|\bex\b|예\)|예:|예시|\s등(?:\s|$)"
    # an example stock, a year or a format, not a closed list: "000660 : 종목코드", "회계연도 (2023)",
    # "005930(삼성전자)", "5 (분간격)", "HHMMSS"
    r"|삼성전자|하이닉스|\b005930\b|\b000660\b|종목코드|연도|간격|hhmmss|yyyymmdd"
)
_CODE_LIST = re.compile(r"[A-Za-z0-9]{1,6}\s*[:(]")


def _is_open(description: str) -> bool:
    return bool(_OPEN_MARKERS.search(re.split(r"※", description)[0].lower()))


def _const(description: str) -> str | None:
    text = description.strip().strip("'\"").strip()
    match = re.search(r"unique\s*key\s*\(\s*([A-Za-z0-9]+)\s*\)", text, re.IGNORECASE)
    if match:
        return match.group(1)
    if re.fullmatch(r"\d{4,5}", text):  # a screen number (FID_COND_SCR_DIV_CODE "20171")
        return text
    patterns = (
        r"^([A-Z]{1,2})$",
        r"^([A-Z]{1,2})\s*(?:입력|-\s*고정값|\(\s*unique key\s*\))$",
        r"^[가-힣 ]*\(\s*(?:[가-힣]+\s+)?([A-Z]{1,2})\s*\)$",
        r"^([A-Z]{1,2})\s*\([가-힣 ]+\)$",
    )
    for pattern in patterns:
        match = re.match(pattern, text, re.IGNORECASE if "unique" in pattern else 0)
        if match:
            return match.group(1)
    return None


def _codes(description: str, length: int | None) -> list[tuple[str, str]] | None:
    """The closed list of codes a description documents, or ``None``."""
    if not description or _is_open(description):
        return None
    text = description.replace("'", " ").replace('"', " ").replace("→", " ")
    text = re.sub(r"\[[^\]]*\]", " ", text)  # [KRX] / [Header tr_id …] tags
    text = re.split(r"※|\bex\)|미입력\s*시|미입력시", text)[0]
    best: list[tuple[str, str]] | None = None
    for parse in (_codes_colon, _codes_code_paren, _codes_label_paren, _codes_spaced):
        found = parse(text)
        if found and _plausible(found, length) and (best is None or len(found) > len(best)):
            best = found
    return best


_BLANK_WORDS = {"공백": "", "없음": "", "공란": ""}
_CODE = r"[A-Za-z0-9]{1,6}"


def _codes_colon(text: str) -> list[tuple[str, str]]:
    """``0000:전체, 0001:거래소`` / ``01 : 매도 02 : 매수`` / ``01@일반매도`` / ``(융자)0:…``."""
    starts = list(re.finditer(rf"(?<![A-Za-z0-9가-힣])({_CODE}|공백|없음|공란)\s*[:@]\s*", text))
    items: list[tuple[str, str]] = []
    group = ""
    head = text[: starts[0].start()] if starts else ""
    group_match = re.search(r"\(([가-힣]+)\)\s*$", head)
    if group_match:
        group = f"({group_match.group(1)}) "
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        label = text[match.end() : end]
        next_group = re.search(r"(?:^|[\s,])\(([가-힣]+)\)\s*$", label)  # "… 감소상위 (대주)5:…"
        if next_group and i + 1 < len(starts):
            label = label[: next_group.start()]
        label = label.strip(" ,/;|").strip()
        code = _BLANK_WORDS.get(match.group(1), match.group(1))
        items.append((code, (group + label).strip()))
        if next_group and i + 1 < len(starts):
            group = f"({next_group.group(1)}) "
    return items


def _codes_code_paren(text: str) -> list[tuple[str, str]]:
    """``0(전체), 1(관리종목)`` / ``N(전체), C(체결)``."""
    return [
        (code, label.strip())
        for code, label in re.findall(rf"(?<![A-Za-z0-9가-힣])({_CODE})\s*\(([^()]+)\)", text)
    ]


def _codes_label_paren(text: str) -> list[tuple[str, str]]:
    """``코스피(0001), 코스닥(1001)`` / ``전체(0) 매수(1)``."""
    return [(code, label.strip()) for label, code in re.findall(rf"([가-힣][^\s(),]*)\s*\(({_CODE})\)", text)]


def _codes_spaced(text: str) -> list[tuple[str, str]]:
    """``00 전체 01 체결 02 미체결``."""
    return [
        (code, label.strip())
        for code, label in re.findall(
            r"(?<![A-Za-z0-9가-힣])(\d{1,4})\s+([^\d\s][^\d]*?)(?=\s+\d{1,4}\s|\s*$)", text
        )
    ]


#: A value documented for one case only (``취소주문 시, "0" 입력``): the argument stays open.
_CONDITIONAL = re.compile(r"(?:주문|조회|정정|취소|매수|매도)\s*시\b|경우")


def _is_single_value(description: str) -> bool:
    """``0:전체`` or ``J : 주식``: the description is one code and its meaning, nothing else."""
    text = re.sub(r"\s+", " ", description).strip(" '\"")
    return len(text) <= 24 and text.count(":") + text.count("(") <= 1


def _plausible(items: list[tuple[str, str]], length: int | None) -> bool:
    """Codes unique (a code listed again with the same meaning is one code), labels short."""
    unique = dict.fromkeys(items)
    items[:] = list(unique)
    codes = [code for code, _ in items]
    if len(set(codes)) != len(codes) or any(not label for _, label in items):
        return False
    if length is not None and length <= 12 and any(len(code) > length for code in codes):
        return False
    return not any(len(label) > 40 for _, label in items)


def _range(description: str) -> tuple[int, int] | None:
    match = re.search(r"(?<![\d.])(\d+)\s*~\s*(\d+)(?![\d.])", description)
    if not match or _codes_colon(description) or re.search(r"[가-힣]~|~[가-힣]", description):
        return None
    low, high = int(match.group(1)), int(match.group(2))
    return (low, high) if low <= high else None


def _is_blank_filler(description: str) -> bool:
    text = description.strip().strip("'\"").replace('""', "").strip()
    return bool(re.fullmatch(r"\(?(?:공백|공란|빈칸)\)?\s*(?:입력|으로 입력|으로 조회)?", text))


#: An example date of 8 digits (``입력 날짜(ex. 20240223)``); ``0020231113`` (00 + date) is another
#: wire format and stays text.
_DATE_EXAMPLE = re.compile(r"(?<!\d)(?:19|20)\d{6}(?!\d)")


def _request_type(upper: str, length: int | None, description: str, namespace: str) -> str:
    if re.search(r"(?:_DT|_DATE|DATE_\d|_DT_\d)$", upper) and (
        length == 8 or "YYYYMMDD" in description or _DATE_EXAMPLE.search(description)
    ):
        return "date"
    if re.search(r"(?:^|_)QTY\d*$", upper):
        return "int"
    if re.search(r"(?:UNPR|PRIC)\d*$", upper) and not upper.startswith("FID_"):
        return "int" if whole_numbers(namespace, upper.lower()) else "decimal"
    return "str"


def _expand_ranges(rows: Iterable[Row], note: Any) -> list[Row]:
    """``SRS_CD_01``, ``SRS_CD_02…``, ``SRS_CD_32`` → SRS_CD_01 … SRS_CD_32 (optional after the first)."""
    result: list[Row] = []
    rows = list(rows)
    range_ends: set[int] = set()
    for i, row in enumerate(rows):
        if i in range_ends:
            row = attrs.evolve(row, required=False)
        element = row.element.strip()
        if element.endswith(("…", "...")) and 0 < i < len(rows) - 1:
            stem = element.rstrip(".…")
            first = re.match(r"^(.*?)(\d+)$", stem)
            last = re.match(r"^(.*?)(\d+)$", rows[i + 1].element.strip())
            if first and last and first.group(1) == last.group(1):
                width = len(first.group(2))
                for n in range(int(first.group(2)), int(last.group(2))):
                    korean = row.korean.rstrip(".…") + str(n)
                    element_n = f"{first.group(1)}{n:0{width}d}"
                    result.append(attrs.evolve(row, element=element_n, korean=korean, required=False))
                range_ends.add(i + 1)
                note(f"request fields {stem}…{rows[i + 1].element} expanded from a range row (optional)")
                continue
        result.append(row)
    return result


# --- types ------------------------------------------------------------------------------------

#: Lengths KIS writes as digits.decimals (``82`` = 8 integer digits, 2 decimals).
_STR_NAMES = re.compile(
    r"(?:_name\d*|_isnm|_cnnm|_cd|_code|_yn|_no|_id|iscd|pdno|_text|_cntt|odno|orgno|brno|title|memo|addr"
    r"|_dvsn|_cls|_tp|_gb|symb|excd|_abrv|_nm|tlno|_empno|_key|_unit_name)$"
)
_RATE = re.compile(
    r"(?:rate\d*|_rt\d*|ctrt\d*|rlim\d*|_rto|_inrt\d*|_prdy_rate|_per|_pbr|_eps_rate)$|^(?:per|pbr)$"
)
_COUNT = re.compile(
    r"(?:vol|qty|stcn|_cnt|_nmbr|rsqn|cnqn|qntt|csnu|_dynu)\d*$|qty_\d+$|^(?:vbid|vask|trec|crec|nrec|zdiv)\d*$"
)
_AMOUNT = re.compile(
    r"(?:prpr|pric\d*|_prc\d*|unpr\d*|_amt\d*|_pbmn\d*|_vrss\d*|oprc|hgpr|lwpr|clpr"
    r"|mxpr|llam|askp\d*|bidp\d*|_smtl\d*|_tlex\d*|_fee\d*|_ttam|_aset|_lblt|_cptl|_price\d*|_tota|_cash"
    r"|chgs|dfpa|avls|sdpr|sspr|^dnca_\w+|mgna|_dnca|pfls|_sbsa|rcva|acpr|trst_mgn|tltx|tl_tax|tomv|_sbst|_dpast|_agrm|fee_adjt|_icdc)$"
    r"|^(?:prpr|vrss|last|open|high|low|base|pbid|pask|diff|tamt|price|fee|clos|popen|phigh|plow|uplp|dnlp|h52p|l52p"
    r"|mcap|t_xprc|p_xprc|t_xdif|p_xdif|e_parp|dbid|dask)\d*$"
)
#: Values with decimals whatever the endpoint: theoretical prices, volatilities, basis, index levels.
_ALWAYS_DECIMAL = re.compile(
    r"(?:thpr|vltl|basis|dprt|rltv|exrt|nmix\w*|wrth_val)\d*$|(?:^|_)nav(?:_|$)|(?:^|_)idx\d*$"
    r"|^(?:vega|delta_val|gama|gamma|theta|rho)$"  # index levels and option greeks carry decimals
)


def decimal_places(length: int | None) -> int | None:
    """KIS's ``82``/``84``/``112``/``2212`` notation → the number of decimals, else ``None``."""
    if length is None or length < 22 or length % 10 == 0:
        return None
    if length in (23, 24, 25, 26, 27, 29, 32, 35, 36, 37, 41, 48, 50, 128, 133, 180, 256, 286, 350, 450):
        return None
    return length % 10


def infer_type(attr: str, korean: str, length: int | None, namespace: str) -> str:
    """A response field's semantic type by KIS conventions; ``str`` when unsure.

    Names and codes stay ``str``; ``*_sign`` → ``Sign``; ``*_date``/``*_dt`` of length 8 →
    ``date``; ``*_hour``/``*_tmd``/``*_time`` of length 6 → ``time``; a digits.decimals length
    (``82``) or a rate/ratio → ``decimal``; prices, volumes and amounts → ``int`` (``decimal`` on
    overseas endpoints, where they carry decimals).
    """
    if _STR_NAMES.search(attr):
        return "str"
    if attr.endswith("_sign") or attr == "sign":
        return "Sign" if length in (None, 1, 2) else "str"  # one page gives prdy_vrss_sign length 2
    if re.search(r"(?:date|_dt|^dt|_day)\d*$", attr) and length == 8:
        return "date"
    if re.search(r"(?:hour|_tmd|time|tmd)\d*$", attr) and length == 6:
        return "time"
    if decimal_places(length) is not None:
        return "decimal"
    if _RATE.search(attr) or korean.endswith(("율", "률", "비율", "비중", "(%)")):
        return "decimal"
    if _ALWAYS_DECIMAL.search(attr):
        return "decimal"
    if _COUNT.search(attr):
        return "decimal" if namespace.startswith("overseas") else "int"  # fractional overseas shares
    if _AMOUNT.search(attr):
        return "int" if whole_numbers(namespace, attr) else "decimal"
    return "str"


#: Namespaces whose prices and amounts are whole won (futures, options, bonds and every
#: overseas market quote decimals).
_WHOLE_NUMBER_NAMESPACES = ("domestic_stock", "elw", "etfetn")  # KRX trades ETFs/ETNs in whole won


def whole_numbers(namespace: str, attr: str) -> bool:
    """Whether a price/amount/volume field holds integers: domestic stock prices in won do;
    index levels (``nmix``), averages and anything on futures, options, bonds or overseas
    endpoints can carry decimals (``int`` would fail on ``"345.20"``; ``decimal`` never does)."""
    if namespace not in _WHOLE_NUMBER_NAMESPACES:
        return False
    return not re.search(r"nmix|idx|avg|avrg|futs|optn|fuop|bond|frcr|ovrs|exrt", attr)


def _is_rate(attr: str, korean: str) -> bool:
    if attr in ("per", "pbr", "eps", "bps") or attr.endswith(("_per", "_pbr")):
        return False  # ratios, not percentages
    return bool(_RATE.search(attr)) or korean.endswith(("율", "률", "비율", "(%)"))


def _shape(container: Row) -> str:
    kind = container.type.strip().lower()
    if kind == "object":
        return "object"
    return "object" if container.description.strip().lower() == "single" else "list"


# --- names ------------------------------------------------------------------------------------


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)


def _python(wire: str) -> str:
    name = re.sub(r"[^a-z0-9_]", "_", wire.lower()).strip("_") or "value"
    return name if _IDENTIFIER.match(name) else f"f_{name}"


def _member_name(label: str) -> str | None:
    """Readable English for an enum label from :data:`KOREAN_WORDS`, or ``None``.

    A trailing explanation in parentheses is dropped when the rest translates
    (``IOC지정가 (즉시체결,잔량취소)`` → ``IOC_LIMIT``); a leading number moves to the end
    (``5분전`` → ``MINUTES_AGO_5``), since names cannot start with a digit.
    """
    if label.strip() in LABEL_NAMES:
        return LABEL_NAMES[label.strip()]
    short = re.sub(r"\s*\([^()]*\)\s*$", "", label)
    for candidate in ([short] if short and short != label else []) + [label]:
        name = _translated_label(candidate)
        if name is not None:
            return name
    return None


def _translated_label(label: str) -> str | None:
    words: list[str] = []
    text = re.sub(r"[()\[\],./:~·\-]", " ", label)
    for token in text.split():
        translated = _translate(token)
        words.extend(["?"] if translated is None else translated)
    if "?" in words:
        return None
    words = [w for w in words if w]
    if words and words[0].isdigit() and len(words) > 1:
        words = words[1:] + words[:1]
    name = "_".join(words)
    name = re.sub(r"_+", "_", name).strip("_")
    if not name or not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
        return None
    return name


def _translate(token: str) -> list[str] | None:
    if re.fullmatch(r"[A-Za-z0-9%_]+", token):
        return [token.upper().replace("%", "PCT")]
    words: list[str] = []
    rest = token
    while rest:
        if re.match(r"[A-Za-z0-9%]", rest):
            ascii_part = re.match(r"[A-Za-z0-9%]+", rest)
            assert ascii_part is not None
            words.append(ascii_part.group(0).upper().replace("%", "PCT"))
            rest = rest[ascii_part.end() :]
            continue
        for size in range(min(len(rest), 8), 0, -1):
            english = KOREAN_WORDS.get(rest[:size])
            if english is not None:
                words.extend(english.split("_") if english else [])
                rest = rest[size:]
                break
        else:
            return None
    return words


def _summary(overview: str) -> str:
    lines: list[str] = []
    for line in overview.splitlines():
        line = line.strip()
        if not line:
            if lines:
                break
            continue
        if "http" in line or line.startswith(("[", "※")):
            continue
        lines.append(line)
    return "\n".join(lines[:4])


def _unquote(text: str) -> str:
    """Descriptions the portal wraps in quotes (``'00 전체 01 체결'``) lose them."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1].strip()
    if text.startswith("'") and text.count("'") == 1:
        return text[1:].strip()
    return text


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


# --- YAML -------------------------------------------------------------------------------------

_KEY_ORDER = (
    "kind", "title", "doc_id", "summary", "method", "path", "tr_id", "paging", "rate_limit", "max_rows",
    "retry_safe", "order_number", "headers", "request", "enums", "response",
)  # fmt: skip
_FIELD_ORDER = (
    "wire", "name", "korean", "description", "length", "required", "type", "enum", "range", "const",
    "default", "fill", "unit", "reviewed",
)  # fmt: skip


class _Dumper(yaml.SafeDumper):
    pass


_STR_TAG = "tag:yaml.org,2002:str"


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Multi-line text as a block; text YAML would read as another type (``"0000"``, ``"Y"``)
    in double quotes, as spec/README.md asks."""
    if "\n" in value:
        return dumper.represent_scalar(_STR_TAG, value, style="|")
    implicit = dumper.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return dumper.represent_scalar(_STR_TAG, value, style='"' if implicit != _STR_TAG or not value else None)


_Dumper.add_representer(str, _str_presenter)


def _flow_dict(dumper: yaml.SafeDumper, value: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


class _Flow(dict[str, Any]):
    """A mapping written on one line (response fields, enum members)."""


class _FlowList(list[Any]):
    pass


_Dumper.add_representer(_Flow, _flow_dict)
_Dumper.add_representer(
    _FlowList,
    lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True),
)


def _ordered(mapping: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    keys = [k for k in order if k in mapping] + [k for k in mapping if k not in order]
    return {k: mapping[k] for k in keys}


def _for_yaml(spec: dict[str, Any]) -> dict[str, Any]:
    result = _ordered(spec, _KEY_ORDER)
    if "request" in result:
        result["request"] = [_request_for_yaml(field) for field in result["request"]]
    if "enums" in result:
        result["enums"] = {
            name: {
                **{k: v for k, v in enum.items() if k != "members"},
                "members": {m: _Flow(member) for m, member in enum["members"].items()},
            }
            for name, enum in result["enums"].items()
        }
    if isinstance(result.get("tr_id"), dict):
        tr = result["tr_id"]
        result["tr_id"] = {
            k: (_Flow(v) if isinstance(v, dict) else v)
            for k, v in _ordered(tr, ("select", "real", "paper")).items()
        }
    if "paging" in result:
        result["paging"] = {"keys": _Flow(result["paging"]["keys"])}
    result["response"] = {
        key: {
            **_ordered({k: v for k, v in output.items() if k != "fields"}, ("korean", "shape", "row")),
            "fields": [_Flow(_ordered(f, _FIELD_ORDER)) for f in output["fields"]],
        }
        for key, output in result["response"].items()
    }
    return result


def _request_for_yaml(field: dict[str, Any]) -> dict[str, Any]:
    ordered = _ordered(field, _FIELD_ORDER)
    if "range" in ordered:
        ordered["range"] = _FlowList(ordered["range"])
    return ordered


def dump_fragment(part: dict[str, Any]) -> str:
    """Some top-level blocks of a spec (``request``, ``enums``, ``response``) as :func:`render_yaml`
    writes them, each response field on one line however long (for re-imports to insert)."""
    shaped: dict[str, Any] = {}
    if "request" in part:
        shaped["request"] = [_request_for_yaml(field) for field in part["request"]]
    if "enums" in part:
        shaped["enums"] = _for_yaml({"enums": part["enums"], "response": {}})["enums"]
    if "response" in part:
        shaped["response"] = {
            key: {
                **_ordered({k: v for k, v in output.items() if k != "fields"}, ("korean", "shape", "row")),
                "fields": [_Flow(_ordered(f, _FIELD_ORDER)) for f in output["fields"]],
            }
            for key, output in part["response"].items()
        }
    return yaml.dump(shaped, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6, indent=2)


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar on one line: plain where YAML reads it back as the same text, else
    in double quotes (JSON's, which YAML reads)."""
    plain = yaml.safe_dump(text, allow_unicode=True, width=10**6).removesuffix("\n...\n").rstrip("\n")
    return plain if plain == text and "\n" not in plain else json.dumps(text, ensure_ascii=False)


def draft_head(
    source: str, command: str, notes: list[str] | tuple[str, ...], against: str, *, flagged: bool = True
) -> list[str]:
    """The lines a draft opens with: what to do with it (a comment), and ``importer_notes:`` (what
    the importer could not decide or corrected, a key the loader reads). The reviewer adds
    ``reviewed:`` (spec/README.md, *Review*); a spec without it is a draft."""
    drop = "drop `reviewed: false` from the fields you checked, " if flagged else ""
    head = [
        f"# draft imported from {source} by `python -m codegen {command}`: review it (spec/README.md), "
        f"{drop}then add `reviewed: {{against: [{against}]}}`"
    ]
    if notes:
        head += ["importer_notes:", *(f"- {yaml_scalar(' '.join(note.split()))}" for note in notes)]
    return head


def add_importer_note(lines: list[str], note: str) -> None:
    """Append ``note`` to the spec's ``importer_notes:`` (``lines`` of its YAML, edited in place),
    creating the key after ``reviewed:`` (or at the top) when the spec has none; every other line is
    kept as it is (a re-import never rewrites a reviewed spec)."""

    def top(key: str) -> int | None:
        return next(
            (i for i, line in enumerate(lines) if line == f"{key}:" or line.startswith(f"{key}: ")), None
        )

    def end_of(at: int) -> int:
        end = at + 1
        while end < len(lines) and lines[end].startswith((" ", "- ")):
            end += 1
        return end

    item = f"- {yaml_scalar(' '.join(note.split()))}"
    at = top("importer_notes")
    if at is not None:
        existing = yaml.safe_load(lines[at].partition(":")[2]) if lines[at] != "importer_notes:" else None
        if existing:  # the flow form, `importer_notes: [a, b]`: written out as a block
            lines[at : at + 1] = ["importer_notes:", *(f"- {yaml_scalar(str(n))}" for n in existing)]
        lines.insert(end_of(at), item)
        return
    at = top("reviewed")
    if at is None:
        at = 0
        while at < len(lines) and lines[at].startswith("#"):
            at += 1
    else:
        at = end_of(at)
    lines[at:at] = ["importer_notes:", item]


def render_yaml(imported: Imported) -> str:
    """The spec as reviewable YAML: stable key order, codes quoted, one line per response field."""
    head = draft_head(Path(imported.source).name, "import", imported.undecided, "portal")
    body = yaml.dump(
        _for_yaml(imported.spec), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, indent=2
    )
    return "\n".join(head) + "\n" + body


@functools.cache
def _shared_enum_with(members: frozenset[tuple[str, str]]) -> str | None:
    """The spec/_shared.yaml enum whose (code, korean) members are exactly these, if any."""
    shared, _ = load_shared(DEFAULT_SPEC_ROOT)
    for name, enum in shared.enums.items():
        if frozenset((m.code, m.korean) for m in enum.members.values()) == members:
            return name
    return None


@functools.cache
def shared_request_blocks() -> dict[str, list[RequestField]]:
    """The request blocks of spec/_shared.yaml (``account``), which drafts ``use:``."""
    shared, _ = load_shared(DEFAULT_SPEC_ROOT)
    return shared.request_blocks


def _shared_enum_names() -> frozenset[str]:
    """Names spec/_shared.yaml already defines: a draft's own enums must not reuse them."""
    shared, _ = load_shared(DEFAULT_SPEC_ROOT)
    return frozenset(shared.enums)


# --- command line -----------------------------------------------------------------------------


def import_file(path: Path) -> Imported:
    return import_page(read_page(path))


def validate(imported: Imported, spec_root: Path | None = None) -> list[str]:
    """Problems the loader finds in the draft (``file: field: problem`` lines), checked against
    the shared enums of ``spec_root`` (default: this repository's ``spec/``)."""
    shared, problems = load_shared(spec_root or DEFAULT_SPEC_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "draft.yaml"
        path.write_text(imported.to_yaml(), encoding="utf-8")
        _, found = load_endpoint(path, imported.relative_path, shared)
    return problems + found


def import_main(pages: list[Path], out: Path | None, *, force: bool = False, diff: bool = False) -> int:
    """Import each page; print the YAML (``out`` is None) or write it under ``out``.

    A page that cannot be read or imported prints one ``codegen import: <page>: <reason>`` line
    on stderr and makes the exit status 1; the other pages are still imported.

    An existing spec is never overwritten: without ``force`` or ``diff`` the page is refused,
    naming the file. ``diff`` prints what a re-import would add (a unified diff) and writes
    nothing; ``force`` writes it. Either way the spec keeps every line it has (its names, enums,
    types, comments and ``reviewed:``): :func:`codegen.reimport.merge_into` only adds what the
    page has and the spec lacks, and reports any other difference as a ``kept:`` note.
    """
    if (force or diff) and out is None:
        print(
            "codegen import: --force and --diff need --out (the spec root to compare with)", file=sys.stderr
        )
        return 2
    status = 0
    written: list[str] = []
    known = known_classes(out)[0] if out is not None and out.is_dir() else {}
    for path in pages:
        try:
            imported = import_file(path)
        except PageError as exc:
            print(f"codegen import: {exc}", file=sys.stderr)
            status = 1
            continue
        except Exception as exc:  # a page shape no rule foresaw: one line, then the next page
            print(
                f"codegen import: {path}: importer failed on this page ({exc!r}); please report",
                file=sys.stderr,
            )
            status = 1
            continue
        if out is not None:
            reuse_rows(imported, known)
        problems = validate(imported, out if out is not None and (out / "_shared.yaml").exists() else None)
        text = imported.to_yaml()
        if out is not None and (out / imported.relative_path).exists():
            status = max(
                status, _reimport(path, imported, out / imported.relative_path, force=force, diff=diff)
            )
            if force:
                written.append(imported.relative_path)
            continue
        if out is None:
            sys.stdout.write(text)
        elif diff:
            print(f"codegen import: {path}: would write a new spec {out / imported.relative_path}")
        else:
            target = out / imported.relative_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(imported.relative_path)
            print(f"codegen import: {path} -> {target}")
        if imported.undecided:
            print(f"codegen import: {path}: review: {'; '.join(imported.undecided)}", file=sys.stderr)
        for problem in problems:
            print(f"codegen import: {path}: invalid draft: {problem}", file=sys.stderr)
            status = 1
    if out is not None and written and (out / "_shared.yaml").exists():
        for problem in conflicts(out, written):
            print(f"codegen import: conflicts with existing specs: {problem}", file=sys.stderr)
            status = 1
    return status


def _reimport(page: Path, imported: Imported, target: Path, *, force: bool, diff: bool) -> int:
    """A page whose spec exists: refuse, or show (``diff``) or write (``force``) the merge."""
    from codegen.fidelity import load_fidelity
    from codegen.reimport import merge_into

    if not force and not diff:
        print(
            f"codegen import: {target} exists; not overwritten (its review would be lost): --diff shows "
            "what a re-import adds, --force writes it (every line of the spec is kept)",
            file=sys.stderr,
        )
        return 1
    before = target.read_text(encoding="utf-8")
    try:
        distinct = load_fidelity(target.parents[len(Path(imported.relative_path).parts) - 1]).distinct
        merge = merge_into(before, imported, distinct)
    except (ValueError, yaml.YAMLError) as exc:
        print(f"codegen import: {target}: cannot merge into it ({exc}); fix it first", file=sys.stderr)
        return 1
    try:
        name = target.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:  # outside the working directory: the path as given
        name = target.as_posix().lstrip("/")
    changes = merge.diff(before, name)
    sys.stdout.write(changes or f"codegen import: {target}: the page adds nothing to it\n")
    for note in merge.notes:
        print(f"codegen import: {target}: kept: {note}", file=sys.stderr)
    if force and changes:
        target.write_text(merge.text, encoding="utf-8")
        print(f"codegen import: {page} -> {target} (added {', '.join(merge.added)})")
    return 0


def _draft_key(fields: list[dict[str, Any]]) -> tuple[tuple[str, str, str | None], ...]:
    return tuple(
        (f["wire"].lower(), "enum" if f.get("enum") else f.get("type", "str"), f.get("enum")) for f in fields
    )


def reuse_rows(imported: Imported, known: dict[Any, KnownClass]) -> None:
    """An output whose fields (attribute, type, enum) are an existing row's takes that row: its
    name and its (reviewed) field lines, since the loader requires one class for one field list;
    a ``review:`` note says so. The draft's own rows join ``known`` for the next pages."""
    for key, output in imported.spec["response"].items():
        fields_key = _draft_key(output["fields"])
        found = known.get(fields_key)
        if found is None:
            known[fields_key] = KnownClass(
                output["row"], imported.relative_path, [ResponseField(**f) for f in output["fields"]]
            )
            continue
        here = "this draft" if found.source == imported.relative_path else found.source
        imported.undecided.append(
            f"{key} has the same fields as {found.name} of {here}: it uses that row class and its "
            "field lines (check them against this page; rename the row in every spec naming it if "
            "the name no longer fits)"
        )
        output["row"] = found.name
        output["fields"] = [field_mapping(f) for f in found.fields]


def conflicts(spec_root: Path, written: list[str]) -> list[str]:
    """Cross-spec problems (a method or class name defined twice) involving the written drafts;
    resolve them with ``name:`` or by renaming the row/enum classes."""
    try:
        load_specs(spec_root)
    except SpecError as exc:
        return [p for p in exc.problems if any(p.startswith(f"{w}:") or f" {w}" in p for w in written)]
    return []
