"""KIS wire strings ↔ Python values.

KIS sends every value as a string, in forms the portal pages do not predict
(``real-data-notes.md``): signs and explicit ``+``, surrounding spaces, any number of decimals,
``""``/``"0"``/``"00000000"`` for "no date", ``"000000"`` for "no time", whitespace-only codes.
Each ``parse_*`` takes the wire value and returns the typed value, or ``None`` for "no value";
each raises :class:`ValueError` for a form that cannot be its type. ``to_wire`` is the inverse.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

logger = logging.getLogger("kis_async")

_EMPTY_DATES = frozenset({"", "0", "00000000"})


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


def parse_str(value: Any) -> str | None:
    """Text and codes stay exactly as sent (leading zeros kept); blank means no value."""
    if value.__class__ is str:  # the wire form, first: this runs for every text value of a body
        return value if value and not value.isspace() else None
    if _blank(value):
        return None
    if not isinstance(value, str):
        return str(value)
    return value


def parse_int(value: Any) -> int | None:
    if value.__class__ is str:
        # int() takes signs and surrounding spaces, rejects "12.3" and "1,000"
        return int(value) if value and not value.isspace() else None
    if _blank(value):
        return None
    if type(value) is int:
        return value
    if isinstance(value, bool | float):
        raise ValueError(f"expected an integer string, got {value!r}")
    return int(value)


def parse_decimal(value: Any) -> Decimal | None:
    if value.__class__ is str:
        if not value or value.isspace():
            return None
        text = value.strip()
    elif _blank(value):
        return None
    elif isinstance(value, bool):
        raise ValueError(f"expected a decimal string, got {value!r}")
    else:
        text = value.strip() if isinstance(value, str) else str(value)
    if "e" in text or "E" in text:
        # KIS writes plain decimals; "1e999999999" would be a billion digits in to_dict()
        raise ValueError(f"expected a plain decimal number (no exponent), got {value!r}")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"expected a decimal number, got {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"expected a finite decimal number, got {value!r}")
    return number


def parse_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    text = str(value).strip()
    if text in _EMPTY_DATES:
        return None
    if len(text) == 10 and text[4] == text[7] == "-":
        text = text.replace("-", "")
    if len(text) != 8 or not text.isdigit():
        raise ValueError(f"expected a date YYYYMMDD, got {value!r}")
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))


def parse_time(value: Any) -> dt.time | None:
    """``HHMMSS`` (or ``HHMM``); all zeros means "no time" and gives ``None``."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or text.strip("0") == "":
        return None
    if len(text) not in (4, 6) or not text.isdigit():
        raise ValueError(f"expected a time HHMMSS, got {value!r}")
    return dt.time(int(text[:2]), int(text[2:4]), int(text[4:6] or 0))


def parse_datetime(value: Any) -> dt.datetime | None:
    """``YYYYMMDDHHMMSS`` or ``YYYY-MM-DD HH:MM:SS``; empty or all zeros gives ``None``."""
    if value is None:
        return None
    text = "".join(ch for ch in str(value) if ch.isdigit())
    if not text or text.strip("0") == "":
        if str(value).strip() and not text:
            raise ValueError(f"expected a date-time YYYYMMDDHHMMSS, got {value!r}")
        return None
    if len(text) != 14:
        raise ValueError(f"expected a date-time YYYYMMDDHHMMSS, got {value!r}")
    return dt.datetime(
        int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]), int(text[10:12]), int(text[12:])
    )


class KisEnum(StrEnum):
    """Base of every generated enum: members are equal to their KIS code (``Sign.RISE == "2"``).

    A code KIS sends that the spec does not know never fails a call: it becomes a pseudo-member
    named ``UNKNOWN_<code>`` whose value is the code, logged once per enum at DEBUG.
    """

    @classmethod
    def _missing_(cls, value: object) -> KisEnum | None:
        if not isinstance(value, str):
            return None
        unknown: dict[str, KisEnum] = cls.__dict__.get("_kis_unknown_") or {}
        if not unknown:
            type.__setattr__(cls, "_kis_unknown_", unknown)
        member = unknown.get(value)
        if member is None:
            member = str.__new__(cls, value)
            member._name_ = f"UNKNOWN_{value.strip() or 'BLANK'}"
            member._value_ = value
            unknown[value] = member
            logger.debug("%s: code %r is not in the spec; kept as %s", cls.__name__, value, member._name_)
        return member

    @property
    def known(self) -> bool:
        """False for a code the spec does not list (a pseudo-member)."""
        return self._name_ in type(self).__members__

    @property
    def korean(self) -> str:
        """The member's Korean meaning, as the KIS page states it ("" for unknown codes)."""
        meanings: dict[str, str] = getattr(type(self), "__korean__", {})
        return meanings.get(self._name_, "")


def parse_enum(value: Any, enum: type[KisEnum]) -> KisEnum | None:
    if value is None or value == "" or (isinstance(value, str) and value.isspace()):
        return None
    return enum(value)


def to_wire(value: Any) -> str:
    """A typed value back to the string KIS sends or expects."""
    if value is None:
        return ""
    if isinstance(value, str):  # also KisEnum members
        return str.__str__(value)
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y%m%d%H%M%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    if isinstance(value, dt.time):
        return value.strftime("%H%M%S")
    return str(value)
