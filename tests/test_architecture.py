"""The module graph runs one way: no import cycles inside `composer`, and the
core (everything outside composer.tui) never imports textual nor the composer's
UI; only the CLI's entry may import the UI, to start the composer. Every import counts, including those inside functions and under
`if TYPE_CHECKING:`, since each one is a dependency a reader has to follow."""

from __future__ import annotations

import ast
import pathlib

import composer

PACKAGE = pathlib.Path(composer.__file__).parent
# The command that opens the composer is the one place the core reaches the UI.
LAUNCHERS = {"composer.cli", "composer.cli.compose"}


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, pathlib.Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(module: str, path: pathlib.Path, known: set[str]) -> set[str]:
    """Every module `module` imports: `from a import b` names a.b when b is a module."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node, path.name == "__init__.py")
            submodules = {f"{source}.{alias.name}" for alias in node.names}
            named = submodules & known
            found.update(named)
            if named != submodules:
                found.add(source)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {
        name: {
            target for target in _imports(name, path, known) if target in known and target != name
        }
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component (Tarjan), as a path a reader can follow."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_path_through(graph, component) for component in components]


def _path_through(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest cycle from the component's first module back to itself."""
    start = component[0]
    members = set(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & members):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    return component


def test_the_module_graph_has_no_cycles():
    cycles = [" -> ".join(cycle) for cycle in _cycles(_graph())]
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


def _in_ui(module: str) -> bool:
    return module == "composer.tui" or module.startswith("composer.tui.")


def test_the_core_never_imports_the_composer_ui_or_textual():
    modules = _modules()
    offenders = []
    for name, path in modules.items():
        if _in_ui(name):
            continue
        for target in sorted(_imports(name, path, set(modules))):
            launches_the_composer = name in LAUNCHERS and _in_ui(target)
            if target.split(".")[0] == "textual" or (_in_ui(target) and not launches_the_composer):
                offenders.append(f"{name} -> {target}")
    assert offenders == [], "the core imports the UI:\n" + "\n".join(offenders)


def test_the_checker_finds_a_cycle_and_names_its_edges():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]
