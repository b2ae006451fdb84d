"""The spec format as attrs classes.

A spec file (``spec/<category>/<group>/<name>.yaml``) is structured into :class:`EndpointSpec`
with cattrs; unknown keys are errors, so a typo in a spec never passes silently. Checks that
span fields (an enum that is not defined, a python name used twice, …) live in
:func:`check_endpoint`, which returns problems as ``(field path, message)`` pairs.
"""

from __future__ import annotations

import itertools
import keyword
import math
import re
from typing import Any, Literal

import attrs

# the ``unit:`` of a price KIS sends without its decimal point (``sCalcDesz``), placed by
# kis_async.symbols: defined once, by the runtime's field table
from kis_async._fields import RAW_PRICE_UNIT as RAW_PRICE_UNIT

SemanticType = Literal["str", "int", "decimal", "date", "time", "datetime", "enum", "bool"]
SEMANTIC_TYPES: tuple[str, ...] = ("str", "int", "decimal", "date", "time", "datetime", "enum", "bool")
#: ``bool`` is for request Y/N flags only (True → "Y"); responses keep flags as ``str`` because
#: live servers send "", "N" and free text where Y/N is documented (real-data-notes.md).
REQUEST_ONLY_TYPES = ("bool",)

#: Headers the client fills on every call (their Korean names live in ``spec/_shared.yaml``).
STANDARD_HEADERS = ("content-type", "authorization", "appkey", "appsecret", "tr_id", "tr_cont", "custtype")
#: Headers only corporate (법인) customers send; filled from ``KisClient(corporate=…)``.
CORPORATE_HEADERS = ("personalseckey", "seq_no", "mac_address", "phone_number", "ip_addr", "gt_uid")

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_ENUM_MEMBER = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_CLASS_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_PATH = re.compile(r"^/uapi/([a-z0-9-]+)/(v\d+)/([a-z0-9-]+)/([a-z0-9/-]+)$")

# What templates write into generated source without escaping is checked here by pattern, so a
# spec (hand-written, or imported from a portal page) cannot put code into a generated module;
# free text (titles, Korean names, descriptions) goes through codegen.render's one escaping path.
#: A module, group or method name: lower case, no leading underscore (``_call``, ``__init__``).
_PUBLIC_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: A REST TR ID (``FHKST01010100``, ``TTTC0012U``).
_REST_TR_ID = re.compile(r"^[A-Z0-9]{6,16}$")
#: A query parameter or body key KIS reads (``FID_INPUT_ISCD``, ``fid_input_iscd``, ``CANO``).
_WIRE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
#: A header name in ``spec/_shared.yaml`` (``hashkey``).
_HEADER = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
#: A portal document id (``v1_국내주식-041``, ``v1_국내주식-018,019``, ``v1*국내주식-041``).
_DOC_ID = re.compile(r"^[\w*,. -]{0,64}$")
#: An enum code KIS sends or reads (``00``, ``NASD``, ``%``, ``hong_kong_buy``).
_ENUM_CODE = re.compile(r"^[A-Za-z0-9_%.:+/ -]{0,32}$")
#: Names generated modules import or define besides the spec's own classes; a spec class with
#: one of these names would shadow it.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any", "AsyncIterator", "ClassVar", "Decimal", "Endpoint", "Feed", "KisEnum", "KisModel",
        "KisNamespaces", "KisResponse", "LazyGroup", "Literal", "Namespace", "Output", "Paged",
        "PagedCall", "Param", "RowField", "Rows", "Tick", "TrId", "TYPE_CHECKING", "Wire",
    }
)  # fmt: skip
#: Namespaces that would overwrite a hand-written part of the package.
RESERVED_NAMESPACES = frozenset({"enums", "realtime", "rows", "sandbox"})
#: Argument names the generated signatures already use.
RESERVED_ARGUMENTS = frozenset({"self", "max_pages"})
#: Feed names that would shadow what a real-time module imports.
RESERVED_FEED_NAMES = frozenset(
    {"enum_parser", "parse_date", "parse_datetime", "parse_decimal", "parse_int", "parse_str", "parse_time"}
)


#: Upper bound of an order's numeric argument when its wire length allows more (10 digits).
ORDER_NUMBER_MAX = 9_999_999_999


def order_range(wire: str, path: str, length: int | None) -> tuple[int, int]:
    """The range the importer drafts for a numeric argument of an order (review it): quantities
    from 1 (0 on amend/cancel, where KIS reads 0 as "all"), prices from 0 (futures and options
    from -N: spreads and some commodities trade below zero), at most ``length`` digits."""
    high = min(ORDER_NUMBER_MAX, 10**length - 1) if length else ORDER_NUMBER_MAX
    if "QTY" in wire.upper():
        return (0 if "rvsecncl" in path else 1), high
    return (-high if "futureoption" in path else 0), high


def check_pattern(value: str, pattern: re.Pattern[str], what: str) -> str | None:
    """``None`` when ``value`` matches, else the problem (the value shown escaped)."""
    if isinstance(value, str) and pattern.fullmatch(value):
        return None
    return f"{value!r} is not a valid {what} (expected {pattern.pattern})"


