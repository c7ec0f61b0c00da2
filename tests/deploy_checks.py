"""What the deployment descriptions (docker-compose.yml, deploy/k8s/) are held to: the
repository's services, the image deploy/Dockerfile builds and the modules their commands name.
Shared by tests/test_deploy.py and tests/test_k8s.py."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.servers import project_root

ROOT = project_root()
NAMEKO_SERVICES = sorted(
    path.name for path in (ROOT / "services").iterdir()
    if path.is_dir() and path.name != "common" and not path.name.startswith(("_", "."))
)
APP_SERVICES = NAMEKO_SERVICES + ["gateway"]


def image_tag(image: str) -> str | None:
    name = image.split("@")[0].rsplit("/", 1)[-1]
    return name.split(":", 1)[1] if ":" in name else None


def top_level_names(path: Path) -> dict[str, ast.AST]:
    """What a module defines at its top level (classes, functions, assignments)."""
    names = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update({t.id: node for t in targets if isinstance(t, ast.Name)})
        elif isinstance(node, ast.ImportFrom):
            names.update({(a.asname or a.name): node for a in node.names})
    return names


def option(command: list[str], *flags: str) -> str:
    for flag in flags:
        if flag in command:
            return command[command.index(flag) + 1]
    raise AssertionError(f"{command} has none of {flags}")


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, argument = line.partition(" ")
            instructions.append((keyword.upper(), argument.strip()))
    return instructions
