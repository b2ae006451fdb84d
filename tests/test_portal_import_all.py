"""Every REST page of the KIS portal imports into a spec that loads, validates and renders.

Run with ``-s`` to see the count and the pages that did not import (each with its reason).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from codegen.importer import import_page
from codegen.loader import LoadedSpec, SpecSet, load_endpoint, load_shared
from codegen.portal import PageError, read_page
from codegen.render import render_all
from tests.conftest import ROOT, SHARED_DOCS

PORTAL = SHARED_DOCS / "portal"
#: Every REST page but the three OAuth/hashkey pages, which the client core implements by hand.
MINIMUM_CLEAN = 271


@pytest.mark.skipif(not PORTAL.is_dir(), reason=f"portal pages not found at {PORTAL} (set KIS_SHARED_DOCS)")
def test_every_rest_page_of_the_portal_imports_and_generates() -> None:
    shared, problems = load_shared(ROOT / "spec")
    assert not problems
    rest = 0
    failures: list[str] = []
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
                continue
            rest += 1
            try:
                result = import_page(page)
            except PageError as exc:
                failures.append(str(exc))
                continue
            draft.write_text(result.to_yaml(), encoding="utf-8")
            spec, found = load_endpoint(draft, result.relative_path, shared.enums)
            if spec is None or found:
                failures.append(f"{path}: invalid draft: {found}")
                continue
            imported.append(LoadedSpec(str(path.relative_to(PORTAL)), spec))

    # One render of every draft together exercises each spec in the templates (one SpecSet per
    # spec would compile the templates 270 times); generated python must at least compile.
    files = render_all(SpecSet(shared, imported))
    for name, text in files.items():
        if name.endswith(".py"):
            compile(text, name, "exec")

    print(f"\nimported {len(imported)}/{rest} REST pages cleanly")
    for failure in failures:
        print(f"  not imported: {failure}")
    assert all(message.split(": ", 1)[-1].strip() for message in failures)  # every failure says why
    assert len(imported) >= MINIMUM_CLEAN