def check_enum(name: str, enum: EnumSpec, where: str) -> list[Problem]:
    """An enum's class name, member names and codes (all written into generated source)."""
    problems: list[Problem] = []
    if not _CLASS_NAME.fullmatch(name):
        problems.append((where, "enum names are CamelCase class names"))
    elif name in RESERVED_CLASS_NAMES:
        problems.append((where, f"{name!r} is a name generated modules already use"))
    if not enum.members:
        problems.append((where, "has no members"))
    codes: set[str] = set()
    for member_name, member in enum.members.items():
        if not _ENUM_MEMBER.fullmatch(member_name) or member_name.startswith("__"):
            problems.append((f"{where}.{member_name!r}", "member names are UPPER_CASE"))
        problem = check_pattern(member.code, _ENUM_CODE, "enum code")
        if problem:
            problems.append((f"{where}.{member_name}.code", problem))
        if member.code in codes:
            problems.append((f"{where}.{member_name}", f"code {member.code!r} used twice"))
        codes.add(member.code)
    return problems


def check_class_name(name: str, where: str) -> list[Problem]:
    if not _CLASS_NAME.fullmatch(name):
        return [(where, f"{name!r} is not a CamelCase class name")]
    if name in RESERVED_CLASS_NAMES:
        return [(where, f"{name!r} is a name generated modules already use")]
    return []


def check_tr_ids(tr_id: TrIds, pattern: re.Pattern[str]) -> list[Problem]:
    problems: list[Problem] = []
    for env in ("real", "paper"):
        value = getattr(tr_id, env)
        for tr in value.values() if isinstance(value, dict) else [value]:
            if tr is None:
                continue
            problem = check_pattern(tr, pattern, "TR ID")
            if problem:
                problems.append((f"tr_id.{env}", problem))
    return problems


def check_shared(shared: SharedSpec) -> list[Problem]:
    """``spec/_shared.yaml``: its enums become ``kis_async/enums.py``."""
    problems: list[Problem] = []
    for name, enum in shared.enums.items():
        problems += check_enum(name, enum, f"enums.{name}")
    for key, header in shared.headers.items():
        problem = check_pattern(header.wire, _HEADER, "header name")
        if problem:
            problems.append((f"headers.{key}.wire", problem))
    for block, fields in shared.request_blocks.items():
        problems += _check_block(block, fields, shared.enums)
    return problems


def _check_block(block: str, fields: list[RequestField], enums: dict[str, EnumSpec]) -> list[Problem]:
    """A request block of ``_shared.yaml``: a name a spec can ``use:``, and fields that each have a
    wire and an argument name (the rest is checked in every spec that uses it)."""
    where = f"request_blocks.{block}"
    problems: list[Problem] = []
    if not _PUBLIC_NAME.fullmatch(block):
        problems.append((where, f"{block!r} is not a block name (lower_case)"))
    if not fields:
        problems.append((where, "has no fields"))
    wires: set[str] = set()
    for i, field in enumerate(fields):
        fwhere = f"{where}[{i}]({field.wire or field.name})"
        if field.wire is None:
            problems.append((fwhere, "a block field needs a wire name"))
            continue
        problem = check_pattern(field.wire, _WIRE, "wire name")
        if problem:
            problems.append((fwhere, problem))
        if field.wire in wires:
            problems.append((fwhere, f"wire name {field.wire!r} used twice"))
        wires.add(field.wire)
        if field.name is None or not _IDENTIFIER.fullmatch(field.name) or keyword.iskeyword(field.name):
            problems.append((fwhere, "a block field needs a python `name:` (lower_case)"))
        if field.enum is not None and field.enum not in enums:
            problems.append((fwhere, f"enum {field.enum!r} is not one of spec/_shared.yaml's enums"))
    return problems


#: The namespace whose class names carry no prefix: the first and largest KIS category.
UNPREFIXED_NAMESPACE = "domestic_stock"


def class_prefix(namespace: str) -> str:
    """What the default class names of an endpoint start with, so every name is unique across
    categories: nothing in ``domestic_stock``, else the namespace in CamelCase
    (``domestic_bond`` → ``DomesticBond``: ``DomesticBondInquireBalanceResponse``)."""
    if namespace == UNPREFIXED_NAMESPACE:
        return ""
    return "".join(part.capitalize() for part in namespace.split("_"))


_WORD = re.compile(r"[A-Z][a-z0-9]*|[a-z0-9]+")


def class_name(*parts: str) -> str:
    """CamelCase ``parts`` joined, a word repeated where two parts meet said once:
    ``DomesticBond`` + ``BondTrade`` + ``Tick`` → ``DomesticBondTradeTick``,
    ``OverseasPrice`` + ``PriceDetail`` + ``Response`` → ``OverseasPriceDetailResponse``."""
    words: list[str] = []
    for part in parts:
        for word in _WORD.findall(part):
            word = word[:1].upper() + word[1:]
            if not words or words[-1] != word:
                words.append(word)
    return "".join(words)


def doubled_word(name: str) -> str | None:
    """The first word a class name says twice in a row (``DisparityDisparityDays`` → ``Disparity``)."""
    words = _WORD.findall(name)
    return next((a for a, b in itertools.pairwise(words) if a == b), None)


@attrs.frozen
class EnumMember:
    code: str
    korean: str = ""


@attrs.frozen
class EnumSpec:
    members: dict[str, EnumMember]
    korean: str = ""
    description: str = ""


@attrs.frozen
class HeaderSpec:
    """A request header beyond the standard and corporate ones (e.g. ``hashkey``)."""

    wire: str
    korean: str
    length: int | None = None
    required: bool = False
    description: str = ""


