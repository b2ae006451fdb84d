"""A bot trading overseas futures reads KIS's raw prices as real ones, placed by the master file.

KIS sends every overseas futures/options price without its decimal point and says to place it by
the product's 계산 소수점 (sCalcDesz) of ffcode.mst / focode.mst. The lines here are written in
the layout of KIS's stocks_info/해외선물정보.h and 해외옵션정보.h, independently of the sandbox.
"""

from __future__ import annotations

import decimal
import zipfile
from decimal import Decimal

import pytest

from kis_async import KisDecodeError, KisValidationError
from kis_async.overseas_futureoption.quotations import OverseasFutureoptionFuturesQuote
from kis_async.overseas_price.quotations import OverseasPriceQuote
from kis_async.symbols import Symbol, SymbolBook, parse_derivatives, place
from tests.paths import SHARED_DOCS


def cells(*values: tuple[str, int]) -> bytes:
    return b"".join(text.encode("cp949").ljust(width, b" ") for text, width in values)


def tail(exchange: str, product: str, calc: int, tick: str, value: str) -> list[tuple[str, int]]:
    # 거래소코드, 품목코드, 품목종류, 출력 소수점, 계산 소수점, 틱사이즈, 틱가치, 계약크기, 진법, 환산승수
    return [
        (exchange, 10),
        (product, 10),
        ("001", 3),
        ("4", 5),
        (str(calc), 5),
        (tick, 14),
        (value, 14),
        ("1", 10),
        ("10", 4),
        ("1", 10),
    ]


def futures_line(code: str, name: str, exchange: str, product: str, calc: int, tick: str = "0.1") -> bytes:
    head = [(code, 32), ("Y", 1), ("N", 1), ("N", 1), ("", 47), (name, 50)]
    flags = [("1", 1), ("1", 1), ("N", 1), ("N", 1), ("", 2)]
    return cells(*head, *tail(exchange, product, calc, tick, "10"), *flags) + b"\r\n"


def option_line(code: str, name: str, product: str, calc: int, kind: str) -> bytes:
    head = [(code, 32), ("Y", 1), ("N", 1), ("N", 1), ("50", 2), ("", 45), (name, 50)]
    rest = [(kind, 1), ("5500", 20), ("ES", 10), ("ESZ26", 32), ("ESZ26", 32), ("", 19), ("", 5)]
    rest += [("202612", 6), ("O", 1), ("1", 1)]
    return cells(*head, *tail("CME", product, calc, "0.05", "2.5"), *rest) + b"\r\n"


FFCODE = futures_line("6AZ26", "호주달러 2026.12", "CME", "6A", -4, "0.00005") + futures_line(
    "GCZ26", "금 2026.12", "COMEX", "GC", -1
)
FOCODE = option_line("OESZ26 C5500", "E-mini S&P500 옵션 콜 5500", "OES", -2, "C") + option_line(
    "O6EZ26 P1150", "유로FX 옵션 풋", "O6E", -4, "P"
)


@pytest.fixture
def book() -> SymbolBook:
    return SymbolBook([*parse_derivatives(FFCODE), *parse_derivatives(FOCODE, "OVERSEAS_OPTIONS")])


def test_the_futures_master_gives_each_series_its_product_exchange_and_places(book: SymbolBook) -> None:
    aud = book.get("6AZ26")
    assert (aud.name, aud.market, aud.exchange, aud.product, aud.price_places) == (
        "호주달러 2026.12",
        "OVERSEAS_FUTURES",
        "CME",
        "6A",
        4,
    )
    assert (aud.tick_size, aud.tick_value, aud.option_type) == (Decimal("0.00005"), Decimal("10"), "")
    assert book.search("금")[0].code == "GCZ26"


def test_the_options_master_gives_calls_and_puts_their_places(book: SymbolBook) -> None:
    call, put = book.get("OESZ26 C5500"), book.get("O6EZ26 P1150")
    assert (call.product, call.price_places, call.option_type, call.market) == (
        "OES",
        2,
        "C",
        "OVERSEAS_OPTIONS",
    )
    assert (put.product, put.price_places, put.option_type) == ("O6E", 4, "P")


