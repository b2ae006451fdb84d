"""``kis-async watch FEED KEY…`` prints live ticks from the sandbox."""

from __future__ import annotations

import re

import pytest

from kis_async._cli._watch import WatchTargetError, main, parse_targets


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


# several feeds in one session


def test_watch_shows_several_feeds_in_one_session(capsys: pytest.CaptureFixture[str]) -> None:
    """Trades and the order book of one stock, and fill notices, used to take three processes."""
    argv = ["H0STCNT0:005930", "H0STASP0:005930", "fill_notice", "--sandbox", "--count", "8"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    feeds = {line.split(" ", 1)[0] for line in out.splitlines()}
    assert feeds == {"domestic_stock.trade_krx", "domestic_stock.orderbook_krx"}  # no order, no notice
    assert len(out.splitlines()) == 8
    assert "-- 8 tick(s)" in err


def test_watch_targets_read_feed_and_keys_in_every_form() -> None:
    targets = parse_targets(
        [
            "H0STCNT0:005930,000660",
            "domestic_stock.orderbook_krx",
            "005930",
            "trade_krx:035720",
            "fill_notice",
        ],
        hts_id="myhts",
    )
    assert [(t.feed.name, t.keys) for t in targets] == [
        ("domestic_stock.trade_krx", ("005930", "000660", "035720")),  # a feed named twice is merged
        ("domestic_stock.orderbook_krx", ("005930",)),  # the older FEED KEY form
        ("domestic_stock.fill_notice", ("myhts",)),  # notices are keyed by the HTS id
    ]


@pytest.mark.parametrize(
    ("tokens", "hts_id", "message"),
    [
        (["005930"], None, "'005930' is not a feed"),
        (["H0STCNT0:005930", "H0NOPE00"], None, "'H0NOPE00' is not a feed"),
        (["H0STASP0"], None, "domestic_stock.orderbook_krx (국내주식 실시간호가 (KRX)) needs a symbol"),
        (["H0STCNT0:"], None, "no key after ':'"),
        (["fill_notice"], None, "keyed by your HTS id: give --hts-id ID"),
        (["orderbook:DNASAAPL"], None, "'orderbook' is ambiguous: overseas_futureoption.orderbook"),
    ],
)
def test_watch_targets_that_do_not_resolve_are_named(
    tokens: list[str], hts_id: str | None, message: str
) -> None:
    with pytest.raises(WatchTargetError, match=re.escape(message)):
        parse_targets(tokens, hts_id)


def test_watch_refuses_a_field_no_watched_feed_has(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["H0STCNT0:005930", "H0STASP0:005930", "--sandbox", "--fields", "stck_prpr,nope"]) == 2
    assert "has no field(s) nope" in capsys.readouterr().err