@attrs.frozen
class PaperRule:
    """``paper:`` on a request field: the values the paper (모의투자) server accepts where it
    accepts fewer than the real one (the page's ``※ 모의투자는 …``).

    ``paper: {only: ["00"]}`` lists them (wire codes; an optional field may still be left out);
    ``paper: unsupported`` (``only`` empty) says paper takes no value at all: the argument is left
    out (sent blank). The client refuses another value before sending when ``env="paper"``, a
    default paper refuses becomes ``only[0]`` (or blank), and the paper sandbox refuses it too.
    """

    only: tuple[str, ...] = ()

    @property
    def unsupported(self) -> bool:
        return not self.only

    def describe(self) -> str:
        """For docstrings and docs: ``'00' only`` / ``not accepted (leave it out)``."""
        if self.unsupported:
            return "not accepted (leave it out)"
        return ", ".join(repr(code) for code in self.only) + " only"


@attrs.frozen
class RequestField:
    """One query parameter (GET) or body key (POST).

    ``wire`` is the key KIS reads; ``name`` the python argument. A field with ``const`` is
    filled by the SDK and is not an argument; a field with ``fill`` (``account`` or
    ``account_product``) defaults to the client's configured account. A field with no
    ``wire`` is an argument that only chooses the TR ID (see ``TrIds.select``).
    """

    korean: str
    wire: str | None = None
    name: str | None = None
    type: SemanticType = "str"
    enum: str | None = None
    required: bool = True
    length: int | None = None
    description: str = ""
    range: tuple[int, int] | None = None
    const: str | None = None
    default: str | None = None
    fill: Literal["account", "account_product"] | None = None
    pattern: str | None = None
    """A regular expression the whole wire string must match, checked before sending."""
    paper: PaperRule | None = None
    """What the paper (모의투자) server accepts, where it accepts fewer values than the real one."""

    @property
    def python_name(self) -> str:
        if self.name:
            return self.name
        assert self.wire is not None
        return self.wire.lower()

    @property
    def semantic_type(self) -> str:
        return "enum" if self.enum else self.type

    @property
    def is_argument(self) -> bool:
        return self.const is None


@attrs.frozen
class ScaleSpec:
    """A number KIS sends without its decimal point (``001480100`` for 148.01): ``places``
    implied decimals, chosen by the code another field of the same record holds (``by``).

    ``scale: {by: ODER_COND, places: {"6": 4, "D": 1}}``: 4 decimals when ``ODER_COND`` is 6,
    1 when it is D. Real-time feeds only (a tick reads the other field of its own record)."""

    by: str
    """The wire name of the field whose code chooses the places (``ODER_COND``)."""
    places: dict[str, Any]
    """Code → implied decimals (an int, 0 to 18); the loader checks each."""

    def summary(self) -> str:
        """``4 decimals when ``oder_cond`` is 6, 7, 8 or 9; 3 when 4, 5 …``, for docstrings and docs."""
        by_places: dict[int, list[str]] = {}
        for code, places in self.places.items():
            by_places.setdefault(int(places), []).append(code)
        parts = []
        for index, (places, codes) in enumerate(sorted(by_places.items(), reverse=True)):
            listed = ", ".join(codes[:-1]) + f" or {codes[-1]}" if len(codes) > 1 else codes[0]
            unit = "decimal" if places == 1 else "decimals"
            by = self.by.lower()
            parts.append(
                f"{places} {unit} when ``{by}`` is {listed}" if index == 0 else f"{places} when {listed}"
            )
        return "; ".join(parts)


#: The most implied decimals a scale may give (a 18-digit fraction is already beyond any price).
MAX_SCALE_PLACES = 18


@attrs.frozen
class ResponseField:
    wire: str
    korean: str
    type: SemanticType = "str"
    enum: str | None = None
    length: int | None = None
    unit: str = ""
    description: str = ""
    reviewed: bool = True
    scale: ScaleSpec | None = None
    """Implied decimal point (feeds only): see :class:`ScaleSpec`."""

    @property
    def semantic_type(self) -> str:
        return "enum" if self.enum else self.type

    @property
    def is_raw_price(self) -> bool:
        """A price KIS sends without its decimal point (``unit: sCalcDesz``)."""
        return self.unit == RAW_PRICE_UNIT


@attrs.frozen
class OutputSpec:
    """One part of the response body: ``output``, ``output1``, ``output2``, …"""

    row: str
    fields: list[ResponseField]
    shape: Literal["list", "object"] = "list"
    korean: str = ""


@attrs.frozen
class TrRule:
    """How a date argument chooses the TR: ``recent`` when the date is at most ``within_months``
    calendar months before today (Korea time), ``older`` otherwise (e.g. 3개월이내 / 3개월이전)."""

    within_months: int


#: The choices a :class:`TrRule` produces; its ``real``/``paper`` mappings use exactly these keys.
TR_RULE_CHOICES = ("recent", "older")


@attrs.frozen
class TrIds:
    """TR IDs per environment. ``None``/``unsupported`` means the environment lacks the TR.

    With ``select``, ``real``/``paper`` map a choice (the argument's enum code, or the rule's
    outcome) to a TR ID instead of being one string.
    """

    real: str | dict[str, str] | None
    paper: str | dict[str, str] | None
    select: str | tuple[str, ...] | None = None
    """The argument choosing the TR, or several (``[side, exchange]``): then a mapping's keys are
    their codes joined by ``/`` (``buy/NASD``), and a combination that is not a key is refused."""
    rule: TrRule | None = None

    @property
    def selectors(self) -> tuple[str, ...]:
        if self.select is None:
            return ()
        return (self.select,) if isinstance(self.select, str) else self.select


