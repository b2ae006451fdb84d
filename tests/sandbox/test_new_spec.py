"""A spec dropped into spec/ is served by the sandbox after `make gen`, with no other change.

The test does exactly that, on a copy of the package in a temporary folder: add a spec, run the
generator, then in a fresh interpreter call the new method through the SDK against the sandbox.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT
from tests.sandbox import specs

BOT = """
import asyncio, json
from kis_async.sandbox import Sandbox

async def main():
    async with Sandbox(min_token_interval=0) as sb, sb.client(account="12345678-01") as kis:
        first = await kis.domestic_stock.sandbox_holdings(view="01")
        everything = await kis.domestic_stock.sandbox_holdings(view="01").all()
        print(json.dumps({
            "served": "domestic_stock.sandbox_holdings" in sb.endpoints,
            "first_page": len(first.output1),
            "row_type": type(first.output1[0]).__name__,
            "all_rows": len(everything.output1),
            "calls": sb.stats.requests["domestic_stock.sandbox_holdings"],
        }))

asyncio.run(main())
"""


def test_a_spec_added_to_spec_is_served_after_make_gen(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    shutil.copytree(ROOT / "kis_async", tmp_path / "kis_async", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    specs.write(tmp_path / "spec", specs.HOLDINGS)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIS_")}

    generated = subprocess.run(
        [sys.executable, "-m", "codegen", "gen", "--spec", str(tmp_path / "spec"), "--root", str(tmp_path)],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert (tmp_path / "kis_async" / "domestic_stock" / "trading" / "sandbox_holdings.py").exists()

    ran = subprocess.run(
        [sys.executable, "-c", BOT],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == {
        "served": True,
        "first_page": 20,
        "row_type": "SandboxHolding",
        "all_rows": 50,
        "calls": 4,
    }
