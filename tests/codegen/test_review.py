"""A spec says who checked it against what in one key, ``reviewed:``, that the loader reads.

The story: reviews used to be a first comment line in three prose formats (``# … — reviewed
against the portal page and real-data-notes.md``, ``# reviewed: response field types checked.
Importer notes: …``, and a feed's second line), which no tool could count. Now a reviewer writes
``reviewed: {against: [portal, real-data-notes], note: …}``; the importer's notes are
``importer_notes:``; a spec without ``reviewed:`` is a draft, which ``make gen`` names and
``docs/coverage.md`` counts.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.fidelity import drafts, review_counts
from codegen.loader import SpecError, load_specs, specs_from_data
from codegen.model import REVIEW_SOURCES
from tests.paths import ROOT

REST = "domestic_stock/ranking/credit_balance.yaml"
FEED = "domestic_stock/realtime/etf_nav.yaml"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FILES = {
    label: yaml.load((ROOT / "spec" / label).read_text(encoding="utf-8"), Loader=_Loader)
    for label in ("_shared.yaml", REST, FEED)
}


def files(**changes: dict[str, Any]) -> dict[str, Any]:
    """The two seed specs and _shared.yaml, with top-level keys of one spec changed (``None``
    removes a key): ``files(rest={"reviewed": None})``."""
    found = copy.deepcopy(_FILES)
    for which, keys in changes.items():
        spec = found[REST if which == "rest" else FEED]
        for key, value in keys.items():
            if value is None:
                spec.pop(key, None)
            else:
                spec[key] = value
    return found


def problems(**changes: dict[str, Any]) -> list[str]:
    with pytest.raises(SpecError) as caught:
        specs_from_data(files(**changes))
    return caught.value.problems


@pytest.fixture(scope="module")
def committed() -> Any:
    return load_specs(ROOT / "spec")


def test_a_review_reads_as_its_sources_and_its_note() -> None:
    loaded = specs_from_data(files())
    review = loaded.endpoints[0].spec.reviewed
    assert review is not None
    assert review.against == ["portal", "real-data-notes"]
    assert review.note == "the page as copied to kis-docs/credit-balance.md"
    feed = loaded.realtime[0].spec
    assert feed.reviewed is not None and feed.reviewed.against == ["portal", "realtime-notes"]
    assert feed.importer_notes == [
        "imported from portal/[국내주식]_실시간시세/국내ETF_NAV추이.md; types inferred by name"
    ]


@pytest.mark.parametrize(
    ("reviewed", "message"),
    [
        (
            {"against": ["portl"]},
            "reviewed.against[0]: 'portl' is not one of " + ", ".join(REVIEW_SOURCES),
        ),
        (
            {"against": []},
            "reviewed.against: names no source (one or more of " + ", ".join(REVIEW_SOURCES) + ")",
        ),
        ({"against": ["portal", "portal"]}, "reviewed.against: names portal twice"),
        ({"note": "checked"}, "reviewed.against: required field missing"),
        ({"against": ["portal"], "by": "me"}, "reviewed: extra fields found (by)"),
    ],
)
def test_a_bad_review_is_named_by_file_and_key(reviewed: dict[str, Any], message: str) -> None:
    assert problems(rest={"reviewed": reviewed}) == [f"{REST}: {message}"]


def test_an_importer_note_is_text() -> None:
    assert problems(feed={"importer_notes": ["fine", 5]}) == [
        f"{FEED}: importer_notes[1]: invalid value for type, expected str (must be a quoted string, YAML read 5 (int))"
    ]


def test_a_spec_without_a_review_is_a_draft_that_is_counted() -> None:
    loaded = specs_from_data(files(rest={"reviewed": None}))
    assert drafts(loaded) == [REST]
    (counts,) = review_counts(loaded)
    assert (counts.category, counts.specs, counts.drafts) == ("domestic_stock", 2, 1)
    assert dict(zip(REVIEW_SOURCES, counts.by_source, strict=True))["realtime-notes"] == 1


def test_every_review_names_the_page_and_every_feed_review_the_realtime_notes(committed: Any) -> None:
    """Each spec mirrors a portal page, so a review reads it; a feed's review also covers what
    realtime-notes.md says (TR IDs, paper support, tr_key, encryption, field order)."""
    endpoints = [(s.source, s.spec.reviewed) for s in committed.endpoints]
    feeds = [(f.source, f.spec.reviewed) for f in committed.realtime]
    assert [src for src, review in endpoints + feeds if review and "portal" not in review.against] == []
    assert [src for src, review in feeds if review and "realtime-notes" not in review.against] == []
    assert [src for src, review in endpoints if review and "realtime-notes" in review.against] == []


def test_make_gen_names_a_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from codegen.__main__ import main

    spec, root = tmp_path / "spec", tmp_path / "out"
    root.mkdir()
    for label, data in files(rest={"reviewed": None}).items():
        (spec / label).parent.mkdir(parents=True, exist_ok=True)
        (spec / label).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["gen", "--spec", str(spec), "--root", str(root)]) == 0
    assert (
        f"codegen: draft: {REST}: no `reviewed:` yet; review it against its page and say so "
        "(spec/README.md, *Review*)"
    ) in capsys.readouterr().err.splitlines()


def test_the_review_is_a_key_and_never_again_a_comment() -> None:
    """One format: no spec opens with the old prose lines (the migration moved them all)."""
    old = ("# reviewed", "# import notes", "# importer:")
    offenders = [
        path.relative_to(ROOT / "spec").as_posix()
        for path in sorted((ROOT / "spec").rglob("*.yaml"))
        if any(line.startswith(old) or " — reviewed against " in line for line in _comments(path))
    ]
    assert offenders == []


def _comments(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]
