"""The KIS WebSocket wire format: request messages, answers, data frames and their decryption.

- request: ``{"header": {approval_key, custtype, tr_type "1"/"2", content-type}, "body": {"input":
  {tr_id, tr_key}}}``
- answer: ``{"header": {tr_id, tr_key, encrypt}, "body": {rt_cd, msg_cd, msg1, output: {iv, key}}}``
- heartbeat: a JSON frame with ``header.tr_id == "PINGPONG"``, echoed back verbatim
- data: ``E|TR_ID|NNN|v^v^…`` — ``E`` 1 = AES-256-CBC + base64 payload, ``NNN`` records
"""

from __future__ import annotations

import base64
import json
from typing import Any

import attrs

from kis_async._auth import Secret
from kis_async._errors import KisConfigError

PINGPONG = "PINGPONG"
REGISTER, RELEASE = "1", "2"

#: msg_cd / msg1 of answers that are not failures although rt_cd says so.
ALREADY_SUBSCRIBED = ("OPSP0002", "ALREADY IN SUBSCRIBE")
MAX_SUBSCRIBE = ("OPSP0008", "MAX SUBSCRIBE OVER")
#: Refusals of the approval key: KIS's OPSP0011, whose msg1 live servers word
#: ``invalid approval : NOT FOUND`` (seen in bot authors' logs) and the portal ``INVALID APPROVAL KEY``.
INVALID_APPROVAL = ("OPSP0011", "INVALID APPROVAL")


def refuses_approval(msg_cd: str, msg1: str) -> bool:
    """Whether a refusal is for the approval key (a fresh key may be accepted)."""
    return msg_cd == INVALID_APPROVAL[0] or INVALID_APPROVAL[1] in msg1.upper() or "승인키" in msg1


def request_message(approval_key: str, custtype: str, tr_type: str, tr_id: str, tr_key: str) -> str:
    return json.dumps(
        {
            "header": {
                "approval_key": approval_key,
                "custtype": custtype,
                "tr_type": tr_type,
                "content-type": "utf-8",
            },
            "body": {"input": {"tr_id": tr_id, "tr_key": tr_key}},
        }
    )


@attrs.frozen
class Answer:
    """KIS's JSON answer to a (un)subscribe request, or a PINGPONG."""

    tr_id: str
    tr_key: str
    rt_cd: str
    msg_cd: str
    msg1: str
    key: Secret | None = None
    iv: Secret | None = None

    @property
    def is_ping(self) -> bool:
        return self.tr_id == PINGPONG

    @property
    def ok(self) -> bool:
        return self.rt_cd == "0" or self.already

    @property
    def already(self) -> bool:
        return self.msg_cd == ALREADY_SUBSCRIBED[0] or ALREADY_SUBSCRIBED[1] in self.msg1.upper()


def parse_answer(text: str) -> Answer:
    """Raises ``ValueError`` for anything that is not a KIS JSON answer."""
    data = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("header"), dict):
        raise ValueError("a JSON frame without header")
    header: dict[str, Any] = data["header"]
    body = data.get("body") if isinstance(data.get("body"), dict) else {}
    assert isinstance(body, dict)
    output = body.get("output") if isinstance(body.get("output"), dict) else {}
    assert isinstance(output, dict)
    key, iv = output.get("key"), output.get("iv")
    return Answer(
        tr_id=str(header.get("tr_id") or ""),
        tr_key=str(header.get("tr_key") or ""),
        rt_cd=str(body.get("rt_cd") or "").strip(),
        msg_cd=str(body.get("msg_cd") or "").strip(),
        msg1=str(body.get("msg1") or "").strip(),
        key=Secret(str(key)) if key else None,
        iv=Secret(str(iv)) if iv else None,
    )


@attrs.frozen
class Frame:
    encrypted: bool
    tr_id: str
    count: int
    payload: str


def parse_frame(text: str) -> Frame:
    """``E|TR_ID|NNN|payload``; raises ``ValueError`` for anything else."""
    flag, tr_id, count, payload = text.split("|", 3)
    if flag not in ("0", "1") or not tr_id:
        raise ValueError(f"bad frame header {text[:24]!r}")
    return Frame(flag == "1", tr_id, int(count), payload)


def split_records(values: list[str], count: int, width: int) -> tuple[list[tuple[str, ...]], int]:
    """Cut ``count`` records of ``width`` fields out of ``values``; returns (records, width used).

    A frame whose records are wider or narrower than the spec (KIS added or removed fields) is
    still cut evenly when its value count divides by ``count``; anything else raises ValueError.
    """
    total = len(values)
    if count <= 0:
        raise ValueError(f"record count {count}")
    if total != count * width:
        if total % count:
            raise ValueError(f"{total} values do not make {count} records of {width} fields")
        width = total // count
    if count == 1:
        return [tuple(values)], width
    return [tuple(values[i : i + width]) for i in range(0, total, width)], width


def aes_decrypt(key: Secret, iv: Secret, payload: str) -> str:
    """AES-256-CBC, PKCS#7 padded, base64: what KIS sends on encrypted feeds."""
    cipher_mod, padding = _cryptography()
    cipher = cipher_mod.Cipher(
        cipher_mod.algorithms.AES(key.reveal().encode()), cipher_mod.modes.CBC(iv.reveal().encode())
    )
    decryptor = cipher.decryptor()
    padded = decryptor.update(base64.b64decode(payload, validate=True)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    plain: bytes = unpadder.update(padded) + unpadder.finalize()
    return plain.decode("utf-8")


def aes_encrypt(key: str, iv: str, text: str) -> str:
    """The inverse of :func:`aes_decrypt` (used by the sandbox)."""
    cipher_mod, padding = _cryptography()
    padder = padding.PKCS7(128).padder()
    padded = padder.update(text.encode("utf-8")) + padder.finalize()
    encryptor = cipher_mod.Cipher(
        cipher_mod.algorithms.AES(key.encode()), cipher_mod.modes.CBC(iv.encode())
    ).encryptor()
    return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode("ascii")


def _cryptography() -> tuple[Any, Any]:
    try:
        from cryptography.hazmat.primitives import ciphers, padding  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - depends on the installation
        raise KisConfigError(
            "encrypted real-time feeds (execution notices) need the 'cryptography' package: "
            "pip install 'kis-async[realtime]'"
        ) from None
    return ciphers, padding


def require_cryptography() -> None:
    """Fail early (at subscribe) rather than on the first notice."""
    _cryptography()
