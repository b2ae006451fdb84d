"""The generator: bad specs fail with file: field: problem, output is deterministic and committed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.generate import build
from codegen.loader import SpecError, load_specs
from tests.paths import ROOT

SEED_LABEL = "domestic_stock/ranking/credit_balance.yaml"


def run_codegen(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    target = tmp_path / "spec"
    shutil.copytree(ROOT / "spec", target)
    return target


def break_seed(spec_root: Path, old: str, new: str) -> None:
    path = spec_root / SEED_LABEL
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        (
            "enum: CreditBalanceMarket\n",
            "enum: CreditBalanceMarkt\n",
            "request[1](FID_INPUT_ISCD)",
            "not defined",
        ),
        ("range: [2, 999]", "range: [999, 2]", "request[2](FID_OPTION)", "is empty"),
        ("method: GET", "method: FETCH", "method", ""),
        (
            "    enum: CreditBalanceMarket\n",
            '    type: str\n    pattern: "^[0-9{4}$"\n',
            "request[1](FID_INPUT_ISCD)",
            "pattern '^[0-9{4}$' is not a regular expression",
        ),
        ("range: [2, 999]", 'range: [2, 999]\n    pattern: "^[0-9]+$"', "request[2](FID_OPTION)", "type str"),
        ("    korean: 증가율기간\n", "    korean: 증가율기간\n    lenght: 5\n", "request[2]", "lenght"),
        ("row: CreditBalanceRow", "row: DomesticStock", "response.output2.row", "the category's class name"),
        ("row: CreditBalanceRow", "row: Paged", "response.output2.row", "generated modules already use"),
    ],
    ids=[
        "unknown-enum",
        "empty-range",
        "bad-method",
        "bad-pattern",
        "pattern-not-str",
        "typo-key",
        "category-class",
        "reserved-class",
    ],
)
def test_a_bad_spec_names_file_field_and_problem(
    spec_copy: Path, old: str, new: str, field: str, problem: str
) -> None:
    break_seed(spec_copy, old, new)
    with pytest.raises(SpecError) as caught:
        load_specs(spec_copy)
    (line,) = caught.value.problems
    assert line.startswith(f"{SEED_LABEL}: {field}")
    assert problem in line


def test_gen_on_a_bad_spec_exits_1_without_a_traceback(spec_copy: Path, tmp_path: Path) -> None:
    break_seed(spec_copy, "range: [2, 999]", "range: [999, 2]")
    result = run_codegen("gen", "--spec", str(spec_copy), "--root", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{SEED_LABEL}: request[2](FID_OPTION): range 999..2 is empty" in result.stderr


def test_generation_is_deterministic(tmp_path: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert build(ROOT / "spec", tmp_path) == build(ROOT / "spec", tmp_path)


def test_the_committed_generated_code_matches_the_specs() -> None:
    result = run_codegen("check")
    assert result.returncode == 0, result.stderr


def test_a_method_docstring_lists_every_allowed_code() -> None:
    """help(kis.domestic_stock.inquire_psbl_order) is where a bot author looks up the order type
    of an after-hours block order; the docstring used to stop after 12 codes with "… (19 more)"."""
    from kis_async.domestic_stock import DomesticStock
    from kis_async.enums import OrderType

    doc = " ".join((DomesticStock.inquire_psbl_order.__doc__ or "").split())
    assert "more)" not in doc
    for member in OrderType:
        assert f"{member.value!r} {member.name}" in doc


def test_a_method_docstring_says_what_each_output_holds() -> None:
    """help(kis.domestic_stock.credit_balance) names every output with its row class and 한글명,
    not only the response class."""
    from kis_async.domestic_stock import DomesticStock

    doc = " ".join((DomesticStock.credit_balance.__doc__ or "").split())
    returns = doc[doc.index("Returns:") :]
    assert "CreditBalanceResponse: ``output1`` list of CreditBalanceSector (응답상세" in returns
    assert "``output2`` list of CreditBalanceRow (응답상세 (순위))" in returns


def test_a_paged_methods_docstring_says_what_each_page_holds() -> None:
    from kis_async.domestic_stock import DomesticStock

    doc = " ".join((DomesticStock.inquire_balance.__doc__ or "").split())
    returns = doc[doc.index("Returns:") :]
    assert "Each page is one InquireBalanceResponse: ``output1`` list of BalanceHolding" in returns
    assert "``output2`` BalanceSummary" in returns


ORDER_LABEL = "domestic_stock/trading/order_cash.yaml"


@pytest.mark.parametrize(
    ("new", "problem"),
    [
        ("order_number: [output.ODNOX]", "order_number[0]: response.output has no field 'ODNOX'"),
        (
            "order_number: [outputs.ODNO]",
            "order_number[0]: 'outputs.ODNO' is not <output>.<WIRE> of this spec's response",
        ),
        (
            "order_number: [output]",
            "order_number[0]: 'output' is not <output>.<WIRE> of this spec's response",
        ),
    ],
    ids=["unknown-field", "unknown-output", "no-field"],
)
def test_an_order_number_that_names_no_field_of_the_answer_is_refused(
    spec_copy: Path, new: str, problem: str
) -> None:
    path = spec_copy / ORDER_LABEL
    text = path.read_text(encoding="utf-8")
    assert "order_number: [output.ODNO]" in text
    path.write_text(text.replace("order_number: [output.ODNO]", new, 1), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_specs(spec_copy)
    assert caught.value.problems == [f"{ORDER_LABEL}: {problem}"]


def test_a_read_has_no_order_number(spec_copy: Path) -> None:
    break_seed(spec_copy, "response:", "order_number: [output2.stck_prpr]\nresponse:")
    with pytest.raises(SpecError) as caught:
        load_specs(spec_copy)
    assert caught.value.problems == [
        f"{SEED_LABEL}: order_number[0]: only an order (a call that is never retried) has an order number"
    ]


def test_every_order_says_where_its_answer_holds_the_order_number() -> None:
    from kis_async.sandbox._server import registered_endpoints

    orders = [e for e in registered_endpoints() if not e.retry_safe]
    without = sorted(e.name for e in orders if not e.order_number)
    # 예약주문정정취소 answers only 정상처리여부 (nrml_prcs_yn): there is no number to read
    assert without == ["domestic_stock.order_resv_rvsecncl"]
    cash = next(e for e in orders if e.name == "domestic_stock.order_cash")
    assert cash.order_number == (("output", "odno"),)


def test_a_spec_asking_for_extra_headers_is_refused_not_ignored(tmp_path: Path) -> None:
    """The client sends the standard, hashkey and corporate headers only; a ``headers:`` key used to
    be read and silently dropped, so a spec author believed a header was sent that never was."""
    path = tmp_path / "domestic_stock" / "trading" / "x.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "title: 테스트\nmethod: POST\npath: /uapi/domestic-stock/v1/trading/x\n"
        "tr_id: {real: TTTC0001U, paper: VTTC0001U}\n"
        "headers:\n  - {wire: hashkey, korean: 해시키}\n"
        "response:\n  output:\n    shape: object\n    row: XRow\n    fields:\n"
        "      - {wire: ODNO, korean: 주문번호}\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as caught:
        load_specs(tmp_path, shared_root=ROOT / "spec")
    assert caught.value.problems == [
        "domestic_stock/trading/x.yaml: (top level): extra fields found (headers)"
    ]


def test_paging_tr_cont_takes_the_requests_ctx_area_fields_as_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "domestic_stock" / "trading" / "holdings.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "title: 테스트 잔고\nmethod: GET\npath: /uapi/domestic-stock/v1/trading/holdings\n"
        "tr_id: {real: TTTC8434R, paper: VTTC8434R}\npaging: tr_cont\n"
        "request:\n"
        "  - {wire: CTX_AREA_FK100, korean: 연속조회검색조건100, required: false, length: 100}\n"
        "  - {wire: CTX_AREA_NK100, korean: 연속조회키100, required: false, length: 100}\n"
        "response:\n  output1:\n    row: HoldingRow\n    fields:\n      - {wire: PDNO, korean: 상품번호}\n",
        encoding="utf-8",
    )
    (spec,) = (item.spec for item in load_specs(tmp_path, shared_root=ROOT / "spec").endpoints)
    assert spec.paging is not None
    assert spec.paging.keys == {"CTX_AREA_FK100": "ctx_area_fk100", "CTX_AREA_NK100": "ctx_area_nk100"}


def _same(a: object, b: object) -> bool:
    """Equal values of the same types, keys in the same order (``True == 1`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict) and isinstance(b, dict):
        return list(map(repr, a)) == list(map(repr, b)) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) or repr(a) == repr(b)  # nan


def _both_loaders(text: str) -> tuple[object, object]:
    """What the spec loader's fast path and PyYAML's own loader make of ``text`` (value or error)."""
    import io

    import yaml

    from codegen import _yaml
    from codegen.loader import _SafeLoader

    results = []
    for read in (lambda h: _yaml.load(h, _SafeLoader), lambda h: yaml.load(h, Loader=_SafeLoader)):
        try:
            results.append(read(io.StringIO(text)))
        except Exception as exc:
            results.append(f"{type(exc).__name__}: {exc}")
    return results[0], results[1]


def test_every_spec_file_reads_the_same_with_the_fast_yaml_path() -> None:
    """make gen reads the specs from libyaml's events (twice as fast); every value and type is the
    one PyYAML's loader builds."""
    import yaml

    from codegen import _yaml
    from codegen.loader import _SafeLoader

    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml: make gen uses PyYAML's loader alone")
    for path in sorted((ROOT / "spec").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast = _yaml._from_events(yaml.CSafeLoader(text))  # the fast path itself: no fallback
        assert _same(fast, yaml.load(text, Loader=_SafeLoader)), path


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 0x1F\nc: 1_000\nd: -3\ne: +4\nf: 0o17\ng: 012\n",
        "t: true\nu: no\nv: On\nw: ~\nx: null\ny:\nz: ''\n",
        "f: 1.5\ng: .inf\nh: -.Inf\ni: .nan\nj: 6.02e+23\nk: 1e3\n",
        "d: 2024-01-31\nt: 2024-01-31 09:30:00\nz: 2024-01-31T09:30:00+09:00\n",
        "q: '01'\nr: \"0x10\"\ns: |\n  two\n  lines\nt: >\n  folded\n  text\n",
        "nested: {a: [1, 2, {b: c}], d: []}\nempty: {}\nlist: [x, 'y', 3]\n",
        "1: one\n'1': quoted one\n2.5: two and a half\ntrue: yes\n~: nothing\n",
        '한글: 신용잔고\nname: 주식 (KRX)\nnote: "quote \\" inside"\n',
        "",
        "---\n",
        "just a scalar\n",
        "- a\n- b: 1\n  c: [2]\n",
    ],
    ids=[
        "ints",
        "bools-nulls",
        "floats",
        "timestamps",
        "quoted-blocks",
        "flow",
        "keys",
        "korean",
        "empty",
        "doc",
        "scalar",
        "seq",
    ],
)
def test_the_fast_yaml_path_builds_what_pyyaml_builds(text: str) -> None:
    fast, full = _both_loaders(text)
    assert _same(fast, full), (fast, full)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("name: a\nname: b\n", "key 'name' is given twice"),
        ("base: &b {x: 1}\nother: *b\n", None),
        ("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", None),
        ("a: !!str 012\nb: !!int '7'\n", None),
        ("? [a, b]\n: c\n", "a key must be a plain name, got a list"),
        ("a: 1\n---\nb: 2\n", "expected a single document"),
        ("a: [1, 2\n", "expected ',' or ']'"),
        ("a: b: c\n", "mapping values are not allowed"),
        ("a: =\n", None),
        ("1: a\n1.0: b\n", "given twice"),
    ],
    ids=[
        "twice",
        "alias",
        "merge",
        "tags",
        "complex-key",
        "two-docs",
        "unclosed",
        "bad-mapping",
        "value-tag",
        "equal-keys",
    ],
)
def test_yaml_the_fast_path_leaves_alone_reads_or_fails_as_pyyaml_does(text: str, error: str | None) -> None:
    """Anchors, merge keys, tags, a key given twice, syntax errors: PyYAML's loader answers, with
    its own value or its own message and position."""
    fast, full = _both_loaders(text)
    assert _same(fast, full), (fast, full)
    if error is not None:
        assert isinstance(fast, str) and error in fast
