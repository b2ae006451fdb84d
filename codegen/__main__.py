"""``python -m codegen gen|check|import``.

- ``gen``: validate every spec, render the generated modules and docs, format them with ruff and
  write the files that changed (and remove generated files no spec produces any more).
- ``check``: the same in memory; exit 1 listing the files that ``gen`` would change.
- ``import PAGE.md [--out spec/] [--diff | --force]``: turn a KIS portal page into a spec file for
  review; an existing spec is refused unless ``--diff`` (show what a re-import adds) or ``--force``
  (write it; the spec keeps every line it has).
- ``import-realtime PAGE.md… [--out spec/]``: the same for WebSocket feed pages (``*실시간*``).

A bad spec prints ``file: field: what is wrong`` lines and exits 1, without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from codegen.generate import GENERATED_MARK, generate, stale_files
from codegen.loader import SpecError

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("gen", "check"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--spec", type=Path, default=ROOT / "spec")
        cmd.add_argument("--root", type=Path, default=ROOT, help="where kis_async/ and docs/ are written")
    imp = sub.add_parser("import", help="KIS portal page (markdown) -> spec YAML")
    imp.add_argument("pages", nargs="+", type=Path)
    imp.add_argument("--out", type=Path, default=None, help="spec root to write into (default: print)")
    imp.add_argument(
        "--diff",
        action="store_true",
        help="for a page whose spec exists: print what a re-import adds, write nothing",
    )
    imp.add_argument(
        "--force",
        action="store_true",
        help="for a page whose spec exists: write what a re-import adds (the spec keeps every line it has)",
    )
    rt = sub.add_parser("import-realtime", help="KIS WebSocket feed page (markdown) -> realtime spec YAML")
    rt.add_argument("pages", nargs="+", type=Path)
    rt.add_argument("--out", type=Path, default=None, help="spec root to write into (default: print)")
    rt.add_argument("--diff", action="store_true", help="for a feed whose spec exists: print what it adds")
    rt.add_argument("--force", action="store_true", help="for a feed whose spec exists: append what it adds")
    args = parser.parse_args(argv)
    for option in ("spec", "root"):
        folder = getattr(args, option, None)
        if folder is not None and not folder.is_dir():
            print(f"codegen: --{option} {folder}: no such folder", file=sys.stderr)
            return 2

    try:
        if args.command == "gen":
            warnings: list[str] = []
            changed = generate(args.spec, args.root, warnings=warnings)
            print(f"codegen: {len(changed)} file(s) written" + "".join(f"\n  {p}" for p in changed))
            # what tests/codegen/test_fidelity.py will refuse, and the drafts, said now
            for warning in warnings:
                print(f"codegen: {warning}", file=sys.stderr)
            return 0
        if args.command == "check":
            stale = stale_files(args.spec, args.root)
            if stale:
                print(
                    "codegen: generated files are stale; run `make gen`:", *stale, sep="\n  ", file=sys.stderr
                )
                return 1
            print("codegen: generated files are up to date")
            return 0
        if args.command == "import-realtime":
            from codegen.realtime_import import import_realtime_main

            return import_realtime_main(args.pages, args.out, force=args.force, diff=args.diff)
        from codegen.importer import import_main

        return int(import_main(args.pages, args.out, force=args.force, diff=args.diff))
    except SpecError as exc:
        print(f"codegen: {len(exc.problems)} problem(s) in the specs:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1


__all__ = ["GENERATED_MARK", "main"]

if __name__ == "__main__":
    sys.exit(main())
