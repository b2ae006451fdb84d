"""``python -m kis_async._mcp [--env …] [--allow-orders] …``: the same as ``kis-async mcp``."""

import sys

from kis_async._cli import main as cli_main

if __name__ == "__main__":
    sys.exit(cli_main(["mcp", *sys.argv[1:]]))
