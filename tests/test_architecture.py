"""The shape of the code, checked: no import cycles between our modules, and no private names
taken across modules. (Which package may import which is import-linter's, in pyproject.toml.)

Every import counts, at the top of a module or inside a function, since both run. Imports under
`if TYPE_CHECKING:` do not: they never run, and are how a module names a type of a module that
imports it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage")

# Import cycles allowed, each as the sorted names of its modules: none. The test fails on any cycle
# found, and on one listed here that is gone.
KNOWN_CYCLES: set[tuple[str, ...]] = set()


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int


def modules() -> dict[str, Path]:
    """Every module of ours by its dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports that run, wherever they stand: not those under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _type_checking_only(child):
            for orelse in child.orelse:
                yield from _import_nodes(orelse)
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _import_nodes(child)


def _absolute(name: str, node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return name
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, name] if name else base)


def imports_of(module: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[Import, ast.AST]]:
    """Each import of one of our modules by `module`, with the node it came from."""

    def ours(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = _absolute(node.module or "", node, module, is_package)
            # `from bot.core import ids` imports the module bot.core.ids; `from bot.core.ids import X`, bot.core.ids
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            imported = ours(target)
            if imported is not None and imported != module:
                yield Import(module, imported, node.lineno), node


def import_graph() -> dict[str, list[Import]]:
    known = modules()
    graph: dict[str, list[Import]] = {name: [] for name in known}
    for name, path in known.items():
        graph[name] = [imp for imp, _node in imports_of(name, path, known)]
    return graph


def cycles(graph: dict[str, list[Import]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imp in graph[module]:
            if imp.imported not in index:
                visit(imp.imported)
                low[module] = min(low[module], low[imp.imported])
            elif imp.imported in on_stack:
                low[module] = min(low[module], index[imp.imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def describe(component: list[str], graph: dict[str, list[Import]]) -> str:
    members = set(component)
    lines = dict.fromkeys(
        f"  {imp.importer} -> {imp.imported} (line {imp.line})"
        for module in component
        for imp in graph[module]
        if imp.imported in members
    )
    return "\n".join([" <-> ".join(component), *lines])


def test_the_walk_sees_imports_inside_functions_and_skips_type_checking_ones():
    graph = import_graph()
    imported_by = {module: {imp.imported for imp in imps} for module, imps in graph.items()}
    # handlers.cli imports the gunicorn app inside the `serve` command only
    assert "handlers.gunicorn_app" in imported_by["handlers.cli"]
    # the services name BotContext for the type checker only
    assert "bot.core.context" not in imported_by["bot.complaints.service"]
    assert "bot.core.context" in imported_by["bot.reminders.sweep"]


def test_no_import_cycles_between_our_modules():
    graph = import_graph()
    found = {tuple(component): component for component in cycles(graph)}
    new = [describe(component, graph) for key, component in found.items() if key not in KNOWN_CYCLES]
    gone = sorted(KNOWN_CYCLES - set(found))
    assert not new, "import cycles:\n" + "\n".join(new)
    assert not gone, f"these cycles are gone: take them out of KNOWN_CYCLES: {gone}"


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_private_name_is_taken_from_another_module():
    """`from x import _y` and `x._y` of a module of ours: what starts with _ is its module's own."""
    known = modules()
    taken: list[str] = []
    for name, path in known.items():
        module_names: set[str] = set()  # what the module calls the modules of ours it imports
        for imp, node in imports_of(name, path, known):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if _private(alias.name):
                        taken.append(f"{name} (line {imp.line}) imports {alias.name} from {imp.imported}")
                    elif imp.imported.endswith("." + alias.name):
                        module_names.add(alias.asname or alias.name)
            else:
                module_names.update(alias.asname for alias in node.names if alias.asname)
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in module_names
                and _private(node.attr)
            ):
                taken.append(f"{name} (line {node.lineno}) uses {node.value.id}.{node.attr}")
    assert not taken, "\n".join(sorted(set(taken)))


def _imported_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = "." * node.level + (node.module or "")
        return [f"{base}.{alias.name}" for alias in node.names]
    return []


def test_no_test_module_imports_another():
    """What test modules share is in tests/factories.py (or conftest, e2e, fakes, sweeping,
    slack_double), never in a test module that others import."""
    crossing = [
        f"{path.relative_to(ROOT)} (line {node.lineno}) imports {name}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        for name in _imported_names(node)
        if name.split(".")[0] in ("tests", "") and any(part.startswith("test_") for part in name.split("."))
    ]
    assert not crossing, "\n".join(crossing)


def test_every_folder_of_tests_is_a_package_mirroring_the_code():
    """tests/bot/<domain>/ for bot/<domain>/, tests/handlers/, tests/storage/, and tests/end_to_end/
    for the bot driven over HTTP; each with an __init__.py, so that modules of one name in two folders
    do not clash."""
    tests = ROOT / "tests"
    folders = {path.parent for path in tests.rglob("test_*.py")}
    assert sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").is_file()) == []
    mirroring_nothing = [
        str(f.relative_to(ROOT))
        for f in folders - {tests, tests / "end_to_end"}
        if not (ROOT / f.relative_to(tests)).is_dir()
    ]
    assert mirroring_nothing == []
