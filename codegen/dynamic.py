"""Endpoint descriptors built at run time from spec files, without generating any module.

``make gen`` writes python modules; this builds the same :class:`kis_async.Endpoint` descriptors
in memory (rows and responses made with ``attrs.make_class``, enums with the ``KisEnum``
functional API), so a spec that exists only in a test's temporary directory can be served by the
sandbox and called through ``KisClient.request`` with typed rows, exactly as a generated one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

import kis_async.enums
from codegen.loader import SHARED_FILE, load_specs, response_class_name
from codegen.model import EndpointSpec, EnumSpec
from kis_async._convert import KisEnum
from kis_async._endpoint import Endpoint, Output, Param, TrId
from kis_async._fields import RowField
from kis_async._models import KisModel, KisResponse, Rows, as_rows

#: The repository's own spec folder: shared enums (``Sign`` …) come from here by default.
SPEC_ROOT = Path(__file__).resolve().parent.parent / "spec"

_SCALARS: dict[str, Any] = {
    "str": str,
    "int": int,
    "decimal": Decimal,
    "date": dt.date,
    "time": dt.time,
    "datetime": dt.datetime,
}


def endpoints_from_specs(spec_dir: Path, *, shared_dir: Path | None = None) -> list[Endpoint[Any]]:
    """Descriptors for every ``*.yaml`` under ``spec_dir`` (sorted by path).

    Shared enums are read from ``spec_dir/_shared.yaml`` when it exists, else from
    ``shared_dir`` (default: the repository's ``spec/``). Invalid specs raise
    :class:`~codegen.loader.SpecError` listing every problem, as ``make gen`` does.
    """
    shared_root = spec_dir if (spec_dir / SHARED_FILE).exists() else (shared_dir or SPEC_ROOT)
    specs = load_specs(spec_dir, shared_root=shared_root)
    rows: dict[str, type[KisModel]] = {}  # a row class several specs name is built once, as make gen does
    return [build_endpoint(item.spec, specs.shared.enums, rows) for item in specs.endpoints]


def build_endpoint(
    spec: EndpointSpec, shared_enums: dict[str, EnumSpec], rows: dict[str, type[KisModel]] | None = None
) -> Endpoint[Any]:
    """One runtime descriptor from one (valid) spec; ``rows`` holds the row classes already built
    (by name), so outputs that name the same row share one class."""
    rows = {} if rows is None else rows
    enums = {name: _enum(name, enum) for name, enum in spec.enums.items()}

    def enum_class(name: str) -> type[KisEnum]:
        if name in enums:
            return enums[name]
        existing = getattr(kis_async.enums, name, None)
        if isinstance(existing, type) and issubclass(existing, KisEnum):
            return existing
        enums[name] = _enum(name, shared_enums[name])
        return enums[name]

    outputs = []
    response_fields: dict[str, Any] = {}
    for key, output in spec.response.items():
        row = rows.get(output.row)
        if row is None:
            columns: dict[str, Any] = {
                field.wire.lower(): attrs.field(
                    default=None,
                    type=_optional(enum_class(field.enum) if field.enum else _SCALARS[field.type]),
                )
                for field in output.fields
            }
            row = attrs.make_class(
                output.row, columns, bases=(KisModel,), frozen=True, kw_only=True, slots=True
            )
            row.__doc__ = f"{spec.title} — ``{key}`` ({output.korean or key})."
            # the same field table a generated row class carries (kis_async._fields)
            row.__fields__ = tuple(  # type: ignore[attr-defined]
                RowField(
                    field.wire,
                    field.semantic_type,  # type: ignore[arg-type]
                    enum_class(field.enum) if field.enum else None,
                    field.korean,
                    field.unit,
                    field.length,
                )
                for field in output.fields
            )
            rows[output.row] = row
        outputs.append(Output(key, output.shape, row, output.korean))
        if output.shape == "list":
            response_fields[key] = attrs.field(factory=Rows, converter=as_rows, type=Rows[row])  # type: ignore[valid-type]
        else:
            response_fields[key] = attrs.field(default=None, type=_optional(row))
    response = attrs.make_class(
        response_class_name(spec),
        response_fields,
        bases=(KisResponse,),
        frozen=True,
        kw_only=True,
        slots=True,
    )
    response.__outputs__ = tuple(spec.response)  # type: ignore[attr-defined]
    response.__doc__ = f"{spec.title} — response body."
    params = tuple(
        Param(
            field.python_name if field.is_argument else "",
            field.wire,
            field.korean,
            kind=field.semantic_type,
            required=field.required,
            max_length=field.length,
            enum=enum_class(field.enum) if field.enum else None,
            range=field.range,
            const=field.const,
            default=field.default,
            fill=field.fill,
            pattern=field.pattern,
            paper_only=field.paper.only if field.paper is not None else None,
            description=" ".join(field.description.split())
            if field.is_argument and field.const is None
            else "",
        )
        for field in spec.request
    )
    return Endpoint(
        name=f"{spec.python_namespace}.{spec.python_name}",
        title=spec.title,
        doc_id=spec.doc_id,
        summary=" ".join(spec.summary.split()),
        method=spec.method,
        path=spec.path,
        tr_id=TrId(real=spec.tr_id.real, paper=spec.tr_id.paper, select=spec.tr_id.select),
        params=params,
        response=response,
        outputs=tuple(outputs),
        paging=dict(spec.paging.keys) if spec.paging else None,
        retry_safe=spec.is_retry_safe,
        rate_limit=spec.rate_limit,
        order_number=_order_number(spec.order_number),
        max_rows=spec.max_rows,
    )


def _order_number(paths: list[str]) -> tuple[tuple[str, str], ...]:
    """``[output.ODNO]`` (the spec's form) → ``(("output", "odno"),)`` (the response's attributes)."""
    return tuple((path.partition(".")[0], path.partition(".")[2].lower()) for path in paths)


def _enum(name: str, spec: EnumSpec) -> type[KisEnum]:
    members = [(member, value.code) for member, value in spec.members.items()]
    factory: Any = KisEnum  # the Enum functional API: KisEnum("Name", [(member, code), …])
    enum: type[KisEnum] = factory(name, members)
    type.__setattr__(enum, "__korean__", {member: value.korean for member, value in spec.members.items()})
    enum.__doc__ = spec.korean or name
    return enum


def _optional(cls: Any) -> Any:
    """``cls | None``, the annotation every generated attribute has."""
    return cls | None
