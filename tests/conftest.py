"""Shared fixtures: a client against mocked KIS (aioresponses) and the path to ../shared."""

from __future__ import annotations

from pathlib import Path

from tests import _aioresponses_compat

_aioresponses_compat.install()

ROOT = Path(__file__).resolve().parent.parent
SHARED_DOCS = ROOT.parent / "shared" / "kis-docs"
