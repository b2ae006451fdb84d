"""A bot asks what day it is in Seoul, whether the market trades, and when it opens next."""

from __future__ import annotations

import datetime as dt

import pytest

from kis_async import KST, KisValidationError, today_kst
from kis_async import _calendar as calendar

UTC = dt.UTC


def kst(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=KST)


def test_today_is_the_kst_date_on_a_utc_machine_before_nine() -> None:
    # 08:30 KST on Monday 7 Dec is 23:30 UTC on Sunday 6 Dec
    assert today_kst(dt.datetime(2026, 12, 6, 23, 30, tzinfo=UTC)) == dt.date(2026, 12, 7)
    assert today_kst(dt.datetime(2026, 12, 7, 14, 59, tzinfo=UTC)) == dt.date(2026, 12, 7)
    assert today_kst(dt.datetime(2026, 12, 7, 15, 0, tzinfo=UTC)) == dt.date(2026, 12, 8)


def test_a_naive_datetime_is_refused_naming_the_zone() -> None:
    with pytest.raises(KisValidationError, match="no time zone"):
        today_kst(dt.datetime(2026, 12, 7, 8, 30))


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (dt.date(2026, 12, 5), "Saturday"),
        (dt.date(2026, 12, 6), "Sunday"),
        (dt.date(2026, 6, 3), "local election day"),
        (dt.date(2026, 12, 31), "KRX year-end close"),
        (dt.date(2026, 2, 17), "설날"),
        (dt.date(2026, 5, 1), "Labor Day"),
    ],
)
def test_krx_is_closed_on(day: dt.date, why: str) -> None:
    assert not calendar.is_trading_day(day), why
    assert calendar.sessions(day) == ()


def test_krx_trading_days_of_a_december_fortnight() -> None:
    days = calendar.trading_days(dt.date(2026, 12, 21), dt.date(2027, 1, 4))
    assert days == [
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 22),
        dt.date(2026, 12, 23),
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 28),
        dt.date(2026, 12, 29),
        dt.date(2026, 12, 30),
        dt.date(2027, 1, 4),
    ]
    assert calendar.previous_trading_day(dt.date(2027, 1, 4)) == dt.date(2026, 12, 30)
    assert calendar.next_trading_day(dt.date(2026, 12, 30)) == dt.date(2027, 1, 4)


def test_krx_sessions_of_an_ordinary_day() -> None:
    by_kind = {
        s.kind: (s.start.strftime("%H:%M"), s.end.strftime("%H:%M"))
        for s in calendar.sessions(dt.date(2026, 12, 7))
    }
    assert by_kind == {
        "pre_close": ("08:30", "08:40"),
        "opening_auction": ("08:30", "09:00"),
        "regular": ("09:00", "15:20"),
        "closing_auction": ("15:20", "15:30"),
        "post_close": ("15:40", "16:00"),
        "single_price": ("16:00", "18:00"),
    }


def test_krx_opens_at_ten_on_the_first_trading_day_of_the_year() -> None:
    regular = next(s for s in calendar.sessions(dt.date(2027, 1, 4)) if s.kind == "regular")
    assert (regular.start, regular.end) == (kst(2027, 1, 4, 10, 0), kst(2027, 1, 4, 15, 20))
    assert calendar.next_open(kst(2026, 12, 30, 16, 0)) == kst(2027, 1, 4, 10, 0)


def test_is_open_in_the_regular_session_and_not_at_1531() -> None:
    assert calendar.is_open(kst(2026, 12, 7, 9, 0))
    assert calendar.is_open(kst(2026, 12, 7, 15, 25))  # closing auction
    assert not calendar.is_open(kst(2026, 12, 7, 15, 31))
    assert calendar.is_open(kst(2026, 12, 7, 16, 30), extended=True)  # 시간외 단일가
    assert not calendar.is_open(kst(2026, 12, 5, 10, 0), extended=True)  # Saturday


def test_us_sessions_follow_new_york_daylight_saving_in_kst() -> None:
    summer = next(s for s in calendar.sessions(dt.date(2026, 7, 6), "NAS") if s.kind == "regular")
    winter = next(s for s in calendar.sessions(dt.date(2026, 12, 7), "NASD") if s.kind == "regular")
    assert (summer.start, summer.end) == (kst(2026, 7, 6, 22, 30), kst(2026, 7, 7, 5, 0))
    assert (winter.start, winter.end) == (kst(2026, 12, 7, 23, 30), kst(2026, 12, 8, 6, 0))
    # Tuesday 02:00 KST is still Monday's regular session in New York
    assert calendar.is_open(kst(2026, 12, 8, 2, 0), "NYS")
    assert not calendar.is_trading_day(dt.date(2026, 11, 26), "NYSE")  # Thanksgiving


def test_an_unknown_market_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(KisValidationError, match=r"market 'LSE' is not known; expected one of .*KRX"):
        calendar.is_trading_day(dt.date(2026, 12, 7), "LSE")


def test_the_sandbox_clock_starts_where_asked_and_jumps() -> None:
    from kis_async.sandbox._clock import SandboxClock

    ticks = iter([100.0, 100.0, 160.0, 160.0, 160.0])
    clock = SandboxClock(dt.datetime(2026, 12, 5, 1, 0, tzinfo=UTC), monotonic=lambda: next(ticks))
    assert clock.now() == kst(2026, 12, 5, 10, 0)
    assert clock.now() == kst(2026, 12, 5, 10, 1)  # a minute of real time later
    clock.set(kst(2026, 12, 7, 8, 30))
    assert clock.today() == dt.date(2026, 12, 7)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(dt.datetime(2026, 12, 7, 8, 30))


