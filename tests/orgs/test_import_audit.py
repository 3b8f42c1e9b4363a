"""The roster import leaves one audit event per person it creates, changes or takes off
the roster, written in bulk (the number of queries does not grow with the rows)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sameboat.core.models import AuditEvent
from sameboat.orgs.importers import import_employees
from sameboat.orgs.models import Employee
from tests.orgs.test_import import ROSTER

pytestmark = pytest.mark.django_db


def _import(tmp_path, world, text: str, name: str = "roster.csv") -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_employees(path=path, name=name, actor=world.officer_a)


def test_each_person_created_changed_or_deactivated_has_an_event(tmp_path, world):
    _import(tmp_path, world, ROSTER + "A-100,王五,,CA1,,138,,,\nA-101,赵六,,CA1,,,,,\n")
    created = AuditEvent.objects.filter(action="orgs.import.employee_created").order_by("object_repr")
    assert [e.object_repr for e in created] == ["王五 (A-100)", "赵六 (A-101)"]
    wang = Employee.objects.get(employee_no="A-100")
    first = created.get(object_id=str(wang.pk))
    assert first.actor == world.officer_a and first.organization_id == world.unit_a1.pk
    assert first.object_type == "orgs.employee"
    assert first.after["phone"] == "138" and first.after["is_active"] is True
    assert first.after["employee_no"] == "A-100"

    # A-100 gets a title; A-101 leaves the roster; employee_a is not in the file.
    _import(tmp_path, world, ROSTER + "A-100,王五,,CA1,Chief,138,,,\nA-101,赵六,,CA1,,,,,no\n", "second.csv")
    updated = AuditEvent.objects.get(action="orgs.import.employee_updated")
    assert updated.object_id == str(wang.pk)
    assert (updated.before, updated.after) == ({"title": ""}, {"title": "Chief"})
    off = AuditEvent.objects.get(action="orgs.import.employee_deactivated")
    assert off.object_id == str(Employee.objects.get(employee_no="A-101").pk)
    assert (off.before, off.after) == ({"is_active": True}, {"is_active": False})

    # Importing the same file again changes nothing and says nothing per person.
    count = AuditEvent.objects.count()
    _import(tmp_path, world, ROSTER + "A-100,王五,,CA1,Chief,138,,,\nA-101,赵六,,CA1,,,,,no\n", "third.csv")
    assert AuditEvent.objects.count() == count + 1  # the import's own summary event only


def _writes(tmp_path, world, rows: int, name: str) -> int:
    text = ROSTER + "".join(f"{name[0]}-{i:04d},人{i},,CA1,,,,,\n" for i in range(rows))
    with CaptureQueriesContext(connection) as queries:
        _import(tmp_path, world, text, name)
    return sum(1 for q in queries.captured_queries if "core_auditevent" in q["sql"].lower())


def test_per_person_events_are_inserted_in_bulk(tmp_path, world):
    few = _writes(tmp_path, world, 3, "few.csv")
    assert AuditEvent.objects.filter(action="orgs.import.employee_created").count() == 3
    # Enough rows for PostgreSQL's COPY path (which the query log does not see).
    many = _writes(tmp_path, world, 150, "many.csv")
    assert few <= 2 and many <= 5  # a batch insert (SQLite splits it by its variable limit), never one a row
    events = AuditEvent.objects.filter(action="orgs.import.employee_created")
    assert events.count() == 153
    person = Employee.objects.get(employee_no="m-0149")
    event = events.get(object_id=str(person.pk))
    assert (event.actor, event.organization_id, event.object_repr) == (world.officer_a, world.unit_a1.pk, str(person))
    assert event.before is None and event.after["employee_no"] == "m-0149" and event.after["is_active"] is True
    assert event.at is not None
