"""A spec file that exists only in a temporary folder is served by the sandbox and called through the
SDK with typed rows; its continuation paging runs over several pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import aiohttp
import pytest

from codegen.dynamic import endpoints_from_specs
from codegen.loader import SpecError
from kis_async import KisApiError, KisClient
from kis_async._paging import collect_pages, iterate_pages
from kis_async._registry import ENDPOINTS
from kis_async.enums import Sign
from kis_async.sandbox import Sandbox
from tests.conftest import SAMSUNG_PRICE
from tests.sandbox.conftest import headers, token_for

HOLDINGS = "domestic_stock.sandbox_holdings"


def endpoint(spec_dir: Path, name: str) -> object:
    return next(e for e in endpoints_from_specs(spec_dir) if e.name == name)


def test_every_generated_endpoint_is_served() -> None:
    served = Sandbox().endpoints
    assert {name for _, _, name in ENDPOINTS} <= set(served)


def test_a_spec_in_a_temporary_folder_becomes_a_descriptor(spec_dir: Path) -> None:
    built = {e.name: e for e in endpoints_from_specs(spec_dir)}
    holdings = built[HOLDINGS]
    assert holdings.path == "/uapi/domestic-stock/v1/trading/sandbox-holdings"
    assert holdings.tr_id.real == "TTTC9001R"
    assert holdings.paging == {"CTX_AREA_FK100": "ctx_area_fk100", "CTX_AREA_NK100": "ctx_area_nk100"}
    assert built["domestic_stock.sandbox_order"].retry_safe is False


def test_an_invalid_spec_is_reported_like_make_gen_does(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("title: x\nmethod: GET\npath: /nowhere\n", encoding="utf-8")
    with pytest.raises(SpecError) as error:
        endpoints_from_specs(tmp_path)
    assert "broken.yaml" in str(error.value)


async def test_the_sandbox_serves_it_and_the_client_gets_typed_rows(
    spec_sandbox: Sandbox, spec_dir: Path
) -> None:
    holdings = spec_sandbox.endpoints[HOLDINGS]
    async with spec_sandbox.client(account="12345678-01") as kis:
        page = await kis.request(holdings, {"view": "BY_STOCK"})
    assert page.rt_cd == "0"
    assert len(page.output1) == 20
    row = page.output1[0]
    assert type(row).__name__ == "SandboxHolding"
    assert len(row.pdno) == 6 and row.prdt_name
    assert isinstance(row.hldg_qty, int)
    assert isinstance(row.pchs_avg_pric, Decimal)
    assert isinstance(row.prdy_vrss_sign, Sign)
    assert isinstance(page.output2.tot_evlu_amt, int)


async def test_paging_runs_over_three_pages_with_tr_cont_f_m_d(spec_sandbox: Sandbox) -> None:
    holdings = spec_sandbox.endpoints[HOLDINGS]
    async with spec_sandbox.client(account="12345678-01") as kis:
        pages = [page async for page in iterate_pages(kis, holdings, {"view": "01"})]
    assert [page.tr_cont for page in pages] == ["F", "M", "D"]
    assert [len(page.output1) for page in pages] == [20, 20, 10]
    codes = [row.pdno for page in pages for row in page.output1]
    assert len(set(codes)) == 50  # no row twice, none skipped
    assert spec_sandbox.stats.requests[HOLDINGS] == 3


async def test_collecting_every_page_gives_all_rows(spec_sandbox: Sandbox) -> None:
    holdings = spec_sandbox.endpoints[HOLDINGS]
    async with spec_sandbox.client(account="12345678-01") as kis:
        everything = await collect_pages(iterate_pages(kis, holdings, {"view": "01"}), holdings)
    assert len(everything.output1) == 50


async def test_continuation_keys_come_right_padded_to_their_length(spec_sandbox: Sandbox) -> None:
    holdings = spec_sandbox.endpoints[HOLDINGS]
    async with spec_sandbox.client(account="12345678-01") as kis:
        page = await kis.request(holdings, {"view": "01"})
    for key in ("ctx_area_fk100", "ctx_area_nk100"):
        assert len(page.raw[key]) == 100
        assert page.raw[key] != page.raw[key].rstrip()


async def test_a_continuation_key_the_server_never_sent_is_refused(
    spec_sandbox: Sandbox, kis_sandbox: KisClient
) -> None:
    holdings = spec_sandbox.endpoints[HOLDINGS]
    async with spec_sandbox.client(account="12345678-01") as client:
        with pytest.raises(KisApiError) as refused:
            await client.request(
                holdings, {"view": "01"}, tr_cont="N", continuation={"CTX_AREA_NK100": "garbage"}
            )
    assert refused.value.msg_cd == "OPSQ2001"


async def test_post_outputs_come_with_upper_case_keys(spec_sandbox: Sandbox) -> None:
    order = spec_sandbox.endpoints["domestic_stock.sandbox_order"]
    async with spec_sandbox.client(account="12345678-01") as kis:
        result = await kis.request(
            order,
            {"side": "buy", "code": "005930", "order_type": "00", "quantity": 1, "price": SAMSUNG_PRICE},
        )
    assert "ODNO" in result.raw["output"]
    assert result.output.odno == "0000001001"  # zero-padded to 10 digits on the real server
    assert isinstance(result.output.ord_tmd, dt.time)
    assert spec_sandbox.stats.by_tr["TTTC9012U"] == 1  # the buy TR, chosen by side=buy


async def test_orders_are_recorded_as_they_arrived(
    spec_sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    token = await token_for(spec_sandbox, http)
    body = {
        "CANO": "12345678",
        "ACNT_PRDT_CD": "01",
        "PDNO": "005930",
        "ORD_DVSN": "01",  # a market buy (TTTC9012U): price 0, cash enough
        "ORD_QTY": "3",
        "ORD_UNPR": "0",
    }
    async with http.post(
        spec_sandbox.url + "/uapi/domestic-stock/v1/trading/sandbox-order",
        json=body,
        headers=headers(token, "TTTC9012U"),
    ) as response:
        assert (await response.json())["rt_cd"] == "0"
    (order,) = spec_sandbox.stats.orders_to("/uapi/domestic-stock/v1/trading/sandbox-order")
    assert (order.tr_id, order.body) == ("TTTC9012U", body)
