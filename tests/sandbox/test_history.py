"""A bot reads history from the sandbox as from KIS: the dates it asks for, trading days and session
minutes only, newest first, at most KIS's rows per call, paging back to the listing date; and the
quote it reads is the latest bar of the same path."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from kis_async import KST, KisClient
from kis_async._calendar import is_trading_day
from kis_async._realtime import RealtimeConfig
from kis_async.realtime import domestic_stock as ds
from kis_async.realtime import overseas_stock as os_
from kis_async.sandbox import Sandbox

#: Friday 2026-12-04, after the close; 두산로보틱스 was listed (in the sandbox) on 2023-07-10.
AFTER_CLOSE = dt.datetime(2026, 12, 4, 17, 0, tzinfo=KST)
IN_SESSION = dt.datetime(2026, 12, 3, 10, 30, 0, tzinfo=KST)
SYMBOL = "454910"


pytestmark = pytest.mark.sandbox(rate_limit=None, now=AFTER_CLOSE)


async def listing_date(kis: KisClient, symbol: str) -> dt.date:
    info = (await kis.domestic_stock.search_stock_info(symbol=symbol, product_type="300")).output
    assert info is not None and info.scts_mket_lstg_dt is not None
    return info.scts_mket_lstg_dt


async def test_paging_a_daily_chart_back_by_end_date_reaches_the_listing_date_without_repeats(
    kis_sandbox: KisClient,
) -> None:
    listed = await listing_date(kis_sandbox, SYMBOL)
    paged: list[dt.date] = []
    closes: dict[dt.date, int | None] = {}
    end = AFTER_CLOSE.date()
    calls = 0
    while True:
        chart = await kis_sandbox.domestic_stock.inquire_daily_itemchartprice(
            symbol=SYMBOL, start_date=dt.date(2000, 1, 1), end_date=end
        )
        calls += 1
        if not chart.output2:
            break
        assert len(chart.output2) <= 100  # KIS's per-call maximum
        days = [bar.stck_bsop_date for bar in chart.output2]
        assert days == sorted(days, reverse=True)  # newest first
        paged += [d for d in days if d is not None]
        closes.update({bar.stck_bsop_date: bar.stck_clpr for bar in chart.output2 if bar.stck_bsop_date})
        end = paged[-1] - dt.timedelta(days=1)
    assert calls == 10  # nine full-or-partial pages, then none
    assert len(paged) == len(set(paged))
    assert paged[0] == AFTER_CLOSE.date() and paged[-1] == listed
    assert all(is_trading_day(day) for day in paged)
    assert not {dt.date(2025, 10, 6), dt.date(2026, 6, 3), dt.date(2025, 12, 31)} & set(
        paged
    )  # 추석, election, Dec 31
    # the same bars as asking quarter by quarter (under 100 trading days each)
    quarterly: list[dt.date] = []
    first = dt.date(listed.year, 1 + (listed.month - 1) // 3 * 3, 1)
    while first <= AFTER_CLOSE.date():
        following = (first + dt.timedelta(days=95)).replace(day=1)
        chart = await kis_sandbox.domestic_stock.inquire_daily_itemchartprice(
            symbol=SYMBOL, start_date=first, end_date=following - dt.timedelta(days=1)
        )
        assert all(first <= bar.stck_bsop_date < following for bar in chart.output2 if bar.stck_bsop_date)
        assert all(closes[bar.stck_bsop_date] == bar.stck_clpr for bar in chart.output2 if bar.stck_bsop_date)
        quarterly = [bar.stck_bsop_date for bar in chart.output2 if bar.stck_bsop_date] + quarterly
        first = following
    assert sorted(quarterly, reverse=True) == paged


async def test_consecutive_daily_bars_add_up(kis_sandbox: KisClient) -> None:
    chart = await kis_sandbox.domestic_stock.inquire_daily_itemchartprice(
        symbol="005930", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31)
    )
    bars = chart.output2
    assert len(bars) == 100
    for newer, older in itertools.pairwise(bars):
        assert newer.prdy_vrss == (newer.stck_clpr or 0) - (older.stck_clpr or 0)
        assert (newer.stck_lwpr or 0) <= min(newer.stck_oprc or 0, newer.stck_clpr or 0)
        assert max(newer.stck_oprc or 0, newer.stck_clpr or 0) <= (newer.stck_hgpr or 0)


async def test_a_weekly_bar_spans_the_days_of_its_week(kis_sandbox: KisClient) -> None:
    days = (
        await kis_sandbox.domestic_stock.inquire_daily_itemchartprice(
            symbol="005930", start_date=dt.date(2026, 11, 23), end_date=dt.date(2026, 11, 27)
        )
    ).output2
    (week,) = (
        await kis_sandbox.domestic_stock.inquire_daily_itemchartprice(
            symbol="005930", start_date=dt.date(2026, 11, 23), end_date=dt.date(2026, 11, 27), period="W"
        )
    ).output2
    assert week.stck_bsop_date == dt.date(2026, 11, 23)
    assert week.stck_oprc == days[-1].stck_oprc and week.stck_clpr == days[0].stck_clpr
    assert week.stck_hgpr == max(d.stck_hgpr or 0 for d in days)
    assert week.acml_vol == sum(d.acml_vol or 0 for d in days)


async def test_a_range_before_the_listing_has_no_rows(kis_sandbox: KisClient) -> None:
    listed = await listing_date(kis_sandbox, SYMBOL)
    chart = await kis_sandbox.domestic_stock.inquire_daily_itemchartprice(
        symbol=SYMBOL, start_date=dt.date(2000, 1, 1), end_date=listed - dt.timedelta(days=1)
    )
    assert chart.output2 == []


async def test_minute_bars_of_a_day_cover_its_session_minutes_only(kis_sandbox: KisClient) -> None:
    day = dt.date(2026, 12, 3)
    seen: list[dt.time] = []
    hour = "153000"
    while True:
        chart = await kis_sandbox.domestic_stock.inquire_time_dailychartprice(
            symbol="005930", time=hour, date=day, include_past="N", market_division="J"
        )
        times = [bar.stck_cntg_hour for bar in chart.output2 if bar.stck_cntg_hour is not None]
        if not times:
            break
        assert len(times) <= 120 and all(bar.stck_bsop_date == day for bar in chart.output2)
        seen += times
        earlier = dt.datetime.combine(day, times[-1]) - dt.timedelta(minutes=1)
        hour = earlier.strftime("%H%M%S")
    regular = [(dt.datetime(2026, 12, 3, 9, 0) + dt.timedelta(minutes=n)).time() for n in range(6 * 60 + 20)]
    assert sorted(seen) == [*regular, dt.time(15, 30)]  # 09:00…15:19, then the closing auction
    assert len(seen) == len(set(seen))


async def test_todays_minute_chart_ends_at_the_clock(sandbox: Sandbox, kis_sandbox: KisClient) -> None:
    sandbox.set_time(IN_SESSION)
    chart = await kis_sandbox.domestic_stock.inquire_time_itemchartprice(
        symbol="005930", time="153000", include_past="N", market_division="J"
    )
    times = [bar.stck_cntg_hour for bar in chart.output2]
    assert len(times) == 30  # KIS's per-call maximum
    assert times[0] == dt.time(10, 30) and times[-1] == dt.time(10, 1)  # a later time asked means now


async def test_the_quote_is_the_latest_bar_at_the_same_clock(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    for at in (IN_SESSION, AFTER_CLOSE, dt.datetime(2026, 12, 5, 11, 0, tzinfo=KST)):  # … and a Saturday
        sandbox.set_time(at)
        quote = (await kis_sandbox.domestic_stock.inquire_price(symbol="005930")).output
        minutes = await kis_sandbox.domestic_stock.inquire_time_itemchartprice(
            symbol="005930", time="235959", include_past="N", market_division="J"
        )
        days = await kis_sandbox.domestic_stock.inquire_daily_itemchartprice(
            symbol="005930", start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 12, 31)
        )
        assert quote is not None
        assert quote.stck_prpr == minutes.output2[0].stck_prpr == days.output2[0].stck_clpr
        assert quote.stck_sdpr == days.output2[1].stck_clpr  # 기준가: the previous trading day's close
        assert quote.stck_hgpr == days.output2[0].stck_hgpr and quote.acml_vol == days.output2[0].acml_vol
    assert days.output2[0].stck_bsop_date == dt.date(2026, 12, 4)  # on Saturday: Friday's bar


async def test_chk_holiday_on_a_saturday_lists_the_days_from_it(kis_sandbox: KisClient) -> None:
    answer = await kis_sandbox.domestic_stock.chk_holiday(date=dt.date(2026, 12, 5))
    days = [row.bass_dt for row in answer.output]
    assert days == [dt.date(2026, 12, 5) + dt.timedelta(days=n) for n in range(23)]
    saturday, sunday, monday = answer.output[:3]
    assert (
        saturday.wday_dvsn_cd,
        saturday.bzdy_yn,
        saturday.tr_day_yn,
        saturday.opnd_yn,
        saturday.sttl_day_yn,
    ) == (
        "07",
        "N",
        "Y",
        "N",
        "N",
    )
    assert (sunday.wday_dvsn_cd, sunday.opnd_yn) == ("01", "N")
    assert (monday.wday_dvsn_cd, monday.bzdy_yn, monday.opnd_yn, monday.sttl_day_yn) == ("02", "Y", "Y", "Y")
    christmas = answer.output[20]
    assert (christmas.bass_dt, christmas.bzdy_yn, christmas.opnd_yn) == (dt.date(2026, 12, 25), "N", "N")
    assert answer.msg_cd == "KIOK0500"  # 조회가 계속됩니다: the next page starts on Dec 28


async def test_chk_holiday_at_dec_31_the_banks_work_and_the_market_is_closed(kis_sandbox: KisClient) -> None:
    answer = await kis_sandbox.domestic_stock.chk_holiday(date=dt.date(2026, 12, 31))
    dec31, jan1, jan2 = answer.output[:3]
    assert (dec31.bass_dt, dec31.bzdy_yn, dec31.opnd_yn, dec31.sttl_day_yn) == (
        dt.date(2026, 12, 31),
        "Y",
        "N",
        "Y",
    )
    assert (jan1.bzdy_yn, jan1.opnd_yn) == ("N", "N")
    assert jan2.bass_dt == dt.date(2027, 1, 2) and jan2.opnd_yn == "N"  # a Saturday
    every_day = await kis_sandbox.domestic_stock.chk_holiday(date=dt.date(2026, 12, 31)).all()
    assert every_day.output[-1].bass_dt == dt.date(2027, 12, 31)  # the pages end with next year
    assert len({row.bass_dt for row in every_day.output}) == len(every_day.output) == 366


async def test_an_overseas_daily_history_follows_its_exchange_calendar_and_quote(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(
        dt.datetime(2026, 12, 5, 10, 0, tzinfo=KST)
    )  # Saturday morning in Seoul: NASDAQ has closed Friday
    history = await kis_sandbox.overseas_price.dailyprice(
        exchange="NAS", symbol="AAPL", period="0", date=dt.date(2026, 12, 4), adjusted="0"
    )
    days = [row.xymd for row in history.output2]
    assert len(days) == 100 and days[0] == dt.date(2026, 12, 4)
    assert dt.date(2026, 11, 26) not in days and dt.date(2026, 11, 27) in days  # Thanksgiving, then Friday
    assert all(is_trading_day(day, "NAS") for day in days if day is not None)
    quote = (await kis_sandbox.overseas_price.price(exchange="NAS", symbol="AAPL")).output
    assert (
        quote is not None and quote.last == history.output2[0].clos and quote.base == history.output2[1].clos
    )
    older = await kis_sandbox.overseas_price.dailyprice(
        exchange="NAS", symbol="AAPL", period="0", date=days[-1] - dt.timedelta(days=1), adjusted="0"
    )
    assert older.output2[0].xymd is not None and older.output2[0].xymd < days[-1]


async def test_a_futures_daily_chart_is_read_by_the_same_rules(kis_sandbox: KisClient) -> None:
    chart = await kis_sandbox.domestic_futureoption.inquire_daily_fuopchartprice(
        market_division="F",
        symbol="A01612",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        period="D",
    )
    days = [bar.stck_bsop_date for bar in chart.output2]
    assert len(days) == 100 and days[0] == AFTER_CLOSE.date() and days == sorted(days, reverse=True)
    assert all(is_trading_day(day) for day in days if day is not None)
    for bar in chart.output2:
        assert (bar.futs_lwpr or 0) <= (bar.futs_prpr or 0) <= (bar.futs_hgpr or 0)


FAST = RealtimeConfig(stall_timeout=1.0, answer_timeout=2.0, request_interval=0.0, backoff_initial=0.01)


async def test_a_tick_in_session_carries_the_price_the_quote_shows(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    pytest.importorskip("cryptography")
    seoul = dt.datetime(2026, 12, 3, 13, 47, 12, tzinfo=KST)
    new_york = dt.datetime(2026, 12, 4, 1, 47, 12, tzinfo=KST)  # Thursday 11:47 in New York
    async with kis_sandbox.realtime(config=FAST) as rt:
        sandbox.set_time(seoul)
        await rt.subscribe(ds.trade_krx, "005930")
        tick = await anext(aiter(rt.stream(ds.trade_krx, "005930")))
        sandbox.set_time(dt.datetime.combine(seoul.date(), tick.stck_cntg_hour, KST))  # the tick's second
        quote = (await kis_sandbox.domestic_stock.inquire_price(symbol="005930")).output
        assert quote is not None and tick.stck_prpr == quote.stck_prpr
        assert tick.acml_vol >= (quote.acml_vol or 0) > 0
        sandbox.set_time(new_york)
        await rt.subscribe(os_.delayed_trade, "DNASAAPL")
        abroad = await anext(aiter(rt.stream(os_.delayed_trade, "DNASAAPL")))
        sandbox.set_time(dt.datetime.combine(new_york.date(), abroad.khms, KST))
        price = (await kis_sandbox.overseas_price.price(exchange="NAS", symbol="AAPL")).output
        assert price is not None and abroad.last == price.last and abroad.rate == price.rate


async def test_an_index_quote_is_its_daily_chart_latest_bar(kis_sandbox: KisClient) -> None:
    chart = await kis_sandbox.domestic_stock.inquire_daily_indexchartprice(
        symbol="0001",
        start_date=dt.date(2026, 11, 1),
        end_date=dt.date(2026, 12, 4),
        period="D",
        market_division="U",
    )
    assert len(chart.output2) <= 50 and chart.output2[0].stck_bsop_date == AFTER_CLOSE.date()
    index = (await kis_sandbox.domestic_stock.inquire_index_price(symbol="0001")).output
    latest, previous = chart.output2[0], chart.output2[1]
    assert index is not None and index.bstp_nmix_prpr == latest.bstp_nmix_prpr
    assert index.bstp_nmix_prdy_vrss == (latest.bstp_nmix_prpr or 0) - (previous.bstp_nmix_prpr or 0)


async def test_overseas_minute_bars_page_by_keyb_in_local_time(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    sandbox.set_time(dt.datetime(2026, 12, 4, 1, 47, 30, tzinfo=KST))  # Thursday 11:47:30 in New York
    first = await kis_sandbox.overseas_price.inquire_time_itemchartprice(
        exchange="NAS", symbol="AAPL", minutes=5, include_previous="0", next="", count=10, next_key=""
    )
    times = [(bar.xymd, bar.xhms, bar.khms) for bar in first.output2]
    assert times[0] == (dt.date(2026, 12, 3), dt.time(11, 45), dt.time(1, 45))  # 현지 and 한국 times
    assert [t[1] for t in times] == [
        (dt.datetime(2026, 12, 3, 11, 45) - dt.timedelta(minutes=5 * n)).time() for n in range(10)
    ]
    ones = await kis_sandbox.overseas_price.inquire_time_itemchartprice(
        exchange="NAS", symbol="AAPL", minutes=1, include_previous="0", next="", count=10, next_key=""
    )
    # the running 5-minute bar (11:45) is the 1-minute bars 11:47, 11:46 and 11:45 so far
    assert [bar.xhms for bar in ones.output2[:3]] == [dt.time(11, 47), dt.time(11, 46), dt.time(11, 45)]
    assert first.output2[0].evol == sum(bar.evol or 0 for bar in ones.output2[:3])
    assert first.output2[0].last == ones.output2[0].last and first.output2[0].open == ones.output2[2].open
    oldest = first.output2[-1]
    assert oldest.xymd is not None and oldest.xhms is not None
    key = dt.datetime.combine(oldest.xymd, oldest.xhms) - dt.timedelta(minutes=1)
    second = await kis_sandbox.overseas_price.inquire_time_itemchartprice(
        exchange="NAS",
        symbol="AAPL",
        minutes=5,
        include_previous="1",
        next="1",
        count=10,
        next_key=key.strftime("%Y%m%d%H%M%S"),
    )
    assert second.output2[0].xhms == dt.time(10, 55) and len(second.output2) == 10
    assert not {b.xhms for b in second.output2} & {t[1] for t in times}


async def test_an_hourly_us_bar_names_the_same_instant_in_local_and_korean_time(
    sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    from zoneinfo import ZoneInfo

    new_york = ZoneInfo("America/New_York")
    sandbox.set_time(dt.datetime(2026, 12, 8, 2, 10, tzinfo=KST))  # Monday 12:10 in New York
    chart = await kis_sandbox.overseas_price.inquire_time_itemchartprice(
        exchange="NAS", symbol="AAPL", minutes=60, include_previous="0", next="", count=10, next_key=""
    )
    bars = [(b.xymd, b.xhms, b.kymd, b.khms) for b in chart.output2]
    # the session opens at 09:30 inside the first hour: that bar is 09:30 local, 23:30 KST
    assert bars[-1] == (dt.date(2026, 12, 7), dt.time(9, 30), dt.date(2026, 12, 7), dt.time(23, 30))
    for local_day, local_time, korean_day, korean_time in bars:
        assert local_day and local_time and korean_day
        if korean_time is None:  # 000000 (KST midnight) reads as "no time"
            continue
        local = dt.datetime.combine(local_day, local_time, new_york)
        assert local == dt.datetime.combine(korean_day, korean_time, KST)
