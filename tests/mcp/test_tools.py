"""An agent finds, describes and calls KIS endpoints through ``kis-async mcp`` on the sandbox."""

from __future__ import annotations

import json
import logging

import jsonschema
import pytest

from benchmarks.mcp import json_arguments
from kis_async._mcp import _catalog
from tests.mcp.conftest import SANDBOX_SECRET, agent, call, ok


async def test_the_agent_lists_tools_whose_schemas_are_valid_json_schema() -> None:
    async with agent() as (client, _):
        tools = (await client.list_tools()).tools

    names = [t.name for t in tools]
    assert names == [
        "search_endpoints",
        "describe_endpoint",
        "call_endpoint",
        "more_rows",
        "quote",
        "daily_history",
        "balance",
        "open_orders",
    ]
    for tool in tools:
        jsonschema.Draft202012Validator.check_schema(tool.input_schema)
        assert tool.input_schema["type"] == "object"
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
    quote = next(t for t in tools if t.name == "quote")
    assert quote.input_schema["required"] == ["symbol"]
    assert quote.input_schema["properties"]["symbol"]["type"] == "string"


def test_an_agent_reading_an_argument_learns_what_paper_accepts() -> None:
    from kis_async.overseas_stock.trading import INQUIRE_CCNL

    params = {p.name: p for p in INQUIRE_CCNL.params if p.name}
    assert _catalog.param_schema(params["side"])["description"].endswith("모의투자: '00' (ALL) only")
    assert "모의투자" not in _catalog.param_schema(params["side"], brief=True)["description"]


def test_english_words_find_korean_titled_endpoints() -> None:
    def first(query: str) -> str:
        return _catalog.search(query, limit=1)[0][0]

    assert first("current price") == "domestic_stock.inquire_price"  # 주식현재가 시세
    assert first("minute chart") == "domestic_stock.inquire_time_itemchartprice"  # 주식당일분봉조회
    assert first("futures balance") == "domestic_futureoption.inquire_balance"  # 선물옵션 잔고현황
    assert first("신용 잔고") == "domestic_stock.credit_balance"  # spaces do not matter in Korean


async def test_the_order_tools_have_valid_schemas_and_the_right_hints() -> None:
    async with agent(allow_orders=True) as (client, _):
        tools = {t.name: t for t in (await client.list_tools()).tools}

    for tool in tools.values():
        jsonschema.Draft202012Validator.check_schema(tool.input_schema)
    preview, place = tools["preview_order"], tools["place_order"]
    assert preview.input_schema["properties"]["action"]["enum"] == ["buy", "sell", "amend", "cancel"]
    assert preview.input_schema["properties"]["symbol"]["pattern"] == "^Q?[0-9A-Z]{6}$"
    assert "00" in preview.input_schema["properties"]["order_type"]["enum"]
    assert preview.annotations is not None and preview.annotations.read_only_hint is True
    assert place.annotations is not None
    assert (place.annotations.read_only_hint, place.annotations.destructive_hint) == (False, True)
    assert "Budget: 5 orders, 1,000,000 won in total" in preview.description


def test_every_endpoint_has_a_valid_argument_schema_from_its_descriptor() -> None:
    for endpoint in _catalog.load_all():
        schema = _catalog.describe(endpoint)["arguments"]
        jsonschema.Draft202012Validator.check_schema(schema)
        assert set(schema["properties"]) == {p.name for p in _catalog.arguments(endpoint)}, endpoint.name


def test_what_a_schema_accepts_the_sdk_accepts_for_every_endpoint() -> None:
    """Values an agent writes from the schema (codes, ISO dates, decimals as text) pass the SDK's
    own checks, so the schema and the SDK never disagree about a valid call."""
    for endpoint in _catalog.load_all():
        given = json_arguments(endpoint)
        jsonschema.validate(given, _catalog.describe(endpoint)["arguments"])
        endpoint.build_request(_catalog.coerce_arguments(endpoint, given), ("12345678", "01"))


def test_an_enum_argument_offers_its_codes_with_names_and_korean_labels() -> None:
    schema = _catalog.describe(_catalog.load("domestic_stock.credit_balance"))["arguments"]

    market = schema["properties"]["market"]
    assert market["enum"] == ["0000", "0001", "1001", "2001"]
    assert "1001 KOSDAQ 코스닥" in market["description"]
    assert schema["properties"]["period"] == {
        "type": "integer",
        "minimum": 2,
        "maximum": 999,
        "description": "증가율기간 (FID_OPTION). 증가율 기간(일), 2~999",
    }
    assert schema["required"] == ["market", "period", "sort"]


