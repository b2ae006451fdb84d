"""Which endpoints are curated: their spec says (on its first line) it was reviewed against
``real-data-notes.md``. Those promise a real-data corpus and reviewed types."""

from __future__ import annotations

import functools
import importlib
from typing import Any

import yaml

from kis_async._registry import ENDPOINTS
from tests.conftest import ROOT

SPECS = ROOT / "spec"


def descriptors() -> dict[str, Any]:
    """Every generated endpoint descriptor by dotted name."""
    return {
        name: getattr(importlib.import_module(f"kis_async.{module}"), const)
        for module, const, name in ENDPOINTS
    }


@functools.cache
def curated_endpoints() -> frozenset[str]:
    by_path = {endpoint.path: name for name, endpoint in descriptors().items()}
    curated = set()
    for spec in sorted(SPECS.rglob("*.yaml")):
        text = spec.read_text(encoding="utf-8")
        if spec.name.startswith("_") or "real-data-notes" not in text.partition("\n")[0]:
            continue
        name = by_path.get(yaml.safe_load(text).get("path", ""))
        if name is not None:
            curated.add(name)
    return frozenset(curated)
