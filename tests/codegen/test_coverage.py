"""Every REST page of the KIS portal has a spec, and ``docs/coverage.md`` lists every endpoint.

A page is matched to specs by HTTP method and path (``GET /uapi/domestic-stock/v1/…``); the
OAuth and hashkey pages (``/oauth2/…``, ``/uapi/hashkey``) are the client core's, not specs'.
Every page whose URL starts with ``/uapi/`` is a REST call, whatever its ``Type`` line says
(회원사 실시간 매매동향(틱) says ``WEBSOCKET``); feeds live under ``/tryitout/``.
"""

from __future__ import annotations

from collections import defaultdict

import attrs
import pytest

from codegen.loader import load_specs
from codegen.portal import PageError, read_page
from codegen.render import coverage_entry
from tests.paths import ROOT, SHARED_DOCS

PORTAL = SHARED_DOCS / "portal"
#: Pages the client core implements by hand (tokens, hashkey): not endpoints with specs.
CORE_PATHS = ("/oauth2/", "/uapi/hashkey")


def portal_rest_pages() -> dict[tuple[str, str], list[str]]:
    """(method, path) → the pages that document it, for every REST page outside the core."""
    pages: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PORTAL.rglob("*.md")):
        try:
            page = read_page(path)
        except PageError:
            continue  # not an endpoint page (e.g. LICENSE); test_portal_import_all reads every page
        if not page.path.startswith("/uapi/") or page.path.startswith(CORE_PATHS):
            continue
        pages[(page.method.upper(), page.path)].append(path.relative_to(PORTAL).as_posix())
    return pages


def spec_keys() -> dict[tuple[str, str], str]:
    return {(s.spec.method, s.spec.path): s.source for s in load_specs(ROOT / "spec").endpoints}


@pytest.mark.skipif(not PORTAL.is_dir(), reason=f"portal pages not found at {PORTAL} (set KIS_SHARED_DOCS)")
def test_every_rest_page_of_the_portal_has_a_spec() -> None:
    pages = portal_rest_pages()
    specs = spec_keys()
    missing = [
        f"{method} {path} ({', '.join(pages[(method, path)])})"
        for method, path in pages
        if (method, path) not in specs
    ]
    assert not missing, (
        "REST pages without a spec (import them: python -m codegen import PAGE --out spec/):\n"
        + "\n".join(missing)
    )
    assert len(pages) >= 272


@pytest.mark.skipif(not PORTAL.is_dir(), reason=f"portal pages not found at {PORTAL} (set KIS_SHARED_DOCS)")
def test_a_uapi_page_labelled_websocket_is_read_as_rest_and_has_its_spec() -> None:
    source = PORTAL / "[국내주식]_시세분석" / "회원사_실시간_매매동향(틱).md"
    assert "- Type: WEBSOCKET" in source.read_text(encoding="utf-8")  # what the portal says
    page = read_page(source)
    assert (page.kind, page.method, page.path) == (
        "REST",
        "GET",
        "/uapi/domestic-stock/v1/quotations/frgnmem-trade-trend",
    )
    assert spec_keys()[("GET", page.path)] == "domestic_stock/quotations/frgnmem_trade_trend.yaml"


@pytest.mark.skipif(not PORTAL.is_dir(), reason=f"portal pages not found at {PORTAL} (set KIS_SHARED_DOCS)")
def test_every_spec_documents_a_portal_page() -> None:
    pages = portal_rest_pages()
    orphans = [
        f"{source}: {method} {path}"
        for (method, path), source in spec_keys().items()
        if (method, path) not in pages
    ]
    assert not orphans, "specs whose method and path no portal page has:\n" + "\n".join(orphans)


def test_the_coverage_report_lists_every_endpoint_with_its_tr_ids() -> None:
    report = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    lines = {
        line.split(" | ")[0].strip("| `"): line for line in report.splitlines() if line.startswith("| `")
    }
    for loaded in load_specs(ROOT / "spec").endpoints:
        spec = loaded.spec
        call = f"{spec.python_namespace}.{spec.python_name}"
        assert call in lines, f"{call} is not in docs/coverage.md"
        tr = spec.tr_id.real if isinstance(spec.tr_id.real, str) else None
        if tr:
            assert tr in lines[call]


def test_a_draft_field_counts_as_inferred_and_a_checked_one_as_reviewed() -> None:
    specs = {s.source: s.spec for s in load_specs(ROOT / "spec").endpoints}
    curated = specs["domestic_stock/ranking/credit_balance.yaml"]
    entry = coverage_entry("domestic_stock", curated)
    fields = [f for o in curated.response.values() for f in o.fields]
    assert (entry.reviewed, entry.inferred) == (len(fields), 0)
    # the same spec as the importer drafts it: its first output's fields not reviewed yet
    key, first = next(iter(curated.response.items()))
    draft_output = attrs.evolve(first, fields=[attrs.evolve(f, reviewed=False) for f in first.fields])
    draft = attrs.evolve(curated, response={**curated.response, key: draft_output})
    entry = coverage_entry("domestic_stock", draft)
    assert (entry.reviewed, entry.inferred) == (len(fields) - len(first.fields), len(first.fields))
