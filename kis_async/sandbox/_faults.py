"""Fault injection: the ways a real gateway misbehaves, on demand, for the reliability tests.

A :class:`Fault` says what goes wrong with one answer (added latency, an HTTP 5xx gateway page,
a dropped connection, a body cut off mid-transfer, a non-JSON body, the caller's token expiring,
or a KIS business refusal such as ``Fault(refuse="APBK0952")``);
:class:`Faults` says which requests get it: every API call, or only those of one endpoint, named
by its dotted name (``domestic_stock.credit_balance``), its TR ID (``FHKST17010000``) or its path.
A fault may be limited to the next ``times`` matching requests, or to every ``every``-th one, so
a test can say "the second call fails once" without any randomness.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

import attrs

#: HTTP statuses a status fault may use (gateway failures; KIS's own 500s carry a JSON body and are
#: produced by the sandbox's protocol, not by faults).
FAULT_STATUSES = frozenset({500, 502, 503, 504})


def _check_status(_: object, __: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and value not in FAULT_STATUSES:
        raise ValueError(f"Fault.status must be one of {sorted(FAULT_STATUSES)}, got {value}")


def _check_code(_: object, __: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not value.isalnum() or len(value) > 8):
        raise ValueError(
            f"Fault.refuse must be a KIS msg_cd (up to 8 letters and digits, e.g. 'APBK0952'), got {value!r}"
        )


def _check_positive(_: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and value < 1:
        raise ValueError(f"Fault.{attribute.name} must be at least 1, got {value}")


@attrs.frozen(kw_only=True)
class Fault:
    """What goes wrong with an answer; several kinds combine (latency + status, …).

    The request is received and recorded first (an order that meets ``drop`` did reach the
    sandbox, exactly as an order whose answer is lost did reach KIS).
    """

    latency: float = 0.0
    """Seconds added before answering."""
    status: int | None = attrs.field(default=None, validator=_check_status)
    """Answer with this gateway status (500/502/503/504) and an HTML page instead of KIS's JSON."""
    drop: bool = False
    """Close the connection without answering."""
    truncate: bool = False
    """Announce the full body, send half of it, then close the connection."""
    non_json: bool = False
    """Answer HTTP 200 with an HTML page instead of JSON."""
    expire_token: bool = False
    """Expire the caller's access token before checking it: the call gets ``EGW00123``."""
    refuse: str | None = attrs.field(default=None, validator=_check_code)
    """Answer KIS's business refusal with this ``msg_cd`` (``rt_cd`` "1", or "7" for the real
    domain's ``APBK`` codes that KIS answers so) instead of serving the request: the message is
    KIS's when the sandbox knows the code (``docs/sandbox.md``). A refused order is not booked."""
    times: int | None = attrs.field(default=None, validator=_check_positive)
    """Only the next ``times`` matching requests (``None``: every one)."""
    every: int = attrs.field(default=1, validator=_check_positive)  # type: ignore[arg-type]
    """Only every ``every``-th matching request (1: each one)."""

    def __attrs_post_init__(self) -> None:
        if self.latency < 0:
            raise ValueError(f"Fault.latency must be >= 0, got {self.latency}")
        if not self.kinds:
            raise ValueError(
                "this Fault does nothing: give latency=, status=, drop=, truncate=, non_json=, "
                "expire_token= or refuse= (remove a fault with faults.set(target, None))"
            )

    @property
    def kinds(self) -> tuple[str, ...]:
        """Names of the faults this applies, for the sandbox's counters."""
        names = []
        if self.latency:
            names.append("latency")
        if self.expire_token:
            names.append("expire_token")
        if self.drop:
            names.append("drop")
        elif self.truncate:
            names.append("truncate")
        elif self.refuse is not None:
            names.append(f"refuse_{self.refuse}")
        elif self.status is not None:
            names.append(f"status_{self.status}")
        elif self.non_json:
            names.append("non_json")
        return tuple(names)


@attrs.define
class Faults:
    """Which requests meet which fault. Mutable: tests change it while the sandbox runs.

    ``Faults(all=Fault(latency=0.2))`` slows every API call; ``Faults(endpoints={"FHKST17010000":
    Fault(status=503, times=1)})`` fails the next credit-balance call once. A fault for an
    endpoint wins over ``all``. Token issue (``/oauth2/tokenP``) is targeted as ``"tokenP"``.
    """

    all: Fault | None = None
    endpoints: dict[str, Fault] = attrs.field(factory=dict)
    _seen: dict[str, int] = attrs.field(factory=dict, init=False, repr=False)
    _applied: dict[str, int] = attrs.field(factory=dict, init=False, repr=False)
    _targets: Callable[[], Iterable[str]] | None = attrs.field(default=None, init=False, repr=False)

    def check_targets(self, targets: Callable[[], Iterable[str]]) -> None:
        """From now on refuse a target that is none of ``targets()`` (the sandbox's endpoint names,
        TR IDs and paths): a misspelt one would match nothing, and the test meant to prove the bot
        survives a fault would pass without any fault. Checks the targets already set too."""
        self._targets = targets
        for target in self.endpoints:
            self._check(target)

    def _check(self, target: str) -> None:
        if self._targets is None:
            return
        known = {"tokenP", "/oauth2/tokenP", *self._targets()}
        if target in known:
            return
        close = difflib.get_close_matches(target, sorted(known), n=1, cutoff=0.8)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"no endpoint of this sandbox is known as {target!r} (a dotted name, a TR ID, a path or "
            f"'tokenP'){hint}"
        )

    def set(self, target: str | None, fault: Fault | None) -> None:
        """Give ``target`` (dotted name, TR ID, path, ``"tokenP"``; ``None`` = every call) a fault,
        or remove it with ``None``; its ``times``/``every`` counting starts afresh. Within a
        sandbox an unknown target raises ``ValueError`` rather than matching nothing."""
        if target is not None and fault is not None:
            self._check(target)
        key = target or "*"
        self._seen.pop(key, None)
        self._applied.pop(key, None)
        if target is None:
            self.all = fault
        elif fault is None:
            self.endpoints.pop(target, None)
        else:
            self.endpoints[target] = fault

    def clear(self) -> None:
        self.all = None
        self.endpoints.clear()
        self._seen.clear()
        self._applied.clear()

    def pick(self, *names: str) -> Fault | None:
        """The fault for a request known by ``names`` (dotted name, TR ID, path), counting it.
        An endpoint's fault wins over ``all`` until its ``times`` are spent; then ``all`` applies."""
        for name in names:
            fault = self.endpoints.get(name)
            if fault is not None and not self._spent(name, fault):
                return self._count(name, fault)
        if self.all is not None and "tokenP" not in names:
            return self._count("*", self.all)
        return None

    def _spent(self, key: str, fault: Fault) -> bool:
        return fault.times is not None and self._applied.get(key, 0) >= fault.times

    def _count(self, key: str, fault: Fault) -> Fault | None:
        seen = self._seen[key] = self._seen.get(key, 0) + 1
        if seen % fault.every != 0:
            return None
        applied = self._applied.get(key, 0)
        if fault.times is not None and applied >= fault.times:
            return None
        self._applied[key] = applied + 1
        return fault