#: What a review checked a spec against (``reviewed: {against: [...]}``); spec/README.md, *Review*.
ReviewSource = Literal[
    "portal", "real-data-notes", "realtime-notes", "endpoints-notes", "market-rules", "sample-code", "live"
]
REVIEW_SOURCES: tuple[str, ...] = (
    "portal", "real-data-notes", "realtime-notes", "endpoints-notes", "market-rules", "sample-code", "live"
)  # fmt: skip


@attrs.frozen
class Review:
    """``reviewed:``: someone checked the spec by hand against these sources (a spec without it
    is a draft). ``note`` says what the review found or decided that the fields cannot say."""

    against: list[ReviewSource]
    note: str = ""


def check_review(review: Review | None, importer_notes: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    if review is not None:
        if not review.against:
            problems.append(
                ("reviewed.against", f"names no source (one or more of {', '.join(REVIEW_SOURCES)})")
            )
        twice = sorted({s for s in review.against if review.against.count(s) > 1})
        if twice:
            problems.append(("reviewed.against", f"names {', '.join(twice)} twice"))
    for i, note in enumerate(importer_notes):
        if not note.strip():
            problems.append((f"importer_notes[{i}]", "is empty"))
    return problems


@attrs.frozen
class PagingSpec:
    """``tr_cont`` continuation: request keys sent back from the response body."""

    keys: dict[str, str] = attrs.field(factory=dict)  # request wire name -> response body key
    mode: Literal["tr_cont"] = "tr_cont"


@attrs.frozen
class EndpointSpec:
    title: str
    method: Literal["GET", "POST"]
    path: str
    tr_id: TrIds
    response: dict[str, OutputSpec]
    kind: Literal["rest"] = "rest"
    doc_id: str = ""
    summary: str = ""
    namespace: str | None = None
    name: str | None = None
    paging: PagingSpec | None = None
    rate_limit: float | None = None
    max_rows: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(1))
    )
    """Rows KIS answers at most per call (the page's 최대 N건), for endpoints that page by date."""
    request: list[RequestField] = attrs.field(factory=list)
    enums: dict[str, EnumSpec] = attrs.field(factory=dict)
    retry_safe: bool | None = None
    order_number: list[str] = attrs.field(factory=list)
    """``[output.ODNO]``: where an order's answer carries its order number (non-idempotent specs).
    An order KIS accepted (rt_cd "0") whose order number cannot be read raises
    ``KisOrderStateUnknownError`` instead of returning an answer a bot could not look up."""
    response_class: str | None = None
    """Name of the response class when ``<Method>Response`` would collide with another spec's."""
    reviewed: Review | None = None
    """Who checked the spec against what; ``None``: a draft nobody reviewed yet."""
    importer_notes: list[str] = attrs.field(factory=list)
    """What the importer could not decide (or corrected) when it drafted the spec from its page."""

    @property
    def path_parts(self) -> tuple[str, str, str, list[str]]:
        match = _PATH.fullmatch(self.path)
        assert match is not None, self.path
        category, version, group, rest = match.groups()
        return category, version, group, rest.split("/")

    @property
    def python_namespace(self) -> str:
        return self.namespace or self.path_parts[0].replace("-", "_")

    @property
    def python_group(self) -> str:
        return self.path_parts[2].replace("-", "_")

    @property
    def python_name(self) -> str:
        if self.name:
            return self.name
        return "_".join(self.path_parts[3]).replace("-", "_")

    @property
    def is_retry_safe(self) -> bool:
        """GETs may be retried; POSTs (orders) only when the spec says so."""
        return self.method == "GET" if self.retry_safe is None else self.retry_safe


@attrs.frozen
class SharedSpec:
    """``spec/_shared.yaml``: enums used across endpoints, the standard header names and the
    request blocks (``- use: account`` in a spec's ``request`` stands for the block's fields)."""

    enums: dict[str, EnumSpec] = attrs.field(factory=dict)
    headers: dict[str, HeaderSpec] = attrs.field(factory=dict)
    request_blocks: dict[str, list[RequestField]] = attrs.field(factory=dict)
    """Block name → its request fields, in wire order (``account``: ``CANO``, ``ACNT_PRDT_CD``)."""


@attrs.frozen
class Renames:
    """``spec/_renames.yaml``: public names renamed, kept as deprecated aliases from ``since``
    until ``until`` (the DeprecationWarning says when they go)."""

    since: str = ""
    until: str = ""
    classes: dict[str, str] = attrs.field(factory=dict)
    """Old class name → new class name."""
    arguments: dict[str, dict[str, str]] = attrs.field(factory=dict)
    """``namespace.method`` → {old argument name: new argument name}."""
    replaced: dict[str, dict[str, dict[str, dict[str, Any]]]] = attrs.field(factory=dict)
    """``namespace.method`` → {old argument: {old value: {new argument: its value, or a list the
    caller's value must be in}}}: an argument whose meaning moved into others (``order_kind``
    ``us_buy`` → ``side`` buy on a US ``exchange``). The loader checks the shape."""


Problem = tuple[str, str]

#: Attribute names every generated row or response already has.
RESERVED_ATTRIBUTES = frozenset({"raw", "from_dict", "to_dict", "tr_cont", "has_next", "known"})


def _check_pattern(field: RequestField, where: str) -> list[Problem]:
    """A ``pattern`` compiles, is for a ``str`` field and accepts its own ``const``/``default``."""
    assert field.pattern is not None
    try:
        regex = re.compile(field.pattern)
    except re.error as exc:
        return [(where, f"pattern {field.pattern!r} is not a regular expression: {exc}")]
    problems: list[Problem] = []
    if field.semantic_type != "str":
        problems.append((where, f"pattern is for type str fields, not {field.semantic_type}"))
    for label, value in (("const", field.const), ("default", field.default)):
        if value and not regex.fullmatch(value):
            problems.append((where, f"{label} {value!r} does not match pattern {field.pattern!r}"))
    return problems