async def test_the_agent_finds_the_credit_balance_ranking_by_its_korean_name() -> None:
    async with agent() as (client, _):
        found = await ok(client, "search_endpoints", {"query": "신용잔고"})
        english = await ok(client, "search_endpoints", {"query": "credit balance ranking", "limit": 3})
        by_tr = await ok(client, "search_endpoints", {"query": "FHKST17010000"})

    assert found["endpoints"][0]["name"] == "domestic_stock.credit_balance"
    assert found["endpoints"][0]["title"] == "국내주식 신용잔고 상위"
    assert "domestic_stock.daily_credit_balance" in [e["name"] for e in found["endpoints"]]
    assert english["endpoints"][0]["name"] == "domestic_stock.credit_balance"
    assert [e["name"] for e in by_tr["endpoints"]] == ["domestic_stock.credit_balance"]


async def test_the_agent_describes_an_endpoint_with_korean_field_names() -> None:
    async with agent() as (client, _):
        described = await ok(client, "describe_endpoint", {"name": "credit_balance"})

    assert described["name"] == "domestic_stock.credit_balance"
    assert described["tr_id"] == "real FHKST17010000 / paper unsupported"
    assert described["summary"].startswith("국내주식 신용잔고 상위.")
    rows = next(o for o in described["outputs"] if o["key"] == "output2")
    assert {"name": "stck_prpr", "korean": "주식 현재가 (원)", "type": "int"} in rows["fields"]
    sign = next(f for f in rows["fields"] if f["name"] == "prdy_vrss_sign")
    assert sign["values"] == "UPPER_LIMIT 상한, RISE 상승, FLAT 보합, LOWER_LIMIT 하한, FALL 하락"


async def test_the_agent_calls_the_credit_balance_ranking_and_pages_the_cut_list() -> None:
    async with agent() as (client, _):
        ranking = await ok(
            client,
            "call_endpoint",
            {
                "name": "domestic_stock.credit_balance",
                "arguments": {"market": "KOSDAQ", "period": 5, "sort": "0"},
                "fields": ["mksc_shrn_iscd", "hts_kor_isnm", "stck_prpr", "whol_loan_rmnd_rate"],
                "korean": True,
            },
        )
        more = ranking["truncated"]["output2"]["next"]
        rest = await ok(
            client, more["tool"], {k: more[k] for k in ("result", "output", "offset")} | {"limit": 50}
        )

    rows = ranking["output2"]
    assert len(rows) == 20 and ranking["truncated"]["output2"]["total"] == 30
    assert set(rows[0]) == {"mksc_shrn_iscd", "hts_kor_isnm", "stck_prpr", "whol_loan_rmnd_rate"}
    assert isinstance(rows[0]["stck_prpr"], int)  # integers stay numbers
    rates = [float(r["whol_loan_rmnd_rate"]) for r in rows]  # decimals are strings
    assert all(isinstance(r["whol_loan_rmnd_rate"], str) for r in rows)
    assert rates == sorted(rates, reverse=True)  # sort 0 = LOAN_RATE, highest first
    assert ranking["labels"]["whol_loan_rmnd_rate"] == "전체 융자 잔고 비율 (%)"
    assert rest["offset"] == 20 and len(rest["rows"]) == 10 and "next_offset" not in rest
    assert float(rest["rows"][0]["whol_loan_rmnd_rate"]) <= rates[-1]


async def test_the_agent_gets_a_quote_and_daily_history() -> None:
    async with agent() as (client, _):
        quote = await ok(client, "quote", {"symbol": "005930"})
        history = await ok(
            client,
            "daily_history",
            {"symbol": "005930", "start_date": "2026-01-05", "end_date": "2026-01-30"},
        )

    price = quote["output"]["stck_prpr"]
    assert quote["endpoint"] == "domestic_stock.inquire_price"
    assert isinstance(price, int) and price > 0
    assert quote["output"]["prdy_vrss_sign"] in ("UPPER_LIMIT", "RISE", "FLAT", "LOWER_LIMIT", "FALL")
    bars = history["output2"]
    dates = [bar["stck_bsop_date"] for bar in bars]
    assert len(bars) >= 15 and dates == sorted(dates, reverse=True)  # ISO dates, newest first
    assert all(bar["stck_lwpr"] <= bar["stck_clpr"] <= bar["stck_hgpr"] for bar in bars)


async def test_a_wrong_argument_returns_the_sdk_validation_message_not_a_traceback() -> None:
    async with agent() as (client, toolbox):
        body, is_error = await call(
            client,
            "call_endpoint",
            {
                "name": "domestic_stock.credit_balance",
                "arguments": {"market": "0000", "period": 1, "sort": "0"},
            },
        )
        unknown, unknown_error = await call(
            client, "call_endpoint", {"name": "domestic_stock.credit_balanse"}
        )
        extra, extra_error = await call(client, "quote", {"symbol": "005930", "market": "J"})

    assert is_error and body == {
        "error": "KisValidationError",
        "message": "domestic_stock.credit_balance: period (FID_OPTION, 증가율기간): got 1, expected 2..999",
    }
    assert toolbox.sandbox.stats.requests["domestic_stock.credit_balance"] == 0  # nothing was sent
    assert unknown_error and "did you mean domestic_stock.credit_balance" in unknown["message"]
    assert extra_error and extra["message"] == "quote: unknown argument 'market'; it takes symbol"


