"""The specs agree with sources other than the portal pages (``codegen/fidelity.py``).

Each check is shown catching the mistake it was written for, on the real specs with that mistake
put back: the portal's ``FID_BLNC_CLS_CODE`` and ``RSYN_ORD_RCIT_DT`` typos, an index price typed
``int``, a markdown escape in a document id.
"""

from __future__ import annotations

import re

import attrs
import pytest

from codegen.fidelity import (
    FIDELITY_FILE,
    Fidelity,
    load_fidelity,
    numeric_counts,
    numeric_problems,
    singleton_problems,
    spelling_problems,
    stale_fidelity_entries,
)
from codegen.loader import LoadedSpec, SpecSet, load_specs
from tests.paths import ROOT

SPECS = load_specs(ROOT / "spec")
FIDELITY = load_fidelity(ROOT / "spec")


def with_request_wire(specs: SpecSet, source: str, old: str, new: str) -> SpecSet:
    """The specs with one request wire of ``source`` renamed (a portal typo put back)."""
    endpoints = []
    for loaded in specs.endpoints:
        if loaded.source == source:
            request = [attrs.evolve(f, wire=new) if f.wire == old else f for f in loaded.spec.request]
            assert request != loaded.spec.request, f"{source} sends no {old}"
            loaded = LoadedSpec(source, attrs.evolve(loaded.spec, request=request))
        endpoints.append(loaded)
    return attrs.evolve(specs, endpoints=endpoints)


def with_field_type(specs: SpecSet, source: str, wire: str, new_type: str) -> SpecSet:
    endpoints = []
    for loaded in specs.endpoints:
        if loaded.source == source:
            response = {
                key: attrs.evolve(
                    output,
                    fields=[attrs.evolve(f, type=new_type) if f.wire == wire else f for f in output.fields],
                )
                for key, output in loaded.spec.response.items()
            }
            loaded = LoadedSpec(source, attrs.evolve(loaded.spec, response=response))
        endpoints.append(loaded)
    return attrs.evolve(specs, endpoints=endpoints)


# --- request wire spellings -------------------------------------------------------------------


def test_every_request_wire_is_spelt_as_its_other_uses_and_every_lone_one_was_checked() -> None:
    assert spelling_problems(SPECS, FIDELITY) == []
    assert singleton_problems(SPECS, FIDELITY) == []
    assert stale_fidelity_entries(SPECS, FIDELITY) == []


@pytest.mark.parametrize(
    ("source", "sent", "typo"),
    [
        ("elw/quotations/newly_listed.yaml", "FID_BLNG_CLS_CODE", "FID_BLNC_CLS_CODE"),
        ("overseas_stock/trading/order_resv_ccnl.yaml", "RSVN_ORD_RCIT_DT", "RSYN_ORD_RCIT_DT"),
    ],
)
def test_the_portal_typo_put_back_is_caught_as_a_misspelling(source: str, sent: str, typo: str) -> None:
    problems = spelling_problems(with_request_wire(SPECS, source, sent, typo), FIDELITY)
    assert len(problems) == 1
    assert f"{typo} ({source})" in problems[0]
    assert f" {sent} (" in problems[0] and "spelt a letter apart" in problems[0]


def test_the_specs_send_what_kis_sample_code_sends_for_the_two_portal_typos() -> None:
    wires = {
        s.source: {f.wire for f in s.spec.request}
        for s in SPECS.endpoints
        if s.source in ("elw/quotations/newly_listed.yaml", "overseas_stock/trading/order_resv_ccnl.yaml")
    }
    assert "FID_BLNG_CLS_CODE" in wires["elw/quotations/newly_listed.yaml"]
    assert "RSVN_ORD_RCIT_DT" in wires["overseas_stock/trading/order_resv_ccnl.yaml"]


def test_a_wire_name_no_other_spec_sends_must_be_checked_against_a_source() -> None:
    specs = with_request_wire(
        SPECS, "domestic_stock/ranking/credit_balance.yaml", "FID_COND_SCR_DIV_CODE", "FID_SCREEN_NEW"
    )
    problems = singleton_problems(specs, FIDELITY)
    assert problems == [
        "domestic_stock/ranking/credit_balance.yaml: request wire FID_SCREEN_NEW occurs in no other spec; "
        f"check its spelling against KIS's sample code and list it under singleton_wires in {FIDELITY_FILE}"
    ]


def test_close_spellings_that_are_different_fields_need_a_reason() -> None:
    without = attrs.evolve(FIDELITY, distinct={})
    problems = spelling_problems(SPECS, without)
    assert any("CTAC_TLNO" in p and "CTAL_TLNO" in p for p in problems)
    assert all("SRS_CD_0" not in p for p in problems)  # numbered lists are not misspellings


def test_one_korean_name_spelt_two_ways_needs_a_reason() -> None:
    # 국가코드 is NATION_CD on overseas news titles and NATN_CD on account pages (KIS's sample code agrees)
    without = attrs.evolve(
        FIDELITY,
        distinct={k: v for k, v in FIDELITY.distinct.items() if k != frozenset({"NATION_CD", "NATN_CD"})},
    )
    problems = spelling_problems(SPECS, without)
    assert len(problems) == 1
    assert problems[0].startswith(
        "request wire NATION_CD (overseas_price/quotations/news_title.yaml) and NATN_CD ("
    )
    assert "have one 한글명 and two spellings" in problems[0]


