"""A bot looks a stock up by name and asks the market calendar, offline against the sandbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kis_async import KST, KisValidationError
from kis_async.sandbox import Sandbox
from kis_async.symbols import MASTER_URL, master_url, parse_domestic


async def test_a_bot_finds_samsung_by_korean_name_and_by_code(tmp_path: Path) -> None:
    async with Sandbox(rate_limit=None) as sb, sb.client() as kis:
        book = await kis.symbols(cache_dir=tmp_path)
    found = book.search("삼성전자")
    assert [(s.code, s.name, s.market) for s in found[:2]] == [
        ("005930", "삼성전자", "KOSPI"),
        ("005935", "삼성전자우", "KOSPI"),
    ]
    assert book.get("005930").standard_code.startswith("KR7005930")
    assert book.get("247540").market == "KOSDAQ"
    assert book.search("005930")[0].name == "삼성전자"  # an exact code comes first
    with pytest.raises(KisValidationError, match="no '999999'"):
        book.get("999999")


async def test_overseas_symbols_search_english_names_case_insensitively(tmp_path: Path) -> None:
    async with Sandbox(rate_limit=None) as sb, sb.client() as kis:
        book = await kis.symbols(("NAS", "NYS"), cache_dir=tmp_path)
    assert [s.code for s in book.search("apple")] == ["AAPL"]
    assert book.get("KO").name == "코카콜라" and book.get("KO").currency == "USD"


async def test_master_files_are_downloaded_at_most_once_a_day(tmp_path: Path) -> None:
    async with Sandbox(rate_limit=None) as sb, sb.client() as kis:
        await kis.symbols(("KOSPI",), cache_dir=tmp_path)
        cached = list(tmp_path.rglob("kospi_code.mst.zip"))
        assert len(cached) == 1
        stamp = cached[0].stat().st_mtime_ns
        await kis.symbols(("KOSPI",), cache_dir=tmp_path)
        assert cached[0].stat().st_mtime_ns == stamp  # read from the cache, not fetched again
        await kis.symbols(("KOSPI",), cache_dir=tmp_path, max_age=dt.timedelta(0))
        assert cached[0].stat().st_mtime_ns != stamp


def test_a_real_client_reads_kis_master_files_and_a_sandbox_its_own() -> None:
    assert master_url("https://openapi.koreainvestment.com:9443") == MASTER_URL
    assert master_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/common/master"


def test_the_domestic_layout_splits_code_isin_name_and_group_as_kis_sample_reads_it() -> None:
    tail = "EF" + "0" * 225  # 228 characters with the line end
    (etf,) = parse_domestic(f"069500   KR7069500007KODEX 200{tail}\r\n")
    assert (etf.code, etf.standard_code, etf.name, etf.kind) == ("069500", "KR7069500007", "KODEX 200", "EF")


async def test_the_market_calendar_follows_the_sandbox_clock() -> None:
    saturday = dt.datetime(2026, 12, 5, 10, 0, tzinfo=KST)
    async with Sandbox(rate_limit=None, now=saturday) as sb, sb.client() as kis:
        assert kis.market.today() == dt.date(2026, 12, 5)
        assert not kis.market.is_open() and not kis.market.is_trading_day()
        assert kis.market.next_open() == dt.datetime(2026, 12, 7, 9, 0, tzinfo=KST)
        sb.set_time(dt.datetime(2026, 12, 7, 15, 31, tzinfo=KST))
        assert not kis.market.is_open()
        assert kis.market.is_open(extended=True) is False  # 15:31: between the close and 15:40
        sb.set_time(dt.datetime(2026, 12, 31, 10, 0, tzinfo=KST))
        assert not kis.market.is_open()  # KRX's year-end close
        assert [s.kind for s in kis.market.sessions(dt.date(2026, 12, 30))][:3] == [
            "pre_close",
            "opening_auction",
            "regular",
        ]


async def test_kis_own_open_days_agree_with_the_calendar_library() -> None:
    async with (
        Sandbox(rate_limit=None, now=dt.datetime(2026, 12, 28, 10, 0, tzinfo=KST)) as sb,
        sb.client() as kis,
    ):
        days = await kis.market.kis_open_days()
    assert days[dt.date(2026, 12, 30)] is True and days[dt.date(2026, 12, 31)] is False
    assert days[dt.date(2027, 1, 2)] is False  # a Saturday
    assert all(open_ == kis.market.is_trading_day(day) for day, open_ in days.items())
