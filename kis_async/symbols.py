"""Find a stock by name or code: KIS's public stock master files, searched in memory.

    book = await kis.symbols()                    # KOSPI + KOSDAQ, downloaded at most once a day
    book.search("삼성")                           # by Korean name, English name or code
    book.get("005930").name                       # '삼성전자'
    us = await kis.symbols(markets=("NAS", "NYS"))
    ff = await kis.symbols(("OVERSEAS_FUTURES",))   # 해외선물 (ffcode.mst)
    ff.price("6AZ26", quote.last_price)           # Decimal('0.68825') from the raw 6882.5

KIS publishes its master files as zip archives (format in KIS's sample code,
koreainvestment/open-trading-api ``stocks_info/kis_kospi_code_mst.py``,
``kis_kosdaq_code_mst.py``, ``overseas_stock_code.py``): domestic files are cp949 lines of
단축코드 (9) + 표준코드 (12) + 한글명, followed by a fixed-width tail (228 characters with the line
end for KOSPI, 222 for KOSDAQ) whose first two characters are the 증권그룹구분코드 (ST 주권, EF ETF…);
overseas files are tab-separated cp949 lines (national code, exchange id, exchange code, exchange
name, symbol, realtime symbol, Korean name, English name, security type, currency, …).

Overseas futures and options (``ffcode.mst`` 해외선물, ``focode.mst`` 해외지수옵션, ``fostkcode.mst``
해외주식옵션) are fixed-width cp949 lines whose layout KIS gives as C structs in the same repository
(``stocks_info/해외선물정보.h``, ``해외옵션정보.h``, ``해외주식옵션정보.h``; ``overseas_future_code.py``
reads ffcode.mst): 종목코드 (32) and flags, a filler, 종목한글명 (50 bytes), then 거래소코드 (10),
품목코드 (10), 품목종류 (3), 출력 소수점 (5), 계산 소수점 ``sCalcDesz`` (5), 틱사이즈 (14), 틱가치 (14),
계약크기 (10), 가격표시진법 (4), 환산승수 (10) and, for options, C/P (1) and the strike (20), … .
The head is read from the line's start and that tail from its end (the bytes between are the
name), as KIS's sample does. KIS sends every price of these products without its decimal point
(the portal pages: "품목코드 6A 계산소수점 -4 → 시세 6882.5 수신 시 0.68825 로 해석"):
:attr:`Symbol.price_places` is ``-sCalcDesz`` and :meth:`SymbolBook.price` /
:meth:`SymbolBook.prices` place it. ffcode.mst's URL is in KIS's sample code; fostkcode.mst's is
the same host's (public clients download it there) and focode.mst follows the same pattern.

Each file is cached in the cache folder (``~/.cache/kis-async/master/``) and fetched again when a day old.
A sandbox client downloads the sandbox's own master files, so tests and the demo need no network.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import os
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import aiohttp
import attrs

from kis_async._convert import parse_decimal
from kis_async._errors import KisConfigError, KisDecodeError, KisTransportError, KisValidationError
from kis_async._fields import raw_prices

MASTER_URL: Final = "https://new.real.download.dws.co.kr/common/master"
"""Where KIS publishes its master files (real and paper alike)."""

MAX_AGE: Final = dt.timedelta(days=1)
_MAX_BYTES: Final = 64 * 1024 * 1024  # the largest master file is a few MB

#: market → (file stem on the server, kind of file, tail width of a domestic line)
_FILES: Final[dict[str, tuple[str, str, int]]] = {
    "KOSPI": ("kospi_code.mst", "domestic", 228),
    "KOSDAQ": ("kosdaq_code.mst", "domestic", 222),
    "NAS": ("nasmst.cod", "overseas", 0),
    "NYS": ("nysmst.cod", "overseas", 0),
    "AMS": ("amsmst.cod", "overseas", 0),
    "SHS": ("shsmst.cod", "overseas", 0),
    "SZS": ("szsmst.cod", "overseas", 0),
    "TSE": ("tsemst.cod", "overseas", 0),
    "HKS": ("hksmst.cod", "overseas", 0),
    "HNX": ("hnxmst.cod", "overseas", 0),
    "HSX": ("hsxmst.cod", "overseas", 0),
    "OVERSEAS_FUTURES": ("ffcode.mst", "futures", 0),
    "OVERSEAS_OPTIONS": ("focode.mst", "options", 0),
    "OVERSEAS_STOCK_OPTIONS": ("fostkcode.mst", "options", 0),
}
MARKETS: Final = tuple(_FILES)
"""Markets with a master file: ``KOSPI``, ``KOSDAQ``, KIS's overseas exchange codes and the
overseas derivatives: ``OVERSEAS_FUTURES`` (ffcode.mst), ``OVERSEAS_OPTIONS`` (focode.mst, index
and futures options), ``OVERSEAS_STOCK_OPTIONS`` (fostkcode.mst)."""
#: Exact arithmetic for placing a decimal point, whatever the caller's decimal context.
_EXACT: Final = decimal.Context(prec=60)
DERIVATIVES: Final = ("OVERSEAS_FUTURES", "OVERSEAS_OPTIONS", "OVERSEAS_STOCK_OPTIONS")
"""The master files whose prices KIS sends without their decimal point."""

#: Widths of the fixed-width derivatives lines (bytes): the head before the name and the tail
#: after it, line end excluded (KIS's 해외선물정보.h / 해외옵션정보.h).
_HEAD: Final = 82
_NAME: Final = 50
_FUTURES_TAIL: Final = 91
_OPTIONS_TAIL: Final = 212


@attrs.frozen
class Symbol:
    """One listed instrument of a master file."""

    code: str
    """단축코드 (``005930``) or the overseas symbol (``AAPL``): what the endpoints' ``symbol`` takes."""
    name: str
    """한글 종목명."""
    market: str
    """``KOSPI``, ``KOSDAQ``, ``NAS`` …"""
    english_name: str = ""
    """English name (overseas files; blank for domestic ones)."""
    standard_code: str = ""
    """표준코드 (ISIN, ``KR7005930003``) for domestic stocks."""
    kind: str = ""
    """증권그룹구분코드 (``ST`` 주권, ``EF`` ETF, ``RT`` 리츠 …) or the overseas security type
    (``1`` index, ``2`` stock, ``3`` ETP, ``4`` warrant)."""
    currency: str = ""
    """Trading currency (overseas stock files; the derivatives files have none)."""
    exchange: str = ""
    """거래소코드 of an overseas future or option (``CME``, ``EUREX`` …)."""
    product: str = ""
    """품목코드 of an overseas future or option (``6A``, ``GC``, ``OES``): the product its series
    belong to."""
    price_places: int | None = None
    """Implied decimals of this product's prices, ``-sCalcDesz`` (계산 소수점): 6A's -4 is 4, so a
    raw 6882.5 is 0.68825. ``None`` for stocks, whose prices KIS sends with their point."""
    tick_size: Decimal | None = None
    """틱사이즈, as the master file writes it."""
    tick_value: Decimal | None = None
    """틱가치 (the value of one tick per contract), as the master file writes it."""
    option_type: str = ""
    """``C`` (call) or ``P`` (put) for an option; blank for a future."""

    def price(self, raw: Decimal | None) -> Decimal | None:
        """The real price of ``raw``, a price KIS sent for this future or option without its
        decimal point: ``raw × 10^-price_places`` (6A: 6882.5 → 0.68825). ``None`` stays ``None``.
        :class:`KisValidationError` for a stock (its prices need no placing)."""
        if self.price_places is None:
            raise KisValidationError(
                f"symbols: {self.code} ({self.market}) has no 계산 소수점; only overseas futures and "
                f"options prices are sent raw (markets {', '.join(DERIVATIVES)})"
            )
        return place(raw, self.price_places)


