"""The import graph, read from the code: stages depend only down the flow, no circles,
click only in the CLI (issue: the house for many editions)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "onephone_build"

# stage -> the stages (and top modules) it must never import, at any depth of a function
FORBIDDEN = {
    "model": {"read", "transforms", "render", "editions", "check", "commands", "pipeline", "build", "cli"},
    "read": {"transforms", "render", "editions", "check", "commands", "pipeline", "build", "cli"},
    "transforms": {"read", "render", "editions", "check", "commands", "pipeline", "build", "cli"},
    "render": {"transforms", "editions", "check", "commands", "pipeline", "build", "cli"},
    "editions": {"transforms", "check", "commands", "pipeline", "build", "cli"},
    "check": {"transforms", "render", "editions", "commands", "pipeline", "build", "cli"},
    "config": {"read", "model", "transforms", "render", "editions", "check", "commands", "pipeline", "build",
               "cli"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every onephone_build module (or package) ``path`` imports, anywhere in it."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("onephone_build"):
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {m: {t for t in imports(p) if t in MODULES and t != m} for m, p in MODULES.items()}


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_graph_is_read():
    # the check below is only as good as the graph: it must see the known edges
    assert "onephone_build.model.document" in GRAPH["onephone_build.read"]
    assert "onephone_build.editions.print.parts" in GRAPH["onephone_build.editions.print.writer"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_dependencies_point_down_the_flow(module):
    banned = FORBIDDEN.get(stage(module), set())
    wrong = sorted(t for t in GRAPH[module] if stage(t) in banned)
    assert not wrong, f"{module} imports {wrong}"


def test_no_import_circles():
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for t in sorted(GRAPH[m]):
            # a package's __init__ importing its own modules is not a circle with them
            if t.startswith(m + "."):
                continue
            if state.get(t) == 1:
                raise AssertionError("import circle: " + " -> ".join(path[path.index(t):] + [t]))
            if t not in state:
                visit(t)
        path.pop()
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)


def test_only_the_cli_imports_click():
    users = sorted(m for m, p in MODULES.items()
                   if {"click"} & {i.split(".")[0] for i in imports(p)} and m != "onephone_build.cli")
    assert not users
