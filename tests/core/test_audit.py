"""The audit table is append-only, enforced by the database itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from sameboat.core.audit import audit_record
from sameboat.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _one_event(world):
    return audit_record(actor=world.hq, action="tests.thing.done", obj=world.company_a, before={"a": 1}, after={"a": 2})


def test_orm_update_is_refused(world):
    event = _one_event(world)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    event.refresh_from_db()
    assert event.action == "tests.thing.done"


def test_raw_delete_is_refused(world):
    event = _one_event(world)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_event_records_actor_object_and_change(world):
    event = _one_event(world)
    assert event.actor == world.hq
    assert event.organization == world.company_a
    assert event.object_type == "orgs.organization"
    assert (event.before, event.after) == ({"a": 1}, {"a": 2})


@pytest.mark.parametrize("count", [3, 150])
def test_bulk_events_read_back_as_written(world, count):
    """audit_bulk takes a few events by bulk_create and many (on PostgreSQL) through core's
    bulk writer: either way every column reads back as the event it was given."""
    from sameboat.core.audit import audit_bulk

    people = [world.company_a, world.company_b] * (count // 2) + [world.group] * (count % 2)
    written = audit_bulk(
        actor=world.hq,
        action="tests.thing.done",
        objects=people,
        before={"n": [1, "二"]},
        after=lambda org: {"code": org.code, "active": org.is_active},
    )
    assert written == count
    events = list(AuditEvent.objects.filter(action="tests.thing.done").order_by("pk"))
    assert len(events) == count
    for event, org in zip(events, people, strict=True):
        assert (event.actor_id, event.actor_repr) == (world.hq.pk, world.hq.get_username())
        assert (event.object_type, event.object_id) == ("orgs.organization", str(org.pk))
        assert event.organization_id == org.pk
        assert event.before == {"n": [1, "二"]}
        assert event.after == {"code": org.code, "active": org.is_active}
        assert event.at is not None
