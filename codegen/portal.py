"""Read one KIS developer-portal page into a neutral :class:`Page`.

Two layouts are understood:

- **portal** (``../shared/kis-docs/portal/**.md``): a ``- Type: / - Method: / - URL: / - 실전 TR ID:``
  list, then markdown tables; child fields are written ``output2.stck_prpr``.
- **copy** (``credit-balance.md``, what copying a page from the portal gives): tables flattened
  into ``a | b | c`` lines, a cell continued on the following line(s), and child fields
  following their ``Object``/``Object Array`` parent row (their element cell padded with two
  spaces).

This module only reads: it knows nothing of specs. :mod:`codegen.importer` turns a REST
:class:`Page` into a spec; WebSocket (``Type: WEBSOCKET``) pages parse into the same structure.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Literal

import attrs

Layout = Literal["portal", "copy"]
PageKind = Literal["REST", "WEBSOCKET"]

#: Response types that open a group of child fields.
CONTAINER_TYPES = ("object", "object array", "array")
_COLUMNS = 6  # Element | 한글명 | Type | Required | Length | Description


class PageError(Exception):
    """The text is not a KIS portal page this reader understands; the message says what is missing."""


@attrs.frozen
class Row:
    """One table row: ``Element | 한글명 | Type | Required | Length | Description``.

    ``element`` is the field's own name (``stck_prpr``, not ``output2.stck_prpr``); a child
    field names its container in ``parent`` (as written, e.g. ``Output1``).
    """

    element: str
    korean: str
    type: str = "String"
    required: bool | None = None
    length: str = ""
    description: str = ""
    parent: str | None = None

    @property
    def is_container(self) -> bool:
        """A top-level ``Object``/``Object Array`` row that holds fields.

        A child typed Object is a mistyped field; so is a top-level one with a length, unless
        it is an ``output*`` part (WebSocket pages type data fields ``Object``, e.g.
        ``FUTS_SHRN_ISCD | Object | 9``).
        """
        if self.parent is not None or self.type.strip().lower() not in CONTAINER_TYPES:
            return False
        sized = self.length.isdigit() and int(self.length) > 1
        return not sized or self.element.lower().startswith(("output", "outblock"))

    @property
    def qualified(self) -> str:
        return f"{self.parent}.{self.element}" if self.parent else self.element


@attrs.frozen
class Page:
    """What a portal page says, without interpretation (that is :mod:`codegen.importer`'s job)."""

    source: str
    layout: Layout
    kind: PageKind
    title: str
    doc_id: str
    method: str
    path: str
    real_domain: str = ""
    paper_domain: str = ""
    real_tr: str = ""
    """The page's 실전 TR ID text, as written: ``FHKST17010000``, ``(매도) TTTC0011U (매수) TTTC0012U``."""
    paper_tr: str = ""
    overview: str = ""
    request_headers: tuple[Row, ...] = ()
    request_body: tuple[Row, ...] = ()
    """Request fields: query parameters (GET; the portal titles them "Body") or JSON body keys."""
    response_headers: tuple[Row, ...] = ()
    response_body: tuple[Row, ...] = ()

    def response_children(self, container: str) -> list[Row]:
        return [row for row in self.response_body if row.parent == container]


def read_page(path: Path) -> Page:
    """Parse the page at ``path``; :class:`PageError` names the file and what is missing."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PageError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise PageError(f"{path}: not UTF-8 text") from None
    return parse_page(text, str(path))


def parse_page(text: str, source: str = "<page>") -> Page:
    if re.search(r"^- URL:", text, re.MULTILINE):
        return _parse_portal(text, source)
    if re.search(r"^(?:.*\*\* )?Method \| ", text, re.MULTILINE):
        return _parse_copy(text, source)
    raise PageError(
        f"{source}: not a KIS portal page: found neither a '- URL:' line (portal layout) "
        f"nor a 'Method | … | URL | …' table (copied layout)"
    )


# --- sections ---------------------------------------------------------------------------------

_SECTION_KEYS = {"요청": "request", "응답": "response"}


def _sections(lines: list[str]) -> dict[str, list[str]]:
    """Lines by section: ``overview``, ``request.header``, ``request.body``, ``response.header``,
    ``response.body`` (the portal's "Query Parameter" and "Request Body" count as body)."""
    found: dict[str, list[str]] = {}
    top = ""
    current: list[str] | None = None
    for line in lines:
        heading = re.match(r"^(#{2,3})\s+(.*?)\s*$", line)
        if heading:
            level, name = len(heading.group(1)), heading.group(2)
            if level == 2:
                top = _SECTION_KEYS.get(name, "overview" if name == "개요" else "")
                current = found.setdefault("overview", []) if top == "overview" else None
            elif top in ("request", "response"):
                sub = "header" if name.lower() == "header" else "body"
                current = found.setdefault(f"{top}.{sub}", [])
            else:
                current = None
            continue
        if line.startswith("# "):
            current = None
            top = ""
            continue
        if current is not None:
            current.append(line)
    return found


def _overview(lines: list[str]) -> str:
    text = "\n".join(line.strip() for line in lines).replace("\\_", "_").replace("\\*", "*")
    return html.unescape(re.sub(r"\n{3,}", "\n\n", text).strip())


def _required(text: str) -> bool | None:
    value = text.strip().upper()
    return True if value == "Y" else False if value == "N" else None


def _clean(text: str) -> str:
    """A cell as KIS wrote it: markdown's escaped ``\\_``/``\\*`` and HTML entities undone."""
    return html.unescape(" ".join(text.replace("\\_", "_").replace("\\*", "*").split()))


# --- portal layout ----------------------------------------------------------------------------


def _parse_portal(text: str, source: str) -> Page:
    lines = text.splitlines()
    meta: dict[str, str] = {}
    for line in lines:
        match = re.match(r"^- (Type|Method|URL|실전 DOMAIN|모의 DOMAIN|실전 TR ID|모의 TR ID):\s*(.*)$", line)
        if match and match.group(1) not in meta:
            meta[match.group(1)] = _clean(match.group(2))
    title, doc_id = _portal_title(lines)
    sections = _sections(lines)
    kind = _kind(meta.get("Type", ""), source)
    if meta.get("실전 DOMAIN", "").startswith("ws") or meta.get("URL", "").startswith("/tryitout/"):
        kind = "WEBSOCKET"  # two feed pages (장운영정보 NXT/통합) say "Type: REST" by mistake
    kind = rest_if_uapi(kind, meta.get("URL", ""))
    return Page(
        source=source,
        layout="portal",
        kind=kind,
        title=title,
        doc_id=doc_id,
        method=_method(meta.get("Method", ""), source),
        path=_url(meta.get("URL", ""), source),
        real_domain=meta.get("실전 DOMAIN", ""),
        paper_domain=meta.get("모의 DOMAIN", ""),
        real_tr=meta.get("실전 TR ID", ""),
        paper_tr=meta.get("모의 TR ID", ""),
        overview=_overview(sections.get("overview", [])),
        request_headers=_portal_rows(sections.get("request.header", []), nested=False),
        request_body=_portal_rows(sections.get("request.body", []), nested=False),
        response_headers=_portal_rows(sections.get("response.header", []), nested=False),
        response_body=_portal_rows(sections.get("response.body", []), nested=True),
    )


def rest_if_uapi(kind: PageKind, url: str) -> PageKind:
    """Every page whose URL starts with ``/uapi/`` is a REST call, whatever its ``Type`` says:
    회원사 실시간 매매동향(틱) (``/uapi/domestic-stock/v1/quotations/frgnmem-trade-trend``, an
    ordinary GET) is labelled ``Type: WEBSOCKET`` on the portal. Feeds live under ``/tryitout/``."""
    return "REST" if url.strip().strip("`").startswith("/uapi/") else kind


#: ``주식잔고조회*실현손익[v1*국내주식-041]``: the portal rendition turned the ``_`` pairs of a
#: heading into markdown emphasis (``*``); between two letters a ``*`` in a name is an ``_``.
_EMPHASIS_UNDERSCORE = re.compile(r"(?<=\w)\*(?=\w)")


def unescape_name(text: str) -> str:
    """A title or document id as KIS writes it: markdown escapes and emphasis marks undone
    (``v1*국내주식-041`` → ``v1_국내주식-041``, ``v1\\_국내주식-001`` → ``v1_국내주식-001``)."""
    return _EMPHASIS_UNDERSCORE.sub("_", text.replace("\\_", "_").replace("\\*", "*"))


def _portal_title(lines: list[str]) -> tuple[str, str]:
    for line in lines:
        if line.startswith("# "):
            heading = line[2:].strip()
            if heading.startswith("[") and "](" in heading:
                heading = heading[1 : heading.rindex("](")]
            title, doc_id = _split_doc_id(_clean(heading))
            return unescape_name(title), unescape_name(doc_id)
    return "", ""


def _split_doc_id(heading: str) -> tuple[str, str]:
    """``주식주문(현금)[v1_국내주식-001]`` → (``주식주문(현금)``, ``v1_국내주식-001``)."""
    match = re.match(r"^(.*?)\s*\[([^\[\]]+)\]\s*$", heading)
    if match and match.group(1):
        return match.group(1).strip(), match.group(2).strip()
    return heading.strip(), ""


def _portal_rows(lines: list[str], nested: bool) -> tuple[Row, ...]:
    rows: list[Row] = []
    container: str | None = None
    for line in lines:
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) > _COLUMNS:  # a '|' inside the description
            cells = [*cells[: _COLUMNS - 1], " | ".join(cells[_COLUMNS - 1 :])]
        cells += [""] * (_COLUMNS - len(cells))
        element = _clean(cells[0])
        if not element or element == "Element" or set(element) <= {"-", ":"}:
            continue
        parent = None
        if nested and "." in element.strip(".…"):
            parent, _, element = element.partition(".")
        elif nested and element.startswith("-") and container is not None:
            parent, element = container, element.lstrip("-")  # "-futs_prpr" under its container
        row = _row(element, cells, parent)
        if row.is_container:
            container = element
        rows.append(row)
    return tuple(rows)


def _row(element: str, cells: list[str], parent: str | None) -> Row:
    return Row(
        element=element,
        korean=_clean(cells[1]),
        type=_clean(cells[2]) or "String",
        required=_required(cells[3]),
        length=_clean(cells[4]),
        description=_clean(cells[5]),
        parent=parent,
    )


# --- copied layout ----------------------------------------------------------------------------


def _parse_copy(text: str, source: str) -> Page:
    lines = text.splitlines()
    meta = _copy_meta(lines)
    title, doc_id, kind = "", "", ""
    for line in lines:
        if line.startswith("# "):
            heading = _clean(line[2:])
            for candidate in ("REST", "WEBSOCKET"):
                if heading.upper().startswith(candidate) and heading[len(candidate) :].strip():
                    kind = candidate
                    _, doc_id = _split_doc_id(heading[len(candidate) :])
            if not title and not kind:
                title = heading
    if not title:
        title = meta.get("title", "")
    title, inline_id = _split_doc_id(title)
    title, inline_id, doc_id = unescape_name(title), unescape_name(inline_id), unescape_name(doc_id)
    sections = _sections(lines)
    return Page(
        source=source,
        layout="copy",
        kind=rest_if_uapi(_kind(kind or "REST", source), meta.get("url", "")),
        title=title,
        doc_id=doc_id or inline_id,
        method=_method(meta.get("method", ""), source),
        path=_url(meta.get("url", ""), source),
        real_domain=meta.get("실전 domain", ""),
        paper_domain=meta.get("모의 domain", ""),
        real_tr=meta.get("실전 tr id", ""),
        paper_tr=meta.get("모의 tr id", ""),
        overview=_overview(sections.get("overview", [])),
        request_headers=_copy_rows(sections.get("request.header", []), nested=False),
        request_body=_copy_rows(sections.get("request.body", []), nested=False),
        response_headers=_copy_rows(sections.get("response.header", []), nested=False),
        response_body=_copy_rows(sections.get("response.body", []), nested=True),
    )


_META_KEYS = (
    "method",
    "url",
    "실전 domain",
    "모의 domain",
    "실전 tr id",
    "모의 tr id",
    "format",
    "content-type",
)


def _copy_meta(lines: list[str]) -> dict[str, str]:
    """The ``Method | GET | URL | … `` table: alternating key | value cells, one pair or two per line."""
    meta: dict[str, str] = {}
    for line in lines:
        if line.startswith("## "):
            break  # the field tables start here
        if " | " not in line and not line.rstrip().endswith("|"):
            continue
        body = line.split("**")[-1] if "**" in line else line
        cells = [cell.strip() for cell in body.split("|")]
        for key, value in zip(cells[::2], cells[1::2], strict=False):
            normalized = " ".join(key.lower().split())
            if normalized in _META_KEYS and normalized not in meta:
                meta[normalized] = _clean(value)
    for line in lines:
        match = re.match(r"^>\s*API 경로:\s*`([^`]+)`", line)
        if match and "url" not in meta:
            meta["url"] = match.group(1).strip()
    return meta


def _copy_rows(lines: list[str], nested: bool) -> tuple[Row, ...]:
    """Flattened table lines; a line with fewer than five ``|`` continues the previous cell."""
    raw: list[tuple[list[str], bool]] = []  # cells, element padded (a child row)
    for line in lines:
        if "Element | 한글명" in line or re.match(r"^\s*-{3}(\|-{3})+", line):
            continue
        if line.count("|") >= _COLUMNS - 1:
            cells = line.split("|")
            if len(cells) > _COLUMNS:
                cells = [*cells[: _COLUMNS - 1], "|".join(cells[_COLUMNS - 1 :])]
            padded = cells[0].endswith("  ") and bool(cells[0].strip())
            raw.append(([cell.strip() for cell in cells], padded))
        elif line.strip() and raw:
            cells, padded = raw[-1]
            cells[-1] = f"{cells[-1]} {line.strip()}".strip()
    if not nested:
        return tuple(_row(_clean(cells[0]), cells, None) for cells, _ in raw if cells[0])
    # Child rows follow their container. When the copy kept the element padding, it tells
    # children from top-level rows; otherwise every row after a container is its child.
    marked = any(padded for _, padded in raw)
    rows: list[Row] = []
    container: str | None = None
    for cells, padded in raw:
        element = _clean(cells[0])
        if not element:
            continue
        row = _row(element, cells, None)
        if (padded or not marked) and container is not None and not row.is_container:
            rows.append(attrs.evolve(row, parent=container))
            continue
        container = element if row.is_container else None
        rows.append(row)
    return tuple(rows)


# --- shared checks ----------------------------------------------------------------------------


def _kind(value: str, source: str) -> PageKind:
    upper = value.strip().upper()
    if upper in ("REST", "WEBSOCKET"):
        return upper  # type: ignore[return-value]
    raise PageError(f"{source}: page Type {value!r} is neither REST nor WEBSOCKET")


def _method(value: str, source: str) -> str:
    upper = value.strip().upper()
    if upper not in ("GET", "POST"):
        raise PageError(f"{source}: page has no HTTP method (found {value!r}; expected GET or POST)")
    return upper


def _url(value: str, source: str) -> str:
    url = value.strip().strip("`")
    if not url.startswith("/"):
        raise PageError(f"{source}: page has no URL path (found {value!r})")
    return url
