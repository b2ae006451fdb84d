"""Read and validate spec files.

Every problem is reported as ``file: field: what is wrong``; :class:`SpecError` carries all of
them, so one run shows every mistake in every spec.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import attrs
import cattrs
import yaml
from cattrs.gen import make_dict_structure_fn

from codegen import _yaml as fast_yaml
from codegen.model import (
    EndpointSpec,
    EnumSpec,
    PaperRule,
    RealtimeSpec,
    Renames,
    RequestField,
    ResponseField,
    SharedSpec,
    TrIds,
    TrRule,
    check_endpoint,
    check_order_number,
    check_realtime,
    check_shared,
    class_name,
    class_prefix,
    feed_location,
)

SHARED_FILE = "_shared.yaml"
#: Renamed public names and their deprecated aliases (not an endpoint).
RENAMES_FILE = "_renames.yaml"

#: Files under spec/ that are not endpoint or feed specs (``_fidelity.yaml``: codegen/fidelity.py).
NOT_SPECS = frozenset({SHARED_FILE, "_fidelity.yaml", RENAMES_FILE})

UNSUPPORTED = ("unsupported", "모의투자 미지원", "none", "")


class SpecError(Exception):
    """One or more spec files are invalid; ``problems`` holds ``file: field: message`` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@attrs.frozen
class LoadedSpec:
    """An endpoint spec with where it came from (relative to the spec root, posix style)."""

    source: str
    spec: EndpointSpec


@attrs.frozen
class LoadedRealtime:
    """A feed spec with where it came from; category and name follow from the path."""

    source: str
    spec: RealtimeSpec

    @property
    def category(self) -> str:
        location = feed_location(self.source)
        assert location is not None, self.source
        return location[0]

    @property
    def name(self) -> str:
        location = feed_location(self.source)
        assert location is not None, self.source
        return location[1]

    @property
    def tick_class(self) -> str:
        if self.spec.tick:
            return self.spec.tick
        return class_name(class_prefix(self.category), *self.name.split("_"), "Tick")


@attrs.frozen
class SpecSet:
    shared: SharedSpec
    endpoints: list[LoadedSpec]
    realtime: list[LoadedRealtime] = attrs.field(factory=list)
    renames: Renames = attrs.field(factory=Renames)


def _strict_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"must be a quoted string, YAML read {value!r} ({type(value).__name__})")
    return value


def _tr_choice(value: Any) -> str | dict[str, str] | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in UNSUPPORTED):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return dict(value)
    raise TypeError(f"must be a TR ID, 'unsupported' or a mapping of quoted strings, got {value!r}")


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(str, _strict_str)

    def structure_tr_ids(value: Any, _: type) -> TrIds:
        if not isinstance(value, dict):
            raise TypeError(f"must be a mapping with real/paper, got {value!r}")
        unknown = set(value) - {"real", "paper", "select", "rule"}
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)}")
        select = value.get("select")
        if isinstance(select, list) and len(select) >= 2 and all(isinstance(s, str) for s in select):
            select = tuple(select)
        elif select is not None and not isinstance(select, str):
            raise TypeError("select must be an argument name, or a list of two or more")
        rule = value.get("rule")
        if rule is not None:
            if not isinstance(rule, dict) or set(rule) != {"within_months"}:
                raise ValueError(f"rule must be {{within_months: <N>}}, got {rule!r}")
            months = rule["within_months"]
            if not isinstance(months, int) or isinstance(months, bool):
                raise TypeError(f"rule.within_months must be a whole number of months, got {months!r}")
            rule = TrRule(within_months=months)
        return TrIds(
            real=_tr_choice(value.get("real")),
            paper=_tr_choice(value.get("paper")),
            select=select,
            rule=rule,
        )

    converter.register_structure_hook(TrIds, structure_tr_ids)

    def structure_paper(value: Any, _: type) -> PaperRule:
        if value == "unsupported":
            return PaperRule()
        if isinstance(value, dict) and set(value) == {"only"}:
            only = value["only"]
            if isinstance(only, list) and only and all(isinstance(code, str) for code in only):
                return PaperRule(only=tuple(only))
        raise ValueError(f"must be unsupported or {{only: [<quoted codes paper accepts>]}}, got {value!r}")

    converter.register_structure_hook(PaperRule, structure_paper)

    def mapping_first(cls: type) -> Any:
        build: Callable[[Any, Any], Any] = make_dict_structure_fn(
            cls, converter, _cattrs_forbid_extra_keys=True
        )

        def structure(value: Any, _: type) -> Any:
            if not isinstance(value, dict):
                raise TypeError(f"must be a mapping, got {type(value).__name__} {value!r}")
            return build(value, cls)

        return structure

    converter.register_structure_hook_factory(
        lambda t: attrs.has(t) and t not in (TrIds, PaperRule), mapping_first
    )
    return converter


