"""Turning the fleet on: ``redis_url`` (or ``KIS_REDIS_URL``) and ``FleetConfig``; clear errors."""

from __future__ import annotations

import sys

import pytest

from kis_async import FleetConfig, KisClient, KisConfigError
from kis_async._fleet import FleetLimiter, RedisTokenCache, describe_url
from kis_async._ratelimit import RateLimiter


def test_without_redis_url_nothing_changes() -> None:
    kis = KisClient("app-key", "secret", token_cache=None)
    assert kis.fleet is None and isinstance(kis._limiter, RateLimiter)


def test_with_redis_url_the_limit_and_token_go_through_redis() -> None:
    kis = KisClient("app-key", "secret", token_cache=None, redis_url="redis://127.0.0.1:1/0")
    assert kis.fleet is not None
    assert isinstance(kis._limiter, FleetLimiter) and kis._limiter.rate == 20
    assert isinstance(kis._token_cache, RedisTokenCache) and kis._token_cache.local is None


def test_from_env_reads_kis_redis_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIS_APP_KEY", "app-key")
    monkeypatch.setenv("KIS_APP_SECRET", "secret")
    monkeypatch.setenv("KIS_REDIS_URL", "redis://cache.internal:6380/2")
    kis = KisClient.from_env(token_cache=None)
    assert kis.fleet is not None and kis.fleet.health.where == "cache.internal:6380/2"


def test_a_url_that_is_not_redis_is_refused() -> None:
    with pytest.raises(KisConfigError, match="redis_url must look like 'redis://host:6379/0'"):
        KisClient("app-key", "secret", redis_url="http://127.0.0.1:6379")


def test_a_url_with_a_wrong_scheme_does_not_echo_its_password() -> None:
    with pytest.raises(KisConfigError, match="got a URL with scheme 'http'") as caught:
        KisClient("app-key", "secret", redis_url="http://:hunter2@cache.internal:6379/0")
    assert "hunter2" not in str(caught.value)


def test_an_hts_id_never_reaches_redis_only_a_digest_of_it() -> None:
    """Execution-notice registrations are keyed by the HTS id; the fleet stores a digest."""
    from kis_async._fleet import RealtimeBudget

    kis = KisClient("app-key", "secret", redis_url="redis://127.0.0.1:1/0", token_cache=None)
    assert kis.fleet is not None
    budget = RealtimeBudget(kis.fleet, "key", cap=41)
    member = budget._member("H0STCNI0", "my-hts-id")
    assert "my-hts-id" not in member and member.startswith(f"{budget.session}|H0STCNI0|")
    assert member == budget._member("H0STCNI0", "my-hts-id") != budget._member("H0STCNI0", "other-id")


def test_fleet_settings_without_redis_url_are_refused() -> None:
    with pytest.raises(KisConfigError, match="needs redis_url"):
        KisClient("app-key", "secret", fleet=FleetConfig(expected_processes=3))


def test_without_the_redis_client_installed_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(KisConfigError, match=r"pip install 'kis-async\[redis\]'"):
        KisClient("app-key", "secret", redis_url="redis://127.0.0.1:6379/0")


@pytest.mark.parametrize(
    ("field", "value"),
    [("expected_processes", 0), ("expected_processes", 1.5), ("timeout", 0), ("retry_interval", -1)],
)
def test_fleet_config_names_a_bad_setting(field: str, value: object) -> None:
    with pytest.raises(KisConfigError, match=f"FleetConfig.{field}"):
        FleetConfig(**{field: value})  # type: ignore[arg-type]


def test_a_password_in_the_url_never_shows_in_logs() -> None:
    assert describe_url("redis://:hunter2@10.0.0.5:6379/1") == "10.0.0.5:6379/1"
    kis = KisClient("app-key", "secret", token_cache=None, redis_url="redis://:hunter2@10.0.0.5:6379/1")
    assert "hunter2" not in repr(kis.fleet) and "hunter2" not in repr(kis._token_cache)
