"""The platform's secrets on one machine: random on the first `make run`, then kept.

PLATFORM_ADMIN_TOKEN, GATEWAY_SECRET and ACTOR_SECRET (services/common/config.py) default to a
public `change-me`. `make run` gives each one that the environment does not set a random value,
kept in `.run/secrets.env` (mode 0600, `NAME=value` lines a shell can source), so that later
runs, and every process restarted meanwhile, share the same ones.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from services.common.config import SECRETS


def kept_secrets(path: Path, environment: Mapping[str, str]) -> dict[str, str]:
    """The secrets `environment` does not set, from `path`; any missing there is made and added."""
    kept = _read(path)
    missing = [name for name in SECRETS if not kept.get(name)]
    if missing:
        kept.update({name: secrets.token_urlsafe(32) for name in missing})
        _write(path, kept)
    return {name: kept[name] for name in SECRETS if not environment.get(name)}


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    lines = (line.strip() for line in path.read_text().splitlines())
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#") and "=" in line)


def _write(path: Path, values: dict[str, str]):
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created private, never readable by others even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write("# Made by `make run` on its first start; values set in the environment win.\n")
        file.writelines(f"{name}={value}\n" for name, value in values.items())
    os.chmod(path, 0o600)  # in case it existed with wider permissions
