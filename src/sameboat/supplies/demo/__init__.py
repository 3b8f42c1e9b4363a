"""Supplies' step of the demo world (filled in below)."""

from __future__ import annotations

from typing import Any


def run(ctx: Any) -> None:
    """Build the supplies part of the demo world."""
    from sameboat.supplies.demo.build import build

    build(ctx)
