"""Endpoint descriptors: what the generated code tells the runtime about each KIS endpoint.

Generated modules build one :class:`Endpoint` per spec. The runtime core reads them to pick the
TR ID, validate and serialise arguments, page, and structure the response; the sandbox reads the
same descriptors to serve the endpoint. Nothing here knows an endpoint by name.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import warnings
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Generic, Literal, NoReturn, TypeVar

import attrs

from kis_async._convert import KisEnum, to_wire
from kis_async._errors import KisUnsupportedError, KisValidationError
from kis_async._models import KisResponse

R = TypeVar("R", bound=KisResponse)

_INT_TEXT = re.compile(r"[+-]?[0-9]{1,30}")
_MAX_DIGITS = 30
_DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
#: What no argument may carry: control characters (a CR/LF would split a header or a query) and
#: lone surrogates (not encodable: sent as nothing).
_UNSENDABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
Env = Literal["real", "paper"]
TrTable = str | Mapping[str, str] | None


@attrs.frozen
class Param:
    """One request field: a query parameter (GET) or a JSON body key (POST)."""

    name: str
    """Python argument name ("" for constants the SDK fills)."""
    wire: str | None
    """Key KIS reads; ``None`` for an argument that only chooses the TR ID."""
    korean: str
    kind: str = "str"
    """``str``, ``int``, ``decimal``, ``date``, ``time``, ``enum`` or ``bool`` (Y/N flags)."""
    required: bool = True
    max_length: int | None = None
    enum: type[KisEnum] | None = None
    range: tuple[int, int] | None = None
    const: str | None = None
    default: str | None = None
    fill: str | None = None
    """``account`` / ``account_product``: taken from the client's account when not given."""
    pattern: str | None = None
    """A regular expression the whole wire string must match (``^[0-9]{8}$`` for CANO)."""
    description: str = ""
    """The spec's note on an argument (``증가율 기간(일), 2~999``), for help texts and tool schemas."""
    paper_only: tuple[str, ...] | None = None
    """The wire values the paper (모의투자) server accepts, where it accepts fewer than the real
    one (the spec's ``paper:``); ``()``: none, the field is left blank on paper. An optional field
    may always be left out. ``None``: paper accepts what real does."""
    _regex: re.Pattern[str] | None = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(
            lambda self: re.compile(self.pattern) if self.pattern else None, takes_self=True
        ),
    )

    def describe_allowed(self) -> str:
        if self.enum is not None:
            return ", ".join(f"{m.value!r} ({m.name})" for m in self.enum)
        if self.range is not None:
            return f"{self.kind} in {self.range[0]}..{self.range[1]}"
        if self.kind == "date":
            return "a datetime.date or 'YYYYMMDD'"
        if self.pattern:
            return f"{self.kind} matching {self.pattern}"
        if self.max_length:
            return f"{self.kind}, at most {self.max_length} characters"
        return self.kind

    def paper_refuses(self, wire: str) -> bool:
        """Whether the paper (모의투자) server refuses this wire value: the client's rule before
        sending and the paper sandbox's (one rule for both)."""
        if self.paper_only is None or (wire == "" and not self.required):
            return False
        return wire not in self.paper_only

    def paper_value(self) -> str:
        """What a field takes on paper when the SDK fills it (a default paper refuses): the first
        value paper accepts, or blank where paper takes none."""
        return self.paper_only[0] if self.paper_only else ""

    def describe_paper(self) -> str:
        """What paper accepts, for messages: ``'00' (ALL) only``, ``nothing: leave it out``."""
        if not self.paper_only:
            return "no value: leave it out (sent blank)"
        names = self.enum._value2member_map_ if self.enum is not None else {}
        shown = [
            f"{code!r} ({names[code].name})" if code in names else repr(code) for code in self.paper_only
        ]
        return f"{', '.join(shown)} only" + (", or leave it out" if not self.required else "")

    def refuse_on_paper(self, value: Any, endpoint: str) -> NoReturn:
        label = self.name or self.wire
        raise KisValidationError(
            f"{endpoint}: {label} ({self.wire}, {self.korean}): {_shown(value)} is not accepted on "
            f"모의투자 (paper); paper accepts {self.describe_paper()}",
            endpoint=endpoint,
            field=label or "",
            value=value,
        )

    def to_wire(self, value: Any, endpoint: str) -> str:
        """Validate one argument and give its wire string."""
        if value == "" and not self.required and not isinstance(value, KisEnum):
            return ""  # an optional field sent blank, as None sends it (KIS: blank means all)
        wire = self._convert(value, endpoint)
        # the pattern first: it says more than the length (an optional field may stay empty)
        if self._regex is not None and not self._regex.fullmatch(wire) and (wire or self.required):
            self._reject(value, endpoint, f"a string matching {self.pattern}")
        if _UNSENDABLE.search(wire):
            self._reject(value, endpoint, "text without control characters or lone surrogates")
        if self.max_length and self.kind in ("str", "enum", "int", "decimal") and len(wire) > self.max_length:
            self._reject(value, endpoint, f"at most {self.max_length} characters")
        return wire

    def _convert(self, value: Any, endpoint: str) -> str:
        kind = self.kind
        if kind == "enum":
            assert self.enum is not None
            if isinstance(value, self.enum) and value.known:
                return str.__str__(value)
            if isinstance(value, str) and not isinstance(value, KisEnum):
                if value in self.enum._value2member_map_:
                    return value
                member = self.enum.__members__.get(value.upper())
                if member is not None:
                    return str.__str__(member)
            self._reject(value, endpoint, f"one of {self.describe_allowed()}")
        if kind in ("int", "decimal"):
            number = self._number(value, endpoint)
            if self.range is not None and not self.range[0] <= number <= self.range[1]:
                self._reject(value, endpoint, f"{self.range[0]}..{self.range[1]}")
            return to_wire(number)
        if kind == "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return to_wire(value)
            if isinstance(value, str) and is_wire_date(value):
                return value
            self._reject(value, endpoint, "a datetime.date or 'YYYYMMDD'")
        if kind == "bool":
            if isinstance(value, bool):
                return "Y" if value else "N"
            if isinstance(value, str) and value.upper() in ("Y", "N"):
                return value.upper()
            self._reject(value, endpoint, "True/False (or 'Y'/'N')")
        if kind == "time":
            if isinstance(value, dt.time):
                return to_wire(value)
            if isinstance(value, str) and is_wire_time(value):
                return value
            self._reject(value, endpoint, "a datetime.time or 'HHMMSS'")
        if isinstance(value, str) and not isinstance(value, KisEnum):
            return value
        self._reject(value, endpoint, "a string")

    def _number(self, value: Any, endpoint: str) -> int | Decimal:
        if isinstance(value, bool):
            self._reject(value, endpoint, "an integer" if self.kind == "int" else "a Decimal, not a bool")
        if self.kind == "int":
            if isinstance(value, int):
                if -(10**_MAX_DIGITS) < value < 10**_MAX_DIGITS:
                    return value
                self._reject(value, endpoint, f"an integer of at most {_MAX_DIGITS} digits")
            if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
                return int(value)
            self._reject(value, endpoint, "an integer")
        number: Decimal | None = None
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, Decimal):
            number = value
        elif isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value.strip()):
            # ASCII digits only ("１２" is a number to Decimal() but not to KIS); no exponent
            number = Decimal(value.strip())
        # a huge exponent would make to_wire write millions of digits; KIS fields are short
        if number is not None and number.is_finite() and abs(number.adjusted()) <= _MAX_DIGITS:
            return number + 0 if number.is_zero() else number  # -0 is sent as 0
        self._reject(value, endpoint, "a finite Decimal, an int or a decimal string")

    def _reject(self, value: Any, endpoint: str, expected: str) -> NoReturn:
        label = self.name or self.wire
        # an argument that only chooses the TR ID (``side``) has no wire name to show
        where = f"{self.wire}, {self.korean}" if self.wire else f"{self.korean}; chooses the TR ID"
        raise KisValidationError(
            f"{endpoint}: {label} ({where}): got {_shown(value)}, expected {expected}",
            endpoint=endpoint,
            field=label or "",
            value=value,
        )


