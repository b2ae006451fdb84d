"""The recording file format: account numbers masked the same way everywhere, and a replay file
that is not one says where."""

from __future__ import annotations

from pathlib import Path

import pytest

from kis_async._record import MASK, Replay, ReplayFileError, mask_accounts, request_key


def test_account_numbers_are_masked_in_requests_and_nested_answers() -> None:
    body = {"CANO": "50012345", "ACNT_PRDT_CD": "01", "output1": [{"cano": "50012345", "pdno": "AAPL"}]}

    masked = mask_accounts(body)

    assert masked == {"CANO": MASK, "ACNT_PRDT_CD": "01", "output1": [{"cano": MASK, "pdno": "AAPL"}]}
    assert body["CANO"] == "50012345"  # the caller's data is left alone


def test_an_empty_account_field_stays_empty() -> None:
    assert mask_accounts({"CANO": ""}) == {"CANO": ""}


def test_two_accounts_asking_the_same_match_the_same_recording() -> None:
    mine = request_key("GET", "/p", "TTTC8434R", {"CANO": "11111111", "ACNT_PRDT_CD": "01"})
    theirs = request_key("get", "/p", "TTTC8434R", {"ACNT_PRDT_CD": "01", "CANO": "22222222"})

    assert mine == theirs
    assert mine != request_key("GET", "/p", "VTTC8434R", {"CANO": "11111111", "ACNT_PRDT_CD": "01"})


def test_a_file_that_is_not_a_recording_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"method": "GET", "path": "/p", "tr_id": "X", "query": {}, "status": 200}\nnot json\n')

    with pytest.raises(ReplayFileError, match=r"bad\.jsonl:2"):
        Replay.load(path)
