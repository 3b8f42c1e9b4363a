"""The whole demo world as data: every tree of organisations, read without a database."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from sameboat.demo.data_group import COUNCIL, GROUP
from sameboat.demo.data_outside import OUTSIDE_TREES
from sameboat.demo.specs import OrgSpec

# Every root, in code order: creating roots in the tree's sort order means treebeard never
# has to shift a subtree's paths to make room.
ROOTS: tuple[OrgSpec, ...] = tuple(sorted((GROUP, COUNCIL, *OUTSIDE_TREES), key=lambda s: s.code))


def walk_with_parents(root: OrgSpec) -> Iterator[tuple[OrgSpec, str | None]]:
    """(organisation, parent code) for the tree, parents first and children in code order."""

    def visit(spec: OrgSpec, parent: str | None) -> Iterator[tuple[OrgSpec, str | None]]:
        yield spec, parent
        for child in sorted(spec.children, key=lambda c: c.code):
            yield from visit(child, spec.code)

    yield from visit(root, None)


@cache
def all_specs() -> dict[str, OrgSpec]:
    """Every organisation of the world by code."""
    return {spec.code: spec for root in ROOTS for spec in root.walk()}


@cache
def root_of() -> dict[str, str]:
    """The root code of every organisation, by code."""
    return {spec.code: root.code for root in ROOTS for spec in root.walk()}


def org_names() -> dict[str, tuple[str, str]]:
    """(Chinese, English) name of every organisation by code."""
    return {code: (spec.name_zh, spec.name_en) for code, spec in all_specs().items()}
