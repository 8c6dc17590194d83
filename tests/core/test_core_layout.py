"""The layout holds: no import cycle, one direction of dependency, a thin web layer.

The import graph is read from the source (every ``import`` statement, those inside
functions and under ``TYPE_CHECKING`` included), so a lazy import cannot hide a cycle.
``from package import name`` counts as an import of ``package.name`` when that is a module,
else of ``package`` itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _modules(package: Path) -> dict[str, Path]:
    out = {}
    for path in package.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) of every import in ``path``, function-level ones included,
    relative imports made absolute (``import x`` gives ``(x, [])``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = name.split(".")[: None if is_package else -1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((module, [alias.name for alias in node.names]))
    return found


def _cycles(graph: nx.DiGraph) -> list[list[str]]:
    return sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)


def _explicit_graph(package: Path) -> nx.DiGraph:
    """Module -> module edges inside ``package``, each import resolved to one module."""
    modules = _modules(package)
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        targets = [  # "from pkg import submodule" imports the submodule, not pkg
            f"{module}.{n}" if f"{module}.{n}" in modules else module
            for module, names in _imports(name, path)
            for n in names or [""]
        ]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph.add_edge(name, target)
    return graph


def test_no_import_cycle_in_the_library():
    graph = _explicit_graph(ROOT / "matchmaker")
    assert graph.number_of_nodes() > 100
    assert _cycles(graph) == []


def test_the_cycle_check_sees_a_lazy_import(tmp_path):
    """A cycle hidden in a function body is found (the check above can fail)."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.b import thing\n")
    (pkg / "b.py").write_text("def thing():\n    from pkg import a\n    return a\n")
    (pkg / "c.py").write_text("from pkg import b\n")
    assert _cycles(_explicit_graph(pkg)) == [["pkg.a", "pkg.b"]]


def _imported_roots(package: Path) -> dict[str, set[str]]:
    out = {}
    for name, path in _modules(package).items():
        out[name] = {module.split(".")[0] for module, _names in _imports(name, path) if module}
    return out


def test_the_library_never_imports_flask_or_the_web_package():
    offenders = {
        name: sorted(roots & {"flask", "flask_login", "flask_babel", "flask_wtf", "web"})
        for name, roots in _imported_roots(ROOT / "matchmaker").items()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_web_package_imports_no_sqlalchemy():
    offenders = [
        name for name, roots in _imported_roots(ROOT / "web").items() if "sqlalchemy" in roots
    ]
    assert offenders == []


_QUERIES = {"commit", "rollback", "flush", "execute", "scalar", "scalars", "query"}
_SESSION_WRITES = {"add", "add_all", "delete", "get", "merge", "expire", "refresh"}


def _session_calls(path: Path) -> list[str]:
    """``x.commit()``-like calls in a module: the web must leave them to the library."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _QUERIES | _SESSION_WRITES
        ):
            owner = ast.unparse(node.func.value)
            if owner in ("sys.stdout", "sys.stderr"):
                continue
            if node.func.attr in _QUERIES or "db_session" in owner:
                calls.append(f"{path.name}:{node.lineno} {owner}.{node.func.attr}()")
    return calls


def test_the_web_layer_neither_queries_nor_commits():
    found = []
    for path in sorted((ROOT / "web").rglob("*.py")):
        found += _session_calls(path)
    assert found == []


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "web" / "views").rglob("*.py")) + sorted((ROOT / "web" / "api").rglob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT / "web")),
)
def test_no_view_module_over_400_lines(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def _constructions(package: Path, cls: str) -> set[str]:
    out = set()
    for name, path in _modules(package).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] == cls:
                out.add(name)
    return out


def test_ats_members_are_constructed_in_one_library_module():
    assert _constructions(ROOT / "matchmaker", "PartnershipMember") == {"matchmaker.rules.drafts"}
    assert _constructions(ROOT / "web", "PartnershipMember") == set()
