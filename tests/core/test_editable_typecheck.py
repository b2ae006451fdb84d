"""A bot outside the repo type-checks against a checkout install as it would against a wheel.

The checkout is installed editable (``pip install -e``, what ``make install`` does) into a fresh
venv with no extras, and ``mypy --strict`` checks two bots there: a correct one passes, and a
mistake is reported with the SDK's real types (``int`` + ``str``), not waved through as ``Any``
because mypy could not find ``kis_async``. The SDK's own modules must raise no error either, even
with orjson, cryptography, redis, polars and pandas absent (``--no-silence-site-packages``).

About 20 s: one venv, one install of the runtime dependencies (pip's cache), one mypy run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.paths import ROOT

GOOD = """
import asyncio
from decimal import Decimal

from kis_async import CreditBalanceMarket, KisClient, Rows
from kis_async.domestic_stock.ranking import CreditBalanceRow
from kis_async.frames import collect_ticks
from kis_async.realtime.domestic_stock import trade_krx


async def main() -> None:
    async with KisClient.from_env() as kis:
        ranking = await kis.domestic_stock.credit_balance(market=CreditBalanceMarket.KOSDAQ, period=5, sort="0")
        rows: Rows[CreditBalanceRow] = ranking.output2
        for row in rows:
            price: int | None = row.stck_prpr
            rate: Decimal | None = row.whol_loan_rmnd_rate
            print(price, rate)
        rows.to_polars(korean=True)
        async with kis.realtime() as rt:
            await rt.subscribe(trade_krx, "005930")
            ticks = await collect_ticks(rt, count=10)
            ticks.to_pandas(decimals="float")


asyncio.run(main())
"""

BAD = """
from kis_async import KisClient


async def main() -> None:
    async with KisClient.from_env() as kis:
        ranking = await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
        total = (ranking.output2[0].stck_prpr or 0) + "1"
        ranking.output2.to_polars(enums="label")
        print(total)
"""


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)  # type: ignore[call-overload,no-any-return]


def test_a_bot_outside_the_repo_type_checks_against_an_editable_checkout_install(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)]).check_returncode()
    python = venv / "bin" / "python"
    installed = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "-e", str(ROOT)]
    )
    if installed.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"pip install -e failed:\n{installed.stderr[-2000:]}")
        pytest.skip(f"pip could not install the checkout (offline?): {installed.stderr[-300:]}")
    extras = _run(
        [
            str(python),
            "-c",
            "import importlib.util as u; print([m for m in ('orjson', 'polars', 'pandas', 'redis', 'cryptography') if u.find_spec(m)])",
        ]
    )
    assert extras.stdout.strip() == "[]"  # the check below is the one without the extras

    bots = tmp_path / "bot"
    bots.mkdir()
    (bots / "good.py").write_text(textwrap.dedent(GOOD), encoding="utf-8")
    (bots / "bad.py").write_text(textwrap.dedent(BAD), encoding="utf-8")
    checked = _run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-silence-site-packages",
            "--python-executable",
            str(python),
            "--cache-dir",
            str(tmp_path / "cache"),
            "good.py",
            "bad.py",
        ],
        cwd=bots,
        env={**os.environ, "MYPYPATH": ""},
    )
    lines = checked.stdout.splitlines()
    sdk_errors = [line for line in lines if line.startswith(str(ROOT / "kis_async"))]
    assert sdk_errors == []
    bot_errors = [line for line in lines if line.startswith(("good.py", "bad.py")) and ": error:" in line]
    assert bot_errors == [
        'bad.py:8: error: Unsupported operand types for + ("int" and "str")  [operator]',
        'bad.py:9: error: Argument "enums" to "to_polars" of "Rows" has incompatible type "Literal[\'label\']"; '
        "expected \"Literal['code', 'name']\"  [arg-type]",
    ], checked.stdout[-3000:]
