"""The one bulk writer (core.db): rows and COPY text land as bulk_create would write them."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sameboat.core.db import bulk_insert, bulk_update_rows, bulk_writer
from sameboat.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NAMES = ["at", "actor", "action", "object_repr", "after", "actor_repr", "object_type", "object_id"]
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.sampled_from("\t\n\\"))


def _rows(prefix: str) -> list[tuple]:
    # Without the time: bulk_create stamps its own (auto_now_add); the writer takes ours.
    fields = ["actor_id", "object_repr", "after"]
    return sorted(AuditEvent.objects.filter(action__startswith=prefix).values_list(*fields), key=repr)


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reprs=st.lists(text.map(lambda s: s[:300]), min_size=1, max_size=5), with_actor=st.booleans())
def test_rows_and_text_write_what_bulk_create_writes(world, reprs, with_actor):
    sid = transaction.savepoint()
    at = timezone.now() - datetime.timedelta(days=1)
    actor = world.hq.pk if with_actor else None
    AuditEvent.objects.bulk_create(
        [AuditEvent(actor_id=actor, action="t.orm", object_repr=r, after={"r": r}) for r in reprs]
    )
    assert bulk_insert(AuditEvent, NAMES, [(at, actor, "t.rows", r, {"r": r}, "", "", "") for r in reprs]) == len(reprs)
    null = "\\N"
    with bulk_writer(
        AuditEvent, ["at", "actor", "action", "object_repr", "actor_repr", "object_type", "object_id"]
    ) as writer:
        writer.text(
            "".join(f"{at.isoformat()}\t{actor if actor else null}\tt.text\t{_copy_text(r)}\t\t\t\n" for r in reprs)
        )
    orm = _rows("t.orm")
    assert _rows("t.rows") == orm
    assert _rows("t.text") == [(actor_id, r, None) for actor_id, r, _after in orm]
    assert set(AuditEvent.objects.filter(action__in=["t.rows", "t.text"]).values_list("at", flat=True)) == {at}
    transaction.savepoint_rollback(sid)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(text.map(lambda s: s[:100]), min_size=2, max_size=2), active=st.booleans())
def test_update_rows_writes_what_bulk_update_writes(world, names, active):
    from sameboat.orgs.models import Employee

    results = []

    def by_pk(people: list[Employee], fields: list[str]) -> None:
        bulk_update_rows(Employee, fields, ([*(getattr(p, f) for f in fields), p.pk] for p in people))

    for write in (by_pk, Employee.objects.bulk_update):
        sid = transaction.savepoint()
        people = list(Employee.objects.filter(pk__in=[world.employee_a.pk, world.employee_b.pk]).order_by("pk"))
        for person, name in zip(people, names, strict=True):
            person.name, person.is_active = name, active
        write(people, ["name", "is_active"])
        results.append(list(Employee.objects.order_by("pk").values_list("pk", "name", "is_active", "employee_no")))
        transaction.savepoint_rollback(sid)
    assert results[0] == results[1]
    written = {pk: (name, is_active) for pk, name, is_active, _no in results[0]}
    assert [written[world.employee_a.pk], written[world.employee_b.pk]] == [(n, active) for n in names]
