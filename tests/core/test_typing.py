"""A bot author's editor and mypy --strict: the README's code type-checks, and mistakes are caught.

mypy runs once (module fixture) over every snippet: each python block of README.md, and small
programs with one mistake each. Its cache lives in .mypy_cache/typing-test, so a warm run takes
a few seconds.
"""

from __future__ import annotations

import importlib.util
import re
import textwrap
from pathlib import Path

import pytest

from kis_async._registry import ENDPOINTS, NAMES, NAMESPACES
from tests.paths import ROOT

api = pytest.importorskip("mypy.api", reason="mypy is a dev dependency")

GENERATED = {name for _, _, name in ENDPOINTS}
PUBLIC = set(NAMES) | set(__import__("kis_async").__all__)

MISTAKES = {
    "wrong_enum": """
        from kis_async import CreditBalanceSort, KisClient

        async def run(kis: KisClient) -> None:
            await kis.domestic_stock.credit_balance(market=CreditBalanceSort.LOAN_RATE, period=5, sort="0")
        """,
    "unknown_code": """
        from kis_async import KisClient

        async def run(kis: KisClient) -> None:
            await kis.domestic_stock.credit_balance(market="9999", period=5, sort="0")
        """,
    "text_for_int": """
        from kis_async import KisClient

        async def run(kis: KisClient) -> None:
            await kis.domestic_stock.credit_balance(market="0000", period="x", sort="0")
        """,
    "misspelt_argument": """
        from kis_async import KisClient

        async def run(kis: KisClient) -> None:
            await kis.domestic_stock.credit_balance(markt="0000", period=5, sort="0")
        """,
    "paged_unknown_code": """
        from kis_async import KisClient

        async def run(kis: KisClient) -> None:
            await kis.domestic_stock.inquire_balance(inquiry_type="03").all()
        """,
    "optional_field_used_as_int": """
        from kis_async import KisClient

        async def run(kis: KisClient) -> int:
            ranking = await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
            return ranking.output2[0].stck_prpr
        """,
}

#: mypy names the method and its category in each message about a call (each endpoint's module
#: defines its method on a class named like the category, a base of the category class for type
#: checkers), as it would for a method written in the category class itself.
EXPECTED = {
    "wrong_enum": (
        'Argument "market" to "credit_balance" of "DomesticStock" has incompatible type '
        '"Literal[CreditBalanceSort.LOAN_RATE]"'
    ),
    "unknown_code": (
        'Argument "market" to "credit_balance" of "DomesticStock" has incompatible type "Literal[\'9999\']"'
    ),
    "text_for_int": (
        'Argument "period" to "credit_balance" of "DomesticStock" has incompatible type "str"; expected "int"'
    ),
    "misspelt_argument": (
        'Unexpected keyword argument "markt" for "credit_balance" of "DomesticStock"; did you mean "market"?'
    ),
    "paged_unknown_code": (
        'Argument "inquiry_type" to "inquire_balance" of "DomesticStock" has incompatible type "Literal[\'03\']"'
    ),
    "optional_field_used_as_int": 'Incompatible return value type (got "int | None", expected "int")',
}


def readme_blocks() -> list[tuple[str, str]]:
    """(id, source) of each ```python block of README.md, runnable by mypy as a module: a block
    that awaits outside a function becomes the body of an ``async def`` that receives ``kis``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    result = []
    for number, block in enumerate(blocks, 1):
        lines = block.splitlines()
        if re.search(r"\bawait |\basync (with|for) ", block) and "async def" not in block:
            imports = [line for line in lines if re.match(r"(import|from) \S", line)]
            body = [line for line in lines if line not in imports]
            block = "\n".join(
                [
                    *imports,
                    "from kis_async import KisClient as _KisClient",
                    "",
                    "",
                    "async def _block(kis: _KisClient) -> None:",
                    textwrap.indent("\n".join(body).strip("\n"), "    "),
                    "",
                ]
            )
        result.append((f"readme_{number}", block))
    return result


def missing_names(source: str) -> list[str]:
    """Endpoints or public names the snippet uses that this checkout does not generate (yet)."""
    # only category attributes name endpoints: kis.stats.token_renewals is not a missing endpoint
    calls = {f"{ns}.{method}" for ns, method in re.findall(r"kis\.(\w+)\.(\w+)", source) if ns in NAMESPACES}
    imported = {
        name.strip()
        for group in re.findall(r"^from kis_async import (.+)$", source, re.MULTILINE)
        for name in group.split(",")
    }
    modules = {
        m for m in re.findall(r"^from (kis_async\.[\w.]+) import", source, re.MULTILINE) if not _exists(m)
    }
    return sorted(
        (calls - GENERATED) | modules | {n for n in imported if n not in PUBLIC and " as " not in n}
    )


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    folder = tmp_path_factory.mktemp("snippets")
    snippets = dict(readme_blocks()) | {k: textwrap.dedent(v) for k, v in MISTAKES.items()}
    paths: dict[str, Path] = {}
    for name, source in snippets.items():
        if missing_names(source):
            continue
        paths[name] = folder / f"{name}.py"
        paths[name].write_text(source, encoding="utf-8")
    cache = ROOT / ".mypy_cache" / "typing-test"
    stdout, stderr, _ = api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(cache), *map(str, paths.values())]
    )
    assert not stderr, stderr
    errors: dict[str, list[str]] = {name: [] for name in paths}
    for line in stdout.splitlines():
        found = re.match(r"(?:.*/)?(\w+)\.py:\d+: error: (.*)", line)
        if found and found.group(1) in errors:
            errors[found.group(1)].append(found.group(2))
    return errors


@pytest.mark.parametrize(("name", "source"), readme_blocks(), ids=[n for n, _ in readme_blocks()])
def test_readme_code_type_checks_under_strict_mypy(
    name: str, source: str, mypy_errors: dict[str, list[str]]
) -> None:
    missing = missing_names(source)
    if missing:
        pytest.skip(f"uses {', '.join(missing)}, not generated in this checkout")
    assert mypy_errors[name] == []


def test_every_readme_block_is_type_checked() -> None:
    """No README block is skipped in a full checkout (a guard that misread ``kis.stats.…`` as an
    endpoint once left a block unchecked)."""
    skipped = [name for name, source in readme_blocks() if missing_names(source)]
    assert skipped == []


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_mypy_catches_the_mistake(mistake: str, mypy_errors: dict[str, list[str]]) -> None:
    assert any(EXPECTED[mistake] in error for error in mypy_errors[mistake]), mypy_errors[mistake]
