"""`kis-async` from a user's shell: list, describe, call, config file, and one-line errors."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from aioresponses import aioresponses

from kis_async._cli import main
from kis_async._cli._args import CliUsageError, endpoint_parser
from kis_async._cli._commands import run_call
from kis_async._cli._render import Table, plain_table, print_tables, width
from kis_async._cli._settings import Settings, load_settings
from kis_async._registry import ENDPOINTS
from kis_async.domestic_stock.ranking import CREDIT_BALANCE
from tests.paths import ROOT

BASE = "https://openapi.koreainvestment.com:9443"
RANKING = re.compile(re.escape(BASE + "/uapi/domestic-stock/v1/ranking/credit-balance") + r".*")
APP_SECRET = "cli-test-secret-5f1e9a"
TOKEN = "cli-test-token-77c2b0"

RANKING_BODY: dict[str, Any] = {
    "rt_cd": "0",
    "msg_cd": "MCA00000",
    "msg1": "정상처리 되었습니다.                    ",
    "output1": [
        {"bstp_cls_code": "0000", "hts_kor_isnm": "전체", "stnd_date1": "20261120", "stnd_date2": "20261113"}
    ],
    "output2": [
        {
            "mksc_shrn_iscd": "005930",
            "hts_kor_isnm": "삼성전자",
            "stck_prpr": "71200",
            "prdy_vrss": "-300",
            "prdy_vrss_sign": "5",
            "prdy_ctrt": "-0.42",
            "acml_vol": "12000345",
            "whol_loan_rmnd_stcn": "1500000",
            "whol_loan_rmnd_amt": "10680",
            "whol_loan_rmnd_rate": "8.50",
            "whol_stln_rmnd_stcn": "0",
            "whol_stln_rmnd_amt": "0",
            "whol_stln_rmnd_rate": "0.00",
            "nday_vrss_loan_rmnd_inrt": "1.44",
            "nday_vrss_stln_rmnd_inrt": "0.00",
        },
        {
            "mksc_shrn_iscd": "000660",
            "hts_kor_isnm": "SK하이닉스",
            "stck_prpr": "183000",
            "prdy_vrss": "2000",
            "prdy_vrss_sign": "2",
            "prdy_ctrt": "1.10",
            "acml_vol": "3000000",
            "whol_loan_rmnd_stcn": "700000",
            "whol_loan_rmnd_amt": "12810",
            "whol_loan_rmnd_rate": "7.25",
            "whol_stln_rmnd_stcn": "0",
            "whol_stln_rmnd_amt": "0",
            "whol_stln_rmnd_rate": "0.00",
            "nday_vrss_loan_rmnd_inrt": "-0.23",
            "nday_vrss_stln_rmnd_inrt": "0.00",
        },
    ],
}

CALL = ["call", "domestic_stock.credit_balance", "--market", "0000", "--period", "5", "--sort", "0"]


@pytest.fixture(autouse=True)
def user_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A user with credentials in the environment and private config/cache folders."""
    for name in list(os.environ):
        if name.startswith("KIS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("KIS_APP_KEY", "PScliTestAppKey")
    monkeypatch.setenv("KIS_APP_SECRET", APP_SECRET)
    return tmp_path


@pytest.fixture
def mocked_ranking(mocked: aioresponses) -> aioresponses:
    """Mocked KIS (``mocked``) answering the token and the credit-balance ranking."""
    mocked.post(
        BASE + "/oauth2/tokenP",
        payload={"access_token": TOKEN, "token_type": "Bearer", "expires_in": 86400},
        repeat=True,
    )
    mocked.get(RANKING, payload=RANKING_BODY, repeat=True)
    return mocked


def sent_params(mocked: Any) -> dict[str, str]:
    calls = [c for (method, url), cs in mocked.requests.items() if method == "GET" for c in cs]
    assert calls, "no request reached KIS"
    return {k: str(v) for k, v in calls[-1].kwargs["params"].items()}


def write_config(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


# -- list and describe --------------------------------------------------------------------------


def test_list_shows_each_endpoint_with_its_korean_name_and_tr_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "domestic_stock.credit_balance" in line)
    assert "국내주식 신용잔고 상위" in line
    assert "FHKST17010000" in line


def test_list_keeps_rows_narrow_when_an_endpoint_has_many_tr_ids(capsys: pytest.CaptureFixture[str]) -> None:
    """overseas_stock.order has 12 TR IDs per environment (18 side/exchange pairs): listing them all made every row of
    `kis-async list` some 800 characters wide. The list shows the first and the count; describe
    and --help show them all, and filtering still finds any of them."""
    assert main(["list", "TTTS0310U"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "overseas_stock.order " in line)
    assert "(12 TR IDs)" in line and "TTTS0310U" not in line
    assert len(line) < 200


def test_list_filters_by_korean_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "신용잔고"]) == 0
    assert "domestic_stock.credit_balance" in capsys.readouterr().out


