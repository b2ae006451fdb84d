"""The specs keep the public API readable: arguments a bot author can type, one enum per meaning.

Regressions these catch: a new spec whose argument is still ``fid_input_date_1`` or ``sht_cd``
(the importer's fallback, left unreviewed), and an enum copied into a spec although
``spec/_shared.yaml`` (or another spec) already has the same codes with the same meaning.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from codegen.glossary import ARGUMENT_NAMES, ONE_MEANING_WIRES
from codegen.loader import SpecError, load_specs, response_class_name
from codegen.model import EnumSpec, class_prefix, doubled_word
from tests.paths import ROOT

SPECS = load_specs(ROOT / "spec")

#: Wire names that are readable English already, so the lower-cased wire is a fine argument name.
READABLE_WIRE_NAMES = frozenset(
    {"start_date", "end_date", "start_time", "end_time", "next", "data_rank", "buy_seq"}
)

#: Curated public names kept although _shared.yaml has the same members: the seed spec's
#: ``CreditBalanceMarket`` (examples, README and the importer's seed test use it) = ``RankingMarket``.
KEPT_CURATED_COPIES = {"CreditBalanceMarket": "RankingMarket"}


def wire_named_arguments() -> list[str]:
    """``file: WIRE`` for every python argument named as its wire in lower case."""
    found = []
    for loaded in SPECS.endpoints:
        spec = loaded.spec
        paging = set(spec.paging.keys) if spec.paging else set()  # filled by the pager
        for field in spec.request:
            if not field.is_argument or not field.wire or field.wire in paging:
                continue
            if field.python_name == field.wire.lower() and field.python_name not in READABLE_WIRE_NAMES:
                found.append(f"{loaded.source}: {field.wire}")
    return found


def test_no_argument_is_named_after_a_cryptic_wire_name() -> None:
    offenders = wire_named_arguments()
    assert not offenders, (
        "give these a readable `name:` (codegen/glossary.py lists the usual ones):\n" + "\n".join(offenders)
    )


def test_no_fid_field_is_an_argument_under_its_wire_name() -> None:
    fid = [line for line in wire_named_arguments() if line.split(": ")[1].upper().startswith("FID_")]
    assert fid == []


def one_meaning_offenders() -> list[str]:
    """``file: WIRE is 'name', the table says 'other'`` for every argument of a one-meaning wire
    (wires compared case-insensitively: some pages write them in lower case)."""
    found = []
    for loaded in SPECS.endpoints:
        for field in loaded.spec.request:
            if not field.is_argument or not field.wire:
                continue
            expected = ONE_MEANING_WIRES.get(field.wire.upper())
            if expected is not None and field.python_name != expected:
                found.append(
                    f"{loaded.source}: {field.wire} is {field.python_name!r}, the table says {expected!r}"
                )
    return found


def test_a_wire_with_one_meaning_has_one_argument_name_in_every_spec() -> None:
    """The account is ``account`` in the README's first order and in the overseas order alike."""
    assert one_meaning_offenders() == []


def test_the_importer_names_drafts_as_the_one_meaning_table_says() -> None:
    disagreeing = {wire: ARGUMENT_NAMES.get(wire) for wire, name in ONE_MEANING_WIRES.items()}
    assert {w: n for w, n in disagreeing.items() if n != ONE_MEANING_WIRES[w]} == {}


def test_every_wire_of_the_table_is_used_by_some_spec() -> None:
    """The table lists live wires, so a renamed or removed field does not leave a stale rule."""
    used = {f.wire.upper() for loaded in SPECS.endpoints for f in loaded.spec.request if f.wire}
    assert sorted(set(ONE_MEANING_WIRES) - used) == []


def members(enum: EnumSpec) -> frozenset[tuple[str, str]]:
    return frozenset((member.code, member.korean) for member in enum.members.values())


def test_an_enum_with_the_codes_of_a_shared_one_uses_the_shared_one() -> None:
    shared = {members(enum): name for name, enum in SPECS.shared.enums.items()}
    copies = [
        f"{loaded.source}: {name} = {shared[members(enum)]}"
        for loaded in SPECS.endpoints
        for name, enum in loaded.spec.enums.items()
        if members(enum) in shared and KEPT_CURATED_COPIES.get(name) != shared[members(enum)]
    ]
    assert copies == []


def test_no_two_specs_define_the_same_enum() -> None:
    where: dict[frozenset[tuple[str, str]], list[str]] = defaultdict(list)
    for loaded in SPECS.endpoints:
        for name, enum in loaded.spec.enums.items():
            where[members(enum)].append(f"{loaded.source}: {name}")
    duplicated = [places for places in where.values() if len({p.split(":")[0] for p in places}) > 1]
    assert duplicated == [], "move each into spec/_shared.yaml and point the specs at it"


