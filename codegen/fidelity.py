"""Checks of the specs against what the KIS portal pages get wrong (``spec/README.md``, *Fidelity*).

The specs follow the portal pages, and the pages are sometimes wrong: a wire name misspelt
(``FID_BLNC_CLS_CODE`` for ``FID_BLNG_CLS_CODE``), an index price typed as a whole number. These
checks catch the class of each mistake, not only the instance; ``tests/codegen/test_fidelity.py``
runs them and ``docs/coverage.md`` shows their figures.

- :func:`spelling_problems`: request wire names one letter apart (``RSYN`` / ``RSVN``) are the same
  meaning misspelt unless ``spec/_fidelity.yaml`` lists the pair as distinct, with its source.
- :func:`singleton_problems`: a request wire name that occurs in one spec only has no other spec
  to agree with, so it must be checked against a source outside the portal (``sample_code``:
  KIS's own sample code sends it on the same path; ``reviewed``: a note saying what was checked).
- :func:`numeric_findings`: a price of an index, of a futures or options contract or of a foreign
  stock, and every rate or ratio, is ``decimal`` (never ``int``: ``-0.96`` points would fail).
- :data:`FIDELITY_FILE` also lists the request spellings no offline source settles
  (``live_checks``): ``docs/coverage.md`` shows them, and ``kis-async drift`` flags a recording
  that answers one.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import attrs
import yaml

from codegen.loader import NOT_SPECS, SpecSet
from codegen.model import REVIEW_SOURCES, ResponseField, Review

FIDELITY_FILE = "_fidelity.yaml"
assert FIDELITY_FILE in NOT_SPECS


@attrs.frozen
class LiveCheck:
    """A request wire spelling that only a live call can settle: the spec keeps the portal's."""

    endpoint: str
    """``overseas_stock.price_fluct``."""
    wire: str
    """What the spec sends (the portal's spelling)."""
    alternatives: tuple[str, ...]
    """What other sources send instead."""
    evidence: str


@attrs.frozen
class Fidelity:
    """``spec/_fidelity.yaml``: what was checked beyond the portal pages."""

    sample_code: frozenset[str] = frozenset()
    """Singleton request wire names that KIS's sample code sends on the same path."""
    reviewed: Mapping[str, str] = attrs.field(factory=dict)
    """Singleton request wire names checked otherwise: wire → what was checked."""
    distinct: Mapping[frozenset[str], str] = attrs.field(factory=dict)
    """Pairs of close spellings that are different fields: pair → why."""
    live_checks: tuple[LiveCheck, ...] = ()


class FidelityFileError(ValueError):
    """``spec/_fidelity.yaml`` is not what this module reads (names the entry)."""