@pytest.mark.parametrize(
    ("code", "raw", "real"),
    [
        ("6AZ26", "6882.5", "0.68825"),  # 품목코드 6A 계산소수점 -4 → 시세 6882.5 수신 시 0.68825
        ("GCZ26", "19225", "1922.5"),  # GC -1 → 19225 → 1922.5
        ("OESZ26 C5500", "7525", "75.25"),  # OES -2 → 7525 → 75.25
        ("O6EZ26 P1150", "54.0", "0.0054"),  # O6E -4 → 54.0 → 0.0054
    ],
)
def test_the_portal_examples_become_their_real_prices(
    book: SymbolBook, code: str, raw: str, real: str
) -> None:
    placed = book.price(code, Decimal(raw))
    assert placed == Decimal(real)
    assert book.get(code).price(Decimal(raw)) == placed


def test_every_raw_price_of_a_quote_row_is_placed_and_the_row_keeps_the_wire_values(book: SymbolBook) -> None:
    quote = OverseasFutureoptionFuturesQuote.from_dict(
        {
            "last_price": "6882.5",
            "prev_price": "6890",
            "bid_price": "6882",
            "prev_diff_rate": "-0.11",
            "vol": "10",
        }
    )
    real = book.prices("6AZ26", quote)
    assert real["last_price"] == Decimal("0.68825")
    assert real["prev_price"] == Decimal("0.689")
    assert real["bid_price"] == Decimal("0.6882")
    assert real["open_price"] is None  # not sent: None, never a guess
    assert "prev_diff_rate" not in real and "vol" not in real  # a rate and a volume are not prices
    assert quote.last_price == Decimal("6882.5")


def test_placing_is_exact_whatever_the_decimal_context() -> None:
    with decimal.localcontext(decimal.Context(prec=3)):
        assert place(Decimal("123456789.5"), 4) == Decimal("12345.67895")
    assert place(None, 4) is None


def test_a_stock_or_an_unknown_code_is_refused_by_name(book: SymbolBook) -> None:
    stock = SymbolBook([Symbol("AAPL", "애플", "NAS", currency="USD")])
    with pytest.raises(KisValidationError, match=r"AAPL \(NAS\) has no 계산 소수점"):
        stock.price("AAPL", Decimal("187.5"))
    with pytest.raises(KisValidationError, match="no 'CLF27'"):
        book.price("CLF27", Decimal("7053"))


def test_a_row_without_raw_prices_is_refused(book: SymbolBook) -> None:
    with pytest.raises(KisValidationError, match="OverseasPriceQuote has no raw prices"):
        book.prices("6AZ26", OverseasPriceQuote.from_dict({"last": "187.50"}))


def test_a_float_is_refused_rather_than_rounded() -> None:
    with pytest.raises(KisValidationError, match="a Decimal, not float"):
        place(6882.5, 4)  # type: ignore[arg-type]


def test_a_line_shorter_than_the_layout_is_a_decode_error_naming_the_line() -> None:
    with pytest.raises(KisDecodeError, match=r"line 2 of the OVERSEAS_FUTURES master file has 10 bytes"):
        parse_derivatives(FFCODE.splitlines(keepends=True)[0] + b"6AZ26     \r\n")


def test_a_calc_places_that_is_not_a_number_is_a_decode_error() -> None:
    line = FFCODE.splitlines()[0]
    broken = line[:-91] + line[-91:].replace(b"-4   ", b"-X   ", 1)
    with pytest.raises(
        KisDecodeError, match=r"6AZ26\): 계산 소수점 \(sCalcDesz\) '-X' is not a whole number"
    ):
        parse_derivatives(broken)


def test_a_tick_size_in_exponent_form_is_a_decode_error_not_a_billion_digits() -> None:
    line = futures_line("6AZ26", "호주달러 2026.12", "CME", "6A", -4, "1E999999999")
    with pytest.raises(KisDecodeError, match=r"6AZ26\): 틱사이즈 '1E999999999' is not a number"):
        parse_derivatives(line)


def test_an_unknown_derivatives_market_is_refused() -> None:
    with pytest.raises(KisValidationError, match="'NAS' is not one of OVERSEAS_FUTURES"):
        parse_derivatives(b"", "NAS")


def test_kis_own_ffcode_in_the_shared_folder_reads_with_places_for_every_series() -> None:
    shared = SHARED_DOCS.parent
    found = sorted(shared.rglob("ffcode.mst*")) if shared.exists() else []
    if not found:
        pytest.skip(f"no copy of KIS's ffcode.mst(.zip) under {shared}: only the hand-built lines are read")
    data = found[0].read_bytes()
    if found[0].suffix == ".zip":
        with zipfile.ZipFile(found[0]) as archive:
            data = archive.read(archive.namelist()[0])
    symbols = parse_derivatives(data)
    assert symbols and all(s.price_places is not None and s.exchange and s.product for s in symbols)
