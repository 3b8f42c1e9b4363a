"""The audit guard's one exception: the retention purge's redaction, and nothing else."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sameboat.core.audit import audit_record
from sameboat.core.models import AuditEvent
from sameboat.core.redaction import REDACTED, audit_redact

pytestmark = pytest.mark.django_db


def _event(world, *, before=None, after=None) -> AuditEvent:
    return audit_record(
        actor=world.hq,
        action="tests.health.edited",
        obj=world.company_a,
        before=before,
        after=after if after is not None else {"temperature": "39.4"},
    )


def _refused(update) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        update()


def test_redaction_replaces_payloads_and_keeps_who_did_what_when(world):
    event = _event(world, before={"temperature": "36.5"})
    untouched = _event(world, after={"temperature": "39.4"})
    assert audit_redact(events=AuditEvent.objects.filter(pk=event.pk)) == 1
    fresh = AuditEvent.objects.get(pk=event.pk)
    assert (fresh.before, fresh.after) == (REDACTED, REDACTED)
    assert fresh.redacted_at is not None
    assert (fresh.at, fresh.actor_id, fresh.action, fresh.object_type, fresh.object_id, fresh.organization_id) == (
        event.at,
        event.actor_id,
        event.action,
        event.object_type,
        event.object_id,
        event.organization_id,
    )
    assert AuditEvent.objects.get(pk=untouched.pk).after == {"temperature": "39.4"}
    # An empty payload stays empty; a second run changes nothing.
    only_after = _event(world)
    assert audit_redact(events=AuditEvent.objects.filter(pk__in=[event.pk, only_after.pk])) == 1
    assert AuditEvent.objects.get(pk=only_after.pk).before is None


BAD_UPDATES = {
    "ordinary update": {"action": "rewritten"},
    "payload rewritten": {"after": {"temperature": "36.6"}},
    "redaction stamp alone": {"redacted_at": "now"},
    "redaction that also rewrites the action": {"after": REDACTED, "redacted_at": "now", "action": "rewritten"},
    "redaction that also moves the time": {"after": REDACTED, "redacted_at": "now", "at": "earlier"},
    "redaction that also changes the actor": {"after": REDACTED, "redacted_at": "now", "actor_repr": "someone"},
    "redaction with another marker": {"after": {"redacted": False}, "redacted_at": "now"},
    "redaction that fills an empty payload": {"before": REDACTED, "after": REDACTED, "redacted_at": "now"},
    "payload emptied": {"after": None, "redacted_at": "now"},
}


@pytest.mark.parametrize("name", BAD_UPDATES)
def test_every_other_update_is_refused(world, name):
    event = _event(world)
    now = timezone.now()
    values = {
        k: now if v == "now" else now - datetime.timedelta(days=1) if v == "earlier" else v
        for k, v in BAD_UPDATES[name].items()
    }
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(**values))
    fresh = AuditEvent.objects.get(pk=event.pk)
    assert (fresh.action, fresh.after, fresh.redacted_at) == ("tests.health.edited", {"temperature": "39.4"}, None)


def test_a_redacted_row_cannot_be_changed_again_or_deleted(world):
    event = _event(world)
    audit_redact(events=AuditEvent.objects.filter(pk=event.pk))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(redacted_at=timezone.now()))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="rewritten"))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())

    def raw_delete() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])

    _refused(raw_delete)
    assert AuditEvent.objects.filter(pk=event.pk, action="tests.health.edited").exists()


def test_ordinary_update_and_delete_stay_refused(world):
    event = _event(world)
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="rewritten"))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())

    def raw_update() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET object_repr = 'x' WHERE id = %s", [event.pk])

    _refused(raw_update)
    assert AuditEvent.objects.get(pk=event.pk).object_repr == event.object_repr


@pytest.mark.postgres
def test_redaction_needs_no_more_than_select_insert_and_column_update(world):
    """The application's role as the audit table's owner role would leave it (see
    docs/operations.md): SELECT and INSERT on the table, UPDATE on the three columns a
    redaction writes, no TRUNCATE, no ownership. The guard still refuses the rest."""
    event = _event(world, before={"temperature": "36.5"})
    other = _event(world)
    role = f"sb_app_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        # CI connects as a CREATEROLE role, not a superuser: before PostgreSQL 16 the
        # creator is no member of the new role, and SET ROLE needs membership.
        cursor.execute(f"GRANT {role} TO CURRENT_USER")
        cursor.execute(f"GRANT SELECT, INSERT ON core_auditevent TO {role}")
        cursor.execute(f'GRANT UPDATE ("before", "after", redacted_at) ON core_auditevent TO {role}')
        cursor.execute(f"SET LOCAL ROLE {role}")
    try:
        assert audit_redact(events=AuditEvent.objects.filter(pk=event.pk)) == 1
        audit_record(actor=None, action="tests.purged", after={"count": 1})  # the purge's own event
        _refused(lambda: AuditEvent.objects.filter(pk=other.pk).update(after={"temperature": "36.6"}))
        _refused(lambda: AuditEvent.objects.filter(pk=other.pk).update(action="rewritten"))
        _refused(lambda: AuditEvent.objects.filter(pk=other.pk).delete())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditEvent.objects.get(pk=event.pk).after == REDACTED
    assert AuditEvent.objects.get(pk=other.pk).after == {"temperature": "39.4"}


def test_the_sqlite_guard_fixes_every_other_column():
    """SQLite's guard lists the columns a redaction must leave alone; a new column on the
    audit table must join that list (and the guard be reinstalled by a migration)."""
    from sameboat.core.db import _SQLITE_FIXED_COLUMNS

    columns = {f.column for f in AuditEvent._meta.concrete_fields}
    assert set(_SQLITE_FIXED_COLUMNS) == columns - {"before", "after", "redacted_at"}
