"""Hostile answers and careless arguments: no body can exhaust or crash a bot, and everything
raised is a KisError (a bot's ``except KisError`` is enough)."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from kis_async import (
    Corporate,
    KisClient,
    KisConfigError,
    KisDecodeError,
    KisOrderStateUnknownError,
    KisTransportError,
    KisValidationError,
)
from kis_async._record import MASK, Recorder
from tests.fakes import (
    APP_KEY,
    APP_SECRET,
    CREDIT_BALANCE_PATH,
    ORDER,
    ORDER_ARGS,
    ORDER_PATH,
    FakeKis,
    credit_balance_body,
)

ARGS = {"market": "0000", "period": 5, "sort": "0"}


def client(fake_kis: FakeKis, tmp_path: Path, **options: Any) -> KisClient:
    return KisClient(
        APP_KEY,
        APP_SECRET,
        base_url=fake_kis.url,
        account="12345678-01",
        token_cache=tmp_path / "tokens.json",
        rate_limit=None,
        min_token_interval=0.0,
        **options,
    )


def answer(raw: bytes | str, *, chunked: bool = False) -> Any:
    data = raw.encode() if isinstance(raw, str) else raw

    async def handler(request: web.Request) -> web.StreamResponse:
        if not chunked:
            return web.Response(body=data, content_type="application/json")
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(data), 4096):
            await response.write(data[start : start + 4096])
        await response.write_eof()
        return response

    return handler


def with_row_value(field: str, value: str) -> bytes:
    body = credit_balance_body(1)
    body["output2"][0][field] = value
    return json.dumps(body).encode()


# -- hostile bodies ------------------------------------------------------------------------------


async def test_a_body_nested_100000_deep_is_a_decode_error_not_a_recursion_error(
    fake_kis: FakeKis, tmp_path: Path
) -> None:
    fake_kis.routes[CREDIT_BALANCE_PATH] = answer(b"[" * 100_000 + b"]" * 100_000)
    async with client(fake_kis, tmp_path) as kis:
        with pytest.raises(KisDecodeError, match="not a KIS answer") as caught:
            await kis.domestic_stock.credit_balance(**ARGS)
    assert len(fake_kis.api_calls()) == 1  # not retried
    assert isinstance(caught.value.body, str) and len(caught.value.body) < 70_000  # kept, but cut


async def test_a_decimal_with_a_huge_exponent_is_refused_naming_the_field(
    fake_kis: FakeKis, tmp_path: Path
) -> None:
    fake_kis.routes[CREDIT_BALANCE_PATH] = answer(with_row_value("whol_loan_rmnd_rate", "1e999999999"))
    async with client(fake_kis, tmp_path) as kis:
        with pytest.raises(KisDecodeError) as caught:
            await kis.domestic_stock.credit_balance(**ARGS)
    assert caught.value.field == "output2[0].whol_loan_rmnd_rate"
    assert caught.value.value == "1e999999999"


async def test_with_strict_false_the_huge_exponent_stays_the_wire_string(
    fake_kis: FakeKis, tmp_path: Path
) -> None:
    fake_kis.routes[CREDIT_BALANCE_PATH] = answer(with_row_value("whol_loan_rmnd_rate", "1e999999999"))
    async with client(fake_kis, tmp_path, strict=False) as kis:
        ranking = await kis.domestic_stock.credit_balance(**ARGS)
    assert ranking.output2[0].whol_loan_rmnd_rate == "1e999999999"
    assert ranking.to_dict()["output2"][0]["whol_loan_rmnd_rate"] == "1e999999999"


async def test_an_integer_of_5000_digits_is_refused(fake_kis: FakeKis, tmp_path: Path) -> None:
    fake_kis.routes[CREDIT_BALANCE_PATH] = answer(with_row_value("stck_prpr", "9" * 5000))
    async with client(fake_kis, tmp_path) as kis:
        with pytest.raises(KisDecodeError) as caught:
            await kis.domestic_stock.credit_balance(**ARGS)
    assert caught.value.field == "output2[0].stck_prpr"


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_body_over_max_body_size_is_refused_while_reading(
    fake_kis: FakeKis, tmp_path: Path, chunked: bool
) -> None:
    fake_kis.routes[CREDIT_BALANCE_PATH] = answer(b" " * 50_000 + b"{}", chunked=chunked)
    async with client(fake_kis, tmp_path, max_body_size=8192) as kis:
        with pytest.raises(KisTransportError, match="over max_body_size=8192"):
            await kis.domestic_stock.credit_balance(**ARGS)
    assert len(fake_kis.api_calls()) == 1  # an answer, not a glitch: not retried


async def test_a_bots_own_session_reads_no_more_than_max_body_size(fake_kis: FakeKis, tmp_path: Path) -> None:
    fake_kis.routes[CREDIT_BALANCE_PATH] = answer(b" " * 50_000 + b"{}", chunked=True)
    async with aiohttp.ClientSession() as session:
        async with client(fake_kis, tmp_path, max_body_size=8192, session=session) as kis:
            with pytest.raises(KisTransportError, match="over max_body_size=8192"):
                await kis.domestic_stock.credit_balance(**ARGS)
        assert not session.closed


async def test_an_order_answered_with_an_oversized_body_has_an_unknown_outcome(
    fake_kis: FakeKis, tmp_path: Path
) -> None:
    fake_kis.routes[ORDER_PATH] = answer(b" " * 50_000 + b"{}")
    async with client(fake_kis, tmp_path, max_body_size=8192) as kis:
        with pytest.raises(KisOrderStateUnknownError, match="max_body_size"):
            await kis.request(ORDER, dict(ORDER_ARGS))
    assert len(fake_kis.api_calls()) == 1  # never resent


async def test_the_default_body_limit_reads_a_large_real_answer(fake_kis: FakeKis, tmp_path: Path) -> None:
    """Well above KIS's largest answers: a 30-row page is a few KB, 1000 rows pass too."""
    fake_kis.routes[CREDIT_BALANCE_PATH] = answer(json.dumps(credit_balance_body(1000)))
    async with client(fake_kis, tmp_path) as kis:
        ranking = await kis.domestic_stock.credit_balance(**ARGS)
    assert len(ranking.output2) == 1000 and kis.max_body_size == 16 * 1024 * 1024


