"""`sameboat demo`: build once, --if-empty, --logins and --reset."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from sameboat.accounts.models import Membership, User
from sameboat.core.audit import audit_record
from sameboat.core.demo import DemoStep, demo_steps
from sameboat.core.exceptions import DomainError
from sameboat.core.models import AuditEvent
from sameboat.demo.builder import world_exists
from sameboat.demo.logins import DEMO_PASSWORD, LOGINS
from sameboat.orgs.models import (
    Employee,
    LeadershipGroup,
    LeadershipMember,
    Organization,
    Region,
    RegionRule,
)
from tests.factories import make_org

MODELS = (
    Organization,
    Region,
    RegionRule,
    Employee,
    LeadershipGroup,
    LeadershipMember,
    User,
    Membership,
)


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_logins_prints_every_login_and_builds_nothing(db):
    out = demo("--logins")
    for spec in LOGINS:
        assert f"    {spec.username} " in out
    assert DEMO_PASSWORD in out
    assert "Wuhan Optical Communication Institute" in out
    assert all(n == 0 for n in counts().values())


def test_if_empty_leaves_a_database_with_organisations_alone(db):
    make_org(None, code="REAL")
    out = demo("--if-empty", "--size", "small")
    assert "not built" in out
    assert list(Organization.objects.values_list("code", flat=True)) == ["REAL"]
    assert not world_exists()


def test_build_once_then_again_changes_nothing(db):
    out = demo("--size", "small")
    assert "Demo world built" in out
    assert world_exists()
    built = counts()
    assert built["Organization"] > 250 and built["Employee"] > 300
    events = AuditEvent.objects.filter(action="demo.world.built")
    assert events.count() == 1
    after = events.get().after
    assert after is not None and after["employees"] == built["Employee"]

    assert "exists already" in demo("--size", "small")
    assert "not built" in demo("--if-empty", "--size", "small")
    assert counts() == built
    assert AuditEvent.objects.filter(action="demo.world.built").count() == 1


def test_reset_rebuilds_the_same_world_and_keeps_the_audit_guard(db):
    demo("--size", "small")
    roster = list(Employee.objects.order_by("employee_no").values_list("employee_no", "name", "title"))
    built = counts()
    make_org(None, code="STRAY")

    out = demo("--reset", "--noinput", "--size", "small")

    assert "database emptied" in out and "Demo world built" in out
    assert not Organization.objects.filter(code="STRAY").exists()
    assert counts() == built
    # Same seed, same world.
    assert list(Employee.objects.order_by("employee_no").values_list("employee_no", "name", "title")) == roster
    # The old trail went with the flush; the new build wrote its own.
    assert AuditEvent.objects.filter(action="demo.world.built").count() == 1
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'rewritten'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")


def test_reset_without_yes_changes_nothing(db, monkeypatch):
    make_org(None, code="KEEP")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        demo("--reset", "--size", "small")
    assert Organization.objects.filter(code="KEEP").exists()
    assert not world_exists()


def test_a_build_that_fails_writes_nothing(db):
    make_org(None, code="TZ01", name_en="A real company that took a demo code")
    with pytest.raises(CommandError, match="TZ01"):
        demo("--size", "small")
    assert list(Organization.objects.values_list("code", flat=True)) == ["TZ01"]
    assert Region.objects.count() == 0 and Employee.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_a_reset_whose_build_fails_keeps_the_old_data(db):
    make_org(None, code="KEEP")
    audit_record(actor=None, action="tests.kept")

    def fail(ctx):
        raise DomainError("broken step")

    demo_steps.register(DemoStep("broken", fail, order=10_000))  # after every app's step
    try:
        with pytest.raises(CommandError, match="broken step"):
            demo("--reset", "--noinput", "--size", "small")
    finally:
        demo_steps.unregister("broken")
    assert list(Organization.objects.values_list("code", flat=True)) == ["KEEP"]
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["tests.kept"]
    # The guard is back (the rollback restored it along with the data).
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