def _shown(value: Any) -> str:
    """``repr(value)`` for a message, at most 200 characters; an int too long to print (``repr``
    raises past 4,300 digits) is described by its size instead."""
    try:
        text = repr(value)
    except ValueError:
        return f"an int of {value.bit_length()} bits" if isinstance(value, int) else type(value).__name__
    return text if len(text) <= 200 else text[:200] + "…"


def is_wire_date(text: str) -> bool:
    """Whether ``text`` is a real calendar date written ``YYYYMMDD``: the client checks an argument
    with it before sending, the sandbox a request's field (one rule for both)."""
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        return False
    try:
        dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return False
    return True


def is_wire_time(text: str) -> bool:
    """Whether ``text`` is a time of day written ``HHMMSS`` (``"999999"`` is not): the client's and
    the sandbox's rule."""
    return (
        len(text) == 6
        and text.isascii()
        and text.isdigit()
        and text[:2] < "24"
        and text[2:4] < "60"
        and text[4:] < "60"
    )


def deprecation(what: str, new: str, *, verb: str = "is renamed") -> str:
    """The message of a renamed name's warning: what it is now and when the old name goes."""
    from kis_async._registry import RENAMES_SINCE, RENAMES_UNTIL

    return (
        f"{what} {verb} {new} (since {RENAMES_SINCE}); the old name is removed in {RENAMES_UNTIL} "
        "(CHANGELOG.md lists every rename)"
    )


