"""A bot author looks a refusal code up in docs/sandbox.md: every code the sandbox answers for an
order it refuses is a row of the refusal table, with its source."""

from __future__ import annotations

import pytest

from kis_async.sandbox._refusals import REFUSALS
from tests.paths import ROOT


def table_rows() -> list[str]:
    text = (ROOT / "docs" / "sandbox.md").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.startswith("| ")]


@pytest.mark.parametrize(
    ("rule", "code"),
    sorted({(rule, refusal.msg_cd) for rule, pair in REFUSALS.items() for refusal in pair}),
)
def test_every_refusal_code_is_in_the_docs_table(rule: str, code: str) -> None:
    assert any(f"`{code}`" in row for row in table_rows()), (
        f"{rule}: {code} is not in docs/sandbox.md's table"
    )
