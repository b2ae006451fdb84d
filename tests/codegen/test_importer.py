"""`python -m codegen import`: a KIS portal page becomes a draft spec a reviewer can trust.

The stories: importing the seed page gives the public API of the hand-reviewed spec; order,
balance, price and paper-unsupported pages come out with the right TR choice, paging and
shapes; a page the importer cannot read gives one clear line instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.__main__ import main
from codegen.importer import Imported, import_file, import_page, infer_type, validate
from codegen.importer import _codes as parse_codes
from codegen.importer import _tr_choices as parse_tr
from codegen.loader import load_endpoint, load_shared, load_specs, response_class_name
from codegen.model import EndpointSpec
from codegen.portal import PageError, parse_page, read_page
from tests.paths import ROOT, SHARED_DOCS

SPEC = ROOT / "spec"
PORTAL = SHARED_DOCS / "portal"
needs_docs = pytest.mark.skipif(
    not SHARED_DOCS.is_dir(), reason=f"KIS reference pages not found at {SHARED_DOCS} (set KIS_SHARED_DOCS)"
)


def load(imported: Imported, tmp_path: Path) -> EndpointSpec:
    """Write the draft as YAML and load it the way `make gen` would."""
    path = tmp_path / "draft.yaml"
    path.write_text(imported.to_yaml(), encoding="utf-8")
    shared, _ = load_shared(SPEC)
    spec, problems = load_endpoint(path, imported.relative_path, shared)
    assert not problems, problems
    assert spec is not None
    return spec


def portal(relative: str) -> Imported:
    return import_file(PORTAL / relative)


def public_api(spec: EndpointSpec) -> dict[str, Any]:
    """What a bot author sees: names, argument names and codes, response keys, fields and types."""
    enums = spec.enums

    def codes(name: str | None) -> list[str] | str | None:
        if name is None:
            return None
        return sorted(m.code for m in enums[name].members.values()) if name in enums else name

    return {
        "call": (spec.python_namespace, spec.python_group, spec.python_name, spec.method, spec.path),
        "tr_id": (spec.tr_id.real, spec.tr_id.paper, spec.tr_id.select),
        "paging": spec.paging.keys if spec.paging else None,
        "arguments": [
            (f.python_name, f.wire, f.semantic_type, codes(f.enum), f.range, f.const, f.required, f.fill)
            for f in spec.request
        ],
        "response": {
            key: (out.shape, [(f.wire.lower(), f.semantic_type, codes(f.enum)) for f in out.fields])
            for key, out in spec.response.items()
        },
    }


# --- the seed page ----------------------------------------------------------------------------


@needs_docs
@pytest.mark.parametrize(
    "page",
    [SHARED_DOCS / "credit-balance.md", PORTAL / "[국내주식]_순위분석" / "국내주식_신용잔고_상위.md"],
    ids=["copied-layout", "portal-layout"],
)
def test_importing_the_credit_balance_page_gives_the_reviewed_public_api(page: Path, tmp_path: Path) -> None:
    reviewed, problems = load_endpoint(
        SPEC / "domestic_stock/ranking/credit_balance.yaml", "credit_balance.yaml", load_shared(SPEC)[0]
    )
    assert reviewed is not None and not problems
    imported = import_file(page)
    assert imported.relative_path == "domestic_stock/ranking/credit_balance.yaml"
    drafted = load(imported, tmp_path)
    assert public_api(drafted) == public_api(reviewed)
    assert drafted.response["output2"].row == reviewed.response["output2"].row == "CreditBalanceRow"
    assert set(drafted.enums) == set(reviewed.enums) == {"CreditBalanceMarket", "CreditBalanceSort"}


@needs_docs
def test_enum_members_get_readable_english_names_from_the_glossary(tmp_path: Path) -> None:
    spec = load(import_file(SHARED_DOCS / "credit-balance.md"), tmp_path)
    reviewed, _ = load_endpoint(
        SPEC / "domestic_stock/ranking/credit_balance.yaml", "credit_balance.yaml", load_shared(SPEC)[0]
    )
    assert reviewed is not None
    for name, enum in reviewed.enums.items():  # the reviewer kept every name the importer chose
        assert list(spec.enums[name].members) == list(enum.members)
    sort = spec.enums["CreditBalanceSort"].members
    assert sort["LOAN_RATE"].code == "0" and sort["LOAN_RATE"].korean == "(융자) 잔고비율 상위"
    assert sort["SHORT_AMOUNT"].code == "7"
    assert list(spec.enums["CreditBalanceMarket"].members) == ["ALL", "KOSPI", "KOSDAQ", "KOSPI200"]


@needs_docs
def test_both_layouts_read_into_the_same_rows() -> None:
    copied = read_page(SHARED_DOCS / "credit-balance.md")
    rendered = read_page(PORTAL / "[국내주식]_순위분석" / "국내주식_신용잔고_상위.md")
    assert (copied.layout, rendered.layout) == ("copy", "portal")
    assert copied.request_body == rendered.request_body
    assert copied.response_body == rendered.response_body
    assert [r.element for r in copied.response_children("output1")] == [
        "bstp_cls_code",
        "hts_kor_isnm",
        "stnd_date1",
        "stnd_date2",
    ]


# --- portal pages with a twist ----------------------------------------------------------------


@needs_docs
def test_an_order_page_with_sell_and_buy_tr_ids_is_chosen_by_side(tmp_path: Path) -> None:
    spec = load(portal("[국내주식]_주문-계좌/주식주문(현금).md"), tmp_path)
    assert spec.tr_id.select == "side"
    assert spec.tr_id.real == {"sell": "TTTC0011U", "buy": "TTTC0012U"}
    assert spec.tr_id.paper == {"sell": "VTTC0011U", "buy": "VTTC0012U"}
    side = next(f for f in spec.request if f.name == "side")
    assert side.wire is None and side.enum == "OrderSide"  # the shared enum of spec/_shared.yaml
    assert "OrderSide" not in spec.enums
    assert not spec.is_retry_safe  # a POST order is never retried blindly


@needs_docs
def test_a_page_limiting_what_paper_accepts_is_flagged_for_a_paper_rule() -> None:
    imported = portal("[국내주식]_주문-계좌/주식주문(현금).md")  # EXCG_ID_DVSN_CD: 모의투자는 KRX만 가능
    assert "EXCG_ID_DVSN_CD: the page limits what 모의투자 accepts; say it in `paper:` (spec/README.md)" in (
        imported.undecided
    )


@needs_docs
def test_an_order_answer_documented_as_a_single_object_array_is_one_object(tmp_path: Path) -> None:
    spec = load(portal("[국내주식]_주문-계좌/주식주문(현금).md"), tmp_path)
    assert spec.response["output"].shape == "object"
    assert [f.wire for f in spec.response["output"].fields] == ["KRX_FWDG_ORD_ORGNO", "ODNO", "ORD_TMD"]
    assert spec.response["output"].fields[2].type == "time"
    assert spec.order_number == ["output.ODNO"]  # an accepted order without one is of unknown state


@needs_docs
def test_order_arguments_get_readable_names_and_the_account_fills_itself(tmp_path: Path) -> None:
    spec = load(portal("[국내주식]_주문-계좌/주식주문(현금).md"), tmp_path)
    by_wire = {f.wire: f for f in spec.request if f.wire}
    assert {w: by_wire[w].python_name for w in ("CANO", "ACNT_PRDT_CD", "PDNO", "ORD_QTY", "ORD_UNPR")} == {
        "CANO": "account",
        "ACNT_PRDT_CD": "account_product",
        "PDNO": "symbol",
        "ORD_QTY": "quantity",
        "ORD_UNPR": "price",
    }
    assert (by_wire["CANO"].fill, by_wire["ACNT_PRDT_CD"].fill) == ("account", "account_product")
    order_type = spec.enums[by_wire["ORD_DVSN"].enum or ""].members
    assert order_type["LIMIT"].code == "00" and order_type["MARKET"].code == "01"


@needs_docs
def test_a_futures_order_chooses_the_day_or_night_session_tr(tmp_path: Path) -> None:
    spec = load(portal("[국내선물옵션]_주문-계좌/선물옵션_주문.md"), tmp_path)
    assert spec.tr_id.select == "session"
    assert spec.tr_id.real == {"day": "TTTO1101U", "night": "STTN1101U"}  # (구) JTCE1001U dropped
    assert spec.tr_id.paper == {"day": "VTTO1101U"}  # 야간은 모의투자 미제공


@needs_docs
def test_a_page_whose_tr_depends_on_a_condition_is_chosen_by_an_argument(tmp_path: Path) -> None:
    imported = portal("[국내주식]_주문-계좌/주식일별주문체결조회.md")
    spec = load(imported, tmp_path)
    assert spec.tr_id.select == "period"
    assert spec.tr_id.real == {"within_3_months": "TTTC0081R", "before_3_months": "CTSC9215R"}
    assert spec.tr_id.paper == {"within_3_months": "VTTC0081R", "before_3_months": "VTSC9215R"}
    assert any("TR ID chosen by `period`" in note for note in imported.undecided)


@needs_docs
def test_a_balance_page_with_continuation_keys_is_paged(tmp_path: Path) -> None:
    spec = load(portal("[국내주식]_주문-계좌/주식잔고조회.md"), tmp_path)
    assert spec.paging is not None
    assert spec.paging.keys == {"CTX_AREA_FK100": "ctx_area_fk100", "CTX_AREA_NK100": "ctx_area_nk100"}
    assert spec.response["output1"].row == "InquireBalanceRow"
    holdings = {f.wire: f.type for f in spec.response["output1"].fields}
    assert holdings["hldg_qty"] == "int" and holdings["pchs_avg_pric"] == "decimal"


@needs_docs
def test_a_quote_page_answers_one_object_with_typed_fields(tmp_path: Path) -> None:
    spec = load(portal("[국내주식]_기본시세/주식현재가_시세.md"), tmp_path)
    assert list(spec.response) == ["output"]
    output = spec.response["output"]
    assert output.shape == "object"
    fields = {f.wire: f for f in output.fields}
    assert fields["stck_prpr"].type == "int"
    assert fields["prdy_vrss_sign"].enum == "Sign"
    assert fields["prdy_ctrt"].type == "decimal"
    assert fields["w52_hgpr_date"].type == "date"
    assert fields["hts_kor_isnm" if "hts_kor_isnm" in fields else "bstp_kor_isnm"].type == "str"
    assert not any(f.reviewed for f in output.fields)  # inferred, not reviewed


@needs_docs
def test_a_page_paper_trading_lacks_says_unsupported(tmp_path: Path) -> None:
    imported = portal("[국내주식]_순위분석/거래량순위.md")
    assert imported.spec["tr_id"] == {"real": "FHPST01710000", "paper": "unsupported"}
    assert load(imported, tmp_path).tr_id.paper is None


@needs_docs
def test_a_capitalised_output_key_is_the_json_key_in_lower_case(tmp_path: Path) -> None:
    imported = portal("[해외주식]_주문-계좌/해외주식_기간손익.md")
    assert "Output1" in {
        r.element for r in read_page(PORTAL / "[해외주식]_주문-계좌/해외주식_기간손익.md").response_body
    }
    assert set(load(imported, tmp_path).response) == {"output1", "output2"}


# --- the YAML ---------------------------------------------------------------------------------


@needs_docs
def test_the_yaml_opens_with_what_the_importer_could_not_decide() -> None:
    text = portal("[국내주식]_주문-계좌/주식일별주문체결조회.md").to_yaml()
    first, second = text.splitlines()[:2]
    assert first.startswith("# draft imported from 주식일별주문체결조회.md by `python -m codegen import`: ")
    assert first.endswith("then add `reviewed: {against: [portal]}`")
    assert second == "importer_notes:"
    draft = yaml.safe_load(text)
    assert "reviewed" not in draft  # a draft until someone reviews it
    assert any(note.startswith("TR ID chosen by `period`") for note in draft["importer_notes"])


@needs_docs
def test_the_yaml_is_deterministic_and_quotes_codes() -> None:
    first = import_file(SHARED_DOCS / "credit-balance.md").to_yaml()
    assert first == import_file(SHARED_DOCS / "credit-balance.md").to_yaml()
    assert 'ALL: {code: "0000", korean: 전체}' in first
    assert 'const: "11701"' in first


@needs_docs
def test_import_writes_a_valid_spec_under_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "_shared.yaml").write_text(
        (SPEC / "_shared.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert main(["import", str(SHARED_DOCS / "credit-balance.md"), "--out", str(tmp_path)]) == 0
    written = tmp_path / "domestic_stock" / "ranking" / "credit_balance.yaml"
    assert written.exists()
    assert not validate(import_file(SHARED_DOCS / "credit-balance.md"), tmp_path)
    assert str(written) in capsys.readouterr().out


# --- pages it cannot import -------------------------------------------------------------------


def test_a_file_that_is_not_a_portal_page_gives_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "notes.md"
    page.write_text("# Shopping list\n\n- eggs\n", encoding="utf-8")
    assert main(["import", str(page)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"codegen import: {page}: not a KIS portal page")
    assert "Traceback" not in err


def test_a_missing_page_is_reported_and_the_others_still_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.md"
    good = tmp_path / "good.md"
    good.write_text(MINIMAL_PAGE, encoding="utf-8")
    assert main(["import", str(missing), str(good)]) == 1
    captured = capsys.readouterr()
    assert f"{missing}: cannot read" in captured.err
    assert "path: /uapi/domestic-stock/v1/quotations/inquire-price" in captured.out


def test_a_page_without_a_method_names_what_is_missing() -> None:
    with pytest.raises(PageError, match="no HTTP method"):
        parse_page(MINIMAL_PAGE.replace("- Method: GET\n", ""), "x.md")


def test_a_websocket_page_is_refused_with_the_reason() -> None:
    feed = MINIMAL_PAGE.replace("Type: REST", "Type: WEBSOCKET").replace(
        "/uapi/domestic-stock/v1/quotations/inquire-price", "/tryitout/H0STCNT0"
    )
    with pytest.raises(PageError, match="a WEBSOCKET page; only REST pages"):
        import_page(parse_page(feed, "feed.md"))


def test_a_uapi_page_labelled_websocket_is_imported_as_the_rest_call_it_is() -> None:
    # 회원사 실시간 매매동향(틱) says "Type: WEBSOCKET"; its URL says it is an ordinary GET
    page = parse_page(MINIMAL_PAGE.replace("Type: REST", "Type: WEBSOCKET"), "frgnmem.md")
    assert page.kind == "REST"
    assert import_page(page).spec["path"] == "/uapi/domestic-stock/v1/quotations/inquire-price"


def test_markdown_emphasis_in_a_title_and_doc_id_becomes_the_underscore_kis_wrote() -> None:
    # the portal rendition shows 주식잔고조회_실현손익[v1_국내주식-041] as 주식잔고조회*실현손익[v1*국내주식-041]
    text = MINIMAL_PAGE.replace(
        "주식현재가 시세[v1\\_국내주식-008]", "주식잔고조회*실현손익[v1*국내주식-041]"
    )
    text = text.replace("## 개요\n", "## 개요\n\n주식잔고조회*실현손익 API입니다. 수량*가격\n")
    imported = import_page(parse_page(text, "rlz.md"))
    assert (imported.spec["title"], imported.spec["doc_id"]) == ("주식잔고조회_실현손익", "v1_국내주식-041")
    assert imported.spec["summary"].startswith("주식잔고조회_실현손익 API입니다. 수량*가격")


@needs_docs
def test_an_oauth_page_is_refused_with_the_reason() -> None:
    with pytest.raises(PageError, match="OAuth and hashkey pages are part of the client core"):
        import_file(PORTAL / "OAuth인증" / "접근토큰발급(P).md")


def test_a_page_without_outputs_is_refused() -> None:
    text = MINIMAL_PAGE.split("| output ")[0]
    with pytest.raises(PageError, match="response lists no Object/Object Array output"):
        import_page(parse_page(text, "x.md"))


# --- reading descriptions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "codes"),
    [
        ("0000:전체, 0001:거래소, 1001:코스닥", [("0000", "전체"), ("0001", "거래소"), ("1001", "코스닥")]),
        ("'00 전체 01 체결 02 미체결'", [("00", "전체"), ("01", "체결"), ("02", "미체결")]),
        ("0(전체), 1(콜), 2(풋)", [("0", "전체"), ("1", "콜"), ("2", "풋")]),
        ("코스피(0001), 코스닥(1001)", [("0001", "코스피"), ("1001", "코스닥")]),
        ("01@일반매도 02@임의매매", [("01", "일반매도"), ("02", "임의매매")]),
        ("NASD : 나스닥 NYSE : 뉴욕 AMEX : 아멕스", [("NASD", "나스닥"), ("NYSE", "뉴욕"), ("AMEX", "아멕스")]),
        ("(융자)0:잔고비율 상위, 1: 잔고수량 상위 (대주)5:잔고비율 상위", [
            ("0", "(융자) 잔고비율 상위"), ("1", "(융자) 잔고수량 상위"), ("5", "(대주) 잔고비율 상위")
        ]),
    ],
)  # fmt: skip
def test_a_closed_list_of_codes_becomes_enum_members(description: str, codes: list[tuple[str, str]]) -> None:
    assert parse_codes(description, 12) == codes


@pytest.mark.parametrize(
    "description",
    [
        "0001 : 종합 0002 : 대형주 ... 포탈 (FAQ : 종목정보 다운로드(국내) - 업종코드 참조)",
        "종목코드 (ex 005930 삼성전자)",
    ],
)
def test_an_open_list_of_examples_is_not_an_enum(description: str) -> None:
    assert parse_codes(description, 12) is None


@pytest.mark.parametrize(
    ("text", "choices"),
    [
        ("FHKST17010000", [("", "FHKST17010000")]),
        ("모의투자 미지원", []),
        ("(매도) TTTC0011U (매수) TTTC0012U", [("매도", "TTTC0011U"), ("매수", "TTTC0012U")]),
        ("(구) JTCE1004R (신) STTN5105R", [("", "STTN5105R")]),
        (
            "(주간 매수/매도) TTTO1101U (야간 매수/매도) (구) JTCE1001U (신) STTN1101U",
            [("주간 매수/매도", "TTTO1101U"), ("야간 매수/매도", "STTN1101U")],
        ),
    ],
)
def test_tr_id_text_is_read_into_labelled_choices(text: str, choices: list[tuple[str, str]]) -> None:
    assert parse_tr(text) == choices


@pytest.mark.parametrize(
    ("attr", "korean", "length", "namespace", "expected"),
    [
        ("prdy_ctrt", "전일 대비율", 82, "domestic_stock", "decimal"),
        ("stnd_date1", "기준 일자1", 8, "domestic_stock", "date"),
        ("stck_cntg_hour", "주식 체결 시간", 6, "domestic_stock", "time"),
        ("acml_vol", "누적 거래량", 18, "domestic_stock", "int"),
        ("last", "현재가", 12, "overseas_price", "decimal"),
        ("rsym", "실시간조회종목코드", 16, "overseas_price", "str"),
        ("futs_prpr", "현재가", 14, "domestic_futureoption", "decimal"),
        ("acml_vol", "누적 거래량", 18, "domestic_futureoption", "int"),
        ("ovrs_now_pric1", "해외현재가격1", 23, "overseas_stock", "decimal"),
        ("prdy_vrss_sign", "전일 대비 부호", 1, "domestic_stock", "Sign"),
        ("hts_kor_isnm", "HTS 한글 종목명", 40, "domestic_stock", "str"),
        ("mksc_shrn_iscd", "유가증권 단축 종목코드", 9, "domestic_stock", "str"),
    ],
)
def test_response_types_follow_kis_conventions(
    attr: str, korean: str, length: int, namespace: str, expected: str
) -> None:
    assert infer_type(attr, korean, length, namespace) == expected


MINIMAL_PAGE = """\
# [주식현재가 시세[v1\\_국내주식-008]](https://example.invalid)

