"""``import kis_async`` never loads the sandbox; ``kis_async.Sandbox`` does, on first use."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.paths import ROOT

CHECK = """
import sys
import kis_async
assert not [m for m in sys.modules if m.startswith("kis_async.sandbox")], "sandbox imported eagerly"
assert "aiohttp.web" not in sys.modules, "aiohttp.web imported eagerly"
from kis_async import Sandbox
from kis_async.sandbox import Sandbox as Same, Fault, Faults
assert Sandbox is Same
"""


def test_importing_the_sdk_leaves_the_sandbox_unloaded() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
