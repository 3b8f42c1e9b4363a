"""The `sameboat` console command: manage.py under a name a person can remember."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a Django management command with Sameboat's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sameboat.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([*sys.argv[:1], *sys.argv[1:]] if len(sys.argv) > 1 else [sys.argv[0], "help"])