def _listed(capsys: pytest.CaptureFixture[str]) -> set[str]:
    return {line.split()[0] for line in capsys.readouterr().out.splitlines()[3:] if line.strip()}


def test_list_finds_charts_by_the_word_a_bot_author_uses(capsys: pytest.CaptureFixture[str]) -> None:
    """KIS titles say 기간별시세 and 분봉, never 차트: `kis-async list 차트` found nothing."""
    assert main(["list", "차트"]) == 0
    found = _listed(capsys)
    assert {
        "domestic_stock.inquire_daily_itemchartprice",  # 국내주식기간별시세(일/주/월/년)
        "domestic_stock.inquire_time_itemchartprice",  # 주식당일분봉조회
        "overseas_price.dailyprice",  # 해외주식 기간별시세
    } <= found
    assert "domestic_stock.inquire_period_profit" not in found  # 기간별손익: a period, not a chart


def test_list_needs_every_word_and_ignores_the_titles_spaces(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "해외 분봉"]) == 0
    found = _listed(capsys)
    assert "overseas_price.inquire_time_itemchartprice" in found
    assert not any(name.startswith("domestic_") for name in found)
    assert main(["list", "신용 잔고 상위"]) == 0
    assert "domestic_stock.credit_balance" in _listed(capsys)


def test_describe_wraps_a_long_list_of_codes(capsys: pytest.CaptureFixture[str]) -> None:
    """ORD_DVSN has 31 codes: on one line they made the arguments table 600 characters wide."""
    assert main(["describe", "domestic_stock.inquire_psbl_order"]) == 0
    out = capsys.readouterr().out
    arguments = out[out.index("arguments") : out.index("\n\n", out.index("arguments"))]
    assert max(width(line) for line in arguments.splitlines()) < 160
    assert "00 LIMIT" in arguments and "79 AFTER_HOURS_BLOCK_OWN_SHARES" in arguments


def test_a_plain_table_gives_a_multi_line_cell_its_lines() -> None:
    table = Table(title="", headers=["a", "b"], rows=[["x", "1,\n2"], ["y", "3"]])
    assert plain_table(table).splitlines() == ["a  b", "-  --", "x  1,", "   2", "y  3"]


