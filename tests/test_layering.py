"""The layering of the apps holds (import-linter contracts in .importlinter) and there is no
import cycle between luoshi's subpackages, nor between the modules of one app."""
from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the directed graph `edges` (node -> successors) as a list of nodes, or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    color: dict[str, int] = defaultdict(int)
    stack: list[str] = []

    def visit(node):
        color[node] = GREY
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if color[nxt] == GREY:
                return stack[stack.index(nxt):] + [nxt]
            if color[nxt] == WHITE:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        color[node] = BLACK
        return None

    for node in sorted(edges):
        if color[node] == WHITE:
            found = visit(node)
            if found:
                return found
    return None


def test_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"x": {"x"}}) == ["x", "x"]


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("luoshi")


def _squash(graph, depth: int, prefix: str = "luoshi") -> dict[str, set[str]]:
    """Import edges between modules cut to `depth` dotted parts, within `prefix`."""
    edges: dict[str, set[str]] = defaultdict(set)
    cut = lambda m: ".".join(m.split(".")[:depth])  # noqa: E731
    for module in graph.modules:
        if not module.startswith(prefix + ".") or module.count(".") < depth - 1:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith(prefix + ".") and imported.count(".") >= depth - 1:
                a, b = cut(module), cut(imported)
                if a != b:
                    edges[a].add(b)
    return edges


def test_no_import_cycle_between_subpackages(graph):
    edges = _squash(graph, 2)
    assert {"luoshi.core", "luoshi.ledger", "luoshi.supervision", "luoshi.notifications"} <= set(edges) | {
        m for targets in edges.values() for m in targets}
    assert find_cycle(edges) is None, " -> ".join(find_cycle(edges))


APPS = sorted(p.name for p in (ROOT / "src" / "luoshi").iterdir() if (p / "__init__.py").exists())


def test_every_app_is_checked_for_inner_cycles():
    assert {"core", "audit", "ledger", "supervision", "cases", "accountability"} <= set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_no_import_cycle_inside_an_app(graph, app):
    edges = _squash(graph, 3, prefix=f"luoshi.{app}")
    assert find_cycle(edges) is None, " -> ".join(find_cycle(edges))


def test_core_imports_no_other_app(graph):
    apps = {p.name for p in (ROOT / "src" / "luoshi").iterdir() if (p / "__init__.py").exists()} - {"core"}
    for module in graph.find_children("luoshi.core") | graph.find_descendants("luoshi.core"):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("luoshi."):
                assert imported.split(".")[1] not in apps, f"{module} imports {imported}"


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([str(lint)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout
