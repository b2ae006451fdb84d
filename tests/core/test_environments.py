"""One vocabulary of environments: ``KisClient(env=...)``, ``KIS_ENV``, the config file's ``env`` and
``--env`` take ``real``, ``paper`` and ``sandbox`` with one meaning each, and an env that does not
match the server is refused (or, when only KIS can tell, its error carries a hint)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kis_async import KisAuthError, KisClient, KisConfigError
from kis_async._cli._settings import ENVIRONMENTS as CLI_ENVIRONMENTS
from kis_async._cli._settings import load_settings
from kis_async._config import ENVIRONMENTS
from kis_async._errors import KisApiError, api_error

SANDBOX_URL = "http://127.0.0.1:18080"


def test_the_cli_and_the_client_share_one_list_of_environments() -> None:
    assert tuple(ENVIRONMENTS) == CLI_ENVIRONMENTS == ("real", "paper", "sandbox")


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("KIS_APP_KEY", "KIS_APP_SECRET", "KIS_ENV", "KIS_BASE_URL", "KIS_WS_URL", "KIS_ACCOUNT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KIS_TOKEN_CACHE", "/nonexistent/kis-tokens.json")
    return monkeypatch


async def test_kis_env_sandbox_talks_to_the_sandbox_at_kis_base_url(environ: pytest.MonkeyPatch) -> None:
    environ.setenv("KIS_ENV", "sandbox")
    environ.setenv("KIS_BASE_URL", SANDBOX_URL)
    async with KisClient.from_env(token_cache=None) as kis:
        assert (kis.env, kis.base_url, kis.ws_url) == ("real", SANDBOX_URL, "ws://127.0.0.1:18080")


def test_kis_env_sandbox_without_a_url_says_how_to_get_one(environ: pytest.MonkeyPatch) -> None:
    environ.setenv("KIS_ENV", "sandbox")
    with pytest.raises(KisConfigError, match=r"set KIS_BASE_URL .*`kis-async sandbox` prints it"):
        KisClient.from_env()


def test_an_unknown_env_names_the_three_values(environ: pytest.MonkeyPatch) -> None:
    environ.setenv("KIS_ENV", "demo")
    environ.setenv("KIS_APP_KEY", "PSkey")
    environ.setenv("KIS_APP_SECRET", "secret")
    with pytest.raises(KisConfigError, match=r"must be one of real \| paper \| sandbox, got 'demo'"):
        KisClient.from_env()


@pytest.mark.parametrize(
    ("env", "url", "expected"),
    [
        ("real", "https://openapivts.koreainvestment.com:29443", "set KIS_ENV=paper"),
        ("paper", "https://openapi.koreainvestment.com:9443", "set KIS_ENV=real"),
        (
            "sandbox",
            "https://openapi.koreainvestment.com:9443",
            "set KIS_ENV=real, or point KIS_BASE_URL at the sandbox",
        ),
    ],
)
def test_an_env_that_does_not_match_kiss_domain_is_refused_with_a_hint(
    env: str, url: str, expected: str
) -> None:
    with pytest.raises(KisConfigError, match=expected):
        KisClient("PSkey", "secret", env=env, base_url=url, token_cache=None)  # type: ignore[arg-type]


def test_the_config_file_and_kis_env_take_the_same_values(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('env = "sandbox"\n', encoding="utf-8")
    config.chmod(0o600)
    assert load_settings(config=config, environ={}).env == "sandbox"
    assert load_settings(config=config, environ={"KIS_ENV": "paper"}).env == "paper"
    with pytest.raises(
        KisConfigError, match=r"KIS_ENV\) must be one of real \| paper \| sandbox, got 'mock'"
    ):
        load_settings(config=config, environ={"KIS_ENV": "mock"})


def test_the_cli_with_env_sandbox_and_a_url_talks_to_that_sandbox(tmp_path: Path) -> None:
    chosen = load_settings(
        env="sandbox", environ={"KIS_BASE_URL": SANDBOX_URL, "XDG_CONFIG_HOME": str(tmp_path)}
    )
    kwargs = chosen.client_kwargs()
    assert (kwargs["env"], kwargs["base_url"]) == ("sandbox", SANDBOX_URL)


def test_a_real_tr_refused_by_a_paper_server_says_the_env_does_not_match() -> None:
    body = {"rt_cd": "1", "msg_cd": "OPSQ0002", "msg1": "모의투자 TR 이 아닙니다."}
    error = api_error(
        body,
        tr_id="TTTC8434R",
        status=500,
        endpoint="domestic_stock.inquire_balance",
        env="real",
        base_url="https://kis.example",
    )
    assert isinstance(error, KisApiError)
    assert "hint: https://kis.example is a 모의투자 (paper) server but this client is env='real'" in str(
        error
    )


def test_a_refused_app_key_reminds_that_keys_belong_to_one_environment() -> None:
    body = {"rt_cd": "1", "msg_cd": "EGW00103", "msg1": "유효하지 않은 AppKey입니다."}
    error = api_error(
        body,
        tr_id="FHKST01010100",
        status=500,
        endpoint="domestic_stock.inquire_price",
        env="paper",
        base_url="https://x",
    )
    assert isinstance(error, KisAuthError)
    assert (
        "an app key works only in the environment it was issued for, and this client is env='paper'"
        in str(error)
    )
