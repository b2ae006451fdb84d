"""Bodies as live KIS servers send them (``tests/fixtures/real/``) parse to the typed values a bot
expects and back to the same wire form.

Each case in the corpus is tagged with the forms of ``real-data-notes.md`` it shows (``forms``)
and lists typed values to expect (``expect``: attribute path → ``[type name, wire string]`` or
``null`` for "no value"). A case fails as soon as the handling of one of its forms is removed:
a ``"0"`` date that stops being ``None``, a pseudo-member that turns into an error, a
``"51000.0000"`` that loses its places, an UPPER-CASE key that no longer reaches its attribute.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Mapping
from typing import Any

import attrs
import pytest

from kis_async._convert import to_wire
from kis_async._models import KisResponse
from kis_async._registry import ENDPOINTS
from tests.curated import curated_endpoints
from tests.paths import REAL_BODIES

CORPUS = REAL_BODIES

#: Every form ``real-data-notes.md`` lists that a response body can show, by corpus tag.
FORMS = {
    "signed": "signed differences, ratios and net quantities (-160, -12.71, -35000)",
    "explicit_plus": "an explicit plus (+1.44)",
    "spaced_number": "a leading space ( 0.00)",
    "many_decimals": "more decimals than the length suggests (51000.0000, 8.50956697, 4-8 places overseas)",
    "display_text": "display text in *_cnnm/*_name (7,780 억, 20%)",
    "sentinel": "placeholders: 9999.99 and 0 before the open",
    "empty_date": 'no date as "", "0" or "00000000"',
    "zero_time": 'time "000000"',
    "unknown_code": "codes outside the documented list (sign 0)",
    "blank_flag": 'flags that are "" or Korean text',
    "whitespace_code": "whitespace-only codes (1, 8, 10 spaces)",
    "long_product_code": "12-character product codes (00000A005930) beside 6-digit ones",
    "order_number": "order numbers zero-padded on real, unpadded on paper",
    "upper_case_keys": "UPPER-CASE keys on POST outputs (and excg_id_dvsn_Cd)",
    "undocumented_key": "keys no page lists (SOR_ODNO, new quote fields)",
    "key_with_space": "a key containing a space",
    "output_shape": "an object output sent as a one-element list, an empty list, more rows than asked",
    "padded_continuation": 'continuation keys right-padded to their length, or ""',
    "padded_msg1": "msg1 right-padded with spaces",
    "numeric_msg_cd": "numeric msg_cd on paper (40600000)",
}


def _response_classes() -> dict[str, type[KisResponse]]:
    classes = {}
    for module, const, name in ENDPOINTS:
        classes[name] = getattr(importlib.import_module(f"kis_async.{module}"), const).response
    return classes


RESPONSES = _response_classes()


def _cases() -> list[Any]:
    found = []
    for path in sorted(CORPUS.glob("*.json")):
        corpus = json.loads(path.read_text(encoding="utf-8"))
        for index, case in enumerate(corpus["cases"]):
            found.append(pytest.param(corpus["endpoint"], case, id=f"{corpus['endpoint']}#{index}"))
    return found


CASES = _cases()


def resolve(value: Any, path: str) -> Any:
    """``output1[0].pchs_avg_pric`` or ``raw.output.SOR_ODNO`` on a response."""
    for segment in path.split("."):
        match = re.fullmatch(r"(.+?)(?:\[(\d+)\])?", segment)
        assert match is not None
        name, index = match.groups()
        value = value[name] if isinstance(value, Mapping) else getattr(value, name)
        if index is not None:
            value = value[int(index)]
    return value


def test_every_curated_endpoint_has_a_corpus_file() -> None:
    files = {p.stem for p in CORPUS.glob("*.json")}
    curated = curated_endpoints()
    assert len(curated) >= 15
    assert curated - files == set(), "a spec reviewed against the notes needs tests/fixtures/real/<name>.json"
    assert files - set(RESPONSES) == set(), "a corpus file for an endpoint that does not exist"


def test_every_form_of_the_notes_is_in_the_corpus() -> None:
    shown = {form for case in CASES for form in case.values[1]["forms"]}
    assert set(FORMS) - shown == set()
    assert shown - set(FORMS) == set(), "a corpus tag that FORMS does not describe"


@pytest.mark.parametrize(("endpoint", "case"), CASES)
def test_a_live_body_gives_the_typed_values_a_bot_expects(endpoint: str, case: dict[str, Any]) -> None:
    response = RESPONSES[endpoint].from_dict(case["body"])

    for path, expected in case["expect"].items():
        value = resolve(response, path)
        if expected is None:
            assert value is None, f"{path}: {value!r}"
            continue
        type_name, wire = expected
        if type_name == "list":  # a list output is a Rows, a list with DataFrame conversion
            assert isinstance(value, list) and value == [], path
            continue
        assert type(value).__name__ == type_name, f"{path}: {value!r}"
        assert to_wire(value) == wire, path


@pytest.mark.parametrize(("endpoint", "case"), CASES)
def test_a_live_body_round_trips_losslessly(endpoint: str, case: dict[str, Any]) -> None:
    cls = RESPONSES[endpoint]
    typed = cls.from_dict(case["body"])
    wire = typed.to_dict()
    again = cls.from_dict(wire)

    assert again == typed
    assert again.to_dict() == wire  # decimals keep their places: "51000.0000" stays "51000.0000"
    for key in case["body"]:  # nothing KIS sent is lost, documented or not
        assert key in wire or key.lower() in wire


@pytest.mark.parametrize(("endpoint", "case"), CASES)
def test_each_documented_wire_value_survives_its_type(endpoint: str, case: dict[str, Any]) -> None:
    """wire string → typed value → wire string → the same typed value, field by field."""
    cls = RESPONSES[endpoint]
    typed = cls.from_dict(case["body"])
    for output in cls.__outputs__:
        rows = getattr(typed, output)
        for row in rows if isinstance(rows, list) else [rows] if rows is not None else []:
            documented = [a.name for a in attrs.fields(type(row)) if a.name != "raw"]
            for name in documented:
                wire = to_wire(getattr(row, name))
                again = type(row).from_dict({name: wire})
                assert getattr(again, name) == getattr(row, name), f"{output}.{name}: {wire!r}"
