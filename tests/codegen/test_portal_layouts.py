"""The copied-from-portal layout reads like the markdown rendition, for every page.

Only one copied page exists (``credit-balance.md``), so each portal page is also written out
the way copying it from the portal looks (flattened ``a | b`` lines, long cells continued on
the next line, child rows after their parent, padded) and must read back into the same rows.
"""

from __future__ import annotations

import textwrap

import pytest

from codegen.portal import Page, Row, parse_page, read_page
from tests.paths import DATA, SHARED_DOCS

PORTAL = SHARED_DOCS / "portal"
PAGES = sorted(PORTAL.rglob("*.md")) if PORTAL.is_dir() else []


def as_copied(page: Page) -> str:
    """``page`` in the layout a browser copy of the portal gives (see credit-balance.md)."""
    lines = [
        f"# {page.title}",
        "",
        f"> API 경로: `{page.path}`",
        "",
        "---",
        "",
        f"# {page.kind}{page.title}[{page.doc_id}]",
        "",
        f"**{page.title} 정보** **Method, URL, 실전 Domain, 모의 Domain, Format, Content-Type** "
        f"Method | {page.method} | URL | {page.path}  ",
        "---|---|---|---  ",
        f"실전 Domain  | {page.real_domain} | 모의 Domain | {page.paper_domain}  ",
        f"실전 TR ID  | {page.real_tr} | 모의 TR ID | {page.paper_tr}  ",
        "Format |  | Content-Type |   ",
        "  ",
        "## 개요",
        "",
        *("    " + line for line in page.overview.splitlines()),
        "",
        "## 요청",
    ]
    sections = [
        ("### Header", page.request_headers),
        ("### Query Parameter" if page.method == "GET" else "### Request Body", page.request_body),
        ("## 응답", ()),
        ("### Header", page.response_headers),
        ("### Body", page.response_body),
    ]
    for heading, rows in sections:
        lines += ["", heading, ""]
        if rows:
            lines += table(rows)
    lines += ["", "## 예시", "", "복사하기"]
    return "\n".join(lines) + "\n"


def table(rows: tuple[Row, ...]) -> list[str]:
    lines = [
        "**정보** **Element, 한글명, Type, Rquired, Length, Description** "
        "Element | 한글명 | Type | Required | Length | Description  ",
        "---|---|---|---|---|---  ",
    ]
    for row in rows:
        element = f"{row.element}  " if row.parent else f"{row.element} "
        required = "" if row.required is None else "Y" if row.required else "N"
        first, *rest = textwrap.wrap(row.description, 60, break_long_words=False, break_on_hyphens=False) or [
            ""
        ]
        lines.append(f"{element}| {row.korean} | {row.type} | {required} | {row.length} | {first}  ")
        lines += [f"{more}  " for more in rest]  # a long cell continues on the next lines
    return [*lines, "  "]


@pytest.mark.skipif(not PAGES, reason=f"portal pages not found at {PORTAL} (set KIS_SHARED_DOCS)")
def test_every_portal_page_reads_the_same_when_copied_from_the_portal() -> None:
    differences = []
    for path in PAGES:
        page = read_page(path)
        copied = parse_page(as_copied(page), str(path))
        for part in ("kind", "title", "doc_id", "method", "path", "real_tr", "paper_tr"):
            if getattr(copied, part) != getattr(page, part):
                differences.append(
                    f"{path.name}: {part}: {getattr(copied, part)!r} != {getattr(page, part)!r}"
                )
        for part in ("request_headers", "request_body", "response_headers", "response_body"):
            mine, theirs = getattr(copied, part), getattr(page, part)
            if (
                part == "response_body"
                and any(r.is_container for r in theirs)
                and not any(r.parent for r in theirs)
            ):
                # with no child row to carry the padding, a copy cannot tell whether rows
                # after an Object row belong to it (only Hashkey's JsonBody): not comparable
                continue
            if mine != theirs:
                first = next(
                    (f"{a} != {b}" for a, b in zip(mine, theirs, strict=False) if a != b), "row count"
                )
                differences.append(f"{path.name}: {part}: {first}")
    assert not differences, "\n".join(differences[:20])


def test_a_copied_page_without_padding_keeps_children_after_their_parent() -> None:
    text = (DATA / "copied_unpadded.md").read_text(encoding="utf-8")
    page = parse_page(text, "copied_unpadded.md")
    assert [(row.parent, row.element) for row in page.response_body] == [
        (None, "rt_cd"),
        (None, "output"),
        ("output", "stck_prpr"),
        ("output", "prdy_vrss_sign"),
    ]
    assert page.request_body[0].description == "0000:전체, 0001:거래소, 1001:코스닥"