async def test_the_account_is_the_servers_not_the_agents() -> None:
    async with agent() as (client, _):
        body, is_error = await call(
            client,
            "call_endpoint",
            {"name": "domestic_stock.inquire_balance", "arguments": {"account": "99999999"}},
        )
        balance = await ok(client, "balance")

    assert is_error and "set by the server" in body["message"]
    assert balance["endpoint"] == "domestic_stock.inquire_balance"
    assert balance["output1"] and all(row["hldg_qty"] > 0 for row in balance["output1"])


async def test_read_only_offers_market_data_and_refuses_the_account() -> None:
    async with agent(read_only=True) as (client, _):
        names = [t.name for t in (await client.list_tools()).tools]
        body, is_error = await call(client, "call_endpoint", {"name": "domestic_stock.inquire_balance"})
        quote = await ok(client, "quote", {"symbol": "000660"})

    assert "balance" not in names and "open_orders" not in names and "place_order" not in names
    assert is_error and "--read-only" in body["message"]
    assert quote["output"]["stck_prpr"] > 0


async def test_no_secret_reaches_a_tool_result_or_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="kis_async")
    texts = []
    async with agent(allow_orders=True) as (client, _):
        for tool, arguments in [
            ("quote", {"symbol": "005930"}),
            ("balance", {}),
            ("call_endpoint", {"name": "domestic_stock.credit_balance", "arguments": {"period": 0}}),
            ("preview_order", {"action": "buy", "symbol": "005930", "quantity": 1, "price": 1000}),
        ]:
            body, _ = await call(client, tool, arguments)
            texts.append(json.dumps(body, ensure_ascii=False))
    everything = "\n".join(texts) + caplog.text
    assert SANDBOX_SECRET not in everything
    assert "Bearer" not in everything
    tool_lines = [
        r.getMessage() for r in caplog.records if r.name == "kis_async.mcp" and "tool=" in r.getMessage()
    ]
    assert "mcp tool=quote endpoint=domestic_stock.inquire_price tr=FHKST01010100 outcome=ok" in tool_lines[0]
    assert (
        "tool=call_endpoint endpoint=domestic_stock.credit_balance tr=FHKST17010000 outcome=KisValidationError"
        in (tool_lines[2])
    )


async def test_arguments_sent_as_json_text_are_read_as_the_object() -> None:
    async with agent() as (client, _):
        ranking = await ok(
            client,
            "call_endpoint",
            {
                "name": "credit_balance",
                "arguments": '{"market": "0000", "period": 5, "sort": "0"}',
                "limit": 2,
            },
        )

    assert len(ranking["output2"]) == 2


async def test_a_server_bug_is_an_error_result_with_its_kind_only(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> dict[str, object]:
        raise RuntimeError("internal detail")

    monkeypatch.setattr("kis_async._mcp._tools.response_json", broken)
    async with agent() as (client, _):
        body, is_error = await call(client, "quote", {"symbol": "005930"})

    assert is_error and body["error"] == "InternalError"
    assert body["message"].startswith("quote: unexpected RuntimeError in the server")
    assert "internal detail" not in body["message"] and "internal detail" in caplog.text


async def test_on_paper_the_agent_is_told_which_endpoints_kis_lacks() -> None:
    async with agent(sandbox={"env": "paper"}) as (client, _):
        found = await ok(client, "search_endpoints", {"query": "신용잔고"})
        described = await ok(client, "describe_endpoint", {"name": "domestic_stock.credit_balance"})
        body, is_error = await call(client, "call_endpoint", {"name": "domestic_stock.credit_balance"})

    assert found["endpoints"][0]["available"] is False
    assert described["available"] == "no: KIS has no paper version of this endpoint"
    assert is_error and body["error"] == "KisUnsupportedError"
    assert "not available in the paper environment (모의투자 미지원)" in body["message"]


async def test_an_agent_cannot_forge_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kis_async.mcp")
    async with agent() as (client, _):
        await call(client, "call_endpoint", {"name": "x\nINFO kis_async.mcp mcp tool=place_order outcome=ok"})

    (line,) = [r.getMessage() for r in caplog.records if "tool=call_endpoint" in r.getMessage()]
    assert "\n" not in line and "endpoint='x\\nINFO" in line