def test_an_entry_no_spec_needs_any_more_is_reported() -> None:
    fidelity = attrs.evolve(FIDELITY, sample_code=FIDELITY.sample_code | {"PDNO"})
    assert stale_fidelity_entries(SPECS, fidelity) == [
        f"{FIDELITY_FILE}: singleton_wires: PDNO is sent by "
        f"{sum(1 for s in SPECS.endpoints if any(f.wire == 'PDNO' for f in s.spec.request))} specs, not one"
    ]


def test_the_live_checks_name_wires_their_endpoints_send() -> None:
    checks = {(c.endpoint, c.wire): c.alternatives for c in FIDELITY.live_checks}
    assert checks == {
        ("overseas_stock.price_fluct", "MIXN"): ("MINX",),
        ("overseas_stock.volume_surge", "MIXN"): ("MINX",),
        ("overseas_stock.new_highlow", "NDAY"): ("MINX",),
    }
    report = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert "## Needs a live check" in report
    assert "| `overseas_stock.price_fluct` | `MIXN` | `MINX` |" in report


def test_a_missing_fidelity_file_means_nothing_was_checked() -> None:
    assert load_fidelity(ROOT / "docs") == Fidelity()


# --- numeric types ----------------------------------------------------------------------------


def test_no_index_futures_foreign_price_or_rate_is_an_int() -> None:
    assert numeric_problems(SPECS) == []


def test_an_index_price_typed_int_is_caught_as_live_kis_sends_decimals() -> None:
    # live inquire_index_price sends prdy_clpr_vrss_lwpr "-0.96": int failed every call in strict mode
    specs = with_field_type(
        SPECS, "domestic_stock/quotations/inquire_index_price.yaml", "prdy_clpr_vrss_lwpr", "int"
    )
    assert numeric_problems(specs) == [
        "domestic_stock/quotations/inquire_index_price.yaml: output.prdy_clpr_vrss_lwpr is int, but a index "
        "value is not a whole number (type: decimal)"
    ]


@pytest.mark.parametrize(
    ("source", "wire", "scope"),
    [
        ("overseas_price/quotations/price.yaml", "last", "futures/foreign"),
        ("domestic_futureoption/quotations/inquire_price.yaml", "futs_prpr", "futures/foreign"),
        ("domestic_stock/quotations/inquire_elw_price.yaml", "unas_prpr", "index"),
        ("domestic_stock/ranking/credit_balance.yaml", "prdy_ctrt", "rate"),
    ],
)
def test_the_rule_covers_foreign_and_futures_prices_underlyings_and_rates(
    source: str, wire: str, scope: str
) -> None:
    problems = numeric_problems(with_field_type(SPECS, source, wire, "int"))
    assert len(problems) == 1
    assert re.match(rf"{re.escape(source)}: \w+\.{wire} is int, but a {re.escape(scope)} value", problems[0])


def test_domestic_won_prices_and_quantities_stay_int() -> None:
    specs = SPECS
    covered = numeric_problems(
        with_field_type(specs, "domestic_stock/ranking/credit_balance.yaml", "stck_prpr", "int")
    )
    assert covered == []  # 원 prices of domestic stocks are whole numbers
    quantity = numeric_problems(
        with_field_type(specs, "overseas_price/quotations/inquire_asking_price.yaml", "dbid1", "int")
    )
    assert quantity == []  # 매수호가대비 is a change of quantity (unit 주), not a price


def test_the_coverage_report_counts_the_fields_the_rule_covers() -> None:
    counts = {c.category: c for c in numeric_counts(SPECS)}
    assert counts["overseas_stock"].futures_foreign > 50
    assert counts["domestic_stock"].index > 50
    assert all(c.as_int == 0 for c in counts.values())
    report = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    total_rate = sum(c.rate for c in counts.values())
    assert f"| **all** | **{total_rate}** |" in report


# --- names as KIS writes them -----------------------------------------------------------------


def test_no_title_doc_id_or_summary_keeps_a_markdown_escape() -> None:
    marked = [
        f"{s.source}: {part}={value!r}"
        for s in SPECS.endpoints
        for part, value in (("title", s.spec.title), ("doc_id", s.spec.doc_id), ("summary", s.spec.summary))
        if "\\_" in (value or "") or (part != "summary" and re.search(r"\w\*\w", value or ""))
    ]
    assert marked == []
    rlz = next(s.spec for s in SPECS.endpoints if s.source.endswith("inquire_balance_rlz_pl.yaml"))
    assert (rlz.title, rlz.doc_id) == ("주식잔고조회_실현손익", "v1_국내주식-041")


def test_no_spec_text_keeps_a_markdown_backslash_escape() -> None:
    # the portal rendition writes "수량\\*현재가" and "국내옵션전광판\\_선물"; KIS wrote * and _
    escaped = [
        f"{path.relative_to(ROOT / 'spec')}:{number}"
        for path in sorted((ROOT / "spec").rglob("*.yaml"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "\\*" in line or "\\_" in line
    ]
    assert escaped == []
