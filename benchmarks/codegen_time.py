"""Codegen at scale: ``python -m codegen gen`` over 300 specs, cloned from the seed spec with
different paths and class names into a temporary folder (never committed), timed end to end
(load, validate, render, ruff) with the peak memory of the largest process (generator or ruff).

The temporary root also holds a copy of the hand-written ``kis_async`` core, so that after the
run it is a complete package with 300 endpoints, which :mod:`benchmarks.startup` imports.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._report import Row

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "spec" / "domestic_stock" / "ranking" / "credit_balance.yaml"
CATEGORIES = ("domestic-stock", "overseas-stock", "domestic-futureoption")
TARGET_SECONDS = 10.0

#: Runs the generator as a grandchild so that RUSAGE_CHILDREN covers it and ruff, and nothing else.
_WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - started
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": result.returncode, "seconds": elapsed, "peak_kib": peak_kib,
                  "out": result.stdout[-300:], "err": result.stderr[-2000:]}))
"""


def synthesize(count: int, spec_root: Path) -> None:
    """``count`` endpoint specs: the seed with its own path, method, class names and fields."""
    seed = SEED.read_text(encoding="utf-8")
    shutil.copy(ROOT / "spec" / "_shared.yaml", spec_root / "_shared.yaml")
    for i in range(count):
        category = CATEGORIES[i % len(CATEGORIES)]
        group = f"rank{i % 10}"
        text = seed.replace("/ranking/credit-balance", f"/{group}/credit-balance-{i:03d}")
        text = text.replace("/domestic-stock/", f"/{category}/").replace(
            "CreditBalance", f"CreditBalance{i:03d}"
        )
        # one distinct field per copy: outputs with the same fields would have to share one row class
        text = text.replace("wire: hts_kor_isnm,", f"wire: hts_kor_isnm_{i:03d},")
        folder = spec_root / category.replace("-", "_") / group
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"credit_balance_{i:03d}.yaml").write_text(text, encoding="utf-8")


def prepare_root(root: Path) -> None:
    """A copy of the project's package (hand-written core) and ruff configuration."""
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / "kis_async", root / "kis_async", ignore=shutil.ignore_patterns("__pycache__"))


def measure(count: int, workdir: Path) -> tuple[list[Row], Path | None]:
    """Rows, and the root of the generated package (``None`` when generation failed)."""
    spec_root, root = workdir / "spec", workdir / "root"
    spec_root.mkdir()
    root.mkdir()
    synthesize(count, spec_root)
    prepare_root(root)
    command = [sys.executable, "-m", "codegen", "gen", "--spec", str(spec_root), "--root", str(root)]
    started = time.perf_counter()
    wrapped = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command], capture_output=True, text=True, cwd=ROOT, check=True
    )
    wall = time.perf_counter() - started
    result = json.loads(wrapped.stdout)
    if result["rc"] != 0:
        note = f"codegen failed: {result['err'].strip().splitlines()[-1:]}"
        return [Row(f"codegen, {count} endpoints", "-", "-", None, "-", False, note)], None
    seconds, peak_mib = result["seconds"], result["peak_kib"] / 1024
    row = Row(
        f"codegen, make gen for {count} endpoints",
        f"{seconds:.2f} s",
        f"{TARGET_SECONDS:g} s budget",
        seconds / TARGET_SECONDS,
        f"< {TARGET_SECONDS:g} s",
        seconds < TARGET_SECONDS,
        f"peak RSS {peak_mib:.0f} MiB (largest of generator and ruff); {wall:.2f} s with wrapper",
    )
    return [row], root
