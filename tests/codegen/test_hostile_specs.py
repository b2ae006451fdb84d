"""A spec cannot run code: whatever a string in a spec says, the generated modules import
without running it, or the loader refuses the spec naming the file and the field.

Specs come from contributors and from ``codegen import`` of portal pages, so every string of a
REST spec, a real-time spec and ``_shared.yaml`` (values and mapping keys) is replaced in turn
by a payload that closes a docstring, a string literal or a line and touches a file.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.loader import SpecError, load_specs, specs_from_data
from codegen.render import docstring_text, render_all
from tests.paths import ROOT

REST_LABEL = "domestic_stock/ranking/credit_balance.yaml"
FEED_LABEL = "domestic_stock/realtime/etf_nav.yaml"
SHARED_ENUM = "Sign"  # the shared enum both seeds use


def payload(marker: str) -> str:
    """Closes every kind of quote and line a template could put a value in, then touches
    ``marker``; also a NUL, a bidi override and a trailing backslash (a lone surrogate cannot
    be read from YAML: see test_escaping_keeps_any_text_exactly)."""
    touch = f'__import__("pathlib").Path("{marker}").touch()'
    return (
        f"x\"\"\"; {touch}; \"\"\" '''; {touch}; ''' \"; {touch}; \" '; {touch}; '\n{touch}\r\n"
        f"# }}}} {{{{ \x00\u202e \\"
    )


def _read(label: str) -> Any:
    return yaml.load((ROOT / "spec" / label).read_text(encoding="utf-8"), Loader=_FastLoader)


_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SEEDS = {
    REST_LABEL: _read(REST_LABEL),
    FEED_LABEL: _read(FEED_LABEL),
    "_shared.yaml": {"enums": {SHARED_ENUM: _read("_shared.yaml")["enums"][SHARED_ENUM]}},
}


def seeds() -> dict[str, Any]:
    return copy.deepcopy(_SEEDS)


Path_ = tuple[Any, ...]


def string_places(node: Any, at: Path_ = ()) -> Iterator[tuple[str, Path_]]:
    """("value", path) for every string value and ("key", path) for every mapping key."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and at:  # top-level keys are the format's own
                yield "key", (*at, key)
            yield from string_places(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from string_places(value, (*at, index))
    elif isinstance(node, str):
        yield "value", at


def put(specs: dict[str, Any], label: str, kind: str, at: Path_, text: str) -> None:
    parent = specs[label]
    for step in at[:-1]:
        parent = parent[step]
    if kind == "value":
        parent[at[-1]] = text
    else:  # rename the key, keeping the order
        items = list(parent.items())
        parent.clear()
        parent.update({(text if k == at[-1] else k): v for k, v in items})


def write(specs: dict[str, Any], root: Path, names: dict[str, str] | None = None) -> None:
    for label, data in specs.items():
        path = root / (names or {}).get(label, label)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


PLACES = [(label, kind, at) for label, data in seeds().items() for kind, at in string_places(data)]


def test_every_string_of_the_seeds_is_visited() -> None:
    """The walk covers values and keys of all three files (a guard for the test itself)."""
    labels = {label for label, _, _ in PLACES}
    assert labels == {REST_LABEL, FEED_LABEL, "_shared.yaml"}
    assert ("value", ("doc_id",)) in [(k, a) for lbl, k, a in PLACES if lbl == REST_LABEL]
    assert len(PLACES) > 150


@pytest.fixture(scope="module")
def verdicts() -> dict[tuple[str, str, Path_], list[str]]:
    """Each string replaced alone by a payload: the loader's problems ([] when it accepts)."""
    found = {}
    for index, (label, kind, at) in enumerate(PLACES):
        specs = seeds()
        put(specs, label, kind, at, payload(f"PWNED_{index}"))
        try:
            specs_from_data(specs)
            found[(label, kind, at)] = []
        except SpecError as exc:
            found[(label, kind, at)] = exc.problems
    return found


def test_a_refused_payload_is_named_by_file_and_field(
    verdicts: dict[tuple[str, str, Path_], list[str]],
) -> None:
    refused = {place: problems for place, problems in verdicts.items() if problems}
    # identifiers, class and member names, TR IDs, wire names, paths, doc ids and enum codes
    assert ("value", ("doc_id",)) in [(k, a) for (lbl, k, a) in refused if lbl == REST_LABEL]
    assert ("value", ("tr_id", "real")) in [(k, a) for (lbl, k, a) in refused if lbl == FEED_LABEL]
    assert (REST_LABEL, "value", ("path",)) in refused
    assert (REST_LABEL, "value", ("request", 1, "wire")) in refused
    assert (REST_LABEL, "value", ("enums", "CreditBalanceSort", "members", "LOAN_RATE", "code")) in refused
    assert ("_shared.yaml", "key", ("enums", SHARED_ENUM, "members", "RISE")) in refused
    for (label, _, _), problems in refused.items():
        files = set()
        for problem in problems:
            file, field, message = (part.strip() for part in [*problem.split(": ", 2), "", ""][:3])
            assert field and message, problem
            files.add(file)
        assert label in files, problems  # a bad shared enum also fails the specs that use it
    assert '\'x"""; __import__' in verdicts[(REST_LABEL, "value", ("doc_id",))][0]


def accepted_places() -> list[tuple[str, str, Path_]]:
    """Where the loader accepts a payload (free text), each checked alone."""
    found = []
    for label, kind, at in PLACES:
        specs = seeds()
        put(specs, label, kind, at, payload("PWNED_probe"))
        try:
            specs_from_data(specs)
        except SpecError:
            continue
        found.append((label, kind, at))
    return found


def generate_with_payloads(
    accepted: list[tuple[str, str, Path_]], tmp_path: Path
) -> tuple[subprocess.CompletedProcess[str], dict[int, str]]:
    """Put a payload into every accepted place at once (and into the spec's file name), generate
    the package into ``tmp_path/site`` beside a copy of the hand-written core, and import every
    generated module in a fresh interpreter whose working folder is ``tmp_path``; it prints what
    the docstrings and literals read back, and which marker files exist."""
    specs = seeds()
    texts = {}
    for index, (label, kind, at) in enumerate(accepted):
        texts[index] = payload(f"PWNED_{index}")
        put(specs, label, kind, at, texts[index])
    # a file name is spec input too: it reaches every module's header
    hostile_name = 'domestic_stock/ranking/x"""; __import__("pathlib").Path("PWNED_file").touch(); """.yaml'
    spec_root = tmp_path / "spec"
    write(specs, spec_root, {REST_LABEL: hostile_name})
    files = render_all(load_specs(spec_root))

    package = tmp_path / "site" / "kis_async"
    package.mkdir(parents=True)
    generated = {
        Path(rel).relative_to("kis_async").as_posix() for rel in files if rel.startswith("kis_async/")
    }
    for source in (ROOT / "kis_async").glob("*.py"):  # the hand-written core
        if source.name not in generated:
            shutil.copy(source, package / source.name)
    for rel, text in files.items():
        if rel.startswith("kis_async/"):
            target = tmp_path / "site" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", errors="strict")

    check = f"""
import importlib, json, pathlib, sys
sys.path.insert(0, {str(tmp_path / "site")!r})
import kis_async
for rel in {sorted(r for r in generated if r.endswith(".py"))!r}:
    importlib.import_module("kis_async." + rel[:-3].replace("/", ".").removesuffix(".__init__"))
from kis_async.domestic_stock import ranking, DomesticStock
from kis_async.realtime import domestic_stock as rt
from kis_async import enums
out = {{
    "title": ranking.CREDIT_BALANCE.title,
    "method_doc": DomesticStock.credit_balance.__doc__,
    "feed_title": rt.etf_nav.title,
    "tick_doc": rt.EtfNavTick.__doc__,
    "enum_doc": enums.{SHARED_ENUM}.__doc__,
    "params": [[p.korean] for p in ranking.CREDIT_BALANCE.params],
    "markers": sorted(p.name for p in pathlib.Path(".").glob("PWNED*")),
}}
print(json.dumps(out, ensure_ascii=True))
"""
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    return result, texts


def test_an_accepted_payload_generates_modules_that_import_without_running_it(
    verdicts: dict[tuple[str, str, Path_], list[str]], tmp_path: Path
) -> None:
    """Every payload the loader accepts (titles, Korean names, descriptions, units, consts,
    defaults, the file name) at once: the generated package imports, no marker file appears,
    and each text reads back exactly from the docstrings and literals it went into."""
    accepted = [place for place, problems in verdicts.items() if not problems]
    assert len(accepted) > 60
    result, texts = generate_with_payloads(accepted, tmp_path)
    assert result.returncode == 0, result.stderr
    seen = yaml.safe_load(result.stdout)  # JSON is YAML
    assert seen["markers"] == []
    assert not list(tmp_path.rglob("PWNED*"))
    title = texts[accepted.index((REST_LABEL, "value", ("title",)))]
    assert seen["title"] == title  # a literal keeps the text exactly
    assert " ".join(title.split()) in seen["method_doc"]  # a docstring: whitespace folded
    assert seen["feed_title"] == texts[accepted.index((FEED_LABEL, "value", ("title",)))]
    assert " ".join(texts[accepted.index((FEED_LABEL, "value", ("title",)))].split()) in seen["tick_doc"]
    shared_korean = texts[accepted.index(("_shared.yaml", "value", ("enums", SHARED_ENUM, "korean")))]
    assert " ".join(shared_korean.split()) in seen["enum_doc"]
    korean = texts[accepted.index((REST_LABEL, "value", ("request", 0, "korean")))]
    sort_korean = texts[accepted.index((REST_LABEL, "value", ("request", 4, "korean")))]
    assert [seen["params"][0][0], seen["params"][4][0]] == [korean, sort_korean]


@pytest.mark.parametrize(
    "text", ['"', '""', '"""', "\\", 'a\\"""b"', "\x00\u202e\ud800", "tab\there\nand \u2028 there"]
)
def test_escaping_keeps_any_text_exactly(text: str) -> None:
    """The two escaping functions: a literal reads back as the text, a docstring as the text
    with whitespace folded, whatever follows it in the template."""
    from codegen.render import _pyrepr

    assert eval(_pyrepr(text)) == text
    folded = " ".join(text.split())
    for after in ("", ".", ' "q".'):
        assert eval(f'"""{docstring_text(text)}{after}"""') == folded + after
    assert eval(f'"""{docstring_text(text)}{docstring_text(text)}"""') == folded + folded


def test_an_order_numeric_argument_without_a_range_is_a_spec_error() -> None:
    """Quantity -5 or a price of 1E+30 must never be sent: the loader makes every numeric argument
    of an order (a POST that is not retry_safe) carry a range."""
    label = "domestic_stock/trading/order_cash.yaml"
    order = _read(label)
    quantity = next(f for f in order["request"] if f.get("wire") == "ORD_QTY")
    del quantity["range"]
    with pytest.raises(SpecError) as caught:
        specs_from_data({label: order, "_shared.yaml": _read("_shared.yaml")})
    assert caught.value.problems == [
        f"{label}: request[5](ORD_QTY): a numeric argument of an order needs a range "  # entry 5 of the file
        "(quantity [1, N], price [0, N])"
    ]


def test_codegen_with_a_missing_folder_says_so_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from codegen.__main__ import main

    assert main(["gen", "--root", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err == f"codegen: --root {tmp_path / 'nowhere'}: no such folder\n"


def test_a_dynamic_endpoint_keeps_the_spec_pattern() -> None:
    """``codegen.dynamic`` (specs served by the sandbox at run time) checks what generated code checks."""
    from codegen.dynamic import build_endpoint

    label = "domestic_stock/trading/order_cash.yaml"
    loaded = specs_from_data({label: _read(label), "_shared.yaml": _read("_shared.yaml")})
    order = build_endpoint(loaded.endpoints[0].spec, loaded.shared.enums)
    account = next(p for p in order.params if p.wire == "CANO")
    assert account.pattern == "^[0-9]{8}$"


def test_the_real_specs_pass_the_patterns() -> None:
    """The committed specs are within every pattern the loader enforces."""
    loaded = load_specs(ROOT / "spec")
    assert len(loaded.endpoints) > 100 and len(loaded.realtime) > 20