def place(raw: Decimal | None, places: int) -> Decimal | None:
    """``raw`` with ``places`` implied decimals placed: ``place(Decimal("6882.5"), 4)`` is
    ``Decimal("0.68825")``, exactly (no rounding, whatever the decimal context)."""
    if raw is None:
        return None
    if not isinstance(raw, Decimal):
        raise KisValidationError(f"symbols: a raw price is a Decimal, not {type(raw).__name__} ({raw!r})")
    return raw.scaleb(-places, _EXACT)


class SymbolBook:
    """The symbols of one or more markets, searchable by code, Korean or English name."""

    def __init__(self, symbols: Iterable[Symbol]) -> None:
        self.symbols: tuple[Symbol, ...] = tuple(symbols)
        self._by_code: dict[str, list[Symbol]] = {}
        for symbol in self.symbols:
            self._by_code.setdefault(symbol.code.upper(), []).append(symbol)
        self._keys = [(_fold(s.code), _fold(s.name), _fold(s.english_name)) for s in self.symbols]

    def __len__(self) -> int:
        return len(self.symbols)

    def get(self, code: str, market: str | None = None) -> Symbol:
        """The symbol with this code (and market); :class:`KisValidationError` naming it if none."""
        found = [s for s in self._by_code.get(code.strip().upper(), []) if market in (None, s.market)]
        if not found:
            where = f" in {market}" if market else ""
            raise KisValidationError(
                f"symbols: no {code!r}{where} in the master files loaded ({len(self)} symbols)"
            )
        return found[0]

    def search(self, query: str, *, market: str | None = None, limit: int = 20) -> list[Symbol]:
        """Symbols whose code, Korean or English name contains ``query`` (case, width and space
        insensitive): an exact code first, then names that start with it, then the rest."""
        needle = _fold(query)
        if not needle:
            raise KisValidationError("symbols.search: the query is empty")
        ranked: list[tuple[int, int, Symbol]] = []
        for index, (symbol, (code, name, english)) in enumerate(zip(self.symbols, self._keys, strict=True)):
            if market is not None and symbol.market != market:
                continue
            if needle == code:
                rank = 0
            elif name.startswith(needle) or english.startswith(needle):
                rank = 1
            elif needle in name or needle in english or needle in code:
                rank = 2
            else:
                continue
            ranked.append((rank, index, symbol))
        ranked.sort(key=lambda item: (item[0], len(item[2].name), item[1]))
        return [symbol for _, _, symbol in ranked[:limit]]

    def price(self, code: str, raw: Decimal | None) -> Decimal | None:
        """The real price of ``raw``, a price KIS sent for the overseas future or option ``code``
        (``6AZ26``, ``OESZ26 C5500``) without its decimal point: ``book.price("6AZ26",
        Decimal("6882.5"))`` is ``Decimal("0.68825")``. :class:`KisValidationError` naming the
        code if it is not in the loaded files or is not a future or option."""
        return self.get(code).price(raw)

    def prices(self, code: str, row: Any) -> dict[str, Decimal | None]:
        """Every raw price of ``row`` (a quote row of an overseas futures/options endpoint, or a
        tick of its real-time feeds) placed with ``code``'s 계산 소수점, by attribute name:
        ``{"last_price": Decimal("0.68825"), "open_price": …}``. Which fields are raw prices comes
        from the spec (``unit: sCalcDesz`` in the row's field table); the row keeps the wire
        values. :class:`KisValidationError` for a row without raw prices (nothing to place)."""
        names = raw_prices(type(row))
        if not names:
            raise KisValidationError(
                f"symbols: {type(row).__name__} has no raw prices (no field with unit sCalcDesz); "
                "only overseas futures and options quotes and ticks need placing"
            )
        symbol = self.get(code)
        return {name: symbol.price(getattr(row, name)) for name in names}

    def __repr__(self) -> str:
        markets = sorted({s.market for s in self.symbols})
        return f"SymbolBook({len(self)} symbols: {', '.join(markets)})"


