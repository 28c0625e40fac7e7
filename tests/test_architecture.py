"""The layout's rules, read off the package's own source (see docs/architecture.md).

Every import counts, including those inside functions; only ``if TYPE_CHECKING:`` blocks
are left out, because they never run (they name a caller's type for a hint). A lower
layer never imports a higher one, PySide6 lives in ui/ (and the app entry), SQLite and
hnswlib in store/, torch and open_clip in ml/ (and services/), no modules import each
other round a cycle, and no module passes ``MAX_LINES`` non-blank lines. The checker is
tested on small fake packages first, so a rule that can never fail would show.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "photoorg"
MAX_LINES = 400

LAYERS = {"model": 0, "media": 1, "store": 2, "ml": 3, "services": 4, "cli": 5, "ui": 5}
"""The layers, lowest first. cli and ui are side by side: neither imports the other."""
BASE = {"", "config", "errors", "stdio"}
"""Top-level modules every layer may use (the package's __init__ holds the version)."""
ENTRY = {"__main__", "selftest"}
"""The app entry and the self-test: they may import anything, Qt included."""
QT = ("PySide6", "shiboken6")
SQLITE = ("sqlite3", "sqlite_utils", "hnswlib")
ENGINES = ("torch", "torchvision", "open_clip")
ENGINE_LAYERS = ("ml", "services", "entry")
"""torch belongs to the engines (ml/); a service may also set up a worker process's
threads (the Spark job), but nothing below ml/ and nothing in cli/ or ui/ touches it."""
SQL_TEXT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|PRAGMA|ALTER)\s")


