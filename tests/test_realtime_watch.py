"""``kis-async watch FEED KEY…`` prints live ticks from the sandbox."""

from __future__ import annotations

import pytest

from kis_async._cli._watch import main


def test_watch_prints_the_requested_fields_of_live_ticks(capsys: pytest.CaptureFixture[str]) -> None:
    """Codes by member name (RISE, not 2), as `kis-async call` prints them."""
    assert (
        main(["H0STCNT0", "005930", "--sandbox", "--count", "2", "--fields", "stck_prpr,prdy_vrss_sign"]) == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert (
        lines[0].startswith("domestic_stock.trade_krx 005930: stck_prpr=")
        and "prdy_vrss_sign=RISE" in lines[0]
    )


def test_watch_names_an_unknown_feed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["H0NOPE00", "005930", "--sandbox"]) == 2
    assert "'H0NOPE00' is not a feed" in capsys.readouterr().err


def test_watch_names_an_unknown_field(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["domestic_stock.trade_krx", "005930", "--sandbox", "--fields", "price"]) == 2
    assert "has no field(s) price" in capsys.readouterr().err


@pytest.mark.parametrize("count", ["0", "-2"])
def test_watch_refuses_a_count_below_one(count: str, capsys: pytest.CaptureFixture[str]) -> None:
    """It printed one tick anyway."""
    with pytest.raises(SystemExit) as exited:
        main(["domestic_stock.trade_krx", "005930", "--sandbox", "--count", count])
    assert exited.value.code == 2
    assert "at least 1" in capsys.readouterr().err
