"""Every REST page of the KIS portal imports into a spec that loads, validates and generates
code that imports and decodes.

Run with ``-s`` to see the count and the pages that did not import (each with its reason).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import attrs
import pytest

from codegen.importer import import_page
from codegen.loader import LoadedSpec, SpecSet, load_endpoint, load_shared
from codegen.portal import PageError, read_page
from codegen.render import render_all
from tests.paths import ROOT, SHARED_DOCS

PORTAL = SHARED_DOCS / "portal"
#: Every REST page but the three OAuth/hashkey pages, which the client core implements by hand.
MINIMUM_CLEAN = 271

pytestmark = pytest.mark.skipif(
    not PORTAL.is_dir(), reason=f"portal pages not found at {PORTAL} (set KIS_SHARED_DOCS)"
)


@attrs.frozen
class Outcome:
    rest_pages: int
    specs: SpecSet
    failures: list[str]
    mislabelled: list[str]  # "Type: REST" on the page, but a WebSocket feed (ws:// domain)


@pytest.fixture(scope="module")
def outcome() -> Outcome:
    """Import every page once: read (never crash), import, write YAML, load and validate."""
    shared, problems = load_shared(ROOT / "spec")
    assert not problems
    rest = 0
    failures: list[str] = []
    mislabelled: list[str] = []
    imported: list[LoadedSpec] = []
    with tempfile.TemporaryDirectory() as scratch:
        draft = Path(scratch) / "draft.yaml"
        for path in sorted(PORTAL.rglob("*.md")):
            try:
                page = read_page(path)  # must not crash on any page, REST or not
            except PageError as exc:
                failures.append(f"unreadable: {exc}")
                continue
            if page.kind != "REST":
                if "- Type: REST" in path.read_text(encoding="utf-8"):
                    mislabelled.append(path.name)
                continue
            rest += 1
            try:
                result = import_page(page)
            except PageError as exc:
                failures.append(str(exc))
                continue
            draft.write_text(result.to_yaml(), encoding="utf-8")
            spec, found = load_endpoint(draft, result.relative_path, shared)
            if spec is None or found:
                failures.append(f"{path}: invalid draft: {found}")
                continue
            imported.append(LoadedSpec(result.relative_path, spec))
    return Outcome(rest, SpecSet(shared, imported), failures, mislabelled)


def test_every_rest_page_of_the_portal_imports_into_a_valid_spec(outcome: Outcome) -> None:
    print(f"\nimported {len(outcome.specs.endpoints)}/{outcome.rest_pages} REST pages cleanly")
    print(
        f"  ({len(outcome.mislabelled)} more say Type: REST but are WebSocket feeds: {outcome.mislabelled})"
    )
    for failure in outcome.failures:
        print(f"  not imported: {failure}")
    assert all(message.split(": ", 1)[-1].strip() for message in outcome.failures)  # each says why
    assert len(outcome.specs.endpoints) >= MINIMUM_CLEAN


_SMOKE = """
import importlib, sys
from kis_async._registry import ENDPOINTS, NAMESPACES
for module, const, name in ENDPOINTS:
    endpoint = getattr(importlib.import_module("kis_async." + module), const)
    body = {"rt_cd": "0", "msg_cd": "MCA00000", "msg1": "ok"}
    for output in endpoint.outputs:
        row = {field.name: "" for field in output.row.__attrs_attrs__}
        body[output.key] = [row] if output.shape == "list" else row
    endpoint.response.from_dict(body)
for namespace in NAMESPACES:
    importlib.import_module("kis_async." + namespace)
print(len(ENDPOINTS))
"""


def test_the_generated_sdk_for_every_imported_page_imports_and_decodes(
    outcome: Outcome, tmp_path: Path
) -> None:
    # One render of every draft together exercises each spec in every template (a SpecSet per
    # spec would compile the templates 270 times). The result replaces the generated modules of
    # a copy of kis_async, which a fresh interpreter imports, decoding a blank body per endpoint.
    files = render_all(outcome.specs)
    package = tmp_path / "kis_async"
    shutil.copytree(ROOT / "kis_async", package, ignore=shutil.ignore_patterns("__pycache__"))
    for relative, text in files.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", _SMOKE], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert int(result.stdout.split()[-1]) == len(outcome.specs.endpoints)