def test_describe_shows_response_fields_with_korean_names_and_types(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["describe", "domestic_stock.credit_balance"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("whol_loan_rmnd_rate"))
    assert "전체 융자 잔고 비율" in row
    assert row.split()[-1] == "Decimal"


def test_describe_lists_enum_codes_with_their_meaning(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", "credit-balance"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^0\s+LOAN_RATE\s+\(융자\) 잔고비율 상위$", out, re.MULTILINE)


def test_describe_and_call_help_say_what_paper_accepts(capsys: pytest.CaptureFixture[str]) -> None:
    from kis_async.domestic_stock.trading import ORDER_CASH

    assert main(["describe", "domestic_stock.order_cash"]) == 0
    out = capsys.readouterr().out
    arguments = out[out.index("arguments") : out.index("\n\n", out.index("arguments"))]
    assert "모의투자: 'KRX' (KRX) only" in arguments
    assert "모의투자: 'KRX' (KRX) only" in " ".join(endpoint_parser(ORDER_CASH).format_help().split())


def test_call_help_lists_the_endpoint_arguments_and_their_codes() -> None:
    text = endpoint_parser(CREDIT_BALANCE).format_help()
    assert "--market" in text and "--period" in text and "--sort" in text
    assert "1001 KOSDAQ" in text


# -- call ------------------------------------------------------------------------------------------


def test_call_prints_the_ranking_as_a_table(
    mocked_ranking: aioresponses, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(CALL) == 0
    out = capsys.readouterr().out
    samsung = next(line for line in out.splitlines() if "005930" in line)
    assert "삼성전자" in samsung and "71,200" in samsung and "8.50" in samsung and "FALL" in samsung
    assert "정상처리 되었습니다." in out


def test_call_accepts_enum_member_names_and_sends_their_codes(mocked_ranking: aioresponses) -> None:
    assert main([*CALL[:2], "--market", "kosdaq", "--period", "5", "--sort", "LOAN_RATE"]) == 0
    params = sent_params(mocked_ranking)
    assert params["FID_INPUT_ISCD"] == "1001"
    assert params["FID_RANK_SORT_CLS_CODE"] == "0"


def test_call_json_prints_the_body_as_kis_sent_it(
    mocked_ranking: aioresponses, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*CALL, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == RANKING_BODY


def test_call_csv_prints_the_main_list_output(
    mocked_ranking: aioresponses, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*CALL, "--csv", "--fields", "mksc_shrn_iscd,stck_prpr,prdy_vrss_sign"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "mksc_shrn_iscd,stck_prpr,prdy_vrss_sign",
        "005930,71200,5",
        "000660,183000,2",
    ]


def test_call_global_options_may_follow_the_command(
    mocked_ranking: aioresponses, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*CALL, "--env", "real", "--fields", "hts_kor_isnm"]) == 0
    assert "SK하이닉스" in capsys.readouterr().out


def test_call_with_an_unknown_field_names_the_known_ones(
    mocked_ranking: aioresponses, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*CALL, "--fields", "price"]) == 2
    err = capsys.readouterr().err
    assert "no field 'price'" in err and "stck_prpr" in err


def test_a_typo_in_fields_is_reported_before_anything_is_sent(mocked_ranking: aioresponses) -> None:
    """An order must not be sent and then reported as a failure because a column name was wrong."""
    assert main([*CALL, "--fields", "price"]) == 2
    assert main([*CALL, "--output", "output9"]) == 2
    assert not [c for (method, _), c in mocked_ranking.requests.items() if method == "GET"]


# -- errors: one line, non-zero exit, no traceback -------------------------------------------------


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    assert err.startswith("kis-async: error: ")
    return err


def test_an_argument_out_of_range_is_one_line_and_exit_2(
    mocked_ranking: aioresponses, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*CALL[:5], "1", *CALL[6:]]) == 2
    err = one_line_error(capsys)
    assert "period" in err and "2..999" in err
    assert not [c for (method, _), c in mocked_ranking.requests.items() if method == "GET"]


def test_an_unknown_enum_value_lists_the_allowed_codes(
    mocked_ranking: aioresponses, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*CALL[:3], "9999", *CALL[4:]]) == 2
    assert "'0001' (KOSPI)" in one_line_error(capsys)


def test_a_kis_error_is_one_line_with_its_code_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    with aioresponses() as mocked:
        mocked.post(BASE + "/oauth2/tokenP", payload={"access_token": TOKEN, "expires_in": 86400})
        mocked.get(RANKING, payload={"rt_cd": "1", "msg_cd": "OPSQ0002", "msg1": "없는 서비스 코드 입니다"})
        assert main(CALL) == 1
    err = one_line_error(capsys)
    assert "OPSQ0002" in err and "없는 서비스 코드 입니다" in err


def test_an_unknown_endpoint_suggests_the_closest_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["call", "domestic_stock.credit_balanc"]) == 2
    assert "did you mean domestic_stock.credit_balance" in one_line_error(capsys)


def test_an_unknown_endpoint_in_a_category_suggests_by_method_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["describe", "domestic_stock.inquire_prise"]) == 2
    err = one_line_error(capsys)
    assert "did you mean domestic_stock.inquire_price" in err
    assert "domestic_stock.purreq" not in err  # the shared category prefix alone is no likeness


def test_an_option_prefix_is_not_taken_for_a_longer_option(capsys: pytest.CaptureFixture[str]) -> None:
    """`--market` is not silently `--market_division` (argparse called it ambiguous between the
    two spellings of that one option); the error suggests the full name."""
    argv = ["call", "domestic_futureoption.inquire_price", "--market", "F", "--symbol", "101S12"]
    assert main(argv) == 2
    err = one_line_error(capsys)
    assert "unrecognized arguments: --market F" in err and "did you mean --market-division" in err


def test_an_unknown_command_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lst"]) == 2
    assert "invalid choice: 'lst'" in one_line_error(capsys)


