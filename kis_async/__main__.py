"""``python -m kis_async`` is the ``kis-async`` command."""

import sys

from kis_async._cli import main

if __name__ == "__main__":
    sys.exit(main())