def test_max_body_size_must_be_a_reasonable_number_of_bytes() -> None:
    for bad in (0, 100, True, "1MB", 1.5):
        with pytest.raises(KisConfigError, match="max_body_size"):
            KisClient(APP_KEY, APP_SECRET, token_cache=None, max_body_size=bad)


async def test_a_token_with_a_line_break_is_refused_not_sent(fake_kis: FakeKis, tmp_path: Path) -> None:
    async def token(request: web.Request) -> web.StreamResponse:
        return web.json_response({"access_token": "abc\r\nX-Evil: 1", "expires_in": 86400})

    fake_kis.routes["/oauth2/tokenP"] = token
    async with client(fake_kis, tmp_path) as kis:
        with pytest.raises(KisDecodeError, match="access_token is not printable ASCII") as caught:
            await kis.domestic_stock.credit_balance(**ARGS)
    assert "X-Evil" not in str(caught.value) and fake_kis.api_calls() == []


async def test_a_hash_with_a_line_break_is_refused_and_the_order_not_sent(
    fake_kis: FakeKis, tmp_path: Path
) -> None:
    async def hashkey(request: web.Request) -> web.StreamResponse:
        return web.json_response({"HASH": "abc\r\nX-Evil: 1"})

    fake_kis.routes["/uapi/hashkey"] = hashkey
    async with client(fake_kis, tmp_path, hashkey=True) as kis:
        with pytest.raises(KisDecodeError, match="without a HASH"):
            await kis.request(ORDER, dict(ORDER_ARGS))
    assert [s.path_qs for s in fake_kis.api_calls()] == ["/uapi/hashkey"]


# -- careless arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "credential", ["PSkey\r\nX-Evil: 1", "PSkey\n", "PSkey\x00", "PSkéy", " \t"], ids=repr
)
def test_a_credential_with_a_control_character_is_refused_at_construction(credential: str) -> None:
    for key, secret in ((credential, APP_SECRET), (APP_KEY, credential)):
        with pytest.raises(KisConfigError, match="position") as caught:
            KisClient(key, secret, token_cache=None)
        assert credential not in str(caught.value)  # a secret is never shown, not even a bad one


def test_a_corporate_header_with_a_line_break_is_refused_naming_the_field() -> None:
    with pytest.raises(KisConfigError, match=r"Corporate.personalseckey has a control") as caught:
        Corporate(personalseckey="secret\r\nX: 1")
    assert "secret" not in str(caught.value).replace("personalseckey", "")
    with pytest.raises(KisConfigError, match=r"Corporate.ip_addr '1.2.3.4\\n' has a control"):
        Corporate(personalseckey="k", ip_addr="1.2.3.4\n")


def test_full_width_digits_are_not_an_account() -> None:
    with pytest.raises(KisConfigError, match="8 digits"):
        KisClient(APP_KEY, APP_SECRET, token_cache=None, account="１２３４５６７８-０１")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("quantity", 10**5000, "at most 30 digits"),
        ("quantity", -5, "1..1000000000"),
        ("quantity", "１２", "an integer"),
        ("symbol", "005930\r\n", "without control characters"),
        ("symbol", "\ud800", "without control characters"),
        ("price", 10**40, "at most 30 digits"),
    ],
    ids=["10**5000", "negative", "full-width", "crlf", "surrogate", "10**40"],
)
def test_a_hostile_order_argument_is_refused_before_sending(name: str, value: Any, expected: str) -> None:
    with pytest.raises(KisValidationError, match=expected):
        ORDER.build_request({**ORDER_ARGS, name: value}, ("12345678", "01"))