def test_missing_credentials_say_where_to_put_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KIS_APP_SECRET")
    assert main(CALL) == 1
    err = one_line_error(capsys)
    assert "KIS_APP_SECRET" in err and "config.toml" in err


def test_an_order_outside_the_sandbox_needs_yes() -> None:
    order = attrs.evolve(CREDIT_BALANCE, retry_safe=False)
    options = endpoint_parser(order).parse_args(["--market", "0000", "--period", "5", "--sort", "0"])
    settings = Settings(env="real", app_key="k", app_secret="s")
    with pytest.raises(CliUsageError, match="sends an order to the real environment; add --yes"):
        import asyncio

        asyncio.run(run_call(order, options, settings, io.StringIO()))


# -- configuration -----------------------------------------------------------------------------------


def test_the_config_file_supplies_credentials_for_the_chosen_environment(
    user_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KIS_APP_KEY")
    monkeypatch.delenv("KIS_APP_SECRET")
    write_config(
        user_env / "config" / "kis-async" / "config.toml",
        'env = "paper"\naccount = "12345678-01"\n[paper]\napp_key = "PSpaper"\napp_secret = "paper-secret"\n'
        '[real]\napp_key = "PSreal"\napp_secret = "real-secret"\n',
    )
    settings = load_settings()
    assert (settings.env, settings.app_key, settings.account) == ("paper", "PSpaper", "12345678-01")
    assert load_settings("real").app_key == "PSreal"


def test_environment_variables_win_over_the_config_file(user_env: Path) -> None:
    write_config(user_env / "config" / "kis-async" / "config.toml", 'app_key = "from-file"\n')
    assert load_settings().app_key == "PScliTestAppKey"


def test_a_config_file_readable_by_others_is_refused(
    user_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(user_env / "config" / "kis-async" / "config.toml", 'app_key = "k"\n', mode=0o644)
    assert main(CALL) == 1
    err = one_line_error(capsys)
    assert "mode 0644" in err and f"chmod 600 {path}" in err


def test_a_fifo_as_the_config_file_is_refused_instead_of_blocking(
    user_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = user_env / "config" / "kis-async" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path, 0o600)  # reading it would wait for a writer forever
    assert main(["config"]) == 1
    assert f"{path} is not a regular file" in one_line_error(capsys)


def test_a_typo_in_the_config_file_names_the_key(user_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_config(user_env / "config" / "kis-async" / "config.toml", 'app_secrte = "x"\n')
    assert main(CALL) == 1
    assert "unknown setting 'app_secrte'" in one_line_error(capsys)


def test_a_non_string_secret_is_not_echoed(user_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_config(user_env / "config" / "kis-async" / "config.toml", "app_secret = 987654321\n")
    assert main(CALL) == 1
    err = one_line_error(capsys)
    assert "app_secret must be a quoted string" in err and "987654321" not in err


def test_settings_never_show_the_secret() -> None:
    assert APP_SECRET not in repr(Settings(env="real", app_key="k", app_secret=APP_SECRET))


# -- tables ---------------------------------------------------------------------------------------------


def test_plain_tables_align_korean_text_by_display_width() -> None:
    table = Table(
        title="", headers=["name", "n"], rows=[["삼성전자", "1"], ["SK", "22"]], right=[False, True]
    )
    _header, rule, samsung, sk = plain_table(table).splitlines()
    assert width(samsung) == width(sk) == width(rule) == len("삼성전자") * 2 + 2 + 2


def test_rich_tables_keep_korean_headers() -> None:
    pytest.importorskip("rich")
    out = io.StringIO()
    print_tables(
        out, [Table(title="t", headers=["stck_prpr"], subheaders=["주식 현재가"], rows=[["1"]])], fancy=True
    )
    assert "주식 현재가" in out.getvalue() and "stck_prpr" in out.getvalue()


# -- the sandbox and python -m -----------------------------------------------------------------------------


def test_call_against_the_sandbox_needs_no_credentials(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("kis_async.sandbox", reason="the sandbox is not merged yet")
    monkeypatch.delenv("KIS_APP_KEY")
    monkeypatch.delenv("KIS_APP_SECRET")
    assert main(["--env", "sandbox", *CALL, "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("mksc_shrn_iscd,hts_kor_isnm,stck_prpr")
    assert len(lines) > 1


def test_python_dash_m_kis_async_is_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kis_async", "list", "credit"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "domestic_stock.credit_balance" in result.stdout


def test_kis_async_sandbox_passes_its_options_to_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("kis_async.sandbox", reason="the sandbox is not merged yet")
    with pytest.raises(SystemExit) as stopped:
        main(["sandbox", "--help"])
    assert stopped.value.code == 0
    assert "--port" in capsys.readouterr().out


def test_kis_async_sandbox_hands_every_option_to_the_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[list[str]] = []
    monkeypatch.setattr("kis_async._cli._commands.run_sandbox", lambda argv: received.append(list(argv)) or 0)
    assert main(["--debug", "sandbox", "--port", "8080", "--seed", "3"]) == 0
    assert received == [["--port", "8080", "--seed", "3"]]


@pytest.mark.parametrize("name", sorted(n for _, _, n in ENDPOINTS))
def test_every_endpoint_can_be_described_and_has_call_help(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["describe", name]) == 0
    with pytest.raises(SystemExit) as stopped:
        main(["call", name, "--help"])
    assert stopped.value.code == 0
    assert f"kis-async call {name}" in capsys.readouterr().out


def test_config_shows_where_each_setting_comes_from_without_the_secret(
    user_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KIS_APP_SECRET")
    write_config(
        user_env / "config" / "kis-async" / "config.toml",
        'env = "paper"\n[paper]\napp_secret = "paper-secret-9"\naccount = "12345678-01"\n',
    )
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert rows["env"].split()[1] == "paper" and rows["env"].endswith("config.toml")
    assert rows["app_key"].split()[1] == "PScl…" and rows["app_key"].endswith("KIS_APP_KEY")
    assert "set (hidden)" in rows["app_secret"] and rows["app_secret"].endswith("[paper]")
    assert "paper-secret-9" not in out


# -- watch -------------------------------------------------------------------------------------------


def test_watch_takes_the_environment_and_credentials_of_the_config_file(
    user_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kis-async --env paper watch ...` used KisClient.from_env(): real, and no config file."""
    import argparse

    from kis_async._cli.watch import _client_kwargs

    monkeypatch.delenv("KIS_APP_KEY")
    monkeypatch.delenv("KIS_APP_SECRET")
    write_config(
        user_env / "config" / "kis-async" / "config.toml",
        '[paper]\napp_key = "PSpaper"\napp_secret = "paper-secret"\n',
    )
    kwargs = _client_kwargs(argparse.Namespace(env="paper", config=None))
    assert (kwargs["env"], kwargs["app_key"], kwargs["app_secret"]) == ("paper", "PSpaper", "paper-secret")


def test_watch_without_credentials_says_where_to_put_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KIS_APP_SECRET")
    assert main(["watch", "domestic_stock.trade_krx", "005930", "--count", "1"]) == 1
    err = one_line_error(capsys)
    assert "KIS_APP_SECRET" in err and "config.toml" in err


@pytest.mark.parametrize("pages", ["0", "-1", "two"])
def test_max_pages_below_one_is_a_usage_error(pages: str, capsys: pytest.CaptureFixture[str]) -> None:
    """0 printed one page as if the option were absent; -1 was a ValueError traceback."""
    assert main(["call", "domestic_stock.inquire_balance", "--max-pages", pages]) == 2
    assert "at least 1" in one_line_error(capsys)


def test_a_lenient_call_prints_every_row_kis_sent_for_an_object_output(
    mocked_ranking: aioresponses, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIS_ACCOUNT", "12345678-01")
    rows = [{"ord_psbl_cash": "1000", "nrcvb_buy_qty": "1"}, {"ord_psbl_cash": "2000", "nrcvb_buy_qty": "2"}]
    body = {"rt_cd": "0", "msg_cd": "MCA00000", "msg1": "정상처리 되었습니다.", "output": rows}
    mocked_ranking.get(
        re.compile("^" + re.escape(BASE + "/uapi/domestic-stock/v1/trading/inquire-psbl-order") + ".*$"),
        payload=body,
    )
    args = ["call", "domestic_stock.inquire_psbl_order", "--symbol", "005930", "--price", "70000"]
    assert main([*args, "--order-type", "00", "--lenient", "--fields", "ord_psbl_cash,nrcvb_buy_qty"]) == 0
    out = capsys.readouterr().out
    assert "(2 rows)" in out
    assert "1,000" in out and "2,000" in out
