"""Record and replay KIS exchanges: a bug report is one JSON Lines file.

``KisClient(..., record="session.jsonl")`` appends one line per HTTP exchange of an API call
(each attempt, retries included):

.. code-block:: json

    {"time": "2026-11-20T00:31:02.118Z", "method": "GET", "path": "/uapi/…/credit-balance",
     "tr_id": "FHKST17010000", "request_tr_cont": "", "query": {"FID_INPUT_ISCD": "0000", …},
     "status": 200, "tr_cont": "D", "response": {"rt_cd": "0", …}}

POST calls carry ``"body"`` instead of ``"query"``; an exchange that got no answer (connection
reset, body cut off) carries ``"error"`` and ``"status": null``. What is never written: the app
key, the app secret, access tokens, approval keys and every other header (only ``tr_id`` and
``tr_cont`` are kept), and the token endpoint's exchanges. Account numbers (``CANO``) are masked
in requests and responses, the same way every time, so a replay still matches.

:class:`Replay` reads such a file back for ``Sandbox(replay=...)``: the recorded answers of one
request (method, path, TR ID, masked query or body) are handed out in the order they were
recorded.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

#: Keys holding an account number (종합계좌번호), in any case, masked wherever they appear.
ACCOUNT_KEYS = frozenset({"cano", "acnt_no"})
#: What every account number is written as (same length as KIS's 8 digits).
MASK = "********"


#: Nesting a recording writes at most: KIS bodies are three levels deep; a deeper one is hostile,
#: and bounding it here does not depend on the interpreter's recursion limit.
MAX_RECORD_DEPTH = 64


def mask_accounts(value: Any, _depth: int = 0) -> Any:
    """``value`` with every account number (``CANO``/``cano`` …) replaced by :data:`MASK`;
    ``ValueError`` for a value nested deeper than :data:`MAX_RECORD_DEPTH`."""
    if _depth > MAX_RECORD_DEPTH:
        raise ValueError(f"nested deeper than {MAX_RECORD_DEPTH} levels")
    if isinstance(value, Mapping):
        return {
            key: (
                MASK if key.lower() in ACCOUNT_KEYS and value[key] else mask_accounts(value[key], _depth + 1)
            )
            for key in value
        }
    if isinstance(value, list):
        return [mask_accounts(item, _depth + 1) for item in value]
    return value


_ACCOUNT_IN_TEXT = re.compile(r"(?i)\b(cano|acnt_no)([\"']?\s*[=:]\s*[\"']?)[^&\s\"',}]+")


def mask_account_text(text: str) -> str:
    """``text`` (an error message, a URL) with account numbers after ``CANO=``/``"CANO": `` masked."""
    return _ACCOUNT_IN_TEXT.sub(lambda m: m.group(1) + m.group(2) + MASK, text)


def request_key(method: str, path: str, tr_id: str, fields: Mapping[str, Any]) -> str:
    """What identifies a request for replay: method, path, TR ID and the masked fields."""
    masked = mask_accounts({str(k): "" if v is None else str(v) for k, v in fields.items()})
    return json.dumps([method.upper(), path, tr_id, sorted(masked.items())], ensure_ascii=False)


class Recorder:
    """Appends exchanges to a JSON Lines file (created 0600: it holds account data).

    The file is opened for each line and closed again, so nothing stays open between calls and
    a client that is never closed leaks no handle.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.fchmod(descriptor, 0o600)  # a file that existed keeps no wider mode (0644 …)
        finally:
            os.close(descriptor)

    def exchange(
        self,
        *,
        method: str,
        path: str,
        tr_id: str,
        fields: Mapping[str, Any],
        request_tr_cont: str = "",
        status: int | None = None,
        tr_cont: str | None = None,
        response: Any = None,
        error: BaseException | None = None,
    ) -> None:
        """Write one exchange (a line, flushed at once so a crash loses nothing recorded)."""
        line: dict[str, Any] = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "method": method,
            "path": path,
            "tr_id": tr_id,
            "request_tr_cont": request_tr_cont,
            "query" if method.upper() == "GET" else "body": mask_accounts(dict(fields)),
            "status": status,
            "tr_cont": tr_cont or "",
        }
        if error is not None:
            # a transport error's text can hold the request URL, query (CANO=…) included
            line["error"] = mask_account_text(f"{type(error).__name__}: {error}")
        try:
            if error is None:
                line["response"] = mask_accounts(response)
            text = json.dumps(line, ensure_ascii=False)
        except (RecursionError, ValueError):  # a hostile body nested too deep to write back
            line["response"] = "<nested too deep to record>"
            text = json.dumps(line, ensure_ascii=False)
        with self.path.open("a", encoding="utf-8") as file:
            file.write(text + "\n")


@attrs.frozen
class Recorded:
    """One recorded answer: the HTTP status, the ``tr_cont`` header and the body, or the error
    that took its place (then the replaying server closes the connection instead)."""

    status: int | None
    tr_cont: str
    response: Any
    error: str | None


class ReplayFileError(ValueError):
    """A replay file that is not what :class:`Recorder` writes (names the file and line)."""


class Replay:
    """Recorded answers by request, each handed out once, in recorded order."""

    def __init__(self, exchanges: Iterable[tuple[str, Recorded]]) -> None:
        self._answers: dict[str, collections.deque[Recorded]] = collections.defaultdict(collections.deque)
        self.total = 0
        for key, recorded in exchanges:
            self._answers[key].append(recorded)
            self.total += 1
        self.used = 0

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Replay:
        return cls(_read(Path(path)))

    def answer(self, method: str, path: str, tr_id: str, fields: Mapping[str, Any]) -> Recorded | None:
        """The next recorded answer to this request, ``None`` once none is left."""
        queue = self._answers.get(request_key(method, path, tr_id, fields))
        if not queue:
            return None
        self.used += 1
        return queue.popleft()

    @property
    def remaining(self) -> int:
        return self.total - self.used


def _read(path: Path) -> Iterable[tuple[str, Recorded]]:
    with path.open(encoding="utf-8") as file:
        for number, text in enumerate(file, 1):
            if not text.strip():
                continue
            where = f"{path}:{number}"
            try:
                line = json.loads(text)
                method, url_path, tr_id = line["method"], line["path"], line["tr_id"]
                fields = line.get("query", line.get("body")) or {}
                status = line.get("status")
            except (ValueError, KeyError, TypeError) as exc:
                raise ReplayFileError(f"{where}: not a recorded exchange ({exc})") from None
            if not isinstance(fields, dict) or (status is None and "error" not in line):
                raise ReplayFileError(f"{where}: needs query/body as an object and a status or an error")
            recorded = Recorded(status, line.get("tr_cont") or "", line.get("response"), line.get("error"))
            yield request_key(method, url_path, tr_id, fields), recorded