def load_fidelity(root: Path) -> Fidelity:
    """Read ``root/_fidelity.yaml`` (an empty :class:`Fidelity` when there is none)."""
    path = root / FIDELITY_FILE
    if not path.exists():
        return Fidelity()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise FidelityFileError(f"{FIDELITY_FILE}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise FidelityFileError(f"{FIDELITY_FILE}: expected a mapping at the top")
    try:
        singles = data.get("singleton_wires") or {}
        distinct = {}
        for entry in data.get("distinct_spellings") or []:
            pair = frozenset(str(w) for w in entry["pair"])
            if len(pair) != 2:
                raise FidelityFileError(f"{FIDELITY_FILE}: distinct_spellings: {entry!r} needs two names")
            distinct[pair] = str(entry["why"])
        checks = tuple(
            LiveCheck(
                str(entry["endpoint"]),
                str(entry["wire"]),
                tuple(str(a) for a in entry["alternatives"]),
                " ".join(str(entry["evidence"]).split()),
            )
            for entry in data.get("live_checks") or []
        )
        return Fidelity(
            sample_code=frozenset(str(w) for w in singles.get("sample_code") or []),
            reviewed={str(k): str(v) for k, v in (singles.get("reviewed") or {}).items()},
            distinct=distinct,
            live_checks=checks,
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise FidelityFileError(f"{FIDELITY_FILE}: malformed entry ({exc!r})") from None


# --- request wire spellings -------------------------------------------------------------------


def request_wires(specs: SpecSet) -> dict[str, list[str]]:
    """Upper-case request wire name → the specs that send it (sorted)."""
    found: dict[str, set[str]] = defaultdict(set)
    for loaded in specs.endpoints:
        for field in loaded.spec.request:
            if field.wire:
                found[field.wire.upper()].add(loaded.source)
    return {wire: sorted(sources) for wire, sources in sorted(found.items())}


def close_spellings(a: str, b: str) -> bool:
    """One letter changed or two neighbours swapped (``FID_BLNC``/``FID_BLNG``, ``MIXN``/``MINX``),
    but not names that differ only in their digits (``SRS_CD_01``/``SRS_CD_02``)."""
    if len(a) != len(b) or a == b or re.sub(r"\d", "#", a) == re.sub(r"\d", "#", b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def same_meaning_pairs(specs: SpecSet) -> set[frozenset[str]]:
    """Request wire names with the same 한글명 and a similar spelling (``NATN_CD``/``NATION_CD``
    for 국가코드), but not a numbered variant (``FID_INPUT_ISCD``/``FID_INPUT_ISCD_2``)."""
    by_korean: dict[str, set[str]] = defaultdict(set)
    for loaded in specs.endpoints:
        for field in loaded.spec.request:
            if field.wire:
                by_korean["".join(field.korean.split())].add(field.wire.upper())
    pairs = set()
    for wires in by_korean.values():
        names = sorted(wires)
        for index, a in enumerate(names):
            for b in names[index + 1 :]:
                if a.rstrip("_0123456789") == b.rstrip("_0123456789"):
                    continue
                if difflib.SequenceMatcher(None, a, b).ratio() > 0.8:
                    pairs.add(frozenset((a, b)))
    return pairs


def spelling_problems(specs: SpecSet, fidelity: Fidelity) -> list[str]:
    """Pairs of request wire names a letter apart, or of one 한글명 and a similar spelling, that
    ``_fidelity.yaml`` does not call distinct."""
    wires = request_wires(specs)
    names = sorted(wires)
    problems = []
    for index, a in enumerate(names):
        for b in names[index + 1 :]:
            if close_spellings(a, b) and frozenset((a, b)) not in fidelity.distinct:
                problems.append(
                    f"request wire {a} ({', '.join(wires[a])}) and {b} ({', '.join(wires[b])}) are "
                    "spelt a letter apart: the same field misspelt on a portal page? Check KIS's sample "
                    f"code; if they differ, list the pair under distinct_spellings in {FIDELITY_FILE}"
                )
    for pair in sorted(same_meaning_pairs(specs) - set(fidelity.distinct), key=sorted):
        a, b = sorted(pair)
        if close_spellings(a, b):
            continue  # reported above
        problems.append(
            f"request wire {a} ({', '.join(wires[a])}) and {b} ({', '.join(wires[b])}) have one 한글명 "
            "and two spellings: check KIS's sample code for each path; if both are right, list the pair "
            f"under distinct_spellings in {FIDELITY_FILE}"
        )
    return problems


def singleton_problems(specs: SpecSet, fidelity: Fidelity) -> list[str]:
    """Request wire names sent by one spec only and checked against no source."""
    problems = []
    for wire, sources in request_wires(specs).items():
        if len(sources) == 1 and wire not in fidelity.sample_code and wire not in fidelity.reviewed:
            problems.append(
                f"{sources[0]}: request wire {wire} occurs in no other spec; check its spelling against "
                f"KIS's sample code and list it under singleton_wires in {FIDELITY_FILE}"
            )
    return problems


def stale_fidelity_entries(specs: SpecSet, fidelity: Fidelity) -> list[str]:
    """Entries of ``_fidelity.yaml`` that no spec needs any more (a renamed wire leaves one)."""
    wires = request_wires(specs)
    problems = [
        f"{FIDELITY_FILE}: singleton_wires: {wire} is sent by {len(wires.get(wire, []))} specs, not one"
        for wire in sorted(fidelity.sample_code | set(fidelity.reviewed))
        if len(wires.get(wire, [])) != 1
    ]
    problems += [
        f"{FIDELITY_FILE}: distinct_spellings: {' / '.join(sorted(pair))}: a name no spec sends"
        for pair in fidelity.distinct
        if not all(name in wires for name in pair)
    ]
    calls = {f"{s.spec.python_namespace}.{s.spec.python_name}": s.spec for s in specs.endpoints}
    for check in fidelity.live_checks:
        spec = calls.get(check.endpoint)
        if spec is None or check.wire not in {f.wire for f in spec.request}:
            problems.append(f"{FIDELITY_FILE}: live_checks: {check.endpoint} sends no {check.wire}")
    return problems


# --- numeric types ----------------------------------------------------------------------------

#: Categories whose prices are not whole won: futures and options (points), foreign stocks.
DECIMAL_PRICE_CATEGORIES = frozenset(
    {"domestic_futureoption", "overseas_futureoption", "overseas_price", "overseas_stock"}
)
_RATE = re.compile(r"(율|률|비율|비중)\s*\d*$")
_PRICE = re.compile(r"(가\d*$|가격|지수|대비|이론가|호가|단가|종가|시가|고가|저가|현재가|기준가)")
_NOT_PRICE = re.compile(
    r"(수량|잔량|거래량|건수|개수|순위|일수|체결량|주수|번호|종목수|증감|대금|금액|시간|잔존|코드|명$|구분|여부|"
    r"계약|횟수|자릿수|자리수|인원|증가량)"
)
#: Index endpoints: 업종/지수 in the title, ``index-``/``indexchart`` in the path, ``index_`` feeds
#: (not ``profit-asset-index``, a ranking of stocks by an indicator).
_INDEX_ENDPOINT = re.compile(r"지수|업종|index[-_]|indexchart")
#: Values that are index points wherever they appear: an underlying's price (ELW on KOSPI200),
#: an exercise price, a theoretical price.
_INDEX_FIELD = re.compile(r"(지수|기초자산|이론가|행사가)")
#: A unit that makes a field a quantity, whatever its name says (매수호가대비 = 잔량 대비, in 주).
QUANTITY_UNITS = frozenset({"주", "계약", "건", "개"})


def numeric_scope(category: str, endpoint_text: str, field: ResponseField) -> str | None:
    """Why ``field`` must not be ``int`` (``rate``, ``index``, ``futures/foreign``), or ``None``
    when the rule does not cover it. ``endpoint_text`` is the path, title and file name."""
    korean = field.korean.strip()
    if field.enum or field.type not in ("int", "decimal"):
        return None
    if _RATE.search(korean) or re.search(r"(_rate|ctrt|_rt|_prc_rt)\d*$", field.wire.lower()):
        return "rate"
    if not _PRICE.search(korean) or _NOT_PRICE.search(korean) or field.unit in QUANTITY_UNITS:
        return None
    if _INDEX_FIELD.search(korean) or _INDEX_ENDPOINT.search(endpoint_text):
        return "index"
    if category in DECIMAL_PRICE_CATEGORIES:
        return "futures/foreign"
    return None


@attrs.frozen
class NumericFinding:
    source: str
    where: str
    """``output.prdy_clpr_vrss_lwpr`` or ``tick.HTS_THPR``."""
    scope: str
    type: str


def numeric_findings(specs: SpecSet) -> list[NumericFinding]:
    """Every response field and tick field the numeric rule covers, with its type."""
    found = []
    for loaded in specs.endpoints:
        spec = loaded.spec
        text = f"{spec.path} {spec.title} {loaded.source}"
        for key, output in spec.response.items():
            for field in output.fields:
                scope = numeric_scope(spec.python_namespace, text, field)
                if scope:
                    found.append(NumericFinding(loaded.source, f"{key}.{field.wire}", scope, field.type))
    for feed in specs.realtime:
        text = f"{feed.spec.title} {feed.source}"
        for field in feed.spec.fields:
            scope = numeric_scope(feed.category, text, field)
            if scope:
                found.append(NumericFinding(feed.source, f"tick.{field.wire}", scope, field.type))
    return found


def numeric_problems(specs: SpecSet) -> list[str]:
    return [
        f"{f.source}: {f.where} is int, but a {f.scope} value is not a whole number (type: decimal)"
        for f in numeric_findings(specs)
        if f.type == "int"
    ]


@attrs.frozen
class NumericCount:
    category: str
    rate: int
    index: int
    futures_foreign: int
    as_int: int


def numeric_counts(specs: SpecSet) -> list[NumericCount]:
    """Per category: fields the numeric rule covers, by reason, and how many are still ``int``."""
    by_category: dict[str, list[NumericFinding]] = defaultdict(list)
    categories = {loaded.source: loaded.spec.python_namespace for loaded in specs.endpoints}
    categories.update({feed.source: feed.category for feed in specs.realtime})
    for finding in numeric_findings(specs):
        by_category[categories[finding.source]].append(finding)
    return [
        NumericCount(
            category,
            sum(1 for f in found if f.scope == "rate"),
            sum(1 for f in found if f.scope == "index"),
            sum(1 for f in found if f.scope == "futures/foreign"),
            sum(1 for f in found if f.type == "int"),
        )
        for category, found in sorted(by_category.items())
    ]


@attrs.frozen
class ReviewCount:
    """Per category: specs (endpoints and feeds), drafts, and reviewed specs by source."""

    category: str
    specs: int
    drafts: int
    by_source: tuple[int, ...]
    """Reviewed specs naming each of :data:`codegen.model.REVIEW_SOURCES`, in that order."""


def review_counts(specs: SpecSet) -> list[ReviewCount]:
    """What ``docs/coverage.md`` shows of the ``reviewed:`` keys, per category."""
    by_category: dict[str, list[Review | None]] = defaultdict(list)
    for loaded in specs.endpoints:
        by_category[loaded.spec.python_namespace].append(loaded.spec.reviewed)
    for feed in specs.realtime:
        by_category[feed.category].append(feed.spec.reviewed)
    return [
        ReviewCount(
            category,
            len(reviews),
            sum(1 for r in reviews if r is None),
            tuple(
                sum(1 for r in reviews if r is not None and source in r.against) for source in REVIEW_SOURCES
            ),
        )
        for category, reviews in sorted(by_category.items())
    ]


def drafts(specs: SpecSet) -> list[str]:
    """Specs nobody reviewed yet (no ``reviewed:``), which ``make gen`` names."""
    return sorted(
        [loaded.source for loaded in specs.endpoints if loaded.spec.reviewed is None]
        + [feed.source for feed in specs.realtime if feed.spec.reviewed is None]
    )


def all_problems(specs: SpecSet, fidelity: Fidelity) -> list[str]:
    return [
        *spelling_problems(specs, fidelity),
        *singleton_problems(specs, fidelity),
        *stale_fidelity_entries(specs, fidelity),
        *numeric_problems(specs),
    ]
