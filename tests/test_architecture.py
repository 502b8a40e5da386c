"""The layout's rules, checked on the source: the domain imports no Flask, the
package has no import circles, every module imports alone, and views are thin."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "editorial"
# Password hashing is a plain function that happens to ship with Werkzeug.
ALLOWED = ("werkzeug.security",)
WEB_PARTS = ("editorial.web", "editorial.desk", "editorial.reader", "editorial.auth")
WEB_LIBRARIES = ("flask", "flask_login", "flask_wtf", "werkzeug", "jinja2", "htmx")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = sorted(
    _module_name(p)
    for p in PACKAGE.rglob("*.py")
    if "migrations" not in p.parts and "__pycache__" not in p.parts
)


def _package(module: str) -> str:
    """The package a module's relative imports resolve against."""
    is_package = _path_of(module).name == "__init__.py"
    return module if is_package else module.rpartition(".")[0]


def _names(nodes: list[ast.AST], package: str) -> set[str]:
    """Every absolute name the import statements among nodes bring in."""
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolve against the package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _imports(module: str, module_level_only: bool = False) -> set[str]:
    """What a module imports: at any depth (lazy imports too), or at module level."""
    tree = ast.parse(_path_of(module).read_text(encoding="utf-8"))
    nodes = list(tree.body) if module_level_only else list(ast.walk(tree))
    return _names(nodes, _package(module))


def _path_of(module: str) -> Path:
    base = ROOT.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def test_the_layout_has_its_parts():
    assert "editorial.domain.workflow" in MODULES
    assert "editorial.web.page_cache" in MODULES
    assert len(MODULES) > 40


def test_the_domain_imports_no_web_framework():
    offenders = []
    for module in MODULES:
        if not module.startswith("editorial.domain"):
            continue
        for name in _imports(module):
            top = name.split(".")[0]
            if name.startswith(ALLOWED):
                continue
            if top in WEB_LIBRARIES or name.startswith(WEB_PARTS):
                offenders.append(f"{module} imports {name}")
    assert offenders == []


def test_module_level_imports_have_no_circles():
    """The graph of module-level imports inside the package is acyclic."""
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        # Module level only: an import inside a function is how a lazy,
        # deliberate back-reference is written, and runs after both loaded.
        targets = {_longest_module(n) for n in _imports(module, True)}
        graph[module] = {t for t in targets if t and t != module}
    assert find_cycle(graph) == []


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One circle of the graph as the path that closes it, or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> list[str]:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path, node, nxt]
            if state.get(nxt) is None and (found := visit(nxt, [*path, node])):
                return found
        state[node] = 2
        return []

    for node in sorted(graph):
        if state.get(node) is None and (found := visit(node, [])):
            return found
    return []


def test_find_cycle_finds_circles_and_only_circles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def _longest_module(name: str) -> str | None:
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return None


def _import_alone(module: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode == 0:
        return ""
    return f"{module}: {result.stderr.strip().splitlines()[-1]}"


@pytest.mark.timeout(300)
def test_every_module_imports_alone():
    """Each module in a fresh interpreter of its own, as `python -c "import x"`."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        failures = [f for f in pool.map(_import_alone, MODULES) if f]
    assert failures == []


VIEW_MAX_LINES = 25


def _length(function: object) -> int:
    """Lines from the `def` through the function's last line (no decorators)."""
    lines, _ = inspect.getsourcelines(function)  # type: ignore[arg-type]
    node = ast.parse(textwrap.dedent("".join(lines))).body[0]
    return node.end_lineno - node.lineno + 1  # type: ignore[operator]


def test_views_are_thin(app):
    """Every view the app routes to, decorators unwrapped, is at most 25 lines:
    the work lives in the domain, the queries and helpers, not in the view."""
    long = []
    for endpoint, view in app.view_functions.items():
        function = inspect.unwrap(view)
        if not inspect.getmodule(function).__name__.startswith("editorial"):
            continue  # Flask's own static route
        if (lines := _length(function)) > VIEW_MAX_LINES:
            long.append(f"{endpoint}: {lines} lines")
    assert long == []
    assert len(app.view_functions) > 60  # the walk saw the routes


def test_test_modules_have_unique_names():
    """The tests run without packages (rootdir imports), so two test modules with
    one basename break collection of the whole suite; catch that here first."""
    seen: dict[str, Path] = {}
    clashes = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if path.name in seen:
            clashes.append((seen[path.name], path))
        seen.setdefault(path.name, path)
    assert clashes == []
