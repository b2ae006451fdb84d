"""Every example runs to completion against the sandbox, as ``make examples`` runs it.

Each runs as a subprocess (its own event loop and sandbox, no credentials in its environment)
with a timeout; an example whose endpoints are not generated in this checkout is skipped.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kis_async._registry import ENDPOINTS
from tests.paths import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
GENERATED = {name for _, _, name in ENDPOINTS}

#: Arguments that keep an example short, and a line its output must contain.
RUNS: dict[str, tuple[list[str], str]] = {
    "poll_loan_rate.py": (["--iterations", "2", "--interval", "0"], "poll 2: "),
    "fanout_prices.py": ([], "50/50 prices in "),
    "paged_balance.py": ([], " page(s)"),
    "credit_balance.py": ([], "신용잔고 상위"),
}


def missing_endpoints(path: Path) -> list[str]:
    used = {
        f"{ns}.{method}" for ns, method in re.findall(r"kis\.(\w+)\.(\w+)", path.read_text(encoding="utf-8"))
    }
    return sorted(used - GENERATED)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_the_example_runs_against_the_sandbox(path: Path) -> None:
    if importlib.util.find_spec("kis_async.sandbox") is None:
        pytest.skip("the sandbox (kis_async.sandbox) is not in this checkout yet")
    missing = missing_endpoints(path)
    if missing:
        pytest.skip(f"{path.name} uses {', '.join(missing)}, not generated in this checkout yet")
    args, expected = RUNS.get(path.name, ([], ""))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIS_")}  # the sandbox, not KIS
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, str(path), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
