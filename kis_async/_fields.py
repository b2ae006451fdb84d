"""The field table of a generated row class: one source of truth for what each field is.

Every generated row class carries ``__fields__``, a tuple of :class:`RowField` written by the
generator from the spec: the wire name, the kind the value is parsed as, its enum, its Korean
name (한글명), unit and documented length. Structuring (:mod:`kis_async._models`), the sandbox's
data generator, the CLI's column labels and the data tools read this table, never the type
annotations or the generated source. :func:`fields_of` is the stable way to read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from kis_async._convert import KisEnum

Kind = Literal["str", "int", "decimal", "date", "time", "datetime", "enum"]


class RowField(NamedTuple):
    """One documented field of a row class."""

    wire: str
    """The key as KIS sends it (the attribute is its lower-case form)."""
    kind: Kind
    """What the value is parsed as: ``str``, ``int``, ``decimal``, ``date``, ``time``,
    ``datetime`` or ``enum``."""
    enum: type[KisEnum] | None = None
    """The enum class of an ``enum`` field."""
    korean: str = ""
    """한글명, as the KIS portal names the field."""
    unit: str = ""
    """Unit (원, 주, %) when the spec gives one."""
    length: int | None = None
    """Documented length of the wire value, when the spec gives one."""

    @property
    def name(self) -> str:
        """The attribute name on the row (the wire name in lower case)."""
        return self.wire.lower()

    @property
    def label(self) -> str:
        """한글명 with the unit, for column headers: ``주식 현재가 (원)``."""
        return f"{self.korean} ({self.unit})" if self.unit else self.korean


def fields_of(row: type[Any]) -> tuple[RowField, ...]:
    """The field table of a generated row class, in the spec's order; ``()`` for a class the
    generator did not write (a response envelope, a user's own model)."""
    table = getattr(row, "__fields__", ())
    return table if isinstance(table, tuple) else ()


def field_map(row: type[Any]) -> dict[str, RowField]:
    """:func:`fields_of` by attribute name."""
    return {field.name: field for field in fields_of(row)}


#: The unit of a price KIS sends without its decimal point (spec ``unit: sCalcDesz``): the
#: overseas futures and options quotes, placed by :meth:`kis_async.symbols.SymbolBook.price`.
RAW_PRICE_UNIT = "sCalcDesz"


def raw_prices(cls: type[Any]) -> tuple[str, ...]:
    """The attribute names of the raw prices (``unit: sCalcDesz``) of a generated row class (from
    its field table) or tick class (its ``__raw_prices__``), in wire order; ``()`` for others."""
    table = fields_of(cls)
    if table:
        return tuple(field.name for field in table if field.unit == RAW_PRICE_UNIT)
    names = getattr(cls, "__raw_prices__", ())
    return names if isinstance(names, tuple) else ()
