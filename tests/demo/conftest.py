"""One small demo world per test module, rolled back when the module is done.

Building the world takes a few seconds, so the read-only checks share one build: it runs
inside a transaction that wraps the module, each test runs in a savepoint inside it (the
usual ``db`` fixture), and the whole world is rolled back at the end. The module runs on
the suite's fixed clock: the world's 90 days of history end "today", and a module that
ran across midnight would check yesterday's world against today's date.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from sameboat.demo.builder import DemoContext, world_build
from tests.clock import frozen_clock


@pytest.fixture(scope="module")
def small_world(django_db_setup, django_db_blocker) -> Iterator[DemoContext]:
    with frozen_clock(), django_db_blocker.unblock(), transaction.atomic():
        ctx = world_build(size="small", log=lambda line: None)
        yield ctx
        transaction.set_rollback(True)
