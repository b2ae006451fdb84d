"""A bot firing hundreds of calls at once stays within KIS's per-second limit and uses most of it."""

from __future__ import annotations

import asyncio
import bisect
import itertools
import random
from collections.abc import Callable

import pytest
from aioresponses import aioresponses
from hypothesis import given, settings
from hypothesis import strategies as st

from kis_async import KisClient, KisConfigError
from kis_async._endpoint import Endpoint
from kis_async._ratelimit import RateLimiter
from tests.conftest import ANY_API
from tests.fakes import FakeKis, credit_balance_body

ARGS = {"market": "0000", "period": 5, "sort": "0"}


class FakeClock:
    """Virtual time: sleeping advances it (plus an optional oversleep, like a busy event loop)."""

    def __init__(self, oversleep: Callable[[], float] = lambda: 0.0) -> None:
        self.now = 1000.0
        self.oversleep = oversleep

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.now += delay + self.oversleep()
        await asyncio.sleep(0)


def busiest_second(times: list[float]) -> int:
    """The most sends in any one-second window (closed on both ends: the strictest reading)."""
    ordered = sorted(times)
    return max(bisect.bisect_right(ordered, t + 1.0) - i for i, t in enumerate(ordered))


async def send_all(limiter: RateLimiter, clock: FakeClock, calls: int) -> list[float]:
    """Send ``calls`` at once, each answered at once; returns the send times."""
    sent: list[float] = []

    async def call() -> None:
        async with limiter.slot(clock.sleep):
            sent.append(clock())

    await asyncio.gather(*(call() for _ in range(calls)))
    return sent


async def test_five_hundred_concurrent_calls_never_exceed_twenty_in_a_second() -> None:
    clock = FakeClock()
    sent = await send_all(RateLimiter(20, clock=clock), clock, 500)
    assert busiest_second(sent) <= 20


async def test_five_hundred_concurrent_calls_use_at_least_ninety_percent_of_the_rate() -> None:
    clock = FakeClock()
    sent = await send_all(RateLimiter(20, clock=clock), clock, 500)
    # n sends at rate r need at least (n - r) / r seconds after the first burst
    ideal = (500 - 20) / 20
    assert ideal / (max(sent) - min(sent)) >= 0.9


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rate=st.sampled_from([2.0, 5.0, 20.0]))
async def test_kis_never_sees_more_than_the_rate_however_late_requests_arrive(seed: int, rate: float) -> None:
    """KIS stamps a request anywhere between our send and its answer; the event loop wakes late."""
    rng = random.Random(seed)
    clock = FakeClock(oversleep=lambda: rng.choice([0.0, 0.0, rng.uniform(0, 0.3)]))
    limiter = RateLimiter(rate, clock=clock)
    stamps: list[float] = []

    async def call() -> None:
        async with limiter.slot(clock.sleep):
            sent = clock()
            await clock.sleep(rng.choice([0.0, 0.01, rng.uniform(0, 1.5)]))  # the network
            stamps.append(sent + rng.random() * (clock() - sent))

    await asyncio.gather(*(call() for _ in range(60)))
    assert busiest_second(stamps) <= rate


async def test_a_slot_is_freed_when_its_request_fails() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, clock=clock)
    with pytest.raises(RuntimeError):
        async with limiter.slot(clock.sleep):
            raise RuntimeError("connection reset")
    async with limiter.slot(clock.sleep):
        pass
    assert limiter.acquired == 2


async def test_a_fractional_rate_spaces_calls_evenly() -> None:
    clock = FakeClock()
    sent = sorted(await send_all(RateLimiter(0.5, clock=clock), clock, 4))
    assert all(b - a >= 2.0 for a, b in itertools.pairwise(sent))


async def test_calls_go_out_in_arrival_order() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, clock=clock)
    order: list[int] = []

    async def call(i: int) -> None:
        async with limiter.slot(clock.sleep):
            order.append(i)

    await asyncio.gather(*(call(i) for i in range(10)))
    assert order == list(range(10))


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(0)


# -- the client's configuration ------------------------------------------------------------------


def test_real_defaults_to_twenty_per_second(make_client: Callable[..., KisClient]) -> None:
    kis = make_client(rate_limit="default", base_url="https://real.test")
    assert kis._limiter is not None and kis._limiter.rate == 20


def test_paper_defaults_to_two_per_second(make_client: Callable[..., KisClient]) -> None:
    kis = make_client(rate_limit="default", env="paper", base_url="https://paper.test")
    assert kis._limiter is not None and kis._limiter.rate == 2


def test_rate_limit_none_turns_limiting_off(make_client: Callable[..., KisClient]) -> None:
    assert make_client(rate_limit=None)._limiter is None


@pytest.mark.parametrize("bad", [0, -1, "fast", True])
def test_a_bad_rate_limit_is_a_config_error(make_client: Callable[..., KisClient], bad: object) -> None:
    with pytest.raises(KisConfigError, match="rate_limit"):
        make_client(rate_limit=bad)


def test_clients_of_one_app_key_share_one_limiter(make_client: Callable[..., KisClient]) -> None:
    first = make_client(rate_limit=7, base_url="https://shared.test")
    second = make_client(rate_limit=7, base_url="https://shared.test")
    assert first._limiter is second._limiter


def test_another_app_key_has_its_own_limiter(make_client: Callable[..., KisClient]) -> None:
    first = make_client(rate_limit=7, base_url="https://shared.test")
    other = KisClient(
        "PSotherkey", "other-secret", base_url="https://shared.test", rate_limit=7, token_cache=None
    )
    assert first._limiter is not other._limiter


async def test_a_per_tr_cap_applies_on_top_of_the_app_key_limit(
    token_ok: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    import attrs

    from kis_async.domestic_stock.ranking import CREDIT_BALANCE

    capped: Endpoint = attrs.evolve(CREDIT_BALANCE, rate_limit=50.0)  # type: ignore[type-arg]
    kis = make_client(rate_limit=100, base_url="https://kis.test")
    token_ok.get(ANY_API, payload=credit_balance_body(1), repeat=True)
    await asyncio.gather(*(kis.request(capped, ARGS) for _ in range(3)))
    (tr_limiter,) = kis._tr_limiters.values()
    assert tr_limiter.rate == 50.0 and tr_limiter.acquired == 3
    assert kis._limiter is not None and kis._limiter.acquired >= 3


async def test_a_burst_against_a_local_server_stays_within_the_limit(
    fake_kis: FakeKis, make_client: Callable[..., KisClient]
) -> None:
    """Real HTTP, real clock: the server never sees more than the rate in any second."""
    kis = make_client(base_url=fake_kis.url, rate_limit=50)
    await asyncio.gather(*(kis.domestic_stock.credit_balance(**ARGS) for _ in range(120)))
    calls = fake_kis.api_calls()
    assert len(calls) == 120
    assert busiest_second([c.at for c in calls]) <= 50


async def test_rate_limit_none_also_lifts_per_tr_caps(
    token_ok: aioresponses, make_client: Callable[..., KisClient]
) -> None:
    import attrs

    from kis_async.domestic_stock.ranking import CREDIT_BALANCE

    capped: Endpoint = attrs.evolve(CREDIT_BALANCE, rate_limit=0.1)  # type: ignore[type-arg]
    kis = make_client(rate_limit=None)
    token_ok.get(ANY_API, payload=credit_balance_body(1), repeat=True)
    await asyncio.gather(*(kis.request(capped, ARGS) for _ in range(3)))
    assert kis._tr_limiters == {}