async def load(
    markets: Sequence[str] = ("KOSPI", "KOSDAQ"),
    *,
    base_url: str = MASTER_URL,
    cache_dir: str | Path | None = None,
    max_age: dt.timedelta = MAX_AGE,
    timeout: float = 60.0,
) -> SymbolBook:
    """Download (at most once per ``max_age``) and read the master files of ``markets``."""
    unknown = [m for m in markets if m not in _FILES]
    if unknown or not markets:
        raise KisValidationError(
            f"symbols: unknown market(s) {unknown or list(markets)}; expected some of {', '.join(MARKETS)}"
        )
    folder = Path(cache_dir) if cache_dir is not None else _default_cache_dir()
    symbols: list[Symbol] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        for market in markets:
            stem, kind, tail = _FILES[market]
            url = f"{base_url.rstrip('/')}/{stem}.zip"
            data = await _fetch(session, url, folder / _source_folder(base_url) / f"{stem}.zip", max_age)
            raw = _unzip(data, stem, market)
            if kind in ("futures", "options"):
                symbols.extend(_derivatives(raw, market, kind == "options"))
                continue
            text = raw.decode("cp949", errors="replace")
            symbols.extend(_domestic(text, market, tail) if kind == "domestic" else _overseas(text, market))
    return SymbolBook(symbols)


def master_url(api_base_url: str) -> str:
    """Where a client of ``api_base_url`` gets master files: KIS's download host for KIS's
    domains, else the server's own (a sandbox serves its universe's files)."""
    from kis_async._config import BASE_URLS

    if api_base_url.rstrip("/") in BASE_URLS.values():
        return MASTER_URL
    return f"{api_base_url.rstrip('/')}/common/master"


# -- reading -----------------------------------------------------------------------------------


def parse_domestic(text: str, market: str = "KOSPI") -> list[Symbol]:
    """Read a domestic master file's text (KOSPI or KOSDAQ layout)."""
    return _domestic(text, market, _FILES[market][2])


def _domestic(text: str, market: str, tail: int) -> list[Symbol]:
    symbols = []
    for line in text.splitlines():
        if not line.strip():
            continue
        row = line + "\n"  # the tail width counts the line end, as KIS's sample reads it
        head, rest = row[: len(row) - tail], row[len(row) - tail :]
        code, standard, name = head[0:9].strip(), head[9:21].strip(), head[21:].strip()
        if code:
            symbols.append(Symbol(code, name, market, standard_code=standard, kind=rest[:2].strip()))
    return symbols


