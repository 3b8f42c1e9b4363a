"""The import contracts in pyproject.toml (the layers of docs/architecture.md) hold, so a wrong
arrow fails the suite as well as ``make lint``.

import-linter's public API only reads the configuration, so the check runs its command (the
venv's ``lint-imports``, beside this Python) and reads which packages break which contract.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from importlinter.api import read_configuration

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
ARROW = re.compile(r"^(sameboat[\w.]*) is not allowed to import (sameboat[\w.]*):$", re.MULTILINE)

# Arrows known to be broken while another branch removes them; a listed arrow that no longer
# exists fails below, so the list cannot outlive its reason.
KNOWN: set[tuple[str, str]] = set()


def test_the_import_contracts_hold():
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(PYPROJECT)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    broken = set(ARROW.findall(result.stdout))
    assert result.returncode == 0 or broken, result.stdout + result.stderr  # a failure we cannot read
    unexpected = broken - KNOWN
    assert not unexpected, f"imports against the layers (run lint-imports for the lines): {sorted(unexpected)}"
    assert broken >= KNOWN, f"no longer broken, remove from KNOWN: {sorted(KNOWN - broken)}"


def test_the_contracts_cover_every_package():
    """A new top-level package must be placed in the layers, or the linter would not judge it."""
    config = read_configuration(str(PYPROJECT))
    layers = next(c for c in config["contracts_options"] if c["type"] == "layers")
    placed = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    package = ROOT / "src" / "sameboat"
    present = {
        f"sameboat.{p.stem}"
        for p in package.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py" and p.stem != "__init__")
    }
    # The settings and their environment helpers import no app: nothing to judge.
    unplaced = present - placed - {"sameboat.settings", "sameboat.env"}
    assert not unplaced, f"place these in the layers contract in pyproject.toml: {sorted(unplaced)}"
