"""How the generated code scales with every endpoint generated (~270 REST specs).

- ``import kis_async`` against ``import aiohttp`` alone (target: ≤ 1.3×): generated category
  modules must load lazily, on first use of ``kis.<category>``;
- ``import kis_async.<category>`` for the biggest category (target: ≤ 150 ms on top of the
  package), and every category;
- ``python -m codegen gen`` when nothing changed (target: < 10 s for 300 endpoints).

Each import is a fresh interpreter; the best of several runs is reported, since a busy machine
only ever makes a run slower.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def best_of(code: str, runs: int = RUNS) -> float:
    """Seconds of the fastest of ``runs`` fresh interpreters running ``code``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    from kis_async._registry import ENDPOINTS, NAMESPACES

    bare = best_of("pass")
    aiohttp = best_of("import aiohttp") - bare
    package = best_of("import kis_async") - bare
    print(f"{len(ENDPOINTS)} endpoints generated in {len(NAMESPACES)} categories")
    print(f"import aiohttp   {aiohttp * 1000:7.1f} ms")
    print(f"import kis_async {package * 1000:7.1f} ms  ({package / aiohttp:.2f}× aiohttp; target ≤ 1.3×)")
    for namespace in ("domestic_stock", *[n for n in NAMESPACES if n != "domestic_stock"]):
        alone = best_of(f"import kis_async.{namespace}", runs=3) - bare
        print(f"  + kis_async.{namespace:<22} {(alone - package) * 1000:7.1f} ms")
    every = "; ".join(f"import kis_async.{n}" for n in NAMESPACES)
    print(f"  + every category             {(best_of(every, runs=3) - bare - package) * 1000:7.1f} ms")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "codegen", "check"], check=True, cwd=ROOT, capture_output=True)
    print(f"codegen check (= gen, nothing written) {time.perf_counter() - start:.2f} s (target < 10 s)")


if __name__ == "__main__":
    main()