@attrs.frozen
class Output:
    """One part of the response body and the attribute that holds it."""

    key: str
    shape: Literal["list", "object"]
    row: type[Any]
    korean: str = ""


#: Korea Standard Time (no daylight saving): "today" for date-chosen TRs is KIS's today.
KST = dt.timezone(dt.timedelta(hours=9), "KST")


def today_kst() -> dt.date:
    return dt.datetime.now(KST).date()


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@attrs.frozen
class TrId:
    """TR IDs per environment; a mapping when an argument (``select``) chooses among several.

    With ``within_months``, ``select`` names a date argument and the choice is ``"recent"`` when
    that date is at most ``within_months`` calendar months before today (KST), else ``"older"``.
    """

    real: TrTable
    paper: TrTable
    select: str | tuple[str, ...] | None = None
    """The argument choosing the TR; several (``("side", "exchange")``) choose it together, the
    mapping's keys then being their codes joined by ``/`` (``"buy/NASD"``)."""
    within_months: int | None = None

    @property
    def selectors(self) -> tuple[str, ...]:
        if self.select is None:
            return ()
        return (self.select,) if isinstance(self.select, str) else self.select


@attrs.frozen
class Endpoint(Generic[R]):
    name: str
    """``namespace.method``, e.g. ``domestic_stock.credit_balance``."""
    title: str
    """Korean title from the KIS page, e.g. 국내주식 신용잔고 상위."""
    method: Literal["GET", "POST"]
    path: str
    tr_id: TrId
    params: tuple[Param, ...]
    response: type[R]
    outputs: tuple[Output, ...]
    paging: Mapping[str, str] | None = None
    """Continuation keys: request wire name → response body key (``tr_cont`` paging)."""
    retry_safe: bool = True
    """Safe to send twice (reads; the spec's ``retry_safe``). Orders are not: they are never retried
    after they may have arrived."""
    rate_limit: float | None = None
    """A per-TR cap (requests/s) lower than the app key's, where KIS documents one."""
    doc_id: str = ""
    order_number: tuple[tuple[str, str], ...] = ()
    """Where an order's answer holds its number, as (output, attribute) pairs, any of which may
    carry it (``(("output", "odno"),)``): an answer KIS accepted (rt_cd "0") without a readable
    one raises :class:`KisOrderStateUnknownError`."""
    max_rows: int | None = None
    """Rows KIS answers at most per call (최대 N건) where the page says so; the sandbox honours it."""
    summary: str = ""
    """What the KIS page's 개요 says (one line), for help texts and tool descriptions."""
    renamed: Mapping[str, str] | None = None
    """Deprecated argument aliases: old name → new name (``spec/_renames.yaml``)."""
    replaced: Mapping[str, Mapping[str, Mapping[str, str | tuple[str, ...]]]] | None = None
    """Deprecated arguments whose meaning moved into others (``spec/_renames.yaml`` ``replaced``):
    old name → {old value → {new argument → its value, or the values it may have}}."""

    @property
    def idempotent(self) -> bool:
        """Deprecated: :attr:`retry_safe` (one word for one concept, in the spec and the runtime)."""
        warnings.warn(deprecation("Endpoint.idempotent", "retry_safe"), DeprecationWarning, stacklevel=2)
        return self.retry_safe

    @functools.cached_property
    def argument_names(self) -> frozenset[str]:
        """The python argument names the endpoint accepts."""
        return frozenset(p.name for p in self.params if p.name and p.const is None)

    def current_args(self, args: Mapping[str, Any], stacklevel: int = 2) -> Mapping[str, Any]:
        """``args`` with each deprecated alias given (not ``None``) moved to its new name, with a
        :class:`DeprecationWarning` naming the new one; both names given is refused. A replaced
        argument (``order_kind="us_buy"``) fills the new arguments it stands for (``side``) and
        refuses a new argument given that contradicts it (``exchange="SEHK"``)."""
        if not self.renamed and not self.replaced:
            return args
        result = dict(args)
        for old, meanings in (self.replaced or {}).items():
            value = result.pop(old, None)
            if value is not None:
                new_names = sorted({new for meaning in meanings.values() for new in meaning})
                said = " and ".join(repr(new) for new in new_names)
                warnings.warn(
                    deprecation(f"{self.name}(): argument {old!r}", said, verb="is replaced by"),
                    DeprecationWarning,
                    stacklevel + 1,
                )
                self._apply_replaced(old, value, meanings, result)
        for old, new in (self.renamed or {}).items():
            value = result.pop(old, None)
            if value is None:
                continue
            warnings.warn(
                deprecation(f"{self.name}(): argument {old!r}", f"{new!r}"),
                DeprecationWarning,
                stacklevel + 1,
            )
            if result.get(new) is not None:
                raise KisValidationError(
                    f"{self.name}: {old} is the old name of {new}; give {new} only (got both)",
                    endpoint=self.name,
                    field=new,
                    value=value,
                )
            result[new] = value
        return result

    def _apply_replaced(
        self,
        old: str,
        value: Any,
        meanings: Mapping[str, Mapping[str, str | tuple[str, ...]]],
        result: dict[str, Any],
    ) -> None:
        code = str.__str__(value) if isinstance(value, str) else value
        meaning = meanings.get(code) if isinstance(code, str) else None
        if meaning is None:
            raise KisValidationError(
                f"{self.name}: {old}={value!r} is not one of {list(meanings)}",
                endpoint=self.name,
                field=old,
                value=value,
            )
        params = {p.name: p for p in self.params if p.name}
        for new, wanted in meaning.items():
            given = result.get(new)
            if given is None:
                if isinstance(wanted, str):
                    result[new] = wanted
                continue  # a list only bounds a value given (a required one is asked for later)
            param = params[new]
            wire = param.to_wire(given, self.name)
            allowed = (wanted,) if isinstance(wanted, str) else wanted
            if wire not in {param.to_wire(w, self.name) for w in allowed}:
                raise KisValidationError(
                    f"{self.name}: {old}={code!r} means {new} {' or '.join(map(repr, allowed))}, "
                    f"but {new}={given!r} was given; give {new} only ({old} is deprecated)",
                    endpoint=self.name,
                    field=new,
                    value=given,
                )

    def select_tr(self, env: Env, args: Mapping[str, Any], today: dt.date | None = None) -> str:
        """The TR ID for ``env``; ``today`` (default: today in Korea) anchors date rules."""
        table = self.tr_id.real if env == "real" else self.tr_id.paper
        if table is None:
            other = "paper (모의투자)" if env == "real" else "real (실전)"
            raise KisUnsupportedError(
                f"{self.name} ({self.title}) is not available in the {env} environment"
                f"{' (모의투자 미지원)' if env == 'paper' else ''}; it exists only on {other}"
            )
        if isinstance(table, str):
            return table
        assert self.tr_id.select is not None
        if isinstance(self.tr_id.select, tuple):
            return self._select_combined(env, table, args)
        param = next(p for p in self.params if p.name == self.tr_id.select)
        choice = param.to_wire(args.get(param.name), self.name)
        if self.tr_id.within_months is not None:
            chosen = dt.date(int(choice[:4]), int(choice[4:6]), int(choice[6:]))
            cutoff = months_before(today or today_kst(), self.tr_id.within_months)
            choice = "recent" if chosen >= cutoff else "older"
        try:
            return table[choice]
        except KeyError:
            raise KisValidationError(
                f"{self.name}: {param.name}={choice!r} has no TR ID in {env}; choose one of {sorted(table)}",
                endpoint=self.name,
                field=param.name,
                value=args.get(param.name),
            ) from None

    def _select_combined(self, env: Env, table: Mapping[str, str], args: Mapping[str, Any]) -> str:
        """The TR of several arguments together (``side`` × ``exchange``); a combination KIS has
        no TR for (a Tokyo order on NASDAQ's TR) is refused before anything is sent. An optional
        selector left out is the empty code (``/NASD``: the exchange says the region)."""
        params = [next(p for p in self.params if p.name == name) for name in self.tr_id.selectors]
        codes = [
            ""
            if args.get(param.name) is None and not param.required
            else param.to_wire(args.get(param.name), self.name)
            for param in params
        ]
        choice = "/".join(codes)
        if choice in table:
            return table[choice]
        given = ", ".join(
            f"{p.name}={c!r}" if c or p.required else f"{p.name} omitted"
            for p, c in zip(params, codes, strict=True)
        )
        last = params[-1]
        possible = sorted({key.split("/")[-1] for key in table if key.split("/")[:-1] == codes[:-1]})
        if "" in possible:  # the last selector may be left out: say so rather than show ''
            possible = [*(c for c in possible if c), "(omitted)"]
        hint = f"; with {given.rsplit(', ', 1)[0]} {last.name} is one of {possible}" if possible else ""
        raise KisValidationError(
            f"{self.name}: {given} has no TR ID in {env}{hint}",
            endpoint=self.name,
            field=last.name,
            value=args.get(last.name),
        )

    def build_request(
        self, args: Mapping[str, Any], account: tuple[str, str] | None = None, env: Env = "real"
    ) -> dict[str, str]:
        """Validate ``args`` (python names) and return the wire fields, in the spec's order.

        With ``env="paper"``, a value the paper (모의투자) server does not accept (the spec's
        ``paper:``, :attr:`Param.paper_only`) is refused here, and a default it does not accept
        becomes the value it does (:meth:`Param.paper_value`)."""
        paper = env == "paper"
        unknown = set(args) - self.argument_names
        if unknown:
            name = sorted(unknown)[0]
            if self.renamed and name in self.renamed:  # KisClient.request takes the current names only
                takes = f"it is renamed {self.renamed[name]!r}"
            elif self.replaced and name in self.replaced:
                new_names = sorted({new for meaning in self.replaced[name].values() for new in meaning})
                takes = f"it is replaced by {' and '.join(map(repr, new_names))}"
            else:
                takes = f"it takes {', '.join(sorted(self.argument_names))}"
            raise KisValidationError(
                f"{self.name}: unknown argument {name!r}; {takes}",
                endpoint=self.name,
                field=name,
                value=args[name],
            )
        wire: dict[str, str] = {}
        for param in self.params:
            if param.wire is None:
                continue
            if param.const is not None:
                wire[param.wire] = param.const
                continue
            value = args.get(param.name)
            if value is None and self.paging and param.wire in self.paging:
                wire[param.wire] = ""  # first page; the pager sends the body's keys back later
                continue
            if value is None and param.fill is not None and account is not None:
                value = account[0] if param.fill == "account" else account[1]
            if value is None:
                if param.default is not None:  # the spec's default is already the wire form
                    refused = paper and param.paper_refuses(param.default)
                    wire[param.wire] = param.paper_value() if refused else param.default
                    continue
                if param.required:
                    hint = " (or configure KisClient(account=...))" if param.fill else ""
                    raise KisValidationError(
                        f"{self.name}: {param.name} ({param.wire}, {param.korean}) is required{hint}",
                        endpoint=self.name,
                        field=param.name,
                    )
                wire[param.wire] = ""
                continue
            sent = param.to_wire(value, self.name)
            if paper and param.paper_refuses(sent):
                param.refuse_on_paper(value, self.name)
            wire[param.wire] = sent
        return wire
