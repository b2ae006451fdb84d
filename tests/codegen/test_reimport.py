"""Re-importing a page never loses a reviewed spec's judgement (``codegen/reimport.py``).

The story: a reviewer imported 국내주식 신용잔고 상위, named its arguments and enums, typed its
fields and wrote ``# reviewed:``. Months later KIS adds fields to the page and someone runs the
importer again: the spec is refused unless they ask for ``--diff`` or ``--force``, and either way
only what the page adds appears, with ``reviewed: false``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codegen.__main__ import main
from codegen.loader import load_specs
from tests.paths import ROOT, SHARED_DOCS

PAGE = SHARED_DOCS / "portal" / "[국내주식]_순위분석" / "국내주식_신용잔고_상위.md"
SPEC = "domestic_stock/ranking/credit_balance.yaml"

pytestmark = pytest.mark.skipif(not PAGE.exists(), reason=f"portal page not found at {PAGE}")


@pytest.fixture
def spec_root(tmp_path: Path) -> Path:
    """A spec root with the shared enums and the reviewed credit-balance spec (one spec keeps the
    importer's whole-tree checks fast)."""
    root = tmp_path / "spec"
    (root / SPEC).parent.mkdir(parents=True)
    for name in ("_shared.yaml", SPEC):
        shutil.copy(ROOT / "spec" / name, root / name)
    return root


def drop_lines(path: Path, *needles: str) -> str:
    """The spec as it was before KIS added these fields to the page."""
    kept = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not any(n in line for n in needles)
    ]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path.read_text(encoding="utf-8")


