"""The sandbox's master files: the archives KIS publishes, for the sandbox's own universe.

``GET /common/master/kospi_code.mst.zip`` (and ``kosdaq_code.mst.zip``, ``nasmst.cod.zip`` …, and
the overseas derivatives' ``ffcode.mst.zip``, ``focode.mst.zip``, ``fostkcode.mst.zip`` from
:mod:`._overseas_futures`)
answers a zip in KIS's layout (see :mod:`kis_async.symbols`), so ``await kis.symbols()`` works
offline against the sandbox and finds exactly the stocks its quotes and rankings use.
"""

from __future__ import annotations

import functools
import io
import zipfile

from kis_async.sandbox import _overseas_futures
from kis_async.sandbox._market import UNIVERSE

#: A few overseas listings per US exchange: (symbol, 한글명, English name).
_OVERSEAS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "nas": (
        ("AAPL", "애플", "APPLE INC"),
        ("MSFT", "마이크로소프트", "MICROSOFT CORP"),
        ("NVDA", "엔비디아", "NVIDIA CORP"),
        ("TSLA", "테슬라", "TESLA INC"),
        ("AMZN", "아마존닷컴", "AMAZON.COM INC"),
        ("GOOGL", "알파벳 A", "ALPHABET INC CL A"),
    ),
    "nys": (
        ("KO", "코카콜라", "COCA-COLA CO"),
        ("JPM", "JP모간체이스", "JPMORGAN CHASE & CO"),
        ("IBM", "IBM", "IBM"),
    ),
    "ams": (("SPY", "SPDR S&P500 ETF", "SPDR S&P 500 ETF TRUST"),),
}
_EXCHANGE = {"nas": ("22", "NAS", "나스닥"), "nys": ("21", "NYS", "뉴욕"), "ams": ("24", "AMS", "아멕스")}
#: Tail widths of KIS's domestic lines, the line end included (see kis_async.symbols).
_TAIL = {"kospi": 228, "kosdaq": 222}


@functools.cache
def master_archive(name: str) -> bytes | None:
    """The zip for ``<stem>.zip`` (``kospi_code.mst.zip`` …), or ``None`` for a file KIS does not
    publish."""
    stem = name.removesuffix(".zip")
    if stem in ("kospi_code.mst", "kosdaq_code.mst"):
        market = stem.split("_")[0]
        text = "".join(
            _domestic_line(s.code, s.name, _TAIL[market]) for s in UNIVERSE if s.market.lower() == market
        )
    elif stem.endswith("mst.cod") and len(stem) == len("nasmst.cod"):
        text = "".join(_overseas_line(stem[:3], *row) for row in _OVERSEAS.get(stem[:3], ()))
    else:
        data = _overseas_futures.master_text(stem)  # ffcode.mst, focode.mst, fostkcode.mst
        return None if data is None else _zip(stem, data)
    return _zip(stem, text.encode("cp949"))


def _zip(stem: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(stem, data)
    return buffer.getvalue()


def _domestic_line(code: str, name: str, tail: int) -> str:
    isin = f"KR7{code}00{sum(map(ord, code)) % 10}"
    return f"{code:<9}{isin:<12}{name}" + "ST".ljust(tail - 1, "0") + "\r\n"


def _overseas_line(market: str, symbol: str, korean: str, english: str) -> str:
    exchange_id, code, exchange_name = _EXCHANGE[market]
    cells = ["US", exchange_id, code, exchange_name, symbol, f"D{code}{symbol}", korean, english, "2", "USD"]
    return "\t".join(cells) + "\r\n"