@pytest.mark.parametrize(
    ("day", "market", "closes"),
    [
        # 13:00 in New York (EST) is 03:00 KST the next morning
        (dt.date(2026, 11, 27), "NAS", kst(2026, 11, 28, 3, 0)),  # the day after Thanksgiving
        (dt.date(2026, 12, 24), "NYSE", kst(2026, 12, 25, 3, 0)),  # Christmas Eve
        (dt.date(2026, 12, 24), "HKS", kst(2026, 12, 24, 13, 0)),  # HKEX: no afternoon session
    ],
)
def test_a_half_day_ends_regular_trading_early(day: dt.date, market: str, closes: dt.datetime) -> None:
    assert calendar.early_close(day, market) == closes
    regular = [s for s in calendar.sessions(day, market) if s.kind == "regular"]
    assert regular[-1].end == closes
    assert not calendar.is_open(closes, market)
    assert calendar.is_open(closes - dt.timedelta(minutes=1), market)


def test_us_after_hours_on_a_half_day_run_from_the_early_close_to_five() -> None:
    (after,) = [s for s in calendar.sessions(dt.date(2026, 11, 27), "NASD") if s.kind == "after_market"]
    assert (after.start, after.end) == (kst(2026, 11, 28, 3, 0), kst(2026, 11, 28, 7, 0))


@pytest.mark.parametrize(
    ("day", "market"),
    [
        (dt.date(2026, 12, 23), "NAS"),  # an ordinary Wednesday
        (dt.date(2026, 7, 2), "NYSE"),  # July 4 2026 is a Saturday: the 3rd is the holiday, no early close
        (dt.date(2026, 12, 24), "KRX"),  # KRX has no half days
        (dt.date(2026, 12, 25), "NAS"),  # closed: not a half day either
    ],
)
def test_other_days_close_at_the_usual_time(day: dt.date, market: str) -> None:
    assert calendar.early_close(day, market) is None


def test_the_independence_day_eve_closes_early_when_july_4_is_a_weekday() -> None:
    # summer time: 13:00 EDT is 02:00 KST
    assert calendar.early_close(dt.date(2029, 7, 3), "NYSE") == kst(2029, 7, 4, 2, 0)


# -- the day-end rule of orders (one rule for the sandbox and the bot's Order handle) -------------


@pytest.mark.parametrize(
    ("market", "order_type", "ends"),
    [
        ("KRX", "00", dt.time(15, 30)),  # the closing auction's end
        ("SOR", "00", dt.time(15, 30)),  # SOR is played as KRX, not NXT's 20:00
        ("NXT", "00", dt.time(20, 0)),
        ("KRX", "05", dt.time(8, 40)),  # 장전 시간외 종가
        ("KRX", "06", dt.time(16, 0)),  # 장후 시간외 종가
        ("KRX", "07", dt.time(18, 0)),  # 시간외 단일가
        ("SOR", "07", dt.time(18, 0)),
    ],
)
def test_a_domestic_order_ends_with_the_last_session_of_its_kind(
    market: str, order_type: str, ends: dt.time
) -> None:
    monday = dt.date(2026, 12, 7)
    assert calendar.order_day_end(monday, market, order_type=order_type) == dt.datetime.combine(
        monday, ends, KST
    )


def test_no_session_no_day_end() -> None:
    sunday = dt.date(2026, 12, 6)
    assert calendar.order_day_end(sunday, "KRX") is None
    assert calendar.order_day_end(sunday, "NASD") is None


@pytest.mark.parametrize(
    ("day", "placed", "ends"),
    [
        # winter: New York's close 16:00 = 06:00 KST; after it KIS takes orders until 07:00 KST
        (dt.date(2026, 12, 7), dt.datetime(2026, 12, 8, 0, 30), dt.datetime(2026, 12, 8, 6, 0)),
        (dt.date(2026, 12, 7), dt.datetime(2026, 12, 8, 6, 30), dt.datetime(2026, 12, 8, 7, 0)),
        # summer: the close is 05:00 KST, the after-market order still ends at 07:00 KST
        (dt.date(2026, 7, 6), dt.datetime(2026, 7, 7, 5, 30), dt.datetime(2026, 7, 7, 7, 0)),
        # the day after Thanksgiving closes at 13:00 (03:00 KST); its after-hours end at 17:00 (07:00 KST)
        (dt.date(2026, 11, 27), dt.datetime(2026, 11, 28, 4, 0), dt.datetime(2026, 11, 28, 7, 0)),
    ],
)
def test_a_us_order_ends_at_the_close_or_when_kis_stops_taking_orders(
    day: dt.date, placed: dt.datetime, ends: dt.datetime
) -> None:
    at = placed.replace(tzinfo=KST)
    assert calendar.order_day_end(day, "NASD", placed=at) == ends.replace(tzinfo=KST)


def test_a_us_order_without_a_placing_time_ends_at_the_close() -> None:
    assert calendar.order_day_end(dt.date(2026, 12, 7), "NYSE") == dt.datetime(2026, 12, 8, 6, 0, tzinfo=KST)


def test_an_asian_order_ends_at_its_exchanges_afternoon_close() -> None:
    tokyo = calendar.order_day_end(
        dt.date(2026, 12, 7), "TKSE", placed=dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST)
    )
    assert tokyo == dt.datetime(2026, 12, 7, 15, 30, tzinfo=KST)  # 15:30 in Tokyo, KST too
