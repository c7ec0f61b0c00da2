"""Service boundaries: a service imports only itself and services.common, the gateway only
services.common, and services.common no service at all.

Checked twice: by import-linter with the contracts in pyproject.toml, and by reading each
module's imports directly (import statements, relative imports, and importlib.import_module
or __import__ called with a literal name, which a static import graph may not see).
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.servers import project_root, subprocess_env

ROOT = project_root()
SERVICES = sorted(
    path.name for path in (ROOT / "services").iterdir()
    if path.is_dir() and path.name != "common" and not path.name.startswith(("_", "."))
)
# Every boundary: each service package, the gateway, and the shared code.
ZONES = [f"services.{name}" for name in SERVICES] + ["gateway"]
SHARED = "services.common"


def contracts() -> list[dict]:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]["contracts"]


def test_import_linter_keeps_every_contract():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--no-logo", "pyproject.toml"],
        cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=300,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert f"Contracts: {len(contracts())} kept, 0 broken." in report, report


def test_contracts_cover_every_service_and_the_gateway():
    by_type = {contract["type"]: contract for contract in contracts()}
    assert sorted(by_type["independence"]["modules"]) == sorted(ZONES)
    assert by_type["forbidden"]["source_modules"] == [SHARED]
    assert sorted(by_type["forbidden"]["forbidden_modules"]) == sorted(ZONES)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(name: str, level: int, package: str) -> str:
    """The absolute name of `from <level dots><name> import ...` written in `package`."""
    if level == 0:
        return name
    base = package.split(".")[: len(package.split(".")) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) for everything `module` imports."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = resolve(node.module or "", node.level, package)
            # `from services import search` imports services.search, not just services.
            found += [(node.lineno, f"{base}.{alias.name}" if alias.name != "*" else base)
                      for alias in node.names]
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            name = node.args[0]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                anchor = node.args[1] if len(node.args) > 1 else None
                anchor = anchor.value if isinstance(anchor, ast.Constant) else package
                level = len(name.value) - len(name.value.lstrip("."))
                found.append((node.lineno, resolve(name.value.lstrip("."), level, anchor)))
    return found


def _is_dynamic_import(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in {"__import__", "import_module"}
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def zone_of(module: str) -> str | None:
    """The boundary a module lies in; None for the standard library and third parties."""
    for zone in ZONES + [SHARED]:
        if module == zone or module.startswith(zone + "."):
            return zone
    if re.match(r"services\.\w+", module):  # a service package not (yet) in the list
        return ".".join(module.split(".")[:2])
    return None


def crossings(source: str, module: str, is_package: bool = False) -> list[str]:
    importer = zone_of(module)
    allowed = {None, importer} | ({SHARED} if importer != SHARED else set())
    return [f"{module}:{line} imports {target}"
            for line, target in imported_modules(source, module, is_package)
            if zone_of(target) not in allowed]


def project_modules() -> list[Path]:
    return sorted(path for top in ("services", "gateway") for path in (ROOT / top).rglob("*.py")
                  if "__pycache__" not in path.parts)


def test_no_module_imports_across_a_boundary():
    paths = project_modules()
    assert ROOT / "services" / "common" / "config.py" in paths
    found = [crossing for path in paths
             for crossing in crossings(path.read_text(encoding="utf-8"), module_name(path),
                                       path.name == "__init__.py")]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("module, source", [
    ("services.content.store", "from services.search.core import search"),
    ("services.content.store", "import services.ranking.service"),
    ("services.content.store", "from services import notify"),
    ("services.content.store", "from ..search import core"),
    ("services.content.engines.x", "from ...ranking import scores"),
    ("services.content.store", "import importlib\nimportlib.import_module('services.search.core')"),
    ("services.content.store",
     "from importlib import import_module\nimport_module('..notify', 'services.content')"),
    ("services.content.store", "def f():\n    return __import__('gateway.app')"),
    ("services.content.store", "from gateway.rpc import Pool"),
    ("gateway.app", "from services.content.schemas import ArticleInput"),
    ("gateway.app", "from services import search"),
    ("services.common.events", "from services.content.schemas import UnitInput"),
    ("services.common.events", "from ..notify import digest"),
    ("services.common.events", "import gateway"),
])
def test_the_direct_check_catches_each_way_of_crossing(module, source):
    assert len(crossings(source, module)) == 1


@pytest.mark.parametrize("module, is_package, source", [
    ("services.content.store", False,
     "from services.common.config import Settings\nfrom . import schemas\n"
     "from .schemas import X\nimport pymongo"),
    ("services.content", True, "from .service import ContentService\nfrom services.content import text"),
    ("services.search.engines.embedded", False, "from ..core import Query\nimport tantivy"),
    ("gateway.app", False,
     "import falcon\nfrom services.common.errors import NotFound\nfrom .rpc import Pool"),
    ("services.common.events", False, "from services.common.config import Settings\nfrom .errors import X"),
])
def test_the_direct_check_allows_what_stays_inside(module, is_package, source):
    assert crossings(source, module, is_package) == []
