"""Configuration objects: environments, timeouts, corporate (법인) headers."""

from __future__ import annotations

import re
from typing import Literal

import attrs

from kis_async._errors import KisConfigError

Environment = Literal["real", "paper"]
"""What KIS runs: the TR IDs, domain and rate limit a client uses."""
EnvironmentName = Literal["real", "paper", "sandbox"]

#: The one vocabulary of environments, with one meaning each: ``KisClient(env=...)``, ``KIS_ENV``,
#: the config file's ``env`` and the CLI's ``--env`` all take these.
ENVIRONMENTS: dict[str, str] = {
    "real": "실전: KIS's real domain",
    "paper": "모의투자: KIS's paper-trading domain",
    "sandbox": "a local kis_async sandbox playing real (its URL in KIS_BASE_URL; the CLI starts one)",
}
#: What a client of a sandbox sends when no app key is configured (a sandbox accepts any pair).
SANDBOX_APP_KEY, SANDBOX_APP_SECRET = "PSsandboxAppKey0001", "sandbox-secret"

#: REST domains and WebSocket endpoints per environment (endpoints-notes.md, Appendix C).
BASE_URLS: dict[str, str] = {
    "real": "https://openapi.koreainvestment.com:9443",
    "paper": "https://openapivts.koreainvestment.com:29443",
}
WS_URLS: dict[str, str] = {
    "real": "ws://ops.koreainvestment.com:21000",
    "paper": "ws://ops.koreainvestment.com:31000",
}


@attrs.frozen
class Timeout:
    """Seconds allowed to connect and for a whole request (response body included)."""

    connect: float = 5.0
    """Seconds to open the TCP/TLS connection; a call that fails here never reached KIS."""
    total: float = 15.0
    """Seconds for the whole request, connection and response body included."""

    def __attrs_post_init__(self) -> None:
        for name in ("connect", "total"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < float("inf"):
                raise KisConfigError(f"Timeout.{name} must be a positive number of seconds, got {value!r}")
        if self.connect > self.total:
            raise KisConfigError(
                f"Timeout.connect ({self.connect}s) is longer than Timeout.total ({self.total}s), which includes it"
            )


#: What an HTTP header value the SDK sends may hold: printable ASCII (a CR/LF would end the
#: header, and aiohttp refuses it only at send time with a ValueError).
_HEADER_TEXT = re.compile(r"[\x20-\x7e]*")


def check_header_value(value: object, what: str, *, secret: bool = False) -> str:
    """``value`` if it can be sent as a header, else :class:`KisConfigError` naming ``what`` and
    the position of the first bad character (a secret's value is never shown)."""
    if not isinstance(value, str):
        raise KisConfigError(f"{what} must be a string, got {type(value).__name__}")
    if _HEADER_TEXT.fullmatch(value):
        return value
    bad = next(i for i, ch in enumerate(value) if not _HEADER_TEXT.fullmatch(ch))
    shown = "" if secret else f" {value!r}"
    raise KisConfigError(
        f"{what}{shown} has a control or non-ASCII character at position {bad} "
        "(a pasted line break?): it cannot be sent in a header"
    )


def _masked(value: str | None) -> str:
    return "None" if value is None else "'********'"


@attrs.frozen
class Corporate:
    """Headers that corporate customers (custtype ``B``, 법인) must send on every call.

    ``gt_uid`` (Global UID) is generated per request when not fixed here.
    """

    personalseckey: str = attrs.field(repr=_masked)
    """고객식별키 (secret: never shown)."""
    seq_no: str = "001"
    """일련번호."""
    mac_address: str | None = None
    """맥주소."""
    phone_number: str | None = attrs.field(default=None, repr=_masked)
    """핸드폰번호 (digits only)."""
    ip_addr: str | None = None
    """접속 단말 공인 IP."""

    def __attrs_post_init__(self) -> None:
        for name in ("personalseckey", "seq_no", "mac_address", "phone_number", "ip_addr"):
            value = getattr(self, name)
            if value is not None:
                check_header_value(
                    value, f"Corporate.{name}", secret=name in ("personalseckey", "phone_number")
                )

    def headers(self) -> dict[str, str]:
        values = {
            "personalseckey": self.personalseckey,
            "seq_no": self.seq_no,
            "mac_address": self.mac_address,
            "phone_number": self.phone_number,
            "ip_addr": self.ip_addr,
        }
        return {k: v for k, v in values.items() if v}


def parse_account(account: str) -> tuple[str, str]:
    """``"12345678-01"`` (or ``"1234567801"``) → (CANO, ACNT_PRDT_CD)."""
    digits = account.replace("-", "").strip()
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise ValueError("account must be 8 digits of 종합계좌번호 and 2 of 계좌상품코드, like '12345678-01'")
    return digits[:8], digits[8:]


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].lower()


def resolve_environment(env: str, base_url: str | None, ws_url: str | None) -> tuple[Environment, str, str]:
    """``env`` (one of :data:`ENVIRONMENTS`) and the URLs given → (the KIS environment played, REST
    URL, WebSocket URL). An env that does not match the server is refused with a hint."""
    if env not in ENVIRONMENTS:
        choices = " | ".join(ENVIRONMENTS)
        raise KisConfigError(f"env (KIS_ENV) must be one of {choices}, got {env!r}")
    kis_hosts = {_host(url): name for name, url in BASE_URLS.items()}
    given = kis_hosts.get(_host(base_url)) if base_url else None
    if env == "sandbox":
        if not base_url:
            raise KisConfigError(
                "env 'sandbox' talks to a running sandbox: set KIS_BASE_URL (base_url=) to its URL "
                "(`kis-async sandbox` prints it), or use `async with Sandbox() as sb, sb.client() as kis`"
            )
        if given is not None:
            raise KisConfigError(
                f"env 'sandbox' but KIS_BASE_URL {base_url} is KIS's {given} domain: "
                f"set KIS_ENV={given}, or point KIS_BASE_URL at the sandbox"
            )
        rest = base_url.rstrip("/")
        return "real", rest, ws_url or "ws" + rest.removeprefix("http")
    if given is not None and given != env:
        raise KisConfigError(
            f"env {env!r} but base_url {base_url} is KIS's {given} domain (TR IDs and rate limits "
            f"would not match the server): set KIS_ENV={given}, or leave KIS_BASE_URL unset"
        )
    return env, (base_url or BASE_URLS[env]).rstrip("/"), ws_url or WS_URLS[env]  # type: ignore[return-value]
