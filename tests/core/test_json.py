"""Bodies decode to the same values whether or not orjson is installed."""

from __future__ import annotations

import json
import math

import pytest

from kis_async import _json


@pytest.mark.parametrize(
    "raw",
    [
        b'{"rt_cd": "0", "output": [{"stck_prpr": "71000"}], "msg1": "\\uc815\\uc0c1 "}',
        '{"hts_kor_isnm": "삼성전자", "expires_in": 86400}'.encode(),
        b'{"big": 18446744073709551615, "small": -9223372036854775808}',
        b'{"lone": "\\ud800"}',
        b'{"dup": 1, "dup": 2}',
        b"[1.5, -0.0, 1e308]",
    ],
)
def test_bodies_decode_exactly_as_the_standard_library_does(raw: bytes) -> None:
    assert _json.loads(raw) == json.loads(raw)


def test_a_nan_literal_is_read_as_the_standard_library_reads_it() -> None:
    assert math.isnan(_json.loads(b'{"x": NaN}')["x"])


def test_text_that_is_not_json_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        _json.loads(b"<html>502 Bad Gateway</html>")