def _check_paper(field: RequestField, where: str, enums: dict[str, EnumSpec]) -> list[Problem]:
    """``paper:``: on an argument KIS reads, its values valid for the field (codes of its enum,
    within its type, range, pattern and length), ``unsupported`` only where it may be left out."""
    rule = field.paper
    assert rule is not None
    if field.const is not None:
        return [(where, "paper: a const is sent the same on paper; drop paper:")]
    if field.wire is None:
        return [(where, "paper: an argument choosing the TR says what paper has in tr_id.paper")]
    if rule.unsupported:
        if field.required:
            return [(where, "paper: unsupported needs required: false (paper takes the field blank)")]
        return []
    problems: list[Problem] = []
    for i, code in enumerate(rule.only):
        problem = _wire_problem(field, code, enums)
        if problem is not None:
            problems.append((f"{where}.paper.only[{i}]", problem))
    twice = sorted({code for code in rule.only if rule.only.count(code) > 1})
    if twice:
        problems.append((f"{where}.paper.only", f"lists {', '.join(map(repr, twice))} twice"))
    return problems


def _wire_problem(field: RequestField, code: str, enums: dict[str, EnumSpec]) -> str | None:
    """Why ``code`` is not a value the field could send, or ``None``."""
    if code == "":
        return "'' is what leaving the field out sends; write paper: unsupported for blank only"
    if field.length and len(code) > field.length:
        return f"{code!r} is longer than length {field.length}"
    kind = field.semantic_type
    if kind == "enum":
        spec = enums.get(field.enum or "")
        codes = [member.code for member in spec.members.values()] if spec else []
        return None if code in codes else f"{code!r} is not a code of {field.enum} ({', '.join(codes)})"
    if kind in ("int", "decimal"):
        number = _NUMBER_CODES[kind].fullmatch(code)
        if number is None:
            return f"{code!r} is not {'an integer' if kind == 'int' else 'a decimal number'}"
        if field.range is not None and not field.range[0] <= float(code) <= field.range[1]:
            return f"{code!r} is outside range {field.range[0]}..{field.range[1]}"
        return None
    if kind == "bool":
        return None if code in ("Y", "N") else f"{code!r} is not Y or N"
    if kind == "date":
        return None if re.fullmatch(r"[0-9]{8}", code) else f"{code!r} is not a date YYYYMMDD"
    if kind == "time":
        return None if re.fullmatch(r"[0-9]{6}", code) else f"{code!r} is not a time HHMMSS"
    if field.pattern is not None and not re.fullmatch(field.pattern, code):
        return f"{code!r} does not match pattern {field.pattern!r}"
    return None


_NUMBER_CODES = {
    "int": re.compile(r"[+-]?[0-9]{1,30}"),
    "decimal": re.compile(r"[+-]?[0-9]{1,30}(\.[0-9]+)?"),
}