def _modules(package: Path) -> dict[str, Path]:
    """Dotted name inside the package ('' for its __init__) -> file."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, skipping the bodies of ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _imports(tree: ast.AST, name: str, modules: dict[str, Path], root: str) -> Iterator[str]:
    """Absolute names of what a module imports: our own modules by dotted name inside
    the package, anything else prefixed with '!' (the top-level distribution name)."""
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if name else []
                package = here if modules[name].name == "__init__.py" else here[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([root, *package, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            if target == root or target.startswith(root + "."):
                inner = target[len(root) + 1 :]
                # `from photoorg.store import labels` names a module; `import Label` does not.
                while inner and inner not in modules:
                    inner = inner.rpartition(".")[0]
                yield inner
            else:
                yield "!" + target.split(".")[0]


def _layer(name: str) -> str:
    head = name.split(".")[0]
    return head if head in LAYERS else "base" if name in BASE else "entry"


def check_package(package: Path) -> list[str]:
    """Every broken rule in ``package``, one line each (empty when all hold)."""
    root = package.name
    modules = _modules(package)
    problems: list[str] = []
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        source = path.read_text(encoding="utf-8")
        shown = f"{root}.{name}" if name else root
        lines = sum(1 for line in source.splitlines() if line.strip())
        if lines > MAX_LINES:
            problems.append(f"{shown}: {lines} non-blank lines (at most {MAX_LINES})")
        tree = ast.parse(source, str(path))
        layer = _layer(name)
        if name and layer == "entry" and name not in ENTRY:
            problems.append(f"{shown}: a top-level module outside the layers")
        graph[name] = set()
        for target in _imports(tree, name, modules, root):
            if target.startswith("!"):
                external = target[1:]
                if external in QT and layer not in ("ui", "entry"):
                    problems.append(f"{shown} imports {external} outside ui/")
                if external in SQLITE and layer != "store":
                    problems.append(f"{shown} imports {external} outside store/")
                if external in ENGINES and layer not in ENGINE_LAYERS:
                    problems.append(f"{shown} imports {external} outside ml/ and services/")
                continue
            if target == name:
                continue
            graph[name].add(target)
            problems += _layer_problems(shown, layer, f"{root}.{target}", _layer(target))
        if layer != "store":
            for node in _runtime_nodes(tree):
                text = node.value if isinstance(node, ast.Constant) else None
                if isinstance(text, str) and SQL_TEXT.match(text):
                    problems.append(f"{shown}:{node.lineno}: SQL outside store/")
    problems += [f"import cycle: {' -> '.join(c)}" for c in _cycles(graph, root)]
    return list(dict.fromkeys(problems))


def _layer_problems(shown: str, layer: str, target_shown: str, target: str) -> list[str]:
    if layer == "entry" or target == "base":
        return []
    if layer == "base":
        return [f"{shown} imports {target_shown}: config, errors and stdio import no layer"]
    if target == "entry":
        return [f"{shown} imports {target_shown}: nothing imports the app entry"]
    if LAYERS[target] > LAYERS[layer] or (LAYERS[target] == LAYERS[layer] and target != layer):
        return [f"{shown} ({layer}/) imports {target_shown} ({target}/), a higher layer"]
    return []


def _cycles(graph: dict[str, set[str]], root: str) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each as a list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(f"{root}.{member}" if member else root)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# -- the package itself ----------------------------------------------------------------------


def test_the_package_keeps_its_layers() -> None:
    assert check_package(PACKAGE) == []


def test_modules_stay_small() -> None:
    sizes = sorted(
        sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        for path in PACKAGE.rglob("*.py")
        if path.stat().st_size
    )
    assert sizes[-1] <= MAX_LINES
    assert sizes[len(sizes) // 2] < 200, "the median module should stay under 200 lines"


# -- the checker, on fake packages -----------------------------------------------------------


def _fake(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "fakepkg"
    for name in ["", *LAYERS, "ui/widgets"]:
        (package / name).mkdir(parents=True, exist_ok=True)
        (package / name / "__init__.py").touch()
    (package / "errors.py").write_text("class Oops(Exception): ...\n")
    for relative, text in files.items():
        (package / relative).write_text(text)
    return package


def test_a_clean_fake_package_passes(tmp_path: Path) -> None:
    package = _fake(
        tmp_path,
        {
            "model/query.py": "from fakepkg.errors import Oops\n",
            "store/photos.py": "import sqlite3\nfrom fakepkg.model import query\n"
            "SQL = 'SELECT id FROM photos'\n",
            "services/library.py": "from typing import TYPE_CHECKING\n"
            "from fakepkg.store import photos\n"
            "if TYPE_CHECKING:\n    from fakepkg.ui.window import Window\n",
            "ui/window.py": "from PySide6.QtWidgets import QWidget\n"
            "from fakepkg.services.library import photos\n",
            "__main__.py": "from fakepkg.ui import window\nfrom fakepkg.cli import main\n",
            "cli/main.py": "def run():\n    from .. import errors\n"
            "    from ..services import library\n",
        },
    )
    assert check_package(package) == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "services/library.py": "",
                "store/photos.py": "def f():\n    from fakepkg.services import library\n",
            },
            "fakepkg.store.photos (store/) imports fakepkg.services.library (services/)",
        ),
        (
            {"model/label.py": "from ..media import decode\n"},
            "fakepkg.model.label (model/) imports fakepkg.media.decode (media/)",
        ),
        (
            {"cli/main.py": "from fakepkg.ui import window\n"},
            "fakepkg.cli.main (cli/) imports fakepkg.ui.window (ui/)",
        ),
        ({"services/search.py": "import PySide6.QtCore\n"}, "imports PySide6 outside ui/"),
        ({"services/search.py": "import sqlite_utils\n"}, "imports sqlite_utils outside store/"),
        ({"ui/grid.py": "def f():\n    import hnswlib\n"}, "imports hnswlib outside store/"),
        ({"store/embeddings.py": "import torch\n"}, "imports torch outside ml/"),
        ({"ui/grid.py": "import open_clip\n"}, "imports open_clip outside ml/"),
        (
            {"services/search.py": "def f(db):\n    db.execute('DELETE FROM photos')\n"},
            "fakepkg.services.search:2: SQL outside store/",
        ),
        ({"media/big.py": "x = 1\n\n" * (MAX_LINES + 1)}, "non-blank lines"),
        (
            {
                "services/a.py": "from fakepkg.services import b\n",
                "services/b.py": "def f():\n    from fakepkg.services import a\n",
            },
            "import cycle: fakepkg.services.a -> fakepkg.services.b",
        ),
        ({"helpers.py": "x = 1\n"}, "fakepkg.helpers: a top-level module outside the layers"),
        ({"errors.py": "from fakepkg.model import query\n"}, "config, errors and stdio import"),
        (
            {"__main__.py": "", "services/x.py": "from fakepkg import __main__\n"},
            "nothing imports the app entry",
        ),
    ],
)
def test_the_checker_catches_each_broken_rule(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    files = {"ui/window.py": "", "media/decode.py": "", "model/query.py": "", **files}
    problems = check_package(_fake(tmp_path, files))
    assert any(expected in problem for problem in problems), problems
