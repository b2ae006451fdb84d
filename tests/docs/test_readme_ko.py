"""README.ko.md keeps in step with README.md: the Korean quickstart, sandbox, real-time and fleet
sections carry exactly the English sections' code, block for block, so a change to one README's
code that is not made in the other fails here (the English blocks are the ones other tests run
and type-check)."""

from __future__ import annotations

import re

from tests.paths import ROOT

#: The English sections README.ko.md translates, in its order.
MIRRORED = (
    "Install",
    "Credentials",
    "First call",
    "Running a fleet",
    "Testing your bot against the sandbox",
    "Real-time feeds (WebSocket)",
)


def code_blocks(text: str) -> list[tuple[str, str]]:
    """(section heading, fenced block) of every code block, in order; a ``#`` line inside a block
    is code, not a heading."""
    found: list[tuple[str, str]] = []
    section, block, inside = "", [], False
    for line in text.splitlines():
        if line.startswith("```"):
            block.append(line)
            if inside:
                found.append((section, "\n".join(block)))
                block = []
            inside = not inside
        elif inside:
            block.append(line)
        elif heading := re.match(r"#{1,4} (.+)", line):
            section = heading.group(1).strip()
    return found


def test_the_korean_readme_has_the_english_sections_code_block_for_block() -> None:
    english = [
        block
        for section, block in code_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
        if section in MIRRORED
    ]
    korean = [block for _, block in code_blocks((ROOT / "README.ko.md").read_text(encoding="utf-8"))]
    assert len(english) >= 8  # the sections are still there under these names
    assert korean == english


def test_each_readme_links_the_other_in_its_first_lines() -> None:
    english = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:5]
    korean = (ROOT / "README.ko.md").read_text(encoding="utf-8").splitlines()[:5]
    assert any("(README.ko.md)" in line for line in english)
    assert any("(README.md)" in line for line in korean)


def test_the_korean_readme_is_in_korean() -> None:
    prose = re.sub(r"```.*?```", "", (ROOT / "README.ko.md").read_text(encoding="utf-8"), flags=re.DOTALL)
    hangul = sum("가" <= ch <= "힣" for ch in prose)
    letters = sum(ch.isalpha() for ch in prose)
    assert hangul / letters > 0.5
