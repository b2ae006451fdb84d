"""Where things are, for every test whatever its folder: import these, never ``parents[n]``.

``SHARED_DOCS`` is ``../shared/kis-docs`` beside the checkout (the KIS portal pages and notes the
specs were reviewed against); a worktree elsewhere points at it with
``KIS_SHARED_DOCS=/work/shared/kis-docs``.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository's root (the folder holding ``pyproject.toml``).
ROOT = Path(__file__).resolve().parent.parent
#: ``tests/``.
TESTS = ROOT / "tests"
#: ``spec/``: the YAML specs the SDK is generated from.
SPEC = ROOT / "spec"
#: ``examples/``: the scripts ``make examples`` runs.
EXAMPLES = ROOT / "examples"
#: ``tests/data/``: small inputs of the tests (e.g. a portal page as a browser copies it).
DATA = TESTS / "data"
#: ``tests/fixtures/real/``: bodies as live KIS servers sent them, one JSON file per endpoint.
REAL_BODIES = TESTS / "fixtures" / "real"
#: ``../shared/kis-docs``: the KIS reference pages (``KIS_SHARED_DOCS`` overrides it).
SHARED_DOCS = Path(os.environ.get("KIS_SHARED_DOCS", ROOT.parent / "shared" / "kis-docs"))
