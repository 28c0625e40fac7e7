"""Python 3.10 is supported (pyproject's requires-python, ruff's target): no module may
import a standard module that 3.10 lacks unless the import is guarded by a version check
or an ImportError fallback. Read off the source with ast, so it fails on any Python."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "photoorg", ROOT / "tests", ROOT / "benchmarks"]

NEWER_STDLIB = {"tomllib": (3, 11), "wsgiref.types": (3, 11)}
"""Standard modules added after 3.10 (What's New in 3.11, 3.12, 3.13)."""


def _version_guard(test: ast.expr) -> bool:
    """``sys.version_info >= (3, N)`` (the form ruff and mypy understand)."""
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Attribute)
        and test.left.attr == "version_info"
        and isinstance(test.ops[0], ast.GtE | ast.Gt)
    )


def unguarded_new_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of each import of a post-3.10 standard module outside a guard."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, ast.If):
            for child in node.body:
                visit(child, guarded or _version_guard(node.test))
            for child in node.orelse:
                visit(child, guarded)
            return
        if isinstance(node, ast.Try):
            catches = any(
                isinstance(h.type, ast.Name) and h.type.id in {"ImportError", "ModuleNotFoundError"}
                for h in node.handlers
            )
            for child in node.body:
                visit(child, guarded or catches)
            for child in [*node.orelse, *node.finalbody, *node.handlers]:
                visit(child, guarded)
            return
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            if name in NEWER_STDLIB and not guarded:
                found.append((node.lineno, name))
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(ast.parse(source), False)
    return found


def test_the_checker_finds_a_bare_import_and_accepts_guarded_ones():
    assert unguarded_new_imports("import tomllib\n") == [(1, "tomllib")]
    assert unguarded_new_imports("def f():\n    from tomllib import loads\n") == [(2, "tomllib")]
    guarded = (
        "import sys\nif sys.version_info >= (3, 11):\n    import tomllib\n"
        "else:\n    import tomli as tomllib\n"
        "try:\n    import tomllib\nexcept ImportError:\n    import tomli as tomllib\n"
    )
    assert unguarded_new_imports(guarded) == []


def test_every_module_imports_on_the_oldest_supported_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["requires-python"] == ">=3.10"
    assert project["tool"]["ruff"]["target-version"] == "py310"
    assert any(
        d.startswith("tomli>=") and "< '3.11'" in d for d in project["project"]["dependencies"]
    )
    bad = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for folder in SOURCES
        for path in sorted(folder.rglob("*.py"))
        for line, module in unguarded_new_imports(path.read_text(encoding="utf-8"))
    ]
    assert not bad, f"imports that fail on Python 3.10: {bad}"
