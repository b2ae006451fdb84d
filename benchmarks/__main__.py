"""``make bench``: run ``main()`` of every module in ``benchmarks/`` (sorted by name)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"benchmarks.{module.name}")
        if hasattr(loaded, "main"):
            print(f"== {module.name}")
            loaded.main()


if __name__ == "__main__":
    main()
