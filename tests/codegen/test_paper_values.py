"""``paper:`` on a request field: what the paper (모의투자) server accepts, said once in the spec,
checked by the loader (``file: field: problem``) and shown where a bot author looks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from codegen.loader import load_endpoint, load_specs
from codegen.model import EndpointSpec, EnumMember, EnumSpec, PaperRule
from tests.paths import SPEC

SHARED = {
    "ExchangeId": EnumSpec(
        members={"KRX": EnumMember("KRX"), "NXT": EnumMember("NXT"), "SOR": EnumMember("SOR")}
    ),
    "OrderSide": EnumSpec(members={"BUY": EnumMember("buy"), "SELL": EnumMember("sell")}),
}


def load(tmp_path: Path, field: str) -> tuple[EndpointSpec | None, list[str]]:
    """A one-order spec whose last request field is ``field`` (YAML, one line)."""
    text = textwrap.dedent(
        """
        title: 테스트 주문
        method: POST
        path: /uapi/domestic-stock/v1/trading/order-test
        tr_id: {{select: side, real: {{buy: TTTC0012U, sell: TTTC0011U}}, paper: {{buy: VTTC0012U}}}}
        request:
          - {{name: side, korean: 매수/매도, enum: OrderSide}}
          - {{wire: ORD_QTY, name: quantity, korean: 주문수량, type: int, range: [1, 100]}}
          - {{wire: ORD_DVSN, korean: 주문구분, const: "00"}}
          - {field}
        response:
          output:
            shape: object
            row: TestReceipt
            fields:
              - {{wire: ODNO, korean: 주문번호}}
        order_number: [output.ODNO]
        """
    ).format(field=field)
    path = tmp_path / "test.yaml"
    path.write_text(text, encoding="utf-8")
    return load_endpoint(path, "test.yaml", SHARED)


@pytest.mark.parametrize(
    ("field", "rule"),
    [
        (
            "{wire: EXCG_ID_DVSN_CD, name: exchange, korean: 거래소, enum: ExchangeId, paper: {only: [KRX]}}",
            ("KRX",),
        ),
        ("{wire: SORT_SQN, name: sort, korean: 정렬, required: false, paper: unsupported}", ()),
        (
            "{wire: MIN_QTY, name: lot, korean: 최소, type: int, range: [1, 9], paper: {only: ['1', '5']}}",
            ("1", "5"),
        ),
    ],
    ids=["enum-codes", "unsupported", "int-values"],
)
def test_a_paper_rule_loads(tmp_path: Path, field: str, rule: tuple[str, ...]) -> None:
    loaded, problems = load(tmp_path, field)
    assert problems == [] and loaded is not None
    assert loaded.request[-1].paper == PaperRule(only=rule)


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        (
            "{wire: EXCG_ID_DVSN_CD, korean: 거래소, enum: ExchangeId, paper: {only: [NXX]}}",
            "request[3](EXCG_ID_DVSN_CD).paper.only[0]: 'NXX' is not a code of ExchangeId (KRX, NXT, SOR)",
        ),
        (
            "{wire: EXCG_ID_DVSN_CD, korean: 거래소, enum: ExchangeId, paper: {only: [KRX, KRX]}}",
            "request[3](EXCG_ID_DVSN_CD).paper.only: lists 'KRX' twice",
        ),
        (
            "{wire: SORT_SQN, korean: 정렬, paper: unsupported}",
            "request[3](SORT_SQN): paper: unsupported needs required: false",
        ),
        (
            "{wire: SORT_SQN, korean: 정렬, required: false, paper: {only: ['']}}",
            "request[3](SORT_SQN).paper.only[0]: '' is what leaving the field out sends; write paper: unsupported",
        ),
        (
            "{wire: MIN_QTY, korean: 최소, type: int, range: [1, 9], paper: {only: ['10']}}",
            "request[3](MIN_QTY).paper.only[0]: '10' is outside range 1..9",
        ),
        (
            "{wire: CODE, korean: 코드, length: 2, pattern: '^[0-9]+$', paper: {only: [AB]}}",
            "request[3](CODE).paper.only[0]: 'AB' does not match pattern '^[0-9]+$'",
        ),
        (
            "{wire: FLAG, korean: 여부, const: N, paper: {only: [N]}}",
            "request[3](FLAG): paper: a const is sent the same on paper",
        ),
        (
            "{wire: CODE, korean: 코드, paper: {only: []}}",
            "request[3].paper: invalid value",
        ),
        (
            "{wire: CODE, korean: 코드, paper: krx-only}",
            "must be unsupported or {only: [<quoted codes paper accepts>]}",
        ),
    ],
    ids=[
        "unknown-code",
        "twice",
        "unsupported-required",
        "blank",
        "out-of-range",
        "pattern",
        "const",
        "empty",
        "typo",
    ],
)
def test_a_bad_paper_rule_names_file_field_and_problem(tmp_path: Path, field: str, problem: str) -> None:
    _, problems = load(tmp_path, field)
    assert len(problems) == 1 and problems[0].startswith("test.yaml: ")
    assert problem in problems[0]


def test_an_argument_choosing_the_tr_says_what_paper_has_in_the_tr_table(tmp_path: Path) -> None:
    path = tmp_path / "test.yaml"
    _, problems = load(tmp_path, "{wire: CODE, korean: 코드}")
    assert problems == []
    text = path.read_text(encoding="utf-8").replace(
        "{name: side, korean: 매수/매도, enum: OrderSide}",
        "{name: side, korean: 매수/매도, enum: OrderSide, paper: {only: [buy]}}",
    )
    path.write_text(text, encoding="utf-8")
    _, problems = load_endpoint(path, "test.yaml", SHARED)
    assert problems == [
        "test.yaml: request[0](side): paper: an argument choosing the TR says what paper has in tr_id.paper"
    ]


def test_an_endpoint_without_a_paper_tr_has_no_paper_rule(tmp_path: Path) -> None:
    path = tmp_path / "test.yaml"
    load(tmp_path, "{wire: CODE, korean: 코드, paper: {only: [A]}}")
    text = path.read_text(encoding="utf-8").replace("paper: {buy: VTTC0012U}", "paper: unsupported")
    path.write_text(text, encoding="utf-8")
    _, problems = load_endpoint(path, "test.yaml", SHARED)
    assert problems == [
        "test.yaml: request[3](CODE): paper: the endpoint has no paper TR (tr_id.paper is unsupported)"
    ]


def test_the_argument_docstring_says_what_paper_accepts() -> None:
    from kis_async.overseas_stock import OverseasStock

    doc = " ".join((OverseasStock.inquire_ccnl.__doc__ or "").split())
    side = doc[doc.index("side: 매도매수구분") : doc.index("fill_status:")]
    assert side.endswith("모의투자: '00' only. ")
    exchange = doc[doc.index("exchange: 해외거래소코드") : doc.index("sort:")]
    assert 'Default "%". 모의투자: not accepted (leave it out).' in exchange


#: Request fields whose description mentions 모의투자 without a ``paper:`` rule, and why.
PROSE_ONLY: dict[tuple[str, str], str] = {
    (
        "overseas_stock.order_resv_ccnl",
        "RSVN_ORD_RCIT_DT",
    ): "names the sample code's 모의계좌 Postman collection"
    " as a source of the wire name's spelling; no value restriction",
    ("domestic_stock.order_credit", "EXCG_ID_DVSN_CD"): "the page says 모의투자는 KRX만, but the endpoint has"
    " no paper TR at all (tr_id paper: unsupported; KIS's sample code: 실전계좌만 지원되며 모의투자는 미지원)",
}


def test_every_paper_restriction_a_description_states_is_a_rule() -> None:
    """A field whose page says what 모의투자 accepts (``모의투자는 KRX만``, ``모의투자계좌의 경우
    "00"만``) says it in ``paper:``, or is listed above with the reason it stays prose."""
    loaded = load_specs(SPEC)
    prose = {
        (f"{item.spec.python_namespace}.{item.spec.python_name}", field.wire or field.python_name)
        for item in loaded.endpoints
        for field in item.spec.request
        if "모의" in field.description and field.paper is None
    }
    assert prose == set(PROSE_ONLY)


def test_a_paper_value_cannot_put_code_into_the_generated_module(tmp_path: Path) -> None:
    """A ``str`` field's paper values are free text: they reach the module through the one
    escaping path (a literal and a docstring) and read back as written."""
    import ast

    import yaml

    from codegen.render import render_all

    hostile = 'x"""; __import__("pathlib").Path("PWNED").touch(); """\' |'
    spec = {
        "title": "테스트",
        "method": "GET",
        "path": "/uapi/domestic-stock/v1/trading/inquire-test",
        "tr_id": {"real": "TTTC0001R", "paper": "VTTC0001R"},
        "request": [
            {
                "wire": "CODE",
                "name": "code",
                "korean": "코드",
                "required": False,
                "paper": {"only": [hostile]},
            }
        ],
        "response": {"output": {"row": "TestRow", "fields": [{"wire": "odno", "korean": "주문번호"}]}},
    }
    path = tmp_path / "domestic_stock" / "trading" / "inquire_test.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    module = render_all(load_specs(tmp_path, shared_root=SPEC))[
        "kis_async/domestic_stock/trading/inquire_test.py"
    ]
    tree = ast.parse(module)
    literals = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    assert hostile in literals  # Param(paper_only=(hostile,))
    assert any(f"모의투자: {hostile!r} only." in " ".join(text.split()) for text in literals)  # the docstring
    assert not (tmp_path / "PWNED").exists()
