"""The account fields are said once: ``- use: account`` in a spec's request stands for the
``account`` block of ``spec/_shared.yaml`` (``CANO``, ``ACNT_PRDT_CD``), in its place.

The story: 73 account endpoints used to repeat the same twelve lines, and five wordings of them
had crept in. Now a reviewer writes one line; the loader refuses the lines written out where the
block would do, and a written-out field that drifted from the block.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from codegen.loader import SpecError, specs_from_data
from tests.paths import ROOT, SHARED_DOCS

ORDER = "domestic_stock/trading/order_cash.yaml"
PENSION = "domestic_stock/trading/pension_inquire_balance.yaml"
APART = "domestic_stock/trading/inquire_period_trade_profit.yaml"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FILES = {
    label: yaml.load((ROOT / "spec" / label).read_text(encoding="utf-8"), Loader=_Loader)
    for label in ("_shared.yaml", ORDER, PENSION, APART)
}
ACCOUNT_LINES = copy.deepcopy(_FILES["_shared.yaml"]["request_blocks"]["account"])


def load(label: str, request: list[Any] | None = None) -> Any:
    """The spec ``label`` (with ``request`` in place of its own), loaded beside ``_shared.yaml``."""
    spec = copy.deepcopy(_FILES[label])
    if request is not None:
        spec["request"] = request
    loaded = specs_from_data({label: spec, "_shared.yaml": copy.deepcopy(_FILES["_shared.yaml"])})
    return loaded.endpoints[0].spec


def problems(label: str, request: list[Any]) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load(label, request)
    return caught.value.problems


def order_request() -> list[Any]:
    return copy.deepcopy(_FILES[ORDER]["request"])


def test_use_account_sends_cano_then_the_product_code_where_the_page_lists_them() -> None:
    spec = load(ORDER)
    assert _FILES[ORDER]["request"][1] == {"use": "account"}
    wires = [f.wire for f in spec.request]
    assert wires[:5] == [None, "CANO", "ACNT_PRDT_CD", "PDNO", "SLL_TYPE"]  # side selects the TR
    account, product = spec.request[1], spec.request[2]
    assert (account.python_name, account.fill, account.pattern, account.length) == (
        "account",
        "account",
        "^[0-9]{8}$",
        8,
    )
    assert (product.python_name, product.fill, product.korean) == (
        "account_product",
        "account_product",
        "계좌상품코드",
    )
    assert account.description == "계좌번호 체계(8-2)의 앞 8자리"


def test_a_page_remark_rewords_only_the_description() -> None:
    """퇴직연금 accounts have product code 29: the pension pages say so, and their specs keep it."""
    product = next(f for f in load(PENSION).request if f.wire == "ACNT_PRDT_CD")
    assert product.description == "29 (퇴직연금 계좌의 상품코드)"
    assert (product.fill, product.pattern) == ("account_product", "^[0-9]{2}$")


def test_account_lines_written_out_together_are_refused_naming_the_block() -> None:
    request = order_request()
    request[1:2] = copy.deepcopy(ACCOUNT_LINES)
    assert problems(ORDER, request) == [
        f"{ORDER}: request[1](CANO): write `- use: account` for the block's fields CANO, ACNT_PRDT_CD "
        "(spec/_shared.yaml); a spec writes them out only where the page puts them apart"
    ]


def test_fields_the_page_puts_apart_keep_their_own_lines_and_their_order() -> None:
    spec = load(APART)
    assert [f.wire for f in spec.request][:3] == ["CANO", "SORT_DVSN", "ACNT_PRDT_CD"]


def test_a_written_out_field_that_drifted_from_the_block_is_refused() -> None:
    request = copy.deepcopy(_FILES[APART]["request"])
    request[0]["korean"] = "계좌번호"
    request[0]["length"] = 10
    assert problems(APART, request) == [
        f"{APART}: request[0](CANO): is a field of the request block 'account' (spec/_shared.yaml) with "
        "other values (korean '계좌번호' here, '종합계좌번호' in the block; length 10 here, 8 in the block): "
        "a block's field is the same in every spec"
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"use": "acount"},
            "request[1](use: acount): no request block 'acount' in spec/_shared.yaml (request_blocks: account)",
        ),
        (
            {"use": "account", "length": 10},
            "request[1](use: account): unknown keys ['length']: a block's fields are the same in every "
            "spec, only their description may be worded for a page (description: {argument: text})",
        ),
        (
            {"use": "account", "description": {"CANO": "x"}},
            "request[1](use: account).description.CANO: is not an argument of the block "
            "(account, account_product)",
        ),
    ],
)
def test_a_bad_use_entry_is_named_by_file_and_entry(entry: dict[str, Any], message: str) -> None:
    request = order_request()
    request[1] = entry
    assert problems(ORDER, request) == [f"{ORDER}: {message}"]


def test_an_error_after_the_block_names_the_entry_of_the_file() -> None:
    """The block adds two fields but one entry: a later field's index is the file's."""
    request = order_request()
    request[2]["korean"] = 7  # PDNO
    assert problems(ORDER, request)[0].startswith(f"{ORDER}: request[2].korean: ")


def test_every_account_spec_uses_the_block() -> None:
    """Every committed spec sending CANO gets it from the block or, where the page puts the two
    apart, from lines equal to it (the loader checks); the docs of ``account`` say one thing."""
    texts = {p: p.read_text(encoding="utf-8") for p in (ROOT / "spec").rglob("*.yaml")}
    using = [p for p, t in texts.items() if "- use: account" in t]
    apart = [p.name for p, t in texts.items() if "wire: CANO" in t and not p.name.startswith("_")]
    assert len(using) >= 70
    assert sorted(apart) == ["inquire_period_profit.yaml", "inquire_period_trade_profit.yaml"]


PAGES = SHARED_DOCS / "portal"


@pytest.mark.skipif(not PAGES.is_dir(), reason=f"portal pages not found at {PAGES}")
def test_a_draft_of_an_account_page_uses_the_block_and_notes_the_pages_remark() -> None:
    from codegen.importer import import_file

    order = import_file(PAGES / "[국내주식]_주문-계좌" / "주식주문(현금).md")
    assert "- use: account\n" in order.to_yaml() and "wire: CANO" not in order.to_yaml()
    pension = import_file(PAGES / "[국내주식]_주문-계좌" / "퇴직연금_잔고조회.md")
    assert any(note.startswith("ACNT_PRDT_CD: the page says '29'") for note in pension.undecided)


@pytest.mark.skipif(not PAGES.is_dir(), reason=f"portal pages not found at {PAGES}")
def test_a_reimport_reads_use_account_as_the_fields_it_stands_for() -> None:
    from codegen.importer import import_file
    from codegen.reimport import merge_into

    draft = import_file(PAGES / "[국내주식]_주문-계좌" / "퇴직연금_잔고조회.md")
    merge = merge_into((ROOT / "spec" / PENSION).read_text(encoding="utf-8"), draft)
    assert merge.added == []
    assert not [note for note in merge.notes if "CANO" in note or "ACNT_PRDT_CD" in note]
