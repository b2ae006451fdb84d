"""``kis-async drift``: a week of recorded sessions becomes spec fixes for review.

A bot records its calls (``KisClient(record=...)``); the drift report reads what live KIS sent and
names, per endpoint, every way it parts from the specs. The synthetic recording below has one
exchange for each kind of drift; the corpus of real bodies (``tests/fixtures/real``) is read too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kis_async._cli import main
from kis_async._drift import KINDS, DriftError, DriftReport, Finding, analyse, render_table
from kis_async._drift_patch import propose_patch
from tests.paths import REAL_BODIES, ROOT

PRICE = "/uapi/domestic-stock/v1/quotations/inquire-price"
CREDIT = "/uapi/domestic-stock/v1/ranking/credit-balance"
FLUCT = "/uapi/overseas-stock/v1/ranking/price-fluct"
OK = {"rt_cd": "0", "msg_cd": "MCA00000", "msg1": "정상처리 되었습니다."}


def exchange(path: str, tr_id: str, response: Any, *, query: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "time": "2026-11-20T00:31:02.118Z",
        "method": "GET",
        "path": path,
        "tr_id": tr_id,
        "request_tr_cont": "",
        "query": query or {},
        "status": 200,
        "tr_cont": "",
        "response": response,
    }


def quote(**fields: str) -> dict[str, str]:
    return {"stck_prpr": "184300", "prdy_vrss_sign": "5", "acml_vol": "11758", **fields}


#: One exchange per kind of drift (and a recorded network error, which has nothing to compare).
WEEK = [
    # a price with decimals in an int field, a sign code no enum knows, a key the spec lacks
    exchange(
        PRICE, "FHKST01010100", {**OK, "output": quote(stck_prpr="184300.5", prdy_vrss_sign="0", new_fld="7")}
    ),
    # the object output sent as a list of two rows
    exchange(PRICE, "FHKST01010100", {**OK, "output": [quote(), quote()]}),
    # a TR ID the spec does not list, a message code never met
    exchange(
        PRICE,
        "FHKST01019999",
        {**OK, "msg_cd": "KIOK0560", "msg1": "조회할 내용이 없습니다", "output": quote()},
    ),
    # a list output sent as an object
    exchange(CREDIT, "FHKST17010000", {**OK, "output1": [], "output2": {"mksc_shrn_iscd": "005930"}}),
    # a path no spec has
    exchange("/uapi/domestic-stock/v1/quotations/brand-new", "FHKST99999999", OK),
    # the live check: KIS names the spelling it wants
    exchange(
        FLUCT,
        "HHDFS76260000",
        {"rt_cd": "1", "msg_cd": "OPSQ2001", "msg1": "ERROR INPUT FIELD NOT FOUND [MINX]"},
        query={"EXCD": "NAS", "GUBN": "1", "MIXN": "0", "VOL_RANG": "0", "KEYB": "", "AUTH": ""},
    ),
    {
        "time": "…",
        "method": "GET",
        "path": PRICE,
        "tr_id": "FHKST01010100",
        "query": {},
        "status": None,
        "error": "ServerDisconnectedError: Server disconnected",
    },
]


@pytest.fixture
def week(tmp_path: Path) -> Path:
    """A recording as ``KisClient(record=...)`` writes it, in a folder with an older one."""
    folder = tmp_path / "recordings"
    folder.mkdir()
    lines = [json.dumps(line, ensure_ascii=False) for line in WEEK]
    (folder / "monday.jsonl").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    (folder / "tuesday.jsonl").write_text("\n".join(lines[3:]) + "\n", encoding="utf-8")
    (folder / "settings.json").write_text('{"strict": true}', encoding="utf-8")  # not a recording
    return folder


@pytest.fixture
def report(week: Path) -> DriftReport:
    return analyse([week])


def found(report: DriftReport, endpoint: str, kind: str, where: str) -> Finding:
    matches = [f for f in report.findings if (f.endpoint, f.kind, f.where) == (endpoint, kind, where)]
    assert len(matches) == 1, [
        f"{f.endpoint} {f.kind} {f.where}" for f in report.findings if f.endpoint == endpoint
    ]
    return matches[0]


def test_a_value_that_failed_its_type_is_reported_with_the_value_and_what_it_parses_as(
    report: DriftReport,
) -> None:
    finding = found(report, "domestic_stock.inquire_price", "type", "output.stck_prpr")
    assert (finding.count, finding.examples, finding.expected) == (1, ("184300.5",), "int")
    assert finding.proposal == "type: decimal"


def test_a_code_no_enum_knows_is_reported_with_the_enum(report: DriftReport) -> None:
    finding = found(report, "domestic_stock.inquire_price", "unknown_code", "output.prdy_vrss_sign")
    assert (finding.examples, finding.expected) == (("0",), "Sign")


def test_a_field_kis_sent_that_the_spec_lacks_is_reported_with_its_value(report: DriftReport) -> None:
    finding = found(report, "domestic_stock.inquire_price", "undocumented", "output.new_fld")
    assert (finding.count, finding.examples) == (1, ("7",))


def test_documented_fields_no_row_carried_are_reported(report: DriftReport) -> None:
    finding = found(report, "domestic_stock.inquire_price", "never_seen", "output.hts_avls")
    assert finding.count == 4  # rows of inquire_price recorded: 1 + 2 (the list) + 1
    assert not any(f.where == "output.stck_prpr" and f.kind == "never_seen" for f in report.findings)


def test_objects_sent_as_lists_and_lists_sent_as_objects_are_reported(report: DriftReport) -> None:
    as_list = found(report, "domestic_stock.inquire_price", "shape", "output")
    assert (as_list.detail, as_list.expected, as_list.examples) == (
        "object sent as a list",
        "object",
        ("2 rows",),
    )
    as_object = found(report, "domestic_stock.credit_balance", "shape", "output2")
    assert (as_object.detail, as_object.expected) == ("list sent as an object", "list")


def test_tr_ids_and_msg_cds_never_seen_before_are_reported(report: DriftReport) -> None:
    tr = found(report, "domestic_stock.inquire_price", "tr_id", "tr_id")
    assert (tr.examples, tr.expected) == (("FHKST01019999",), "FHKST01010100")
    msg = found(report, "domestic_stock.inquire_price", "msg_cd", "msg_cd")
    assert msg.examples == ("KIOK0560", "조회할 내용이 없습니다")
    assert not any(f.kind == "msg_cd" and "MCA00000" in f.examples for f in report.findings)


def test_a_path_no_spec_has_is_reported(report: DriftReport) -> None:
    finding = found(report, "GET /uapi/domestic-stock/v1/quotations/brand-new", "unknown_path", "path")
    assert finding.examples == ("FHKST99999999",)


def test_a_recording_that_answers_a_live_check_is_flagged(report: DriftReport) -> None:
    finding = found(report, "overseas_stock.price_fluct", "live_check", "MIXN")
    assert finding.expected == "MIXN / MINX"
    assert finding.detail.startswith(
        "answered: KIS's message names the field (sent MIXN: rt_cd 1, msg1 names MINX"
    )


def test_every_kind_of_drift_is_in_the_synthetic_week(report: DriftReport) -> None:
    assert {f.kind for f in report.findings} == set(KINDS)
    assert report.exchanges == 6  # the network error carried no body
    assert report.endpoints == {
        "domestic_stock.inquire_price": 3,
        "domestic_stock.credit_balance": 1,
        "overseas_stock.price_fluct": 1,
    }


def test_the_table_groups_findings_by_endpoint(report: DriftReport) -> None:
    table = render_table(report)
    assert table.startswith("6 recorded exchange(s) with a body in 2 file(s), 3 endpoint(s);")
    assert "\ndomestic_stock.inquire_price (3 exchange(s))\n" in table
    assert "skipped (neither a recording nor a corpus file): " in table and "settings.json" in table
    assert "  type         output.stck_prpr" in table
    assert "1 value(s) are not int: '184300.5'" in table
    # the fields never seen are one line per output, not eighty
    assert (
        "  never_seen   output                 79 field(s) absent from all 4 row(s): acml_tr_pbmn," in table
    )
    assert table.count("never_seen") == 2


def test_the_command_prints_json(week: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drift", str(week / "monday.jsonl"), str(week / "tuesday.jsonl"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["exchanges"] == 6
    kinds = {(f["endpoint"], f["kind"], f["where"]) for f in data["findings"]}
    assert ("domestic_stock.inquire_price", "type", "output.stck_prpr") in kinds


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    """The spec files the synthetic week touches (the patch writer reads only these)."""
    target = tmp_path / "checkout" / "spec"
    for name in (
        "_shared.yaml",
        "domestic_stock/quotations/inquire_price.yaml",
        "domestic_stock/ranking/credit_balance.yaml",
    ):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "spec" / name, target / name)
    return target


def test_the_patch_proposes_spec_edits_and_applies_none(
    week: Path, spec_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (spec_copy / "domestic_stock/quotations/inquire_price.yaml").read_text(encoding="utf-8")
    patch = tmp_path / "drift.patch"
    assert main(["drift", str(week), "--patch", str(patch), "--spec", str(spec_copy)]) == 0
    assert "proposed edits to 3 spec file(s) written to" in capsys.readouterr().out
    assert (spec_copy / "domestic_stock/quotations/inquire_price.yaml").read_text(encoding="utf-8") == before
    diff = patch.read_text(encoding="utf-8")
    assert "+++ b/spec/domestic_stock/quotations/inquire_price.yaml" in diff
    assert "-      - {wire: stck_prpr, korean: 주식 현재가, length: 10, type: int, unit: 원}" in diff
    assert "+      - {wire: stck_prpr, korean: 주식 현재가, length: 10, type: decimal, unit: 원}" in diff
    assert "-    shape: object\n+    shape: list\n" in diff
    assert (
        '+      - {wire: new_fld, korean: "?", type: str, reviewed: false, description: "seen in recordings: 7"}'
        in diff
    )
    assert "# drift: absent from 4 recorded row(s)" in diff
    assert '+      CODE_0: {code: "0", korean: "?"}  # drift' in diff  # Sign lives in spec/_shared.yaml
    assert "+    shape: object" not in diff  # a list sent as an object is reported, not proposed


def test_the_patch_applies_with_git_and_the_specs_still_load(week: Path, spec_copy: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    import subprocess

    from codegen.loader import load_specs

    patch = propose_patch(analyse([week]), spec_copy)
    result = subprocess.run(
        [git, "apply", "-"], input=patch, text=True, cwd=spec_copy.parent, capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr
    specs = load_specs(spec_copy)
    price = next(
        s.spec for s in specs.endpoints if s.source == "domestic_stock/quotations/inquire_price.yaml"
    )
    fields = {f.wire: f for f in price.response["output"].fields}
    assert fields["stck_prpr"].type == "decimal"
    assert (fields["new_fld"].reviewed, fields["new_fld"].description) == (False, "seen in recordings: 7")
    assert price.response["output"].shape == "list"
    assert "CODE_0" in specs.shared.enums["Sign"].members


def test_the_patch_needs_the_spec_folder(week: Path, tmp_path: Path) -> None:
    with pytest.raises(DriftError, match="no spec folder"):
        propose_patch(analyse([week]), tmp_path / "nowhere")


def test_a_file_that_is_not_a_recording_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.jsonl"
    bad.write_text('{"method": "GET", "path": "/x"}\nnot json\n', encoding="utf-8")
    assert main(["drift", str(bad)]) == 1
    assert f"kis-async: error: {bad}:2: not a JSON line" in capsys.readouterr().err


def test_the_corpus_of_real_bodies_shows_what_the_specs_miss() -> None:
    report = analyse([REAL_BODIES])
    assert report.exchanges == sum(
        len(json.loads(p.read_text(encoding="utf-8"))["cases"]) for p in (REAL_BODIES).glob("*.json")
    )
    kinds = {(f.endpoint, f.kind, f.where): f for f in report.findings}
    # real-data-notes.md: sign "0" is live and undocumented; SOR_ODNO is a key no page lists
    assert kinds[("domestic_stock.credit_balance", "unknown_code", "output2.prdy_vrss_sign")].examples == (
        "0",
    )
    assert ("domestic_stock.order_cash", "undocumented", "output.sor_odno") in kinds
    assert ("domestic_stock.inquire_daily_itemchartprice", "undocumented", "output2.acml vol") in kinds
    # real-data-notes.md: an object output sent as a one-element list (the SDK reads the object)
    shape = kinds[("domestic_stock.inquire_balance", "shape", "output2")]
    assert (shape.detail, shape.proposal) == ("object sent as a list of 1 (read as the object)", "")
    # continuation keys are paging, not drift; the corpus has no value that fails its type
    assert not any(f.where.startswith("ctx_area") for f in report.findings)
    assert not any(f.kind == "type" for f in report.findings)


def test_an_answer_without_error_does_not_settle_a_live_check(tmp_path: Path) -> None:
    surge = "/uapi/overseas-stock/v1/ranking/volume-surge"
    query = {"EXCD": "NAS", "MIXN": "0", "VOL_RANG": "0", "KEYB": "", "AUTH": ""}
    calls = [
        exchange(surge, "HHDFS76270000", {**OK, "output1": {}, "output2": []}, query=query),
        exchange(surge, "HHDFS76270000", {**OK, "output1": {}, "output2": []}, query={**query, "MINX": "0"}),
    ]
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(calls[0]) + "\n", encoding="utf-8")
    finding = found(analyse([one]), "overseas_stock.volume_surge", "live_check", "MIXN")
    assert finding.detail.startswith("1 call(s) sent MIXN only; KIS answers without naming it")
    assert finding.detail.endswith("record one call with MINX and compare the rows")
    both = tmp_path / "both.jsonl"
    both.write_text("".join(json.dumps(c) + "\n" for c in calls), encoding="utf-8")
    finding = found(analyse([both]), "overseas_stock.volume_surge", "live_check", "MIXN")
    assert finding.detail.startswith("both MIXN and MINX were sent and answered")