def test_an_existing_spec_is_refused_by_name_and_left_alone(
    spec_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (spec_root / SPEC).read_text(encoding="utf-8")
    assert main(["import", str(PAGE), "--out", str(spec_root)]) == 1
    err = capsys.readouterr().err
    assert f"{spec_root / SPEC} exists; not overwritten" in err
    assert "--diff shows what a re-import adds, --force writes it" in err
    assert (spec_root / SPEC).read_text(encoding="utf-8") == before


def test_diff_shows_what_the_page_adds_and_writes_nothing(
    spec_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = drop_lines(spec_root / SPEC, "whol_stln_rmnd_rate")
    assert main(["import", str(PAGE), "--out", str(spec_root), "--diff"]) == 0
    out = capsys.readouterr().out
    assert (
        "+      - {wire: whol_stln_rmnd_rate, korean: 전체 대주 잔고 비율, length: 84, type: decimal, unit: '%', reviewed: false}"
        in out
    )
    added = [line for line in out.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert len(added) == 3  # the field, and importer_notes with the entry saying what was added
    assert added[:2] == [
        "+importer_notes:",
        '+- "re-imported from 국내주식_신용잔고_상위.md: added output2.whol_stln_rmnd_rate (reviewed: false); '
        'review them"',
    ]
    assert (spec_root / SPEC).read_text(encoding="utf-8") == before


def test_force_adds_the_new_field_and_keeps_every_reviewed_line(spec_root: Path) -> None:
    before = drop_lines(spec_root / SPEC, "whol_stln_rmnd_rate")
    assert main(["import", str(PAGE), "--out", str(spec_root), "--force"]) == 0
    after = (spec_root / SPEC).read_text(encoding="utf-8")
    assert set(before.splitlines()) <= set(after.splitlines())  # names, enums, types, comments: all kept
    spec = next(s.spec for s in load_specs(spec_root).endpoints if s.source == SPEC)
    assert spec.reviewed is not None and spec.reviewed.against == ["portal", "real-data-notes"]  # kept
    assert spec.importer_notes == [
        "re-imported from 국내주식_신용잔고_상위.md: added output2.whol_stln_rmnd_rate (reviewed: false); review them"
    ]
    added = next(f for f in spec.response["output2"].fields if f.wire == "whol_stln_rmnd_rate")
    assert (added.type, added.reviewed) == ("decimal", False)
    assert [f.python_name for f in spec.request if f.const is None] == ["market", "period", "sort"]


def test_force_on_an_up_to_date_spec_changes_nothing(
    spec_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (spec_root / SPEC).read_text(encoding="utf-8")
    assert main(["import", str(PAGE), "--out", str(spec_root), "--force"]) == 0
    assert "the page adds nothing to it" in capsys.readouterr().out
    assert (spec_root / SPEC).read_text(encoding="utf-8") == before


def test_a_field_the_page_no_longer_has_is_kept_and_named(
    spec_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = spec_root / SPEC
    text = path.read_text(encoding="utf-8")
    extra = "      - {wire: old_fld, korean: 옛 필드, length: 8, type: str}\n"
    path.write_text(text.rstrip("\n") + "\n" + extra, encoding="utf-8")
    assert main(["import", str(PAGE), "--out", str(spec_root), "--diff"]) == 0
    assert "kept: output2.old_fld: no longer on the page (kept)" in capsys.readouterr().err


def test_force_and_diff_need_a_spec_root(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(PAGE), "--force"]) == 2
    assert "--force and --diff need --out" in capsys.readouterr().err


FEED_PAGE = SHARED_DOCS / "portal" / "[국내주식]_실시간시세" / "국내지수_실시간체결.md"
FEED = "domestic_stock/realtime/index_trade.yaml"


@pytest.fixture
def feed_root(tmp_path: Path) -> Path:
    root = tmp_path / "spec"
    (root / FEED).parent.mkdir(parents=True)
    for name in ("_shared.yaml", FEED):
        shutil.copy(ROOT / "spec" / name, root / name)
    return root


def test_a_feed_spec_is_refused_too_and_force_only_appends_what_the_page_added(
    feed_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = feed_root / FEED
    assert main(["import-realtime", str(FEED_PAGE), "--out", str(feed_root)]) == 1
    assert f"{path} exists; not overwritten" in capsys.readouterr().out
    before = drop_lines(path, "wire: tick_vrss")  # the spec as it was before the page's last field
    assert main(["import-realtime", str(FEED_PAGE), "--out", str(feed_root), "--force"]) == 0
    after = path.read_text(encoding="utf-8")
    assert set(before.splitlines()) <= set(after.splitlines())
    assert after.splitlines()[-1] == '  - {wire: tick_vrss, korean: "TICK대비", type: decimal}'
    feed = next(f.spec for f in load_specs(feed_root).realtime if f.source == FEED)
    assert feed.reviewed is not None and feed.reviewed.against == ["portal", "realtime-notes"]
    assert (
        feed.importer_notes[-1]
        == "re-imported from 국내지수_실시간체결.md: added tick_vrss at the end; review them"
    )


def test_a_feed_whose_record_changed_before_its_end_is_not_merged(
    feed_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = feed_root / FEED
    before = drop_lines(path, "wire: bsop_hour")  # a field missing in the middle: positions shift
    assert main(["import-realtime", str(FEED_PAGE), "--out", str(feed_root), "--force"]) == 1
    assert "differs from the spec's before its end" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == before


def test_a_re_import_does_not_bring_back_a_portal_typo_the_spec_corrected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = SHARED_DOCS / "portal" / "[국내주식]_ELW_시세" / "ELW_신규상장종목.md"
    source = "elw/quotations/newly_listed.yaml"
    root = tmp_path / "spec"
    (root / source).parent.mkdir(parents=True)
    for name in ("_shared.yaml", "_fidelity.yaml", source):
        shutil.copy(ROOT / "spec" / name, root / name)
    before = (root / source).read_text(encoding="utf-8")
    assert main(["import", str(page), "--out", str(root), "--force"]) == 0
    captured = capsys.readouterr()
    assert "the page adds nothing to it" in captured.out
    assert "kept: request FID_BLNC_CLS_CODE: the page's spelling of FID_BLNG_CLS_CODE" in captured.err
    assert (root / source).read_text(encoding="utf-8") == before


def test_the_feed_importer_sends_a_uapi_page_to_the_rest_importer(capsys: pytest.CaptureFixture[str]) -> None:
    page = SHARED_DOCS / "portal" / "[국내주식]_시세분석" / "회원사_실시간_매매동향(틱).md"
    assert main(["import-realtime", str(page)]) == 1
    assert (
        "a REST call (URL /uapi/domestic-stock/v1/quotations/frgnmem-trade-trend)" in capsys.readouterr().out
    )