def check_endpoint(spec: EndpointSpec, shared_enums: dict[str, EnumSpec]) -> list[Problem]:
    """Cross-field checks the structure alone cannot express."""
    problems: list[Problem] = []
    if not isinstance(spec.path, str) or not _PATH.fullmatch(spec.path):
        problems.append(("path", f"{spec.path!r} is not /uapi/<category>/v<N>/<group>/<name>"))
        return problems
    for name, value in (
        ("namespace", spec.python_namespace),
        ("path", spec.python_group),
        ("name", spec.python_name),
    ):
        if not _PUBLIC_NAME.fullmatch(value) or keyword.iskeyword(value):
            problems.append((name, f"{value!r} is not a valid python name (lower_case, no leading _)"))
    if spec.python_namespace in RESERVED_NAMESPACES:
        problems.append(("namespace", f"{spec.python_namespace!r} is a hand-written part of the package"))
    problem = check_pattern(spec.doc_id, _DOC_ID, "portal document id")
    if problem:
        problems.append(("doc_id", problem))
    problems += check_tr_ids(spec.tr_id, _REST_TR_ID)
    if spec.rate_limit is not None and not (math.isfinite(spec.rate_limit) and spec.rate_limit > 0):
        problems.append(("rate_limit", f"{spec.rate_limit!r} is not a positive number of calls per second"))
    known_enums = {**shared_enums, **spec.enums}
    for enum_name, enum in spec.enums.items():
        where = f"enums.{enum_name}"
        problems += check_enum(enum_name, enum, where)
        if enum_name in shared_enums:
            problems.append((where, "already defined in spec/_shared.yaml"))

    seen_args: set[str] = set()
    seen_wire: set[str] = set()
    for i, field in enumerate(spec.request):
        where = f"request[{i}]({field.wire or field.name})"
        if field.wire is None and field.name is None:
            problems.append((where, "needs a wire name or a python name"))
            continue
        if field.wire is not None:
            problem = check_pattern(field.wire, _WIRE, "wire name")
            if problem:
                problems.append((where, problem))
            if field.wire in seen_wire:
                problems.append((where, f"wire name {field.wire!r} used twice"))
            seen_wire.add(field.wire)
        if field.wire is None and field.name not in spec.tr_id.selectors:
            problems.append((where, "a field without wire name must be the tr_id selector"))
        if field.is_argument:
            name = field.python_name
            if not _IDENTIFIER.fullmatch(name) or keyword.iskeyword(name) or name.startswith("__"):
                problems.append((where, f"python name {name!r} is not a valid identifier"))
            elif name in RESERVED_ARGUMENTS:
                problems.append((where, f"python name {name!r} is already a parameter of every method"))
            if name in seen_args:
                problems.append((where, f"python name {name!r} used twice"))
            seen_args.add(name)
        if field.enum and field.enum not in known_enums:
            problems.append((where, f"enum {field.enum!r} is not defined"))
        if field.type == "enum" and not field.enum:
            problems.append((where, "type enum needs `enum: <Name>`"))
        if field.type == "bool" and field.default not in (None, "Y", "N"):
            problems.append((where, 'a bool field\'s default is the wire value "Y" or "N"'))
        if field.semantic_type == "date" and field.length is not None and field.length < 8:
            problems.append((where, f"a date is YYYYMMDD: length {field.length} is too short"))
        numeric = field.is_argument and field.semantic_type in ("int", "decimal")
        if numeric and field.range is None and not spec.is_retry_safe:
            problems.append(
                (where, "a numeric argument of an order needs a range (quantity [1, N], price [0, N])")
            )
        if field.range is not None:
            low, high = field.range
            if field.type not in ("int", "decimal"):
                problems.append((where, "range needs type int or decimal"))
            if low > high:
                problems.append((where, f"range {low}..{high} is empty"))
        if field.const is not None and field.enum is not None:
            problems.append((where, "a field is either const or enum, not both"))
        if field.pattern is not None:
            problems += _check_pattern(field, where)
        if field.paper is not None and spec.tr_id.paper is None:
            problems.append((where, "paper: the endpoint has no paper TR (tr_id.paper is unsupported)"))
        elif field.paper is not None:
            problems += _check_paper(field, where, known_enums)
        if field.const is not None and field.length and len(field.const) > field.length:
            problems.append((where, f"const {field.const!r} is longer than length {field.length}"))
    if spec.tr_id.select is not None:
        problems += _check_tr_select(spec, known_enums)
    else:
        if spec.tr_id.rule is not None:
            problems.append(("tr_id.rule", "a rule needs tr_id.select naming the date argument"))
        for env in ("real", "paper"):
            if isinstance(getattr(spec.tr_id, env), dict):
                problems.append((f"tr_id.{env}", "a mapping needs tr_id.select"))
    if spec.tr_id.real is None and spec.tr_id.paper is None:
        problems.append(("tr_id", "neither real nor paper has a TR ID"))
    if spec.paging is not None:
        for wire, body_key in spec.paging.keys.items():
            if wire not in seen_wire:
                problems.append((f"paging.keys.{wire!r}", "is not a request field"))
            problem = check_pattern(body_key, _WIRE, "response body key")
            if problem:
                problems.append((f"paging.keys.{wire!r}", problem))

    if not spec.response:
        problems.append(("response", "has no outputs"))
    for key, output in spec.response.items():
        where = f"response.{key}"
        if not _IDENTIFIER.fullmatch(key) or keyword.iskeyword(key):
            problems.append(
                (where, f"{key!r} does not make a python attribute (outputs are output, output1 …)")
            )
        elif key in RESERVED_ATTRIBUTES or key in ("rt_cd", "msg_cd", "msg1"):
            problems.append((where, f"{key!r} is reserved on every response"))
        problems += check_class_name(output.row, f"{where}.row")
        seen_fields: set[str] = set()
        for j, out_field in enumerate(output.fields):
            fwhere = f"{where}.fields[{j}]({out_field.wire})"
            attr = out_field.wire.lower()
            if not _PUBLIC_NAME.fullmatch(attr) or keyword.iskeyword(attr):
                problems.append((fwhere, f"{out_field.wire!r} does not make a python attribute"))
            if attr in RESERVED_ATTRIBUTES:
                problems.append((fwhere, f"{attr!r} is reserved on every response (rename the attribute)"))
            if attr in seen_fields:
                problems.append((fwhere, "listed twice"))
            seen_fields.add(attr)
            if out_field.enum and out_field.enum not in known_enums:
                problems.append((fwhere, f"enum {out_field.enum!r} is not defined"))
            if out_field.type == "enum" and not out_field.enum:
                problems.append((fwhere, "type enum needs `enum: <Name>`"))
            if out_field.type in REQUEST_ONLY_TYPES:
                problems.append((fwhere, f"type {out_field.type} is for request fields; use str"))
            if out_field.scale is not None:
                problems.append(
                    (f"{fwhere}.scale", "an implied decimal point is read on real-time feeds only")
                )
            problems += check_raw_price(out_field, fwhere)
    if spec.response_class is not None:
        problems += check_class_name(spec.response_class, "response_class")
    problems += check_review(spec.reviewed, spec.importer_notes)
    # the endpoint's module defines its method on a class named like the category's
    category_class = "".join(part.capitalize() for part in spec.python_namespace.split("_"))
    named = {name: f"enums.{name}" for name in spec.enums}
    named.update({output.row: f"response.{key}.row" for key, output in spec.response.items()})
    if category_class in named:
        problems.append((named[category_class], f"{category_class!r} is the category's class name"))
    return problems


def check_order_number(spec: EndpointSpec) -> list[Problem]:
    """``order_number``: each entry names ``<output>.<WIRE>``, a field of an order's response."""
    problems: list[Problem] = []
    for i, path in enumerate(spec.order_number):
        problems += _check_order_number(spec, f"order_number[{i}]", path)
    return problems