async def test_full_width_digits_are_not_a_date(kis_mocked: KisClient) -> None:
    from kis_async.domestic_stock import quotations

    endpoint = quotations.INQUIRE_DAILY_ITEMCHARTPRICE
    date = next(p for p in endpoint.params if p.kind == "date")
    with pytest.raises(KisValidationError, match="YYYYMMDD"):
        date.to_wire("２０２４０１０１", endpoint.name)
    assert date.to_wire(dt.date(2024, 1, 1), endpoint.name) == "20240101"


def test_a_decimal_argument_is_sent_in_plain_form_never_with_an_exponent() -> None:
    """``Decimal("100.00").normalize()`` is ``1E+2``; KIS reads digits, so the wire is ``100``."""
    from kis_async._endpoint import Param

    price = Param("price", "OVRS_ORD_UNPR", "주문단가", kind="decimal", max_length=12)
    assert price.to_wire(Decimal("100.00").normalize(), "x") == "100"
    assert price.to_wire(Decimal("1.5E-3"), "x") == "0.0015"
    assert price.to_wire(Decimal("-0"), "x") == "0"  # never "-0"
    with pytest.raises(KisValidationError, match="at most 12 characters"):
        price.to_wire(Decimal("1E+20"), "x")
    with pytest.raises(KisValidationError):
        price.to_wire("1e5", "x")  # a string in exponent form is not a KIS number either


# -- the recording file ---------------------------------------------------------------------------


def test_a_record_file_that_existed_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "session.jsonl"
    path.write_text("")
    os.chmod(path, 0o644)
    Recorder(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_recorded_transport_error_masks_the_account_in_its_url(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "session.jsonl")
    error = OSError("Cannot connect: GET http://kis.test/uapi/x?CANO=12345678&ACNT_PRDT_CD=01")
    recorder.exchange(method="GET", path="/uapi/x", tr_id="T", fields={"CANO": "12345678"}, error=error)
    line = json.loads((tmp_path / "session.jsonl").read_text())
    assert "12345678" not in json.dumps(line)
    assert f"CANO={MASK}" in line["error"] and line["query"]["CANO"] == MASK


def test_a_body_too_deep_to_record_is_noted_not_raised(tmp_path: Path) -> None:
    deep: Any = "x"
    for _ in range(5000):
        deep = [deep]
    recorder = Recorder(tmp_path / "session.jsonl")
    recorder.exchange(method="GET", path="/uapi/x", tr_id="T", fields={}, status=200, response=deep)
    line = json.loads((tmp_path / "session.jsonl").read_text())
    assert line["response"] == "<nested too deep to record>"


CONSTRUCTOR_OPTIONS = [
    "env", "base_url", "ws_url", "account", "custtype", "corporate", "token_cache", "timeout",
    "rate_limit", "max_retries", "strict", "min_token_interval", "hashkey", "record", "redis_url",
    "fleet", "max_body_size",
]  # fmt: skip
HOSTILE_OPTIONS: list[Any] = [
    0,
    -1,
    10**5000,
    float("nan"),
    " ",
    "\r\n",
    "\ud800",
    b"x",
    [],
    {},
    object(),
    1.5,
    "ftp://x",
]


@pytest.mark.parametrize("option", CONSTRUCTOR_OPTIONS)
def test_every_constructor_option_refuses_a_hostile_value_with_a_config_error(
    option: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bot's ``except KisError`` around its setup is enough, whatever a config file held."""
    monkeypatch.chdir(tmp_path)  # a path option must not create files where the test runs
    for value in HOSTILE_OPTIONS:
        try:
            client = KisClient(APP_KEY, APP_SECRET, **{"token_cache": None, option: value})
        except KisConfigError as exc:
            assert option.split("_")[0] in str(exc) or "account" in str(exc), (option, str(exc))
            continue
        # what is accepted is a sane setting: a number in range, or a path that is a path
        sane = option in ("max_retries", "min_token_interval", "rate_limit", "max_body_size") or (
            option in ("token_cache", "record") and value == "ftp://x"  # a folder "ftp:", a file "x"
        )
        assert sane, (option, type(value))
        assert not (isinstance(value, float) and value != value)  # NaN is never a setting
        del client
    # never a file named " " or "\r\n" next to the bot
    assert all(p.name.strip() and p.name.isprintable() for p in tmp_path.iterdir())
