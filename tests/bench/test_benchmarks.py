"""`make bench` keeps working: its server answers a real client, its synthetic specs are valid,
its structuring floor builds the very objects the SDK builds, and its table prints. No timings
are asserted here; the numbers belong to docs/benchmarks.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import _server, codegen_time, overhead
from benchmarks._bodies import credit_balance_body, credit_balance_bytes
from benchmarks._report import Row, markdown_table, skipped, text_table
from benchmarks.structuring import _floor_builder
from codegen.loader import load_specs
from kis_async.domestic_stock.ranking import CreditBalanceResponse


async def test_the_benchmark_server_serves_a_client_and_a_bare_session() -> None:
    with _server.running(None, stand_in_only=True) as server:
        rows, rows_sent = await overhead.measure(server, n=2, rounds=1)
    assert rows_sent == 30
    assert [row.ratio is not None and row.ratio > 0 for row in rows] == [True, True]


def test_the_canned_body_is_a_valid_thirty_row_ranking() -> None:
    response = CreditBalanceResponse.from_dict(json.loads(credit_balance_bytes()))
    assert len(response.output2) == 30
    assert all(row.stck_prpr and row.prdy_vrss_sign is not None for row in response.output2)


def test_the_structuring_floor_builds_what_the_sdk_builds() -> None:
    body = credit_balance_body()
    assert _floor_builder()(body) == CreditBalanceResponse.from_dict(body)


def test_synthesized_specs_are_distinct_valid_endpoints(tmp_path: Path) -> None:
    codegen_time.synthesize(6, tmp_path)
    specs = load_specs(tmp_path)
    names = {f"{s.spec.python_namespace}.{s.spec.python_name}" for s in specs.endpoints}
    assert len(names) == 6


def test_the_table_shows_every_verdict() -> None:
    rows = [
        Row("a", "1 ms", "2 ms", 0.5, "≤ 1", True),
        Row("b", "3 ms", "2 ms", 1.5, "≤ 1", False, "slow"),
        skipped("c", "-", "not installed"),
    ]
    text, markdown = text_table(rows), markdown_table(rows)
    for verdict in ("ok", "MISSED", "skipped: not installed"):
        assert verdict in text and verdict in markdown


def test_the_dataframe_rows_measure_each_conversion_or_say_which_extra_is_missing() -> None:
    from benchmarks import frames

    rows = frames.measure(budget=0.001)
    assert [row.measure.split(",")[1].strip() for row in rows] == [
        "polars (Decimal exact)",
        "pandas (pyarrow decimals)",
        "pandas (decimals as float64)",
    ]
    assert all(row.measure.endswith("per 1,000 rows") for row in rows)
    assert all(row.ratio is not None or "kis-async[" in row.note for row in rows)


def test_only_runs_the_named_part_and_refuses_an_unknown_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python -m benchmarks --only codegen`` times make gen alone and prints its row (the codegen
    run itself is stood in for: it takes seconds); docs/benchmarks.md is not rewritten."""
    from benchmarks import __main__ as bench

    with pytest.raises(SystemExit):
        bench.main(["--only", "codegen,warp"])
    assert "unknown part(s) warp" in capsys.readouterr().err

    def codegen(count: int, workdir: Path) -> tuple[list[Row], None]:
        return [
            Row(f"codegen, make gen for {count} endpoints", "1.00 s", "10 s budget", 0.1, "< 10 s", True)
        ], None

    monkeypatch.setattr(bench.codegen_time, "measure", codegen)
    monkeypatch.setattr(bench, "DOC", Path("/nonexistent/benchmarks.md"))
    assert bench.main(["--only", "codegen"]) == 0
    printed = capsys.readouterr().out
    assert "codegen, make gen for 300 endpoints  1.00 s" in printed
    assert "structuring" not in printed and "wrote" not in printed
