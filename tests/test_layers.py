"""Layers (DESIGN.md): an app imports only its own layer or lower ones. A lower layer learns about higher ones only
through the kernel's registries (work-item kinds, page panels, hooks) filled in each app's `AppConfig.ready`.

The test walks every module under supply_service (every `import` and `from … import`, also inside functions and
`if TYPE_CHECKING:` blocks; migrations excluded) and fails on any edge against the order."""

import ast
from pathlib import Path

import pytest

PACKAGE = "supply_service"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

# core < customers < outages < tickets < (complaints, appointments, counter, quality) < (audits, dashboard)
# < (kiosk, workspace). The project package itself (settings, urls, wsgi) sits above every app.
LAYERS = [
    {"core"},
    {"customers"},
    {"outages"},
    {"tickets"},
    {"complaints", "appointments", "counter", "quality"},
    {"audits", "dashboard"},
    {"kiosk", "workspace"},
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
TOP = len(LAYERS)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module name imported anywhere in the tree (absolute; relative imports resolved)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _app_of(name: str, root: Path) -> str | None:
    """The app a module belongs to; "" for the project package itself; None outside the project."""
    parts = name.split(".")
    if parts[0] != PACKAGE or len(parts) == 1:
        return None  # outside the project, or the bare package (`from supply_service import x` names x)
    return parts[1] if len(parts) > 1 and (root / parts[1]).is_dir() else ""


def _rank(app: str) -> int:
    return TOP if app == "" else RANK[app]


def layer_violations(root: Path = ROOT) -> list[str]:
    violations: dict[tuple, str] = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = _module_name(path, root)
        app = _app_of(module, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in _imported(tree, module, path.name == "__init__.py"):
            target = _app_of(name, root)
            if target is None or target == app:
                continue
            if _rank(target) > _rank(app):
                where = f"{path.relative_to(root.parent)}:{line}"
                violations.setdefault((where, target), f"{where}: {app or PACKAGE} imports {name} ({target})")
    return sorted(violations.values())


def test_every_app_has_a_layer():
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps - set(RANK) == set(), "place the new app in LAYERS (DESIGN.md)"


def test_no_import_against_the_layers():
    assert layer_violations() == []


# The walker itself: one allowed and one forbidden edge each, on a small tree written for the test.

def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / PACKAGE
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("text", [
    "from supply_service.core.models import Office\n",
    "import supply_service.customers.selectors\n",
    "def f():\n    from supply_service.core import hooks\n",
    "from . import selectors\n",
])
def test_walker_allows_own_and_lower_layers(tmp_path, text):
    root = _tree(tmp_path, {"outages/views.py": text, "core/hooks.py": "", "customers/selectors.py": "",
                            "outages/selectors.py": ""})
    assert layer_violations(root) == []


@pytest.mark.parametrize("text", [
    "from supply_service.tickets.models import RepairTicket\n",
    "import supply_service.tickets.services as s\n",
    "def f():\n    from supply_service.tickets import services\n",  # inside a function too
    "from ...tickets import services\n",  # relative
    "from supply_service import tickets\n",
])
def test_walker_finds_an_upward_import(tmp_path, text):
    root = _tree(tmp_path, {"outages/sub/views.py": text, "tickets/services.py": ""})
    assert len(layer_violations(root)) == 1


def test_migrations_are_not_walked(tmp_path):
    root = _tree(tmp_path, {"core/migrations/0002_x.py": "from supply_service.tickets import models\n",
                            "tickets/models.py": ""})
    assert layer_violations(root) == []
