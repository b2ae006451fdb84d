"""tests/README.md tells a newcomer where a test goes and which fixture to take: it lists every
folder of tests, the fixtures it names are defined where it says, and no fixture is called plain
``kis`` (it once meant four different things)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.paths import TESTS

README = (TESTS / "README.md").read_text(encoding="utf-8")


def table(first_cell: str) -> list[list[str]]:
    """The body rows of the table whose header starts with ``first_cell``, cells stripped."""
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_cell} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def fixtures_defined(path: Path) -> set[str]:
    """Names of the fixtures ``path`` defines (``@pytest.fixture`` functions, or their ``name=``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if ast.unparse(target) in ("pytest.fixture", "fixture"):
                renamed = [k.value for k in (call.keywords if call else []) if k.arg == "name"]
                names.add(renamed[0].value if renamed and isinstance(renamed[0], ast.Constant) else node.name)
    return names


def test_every_folder_of_tests_is_described_and_every_described_folder_exists() -> None:
    described = {row[0].strip("`/") for row in table("Folder")}
    holding_tests = {path.relative_to(TESTS).parts[0] for path in TESTS.glob("*/**/test_*.py")}
    assert holding_tests == described
    # a package each, so that tests/cli/test_cli.py and tests/mcp/test_cli.py are two modules
    assert sorted(f"{name}/" for name in described if not (TESTS / name / "__init__.py").is_file()) == []


def test_no_test_module_sits_at_the_top_of_tests() -> None:
    assert sorted(path.name for path in TESTS.glob("test_*.py")) == []


def test_the_fixtures_named_in_the_readme_are_defined_where_it_says() -> None:
    missing = []
    for names, _, where in table("Fixture"):
        conftest = TESTS / where.strip("`")
        defined = fixtures_defined(conftest)
        missing += [f"{name} in {where}" for name in re.findall(r"`(\w+)`", names) if name not in defined]
    assert missing == []


def test_no_fixture_is_named_plain_kis() -> None:
    offenders = [
        str(path.relative_to(TESTS)) for path in TESTS.rglob("*.py") if "kis" in fixtures_defined(path)
    ]
    assert offenders == []
