"""Shared fixtures: a client against mocked KIS (aioresponses) and the path to ../shared."""

from __future__ import annotations

import os
from pathlib import Path

from tests import _aioresponses_compat

_aioresponses_compat.install()

ROOT = Path(__file__).resolve().parent.parent
#: ``../shared/kis-docs``; a worktree elsewhere points at it with ``KIS_SHARED_DOCS=/work/shared/kis-docs``.
SHARED_DOCS = Path(os.environ.get("KIS_SHARED_DOCS", ROOT.parent / "shared" / "kis-docs"))
