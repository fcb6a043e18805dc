"""The shape of the code: no import cycle between the project's modules (``articles.models``
in particular never reaches the workflow), and the rulebook shown in docs/architecture.md is
the one in ``reviews.states``."""

import ast
from pathlib import Path

from django.conf import settings

from reviews.states import rulebook_markdown

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("articles", "reviews", "mbc_cms")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def _imported(node: ast.stmt, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def imports_at_load(path: Path, module: str, known: dict[str, Path]) -> set[str]:
    """The project modules that loading ``module`` imports (module-level statements, not the
    ones under ``if TYPE_CHECKING``, nor imports inside functions)."""
    tree = ast.parse(path.read_text())
    is_package = path.name == "__init__.py"
    found = set()
    for node in tree.body:
        for name in _imported(node, module, is_package):
            # An imported name may be a module or a name in one: keep what is a module.
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    known = project_modules()
    return {module: imports_at_load(path, module, known) for module, path in known.items()}


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for name in graph.get(todo.pop(), ()):
            if name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def test_articles_models_never_import_the_workflow():
    """Loading the content models loads no workflow code (the cycle issue 12 removed)."""
    graph = import_graph()
    for module in [m for m in graph if m == "articles.models" or m.startswith("articles.models.")]:
        assert not {m for m in reachable(graph, module) if m.startswith("reviews.workflow")}


def test_no_import_cycle_between_project_modules():
    """No module, loading, comes back to itself through others (a package importing its own
    submodules to re-export them is not a cycle)."""
    graph = import_graph()
    cycles = [
        module
        for module in graph
        if module in {m for m in reachable(graph, module) if not m.startswith(f"{module}.")}
    ]
    assert cycles == []


def test_docs_show_the_rulebook():
    """docs/architecture.md shows ``reviews.states.TRANSITIONS`` exactly as it is."""
    docs = (ROOT / "docs" / "architecture.md").read_text()
    assert rulebook_markdown() in docs
