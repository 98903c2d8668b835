"""The layers point one way: ui -> services -> storage -> domain."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "caregiver_app"

# What each layer may import from inside the project.
ALLOWED = {
    "domain": {"domain"},
    "storage": {"domain", "storage", "paths"},
    "services": {"domain", "storage", "services", "paths"},
}


def _project_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "caregiver_app" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_domain_imports_no_qt():
    code = (
        "import sys, pkgutil, importlib, caregiver_app.domain as d\n"
        "for m in pkgutil.walk_packages(d.__path__, 'caregiver_app.domain.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"domain pulled in Qt: {result.stdout}{result.stderr}"


def test_storage_imports_no_qt():
    code = (
        "import sys, pkgutil, importlib, caregiver_app.storage as s\n"
        "for m in pkgutil.walk_packages(s.__path__, 'caregiver_app.storage.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"storage pulled in Qt: {result.stdout}{result.stderr}"


def test_layers_only_import_downwards():
    problems = []
    for layer, allowed in ALLOWED.items():
        for path in (PACKAGE / layer).rglob("*.py"):
            wrong = _project_imports(path) - allowed
            if wrong:
                problems.append(f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}")
    assert not problems, "\n".join(problems)


def _signal_connections(tree: ast.AST, signal: str):
    """``(line, target)`` for each ``<something>.<signal>.connect(target)``."""
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "connect" and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == signal and node.args):
            yield node.lineno, node.args[0]


def test_actions_are_connected_only_through_on_triggered():
    """``QAction.triggered`` passes the ``checked`` flag to slots that take an argument:
    File ▸ Back up now… once received it as the folder. ``ui.actions.on_triggered`` calls
    the slot with none; nothing else may connect ``triggered``."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).as_posix() == "ui/actions.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(PACKAGE)}:{line}"
                  for line, _target in _signal_connections(tree, "triggered")]
        found += [f"{path.relative_to(PACKAGE)}:{node.lineno} addAction(text, slot)"
                  for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "addAction" and len(node.args) >= 2]
    assert found == []


def test_buttons_never_hand_their_checked_flag_to_a_parameter():
    """``clicked`` carries ``checked`` too: a method connected to it takes no parameter,
    or says it wants the flag (its first one is ``checked`` or a ``bool``)."""
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        methods = {f.name: f for f in ast.walk(tree)
                   if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
        for line, target in _signal_connections(tree, "clicked"):
            if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                    and target.value.id == "self" and target.attr in methods):
                continue
            params = methods[target.attr].args.args[1:]
            if params and params[0].arg != "checked" and not (
                    isinstance(params[0].annotation, ast.Name)
                    and params[0].annotation.id == "bool"):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} "
                             f"{target.attr}({params[0].arg})")
    assert wrong == []