def _check_order_number(spec: EndpointSpec, where: str, path: str) -> list[Problem]:
    if spec.is_retry_safe:
        return [(where, "only an order (a call that is never retried) has an order number")]
    key, _, wire = path.partition(".")
    output = spec.response.get(key)
    if output is None or not wire:
        return [(where, f"{path!r} is not <output>.<WIRE> of this spec's response")]
    if not any(f.wire.lower() == wire.lower() for f in output.fields):
        return [(where, f"response.{key} has no field {wire!r}")]
    return []


def _check_tr_select(spec: EndpointSpec, known_enums: dict[str, EnumSpec]) -> list[Problem]:
    """``tr_id.select``: the argument exists, and the mappings' keys are what it can choose."""
    problems: list[Problem] = []
    tr_id = spec.tr_id
    if isinstance(tr_id.select, tuple):
        return _check_compound_select(spec, known_enums)
    field = next((f for f in spec.request if f.is_argument and f.python_name == tr_id.select), None)
    if field is None:
        return [("tr_id.select", f"{tr_id.select!r} is not a request argument")]
    if tr_id.rule is not None:
        if field.semantic_type != "date":
            problems.append(("tr_id.rule", f"a rule chooses by a date; {tr_id.select!r} is not type date"))
        if tr_id.rule.within_months < 1:
            problems.append(("tr_id.rule.within_months", "must be at least 1"))
        choices: set[str] | None = set(TR_RULE_CHOICES)
        label = f"the rule's choices {list(TR_RULE_CHOICES)}"
    elif field.enum is not None and field.enum in known_enums:
        choices = {m.code for m in known_enums[field.enum].members.values()}
        label = f"codes of {field.enum}"
    else:
        problems.append(("tr_id.select", f"{tr_id.select!r} must have an enum (or tr_id.rule for a date)"))
        choices, label = None, ""
    for env in ("real", "paper"):
        value = getattr(tr_id, env)
        if value is None:
            continue
        if not isinstance(value, dict):
            problems.append((f"tr_id.{env}", "with select, give a mapping choice -> TR ID"))
            continue
        if choices is None:
            continue
        unknown = sorted(set(value) - choices)
        if unknown:
            problems.append((f"tr_id.{env}", f"keys {unknown} are not {label}"))
        if tr_id.rule is not None and set(value) != choices:
            problems.append((f"tr_id.{env}", f"needs a TR for each of {list(TR_RULE_CHOICES)}"))
    return problems


def _check_compound_select(spec: EndpointSpec, known_enums: dict[str, EnumSpec]) -> list[Problem]:
    """``select: [side, exchange]``: each names an enum argument, and each key is one code of each
    joined by ``/`` (``buy/NASD``), so every key is a combination a caller can give; an optional
    selector left out is the empty code (``/NASD``: region omitted, the exchange says it)."""
    tr_id = spec.tr_id
    if tr_id.rule is not None:
        return [("tr_id.rule", "a rule chooses by one date argument, not by several")]
    problems: list[Problem] = []
    codes: list[set[str]] = []
    for name in tr_id.selectors:
        field = next((f for f in spec.request if f.is_argument and f.python_name == name), None)
        if field is None:
            problems.append(("tr_id.select", f"{name!r} is not a request argument"))
        elif field.enum is None or field.enum not in known_enums:
            problems.append(("tr_id.select", f"{name!r} must have an enum to choose a TR with others"))
        else:
            members = {m.code for m in known_enums[field.enum].members.values()}
            codes.append(members if field.required else members | {""})
    if problems:
        return problems
    for env in ("real", "paper"):
        value = getattr(tr_id, env)
        if value is None:
            continue
        if not isinstance(value, dict):
            problems.append((f"tr_id.{env}", "with select, give a mapping choice -> TR ID"))
            continue
        for key in value:
            parts = key.split("/")
            if len(parts) != len(codes) or any(p not in c for p, c in zip(parts, codes, strict=False)):
                problems.append(
                    (f"tr_id.{env}", f"key {key!r} is not {'/'.join(tr_id.selectors)} codes joined by '/'")
                )
    return problems


# -- real-time (WebSocket) feeds ----------------------------------------------------------------

#: Attribute names every generated tick already has.
RESERVED_TICK_ATTRIBUTES = frozenset({"raw", "feed", "feeds", "to_dict", "fields", "wire_names", "key"})
_FEED_PATH = re.compile(r"^([a-z][a-z0-9_]*)/realtime/([a-z][a-z0-9_]*)\.yaml$")
_TR_ID = re.compile(r"^[A-Z0-9]{6,10}$")


@attrs.frozen
class TrKeySpec:
    """What ``tr_key`` (구분값) of a feed means: a symbol, or the HTS user id (execution notices)."""

    meaning: Literal["symbol", "hts_id"]
    korean: str = ""
    description: str = ""


@attrs.frozen
class RealtimeSpec:
    """One WebSocket feed (``kind: realtime``): ``spec/<category>/realtime/<name>.yaml``.

    ``fields`` are one record's fields in wire order (the ``^``-separated values); they use the
    same semantic types and enums as REST response fields.
    """

    kind: Literal["realtime"]
    title: str
    tr_id: TrIds
    tr_key: TrKeySpec
    fields: list[ResponseField]
    encrypted: bool = False
    doc_id: str = ""
    summary: str = ""
    tick: str | None = None
    enums: dict[str, EnumSpec] = attrs.field(factory=dict)
    reviewed: Review | None = None
    importer_notes: list[str] = attrs.field(factory=list)


def feed_location(source: str) -> tuple[str, str] | None:
    """``domestic_stock/realtime/trade_krx.yaml`` → (category, feed name); ``None`` if misplaced."""
    match = _FEED_PATH.fullmatch(source)
    return (match.group(1), match.group(2)) if match else None


