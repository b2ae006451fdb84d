"""Fuzzing the spec loader: a mangled spec either generates valid python or a clear spec error."""

from __future__ import annotations

import ast
import copy
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.loader import SpecError, load_specs
from codegen.render import render_all
from tests.paths import ROOT

SEED = ROOT / "spec" / "domestic_stock" / "ranking" / "credit_balance.yaml"
SEED_LABEL = "domestic_stock/ranking/credit_balance.yaml"
SEED_SPEC: dict[str, Any] = yaml.safe_load(SEED.read_text(encoding="utf-8"))


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in the spec tree (mapping keys and list indexes)."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


SEED_PATHS = paths(SEED_SPEC)
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=8),
    st.sampled_from(["str", "int", "enum", "Sign", "GET", "POST", "unsupported", "x-y", "class", "raw"]),
    st.lists(st.integers(0, 3), max_size=3),
    st.dictionaries(st.sampled_from(["code", "korean", "wire", "type"]), st.text(max_size=4), max_size=2),
)
MUTATION = st.tuples(st.sampled_from(["replace", "delete", "rename"]), st.sampled_from(SEED_PATHS), JUNK)


def mutate(spec: dict[str, Any], operation: str, path: tuple[Any, ...], junk: Any) -> None:
    parent: Any = spec
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return
    last = path[-1]
    if isinstance(parent, dict) and last in parent:
        if operation == "replace":
            parent[last] = junk
        elif operation == "delete":
            del parent[last]
        else:
            parent[f"{last}_x" if not isinstance(junk, str) or not junk else junk] = parent.pop(last)
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        if operation == "delete":
            del parent[last]
        else:
            parent[last] = junk


@settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_a_mangled_spec_generates_code_or_a_clear_error(
    mutations: list[tuple[str, tuple[Any, ...], Any]],
) -> None:
    spec = copy.deepcopy(SEED_SPEC)
    for operation, path, junk in mutations:
        mutate(spec, operation, path, junk)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copy(ROOT / "spec" / "_shared.yaml", root / "_shared.yaml")
        target = root / SEED_LABEL
        target.parent.mkdir(parents=True)
        target.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
        try:
            loaded = load_specs(root)
        except SpecError as exc:
            assert exc.problems
            for problem in exc.problems:
                file, field, message = (part.strip() for part in ([*problem.split(":", 2), "", ""])[:3])
                assert file == SEED_LABEL, problem
                assert field and message, problem
            return
    for path, text in render_all(loaded).items():
        if path.endswith(".py"):
            ast.parse(text, filename=path)
