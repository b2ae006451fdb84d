"""The README's "Testing your bot against the sandbox" examples, run as a bot author would paste
them into a test file: each ``async def test_…`` block runs to the end against a real sandbox."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from tests.paths import ROOT

#: A hang guard, not a speed target: the expired-token example once waited 61 s for KIS's
#: one-token-a-minute rule because its sandbox kept that rule.
HANG_GUARD_SECONDS = 30


def sandbox_tests() -> list[tuple[str, str]]:
    """(function name, block) of each README python block that defines a sandbox test."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    found = []
    for block in blocks:
        if "kis_async.sandbox" in block:
            found += [(name, block) for name in re.findall(r"^async def (test_\w+)\(", block, re.MULTILINE)]
    return found


def test_the_readme_has_sandbox_examples() -> None:
    assert len(sandbox_tests()) >= 2


@pytest.mark.parametrize(("name", "block"), sandbox_tests(), ids=[name for name, _ in sandbox_tests()])
async def test_a_readme_sandbox_example_runs_as_written(name: str, block: str) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(block, f"README.md:{name}", "exec"), namespace)
    test: Callable[[], Coroutine[Any, Any, None]] = namespace[name]
    await asyncio.wait_for(test(), HANG_GUARD_SECONDS)
