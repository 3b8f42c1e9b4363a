"""Audit action codes: each app registers its own; an unregistered one fails in tests."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import translation

from sameboat.core.audit import (
    AuditAction,
    Changes,
    UnknownAuditAction,
    audit,
    audit_action_label,
    audit_actions,
    audit_bulk,
    audit_event,
)
from sameboat.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_unregistered_code_is_refused_and_nothing_is_written(world):
    for record in (
        lambda: audit("orgs.organisation.craeted", world.company_a, actor=world.hq),
        lambda: audit_event("nobody.registered.this", actor=None),
        lambda: audit_bulk(actor=None, action="nobody.registered.this", objects=[world.company_a]),
    ):
        with pytest.raises(UnknownAuditAction):
            record()
    assert not AuditEvent.objects.filter(action__in=["orgs.organisation.craeted", "nobody.registered.this"]).exists()


@override_settings(TESTING=False, DEBUG=False)
def test_in_production_an_unregistered_code_is_still_recorded(world):
    # Losing a trail entry over a missing label would be worse than a raw code on a page.
    event = audit("nobody.registered.this", world.company_a, actor=None)
    assert event is not None and event.pk


@override_settings(TESTING=False, DEBUG=True)
def test_under_debug_an_unregistered_code_is_refused(world):
    with pytest.raises(UnknownAuditAction):
        audit("nobody.registered.this", world.company_a, actor=None)


def test_every_app_registers_the_codes_it_records():
    for code in (
        "core.job.queued",
        "accounts.membership.granted",
        "orgs.employee.updated",
        "health.quarantine.released",
        "demo.world.built",
    ):
        assert code in audit_actions


def test_labels_are_translated_with_a_generic_one_for_unknown_codes():
    with translation.override("en"):
        assert audit_action_label("health.quarantine.released") == "Quarantine ended"
        assert audit_action_label("an.old.code") == "Other action"
        assert audit_action_label("admin.orgs.organization.added") == "Added in the admin: organisation"
    with translation.override("zh-hans"):
        assert audit_action_label("health.quarantine.released") != "Quarantine ended"
        assert audit_action_label("an.old.code") != "Other action"


def test_a_family_matches_every_code_under_it_and_nothing_else():
    audit_actions.register(AuditAction("tests-family.*", "Family"), replace=True)
    try:
        assert audit_action_label("tests-family.a.b") == "Family"
        assert audit_action_label("tests-familyx.a") == "Other action"
    finally:
        audit_actions.unregister("tests-family.*")


def test_an_update_that_changed_nothing_records_nothing(world):
    same = {"name": "A"}
    assert audit("tests.thing.done", world.company_a, Changes.between(same, same), actor=None, if_changed=True) is None
    event = audit(
        "tests.thing.done", world.company_a, Changes.between(same, {"name": "B"}), actor=None, if_changed=True
    )
    assert (event.before, event.after) == ({"name": "A"}, {"name": "B"})
    assert event.organization_id == world.company_a.pk  # the record's own organisation


def test_the_audit_page_shows_the_label_and_the_code(client, world):
    audit("health.quarantine.released", world.company_a, actor=world.hq)
    # An event from before its code was registered (or of a code since removed).
    AuditEvent.objects.create(action="an.old.code", actor_repr="hq", organization=world.company_a)
    client.force_login(world.hq)
    with translation.override("en"):
        html = client.get("/audit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Quarantine ended" in html and "health.quarantine.released" in html
    assert "Other action" in html and "an.old.code" in html