def test_a_spec_giving_a_key_twice_is_refused_instead_of_keeping_the_last(tmp_path: Path) -> None:
    """A ``name:`` added above an older ``name:`` would silently lose to it."""
    root = tmp_path / "spec"
    shutil.copytree(ROOT / "spec", root)
    seed = root / "domestic_stock/ranking/credit_balance.yaml"
    seed.write_text(
        seed.read_text(encoding="utf-8").replace("    name: market\n", "    name: market\n    name: m\n")
    )
    with pytest.raises(SpecError, match=r"credit_balance.yaml: yaml: key 'name' is given twice"):
        load_specs(root)


def spec_classes() -> dict[str, set[str]]:
    """Every class a spec names (rows, responses, enums, ticks) → the categories that use it;
    ``_shared.yaml``'s enums are left out (they belong to no category)."""
    found: dict[str, set[str]] = defaultdict(set)
    for loaded in SPECS.endpoints:
        spec = loaded.spec
        names = [*spec.enums, response_class_name(spec), *(o.row for o in spec.response.values())]
        for name in names:
            found[name].add(spec.python_namespace)
    for feed in SPECS.realtime:
        for name in [feed.tick_class, *feed.spec.enums]:
            found[name].add(feed.category)
    return found


CLASSES = spec_classes()


def test_no_class_keeps_the_importers_placeholder_name() -> None:
    """``ChkHolidayOutput`` says where it came from; ``MarketCalendarDay`` says what it holds."""
    assert sorted(name for name in CLASSES if re.search(r"Output\d*$", name)) == []


def test_no_class_name_says_a_word_twice_in_a_row() -> None:
    assert {name: doubled_word(name) for name in CLASSES if doubled_word(name)} == {}


def test_a_class_starts_with_its_categorys_prefix_and_domestic_stock_has_none() -> None:
    """One rule for REST rows, responses, enums and ticks (spec/README.md, Naming): the category
    in CamelCase, none in ``domestic_stock``; a row shared across categories has none either."""
    wrong = []
    for name, categories in sorted(CLASSES.items()):
        if len(categories) > 1:
            continue
        (category,) = categories
        prefix = class_prefix(category)
        if prefix and not name.startswith(prefix):
            wrong.append(f"{name} ({category}): should start with {prefix}")
        if not prefix and name.startswith("DomesticStock"):
            wrong.append(f"{name} ({category}): domestic_stock classes have no prefix")
    assert wrong == []


def test_every_class_is_importable_from_kis_async_and_from_its_category() -> None:
    import importlib

    import kis_async

    missing = []
    for name, categories in sorted(CLASSES.items()):
        if getattr(kis_async, name, None) is None:
            missing.append(f"kis_async.{name}")
        for category in categories:
            module = importlib.import_module(f"kis_async.{category}")
            if getattr(module, name, None) is not getattr(kis_async, name, None):
                missing.append(f"kis_async.{category}.{name}")
    assert missing == []


#: How the pages say that an empty filter means "everything" (입력값 없을때 전체, 공백: 전체, …).
BLANK_MEANS_ALL = re.compile(
    r"입력값\s*없을\s*때\s*전체|공백\s*:?\s*\(?전체|공란\s*입력\s*시,?\s*전체|공백\s*(입력\s*)?시\s*전체|"
    r"공백\s*:\s*전체\s*(조회|종목)|blank\s*=\s*(all|no filter|전체)",
    re.IGNORECASE,
)


def test_a_filter_whose_blank_means_all_is_optional() -> None:
    """``disparity(min_price=None)`` asks for every price; no bot should have to pass ``""``."""
    required = [
        f"{loaded.source}: {field.python_name} ({field.wire})"
        for loaded in SPECS.endpoints
        for field in loaded.spec.request
        if field.is_argument
        and field.required
        and field.default is None
        and BLANK_MEANS_ALL.search(field.description)
    ]
    assert required == []


def test_price_volume_and_count_filters_are_numbers() -> None:
    """A price or volume bound is typed by what it holds: ``min_price=5000``, not ``"5000"``."""
    numeric = re.compile(r"^(min|max)_(price|volume|prev_volume|trading_value|remaining_days)$")
    as_text = [
        f"{loaded.source}: {field.python_name} ({field.wire}) is {field.semantic_type}"
        for loaded in SPECS.endpoints
        for field in loaded.spec.request
        if field.is_argument
        and numeric.match(field.python_name)
        and field.semantic_type not in ("int", "decimal", "enum")
    ]
    assert as_text == []