- Type: REST
- Method: GET
- URL: /uapi/domestic-stock/v1/quotations/inquire-price
- 실전 DOMAIN: https://openapi.koreainvestment.com:9443
- 모의 DOMAIN: https://openapivts.koreainvestment.com:29443
- 실전 TR ID: FHKST01010100
- 모의 TR ID: FHKST01010100

## 개요

주식 현재가 시세 API입니다.

## 요청

### Body

| Element                | 한글명              | Type   | Required | Length | Description     |
| ---------------------- | ------------------- | ------ | -------- | ------ | --------------- |
| FID_COND_MRKT_DIV_CODE | 조건 시장 분류 코드 | String | Y        | 2      | J:KRX, NX:NXT   |
| FID_INPUT_ISCD         | 입력 종목코드       | String | Y        | 12     | 종목코드 (ex 005930) |

## 응답

### Body

| Element          | 한글명      | Type   | Required | Length | Description |
| ---------------- | ----------- | ------ | -------- | ------ | ----------- |
| rt_cd            | 성공 실패 여부 | String | Y     | 1      |             |
| output           | 응답상세    | Object | Y        |        |             |
| output.stck_prpr | 주식 현재가 | String | Y        | 10     |             |
"""


@needs_docs
def test_a_second_inquire_balance_in_another_category_gets_its_class_names_prefixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "_shared.yaml").write_text(
        (SPEC / "_shared.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    stock = PORTAL / "[국내주식]_주문-계좌" / "주식잔고조회.md"
    bond = PORTAL / "[장내채권]_주문-계좌" / "장내채권_잔고조회.md"
    main(["import", str(stock), str(bond), "--out", str(tmp_path)])
    assert "conflicts with existing specs" not in capsys.readouterr().err
    names = {
        loaded.source: (
            response_class_name(loaded.spec),
            sorted(o.row for o in loaded.spec.response.values()),
        )
        for loaded in load_specs(tmp_path).endpoints
    }
    assert names["domestic_stock/trading/inquire_balance.yaml"][0] == "InquireBalanceResponse"
    bond_response, bond_rows = names["domestic_bond/trading/inquire_balance.yaml"]
    assert bond_response == "DomesticBondInquireBalanceResponse"
    assert all(row.startswith("DomesticBondInquireBalance") for row in bond_rows)


def test_an_unforeseen_failure_is_one_line_naming_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    page.write_text(MINIMAL_PAGE, encoding="utf-8")

    def broken(_: object) -> Imported:
        raise KeyError("output9")

    monkeypatch.setattr("codegen.importer.import_page", broken)
    assert main(["import", str(page)]) == 1
    err = capsys.readouterr().err
    assert (
        err == f"codegen import: {page}: importer failed on this page (KeyError('output9')); please report\n"
    )


def test_a_range_row_expands_into_optional_numbered_fields() -> None:
    rows = (
        "| SRS_CD_01  | 품목종류  | String | Y        | 32     | 최대 3개 까지 가능 |\n"
        "| SRS_CD_02… | 품목종류… | String | Y        | 32     |                   |\n"
        "| SRS_CD_04  | 품목종류  | String | Y        | 32     |                   |\n"
    )
    text = MINIMAL_PAGE.replace("| FID_INPUT_ISCD ", rows + "| FID_INPUT_ISCD ", 1)
    fields = {f["wire"]: f for f in import_page(parse_page(text, "x.md")).spec["request"]}
    assert [w for w in fields if w.startswith("SRS_CD")] == [
        "SRS_CD_01",
        "SRS_CD_02",
        "SRS_CD_03",
        "SRS_CD_04",
    ]
    assert "required" not in fields["SRS_CD_01"]
    assert [fields[w]["required"] for w in ("SRS_CD_02", "SRS_CD_03", "SRS_CD_04")] == [False, False, False]


def test_a_date_argument_the_page_says_is_two_characters_long_gets_room_for_yyyymmdd() -> None:
    row = "| INQR_STRT_DT | 조회시작일자 | String | Y | 2 | YYYYMMDD |\n"
    text = MINIMAL_PAGE.replace("| FID_INPUT_ISCD ", row + "| FID_INPUT_ISCD ", 1)
    imported = import_page(parse_page(text, "x.md"))
    field = next(f for f in imported.spec["request"] if f["wire"] == "INQR_STRT_DT")
    assert (field["type"], field["length"]) == ("date", 8)
    assert any("INQR_STRT_DT: length 2" in note for note in imported.undecided)


@pytest.mark.parametrize(
    ("attr", "length", "namespace", "expected"),
    [
        ("stck_prpr", 10, "etfetn", "int"),  # KRX trades ETFs and ETNs in whole won
        ("nav", 11, "etfetn", "decimal"),  # a NAV carries decimals whatever its length says
        ("prdy_clpr_nav", 11, "etfetn", "decimal"),
        ("prdy_vrss_sign", 2, "etfetn", "Sign"),
        ("stck_sdpr", 10, "domestic_stock", "int"),
        ("askp_csnu1", 10, "domestic_futureoption", "int"),  # 건수: a count of orders
        ("hts_rmnn_dynu", 5, "domestic_futureoption", "int"),  # 잔존 일수
        ("avg_idx", 27, "domestic_futureoption", "decimal"),  # 평균지수
        ("vega", 13, "domestic_futureoption", "decimal"),
        ("nxdy_dnca", 19, "domestic_futureoption", "decimal"),  # 익일예수금
        ("pbid3", 12, "overseas_price", "decimal"),
        ("vbid3", 10, "overseas_price", "decimal"),  # fractional overseas shares
    ],
)
def test_types_found_in_the_coverage_review(attr: str, length: int, namespace: str, expected: str) -> None:
    assert infer_type(attr, "", length, namespace) == expected


def test_a_value_documented_for_one_case_stays_an_argument() -> None:
    row = '| OVRS_ORD_UNPR | 해외주문단가 | String | Y | 32 | 취소주문 시, "0" 입력 |\n'
    text = MINIMAL_PAGE.replace("| FID_INPUT_ISCD ", row + "| FID_INPUT_ISCD ", 1)
    field = next(
        f for f in import_page(parse_page(text, "x.md")).spec["request"] if f["wire"] == "OVRS_ORD_UNPR"
    )
    assert "const" not in field


@pytest.mark.parametrize(
    "description", ["000660 : 종목코드", "000000(전체), 2001(코스피200), 005930(삼성전자)", "회계연도 (2023)"]
)
def test_an_example_value_is_neither_a_const_nor_an_enum(description: str) -> None:
    row = f"| FID_INPUT_ISCD_9 | 입력 종목코드 | String | Y | 12 | {description} |\n"
    text = MINIMAL_PAGE.replace("| FID_INPUT_ISCD ", row + "| FID_INPUT_ISCD ", 1)
    field = next(
        f for f in import_page(parse_page(text, "x.md")).spec["request"] if f["wire"] == "FID_INPUT_ISCD_9"
    )
    assert "const" not in field and "enum" not in field


@pytest.mark.parametrize(
    ("description", "expected"),
    [("입력 날짜(ex. 20240223)", "date"), ("이후 ~(ex) 0020231113)", None)],  # 00 + date: another format
)
def test_a_date_argument_is_recognised_by_its_example(description: str, expected: str | None) -> None:
    row = f"| FID_INPUT_DATE_1 | 입력 날짜1 | String | Y | 10 | {description} |\n"
    text = MINIMAL_PAGE.replace("| FID_INPUT_ISCD ", row + "| FID_INPUT_ISCD ", 1)
    field = next(
        f for f in import_page(parse_page(text, "x.md")).spec["request"] if f["wire"] == "FID_INPUT_DATE_1"
    )
    assert field.get("type") == expected


@needs_docs
@pytest.mark.parametrize(
    ("page", "reviewed"),
    [
        ("[국내주식]_종목정보/예탁원정보(배당일정).md", "domestic_stock/ksdinfo/dividend.yaml"),
        (
            "[국내주식]_순위분석/국내주식_당사매매종목_상위.md",
            "domestic_stock/ranking/traded_by_company.yaml",
        ),
        ("[국내주식]_종목정보/국내주식_대차대조표.md", "domestic_stock/finance/balance_sheet.yaml"),
        (
            "[국내주식]_시세분석/관심종목(멀티종목)_시세조회.md",
            "domestic_stock/quotations/intstock_multprice.yaml",
        ),
        (
            "[국내주식]_업종-기타/국내주식업종기간별시세(일-주-월-년).md",
            "domestic_stock/quotations/inquire_daily_indexchartprice.yaml",
        ),
        ("[국내주식]_업종-기타/종합_시황-공시(제목).md", "domestic_stock/quotations/news_title.yaml"),
    ],
)
def test_a_page_of_generic_fid_fields_gets_the_argument_names_reviewers_chose(
    page: str, reviewed: str, tmp_path: Path
) -> None:
    """FID_INPUT_DATE_1/2 → start_date/end_date, F_DT/T_DT too, SHT_CD → symbol, CTS → next_key,
    FID_DIV_CLS_CODE by what its codes mean (년/분기 → period), 종목 1…30 → symbol_1…symbol_30."""
    spec = load(portal(page), tmp_path)
    expected, problems = load_endpoint(SPEC / reviewed, reviewed, load_shared(SPEC)[0])
    assert expected is not None, problems

    def names(endpoint: EndpointSpec) -> dict[str, str]:
        return {f.wire.upper(): f.python_name for f in endpoint.request if f.wire and f.is_argument}

    assert names(spec) == names(expected)