def check_realtime(spec: RealtimeSpec, source: str, shared_enums: dict[str, EnumSpec]) -> list[Problem]:
    """Cross-field checks of a feed spec (the structure itself is checked by the loader)."""
    problems: list[Problem] = []
    location = feed_location(source)
    if location is None:
        problems.append(("(file)", "a realtime spec lives at spec/<category>/realtime/<name>.yaml"))
    else:
        category, name = location
        if keyword.iskeyword(name) or keyword.iskeyword(category):
            problems.append(("(file)", f"{category}.{name} is not a valid python name"))
        elif name in RESERVED_FEED_NAMES:
            problems.append(("(file)", f"{name!r} is a name real-time modules already use"))
    problem = check_pattern(spec.doc_id, _DOC_ID, "portal document id")
    if problem:
        problems.append(("doc_id", problem))
    if spec.tr_id.select is not None:
        problems.append(("tr_id.select", "a feed has one TR ID per environment, no selector"))
    for env in ("real", "paper"):
        value = getattr(spec.tr_id, env)
        if isinstance(value, dict):
            problems.append((f"tr_id.{env}", "a feed has one TR ID per environment"))
        elif value is not None and not _TR_ID.fullmatch(value):
            problems.append((f"tr_id.{env}", f"{value!r} does not look like a TR ID (H0STCNT0)"))
    if spec.tr_id.real is None and spec.tr_id.paper is None:
        problems.append(("tr_id", "neither real nor paper has a TR ID"))
    if spec.tick is not None:
        problems += check_class_name(spec.tick, "tick")
    known_enums = {**shared_enums, **spec.enums}
    for enum_name, enum in spec.enums.items():
        if enum_name in shared_enums:
            problems.append((f"enums.{enum_name}", "already defined in spec/_shared.yaml"))
        problems += check_enum(enum_name, enum, f"enums.{enum_name}")
    if not spec.fields:
        problems.append(("fields", "a feed needs its record's fields"))
    seen: set[str] = set()
    for i, field in enumerate(spec.fields):
        where = f"fields[{i}]({field.wire})"
        attr = field.wire.lower()
        if not _PUBLIC_NAME.fullmatch(attr) or keyword.iskeyword(attr):
            problems.append((where, f"{field.wire!r} does not make a python attribute"))
        if attr in RESERVED_TICK_ATTRIBUTES:
            problems.append((where, f"{attr!r} is reserved on every tick"))
        if attr in seen:
            problems.append((where, "listed twice"))
        seen.add(attr)
        if field.enum and field.enum not in known_enums:
            problems.append((where, f"enum {field.enum!r} is not defined"))
        if field.type == "enum" and not field.enum:
            problems.append((where, "type enum needs `enum: <Name>`"))
        if field.type == "bool":
            problems.append((where, "ticks have no bool type (Y/N stays str, or give it an enum)"))
        if field.scale is not None:
            problems += check_scale(field, spec.fields, f"{where}.scale")
        problems += check_raw_price(field, where)
    problems += check_review(spec.reviewed, spec.importer_notes)
    return problems


def check_raw_price(field: ResponseField, where: str) -> list[Problem]:
    """``unit: sCalcDesz`` marks a decimal price placed by a master file (no ``scale:`` too); a
    field whose description says to use sCalcDesz must carry the marker, so none is left raw
    without it."""
    if field.is_raw_price:
        if field.semantic_type != "decimal":
            return [
                (
                    f"{where}.unit",
                    f"{RAW_PRICE_UNIT} marks a raw price, which is a decimal, not {field.semantic_type}",
                )
            ]
        if field.scale is not None:
            return [(f"{where}.scale", f"a {RAW_PRICE_UNIT} price is placed by the master file, not a scale")]
        return []
    if RAW_PRICE_UNIT.lower() in field.description.lower():
        return [
            (
                f"{where}.unit",
                f"the description says to scale it by {RAW_PRICE_UNIT}: mark it `unit: {RAW_PRICE_UNIT}`",
            )
        ]
    return []


def check_scale(field: ResponseField, fields: list[ResponseField], where: str) -> list[Problem]:
    """``scale:`` names another text (or enum) field of the record and gives each of its codes a
    whole number of implied decimals (0 to :data:`MAX_SCALE_PLACES`)."""
    scale = field.scale
    assert scale is not None
    problems: list[Problem] = []
    if field.semantic_type != "decimal":
        problems.append((where, f"an implied decimal point needs type: decimal, not {field.semantic_type}"))
    by = next((f for f in fields if f.wire == scale.by), None)
    if by is None:
        problems.append((f"{where}.by", f"{scale.by!r} is not a field of this record"))
    elif by is field:
        problems.append((f"{where}.by", "a field cannot choose its own decimals"))
    elif by.semantic_type not in ("str", "enum"):
        problems.append(
            (
                f"{where}.by",
                f"{scale.by} is {by.semantic_type}; the places are chosen by a code (str or enum)",
            )
        )
    if not scale.places:
        problems.append((f"{where}.places", "give at least one code: places"))
    for code, places in scale.places.items():
        problem = check_pattern(code, _ENUM_CODE, "code")
        if problem:
            problems.append((f"{where}.places", problem))
        if type(places) is not int or not 0 <= places <= MAX_SCALE_PLACES:
            problems.append(
                (
                    f"{where}.places[{code!r}]",
                    f"{places!r} is not a whole number of decimals (0 to {MAX_SCALE_PLACES})",
                )
            )
    return problems
