"""Layering: no import cycle inside ``rag``, and the command line, the window and the
benchmarks use only the public API (what ``rag/__init__.py`` exports)."""
import ast
import inspect
import sys
from pathlib import Path

import pytest

import rag

ROOT = Path(__file__).resolve().parent.parent
EDGES = [ROOT / "rag" / "cli.py", *sorted((ROOT / "ui").glob("*.py")), *sorted((ROOT / "benchmarks").glob("*.py"))]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[tuple[str, str | None]]:
    """(module, name) pairs an import statement reads: ``from a import b`` gives ("a", "b")."""
    if isinstance(node, ast.Import):
        return [(alias.name, None) for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    return [(base, alias.name) for alias in node.names]


def import_graph(paths: list[Path]) -> dict[str, set[str]]:
    """Module → the modules among ``paths`` it imports, at any level (function bodies included)."""
    modules = {module_name(p): p for p in paths}
    graph = {}
    for name, path in modules.items():
        graph[name] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for base, attr in imported(name, path.name == "__init__.py", node):
                    target = f"{base}.{attr}" if f"{base}.{attr}" in modules else base
                    if target in modules and target != name and not name.startswith(target + "."):
                        graph[name].add(target)  # a submodule importing its own package is Python's order, not a cycle
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each as the path that closes it (depth-first search)."""
    found, done = [], set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            found.append(path[path.index(node):] + [node])
            return
        if node in done:
            return
        for target in sorted(graph.get(node, ())):
            visit(target, path + [node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    return found


def private_uses(path: Path, public: set[str]) -> list[str]:
    """What ``path`` reaches past the public API for: imports of ``rag``'s modules or of names
    ``rag`` does not export, private attributes of other objects, and dotted paths into ``rag``."""
    name = module_name(path)
    problems = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    stdlib = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
              for alias in node.names if alias.name in sys.stdlib_module_names}  # os._exit is os's own API
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for base, attr in imported(name, path.name == "__init__.py", node):
                if base.startswith("rag."):
                    problems.append(f"line {node.lineno}: imports {base}")
                elif base == "rag" and attr is not None and attr not in public:
                    problems.append(f"line {node.lineno}: imports rag.{attr}, which rag does not export")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls", *stdlib)):
                problems.append(f"line {node.lineno}: uses private .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("rag.") \
                and node.value != "rag.cli":  # the command (python -m rag.cli) is public
            problems.append(f"line {node.lineno}: names {node.value}")
    return problems


def test_rag_has_no_import_cycle():
    graph = import_graph(sorted((ROOT / "rag").rglob("*.py")))
    assert len(graph) > 30  # the whole package was read
    assert cycles(graph) == []


@pytest.mark.parametrize("path", EDGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_edges_use_only_the_public_api(path):
    assert private_uses(path, set(rag.__all__)) == []


def test_every_export_exists_and_says_what_it_is():
    undocumented = [name for name in rag.__all__
                    if callable(getattr(rag, name)) and not inspect.getdoc(getattr(rag, name))]
    assert undocumented == []


def test_the_checks_catch_what_they_forbid(tmp_path):
    """The checks above would fail on a cycle and on each kind of reaching past the API."""
    package = tmp_path / "rag"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import x\n")
    (package / "b.py").write_text("def f():\n    from rag import a\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        graph = import_graph(sorted(package.glob("*.py")))
        assert cycles(graph) == [["rag.a", "rag.b", "rag.a"]]
        bad = tmp_path / "rag" / "cli.py"
        bad.write_text("from rag.store import ChromaStore\nfrom rag import Qawl, secret\nfrom . import hidden\n"
                       "q = Qawl()\nq._chunks.keywords\nq.ok\npatch('rag.qawl.load_embedder')\nrun('rag.cli')\nimport os\nos._exit(0)\n")
        assert private_uses(bad, {"Qawl"}) == [
            "line 1: imports rag.store",
            "line 2: imports rag.secret, which rag does not export",
            "line 3: imports rag.hidden, which rag does not export",
            "line 5: uses private ._chunks",
            "line 7: names rag.qawl.load_embedder",
        ]
    finally:
        ROOT = saved