def _overseas(text: str, market: str) -> list[Symbol]:
    symbols = []
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) < 10 or not cells[4].strip():
            continue
        symbols.append(
            Symbol(
                cells[4].strip(),
                cells[6].strip(),
                market,
                english_name=cells[7].strip(),
                kind=cells[8].strip(),
                currency=cells[9].strip(),
            )
        )
    return symbols


def parse_derivatives(data: bytes, market: str = "OVERSEAS_FUTURES") -> list[Symbol]:
    """Read an overseas derivatives master file's bytes (``ffcode.mst``, or the options layout of
    ``focode.mst``/``fostkcode.mst`` for the options markets)."""
    if market not in DERIVATIVES:
        raise KisValidationError(f"symbols: {market!r} is not one of {', '.join(DERIVATIVES)}")
    return _derivatives(data, market, market != "OVERSEAS_FUTURES")


def _derivatives(data: bytes, market: str, option: bool) -> list[Symbol]:
    tail_width = _OPTIONS_TAIL if option else _FUTURES_TAIL
    symbols = []
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        if len(line) < _HEAD + tail_width:
            raise KisDecodeError(
                f"symbols: line {number} of the {market} master file has {len(line)} bytes, "
                f"fewer than the {_HEAD + tail_width} of its layout"
            )
        head, name, tail = line[:_HEAD], line[_HEAD : len(line) - tail_width], line[len(line) - tail_width :]
        code = head[:32].decode("ascii", errors="replace").strip()
        if not code:
            continue
        cells = _cut(tail, (10, 10, 3, 5, 5, 14, 14, 10, 4, 10, 1) if option else (10, 10, 3, 5, 5, 14, 14))
        where = f"{market} line {number} ({code})"
        symbols.append(
            Symbol(
                code,
                name.decode("cp949", errors="replace").strip(),
                market,
                kind=cells[2],
                exchange=cells[0],
                product=cells[1],
                price_places=-_whole(cells[4], "계산 소수점 (sCalcDesz)", where),
                tick_size=_number(cells[5], "틱사이즈", where),
                tick_value=_number(cells[6], "틱가치", where),
                option_type=cells[10] if option else "",
            )
        )
    return symbols


def _cut(data: bytes, widths: Sequence[int]) -> list[str]:
    cells, start = [], 0
    for width in widths:
        cells.append(data[start : start + width].decode("ascii", errors="replace").strip())
        start += width
    return cells


def _whole(text: str, what: str, where: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise KisDecodeError(f"symbols: {where}: {what} {text!r} is not a whole number") from None


def _number(text: str, what: str, where: str) -> Decimal | None:
    try:
        return parse_decimal(text)
    except ValueError as exc:
        raise KisDecodeError(f"symbols: {where}: {what} {text!r} is not a number ({exc})") from None


def _unzip(data: bytes, stem: str, market: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            member = next((n for n in archive.namelist() if n.lower().endswith(stem)), None)
            if member is None:
                raise KisConfigError(
                    f"symbols: the {market} archive has no {stem} (has {archive.namelist()})"
                )
            if archive.getinfo(member).file_size > _MAX_BYTES:
                raise KisConfigError(
                    f"symbols: {stem} in the {market} archive is larger than {_MAX_BYTES} bytes"
                )
            raw = archive.read(member)
    except zipfile.BadZipFile as exc:
        raise KisConfigError(f"symbols: the {market} master file is not a zip archive ({exc})") from None
    return raw


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


# -- fetching ----------------------------------------------------------------------------------


async def _fetch(session: aiohttp.ClientSession, url: str, path: Path, max_age: dt.timedelta) -> bytes:
    try:
        if time.time() - path.stat().st_mtime < max_age.total_seconds():
            return path.read_bytes()
    except OSError:
        pass
    try:
        async with session.get(url, allow_redirects=False) as response:
            if response.status != 200:
                raise KisTransportError(f"symbols: GET {url} answered HTTP {response.status}")
            data = await response.content.read(_MAX_BYTES + 1)
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise KisTransportError(f"symbols: GET {url} failed: {type(exc).__name__}: {exc}") from None
    if len(data) > _MAX_BYTES:
        raise KisTransportError(f"symbols: GET {url} sent more than {_MAX_BYTES} bytes")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, path)
    return data


def _source_folder(base_url: str) -> str:
    """KIS's files and each sandbox's are cached apart (a sandbox's universe is not KIS's)."""
    if base_url.rstrip("/") == MASTER_URL:
        return "kis"
    return "".join(ch if ch.isalnum() else "_" for ch in base_url.split("://", 1)[-1])


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kis-async" / "master"