_converter = _make_converter()


#: libyaml's parser when PyYAML has it (about 10× faster on 300 specs), else the pure-python one;
#: both are "safe" (plain data only) and read the same documents.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Refuses a key given twice in one mapping: YAML would silently keep the last one (a
    ``name:`` added above an older ``name:`` would be ignored)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool | None):  # a spec's keys are names
                raise yaml.constructor.ConstructorError(
                    None, None, f"a key must be a plain name, got a {type(key).__name__}", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def _read_yaml(path: Path, label: str) -> tuple[Any, list[str]]:
    try:
        with path.open(encoding="utf-8") as handle:
            return fast_yaml.load(handle, _SafeLoader), []  # the same values, about twice as fast
    except yaml.YAMLError as exc:
        return None, [f"{label}: yaml: {' '.join(str(exc).split())}"]
    except OSError as exc:
        return None, [f"{label}: cannot read: {exc.strerror}"]


def _structure(data: Any, cls: type, label: str) -> tuple[Any, list[str]]:
    if not isinstance(data, dict):
        return None, [f"{label}: (top level): must be a mapping, got {type(data).__name__}"]
    try:
        return _converter.structure(data, cls), []
    except Exception as exc:  # cattrs raises ExceptionGroups; transform_error renders their paths
        messages = cattrs.transform_error(exc, path="", format_exception=_format_exception)
        return None, [f"{label}: {_tidy(message)}" for message in messages]


def _format_exception(exc: BaseException, type_: Any) -> str:
    """cattrs' wording, plus the reason our own hooks give (``rule must be {within_months: <N>}``)."""
    if get_origin(type_) is Literal:  # `method: PUT`, `against: [portl]`: name what may be written
        allowed = ", ".join(str(choice) for choice in get_args(type_))
        given, found, _ = str(exc).partition(" not in literal")
        return f"{given!r} is not one of {allowed}" if found else f"must be one of {allowed}"
    message = cattrs.v.format_exception(exc, type_)
    if message.startswith("invalid value for type") and str(exc):
        message += f" ({exc})"
    return message


def _tidy(message: str) -> str:
    # cattrs writes "invalid value for type, expected str @ $.request[0].korean";
    # turn it into "request[0].korean: invalid value …".
    text, _, where = message.rpartition(" @ ")
    if not text:
        return message
    return f"{where.removeprefix('.') or '(top level)'}: {text}"


def load_shared(root: Path) -> tuple[SharedSpec, list[str]]:
    path = root / SHARED_FILE
    if not path.exists():
        return SharedSpec(), []
    data, problems = _read_yaml(path, SHARED_FILE)
    if problems:
        return SharedSpec(), problems
    return _shared_from(data)


def _shared_from(data: Any) -> tuple[SharedSpec, list[str]]:
    shared, problems = _structure(data, SharedSpec, SHARED_FILE)
    if shared is None:
        return SharedSpec(), problems
    found = [f"{SHARED_FILE}: {where}: {message}" for where, message in check_shared(shared)]
    return (SharedSpec() if found else shared), found


def load_renames(root: Path) -> tuple[Renames, list[str]]:
    path = root / RENAMES_FILE
    if not path.exists():
        return Renames(), []
    data, problems = _read_yaml(path, RENAMES_FILE)
    if problems:
        return Renames(), problems
    renames, problems = _structure(data, Renames, RENAMES_FILE)
    return (renames or Renames()), problems


def load_endpoint(
    path: Path, label: str, shared: SharedSpec | Mapping[str, EnumSpec]
) -> tuple[EndpointSpec | None, list[str]]:
    """One REST spec, checked against ``shared`` (``_shared.yaml``: its enums and request blocks;
    a mapping of enums alone knows no block, so a ``- use:`` entry is then an error)."""
    data, problems = _read_yaml(path, label)
    if problems:
        return None, problems
    return _endpoint_from(data, label, shared)


#: The keys of a request entry that stands for a shared block (``- use: account``).
USE_KEYS = frozenset({"use", "description"})


def expand_blocks(
    request: Any, blocks: Mapping[str, list[RequestField]]
) -> tuple[Any, list[tuple[int, str | None]], list[tuple[str, str]]]:
    """``request`` with each ``- use: <block>`` entry replaced by the block's fields (from
    ``_shared.yaml``), in its place: the wire order (a POST body's, which the hashkey signs) is the
    spec's. Returns the expanded list, the origin of each expanded field (its entry's index in the
    file, and the block it came from or ``None``) and the problems of the ``use`` entries."""
    if not isinstance(request, list):
        return request, [], []
    expanded: list[Any] = []
    origin: list[tuple[int, str | None]] = []
    problems: list[tuple[str, str]] = []
    for index, entry in enumerate(request):
        if not (isinstance(entry, dict) and "use" in entry):
            expanded.append(entry)
            origin.append((index, None))
            continue
        name = entry["use"]
        where = f"request[{index}](use: {name})"
        block = blocks.get(name) if isinstance(name, str) else None
        if block is None:
            known = ", ".join(sorted(blocks)) or "none"
            problems.append(
                (where, f"no request block {name!r} in spec/{SHARED_FILE} (request_blocks: {known})")
            )
            continue
        unknown = sorted(set(entry) - USE_KEYS)
        if unknown:
            problems.append(
                (
                    where,
                    f"unknown keys {unknown}: a block's fields are the same in every spec, "
                    "only their description may be worded for a page (description: {argument: text})",
                )
            )
        notes = entry.get("description") or {}
        names = [f.python_name for f in block]
        if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
            problems.append((where, "description must map an argument of the block to its text"))
            notes = {}
        for key in notes:
            if key not in names:
                problems.append(
                    (f"{where}.description.{key}", f"is not an argument of the block ({', '.join(names)})")
                )
        for field in block:
            mapping = request_field_mapping(field)
            if field.python_name in notes:
                mapping["description"] = notes[field.python_name]
            expanded.append(mapping)
            origin.append((index, name))
    return expanded, origin, problems


def request_field_mapping(field: RequestField) -> dict[str, Any]:
    """A request field as spec YAML writes it (defaults left out), read back equal."""
    mapping: dict[str, Any] = {}
    for attribute in attrs.fields(RequestField):
        value = getattr(field, attribute.name)
        if value != attribute.default:
            mapping[attribute.name] = list(value) if isinstance(value, tuple) else value
    return mapping


_REQUEST_INDEX = re.compile(r"^request\[(\d+)\]")


def _endpoint_from(
    data: Any, label: str, shared: SharedSpec | Mapping[str, EnumSpec]
) -> tuple[EndpointSpec | None, list[str]]:
    enums, blocks = (
        (shared.enums, shared.request_blocks) if isinstance(shared, SharedSpec) else (dict(shared), {})
    )
    origin: list[tuple[int, str | None]] = []
    if isinstance(data, dict) and data.get("paging") == "tr_cont":
        data = {**data, "paging": {}}  # `paging: tr_cont`: the keys are the request's CTX_AREA_* fields
    if isinstance(data, dict) and "request" in data:
        request, origin, found = expand_blocks(data["request"], blocks)
        if found:
            return None, [f"{label}: {where}: {message}" for where, message in found]
        data = {**data, "request": request}

    def in_file(message: str) -> str:
        # an index of the expanded request is the index of its entry in the file
        match = _REQUEST_INDEX.match(message)
        if match and int(match.group(1)) < len(origin):
            return f"request[{origin[int(match.group(1))][0]}]{message[match.end() :]}"
        return message

    spec, problems = _structure(data, EndpointSpec, label)
    if spec is None:
        return None, [
            f"{label}: {in_file(p.removeprefix(f'{label}: '))}" if p.startswith(f"{label}: ") else p
            for p in problems
        ]
    if spec.paging is not None and not spec.paging.keys:
        spec = attrs.evolve(spec, paging=attrs.evolve(spec.paging, keys=derived_paging_keys(spec)))
    found = check_endpoint(spec, enums) + check_order_number(spec) + _check_block_fields(spec, origin, blocks)
    return spec, [f"{label}: {in_file(where)}: {message}" for where, message in found]


def _check_block_fields(
    spec: EndpointSpec, origin: list[tuple[int, str | None]], blocks: Mapping[str, list[RequestField]]
) -> list[tuple[str, str]]:
    """A block's field written out in a spec (not by ``- use:``) is the block's field (only its
    description may differ), and is written out only where ``- use:`` cannot say the same: where
    the page puts the block's fields apart or in another order (the wire order is the page's)."""
    problems: list[tuple[str, str]] = []
    own = [i for i in range(len(spec.request)) if i >= len(origin) or origin[i][1] is None]
    for block, fields in blocks.items():
        by_wire = {f.wire: f for f in fields}
        mine = [i for i in own if spec.request[i].wire in by_wire]
        for i in mine:
            field = spec.request[i]
            shared = by_wire[field.wire]
            differs = [
                f"{a.name} {getattr(field, a.name)!r} here, {getattr(shared, a.name)!r} in the block"
                for a in attrs.fields(RequestField)
                if a.name != "description" and getattr(field, a.name) != getattr(shared, a.name)
            ]
            if differs:
                problems.append(
                    (
                        f"request[{i}]({field.wire})",
                        f"is a field of the request block {block!r} (spec/{SHARED_FILE}) with other values "
                        f"({'; '.join(differs)}): a block's field is the same in every spec",
                    )
                )
        wires = [spec.request[i].wire for i in mine]
        if mine and wires == [f.wire for f in fields] and mine == list(range(mine[0], mine[0] + len(mine))):
            problems.append(
                (
                    f"request[{mine[0]}]({wires[0]})",
                    f"write `- use: {block}` for the block's fields {', '.join(str(w) for w in wires)} "
                    f"(spec/{SHARED_FILE}); a spec writes them out only where the page puts them apart",
                )
            )
    return problems


def derived_paging_keys(spec: EndpointSpec) -> dict[str, str]:
    """The continuation keys of a paged endpoint: each ``CTX_AREA_*`` request field, sent back
    from the response body key of the same name in lower case (``CTX_AREA_FK100`` ←
    ``ctx_area_fk100``), in the request's order."""
    return {f.wire: f.wire.lower() for f in spec.request if f.wire and f.wire.upper().startswith("CTX_AREA_")}


def load_realtime(
    path: Path, label: str, shared_enums: dict[str, EnumSpec]
) -> tuple[RealtimeSpec | None, list[str]]:
    data, problems = _read_yaml(path, label)
    if problems:
        return None, problems
    return _realtime_from(data, label, shared_enums)


def _realtime_from(
    data: Any, label: str, shared_enums: dict[str, EnumSpec]
) -> tuple[RealtimeSpec | None, list[str]]:
    spec, problems = _structure(data, RealtimeSpec, label)
    if spec is None:
        return None, problems
    found = check_realtime(spec, label, shared_enums)
    return spec, [f"{label}: {where}: {message}" for where, message in found]


def load_specs(root: Path, *, shared_root: Path | None = None) -> SpecSet:
    """Load every ``*.yaml`` under ``root`` (sorted, so output order never depends on the disk).

    ``kind: realtime`` files are WebSocket feeds; everything else is a REST endpoint. Shared
    enums come from ``root/_shared.yaml``, or from ``shared_root`` when given.
    """
    shared, problems = load_shared(shared_root or root)
    renames, found = load_renames(root)
    problems += found
    parsed: dict[str, Any] = {}
    for path in sorted(root.rglob("*.yaml")):
        label = path.relative_to(root).as_posix()
        if label in NOT_SPECS:
            continue
        data, found = _read_yaml(path, label)  # each file is parsed once
        problems += found
        if not found:
            parsed[label] = data
    return _spec_set(shared, parsed, problems, renames)


def specs_from_data(files: dict[str, Any]) -> SpecSet:
    """:func:`load_specs` of already parsed files (label → data, ``_shared.yaml`` included)."""
    shared, problems = _shared_from(files[SHARED_FILE]) if SHARED_FILE in files else (SharedSpec(), [])
    return _spec_set(shared, {k: v for k, v in sorted(files.items()) if k != SHARED_FILE}, problems)


def _spec_set(
    shared: SharedSpec, parsed: dict[str, Any], problems: list[str], renames: Renames | None = None
) -> SpecSet:
    renames = renames or Renames()
    endpoints: list[LoadedSpec] = []
    feeds: list[LoadedRealtime] = []
    for label, data in parsed.items():
        if isinstance(data, dict) and data.get("kind") == "realtime":
            feed, found = _realtime_from(data, label, shared.enums)
            problems += found
            if feed is not None and not found:
                feeds.append(LoadedRealtime(label, feed))
            continue
        spec, found = _endpoint_from(data, label, shared)
        problems += found
        if spec is not None and not found:
            endpoints.append(LoadedSpec(label, spec))
    problems += _check_across(endpoints, shared)
    problems += _check_feeds(feeds, endpoints, shared)
    if not problems:
        problems += _check_renames(renames, endpoints, feeds, shared)
    if problems:
        raise SpecError(problems)
    return SpecSet(shared, endpoints, feeds, renames)


def _check_renames(
    renames: Renames, endpoints: list[LoadedSpec], feeds: list[LoadedRealtime], shared: SharedSpec
) -> list[str]:
    """Every new name exists and no old one does: an alias never shadows a class, and a rename
    whose target was renamed again is noticed."""
    classes = set(shared.enums)
    arguments: dict[str, set[str]] = {}
    for loaded in endpoints:
        spec = loaded.spec
        classes.update([*spec.enums, response_class_name(spec), *(o.row for o in spec.response.values())])
        arguments[f"{spec.python_namespace}.{spec.python_name}"] = {
            f.python_name for f in spec.request if f.is_argument
        }
    for feed in feeds:
        classes.update([feed.tick_class, *feed.spec.enums])
    problems = []
    for old, new in renames.classes.items():
        if new not in classes:
            problems.append(f"{RENAMES_FILE}: classes.{old}: {new!r} is not a class of any spec")
        if old in classes:
            problems.append(f"{RENAMES_FILE}: classes.{old}: a spec still defines {old!r}")
    for endpoint, renamed in renames.arguments.items():
        if endpoint not in arguments:
            problems.append(f"{RENAMES_FILE}: arguments.{endpoint}: no such endpoint")
            continue
        names = arguments[endpoint]
        for old, new in renamed.items():
            if new not in names:
                problems.append(
                    f"{RENAMES_FILE}: arguments.{endpoint}.{old}: {new!r} is not an argument of it"
                )
            if old in names:
                problems.append(f"{RENAMES_FILE}: arguments.{endpoint}.{old}: {old!r} is still an argument")
    for endpoint, replaced in renames.replaced.items():
        if endpoint not in arguments:
            problems.append(f"{RENAMES_FILE}: replaced.{endpoint}: no such endpoint")
            continue
        for old, meanings in replaced.items():
            problems += _check_replaced(
                f"{RENAMES_FILE}: replaced.{endpoint}.{old}", old, meanings, arguments[endpoint]
            )
    return problems


_REPLACED_CODE = re.compile(r"^[A-Za-z0-9_%.:+ -]{1,32}$")


def _check_replaced(where: str, old: str, meanings: Any, names: set[str]) -> list[str]:
    """One retired argument of ``replaced``: an identifier that is no longer an argument, each
    old value (a code) standing for new arguments of the endpoint, each given a code or a
    non-empty list of codes (what generated source quotes, so checked here)."""
    if not old.isidentifier() or keyword.iskeyword(old) or old.startswith("__"):
        return [f"{where}: {old!r} is not an argument name"]
    if old in names:
        return [f"{where}: {old!r} is still an argument"]
    if not isinstance(meanings, dict) or not meanings:
        return [f"{where}: give each old value's meaning, {{old value: {{argument: value}}}}"]
    problems = []
    for value, meaning in meanings.items():
        if not isinstance(value, str) or not _REPLACED_CODE.match(value):
            problems.append(f"{where}: {value!r} is not a code")
            continue
        if not isinstance(meaning, dict) or not meaning:
            problems.append(f"{where}.{value}: give the new arguments it stands for")
            continue
        for new, wanted in meaning.items():
            codes = wanted if isinstance(wanted, list) else [wanted]
            if new not in names:
                problems.append(f"{where}.{value}: {new!r} is not an argument of it")
            elif not codes or not all(isinstance(c, str) and _REPLACED_CODE.match(c) for c in codes):
                problems.append(f"{where}.{value}.{new}: give a code or a list of codes")
    return problems


def _check_across(endpoints: list[LoadedSpec], shared: SharedSpec) -> list[str]:
    """Names must be unique across all specs: they become one flat public namespace. A row
    class is the exception: several outputs may name the same ``row:`` when their fields are
    identical (it is generated once), and two outputs with the same fields must share it."""
    problems: list[str] = []
    methods: dict[tuple[str, str], str] = {}
    classes: dict[str, str] = {name: SHARED_FILE for name in shared.enums}
    for loaded in endpoints:
        spec = loaded.spec
        key = (spec.python_namespace, spec.python_name)
        if key in methods:
            problems.append(f"{loaded.source}: name: {'.'.join(key)} is also defined by {methods[key]}")
        methods[key] = loaded.source
        for name in [*spec.enums, response_class_name(spec)]:
            if name in classes and classes[name] != loaded.source:
                problems.append(f"{loaded.source}: {name}: class name also defined by {classes[name]}")
            classes.setdefault(name, loaded.source)
    rows = SharedClasses("row", "response.{key}.row")
    for loaded in endpoints:
        for out_key, output in loaded.spec.response.items():
            problems += rows.add(output.row, output.fields, loaded.source, out_key)
    for name, (source, where) in rows.first.items():
        if name in classes:
            problems.append(f"{source}: {where}: {name}: class name also defined by {classes[name]}")
    for name, sources in rows.users.items():
        if len(sources) < 2:
            continue
        source, where = rows.first[name]
        local = sorted({f.enum for f in rows.fields[name] if f.enum and f.enum not in shared.enums})
        if local:
            problems.append(
                f"{source}: {where}: {name} is shared by {', '.join(sources)}, so its enums must be in "
                f"spec/{SHARED_FILE} (a shared row imports only those): move {', '.join(local)} there"
            )
    return problems


def fields_key(fields: list[ResponseField]) -> tuple[tuple[str, str, str | None], ...]:
    """What makes two rows (or ticks) the same class: each field's attribute, type and enum."""
    return tuple((f.wire.lower(), f.semantic_type, f.enum) for f in fields)


def comparable(fields: list[ResponseField]) -> list[ResponseField]:
    """Fields as the shared-class rule compares them: ``{enum: Sign}`` and
    ``{type: enum, enum: Sign}`` say the same."""
    return [attrs.evolve(f, type="enum") if f.enum else f for f in fields]


def field_difference(here: list[ResponseField], there: list[ResponseField]) -> str:
    """The first difference of two field lists, for a problem message."""
    here, there = comparable(here), comparable(there)
    if len(here) != len(there):
        return f"{len(here)} fields here, {len(there)} there"
    for index, (mine, theirs) in enumerate(zip(here, there, strict=True), 1):
        if mine == theirs:
            continue
        changed = [
            f"{a.name} {getattr(mine, a.name)!r} here, {getattr(theirs, a.name)!r} there"
            for a in attrs.fields(ResponseField)
            if getattr(mine, a.name) != getattr(theirs, a.name)
        ]
        return f"field {index} {mine.wire.lower()}: {'; '.join(changed)}"
    return "no difference"


class SharedClasses:
    """Row (or tick) classes by name and by fields, for the two rules of shared classes: one
    name has one field list, and one field list has one name."""

    def __init__(self, kind: str, where: str) -> None:
        self.kind = kind
        self.where = where
        self.first: dict[str, tuple[str, str]] = {}  # name -> (source, where) of its first definition
        self.fields: dict[str, list[ResponseField]] = {}
        self.users: dict[str, list[str]] = {}  # name -> sources naming it, in order
        self.by_fields: dict[tuple[tuple[str, str, str | None], ...], tuple[str, str]] = {}

    def add(self, name: str, fields: list[ResponseField], source: str, key: str = "") -> list[str]:
        where = self.where.format(key=key)
        problems: list[str] = []
        if name not in self.first:
            self.first[name] = (source, where)
            self.fields[name] = fields
        elif comparable(fields) != comparable(self.fields[name]):
            problems.append(
                f"{source}: {where}: {name} is also defined by {self.first[name][0]} with other fields "
                f"({field_difference(fields, self.fields[name])}); a shared {self.kind} has identical fields"
            )
        users = self.users.setdefault(name, [])
        if source not in users:
            users.append(source)
        same = self.by_fields.setdefault(fields_key(fields), (name, source))
        if same[0] != name:
            problems.append(
                f"{source}: {where}: {name} has the same fields as {same[0]} of {same[1]}: "
                f"give them one {self.kind} name (spec/README.md, shared {self.kind}s)"
            )
        return problems


def _check_feeds(feeds: list[LoadedRealtime], endpoints: list[LoadedSpec], shared: SharedSpec) -> list[str]:
    """A TR ID names one feed (data frames are routed by it); tick class names are unique, but
    for a tick shared by feeds of one category with identical fields (and such feeds must share)."""
    problems: list[str] = []
    tr_owner: dict[str, str] = {}
    classes: dict[str, str] = {name: SHARED_FILE for name in shared.enums}
    for loaded in endpoints:
        for name in [*loaded.spec.enums, *(o.row for o in loaded.spec.response.values())]:
            classes.setdefault(name, loaded.source)
    ticks: dict[str, SharedClasses] = {}
    category_of: dict[str, tuple[str, str]] = {}  # tick name -> (category, first source)
    for feed in feeds:
        for tr in {feed.spec.tr_id.real, feed.spec.tr_id.paper} - {None}:
            assert isinstance(tr, str)
            if tr in tr_owner and tr_owner[tr] != feed.source:
                problems.append(f"{feed.source}: tr_id: {tr} is also the TR of {tr_owner[tr]}")
            tr_owner.setdefault(tr, feed.source)
        for name in feed.spec.enums:
            if name in classes and classes[name] != feed.source:
                problems.append(f"{feed.source}: {name}: class name also defined by {classes[name]}")
            classes.setdefault(name, feed.source)
        tick = feed.tick_class
        category, first = category_of.setdefault(tick, (feed.category, feed.source))
        if category != feed.category:
            problems.append(
                f"{feed.source}: tick: {tick} is also the tick of {first} ({category}); "
                "a tick is shared only by feeds of one category"
            )
            continue
        group = ticks.setdefault(feed.category, SharedClasses("tick", "tick"))
        problems += group.add(tick, feed.spec.fields, feed.source)
    for name, (_, first) in category_of.items():
        if name in classes:
            problems.append(f"{first}: tick: {name}: class name also defined by {classes[name]}")
    return problems


def response_class_name(spec: EndpointSpec) -> str:
    """``response_class:``, else ``<Prefix><Method>Response`` (:func:`codegen.model.class_prefix`:
    ``InquireBalanceResponse`` in domestic_stock, ``DomesticBondInquireBalanceResponse``)."""
    if spec.response_class:
        return spec.response_class
    return class_name(class_prefix(spec.python_namespace), *spec.python_name.split("_"), "Response")


@attrs.frozen
class KnownClass:
    """A row or tick class an existing spec defines, for the importers to reuse."""

    name: str
    source: str
    fields: list[ResponseField]


def known_classes(root: Path) -> tuple[dict[Any, KnownClass], dict[Any, KnownClass]]:
    """Row classes by :func:`fields_key` and tick classes by ``(category, fields_key)`` of the
    specs under ``root``; files that do not load are skipped (a draft under review may not)."""
    shared, _ = load_shared(root)
    rows: dict[Any, KnownClass] = {}
    ticks: dict[Any, KnownClass] = {}
    for path in sorted(root.rglob("*.yaml")):
        label = path.relative_to(root).as_posix()
        if label in NOT_SPECS:
            continue
        data, problems = _read_yaml(path, label)
        if problems or not isinstance(data, dict):
            continue
        if data.get("kind") == "realtime":
            feed, problems = _realtime_from(data, label, shared.enums)
            if feed is not None and not problems:
                loaded = LoadedRealtime(label, feed)
                found = KnownClass(loaded.tick_class, label, feed.fields)
                ticks.setdefault((loaded.category, fields_key(feed.fields)), found)
            continue
        spec, problems = _endpoint_from(data, label, shared)
        if spec is not None and not problems:
            for output in spec.response.values():
                rows.setdefault(fields_key(output.fields), KnownClass(output.row, label, output.fields))
    return rows, ticks


def field_mapping(field: ResponseField) -> dict[str, Any]:
    """A response field as spec YAML writes it (defaults left out), read back equal."""
    mapping: dict[str, Any] = {"wire": field.wire, "korean": field.korean}
    defaults = {a.name: a.default for a in attrs.fields(ResponseField)}
    for name in ("type", "enum", "length", "unit", "description", "reviewed"):
        value = getattr(field, name)
        if value != defaults[name]:
            mapping[name] = value
    return mapping
