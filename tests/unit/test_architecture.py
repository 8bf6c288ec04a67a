"""House rules a test can check: the layers of core/, no import circle, no Qt in core, a light start-up path."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Which core package may import which (besides itself and the foundation, core.errors and core.paths).
# Arrows point down the list: the store knows nothing of Google, backends know nothing of the schedule,
# and only core.app (what the front ends share) sees everything. Keep README's architecture in step.
LAYERS: dict[str, set[str]] = {
    "core.store": set(),
    "core.cost": {"core.store"},
    "core.google": {"core.store"},
    "core.backends": {"core.store", "core.google"},
    "core.control": {"core.store", "core.backends"},
    "core.schedule": {"core.store", "core.control", "core.cost"},
    "core.app": {"core.store", "core.cost", "core.google", "core.backends", "core.control", "core.schedule"},
}
FOUNDATION = {"core", "core.errors", "core.paths"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _core_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in (ROOT / "core").rglob("*.py")}


def core_imports(modules: dict[str, Path] | None = None) -> dict[str, set[str]]:
    """module -> the core modules it imports anywhere in its file (top level, functions, TYPE_CHECKING)."""
    modules = modules if modules is not None else _core_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: climb from the importing package
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                # `from pkg import submodule` names the submodule; `from mod import thing` names mod
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for module, edges in graph.items():
        own = _package(module)
        if module in FOUNDATION:
            bad += [f"{module} -> {t} (the foundation imports nothing of core)" for t in edges if t != "core"]
            continue
        allowed = LAYERS.get(own)
        if allowed is None:
            bad.append(f"{module}: its package {own} has no place in LAYERS")
            continue
        for target in edges:
            other = _package(target)
            if other != own and target not in FOUNDATION and other not in allowed:
                bad.append(f"{module} -> {target} ({own} may import only {sorted(allowed) or 'the foundation'})")
    return sorted(bad)


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one file (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_core_follows_its_layers():
    assert layer_violations(core_imports()) == []


def test_no_import_circle_between_core_files():
    assert import_cycles(core_imports()) == []


def test_every_core_package_says_what_it_holds():
    for init in (ROOT / "core").rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()[0]) > 20, f"{init.relative_to(ROOT)} needs a first docstring line"


def test_layer_check_catches_a_store_that_reaches_for_google():
    # the checks above must be able to fail: a store module importing a Google client, and a two-file circle
    graph = {"core.store.runs": {"core.google.endpoints"}, "core.google.endpoints": {"core.store.runs"}}
    assert layer_violations(graph) == [
        "core.store.runs -> core.google.endpoints (core.store may import only the foundation)"]
    assert import_cycles(graph) == [["core.google.endpoints", "core.store.runs"]]
    assert import_cycles({"core.store.a": {"core.store.b"}, "core.store.b": set()}) == []


def test_core_never_imports_qt_or_gui():
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in ("PySide6", "shiboken6", "gui"):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_window_is_shown_without_heavy_cloud_modules(tmp_path):
    # the bare `google.cloud` namespace package costs nothing; its client packages are what must wait
    code = (
        "import sys, os\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from PySide6.QtCore import QTimer\n"
        "app = QApplication([])\n"
        "from gui.app import PanelApp\n"
        "p = PanelApp()\n"
        "def painted():\n"
        "    heavy = sorted(m for m in sys.modules\n"
        "                   if m.startswith(('google.cloud.', 'grpc', 'supabase', 'postgrest')))\n"
        "    print('HEAVY=' + ','.join(heavy), flush=True)\n"
        "    p.quit()\n"
        "p.window.firstPaint.connect(painted)\n"
        "p.window.show()\n"
        "app.exec()\n"
    )
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen", "T4PANEL_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    line = next(line for line in out.stdout.splitlines() if line.startswith("HEAVY="))
    assert line == "HEAVY=", out.stdout + out.stderr


def test_smoke_prints_smoke_ok(tmp_path):
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen", "T4PANEL_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "main.py", "--smoke"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "smoke ok"
