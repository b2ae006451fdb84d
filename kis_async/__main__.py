"""``kis-async`` command line: ``kis-async watch FEED KEY…`` prints live real-time ticks."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: kis-async watch FEED KEY... [--sandbox] [--count N] [--fields a,b]")
        return 0 if args else 2
    if args[0] == "watch":
        from kis_async._watch import main as watch_main

        return watch_main(args[1:])
    print(f"kis-async: unknown command {args[0]!r} (try: watch)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
